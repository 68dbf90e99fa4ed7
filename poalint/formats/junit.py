"""`--format junit`: JUnit XML, one test case per letter, for CI test-report views."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from poalint.formats._common import RenderContext, one_line, rel_path, span
from poalint.model import Report

# characters XML 1.0 cannot carry at all, even escaped (compiled on first use: its ranges take a while to
# compile, and every run imports this module with the formats table)
_NOT_XML = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def _clean(text: str) -> str:
    return re.sub(_NOT_XML, "\ufffd", text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def findings_text(report: Report) -> str:
    """One `line:col severity rule message` line per finding, each fix indented below it."""
    lines: list[str] = []
    for f in report.findings:
        line, col, _, _ = span(f)
        lines.append(f"{line}:{col} {f.severity} {f.rule} {one_line(f.message)}")
        if f.fix:
            lines.append(f"    fix: {one_line(f.fix)}")
    return "\n".join(lines)


def as_element(reports: Sequence[Report], ctx: RenderContext) -> ET.Element:
    failures = sum(not r.passed for r in reports)
    counts = {
        "tests": str(len(reports) + len(ctx.errors)),
        "failures": str(failures),
        "errors": str(len(ctx.errors)),
        "skipped": "0",
    }
    root = ET.Element("testsuites", {"name": "poalint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "poalint", **counts})
    for report in reports:
        case = ET.SubElement(suite, "testcase", {"classname": "poalint", "name": _clean(rel_path(report.path, ctx.root))})
        text = _clean(findings_text(report))
        if not report.passed:
            message = f"score {report.score:.0f}/100, {_plural(len(report.findings), 'finding')}"
            if report.why:  # why it failed: errors, a score under the minimum, the fail-on level
                message += f", failed: {report.why}"
            failure = ET.SubElement(case, "failure", {"message": message, "type": "poalint"})
            failure.text = text
        elif text:  # passed with warnings: keep them visible
            ET.SubElement(case, "system-out").text = text
    for e in ctx.errors:
        case = ET.SubElement(suite, "testcase", {"classname": "poalint", "name": _clean(rel_path(e.path, ctx.root))})
        error = ET.SubElement(case, "error", {"message": _clean(one_line(e.message)), "type": "input-error"})
        error.text = _clean(e.message)
    return root


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    root = as_element(reports, ctx)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
