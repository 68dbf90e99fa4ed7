"""The section finder: assigns every block and sentence to root_cause, corrective, preventive or other.

Headings decide when there are any; passages with no heading above them are decided by
lemma cues from rules/sections.yaml ("the reason", "we have already", "going forward" ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from poalint.document import Document
from poalint.structure import PARTS

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher

FRAME = ("greeting", "closing", "signature")
STRONG_CUE = 2.0  # a sentence with this much cue weight keeps its own part inside a paragraph
BLOCK_CUE = 1.0  # a block needs this much to be given a part by content alone


class CueMatcher:
    """Lemma cue phrases: a spaCy PhraseMatcher on LEMMA, plus a small scan for cues with "*" (built on first use).

    NOTE: a spaCy Matcher costs about as much per token as tokenizing; the PhraseMatcher is a hash
    lookup per token, and the few "*" cues are checked only where their first fixed word occurs.
    """

    def __init__(self, cues: dict[str, Sequence[tuple[str, float]]]) -> None:
        self.cues = cues
        self._phrases: PhraseMatcher | None = None
        self._weights: dict[str, tuple[str, float]] = {}
        self._wild: list[tuple[str, list[int | None]]] = []  # key, lemma hash per word (None for "*")

    def matcher(self) -> PhraseMatcher:
        if self._phrases is None:
            from spacy.matcher import PhraseMatcher
            from spacy.tokens import Doc

            from poalint.nlp import get_nlp

            vocab = get_nlp().vocab
            phrases = PhraseMatcher(vocab, attr="LEMMA")
            for part, entries in self.cues.items():
                for n, (cue, weight) in enumerate(entries):
                    key = f"{part}:{n}"
                    words = [w.lower() for w in cue.split()]
                    if "*" in words:
                        self._wild.append((key, [None if w == "*" else vocab.strings.add(w) for w in words]))
                    else:
                        phrases.add(key, [Doc(vocab, words=words, lemmas=words)])
                    self._weights[key] = (part, weight)
            self._phrases = phrases
        return self._phrases

    def _wild_matches(self, document: Document) -> list[tuple[str, int]]:
        """(key, start token) of every "*" cue: each word matches the lemma, "*" any one token."""
        if not self._wild or not len(document.doc):
            return []
        from spacy.attrs import LEMMA

        lemmas = document.doc.to_array([LEMMA]).tolist()
        where: dict[int, list[int]] = {}
        for i, h in enumerate(lemmas):
            where.setdefault(h, []).append(i)
        out = []
        for key, words in self._wild:
            anchor = next((k for k, h in enumerate(words) if h is not None), None)
            starts = range(len(lemmas)) if anchor is None else [p - anchor for p in where.get(words[anchor], [])]
            for i in starts:
                if 0 <= i and i + len(words) <= len(lemmas) and all(
                        h is None or lemmas[i + k] == h for k, h in enumerate(words)):
                    out.append((key, i))
        return out

    def scores(self, document: Document) -> list[dict[str, float]]:
        """Cue weight per part for every sentence of the document."""
        matcher = self.matcher()
        doc = document.doc
        out: list[dict[str, float]] = [dict.fromkeys(PARTS, 0.0) for _ in document.sentences]
        starts = [s.start for s in document.sentences]
        import bisect

        strings = doc.vocab.strings
        found = [(strings[match_id], start) for match_id, start, _end in matcher(doc)]
        for key, start in [*found, *self._wild_matches(document)]:
            i = bisect.bisect_right(starts, start) - 1
            if i < 0 or start >= document.sentences[i].end:
                continue
            part, weight = self._weights[key]
            out[i][part] += weight
        return out


def assign(document: Document, cues: CueMatcher) -> None:
    """Set `part` on every sentence and fill `document.block_parts`."""
    blocks = document.blocks
    parts: list[str | None] = []
    heading_part: str | None = None
    seen_heading = False
    for b in blocks:
        if b.kind == "heading":
            seen_heading = True
            heading_part = b.part  # None: a heading we cannot name, content decides below it
            parts.append(b.part or "other")
        elif b.kind in FRAME:
            parts.append("other")
        else:
            parts.append(heading_part)  # None = decide by content
    document.has_headings = any(b.kind == "heading" and b.part in PARTS for b in blocks)
    del seen_heading

    scores = cues.scores(document)
    by_block: dict[int, list[int]] = {}
    for i, s in enumerate(document.sentences):
        by_block.setdefault(s.block, []).append(i)

    previous: str | None = None
    for bi, b in enumerate(blocks):
        if parts[bi] is not None or b.kind == "heading":
            if b.kind not in FRAME and b.kind != "heading":
                previous = parts[bi]
            continue
        totals = dict.fromkeys(PARTS, 0.0)
        for si in by_block.get(bi, []):
            for part, w in scores[si].items():
                totals[part] += w
        best = max(PARTS, key=lambda p: totals[p])
        if totals[best] >= BLOCK_CUE:
            parts[bi] = best
        elif previous in PARTS and b.kind == "item":
            parts[bi] = previous  # a list continues the part it belongs to
        else:
            parts[bi] = "other"
        previous = parts[bi]

    document.block_parts = [p or "other" for p in parts]
    for i, s in enumerate(document.sentences):
        part = document.block_parts[s.block]
        b = blocks[s.block]
        if b.kind == "heading":
            s.part = "heading"
            continue
        own = scores[i]
        best = max(PARTS, key=lambda p: own[p])
        under_heading = _under_heading(blocks, s.block)
        if not under_heading and part in PARTS and own[best] >= STRONG_CUE and own[best] > own[part] + 1.0:
            s.part = best
        else:
            s.part = part


def _under_heading(blocks: Sequence[object], index: int) -> bool:
    for j in range(index - 1, -1, -1):
        b = blocks[j]
        if getattr(b, "kind", None) == "heading":
            return getattr(b, "part", None) is not None
    return False
