"""The speed-ups compute exactly what the plain way computes: readability, windowed patterns, YAML loading."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poalint.readability import flesch_kincaid_grade
from poalint.safeyaml import safe_load

ROOT = Path(__file__).resolve().parents[1]
LETTERS = sorted(glob.glob(str(ROOT / "tests" / "corpus" / "letters" / "*")))
WORDS = ["we", "our", "carrier", "carriers", "late", "not", "fault", "the", "buyer", "shipped", "ship", "?", ".",
         "because", "of", "was", "were", "n't", "did", "it", "again", "times", "several", "why", "Amazon", "3"]


def _textstat_grade(text: str) -> float:
    from poalint.nlp import _textstat

    return float(_textstat().flesch_kincaid_grade(text))


@pytest.mark.parametrize("path", LETTERS[:12])
def test_readability_matches_textstat_on_letters(path: str) -> None:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    assert flesch_kincaid_grade(text) == _textstat_grade(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdefg XYZ.!?'-,\n\t\u00e9\u65e5123")), max_size=300))
def test_readability_matches_textstat_on_any_text(text: str) -> None:
    assert flesch_kincaid_grade(text) == _textstat_grade(text)


def test_readability_never_imports_textstat() -> None:
    import subprocess
    import sys

    code = ("import sys; from poalint.readability import flesch_kincaid_grade as g; "
            "g('We shipped late. We added a carrier.'); print('textstat' in sys.modules, 'nltk' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


_token = st.fixed_dictionaries({}, optional={
    "LOWER": st.one_of(st.sampled_from([w.lower() for w in WORDS]),
                       st.fixed_dictionaries({"IN": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)})),
    "LEMMA": st.sampled_from(["be", "carrier", "ship", "do", "not", "we"]),
    "OP": st.sampled_from(["?", "+", "*", "!", "{0,2}", "{1,3}", "{2}", "{1,}"]),
    "IS_DIGIT": st.booleans(),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns=st.lists(st.lists(_token, min_size=1, max_size=4), min_size=1, max_size=3),
       words=st.lists(st.sampled_from(WORDS), max_size=60))
def test_windowed_patterns_find_what_a_whole_doc_matcher_finds(patterns: list, words: list) -> None:
    from spacy.matcher import Matcher

    from poalint.nlp import get_nlp
    from poalint.token_windows import Positions, TokenPatterns

    nlp = get_nlp()
    doc = nlp(" ".join(words))
    plain = Matcher(nlp.vocab)
    plain.add("t", patterns)
    expected = sorted({(doc[s:e].start_char, doc[s:e].end_char) for _id, s, e in plain(doc)})
    got = sorted(set(TokenPatterns(patterns, nlp.vocab).spans(doc, Positions(doc))))
    assert got == expected


def test_c_loader_reads_every_rule_file_like_safe_load() -> None:
    files = sorted((ROOT / "rules").rglob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert safe_load(text) == yaml.safe_load(text), path


def test_c_loader_refuses_python_tags_like_safe_load() -> None:
    with pytest.raises(yaml.YAMLError):
        safe_load("!!python/object/apply:os.system ['echo hacked']")


@settings(max_examples=300, deadline=None)
@given(spans=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1])),
                      max_size=30),
       lo=st.integers(0, 80), width=st.integers(0, 30))
def test_span_index_answers_like_a_linear_scan(spans: list, lo: int, width: int) -> None:
    from poalint.matching import SpanIndex

    hi = lo + width
    assert SpanIndex(spans).overlaps(lo, hi) == any(a < hi and b > lo for a, b in spans)


@settings(max_examples=300, deadline=None)
@given(cuts=st.lists(st.integers(0, 200), min_size=2, max_size=20, unique=True),
       start=st.integers(0, 210), width=st.integers(0, 20))
def test_sentence_index_bisect_finds_what_a_scan_finds(cuts: list, start: int, width: int) -> None:
    from poalint.kinds.phrase import _sentence_index

    cuts.sort()
    ranges = [(a, b) for a, b in zip(cuts[::2], cuts[1::2])]  # disjoint, in text order, as sentences are
    end = start + width
    linear = next((i for i, (lo, hi) in enumerate(ranges) if lo <= start and end <= hi), -1)
    assert _sentence_index(ranges, start, end) == linear
