"""The check API: what a kind or a custom check reads for one letter (Context) and returns (Hit).

Kinds (poalint.kinds) and custom checks (poalint.checks) import this module and nothing above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import MISSING, dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from poalint.model import Condition, ReasonSource, Rule, RuleSet, Severity
from poalint.structure import FRAME

# a list marker opening a sentence ("1. ", "b) ", "(2) ", "- "): layout, never content, so "1." is no
# number that makes a measure specific and no date
_MARKER = re.compile(r"[ \t]*(?:(?:\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)]|[-*+\u2022\u25cf\u25e6\u2013\u2014])[ \t]+"
                     r"|(?:\uff08?\d{1,2}[\u3001\uff09]|\u30fb)[ \t]*)")

if TYPE_CHECKING:
    from poalint.document import Document, Sentence
    from poalint.matching import Matchers
    from poalint.packs import ReasonPack


@dataclass(frozen=True)
class Hit:
    """A place in the letter (character offsets) and values for the rule's message."""

    start: int
    end: int
    values: Mapping[str, Any] = field(default_factory=dict)
    # a check that is not sure lowers the rule's severity for this hit (never raises it), and may
    # say so in its own words: `message` / `fix` templates in place of the rule's
    severity: Severity | None = None
    message: str | None = None
    fix: str | None = None
    part: str | None = None  # the part of the letter the hit is about (thin-section), for the letter-level judgement


@dataclass
class Context:
    """All a check may read for one letter."""

    document: Document
    ruleset: RuleSet
    matchers: Matchers
    settings: Mapping[str, Any] = field(default_factory=dict)  # thresholds from config / options
    reason: str | None = None
    pack: ReasonPack | None = None
    notice: Any = None
    previous: Any = None  # a previous appeal (Letter) for recycled-text
    reason_source: ReasonSource | None = None  # where the reason came from (flag, front matter, config, ...)
    _scopes: dict[tuple[str, ...], list[Sentence]] = field(default_factory=dict, init=False, repr=False)
    # (matchable's id, part) -> found in that part: the same answer for every hit in the part, asked once
    _in_part: dict[tuple[int, str], bool] = field(default_factory=dict, init=False, repr=False)
    # what a check derives once per letter and asks of on every hit, under a key of its own (a tuple
    # opening with the check's name): a long letter must not redo it per hit
    memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, init=False, repr=False)

    # ---- scopes ---------------------------------------------------------------

    def sentences(self, scope: tuple[str, ...]) -> list[Sentence]:
        key = tuple(scope)
        got = self._scopes.get(key)
        if got is None:  # memoized per letter: many rules share a scope, and the Document's parts are fixed
            got = self._scopes[key] = self._sentences(key)
        return list(got)

    def _sentences(self, scope: tuple[str, ...]) -> list[Sentence]:
        # "fixes" / "actions": the corrective part (the corrective and preventive parts), or the whole
        # body when the letter has none, so fixes written as plans are judged wherever they stand
        fallback = {"fixes": ("corrective",), "actions": ("measures",)}
        if any(sc in fallback for sc in scope):
            out = self._sentences(tuple(p for sc in scope for p in fallback.get(sc, (sc,))))
            return out or self._sentences(("body",))
        doc = self.document
        out = []
        for s in doc.sentences:
            kind = doc.blocks[s.block].kind
            for sc in scope:
                if (sc == "letter"
                        or (sc == "body" and kind not in FRAME and kind != "heading")
                        or (sc == "headings" and kind == "heading")
                        or (sc == "measures" and s.part in ("corrective", "preventive"))
                        or (sc == "parts" and s.part in ("root_cause", "corrective", "preventive"))
                        or (sc == s.part and kind != "heading")):
                    out.append(s)
                    break
        return out

    def sentence_at(self, offset: int) -> Sentence | None:
        return self.document.sentence_at(offset)

    def holds(self, cond: Condition, start: int, end: int) -> bool:
        """Is the condition's Matchable found at its place relative to the hit [start, end)?"""
        doc = self.document
        where = cond.where
        if where == "letter":
            lo, hi = 0, len(doc.text)
        else:
            s = self.sentence_at(start)
            if s is None:
                return False
            lo, hi = _content(doc.text, *doc.char_span(s))
            if where == "block":
                b = doc.blocks[s.block]
                lo, hi = b.start, b.end
            elif where == "part":
                key = (id(cond.what), s.part)
                got = self._in_part.get(key)
                if got is None:
                    spans = [_content(doc.text, *doc.char_span(x)) for x in doc.sentences if x.part == s.part]
                    got = self._in_part[key] = any(self.matchers.any_in(cond.what, doc, a, b) for a, b in spans)
                return got
            elif where == "before":
                hi = start
            elif where == "after":
                lo = end
        return self.matchers.any_in(cond.what, doc, lo, hi)

    def allowed(self, rule: Rule, start: int, end: int) -> bool:
        return self.passes(rule.unless, rule.when, start, end)

    def passes(self, unless: Sequence[Condition], when: Sequence[Condition], start: int, end: int) -> bool:
        """No `unless` condition holds and every `when` condition holds around [start, end)."""
        if any(self.holds(c, start, end) for c in unless):
            return False
        return all(self.holds(c, start, end) for c in when)

    def setting(self, rule: Rule, key: str, default: Any = None) -> Any:
        """A threshold: config (`<rule-id>.<key>` or `<rule-id>` for its main number) beats the rule's options."""
        own = getattr(rule.options, key, None)
        value = self.settings.get(f"{rule.id}.{key}")
        if value is None and key in ("max", "min") and own is not None:
            value = self.settings.get(rule.id)  # the bare id sets the number the rule file defines
        if value is None:
            value = own if own is not None else default
        return value


def _content(text: str, lo: int, hi: int) -> tuple[int, int]:
    """A sentence's span without the list marker that opens it."""
    m = _MARKER.match(text, lo, hi)
    return (m.end(), hi) if m and m.end() > lo else (lo, hi)


CheckFn = Callable[["Rule", Context], Iterator[Hit]]
T = TypeVar("T")


# ---- kinds and custom checks: each declares its options beside its function (yamllint's CONF) -------

OptionKind = str  # "int", "number", "bool", "str", "concept", "lexicon", "parts", "words", "wordlist", "regexes", "any"


def option(default: Any = MISSING, kind: OptionKind = "any", choices: tuple[str, ...] = ()) -> Any:
    """A field of a kind's or check's Options dataclass. `concept` / `lexicon` values must name a concept / word
    list of the rule set (checked when the rules load, defaults included); `wordlist` is a list of words where
    "$name" puts a word list in place; no default means required. An Options class may define
    `invalid(self) -> str | None` for a problem between its fields."""
    meta = {"kind": kind, "choices": choices}
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple or None as the default of a container option")
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class NoOptions:
    """A check that takes no options."""


@dataclass(frozen=True)
class CustomCheck:
    """One row of the custom-check table: the function and the frozen dataclass of its options."""

    run: CheckFn
    options: type = NoOptions


@dataclass(frozen=True)
class Kind:
    """One row of the kind table: the function, the frozen dataclass of the kind's own rule keys
    (None for `custom`, whose options are its check's), and the other rule keys it reads."""

    run: CheckFn
    options: type | None
    reads: frozenset[str]


def check_options(rule: Rule, cls: type[T]) -> T:
    """The rule's validated options as its kind's (or custom check's) Options value, built when the rules loaded."""
    got = rule.options
    if not isinstance(got, cls):
        raise TypeError(f"rule {rule.id}: options are {type(got).__name__}, not {cls.__name__}")
    return got
