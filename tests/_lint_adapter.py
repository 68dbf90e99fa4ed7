"""Test helpers for the HTML report and `poalint serve`, on the real path: poalint.api.lint_letter,
poalint.formats.html.html_letter and poalint.serve_lint (what `--format html` and `poalint serve` run)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from poalint.api import Setup, lint_letter
from poalint.formats.html import html_letter as report_letter
from poalint.htmlreport import HtmlLetter
from poalint.serve import LintRequest
from poalint.serve_lint import make_lint as _make_lint
from poalint.serve_lint import reasons_of as _reasons_of


def _setup(linter: Any) -> Setup:
    return Setup(linter, needs_text=True)


def html_letter(linter: Any, letter: Any) -> HtmlLetter:
    return report_letter(lint_letter(letter, _setup(linter)))


def make_lint(linter: Any) -> Callable[[LintRequest], HtmlLetter]:
    return _make_lint(_setup(linter))


def reasons_of(ruleset: Any) -> list[tuple[str, str]]:
    return _reasons_of(ruleset)
