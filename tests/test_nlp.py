"""The pipeline poalint builds on its first letter is spaCy's own, built faster: same tokens, same lemmas."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.lookups import load_lookups
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from poalint.nlp import _lemma_table, get_nlp

ROOT = Path(__file__).resolve().parents[1]
WIDE = r"[\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff08\uff09\u300c\u300d\u3010\u3011]"
ODD = ["2026年5月6日：we refunded U.S. customers' orders (e.g. #123-456) can't won't; Mr. Smith's $5.00/unit!!",
       "I'm gonna e-mail a@b.com at http://x.y/z :) :-( 10km 5lbs y'all N.Y.C.（see）「quoted」 3:30p.m. o'clock"]


def test_the_lemma_table_is_spacys_lookup_table_word_for_word() -> None:
    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    mine = _lemma_table()
    assert len(mine) == len(table) > 40_000
    assert all(table.get(word) == lemma for word, lemma in mine.items())


def test_the_tokenizer_splits_as_spacys_with_each_affix_set_in_turn() -> None:
    reference = spacy.blank("en")
    tokenizer, defaults = reference.tokenizer, reference.Defaults
    tokenizer.infix_finditer = compile_infix_regex([*defaults.infixes, WIDE]).finditer
    tokenizer.prefix_search = compile_prefix_regex([*defaults.prefixes, WIDE]).search
    tokenizer.suffix_search = compile_suffix_regex([*defaults.suffixes, WIDE]).search
    mine = get_nlp().tokenizer
    assert mine.rules == tokenizer.rules and len(mine.rules) > 1000
    texts = ODD + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "corpus" / "letters").iterdir())]
    for text in texts:
        assert [t.text for t in mine(text)] == [t.text for t in tokenizer(text)]


def test_spacy_imported_without_its_command_line() -> None:
    """get_nlp imports spaCy without spacy.cli (typer, weasel ...); spacy.cli still imports for real afterwards."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from poalint.nlp import get_nlp\n"
            "nlp = get_nlp()\n"
            "assert [t.lemma_ for t in nlp('Carriers shipped it')] == ['carrier', 'ship', 'it']\n"
            "lean = not any(m == 'spacy.cli' or m.startswith(('typer', 'weasel')) for m in sys.modules)\n"
            "import spacy, spacy.cli.info\n"
            "assert sys.modules['spacy.cli.info'].__file__.endswith('info.py') and callable(spacy.info)\n"
            "print(lean)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
