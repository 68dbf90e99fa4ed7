"""Flesch-Kincaid grade, computed exactly as textstat does (pyphen syllables) without importing textstat.

NOTE: `import textstat` imports NLTK, which costs about half a second: more than all the
rest of a one-letter run. textstat's figures with its NLTK cmudict lookup switched off (see
poalint.nlp) are reproduced here step by step; tests compare the two on many texts.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_NONCONTRACTION_APOSTROPHE = re.compile(r"\'(?!(?:[tsd]|ve|ll|re))")
_PUNCTUATION = re.compile(r"[^\w\s\']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)


@functools.lru_cache(maxsize=1)
def _pyphen() -> Any:
    from pyphen import Pyphen

    return Pyphen(lang="en_US")


def words(text: str, lowercase: bool = False) -> list[str]:
    """textstat's list_words: drop apostrophes that do not start a contraction, then other punctuation."""
    text = _PUNCTUATION.sub("", _NONCONTRACTION_APOSTROPHE.sub("", text))
    return (text.lower() if lowercase else text).split()


def sentences(text: str) -> int:
    """textstat's count_sentences: runs up to . ! ?, not counting those of two words or fewer."""
    if not text:
        return 0
    found = _SENTENCE.findall(text)
    return max(1, len(found) - sum(1 for s in found if len(words(s)) <= 2))


def syllables(text: str) -> int:
    if not text:
        return 0
    hyphenator = _pyphen()
    return sum(len(hyphenator.positions(w)) + 1 for w in words(text, lowercase=True))


def flesch_kincaid_grade(text: str) -> float:
    """0.39 * words per sentence + 11.8 * syllables per word - 15.59 (0.0 for text without words)."""
    n_words = len(words(text))
    n_sentences = sentences(text)
    per_sentence = n_words / n_sentences if n_sentences else 0.0
    per_word = syllables(text) / n_words if n_words else 0.0
    if per_sentence == 0 or per_word == 0:
        return 0.0
    return (0.39 * per_sentence) + (11.8 * per_word) - 15.59
