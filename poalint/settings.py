"""Per-letter settings: configuration files + command line -> one Setup (and Linter) per distinct configuration.

A letter's settings come from the nearest configuration file above it (or --config),
then the command line on top. Letters with the same settings share one Linter (rules
and matchers are compiled once); the baseline is applied to each finished report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from poalint.baseline import Baseline, BaselineError
from poalint.baseline import load as load_baseline
from poalint.cache import Fingerprints
from poalint.config import (
    THRESHOLDS,
    ConfigError,
    FileConfig,
    check_ids,
    find,
    load_file,
    severity_map,
    unknown_rule_message,
)
from poalint.letter import Letter
from poalint.model import CATEGORIES, MAX_PER_RULE, NOT_ENGLISH, InputError, Report, Severity
from poalint.ruleindex import RuleIndex
from poalint.ruleset import RuleFileError, RuleSet, load, load_index
from poalint.vcs import Changed

if TYPE_CHECKING:
    from poalint.api import Setup
    from poalint.engine import Linter, Options

DEFAULTS = FileConfig("")


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
    max_per_rule: int | None = None  # --max-per-rule: findings shown per rule per letter (0: all)

    def overrides(self) -> Overrides:
        return Overrides(self.config_file, self.select, self.ignore, self.min_score, self.fail_on, self.reason,
                         self.rule_dirs, self.max_per_rule)


@dataclass(frozen=True)
class RunInputs:
    """What every letter of a run is linted with besides its configuration: --reason, --notice, --previous."""

    reason: str | None = None
    notice: Any = None
    previous: Letter | None = None
    needs_text: bool = False


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
    max_per_rule: int | None = None


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
    max_per_rule: int = MAX_PER_RULE

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.rule_dirs, self.select, self.ignore, self.severity, self.settings, self.min_score, self.fail_on,
                self.max_per_rule)

    def options(self) -> Options:
        from poalint.engine import Options  # NOTE: the linting side, on the first letter linted (not a cache hit)

        return Options(min_score=self.min_score, select=self.select, ignore=self.ignore,
                       severity=dict(self.severity), settings=dict(self.settings), fail_on=self.fail_on,
                       max_per_rule=self.max_per_rule)


class Resolver:
    """Finds, validates and merges configuration; caches per folder and per configuration file."""

    def __init__(self, overrides: Overrides, inputs: RunInputs | None = None) -> None:
        self.overrides = overrides
        self.inputs = inputs or RunInputs()
        self.forced = load_file(overrides.config_file) if overrides.config_file else None
        self._by_dir: dict[Path, FileConfig] = {}
        self._checked: dict[str, FileConfig] = {}
        self._rulesets: dict[tuple[str, ...], RuleSet] = {}
        self._indexes: dict[tuple[str, ...], RuleIndex] = {}
        self._linters: dict[tuple[Any, ...], Linter] = {}
        self._setups: dict[tuple[Any, ...], Setup] = {}
        self.reported: set[str] = set()
        self.rules_cache: Path | None = None  # a result-cache folder: checked rule sets are kept there too
        self.prints = Fingerprints()  # poalint's code and the rule files, fingerprinted once for this Resolver

    # ---- rule sets and linters, one per distinct configuration ----------------

    def ruleset(self, dirs: tuple[str, ...]) -> RuleSet:
        if dirs not in self._rulesets:  # RuleFileError is the caller's to report
            self._rulesets[dirs] = load(dirs, cache=self.rules_cache, prints=self.prints)
        return self._rulesets[dirs]

    def index(self, dirs: tuple[str, ...]) -> RuleIndex:
        """What settling a letter and printing need of the rules: from the rules cache when it has it, so a
        run of cache hits never loads a RuleSet (nor imports the linting side)."""
        if dirs not in self._indexes:
            got = None
            if dirs not in self._rulesets:
                got = load_index(dirs, self.rules_cache, self.prints)
            self._indexes[dirs] = got if got is not None else RuleIndex.of(self.ruleset(dirs))
        return self._indexes[dirs]

    def linter(self, eff: Effective) -> Linter:
        from poalint.engine import Linter  # NOTE: the linting side, on the first letter linted (not a cache hit)

        if eff.key not in self._linters:
            self._linters[eff.key] = Linter(self.ruleset(eff.rule_dirs), eff.options())
        return self._linters[eff.key]

    def setup(self, eff: Effective) -> Setup:
        """The Setup letters with these settings are linted with (one per configuration)."""
        from poalint.api import Setup  # NOTE: the linting side, on the first letter linted (not a cache hit)

        key = (eff.key, eff.config.reason, eff.config.path)
        if key not in self._setups:
            i = self.inputs
            where = os.path.relpath(eff.config.path) if eff.config.path else "configuration"
            self._setups[key] = Setup(self.linter(eff), i.reason, i.notice, i.previous, eff.config.reason, where,
                                      i.needs_text)
        return self._setups[key]

    def indexes(self) -> list[RuleIndex]:
        return list(self._indexes.values())

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
            index = self.index(self._dirs(cfg))
            check_ids(cfg, [*index.rules, NOT_ENGLISH], CATEGORIES, index.reasons)
            for rid in cfg.settings:
                rule = index.rules.get(rid)
                if rid == NOT_ENGLISH:
                    raise cfg.error(["settings", rid], f"'{rid}' has no min / max bounds; only metric and count "
                                                       "rules have them")
                if rule is not None and not rule.bounds:
                    raise cfg.error(["settings", rid], f"'{rid}' is a {rule.kind} rule; only metric and count "
                                                       "rules (and weak-substance) have min / max bounds")
            self._checked[cfg.path] = cfg
        return cfg

    def _dirs(self, cfg: FileConfig) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*cfg.rules, *self.overrides.rule_dirs)))

    def effective(self, letter_path: str) -> Effective:
        """Configuration file, per-file-ignores and the command line merged for one letter."""
        cfg = self.config_for(letter_path)
        o = self.overrides
        dirs = self._dirs(cfg)
        index = self.index(dirs)
        ids = sorted([*index.rules, NOT_ENGLISH])
        for option, names in (("--select", o.select or ()), ("--ignore", o.ignore)):
            for name in names:
                if name not in ids and name not in CATEGORIES:
                    raise OptionError(f"{option}: {unknown_rule_message(name, ids, CATEGORIES)}")
        select = o.select if o.select is not None else cfg.select
        file_ignores = cfg.ignored_for(letter_path)
        ignore = frozenset((*cfg.ignore, *o.ignore, *file_ignores))
        severity = severity_map(cfg, {rid: r.category for rid, r in index.rules.items()})
        fail_on = o.fail_on or cfg.fail_on or "error"
        min_score = o.min_score if o.min_score is not None else cfg.min_score if cfg.min_score is not None else 70.0
        cap = o.max_per_rule if o.max_per_rule is not None else cfg.max_per_rule
        return Effective(cfg, dirs, frozenset(select) if select is not None else None, ignore,
                         tuple(sorted(severity.items())), _settings(cfg, index), float(min_score),
                         Severity.parse(fail_on), o.reason or cfg.reason, file_ignores,
                         cap if cap is not None else MAX_PER_RULE)

    def describe(self, path: str) -> dict[str, Any]:
        """The effective configuration for `path`, as `poalint config` prints it (itself a valid config)."""
        eff = self.effective(path)
        index = self.index(eff.rule_dirs)
        thresholds = {}
        for rid in THRESHOLDS:
            rule = index.rules.get(rid)
            default = None
            if rule is not None:
                bounds = (rule.bound("max"), rule.bound("min"))
                default = bounds[0] if bounds[0] is not None else bounds[1]
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
            "max-per-rule": eff.max_per_rule,
            "rules": list(eff.rule_dirs),
            **thresholds,
        }
        if cfg.settings:
            out["settings"] = {rid: dict(bounds) for rid, bounds in cfg.settings.items()}
        if out["select"] is None:
            del out["select"]  # every rule: the default
        return out


def _settings(cfg: FileConfig, index: RuleIndex) -> tuple[tuple[str, float], ...]:
    """`settings: {too-long: {max: 1200}}` -> `too-long.max: 1200`. The short keys (`too-short: 50`) set the
    bound their rule file sets (min or max); `settings` beats a short key for the same bound."""
    out = {}
    for rid, value in cfg.thresholds.items():
        rule = index.rules.get(rid)
        sets = {k for k in ("min", "max") if rule is not None and rule.bound(k) is not None}
        bound = "min" if sets == {"min"} else "max"
        out[f"{rid}.{bound}"] = value
    for rid, bounds in cfg.settings.items():
        for bound, number in bounds.items():
            out[f"{rid}.{bound}"] = number
    return tuple(sorted(out.items()))


def filter_baseline(linter: Callable[[], Linter], report: Report, baseline: Baseline | None) -> Report:
    """The report without the baseline's findings (`linter` gives the letter's Linter, to score what is left)."""
    if baseline is None:
        return report
    kept = baseline.new_findings(report)
    return report if len(kept) == len(report.findings) else linter().rescore(report, kept)


def rule_infos(indexes: Sequence[RuleIndex]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for index in indexes:
        for rid, r in index.rules.items():
            out.setdefault(rid, r.info)
    return dict(sorted(out.items()))


class OptionError(ConfigError):
    """A command-line option is wrong (an unknown --select / --ignore name): the run stops, exit 2, no summary."""


class SetupError(Exception):
    """The run cannot start: bad --config, --baseline, --changed-since or --output-file; one line."""


def start(overrides: Overrides, baseline_path: str | None, changed_since: str | None
          ) -> tuple[Resolver, Baseline | None, Changed | None]:
    """The resolver, the baseline and the --changed-since filter (asked per letter's repository), or SetupError."""
    try:
        resolver = Resolver(overrides)
        baseline = load_baseline(baseline_path) if baseline_path else None
    except (ConfigError, BaselineError) as exc:
        raise SetupError(str(exc)) from None
    return resolver, baseline, Changed(changed_since) if changed_since else None


def settle(resolver: Resolver, letters: Sequence[Letter], errors: list[InputError],
           report: Callable[[str], None] = lambda message: None) -> list[tuple[Letter, Effective]]:
    """Each letter with its settings (`resolver.setup(eff)` gives the Setup to lint it with); a letter under a
    broken configuration becomes an input error."""
    out = []
    for letter in letters:
        try:
            eff = resolver.effective(letter.path)
            out.append((letter, eff))
        except OptionError:
            raise  # the command line is wrong for every letter: the caller stops the run
        except (ConfigError, RuleFileError) as exc:
            errors.append(InputError(letter.path, str(exc)))
            if str(exc) not in resolver.reported:  # one broken file: say it once, not once per letter
                resolver.reported.add(str(exc))
                report(str(exc))
    return out


def read_inputs(cfg: RunConfig, ruleset: Callable[[], RuleSet], warn: Callable[[str], None] = lambda message: None,
                needs_text: bool = False) -> RunInputs:
    """--reason, and --notice and --previous read once (`ruleset` gives the rules, which a notice is read with).

    A missing or unreadable file is a SetupError (the run stops, exit 2: linting without it would
    mislead); a notice that reads but is not an Amazon notice is a warning, and the letters are linted
    without it.
    """
    if not (cfg.notice or cfg.previous):
        return RunInputs(cfg.reason, None, None, needs_text)
    from poalint.reasons import ReasonError, load_notice, load_previous  # NOTE: the linting side, for these only

    loaded: list[Any] = []
    for path, load_one in ((cfg.notice, lambda p: load_notice(p, ruleset())), (cfg.previous, load_previous)):
        value = None
        if path:
            try:
                value = load_one(path)
            except ReasonError as exc:
                raise SetupError(str(exc)) from None
        loaded.append(value)
    return RunInputs(cfg.reason, loaded[0], loaded[1], needs_text)
