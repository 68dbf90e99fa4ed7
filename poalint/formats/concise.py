"""`--format concise`: one `path:line:col: severity [rule] message` line per finding, a verdict line per letter, then a summary."""

from __future__ import annotations

from collections.abc import Sequence

from poalint.formats._common import RenderContext, Tally, one_line, paragraph_note, shown, span, summary_line, verdict
from poalint.model import Report


def render_one(report: Report, ctx: RenderContext) -> str:
    if not shown(report, ctx):
        return ""
    lines = []
    for f in report.findings:
        line, col, _, _ = span(f)
        lines.append(f"{one_line(report.path)}:{line}:{col}: {f.severity} [{f.rule}] {one_line(f.message)}{paragraph_note(f)}")
    lines.append(f"{one_line(report.path)}: score {report.score:.0f}/100, {verdict(report)}")
    return "\n".join(lines) + ("\n" if lines else "")


def tail(tally: Tally, ctx: RenderContext) -> str:
    return summary_line(tally, ctx) + "\n"


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    return "".join(render_one(r, ctx) for r in reports) + tail(Tally.of(reports), ctx)
