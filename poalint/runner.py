"""One run of `poalint check`: find letters, read them, lint them, print, choose the exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import IO, Any
from typing import Any

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
    notice: str | None = None  # --notice FILE: the Amazon notice every letter answers
    previous: str | None = None  # --previous FILE: the rejected appeal, for recycled-text
    rule_dirs: tuple[str, ...] = ()
    min_score: float | None = None
    quiet: bool = False
    max_file_size: int = 2 * 1024 * 1024
    color: bool = False
    select: tuple[str, ...] | None = None  # --select: replaces the configuration's list
    ignore: tuple[str, ...] = ()  # --ignore: added to the configuration's list
    fail_on: str | None = None
    config_file: str | None = None
    output_file: str | None = None
    statistics: bool = False
    exit_zero: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    changed_since: str | None = None
    jobs: int | None = None  # --jobs: None = the number of CPUs for many letters, 1 for a few
    cache: bool = True  # --no-cache turns the result cache off
    cache_dir: str | None = None  # --cache-dir (else $POALINT_CACHE_DIR, else .poalint_cache/ at the project root)

    def overrides(self) -> Any:
        from poalint.pipeline import Overrides

        return Overrides(self.config_file, self.select, self.ignore, self.min_score, self.fail_on, self.reason,
                         self.rule_dirs)


def _warn(message: str) -> None:
    click.echo(f"poalint: warning: {message}", err=True)


def _error(message: str) -> None:
    click.echo(f"poalint: error: {message}", err=True)


def read_all(cfg: RunConfig, errors: list[InputError], changed: set[str] | None = None) -> Iterator[Letter]:
    from poalint.vcs import only_changed

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
    from poalint.formats import RenderContext, get_renderer, get_streamer
    from poalint.formats._common import Tally
    from poalint.pipeline import SetupError, filter_baseline, rule_infos, settle, start
    from poalint.ruleset import RuleFileError

    try:
        resolver, baseline, changed = start(cfg.overrides(), cfg.baseline, cfg.changed_since)
        ruleset = resolver.ruleset(cfg.rule_dirs)
        out = _Output(cfg.output_file, discard=cfg.statistics)
    except (SetupError, RuleFileError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    reason = cfg.reason
    if reason is not None and reason != "none" and ruleset.reasons and reason not in ruleset.reasons:
        _error(f"unknown reason '{reason}'; use one of: {', '.join(sorted(ruleset.reasons))}, or none")
        return EXIT_ERROR
    errors: list[InputError] = []
    notice, previous = _run_inputs(cfg, ruleset, errors)
    tally = Tally()
    ctx = RenderContext(version=__version__, rules={r.id: r.info() for r in ruleset.rules.values()},
                        color=cfg.color and not cfg.output_file, errors=errors, quiet=cfg.quiet,
                        min_score=cfg.min_score if cfg.min_score is not None else 70.0, root=_root(cfg))
    renderer_name = cfg.output_format
    streamer = get_streamer(renderer_name)
    # NOTE: only what cannot be streamed keeps every Report (json, sarif, junit, gitlab need them all
    # at the end; --write-baseline too); otherwise memory stays flat however many letters there are.
    keep = (streamer is None and not out.discard) or bool(cfg.write_baseline)
    reports: list[Report] | None = [] if keep else None
    batch: list[Letter] = []

    from poalint.parallel import make_engine

    engine = make_engine(cfg, resolver, notice, previous, _warn)

    def flush(final: bool = False) -> None:
        ready = settle(resolver, batch, errors)
        # cached reports, then the rest linted here or by --jobs workers, always in input order
        for (letter, _eff, linter), report in zip(ready, engine.lint(ready, final)):
            if isinstance(report, str):  # bad front matter notice / reason: this letter only
                errors.append(InputError(letter.path, report))
                _error(report)
                continue
            report = filter_baseline(linter, report, baseline)
            tally.add(report)
            if reports is not None:
                reports.append(report)
            if streamer is not None:
                out.write(streamer[0](report, ctx))
        batch.clear()

    try:
        for letter in read_all(cfg, errors, changed):
            batch.append(letter)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush(final=True)
    finally:
        engine.close()
    ctx = replace(ctx, rules=rule_infos(resolver.rulesets()))
    if streamer is not None:
        out.write(streamer[1](tally, ctx))
    else:
        out.write(get_renderer(renderer_name)(reports or [], ctx))
    out.close()
    return _finish(cfg, tally, reports or [], errors, ctx)


def _finish(cfg: RunConfig, tally: Any, reports: list[Report], errors: list[InputError], ctx: Any) -> int:
    """--statistics, --write-baseline, then the exit code (--exit-zero hides failed letters, not errors)."""
    if cfg.statistics:
        from poalint.formats import statistics

        click.echo(statistics.render(tally, ctx), nl=False)
    if cfg.write_baseline:
        from poalint.baseline import BaselineError, write

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


def _root(cfg: RunConfig) -> str:
    """Paths in CI reports are relative to the repository root (GitHub and GitLab need that), else to here."""
    if cfg.output_format not in ("sarif", "github", "gitlab", "junit"):
        return "."
    from poalint.vcs import toplevel

    return toplevel() or "."


class _Output:
    """Standard output, or the --output-file (folders created); nothing at all for bare --statistics."""

    def __init__(self, path: str | None, discard: bool = False) -> None:
        from pathlib import Path

        from poalint.pipeline import SetupError

        self.file: IO[str] | None = None
        self.discard = discard and path is None
        if path:
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self.file = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in close()
            except OSError as exc:
                raise SetupError(f"{path}: cannot write the --output-file: {exc.strerror or exc}") from None

    def write(self, text: str) -> None:
        if not text or self.discard:
            return
        if self.file is not None:
            self.file.write(text)
        else:
            click.echo(text, nl=False)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _run_inputs(cfg: RunConfig, ruleset: Any, errors: list[InputError]) -> tuple[Any, Any]:
    """--notice and --previous, read once; a bad one is reported and the letters are linted without it."""
    from poalint.reasons import ReasonError, load_notice, load_previous

    loaded: list[Any] = []
    for path, load_one in ((cfg.notice, lambda p: load_notice(p, ruleset)), (cfg.previous, load_previous)):
        value = None
        if path:
            try:
                value = load_one(path)
            except ReasonError as exc:
                errors.append(InputError(path, str(exc)))
                _error(str(exc))
        loaded.append(value)
    return loaded[0], loaded[1]


def lint_ready(ready: Any, reason: str | None, notice: Any, previous: Any) -> list[Report | str]:
    """Settled letters -> a Report each, or the one-line error of a letter whose reason cannot be resolved.

    Runs in this process or in a --jobs worker (poalint.parallel), so it prints nothing.
    """
    from poalint.pipeline import apply_config_reason
    from poalint.reasons import ReasonError, resolve

    out: list[Report | str] = []
    # every rule set shares the built-in section vocabulary, so any Linter builds the Documents
    documents = ready[0][2].documents([letter for letter, _, _ in ready]) if ready else iter(())
    for (letter, eff, linter), document in zip(ready, documents):
        try:
            resolved = resolve(letter, linter.ruleset, reason, notice, previous)
        except ReasonError as exc:
            out.append(str(exc))
            continue
        resolved = apply_config_reason(resolved, eff, reason, letter.reason, linter.ruleset.reasons)
        out.append(_with_reason(linter.check(document, **resolved.check_args()), letter, reason))
    return out


def _with_reason(report: Report, letter: Letter, reason: str | None) -> Report:
    if report.reason is not None:
        return report
    from dataclasses import replace

    chosen = reason if reason and reason != "none" else letter.reason
    source = "--reason" if reason and reason != "none" else ("front matter" if letter.reason else None)
    return replace(report, reason=chosen, reason_source=source)
