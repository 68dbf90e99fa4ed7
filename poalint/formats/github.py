"""`--format github`: GitHub Actions workflow commands, so findings show as annotations on the diff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from poalint.formats._common import RenderContext, Tally, rel_path, shown, span, summary_line, verdict
from poalint.model import Finding, Report, Severity

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part, as actions/toolkit escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property value: data escaping plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: Mapping[str, object], message: str) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def annotation(f: Finding, path: str) -> str:
    line, col, end_line, end_col = span(f)
    props: dict[str, object] = {"file": path, "line": line}
    if end_line == line:  # GitHub refuses col/endColumn on a multi-line annotation
        props.update(col=col, endLine=end_line, endColumn=end_col)
    else:
        props["endLine"] = end_line
    props["title"] = f"poalint ({f.rule})"
    message = f"{f.message} Fix: {f.fix}" if f.fix else f.message
    return command(_COMMANDS[f.severity], props, message)


def render_one(report: Report, ctx: RenderContext) -> str:
    if not shown(report, ctx):
        return ""
    path = rel_path(report.path, ctx.root)
    lines = [f"::group::poalint {escape_data(path)}"]
    lines += [annotation(f, path) for f in report.findings]
    lines.append(f"{escape_data(path)}: score {report.score:.0f}/100, {escape_data(verdict(report))}")
    lines.append("::endgroup::")
    return "\n".join(lines) + "\n"


def tail(tally: Tally, ctx: RenderContext) -> str:
    """After the last letter: the unreadable files, then the summary."""
    out = ""
    for e in ctx.errors:
        props = {"file": rel_path(e.path, ctx.root), "title": "poalint (input error)"}
        out += command("error", props, e.message) + "\n"
    return out + summary_line(tally, ctx) + "\n"


def render(reports: Sequence[Report], ctx: RenderContext) -> str:
    return "".join(render_one(r, ctx) for r in reports) + tail(Tally.of(reports), ctx)
