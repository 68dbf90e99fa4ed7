"""The token automaton finds exactly what spaCy's Matcher finds, for the rules' patterns and random ones."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WORDS = ["We", "we", "shipped", "ship", "late", "the", "The", "carrier", "Carrier", "not", "n't", "did", "do",
         "orders", "order", "12", "twelve", "one", ".", ",", "UPS", "iPhone", "BigBox", "days", "a", "an", "our"]
LOWER = sorted({w.lower() for w in WORDS})

_token = st.fixed_dictionaries({}, optional={
    "LOWER": st.one_of(st.sampled_from(LOWER),
                       st.fixed_dictionaries({"IN": st.lists(st.sampled_from(LOWER), min_size=1, max_size=4)}),
                       st.fixed_dictionaries({"NOT_IN": st.lists(st.sampled_from(LOWER), min_size=1, max_size=3)})),
    "LEMMA": st.one_of(st.sampled_from(["be", "carrier", "ship", "do", "not", "we", "order", "day"]),
                       st.fixed_dictionaries({"IN": st.lists(st.sampled_from(["ship", "order", "we", "do"]),
                                                             min_size=1, max_size=3)})),
    "TEXT": st.fixed_dictionaries({"REGEX": st.sampled_from(["^[A-Z]", "^[a-z]+$", r"\d", "^[A-Z][a-z]+[A-Z]"])}),
    "IS_ALPHA": st.booleans(),
    "IS_TITLE": st.booleans(),
    "LIKE_NUM": st.booleans(),
    "IS_PUNCT": st.booleans(),
    "OP": st.sampled_from(["?", "+", "*", "{0,2}", "{1,3}", "{2}", "{0,4}", "{1,}", "{,2}"]),
})


def _spacy(patterns: list, doc: object) -> list[tuple[int, int]]:
    from spacy.matcher import Matcher

    from poalint.nlp import get_nlp

    m = Matcher(get_nlp().vocab)
    m.add("t", patterns)
    return sorted({(doc[s:e].start_char, doc[s:e].end_char) for _id, s, e in m(doc)})  # type: ignore[index]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns=st.lists(st.lists(_token, min_size=1, max_size=5), min_size=1, max_size=3),
       words=st.lists(st.sampled_from(WORDS), max_size=50))
def test_automaton_finds_what_spacy_finds(patterns: list, words: list) -> None:
    from poalint.nlp import get_nlp
    from poalint.token_windows import Positions, TokenPatterns

    doc = get_nlp()(" ".join(words))
    got = sorted(set(TokenPatterns(patterns, get_nlp().vocab).spans(doc, Positions(doc))))
    assert got == _spacy(patterns, doc)


def test_every_builtin_pattern_runs_on_the_automaton_and_matches_like_spacy() -> None:
    from poalint.matching import reachable
    from poalint.nlp import get_nlp
    from poalint.ruleset import load
    from poalint.token_windows import Automaton, Positions, TokenPatterns

    rules = load()
    found = {id(m): m for m in [*rules.concepts.values(), *(m for r in rules.rules.values() for m in reachable(r)),
                                *reachable(rules.reasons)]}
    patterns = [p for m in found.values() for p in m.patterns]
    nlp = get_nlp()
    assert len(patterns) > 100
    assert [p for p in patterns if Automaton.build(p, nlp.vocab) is None] == []
    text = ("We did not ship the orders late; the carrier (UPS) lost 12 parcels. Our team now checks every "
            "order twice a day, and we have trained our staff. The buyer received a damaged item. "
            "Amazon's automated system flagged our listing, but we were not negligent.")
    doc = nlp(text)
    where = Positions(doc)
    some = 0
    for p in patterns:
        got = sorted(set(TokenPatterns([p], nlp.vocab).spans(doc, where)))
        assert got == _spacy([list(p)], doc), p
        some += bool(got)
    assert some > 5  # the text does exercise the patterns


def test_a_pattern_the_automaton_cannot_take_stays_with_spacy() -> None:
    from poalint.nlp import get_nlp
    from poalint.token_windows import Automaton, Positions, TokenPatterns

    nlp = get_nlp()
    negated = [{"LOWER": "we"}, {"LOWER": "late", "OP": "!"}, {"LOWER": "ship"}]
    any_run = [{"LOWER": "we"}, {"OP": "*"}, {"LOWER": "late"}]
    assert Automaton.build(negated, nlp.vocab) is None
    assert Automaton.build(any_run, nlp.vocab) is None
    doc = nlp("we now ship late and we ship")
    for p in (negated, any_run):
        assert sorted(set(TokenPatterns([p], nlp.vocab).spans(doc, Positions(doc)))) == _spacy([p], doc)
