"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning (upload-sarif) and other SARIF viewers."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from urllib.parse import quote

from poalint.formats._common import FINGERPRINT_KEY, RenderContext, fingerprints, rel_path, span
from poalint.model import Finding, Report, RuleInfo, Severity

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/poalint/poalint"
SRCROOT = "%SRCROOT%"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_WORD = re.compile(r"[A-Za-z0-9]+")


def rule_name(rule_id: str) -> str:
    """A readable PascalCase name from an id: `vague-root-cause` -> `VagueRootCause`."""
    words = _WORD.findall(rule_id)
    return "".join(w[:1].upper() + w[1:] for w in words) or rule_id


def artifact_location(path: str, ctx: RenderContext) -> dict[str, object]:
    rel = rel_path(path, ctx.root)
    if PurePosixPath(rel).is_absolute():  # outside the root: an absolute file URI, no base id
        return {"uri": "file://" + quote(rel, safe="/")}
    return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}


def _descriptor(rule: RuleInfo) -> dict[str, object]:
    fix = rule.fix or rule.summary or rule.id
    out: dict[str, object] = {
        "id": rule.id,
        "name": rule_name(rule.id),
        "shortDescription": {"text": rule.summary or rule.id},
        "fullDescription": {"text": rule.description or rule.summary or rule.id},
        "help": {"text": fix, "markdown": f"**Fix:** {fix}"},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
    }
    if rule.category:
        out["properties"] = {"tags": [rule.category]}
    return out


def _rules(reports: Sequence[Report], ctx: RenderContext) -> list[RuleInfo]:
    """Every rule in ctx.rules, then any rule a finding names that the table lacks (so ruleIndex is valid)."""
    rules = list(ctx.rules.values())
    known = {r.id for r in rules}
    for report in reports:
        for f in report.findings:
            if f.rule not in known:
                known.add(f.rule)
                rules.append(RuleInfo(f.rule, f.category, f.severity, f.rule, "", f.fix))
    return rules


def _region(f: Finding) -> dict[str, object]:
    line, col, end_line, end_col = span(f)
    region: dict[str, object] = {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}
    if f.excerpt and f.line > 0:
        region["snippet"] = {"text": f.excerpt}
    return region


def _result(f: Finding, fingerprint: str, index: int, location: dict[str, object]) -> dict[str, object]:
    props: dict[str, object] = {"category": f.category}
    if f.fix:
        props["fix"] = f.fix
    return {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _LEVELS[f.severity],
        "message": {"text": f.message or f.rule},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": _region(f)}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": props,
    }


def as_dict(reports: Sequence[Report], ctx: RenderContext) -> dict[str, object]:
    rules = _rules(reports, ctx)
    index = {r.id: i for i, r in enumerate(rules)}
    results: list[dict[str, object]] = []
    for report in reports:
        location = artifact_location(report.path, ctx)
        prints = fingerprints(report.findings, rel_path(report.path, ctx.root))
        for f, fp in zip(report.findings, prints):
            results.append(_result(f, fp, index[f.rule], location))
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{e.path}: {e.message}"},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(e.path, ctx)}}],
            "descriptor": {"id": "input-error"},
        }
        for e in ctx.errors
    ]
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "poalint",
                "version": ctx.version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(r) for r in rules],
            }
        },
        "invocations": [
            {"executionSuccessful": not ctx.errors, "toolExecutionNotifications": notifications}
        ],
        "columnKind": "unicodeCodePoints",  # Finding columns count code points, not UTF-16 units
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    return json.dumps(as_dict(reports, ctx), indent=2, ensure_ascii=False) + "\n"
