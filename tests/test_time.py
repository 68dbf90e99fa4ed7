"""Time expressions (rules/concepts/time.yaml): every form a seller writes, and near misses that are not times."""

from __future__ import annotations

import pytest

from poalint.engine import Linter
from poalint.letter import parse

TIMES = [
    "We removed the listing on 2026-03-04.",
    "We removed the listing on 4 March 2026.",
    "We removed the listing on March 4th.",
    "We removed the listing on 03/04/2026.",
    "We removed the listing on the 4th.",
    "We answer every message within 48 hours.",
    "We answer every message within two business days.",
    "We answer every message within forty-eight hours.",
    "The new labels arrive by the end of next week.",
    "The audit is finished before 15 April.",
    "Our lead counts the stock every Monday.",
    "We audit the listings weekly.",
    "Linnworks syncs the stock twice a day.",
    "We review each supplier each quarter.",
    "Effective immediately, every order ships with tracking.",
    "From today, every order ships with tracking.",
    "Starting now, every order ships with tracking.",
    "The courier collects at 2 pm.",
    "The courier collects at 14:30.",
]

NOT_TIMES = [
    "We will be more careful from now on.",
    "In the future we will check more.",
    "We sold 48 units of ASIN B0C4ZK7Q2M.",
    "Customers may choose a refund.",
    "Our on-time rate was 90.1% overall.",
    "Going forward we will improve our processes.",
]


def _times(linter: Linter, text: str) -> list[str]:
    document = linter.document(parse(text, "t.txt"))[0]
    return [text[a:b] for a, b in linter.matchers.concept("time_expression", document)]


@pytest.mark.parametrize("text", TIMES)
def test_time_expression_found(linter: Linter, text: str) -> None:
    assert _times(linter, text), f"no time expression found in {text!r}"


@pytest.mark.parametrize("text", NOT_TIMES)
def test_not_a_time_expression(linter: Linter, text: str) -> None:
    assert _times(linter, text) == []


def test_month_may_is_a_date_and_not_hedging(lint_text) -> None:  # type: ignore[no-untyped-def]
    report = lint_text("Root cause: in May 2026 our stock sync stopped for 3 days because 12 SKUs were never mapped.")
    assert "hedging" not in {f.rule for f in report.findings}
