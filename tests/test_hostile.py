"""Hostile input: each gives a one-line message or a normal report, the documented exit code, never a
traceback, and the other letters of the run are still linted."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from poalint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
GOOD = (ROOT / "tests" / "corpus" / "letters" / "001-late-shipment-strong.txt").read_text(encoding="utf-8")
LETTER = ("Dear Seller Performance Team,\n\nRoot cause: we shipped {0} late because our only carrier missed "
          "two pickups and we had no backup.\n\nCorrective actions:\n- On 3 May 2026 we added a second carrier.\n"
          "\nPreventive measures:\n- Every Monday our logistics lead checks the late shipment rate.\n\n"
          "Sincerely,\nJane Doe\n")


class Run:
    def __init__(self, code: int, out: str, err: str, exc: BaseException | None) -> None:
        self.code, self.out, self.err, self.exc = code, out, err, exc

    def linted(self) -> list[str]:
        return [Path(f["path"]).name for f in json.loads(self.out)["files"]]

    def errors_about(self, name: str) -> list[str]:
        return [ln for ln in self.err.splitlines() if name in ln]


def lint(tmp_path: Path, *args: str) -> Run:
    """`poalint --format json --no-cache ARGS` in tmp_path, with good.txt always linted alongside."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["check", "--format", "json", "--no-cache", *args, "good.txt"])
    finally:
        os.chdir(old)
    run = Run(result.exit_code, result.stdout, result.stderr, result.exception)
    assert "Traceback" not in run.err and "Traceback" not in run.out
    assert run.exc is None or isinstance(run.exc, SystemExit), repr(run.exc)
    assert "good.txt" in run.linted(), "the other letters of the run are still linted"
    return run


def refused(run: Run, name: str, *words: str) -> None:
    """Exit 2 and exactly one error line naming the file, with the given words."""
    assert run.code == 2
    lines = [ln for ln in run.errors_about(name) if "error" in ln]
    assert len(lines) == 1, run.err
    for w in words:
        assert w in lines[0], lines[0]
    assert name not in run.linted()


def reported(run: Run, name: str) -> dict:
    assert run.code in (0, 1), run.err
    files = {Path(f["path"]).name: f for f in json.loads(run.out)["files"]}
    assert name in files
    return files[name]


def test_missing_file(tmp_path: Path) -> None:
    refused(lint(tmp_path, "nowhere.txt"), "nowhere.txt", "no such file")


def test_directory_with_a_symlink_loop(tmp_path: Path) -> None:
    folder = tmp_path / "appeals"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(LETTER.format("orders"), encoding="utf-8")
    os.symlink("..", folder / "sub" / "loop")
    os.symlink(folder, folder / "self")
    run = lint(tmp_path, "appeals")
    assert run.code in (0, 1)
    assert run.linted().count("a.txt") == 1  # found once: the links are never followed


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02binary\x00\xff" * 50)
    refused(lint(tmp_path, "scan.txt"), "scan.txt", "binary")


def test_invalid_utf8_is_read_as_cp1252_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes(LETTER.format("caf\xe9 orders").encode("cp1252"))
    run = lint(tmp_path, "latin.txt")
    reported(run, "latin.txt")
    assert len(run.errors_about("latin.txt")) == 1 and "cp1252" in run.errors_about("latin.txt")[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "wide.txt").write_bytes(LETTER.format("orders").encode(encoding))
    run = lint(tmp_path, "wide.txt")
    report = reported(run, "wide.txt")
    if encoding != "utf-16":  # no byte-order mark: read, with a warning saying how it was read
        assert "UTF-16" in " ".join(run.errors_about("wide.txt"))
    assert all(f["line"] >= 1 for f in report["findings"])


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", b"\xef\xbb\xbf\n"])
def test_empty_and_whitespace_only(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "blank.txt").write_bytes(content)
    refused(lint(tmp_path, "blank.txt"), "blank.txt", "empty")


def test_file_over_the_size_limit_names_the_limit_and_the_option(tmp_path: Path) -> None:
    (tmp_path / "huge.txt").write_text(LETTER.format("orders") * 40, encoding="utf-8")
    size = (tmp_path / "huge.txt").stat().st_size
    refused(lint(tmp_path, "--max-file-size", str(size // 2), "huge.txt"), "huge.txt", "limit", "--max-file-size")
    reported(lint(tmp_path, "--max-file-size", str(size), "huge.txt"), "huge.txt")


def test_default_size_limit_is_2_mb(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"word " * (2 * 1024 * 1024 // 5 + 10))
    refused(lint(tmp_path, "big.txt"), "big.txt", "2 MB", "--max-file-size")


def test_a_one_megabyte_single_line(tmp_path: Path) -> None:
    line = "We shipped late because our carrier failed and we fixed it. " * 17000
    (tmp_path / "line.txt").write_text(line[: 1024 * 1024], encoding="utf-8")
    report = reported(lint(tmp_path, "line.txt"), "line.txt")
    assert all(f["line"] == 1 for f in report["findings"])


@pytest.mark.parametrize("name, text", [
    ("headings.md", "# Root cause\n\n## Corrective actions\n\n## Preventive measures\n"),
    ("list.txt", "- we fixed it\n- we added a carrier\n- we check daily\n"),
    ("signature.txt", "Sincerely,\nJane Doe\nACME Home Goods\nSeller ID A1B2C3\n"),
])
def test_letters_that_are_only_headings_a_list_or_a_signature(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    report = reported(lint(tmp_path, name), name)
    assert report["findings"], "an empty shell of a letter gets findings, not a crash"


def test_emoji_right_to_left_zero_width_and_control_characters(tmp_path: Path) -> None:
    odd = LETTER.format("\U0001F4E6 orders \u200b\u200d \u202e\u05e9\u05dc\u05d5\u05dd\u202c \x07\x1b[31m\ufeff")
    (tmp_path / "odd.txt").write_text(odd, encoding="utf-8")
    report = reported(lint(tmp_path, "odd.txt"), "odd.txt")
    lines = odd.split("\n")
    for f in report["findings"]:
        assert 1 <= f["line"] <= len(lines)


@pytest.mark.parametrize("name, text, words", [
    ("open.md", "---\nreason: late-shipment\nDear team, we shipped late.\n", ["never ends"]),
    ("list.md", "---\n- a\n- b\n---\nDear team, we shipped late.\n", ["key: value"]),
    ("badyaml.md", "---\nreason: [unclosed\n---\nDear team, we shipped late.\n", ["not valid YAML"]),
    ("banana.md", "---\nreason: banana-split\n---\nDear team, we shipped late.\n", ["unknown reason", "banana-split"]),
])
def test_broken_front_matter(tmp_path: Path, name: str, text: str, words: list[str]) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    refused(lint(tmp_path, name), name, *words)


# --notice is issue 4's option: these were written last, against the option as it now stands.
# Issue 14 made the rules consistent: missing or unreadable -> exit 2 with one line (a run-wide --notice
# stops the run: every letter would be linted without the notice it answers); readable but not a
# notice -> a warning, the letters linted without it.
def test_notice_file_that_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--format", "json", "--no-cache", "--notice",
                                      str(tmp_path / "no-such-notice.txt"), str(tmp_path / "good.txt")])
    assert result.exit_code == 2 and result.stdout == ""
    assert len([ln for ln in result.stderr.splitlines() if "no-such-notice.txt" in ln]) == 1


def test_notice_file_that_is_not_a_notice(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text(LETTER.format("orders"), encoding="utf-8")
    run = lint(tmp_path, "--notice", "mine.txt")
    assert run.code != 2  # readable but not a notice: a warning, the letters are linted without it
    assert len([ln for ln in run.errors_about("mine.txt") if "notice" in ln and "warning" in ln]) == 1


# ---------------------------------------------------------------- rule files

RULE = """id: {id}
kind: phrase
category: tone
severity: warning
summary: A test rule.
message: "Found {{match}}."
fix: Rewrite it.
phrases: [orders]
"""


@pytest.mark.parametrize("body, words", [
    ("id: x\nkind: phrase\n  bad: [indent\n", ["not valid YAML", ":3:"]),
    (RULE.format(id="r1").replace("kind: phrase", "kind: telepathy"), ["unknown kind", "telepathy"]),
    (RULE.format(id="r2").replace("message: \"Found {match}.\"\n", ""), ["message"]),
    (RULE.format(id="r3").replace("phrases: [orders]", "patterns:\n  - [{COLOUR: red}]"), ["token pattern"]),
    (RULE.format(id="r4").replace("phrases: [orders]", "patterns:\n  - [{LOWER: {REGEX: '(a+)+$'}}]"),
     ["nests repeats"]),
    (RULE.format(id="r5").replace("kind: phrase", "kind: regex").replace("phrases: [orders]", "regex: ['(unclosed']"),
     ["invalid regular expression"]),
    (RULE.format(id="r6").replace("kind: phrase", "kind: regex").replace("phrases: [orders]", "regex: ['(\\w+\\s?)+$']"),
     ["nests repeats"]),
    (RULE.format(id="r7").replace("kind: phrase", "kind: regex").replace("phrases: [orders]", "regex: ['((x*)y?)*z']"),
     ["nests repeats"]),
])
def test_bad_rule_files_are_one_line_with_file_and_line(tmp_path: Path, body: str, words: list[str]) -> None:
    rules = tmp_path / "myrules"
    rules.mkdir()
    (rules / "bad.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["check", "--no-cache", "--rules", "myrules", "good.txt"])
    finally:
        os.chdir(old)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [ln for ln in result.stderr.splitlines() if "error" in ln]
    assert len(errors) == 1 and "Traceback" not in result.stderr
    assert re.search(r"bad\.yaml:\d+:", errors[0]), errors[0]
    for w in words:
        assert w in errors[0], errors[0]


@pytest.mark.parametrize("rx", [r"(a+)+", r"(\w+\s?)*$", r"((a*))+b", r"(x+){2,}", r"(.*a){20}", r"(?:(?:\d+)\.?)+"])
def test_catastrophic_regexes_are_rejected(rx: str) -> None:
    from poalint.ruleset import _catastrophic

    assert _catastrophic(rx)


@pytest.mark.parametrize("rx", [r"\b(\d+(\.\d+)?)\b", r"(?:\d{1,3},)+\d{3}", r"(ab|cd)+", r"\[(attachment|exhibit)\b",
                                r"(?<![\w-])(?:\+\d{1,3}[\s.-]?)?\d{3,4}"])
def test_ordinary_regexes_are_accepted(rx: str) -> None:
    from poalint.ruleset import _catastrophic

    assert not _catastrophic(rx)
