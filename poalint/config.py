"""Configuration files: `.poalint.yaml` or `[tool.poalint]` in pyproject.toml, found walking up from a letter.

A file is parsed and type-checked here (errors name the file, the line and the key);
rule ids are checked against the rule set later by `check_ids`, once the file's extra
rule folders are loaded.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from poalint.globs import glob_match
from poalint.model import Severity
from poalint.schema import yaml_key_line

YAML_NAMES = (".poalint.yaml", ".poalint.yml")
SEVERITIES = ("error", "warning", "info")
# short keys for the bounds of four format rules, kept as aliases of `settings`:
# `too-long: 1200` is `settings: {too-long: {max: 1200}}` (the bound the rule file sets)
THRESHOLDS: dict[str, type] = {"too-long": int, "too-short": int, "long-sentence": int, "hard-to-read": float}
BOUNDS = ("min", "max")
KEYS = ("select", "ignore", "severity", "per-file-ignores", "min-score", "fail-on", "reason", "rules", "settings",
        "max-per-rule", *THRESHOLDS)


class ConfigError(Exception):
    """A configuration problem: `path:line: key: what is wrong; valid choices`."""


@dataclass(frozen=True)
class FileConfig:
    """One configuration file, type-checked. Paths in `rules` are absolute."""

    path: str  # the file ("" for built-in defaults)
    text: str = ""
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    min_score: float | None = None
    fail_on: str | None = None
    reason: str | None = None
    rules: tuple[str, ...] = ()
    thresholds: Mapping[str, float] = field(default_factory=dict)
    settings: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # {rule id: {min / max: number}}
    max_per_rule: int | None = None  # findings shown per rule per letter before one "N more" finding (0: all)

    @property
    def root(self) -> Path:
        return Path(self.path).parent if self.path else Path.cwd()

    def error(self, keys: Sequence[object], problem: str) -> ConfigError:
        line = _line(self.path, self.text, keys)
        shown = ".".join(str(k) for k in keys) or "(top)"
        where = f"{self.path}:{line}" if line else self.path
        return ConfigError(f"{where}: {shown}: {problem}")

    def ignored_for(self, letter_path: str) -> tuple[str, ...]:
        """The rules `per-file-ignores` turns off for this letter (globs relative to the config file)."""
        if not self.per_file_ignores or letter_path in ("-", "<stdin>"):
            return ()
        target = Path(letter_path).resolve()
        try:
            rel = target.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = target.as_posix()
        out: list[str] = []
        for pattern, rules in self.per_file_ignores:
            if glob_match(pattern, rel):
                out.extend(rules)
        return tuple(out)


# ---------------------------------------------------------------- line numbers


def _line(path: str, text: str, keys: Sequence[object]) -> int:
    if not text:
        return 0
    if path.endswith(".toml"):
        return _toml_line(text, keys)
    return yaml_key_line(text, keys)


def _toml_line(text: str, keys: Sequence[object]) -> int:
    """Best effort (tomllib keeps no positions): the `[tool.poalint...]` table, then the key in it."""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if re.match(r"\s*\[\s*tool\.poalint\s*[\].]", ln)), 0)
    best = start + 1
    names = [str(k) for k in keys if not isinstance(k, int)]
    for i in range(start, len(lines)):
        for depth, name in enumerate(names):
            key = re.escape(name)
            if re.match(rf'\s*(?:"{key}"|{key})\s*=', lines[i]) or re.match(
                    rf'\s*\[\s*tool\.poalint\.(?:"{key}"|{key})\s*\]', lines[i]):
                if depth == len(names) - 1:
                    return i + 1
                best = i + 1
    return best


# ---------------------------------------------------------------- parsing


def _read_toml(path: Path, text: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    tool = data.get("tool", {})
    section = tool.get("poalint") if isinstance(tool, dict) else None
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: tool.poalint: must be a table ([tool.poalint])")
    return section


def _read(path: Path) -> tuple[str, dict[str, Any] | None]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        return text, _read_toml(path, text)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return text, {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: must be a mapping of keys ({', '.join(KEYS)}), not a {type(data).__name__}")
    return text, data


def _names(cfg: FileConfig, keys: list[object], value: Any) -> tuple[str, ...]:
    """A list of rule ids or categories; a comma-separated string is accepted too."""
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise cfg.error(keys, "must be a list of rule ids or categories, like [blame-shifting, tone]")
    return tuple(v.strip() for v in value)


def _number(cfg: FileConfig, key: str, value: Any, kind: type, low: float, high: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
        raise cfg.error([key], f"must be {'a whole number' if kind is int else 'a number'}, not {value!r}")
    if value < low or (high is not None and value > high):
        raise cfg.error([key], f"must be between {low:g} and {high:g}" if high is not None else f"must be >= {low:g}")
    return kind(value)


def parse(path: Path, text: str, data: Mapping[str, Any]) -> FileConfig:
    """Type-check one file's mapping (rule ids are checked later, by `check_ids`)."""
    cfg = FileConfig(str(path), text)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise cfg.error([key], f"unknown key{hint}; valid keys: {', '.join(KEYS)}")
        if key in ("select", "ignore"):
            values[key] = _names(cfg, [key], value)
        elif key == "severity":
            if not isinstance(value, dict):
                raise cfg.error([key], "must map rule ids to error, warning or info, like {missing-timeline: error}")
            for rid, sev in value.items():
                if str(sev).lower() not in SEVERITIES:
                    raise cfg.error([key, rid], f"unknown severity {sev!r}; valid: {', '.join(SEVERITIES)}")
            values[key] = {str(k): str(v).lower() for k, v in value.items()}
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise cfg.error([key], "must map file globs to lists of rules, like {'drafts/*.md': [too-short]}")
            values[key] = tuple((str(g), _names(cfg, [key, g], v)) for g, v in value.items())
        elif key == "min-score":
            values[key] = _number(cfg, key, value, float, 0, 100)
        elif key == "fail-on":
            if str(value).lower() not in SEVERITIES:
                raise cfg.error([key], f"unknown severity {value!r}; valid: {', '.join(SEVERITIES)}")
            values[key] = str(value).lower()
        elif key == "reason":
            if value is None:
                continue  # `reason: null`: no default (what `poalint config` prints)
            if not isinstance(value, str) or not value.strip():
                raise cfg.error([key], "must be a reason id like late-shipment (see `poalint reasons`), or none")
            values[key] = value.strip()
        elif key == "rules":
            folders = _names_of_folders(cfg, value)
            values[key] = folders
        elif key == "settings":
            values[key] = _bounds(cfg, value)
        elif key == "max-per-rule":
            values[key] = _number(cfg, key, value, int, 0, None)
        else:
            values[key] = _number(cfg, key, value, THRESHOLDS[key], 1, None)
    return FileConfig(
        str(path), text, values.get("select"), values.get("ignore", ()), values.get("severity", {}),
        values.get("per-file-ignores", ()), values.get("min-score"), values.get("fail-on"), values.get("reason"),
        values.get("rules", ()), {k: values[k] for k in THRESHOLDS if k in values}, values.get("settings", {}),
        values.get("max-per-rule"))


def _bounds(cfg: FileConfig, value: Any) -> dict[str, dict[str, float]]:
    """`settings: {rule-id: {min: N, max: N}}`: the bounds of metric and count rules (rule ids checked later)."""
    if not isinstance(value, dict):
        raise cfg.error(["settings"], "must map rule ids to bounds, like {too-long: {max: 1200}}")
    out: dict[str, dict[str, float]] = {}
    for rid, bounds in value.items():
        if not isinstance(bounds, dict) or not bounds:
            raise cfg.error(["settings", rid], "must be a mapping with min and/or max, like {max: 1200}")
        for bound, number in bounds.items():
            if bound not in BOUNDS:
                raise cfg.error(["settings", rid, bound], "unknown setting; use min or max")
            if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
                raise cfg.error(["settings", rid, bound], f"must be a number >= 0, not {number!r}")
        out[str(rid)] = {str(b): n for b, n in bounds.items()}
    return out


def _names_of_folders(cfg: FileConfig, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise cfg.error(["rules"], "must be a list of folders of YAML rule files, relative to this file")
    out = []
    for i, folder in enumerate(value):
        p = (cfg.root / folder).resolve()
        if not p.is_dir():
            raise cfg.error(["rules", i], f"'{folder}' is not a folder (looked for {p}); "
                                          "give folders of .yaml rule files, relative to this file")
        out.append(str(p))
    return tuple(out)


def load_file(path: str | Path) -> FileConfig:
    """A file named with --config: .poalint.yaml (any YAML name) or a pyproject.toml."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"{path}: --config needs a configuration file (.poalint.yaml or pyproject.toml), "
                          "and there is no such file")
    text, data = _read(p)
    if data is None:
        raise ConfigError(f"{path}: has no [tool.poalint] table")
    return parse(p, text, data)


def find(folder: Path) -> Path | None:
    """The nearest configuration file in `folder` or above it (.poalint.yaml beats pyproject.toml)."""
    for d in (folder, *folder.parents):
        for name in YAML_NAMES:
            if (d / name).is_file():
                return d / name
        pyproject = d / "pyproject.toml"
        if pyproject.is_file() and re.search(r"^\s*\[\s*tool\.poalint\b", _peek(pyproject), re.M):
            return pyproject
    return None


def _peek(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def check_ids(cfg: FileConfig, rule_ids: Iterable[str], categories: Iterable[str], reasons: Iterable[str]) -> None:
    """Every rule id or category the file names must exist (in the rule set its `rules` folders give)."""
    ids, cats = sorted(rule_ids), sorted(categories)
    valid = set(ids) | set(cats)
    checks: list[tuple[list[object], str]] = []
    for key, names in (("select", cfg.select or ()), ("ignore", cfg.ignore)):
        checks += [([key, i], n) for i, n in enumerate(names)]
    checks += [(["severity", n], n) for n in cfg.severity]
    checks += [(["settings", n], n) for n in cfg.settings]
    for glob, names in cfg.per_file_ignores:
        checks += [(["per-file-ignores", glob], n) for n in names]
    for keys, name in checks:
        if name not in valid:
            raise cfg.error(keys, unknown_rule_message(name, ids, cats))
    known_reasons = sorted(reasons)
    if cfg.reason and cfg.reason != "none" and known_reasons and cfg.reason not in known_reasons:
        raise cfg.error(["reason"], f"unknown reason '{cfg.reason}'; valid: {', '.join(known_reasons)}, none")


def unknown_rule_message(name: str, ids: Sequence[str], categories: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, [*ids, *categories], n=2)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    return (f"unknown rule or category '{name}'{hint}; valid categories: {', '.join(categories)}; "
            f"valid rule ids: {', '.join(ids)}")


def severity_map(cfg: FileConfig, rule_categories: Mapping[str, str]) -> dict[str, Severity]:
    """`severity:` with categories expanded to their rules (a rule id beats its category)."""
    out: dict[str, Severity] = {}
    for name, sev in cfg.severity.items():
        if name not in rule_categories:
            out.update({rid: Severity.parse(sev) for rid, cat in rule_categories.items() if cat == name})
    for name, sev in cfg.severity.items():
        if name in rule_categories:
            out[name] = Severity.parse(sev)
    return out
