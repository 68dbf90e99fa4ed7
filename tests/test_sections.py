"""The section finder: every heading form, no headings, wrong order and Amazon's three-question form."""

from __future__ import annotations

from poalint.engine import Linter
from poalint.letter import parse

ROOT = "our packer worked only in the mornings, so afternoon orders waited a full day and 31 orders shipped late."
FIX = "on 3 March 2026 we moved label printing to 8:30 and shipped all 12 open orders the same day."
PREVENT = "every Friday our shipping lead checks the late shipment rate and adds a second packer above 2%."


def _parts(linter: Linter, text: str) -> list[tuple[str, str]]:
    """(part, first words) of every sentence that is not a heading or the letter's frame."""
    document = next(linter.documents([parse(text, "s.md")]))
    out = []
    for s in document.sentences:
        if s.part == "heading" or document.blocks[s.block].kind in ("greeting", "closing", "signature"):
            continue
        out.append((s.part, document.sentence_text(s)[:20]))
    return out


def _order(linter: Linter, text: str) -> list[str]:
    seen: list[str] = []
    for part, _ in _parts(linter, text):
        if part != "other" and part not in seen:
            seen.append(part)
    return seen


def _letter(template: str) -> str:
    return "Dear Seller Performance Team,\n\n" + template.format(root=ROOT, fix=FIX, prevent=PREVENT) + \
        "\n\nSincerely,\nMarta Kowalczyk\n"


EXPECTED = ["root_cause", "corrective", "preventive"]


def test_markdown_headings(linter: Linter) -> None:
    text = _letter("## Root cause\n\n{root}\n\n## Corrective actions\n\n{fix}\n\n## Preventive measures\n\n{prevent}")
    assert _order(linter, text) == EXPECTED


def test_inline_labels(linter: Linter) -> None:
    text = _letter("Root cause: {root}\n\nCorrective actions: {fix}\n\nPreventive measures: {prevent}")
    assert _order(linter, text) == EXPECTED


def test_numbered_parts(linter: Linter) -> None:
    text = _letter("1) Root cause\n{root}\n\n2) Corrective actions\n{fix}\n\n3) Preventive measures\n{prevent}")
    assert _order(linter, text) == EXPECTED


def test_bold_lines(linter: Linter) -> None:
    text = _letter("**Why it happened**\n\n{root}\n\n**Actions taken**\n\n{fix}\n\n**Steps to prevent recurrence**\n\n{prevent}")
    assert _order(linter, text) == EXPECTED


def test_all_caps_lines(linter: Linter) -> None:
    text = _letter("ROOT CAUSE\n\n{root}\n\nCORRECTIVE ACTIONS\n\n{fix}\n\nPREVENTIVE MEASURES\n\n{prevent}")
    assert _order(linter, text) == EXPECTED


def test_amazon_three_questions(linter: Linter) -> None:
    text = _letter("What is the root cause of the problem?\n{root}\n\n"
                   "What measures will you take to resolve the problem?\n{fix}\n\n"
                   "What measures will you take to avoid problems in the future?\n{prevent}")
    assert _order(linter, text) == EXPECTED


def test_no_headings_uses_cues(linter: Linter) -> None:
    text = _letter("This happened because {root}\n\nWe have already fixed it: {fix}\n\nTo prevent this from happening "
                   "again, {prevent}")
    assert _order(linter, text) == EXPECTED


def test_wrong_order_is_kept_and_reported(linter: Linter, lint_text) -> None:  # type: ignore[no-untyped-def]
    text = _letter("Corrective actions: {fix}\n\nRoot cause: {root}\n\nPreventive measures: {prevent}")
    assert _order(linter, text) == ["corrective", "root_cause", "preventive"]
    assert "section-order" in {f.rule for f in lint_text(text, "s.md").findings}


def test_right_order_is_not_reported(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = _letter("Root cause: {root}\n\nCorrective actions: {fix}\n\nPreventive measures: {prevent}")
    rules = {f.rule for f in lint_text(text, "s.md").findings}
    assert not rules & {"section-order", "missing-root-cause", "missing-corrective-actions",
                        "missing-preventive-measures", "thin-section"}
