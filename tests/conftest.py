"""Shared fixtures: one rule set and one linter per test session (spaCy loads once)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from poalint.api import Setup, lint_letter
from poalint.engine import Linter, Options
from poalint.letter import parse
from poalint.model import Report
from poalint.ruleset import RuleSet, load


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load()


@pytest.fixture(scope="session")
def linter(ruleset: RuleSet) -> Linter:
    return Linter(ruleset, Options())


@pytest.fixture(scope="session")
def setup(linter: Linter) -> Setup:
    return Setup(linter)


@pytest.fixture(scope="session")
def lint_text(setup: Setup):  # type: ignore[no-untyped-def]
    """lint_text(text, path="letter.txt", reason=..., notice=..., previous=...) -> Report, through lint_letter."""

    def run(text: str, path: str = "letter.txt", **inputs: object) -> Report:
        return lint_letter(parse(text, path), replace(setup, **inputs))  # type: ignore[arg-type]

    return run
