"""Checks on the three parts of a letter: missing, thin, out of order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from poalint.context import Context, Hit, check_options, option
from poalint.document import Document, Sentence
from poalint.matching import SpanIndex
from poalint.model import Rule
from poalint.structure import NOT_PROSE, PARTS, words

PART_NAMES = {"root_cause": "root cause", "corrective": "corrective actions", "preventive": "preventive measures"}


def _spans(ctx: Context, concept: str) -> SpanIndex:
    return SpanIndex(ctx.matchers.concept(concept, ctx.document))


def _has(spans: list[tuple[int, int]], lo: int, hi: int) -> bool:
    if isinstance(spans, SpanIndex):
        return spans.overlaps(lo, hi)  # O(log n): asked once per sentence, and a long letter has thousands
    return any(a < hi and b > lo for a, b in spans)


def _body(doc: Document, part: str) -> list[Sentence]:
    return [s for s in doc.sentences if s.part == part and doc.blocks[s.block].kind not in NOT_PROSE]


def _heading(doc: Document, part: str) -> tuple[int, int] | None:
    for b in doc.blocks:
        if b.kind == "heading" and b.part == part:
            return b.start, b.end
    return None


@dataclass(frozen=True)
class MissingPartOptions:
    part: str = option(kind="str", choices=PARTS)
    counting: str | None = option(None, "concept")
    not_counting: str | None = option(None, "concept")


def missing_part(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """No heading and no passage for `options.part`.

    `options.not_counting` names a concept: sentences holding it do not make the part present
    (a corrective part made only of intentions, "we will remove the listing", is still missing).
    `options.counting` names a concept that, when no heading names the part, at least one
    sentence of the part must hold (an action actually taken, not a sentence the cues misplaced).
    """
    opts = check_options(rule, MissingPartOptions)
    part = opts.part
    doc = ctx.document
    if _heading(doc, part) is not None:
        return  # a heading with nothing under it is thin-section's business
    sentences = _body(doc, part)
    need = opts.counting
    doing = _spans(ctx, need) if need else []
    skip = opts.not_counting
    if skip:
        # "we removed the listing and will not sell it again" holds an intention and still counts
        spans = _spans(ctx, skip)
        sentences = [s for s in sentences if not _has(spans, *doc.char_span(s)) or _has(doing, *doc.char_span(s))]
    if need:
        # no heading names this part: the cues found it, so at least one sentence must do what the part is for
        sentences = [s for s in sentences if _has(doing, *doc.char_span(s))]
    if not sentences:
        yield Hit(0, 0, {"part": PART_NAMES.get(part, part)})


@dataclass(frozen=True)
class ThinSectionOptions:
    min_words: int = option(12, "int")
    generic_words: int = option(30, "int")
    concept: str = option("specific", "concept")
    parts: tuple[str, ...] = option(PARTS, "parts")


def thin_section(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """A part that is present but has almost no substance: too few words, or only generic words."""
    doc = ctx.document
    min_words = int(ctx.setting(rule, "min_words", 12))
    generic_words = int(ctx.setting(rule, "generic_words", 30))
    opts = check_options(rule, ThinSectionOptions)
    concrete = _spans(ctx, opts.concept)
    for part in opts.parts:
        sentences = _body(doc, part)
        head = _heading(doc, part)
        if not sentences and head is None:
            continue  # absent: the missing-* rules report it
        count = sum(len(words(doc.sentence_text(s))) for s in sentences)
        specific = any(_has(concrete, *doc.char_span(s)) for s in sentences)
        if count >= min_words and (specific or count >= generic_words):
            continue
        if head is None and len(sentences) > 1:
            continue  # cue-found parts of several sentences are substance enough to trust
        start, end = head if head is not None else doc.char_span(sentences[0])
        if sentences and head is not None:
            end = doc.char_span(sentences[-1])[1]
        yield Hit(start, end, {"part": PART_NAMES[part], "words": count})


def section_order(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The first appearance of each part must follow root cause -> corrective -> preventive."""
    doc = ctx.document
    first: dict[str, int] = {}  # part -> block index
    for i, b in enumerate(doc.blocks):
        part = b.part if b.kind == "heading" else doc.block_parts[i] if doc.block_parts else None
        if doc.has_headings and b.kind != "heading":
            continue  # with headings, the headings alone give the order
        if not doc.has_headings and b.kind in NOT_PROSE:
            continue
        if part in PARTS and part not in first:
            first[part] = i
    seen: list[str] = []
    for part in sorted(first, key=lambda p: first[p]):
        later = [p for p in seen if PARTS.index(p) > PARTS.index(part)]
        if later:
            b = doc.blocks[first[part]]
            nl = doc.text.find("\n", b.start, b.end)
            yield Hit(b.start, nl if nl != -1 else b.end, {"part": PART_NAMES[part], "after": PART_NAMES[later[0]]})
            return
        seen.append(part)
