"""Relevance checks fed by the reason pack, the notice and the previous appeal (see rules/core/relevance/)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from poalint.context import Context, Hit, check_options, option
from poalint.model import ReasonSource, Rule
from poalint.packs import ReasonPack
from poalint.structure import NOT_PROSE


def join(labels: Sequence[str], last: str = "or") -> str:
    labels = list(labels)
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} {last} {labels[-1]}"


def body_range(ctx: Context) -> tuple[int, int] | None:
    sentences = ctx.sentences(("body",))
    if not sentences:
        return None
    doc = ctx.document
    return doc.char_span(sentences[0])[0], doc.char_span(sentences[-1])[1]


def themes_in(ctx: Context, pack: ReasonPack, group: str, lo: int, hi: int) -> set[str]:
    """Names of the pack's themes of one group found in [lo, hi)."""
    return {t.name for t in pack.group(group) if next(ctx.matchers.within(t.match, ctx.document, lo, hi), None) is not None}


def named(ctx: Context, pack: ReasonPack, lo: int, hi: int) -> list[tuple[int, int]]:
    """Where [lo, hi) names the pack's problem: its notice / detect phrases and its `names` paraphrases
    ("orders went out late", "dispatched after the handling time")."""
    spans = list(ctx.matchers.within(pack.vocab, ctx.document, lo, hi))
    if not pack.names.empty():
        spans += list(ctx.matchers.within(pack.names, ctx.document, lo, hi))
    return sorted(set(spans))


def score(ctx: Context, pack: ReasonPack, lo: int, hi: int, groups: Sequence[str] = ("root_cause", "measures")
          ) -> int:
    """How strongly [lo, hi) is about the pack's reason: distinct themes plus reason-vocabulary hits."""
    return sum(len(themes_in(ctx, pack, g, lo, hi)) for g in groups) + len(named(ctx, pack, lo, hi))


def foreign(ctx: Context, pack: ReasonPack, lo: int, hi: int) -> int:
    """How distinctly [lo, hi) is about a reason: its root causes and vocabulary only, since
    measures (training, daily checks) are shared by every kind of plan."""
    return score(ctx, pack, lo, hi, ("root_cause",))


def given(ctx: Context) -> bool:
    """The reason was given (flag, front matter, notice), not guessed from the letter itself."""
    return ctx.pack is not None and ctx.reason_source is not ReasonSource.DETECTED


# NOTE: a cause is given when the section finder found a root-cause part, or a sentence links the
# problem to a cause ("because", "due to", "was caused by", "the reason was", "as a result of" ...).
CAUSE_REGEX = (
    r"\b(?:because|due to|owing to|caused by|as a result of|resulted from|result of|led to|lead to|leads to|"
    r"root cause|the reason (?:was|is|for)|reasons? (?:were|are)|since (?:we|our|the|i)\b|stemmed from|came from|"
    r"happened when|happened because|went wrong|the cause|this was|were (?:not|never)|was (?:not|never)|"
    r"(?:,|;) so|so that|in order to|to (?:manage|run|handle|save|sell)|which meant|that meant|"
    r"(?:when|after|while|once) (?:we|our|i|the|a|an|two|three|one|some)|without (?:checking|a|any|the))\b",
)


@dataclass(frozen=True)
class ReasonNotAddressedOptions:
    cause_regex: tuple[str, ...] = option(CAUSE_REGEX, "regexes")


def _gives_cause(ctx: Context, rule: Rule) -> bool:
    if ctx.sentences(("root_cause",)):
        return True
    regexes = check_options(rule, ReasonNotAddressedOptions).cause_regex or CAUSE_REGEX
    text = "\n".join(ctx.document.sentence_text(s) for s in ctx.sentences(("body",)))
    return any(re.search(r, text, re.I) for r in regexes)


def reason_not_addressed(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """A letter for a known reason must deal with it: touch `min_themes` of the pack's root-cause
    themes, or name the problem (notice, detect and `names` vocabulary) and give a cause for it.
    How good the cause is, is vague-root-cause's business, not this error's."""
    pack = ctx.pack
    span = body_range(ctx)
    if pack is None or not given(ctx) or span is None:
        return
    root = themes_in(ctx, pack, "root_cause", *span)
    if len(root) >= pack.min_themes:
        return
    if (root or named(ctx, pack, *span)) and _gives_cause(ctx, rule):
        return
    measures = themes_in(ctx, pack, "measures", *span)
    missing = [t.label for t in pack.group("root_cause") if t.name not in root][:3]
    wanted = [t.label for t in pack.group("measures") if t.name not in measures][:2]
    yield Hit(0, 0, {"reason": pack.id, "title": pack.title, "themes": join(missing),
                     "measures": join(wanted) if wanted else "a concrete measure", "problem": pack.problem})


def _units(ctx: Context) -> list[tuple[int, int, bool]]:
    """Paragraphs and list items of the body: (start, end, is_item)."""
    return [(b.start, b.end, b.kind == "item") for b in ctx.document.blocks if b.kind not in NOT_PROSE]


def _others(ctx: Context, pack: ReasonPack) -> list[ReasonPack]:
    mine = pack.id
    return [p for rid, p in ctx.ruleset.reasons.items()
            if rid != mine and rid not in pack.related and mine not in p.related]


def foreign_table(ctx: Context, packs: Iterable[ReasonPack], units: Sequence[tuple[int, int, bool]]
                  ) -> dict[int, list[int]] | None:
    """`foreign` of every pack on every unit, as {id(pack): a score per unit}; None when the units
    are not in text order and disjoint.

    NOTE: the same sums as `foreign` per pack per unit, but each matcher's spans are read once and
    dealt to the unit holding them (a bisect), instead of a question per theme per pack per unit."""
    los = [lo for lo, _hi, _item in units]
    if any(lo > hi for lo, hi, _item in units) or any(units[i][1] > los[i + 1] for i in range(len(units) - 1)):
        return None
    doc = ctx.document
    matchers = ctx.matchers

    def deal(spans: Iterable[tuple[int, int]]) -> Iterator[tuple[int, tuple[int, int]]]:
        for s, e in spans:
            i = bisect.bisect_right(los, s) - 1
            if i >= 0 and s < units[i][1] and e <= units[i][1]:
                yield i, (s, e)

    out: dict[int, list[int]] = {}
    for pack in packs:
        if id(pack) in out:
            continue
        # only the units a match falls in get a set (two sets per unit per pack made a long letter's
        # thousands of units a heap of empty sets, and the garbage collector's work grow with it)
        themes: dict[int, set[str]] = {}
        names: dict[int, set[tuple[int, int]]] = {}
        for t in pack.group("root_cause"):
            for i, _span in deal(matchers.index(t.match, doc)):
                themes.setdefault(i, set()).add(t.name)
        for m in (pack.vocab, *(() if pack.names.empty() else (pack.names,))):
            for i, span in deal(matchers.index(m, doc)):
                names.setdefault(i, set()).add(span)
        counts = [0] * len(units)
        for found in (themes, names):
            for i, got in found.items():
                counts[i] += len(got)
        out[id(pack)] = counts
    return out


@dataclass(frozen=True)
class ReasonMismatchOptions:
    min_letter: int = option(3, "int")
    min_paragraph: int = option(2, "int")
    min_item: int = option(3, "int")
    ratio: int = option(3, "int")


def reason_mismatch(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The letter, or a paragraph of it, is about another (unrelated) reason much more than about this one.

    Strong evidence only: the other reason scores at least `min_*`; a paragraph that also speaks this
    reason's words fires only when the reason was given and the other reason scores `ratio` times as much
    (a catch-all paragraph pasted from another template that names one word of this reason)."""
    pack = ctx.pack
    span = body_range(ctx)
    if pack is None or span is None:
        return
    others = _others(ctx, pack)
    opts = check_options(rule, ReasonMismatchOptions)
    min_letter = opts.min_letter
    min_paragraph = opts.min_paragraph
    min_item = opts.min_item  # a single bullet needs more: it is short and may be a side note
    ratio = opts.ratio
    whole = None if ctx.matchers.plain else foreign_table(ctx, [pack, *others], [(*span, False)])
    letter = (lambda p: foreign(ctx, p, *span)) if whole is None else (lambda p: whole[id(p)][0])
    if given(ctx) and letter(pack) == 0:
        best = max(others, key=letter, default=None)
        if best is not None and letter(best) >= min_letter:
            yield Hit(0, 0, {"other": best.title, "reason": pack.title, "what": "The letter"})
            return
    units = _units(ctx)
    relatives = [p for p in ctx.ruleset.reasons.values() if p.id in pack.related]
    table = None if ctx.matchers.plain else foreign_table(ctx, [pack, *others, *relatives], units)
    for k, (lo, hi, is_item) in enumerate(units):
        if table is None:  # the reference way: a question per pack
            own = foreign(ctx, pack, lo, hi)
            alone = {p.id: foreign(ctx, p, lo, hi) for p in others}
            related = max((foreign(ctx, p, lo, hi) for p in relatives), default=0)
        else:
            own = table[id(pack)][k]
            alone = {p.id: table[id(p)][k] for p in others}
            related = max((table[id(p)][k] for p in relatives), default=0)
        # NOTE: summing a reason with its related ones (late + broken parcels) found pasted shipping paragraphs
        # but also fired on biographies ("a used pickup truck"); kept to the single reason until that is tighter
        best = max(others, key=lambda p: alone[p.id], default=None)
        top = alone[best.id] if best is not None else 0
        if best is not None and top >= (min_item if is_item else min_paragraph) and top > related \
                and (own == 0 or (given(ctx) and top >= own * ratio and top >= min_paragraph + own)):
            end = ctx.document.text.find("\n", lo)
            yield Hit(lo, end if 0 <= end < hi else hi,
                      {"other": best.title, "reason": pack.title,
                       "what": "This list item" if is_item else "This paragraph"})


_ASIN_TEXT = re.compile(r"[^A-Z0-9]")


def missing_reference(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """One finding per ASIN of the notice that the letter never names."""
    notice = ctx.notice
    if notice is None:
        return
    text = ctx.document.text.upper()
    for asin in notice.asins:
        if asin.upper() not in text:
            yield Hit(0, 0, {"asin": asin})


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass(frozen=True)
class RecycledTextOptions:
    min_words: int = option(6, "int")


def recycled_text(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Sentences of the letter copied unchanged (case, spacing and punctuation aside) from the previous appeal."""
    previous = ctx.previous
    if previous is None:
        return
    # NOTE: a word-bounded substring of the whole previous text, so sentence splitting need not agree.
    seen = f" {_normal(previous.text)} "
    min_words = check_options(rule, RecycledTextOptions).min_words
    doc = ctx.document
    for s in ctx.sentences(("body",)):
        if doc.blocks[s.block].kind in NOT_PROSE:
            continue
        norm = _normal(doc.sentence_text(s))
        if len(norm.split()) >= min_words and f" {norm} " in seen:
            lo, hi = doc.char_span(s)
            yield Hit(lo, hi, {"sentence": doc.sentence_text(s)})
