"""Giving the reason never makes a correct letter fail, and a filled-in `poalint template` passes.

For every reason pack: its covers.txt fixture and the skeleton letter with every blank filled in
with plausible text are linted with and without the reason (and with the notice, where the pack
has one); the reason may add warnings, never an error. The filled skeleton passes outright, and
no finding points at a line that came from the skeleton's own wording (headings, lead-ins).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from poalint.api import Setup, lint_letter
from poalint.engine import Linter
from poalint.letter import parse
from poalint.model import RuleSet, Severity
from poalint.reasons import load_notice
from poalint.template import skeleton

REASONS = Path(__file__).parent / "reasons"
IDS = sorted(p.name for p in REASONS.iterdir() if p.is_dir())

# what a seller writes in each kind of blank; the in-your-own-words blanks take the pack's own examples
BLANKS = [
    (r"insert ASIN", "B0C4X2LQ9M"),
    (r"Your Store Name", "Brightfield Home"),
    (r"Your Name", "Maria Keller"),
    (r"insert date", "4 March 2026"),
    (r"insert merchant token", "A2KX9QJ7LM3P0T"),
    (r"insert what failed", "this step failed on 14 orders between 2 and 9 March 2026 because nobody was "
                            "responsible for checking it"),
    (r"insert the action and the orders", "corrected the setting and refunded the buyers of the 14 affected orders"),
    (r"insert the second action", "checked all 140 open orders and found no further cases"),
    (r"insert role", "our operations lead"),
    (r"insert check and frequency", "check this every Monday and record the result in our log"),
    (r"insert file name", "attachment-1.pdf"),
]


def fill(text: str, examples: dict[str, str]) -> str:
    parts = iter(("root_cause", "corrective", "preventive"))

    def one(m: re.Match[str]) -> str:
        inner = m.group(1)
        if inner.startswith("insert in your own words"):
            return examples[next(parts)].strip("'")
        for pattern, value in BLANKS:
            if re.match(pattern, inner):
                return value
        raise AssertionError(f"a blank the test does not know how to fill: [{inner}]")

    return re.sub(r"\[([^\]\n]+)\]", one, text)


def errors(linter: Linter, text: str, name: str, **given: object) -> set[str]:
    report = lint_letter(parse(text, name), Setup(linter, **given))  # type: ignore[arg-type]
    return {f.rule for f in report.findings if f.severity >= Severity.ERROR}


def notice_of(reason: str, ruleset: RuleSet) -> object | None:
    path = REASONS / reason / "notice.txt"
    return load_notice(str(path), ruleset) if path.exists() else None


@pytest.mark.parametrize("reason", IDS)
def test_filled_template_passes_with_no_finding_on_its_own_lines(reason: str, ruleset: RuleSet,
                                                                 linter: Linter) -> None:
    pack = ruleset.reasons[reason]
    blank = skeleton(pack)
    text = fill(blank, dict(pack.examples))
    assert "[" not in text
    report = lint_letter(parse(text, "filled.txt"), Setup(linter, reason=reason))
    assert not [f for f in report.findings if f.severity >= Severity.ERROR], \
        [(f.rule, f.message) for f in report.findings]
    assert report.passed, (report.score, [(f.rule, f.message) for f in report.findings])
    fixed = set(blank.splitlines())  # lines of the skeleton that hold no blank stay as printed
    lines = text.splitlines()
    on_own = [(f.rule, lines[f.line - 1]) for f in report.findings
              if f.line >= 1 and lines[f.line - 1] in fixed and lines[f.line - 1].strip() and f.column > 1]
    assert on_own == []


@pytest.mark.parametrize("reason", IDS)
def test_giving_the_reason_adds_no_error(reason: str, ruleset: RuleSet, linter: Linter) -> None:
    pack = ruleset.reasons[reason]
    letters = {"covers.txt": (REASONS / reason / "covers.txt").read_text(encoding="utf-8"),
               "filled.txt": fill(skeleton(pack), dict(pack.examples))}
    notice = notice_of(reason, ruleset)
    for name, text in letters.items():
        plain = errors(linter, text, name, reason="none")
        assert errors(linter, text, name, reason=reason) <= plain, (name, reason)
        if notice is not None:
            assert errors(linter, text, name, notice=notice) <= plain, (name, "notice")
