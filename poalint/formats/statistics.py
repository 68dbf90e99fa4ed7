"""`--statistics`: how many findings each rule produced, most frequent first."""

from __future__ import annotations

from collections.abc import Sequence

from poalint.formats._common import RenderContext, Tally, summary_line
from poalint.model import Report


def render(reports: Sequence[Report] | Tally, ctx: RenderContext) -> str:
    tally = Tally.of(reports)
    counts, severity = tally.rules, tally.rule_severity
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    width = max((len(rule) for rule in counts), default=0)
    digits = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for rule, n in rows:
        info = ctx.rules.get(rule)
        summary = f"  {info.summary}" if info is not None and info.summary else ""
        lines.append(f"{n:>{digits}}  {rule:<{width}}  {str(severity[rule]):<7}{summary}".rstrip())
    return "".join(line + "\n" for line in lines) + summary_line(tally, ctx) + "\n"
