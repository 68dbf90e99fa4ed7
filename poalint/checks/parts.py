"""Checks on the three parts of a letter: missing, thin, out of order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from poalint.context import Context, Hit, check_options, option
from poalint.document import Document, Sentence
from poalint.matching import SpanIndex
from poalint.model import Rule, Severity
from poalint.packs import example_values
from poalint.sections import heading_parts
from poalint.structure import NOT_PROSE, PARTS, cut_off, words

PART_NAMES = {"root_cause": "root cause", "corrective": "corrective actions", "preventive": "preventive measures"}


def _spans(ctx: Context, concept: str) -> SpanIndex:
    return ctx.matchers.concept_index(concept, ctx.document)


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
    unsure_message: str | None = option(None, "str")
    unsure_fix: str | None = option(None, "str")
    cut_message: str | None = option(None, "str")


def missing_part(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The part `options.part` is not there: an error only when sure, a warning when unsure.

    A part is there when some sentence anywhere does its job (`Document.sentence_jobs`, read from the
    clauses: states a cause, reports an action taken, commits to something going forward), however
    vaguely, or holds `options.counting` (an action actually taken), or when passages the cue words gave
    the part, or a heading naming it, hold text of the letter's own (not a template instruction, a
    refusal or a plea). `options.not_counting` names a concept whose sentences do not make the part
    present on their own (a corrective part made only of intentions, "we will remove the listing").

    Sure it is missing: no heading names it, nothing was given the part and no sentence anywhere does its
    job -> the rule's severity. Unsure -> a warning: a heading with nothing doing its job under it, or
    passages the cue words gave the part that do not do its job, or a letter that visibly stops before
    the part would come (an excerpt: `options.cut_message`).
    """
    opts = check_options(rule, MissingPartOptions)
    part = opts.part
    doc = ctx.document
    head = _heading(doc, part)
    jobs = doc.sentence_jobs
    if any(part in j for j in jobs):
        return  # some sentence does the part's job, wherever the finder put it: thin-section and vague-* judge it
    sentences = _body(doc, part)
    if head is not None:
        # under a heading, its own passage counts; passages the cue words gave the part elsewhere must do its job
        under = heading_parts(doc.blocks)  # the part of the heading each block sits under
        sentences = [s for s in sentences if under[s.block] == part]
    need = opts.counting
    doing = _spans(ctx, need) if need else []
    skip = opts.not_counting
    if skip:
        # "we removed the listing and will not sell it again" holds an intention and still counts
        spans = _spans(ctx, skip)
        sentences = [s for s in sentences if not _has(spans, *doc.char_span(s)) or _has(doing, *doc.char_span(s))]
    # (no sentence does the part's job here: the return above)
    counted = [s for s in sentences if (not need and not jobs) or (need and _has(doing, *doc.char_span(s)))]
    # under the part's heading, a sentence holding `counting` ("Relabelled both pallets.") is the part, however
    # the clauses read; without a heading, words alone ("I have checked the orders you listed") with no sentence
    # doing the part's job leave poalint unsure: a warning below
    if counted and head is not None:
        return
    name = PART_NAMES.get(part, part)
    present = [p for p in PARTS if any(p in j for j in jobs) or _heading(doc, p) is not None or _body(doc, p)]
    if head is None and cut_off(doc) and PARTS.index(part) > max((PARTS.index(p) for p in present), default=-1):
        # an excerpt that stops before this part would come: judged on what is there
        end = len(doc.text.rstrip())  # quote the line where the letter stops
        yield Hit(doc.text.rfind("\n", 0, end) + 1, end, {"part": name}, severity=Severity.INFO,
                  message=opts.cut_message or opts.unsure_message, fix=opts.unsure_fix)
        return
    if head is None and not sentences:
        # sure: no heading names it, and nothing does its job (what the cue words gave it, if anything, is
        # only `not_counting`: "we will correct the stock" is no action taken)
        yield Hit(0, 0, {"part": name})
        return
    at = head if head is not None else doc.char_span(sentences[0]) if sentences else (0, 0)
    yield Hit(at[0], at[1], {"part": name}, severity=Severity.WARNING,
              message=opts.unsure_message, fix=opts.unsure_fix)


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
        if head is None and doc.has_headings:
            # in a letter with part headings, a passage the cue words alone gave a part is an opening line
            # ("we have made a plan to prevent this from now on"), not the part
            continue
        if head is None and len(sentences) > 1:
            # cue-found parts of several sentences are substance enough to trust, unless only one sentence
            # anywhere does the part's job and it is one generic line ("We will be more careful in future.")
            doing = [s for i, s in enumerate(doc.sentences) if i < len(doc.sentence_jobs) and part in doc.sentence_jobs[i]
                     and doc.blocks[s.block].kind not in NOT_PROSE]
            if len(doing) != 1:
                continue
            line = doing[0]
            count = len(words(doc.sentence_text(line)))
            if count >= generic_words or _has(concrete, *doc.char_span(line)) or count >= min_words and specific:
                continue
            sentences = doing
        start, end = head if head is not None else doc.char_span(sentences[0])
        if sentences and head is not None:
            end = doc.char_span(sentences[-1])[1]
        # the last part of a letter that stops part-way is cut, not thin: noted, not counted
        cut = cut_off(doc) and not any(p != part and (_heading(doc, p) or (0, 0))[0] > start for p in opts.parts)
        # the fix shows what this part looks like for the letter's own reason (the pack's `examples:`)
        example = example_values(ctx.pack).get(f"example_{part}", "")
        yield Hit(start, end, {"part": PART_NAMES[part], "words": count, "example": example},
                  severity=Severity.INFO if cut else None, part=part)


def section_order(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The first appearance of each part must follow root cause -> corrective -> preventive."""
    doc = ctx.document
    first: dict[str, int] = {}  # part -> block index
    jobs = doc.sentence_jobs
    doing: dict[int, set[str]] = {}  # block index -> the parts its sentences do the job of
    for i, s in enumerate(doc.sentences):
        if i < len(jobs):
            doing.setdefault(s.block, set()).update(jobs[i])
    for i, b in enumerate(doc.blocks):
        part = b.part if b.kind == "heading" else doc.block_parts[i] if doc.block_parts else None
        if doc.has_headings and b.kind != "heading":
            continue  # with headings, the headings alone give the order
        if not doc.has_headings and b.kind in NOT_PROSE:
            continue
        if not doc.has_headings and jobs and part not in doing.get(i, ()):
            continue  # a passage given a part by its cue words alone ("will lead to") sets no order
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
