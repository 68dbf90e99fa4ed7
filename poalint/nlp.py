"""The only module that imports spaCy and textstat, lazily and once per process.

The pipeline is `spacy.blank("en")` plus a lookup lemmatizer that reads the
`spacy-lookups-data` table on lower-cased tokens (so "Carriers" -> "carrier" and
LEMMA patterns can be written in lower case). Nothing here downloads anything.
Readability figures are textstat's, computed by poalint.readability (textstat itself
imports NLTK, half a second); `_textstat()` stays the offline reference they are tested against.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Lemmas the lookup table lacks or gets wrong for our purpose.
_LEMMA_FIXES = {"n't": "not", "nt": "not", "'ve": "have", "'re": "be", "'m": "be", "'ll": "will", "wo": "will",
                "ca": "can", "sha": "shall", "data": "data", "goods": "goods",
                "was": "be", "were": "be", "is": "be", "are": "be", "am": "be", "been": "be", "being": "be",
                "'s": "'s", "has": "have", "had": "have", "having": "have", "does": "do", "did": "do", "done": "do",
                "left": "leave", "lost": "lose", "sent": "send", "shipped": "ship", "received": "receive",
                "shipping": "shipping", "listing": "listing", "listings": "listing", "packaging": "packaging",
                "training": "training", "meeting": "meeting", "tracking": "tracking", "pricing": "pricing",
                "sourcing": "sourcing", "wording": "wording", "labeling": "labeling", "labelling": "labelling",
                "morning": "morning", "evening": "evening", "during": "during", "following": "following",
                "ups": "ups",  # the carrier, not the plural of "up"
                "ai": "ai"}  # artificial intelligence, not "ai" of "ain't"

_MEMO_LIMIT = 200_000  # distinct words whose lemma is remembered before the memo starts afresh


def _import_spacy() -> Any:
    """`import spacy`, without its command line when that is safe.

    NOTE: spaCy's `__init__` imports `spacy.cli.info` only to offer `spacy.info`, and that pulls in its
    whole command line (typer, weasel, the download clients): about a quarter of spaCy's import, which a
    linter never uses. When spaCy's `__init__` names `.cli` on that one line only (read from its source
    first; anything else and spaCy is imported as it is), `spacy.cli.info` is a placeholder during the
    import whose `info` imports the real one when called, and the placeholder is taken out of
    `sys.modules` straight after, so a later `import spacy.cli` gets the real package.
    """
    import sys

    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        import spacy

        return spacy
    import importlib.util
    import types

    spec = importlib.util.find_spec("spacy")
    try:
        with open(spec.origin if spec and spec.origin else "", encoding="utf-8") as f:
            source = f.read()
    except OSError:
        source = ""
    lines = [line.strip() for line in source.splitlines() if ".cli" in line or "cli." in line]
    if lines != ["from .cli.info import info  # noqa: F401"]:
        import spacy

        return spacy

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []
    placeholder = types.ModuleType("spacy.cli.info")
    placeholder.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, placeholder
    try:
        import spacy
    except ImportError:
        # another spaCy release reaching for its command line elsewhere during the import: forget the
        # half-imported package and import it as it is
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
    finally:
        for name, module in (("spacy.cli.info", placeholder), ("spacy.cli", cli)):
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Build the pipeline on first need; later calls return the same object."""
    spacy = _import_spacy()
    from spacy.attrs import LEMMA, LOWER
    from spacy.language import Language

    table = _lemma_table()
    fixes = dict(_LEMMA_FIXES)

    by_hash: dict[int, int] = {}  # LOWER hash -> LEMMA hash, filled as words are met

    @Language.component("poalint_lemmas")
    def lemmatize(doc: Doc) -> Doc:  # NOTE: lower-cased lookup, so sentence-initial words lemmatize too
        if not len(doc):
            return doc
        # NOTE: arrays of hashes instead of Token objects: setting token.lemma_ one by one was a hot spot.
        strings = doc.vocab.strings
        lowers = doc.to_array([LOWER])
        lemmas = lowers.copy()
        if len(by_hash) > _MEMO_LIMIT:  # NOTE: every new word (order numbers, ids) is memoized; keep memory flat
            by_hash.clear()
            fixes.clear()
            fixes.update(_LEMMA_FIXES)
        for i, h in enumerate(lowers.tolist()):
            got = by_hash.get(h)
            if got is None:
                lower = strings[h]
                lemma = fixes.get(lower)
                if lemma is None:
                    lemma = table.get(lower, lower)
                    if not isinstance(lemma, str):
                        lemma = lower
                    fixes[lower] = lemma = lemma.lower()
                by_hash[h] = got = strings.add(lemma)
            lemmas[i] = got
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc

    # NOTE: the tokenizer is spaCy's default one with full-width and CJK punctuation added to its affixes,
    # built once through the config: setting the affixes on spaCy's finished tokenizer made it reload its
    # 5,000 special cases once per affix (about 0.1 s each)
    spacy.registry.tokenizers("poalint.Tokenizer.v1", func=_tokenizer)
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "poalint.Tokenizer.v1"}}})
    # spaCy refuses texts over 1,000,000 characters for the sake of its parser and NER, which a blank
    # pipeline does not have; --max-file-size is the one limit on a letter's length.
    nlp.max_length = 2**31 - 1
    nlp.add_pipe("poalint_lemmas")
    return nlp


# full-width and CJK punctuation split off like their ASCII forms: "2026年5月6日：we refunded" has a "we"
WIDE_PUNCTUATION = r"[\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff08\uff09\u300c\u300d\u3010\u3011]"


def _tokenizer() -> Callable[[Any], Any]:
    """spaCy's `create_tokenizer` (spacy.Tokenizer.v1) with WIDE_PUNCTUATION among the prefixes, suffixes, infixes."""

    def make(nlp: Any) -> Any:
        from spacy.tokenizer import Tokenizer
        from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

        d = nlp.Defaults
        return Tokenizer(nlp.vocab, rules=d.tokenizer_exceptions,
                         prefix_search=compile_prefix_regex([*d.prefixes, WIDE_PUNCTUATION]).search,
                         suffix_search=compile_suffix_regex([*d.suffixes, WIDE_PUNCTUATION]).search,
                         infix_finditer=compile_infix_regex([*d.infixes, WIDE_PUNCTUATION]).finditer,
                         token_match=d.token_match, url_match=d.url_match)

    return make


def _lemma_table() -> Mapping[str, Any]:
    """spacy-lookups-data's English `lemma_lookup` (word -> lemma), read straight from its file.

    NOTE: spaCy's `load_lookups` finds the file through the package entry points and builds a hashed
    `Table` with a Bloom filter, about 0.15 s; the plain dict read here gives the same lemma for every word.
    """
    try:
        import spacy_lookups_data
        from spacy.util import load_language_data

        return dict(load_language_data(spacy_lookups_data.en["lemma_lookup"]))
    except (ImportError, AttributeError, KeyError, OSError, ValueError):  # not where it used to be: spaCy's way
        from spacy.lookups import load_lookups

        return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


@functools.lru_cache(maxsize=1)
def _textstat() -> Any:
    """textstat without its NLTK cmudict: syllables come from pyphen (shipped, offline).

    NOTE: textstat >= 0.7.4 calls nltk.download("cmudict") on first use. We never want
    a download, and we want the same figures on every machine whether or not NLTK data
    is installed, so the cmudict lookup is switched off and textstat falls back to pyphen.
    """
    import textstat

    try:
        from textstat.backend.counts import _count_syllables
    except ImportError:  # textstat < 0.7.4 only knows pyphen
        return textstat
    _count_syllables.get_cmudict = lambda lang: None  # type: ignore[attr-defined]
    _count_syllables.count_syllables.cache_clear()
    return textstat


def flesch_kincaid_grade(text: str) -> float:
    """textstat's figure (see `_textstat`), computed by poalint.readability without importing textstat."""
    from poalint.readability import flesch_kincaid_grade as grade

    return float(grade(text))
