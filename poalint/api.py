"""The one way through the linter: `lint_letter(letter, setup) -> Report`.

The command line, the --jobs workers, the fixture tests and editor integrations all call
`lint_letter`. It settles the letter's reason once (--reason > front matter > configuration >
the notice > detected, as a `Resolved` value with a `ReasonSource`), builds the Document and its
`Sections`, runs the kinds and scores. A `Setup` is built once per configuration.

    from poalint.api import lint_text
    report = lint_text(open("letter.md").read(), "letter.md", reason="late-shipment")
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from poalint.engine import Linter, Options
from poalint.extract.lang import assess
from poalint.letter import Letter, parse
from poalint.model import NOT_ENGLISH, Finding, LetterFailure, ReasonSource, Report, Resolved, Severity
from poalint.reasons import ReasonError, notice_from_text, resolve
from poalint.ruleset import RuleSet, load

__all__ = ["NOT_ENGLISH", "LetterFailure", "ReasonError", "ReasonSource", "Report", "Resolved", "Setup",
           "lint_letter", "lint_text", "settle_reason"]

NOT_ENGLISH_CATEGORY = "format"  # --select / --ignore take the id or this category, like any rule's


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


# NOTE (issues 13, 14): while a letter is linted, the cyclic collector's generation-0 threshold is
# raised from Python's 700 to LINT_GC_THRESHOLD container allocations and put back afterwards. spaCy
# Docs and the per-letter objects allocate many containers that reference counting frees anyway, so
# at 700 the collector ran thousands of times per long letter, each pass also ageing the rules into
# generation 2 full scans. Measured in one process (benchmarks/, CPU seconds, shared 2-core machine):
# the 2 MB letter spent 1.86 s in collection (2851 passes), 0.30 s (32 passes) at 50,000; 200 letters
# of 600 words 0.34 s -> 0.00 s. Peak RSS unchanged (597 MB and 127 MB): cyclic garbage is still
# collected, only in larger steps. Collection is never disabled, so memory stays bounded.
LINT_GC_THRESHOLD = 50_000
_GC_LOCK = threading.Lock()
_GC_DEPTH = [0, 0]  # [letters being linted now (threads, nesting), the gen-0 threshold to put back]


@contextmanager
def relaxed_collector() -> Iterator[None]:
    """Raise the collector's generation-0 threshold for the block; the last block to leave restores it."""
    with _GC_LOCK:
        if _GC_DEPTH[0] == 0:
            _GC_DEPTH[1] = gc.get_threshold()[0]
            if _GC_DEPTH[1]:  # 0: automatic collection was turned off by the caller; left so
                gc.set_threshold(max(LINT_GC_THRESHOLD, _GC_DEPTH[1]), *gc.get_threshold()[1:])
        _GC_DEPTH[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_DEPTH[0] -= 1
            if _GC_DEPTH[0] == 0:
                gc.set_threshold(_GC_DEPTH[1], *gc.get_threshold()[1:])


def lint_letter(letter: Letter, setup: Setup) -> Report:
    """Lint one letter. Raises ReasonError (one line) when its front matter names a bad notice or reason.

    The language step comes first: a letter that is not English gets one `not-english` error and
    nothing else (unless --ignore / --select leave that finding out: then it is linted as it is); in a
    mixed letter the paragraphs in another language are blanked (offsets kept), so the parts and tone
    are judged on its English only, and a warning says what was left out.
    """
    with relaxed_collector():
        return _lint(letter, setup)


def _lint(letter: Letter, setup: Setup) -> Report:
    verdict, spans = assess(letter.text)
    if not verdict.is_english:
        if setup.linter.selected(NOT_ENGLISH, NOT_ENGLISH_CATEGORY):
            return _not_english(letter, verdict.note, setup)
    judged, notes = letter, ()  # type: tuple[Letter, tuple[str, ...]]
    # (a letter not in English whose `not-english` is ignored or not selected is linted as it is)
    if verdict.is_english and spans is not None and _blanks_something(letter.text, spans):
        judged = replace(letter, text=_keep_only(letter.text, spans))
        notes = (f"{letter.path}: {verdict.note}",)
    resolved = settle_reason(judged, setup)
    document, sections = setup.linter.document(judged)
    report = setup.linter.check(document, resolved)
    return replace(report, parts=sections.spans(document), text=letter.text if setup.needs_text else None,
                   warnings=(*report.warnings, *notes, *resolved.warnings))


def _keep_only(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with everything outside `spans` blanked: spaces for characters, line ends kept."""
    out = []
    pos = 0
    for start, end in spans:
        out.append(_blank(text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(_blank(text[pos:]))
    return "".join(out)


def _blank(text: str) -> str:
    return "".join(c if c == "\n" else " " for c in text)


def _blanks_something(text: str, spans: list[tuple[int, int]]) -> bool:
    """Some text with letters in it lies outside the spans to judge."""
    pos = 0
    for start, end in [*spans, (len(text), len(text))]:
        if any(c.isalpha() for c in text[pos:start]):
            return True
        pos = end
    return False


def _not_english(letter: Letter, note: str, setup: Setup) -> Report:
    """The one finding for a letter poalint cannot read: at its first words, an error so it never passes silently."""
    text = letter.text
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    end = len(text) if end < 0 else min(end, start + 80)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    severity = setup.linter.options.severity.get(NOT_ENGLISH, Severity.ERROR)
    finding = Finding(NOT_ENGLISH, NOT_ENGLISH_CATEGORY, severity, line, column, line, column + (end - start),
                      text[start:end], note, "Write the letter in English (or have it translated), then lint it again.",
                      start, end, letter.paragraph_at(start) if letter.paragraphs else None)
    return Report(letter.path, (finding,), 0.0, False, warnings=letter.warnings,
                  text=letter.text if setup.needs_text else None)


_DEFAULT: dict[str, Setup] = {}  # the built-in rules with default options, loaded on first use


def lint_text(text: str, path: str = "<text>", setup: Setup | None = None, *, reason: str | None = None,
              notice_text: str | None = None) -> Report:
    """Lint a letter given as a string (an editor buffer, a web form). Raises LetterError / ReasonError.

    `reason` and `notice_text` (the pasted Amazon notice) act like --reason and --notice.
    """
    if setup is None:
        if "setup" not in _DEFAULT:
            _DEFAULT["setup"] = Setup.create()
        setup = _DEFAULT["setup"]
    if reason is not None:
        setup = replace(setup, reason=reason)
    if notice_text is not None:  # a notice poalint cannot parse is a warning on the report, not an error
        setup = replace(setup, notice=notice_from_text(notice_text, setup.ruleset))
    return lint_letter(parse(text, path), setup)
