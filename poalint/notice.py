"""Parse a pasted Amazon notice into its reasons, ASINs and the items a letter must answer."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from poalint.letter import LetterError, decode


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """One thing the letter must answer: a requested item or a listed sub-issue."""

    text: str
    line: int
    kind: str  # "request" | "issue"


@dataclass(frozen=True, slots=True)
class ReasonHit:
    """The first place a reason's vocabulary appears in the notice."""

    reason: str
    phrase: str
    line: int


@dataclass(frozen=True, slots=True)
class Notice:
    """What a notice says, with 1-based line numbers."""

    path: str
    kind: str  # "notice" | "rejection"
    reasons: tuple[ReasonHit, ...]
    asins: tuple[str, ...]
    items: tuple[NoticeItem, ...]


class NoticeError(ValueError):
    """The input is not a readable Amazon notice."""


class NoticeUnparsable(NoticeError):
    """Readable text, but not a notice poalint can parse (a pasted fragment, the seller's own letter).

    Callers lint the letter without the notice and warn; a missing, binary or empty notice stays a NoticeError."""


_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014"
_SEP = rf"[\s{_DASHES}]*"
# the ids a notice names and a letter must repeat exactly (shared with checks/requests.py)
ASIN_PATTERN = r"B0[0-9A-Z]{8}"
ORDER_ID_PATTERN = r"\d{3}-\d{7}-\d{7}"
IDS = re.compile(rf"\b(?:{ASIN_PATTERN}|{ORDER_ID_PATTERN})\b")
_ASIN = re.compile(rf"(?<![A-Za-z0-9]){ASIN_PATTERN}(?![A-Za-z0-9])", re.IGNORECASE)
_ISBN = re.compile(r"(?<![\w-])\d{9}[\dX](?![\w-])", re.IGNORECASE)
_ASIN_WORD = re.compile(r"\bASINs?\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:--|[\u2013\u2014*\u2022\u00b7\u25aa\u25cf-]|\(?\d{1,2}[.)]|[a-h][.)])\s+(\S.*)$")
_TRIGGER = re.compile(
    r"\bexplains?\b|\b(?:that|to|please|should|must|and)\s+(?:describe|include|outline)s?\b"
    r"|\b(?:describe|include|outline)\s+the following\b|\b(?:send|provide|submit)\b.*\bfollowing\b"
    r"|\binformation\s*$|\bgreater detail\b|\bfollowing (?:issues|problems|concerns)\b",
    re.IGNORECASE,
)
_ISSUE_TRIGGER = re.compile(r"\bfollowing\s+(?:issues|problems|concerns)\b|\bfound\b|\bidentified\b", re.IGNORECASE)
_ISSUE = re.compile(r"^(?:buyers|customers)\s+(?:are|were|have|had|did|report)\b", re.IGNORECASE)
_HEADING = re.compile(r"\?\s*$|https?:|www\.|^\s*(?:ASIN|Title|Order ID)\s*:", re.IGNORECASE)
_TITLE_LINE = re.compile(r"^[ \t]*(?:Title|Product(?: name| title)?|Item name)[ \t]*:.*$",
                         re.IGNORECASE | re.MULTILINE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REJECTION = re.compile(
    r"we received your (?:submission|appeal|plan)|do not have enough information|\bgreater detail on\b"
    r"|your (?:appeal|plan of action) (?:was|has been) (?:denied|declined|rejected)",
    re.IGNORECASE,
)
_MARKERS = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"seller[\s-]performance", r"why (?:is|did) this happen", r"selling privileges", r"account health",
    r"we received your submission", r"your (?:amazon(?:\.\S+)? )?(?:selling |seller )?account", r"deactivat",
    r"\byour listings?\b", r"premium (?:shipping|delivery)", r"\bre(?:activate|instate)", r"seller central",
    r"plan of action", r"dear seller",
))
_WEAK_MARKERS = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\bremoved\b", r"\bASINs?\b", r"\bamazon\b", r"\bpolic(?:y|ies)\b",
))
_STRUCTURE = tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in (
    r"why (?:is|did) this happen", r"how do i (?:reactivate|reinstate|restore)", r"what happens if i do not",
    r"^\W*seller performance team\W*$", r"we received your submission",
))
_TO_AMAZON = re.compile(r"^\W*(?:dear|hello|hi|to:?)\s+(?:the\s+)?(?:amazon\s+)?seller performance", re.I | re.M)
_SELLER_VOICE = re.compile(r"\b(?:we|our|ours|us|we've|we're|we'll|ourselves|I|I'm|I've|my|me)\b", re.IGNORECASE)
_YOU = re.compile(r"\b(?:you|your|yours|you've|you're|you'll)\b", re.IGNORECASE)
_ID_ONLY = re.compile(rf"{ORDER_ID_PATTERN}|\b{ASIN_PATTERN}\b|\([^)]*\)", re.IGNORECASE)
_WORDS = re.compile(r"[A-Za-z]{2,}")


def phrase_regex(phrase: str) -> re.Pattern[str]:
    """Case-insensitive pattern tolerating hyphen/space variants, wraps, curly quotes and '...' gaps."""
    parts: list[str] = []
    for chunk in re.split(r"\s*(?:\.\.\.|\u2026)\s*", phrase.strip()):
        words = [w for w in re.split(rf"[\s{_DASHES}]+", chunk) if w]
        # NOTE: "ll?" lets one phrase match US and UK spellings (fulfillment/fulfilment, canceled/cancelled).
        parts.append(_SEP.join(re.escape(w).replace("'", "['\u2019]").replace("ll", "ll?") for w in words))
    body = r"[\s\S]{0,200}?".join(p for p in parts if p)
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?:e?s)?(?![A-Za-z0-9])", re.IGNORECASE)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(rf"(?<=[{_DASHES}])[ \t]*\n\s*", "", text)).strip()


def _reasons(text: str, vocabulary: Mapping[str, Sequence[str]]) -> tuple[ReasonHit, ...]:
    # Product titles and e-mail addresses ("premium-shipping@...") are not Amazon's description of the problem.
    titles_blank = _TITLE_LINE.sub(lambda m: " " * len(m.group()), text)
    no_emails = _EMAIL.sub(lambda m: " " * len(m.group()), titles_blank)
    matches = sorted(
        (m.start(), -(m.end() - m.start()), m.end(), reason)
        for reason, phrases in vocabulary.items() for phrase in phrases if phrase.strip()
        for m in phrase_regex(phrase).finditer(titles_blank if "@" in phrase else no_emails)
    )
    kept: dict[str, list[tuple[int, int]]] = {}
    taken_until = -1
    for start, _, end, reason in matches:  # longest match wins where phrases overlap
        if start >= taken_until:
            kept.setdefault(reason, []).append((start, end))
            taken_until = end
    ranked = sorted(kept.items(), key=lambda kv: (-len(kv[1]), kv[1][0][0]))
    return tuple(ReasonHit(reason, _squash(text[spans[0][0]:spans[0][1]]), _line_of(text, spans[0][0]))
                 for reason, spans in ranked)


def _isbn10_ok(isbn: str) -> bool:
    values = [10 if c in "Xx" else int(c) for c in isbn]
    return sum(v * (10 - i) for i, v in enumerate(values)) % 11 == 0


def _asins(text: str) -> tuple[str, ...]:
    found = [(m.start(), m.group().upper()) for m in _ASIN.finditer(text)]
    offset = 0
    for line in text.split("\n"):
        if _ASIN_WORD.search(line):
            found += [(offset + m.start(), m.group().upper()) for m in _ISBN.finditer(line) if _isbn10_ok(m.group())]
        offset += len(line) + 1
    return tuple(dict.fromkeys(asin for _, asin in sorted(found)))


def _clean_item(text: str) -> str:
    return re.sub(r"(?:[;,]\s*(?:and|or))?[\s.;,]*$", "", _squash(text))


def _continues(line: str) -> bool:
    """A wrapped bullet's next line: indented, or starting mid-sentence."""
    return bool(line.strip()) and not _BULLET.match(line) and (
        line[:1] in " \t" or line.strip()[0].islower() or line.strip()[0] in "(&")


def _block(lines: list[str], start: int, kind: str) -> tuple[list[NoticeItem], int]:
    """Items listed from lines[start] on (after a trigger line); returns them and the index after the block."""
    i = start
    while i < len(lines) and i - start < 2 and not lines[i].strip():
        i += 1
    bulleted = bool(i < len(lines) and _BULLET.match(lines[i]))
    items: list[tuple[list[str], int]] = []
    while i < len(lines):
        line = lines[i]
        bullet = _BULLET.match(line)
        if not line.strip():
            nxt = next((ln for ln in lines[i + 1:i + 3] if ln.strip()), "")
            if not (bulleted and _BULLET.match(nxt)):
                break
        elif bullet:
            items.append(([bullet.group(1)], i + 1))
        elif items and _continues(line):
            items[-1][0].append(line)
        elif not bulleted and not _HEADING.search(line) and len(_WORDS.findall(line)) <= 40:
            items.append(([line], i + 1))
        else:
            break
        i += 1
    out: list[NoticeItem] = []
    for parts, lineno in items:
        text = _clean_item(" ".join(parts))
        if _ID_ONLY.sub("", text).strip(" ,;()"):  # a bare list of order ids or ASINs is evidence, not a request
            out.append(NoticeItem(text, lineno, "issue" if kind == "issue" or _ISSUE.match(text) else "request"))
    return out, i


def _items(text: str) -> tuple[NoticeItem, ...]:
    lines = text.split("\n")
    items: list[NoticeItem] = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if line.endswith(":") and _TRIGGER.search(line[:-1]):
            found, i = _block(lines, i + 1, "issue" if _ISSUE_TRIGGER.search(line) else "request")
            items += found
            continue
        body = _BULLET.match(line)
        candidate = _clean_item(body.group(1) if body else line)
        if _ISSUE.match(candidate) and len(_WORDS.findall(candidate)) <= 25:
            items.append(NoticeItem(candidate, i + 1, "issue"))
        i += 1
    return tuple(items)


def _check_is_notice(text: str, reasons: tuple[ReasonHit, ...]) -> None:
    if not text.strip():
        raise NoticeError("The notice is empty.")
    strong = sum(1 for marker in _MARKERS if marker.search(text)) + (1 if reasons else 0)
    if not strong or strong + sum(1 for marker in _WEAK_MARKERS if marker.search(text)) < 3:
        raise NoticeUnparsable("This text does not look like an Amazon notice: it has none of the usual wording "
                          "such as 'Why is this happening?', 'selling privileges' or 'Seller Performance'.")
    if sum(1 for marker in _STRUCTURE if marker.search(text)) >= 2:
        return  # Amazon's own headings: a seller's preface in a forum paste does not change that
    statements = "\n".join(ln for ln in text.split("\n") if not ln.rstrip().endswith("?"))
    seller, you = len(_SELLER_VOICE.findall(statements)), len(_YOU.findall(statements))
    if seller > you and _TO_AMAZON.search(text) or seller >= 6 and seller > 1.5 * you + 2:
        raise NoticeUnparsable("This text looks like a plan of action written by the seller ('we', 'our', 'I'), "
                          "not a notice from Amazon.")


def parse_notice(text: str, vocabulary: Mapping[str, Sequence[str]], path: str = "<notice>") -> Notice:
    """Parse notice text; raise NoticeError when it is empty or not an Amazon notice."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    reasons = _reasons(text, vocabulary)
    _check_is_notice(text, reasons)
    return Notice(
        path=path,
        kind="rejection" if _REJECTION.search(text) else "notice",
        reasons=reasons,
        asins=_asins(text),
        items=_items(text),
    )


def _decode(data: bytes, path: str) -> str:
    """Bytes to text the way letters are read (BOMs, UTF-8, UTF-16, cp1252), refusing binary data."""
    try:
        text, _warnings = decode(data, path)
    except LetterError:
        raise NoticeError(f"{path} is a binary file, not a text notice.") from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f" or c == "\ufffd")
    if controls > max(2, len(text) // 20):
        raise NoticeError(f"{path} is a binary file, not a text notice.")
    return text


def read_notice(path: str, vocabulary: Mapping[str, Sequence[str]]) -> Notice:
    """Read and parse a notice file; every failure is a NoticeError with a one-line message."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise NoticeError(f"Notice file {path} does not exist.") from None
    except IsADirectoryError:
        raise NoticeError(f"Notice path {path} is a directory, not a file.") from None
    except OSError as exc:
        raise NoticeError(f"Notice file {path} cannot be read ({exc.strerror or exc}).") from None
    text = _decode(data, path)
    if not text.strip():
        raise NoticeError(f"Notice file {path} is empty.")
    try:
        return parse_notice(text, vocabulary, path)
    except NoticeError as exc:
        raise type(exc)(f"{path}: {exc}") from None

