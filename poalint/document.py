"""A letter analysed once: spaCy tokens, blocks, sentences, sections and a line index."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from poalint.letter import Letter
from poalint.structure import Block, HeadingVocab, parse_blocks

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from poalint.clauses import Clause
    from poalint.matching import MatchMemo

_ENDERS = {".", "!", "?", "...", "\u2026", "?!", "!?", "!!", "!!!", "??", "\u3002", "\uff01", "\uff1f", "\uff0e"}
_ABBREV_ENDS = {"a.m.", "p.m.", "etc."}  # abbreviations that often end a sentence
_MARKER = re.compile(r"[(\uff08]?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)\u3001\uff09]")  # a list number: "1.", "(2)", "b)", "iv."
_CLOSERS = {'"', "'", ")", "]", "\u201d", "\u2019", "*", "**"}


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a token range of the Doc, with the block it sits in and the part the section finder gave it."""

    start: int  # token index
    end: int  # token index, exclusive
    block: int  # index into Document.blocks
    part: str = "other"  # root_cause / corrective / preventive / other

    def span(self, doc: Doc) -> Span:
        return doc[self.start:self.end]


@dataclass
class Memo:
    """What modules above this one compute once per document and share (every rule, the section finder).

    The one mutable part of a Document: each slot is filled on first need and never changes after,
    and it is shared by a Document and the same Document with its parts (`with_parts`).
    """

    clauses: tuple[tuple[Clause, ...], ...] | None = None  # per sentence (poalint.clauses.document_clauses)
    matches: MatchMemo | None = None  # what poalint.matching found, shared by every rule
    # sentence token range -> character span, and each sentence's first character (the parts do not change them)
    char_spans: dict[tuple[int, int], tuple[int, int]] | None = None
    sentence_starts: list[int] | None = None


@dataclass(frozen=True)
class Document:
    """A letter analysed once: a value. The section finder's parts are given by `with_parts`, which
    returns a new Document, never by writing into this one."""

    letter: Letter
    doc: Doc
    blocks: list[Block]
    sentences: list[Sentence]
    line_starts: list[int]
    block_parts: tuple[str, ...] = ()  # part of each block, from the section finder
    has_headings: bool = False
    sentence_jobs: tuple[frozenset[str], ...] = ()  # per sentence: parts whose job it does
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)

    def with_parts(self, sentence_parts: Sequence[str], block_parts: Sequence[str], has_headings: bool,
                   jobs: Sequence[frozenset[str]]) -> Document:
        """This Document with the section finder's parts: each sentence's, each block's, the jobs sentences do."""
        sentences = [replace(s, part=p) for s, p in zip(self.sentences, sentence_parts)]
        return replace(self, sentences=sentences, block_parts=tuple(block_parts), has_headings=has_headings,
                       sentence_jobs=tuple(jobs))

    @property
    def text(self) -> str:
        return self.letter.text

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def sentence_text(self, s: Sentence) -> str:
        return self.doc[s.start:s.end].text

    # NOTE: kinds ask for the same sentence spans many times per letter: computed once, on first need, in
    # the Memo this Document shares with its `with_parts` copy (the sentences' token ranges are the same)
    @property
    def _char_spans(self) -> dict[tuple[int, int], tuple[int, int]]:
        got = self.memo.char_spans
        if got is None:
            got = self.memo.char_spans = {(s.start, s.end): (span.start_char, span.end_char)
                                          for s in self.sentences for span in (self.doc[s.start:s.end],)}
        return got

    @property
    def _sentence_starts(self) -> list[int]:
        got = self.memo.sentence_starts
        if got is None:
            got = self.memo.sentence_starts = [self.char_span(s)[0] for s in self.sentences]
        return got

    def char_span(self, s: Sentence) -> tuple[int, int]:
        got = self._char_spans.get((s.start, s.end))
        if got is None:  # a token range that is not one of this Document's sentences
            span = self.doc[s.start:s.end]
            got = (span.start_char, span.end_char)
        return got

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence whose characters include `offset` (a bisect: sentences are in order, disjoint)."""
        i = self.sentence_index(offset)
        return self.sentences[i] if i >= 0 else None

    def sentence_index(self, offset: int) -> int:
        """The index in `sentences` of the sentence whose characters include `offset`, or -1."""
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i < 0 or offset >= self.char_span(self.sentences[i])[1]:
            return -1
        return i

    def block_text(self, i: int) -> str:
        b = self.blocks[i]
        return self.text[b.start:b.end]


def line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def split_sentences(doc: Doc, blocks: list[Block]) -> list[Sentence]:
    """Sentences never cross a block; inside a block they end at . ! ? (and at line ends in list items)."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, ORTH

    # NOTE: one to_array call instead of Token objects: indexing a Doc builds a Token each time,
    # which made this loop the costliest part of building a Document.
    rows = doc.to_array([IDX, IS_SPACE, IS_PUNCT, ORTH]).tolist() if len(doc) else []
    strings = doc.vocab.strings
    idx = [r[0] for r in rows]
    space = [bool(r[1]) for r in rows]
    punct = [bool(r[2]) for r in rows]
    text = [strings[r[3]] for r in rows]
    sentences: list[Sentence] = []
    starts = [b.start for b in blocks]
    current_start: int | None = None
    current_block = -1
    for i in range(len(rows)):
        b = bisect.bisect_right(starts, idx[i]) - 1
        if space[i] or not (b >= 0 and idx[i] < blocks[b].end):
            continue
        new = current_start is None or b != current_block
        if not new and i > 0:
            j = i - 1
            while j > current_start and (space[j] or text[j] in _CLOSERS):  # type: ignore[operator]
                j -= 1
            prev = text[j]
            ended = prev in _ENDERS or (len(prev) > 1 and prev[-1] in ".!?" and prev[-2] in ".!?")
            if ended and j - current_start <= 3 and _MARKER.fullmatch(  # type: ignore[operator]
                    "".join(text[current_start:j + 1])):
                pass  # "1.\nWe will ...": a list number is not a sentence of its own
            elif ended and text[i] not in _CLOSERS and not punct[i] or "\n" in text[i - 1] and blocks[b].kind in ("signature", "heading", "greeting"):
                new = True
            elif "\n" in text[i - 1] and (text[i] == "[" or prev == ":"):
                new = True  # one item per line: "[Attachment 1: ...]" lines, or lines after a colon
            elif prev.lower() in _ABBREV_ENDS and text[i][:1].isupper():
                new = True  # "until 3:00 p.m. Orders placed ...": spaCy keeps the period inside "p.m."
            elif (text[i][:1].isupper() and len(prev) > 2 and prev[-1] == "." and "." not in prev[:-1]
                  and any(c.isdigit() for c in prev)):
                new = True  # "ASINs B0CQ7ZD2M4 and B09PL4KX7R. It sets ...": spaCy keeps the period on a code
        if new:
            if current_start is not None:
                sentences.append(Sentence(current_start, _trim_end(space, current_start, i), current_block))
            current_start, current_block = i, b
    if current_start is not None:
        sentences.append(Sentence(current_start, _trim_end(space, current_start, len(rows)), current_block))
    return [s for s in sentences if s.end > s.start]


def _trim_end(space: list[bool], start: int, end: int) -> int:
    while end > start and space[end - 1]:
        end -= 1
    return end


def build(letter: Letter, doc: Doc, vocab: HeadingVocab) -> Document:
    blocks = parse_blocks(letter.text, vocab)
    sentences = split_sentences(doc, blocks)
    return Document(letter, doc, blocks, sentences, line_starts(letter.text))
