"""The rule catalog is public API: every id exists, is documented and has fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from poalint.cli import cli
from poalint.ruleset import RuleSet

# Rule ids of the product spec (rule-catalog.md). Ids are never renamed or removed.
CATALOG = {
    "structure": ["missing-root-cause", "missing-corrective-actions", "missing-preventive-measures", "section-order",
                  "thin-section"],
    "specificity": ["vague-root-cause", "vague-measure", "corrective-in-future", "ignorance-excuse",
                    "missing-evidence"],
    "relevance": ["reason-not-addressed", "missing-reference", "uncovered-request", "reason-mismatch", "off-topic",
                  "question-to-amazon", "recycled-text"],
    "blame": ["blame-shifting", "denial"],
    "timeline": ["missing-timeline", "undated-measure"],
    "tone": ["emotional-appeal", "threat", "hedging", "over-apology", "absolute-promise", "passive-evasion"],
    "format": ["too-long", "too-short", "long-sentence", "hard-to-read", "wall-of-text", "shouting", "repeated-text"],
    "hygiene": ["placeholder", "buyer-pii", "external-link"],
}
SEVERITY = {
    "error": {"missing-root-cause", "missing-corrective-actions", "missing-preventive-measures",
              "reason-not-addressed", "blame-shifting", "denial", "threat", "placeholder", "buyer-pii"},
    "info": {"section-order", "undated-measure", "over-apology", "absolute-promise", "passive-evasion",
             "long-sentence", "hard-to-read", "wall-of-text"},
}
REASONS = ["late-shipment", "pre-fulfillment-cancellation", "valid-tracking", "order-defect-rate", "premium-shipping",
           "not-as-described", "item-condition", "inauthentic", "intellectual-property", "restricted-products",
           "product-safety", "review-manipulation", "related-accounts"]
IDS = [(cat, rid) for cat, ids in CATALOG.items() for rid in ids]
FIXTURES = Path(__file__).parent / "rules"


def test_catalog_has_37_rules() -> None:
    assert len(IDS) == 37 and len({rid for _, rid in IDS}) == 37


@pytest.mark.parametrize("category, rule_id", IDS)
def test_rule_exists_with_category_and_severity(ruleset: RuleSet, category: str, rule_id: str) -> None:
    rule = ruleset.rules.get(rule_id)
    assert rule is not None, f"catalog rule {rule_id} is not implemented"
    assert rule.category == category
    expected = "error" if rule_id in SEVERITY["error"] else "info" if rule_id in SEVERITY["info"] else "warning"
    assert str(rule.severity) == expected


@pytest.mark.parametrize("category, rule_id", IDS)
def test_rule_is_documented(category: str, rule_id: str) -> None:
    res = CliRunner().invoke(cli, ["rule", rule_id])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"{rule_id}  ({category}, ")
    assert "How to fix:" in res.output
    assert "Fails:" in res.output and "Passes:" in res.output


@pytest.mark.parametrize("category, rule_id", IDS)
def test_rule_has_positive_and_hard_negative_fixtures(category: str, rule_id: str) -> None:
    folder = FIXTURES / rule_id
    fails = [p for p in folder.glob("fail*") if p.suffix in (".txt", ".md")]
    passes = [p for p in folder.glob("pass*") if p.suffix in (".txt", ".md")]
    assert fails and passes, f"{folder} needs fail* and pass* letters"
    for p in fails:
        expected = p.with_suffix(".expected")
        assert expected.exists() and re.search(rf"^\d+:\d+ {rule_id}$", expected.read_text(), re.M), expected


def test_every_reason_has_a_pack(ruleset: RuleSet) -> None:
    assert sorted(ruleset.reasons) == sorted(REASONS)


def test_rule_ids_are_kebab_case_and_messages_quote_or_count(ruleset: RuleSet) -> None:
    for rule in ruleset.rules.values():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id)
        assert rule.fix.strip() and rule.summary.strip()
