"""What the README, docs/ci.md and action.yml tell users to copy actually works when run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from poalint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).parent)  # where the poalint console script is installed
FAILING = "Dear team,\n\nWe are sorry for the late orders. We fixed it.\n\nSigned [Your Name]\n"
needs_git = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git, bash")


def blocks(path: Path) -> list[tuple[str, str]]:
    """(info string, body) of every fenced code block."""
    text = path.read_text(encoding="utf-8")
    return [(m.group(1).strip(), m.group(2)) for m in re.finditer(r"^```([^\n]*)\n(.*?)^```", text, re.S | re.M)]


def titled(path: Path, title: str) -> list[str]:
    return [body for info, body in blocks(path) if f'title="{title}"' in info]


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path: Path) -> tuple[Path, str]:
    """An appeals repository: one old letter committed, a failing letter added after `base`."""
    (tmp_path / "appeals").mkdir()
    (tmp_path / "appeals" / "old.txt").write_text(FAILING)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "old")
    base = git(tmp_path, "rev-parse", "HEAD").strip()
    (tmp_path / "appeals" / "new.md").write_text(FAILING)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "new")
    return tmp_path, base


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=full, capture_output=True,
                          text=True)


def _expr(text: str) -> str:
    """`${{ inputs.x }}` -> the default value the step would see (the test supplies env values itself)."""
    return re.sub(r"\$\{\{[^}]*\}\}", "", text)


# ---------------------------------------------------------------- README


def test_readme_config_snippets_run(tmp_path: Path) -> None:
    (snippet,) = titled(ROOT / "README.md", ".poalint.yaml")
    (toml,) = titled(ROOT / "README.md", "pyproject.toml")
    for name, body in ((".poalint.yaml", snippet), ("pyproject.toml", toml)):
        folder = tmp_path / name.strip(".").replace(".", "-")
        (folder / "drafts").mkdir(parents=True)
        (folder / name).write_text(body)
        (folder / "drafts" / "d.txt").write_text(FAILING)
        shown = CliRunner().invoke(cli, ["config", str(folder / "drafts" / "d.txt")])
        assert shown.exit_code == 0, shown.stderr
        effective = yaml.safe_load(shown.stdout)
        assert "too-short" in effective["ignore"]  # the per-file-ignores glob matched drafts/d.txt
        assert effective["severity"]["missing-timeline"] == "error" and effective["min-score"] == 75
        linted = CliRunner().invoke(cli, ["check", "--format", "json", str(folder / "drafts" / "d.txt")])
        assert linted.exit_code == 1, linted.stderr  # runs, and the failing letter fails
        rules = {f["rule"] for f in json.loads(linted.stdout)["files"][0]["findings"]}
        assert "placeholder" in rules and "too-short" not in rules and "section-order" not in rules


def test_readme_suppression_snippet_is_understood(tmp_path: Path) -> None:
    (body,) = [b for info, b in blocks(ROOT / "README.md") if info == "markdown" and "poalint-disable" in b]
    letter = tmp_path / "letter.md"
    letter.write_text(FAILING + "\n" + body.replace("... a part where these rules do not apply ...", "We fixed it."))
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(letter)])
    messages = [f["message"] for f in json.loads(result.stdout)["files"][0]["findings"]
                if f["rule"] == "unused-suppression"]
    assert not any("does not know" in m or "no rule or category" in m for m in messages), messages


def test_readme_pre_commit_snippet_is_a_valid_config(tmp_path: Path) -> None:
    (body,) = titled(ROOT / "README.md", ".pre-commit-config.yaml")
    (tmp_path / ".pre-commit-config.yaml").write_text(body)
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert yaml.safe_load(body)["repos"][0]["hooks"][0]["id"] == "poalint"


def test_readme_command_lines_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `poalint ...` line in the README's sh blocks runs with a known exit status (never 2)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "appeals").mkdir()
    (tmp_path / "appeals" / "late-shipment.md").write_text(FAILING)
    (tmp_path / "letter.txt").write_text(FAILING)
    (tmp_path / "letter.md").write_text(FAILING)
    import docx

    document = docx.Document()
    for paragraph in FAILING.split("\n\n"):
        document.add_paragraph(paragraph.strip())
    document.save(str(tmp_path / "letter.docx"))
    (tmp_path / "rejected.txt").write_text(FAILING)  # --previous
    (tmp_path / "amazon-email.txt").write_text((ROOT / "tests" / "notices" / "late_shipment_modern.txt").read_text())
    lines = [ln.split("#")[0].strip() for info, body in blocks(ROOT / "README.md") if info == "sh"
             for ln in body.splitlines() if ln.startswith("poalint ")]
    assert len(lines) >= 8
    for line in lines:
        args = line.split()[1:]
        stdin = None
        if "<" in args:
            stdin = (tmp_path / args[args.index("<") + 1]).read_text()
            args = args[: args.index("<")]
        if "examples/failing.txt" in args or "blame-shifting" in args and "rule" in args:
            continue  # run from the repository in test_cli
        if args[0] in ("serve", "server"):
            continue  # they run until stopped: tests/test_wire_html.py and tests/test_lsp.py start them
        result = CliRunner().invoke(cli, args, input=stdin)
        assert result.exit_code in (0, 1), (line, result.stderr)


# ---------------------------------------------------------------- docs/ci.md


def _workflows() -> list[dict]:
    return [yaml.safe_load(body) for info, body in blocks(ROOT / "docs" / "ci.md") if info == "yaml"]


def test_ci_docs_yaml_is_valid() -> None:
    docs = _workflows()
    assert len(docs) == 3
    github = docs[0]
    steps = github["jobs"]["letters"]["steps"]
    assert github["permissions"]["security-events"] == "write"
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    assert docs[2]["poalint"]["artifacts"]["reports"]["junit"] == "poalint-junit.xml"


@needs_git
def test_github_workflow_steps_run(repo: tuple[Path, str]) -> None:
    work, base = repo
    steps = [s for s in _workflows()[0]["jobs"]["letters"]["steps"] if "poalint check" in s.get("run", "")]
    sarif_step, annotate_step = steps
    done = bash(sarif_step["run"], work, {"BASE": base})
    assert done.returncode == 0, done.stderr
    sarif = json.loads((work / "poalint.sarif").read_text())
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"appeals/new.md"}  # only the letter changed since the base commit
    done = bash(annotate_step["run"], work, {"BASE": base})
    assert done.returncode == 1  # the check fails on error findings
    assert "::error file=appeals/new.md," in done.stdout and "old.txt" not in done.stdout


@needs_git
def test_gitlab_job_runs(repo: tuple[Path, str]) -> None:
    work, base = repo
    job = _workflows()[2]["poalint"]
    gl, junit = job["script"]
    assert bash(gl, work, {"CI_MERGE_REQUEST_DIFF_BASE_SHA": base}).returncode == 0
    issues = json.loads((work / "gl-code-quality.json").read_text())
    assert {i["location"]["path"] for i in issues} == {"appeals/new.md"}
    assert bash(junit, work, {"CI_MERGE_REQUEST_DIFF_BASE_SHA": base}).returncode == 1
    suite = ET.parse(work / "poalint-junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"


# ---------------------------------------------------------------- action.yml


def test_action_is_a_composite_action_doing_the_four_things() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert "pip install" in steps[1]["run"]
    assert "--format sarif" in steps[2]["run"] and "--exit-zero" in steps[2]["run"]
    assert steps[3]["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "--format github" in steps[4]["run"]
    for step in steps:
        assert "${{" not in step.get("run", ""), "inputs go through env:, never into the script text"
    assert set(action["inputs"]) >= {"paths", "changed-since", "fail-on", "version", "sarif-file"}


@needs_git
def test_action_run_steps_work(repo: tuple[Path, str]) -> None:
    work, base = repo
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    inputs.update({"paths": "appeals", "changed-since": base})
    steps = action["runs"]["steps"]
    for index, expect in ((2, 0), (4, 1)):
        step = steps[index]
        env = {k: _expr(v) for k, v in step["env"].items()}
        for k, v in step["env"].items():
            m = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", v)
            if m:
                env[k] = inputs[m.group(1)]
        done = bash(step["run"], work, env)
        assert done.returncode == expect, done.stdout + done.stderr
    results = json.loads((work / "poalint.sarif").read_text())["runs"][0]["results"]
    assert results and all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "appeals/new.md"
                           for r in results)
