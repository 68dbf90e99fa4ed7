"""Checks on the three parts of a letter: missing, thin, out of order, undated measures, agentless passives."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from poalint.context import Context, Hit, check_options, option
from poalint.document import Document, Sentence
from poalint.matching import SpanIndex
from poalint.model import Rule, Severity
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
    unsure_message: str | None = option(None, "str")
    unsure_fix: str | None = option(None, "str")


def missing_part(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The part `options.part` is not there: an error only when sure, a warning when unsure.

    A part is there when some sentence of it does its job (`Document.sentence_jobs`, read from the
    clauses: states a cause, reports an action taken, commits to something going forward), or holds
    `options.counting` (an action actually taken). `options.not_counting` names a concept whose
    sentences do not make the part present on their own (a corrective part made only of intentions,
    "we will remove the listing"). Sure it is missing: no heading names it and no sentence anywhere
    does its job -> the rule's severity. Unsure: a heading with nothing doing its job under it, or
    passages the cue words gave the part that do not do its job -> a warning with `unsure_message`.
    """
    opts = check_options(rule, MissingPartOptions)
    part = opts.part
    doc = ctx.document
    head = _heading(doc, part)
    jobs = doc.sentence_jobs
    index = {id(s): i for i, s in enumerate(doc.sentences)}

    def does(s: Sentence) -> bool:
        i = index.get(id(s))
        return i is not None and i < len(jobs) and part in jobs[i]

    sentences = _body(doc, part)
    need = opts.counting
    doing = _spans(ctx, need) if need else []
    skip = opts.not_counting
    if skip:
        # "we removed the listing and will not sell it again" holds an intention and still counts
        spans = _spans(ctx, skip)
        sentences = [s for s in sentences if does(s) or not _has(spans, *doc.char_span(s)) or _has(doing, *doc.char_span(s))]
    counted = [s for s in sentences if does(s) or (not need and not jobs) or (need and _has(doing, *doc.char_span(s)))]
    if not need:
        counted = counted or sentences  # a heading or the cues found it and nothing asks for more
    if counted:
        return
    anywhere = any(part in j for j in jobs)
    if head is None and not sentences and not anywhere:
        yield Hit(0, 0, {"part": PART_NAMES.get(part, part)})  # sure: nothing names it, nothing does it
        return
    at = head if head is not None else doc.char_span(sentences[0]) if sentences else (0, 0)
    yield Hit(at[0], at[1], {"part": PART_NAMES.get(part, part)}, severity=Severity.WARNING,
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


@dataclass(frozen=True)
class UndatedMeasureOptions:
    min_dated: int = option(2, "int")
    concept: str = option("time_expression", "concept")


def undated_measure(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """A measure (list item, or measure sentence) with no time expression while others have one."""
    doc = ctx.document
    times = _spans(ctx, check_options(rule, UndatedMeasureOptions).concept)
    measures = _measures(ctx, doc)
    dated = [m for m in measures if _has(times, *m)]
    undated = [m for m in measures if not _has(times, *m)]
    least = int(ctx.setting(rule, "min_dated", 2))
    if len(dated) < least or len(undated) > len(dated):
        return  # mostly undated: that is missing-timeline's territory, not one forgotten date
    for lo, hi in undated:
        yield Hit(lo, hi, {"sentence": doc.text[lo:hi]})


def _measures(ctx: Context, doc: Document) -> list[tuple[int, int]]:
    """List items of the measure parts when there are any, else their sentences with an actor."""
    sentences = [s for s in doc.sentences if s.part in ("corrective", "preventive")
                 and doc.blocks[s.block].kind not in NOT_PROSE]
    items: dict[int, tuple[int, int]] = {}
    for s in sentences:
        b = doc.blocks[s.block]
        if b.kind == "item":
            items.setdefault(s.block, (b.start, b.end))
    if len(items) >= 2:
        return [items[k] for k in sorted(items)]
    actor = _spans(ctx, "measure_actor")
    signpost = _spans(ctx, "signpost")
    # with part headings, a paragraph above all of them is the introduction: it sums up, it is no measure
    first = min((i for i, b in enumerate(doc.blocks) if b.kind == "heading" and b.part in PARTS), default=None)
    out = []
    for s in sentences:
        lo, hi = doc.char_span(s)
        text = doc.text[lo:hi].rstrip()
        if text.endswith(":") or not _has(actor, lo, hi) or _has(signpost, lo, hi):
            continue
        if doc.has_headings and first is not None and s.block < first:
            continue
        out.append((lo, hi))
    return out


@dataclass(frozen=True)
class PassiveEvasionOptions:
    be: str = option("be_forms", "lexicon")
    participles: str = option("irregular_participles", "lexicon")
    stative: str = option("stative_participles", "lexicon")
    adverbs: str = option("passive_adverbs", "lexicon")
    owners: str = option("passive_owners", "lexicon")
    not_agent: str = option("not_an_agent", "lexicon")
    state_next: str = option("passive_state_next", "lexicon")
    max_findings: int | None = option(None, "int")


def passive_evasion(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Agentless `be` + past participle ("mistakes were made") in the scope, one finding per sentence.

    No tagger: a participle is a word from the irregular list, or an -ed word whose lemma
    differs from its form ("shipped" -> "ship"). "by <agent>" after it names the agent.
    """
    doc = ctx.document
    lex = ctx.ruleset.lexicon
    opts = check_options(rule, PassiveEvasionOptions)
    be = set(lex[opts.be])
    irregular = set(lex[opts.participles])
    stative = set(lex[opts.stative])
    skip = set(lex[opts.adverbs])
    owners = set(lex[opts.owners])
    not_agent = set(lex[opts.not_agent])
    state_next = set(lex[opts.state_next])
    limit = ctx.setting(rule, "max_findings", None)
    found = 0
    for s in ctx.sentences(rule.scope):
        toks = doc.doc[s.start:s.end]
        for i, tok in enumerate(toks):
            if tok.lower_ not in be or (i > 0 and toks[i - 1].lower_ in owners):
                continue
            j = i + 1
            while j < len(toks) and j <= i + 3 and toks[j].lower_ in skip:
                j += 1
            if j >= len(toks):
                continue
            word = toks[j].lower_
            regular = word.endswith("ed") and toks[j].lemma_ and toks[j].lemma_ != word
            if word in stative or not (word in irregular or regular):
                continue
            after = [t.lower_ for t in toks[j + 1:j + 5]]
            if after and after[0] in state_next:
                continue  # "was saved as a backup card": how a thing stood, not who did it
            if "by" in after and (after.index("by") + 1 >= len(after) or after[after.index("by") + 1] not in not_agent):
                continue
            yield Hit(tok.idx, toks[j].idx + len(toks[j].text), {"sentence": doc.sentence_text(s)})
            found += 1
            break
        if limit is not None and found >= limit:
            return
