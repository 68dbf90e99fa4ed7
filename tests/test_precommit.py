"""The pre-commit hook for real: a git repository whose commit the hook blocks, then lets through.

pre-commit installs this checkout (copied into a temporary repository, so uncommitted
changes are tested too) into its own virtualenv with pip, from the package index pip is
configured with; the first run takes a minute or two.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BAD = "Dear team,\n\nWe are sorry. We fixed it.\n\nSigned [Your Name]\n"
GOOD = """Dear Seller Performance Team,

Root cause
Our handling time was set to 1 day, but our two packers only finish orders received before 11 a.m.
Orders placed in the afternoon missed their expected ship date, so 41 orders shipped late in March.

Corrective actions
On 9 March 2026 we changed the handling time of both ASINs to 2 days and set a 1 p.m. cut-off.
On 10 March 2026 we shipped all delayed orders and sent each buyer the tracking number.

Preventive measures
Every Monday our warehouse manager, Dana Ruiz, checks the late shipment rate in Account Health.
If it rises above 2%, she raises the handling time of the affected SKUs the same day.
Two weeks before each peak event we compare the order forecast with our packing capacity.

Sincerely,
Marcus Feld
"""

pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                                reason="needs git and a git checkout of poalint")


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")  # our pre-commit first
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=check, capture_output=True, text=True)


def snapshot(dest: Path) -> str:
    """This checkout as it is now (tracked and new files, not ignored ones) as a one-commit repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_symlink():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(src), dest / name)
        elif src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return git(dest, "rev-parse", "HEAD").stdout.strip()


def test_hook_blocks_a_failing_letter_and_lets_a_fixed_one_through(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pre_commit")
    hook_repo = tmp_path / "poalint"
    hook_repo.mkdir()
    rev = snapshot(hook_repo)
    work = tmp_path / "appeals"
    work.mkdir()
    git(work, "init", "-q")
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [{"id": "poalint"}, {"id": "poalint-documents"}]}]}
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))  # a fresh hook environment
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=work, capture_output=True,
                               text=True)
    assert installed.returncode == 0, installed.stderr
    (work / "README.md").write_text("Our appeals. [Your Name] is fine here: README files are not letters.\n")
    (work / "letter.txt").write_text(BAD)
    import docx

    document = docx.Document()
    for paragraph in BAD.split("\n\n"):
        document.add_paragraph(paragraph.strip())
    document.save(str(work / "draft.docx"))
    git(work, "add", ".")
    blocked = git(work, "commit", "-m", "add appeal", check=False)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "poalint" in out and "Failed" in out
    assert "letter.txt" in out and "placeholder" in out  # the hook names the letter and the rule
    assert "draft.docx:" in out and "(paragraph 3)" in out  # the documents hook: the paragraph in Word
    assert "README.md" not in out
    assert git(work, "rev-parse", "--verify", "HEAD", check=False).returncode != 0  # nothing was committed

    (work / "letter.txt").write_text(GOOD)
    (work / "draft.docx").unlink()
    git(work, "add", "-A")
    passed = git(work, "commit", "-m", "add appeal", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout + passed.stderr
    assert git(work, "log", "--oneline").stdout.count("\n") == 1


def test_manifest_is_valid_and_lints_only_letters() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook, documents = hooks
    assert hook["id"] == "poalint" and hook["language"] == "python" and hook["require_serial"] is True
    assert hook["types_or"] == ["text"]
    import re

    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    wanted = [p for p in ("a.txt", "b/c.md", "d.py", "README.md", "x/CHANGELOG.md", "e.markdown")
              if files.search(p) and not exclude.search(p)]
    assert wanted == ["a.txt", "b/c.md", "e.markdown"]
    assert documents["id"] == "poalint-documents" and documents["entry"] == hook["entry"]
    files, exclude = re.compile(documents["files"]), re.compile(documents["exclude"])
    wanted = [p for p in ("a.docx", "b/C.ODT", "c.rtf", "d.pdf", "e.html", "f.htm", "g.txt", "~$a.docx", "x/.~lock.b.odt#",
                          "h.doc") if files.search(p) and not exclude.search(p)]
    assert wanted == ["a.docx", "b/C.ODT", "c.rtf", "d.pdf", "e.html", "f.htm"]
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
