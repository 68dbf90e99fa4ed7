"""The one way through the linter: `lint_letter(letter, setup) -> Report`.

The command line, the --jobs workers, the fixture tests and editor integrations all call
`lint_letter`. It settles the letter's reason once (--reason > front matter > configuration >
the notice > detected, as a `Resolved` value with a `ReasonSource`), builds the Document and its
`Sections`, runs the kinds and scores. A `Setup` is built once per configuration.

    from poalint.api import lint_text
    report = lint_text(open("letter.md").read(), "letter.md", reason="late-shipment")
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from poalint.engine import Linter, Options
from poalint.letter import Letter, parse
from poalint.model import LetterFailure, ReasonSource, Report, Resolved
from poalint.notice import parse_notice
from poalint.reasons import ReasonError, resolve, vocabulary
from poalint.ruleset import RuleSet, load

__all__ = ["LetterFailure", "ReasonError", "ReasonSource", "Report", "Resolved", "Setup", "lint_letter",
           "lint_text", "settle_reason"]


@dataclass(frozen=True)
class Setup:
    """What every letter of one configuration is linted with: the Linter (rules + options) and the run's inputs."""

    linter: Linter
    reason: str | None = None  # --reason ("none" turns reason checks off)
    notice: Any = None  # --notice, read once (poalint.notice.Notice)
    previous: Letter | None = None  # --previous, read once
    config_reason: str | None = None  # the configuration file's default `reason`
    config_path: str = ""  # where that default was set, for the report ("config .poalint.yaml")
    needs_text: bool = False  # fill Report.text (the chosen output format shows the letter)

    @property
    def ruleset(self) -> RuleSet:
        return self.linter.ruleset

    @classmethod
    def create(cls, ruleset: RuleSet | None = None, options: Options | None = None, **inputs: Any) -> Setup:
        """A Setup from a rule set (default: the built-in rules) and options; `inputs` are the other fields."""
        return cls(Linter(ruleset if ruleset is not None else load(), options), **inputs)


def settle_reason(letter: Letter, setup: Setup) -> Resolved:
    """The letter's reason, pack, notice and previous appeal; ReasonError for bad front matter."""
    return resolve(letter, setup.ruleset, setup.reason, setup.notice, setup.previous, setup.config_reason,
                   setup.config_path)


def lint_letter(letter: Letter, setup: Setup) -> Report:
    """Lint one letter. Raises ReasonError (one line) when its front matter names a bad notice or reason."""
    resolved = settle_reason(letter, setup)
    document, sections = setup.linter.document(letter)
    report = setup.linter.check(document, resolved)
    return replace(report, parts=sections.spans(document), text=letter.text if setup.needs_text else None)


_DEFAULT: dict[str, Setup] = {}  # the built-in rules with default options, loaded on first use


def lint_text(text: str, path: str = "<text>", setup: Setup | None = None, *, reason: str | None = None,
              notice_text: str | None = None) -> Report:
    """Lint a letter given as a string (an editor buffer, a web form). Raises LetterError / ReasonError / NoticeError.

    `reason` and `notice_text` (the pasted Amazon notice) act like --reason and --notice.
    """
    if setup is None:
        if "setup" not in _DEFAULT:
            _DEFAULT["setup"] = Setup.create()
        setup = _DEFAULT["setup"]
    if reason is not None:
        setup = replace(setup, reason=reason)
    if notice_text is not None:
        setup = replace(setup, notice=parse_notice(notice_text, vocabulary(setup.ruleset)))
    return lint_letter(parse(text, path), setup)
