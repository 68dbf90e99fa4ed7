"""Report renderers: each turns finished reports into text and does nothing else.

`FORMATS` is the one table of output formats: the command line's `--format` choices, what
can stream, which need repository-relative paths and which show the letter text all come
from it. A renderer is `render(reports, ctx) -> str`; a streaming format also has
`render_one(report, ctx)` and `tail(tally, ctx)`, so results are printed as soon as a letter
is done and only running totals are kept. Adding a format: one module and one row here.
"""

from __future__ import annotations

from dataclasses import dataclass

from poalint.formats import concise, full, github, gitlab, html, json_format, json_lines, junit, sarif
from poalint.formats._common import RenderContext, Renderer, RenderOne, Tail

__all__ = ["FORMATS", "FORMAT_NAMES", "Format", "RenderContext", "Renderer", "get_renderer"]


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str
    render: Renderer
    render_one: RenderOne | None = None  # with `tail`: the format streams (NOTE: memory stays flat)
    tail: Tail | None = None
    repo_relative: bool = False  # paths relative to the repository root (CI annotations need that)
    needs_text: bool = False  # reports carry the analysed letter text (Report.text)

    @property
    def streams(self) -> bool:
        return self.render_one is not None and self.tail is not None


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("full", full.render, full.render_one, full.tail),
    Format("concise", concise.render, concise.render_one, concise.tail),
    Format("json", json_format.render),
    Format("json-lines", json_lines.render, json_lines.render_one, json_lines.tail),
    Format("sarif", sarif.render, repo_relative=True),
    Format("github", github.render, github.render_one, github.tail, repo_relative=True),
    Format("gitlab", gitlab.render, repo_relative=True),
    Format("junit", junit.render, repo_relative=True),
    Format("html", html.render, needs_text=True),  # one page; several letters get an index
)}
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)


def get_renderer(name: str) -> Renderer:
    return FORMATS[name].render
