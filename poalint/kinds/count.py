"""`kind: count`: too many (max) or too few (min) occurrences in the scope; the hit is the first extra one."""

from __future__ import annotations

from collections.abc import Iterator

from poalint.context import Context, Hit
from poalint.kinds.phrase import hits_in_scope
from poalint.model import Rule


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    hits = list(hits_in_scope(rule, ctx))
    most = ctx.setting(rule, "max", None)
    least = ctx.setting(rule, "min", None)
    if most is not None and len(hits) > most:
        extra = hits[int(most)]
        yield Hit(extra.start, extra.end, {"count": len(hits), "max": most})
    elif least is not None and len(hits) < least:
        yield Hit(0, 0, {"count": len(hits), "min": least})
