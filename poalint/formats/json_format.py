"""`--format json`: the stable machine-readable report (the corpus scorer reads it)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from poalint.formats._common import RenderContext, Tally
from poalint.model import Report, Severity


def as_dict(reports: Sequence[Report], ctx: RenderContext) -> dict[str, object]:
    out = _as_dict(reports, ctx)
    if ctx.statistics:  # --statistics: findings per rule, most frequent first
        counts = Tally.of(reports).rules
        out["statistics"] = [{"rule": rule, "count": n} for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return out


def _as_dict(reports: Sequence[Report], ctx: RenderContext) -> dict[str, object]:
    totals = {s: 0 for s in Severity}
    for report in reports:
        for sev, n in report.counts().items():
            totals[sev] += n
    return {
        "version": ctx.version,
        "files": [r.to_dict() for r in reports],
        "summary": {
            "files": len(reports),
            "errors": totals[Severity.ERROR],
            "warnings": totals[Severity.WARNING],
            "infos": totals[Severity.INFO],
        },
    }


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    return json.dumps(as_dict(reports, ctx), indent=2, ensure_ascii=False) + "\n"
