"""The one seam between the language server (poalint.lsp) and poalint's linting code.

The server never calls the pipeline itself: it asks a `Linting` object to lint one buffer,
explain one rule, or forget what it loaded. Everything below is what the command line does for
one letter, so an editor sees exactly what `poalint check FILE` prints:

    readers.from_bytes       the reader for the file's suffix: decoding checks, front matter, comments
    settings.Resolver        .poalint.yaml / [tool.poalint] discovery, walking up from the letter,
                             and the letter's effective settings (per-file-ignores ...) and its Setup
    api.lint_letter          the house's one per-letter entry point: language step, front matter
                             reason / notice / previous, the config's reason, the rules, suppression
                             comments, the score
    explain.rule_text        the text `poalint rule ID` prints

Nothing heavy is imported at module level: spaCy loads in `warm()`, which the server runs in
a background thread after `initialize`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from poalint.api import lint_letter
from poalint.config import ConfigError, find
from poalint.explain import rule_text, unknown_rule
from poalint.letter import Letter, LetterError
from poalint.model import Finding
from poalint.readers import from_bytes
from poalint.reasons import ReasonError
from poalint.ruleset import RuleFileError
from poalint.settings import Overrides, Resolver

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

    def _report(self, letter: Letter) -> LintOutcome:
        """One letter through the house entry point, `api.lint_letter`, with the Setup of its configuration."""
        resolver = self._get_resolver()
        try:
            setup = resolver.setup(resolver.effective(letter.path))
            report = lint_letter(letter, setup)
        except (ConfigError, RuleFileError) as exc:
            return LintOutcome(errors=(str(exc),))
        except ReasonError as exc:  # bad front matter reason, a notice or previous appeal that cannot be read
            return LintOutcome(errors=(str(exc),), warnings=letter.warnings)
        return LintOutcome(report.findings, report.score, report.passed, (), report.warnings, report.reason,
                           report.reason_source)

    # ---- rules ------------------------------------------------------------------------

    def rule_dirs(self, config_dir: Path | None) -> tuple[str, ...]:
        """The extra rule folders the configuration for `config_dir` names (() without one, or when it is broken)."""
        if config_dir is None:
            return ()
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
                try:
                    ruleset = self._get_resolver().ruleset(dirs)
                except RuleFileError as exc:
                    return f"poalint: error: {exc}\n"
                text = rule_text(ruleset, rule_id)
                self._explained[key] = text if text is not None else f"poalint: error: {unknown_rule(ruleset, rule_id)}\n"
            return self._explained[key]

    def rule_source(self, rule_id: str, config_dir: Path | None = None) -> str | None:
        """The YAML file that defines the rule (what `poalint rule` calls 'Defined in'), if known."""
        with self._lock:
            try:
                rule = self._get_resolver().ruleset(self.rule_dirs(config_dir)).rules.get(rule_id)
            except RuleFileError:
                return None
        return rule.source if rule is not None and rule.source else None
