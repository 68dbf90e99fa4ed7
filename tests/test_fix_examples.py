"""Fix texts of the quality rules show an example for the letter's own reason (issue 9, deliver 6)."""

from __future__ import annotations

import pytest

from poalint.api import Setup, lint_text
from poalint.packs import GENERIC_EXAMPLES

THIN_CAUSE = ("Root cause:\nWe made a mistake.\n\nCorrective actions:\nOn 3 May we shipped the 12 open orders and "
              "wrote to each buyer.\n\nPreventive measures:\nFrom 5 May our lead checks open orders every day at 2 pm.\n")
VAGUE_PLAN = ("Root cause:\nOur only packer works mornings, so orders paid after noon waited a day.\n\n"
              "Corrective actions:\nOn 3 May we shipped the 12 open orders.\n\n"
              "Preventive measures:\nWe will be more careful with every order.\n")


@pytest.fixture(scope="module")
def setup() -> Setup:
    return Setup.create()


def _fix(text: str, rule: str, setup: Setup, reason: str | None) -> str:
    report = lint_text(text, "letter.txt", setup, reason=reason)
    fixes = [f.fix for f in report.findings if f.rule == rule]
    assert fixes, f"{rule} did not fire"
    return fixes[0]


@pytest.mark.parametrize("reason", ["late-shipment", "related-accounts", "inauthentic"])
def test_thin_root_cause_shows_the_reasons_own_example(reason: str, setup: Setup) -> None:
    pack = setup.ruleset.reasons[reason]
    fix = _fix(THIN_CAUSE, "thin-section", setup, reason)
    assert pack.examples["root_cause"].strip("'") in fix


@pytest.mark.parametrize("reason", ["late-shipment", "related-accounts"])
def test_vague_measure_shows_the_reasons_own_example(reason: str, setup: Setup) -> None:
    pack = setup.ruleset.reasons[reason]
    fix = _fix(VAGUE_PLAN, "vague-measure", setup, reason)
    assert pack.examples["preventive"].strip("'") in fix


def test_no_reason_gives_the_generic_example(setup: Setup) -> None:
    fix = _fix(THIN_CAUSE, "thin-section", setup, None)
    assert GENERIC_EXAMPLES["root_cause"].strip("'") in fix
