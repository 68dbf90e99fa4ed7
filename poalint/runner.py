"""One run of `poalint check`: find letters, read them, lint them, print, choose the exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

import click

from poalint import __version__
from poalint.baseline import BaselineError, write
from poalint.cache import cache_dir
from poalint.discover import expand
from poalint.formats import FORMATS, Format, statistics
from poalint.formats._common import RenderContext, Tally
from poalint.letter import Letter, LetterError
from poalint.model import EXIT_ERROR, EXIT_FAIL, EXIT_OK, InputError, LetterFailure, Report
from poalint.parallel import make_scheduler
from poalint.readers import from_bytes, read_letter
from poalint.ruleset import RuleFileError
from poalint.settings import OptionError, RunConfig, SetupError, filter_baseline, read_inputs, rule_infos, settle, start
from poalint.vcs import Changed, only_changed, toplevel

__all__ = ["EXIT_ERROR", "EXIT_FAIL", "EXIT_OK", "RunConfig", "run"]
BATCH = 64  # letters per nlp.pipe batch: memory stays flat however many files a run has


def _warn(message: str) -> None:
    click.echo(f"poalint: warning: {message}", err=True)


def _error(message: str) -> None:
    click.echo(f"poalint: error: {message}", err=True)


def read_all(cfg: RunConfig, errors: list[InputError], changed: Changed | None = None) -> Iterator[Letter]:
    found_all = expand(cfg.paths)
    for found in found_all if changed is None else only_changed(found_all, changed):
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
    """Lint every letter of the run, print the results, return the exit code."""
    try:
        return _run(cfg)
    except OutputError as exc:
        _error(str(exc))
        return EXIT_ERROR


def _run(cfg: RunConfig) -> int:
    fmt = FORMATS[cfg.output_format]
    try:
        resolver, baseline, changed = start(cfg.overrides(), cfg.baseline, cfg.changed_since)
        resolver.rules_cache = cache_dir(cfg.cache_dir) if cfg.cache else None
        index = resolver.index(cfg.rule_dirs)
        out = _Output(cfg.output_file)
    except (SetupError, RuleFileError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    reason = cfg.reason
    if reason is not None and reason != "none" and index.reasons and reason not in index.reasons:
        from poalint.reasons import unknown_reason  # NOTE: the linting side, on this error only

        _error(unknown_reason(reason, resolver.ruleset(cfg.rule_dirs)))
        return EXIT_ERROR
    errors: list[InputError] = []
    try:
        resolver.inputs = read_inputs(cfg, lambda: resolver.ruleset(cfg.rule_dirs), _warn, needs_text=fmt.needs_text)
    except SetupError as exc:  # --notice / --previous missing or unreadable: nothing is linted without it
        _error(str(exc))
        return EXIT_ERROR
    tally = Tally()
    ctx = RenderContext(version=__version__, rules={rid: r.info for rid, r in index.rules.items()},
                        color=cfg.color and not cfg.output_file, errors=errors, quiet=cfg.quiet,
                        min_score=cfg.min_score if cfg.min_score is not None else 70.0, root=_root(cfg, fmt),
                        statistics=cfg.statistics)
    # NOTE: only what cannot be streamed keeps every Report (json, sarif, junit, gitlab need them all
    # at the end; --write-baseline too); otherwise memory stays flat however many letters there are.
    keep = not fmt.streams or bool(cfg.write_baseline)
    reports: list[Report] | None = [] if keep else None
    batch: list[Letter] = []
    said: set[str] = set()
    scheduler = make_scheduler(cfg, resolver, _warn)

    def flush(final: bool = False) -> None:
        ready = settle(resolver, batch, errors, _error)
        # cached reports, then the rest linted here or by --jobs workers, always in input order
        for (letter, eff), report in zip(ready, scheduler.lint(ready, final)):
            if isinstance(report, LetterFailure):  # bad front matter notice / reason: this letter only
                errors.append(InputError(report.path, report.message))
                _error(report.message)
                continue
            for w in report.warnings:  # found while linting (a notice not parsed, paragraphs not in English)
                if w not in letter.warnings and w not in said:
                    said.add(w)  # a --notice poalint cannot parse: said once, not once per letter
                    _warn(w)
            if fmt.needs_text and report.text is None:  # a cached report: the text is the letter's
                report = replace(report, text=letter.text)
            report = filter_baseline(lambda: resolver.setup(eff).linter, report, baseline)  # noqa: B023 - called here
            tally.add(report)
            if reports is not None:
                reports.append(report)
            if fmt.render_one is not None:
                out.write(fmt.render_one(report, ctx))
        batch.clear()

    try:
        for letter in read_all(cfg, errors, changed):
            batch.append(letter)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush(final=True)
        ctx = replace(ctx, rules=rule_infos(resolver.indexes()))
        if fmt.tail is not None:
            out.write(fmt.tail(tally, ctx))
        else:
            out.write(fmt.render(reports or [], ctx))
        out.close()
    except OptionError as exc:  # an unknown --select / --ignore name: nothing was checked, so no summary
        _error(str(exc))
        return EXIT_ERROR
    finally:
        scheduler.close()
        out.discard_rest()
    return _finish(cfg, tally, reports or [], errors, ctx)


def _finish(cfg: RunConfig, tally: Tally, reports: list[Report], errors: list[InputError], ctx: RenderContext) -> int:
    """--statistics (to standard error), --write-baseline, then the exit code (--exit-zero hides failed letters, not errors)."""
    if cfg.statistics and cfg.output_format != "json":  # json has a `statistics` member instead
        click.echo(statistics.render(tally, ctx), nl=False, err=True)
    if cfg.write_baseline:
        try:
            n = write(cfg.write_baseline, reports)
        except BaselineError as exc:
            _error(str(exc))
            return EXIT_ERROR
        click.echo(f"poalint: wrote {n} finding{'s' if n != 1 else ''} of {tally.letters} letter"
                   f"{'s' if tally.letters != 1 else ''} to the baseline {cfg.write_baseline}", err=True)
    if errors:
        return EXIT_ERROR
    if cfg.exit_zero or cfg.write_baseline:
        return EXIT_OK
    return EXIT_FAIL if tally.failed else EXIT_OK


def _root(cfg: RunConfig, fmt: Format) -> str:
    """Paths in CI reports are relative to the repository root (GitHub and GitLab need that), else to here."""
    if not fmt.repo_relative:
        return "."
    return toplevel() or "."


class _Output:
    """Standard output, or the --output-file (folders created)."""

    def __init__(self, path: str | None) -> None:
        self.file: IO[str] | None = None
        self.path = path
        if path:
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self.file = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in close()
            except OSError as exc:
                raise SetupError(f"{path}: cannot write the --output-file: {exc.strerror or exc}") from None

    def write(self, text: str) -> None:
        if not text:
            return
        try:
            if self.file is not None:
                self.file.write(text)
            else:
                click.echo(text, nl=False)
        except OSError as exc:
            raise OutputError(f"{self._where()}: cannot write the results: {exc.strerror or exc}") from None

    def close(self) -> None:
        if self.file is not None:
            file, self.file = self.file, None
            try:
                file.close()
            except OSError as exc:
                raise OutputError(f"{self._where()}: cannot write the results: {exc.strerror or exc}") from None

    def discard_rest(self) -> None:
        """After a write error: close without flushing what is left (it cannot be written either)."""
        if self.file is not None:
            file, self.file = self.file, None
            try:
                file.close()
            except OSError:
                pass

    def _where(self) -> str:
        return self.path or "standard output"


class OutputError(Exception):
    """The results cannot be written (disk full, closed pipe ...): one line, exit 2."""
