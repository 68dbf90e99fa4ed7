"""Turn a Matchable (phrases, lemmas, token patterns, regexes, concepts) into character spans.

Compiled matchers are built once per process per Matchable and reused for every letter;
concept matches are memoized per document, since many rules ask for the same concepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from poalint.ruleset import Matchable

if TYPE_CHECKING:
    from poalint.document import Document

Span = tuple[int, int]  # character offsets [start, end)


class Compiled:
    """spaCy PhraseMatcher (LOWER and LEMMA) + Matcher + Python regexes for one Matchable."""

    def __init__(self, m: Matchable) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        from poalint.nlp import get_nlp

        nlp = get_nlp()
        self.source = m
        self.lower: PhraseMatcher | None = None
        self.lemma: PhraseMatcher | None = None
        self.tokens: Matcher | None = None
        if m.phrases:
            self.lower = PhraseMatcher(nlp.vocab, attr="ORTH" if m.case_sensitive else "LOWER")
            self.lower.add("p", [nlp.make_doc(p if m.case_sensitive else p.lower()) for p in m.phrases])
        if m.lemmas:
            self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
            self.lemma.add("l", list(nlp.pipe([p.lower() for p in m.lemmas])))
        if m.patterns:
            self.tokens = Matcher(nlp.vocab)
            self.tokens.add("t", [list(p) for p in m.patterns])
        flags = 0 if m.case_sensitive else re.I
        self.regexes = [re.compile(r, flags | re.M) for r in m.regex]

    def spans(self, document: Document) -> list[Span]:
        doc = document.doc
        out: list[Span] = []
        for matcher in (self.lower, self.lemma, self.tokens):
            if matcher is None:
                continue
            for _id, start, end in matcher(doc):
                span = doc[start:end]
                out.append((span.start_char, span.end_char))
        text = document.text
        for rx in self.regexes:
            for mt in rx.finditer(text):
                if mt.end() > mt.start():
                    out.append((mt.start(), mt.end()))
        return out


class Matchers:
    """Per-process cache of compiled matchers, keyed by the Matchable itself (frozen, hashable by id)."""

    def __init__(self, concepts: Mapping[str, Matchable]) -> None:
        self.concepts = concepts
        self._compiled: dict[int, Compiled] = {}

    def compiled(self, m: Matchable) -> Compiled:
        key = id(m)
        c = self._compiled.get(key)
        if c is None:
            c = self._compiled[key] = Compiled(m)
        return c

    def find(self, m: Matchable, document: Document) -> list[Span]:
        """All spans, sorted, longest first at equal start, duplicates removed."""
        spans: list[Span] = []
        if m.phrases or m.lemmas or m.patterns or m.regex:
            spans.extend(self.compiled(m).spans(document))
        for name in m.concepts:
            spans.extend(self.concept(name, document))
        return sorted(set(spans), key=lambda s: (s[0], -s[1]))

    def concept(self, name: str, document: Document) -> list[Span]:
        memo: dict[str, list[Span]] = document.cache.setdefault("concepts", {})  # type: ignore[assignment]
        if name not in memo:
            memo[name] = []  # guards against a concept that names itself
            memo[name] = self.find(self.concepts[name], document)
        return memo[name]

    def any_in(self, m: Matchable, document: Document, start: int, end: int) -> bool:
        return any(s < end and e > start for s, e in self.find(m, document))


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


