"""`--format html`: one self-contained page (poalint.htmlreport), the letters with their findings marked.

Several letters make one page with an index; `-o report.html` writes it to a file. The page shows
the letter text, so the FORMATS row declares `needs_text` and reports carry `Report.text`.
"""

from __future__ import annotations

from collections.abc import Sequence

from poalint.formats._common import RenderContext
from poalint.htmlreport import HtmlLetter, render_page
from poalint.model import Report


def verdict(report: Report) -> str:
    """The one line beside the score: "passed", "FAILED: 2 errors", "FAILED: score 60 is under the minimum 70".

    Why a letter failed is decided once, by the engine (`Report.why`), for every format."""
    if report.passed:
        return "passed"
    return f"FAILED: {report.why}" if report.why else "FAILED"


def html_letter(report: Report) -> HtmlLetter:
    """What the page shows for one report (its text, findings, parts, score and verdict)."""
    return HtmlLetter(path=report.path, text=report.text or "", findings=report.findings,
                      parts=tuple((p.start, p.end, p.part) for p in report.parts), score=report.score,
                      passed=report.passed, verdict=verdict(report), reason=report.reason,
                      reason_source=report.reason_source, notes=report.warnings)


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    return render_page([html_letter(r) for r in reports], version=ctx.version)
