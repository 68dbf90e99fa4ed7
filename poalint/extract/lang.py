"""Is a letter written in English? An offline guess from stop-words and writing systems.

No model and no download: each paragraph is put down to the writing system most of its
letters belong to (Unicode ranges), and a paragraph in Latin script to the language whose
commonest words it uses most (English, German, French, Spanish, Italian, Portuguese, Dutch,
Turkish, Polish). The vocabulary lives in `rules/language.yaml`.

A letter is English when at least half of the text whose language shows is English, so an
English letter quoting a supplier's note in Chinese is English, and `english_spans` names
the paragraphs to judge. Paragraphs with no telling words ("Root Cause", a name, a date)
go with English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
ENGLISH_AT = 0.5  # share of language-bearing text that must be English
OTHER_MIN_HITS = 3  # stop-words of one other language a Latin-script paragraph needs to count as that language


@dataclass(frozen=True)
class LanguageVerdict:
    is_english: bool
    share: float  # 0..1: English text / text whose language shows
    script: str  # the writing system of most of the letters: "Latin", "CJK", "Cyrillic", ...
    note: str  # one plain sentence for the seller


@dataclass(frozen=True)
class _Vocab:
    stop: dict[str, frozenset[str]]  # word -> languages it is a stop-word of
    scripts: tuple[tuple[str, re.Pattern[str], float], ...]
    names: dict[str, str]
    any_script: re.Pattern[str]  # a character of any of the scripts


def _vocab_path() -> Path:
    return Path(__file__).resolve().parent.parent / "rules" / "language.yaml"


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    import yaml

    # libyaml's C loader when there is one: the same plain data as yaml.safe_load, several times faster
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(_vocab_path().read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 - a safe loader
    stop: dict[str, set[str]] = {}
    for lang, words in (data.get("stopwords") or {}).items():
        for w in words or ():
            stop.setdefault(str(w).lower(), set()).add(str(lang))
    scripts = []
    every = []
    for name, spec in (data.get("scripts") or {}).items():
        ranges = "".join(f"\\U{int(lo):08x}-\\U{int(hi):08x}" for lo, hi in spec.get("ranges") or ())
        if ranges:
            scripts.append((str(name), re.compile(f"[{ranges}]"), float(spec.get("weight", 1))))
            every.append(ranges)
    names = {str(k): str(v) for k, v in (data.get("names") or {}).items()}
    any_script = re.compile(f"[{''.join(every)}]" if every else "(?!)")
    return _Vocab({w: frozenset(v) for w, v in stop.items()}, tuple(scripts), names, any_script)


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    lang: str | None  # "en", another language code, a script name, or None when nothing shows
    weight: float
    script: str


def _script_counts(text: str, vocab: _Vocab) -> dict[str, float]:
    letters = len(_LETTER.findall(text))
    if not vocab.any_script.search(text):
        return {"Latin": float(letters)}
    counts: dict[str, float] = {}
    other = 0
    for name, pattern, weight in vocab.scripts:
        n = len(pattern.findall(text))
        if n:
            counts[name] = n * weight
            other += n
    counts["Latin"] = float(max(0, letters - other))
    return counts


def _judge(text: str, vocab: _Vocab) -> tuple[str | None, float, str]:
    counts = _script_counts(text, vocab)
    script = max(counts, key=lambda k: counts[k])
    total = sum(counts.values())
    if total == 0:
        return None, 0.0, "Latin"
    if script != "Latin":
        return script, total, script
    hits: dict[str, int] = {}
    for word in _WORD.findall(text.lower()):
        for lang in vocab.stop.get(word.replace("\u2019", "'"), ()):
            hits[lang] = hits.get(lang, 0) + 1
    if not hits:
        return None, counts["Latin"], "Latin"
    en = hits.get("en", 0)
    best_other = max((n for lang, n in hits.items() if lang != "en"), default=0)
    if en and en >= best_other:
        return "en", total, "Latin"
    if best_other < OTHER_MIN_HITS:  # a name, an address, "Sp. z o.o.", "per": no evidence of another language
        return ("en" if en else None), total, "Latin"
    lang = max((lang for lang in hits if lang != "en"), key=lambda k: hits[k])
    return lang, total, "Latin"


def _line_spans(text: str, start: int, end: int):
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop
        pos = stop + 1


def _units(text: str) -> list[_Unit]:
    """Paragraphs (split at blank lines), and inside one the runs of lines in one writing system."""
    vocab = _vocab()
    units: list[_Unit] = []
    bounds = [0]
    for m in _PARAGRAPH.finditer(text):
        bounds += [m.start(), m.end()]
    bounds.append(len(text))
    for pstart, pend in zip(bounds[::2], bounds[1::2]):
        lines = []
        for ls, le in _line_spans(text, pstart, pend):
            line = text[ls:le]
            if not line.strip():
                continue
            if not vocab.any_script.search(line):
                lines.append((ls, le, "Latin" if _LETTER.search(line) else None))
            else:
                counts = _script_counts(line, vocab)
                lines.append((ls, le, max(counts, key=lambda k: counts[k]) if sum(counts.values()) else None))
        groups: list[list[int]] = []
        last = None
        for ls, le, script in lines:
            if groups and (script is None or script == last):
                groups[-1][1] = le
            else:
                groups.append([ls, le])
                last = script if script is not None else last
        for gs, ge in groups:
            lead = len(text[gs:ge]) - len(text[gs:ge].lstrip())
            gs += lead
            ge = gs + len(text[gs:ge].rstrip())
            lang, weight, script = _judge(text[gs:ge], vocab)
            units.append(_Unit(gs, ge, lang, weight, script))
    return units


def _shares(units: list[_Unit]) -> tuple[float, dict[str, float]]:
    english = sum(u.weight for u in units if u.lang == "en")
    other: dict[str, float] = {}
    for u in units:
        if u.lang not in (None, "en"):
            other[u.lang] = other.get(u.lang, 0.0) + u.weight
    total = english + sum(other.values())
    return (1.0 if total == 0 else english / total), other


def english_share(text: str) -> float:
    """Share (0..1) of the text whose language shows that is English; 1.0 when nothing shows."""
    share, _other = _shares(_units(text))
    return share


def english_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the paragraphs to judge, in order: the English ones and, when the letter as a
    whole is English, those with no telling words (a heading, a name, a date)."""
    return assess(text)[1]


def _spans(units: list[_Unit], share: float) -> list[tuple[int, int]]:
    keep = ("en", None) if share >= ENGLISH_AT else ("en",)
    return [(u.start, u.end) for u in units if u.lang in keep]


def detect(text: str) -> LanguageVerdict:
    return assess(text)[0]


def assess(text: str) -> tuple[LanguageVerdict, list[tuple[int, int]]]:
    """`detect` and `english_spans` in one pass over the text (the linter's language step)."""
    units = _units(text)
    share, other = _shares(units)
    return _verdict(units, share, other), _spans(units, share)


def _verdict(units: list[_Unit], share: float, other: dict[str, float]) -> LanguageVerdict:
    vocab = _vocab()
    scripts: dict[str, float] = {}
    for u in units:
        scripts[u.script] = scripts.get(u.script, 0.0) + u.weight
    script = max(scripts, key=lambda k: scripts[k]) if scripts else "Latin"
    name = vocab.names.get
    percent = round(share * 100)
    if share >= ENGLISH_AT:
        if not other:
            note = "The letter is written in English."
        else:
            foreign = sorted(other, key=lambda k: -other[k])
            n = sum(1 for u in units if u.lang in other)
            langs = " and ".join(name(k, k) for k in foreign[:2])
            note = (f"The letter is mostly English ({percent}%); {n} paragraph{'s' if n != 1 else ''} in {langs} "
                    f"{'are' if n != 1 else 'is'} not checked.")
        return LanguageVerdict(True, share, script, note)
    main = max(other, key=lambda k: other[k])
    part = f" (only {percent}% is English)" if percent else ""
    note = (f"This letter looks written in {name(main, main)}{part}. poalint checks letters "
            "written in English: Amazon reads appeals in English, so write or translate the letter into English.")
    return LanguageVerdict(False, share, script, note)
