"""`--format json-lines`: one JSON object per finding per line (path, score, passed + the finding)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from poalint.formats._common import RenderContext, Tally
from poalint.model import Report

# line breaks that json.dumps(ensure_ascii=False) leaves raw but str.splitlines() splits on
_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _dumps(obj: dict[str, object]) -> str:
    text = json.dumps(obj, ensure_ascii=False)
    for raw, escaped in _BREAKS.items():
        text = text.replace(raw, escaped)
    return text


def render_one(report: Report, ctx: RenderContext) -> str:
    head = {"path": report.path, "score": report.score, "passed": report.passed}
    return "".join(_dumps({**head, **f.to_dict()}) + "\n" for f in report.findings)


def tail(tally: Tally, ctx: RenderContext) -> str:
    return ""  # one line per finding, no summary


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    return "".join(render_one(r, ctx) for r in reports)
