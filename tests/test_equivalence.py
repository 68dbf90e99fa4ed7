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
    from poalint.matching import holding as _sentence_index

    cuts.sort()
    ranges = [(a, b) for a, b in zip(cuts[::2], cuts[1::2])]  # disjoint, in text order, as sentences are
    end = start + width
    linear = next((i for i, (lo, hi) in enumerate(ranges) if lo <= start and end <= hi), -1)
    assert _sentence_index(ranges, start, end) == linear


# ---------------------------------------------------------------- the one token pass vs the plain path

CORPORA = [ROOT / "tests" / c / "letters" for c in ("corpus", "holdout", "holdout2", "tune")] + [
    Path("/work/shared/corpus/letters")]
ALL_LETTERS = sorted(str(p) for d in CORPORA if d.is_dir() for p in d.iterdir() if p.is_file())


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    from poalint.ruleset import load

    return load()


@pytest.fixture(scope="module")
def both(rules):  # type: ignore[no-untyped-def]
    """The fast matchers and the plain reference (every token pattern in one whole-document spaCy Matcher)."""
    from poalint.matching import Matchers, reachable

    wanted = [*(m for r in rules.rules.values() for m in reachable(r)), *reachable(rules.reasons)]
    seen: set[int] = set()
    unique = [m for m in [*rules.concepts.values(), *wanted] if not (id(m) in seen or seen.add(id(m)))]  # type: ignore[func-returns-value]
    return Matchers(rules.concepts, wanted, plain=False), Matchers(rules.concepts, wanted, plain=True), unique


def _document(text: str, path: str = "<t>"):  # type: ignore[no-untyped-def]
    from poalint.document import build
    from poalint.letter import Letter
    from poalint.nlp import get_nlp
    from poalint.structure import HeadingVocab

    return build(Letter(path=path, raw_text=text, text=text), get_nlp()(text), HeadingVocab({}, [], []))


def _same_findings(both, text: str) -> None:  # type: ignore[no-untyped-def]
    fast, plain, matchables = both
    doc_fast, doc_plain = _document(text), _document(text)
    for m in matchables:
        assert fast.find(m, doc_fast) == plain.find(m, doc_plain), (m, text[:80])


def test_corpora_are_there() -> None:
    assert len(ALL_LETTERS) >= 100


@pytest.mark.parametrize("path", ALL_LETTERS)
def test_fast_matching_finds_what_the_plain_path_finds_on_every_corpus_letter(both, path: str) -> None:  # type: ignore[no-untyped-def]
    _same_findings(both, Path(path).read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("path", ALL_LETTERS)
def test_fast_reason_detection_equals_every_regex_on_every_corpus_letter(rules, path: str) -> None:  # type: ignore[no-untyped-def]
    from poalint.reasons import detect

    text = Path(path).read_text(encoding="utf-8", errors="replace")
    assert detect(text, rules) == detect(text, rules, plain=True)


def _phrase_words(rules) -> list[str]:  # type: ignore[no-untyped-def]
    words = {w for pack in rules.reasons.values() for p in (*pack.detect, *pack.notice) for w in p.split()}
    return sorted(words)[:400]


_VARIANTS = st.sampled_from(["", "s", "es", "-", "'", "\u2019", " ... ", "\n", "ll", "L", "\u0130", "\u017f", "\u0131"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fast_reason_detection_equals_every_regex_on_any_text(rules, data) -> None:  # type: ignore[no-untyped-def]
    from poalint.reasons import detect

    words = _phrase_words(rules)
    picked = data.draw(st.lists(st.sampled_from(words), max_size=40))
    mutated = [data.draw(st.sampled_from([w, w.upper(), w.title(), w.replace("ll", "l"), w.replace("l", "ll")]))
               + data.draw(_VARIANTS) for w in picked]
    text = " ".join(mutated)
    assert detect(text, rules) == detect(text, rules, plain=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fast_matching_equals_the_plain_path_on_any_text(both, data) -> None:  # type: ignore[no-untyped-def]
    """Texts of the words the rules' patterns name, in any order and case, so unbounded repeats and
    anchors at window edges are exercised."""
    fast, _plain, matchables = both
    vocab = sorted({str(w) for m in matchables for p in m.patterns for t in p for v in t.values()
                    for w in (v.get("IN", []) if isinstance(v, dict) else [v]) if isinstance(w, str)})
    words = data.draw(st.lists(st.sampled_from(vocab[:3000] or ["we"]), max_size=80))
    text = " ".join(data.draw(st.sampled_from([w, w.title(), w + ".", w + ","])) for w in words)
    _same_findings(both, text)


def test_rules_cache_gives_back_the_checked_rules(rules, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from poalint.ruleset import load

    first = load(cache=tmp_path)  # a miss: loaded, checked and stored
    assert list((tmp_path / "rules").glob("*.marshal"))
    second = load(cache=tmp_path)  # a hit: rebuilt from the stored data
    assert first == second == rules
    assert [type(r.match) for r in second.rules.values()] == [type(r.match) for r in rules.rules.values()]


def test_rules_cache_refuses_foreign_classes(tmp_path: Path) -> None:
    import marshal

    from poalint.cache import load_rules

    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "k.marshal").write_bytes(marshal.dumps(("\0class", "os:system", (("x", 1),))))
    assert load_rules(tmp_path, "k") is None
    (tmp_path / "rules" / "k.marshal").write_bytes(marshal.dumps((lambda: 1).__code__))
    assert load_rules(tmp_path, "k") is None
