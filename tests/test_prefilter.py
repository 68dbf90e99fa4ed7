"""The regex prefilter (poalint.matching.Prefilter) finds exactly what `finditer` finds, skipping only work."""

from __future__ import annotations

import glob
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poalint.matching import Prefilter, fold, prefilter, reachable
from poalint.ruleset import load

ROOT = Path(__file__).resolve().parents[1]
LETTERS = sorted(glob.glob(str(ROOT / "tests" / "corpus" / "letters" / "*")))
LETTERS += sorted(glob.glob(str(ROOT / "tests" / "tune" / "letters" / "*")))


def _builtin_regexes() -> list[re.Pattern[str]]:
    """Every regex of the built-in concepts and rules, compiled as poalint compiles it."""
    ruleset = load()
    seen: dict[tuple[str, int], re.Pattern[str]] = {}
    for obj in (*ruleset.concepts.values(), *ruleset.rules.values()):
        for m in reachable(obj):
            flags = (0 if m.case_sensitive else re.I) | re.M
            for rx in m.regex:
                seen.setdefault((rx, flags), re.compile(rx, flags))
    return list(seen.values())


def _same(rx: re.Pattern[str], text: str) -> None:
    want = [mt.span() for mt in rx.finditer(text)]
    got = [mt.span() for mt in prefilter(rx.pattern, rx.flags).finditer(rx, text, fold(text))]
    assert got == want, rx.pattern


def test_every_builtin_regex_on_every_letter() -> None:
    regexes = _builtin_regexes()
    assert len(regexes) > 50
    texts = [Path(p).read_text(encoding="utf-8", errors="replace") for p in LETTERS]
    assert texts
    for rx in regexes:
        for text in texts:
            _same(rx, text)


_WORDS = ["within", "48", "hours", "two", "business", "days", "Monday", "March", "4th", "on", "the", "by",
          "XXXX", "[NAME]", "drive.google.com", "www.", "daily", "every", "week", "a", "an", "once", "K",
          "\u212a", "\u0130", "\u0131", "\u017f", "\u00e9", "\u65e5", "\uff12", "-", "/", ".", ",", "@", ":"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40), st.lists(st.sampled_from([" ", "", "\n", "  "]), max_size=40))
def test_builtin_regexes_on_generated_text(words: list[str], gaps: list[str]) -> None:
    text = "".join(w + (gaps[i] if i < len(gaps) else " ") for i, w in enumerate(words))
    for rx in _builtin_regexes_cached():
        _same(rx, text)


_CACHE: list[re.Pattern[str]] = []


def _builtin_regexes_cached() -> list[re.Pattern[str]]:
    if not _CACHE:
        _CACHE.extend(_builtin_regexes())
    return _CACHE


@pytest.mark.parametrize(("pattern", "text"), [
    (r"\b(eod|cob)\b", "We reply by EOD and by cob."),
    (r"\bkelvin\b", "\u212aelvin"),
    (r"\bis\b", "\u0130S it? i\u017f"),
    (r"(?:ab|)c", "xc abc"),
    (r"\b(\d+|an?|one)[- ](hours?|h)\b", "in 48 hours, one h, a-hour, an hour, 3 h"),
    (r"a+", "caaab aa"),
    (r"x*", "xx y"),
    (r"\\d", r"a \d b"),
    (r"(?<!\w)d(?:rive|ropbox)\.com", "Drive.com DROPBOX.COM xdrive.com"),
    # leads through zero-width alternatives, nested and optional groups, whole words (END), look-behinds
    (r"(?:^|(?<=^- )|(?<=\| ))(?:make\s+sure|ensure)\b", "- make sure\nensure | ensure x ensured make  sure"),
    (r"\b(?:(?:store|shop) name|name|e-?mail)\s*:\s*XX", "Store name: XX, e-mail:XX email : xx mail: XX"),
    (r"\b(an?|one|(\d+|two)\s+times)\s+(day|week)\b", "an day, a week, and day, 2 times day, twoday, a1 day"),
    (r"(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{3,4}[\s.-]\d{3,4}", "+1 (555) 123-4567, a123 456, -555 1234"),
    (r"\bX{3}-X{4,}\b", "XXX-XXXX xxx-xxxxxx XXX-XXX"),
    (r"\b(on|by)\s+the\b|\bto\b", "on the by  the onthe to"),
    (r"\b(1[0-2]|0?[1-9])\s?(am|pm)\b", "9am 10 pm 13pm 09 AM x9am 1:05 pm"),
    (r"\b(\d+|an?)(-(one|two))?([- ](full|working))?[- ](hours?|days?)\b", "a-one full day, an hour, a day, 3-two-days ax day"),
])
def test_hand_picked(pattern: str, text: str) -> None:
    for flags in (re.I | re.M, re.M):
        _same(re.compile(pattern, flags), text)


def test_leads_read_off_the_regex() -> None:
    ensure = Prefilter(r"(?:^|(?<=^- ))(?:make\s+sure|ensure)\b", re.I | re.M)
    assert ensure.leads == ("ensure\1", "make\1")
    words = Prefilter(r"\b(\d+|an?|one)\s+(hours?|days?)", re.I)
    assert words.boundary and words.leads == ("\0digit", "a\1", "an\1", "one\1")
    assert words.starts(fold("An account of 3 days, a day")) == [0, 14, 22]
    assert Prefilter(r"(?<![\w-])(?:\+\d)?\d{3}").boundary


def test_needs_read_off_the_regex() -> None:
    assert Prefilter(r"\b(eod|cob)\b", re.I).needs == [("cob", "eod")]
    assert ("dropbox", "drive") in Prefilter(r"(?i:d(?:rive|ropbox))").needs
    assert Prefilter(r"\d{4}\s*\u5e74").needs == []  # no printable ASCII literal: no test
    assert not Prefilter(r"\bovernight\b", re.I).possible(fold("We ship the same day."))
    assert Prefilter(r"\bovernight\b", re.I).possible(fold("OVERNIGHT delivery"))
