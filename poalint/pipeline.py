"""Per-letter settings: configuration files + command line -> one Linter per distinct configuration.

A letter's settings come from the nearest configuration file above it (or --config),
then the command line on top. Letters with the same settings share one Linter (rules
and matchers are compiled once); the baseline is applied to each finished report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from poalint.config import THRESHOLDS, ConfigError, FileConfig, check_ids, find, load_file, severity_map
import click

from poalint.letter import Letter
from poalint.model import InputError, Report, Severity

if TYPE_CHECKING:
    from poalint.baseline import Baseline
    from poalint.engine import Linter, Options
    from poalint.ruleset import RuleSet

DEFAULTS = FileConfig("")


@dataclass(frozen=True)
class Overrides:
    """What the command line says; every field given beats the configuration file."""

    config_file: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()  # added to the file's ignore list
    min_score: float | None = None
    fail_on: str | None = None
    reason: str | None = None
    rule_dirs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Effective:
    """The settings one letter is linted with. `key` is equal for letters that can share a Linter."""

    config: FileConfig
    rule_dirs: tuple[str, ...]
    select: frozenset[str] | None
    ignore: frozenset[str]
    severity: tuple[tuple[str, Severity], ...]
    settings: tuple[tuple[str, float], ...]
    min_score: float
    fail_on: Severity
    reason: str | None
    file_ignores: tuple[str, ...] = field(default=())

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.rule_dirs, self.select, self.ignore, self.severity, self.settings, self.min_score, self.fail_on)

    def options(self) -> Options:
        from poalint.engine import Options

        return Options(min_score=self.min_score, select=self.select, ignore=self.ignore,
                       severity=dict(self.severity), settings=dict(self.settings), fail_on=self.fail_on)


class Resolver:
    """Finds, validates and merges configuration; caches per folder and per configuration file."""

    def __init__(self, overrides: Overrides) -> None:
        self.overrides = overrides
        self.forced = load_file(overrides.config_file) if overrides.config_file else None
        self._by_dir: dict[Path, FileConfig] = {}
        self._checked: dict[str, FileConfig] = {}
        self._rulesets: dict[tuple[str, ...], RuleSet] = {}
        self._linters: dict[tuple[Any, ...], Linter] = {}
        self.reported: set[str] = set()

    # ---- rule sets and linters, one per distinct configuration ----------------

    def ruleset(self, dirs: tuple[str, ...]) -> RuleSet:
        from poalint.ruleset import load

        if dirs not in self._rulesets:
            self._rulesets[dirs] = load(dirs)  # RuleFileError is the caller's to report
        return self._rulesets[dirs]

    def linter(self, eff: Effective) -> Linter:
        from poalint.engine import Linter

        if eff.key not in self._linters:
            self._linters[eff.key] = Linter(self.ruleset(eff.rule_dirs), eff.options())
        return self._linters[eff.key]

    def rulesets(self) -> list[RuleSet]:
        return list(self._rulesets.values())

    # ---- configuration files ----------------------------------------------------

    def config_for(self, letter_path: str) -> FileConfig:
        if self.forced is not None:
            return self._validated(self.forced)
        folder = Path.cwd() if letter_path in ("-", "<stdin>") else Path(os.path.abspath(letter_path)).parent
        if folder not in self._by_dir:
            found = find(folder)
            self._by_dir[folder] = load_file(found) if found is not None else DEFAULTS
        return self._validated(self._by_dir[folder])

    def _validated(self, cfg: FileConfig) -> FileConfig:
        if cfg.path not in self._checked:
            from poalint.ruleset import CATEGORIES

            ruleset = self.ruleset(self._dirs(cfg))
            check_ids(cfg, ruleset.rules, CATEGORIES, ruleset.reasons)
            self._checked[cfg.path] = cfg
        return cfg

    def _dirs(self, cfg: FileConfig) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*cfg.rules, *self.overrides.rule_dirs)))

    def effective(self, letter_path: str) -> Effective:
        """Configuration file, per-file-ignores and the command line merged for one letter."""
        from poalint.config import unknown_rule_message
        from poalint.ruleset import CATEGORIES

        cfg = self.config_for(letter_path)
        o = self.overrides
        dirs = self._dirs(cfg)
        ruleset = self.ruleset(dirs)
        ids = sorted(ruleset.rules)
        for option, names in (("--select", o.select or ()), ("--ignore", o.ignore)):
            for name in names:
                if name not in ruleset.rules and name not in CATEGORIES:
                    raise ConfigError(f"{option}: {unknown_rule_message(name, ids, CATEGORIES)}")
        select = o.select if o.select is not None else cfg.select
        file_ignores = cfg.ignored_for(letter_path)
        ignore = frozenset((*cfg.ignore, *o.ignore, *file_ignores))
        severity = severity_map(cfg, {rid: r.category for rid, r in ruleset.rules.items()})
        fail_on = o.fail_on or cfg.fail_on or "error"
        min_score = o.min_score if o.min_score is not None else cfg.min_score if cfg.min_score is not None else 70.0
        return Effective(cfg, dirs, frozenset(select) if select is not None else None, ignore,
                         tuple(sorted(severity.items())), _settings(cfg, ruleset), float(min_score),
                         Severity.parse(fail_on), o.reason or cfg.reason, file_ignores)

    def describe(self, path: str) -> dict[str, Any]:
        """The effective configuration for `path`, as `poalint config` prints it (itself a valid config)."""
        eff = self.effective(path)
        ruleset = self.ruleset(eff.rule_dirs)
        thresholds = {}
        for rid in THRESHOLDS:
            rule = ruleset.rules.get(rid)
            default = None
            if rule is not None:
                default = rule.options.get("max", rule.options.get("min"))
            value = cfg_value if (cfg_value := eff.config.thresholds.get(rid)) is not None else default
            if value is not None:
                thresholds[rid] = value
        cfg = eff.config
        out: dict[str, Any] = {
            "select": sorted(eff.select) if eff.select is not None else None,
            "ignore": sorted(eff.ignore),
            "severity": {k: str(v) for k, v in eff.severity},
            "per-file-ignores": {g: list(r) for g, r in cfg.per_file_ignores},
            "min-score": eff.min_score,
            "fail-on": str(eff.fail_on),
            "reason": eff.reason,
            "rules": list(eff.rule_dirs),
            **thresholds,
        }
        if out["select"] is None:
            del out["select"]  # every rule: the default
        return out


def _settings(cfg: FileConfig, ruleset: RuleSet) -> tuple[tuple[str, float], ...]:
    """`too-short: 50` -> `too-short.min: 50`: each threshold sets the bound its rule file sets (min or max)."""
    out = {}
    for rid, value in cfg.thresholds.items():
        rule = ruleset.rules.get(rid)
        bound = "min" if rule is not None and "min" in rule.options and "max" not in rule.options else "max"
        out[f"{rid}.{bound}"] = value
    return tuple(sorted(out.items()))


def apply_config_reason(resolved: Any, eff: Effective, cli_reason: str | None, letter_reason: str | None,
                        reasons: Mapping[str, Any]) -> Any:
    """The configuration's default `reason` beats a guess from the letter text, nothing more specific."""
    from dataclasses import replace

    if not eff.reason or cli_reason or letter_reason or eff.reason not in reasons:
        return resolved
    if resolved.source is None or str(resolved.source).startswith("detected"):
        where = os.path.relpath(eff.config.path) if eff.config.path else "configuration"
        return replace(resolved, reason=eff.reason, source=f"config {where}", pack=reasons[eff.reason])
    return resolved


def filter_baseline(linter: Linter, report: Report, baseline: Baseline | None) -> Report:
    if baseline is None:
        return report
    kept = baseline.new_findings(report)
    return report if len(kept) == len(report.findings) else linter.rescore(report, kept)


def rule_infos(rulesets: Sequence[RuleSet]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for rs in rulesets:
        for r in rs.rules.values():
            out.setdefault(r.id, r.info())
    return dict(sorted(out.items()))


class SetupError(Exception):
    """The run cannot start: bad --config, --baseline, --changed-since or --output-file; one line."""


def start(overrides: Overrides, baseline_path: str | None, changed_since: str | None
          ) -> tuple[Resolver, Baseline | None, set[str] | None]:
    """The resolver, the baseline and the set of changed files, or SetupError."""
    from poalint.baseline import BaselineError, load
    from poalint.vcs import GitError, changed_since as changed

    try:
        resolver = Resolver(overrides)
        baseline = load(baseline_path) if baseline_path else None
        files = changed(changed_since) if changed_since else None
    except (ConfigError, BaselineError, GitError) as exc:
        raise SetupError(str(exc)) from None
    return resolver, baseline, files


def settle(resolver: Resolver, letters: Sequence[Letter], errors: list[InputError]
           ) -> list[tuple[Letter, Effective, Linter]]:
    """Each letter with its settings and Linter; a letter under a broken configuration becomes an input error."""
    from poalint.ruleset import RuleFileError

    out = []
    for letter in letters:
        try:
            eff = resolver.effective(letter.path)
            out.append((letter, eff, resolver.linter(eff)))
        except (ConfigError, RuleFileError) as exc:
            errors.append(InputError(letter.path, str(exc)))
            if str(exc) not in resolver.reported:  # one broken file: say it once, not once per letter
                resolver.reported.add(str(exc))
                click.echo(f"poalint: error: {exc}", err=True)
    return out
