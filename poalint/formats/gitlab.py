"""`--format gitlab`: a GitLab Code Quality report (artifacts:reports:codequality), a JSON array of issues."""

from __future__ import annotations

import json
from collections.abc import Sequence

from poalint.formats._common import RenderContext, base_fingerprint, fingerprints, rel_path, span
from poalint.model import Report, Severity

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def as_list(reports: Sequence[Report], ctx: RenderContext) -> list[dict[str, object]]:
    issues: list[dict[str, object]] = []
    for report in reports:
        path = rel_path(report.path, ctx.root)
        for f, fp in zip(report.findings, fingerprints(report.findings, path)):
            line, _, end_line, _ = span(f)
            issue: dict[str, object] = {
                "type": "issue",
                "description": f.message or f.rule,
                "check_name": f.rule,
                "fingerprint": fp,
                "severity": SEVERITIES[f.severity],
                "categories": ["Clarity"],
                "location": {"path": path, "lines": {"begin": line, "end": end_line}},
            }
            if f.fix:
                issue["content"] = {"body": f"Fix: {f.fix}"}
            issues.append(issue)
    for e in ctx.errors:  # a letter that could not be read is not checked: make that visible too
        path = rel_path(e.path, ctx.root)
        issues.append(
            {
                "type": "issue",
                "description": e.message,
                "check_name": "input-error",
                "fingerprint": base_fingerprint("input-error", "", path) + ":1",
                "severity": "critical",
                "categories": ["Bug Risk"],
                "location": {"path": path, "lines": {"begin": 1, "end": 1}},
            }
        )
    return issues


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    return json.dumps(as_list(reports, ctx), indent=2, ensure_ascii=False) + "\n"
