"""`--format full` (default): findings with their fix, a score line per letter, a summary."""

from __future__ import annotations

from collections.abc import Sequence

from poalint.formats._common import RenderContext, Tally, paragraph_note, shown, verdict
from poalint.model import Report, Severity

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def _paint(text: str, code: str, ctx: RenderContext) -> str:
    return f"{code}{text}{_RESET}" if ctx.color else text


def render_one(report: Report, ctx: RenderContext) -> str:
    if not shown(report, ctx):
        return ""
    lines: list[str] = []
    for f in report.findings:
        sev = _paint(str(f.severity), _COLORS[f.severity], ctx)
        where = _paint(f"{report.path}:{f.line}:{f.column}{paragraph_note(f)}:", _BOLD, ctx)
        lines.append(f"{where} {sev} {f.rule} {f.message}")
        if f.fix:
            lines.append(_paint(f"    fix: {f.fix}", _DIM, ctx))
    said = _paint(verdict(report), "\x1b[32m" if report.passed else "\x1b[31m", ctx)
    reason = f", reason: {report.reason}" if report.reason else ""
    if report.reason and report.reason_source:
        reason += f" ({report.reason_source})"
    lines.append(f"{report.path}: score {report.score:.0f}/100, {said}{reason}")
    return "\n".join(lines) + ("\n" if lines else "")


def summary(reports: Sequence[Report] | Tally, ctx: RenderContext) -> str:
    tally = Tally.of(reports)
    totals = tally.severities
    failed = tally.failed
    files = tally.letters
    parts = [
        f"{files} letter{'s' if files != 1 else ''} checked",
        f"{failed} failed",
        f"{totals[Severity.ERROR]} error{'s' if totals[Severity.ERROR] != 1 else ''}",
        f"{totals[Severity.WARNING]} warning{'s' if totals[Severity.WARNING] != 1 else ''}",
        f"{totals[Severity.INFO]} info",
    ]
    if ctx.errors:
        parts.append(f"{len(ctx.errors)} not linted")
    return "Summary: " + ", ".join(parts) + ".\n"


def tail(tally: Tally, ctx: RenderContext) -> str:
    """What a streamed run prints after the last letter."""
    return ("\n" if tally.letters else "") + summary(tally, ctx)


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    body = "".join(render_one(r, ctx) for r in reports)
    return body + ("\n" if body else "") + summary(reports, ctx)
