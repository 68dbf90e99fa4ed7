"""Clause-level checks on the measure and cause parts: undated measures, agentless passives."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from poalint.context import Context, Hit, check_options, option
from poalint.document import Document, Sentence
from poalint.matching import SpanIndex
from poalint.model import Rule
from poalint.structure import NOT_PROSE, PARTS


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
class PassiveEvasionOptions:
    be: str = option("be_forms", "lexicon")
    participles: str = option("irregular_participles", "lexicon")
    stative: str = option("stative_participles", "lexicon")
    adverbs: str = option("passive_adverbs", "lexicon")
    owners: str = option("passive_owners", "lexicon")
    not_agent: str = option("not_an_agent", "lexicon")
    state_next: str = option("passive_state_next", "lexicon")
    max_findings: int | None = option(None, "int")


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
    found = 0
    for s in _passive_scope(rule, ctx):
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
            found += 1
            break
        if limit is not None and found >= limit:
            return
