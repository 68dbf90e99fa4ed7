"""Turn a Matchable (phrases, lemmas, token patterns, regexes, concepts) into character spans.

Compiled matchers are built once per process and reused for every letter; phrases of all rules
are matched in one pass per document, and pattern and concept matches are memoized per document.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any

from poalint.model import Matchable
from poalint.token_windows import Automaton, Positions, TokenPatterns, anchors

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from poalint.document import Document

Span = tuple[int, int]  # character offsets [start, end)


# NOTE: set POALINT_PLAIN=1 (or pass plain=True) for the reference path: every token pattern in one
# whole-document spaCy Matcher, no automaton, no anchor windows. tests/test_equivalence.py holds the
# fast path to it.
PLAIN = os.environ.get("POALINT_PLAIN", "") not in ("", "0")


class Compiled:
    """Every registered Matchable's phrases in one PhraseMatcher per attribute; token patterns per Matchable.

    NOTE: one PhraseMatcher costs a hash lookup per token however many phrases it holds, so all
    phrases of all rules are matched in one pass per document. A spaCy Matcher costs time per token
    *per pattern*, so token patterns are matched by `token_windows.Automaton` over the document's
    hash arrays instead: a pattern whose anchor words (see `anchors`) the letter lacks costs a dict
    lookup, the others are started only where a match begins (found with bit sets over the whole
    document at once). A pattern the automaton cannot take keeps a spaCy Matcher on windows around
    its anchors, or on the whole document when it has none.
    """

    def __init__(self, plain: bool = False) -> None:
        from spacy.matcher import PhraseMatcher

        from poalint.nlp import get_nlp

        self.plain = plain
        self.nlp = nlp = get_nlp()
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.index: dict[int, int] = {}  # match key hash -> Matchable number
        self.tokens: dict[int, TokenPatterns] = {}  # Matchable number -> its windowed token patterns
        self.whole: Any = None  # a Matcher for the patterns that need the whole doc (all Matchables)
        self.size = 0  # Matchables added so far; a document matched before a later add is matched again

    def add(self, m: Matchable) -> int:
        n = self.size
        self.size += 1
        key = f"m{n}"
        self.index[self.nlp.vocab.strings.add(key)] = n
        if m.phrases:
            target = self.orth if m.case_sensitive else self.lower
            target.add(key, [self.nlp.make_doc(p if m.case_sensitive else p.lower()) for p in m.phrases])
        if m.lemmas:
            self.lemma.add(key, list(self.nlp.pipe([p.lower() for p in m.lemmas])))
        if m.patterns:
            vocab = self.nlp.vocab
            # NOTE: a pattern the token automaton takes, or one with anchor words, is matched per Matchable
            # (see TokenPatterns); the rest share one whole-document spaCy Matcher
            # (anchors and automaton worked out once here, and handed to TokenPatterns)
            built = [] if self.plain else [(anchors(p, vocab), Automaton.build(p, vocab)) for p in m.patterns]
            fast = [bool(a or auto) for a, auto in built]
            windowed = [(p, b) for p, b, ok in zip(m.patterns, built, fast) if ok]
            whole = [list(p) for p, ok in zip(m.patterns, fast or [False] * len(m.patterns)) if not ok]
            if windowed:
                self.tokens[n] = TokenPatterns([p for p, _b in windowed], vocab, [b for _p, b in windowed])
            if whole:  # no anchor word (or the plain path): matched over the whole doc, all in one pass
                if self.whole is None:
                    from spacy.matcher import Matcher

                    self.whole = Matcher(vocab)
                self.whole.add(key, whole)
        return n

    def run(self, doc: Doc, where: Positions) -> dict[int, list[Span]]:
        out: dict[int, list[Span]] = {}
        starts, ends = where.bounds
        for matcher in (self.lower, self.orth, self.lemma, self.whole):
            if matcher is None or len(matcher) == 0:
                continue
            for match_id, start, end in matcher(doc):
                out.setdefault(self.index[match_id], []).append((starts[start], ends[end - 1]))
        return out


@dataclass
class MatchMemo:
    """What one document's matching found, shared by every rule that asks (see `Matchers.memo`)."""

    phrases: tuple[int, dict[int, list[Span]]] | None = None  # (Matchables registered then, spans by number)
    positions: Positions | None = None  # where each word is, for anchor windows
    patterns: dict[int, list[Span]] = field(default_factory=dict)  # Matchable number -> windowed pattern spans
    found: dict[int, list[Span]] = field(default_factory=dict)  # id(Matchable) -> all its spans
    concepts: dict[str, list[Span]] = field(default_factory=dict)  # concept name -> its spans
    span_index: dict[int, SpanIndex] = field(default_factory=dict)  # id(Matchable) -> its spans, indexed
    owner: object = None  # the Matchers whose numbering `phrases` and `patterns` use


class Matchers:
    """Per-process matchers: phrases of every Matchable run once per document, patterns and regexes per Matchable.

    Concepts cannot refer to each other in a loop (the rule loader refuses that), so a concept's
    spans are final the first time they are found.
    """

    def __init__(self, concepts: Mapping[str, Matchable], preload: Iterable[Matchable] = (), plain: bool | None = None) -> None:
        self.concepts = concepts
        self.plain = PLAIN if plain is None else plain
        self._compiled: Compiled | None = None
        self._number: dict[int, int] = {}  # id(Matchable) -> its number in the combined matchers
        self._keep: list[Matchable] = []  # keeps registered Matchables alive, so their ids stay unique
        self._regexes: dict[int, list[re.Pattern[str]]] = {}
        self._preload = [*concepts.values(), *preload]

    def compiled(self) -> Compiled:
        if self._compiled is None:
            self._compiled = Compiled(self.plain)
            for m in self._preload:
                self._register(m)
        return self._compiled

    def memo(self, document: Document) -> MatchMemo:
        # NOTE: a check may pass a stand-in with doc, text and memo only (a list item matched on its own)
        memo = document.memo
        got = memo.matches
        if got is None or got.owner is not self:
            got = memo.matches = MatchMemo(owner=self)
        return got

    def _register(self, m: Matchable) -> int:
        key = id(m)
        n = self._number.get(key)
        if n is None:
            if not (m.phrases or m.lemmas or m.patterns):
                return -1
            n = self._number[key] = self.compiled().add(m)
            self._keep.append(m)
        return n

    def _spacy_spans(self, m: Matchable, document: Document) -> list[Span]:
        compiled = self.compiled()
        n = self._register(m)
        if n < 0:
            return []
        memo = self.memo(document)
        if memo.positions is None:
            memo.positions = Positions(document.doc)
        got = memo.phrases
        if got is None or got[0] <= n:
            got = memo.phrases = (compiled.size, compiled.run(document.doc, memo.positions))
        spans = got[1].get(n, [])
        tokens = compiled.tokens.get(n)
        if tokens is None:
            return spans
        if n not in memo.patterns:
            memo.patterns[n] = tokens.spans(document.doc, memo.positions)
        return spans + memo.patterns[n]

    def _regex_spans(self, m: Matchable, text: str) -> list[Span]:
        rxs = self._regexes.get(id(m))
        if rxs is None:
            flags = 0 if m.case_sensitive else re.I
            rxs = self._regexes[id(m)] = [re.compile(r, flags | re.M) for r in m.regex]
            self._keep.append(m)
        return [(mt.start(), mt.end()) for rx in rxs for mt in rx.finditer(text) if mt.end() > mt.start()]

    def find(self, m: Matchable, document: Document) -> list[Span]:
        """All spans, sorted, longest first at equal start, duplicates removed (memoized per document:
        `unless` / `when` conditions ask for the same Matchable at every hit)."""
        memo = self.memo(document).found
        got = memo.get(id(m))
        if got is None:
            spans: list[Span] = []
            if m.phrases or m.lemmas or m.patterns:
                spans.extend(self._spacy_spans(m, document))
            if m.regex:
                spans.extend(self._regex_spans(m, document.text))
            for name in m.concepts:
                spans.extend(self.concept(name, document))
            got = memo[id(m)] = sorted(set(spans), key=lambda s: (s[0], -s[1]))
        return list(got)

    def concept(self, name: str, document: Document) -> list[Span]:
        memo = self.memo(document).concepts
        got = memo.get(name)
        if got is None:
            got = memo[name] = self.find(self.concepts[name], document)
        return got

    def index(self, m: Matchable, document: Document) -> SpanIndex:
        memo = self.memo(document).span_index
        index = memo.get(id(m))
        if index is None:
            index = memo[id(m)] = SpanIndex(self.find(m, document))
        return index

    def concept_index(self, name: str, document: Document) -> SpanIndex:
        """A concept's spans as a SpanIndex, built once per document and shared by every check that asks."""
        return self.index(self.concepts[name], document)

    def any_in(self, m: Matchable, document: Document, start: int, end: int) -> bool:
        return self.index(m, document).overlaps(start, end)

    def within(self, m: Matchable, document: Document, start: int, end: int) -> Iterator[Span]:
        """The spans of `m` inside [start, end). NOTE: only spans starting there are looked at, so a
        paragraph-by-paragraph check stays linear in the letter, not quadratic."""
        index = self.index(m, document)
        for i in range(bisect.bisect_left(index.starts, start), bisect.bisect_left(index.starts, end)):
            if index[i][1] <= end:
                yield index[i]


class SpanIndex(list):  # type: ignore[type-arg]
    """Spans sorted by start, answering "does any overlap [lo, hi)?" in O(log n).

    NOTE: conditions are asked at every hit, and a long letter has thousands of hits and
    thousands of spans: a linear scan per question made a 1 MB letter take minutes.
    """

    def __init__(self, spans: Iterable[Span]) -> None:
        super().__init__(sorted(spans))
        self.starts = [s for s, _e in self]
        self.reach: list[int] = []  # reach[i]: the furthest end among spans 0..i
        far = -1
        for _s, e in self:
            far = max(far, e)
            self.reach.append(far)

    def overlaps(self, lo: int, hi: int) -> bool:
        i = bisect.bisect_left(self.starts, hi)  # spans[:i] start before hi
        return i > 0 and self.reach[i - 1] > lo


def reachable(obj: Any, seen: set[int] | None = None) -> Iterator[Matchable]:
    """Every Matchable inside a rule (its match, conditions, `any:` entries ...), found generically
    so that new rule fields need no change here."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, Matchable):
        yield obj
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            yield from reachable(getattr(obj, f.name), seen)
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            yield from reachable(item, seen)
    elif isinstance(obj, Mapping):
        for item in obj.values():
            yield from reachable(item, seen)


def longest(spans: list[Span]) -> list[Span]:
    """Drop spans that overlap an earlier, longer one."""
    out: list[Span] = []
    for s, e in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def quoted_ranges(text: str) -> list[Span]:
    """Text in quotation marks (letters quote the notice or a buyer); kinds skip it unless told not to."""
    out: list[Span] = []
    for mt in re.finditer(r'"[^"\n]{1,400}"|\u201c[^\u201d\n]{1,400}\u201d', text):
        out.append((mt.start(), mt.end()))
    return out


def inside(spans: list[Span], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


