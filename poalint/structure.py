"""Split a letter into blocks (headings, paragraphs, list items, signature) from its lines.

Pure text work, no spaCy: the sentence splitter and the section finder build on it.
Heading words come from rules/sections.yaml (see `HeadingVocab`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-*+\u2022\u2023\u25cf\u25aa\u25ab\u25a0\u25a1\u25ba\u25e6\u2013\u2014\u2043\u2219\u00b7\u30fb"
    r"\u2713\u2714\uf0b7\uf0a7]{1,2}|o(?=[ \t]+[A-Z0-9])|"
    r"\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)])[ \t]+(?=\S)"
    # CJK list markers need no space: "1\u3001", "\uff081\uff09", "\u4e00\u3001"
    r"|^(?P<cindent>[ \t]*)(?P<cmarker>\uff08?\d{1,2}[\u3001\uff09]|[\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341]{1,2}\u3001)[ \t]*(?=\S)"
)
_MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(?P<text>.*?)[ \t#]*$")
_BOLD_LINE = re.compile(r"^[ \t]*(\*\*|__)(?P<text>[^*_].*?)(\*\*|__)[ \t]*:?[ \t]*$")
_NUMBERED = re.compile(r"^[ \t]*(?:(?:part|step|section)[ \t]+)?(?:Q\d{1,2}[.):]?|\(?\d{1,2}[.):]|[IVX]{1,4}[.)]|[A-C][.)])?[ \t]*(?P<text>.+)$", re.I)
_MARKER_LINE = re.compile(r"^[ \t]*\(?\d{1,2}[.)][ \t]*$")
_NUMBERED_HEAD = re.compile(r"^(?:(?:part|step|section)[ \t]+)?(?:\(?\d{1,2}[.):]|[IVX]{1,4}[.)])[ \t]*(?P<text>.+)$", re.I)
_LABEL = re.compile(r"^[ \t]*(?:\d{1,2}[.)][ \t]*)?(?:\*\*|__)?(?P<label>[A-Za-z][^:\n]{1,70}?)(?:\*\*|__)?[ \t]*[:\u2013\u2014-][ \t]*(?:\*\*|__)?(?P<rest>.*)$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")  # letters only: for telling headings from prose
# what word counts count: "3-day", "B0C4X2LQ9M", "don't"; an e-mail address, a link or a phone number
# is one word, and a list marker ("1.", "b)", "-") none
_COUNTED_WORD = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                           r"|\+\d[\d ()./-]{6,}\d|\(?\d{2,5}\)?[ .-]\d{3,4}[ .-]\d{3,4}(?![\w-])|[^\W_][\w'\u2019-]*")
_LIST_MARKER = re.compile(r"(?m)^[ \t]*(?:\(?(?:\d{1,2}|[a-zA-Z])[.)]|[-*\u2022])[ \t]+")
_QUOTED = re.compile(r"^[ \t]*>")
_QUOTE_START = re.compile(r"^[ \t]*(-{2,}[ \t]*(original message|forwarded message)[ \t]*-{2,}|on .{4,80} wrote:)[ \t]*$", re.I)
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_PROSE_LEAD = re.compile(r"^\W*(we|i|our|my|to|in order|so|this|that|it|they|he|she|as|after|since|because)\b", re.I)
_TERMINAL = re.compile(r"[.!?;,]['\")\]]*$")
# a line that states something: a finite "be", "have been", "did" ("1) The printer was broken.")
_STATES = re.compile(r"\b(is|are|was|were|am|did|had|has been|have been|'s|'re)\b", re.I)

PARTS = ("root_cause", "corrective", "preventive")
FRAME = ("greeting", "closing", "signature", "quote")  # the blocks around the letter's body (quote: quoted e-mail text)
NOT_PROSE = (*FRAME, "heading")  # blocks that are not the letter's own sentences


def words(text: str) -> list[str]:
    """The words of a text, as every word count and word limit counts them."""
    return _COUNTED_WORD.findall(_LIST_MARKER.sub("", text))


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text: `kind` is heading, paragraph, item, greeting, closing or signature."""

    kind: str
    start: int
    end: int
    line: int  # 1-based line of `start`
    part: str | None = None  # for headings: root_cause / corrective / preventive / other / None (unknown heading)
    depth: int = 0  # list nesting (indent) for items


class HeadingVocab:
    """Compiled heading, greeting and closing patterns from rules/sections.yaml."""

    def __init__(self, headings: Mapping[str, Sequence[str]], greetings: Sequence[str], closings: Sequence[str]) -> None:
        self.parts: list[tuple[str, re.Pattern[str]]] = []
        for part, entries in headings.items():
            self.parts.append((part, re.compile("|".join(_to_regex(e) for e in entries), re.I)))
        self.greeting = re.compile("|".join(_to_regex(e) for e in greetings), re.I) if greetings else None
        self.closing = re.compile("|".join(_to_regex(e) for e in closings), re.I) if closings else None

    def classify(self, text: str) -> str | None:
        """Which part a heading names.

        Contractions and curly quotes are normalised first ("What we've changed"). For a heading
        naming two parts, a purpose word ranks first: "Steps taken to prevent recurrence" is
        preventive although "steps taken" comes earlier; otherwise the earliest mention wins.
        """
        text = normalise_heading(text)
        found: dict[str, int] = {}
        for part, rx in self.parts:
            m = rx.search(text)
            if m:
                found[part] = m.start()
        if not found:
            return None
        if "preventive" in found and len(found) > 1 and _PURPOSE.search(text):
            return "preventive"
        return min(found, key=lambda p: found[p])

    def classify_start(self, text: str) -> str | None:
        """The part whose heading words open `text` ("Actions taken with ..."), if any."""
        text = normalise_heading(text)
        for part, rx in self.parts:
            if rx.match(text):
                return part
        return None


# purpose words of a heading: "prevent" beats "taken" ("Steps taken to prevent recurrence")
_PURPOSE = re.compile(r"\b(prevent\w*|avoid\w*|recur\w*|future|ahead|forward|from now on|long[- ]term|"
                      r"never (happen|again)|(happen\w*|occur\w*) again)\b", re.I)
_CONTRACTIONS = (
    (re.compile(r"\bwon't\b", re.I), "will not"),
    (re.compile(r"\bcan't\b", re.I), "cannot"),
    (re.compile(r"\b(\w+)n't\b", re.I), r"\1 not"),
    (re.compile(r"\b(\w+)'ve\b", re.I), r"\1 have"),
    (re.compile(r"\b(\w+)'ll\b", re.I), r"\1 will"),
    (re.compile(r"\b(\w+)'re\b", re.I), r"\1 are"),
    (re.compile(r"\b(\w+)'d\b", re.I), r"\1 had"),
    (re.compile(r"\bI'm\b", re.I), "I am"),
)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'", "\u201c": '"', "\u201d": '"',
                         "\uff1a": ":", "\uff1f": "?", "\uff0c": ",", "\u3002": "."})


def normalise_heading(text: str) -> str:
    """Curly quotes, full-width punctuation and contractions as plain words: "What we\u2019ve changed" ->
    "What we have changed"."""
    text = text.translate(_QUOTES)
    if "'" in text:
        for rx, repl in _CONTRACTIONS:
            text = rx.sub(repl, text)
    return text


def _to_regex(entry: str) -> str:
    if entry.startswith("re:"):
        return f"(?:{entry[3:]})"
    words = [re.escape(w) for w in re.split(r"[\s-]+", entry.strip()) if w]
    return r"(?:\b" + r"[\s-]+".join(words) + r"\b)"


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_caps_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(_words(text)) <= 10


def heading_of(line: str, vocab: HeadingVocab) -> tuple[str | None, int, int] | None:
    """If `line` is a heading, return (part, label_start, label_end) within the line.

    label_end < len(line) means an inline label ("Root cause: we set ...") whose rest is content.
    """
    stripped = line.strip()
    if not stripped or (stripped.startswith("|") and stripped.endswith("|")):
        return None  # a Markdown table row ("| Date | Action | Evidence |") is no heading, however short
    lead = len(line) - len(line.lstrip())
    md = _MD_HEADING.match(line)
    if md:
        return vocab.classify(md.group("text")), lead, len(line.rstrip())
    bold = _BOLD_LINE.match(line)
    if bold and len(_words(bold.group("text"))) <= 12:
        return vocab.classify(bold.group("text")), lead, len(line.rstrip())
    words = _words(stripped)
    plain = normalise_heading(stripped)
    asks = plain.endswith(("?", ":"))
    # Amazon's own questions and statement forms, in any person and up to ~18 words: "What steps have
    # you taken to prevent this from happening again?", "Steps we have taken to stop this from happening
    # in the future:" (a colon line opening with a subject, "We did the following:", is a lead-in, not a heading)
    short = len(words) <= 12 or (asks and len(words) <= 18 and not _PROSE_LEAD.match(plain))
    # a numbered line that names a part and states nothing, as Amazon's help page words its three requests
    # ("1) Greater detail on the root cause(s) of the policy violation.", "2) Greater detail on the actions
    # we have taken to resolve policy issues"): a heading, with or without its full stop
    numbered_line = _NUMBERED_HEAD.match(plain)
    request = numbered_line is not None and not _PROSE_LEAD.match(numbered_line.group("text")) \
        and not _STATES.search(plain) and not plain.endswith(("..", "!", ",", ";"))
    # Amazon's questions, "1) Root cause", "ROOT CAUSE", "Corrective Actions (completed):"
    if short and (asks or request or not _TERMINAL.search(plain)):
        body = _NUMBERED.match(plain)
        text = body.group("text") if body else plain
        part = vocab.classify(text)
        if part is not None and (len(words) <= 8 or (asks or request) and not _PROSE_LEAD.match(text)
                                 or _is_caps_line(stripped)):
            if stripped.endswith("?") and part == "other":
                return None
            return part, lead, len(line.rstrip())
        if _is_caps_line(stripped):
            return None if stripped.endswith("?") else (part, lead, len(line.rstrip()))
    # "2) Actions taken with the units in fulfillment centers and units already sold": a numbered
    # line that opens with a part's heading words is a heading even when it goes on a little
    numbered = _NUMBERED_HEAD.match(stripped)
    if numbered and len(words) <= 18 and not _TERMINAL.search(stripped):
        part = vocab.classify_start(numbered.group("text"))
        if part is not None:
            return part, lead, len(line.rstrip())
    label = _LABEL.match(line)
    if label and len(_words(label.group("label"))) <= 7:
        part = vocab.classify(label.group("label"))
        if part is not None and label.group("rest").strip():
            return part, lead, label.start("rest")
    return None


def _line_spans(text: str) -> Iterable[tuple[int, int, int]]:
    """(line number, start, end) of every line, end without the newline."""
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        yield number, start, start + len(line)
        start += len(line) + 1


def parse_blocks(text: str, vocab: HeadingVocab) -> list[Block]:
    blocks: list[Block] = []
    current: list[int] | None = None  # [kind_index, start, end, line, depth]
    kinds = ("paragraph", "item")

    def close() -> None:
        nonlocal current
        if current is not None:
            blocks.append(Block(kinds[current[0]], current[1], current[2], current[3], depth=current[4]))
            current = None

    quoting = False  # below "-----Original Message-----" or "On ... wrote:": the quoted notice, no part of the letter
    for number, start, end in _line_spans(text):
        line = text[start:end]
        if not line.strip():
            close()
            continue
        if quoting or _QUOTED.match(line) or _QUOTE_START.match(line):
            quoting = quoting or bool(_QUOTE_START.match(line))
            close()
            lead = len(line) - len(line.lstrip())
            if blocks and blocks[-1].kind == "quote" and blocks[-1].end == start - 1:
                blocks[-1] = Block("quote", blocks[-1].start, end, blocks[-1].line)
            else:
                blocks.append(Block("quote", start + lead, end, number))
            continue
        if _TABLE_ROW.match(line):
            # a Markdown table: every row is an item ("| 4 May | Swapped the courier | Ops lead |");
            # the separator row and the header row above it are no text of the letter
            close()
            nxt = text[end + 1:text.find("\n", end + 1) if text.find("\n", end + 1) != -1 else len(text)]
            if _TABLE_SEP.match(line) or _TABLE_SEP.match(nxt):
                continue
            lead = len(line) - len(line.lstrip())
            blocks.append(Block("item", start + lead, end, number, depth=0))
            continue
        head = heading_of(line, vocab)
        if head is not None:
            close()
            part, lstart, lend = head
            blocks.append(Block("heading", start + lstart, start + lend, number, part=part))
            rest = line[lend:]
            if rest.strip():
                off = start + lend + (len(rest) - len(rest.lstrip()))
                current = [0, off, end, number, 0]
            continue
        bullet = _BULLET.match(line)
        if bullet is None and _MARKER_LINE.match(line):
            close()  # "1." alone on its line: an item whose text starts on the next line
            current = [1, start + (len(line) - len(line.lstrip())), end, number, 0]
            continue
        if bullet:
            close()
            lead_ws = bullet.group("indent") if bullet.group("indent") is not None else bullet.group("cindent")
            indent = len(lead_ws.expandtabs(4))
            current = [1, start + len(lead_ws), end, number, indent // 2]
            continue
        stripped_start = start + (len(line) - len(line.lstrip()))
        if current is None:
            current = [0, stripped_start, end, number, 0]
        else:
            current[2] = end
    close()
    return _lone_headings(_mark_frame(blocks, text, vocab), text, vocab)


def _lone_headings(blocks: list[Block], text: str, vocab: HeadingVocab) -> list[Block]:
    """A short line standing alone between blank lines, with no end punctuation, and followed by the
    letter's text, is a heading even when its words name no part ("The short version", "Where we are
    now"): an unknown heading is a boundary, so the passage under it does not inherit the part before."""
    out = list(blocks)
    for i, b in enumerate(out[:-1]):
        if b.kind != "paragraph" or out[i + 1].kind not in ("paragraph", "item"):
            continue
        line = text[b.start:b.end]
        if "\n" in line.strip() or _TERMINAL.search(line.rstrip()) or line.rstrip().endswith(("!", "?", ")")):
            continue
        found = _words(line)
        if not 2 <= len(found) <= 7 or not found[0][0].isupper() or _PROSE_LEAD.match(line) \
                or (vocab.greeting and vocab.greeting.search(line.strip())):
            continue
        out[i] = Block("heading", b.start, b.end, b.line, part=vocab.classify(line))
    return out


def _mark_frame(blocks: list[Block], text: str, vocab: HeadingVocab) -> list[Block]:
    """Tag greetings, the closing line and the signature after it."""
    out = list(blocks)
    for i, b in enumerate(out[:4]):
        first_line = text[b.start:b.end].split("\n", 1)[0].strip()
        if b.kind == "paragraph" and vocab.greeting and vocab.greeting.search(first_line) and len(_words(first_line)) <= 12:
            if "\n" not in text[b.start:b.end].strip() or all(
                    vocab.greeting.search(ln.strip()) for ln in text[b.start:b.end].split("\n") if ln.strip()):
                out[i] = Block("greeting", b.start, b.end, b.line)
    closing_at = None
    for i in range(len(out) - 1, max(-1, len(out) - 8), -1):
        b = out[i]
        if b.kind not in ("paragraph", "item", "heading"):
            continue
        first_line = text[b.start:b.end].split("\n", 1)[0].strip()
        if vocab.closing and vocab.closing.search(first_line):
            closing_at = i
            # "Sincerely,\nJane Doe" in one block: the lines after the closing word are the signature
            nl = text.find("\n", b.start, b.end)
            if nl != -1:
                out[i] = Block("closing", b.start, nl, b.line)
                out.insert(i + 1, Block("signature", nl + 1, b.end, b.line + 1))
            else:
                out[i] = Block("closing", b.start, b.end, b.line)
            break
    if closing_at is not None:
        for j in range(closing_at + 1, len(out)):
            b = out[j]
            if b.kind != "signature" and _looks_like_signature(text[b.start:b.end]):
                out[j] = Block("signature", b.start, b.end, b.line)
    elif out and out[-1].kind == "paragraph" and _looks_like_signature(text[out[-1].start:out[-1].end]):
        last = out[-1]
        out[-1] = Block("signature", last.start, last.end, last.line)
    return out


def _looks_like_signature(chunk: str) -> bool:
    lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
    if not lines or len(lines) > 8:
        return False
    return all(len(_words(ln)) <= 9 and not re.search(r"[a-z]{2,}[.!?]$", ln) for ln in lines)


_CUT_MARK = re.compile(r"(\.\.\.|\u2026|\[\s*(\.\.\.|\u2026|continued|cut|truncated|excerpt|snip)\w*\s*\]|"
                       r"\(\s*(continued|cont\.?|to be continued|excerpt)\s*\)|[:,;\u2013\u2014-])\W*$", re.I)
_LAST_WORD = re.compile(r"[a-z0-9][\w'\u2019-]*[\"')\]]?$")
_END_PUNCT = (".", "!", "?", "\u3002", "\uff01", "\uff1f", ")", '"', "\u201d", "'")


def cut_off(doc: object) -> bool:
    """The letter (a Document) visibly stops part-way: no closing or signature, and its last text ends
    mid-sentence (no end punctuation after a word), with an ellipsis or a cut mark ("[...]", "(continued)"),
    with a lead-in colon, or with a heading that nothing follows. A short last fragment counts as well when
    it cannot be a sign-off: a list item ("- We li") or the first line under a heading ("2. Actions
    taken" then "Immed"). A letter that ends with a full sentence or is signed is judged as complete."""
    blocks = getattr(doc, "blocks", ())
    text: str = getattr(doc, "text", "")
    body = [b for b in blocks if b.kind not in ("greeting", "quote")]
    if not body:
        return False
    last = body[-1]
    # a lone "signature" straight under a heading, with no closing, is a fragment ("2. Actions taken" then
    # "Immed"): nobody signs a letter under a part's heading
    stub = last.kind == "signature" and len(body) > 1 and body[-2].kind == "heading"
    if any(b.kind == "closing" or b.kind == "signature" and not (stub and b is last) for b in blocks):
        return False
    if last.kind == "heading":
        return True
    tail = text[last.start:last.end].rstrip()
    if _CUT_MARK.search(tail):
        return True
    if tail.endswith(_END_PUNCT) or not _LAST_WORD.search(tail):
        return False
    # a name or a sign-off line is short and stands alone: a short fragment is a cut only where no
    # signature stands, in a list or straight under a heading
    fragment = last.kind == "item" or len(body) > 1 and body[-2].kind == "heading"
    return len(words(tail)) >= 6 or fragment
