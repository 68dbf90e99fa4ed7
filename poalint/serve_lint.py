"""What `poalint serve` lints with: a `LintRequest` (pasted text or an upload) -> `HtmlLetter`, through
`poalint.api` (the house's one per-letter entry point) and the readers (an upload is read by its suffix).

Whatever it raises is one line the page shows: a reader's LetterError ("is a binary file ..."), a
ReasonError. A notice poalint cannot parse is not an error: the report carries a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from poalint.api import Setup, lint_letter
from poalint.formats.html import html_letter
from poalint.htmlreport import HtmlLetter
from poalint.letter import LetterError
from poalint.model import RuleSet
from poalint.readers import from_bytes
from poalint.reasons import notice_from_text
from poalint.serve import LintRequest


def make_lint(setup: Setup | None = None) -> Callable[[LintRequest], HtmlLetter]:
    """LintRequest -> HtmlLetter with `setup` (default: the built-in rules, default options)."""
    base = replace(setup if setup is not None else Setup.create(), needs_text=True)

    def lint(req: LintRequest) -> HtmlLetter:
        if req.data is not None:
            letter = from_bytes(req.data, req.filename or "upload.txt")
        else:
            text = req.text or ""
            if not text.strip():
                raise LetterError("the letter is empty: paste it into the box or upload the file")
            letter = from_bytes(text.encode("utf-8"), "pasted letter")  # read as text
        run = base
        if req.reason:
            run = replace(run, reason=req.reason)
        if req.notice_text and req.notice_text.strip():
            run = replace(run, notice=notice_from_text(req.notice_text, run.ruleset))
        return html_letter(lint_letter(letter, run))

    return lint


def reasons_of(ruleset: RuleSet) -> list[tuple[str, str]]:
    """(id, title) of every reason pack, for the page's select."""
    return [(rid, ruleset.reasons[rid].title or rid) for rid in sorted(ruleset.reasons)]
