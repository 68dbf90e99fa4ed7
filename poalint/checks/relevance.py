"""Relevance checks fed by the reason pack, the notice and the previous appeal (see rules/core/relevance/)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from poalint.context import Context, Hit, option
from poalint.model import ReasonSource, Rule
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


def _within(ctx: Context, m: Any, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The spans of `m` inside [lo, hi). NOTE: found spans are sorted by start, so only those starting in
    [lo, hi) are looked at: a paragraph-by-paragraph check stays linear in the letter, not quadratic."""
    memo: dict[int, tuple[list[tuple[int, int]], list[int]]] = ctx.document.cache.setdefault("within", {})  # type: ignore[assignment]
    got = memo.get(id(m))
    if got is None:
        spans = ctx.matchers.find(m, ctx.document)
        got = memo[id(m)] = (spans, [a for a, _b in spans])
    spans, starts = got
    for i in range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)):
        if spans[i][1] <= hi:
            yield spans[i]


def themes_in(ctx: Context, pack: Mapping[str, Any], group: str, lo: int, hi: int) -> set[str]:
    """Names of the pack's themes of one group found in [lo, hi)."""
    return {t.name for t in pack["themes"].get(group, ()) if next(_within(ctx, t.match, lo, hi), None) is not None}


def score(ctx: Context, pack: Mapping[str, Any], lo: int, hi: int, groups: Sequence[str] = ("root_cause", "measures")
          ) -> int:
    """How strongly [lo, hi) is about the pack's reason: distinct themes plus reason-vocabulary hits."""
    vocab = sum(1 for _ in _within(ctx, pack["vocab"], lo, hi))
    return sum(len(themes_in(ctx, pack, g, lo, hi)) for g in groups) + vocab


def foreign(ctx: Context, pack: Mapping[str, Any], lo: int, hi: int) -> int:
    """How distinctly [lo, hi) is about a reason: its root causes and vocabulary only, since
    measures (training, daily checks) are shared by every kind of plan."""
    return score(ctx, pack, lo, hi, ("root_cause",))


def given(ctx: Context) -> bool:
    """The reason was given (flag, front matter, notice), not guessed from the letter itself."""
    return ctx.pack is not None and ctx.reason_source is not ReasonSource.DETECTED


def reason_not_addressed(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """A letter for a known reason must touch `min_themes` of the pack's root-cause themes (default 1)."""
    pack = ctx.pack
    span = body_range(ctx)
    if pack is None or not given(ctx) or span is None:
        return
    root = themes_in(ctx, pack, "root_cause", *span)
    measures = themes_in(ctx, pack, "measures", *span)
    if len(root) >= pack["min_themes"]:
        return
    missing = [t.label for t in pack["themes"]["root_cause"] if t.name not in root][:3]
    wanted = [t.label for t in pack["themes"].get("measures", ()) if t.name not in measures][:2]
    yield Hit(0, 0, {"reason": pack["id"], "title": pack["title"], "themes": join(missing),
                     "measures": join(wanted) if wanted else "a concrete measure", "problem": pack["problem"]})


def _units(ctx: Context) -> list[tuple[int, int, bool]]:
    """Paragraphs and list items of the body: (start, end, is_item)."""
    return [(b.start, b.end, b.kind == "item") for b in ctx.document.blocks if b.kind not in NOT_PROSE]


def _others(ctx: Context, pack: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    mine = pack["id"]
    return [p for rid, p in ctx.ruleset.reasons.items()
            if rid != mine and rid not in pack["related"] and mine not in p["related"]]


@dataclass(frozen=True)
class ReasonMismatchOptions:
    min_letter: int = option(3, "int")
    min_paragraph: int = option(2, "int")
    min_item: int = option(3, "int")


def reason_mismatch(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The letter, or a paragraph of it, is about another (unrelated) reason and not this one."""
    pack = ctx.pack
    span = body_range(ctx)
    if pack is None or span is None:
        return
    others = _others(ctx, pack)
    min_letter = int(rule.options.get("min_letter", 3))
    min_paragraph = int(rule.options.get("min_paragraph", 2))
    min_item = int(rule.options.get("min_item", 3))  # a single bullet needs more: it is short and may be a side note
    if given(ctx) and foreign(ctx, pack, *span) == 0:
        best = max(others, key=lambda p: foreign(ctx, p, *span), default=None)
        if best is not None and foreign(ctx, best, *span) >= min_letter:
            yield Hit(0, 0, {"other": best["title"], "reason": pack["title"], "what": "The letter"})
            return
    for lo, hi, is_item in _units(ctx):
        if foreign(ctx, pack, lo, hi) > 0:
            continue
        best = max(others, key=lambda p: foreign(ctx, p, lo, hi), default=None)
        related = max((foreign(ctx, p, lo, hi) for p in ctx.ruleset.reasons.values() if p["id"] in pack["related"]),
                      default=0)
        top = foreign(ctx, best, lo, hi) if best is not None else 0
        if best is not None and top >= (min_item if is_item else min_paragraph) and top > related:
            end = ctx.document.text.find("\n", lo)
            yield Hit(lo, end if 0 <= end < hi else hi,
                      {"other": best["title"], "reason": pack["title"],
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
    min_words = int(rule.options.get("min_words", 6))
    doc = ctx.document
    for s in ctx.sentences(("body",)):
        if doc.blocks[s.block].kind in NOT_PROSE:
            continue
        norm = _normal(doc.sentence_text(s))
        if len(norm.split()) >= min_words and f" {norm} " in seen:
            lo, hi = doc.char_span(s)
            yield Hit(lo, hi, {"sentence": doc.sentence_text(s)})
