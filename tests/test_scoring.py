"""The score: what a finding costs, and what a letter that stops part-way (an excerpt) is not charged for."""

from __future__ import annotations

from poalint.engine import score
from poalint.model import Finding, Severity


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
