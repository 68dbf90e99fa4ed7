"""A real `lint` callable for poalint.serve and HtmlLetters for the report, built on today's engine API.

Test helper only: the command line will wire poalint.serve to the runner itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from poalint.htmlreport import HtmlLetter
from poalint.model import Report, Severity
from poalint.serve import LintRequest

PART_NAMES = ("root_cause", "corrective", "preventive")


def parts_of(document: Any) -> tuple[tuple[int, int, str], ...]:
    """Character spans of each sentence with the part the section finder gave it ("none" for the rest).

    A heading sentence takes its block's part, so "Root cause:" sits in the root cause bar.
    """
    out = []
    for s in document.sentences:
        part = s.part
        if part == "heading":
            part = document.block_parts[s.block]
        start, end = document.char_span(s)
        out.append((start, end, part if part in PART_NAMES else "none"))
    return tuple(out)


def verdict(report: Report, min_score: float) -> str:
    if report.passed:
        return "passed"
    errors = sum(1 for f in report.findings if f.severity == Severity.ERROR)
    if errors:
        return f"FAILED: {errors} error{'s' if errors != 1 else ''}"
    return f"FAILED: score {report.score:.0f} is under the minimum {min_score:g}"


def html_letter(linter: Any, letter: Any, **check: Any) -> HtmlLetter:
    document = next(linter.documents([letter]))
    report = linter.check(document, **check)
    return HtmlLetter(path=letter.path, text=letter.text, findings=report.findings, parts=parts_of(document),
                      score=report.score, passed=report.passed, verdict=verdict(report, linter.options.min_score),
                      reason=report.reason, reason_source=report.reason_source)


def make_lint(linter: Any) -> Callable[[LintRequest], HtmlLetter]:
    """LintRequest -> HtmlLetter, raising a one-line exception for anything unreadable."""
    from poalint.letter import LetterError, from_bytes, parse
    from poalint.notice import NoticeError, parse_notice
    from poalint.reasons import resolve, vocabulary

    ruleset = linter.ruleset

    def lint(req: LintRequest) -> HtmlLetter:
        if req.data is not None:
            letter = from_bytes(req.data, req.filename or "upload.txt")
        else:
            text = req.text or ""
            if not text.strip():
                raise LetterError("the letter is empty")
            letter = parse(text, "pasted letter")
        notice = None
        if req.notice_text and req.notice_text.strip():
            try:
                notice = parse_notice(req.notice_text, vocabulary(ruleset))
            except NoticeError:
                notice = None  # a notice we cannot read: lint the letter without it
        resolved = resolve(letter, ruleset, req.reason, notice)
        return html_letter(linter, letter, **resolved.check_args())

    return lint


def reasons_of(ruleset: Any) -> list[tuple[str, str]]:
    return [(rid, rid.replace("-", " ").capitalize()) for rid in sorted(ruleset.reasons)]
