"""`kind: count`: too many (max) or too few (min) occurrences in the scope; the hit is the first extra one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from poalint.context import Context, Hit, check_options, option
from poalint.kinds.phrase import hits_in_scope
from poalint.model import Rule


@dataclass(frozen=True)
class CountOptions:
    min: float | None = option(None, "number")  # config `settings: {<id>: {min: N}}` beats it
    max: float | None = option(None, "number")
    in_quotes: bool = option(False, "bool")


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    opts = check_options(rule, CountOptions)
    hits = list(hits_in_scope(rule, ctx, opts.in_quotes))
    most = ctx.setting(rule, "max", None)
    least = ctx.setting(rule, "min", None)
    if most is not None and len(hits) > most:
        extra = hits[int(most)]
        yield Hit(extra.start, extra.end, {"count": len(hits), "max": most})
    elif least is not None and len(hits) < least:
        yield Hit(0, 0, {"count": len(hits), "min": least})
