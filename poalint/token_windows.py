"""Token patterns run on windows around anchor words: exact, and far cheaper than a whole-doc spaCy Matcher."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

Span = tuple[int, int]  # character offsets [start, end)

_ANCHOR_ATTRS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER", "LEMMA": "LEMMA", "NORM": "NORM"}
_AT_LEAST_ONE = re.compile(r"\{0*[1-9]\d*(,\d*)?\}")


def anchors(pattern: Sequence[Mapping[str, Any]], vocab: Any) -> list[frozenset[tuple[str, int]]]:
    """For each token every match of the pattern contains: the (attribute, value hash) pairs it may have.

    Only tokens that must occur (no OP, "+" or {n,...} with n >= 1) with a plain value or an IN
    list count (per token, the smallest such set). Hashes are spaCy's own, so the test is exact:
    a document lacking one of these sets cannot match the pattern.
    """
    out: list[frozenset[tuple[str, int]]] = []
    for token in pattern:
        op = token.get("OP")
        if op is not None and op != "+" and not _AT_LEAST_ONE.fullmatch(str(op)):
            continue
        best = _fewest_words(token, vocab, in_alone=False)
        if best is not None:
            out.append(frozenset((best[0], h) for h in best[1]))
    return out


def _fewest_words(token: Mapping[str, Any], vocab: Any, in_alone: bool) -> tuple[str, frozenset[int]] | None:
    """Of a token spec's word attributes (a plain value or an IN list of ORTH, LOWER, LEMMA or NORM), the one
    allowing the fewest words, as (attribute, value hashes); None when no attribute restricts the word.
    With `in_alone`, an IN list counts only when it is the attribute's whole condition."""
    best: tuple[str, frozenset[int]] | None = None
    for key, value in token.items():
        attr = _ANCHOR_ATTRS.get(key)
        if attr is None:
            continue
        if isinstance(value, str):
            words: list[Any] = [value]
        elif isinstance(value, Mapping) and isinstance(value.get("IN"), list) and not (in_alone and set(value) != {"IN"}):
            words = value["IN"]
        else:
            continue
        if not all(isinstance(w, str) for w in words):
            continue
        found = (attr, frozenset(vocab.strings.add(w) for w in words))
        if best is None or len(found[1]) < len(best[1]):
            best = found
    return best


def max_length(pattern: Sequence[Mapping[str, Any]]) -> int | None:
    """The most tokens a match can span; None when a token may repeat without bound."""
    total = 0
    for token in pattern:
        op = str(token.get("OP", ""))
        if op in ("+", "*"):
            return None
        rng = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)
        if rng is None:
            total += 1
        elif rng.group(2) and not rng.group(3):
            return None  # {n,}
        else:
            total += int(rng.group(3) or rng.group(1) or 0)
    return total


def repeats(pattern: Sequence[Mapping[str, Any]], vocab: Any) -> tuple[int, list[tuple[str, frozenset[int]] | None]]:
    """A pattern's length as (tokens of bounded specs, one entry per spec that may repeat without bound).

    Each unbounded entry is the (attribute, value hashes) every token that spec matches must have, or
    None when the spec does not restrict a word: a match repeats it at most as many times as the
    longest run of such tokens in the document (see `Positions.run`), so its length stays exact.
    """
    bounded = 0
    unbounded: list[tuple[str, frozenset[int]] | None] = []
    for token in pattern:
        op = str(token.get("OP", ""))
        rng = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)
        if op in ("+", "*") or (rng is not None and rng.group(2) and not rng.group(3)):
            best = _fewest_words(token, vocab, in_alone=True)
            unbounded.append(best)
        elif rng is None:
            bounded += 1
        else:
            bounded += int(rng.group(3) or rng.group(1) or 0)
    return bounded, unbounded


class TokenPatterns:
    """One Matchable's token patterns, each with its own spaCy Matcher (built on first need) and anchors.

    A spaCy Matcher costs time per token per pattern, so each pattern is run only on windows of the
    document around its rarest anchor word, as wide as its longest match: every match holds an
    anchor, so it lies inside a window and none is lost (a pattern of unbounded length: whole doc).
    """

    def __init__(self, patterns: Sequence[Sequence[Mapping[str, Any]]], vocab: Any) -> None:
        self.patterns, self.vocab = patterns, vocab
        self.anchors = [anchors(p, vocab) for p in patterns]
        self.longest = [max_length(p) for p in patterns]
        self.repeats = [repeats(p, vocab) if n is None else (n, []) for p, n in zip(patterns, self.longest)]
        self._matchers: list[Any] = [None] * len(patterns)

    def windows(self, i: int, where: Positions, size: int) -> list[tuple[int, int]]:
        """Token ranges to run pattern i on: [] when it cannot match, [(0, size)] for the whole doc."""
        needs, longest = self.anchors[i], self.longest[i]
        if longest is None:  # some spec repeats without bound: as often as its words run in this document
            bounded, unbounded = self.repeats[i]
            if all(u is not None for u in unbounded):
                longest = bounded + sum(where.run(u) for u in unbounded if u is not None)
        if not needs:
            return [(0, size)]
        rarest: list[int] | None = None
        for need in needs:
            hits = [j for a, h in need for j in where[a].get(h, ())]
            if not hits:
                return []  # a word every match needs is missing
            if rarest is None or len(hits) < len(rarest):
                rarest = hits
        if longest is None or rarest is None:
            return [(0, size)]
        out: list[tuple[int, int]] = []
        for j in sorted(rarest):
            lo, hi = max(0, j - longest + 1), min(size, j + longest)
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
        return out

    def matcher(self, i: int) -> Any:
        if self._matchers[i] is None:
            from spacy.matcher import Matcher

            self._matchers[i] = Matcher(self.vocab)
            self._matchers[i].add("t", [list(self.patterns[i])])
        return self._matchers[i]

    def spans(self, doc: Doc, where: Positions) -> list[Span]:
        out = []
        for i in range(len(self.patterns)):
            for lo, hi in self.windows(i, where, len(doc)):
                for _id, start, end in self.matcher(i)(doc[lo:hi]):
                    span = doc[lo + start:lo + end]
                    out.append((span.start_char, span.end_char))
        return out


class Positions(dict):  # type: ignore[type-arg]
    """Where each ORTH, LOWER, LEMMA or NORM value occurs in a document (token indexes), for anchors.

    A table is built on first use of its attribute: most patterns only need LOWER and LEMMA.
    """

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.doc = doc
        self.runs: dict[tuple[str, frozenset[int]], int] = {}

    def run(self, spec: tuple[str, frozenset[int]]) -> int:
        """The longest run of consecutive tokens whose `spec[0]` value is one of `spec[1]`."""
        got = self.runs.get(spec)
        if got is None:
            table = self[spec[0]]
            at = sorted(j for h in spec[1] for j in table.get(h, ()))
            got = run = 0
            for k, j in enumerate(at):
                run = run + 1 if k and at[k - 1] == j - 1 else 1
                got = max(got, run)
            self.runs[spec] = got
        return got

    def __missing__(self, attr: str) -> dict[int, list[int]]:
        from spacy import attrs

        table: dict[int, list[int]] = {}
        if len(self.doc):
            for i, h in enumerate(self.doc.to_array(getattr(attrs, attr)).tolist()):
                if h in table:
                    table[h].append(i)
                else:
                    table[h] = [i]
        self[attr] = table
        return table
