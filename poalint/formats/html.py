"""`--format html`: one self-contained page (poalint.htmlreport), the letters with their findings marked.

Several letters make one page with an index; `-o report.html` writes it to a file. The page shows
the letter text, so the FORMATS row declares `needs_text` and reports carry `Report.text`.
"""

from __future__ import annotations

from collections.abc import Sequence

from poalint.formats._common import RenderContext
from poalint.htmlreport import HtmlLetter, render_page
from poalint.model import Report, Severity


def verdict(report: Report, min_score: float) -> str:
    """The one line beside the score: "passed", "FAILED: 2 errors", "FAILED: score 60 is under the minimum 70"."""
    if report.passed:
        return "passed"
    errors = sum(1 for f in report.findings if f.severity == Severity.ERROR)
    if errors:
        return f"FAILED: {errors} error{'s' if errors != 1 else ''}"
    if report.score < min_score:
        return f"FAILED: score {report.score:.0f} is under the minimum {min_score:g}"
    return "FAILED"


def html_letter(report: Report, min_score: float = 70.0) -> HtmlLetter:
    """What the page shows for one report (its text, findings, parts, score and verdict)."""
    return HtmlLetter(path=report.path, text=report.text or "", findings=report.findings,
                      parts=tuple((p.start, p.end, p.part) for p in report.parts), score=report.score,
                      passed=report.passed, verdict=verdict(report, min_score), reason=report.reason,
                      reason_source=report.reason_source, notes=report.warnings)


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    return render_page([html_letter(r, ctx.min_score) for r in reports], version=ctx.version)
