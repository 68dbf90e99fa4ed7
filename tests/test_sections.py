"""The section finder: every heading form, no headings, wrong order and Amazon's three-question form."""

from __future__ import annotations

from poalint.engine import Linter
from poalint.letter import parse

ROOT = "our packer worked only in the mornings, so afternoon orders waited a full day and 31 orders shipped late."
FIX = "on 3 March 2026 we moved label printing to 8:30 and shipped all 12 open orders the same day."
PREVENT = "every Friday our shipping lead checks the late shipment rate and adds a second packer above 2%."


def _parts(linter: Linter, text: str) -> list[tuple[str, str]]:
    """(part, first words) of every sentence that is not a heading or the letter's frame."""
    document = linter.document(parse(text, "s.md"))[0]
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


# ---- letters without headings: every paragraph decided by what it says ----------------------

INTRO = "I am writing about the removal of our ceramic mug listing."
HISTORY = ("My father opened our shop in 1998 and we have been selling on Amazon since 2015, "
           "with more than 20,000 happy customers every year.")
PLEADING = "Please, I beg you, give us one more chance. This shop is the only income for my family."
DENIAL = "This complaint is false and we did nothing wrong. Why should we be punished for it?"
CLOSING = "We respectfully ask you to reinstate the listing."


def _paragraphs(linter: Linter, *paragraphs: str) -> list[str]:
    """The part of each paragraph's first sentence, for a letter with no headings."""
    text = "Dear Seller Performance Team,\n\n" + "\n\n".join(paragraphs) + "\n\nSincerely,\nMarta Kowalczyk\n"
    parts = dict((first, part) for part, first in _parts(linter, text))
    return [parts[p[:20]] for p in paragraphs]


def test_no_headings_intro_parts_and_closing(linter: Linter) -> None:
    got = _paragraphs(linter, INTRO, "This happened because " + ROOT, "We have already fixed it: " + FIX,
                      "To prevent this from happening again, " + PREVENT, CLOSING)
    assert got == ["other", "root_cause", "corrective", "preventive", "other"]


def test_pleading_paragraph_is_no_part(linter: Linter) -> None:
    # "every", "will" and "already" in a plea are no measure
    plea = "We have already lost everything and I beg you every day: please give us one more chance, we will pay our staff."
    got = _paragraphs(linter, "This happened because " + ROOT, plea, "To prevent this from happening again, " + PREVENT)
    assert got == ["root_cause", "other", "preventive"]
    assert _paragraphs(linter, PLEADING, "This happened because " + ROOT)[0] == "other"


def test_history_paragraph_is_no_part(linter: Linter) -> None:
    # "since", "every year" and "selling" are no cause and no measure
    got = _paragraphs(linter, HISTORY, "This happened because " + ROOT, "We have already fixed it: " + FIX)
    assert got == ["other", "root_cause", "corrective"]


def test_denial_paragraph_is_no_root_cause(linter: Linter, lint_text) -> None:  # type: ignore[no-untyped-def]
    got = _paragraphs(linter, DENIAL + " It happened because the buyer broke the mug.", "We have already fixed it: " + FIX)
    assert got[0] == "other"
    text = "Hello,\n\n" + DENIAL + "\n\nWe have already fixed it: " + FIX + "\n\nRegards,\nMarta\n"
    assert "missing-root-cause" in {f.rule for f in lint_text(text).findings}


def test_threat_deadline_is_no_timeline(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Hello,\n\nThe mugs cracked because we packed them without dividers.\n\n"
            "We have already refunded the buyers and we now pack every mug with dividers.\n\n"
            "If the listing is not back within 7 days, we will take legal action.\n\nRegards,\nMarta\n")
    assert "missing-timeline" in {f.rule for f in lint_text(text).findings}


def test_list_number_alone_on_its_line(linter: Linter) -> None:
    text = _letter("## Corrective actions\n\n1.\nOn 3 March we removed the listing.\n\n2.\nOn 4 March we refunded 12 buyers.")
    document = linter.document(parse(text, "s.md"))[0]
    said = [document.sentence_text(s) for s in document.sentences if s.part == "corrective"]
    assert said == ["1.\nOn 3 March we removed the listing.", "2.\nOn 4 March we refunded 12 buyers."]


def test_cues_are_matched_as_lemmas() -> None:
    from poalint.nlp import get_nlp
    from poalint.sections import cue_lemmas

    nlp = get_nlp()
    assert cue_lemmas("keep an eye", nlp) == ["keep", "a", "eye"]
    assert cue_lemmas("we * removed", nlp) == ["we", "*", "remove"]
    assert cue_lemmas("long-term", nlp) == [t.lemma_ for t in nlp("long-term")]


def test_section_cues_do_not_count_twice(ruleset) -> None:  # type: ignore[no-untyped-def]
    """Cues are matched as lemmas: two entries with the same lemmas ("was wrong", "be wrong") would add up."""
    from poalint.nlp import get_nlp
    from poalint.sections import cue_lemmas

    nlp = get_nlp()
    for part, entries in ruleset.sections.cues.items():
        seen: dict[str, str] = {}
        for cue, _weight in entries:
            key = " ".join(cue_lemmas(cue, nlp))
            assert key not in seen, f"{part}: cue {cue!r} is matched like {seen[key]!r}"
            seen[key] = cue


def test_not_a_part_names_known_concepts_and_rules(ruleset) -> None:  # type: ignore[no-untyped-def]
    spec = ruleset.sections.not_a_part
    assert spec is not None and spec.concepts and spec.rules
    assert set(spec.concepts) <= set(ruleset.concepts)
    assert set(spec.rules) <= set(ruleset.rules)


# ---- issue 9: headings as sellers write them, parts by what sentences do, error only when sure ----

def _vocab():  # type: ignore[no-untyped-def]
    import yaml

    from poalint.structure import HeadingVocab

    data = yaml.safe_load(open("rules/sections.yaml", encoding="utf-8"))
    return HeadingVocab(data["headings"], data.get("greetings") or [], data.get("closings") or [])


def test_heading_forms_sellers_write() -> None:
    from poalint.structure import heading_of

    vocab = _vocab()
    cases = {
        "**What we\u2019ve put right**": "corrective",
        "Steps taken to prevent recurrence:": "preventive",
        "What steps have you taken to prevent this from happening again?": "preventive",
        "Q1. What caused the issue?": "root_cause",
        "How will you make sure it does not happen again?": "preventive",
        "Steps we have taken to stop this from happening in the future:": "preventive",
        "Looking ahead": "preventive",
        "Done:": "corrective",
        "Where we\u2019ll go from here": "preventive",
        "What we've changed": "preventive",
    }
    for line, part in cases.items():
        got = heading_of(line, vocab)
        assert got is not None and got[0] == part, (line, got)
    assert heading_of("Why you can trust us again", vocab) in (None, (None, 0, 26))
    # a colon lead-in with a subject is prose, not a heading
    assert heading_of("We did the following to prevent this from happening again in the future:", vocab) is None


def test_tables_quotes_and_cjk_markers_as_blocks() -> None:
    from poalint.structure import parse_blocks, words

    text = ("| Date | Action |\n|---|---|\n| 3 May | Refunded all buyers |\n\n"
            "1\u3001we refunded all buyers\u3002\n\u2022 We moved the shelf.\n\n"
            "-----Original Message-----\n> Please send a plan of action.\n")
    kinds = [(b.kind, text[b.start:b.end][:12]) for b in parse_blocks(text, _vocab())]
    assert kinds[0] == ("item", "| 3 May | Re")  # header and separator rows are not text of the letter
    assert [k for k, _ in kinds[1:3]] == ["item", "item"]
    assert kinds[-1][0] == "quote"
    assert words("write to ops@north-wind.co.uk or call +44 20 7946 0958 today") == [
        "write", "to", "ops@north-wind.co.uk", "or", "call", "+44 20 7946 0958", "today"]


def test_parts_by_what_sentences_do(linter: Linter, setup) -> None:  # type: ignore[no-untyped-def]
    from poalint.api import lint_text
    from poalint.model import Severity

    text = ("Dear team,\n\nOur shipments were late because our only packer was ill. We are sorry.\n\n"
            "We will do our best.\n\nRegards,\nAli\n")
    assert {part for part, _ in _parts(linter, text)} == {"root_cause", "preventive"}
    # one paragraph doing two jobs: the part it cannot hold is not reported as surely missing
    text = ("Dear team,\n\nOur shipments were late because our only packer was ill. We are sorry. "
            "We now have more packers and we will make sure orders leave on time.\n\nRegards,\nAli\n")
    found = [f for f in lint_text(text, "m.txt", setup).findings if f.rule.startswith("missing-")
             and f.rule != "missing-timeline"]
    assert all(f.severity < Severity.ERROR for f in found), found


def test_missing_part_is_a_warning_when_unsure(setup) -> None:  # type: ignore[no-untyped-def]
    from poalint.api import lint_text
    from poalint.model import Severity

    unsure = ("Root cause:\nThe labels were wrong because the template was old.\n\n"
              "Corrective actions:\nWe are a small family business and we love our buyers.\n\n"
              "Preventive measures:\nFrom now on our packer checks the printer queue every morning.\n")
    found = [f for f in lint_text(unsure, "u.txt", setup).findings if f.rule == "missing-corrective-actions"]
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "could not find" in found[0].message
    sure = "Please reinstate my account. I have sold here for ten years and I love my buyers.\n"
    found = [f for f in lint_text(sure, "s.txt", setup).findings if f.rule == "missing-corrective-actions"]
    assert [f.severity for f in found] == [Severity.ERROR]


# --- parts by function: severity follows how sure poalint is ------------------------------------------

def _severity(lint_text, text: str, rule: str) -> str | None:  # type: ignore[no-untyped-def]
    found = [f.severity.name for f in lint_text(text, "s.txt").findings if f.rule == rule]
    return found[0] if found else None


def test_excerpt_cut_off_before_a_part_is_only_noted(lint_text) -> None:  # type: ignore[no-untyped-def]
    cut = (f"Root cause: {ROOT}\n\nCorrective actions: {FIX} We also wrote to every buyer whose order was late, "
           "offering a refund of the postage, and then we")
    assert _severity(lint_text, cut, "missing-preventive-measures") == "INFO"
    warned = next(f for f in lint_text(cut, "s.txt").findings if f.rule == "missing-preventive-measures")
    assert warned.excerpt and cut.rstrip().rsplit("\n", 1)[-1].startswith(warned.excerpt)  # the line where it stops
    whole = f"Root cause: {ROOT}\n\nCorrective actions: {FIX}\n\nRegards,\nMarta Kowalczyk\n"
    assert _severity(lint_text, whole, "missing-preventive-measures") == "ERROR"


def test_cut_off_is_read_from_the_end_of_the_letter(linter: Linter) -> None:
    from poalint.checks.parts import cut_off

    def cut(text: str) -> bool:
        return cut_off(linter.document(parse(text, "s.txt"))[0])

    assert cut(f"Root cause: {ROOT}\n\nWe then moved the label printer to the packing bench and [...]")
    assert cut(f"Root cause: {ROOT}\n\nCorrective actions: {FIX}\n\nPreventive measures:")
    assert cut(f"Root cause: {ROOT}\n\nOn 3 March we moved the label printer to the packing bench and asked the")
    assert not cut(f"Root cause: {ROOT}\n\nCorrective actions: {FIX}")
    assert not cut(f"Root cause: {ROOT}\n\nCorrective actions: on 3 March we moved the printer and\n\nRegards,\nAna")


def test_refusal_under_a_heading_is_no_part(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = _letter("1. Root cause\n\nThere is no root cause, we did nothing wrong.\n\n2. Corrective actions\n\n{fix}"
                   "\n\n3. Preventive measures\n\n{prevent}")
    assert _severity(lint_text, text, "missing-root-cause") == "WARNING"


def test_a_part_done_anywhere_is_present(lint_text) -> None:  # type: ignore[no-untyped-def]
    # the action taken sits in the paragraph the cue words gave the preventive part: still no finding
    text = _letter("Root cause: {root}\n\nWe will keep an eye on the rate. What I have done: I shipped every open "
                   "order on 3 March.\n\nPreventive measures: {prevent}")
    assert _severity(lint_text, text, "missing-corrective-actions") is None


def test_sure_missing_is_an_error(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = _letter("Root cause: {root}\n\nPreventive measures: {prevent}")
    assert _severity(lint_text, text, "missing-corrective-actions") == "ERROR"


def test_more_heading_forms_and_lone_lines_as_boundaries() -> None:
    from poalint.structure import heading_of, parse_blocks

    vocab = _vocab()
    for line, part in {"What Northwind has already done": "corrective", "What I have done:": "corrective",
                       "Where things went wrong": "root_cause", "What keeps it from happening again": "preventive",
                       "What we do already": "corrective"}.items():
        got = heading_of(line, vocab)
        assert got is not None and got[0] == part, (line, got)
    # a short line alone between blank lines, with no end punctuation, is a heading even when unknown
    text = ("Dear Team,\n\nThe short version\n\nOur packer was off sick for two weeks.\n\nNext steps from today\n\n"
            "- Every day at 3 pm our lead checks open orders.\n\nRegards,\nAna\n")
    heads = [(text[b.start:b.end], b.part) for b in parse_blocks(text, vocab) if b.kind == "heading"]
    assert ("The short version", None) in heads
    assert ("Next steps from today", "preventive") in heads


def test_amazon_request_lines_are_headings_with_or_without_a_full_stop() -> None:
    from poalint.structure import heading_of

    vocab = _vocab()
    for line, part in {"1) Greater detail on the root cause(s) of the policy violation.": "root_cause",
                       "2) Greater detail on the actions we have taken to resolve policy issues": "corrective",
                       "3. More detail on the steps taken to prevent further violations.": "preventive"}.items():
        got = heading_of(line, vocab)
        assert got is not None and got[0] == part, (line, got)
    # a numbered line that states something is prose, whatever part words it holds
    for line in ("1) The root cause was a broken label printer.", "2. We removed the listing on 3 May.",
                 "1) Our root cause analysis is finished."):
        got = heading_of(line, vocab)
        assert got is None or got[2] < len(line), (line, got)
