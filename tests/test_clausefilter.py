"""Clause conditions of phrase rules (`clause:` / `sure:`): typed at load, read from the clause a match sits in."""

from __future__ import annotations

from pathlib import Path

import pytest

from poalint.api import lint_text
from poalint.ruleset import RuleFileError, load

_HEAD = ("id: my-rule\ncategory: blame\nseverity: error\nsummary: S.\nmessage: M.\nfix: F.\nkind: phrase\n"
         "patterns:\n  - [{LOWER: {IN: [not, \"n't\"]}}, {LOWER: aware}]\n")


def _write(tmp_path: Path, text: str) -> str:
    d = tmp_path / "extra"
    d.mkdir(exist_ok=True)
    (d / "rule.yaml").write_text(text, encoding="utf-8")
    return str(d)


@pytest.mark.parametrize("body, line, words", [
    ("clause:\n  actr: [seller]\n", 11, "clause.actr: unknown clause feature"),
    ("clause:\n  actor: [vendor]\n", 11, "clause.actor: unknown value 'vendor'"),
    ("clause:\n  negated: maybe\n", 11, "clause.negated: must be true or false"),
    ("clause: [seller]\n", 10, "clause: must be a mapping"),
    ("sure:\n  unless_done: block\n", 11, "sure.unless_done: unknown clause feature"),
    ("sure:\n  unowned: owned_failur\n", 11, "sure.unowned: unknown concept 'owned_failur'"),
    ("sure:\n  disowned: disown\n", 11, "sure.disowned: unknown concept 'disown'"),
    ("clause:\n  unless_done: part\n  done_verbs: corective_verb\n", 12,
     "clause.done_verbs: unknown word list 'corective_verb'"),
])
def test_clause_keys_are_typed_at_load_with_line_and_key(tmp_path: Path, body: str, line: int, words: str) -> None:
    folder = _write(tmp_path, _HEAD + body)
    with pytest.raises(RuleFileError) as info:
        load([folder])
    message = str(info.value)
    assert message.startswith(f"{folder}/rule.yaml:{line}:"), message
    assert words in message


def _fires(rule: str, text: str) -> list[str]:
    report = lint_text(text)
    return [f.severity.name for f in report.findings if f.rule == rule]


LETTER = ("Dear Seller Performance,\n\nRoot cause:\n{cause}\n\nCorrective actions:\n"
          "On 4 May we removed the claim from the listing and added a policy check to our checklist.\n\n"
          "Preventive measures:\nFrom 5 May our compliance lead checks every new listing against the restricted "
          "products policy before it goes live.\n\nRegards,\nHalden Home Goods\n")


def test_who_does_not_know_is_read_from_the_clause() -> None:
    seller = LETTER.format(cause="Our new assistant, who was not aware of the restricted products policy, "
                                 "listed the claim on 2 May.")
    buyer = LETTER.format(cause="The buyer said that she was not aware of the size chart in the policy. Our "
                                "checklist had no policy step, so the claim went live on 2 May.")
    assert _fires("ignorance-excuse", seller)
    assert not _fires("ignorance-excuse", buyer)


def test_every_named_concept_and_word_list_is_real(ruleset) -> None:  # type: ignore[no-untyped-def]
    # the loader refuses an unknown name (test above); this checks the built-in rules through the same list
    for rule in ruleset.rules.values():
        if not hasattr(rule.options, "names"):
            continue
        assert rule.options.invalid() is None, rule.id
        for _path, kind, name in rule.options.names():
            assert name in (ruleset.concepts if kind == "concept" else ruleset.lexicon), rule.id


BLAME = ("Dear Seller Performance,\n\nRoot cause:\n{cause}\n\nCorrective actions:\n"
         "On 2 April we refunded all 14 buyers and added a second courier.\n\n"
         "Preventive measures:\nFrom 3 April our dispatch lead checks the first scan of every parcel each afternoon.\n\n"
         "Regards,\nTallow Lane Candles\n")


def test_blame_is_an_error_only_when_sure() -> None:
    flat = BLAME.format(cause="The courier lost our parcels again and again.")
    # the letter owns a failure elsewhere (its own paragraph): the blame stays, but it is no longer sure
    owned = BLAME.format(cause="The courier lost our parcels again and again.\n\nWe relied on one courier and "
                               "nobody checked the scans; that was our failure.")
    hedged = BLAME.format(cause="We think the buyers probably misused the candles.")
    assert _fires("blame-shifting", flat) == ["ERROR"]
    assert _fires("blame-shifting", owned) == ["WARNING"]
    assert _fires("blame-shifting", hedged) == ["WARNING"]


def test_blame_that_disowns_the_fault_in_the_same_sentence_is_sure() -> None:
    # owning a gap elsewhere does not soften a sentence that says in the same breath the fault is not the seller's
    own_gap = "\n\nWe did not have enough packers in the spring sale, so orders waited two days."
    for cause in ("It was the courier's fault, not ours.", "The late parcels were the carrier's fault and no fault "
                  "of our own.", "The delays were caused by the courier and had nothing to do with us."):
        assert _fires("blame-shifting", BLAME.format(cause=cause + own_gap)) == ["ERROR"], cause
    # the same blame without the disclaimer, beside the owned gap: not sure
    assert _fires("blame-shifting", BLAME.format(cause="It was the courier's fault." + own_gap)) == ["WARNING"]


@pytest.mark.parametrize("own", [
    # read from the clause: the seller's side (a named assistant, a passive with our team as agent) left a step undone
    "Ms Chen, our listing assistant, did not check the tracking page.",
    "The scans were never checked by our team.",
    # the owned_gap concept: the same admission in other words
    "Our checklist did not ask for the first scan.",
    "We lacked a daily scan check.",
    "This happened because we did not watch the scans.",
    "We made a mistake in choosing a single courier.",
])
def test_blame_beside_a_gap_owned_in_other_words_is_a_warning(own: str) -> None:
    text = BLAME.format(cause="The courier lost our parcels again and again.\n\n" + own)
    assert _fires("blame-shifting", text) == ["WARNING"], own


def test_a_denial_or_a_plan_is_not_an_owned_gap() -> None:
    # "we did not sell" denies, "we will not ship" plans: neither owns a failure, so the blame stays certain
    for other in ("We did not sell any fake candles.", "From May we will not ship without tracking."):
        text = BLAME.format(cause="The courier lost our parcels again and again.\n\n" + other)
        assert _fires("blame-shifting", text) == ["ERROR"], other


def test_a_third_party_named_inside_the_owned_failure_is_no_blame() -> None:
    for cause in ("For 5 orders our supplier delayed the batch by 12 days, and we had no second supplier.",
                  "The carrier missed two pickups. Our dispatch plan had no backup carrier, which was our mistake.",
                  "The courier lost 6 parcels. We take full responsibility: we chose it without looking at its record.",
                  "The carrier is not to blame; we handed over the parcels late."):
        assert _fires("blame-shifting", BLAME.format(cause=cause)) == [], cause
