"""The command line through click's CliRunner and through the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from poalint import __version__
from poalint.cli import cli

GOOD = """Root cause
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
BAD = "Dear team,\n\nThe buyers obviously misused the product. Please reinstate [Your Name].\n"


def run(args: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)


@pytest.fixture
def letters(tmp_path: Path) -> Path:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_version_and_help() -> None:
    assert run(["--version"]).output.strip() == f"poalint {__version__}"
    out = run(["--help"]).output
    assert "Plan of Action" in out and "rules" in out


def test_good_letter_passes_with_exit_0(letters: Path) -> None:
    res = run([str(letters / "good.txt")])
    assert res.exit_code == 0, res.output
    assert "passed" in res.output


def test_failing_letter_exits_1_with_positions_and_fixes(letters: Path) -> None:
    res = run([str(letters / "bad.txt")])
    assert res.exit_code == 1
    assert f"{letters / 'bad.txt'}:3:5: error blame-shifting" in res.output
    assert "    fix: " in res.output
    assert "FAILED" in res.output and "Summary: 1 letter checked, 1 failed" in res.output


def test_check_is_the_explicit_form(letters: Path) -> None:
    assert run(["check", str(letters / "bad.txt")]).exit_code == 1


def test_json_has_the_documented_shape(letters: Path) -> None:
    res = run(["--format", "json", str(letters / "good.txt"), str(letters / "bad.txt")])
    data = json.loads(res.output)
    assert set(data) == {"version", "files", "summary"}
    assert set(data["summary"]) == {"files", "errors", "warnings", "infos"}
    assert [f["path"] for f in data["files"]] == [str(letters / "good.txt"), str(letters / "bad.txt")]
    bad = data["files"][1]
    assert set(bad) == {"path", "reason", "score", "passed", "why", "findings"}
    assert bad["passed"] is False and isinstance(bad["score"], (int, float))
    finding = bad["findings"][0]
    assert set(finding) == {"rule", "category", "severity", "line", "column", "end_line", "end_column", "excerpt",
                            "message", "fix"}


def test_output_format_alias(letters: Path) -> None:
    res = run(["--output-format", "json", str(letters / "good.txt")])
    assert json.loads(res.output)["summary"]["files"] == 1


def test_stdin(letters: Path) -> None:
    res = run(["--format", "json", "-"], stdin=BAD)
    assert json.loads(res.output)["files"][0]["path"] == "<stdin>"


def test_folder_is_searched_for_letters(letters: Path) -> None:
    (letters / "notes.html").write_bytes(b"<p>a saved web page, not picked up from a folder</p>")
    res = run(["--format", "json", str(letters)])
    assert sorted(Path(f["path"]).name for f in json.loads(res.output)["files"]) == ["bad.txt", "good.txt"]


def test_missing_file_is_one_line_and_others_still_linted(letters: Path) -> None:
    res = CliRunner().invoke(cli, [str(letters / "nope.txt"), str(letters / "good.txt")])
    assert res.exit_code == 2
    assert f"poalint: error: {letters / 'nope.txt'}: no such file" in res.output
    assert "good.txt: score" in res.output
    assert "Traceback" not in res.output


def test_empty_folder_binary_and_empty_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "blank.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    res = CliRunner().invoke(cli, [str(tmp_path / "empty"), str(tmp_path / "blank.txt"), str(tmp_path / "bin.txt")])
    assert res.exit_code == 2
    assert "no .txt or .md letters in this folder" in res.output
    assert "blank.txt: is empty" in res.output
    assert "bin.txt: is a binary file" in res.output


def test_min_score(letters: Path) -> None:
    assert run(["--min-score", "100", str(letters / "good.txt")]).exit_code in (0, 1)
    assert run(["--min-score", "0", str(letters / "good.txt")]).exit_code == 0


def test_rules_lists_every_rule(ruleset) -> None:  # type: ignore[no-untyped-def]
    out = run(["rules"]).output
    for rid in ruleset.rules:
        assert rid in out


def test_rule_explains_one_rule_with_examples() -> None:
    out = run(["rule", "blame-shifting"]).output
    assert out.startswith("blame-shifting  (blame, error)")
    assert "Fails:" in out and "Passes:" in out


def test_unknown_rule_suggests_close_ids() -> None:
    res = run(["rule", "blame-shifing"])
    assert res.exit_code == 2
    assert "Did you mean: blame-shifting" in res.output


def test_file_named_like_a_subcommand_is_linted_with_check(tmp_path: Path) -> None:
    (tmp_path / "rules").write_text(BAD, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert run(["check", "rules"]).exit_code == 1
        assert run(["./rules"]).exit_code == 1
    finally:
        os.chdir(cwd)


def _console() -> str:
    exe = shutil.which("poalint", path=os.path.dirname(sys.executable)) or shutil.which("poalint")
    if exe is None:
        pytest.skip("the poalint console script is not installed")
    return exe


def test_console_script_as_a_subprocess(letters: Path) -> None:
    proc = subprocess.run([_console(), "--format", "json", str(letters / "bad.txt")], capture_output=True, text=True)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["files"][0]["passed"] is False


def test_python_dash_m() -> None:
    proc = subprocess.run([sys.executable, "-m", "poalint", "--version"], capture_output=True, text=True)
    assert proc.stdout.strip() == f"poalint {__version__}"


HEAVY = ('spacy', 'textstat', 'nltk', 'pygls', 'lsprotocol', 'selenium', 'docx', 'odf', 'pypdf', 'fpdf')


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["rules"], ["rule", "placeholder"], ["serve", "--help"],
                                  ["check", "--help"]])
def test_fast_paths_do_not_import_spacy_or_textstat(args: list[str]) -> None:
    """Nor the language server's, the browser tests' or the document readers' libraries."""
    code = ("import sys\nfrom poalint.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', sorted(m for m in %r if m in sys.modules))") % (args, HEAVY)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in proc.stdout, proc.stdout[-500:] + proc.stderr[-500:]


def test_server_help_loads_the_language_server_but_not_spacy() -> None:
    code = ("import sys\nfrom poalint.cli import main\ntry:\n    main(['server', '--help'])\nexcept SystemExit:\n"
            "    pass\nprint('HEAVY', sorted(m for m in ('spacy', 'textstat', 'selenium') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in proc.stdout and "--debounce-ms" in proc.stdout, proc.stdout[-500:] + proc.stderr[-500:]


def test_server_without_the_lsp_extra_is_one_line_and_exit_2() -> None:
    # the extra's packages made unimportable in this one process, as in an install without `poalint[lsp]`
    code = ("import sys\nsys.modules['pygls'] = None\nsys.modules['lsprotocol'] = None\n"
            "from poalint.cli import main\nmain(['server'])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "poalint: error: `poalint server` needs the lsp extra: pip install 'poalint[lsp]' (pygls and lsprotocol)"]


def test_a_fully_cached_run_does_not_import_spacy(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear team,\n\nWe are sorry. Our bot made a mistake.\n\nRegards,\nDana\n", encoding="utf-8")
    args = ["--format", "json", "--cache-dir", str(tmp_path / "cache"), str(letter)]
    code = ("import sys\nfrom poalint.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', sorted(m for m in ('spacy', 'textstat', 'nltk') if m in sys.modules), file=sys.stderr)"
            ) % (args,)
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert "HEAVY ['spacy'" in first.stderr
    assert "HEAVY []" in again.stderr, again.stderr[-500:]
    assert first.stdout == again.stdout
