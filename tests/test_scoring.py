"""The score: what a finding costs, and what a letter that stops part-way (an excerpt) is not charged for."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from poalint.checks.substance import SubstanceOptions, found
from poalint.engine import Options, score, verdict
from poalint.model import Finding, Severity
from poalint.ruleset import load
from poalint.schema import RuleFileError


def _finding(rule: str, severity: Severity) -> Finding:
    return Finding(rule, "structure", severity, 1, 1, 1, 2, "", "", "")


def test_a_finding_lowered_below_its_rule_costs_its_own_severity() -> None:
    weights = {"missing-preventive-measures": 25.0}
    levels = {"missing-preventive-measures": Severity.ERROR}
    sure = score([_finding("missing-preventive-measures", Severity.ERROR)], weights, levels)
    unsure = score([_finding("missing-preventive-measures", Severity.WARNING)], weights, levels)
    noted = score([_finding("missing-preventive-measures", Severity.INFO)], weights, levels)
    assert (sure, unsure, noted) == (75.0, 92.0, 98.0)
    # without levels every finding costs its rule's weight, as before
    assert score([_finding("missing-preventive-measures", Severity.WARNING)], weights) == 75.0


def test_style_weighs_less_than_substance(ruleset) -> None:  # type: ignore[no-untyped-def]
    rules = ruleset.rules
    style = ("long-sentence", "hard-to-read", "wall-of-text", "passive-evasion", "undated-measure")
    substance = ("missing-timeline", "vague-measure", "hedging", "blame-shifting", "missing-root-cause")
    assert max(rules[r].score_weight() for r in style) < min(rules[r].score_weight() for r in substance)


CUT = ("Plan of Action\n\n1. Root cause\nWe bought 40 phone cases from a factory that was not an authorised "
       "distributor and asked for no invoice before we listed them.\n\n2. Actions taken\n{tail}\n")


def test_a_letter_cut_under_a_heading_is_judged_on_what_is_there(lint_text) -> None:  # type: ignore[no-untyped-def]
    report = lint_text(CUT.format(tail="Immed"), "cut.txt", reason="inauthentic")
    found = {f.rule: f.severity for f in report.findings}
    # the parts and the documents it never reached are noted, not counted against it
    for rule in ("missing-preventive-measures", "missing-timeline", "missing-evidence", "thin-section"):
        assert found.get(rule) in (None, Severity.INFO), (rule, found.get(rule))
    assert not any(f.severity is Severity.ERROR for f in report.findings)
    # the same letter signed off is complete: a missing part is an error there
    whole = lint_text(CUT.format(tail="None.") + "\nRegards,\nAna Lind\n", "whole.txt", reason="inauthentic")
    assert any(f.rule == "missing-preventive-measures" and f.severity is Severity.ERROR for f in whole.findings)


MASKED = "We removed the keyword xxx from the title of ASIN xxxx on 3 May, and checked the other listings."


def test_a_bare_mask_alone_is_unsure(lint_text) -> None:  # type: ignore[no-untyped-def]
    alone = [f.severity for f in lint_text(MASKED, "m.txt").findings if f.rule == "placeholder"]
    assert alone == [Severity.WARNING, Severity.WARNING]
    # next to another kind of blank it is the template's: an error, like the bracketed field
    template = [f.severity for f in lint_text(MASKED + "\n\nRegards,\n[Your Name]\n", "t.txt").findings
                if f.rule == "placeholder"]
    assert template == [Severity.ERROR] * 3


# ---------------------------------------------------------------- the letter-level judgement (weak-substance)

FIXTURES = Path(__file__).parent / "rules" / "weak-substance"


def _problems(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f for f in report.findings if f.rule == "weak-substance"]


def test_a_plan_weak_in_several_separate_ways_fails_with_no_single_error(lint_text) -> None:  # type: ignore[no-untyped-def]
    report = lint_text((FIXTURES / "fail1.txt").read_text(encoding="utf-8"), "fail1.txt")
    others = [f for f in report.findings if f.rule != "weak-substance"]
    assert not any(f.severity is Severity.ERROR for f in others)  # no rule alone calls it an error
    [judged] = _problems(report)
    assert judged.severity is Severity.ERROR and not report.passed
    # the finding and the verdict line name the separate problems, each once, in the rule file's order
    assert "weak in 4 separate ways: vague cause, vague measures, no dates and hedging." in judged.message
    assert "vague measures: say what you changed, who does it and how often" in judged.fix
    assert report.why.startswith("4 substance problems (vague cause, vague measures, no dates, hedging), "
                                 "mend at least 2")
    assert "1 error" not in report.why  # said in its own words, not counted as one more error
    assert report.to_dict()["why"] == report.why


def test_repeats_of_one_problem_count_once_and_two_problems_pass(lint_text) -> None:  # type: ignore[no-untyped-def]
    # three vague measures and a vague cause: two problems, below the minimum of three
    text = ("Root cause: some problems happened with our packing.\n\nActions: on 3 May we repacked the 14 open "
            "orders and sent them with tracking.\n\nPrevention: We will be more careful. We will do our best. We will "
            "improve our processes. From 6 May our packer weighs each parcel before the label prints.\n")
    report = lint_text(text, "two.txt")
    fired = {f.rule for f in report.findings if f.severity >= Severity.WARNING}
    assert "vague-root-cause" in fired
    assert len([f for f in report.findings if f.rule == "vague-measure"]) == 3
    assert _problems(report) == []


def test_the_judgement_counts_only_what_the_letters_comments_leave(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = (FIXTURES / "fail1.txt").read_text(encoding="utf-8")
    hidden = lint_text("<!-- poalint-disable-file hedging, vague-root-cause, thin-section -->\n" + text, "h.txt")
    assert _problems(hidden) == []  # vague measures + no dates are left: two problems
    assert not any(f.rule == "unused-suppression" for f in hidden.findings)
    off = lint_text("<!-- poalint-disable-file weak-substance -->\n" + text, "off.txt")
    assert _problems(off) == [] and not any(f.rule == "unused-suppression" for f in off.findings)


def test_the_minimum_and_severity_are_configurable(ruleset) -> None:  # type: ignore[no-untyped-def]
    from poalint.api import Setup, lint_text

    text = (FIXTURES / "fail1.txt").read_text(encoding="utf-8")  # four problems
    stricter = lint_text(text, "s.txt", Setup.create(ruleset, Options(settings={"weak-substance.min": 5})))
    assert _problems(stricter) == []
    looser = lint_text(text, "l.txt", Setup.create(ruleset, Options(settings={"weak-substance": 4})))
    assert len(_problems(looser)) == 1
    warned = lint_text(text, "w.txt", Setup.create(ruleset, Options(severity={"weak-substance": Severity.WARNING},
                                                                      min_score=0)))
    assert [f.severity for f in _problems(warned)] == [Severity.WARNING] and warned.passed and warned.why == ""
    ignored = lint_text(text, "i.txt", Setup.create(ruleset, Options(ignore=frozenset({"weak-substance"}))))
    assert _problems(ignored) == [] and "substance" not in ignored.why


def test_a_baseline_that_takes_problems_away_takes_the_judgement_too(linter, lint_text) -> None:  # type: ignore[no-untyped-def]
    report = lint_text((FIXTURES / "fail1.txt").read_text(encoding="utf-8"), "b.txt")
    rescored = linter.rescore(report, [f for f in report.findings if f.rule != "hedging"])
    [judged] = _problems(rescored)  # reworded for the three problems left
    assert "3 separate ways: vague cause, vague measures and no dates" in judged.message and "hedging" not in judged.fix
    assert rescored.why.startswith("3 substance problems (vague cause, vague measures, no dates), mend at least 1")
    # (the thin root cause part is a vague cause too: it goes with the vague root cause)
    fewer = linter.rescore(report, [f for f in report.findings if f.rule not in ("hedging", "vague-root-cause")
                                    and f.part != "root_cause"])
    assert _problems(fewer) == [] and "substance" not in fewer.why


def test_verdict_says_a_judgement_in_its_own_words() -> None:
    opts = Options()
    judged = Finding("weak-substance", "structure", Severity.ERROR, 1, 1, 1, 2, "", "", "")
    other = _finding("blame-shifting", Severity.ERROR)
    why = verdict([judged, other], 50.0, opts, {"weak-substance": "3 substance problems (a, b, c), mend at least 1"})
    assert why == "1 error; 3 substance problems (a, b, c), mend at least 1; score 50 is under the minimum 70"
    low = replace(judged, severity=Severity.WARNING)  # made a warning: it no longer fails the letter
    assert verdict([low], 90.0, opts, {"weak-substance": "3 substance problems"}) == ""


def test_the_problems_name_rules_that_exist_and_take_nothing_off_the_score(ruleset) -> None:  # type: ignore[no-untyped-def]
    rule = ruleset.rules["weak-substance"]
    assert isinstance(rule.options, SubstanceOptions) and rule.score_weight() == 0
    named = [rid for _path, rid in rule.options.rule_ids()]
    assert named and all(rid in ruleset.rules for rid in named)
    # a rule (or a rule's findings about one part) shows one problem, so problems stay separate
    entries = [r for p in rule.options.groups() for r in p.rules]
    assert len(entries) == len(set(entries))
    assert not any(r.partition(":")[0] in entries for r in entries if ":" in r)


THIN_CAUSE = ("Root cause:\nWe made a mistake.\n\nCorrective actions:\nOn 2 May our warehouse lead counted all 140 SKUs "
              "and corrected the stock of 12 listings in Seller Central.\n\nPreventive measures:\nFrom 6 May our "
              "inventory lead compares the Linnworks stock with a shelf count of every SKU each Monday.\n\n"
              "Regards,\nAna Lind\n")


def test_a_thin_root_cause_is_a_vague_cause_not_vague_measures(ruleset, lint_text) -> None:  # type: ignore[no-untyped-def]
    report = lint_text(THIN_CAUSE, "thin.txt")
    thin = [f for f in report.findings if f.rule == "thin-section"]
    assert [f.part for f in thin] == ["root_cause"]
    problems = {p.name: hits for p, hits in found(thin, ruleset.rules["weak-substance"].options)}
    assert list(problems) == ["vague cause"] and problems["vague cause"] == thin
    # a thin plan is still vague measures, and the part is not in the JSON output
    measure = replace(thin[0], part="preventive")
    assert [p.name for p, _ in found([measure], ruleset.rules["weak-substance"].options)] == ["vague measures"]
    assert "part" not in thin[0].to_dict()


def test_a_problem_naming_an_unknown_part_is_a_rule_file_error(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "id: my-substance\nkind: custom\ncheck: weak-substance\ncategory: structure\nseverity: error\n"
        "summary: s\nmessage: m\nfix: f\noptions:\n  problems:\n    vague cause:\n"
        "      rules: [vague-root-cause, \"thin-section:cause\"]\n",
        encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load([str(tmp_path)])
    assert "mine.yaml:12: options.problems.vague cause.rules.1: unknown part 'cause'" in str(err.value)


def test_a_problem_naming_an_unknown_rule_is_a_rule_file_error(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "id: my-substance\nkind: custom\ncheck: weak-substance\ncategory: structure\nseverity: error\n"
        "summary: s\nmessage: m\nfix: f\noptions:\n  problems:\n    vague cause:\n      rules: [vague-root-kause]\n",
        encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load([str(tmp_path)])
    assert "mine.yaml:12: options.problems.vague cause.rules.0: unknown rule id 'vague-root-kause' " \
           "(did you mean 'vague-root-cause'?)" in str(err.value)


def test_the_configuration_file_sets_the_minimum(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from poalint.cli import cli

    letter = tmp_path / "letter.txt"
    letter.write_text((FIXTURES / "fail1.txt").read_text(encoding="utf-8"), encoding="utf-8")
    args = ["--no-cache", "--min-score", "0", "--format", "concise", str(letter)]
    default = CliRunner().invoke(cli, args)
    assert default.exit_code == 1 and "4 substance problems" in default.output
    (tmp_path / ".poalint.yaml").write_text("settings:\n  weak-substance: {min: 5}\n", encoding="utf-8")
    five = CliRunner().invoke(cli, args)
    assert five.exit_code == 0 and "weak-substance" not in five.output, five.output
