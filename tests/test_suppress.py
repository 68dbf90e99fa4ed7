"""Suppressions: front matter, disable/enable ranges, disable-next-line, disable-file, unused ones reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from poalint.api import Setup, lint_letter
from poalint.cli import cli
from poalint.engine import Linter, Options
from poalint.letter import parse
from poalint.model import Report
from poalint.ruleset import RuleSet
from poalint.suppress import parse as parse_directives

SELECT = frozenset({"placeholder", "too-short", "unused-suppression"})


@pytest.fixture(scope="module")
def narrow(ruleset: RuleSet) -> Linter:
    return Linter(ruleset, Options(select=SELECT))


def lint(linter: Linter, text: str, path: str = "letter.md") -> Report:
    return lint_letter(parse(text, path), Setup(linter))


def found(report: Report) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in report.findings if f.rule != "too-short"]


def test_without_suppressions_every_placeholder_is_reported(narrow: Linter) -> None:
    report = lint(narrow, "Ship by [date].\nSigned [Your Name]\n")
    assert found(report) == [(1, "placeholder"), (2, "placeholder")]


def test_front_matter_ignore_hides_a_rule_for_the_whole_letter(narrow: Linter) -> None:
    report = lint(narrow, "---\npoalint: {ignore: [placeholder, too-short]}\n---\nShip by [date].\nSigned [Your Name]\n")
    assert report.findings == ()
    assert report.passed and report.score == 100


def test_disable_and_enable_range(narrow: Linter) -> None:
    text = ("Ship by [date].\n<!-- poalint-disable placeholder -->\nOrder [order id] was late.\n"
            "Signed [Your Name]\n<!-- poalint-enable placeholder -->\nASIN <ASIN> is back.\n")
    assert found(lint(narrow, text)) == [(1, "placeholder"), (6, "placeholder")]


def test_disable_without_enable_runs_to_the_end_and_takes_several_rules(narrow: Linter) -> None:
    text = "Ship by [date].\n<!-- poalint-disable placeholder, too-short -->\nOrder [order id] was late.\n"
    report = lint(narrow, text)
    # too-short is about the whole letter: only a disable before any text hides it, so this one is idle
    assert [(f.line, f.rule) for f in report.findings] == [(1, "too-short"), (1, "placeholder"),
                                                           (2, "unused-suppression")]
    top = lint(narrow, "<!-- poalint-disable too-short -->\nShip by [date].\n")
    assert [f.rule for f in top.findings] == ["placeholder"]


def test_enable_without_rules_closes_every_range(narrow: Linter) -> None:
    text = ("Intro line.\n<!-- poalint-disable -->\nShip by [date].\n<!-- poalint-enable -->\n"
            "Signed [Your Name]\n")
    assert found(lint(narrow, text)) == [(5, "placeholder")]


def test_disable_next_line_hides_only_the_next_line_with_text(narrow: Linter) -> None:
    text = "<!-- poalint-disable-next-line placeholder -->\n\nShip by [date].\nSigned [Your Name]\n"
    assert found(lint(narrow, text)) == [(4, "placeholder")]
    same_line = "Intro. <!-- poalint-disable-next-line placeholder --> [date]\nSigned [Your Name]\n"
    assert found(lint(narrow, same_line)) == [(1, "placeholder")]


def test_disable_file_hides_everything_or_the_rules_named(narrow: Linter) -> None:
    assert lint(narrow, "Ship by [date].\n<!-- poalint-disable-file -->\n").findings == ()
    report = lint(narrow, "<!-- poalint-disable-file too-short -->\nShip by [date].\n")
    assert [f.rule for f in report.findings] == ["placeholder"]


def test_categories_work_in_comments(narrow: Linter) -> None:
    assert found(lint(narrow, "<!-- poalint-disable-next-line hygiene -->\nShip by [date].\n")) == []


def test_a_comment_that_hides_nothing_is_reported(narrow: Linter) -> None:
    text = "Our handling time was too short.\n<!-- poalint-disable-next-line placeholder -->\nWe fixed it.\n"
    report = lint(narrow, text)
    unused = [f for f in report.findings if f.rule == "unused-suppression"]
    assert [(f.line, f.column) for f in unused] == [(2, 1)]
    assert "<!-- poalint-disable-next-line placeholder -->" in unused[0].message
    assert "no 'placeholder' finding" in unused[0].message
    assert unused[0].fix
    assert report.score == lint(narrow, text.replace("<!-- poalint-disable-next-line placeholder -->", "")).score


def test_unknown_rule_and_misspelled_comment_are_reported(narrow: Linter) -> None:
    text = ("Ship on time.\n<!-- poalint-disable placeholdr -->\n<!-- poalint-disabel placeholder -->\n"
            "---\n")
    report = lint(narrow, text)
    messages = [f.message for f in report.findings if f.rule == "unused-suppression"]
    assert len(messages) == 2
    assert "no rule or category 'placeholdr' (did you mean 'placeholder'?)" in messages[0]
    assert "poalint does not know this comment" in messages[1]


def test_front_matter_that_hides_nothing_or_is_malformed(narrow: Linter) -> None:
    report = lint(narrow, "---\npoalint: {ignore: [placeholder]}\n---\nAll filled in and long enough.\n")
    unused = [f for f in report.findings if f.rule == "unused-suppression"]
    assert [f.line for f in unused] == [2]
    bad = lint(narrow, "---\npoalint: {skip: [placeholder]}\n---\nShip by [date].\n")
    assert any("must be {ignore: [RULE, ...]}" in f.message for f in bad.findings)


def test_a_comment_cannot_re_enable_what_the_config_disabled(ruleset: RuleSet) -> None:
    linter = Linter(ruleset, Options(select=SELECT, ignore=frozenset({"placeholder"})))
    text = "<!-- poalint-enable placeholder -->\nShip by [date].\n<!-- poalint-disable-next-line placeholder -->\nX\n"
    report = lint(linter, text)
    assert not [f for f in report.findings if f.rule == "placeholder"]
    unused = [f.message for f in report.findings if f.rule == "unused-suppression"]
    assert any("already turned off by the configuration" in m for m in unused)


def test_unused_suppression_can_itself_be_turned_off(ruleset: RuleSet) -> None:
    linter = Linter(ruleset, Options(select=frozenset({"placeholder"})))
    report = lint(linter, "<!-- poalint-disable-next-line placeholder -->\nAll good.\n<!-- poalint-nonsense -->\n")
    assert report.findings == ()


def test_directive_parsing_keeps_offsets() -> None:
    letter = parse("A\n<!-- poalint-disable-next-line placeholder,too-short -->\n\nB [date]\n", "x.md")
    (d,), bad = parse_directives(letter)
    assert bad == [] and d.kind == "next-line" and d.names == ("placeholder", "too-short")
    assert letter.text[d.start:d.end] == "B [date]"


def test_suppressions_through_the_command_line(tmp_path: Path) -> None:
    p = tmp_path / "letter.md"
    p.write_text("<!-- poalint-disable-next-line placeholder -->\nShip by [date].\n<!-- poalint-disable nope -->\n",
                 encoding="utf-8")
    result = CliRunner().invoke(cli, ["--format", "json", "--select", "placeholder,unused-suppression", str(p)])
    rules = [f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert rules == ["unused-suppression"]
    assert result.exit_code == 0  # a warning does not fail a letter (fail-on: error)


def test_covering_finds_what_asking_every_directive_finds() -> None:
    """The one-sweep lookup (a long letter has thousands of findings) against asking every directive about
    every finding: overlapping, nested, empty and whole-letter directives, findings in any order."""
    import random

    from poalint.model import Finding, Severity
    from poalint.suppress import Directive, covering

    rng = random.Random(14)
    rules = [("too-long", "format"), ("placeholder", "format"), ("blame-shifting", "tone")]
    for _ in range(400):
        directives = []
        for _d in range(rng.randint(0, 6)):
            kind = rng.choice(["range", "range", "next-line", "file", "front-matter"])
            start = rng.randint(0, 60)
            names = tuple(rng.sample(["too-long", "placeholder", "format", "tone"], rng.randint(0, 2)))
            directives.append(Directive(kind, names, start, start + rng.randint(-2, 30), (0, 0), ""))
        findings = []
        for _f in range(rng.randint(0, 12)):
            rule, category = rng.choice(rules)
            start = rng.randint(0, 90)
            findings.append(Finding(rule, category, Severity.WARNING, 1, 1, 1, 1, "", "", "", start, start + 3))
        want = [[i for i, d in enumerate(directives) if d.covers(f)] for f in findings]
        assert covering(directives, findings) == want
