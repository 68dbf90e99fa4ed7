"""The one seam between the language server (poalint.lsp) and poalint's linting code.

The server never calls the pipeline itself: it asks a `Linting` object to lint one buffer,
explain one rule, or forget what it loaded. Everything below calls the functions the command
line uses for one letter, so an editor sees exactly what `poalint check FILE` prints:

    letter.from_bytes        decoding checks (NUL bytes / binary), front matter, comments
    pipeline.Resolver        .poalint.yaml / [tool.poalint] discovery, walking up from the letter
    pipeline.settle          the letter's effective settings (per-file-ignores ...) and its Linter
    runner.lint_ready        front matter reason / notice / previous, the config's reason,
                             the rules, suppression comments, the score
    cli.show_rule            the text `poalint rule ID` prints

When the house entry point `poalint.api.lint_letter(letter, setup) -> Report` lands, only
`Linting.lint` (the `_report` helper) changes.

Nothing heavy is imported at module level: spaCy loads in `warm()`, which the server runs in
a background thread after `initialize`.
"""

from __future__ import annotations

import contextlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from poalint.model import Finding

if TYPE_CHECKING:
    from poalint.pipeline import Resolver

MAX_BYTES = 2 * 1024 * 1024  # the command line's --max-file-size default (poalint.letter.DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class LintOutcome:
    """What one lint of one buffer gave: findings, or the one-line errors that stopped it."""

    findings: tuple[Finding, ...] = ()
    score: float | None = None
    passed: bool | None = None
    errors: tuple[str, ...] = ()  # "path:line: what is wrong" (bad config, binary buffer, bad front matter ...)
    warnings: tuple[str, ...] = ()
    reason: str | None = None
    reason_source: str | None = None


class Linting:
    """Lints editor buffers with the current project code; one instance per server (warm, cached)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.RLock()  # the server lints in one thread; the lock keeps other callers safe
        self._resolver: Resolver | None = None
        self._explained: dict[tuple[str, tuple[str, ...]], str] = {}
        self._dirs: dict[Path, tuple[str, ...]] = {}
        self._stamps: dict[Path, tuple[str, int, int] | None] = {}  # folder -> its configuration file, as last seen

    # ---- set-up -------------------------------------------------------------------

    def _get_resolver(self) -> Resolver:
        if self._resolver is None:
            from poalint.pipeline import Overrides, Resolver

            self._resolver = Resolver(Overrides())  # no command line: configuration files only
        return self._resolver

    def reload(self) -> None:
        """Forget configuration files, rule sets and explanations (a .poalint.yaml or pyproject.toml changed)."""
        with self._lock:
            self._resolver = None
            self._explained.clear()
            self._dirs.clear()
            self._stamps.clear()

    def _check_config(self, folder: Path) -> None:
        """Reload when the configuration file that applies to `folder` is new, gone or edited since the
        last lint there, so an editor that does not report file changes still gets it (a few stat calls)."""
        from poalint.config import find

        try:
            found = find(folder)
            stat = found.stat() if found is not None else None
        except OSError:
            found, stat = None, None
        stamp = (str(found), stat.st_mtime_ns, stat.st_size) if found is not None and stat is not None else None
        if folder in self._stamps and self._stamps[folder] != stamp:
            self.reload()
        self._stamps[folder] = stamp

    def warm(self, config_dir: Path | None = None) -> None:
        """Load spaCy, the rules and their matchers once (for the configuration of `config_dir`, the
        workspace folder), so the first real lint is fast."""
        from poalint.nlp import get_nlp

        get_nlp()
        folder = Path(config_dir) if config_dir is not None else Path.cwd()
        self.lint("Dear Seller Performance Team,\n\nOn 3 March 2026 we refunded every buyer.\n",
                  str(folder / "warm-up.txt"), folder)

    # ---- linting --------------------------------------------------------------------

    def lint(self, text: str, path: str, config_dir: Path) -> LintOutcome:
        """Lint one buffer as if it were the file `path`; configuration is found from `config_dir` upwards.

        `path` is the document's file path (for per-file-ignores, .md vs .txt, and front matter
        `notice:` / `previous:` files, which are relative to the letter); `config_dir` is normally
        its folder, or the workspace folder for an unsaved buffer.
        """
        from poalint.letter import LetterError, from_bytes

        if not text.strip():
            return LintOutcome()  # a new, empty buffer: nothing to say yet
        data = text.encode("utf-8", errors="replace")
        if len(data) > self.max_bytes:
            size, limit = len(data) / 1024 / 1024, self.max_bytes / 1024 / 1024
            message = f"{path}: is {size:.1f} MB, over the {limit:g} MB limit for a letter; poalint does not lint it"
            return LintOutcome(errors=(message,))
        probe = path if Path(path).parent == Path(config_dir) else str(Path(config_dir) / Path(path).name)
        try:
            letter = from_bytes(data, probe)
        except LetterError as exc:
            return LintOutcome(errors=(str(exc),))
        with self._lock:
            self._check_config(Path(config_dir))
            return self._report(letter)

    def _report(self, letter: Any) -> LintOutcome:
        """One letter through the command line's per-letter path: pipeline.settle, then runner.lint_ready.

        With the house entry point this becomes `report = lint_letter(letter, setup)` (the setup
        built once in `_get_resolver`'s place and dropped by `reload`), and errors it raises
        become `LintOutcome(errors=...)`; nothing else in the adapter or the server changes.
        """
        from poalint.config import ConfigError
        from poalint.model import InputError
        from poalint.pipeline import settle
        from poalint.ruleset import RuleFileError
        from poalint.runner import lint_ready

        errors: list[InputError] = []
        try:
            ready = settle(self._get_resolver(), [letter], errors)
            outcomes = lint_ready(ready, None, None, None) if ready else []
        except (ConfigError, RuleFileError) as exc:
            return LintOutcome(errors=(str(exc),))
        if errors or not outcomes:
            return LintOutcome(errors=tuple(e.message for e in errors) or (f"{letter.path}: could not be linted",))
        report = outcomes[0]
        if isinstance(report, str):  # bad front matter reason / notice / previous
            return LintOutcome(errors=(report,), warnings=letter.warnings)
        return LintOutcome(report.findings, report.score, report.passed, (), report.warnings, report.reason,
                           report.reason_source)

    # ---- rules ------------------------------------------------------------------------

    def rule_dirs(self, config_dir: Path | None) -> tuple[str, ...]:
        """The extra rule folders the configuration for `config_dir` names (() without one, or when it is broken)."""
        if config_dir is None:
            return ()
        from poalint.config import ConfigError
        from poalint.ruleset import RuleFileError

        with self._lock:
            folder = Path(config_dir)
            if folder not in self._dirs:
                try:
                    self._dirs[folder] = self._get_resolver().effective(str(folder / "letter.txt")).rule_dirs
                except (ConfigError, RuleFileError):
                    return ()
            return self._dirs[folder]

    def explain(self, rule_id: str, config_dir: Path | None = None) -> str:
        """What `poalint rule RULE_ID` prints (with the configuration's extra rule folders), or its error."""
        dirs = self.rule_dirs(config_dir)
        key = (rule_id, dirs)
        with self._lock:
            if key not in self._explained:
                self._explained[key] = _run_cli(["rule", rule_id, *(a for d in dirs for a in ("--rules", d))])
            return self._explained[key]

    def rule_source(self, rule_id: str, config_dir: Path | None = None) -> str | None:
        """The YAML file that defines the rule (what `poalint rule` calls 'Defined in'), if known."""
        from poalint.ruleset import RuleFileError

        with self._lock:
            try:
                rule = self._get_resolver().ruleset(self.rule_dirs(config_dir)).rules.get(rule_id)
            except RuleFileError:
                return None
        return rule.source if rule is not None and rule.source else None


def _run_cli(args: list[str]) -> str:
    """Run one `poalint` sub-command in this process and return what it printed (stdout, then stderr)."""
    from poalint.cli import cli

    out, err = io.StringIO(), io.StringIO()
    # NOTE: the server's protocol stream is the stdout *buffer* pygls took at start-up; swapping
    # sys.stdout here (under Linting's lock, in the lint thread) does not touch it.
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(args=args, prog_name="poalint", standalone_mode=False)
        except SystemExit:
            pass
        except Exception as exc:  # noqa: BLE001 - click usage errors and the like: say them, do not raise
            err.write(f"poalint: error: {exc}\n")
    return out.getvalue() + err.getvalue()
