"""The request reader behind question-to-amazon and emotional-appeal (poalint/checks/requests.py): what a
clause asks the reviewer for, read from its structure; its options are checked when the rules load."""

from __future__ import annotations

from pathlib import Path

import pytest

from poalint.api import lint_text
from poalint.ruleset import RuleFileError, load

LETTER = ("Dear Seller Performance Team,\n\nRoot cause: on 2 May our packer shipped 12 orders late because the pick "
          "list was printed once a day.\n\nCorrective actions: on 3 May we shipped every open order.\n\n"
          "Preventive measures: from 4 May our lead prints the pick list at 8:00 and at 13:00.\n\n{close}\n\n"
          "Regards,\nAnn Lee\n")


def _rules(close: str) -> list[str]:
    return [f.rule for f in lint_text(LETTER.format(close=close)).findings
            if f.rule in ("question-to-amazon", "emotional-appeal")]


@pytest.mark.parametrize("close", [
    "Kindly let us know what else is needed.",
    "Could you tell us which listing was flagged?",
    "We would appreciate if you could explain why the invoices were not accepted.",
    "We want to know the reason of suspension.",
    "Please consider our good ratings and our sales history.",
    "Pls call me on my phone.",
])
def test_a_question_to_the_reviewer_fires(close: str) -> None:
    assert _rules(close) == ["question-to-amazon"]


@pytest.mark.parametrize("close", [
    "Please let us know if you need any further information.",
    "Please advise if anything further is required.",
    "We kindly request you to review our plan of action.",
    "We look forward to hearing from you.",
    "Please find attached the shipping logs.",
    "We wanted to understand why the orders were late, so we checked the logs.",
])
def test_an_offer_or_a_closing_does_not_fire(close: str) -> None:
    assert _rules(close) == []


def test_one_request_for_the_account_is_polite_the_second_is_pleading() -> None:
    assert _rules("We request you to reinstate our account.") == []
    assert _rules("We request you to reinstate our account.\nKindly reactive our account at the earliest.") \
        == ["emotional-appeal"]
    assert _rules("I hope Amazon can restore my account. We hope to get our account back soon.") == ["emotional-appeal"]


RULE = """\
id: my-questions
kind: custom
check: question-to-amazon
category: relevance
severity: warning
summary: Questions.
message: "{match} asks."
fix: Delete it.
options:
  cues: [direct_question]
  kinds: [ask]
"""


@pytest.mark.parametrize("edit, words", [
    (("kinds: [ask]", "kinds: [asks]"), "unknown kind of request 'asks'"),
    (("kinds: [ask]", "kinds: [ask]\n  not_actors: [courier]"), "unknown actor 'courier'"),
    (("cues: [direct_question]", "cues: [no_such_concept]"), "unknown concept 'no_such_concept'"),
    (("kinds: [ask]", "kinds: [ask]\n  window: many"), "window: must be a whole number"),
    (("kinds: [ask]", "kinds: [ask]\n  polite: [$request_polit]"), "options.polite: unknown word list '$request_polit'"),
])
def test_bad_options_are_reported_with_path_and_key(tmp_path: Path, edit: tuple[str, str], words: str) -> None:
    d = tmp_path / "extra"
    d.mkdir()
    (d / "rule.yaml").write_text(RULE.replace(*edit), encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load([str(d)])
    message = str(info.value)
    assert message.startswith(f"{d}/rule.yaml:"), message
    assert words in message, message


def test_both_rules_read_the_shared_word_lists_of_the_lexicon() -> None:
    # one source (rules/lexicon/requests.yaml): a word added to a list there serves both rules
    ruleset = load([])
    question, appeal = ruleset.rules["question-to-amazon"].options, ruleset.rules["emotional-appeal"].options
    for field in ("polite", "address", "vocatives", "openers", "frames", "plea_verbs", "plea_nouns"):
        shared = set(ruleset.lexicon[f"request_{field}"])
        assert shared <= set(getattr(question, field)) and shared <= set(getattr(appeal, field)), field
