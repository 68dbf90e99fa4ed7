"""Configuration files: discovery, every key, validation errors (exit 2, file, line, key, choices), `poalint config`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from poalint.cli import cli
from poalint.config import ConfigError, find, glob_match, load_file

# A letter with one placeholder (an error) and about 40 words (under too-short's 80).
SHORT = """Root cause: our handling time of one day was too short for afternoon orders.

Corrective actions: on 9 March 2026 we set the handling time to two days.

Preventive measures: every Monday our manager checks the late shipment rate.

Sincerely, [Your Name]
"""


def run(args: list[str], cwd: Path | None = None):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, args, catch_exceptions=False)
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def rules_of(result) -> list[str]:  # type: ignore[no-untyped-def]
    data = json.loads(result.stdout)
    return sorted(f["rule"] for file in data["files"] for f in file["findings"])


def letter(tmp_path: Path, name: str = "letter.txt", text: str = SHORT) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def lint(path: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run(["check", "--format", "json", *extra, str(path)])


# ---------------------------------------------------------------- discovery


def test_nearest_config_wins_and_yaml_beats_pyproject(tmp_path: Path) -> None:
    (tmp_path / ".poalint.yaml").write_text("ignore: [placeholder]\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "pyproject.toml").write_text("[tool.poalint]\nignore = ['too-short']\n")
    assert find(sub) == sub / "pyproject.toml"
    assert find(tmp_path / "a") == tmp_path / ".poalint.yaml"
    (sub / ".poalint.yaml").write_text("min-score: 50\n")
    assert find(sub) == sub / ".poalint.yaml"


def test_pyproject_without_tool_poalint_is_skipped(tmp_path: Path) -> None:
    (tmp_path / ".poalint.yaml").write_text("ignore: [placeholder]\n")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find(tmp_path / "x") == tmp_path / ".poalint.yaml"


def test_each_letter_uses_its_own_nearest_config(tmp_path: Path) -> None:
    a = letter(tmp_path / "a", "one.txt")
    b = letter(tmp_path / "b", "two.txt")
    (tmp_path / "a" / ".poalint.yaml").write_text("select: [placeholder]\n")
    (tmp_path / "b" / "pyproject.toml").write_text("[tool.poalint]\nselect = ['too-short']\n")
    data = json.loads(run(["check", "--format", "json", str(a), str(b)]).stdout)
    got = {Path(f["path"]).name: sorted({x["rule"] for x in f["findings"]}) for f in data["files"]}
    assert got == {"one.txt": ["placeholder"], "two.txt": ["too-short"]}


def test_config_option_beats_discovery(tmp_path: Path) -> None:
    p = letter(tmp_path)
    (tmp_path / ".poalint.yaml").write_text("select: [placeholder]\n")
    other = tmp_path / "other.yaml"
    other.write_text("select: [too-short]\n")
    assert set(rules_of(lint(p, "--config", str(other)))) == {"too-short"}


# ---------------------------------------------------------------- every key


def test_select_and_ignore_accept_ids_and_categories(tmp_path: Path) -> None:
    p = letter(tmp_path)
    (tmp_path / ".poalint.yaml").write_text("select: [hygiene, format]\nignore: [too-short]\n")
    got = set(rules_of(lint(p)))
    assert "placeholder" in got and "too-short" not in got
    assert all(r in ("placeholder", "unused-suppression", "external-link", "buyer-pii", "hard-to-read",
                     "long-sentence", "too-long") for r in got)


def test_severity_override_and_fail_on(tmp_path: Path) -> None:
    p = letter(tmp_path)
    (tmp_path / ".poalint.yaml").write_text("select: [too-short]\nseverity: {too-short: error}\n")
    data = json.loads(lint(p).stdout)
    assert [f["severity"] for f in data["files"][0]["findings"]] == ["error"]
    assert data["files"][0]["passed"] is False
    (tmp_path / ".poalint.yaml").write_text("select: [too-short]\nseverity: {format: info}\nfail-on: info\n")
    data = json.loads(lint(p).stdout)
    assert [f["severity"] for f in data["files"][0]["findings"]] == ["info"]
    assert data["files"][0]["passed"] is False  # fail-on: info fails on any finding


def test_per_file_ignores_globs(tmp_path: Path) -> None:
    draft = letter(tmp_path / "drafts" / "2026", "d.txt")
    final = letter(tmp_path / "sent", "s.txt")
    (tmp_path / ".poalint.yaml").write_text(
        "select: [placeholder, too-short]\nper-file-ignores:\n  'drafts/**/*.txt': [placeholder]\n  's.txt': [too-short]\n")
    data = json.loads(run(["check", "--format", "json", str(draft), str(final)]).stdout)
    got = {Path(f["path"]).name: sorted({x["rule"] for x in f["findings"]}) for f in data["files"]}
    assert got == {"d.txt": ["too-short"], "s.txt": ["placeholder"]}


@pytest.mark.parametrize(("pattern", "path", "hit"), [
    ("drafts/*.txt", "drafts/a.txt", True), ("drafts/*.txt", "drafts/x/a.txt", False),
    ("drafts/**/*.txt", "drafts/x/y/a.txt", True), ("drafts/**/*.txt", "drafts/a.txt", True),
    ("*.md", "deep/er/a.md", True), ("a?.md", "ab.md", True), ("[ab].md", "c.md", False), ("old/", "old/x.md", True),
])
def test_glob_match(pattern: str, path: str, hit: bool) -> None:
    assert glob_match(pattern, path) is hit


def test_min_score_and_thresholds(tmp_path: Path) -> None:
    p = letter(tmp_path)
    (tmp_path / ".poalint.yaml").write_text("select: [too-short, too-long, long-sentence]\ntoo-short: 20\n")
    assert rules_of(lint(p)) == []
    (tmp_path / ".poalint.yaml").write_text("select: [too-long, long-sentence]\ntoo-long: 10\nlong-sentence: 8\n")
    got = rules_of(lint(p))
    assert "too-long" in got and got.count("long-sentence") >= 2
    (tmp_path / ".poalint.yaml").write_text("select: [too-short]\nmin-score: 99\n")
    data = json.loads(lint(p).stdout)
    assert data["files"][0]["passed"] is False  # a warning costs 8 points: 92 < 99


def test_hard_to_read_threshold(tmp_path: Path) -> None:
    heavy = ("Notwithstanding considerable organizational complications, our establishment comprehensively "
             "reconfigured its operational verification methodologies and institutionalized multidimensional "
             "accountability frameworks. ") * 8
    p = letter(tmp_path, text=heavy)
    (tmp_path / ".poalint.yaml").write_text("select: [hard-to-read]\nhard-to-read: 60\n")
    assert rules_of(lint(p)) == []
    (tmp_path / ".poalint.yaml").write_text("select: [hard-to-read]\nhard-to-read: 5\n")
    assert rules_of(lint(p)) == ["hard-to-read"]


def test_reason_key_is_the_default(tmp_path: Path) -> None:
    p = letter(tmp_path)
    (tmp_path / ".poalint.yaml").write_text("select: [placeholder]\nreason: late-shipment\n")
    from poalint.ruleset import load

    if "late-shipment" not in load().reasons:
        pytest.skip("no late-shipment rule pack yet")
    data = json.loads(lint(p).stdout)
    assert data["files"][0]["reason"] == "late-shipment"
    front = letter(tmp_path, "front.md", "---\nreason: inauthentic\n---\n" + SHORT)
    assert json.loads(lint(front).stdout)["files"][0]["reason"] == "inauthentic"  # front matter beats the default


def test_rules_key_adds_folders_relative_to_the_config(tmp_path: Path) -> None:
    extra = tmp_path / "house-rules"
    extra.mkdir()
    (extra / "no-sorry.yaml").write_text(
        "id: no-sorry\nkind: phrase\ncategory: tone\nseverity: warning\nsummary: No 'sorry'.\n"
        "phrases: [handling time]\nmessage: 'Found {match}.'\nfix: Rewrite it.\n")
    sub = tmp_path / "letters"
    p = letter(sub)
    (tmp_path / ".poalint.yaml").write_text("rules: [house-rules]\nselect: [no-sorry]\n")
    assert set(rules_of(lint(p))) == {"no-sorry"}


def test_command_line_overrides_the_file(tmp_path: Path) -> None:
    p = letter(tmp_path)
    (tmp_path / ".poalint.yaml").write_text("select: [placeholder]\nmin-score: 10\n")
    assert set(rules_of(lint(p, "--select", "too-short"))) == {"too-short"}
    assert rules_of(lint(p, "--ignore", "placeholder")) == []
    data = json.loads(lint(p, "--select", "too-short", "--min-score", "95").stdout)
    assert data["files"][0]["passed"] is False


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(("text", "expect"), [
    ("selct: [placeholder]\n", [":1: selct: unknown key (did you mean 'select'?)", "valid keys: select, ignore"]),
    ("ignore:\n  - placeholder\n  - blame-shift\n", [":3: ignore.1: unknown rule or category 'blame-shift'",
                                                      "did you mean 'blame-shifting'", "valid rule ids:"]),
    ("severity:\n  placeholder: fatal\n", [":2: severity.placeholder: unknown severity 'fatal'",
                                           "valid: error, warning, info"]),
    ("min-score: high\n", [":1: min-score: must be a number"]),
    ("too-long: 12.5\n", [":1: too-long: must be a whole number"]),
    ("min-score: 120\n", ["min-score: must be between 0 and 100"]),
    ("rules: [nowhere]\n", [":1: rules.0: 'nowhere' is not a folder"]),
    ("per-file-ignores: [a]\n", [":1: per-file-ignores: must map file globs"]),
    ("per-file-ignores:\n  '*.md': [nope]\n", [":2: per-file-ignores.*.md: unknown rule or category 'nope'"]),
    ("- a\n- b\n", [":1: must be a mapping of keys"]),
    ("select: [a\n", ["not valid YAML"]),
])
def test_bad_config_exits_2_naming_file_line_key(tmp_path: Path, text: str, expect: list[str]) -> None:
    p = letter(tmp_path)
    (tmp_path / ".poalint.yaml").write_text(text)
    result = lint(p)
    assert result.exit_code == 2
    assert str(tmp_path / ".poalint.yaml") in result.stderr
    for part in expect:
        assert part in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_pyproject_names_the_line(tmp_path: Path) -> None:
    p = letter(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.poalint]\nselect = ['placeholder']\n"
                                             "fail_on = 'error'\n")
    result = lint(p)
    assert result.exit_code == 2
    assert "pyproject.toml:6: fail_on: unknown key (did you mean 'fail-on'?)" in result.stderr


def test_bad_config_for_one_folder_does_not_stop_the_others(tmp_path: Path) -> None:
    good = letter(tmp_path / "good")
    bad = letter(tmp_path / "bad")
    (tmp_path / "bad" / ".poalint.yaml").write_text("nope: 1\n")
    result = run(["check", "--format", "json", str(bad), str(good), str(bad.with_name("again.txt"))])
    assert result.exit_code == 2
    assert [Path(f["path"]).parent.name for f in json.loads(result.stdout)["files"]] == ["good"]
    assert result.stderr.count("nope: unknown key") == 1


def test_unknown_rule_on_the_command_line(tmp_path: Path) -> None:
    result = lint(letter(tmp_path), "--select", "placeholdr")
    assert result.exit_code == 2
    assert "--select: unknown rule or category 'placeholdr' (did you mean 'placeholder'?)" in result.stderr


def test_missing_config_file_option(tmp_path: Path) -> None:
    result = lint(letter(tmp_path), "--config", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "nope.yaml: --config needs a configuration file" in result.stderr
    with pytest.raises(ConfigError, match="no \\[tool.poalint\\] table"):
        (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
        load_file(tmp_path / "pyproject.toml")


# ---------------------------------------------------------------- poalint config


def test_config_command_prints_the_effective_configuration(tmp_path: Path) -> None:
    (tmp_path / ".poalint.yaml").write_text(
        "ignore: [tone]\nseverity: {too-short: error}\nper-file-ignores: {'drafts/*': [placeholder]}\n"
        "too-long: 700\nmin-score: 60\n")
    (tmp_path / "drafts").mkdir()
    result = run(["config", str(tmp_path / "drafts" / "x.md")])
    assert result.exit_code == 0, result.stderr
    assert f"# from {tmp_path / '.poalint.yaml'}" in result.stdout
    data = yaml.safe_load(result.stdout)
    assert data["ignore"] == ["placeholder", "tone"]  # per-file-ignores applied for this path
    assert data["severity"] == {"too-short": "error"}
    assert data["too-long"] == 700 and data["too-short"] == 80 and data["min-score"] == 60
    assert data["fail-on"] == "error"
    # the output is itself a valid configuration
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / ".poalint.yaml").write_text(result.stdout)
    again = run(["config", str(tmp_path / "copy")])
    assert again.exit_code == 0, again.stderr


def test_config_command_without_file_shows_defaults(tmp_path: Path) -> None:
    result = run(["config"], cwd=tmp_path)
    assert result.exit_code == 0
    assert "the defaults" in result.stdout and "min-score: 70.0" in result.stdout
    bad = run(["config", "--config", str(tmp_path / "missing.yaml")])
    assert bad.exit_code == 2


# ---------------------------------------------------------------- settings: bounds for any metric rule


def test_settings_bound_any_metric_rule_and_the_short_keys_stay_aliases(tmp_path: Path) -> None:
    long_letter = letter(tmp_path, "a/letter.txt", SHORT * 8)
    (tmp_path / "a" / ".poalint.yaml").write_text("settings:\n  too-long: {max: 20}\n  long-sentence: {max: 4}\n")
    rules = {f["rule"] for f in json.loads(lint(long_letter).stdout)["files"][0]["findings"]}
    assert {"too-long", "long-sentence"} <= rules
    (tmp_path / "a" / ".poalint.yaml").write_text("too-long: 20\n")
    assert "too-long" in {f["rule"] for f in json.loads(lint(long_letter).stdout)["files"][0]["findings"]}


@pytest.mark.parametrize(("body", "problem"), [
    ("settings:\n  blame-shifting: {max: 3}\n", "settings.blame-shifting: 'blame-shifting' is a phrase rule"),
    ("settings:\n  too-long: {maxx: 3}\n", "settings.too-long.maxx: unknown setting; use min or max"),
    ("settings:\n  too-lon: {max: 3}\n", "settings.too-lon: unknown rule"),
])
def test_bad_settings_are_exit_2_with_line(tmp_path: Path, body: str, problem: str) -> None:
    target = letter(tmp_path, "b/letter.txt")
    (tmp_path / "b" / ".poalint.yaml").write_text(body)
    got = lint(target)
    assert got.exit_code == 2 and problem in got.stderr and ".poalint.yaml:2:" in got.stderr
