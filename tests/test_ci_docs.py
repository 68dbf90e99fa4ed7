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


def test_readme_suppression_snippet_hides_real_findings_and_nothing_is_unused(tmp_path: Path) -> None:
    # issue 14: the README's own suppression example produced an unused-suppression warning
    (body,) = [b for info, b in blocks(ROOT / "README.md") if info == "markdown" and "poalint-disable" in b]
    letter = tmp_path / "letter.md"
    letter.write_text(FAILING + "\n" + body)
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(letter)])
    rules = [f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert "unused-suppression" not in rules and "shouting" not in rules and "hedging" not in rules
    bare = tmp_path / "bare.md"  # without the comments, the rules they name do fire: the example means something
    bare.write_text(FAILING + "\n" + re.sub(r"<!--.*?-->", "", body))
    shown = CliRunner().invoke(cli, ["check", "--format", "json", str(bare)])
    assert {"shouting", "hedging"} <= {f["rule"] for f in json.loads(shown.stdout)["files"][0]["findings"]}


def test_readme_config_keeps_reason_checks_and_says_what_reason_does(tmp_path: Path) -> None:
    # issue 14: the config example left out `relevance` (every reason and notice check silently off), and
    # the README said a config `reason:` is a default "when a letter does not say" while it beats detection
    (snippet,) = titled(ROOT / "README.md", ".poalint.yaml")
    (tmp_path / ".poalint.yaml").write_text(snippet)
    (tmp_path / "drafts").mkdir()
    shown = CliRunner().invoke(cli, ["config", str(tmp_path / "letter.txt")])
    assert "relevance" in yaml.safe_load(shown.stdout)["select"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "default reason when a letter does not say" not in readme
    assert "`--reason` > front matter > config > notice > detected" in readme
    # and that is what happens: the config's reason beats the one detected from the letter ...
    (tmp_path / ".poalint.yaml").write_text("reason: valid-tracking\n")
    late = (ROOT / "tests" / "reasons" / "late-shipment" / "covers.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(late)
    got = json.loads(CliRunner().invoke(cli, ["check", "--format", "json", str(tmp_path / "a.txt")]).stdout)
    assert got["files"][0]["reason"] == "valid-tracking"
    # ... and front matter beats the config
    (tmp_path / "b.md").write_text("---\nreason: late-shipment\n---\n" + late)
    got = json.loads(CliRunner().invoke(cli, ["check", "--format", "json", str(tmp_path / "b.md")]).stdout)
    assert got["files"][0]["reason"] == "late-shipment"


def test_examples_folder_gets_what_its_readme_says() -> None:
    # issue 14: examples/strong.md was said to be clean and got a finding
    text = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    assert "poalint should report nothing for it" in text
    out = {}
    for name in ("strong.md", "weak.txt", "failing.txt"):
        result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", str(ROOT / "examples" / name)])
        out[name] = [f["severity"] for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert out["strong.md"] == []
    assert "error" not in out["weak.txt"] and {"warning", "info"} <= set(out["weak.txt"])  # "warnings and info"
    assert out["failing.txt"].count("error") >= 3  # "expect several errors"


def test_notices_folder_is_not_linted_as_letters(tmp_path: Path) -> None:
    (tmp_path / "appeals" / "notices").mkdir(parents=True)
    (tmp_path / "appeals" / "a.txt").write_text(FAILING)
    (tmp_path / "appeals" / "notices" / "late.txt").write_text(
        (ROOT / "tests" / "notices" / "late_shipment_modern.txt").read_text())
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(tmp_path / "appeals")])
    assert [Path(f["path"]).name for f in json.loads(result.stdout)["files"]] == ["a.txt"]
    assert "skips a `notices/` folder" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_pre_commit_snippet_is_a_valid_config(tmp_path: Path) -> None:
    (body,) = titled(ROOT / "README.md", ".pre-commit-config.yaml")
    (local,) = titled(ROOT / "README.md", "local hook")
    for text in (body, local):
        (tmp_path / ".pre-commit-config.yaml").write_text(text)
        done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                              cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "mutable reference" not in done.stdout + done.stderr
        assert yaml.safe_load(text)["repos"][0]["hooks"][0]["id"] == "poalint"


def test_readme_pre_commit_excludes_notices_and_notes() -> None:
    # issue 14: the hook linted the Amazon notices kept beside the letters, and team notes
    (body,) = titled(ROOT / "README.md", ".pre-commit-config.yaml")
    (local,) = titled(ROOT / "README.md", "local hook")
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    for hook in (yaml.safe_load(body)["repos"][0]["hooks"][0], yaml.safe_load(local)["repos"][0]["hooks"][0]):
        files = re.compile(hook.get("files", manifest["files"]))
        exclude = re.compile(hook["exclude"])

        def linted(path: str, files: re.Pattern[str] = files, exclude: re.Pattern[str] = exclude) -> bool:
            return bool(files.search(path)) and not exclude.search(path)

        assert linted("appeals/late-shipment.md") and linted("letter.txt")
        assert not linted("appeals/notices/late.txt") and not linted("notices/a.txt") and not linted("notes/x.md")


def test_readme_says_truthfully_what_pre_commit_accepts_as_rev(tmp_path: Path) -> None:
    # `rev: main` installs, but pre-commit warns it is a mutable reference; a commit id does not warn
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "rev: v0.1.0" not in readme and "v0.2.0" in readme and "mutable reference" in readme
    (body,) = titled(ROOT / "README.md", ".pre-commit-config.yaml")
    for rev, warns in (("main", True), ("0123456789abcdef0123456789abcdef01234567", False)):
        (tmp_path / ".pre-commit-config.yaml").write_text(re.sub(r"rev: \S+", f"rev: {rev}", body))
        done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                              cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0 and ("mutable reference" in done.stdout + done.stderr) == warns


def test_install_instructions_and_release_files() -> None:
    # issue 14: `rev: v0.1.0` and `pip install poalint` named a release that does not exist
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    project = tomllib_load(ROOT / "pyproject.toml")
    url = project["project"]["urls"]["Homepage"]
    assert f'pip install "git+{url}@main"' in readme and f"git clone {url}" in readme
    assert "pip install poalint\n" not in ci and f"git+{url}@main" in ci
    # the version is the git tag's (setuptools-scm), with a fallback for a copy without git metadata
    assert project["project"]["dynamic"] == ["version"]
    assert any(r.startswith("setuptools-scm") for r in project["build-system"]["requires"])
    assert project["tool"]["setuptools_scm"]["fallback_version"]
    from importlib.metadata import version

    from poalint import __version__
    assert __version__ == version("poalint")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog and "keepachangelog.com" in changelog
    for issue in range(9, 15):
        assert f"#{issue})" in changelog, issue


def tomllib_load(path: Path) -> dict:  # type: ignore[type-arg]
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib.loads(path.read_text(encoding="utf-8"))


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
