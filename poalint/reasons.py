"""Decide the suspension reason of a letter: --reason > front matter > configuration > the notice > detected."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from poalint.letter import Letter, LetterError
from poalint.matching import fold, prefilter
from poalint.model import ReasonSource, Resolved, RuleSet
from poalint.notice import Notice, NoticeError, NoticeUnparsable, parse_notice, phrase_regex, read_notice
from poalint.readers import read_letter

_T = TypeVar("_T")

NONE = "none"  # `--reason none`: no reason checks at all
DETECT_MIN = 2  # a reason detected from the letter needs this many phrase hits (one can be a passing remark)


class ReasonError(Exception):
    """A reason, notice or previous appeal cannot be used; the message is one line."""


def vocabulary(ruleset: RuleSet) -> dict[str, list[str]]:
    """{reason id: notice phrases}, the form poalint.notice wants."""
    return {rid: list(pack.notice) for rid, pack in ruleset.reasons.items()}


def unknown_reason(reason: str, ruleset: RuleSet) -> str:
    return f"unknown reason '{reason}'; use one of: {', '.join(sorted(ruleset.reasons))}, or none"


@dataclass(frozen=True)
class UnparsedNotice:
    """A notice that was read but could not be parsed: the letter is linted without the notice's
    cross-checks, and `warning` (what poalint could not find in it) is reported with the letter."""

    path: str
    warning: str


CROSS_CHECKS = "the letter is linted without the notice cross-checks (its reason, ASINs and requested items)"


def unparsed(path: str, exc: NoticeError) -> UnparsedNotice:
    what = str(exc).rstrip(".")
    if path and what.startswith(f"{path}: "):
        what = what[len(path) + 2:]
    return UnparsedNotice(path, f"{f'the notice {path}' if path else 'the notice'}: {what}; {CROSS_CHECKS}")


def load_notice(path: str, ruleset: RuleSet) -> Notice | UnparsedNotice:
    """The notice file parsed; UnparsedNotice when it is readable but not a notice poalint can parse.

    Raises ReasonError (one line; the letter is not linted) when the file is missing, unreadable,
    binary or empty."""
    try:
        return read_notice(path, vocabulary(ruleset))
    except NoticeUnparsable as exc:
        return unparsed(path, exc)
    except NoticeError as exc:
        raise ReasonError(str(exc)) from None


def notice_from_text(text: str, ruleset: RuleSet, path: str = "") -> Notice | UnparsedNotice | None:
    """A pasted notice (editor, web form): None when blank, UnparsedNotice when poalint cannot parse it."""
    if not text.strip():
        return None
    try:
        return parse_notice(text, vocabulary(ruleset), path or "<notice>")
    except NoticeError as exc:
        return unparsed(path, exc)


def load_previous(path: str) -> Letter:
    try:
        return read_letter(path)
    except LetterError as exc:
        raise ReasonError(f"previous appeal {exc}") from None


def _beside(letter: Letter, value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ReasonError(f"{letter.path}: front matter '{key}' must be a file path")
    path = Path(value.strip()).expanduser()
    if not path.is_absolute() and letter.path not in ("-", "<stdin>"):
        path = Path(letter.path).parent / path  # relative to the letter, like a Markdown link
    return str(path)


def _from_front_matter(letter: Letter, key: str, load: Callable[[str], _T]) -> _T:
    """Load the file the front matter's `key` names; a ReasonError names the letter and what to do."""
    path = _beside(letter, letter.front_matter[key], key)  # a bad value already names the letter
    try:
        return load(path)
    except ReasonError as exc:
        what = "notice" if key == "notice" else "previous appeal"
        raise ReasonError(f"{letter.path}: not linted: the {what} its front matter names cannot be used "
                          f"({str(exc).rstrip('. ')}). Fix the path (it is relative to the letter) "
                          f"or remove the '{key}:' line.") from None


_LITERAL = re.compile(r"[a-z0-9]+")


def _literals(phrase: str) -> tuple[str, ...]:
    """Lower-case runs every match of `phrase_regex(phrase)` contains (in the folded, lower-cased text).

    `phrase_regex` lets "ll" match "l" and "'" match a curly quote, so a literal stops at those;
    anything but ASCII letters and digits is left out, so the test is a necessary condition only.
    """
    out: list[str] = []
    for run in _LITERAL.findall(phrase.lower()):
        parts = run.split("ll")
        out += [part + ("l" if i < len(parts) - 1 else "") for i, part in enumerate(parts)]
    return tuple(dict.fromkeys(p for p in out if p))


class _Detector:
    """Every reason's detection phrases, each with the literal words its regex needs; regexes compiled on first need.

    NOTE: about 250 case-insensitive phrase regexes. A phrase whose words the letter lacks is skipped
    without compiling its regex (start-up); the others are tried only where their words stand
    (`matching.Prefilter`), so a letter costs substring scans, not a regex scan per phrase.
    `plain` runs every regex over the whole text: the reference the fast path is tested against.
    """

    def __init__(self, reasons: Any, plain: bool = False) -> None:
        # each phrase's literals longest first: the rarest is tried first, so a phrase is told out soonest
        self.packs = [(rid, [(phrase, tuple(sorted(_literals(phrase), key=lambda s: (-len(s), s))))
                             for phrase in dict.fromkeys((*pack.detect, *pack.notice)) if "@" not in phrase])
                      for rid, pack in reasons.items()]
        self.plain = plain
        self.regexes: dict[str, re.Pattern[str]] = {}

    def hits(self, text: str) -> list[tuple[str, list[tuple[int, str]]]]:
        folded = None if self.plain else fold(text)
        seen: dict[str, bool] = {}  # literal -> whether the folded text holds it (phrases share many)
        out = []
        for rid, phrases in self.packs:
            hits: list[tuple[int, str]] = []
            for phrase, literals in phrases:
                if folded is not None and not self._holds(folded, literals, seen):
                    continue  # its regex cannot match: a word it needs is missing
                rx = self.regexes.get(phrase)
                if rx is None:
                    rx = self.regexes[phrase] = phrase_regex(phrase)
                found = rx.finditer(text) if folded is None else prefilter(rx.pattern, rx.flags).finditer(rx, text, folded)
                hits += [(m.start(), m.group()) for m in found]
            out.append((rid, hits))
        return out

    @staticmethod
    def _holds(folded: str, literals: tuple[str, ...], seen: dict[str, bool]) -> bool:
        """Whether the folded text holds every literal (each looked up once per text)."""
        for lit in literals:
            got = seen.get(lit)
            if got is None:
                got = seen[lit] = lit in folded
            if not got:
                return False
        return True


_DETECTORS: dict[tuple[int, bool], tuple[Any, _Detector]] = {}  # (id(reasons), plain) -> (reasons, its detector)


def detect(text: str, ruleset: RuleSet, plain: bool = False) -> tuple[str, str] | None:
    """The reason whose notice / letter phrases occur most in the text: (id, first phrase seen).

    `plain=True` runs every phrase's regex (the reference the fast path is tested against).
    """
    slot = (id(ruleset.reasons), plain)
    got = _DETECTORS.get(slot)
    if got is None or got[0] is not ruleset.reasons:
        got = _DETECTORS[slot] = (ruleset.reasons, _Detector(ruleset.reasons, plain))
    found = got[1].hits(text)
    best: tuple[int, int, str, str] | None = None
    for rid, hits in found:
        if len(hits) < DETECT_MIN:
            continue
        first = min(hits)
        key = (len(hits), -first[0], rid, re.sub(r"\s+", " ", first[1]).lower())
        if best is None or key[:2] > best[:2]:
            best = key
    return (best[2], best[3]) if best else None


def resolve(letter: Letter, ruleset: RuleSet, reason: str | None = None, notice: Notice | UnparsedNotice | None = None,
            previous: Letter | None = None, config_reason: str | None = None, config_path: str = "") -> Resolved:
    """Settle the reason once: --reason > front matter > configuration > the notice > detected from the letter.

    Also reads a notice / previous appeal the front matter names; raises ReasonError for bad front matter
    (a missing or unreadable notice file). A notice that was read but not parsed is left out, with a warning.
    `config_reason` is the configuration file's default `reason` (`config_path` says which file).
    """
    front = letter.front_matter
    warnings: list[str] = []
    if notice is None and front.get("notice"):
        notice = _from_front_matter(letter, "notice", lambda path: load_notice(path, ruleset))
    if isinstance(notice, UnparsedNotice):
        warnings.append(notice.warning)
        notice = None
    if previous is None and front.get("previous"):
        previous = _from_front_matter(letter, "previous", load_previous)
    if reason == NONE:
        return Resolved(notice=notice, previous=previous, warnings=tuple(warnings))
    chosen: str | None = None
    source: ReasonSource | None = None
    detail = ""
    if reason:
        chosen, source = reason, ReasonSource.CLI
    elif letter.reason:
        if letter.reason == NONE:
            return Resolved(None, ReasonSource.FRONT_MATTER, notice=notice, previous=previous, shown=NONE,
                            warnings=tuple(warnings))
        if letter.reason not in ruleset.reasons:
            raise ReasonError(f"{letter.path}: front matter {unknown_reason(letter.reason, ruleset)}")
        chosen, source = letter.reason, ReasonSource.FRONT_MATTER
    elif config_reason and config_reason in ruleset.reasons:
        chosen, source, detail = config_reason, ReasonSource.CONFIG, config_path
    elif notice is not None and notice.reasons:
        hit = notice.reasons[0]  # ranked by how often the notice names it: requirements lists rank lower
        chosen, source, detail = hit.reason, ReasonSource.NOTICE, hit.phrase
    else:
        found = detect(letter.text, ruleset)
        if found:
            chosen, source, detail = found[0], ReasonSource.DETECTED, found[1]
    pack = ruleset.reasons.get(chosen) if chosen else None
    return Resolved(chosen, source, detail, pack, notice, previous, chosen, tuple(warnings))
