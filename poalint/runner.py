"""One run of `poalint check`: find letters, read them, lint them, print, choose the exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass

import click

from poalint import __version__
from poalint.discover import expand
from poalint.letter import Letter, LetterError, from_bytes, read_letter
from poalint.model import InputError, Report

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
BATCH = 64  # letters per nlp.pipe batch: memory stays flat however many files a run has


@dataclass(frozen=True)
class RunConfig:
    paths: tuple[str, ...]
    output_format: str = "full"
    reason: str | None = None
    rule_dirs: tuple[str, ...] = ()
    min_score: float | None = None
    quiet: bool = False
    max_file_size: int = 2 * 1024 * 1024
    color: bool = False


def _warn(message: str) -> None:
    click.echo(f"poalint: warning: {message}", err=True)


def _error(message: str) -> None:
    click.echo(f"poalint: error: {message}", err=True)


def read_all(cfg: RunConfig, errors: list[InputError]) -> Iterator[Letter]:
    for found in expand(cfg.paths):
        if found.error:
            errors.append(InputError(found.path, found.error))
            _error(found.error)
            continue
        try:
            if found.path == "-":
                letter = from_bytes(sys.stdin.buffer.read(), "<stdin>")
            else:
                letter = read_letter(found.path, cfg.max_file_size)
        except LetterError as exc:
            errors.append(InputError(found.path, str(exc)))
            _error(str(exc))
            continue
        for w in letter.warnings:
            _warn(w)
        yield letter


def run(cfg: RunConfig) -> int:
    from poalint.engine import Linter, Options
    from poalint.formats import RenderContext, get_renderer
    from poalint.ruleset import RuleFileError, load

    try:
        ruleset = load(cfg.rule_dirs)
    except RuleFileError as exc:
        _error(str(exc))
        return EXIT_ERROR
    reason = cfg.reason
    if reason is not None and reason != "none" and ruleset.reasons and reason not in ruleset.reasons:
        _error(f"unknown reason '{reason}'; use one of: {', '.join(sorted(ruleset.reasons))}, or none")
        return EXIT_ERROR
    options = Options(min_score=cfg.min_score if cfg.min_score is not None else 70.0)
    linter = Linter(ruleset, options)
    errors: list[InputError] = []
    reports: list[Report] = []
    ctx = RenderContext(version=__version__, rules={r.id: r.info() for r in ruleset.rules.values()},
                        color=cfg.color, errors=errors, quiet=cfg.quiet, min_score=options.min_score)
    renderer_name = cfg.output_format
    stream_one = None
    if renderer_name == "full":
        from poalint.formats import full

        stream_one = full.render_one
    batch: list[Letter] = []

    def flush() -> None:
        for letter, report in zip(batch, linter.lint(batch)):
            report = _with_reason(report, letter, reason)
            reports.append(report)
            if stream_one is not None:
                out = stream_one(report, ctx)
                if out:
                    click.echo(out, nl=False)
        batch.clear()

    for letter in read_all(cfg, errors):
        batch.append(letter)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    if stream_one is not None:
        from poalint.formats import full

        click.echo(("\n" if reports else "") + full.summary(reports, ctx), nl=False)
    else:
        click.echo(get_renderer(renderer_name)(reports, ctx), nl=False)
    if errors:
        return EXIT_ERROR
    return EXIT_FAIL if any(not r.passed for r in reports) else EXIT_OK


def _with_reason(report: Report, letter: Letter, reason: str | None) -> Report:
    if report.reason is not None:
        return report
    from dataclasses import replace

    chosen = reason if reason and reason != "none" else letter.reason
    source = "--reason" if reason and reason != "none" else ("front matter" if letter.reason else None)
    return replace(report, reason=chosen, reason_source=source)
