"""`--statistics`: how many findings each rule produced, most frequent first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from poalint.formats import RenderContext
from poalint.formats._common import summary_line
from poalint.model import Report, Severity


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    counts: Counter[str] = Counter()
    severity: dict[str, Severity] = {}
    for report in reports:
        for f in report.findings:
            counts[f.rule] += 1
            severity[f.rule] = max(severity.get(f.rule, f.severity), f.severity)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    width = max((len(rule) for rule in counts), default=0)
    digits = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for rule, n in rows:
        info = ctx.rules.get(rule)
        summary = f"  {info.summary}" if info is not None and info.summary else ""
        lines.append(f"{n:>{digits}}  {rule:<{width}}  {str(severity[rule]):<7}{summary}".rstrip())
    return "".join(line + "\n" for line in lines) + summary_line(reports, ctx) + "\n"
