"""Shared fixtures: one rule set and one linter per test session (spaCy loads once)."""

from __future__ import annotations

import pytest

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
def lint_text(linter: Linter):  # type: ignore[no-untyped-def]
    """lint_text(text, path="letter.txt", **kwargs) -> Report for a letter given as a string."""

    def run(text: str, path: str = "letter.txt", **kwargs: object) -> Report:
        return linter.lint([parse(text, path)], **kwargs)[0]

    return run
