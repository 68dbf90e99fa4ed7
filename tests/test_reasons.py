"""Reason packs: every pack has a letter that covers it, one that ignores it and one written for another reason.

tests/reasons/<reason-id>/covers.txt   reason-not-addressed and reason-mismatch stay silent
tests/reasons/<reason-id>/ignores.txt  a generic letter: reason-not-addressed fires
tests/reasons/<reason-id>/other.txt    a letter for another reason: reason-not-addressed and reason-mismatch fire
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from poalint.api import Setup, lint_letter
from poalint.engine import Linter
from poalint.letter import parse
from poalint.model import Report
from poalint.readers import read_letter
from poalint.reasons import ReasonError, detect, load_notice, resolve, unknown_reason
from poalint.ruleset import RuleSet

HERE = Path(__file__).parent / "reasons"
REASONS = sorted(p.name for p in HERE.iterdir() if p.is_dir())
RELEVANCE = {"reason-not-addressed", "reason-mismatch", "missing-reference", "uncovered-request", "missing-evidence"}


def lint(linter: Linter, path: Path, **inputs: object) -> Report:
    return lint_letter(read_letter(str(path)), Setup(linter, **inputs))  # type: ignore[arg-type]


def fired(report: Report) -> set[str]:
    return {f.rule for f in report.findings}


def test_every_catalog_reason_has_a_pack_and_fixtures(ruleset: RuleSet) -> None:
    assert len(ruleset.reasons) == 13
    assert REASONS == sorted(ruleset.reasons)
    for rid in REASONS:
        assert {"covers.txt", "ignores.txt", "other.txt"} <= {p.name for p in (HERE / rid).iterdir()}


def test_pack_severity_overrides_name_real_rules(ruleset: RuleSet) -> None:
    for pack in ruleset.reasons.values():
        for rid in pack.severity:
            assert rid in ruleset.rules, f"{pack.source}: severity names unknown rule {rid}"


@pytest.mark.parametrize("reason", REASONS)
def test_covering_letter_passes(reason: str, linter: Linter) -> None:
    report = lint(linter, HERE / reason / "covers.txt", reason=reason)
    assert not fired(report) & {"reason-not-addressed", "reason-mismatch", "missing-evidence"}, report.findings


@pytest.mark.parametrize("reason", REASONS)
def test_ignoring_letter_is_not_addressed(reason: str, linter: Linter) -> None:
    report = lint(linter, HERE / reason / "ignores.txt", reason=reason)
    found = [f for f in report.findings if f.rule == "reason-not-addressed"]
    assert len(found) == 1 and str(found[0].severity) == "error"
    assert reason in found[0].message and "should name" in found[0].message


@pytest.mark.parametrize("reason", REASONS)
def test_letter_for_another_reason(reason: str, linter: Linter, ruleset: RuleSet) -> None:
    report = lint(linter, HERE / reason / "other.txt", reason=reason)
    assert {"reason-not-addressed", "reason-mismatch"} <= fired(report)
    other = detect(read_letter(str(HERE / reason / "other.txt")).text, ruleset)
    assert other is not None and other[0] != reason  # the letter really is about something else


@pytest.mark.parametrize("reason", REASONS)
def test_covering_letter_is_detected(reason: str, ruleset: RuleSet) -> None:
    """With no reason given, the pack is found from the letter's own words."""
    found = detect(read_letter(str(HERE / reason / "covers.txt")).text, ruleset)
    assert found is not None and found[0] == reason


def test_premium_shipping_seed_case(linter: Linter, ruleset: RuleSet) -> None:
    """The "Limited" action plan: root causes and a plan within a time frame, every notice item answered."""
    notice = load_notice(str(HERE / "premium-shipping" / "notice.txt"), ruleset)
    assert notice.reasons[0].reason == "premium-shipping"
    report = lint(linter, HERE / "premium-shipping" / "covers.txt", reason="premium-shipping", notice=notice)
    assert not fired(report) & RELEVANCE
    assert "missing-timeline" not in fired(report)


def test_premium_shipping_raises_missing_timeline(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Root cause: our UPS pickup was too early for premium orders, so many of them left late.\n\n"
            "Corrective actions: we moved the UPS pickup to the evening and mapped premium orders to UPS Air.\n\n"
            "Preventive measures: our shipping lead checks on-time delivery for premium orders.\n")
    severities = {f.rule: str(f.severity) for f in lint_text(text, reason="premium-shipping").findings}
    plain = {f.rule: str(f.severity) for f in lint_text(text, reason="late-shipment").findings}
    assert severities.get("missing-timeline") == "error"
    assert plain.get("missing-timeline") in (None, "warning")


def test_not_as_described_seed_case(linter: Linter, ruleset: RuleSet) -> None:
    """Wrong size on the listing: fix the listing, then add an audit step to content review."""
    notice = load_notice(str(HERE / "not-as-described" / "notice.txt"), ruleset)
    assert notice.reasons[0].reason == "not-as-described" and notice.asins == ("B0FK2M8W4R",)
    report = lint(linter, HERE / "not-as-described" / "covers.txt", reason="not-as-described", notice=notice)
    assert not fired(report) & RELEVANCE


def test_resolution_order(ruleset: RuleSet) -> None:
    notice = load_notice(str(HERE / "premium-shipping" / "notice.txt"), ruleset)
    front = parse("---\nreason: inauthentic\n---\nWe removed the counterfeit stock.\n", "a.md")
    plain = read_letter(str(HERE / "late-shipment" / "covers.txt"))
    assert resolve(front, ruleset, "late-shipment", notice).label == "--reason"
    assert resolve(front, ruleset, None, notice).reason == "inauthentic"
    got = resolve(plain, ruleset, None, notice)
    assert got.reason == "premium-shipping" and got.label.startswith("from the notice: 'Premium Shipping")
    got = resolve(plain, ruleset)
    assert got.reason == "late-shipment" and got.label.startswith("detected from: '")
    assert resolve(plain, ruleset, "none", notice).reason is None


def test_front_matter_notice_is_relative_to_the_letter(tmp_path: Path, ruleset: RuleSet) -> None:
    (tmp_path / "n.txt").write_text((HERE / "not-as-described" / "notice.txt").read_text(encoding="utf-8"))
    letter = tmp_path / "letter.md"
    letter.write_text("---\nnotice: n.txt\n---\nWe corrected the size chart.\n", encoding="utf-8")
    got = resolve(read_letter(str(letter)), ruleset)
    assert got.notice is not None and got.reason == "not-as-described"
    letter.write_text("---\nnotice: missing.txt\n---\nWe corrected the size chart.\n", encoding="utf-8")
    with pytest.raises(ReasonError, match="missing.txt"):
        resolve(read_letter(str(letter)), ruleset)


def test_unknown_reason_lists_valid_ids(ruleset: RuleSet) -> None:
    assert re.search("late-shipment.*or none", unknown_reason("late-shipments", ruleset))
    with pytest.raises(ReasonError, match="front matter unknown reason 'shipping'"):
        resolve(parse("---\nreason: shipping\n---\nText.\n", "x.md"), ruleset)
