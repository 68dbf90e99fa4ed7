"""Report renderers: each turns finished reports into text and does nothing else.

Every renderer has the signature `render(reports, ctx) -> str`. `FORMATS` is the
explicit table the command line offers; streaming formats (full, concise, json-lines, github)
also expose `render_one(report, ctx)` and `tail(tally, ctx)` so results can be
printed as soon as a letter is done and only running totals are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from poalint.model import InputError, Report, RuleInfo


@dataclass(frozen=True)
class RenderContext:
    """Everything a renderer may read besides the reports."""

    version: str
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)
    color: bool = False
    root: str = "."  # paths in SARIF / GitLab reports are made relative to this folder
    errors: Sequence[InputError] = ()
    quiet: bool = False
    min_score: float = 70.0


Renderer = Callable[[Sequence[Report], RenderContext], str]


def _load() -> dict[str, Renderer]:
    from poalint.formats import concise, full, github, gitlab, json_format, json_lines, junit, sarif

    return {
        "full": full.render,
        "json": json_format.render,
        "concise": concise.render,
        "json-lines": json_lines.render,
        "sarif": sarif.render,
        "github": github.render,
        "gitlab": gitlab.render,
        "junit": junit.render,
    }


def get_renderer(name: str) -> Renderer:
    return _load()[name]


def get_streamer(name: str) -> tuple[Callable[[Report, RenderContext], str], Callable[..., str]] | None:
    """(render_one, tail) of a format that can print each letter as it is done; None if it needs them all.

    NOTE: streaming keeps memory flat however many letters a run has (only running totals are kept).
    """
    from poalint.formats import concise, full, github, json_lines

    streams = {"full": full, "concise": concise, "json-lines": json_lines, "github": github}
    module = streams.get(name)
    return None if module is None else (module.render_one, module.tail)


FORMAT_NAMES: tuple[str, ...] = ("full", "json", "concise", "json-lines", "sarif", "github", "gitlab", "junit")
