"""Every rule's fixtures: tests/rules/<rule-id>/fail*.{txt,md} + .expected, pass*.{txt,md}.

A `.expected` file lists one finding of that rule per line as `LINE:COL rule-id`
(comments with #). Findings are compared on (line, column, rule id), so rewording a
message never breaks a rule test. `pass*` letters must give no finding of the rule.
Set POALINT_UPDATE_EXPECTED=1 to rewrite the .expected files from the current output.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from poalint.api import Setup, lint_letter
from poalint.readers import read_letter

HERE = Path(__file__).parent / "rules"
LETTERS = sorted(p for p in HERE.glob("*/*") if p.suffix in (".txt", ".md") and p.name.startswith(("fail", "pass")))


def _options(path: Path) -> dict[str, str]:
    """Optional `<letter>.args` holds `reason: ID`, `notice: FILE` and `previous: FILE` lines."""
    args = path.with_suffix(path.suffix + ".args")
    out: dict[str, str] = {}
    if args.exists():
        for line in args.read_text(encoding="utf-8").splitlines():
            if ":" in line and not line.startswith("#"):
                k, v = line.split(":", 1)
                out[k.strip()] = v.strip()
    return out


def _lint(setup: Setup, path: Path):  # type: ignore[no-untyped-def]
    options: dict[str, object] = dict(_options(path))
    # `notice: FILE` / `previous: FILE` in .args name files beside the letter (like --notice / --previous)
    if "notice" in options:
        from poalint.reasons import load_notice

        options["notice"] = load_notice(str(path.parent / str(options["notice"])), setup.ruleset)
    if "previous" in options:
        from poalint.reasons import load_previous

        options["previous"] = load_previous(str(path.parent / str(options["previous"])))
    return lint_letter(read_letter(str(path)), replace(setup, **options))  # type: ignore[arg-type]


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rule_fixture(path: Path, setup: Setup) -> None:
    rule_id = path.parent.name
    report = _lint(setup, path)
    got = sorted((f.line, f.column, f.rule) for f in report.findings if f.rule == rule_id)
    if path.name.startswith("pass"):
        assert got == [], f"{path}: {rule_id} fired on a letter that should pass: {got}"
        return
    expected_file = path.with_suffix(".expected")
    if os.environ.get("POALINT_UPDATE_EXPECTED"):
        expected_file.write_text("".join(f"{ln}:{col} {rid}\n" for ln, col, rid in got), encoding="utf-8")
    assert expected_file.exists(), f"{expected_file} is missing"
    want = []
    for line in expected_file.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pos, rid = line.split()
            ln, col = pos.split(":")
            want.append((int(ln), int(col), rid))
    assert got == sorted(want), f"{path}: expected {sorted(want)}, got {got}"
    for f in report.findings:
        if f.rule == rule_id:
            assert f.message and f.fix, f"{rule_id}: a finding needs a message and a fix"
