"""`kind: require`: something must be present in the scope; one document-level finding when it is not."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from poalint.context import Context, Hit
from poalint.model import Rule, Severity
from poalint.structure import cut_off


@dataclass(frozen=True)
class RequireOptions:
    """A require rule has no keys of its own: its matchers, scope and `unless` say it all."""


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    doc = ctx.document
    sentences = ctx.sentences(rule.scope)
    if not sentences:
        return  # nothing to check: the missing-* rules report an absent part
    spans = ctx.matchers.find(rule.match, doc)
    for s in sentences:
        lo, hi = doc.char_span(s)
        if any(lo <= a and b <= hi and ctx.allowed(rule, a, b) for a, b in spans):
            return
    if any(ctx.holds(c, 0, 0) for c in rule.unless):
        return
    # a letter that visibly stops part-way (an excerpt) may hold it in the part not shown: noted, not counted
    yield Hit(0, 0, {}, severity=Severity.INFO if cut_off(doc) else None)
