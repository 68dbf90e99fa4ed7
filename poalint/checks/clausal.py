"""Clause-level checks on the measure and cause parts: undated measures, agentless passives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from poalint.clauses import document_clauses
from poalint.context import Context, Hit, check_options, option
from poalint.document import Document, Sentence
from poalint.matching import SpanIndex
from poalint.model import Rule, Severity
from poalint.sections import heading_parts, measure_clause
from poalint.structure import FRAME, NOT_PROSE, PARTS, cut_off


def _spans(ctx: Context, concept: str) -> SpanIndex:
    return ctx.matchers.concept_index(concept, ctx.document)


def _has(spans: SpanIndex, lo: int, hi: int) -> bool:
    return spans.overlaps(lo, hi)


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
class MissingTimelineOptions:
    concept: str = option("time_expression", "concept")
    # the date of Amazon's notice ("we refer to your notification of 3 November") dates no action
    notice_date: str | None = option(None, "str")


_MEASURES = ("corrective", "preventive")


def missing_timeline(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """No time on any measure: neither an action taken nor a measure for the future says when.

    A time counts only where it dates a measure (`poalint.sections.measure_clause`): "on 3 May we removed
    the listing", "every Monday our lead checks ...", "by 20 May we will ...". The dates of the story
    ("I started selling in January 2025", "our account was deactivated on 4 May", "in November the volume
    tripled") and what others promise ("the courier says it will improve in the next weeks") date no measure.
    A letter in which no sentence does a measure's job is read as before: its actions scope (or its body)
    needs some time expression, whatever it dates.
    """
    doc = ctx.document
    opts = check_options(rule, MissingTimelineOptions)
    scope = ctx.sentences(rule.scope)
    if not scope:
        return  # nothing to check: the missing-* rules report an absent part
    spans: list[tuple[int, int]] = []  # overlapping matches merged: "3 November" and "November 2025" are one date
    for a, b in _spans(ctx, opts.concept):
        if spans and a < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    notice = re.compile(opts.notice_date, re.I) if opts.notice_date else None

    def told(a: int) -> bool:  # the time of Amazon's notice, not of a measure
        return notice is not None and notice.search(doc.text, max(0, a - 80), a) is not None

    jobs = doc.sentence_jobs
    under = heading_parts(doc.blocks)
    measuring = [i for i, s in enumerate(doc.sentences)
                 if doc.blocks[s.block].kind not in FRAME and doc.blocks[s.block].kind != "heading"
                 and (i < len(jobs) and jobs[i] & set(_MEASURES) or under[s.block] in _MEASURES)]
    if not measuring:
        for s in scope:
            lo, hi = doc.char_span(s)
            if any(lo <= a and b <= hi and not told(a) for a, b in spans):
                return
    else:
        clauses = document_clauses(doc)
        text = doc.text
        for i in measuring:
            s = doc.sentences[i]
            lo, hi = doc.char_span(s)
            inside = [(a, b) for a, b in spans if lo <= a and b <= hi and not told(a)]
            if not inside:
                continue
            own = clauses[i]
            cause = "root_cause" in jobs[i] if i < len(jobs) else False
            for a, _b in inside:
                host = [c for c in own if c.start <= a < c.end]
                if not host:  # a dated list item: "- 4 May: removed the old photos", the date before the clause
                    if own and a < own[0].start and any(measure_clause(c, own, text, under[s.block], cause) for c in own):
                        return
                    continue
                if any(measure_clause(c, own, text, under[s.block], cause) for c in host):
                    return
    # a letter that visibly stops part-way (an excerpt) may hold it in the part not shown: noted, not counted
    yield Hit(0, 0, {}, severity=Severity.INFO if cut_off(doc) else None)


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
    # the measure parts too, where a run of agentless passives with nothing concrete hides who acted
    # ("Key stakeholders have been engaged, best practice has been adopted"): sentences with no `concept` match,
    # reported when at least `vague_least` of them hold such a passive
    vague_parts: tuple[str, ...] = option((), "parts")
    concept: str = option("specific", "concept")
    vague_least: int = option(2, "int")


def _passive_scope(rule: Rule, ctx: Context) -> list[Sentence]:
    """The rule's scope; with no root-cause part found, the body's sentences outside the action parts
    (the cause is told somewhere, and the passive hides the same thing there)."""
    got = ctx.sentences(rule.scope)
    if got or tuple(rule.scope) != ("root_cause",):
        return got
    return [s for s in ctx.sentences(("body",)) if s.part not in ("corrective", "preventive")]


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
    scope = _passive_scope(rule, ctx)
    hits = list(_passives(doc, scope, be, irregular, stative, skip, owners, not_agent, state_next))
    if opts.vague_parts:
        concrete = _spans(ctx, opts.concept)
        vague = [s for s in ctx.sentences(opts.vague_parts)
                 if s not in scope and not _has(concrete, *doc.char_span(s))]
        more = list(_passives(doc, vague, be, irregular, stative, skip, owners, not_agent, state_next, perfect=True))
        if len(more) >= opts.vague_least:
            hits = sorted(hits + more, key=lambda h: h.start)
    yield from hits if limit is None else hits[:max(int(limit), 0)]


def _passives(doc: Document, sentences: list[Sentence], be: set[str], irregular: set[str], stative: set[str],
              skip: set[str], owners: set[str], not_agent: set[str], state_next: set[str],
              perfect: bool = False) -> Iterator[Hit]:
    """One hit per sentence holding an agentless `be` + past participle (with `perfect`, only "has/have been"
    + participle: "best practices have been adopted", the report of an action with nobody and no time in it)."""
    for s in sentences:
        toks = doc.doc[s.start:s.end]
        for i, tok in enumerate(toks):
            if tok.lower_ not in be or (i > 0 and toks[i - 1].lower_ in owners):
                continue
            if perfect and not (tok.lower_ == "been" and i > 0 and toks[i - 1].lower_ in ("has", "have", "had")):
                continue
            j = i + 1
            while j < len(toks) and j <= i + 3 and toks[j].lower_ in skip:
                j += 1
            if j >= len(toks):
                continue
            word = toks[j].lower_
            regular = word.endswith("ed") and toks[j].lemma_ and toks[j].lemma_ != word
            # "it was determined that ...": a finding reported with nobody behind it, whatever the participle
            reported = i > 0 and toks[i - 1].lower_ == "it" and j + 1 < len(toks) and toks[j + 1].lower_ == "that"
            if not reported and (word in stative or not (word in irregular or regular)):
                continue
            after = [t.lower_ for t in toks[j + 1:j + 5]]
            if after and after[0] in state_next:
                continue  # "was saved as a backup card": how a thing stood, not who did it
            if "by" in after and (after.index("by") + 1 >= len(after) or after[after.index("by") + 1] not in not_agent):
                continue
            yield Hit(tok.idx, toks[j].idx + len(toks[j].text), {"sentence": doc.sentence_text(s)})
            break
