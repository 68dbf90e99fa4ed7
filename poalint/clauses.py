"""Clauses as a reviewer reads them: who acts, when, with which polarity and time anchors.

No tagger: grammar comes from spaCy's lookup tables (`lemma_lookup`, the verb index and
irregular forms of `spacy-lookups-data`), the vocabulary in rules/clauses.yaml, and position
("our order" is a noun, "we order" a verb). Works over token arrays and per-word memos:
every distinct word is classified once per process, every sentence read in one pass.

    clauses = read_clauses(doc, sentences)            # flat, in text order
    per_sentence = clauses_by_sentence(doc, sentences)  # one tuple per sentence
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from poalint.document import split_sentences
from poalint.safeyaml import safe_load
from poalint.schema import yaml_key_line
from poalint.structure import Block, HeadingVocab, parse_blocks

if TYPE_CHECKING:
    from spacy.tokens import Doc

VOCAB_PATH = Path(__file__).parent / "rules" / "clauses.yaml"  # poalint/rules is the packaged rules/ folder


class Actor(Enum):
    SELLER = "seller"
    CARRIER = "carrier"
    SUPPLIER = "supplier"
    BUYER = "buyer"
    AMAZON = "amazon"
    THIRD = "third"
    NONE = "none"  # a thing, not a party: "the label printer defaulted"
    UNKNOWN = "unknown"  # a party we cannot place: "he", a bare name


class Time(Enum):
    DONE = "done"
    ONGOING = "ongoing"  # habits and standing policies: "we check every order", "all orders are now checked"
    PLANNED = "planned"
    CONDITIONAL = "conditional"
    STATE = "state"
    QUESTION = "question"
    NONE = "none"  # no verb at all


HABIT = Time.ONGOING


class AnchorKind(Enum):
    DATE = "date"
    DURATION = "duration"
    FREQUENCY = "frequency"
    DEADLINE = "deadline"
    TRIGGER = "trigger"
    RELATIVE = "relative"


@dataclass(frozen=True, slots=True)
class Anchor:
    kind: AnchorKind
    start: int  # char offsets in the Doc's text
    end: int
    text: str
    weak: bool = False  # "immediately", "from now on": a time word, not a date or a schedule


@dataclass(frozen=True, slots=True)
class Clause:
    start: int  # char offsets in the Doc's text
    end: int
    sentence: int  # index into the `sentences` given
    actor: Actor
    actor_text: str
    verb: str | None  # lemma of the main verb
    time: Time
    negated: bool
    modal: str | None
    passive: bool
    agentless_passive: bool
    anchors: tuple[Anchor, ...]
    link: str = ""  # what opened the clause: "", and, colon, cause, time, purpose, condition, relative, that, item ...
    agent: str = ""  # the "by <agent>" of a passive
    omission: bool = False  # "we failed to ...", "our lead neglected to ..."
    inherited: bool = False  # actor/time taken from a lead-in or an earlier clause (no subject of its own)
    # a hedged statement, not a sure one: a modal of possibility ("may have lost", "might", "could have"), a
    # hedging word in the clause ("maybe", "probably", "perhaps"), or reported under a verb of thinking or
    # seeming ("we believe | the buyer opened it", "it seems | the supplier sent ...")
    hedged: bool = False

    @property
    def seller(self) -> bool:
        return self.actor is Actor.SELLER

    def text(self, full: str) -> str:
        return full[self.start:self.end]


# NOTE: a frozen dataclass's __init__ sets each field through object.__setattr__ (a global lookup and
# a call per field); the reader builds thousands of them per letter, through the slots' own setters
_new = object.__new__
(_c_start, _c_end, _c_sentence, _c_actor, _c_actor_text, _c_verb, _c_time, _c_negated, _c_modal, _c_passive,
 _c_agentless, _c_anchors, _c_link, _c_agent, _c_omission, _c_inherited, _c_hedged) = (
    getattr(Clause, f).__set__ for f in Clause.__slots__)  # type: ignore[attr-defined]
_a_kind, _a_start, _a_end, _a_text, _a_weak = (getattr(Anchor, f).__set__ for f in Anchor.__slots__)  # type: ignore[attr-defined]


def _clause(start: int, end: int, sentence: int, actor: Actor, actor_text: str, verb: str | None, time: Time,
            negated: bool, modal: str | None, passive: bool, agentless_passive: bool, anchors: tuple[Anchor, ...],
            link: str, agent: str, omission: bool, inherited: bool, hedged: bool = False) -> Clause:
    """Clause(...) with the same fields, faster (see the note above)."""
    c = _new(Clause)
    _c_start(c, start)
    _c_end(c, end)
    _c_sentence(c, sentence)
    _c_actor(c, actor)
    _c_actor_text(c, actor_text)
    _c_verb(c, verb)
    _c_time(c, time)
    _c_negated(c, negated)
    _c_modal(c, modal)
    _c_passive(c, passive)
    _c_agentless(c, agentless_passive)
    _c_anchors(c, anchors)
    _c_link(c, link)
    _c_agent(c, agent)
    _c_omission(c, omission)
    _c_inherited(c, inherited)
    _c_hedged(c, hedged)
    return c  # type: ignore[no-any-return]


def _anchor(kind: AnchorKind, start: int, end: int, text: str, weak: bool) -> Anchor:
    a = _new(Anchor)
    _a_kind(a, kind)
    _a_start(a, start)
    _a_end(a, end)
    _a_text(a, text)
    _a_weak(a, weak)
    return a  # type: ignore[no-any-return]


# NOTE: enum members looked up once (an Enum attribute access costs 30x a local name)
_T_DONE = Time.DONE
_T_ONGOING = Time.ONGOING
_T_PLANNED = Time.PLANNED
_T_CONDITIONAL = Time.CONDITIONAL
_T_STATE = Time.STATE
_T_QUESTION = Time.QUESTION
_T_NONE = Time.NONE
_A_SELLER = Actor.SELLER
_A_CARRIER = Actor.CARRIER
_A_SUPPLIER = Actor.SUPPLIER
_A_BUYER = Actor.BUYER
_A_AMAZON = Actor.AMAZON
_A_THIRD = Actor.THIRD
_A_NONE = Actor.NONE
_A_UNKNOWN = Actor.UNKNOWN
_AK_DATE = AnchorKind.DATE
_AK_DURATION = AnchorKind.DURATION
_AK_FREQUENCY = AnchorKind.FREQUENCY
_AK_DEADLINE = AnchorKind.DEADLINE
_AK_TRIGGER = AnchorKind.TRIGGER
_AK_RELATIVE = AnchorKind.RELATIVE


class ClauseVocabError(ValueError):
    """rules/clauses.yaml is malformed; the message is `path:line: key: problem`."""


# --------------------------------------------------------------------------------------------
# vocabulary

_SCHEMA: dict[str, dict[str, str]] = {
    "actors": {k: "words" for k in ("seller_pronouns", "seller_nouns", "seller_third", "carrier", "supplier", "buyer",
                                     "amazon", "third", "outside_modifiers", "things", "tools", "problem_nouns")},
    "company": {"suffixes": "words", "labels": "words", "consultant_cues": "words"},
    "verbs": {**{k: "words" for k in ("be", "have", "do", "modals", "planned_modals", "plan_verbs", "failure_verbs",
                                      "fault_verbs", "state_verbs", "verbs_extra", "ambiguous")},
              "irregular_verbs": "triples"},
    "time": {k: "words" for k in ("adverbs", "past_cues", "future_cues", "relative", "dates_relative", "months",
                                  "weekdays", "units", "frequency_words", "frequency_heads", "event_nouns", "triggers",
                                  "deadline_openers")},
    "clauses": {"coordinators": "words", "subordinators": "links", "list_leadins": "words", "cause_openers": "words",
                "cause_verbs": "words", "negators": "words", "hedge_words": "words", "hedge_verbs": "words"},
}
_LINKS = {"cause", "time", "purpose", "result", "relative", "that", "condition", "concession"}


def _problem(path: str, text: str, keys: Sequence[object], problem: str) -> ClauseVocabError:

    return ClauseVocabError(f"{path}:{yaml_key_line(text, list(keys))}: {'.'.join(str(k) for k in keys)}: {problem}")


def validate(data: Any, text: str, path: str) -> dict[str, dict[str, Any]]:
    """Check the shape of rules/clauses.yaml; raise ClauseVocabError at the first problem."""
    if not isinstance(data, dict):
        raise ClauseVocabError(f"{path}:1: (top): expected a mapping of sections")
    for section, value in data.items():
        if section not in _SCHEMA:
            raise _problem(path, text, [section], f"unknown section (known: {', '.join(_SCHEMA)})")
        if not isinstance(value, dict):
            raise _problem(path, text, [section], "expected a mapping")
        for key, got in value.items():
            kind = _SCHEMA[section].get(str(key))
            keys = [section, key]
            if kind is None:
                raise _problem(path, text, keys, f"unknown key (known: {', '.join(_SCHEMA[section])})")
            if kind == "words":
                if not isinstance(got, list) or not got:
                    raise _problem(path, text, keys, "expected a non-empty list of words")
                for n, w in enumerate(got):
                    if not isinstance(w, str) or not w.strip():
                        raise _problem(path, text, [*keys, n], f"expected a word, got {w!r}")
            elif kind == "triples":
                if not isinstance(got, list) or not got:
                    raise _problem(path, text, keys, "expected a non-empty list of [base, past, participle]")
                for n, t in enumerate(got):
                    if not (isinstance(t, list) and len(t) == 3 and all(isinstance(x, str) and x for x in t)):
                        raise _problem(path, text, [*keys, n], f"expected [base, past, participle], got {t!r}")
            elif kind == "links":
                if not isinstance(got, dict) or not got:
                    raise _problem(path, text, keys, "expected a mapping of word: link kind")
                for w, link in got.items():
                    if link not in _LINKS:
                        raise _problem(path, text, [*keys, w], f"unknown link kind {link!r} (known: {', '.join(sorted(_LINKS))})")
    for section, keys_ in _SCHEMA.items():
        for key in keys_:
            if key not in (data.get(section) or {}):
                raise _problem(path, text, [section] if section in data else [], f"missing key {section}.{key}")
    return data


def load_vocab(path: str | Path | None = None) -> Vocab:
    return _load_vocab(str(path or VOCAB_PATH))


@functools.lru_cache(maxsize=4)
def _load_vocab(path: str) -> Vocab:
    import yaml

    text = Path(path).read_text(encoding="utf-8")
    try:
        data = safe_load(text)  # the C loader (same data; the Python one again on an error, for its message)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ClauseVocabError(f"{path}:{mark.line + 1 if mark else 1}: (yaml): {exc}") from None
    return Vocab(validate(data, text, path))


class _Phrases(dict[str, list[tuple[str, ...]]]):
    """first word -> word tuples, longest first; `lens`: first word -> (length, the tuples of that length),
    longest first (a match tries each length once, not each phrase)."""

    lens: dict[str, list[tuple[int, frozenset[tuple[str, ...]]]]]


def _phrases(words: Iterable[str]) -> _Phrases:
    """first word -> word tuples, longest first."""
    out = _Phrases()
    for w in words:
        t = tuple(w.lower().replace("-", " - ").split()) if " " in w else (w.lower(),)
        out.setdefault(t[0], []).append(t)
    for v in out.values():
        v.sort(key=len, reverse=True)
    out.lens = {first: [(n, frozenset(tp for tp in tuples if len(tp) == n))
                        for n in sorted({len(tp) for tp in tuples}, reverse=True)] for first, tuples in out.items()}
    return out


class Vocab:
    def __init__(self, data: dict[str, dict[str, Any]]) -> None:
        a, v, t, c = data["actors"], data["verbs"], data["time"], data["clauses"]

        def s(x: Iterable[str]) -> frozenset[str]:
            return frozenset(w.lower() for w in x)

        self.seller_pron = s(a["seller_pronouns"])
        self.seller_nouns = s(a["seller_nouns"])
        self.outside = s(a["outside_modifiers"])
        self.problem_nouns = s(a["problem_nouns"])
        self.things = s(a["things"])
        self.actor_phrases: dict[str, list[tuple[tuple[str, ...], Actor]]] = {}
        for key, actor in (("seller_third", _A_SELLER), ("carrier", _A_CARRIER), ("supplier", _A_SUPPLIER),
                           ("buyer", _A_BUYER), ("amazon", _A_AMAZON), ("third", _A_THIRD), ("tools", _A_NONE)):
            for first, tuples in _phrases(a[key]).items():
                self.actor_phrases.setdefault(first, []).extend((tp, actor) for tp in tuples)
        for lst in self.actor_phrases.values():
            lst.sort(key=lambda x: len(x[0]), reverse=True)
        self.actor_firsts = frozenset(self.actor_phrases)
        self.suffixes = s(data["company"]["suffixes"])
        self.labels = [w.lower() for w in data["company"]["labels"]]
        self.consultant_cues = tuple(w.lower() for w in data["company"]["consultant_cues"])
        self.be, self.have, self.do = s(v["be"]), s(v["have"]), s(v["do"])
        self.modals, self.planned_modals = s(v["modals"]), s(v["planned_modals"])
        self.plan_verbs, self.failure_verbs = s(v["plan_verbs"]), s(v["failure_verbs"])
        self.fault_verbs, self.state_verbs = s(v["fault_verbs"]), s(v["state_verbs"])
        self.verbs_extra, self.ambiguous = s(v["verbs_extra"]), s(v["ambiguous"])
        self.irregular: dict[str, str] = {}  # past or participle form -> base
        self.participles: set[str] = set()
        for base, past, part in v["irregular_verbs"]:
            if " " in base:
                continue
            self.irregular[past.lower()] = base.lower()
            self.irregular[part.lower()] = base.lower()
            self.participles.add(part.lower())
        self.adverbs = s(t["adverbs"])
        self.past_cues, self.future = s(t["past_cues"]), _phrases(t["future_cues"])
        self.relative = _phrases(t["relative"])
        self.dates_relative = _phrases(t["dates_relative"])
        self.months, self.weekdays = s(t["months"]), s(t["weekdays"])
        self.units = s(w for w in t["units"] if " " not in w)
        self.freq_words, self.freq_heads = s(t["frequency_words"]), s(t["frequency_heads"])
        self.event_nouns = s(t["event_nouns"])
        self.triggers = _phrases(t["triggers"])
        self.deadlines = _phrases(t["deadline_openers"])
        self.coordinators = s(w for w in c["coordinators"] if " " not in w)
        self.subordinators = {k: tuple(str(k).lower().split()) for k in c["subordinators"]}
        self.sub_phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # word -> (phrase, link)
        for k, link in c["subordinators"].items():
            tp = tuple(str(k).lower().split())
            self.sub_phrases.setdefault(tp[0], []).append((tp, str(link)))
        # word -> [(length, {phrase: link})], longest first: a match tries each length once
        self.sub_lens: dict[str, list[tuple[int, dict[tuple[str, ...], str]]]] = {
            first: [(n, {tp: link for tp, link in subs if len(tp) == n}) for n in sorted({len(tp) for tp, _ in subs}, reverse=True)]
            for first, subs in self.sub_phrases.items()}
        for subs in self.sub_phrases.values():  # longest phrase first
            subs.sort(key=lambda x: len(x[0]), reverse=True)
        self.leadins = s(w for w in c["list_leadins"] if " " not in w)
        self.cause_openers = _phrases(c["cause_openers"])
        self.cause_verbs, self.negators = s(c["cause_verbs"]), s(c["negators"])
        self.hedge_words, self.hedge_verbs = s(c["hedge_words"]), s(c["hedge_verbs"])
        self._anchor_starts = frozenset(
            [*self.triggers, *self.deadlines, *self.relative, *self.dates_relative, *self.future, *self.freq_heads,
             *self.freq_words, *_NUMWORDS, "on", "once"])
        self._lex: dict[str, int] = {}
        # LOWER hash -> word, flags
        self._hword: dict[int, str] = {}
        self._hflag: dict[int, int] = {}
        self._hodd: dict[int, int] = {}  # words holding full-width punctuation
        self._lemma: dict[str, str] = {}
        self._vlemma: dict[str, str] = {}
        self._tables: tuple[Any, frozenset[str], dict[str, Any]] | None = None
        self._adjectives: frozenset[str] = frozenset()
        self._company: Any = None

    def company_patterns(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], tuple[re.Pattern[str], ...]]:
        if self._company is None:
            sfx = "|".join(sorted((re.escape(x) for x in self.suffixes), key=len, reverse=True))
            labels = "|".join(re.escape(lb) for lb in self.labels)
            name = r"((?:[A-Z0-9][\w&'\u2019.\-]*[ \t]+){0,3}[A-Z0-9][\w&'\u2019\-]*)"
            self._company = (
                re.compile(r"(?<=[\w.])[ \t]*,?[ \t]+(?i:" + sfx + r")\b"),
                re.compile(r"(?:^|(?<=[\s(]))" + name + r"\Z"),
                re.compile(r"(?im)^[ \t*_-]*(?:" + labels + r")[ \t*_]*[:\-\u2013\u2014][ \t*_]*([^\n(]{2,60})"),
                (re.compile(r"\b[Ww]e,[ \t]+(?:the[ \t]+)?" + name + r"[ \t]*,"),
                 re.compile(r"\b(?i:owner|founder|director|manager|ceo|team)[ \t]+(?:of|at)[ \t]+(?:the[ \t]+)?" + name),
                 re.compile(r"(?i:on behalf of|representing)[ \t]+(?:the[ \t]+)?" + name)))
        return self._company

    # ---- per-word classes (memoized) ----------------------------------------------------
    def tables(self) -> tuple[Any, frozenset[str], dict[str, Any]]:
        if self._tables is None:
            from spacy.lookups import load_lookups

            lk = load_lookups("en", ["lemma_lookup", "lemma_index", "lemma_exc"])
            verbs = frozenset(lk.get_table("lemma_index").get("verb") or ()) | self.verbs_extra
            exc = dict(lk.get_table("lemma_exc").get("verb") or {})
            self._adjectives = frozenset(lk.get_table("lemma_index").get("adj") or ())
            self._tables = (lk.get_table("lemma_lookup"), verbs, exc)
        return self._tables

    def lemma(self, low: str) -> str:
        table = self.tables()[0]
        got = table.get(low, low)
        return got.lower() if isinstance(got, str) else low

    def flags(self, low: str, lemma: str) -> int:
        got = self._lex.get(low)
        if got is None:
            if len(self._lex) > 200_000:
                self._lex.clear()
                self._vlemma.clear()
                self._lemma.clear()
            got = self._lex[low] = self._classify(low, lemma)
            self._lemma[low] = lemma
        return got

    def verb_lemma(self, low: str) -> str:
        return self._vlemma.get(low) or self._lemma.get(low, low)

    def _classify(self, low: str, lemma: str) -> int:
        f = self._classify_word(low, lemma)
        if low in _PUNCT_BOUNDARY or low in _ENDERS or low == "," or low in self.coordinators or low in self.sub_phrases:
            f |= SPL
        if f & (VERB | AUX) and not f & (DET | PREP):
            f |= VB
        if low in self.suffixes:
            f |= COSFX
        if low in _MARKERS or f & (MARK | NUM) or low in _ROMAN_CJK or len(low) == 1 and low.isalpha():
            f |= MK
        if low in _WEAK_STARTS:
            f |= WEAKST
        if low in _WEAK_NEXT:
            f |= WNEXT
        return f

    def _classify_word(self, low: str, lemma: str) -> int:
        _table, verbs, exc = self.tables()
        f = 0
        if low in self.seller_pron or low in ("you", "he", "she", "they", "it"):
            f |= PRON
        if low in self.be:
            f |= BE
        if low in self.have:
            f |= HAVE
        if low in self.do:
            f |= DO
        if low in self.modals:
            f |= MODAL
        if low in self.negators:
            f |= NEG
        if low in _DETS:
            f |= DET
        if low in _POSS:
            f |= POSS | DET
        if low in _PREPS:
            f |= PREP
        if low in self.adverbs or (low.endswith("ly") and len(low) > 4 and low not in _LY_NOT_ADV):
            f |= ADV
        if low in self.months:
            f |= MONTH
        if low in self.weekdays:
            f |= WEEKDAY
        if low in self._anchor_starts or f & (MONTH | WEEKDAY) or low.isdigit() or _ORDINAL.fullmatch(low) \
                or _NUMDATE.fullmatch(low) or ("年" in low and "月" in low):
            f |= ANCH
        if low in _FUTURE_WORDS or low in self.future:
            f |= FUT
        if low in self.past_cues or low == "last":
            f |= PASTC
        if low in self.hedge_words:
            f |= HEDGE
        if f & (BE | HAVE | DO | MODAL):
            f |= AUX
            return f
        vl = None
        if low in self.irregular:
            vl = self.irregular[low]
            f |= VERB | PAST
            if low == vl:
                f |= BASE
        elif low in exc and isinstance(exc[low], list) and exc[low]:
            vl = str(exc[low][0])
            f |= VERB | (ING if low.endswith("ing") else S3 if low.endswith("s") else PAST)
        else:
            cand = lemma if lemma != low else None
            if cand and cand in verbs and low.endswith(("ed", "ing", "s")):
                vl = cand
                f |= VERB | (ED_PAST if low.endswith("ed") else ING if low.endswith("ing") else S3)
            elif low in verbs:
                vl = low
                f |= VERB | BASE
            else:
                for suf, rep in _SUFFIXES:
                    if low.endswith(suf) and len(low) > len(suf) + 2:
                        stem = low[: -len(suf)] + rep
                        if stem in verbs:
                            vl = stem
                            f |= VERB | (ED_PAST if suf.startswith("ed") or suf in ("ied", "d") else ING if "ing" in suf else S3)
                            break
        if f & ED_PAST:
            f |= PAST
        if vl is not None:
            self._vlemma[low] = vl
            if vl in self.ambiguous or low in self.ambiguous:
                f |= AMBIG
        if low.endswith("ing") and low == lemma and not (f & VERB):
            f |= NOUNISH
        if low.isdigit() or _ORDINAL.fullmatch(low):
            f |= NUM
        if low in self._adjectives:
            f |= ADJW
        if low in self.units:
            f |= UNIT
        if _MARKER_TOKEN.fullmatch(low):
            f |= MARK
        if _NUMDATE.fullmatch(low) or ("年" in low and "月" in low):
            f |= NUMDATE
        return f


_SUFFIXES = (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"), ("s", ""), ("es", ""))
_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th)")
_NUMDATE = re.compile(r"\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?|\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日")
_MARKER_TOKEN = re.compile(r"\(?(?:[a-h]|[ivx]{1,4}|\d{1,2})[.)]|\d{1,2}[\u3001,]|[|:=+\-]*\|[|:=+\-]*")
_LY_NOT_ADV = {"supply", "apply", "reply", "family", "italy", "july", "assembly", "rely", "fly", "ally", "only"}
_DETS = {"the", "a", "an", "this", "that", "these", "those", "every", "each", "all", "some", "any", "no", "another",
         "both", "several", "many", "few", "more", "most", "such", "which", "what", "whose"}
_POSS = frozenset({"our", "my", "your", "their", "his", "her", "its"})
_PREPS = {"of", "in", "on", "at", "for", "with", "from", "by", "about", "into", "onto", "through", "during", "without",
          "under", "over", "between", "against", "among", "via", "per", "after", "before", "since", "until", "within",
          "upon", "across", "towards", "toward", "to", "as", "like", "than"}
_NUMWORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "ninety", "a", "an", "several", "few", "24", "48",
             "72", "half"}

PRON, BE, HAVE, DO, MODAL, NEG, DET, POSS, PREP, ADV, AUX = (1 << i for i in range(11))
VERB, PAST, ED_PAST, ING, S3, BASE, AMBIG, NOUNISH, NUM, MONTH, WEEKDAY, UNIT, NUMDATE, MARK, ANCH, FUT, PASTC, SPL, VB, \
    COSFX, MK = (1 << i for i in range(11, 32))
WEAKST, WNEXT = 1 << 32, 1 << 33  # in _WEAK_STARTS, _WEAK_NEXT
HEDGE = 1 << 34  # clauses.hedge_words: "maybe", "probably"
ADJW = 1 << 35  # an adjective of the lookup index ("open", "ready"): "will be open" is no learner passive
RARE = NEG | FUT | PASTC | HEDGE  # flags few sentences hold: kept as a position list per letter

# full-width and CJK punctuation -> ASCII (the blank tokenizer glues "，our" onto the word before)
_FULLWIDTH = {"，": ",", "。": ".", "：": ":", "；": ";", "！": "!", "？": "?", "、": ",", "（": "(", "）": ")",
              "【": "[", "】": "]", "「": '"', "」": '"', "\u3000": " "}
_FW_SPLIT = re.compile("([，。：；！？、（）【】「」\u3000])")
_ENDERS = {".", "!", "?"}
_EMPTY: frozenset[int] = frozenset()
_PUNCT_BOUNDARY = {";", "|", ":", "\u2022", "\u25e6", "\u25cf", "\u25aa"}
_MARKERS = {"-", "*", "+", "\u2022", "\u25e6", "\u25cf", "\u25aa", "\u2023", "\u2013", "\u2014", ">", "o", "|", "#",
            "**", "__", "(", ")", ".", ",", "\u3001"}
_ROMAN_CJK = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "i", "ii", "iii", "iv", "v", "vi"}


# --------------------------------------------------------------------------------------------
# tokens

class _Toks:
    """The Doc's words as parallel lists, with full-width punctuation split off (offsets kept)."""

    __slots__ = ("low", "st", "en", "cap", "fl", "first", "rare", "anch", "spl", "vb", "think")
    low: list[str]
    st: list[int]
    en: list[int]
    cap: list[bool]
    fl: list[int]
    first: list[int]
    rare: list[int]
    anch: list[int]
    spl: list[int]
    vb: list[int]
    think: list[int]

    def __init__(self, doc: Doc, vocab: Vocab) -> None:
        import numpy as np
        from spacy.attrs import IDX, IS_SPACE, LEMMA, LOWER, ORTH

        if not len(doc):
            self.low, self.st, self.en, self.cap, self.fl, self.first, self.rare = [], [], [], [], [], [0], []
            self.anch, self.spl, self.vb, self.think = [], [], [], []
            return
        full = doc.to_array([LOWER, IDX, ORTH, IS_SPACE])
        # NOTE: whitespace tokens dropped with numpy, then one dict per feature keyed by the LOWER hash
        # (a map() over each is far cheaper than per-token Python work)
        space = full[:, 3]
        keep = None
        if space.any():
            keep = space == 0
            self.first = [0, *keep.cumsum().tolist()]
            arr = full[keep]
        else:
            self.first = list(range(len(full) + 1))
            arr = full
        lows = arr[:, 0].tolist()
        hword, hflag, hodd = vocab._hword, vocab._hflag, vocab._hodd
        fls: list[Any] = list(map(hflag.get, lows))
        if None in fls:
            strings = doc.vocab.strings
            lemma_col = doc.to_array(LEMMA)  # (only for words not seen before)
            lemmas = (lemma_col if keep is None else lemma_col[keep]).tolist()
            if len(hword) > 200_000:
                hword.clear()
                hflag.clear()
                hodd.clear()
            for i, got in enumerate(fls):
                if got is None:
                    h = lows[i]
                    w = strings[h]
                    odd = not w.isascii() and _FW_SPLIT.search(w) is not None
                    hword[h] = w
                    fls[i] = hflag[h] = 0 if odd else vocab.flags(w, strings[lemmas[i]])
                    if odd:
                        hodd[h] = 2
        if hodd and not hodd.keys().isdisjoint(lows):  # full-width punctuation glued to words: split it off
            self._split_fullwidth(doc, full, vocab)
        else:
            lw = list(map(hword.__getitem__, lows))
            idxs = arr[:, 1].tolist()
            self.low = lw
            self.fl = fls
            self.st = idxs
            self.en = list(map(operator.add, idxs, map(len, lw)))
            self.cap = (arr[:, 2] != arr[:, 0]).tolist()
        # positions of the tokens each pass looks at, found once per letter (each sentence bisects its range)
        fa = np.fromiter(self.fl, dtype=np.int64, count=len(self.fl))
        self.rare = np.flatnonzero(fa & (RARE | COSFX)).tolist()
        self.spl = np.flatnonzero(fa & SPL).tolist()
        self.vb = np.flatnonzero(fa & VB).tolist()
        low_ = self.low
        self.think = [k for k in self.vb if low_[k] in _THINK_FORMS]  # "we think | the buyers misused it"
        # anchor openers; "a", "on", "this" ... only before a unit, a date word or a quantifier (checked again
        # in _anchors against the sentence's end)
        strong_next = np.zeros(len(fa), dtype=bool)
        strong_next[:-1] = (fa[1:] & (UNIT | WEEKDAY | MONTH | NUM | NUMDATE | WNEXT)) != 0
        self.anch = np.flatnonzero((fa & ANCH != 0) & ((fa & WEAKST == 0) | strong_next)).tolist()

    def _split_fullwidth(self, doc: Doc, full: Any, vocab: Vocab) -> None:
        low: list[str] = []
        fl: list[int] = []
        st: list[int] = []
        en: list[int] = []
        cap: list[bool] = []
        first: list[int] = []  # doc token index -> first own index
        strings = doc.vocab.strings
        hword, hflag, hodd = vocab._hword, vocab._hflag, vocab._hodd
        for h, idx, oh, space in full.tolist():
            first.append(len(low))
            if space:
                continue
            if h in hodd:
                pos = 0
                for piece in _FW_SPLIT.split(strings[oh]):
                    if piece and not piece.isspace():
                        pl = _FULLWIDTH.get(piece, piece).lower()
                        low.append(pl)
                        fl.append(vocab.flags(pl, vocab.lemma(pl)))
                        st.append(idx + pos)
                        en.append(idx + pos + len(piece))
                        cap.append(piece[:1].isupper())
                    pos += len(piece)
                continue
            w = hword[h]
            low.append(w)
            fl.append(hflag[h])
            st.append(idx)
            en.append(idx + len(w))
            cap.append(oh != h)
        first.append(len(low))
        self.low, self.fl, self.st, self.en, self.cap, self.first = low, fl, st, en, cap, first


def _rare_or(t: _Toks, a: int, b: int) -> int:
    """The OR of the RARE flags (negators, future and past cues) of tokens [a, b)."""
    rare = t.rare
    lo = bisect.bisect_left(rare, a)
    got = 0
    fl = t.fl
    while lo < len(rare) and rare[lo] < b:
        got |= fl[rare[lo]]
        lo += 1
    return got & RARE


def _future_at(t: _Toks, a: int, b: int, v: Vocab) -> bool:
    """A future cue in tokens [a, b): "tomorrow", "next", "going forward" (FUT tokens are rare: their positions
    are in `t.rare`)."""
    rare, fl, low = t.rare, t.fl, t.low
    lo = bisect.bisect_left(rare, a)
    while lo < len(rare):
        x = rare[lo]
        if x >= b:
            return False
        if fl[x] & FUT and (low[x] in _FUTURE_WORDS or _match_phrase(low, x, b, v.future)):
            return True
        lo += 1
    return False


def _match_phrase(low: list[str], i: int, end: int, table: _Phrases) -> int:
    """Length of the longest phrase of `table` at token i (0 if none)."""
    cands = table.lens.get(low[i])
    if not cands:
        return 0
    for n, tps in cands:
        if i + n <= end and (n == 1 or tuple(low[i:i + n]) in tps):
            return n
    return 0


# --------------------------------------------------------------------------------------------
# anchors

def _anchors(t: _Toks, a: int, b: int, v: Vocab, text: str) -> list[tuple[AnchorKind, int, int, bool]]:
    """(kind, first token, end token, weak) of every time anchor in tokens [a, b)."""
    low, fl = t.low, t.fl
    out: list[tuple[AnchorKind, int, int, bool]] = []
    nxt = a
    cands = t.anch
    for i in cands[bisect.bisect_left(cands, a):bisect.bisect_left(cands, b)]:
        if i < nxt:
            continue
        f = fl[i]
        w = low[i]
        if w in _WEAK_STARTS and not (i + 1 < b and (fl[i + 1] & (UNIT | WEEKDAY | MONTH | NUM | NUMDATE)
                                                     or low[i + 1] in _WEAK_NEXT)):
            pass  # "a", "on", "this", "last" ... open an anchor only before a unit, a date word or a quantifier
            continue
        if w == "once" and _once_per(t, i, b):  # "once a month", "once every week": a frequency, not a trigger
            out.append((_AK_FREQUENCY, i, i + 3, False))
            nxt = i + 3
            continue
        # triggers and event frequencies: "before every new listing goes live", "each time an order ships"
        n = _match_phrase(low, i, b, v.triggers) if w in v.triggers else 0
        if n:
            j = i + n
            if n == 1 or low[i] in ("when", "if") and n == 2:
                # bare "once"/"upon"/"when a": only with an event after it
                if w in ("once", "upon") and not (j < b and (fl[j] & (DET | NUM) or low[j] in v.event_nouns)):
                    n = 0
            if n:
                k = j
                while k < b and low[k] not in (",", ";", ":", ".", "!", "?", "|") and k - j < 12:
                    k += 1
                head_event = any(low[x] in v.event_nouns for x in range(j, min(k, j + 4)))
                has_verb = any((fl[x] & AUX or fl[x] & VERB and fl[x] & (S3 | PAST)) and not fl[x] & (DET | PREP)
                               and low[x] not in v.event_nouns for x in range(j, k))
                opener = low[i:j]
                if opener[0] in ("on", "for", "with", "at") and head_event and not has_verb:
                    out.append((_AK_FREQUENCY, i, min(k, j + 4), False))
                    nxt = min(k, j + 4)
                    continue
                if opener[0] in ("when", "if") and not (head_event or "new" in low[j:k]):
                    pass
                    continue
                if head_event or has_verb or w in ("whenever", "as", "each", "every", "any", "anytime"):
                    out.append((_AK_TRIGGER, i, k, False))
                    nxt = k
                    continue
        # every/each + unit / weekday / event noun
        if w in v.freq_heads and i + 1 < b:
            k = i + 1
            while k < b and k - i <= 4 and not (fl[k] & (UNIT | WEEKDAY)) and low[k] not in v.event_nouns \
                    and (fl[k] & NUM or low[k] in _NUMWORDS or low[k] in ("new", "single", "other", "incoming",
                                                                          "outgoing", "production", "fba", "fbm",
                                                                          "business", "working")):
                k += 1
            if k < b and (fl[k] & (UNIT | WEEKDAY) or (low[k] in v.event_nouns and w in ("every", "each", "per"))):
                while k + 1 < b and low[k + 1] in v.event_nouns:
                    k += 1
                out.append((_AK_FREQUENCY, i, k + 1, False))
                nxt = k + 1
                continue
        if w in v.freq_words:
            if w == "twice" or w == "always":
                k = i + 1
                if w == "twice" and k + 1 < b and low[k] in ("a", "per", "every", "each") and fl[k + 1] & UNIT:
                    out.append((_AK_FREQUENCY, i, k + 2, False))
                    nxt = k + 2
                    continue
                if w == "always":
                    pass
                    continue
            out.append((_AK_FREQUENCY, i, i + 1, False))
            pass
            continue
        if (f & NUM or w in _NUMWORDS or w == "once") and i + 2 < b and low[i + 1] in ("times", "time") \
                and low[i + 2] in ("a", "per", "every", "each"):
            k = i + 3
            if k < b and fl[k] & UNIT:
                out.append((_AK_FREQUENCY, i, k + 1, False))
                nxt = k + 1
                continue
        if w == "on" and i + 1 < b and fl[i + 1] & WEEKDAY and low[i + 1].endswith("s") and low[i + 1] != "weekdays":
            out.append((_AK_FREQUENCY, i, i + 2, False))
            nxt = i + 2
            continue
        # deadlines: "by 15 June", "no later than 20 May", "before the end of the month"
        n = _match_phrase(low, i, b, v.deadlines) if w in v.deadlines else 0
        if n and w not in ("within",):
            j = i + n
            d = _date_at(t, j, b, v)
            if d:
                out.append((_AK_DEADLINE, i, d, False))
                nxt = d
                continue
            k = -1
            if low[j - 1] == "of" and low[j - 2] in ("end", "close", "start"):
                k = j
            elif j + 3 < b and low[j] == "the" and low[j + 1] in ("end", "close", "start") and low[j + 2] == "of":
                k = j + 3
            if k >= 0:
                if k < b and low[k] in ("the", "this", "next"):
                    k += 1
                if k < b and (fl[k] & (UNIT | MONTH | WEEKDAY) or low[k] in ("quarter",)):
                    out.append((_AK_DEADLINE, i, k + 1, False))
                    nxt = k + 1
                    continue
        # durations: "within 48 hours", "for 30 days", "2 weeks"
        if (f & NUM or w in _NUMWORDS) and i + 1 < b:
            k = i + 1
            if k < b and low[k] in ("-", "to", "or") and k + 1 < b and (fl[k + 1] & NUM or low[k + 1] in _NUMWORDS):
                k += 2
            if k < b and low[k] in ("business", "working", "calendar", "full"):
                k += 1
            if k < b and fl[k] & UNIT and not (low[k] == "h" and not f & NUM) and not (low[k] == "second" and not f & NUM):
                s0 = i - 1 if i > a and low[i - 1] in ("within", "for", "over", "in", "after") else i
                if k + 1 < b and low[k + 1] == "ago":
                    out.append((_AK_DATE, s0, k + 2, False))
                    nxt = k + 2
                    continue
                if s0 > a and low[s0 - 1] in v.freq_heads:
                    out.append((_AK_FREQUENCY, s0 - 1, k + 1, False))
                else:
                    out.append((_AK_DURATION, s0, k + 1, False))
                nxt = k + 1
                continue
        d = _date_at(t, i, b, v) if f & (NUMDATE | NUM | MONTH | WEEKDAY) or w in v.dates_relative else 0
        if d:
            s0 = i - 1 if i > a and low[i - 1] in ("on", "since", "from") else i
            if low[i] in v.weekdays and s0 == i and not (i > a and low[i - 1] in ("last", "next", "this")):
                # a bare weekday: "every Monday" was taken above; "Monday" alone is no date
                pass
                continue
            out.append((_AK_DATE, s0, d, False))
            nxt = d
            continue
        n = _match_phrase(low, i, b, v.relative) if w in v.relative else 0
        if n:
            out.append((_AK_RELATIVE, i, i + n, True))
            nxt = i + n
            continue
        pass
    return out


def _date_at(t: _Toks, i: int, b: int, v: Vocab) -> int:
    """End token of a date starting at token i, or 0."""
    low, fl, cap = t.low, t.fl, t.cap
    if i >= b:
        return 0
    f = fl[i]
    w = low[i]

    if f & NUMDATE:
        return i + 1
    if low[i].isdigit() and len(low[i]) == 4 and i + 4 < b and low[i + 1] == "-" and low[i + 2].isdigit() \
            and low[i + 3] == "-" and low[i + 4].isdigit():
        return i + 5
    if f & NUM and len(w.rstrip("stndrh")) <= 2 and _month(low, fl, cap, i + 1, b):
        k = i + 2
        if k < b and low[k] == ",":
            k += 1
        return k + 1 if _year(low, k, b) else i + 2
    if _month(low, fl, cap, i, b):
        k = i + 1
        if k < b and fl[k] & NUM and len(low[k].rstrip("stndrh")) <= 2:
            k += 1
            if k < b and low[k] == "," and _year(low, k + 1, b):
                return k + 2
            return k + 1 if _year(low, k, b) else k
        if _year(low, k, b):
            return k + 1
        if i > 0 and low[i - 1] in ("in", "since", "of", "early", "mid", "late", "until", "by", "from", "during") \
                and (low[i] != "may" or cap[i] and low[i - 1] in ("since", "until", "from", "during")):
            return i + 1
        return 0
    if f & WEEKDAY:
        return i + 1
    n = _match_phrase(low, i, b, v.dates_relative) if w in v.dates_relative else 0
    if n and w != "ago" and not (i + n < b and low[i + n] in _POSS_S):  # ("that week's orders": a noun phrase)
        return i + n
    return 0



def _month(low: list[str], fl: list[int], cap: list[bool], k: int, b: int) -> bool:
    return k < b and bool(fl[k] & MONTH) and (low[k] != "may" and low[k] != "march" or cap[k]) \
        and (low[k] not in ("mar", "jun", "sep", "dec", "jan") or cap[k])


def _year(low: list[str], k: int, b: int) -> bool:
    return k < b and low[k].isdigit() and len(low[k]) == 4

# --------------------------------------------------------------------------------------------
# company names

def learn_company(text: str, vocab: Vocab | None = None, toks: _Toks | None = None,
                  lowtext: str | None = None) -> frozenset[str]:
    """Lower-case words of the seller's own name as the letter gives it (signature, labels, "X Ltd")."""
    v = vocab or load_vocab()
    suffix, before, label, others = v.company_patterns()
    found: list[str] = []
    if toks is None:
        for m in suffix.finditer(text):  # "Northwind Ltd": the capitalised words before a company suffix
            got = before.search(text, max(0, m.start() - 80), m.start())
            if got:
                found.append(got.group(1))
    else:  # the same from the tokens: a capitalised suffix after capitalised words
        low, fl, cap = toks.low, toks.fl, toks.cap
        for k in toks.rare:
            if not fl[k] & COSFX or not cap[k]:
                continue
            j = k - 1 if k > 0 and low[k - 1] != "," else k - 2
            e = j + 1
            while j >= 0 and e - j <= 4 and cap[j] and low[j].isalnum():
                j -= 1
            if e > j + 1:
                found.append(" ".join(low[j + 1:e]))
    # NOTE: cheap literal tests first; each pattern scans the whole letter
    if lowtext is None:
        lowtext = text.lower()
    checks = (any(lb in lowtext for lb in v.labels), "we," in lowtext,
              any(n in lowtext for n in _ROLE_OF),
              "on behalf of" in lowtext or "representing" in lowtext)
    for rx, ok in zip((label, *others), checks):
        if ok:
            found += [m.group(1) for m in rx.finditer(text)]
    words: set[str] = set()
    for f in found:
        for w in re.findall(r"[\w&'\u2019\-]+", f.lower()):
            if w not in v.suffixes and w not in _DETS and w not in _POSS and len(w) > 1 and w not in _COMPANY_STOP:
                words.add(w)
    return frozenset(words)


_ROLE_OF = tuple(f"{k} {p} " for k in ("owner", "founder", "director", "manager", "ceo", "team") for p in ("of", "at"))
_COMPANY_STOP = {"we", "i", "our", "seller", "store", "amazon", "and", "of", "the", "dear", "team", "on", "behalf",
                 "account", "name", "in", "to", "for", "by", "with", "it", "is", "was", "this", "that", "a"}


# --------------------------------------------------------------------------------------------
# reading a sentence

@dataclass(slots=True)
class _Seg:
    a: int
    b: int
    link: str
    opener: str = ""
    prefix: int = -1  # start of a verbless fragment merged in front (its subject may serve)


def _split(t: _Toks, a: int, b: int, v: Vocab) -> list[_Seg]:
    """Cut tokens [a, b) into clause segments."""
    low, fl = t.low, t.fl
    segs: list[_Seg] = []
    cur = _Seg(a, b, "")
    first = _skip_markers(t, a, b, v) if fl[a] & MK else a
    fronted = -1
    if first + 2 < b and low[first] in ("after", "before", "upon") and fl[first + 1] & VERB \
            and fl[first + 1] & (BASE | ING) and not fl[first + 1] & (DET | PREP | PRON | AUX) \
            and fl[first + 2] & (DET | POSS | PRON | NUM):
        # "After receive the warning we stop selling", "After receiving the notice, we ...": a verb phrase in
        # front (second-language bare verb or a gerund) is a time clause of its own; the subject after it
        # opens the main clause (a comma or not)
        cur = _Seg(first, b, "time", low[first])
        for j in range(first + 3, min(b, first + 14)):
            if low[j] in (",", ";", ":", "."):
                break
            if low[j] in v.seller_pron and _starts_clause(t, j, b, v):
                fronted = j
                break
    elif first < b and low[first] in v.sub_phrases:
        for n, by in v.sub_lens[low[first]]:
            tp = tuple(low[first:first + n]) if n > 1 else (low[first],)
            link = by.get(tp, "") if first + n <= b else ""
            if link and link not in ("that", "relative", "result"):
                if link == "cause" and n > 1 or tp == ("because",) and first + 1 < b and low[first + 1] == "of" \
                        or (tp in (("as",), ("since",), ("before",), ("after",), ("until",))
                                                 or tp == ("in", "the", "event")) \
                        and (not _starts_clause(t, first + n, b, v) or first + n < b and fl[first + n] & PREP) \
                        or _anchor_phrase(t, first, b, v):
                    break
                cur = _Seg(first, b, link, " ".join(tp))
                break
    cur_opener = ""
    i0 = first + len(cur.opener.split()) if cur.opener else a
    nexti = i0
    spl = t.spl
    cands = spl[bisect.bisect_left(spl, i0):bisect.bisect_left(spl, b - 1)]  # (the last token cuts nothing off)
    vbs = t.vb
    vbs = vbs[bisect.bisect_left(vbs, a):bisect.bisect_left(vbs, b)]
    # "We think the buyers misused it": the clause reported after a verb of thinking is its own clause
    th = t.think
    reported = [k + 1 for k in th[bisect.bisect_left(th, i0):bisect.bisect_left(th, b - 2)]
                if low[k + 1] not in v.sub_phrases and not fl[k + 1] & SPL and _starts_clause(t, k + 1, b, v)] if th else th
    if reported:
        cands = sorted(set(cands).union(reported))
    if fronted > 0:
        cands = sorted({*cands, fronted})
    if not cands:
        return [cur]
    for i in cands:
        if i < nexti:
            continue
        w = low[i]
        cut_link = None
        skip = 0
        span = 1
        j = bisect.bisect_left(vbs, cur.a)
        has_verb = j < len(vbs) and vbs[j] < i
        if i == fronted:
            cut_link = ""
        elif reported and i in reported:
            cut_link = "that"
        elif w in _PUNCT_BOUNDARY or w in _ENDERS and i + 1 < b and low[i + 1] not in _ENDERS:
            cut_link = "colon" if w == ":" else "semicolon"
            skip = 1
        elif w in v.coordinators and i > cur.a and has_verb and not (w == "so" and i + 1 < b and low[i + 1] == "that"
                                                                        and _starts_clause(t, i + 2, b, v)) \
                and (_starts_clause(t, i + 1, b, v)
                                                                   or w == "and" and _aux_predicate(t, i + 1, b)
                                                                   or w == "and" and _coordinated_verb(t, i + 1, b)
                                                                   and not (fl[i - 1] & VERB and not fl[i - 1] & DET)):
            cut_link = "coord"
            skip = 1
        elif w == "," and has_verb and i + 1 < b and _starts_clause(t, i + 1, b, v) \
                and not (low[i + 1] in v.coordinators or low[i + 1] in v.sub_phrases):
            cut_link = "comma"
            skip = 1
        elif w == "," and has_verb and cur.link in ("relative", "time", "cause", "condition", "concession", "purpose") \
                and i + 1 < b and _starts_predicate(t, i + 1, b):
            cut_link = "resume"
            skip = 1
        elif w in v.sub_phrases and i > cur.a:
            for n, by in v.sub_lens[w]:
                tp = tuple(low[i:i + n]) if n > 1 else (w,)
                link = by.get(tp, "") if i + n <= b else ""
                if link:
                    if link == "purpose" and (tp[-1] in ("to", "ensure", "prevent", "avoid") or n > 1):
                        ok = tp != ("so", "that") or _starts_clause(t, i + 2, b, v)  # not "so that is what we do"
                    elif link == "that":
                        prev = i - 1
                        ok = (prev >= a and (fl[prev] & (VERB | BE) and not fl[prev] & (DET | PREP)
                                             and not (_noun_after_det(t, prev, a) and cur.link in ("", "comma", "item")
                                                      and not any(cur.a <= x < prev for x in vbs)
                                                      and not (prev - 2 >= a and fl[prev - 2] & PREP))
                                             or low[prev] in _THAT_ADJ)
                              and _starts_clause(t, i + 1, b, v))  # type: ignore[assignment]
                        noun = prev >= a and i + 1 < b and low[prev] not in _NOT_ANTECEDENT and (
                            not fl[prev] & (VERB | AUX | PREP | DET | ADV | PRON | SPL)
                            or _noun_after_det(t, prev, a))  # "The listing that ...": "listing" is a noun there
                        if not ok and noun and _starts_predicate(t, i + 1, b):
                            ok, link = True, "relative"  # "a system that does not understand ...": a relative clause
                        elif not ok and noun and cur.link in ("", "comma", "item") and (not has_verb or _noun_after_det(t, prev, a)
                                                  and not any(cur.a <= x < prev for x in vbs)) and (fl[i + 1] & PRON or low[i + 1] in v.seller_pron) \
                                and _starts_clause(t, i + 1, b, v) and _relative_end(t, i + 1, b) > 0:
                            ok, link = True, "relative"  # "The buyer that we sold the lamp to | returned it"
                    elif link == "relative":
                        ok = _has_verb_soon(t, i + 1, b)
                    elif tp == ("so",):
                        ok = has_verb and _starts_clause(t, i + 1, b, v)
                        link = "result"
                    elif tp in (("since",), ("as",), ("before",), ("after",), ("until",), ("till",), ("once",)):
                        ok = _starts_clause(t, i + 1, b, v) and not _anchor_phrase(t, i, b, v)
                    elif tp == ("in", "the", "event"):
                        ok = i + 3 < b and not fl[i + 3] & PREP and _starts_clause(t, i + 3, b, v)  # not "in the event of"
                    elif link == "cause" and n > 1:
                        ok = False  # "due to a storm": a cause phrase, read by is_cause_statement
                    else:
                        ok = True
                    if ok:
                        cut_link = link
                        skip = 0
                        span = n  # "in order to": its "to" opens nothing more
                        cur_opener = " ".join(tp)
                    break
        if cut_link is not None:
            if i > cur.a:
                cur.b = i
                segs.append(cur)
            cur = _Seg(i + skip, b, cut_link, cur_opener if cut_link not in ("colon", "semicolon", "coord", "comma", "resume") else w)
            nexti = i + max(skip, span)
    cur.b = b
    if cur.b > cur.a:
        segs.append(cur)
    # "The buyer who ordered twice returned it": a relative clause after a verbless subject ends where the main
    # clause's own verb comes
    for n in range(1, len(segs)):
        sg = segs[n]
        if sg.link == "relative" and sg.opener in ("who", "that", "which") and segs[n - 1].link in ("", "comma", "item") \
                and not any(not (fl[x] & AMBIG and fl[x] & BASE or _noun_after_det(t, x, segs[n - 1].a))
                            for x in vbs if segs[n - 1].a <= x < segs[n - 1].b):
            e = _relative_end(t, sg.a + 1, sg.b)
            if e > 0:
                segs.insert(n + 1, _Seg(e, sg.b, "resume", "", segs[n - 1].a))
                sg.b = e
                break
    return segs


def _relative_end(t: _Toks, i: int, b: int) -> int:
    """Where the main clause's verb resumes after a relative clause opened at token i ("who ordered twice |
    returned it", "which we received | were fake"), or 0: the relative clause's own verb group, then (after at
    least one other word) a finite verb or an auxiliary not inside a noun phrase."""
    low, fl = t.low, t.fl
    k = i
    while k < b and not (fl[k] & (VERB | AUX) and not fl[k] & (DET | PREP) and (k == i or not fl[k - 1] & (DET | POSS))):
        if low[k] in (",", ";", ":", "(", "."):
            return 0
        k += 1
    if k >= b:
        return 0
    if fl[k] & AUX:  # "who was fired", "that had been sent": the auxiliaries and the verb
        k += 1
        while k < b and fl[k] & (AUX | ADV | NEG) and not fl[k] & (DET | PRON):
            k += 1
        if k < b and fl[k] & VERB and not fl[k] & (DET | PREP):
            k += 1
    else:
        k += 1
    if low[k - 1] in _THINK_FORMS:
        return 0  # "which account you think | is linked": the verb after it is the reported clause's
    if k < b and fl[k] & AUX and not fl[k] & (DET | PREP | PRON):
        return k  # "which we received | were fake"
    own = bool(fl[i] & PRON) and low[i] not in ("who", "that", "which", "it")
    if not own:
        k += 1  # else at least one word of its own (object, adverb) first: "who received damaged goods | complained"
    # (a relative clause with a subject of its own has its object gapped: "that we copied | broke the rules")
    while k < b:
        f = fl[k]
        w = low[k]
        if w in (",", ";", ":", "(", ".") or w in ("and", "or", "but"):
            return 0
        if f & (VERB | AUX) and not f & (DET | PREP | PRON | ING) and (f & (AUX | S3) or f & PAST and not f & BASE) \
                and not (f & S3 and f & AMBIG) \
                and not (fl[k - 1] & AUX and not f & AUX) \
                and (not fl[k - 1] & (DET | POSS | PREP | NUM | PRON) and low[k - 1] not in ("to", "-")
                     or own and low[k - 1] == "to" and f & PAST and not f & BASE) \
                and not (f & MODAL and w == "may" and t.cap[k]):
            return k  # (a past form after "to" ends a stranded preposition: "that we sold the lamp to | returned it")
        k += 1
    return 0


def _noun_after_det(t: _Toks, k: int, a: int) -> bool:
    """A verb-or-noun word right after an article or a possessive, before "that", "who" or "which", is a noun
    ("The listing that was flagged", "The parcels which we received")."""
    fl = t.fl
    return k > a and bool(fl[k] & (AMBIG | S3 | ING)) and not fl[k] & (DET | PRON) and bool(fl[k - 1] & (DET | POSS)) and not fl[k - 1] & PRON \
        and k + 1 < len(t.low) and t.low[k + 1] in ("that", "who", "which")


_THINK_FORMS = frozenset({"think", "thinks", "thought", "believe", "believes", "believed", "suspect", "suspects",
                          "suspected", "assume", "assumes", "assumed", "guess", "guessed", "suppose", "supposed",
                          "reckon", "reckoned", "feel", "feels", "felt", "seem", "seems", "seemed", "appear",
                          "appears", "appeared"})
_NOT_ANTECEDENT = frozenset({"how", "why", "what", "whether", "if", "them", "it", "us", "me", "you", "him", "her", "(", "-", "\u2013", "\u2014", "\"", "'"})
_THAT_ADJ = frozenset({"sure", "certain", "aware", "clear", "confident"})  # "make sure that ...": a that-clause


def _anchor_phrase(t: _Toks, i: int, b: int, v: Vocab) -> bool:
    """"Since 20 February", "once a month": a subordinator opening a date or a frequency, not a clause."""
    w = t.low[i]
    if w == "since":
        return bool(_date_at(t, i + 1, b, v))
    if w == "once":
        return _once_per(t, i, b) > 0
    return False


def _once_per(t: _Toks, i: int, b: int) -> int:
    """End token of "once a week", "once every month", "once per shift" at token i, or 0."""
    low = t.low
    if i + 2 < b and low[i] == "once" and low[i + 1] in ("a", "an", "per", "every", "each") and t.fl[i + 2] & UNIT:
        return i + 3
    return 0


def _starts_clause(t: _Toks, i: int, b: int, v: Vocab) -> bool:
    """A subject (pronoun or noun phrase, maybe after a short time phrase) followed soon by a finite verb."""
    low, fl = t.low, t.fl
    while i < b and (fl[i] & ADV and not fl[i] & (PRON | DET)):
        i += 1
    if i >= b:
        return False
    k = i
    saw_np = False
    while k < b and k - i < 8:
        f = fl[k]
        if f & PRON or low[k] in v.seller_pron:
            j = k + 1
            while j < b and fl[j] & ADV and not fl[j] & AUX:
                j += 1
            return j < b and bool(fl[j] & (AUX | VERB)) and not fl[j] & (DET | PREP)
        if f & AUX:
            return saw_np and not (f & MODAL and low[k] == "may" and t.cap[k])
        if f & VERB and f & (S3 | PAST) and not f & (DET | PREP) and saw_np and not (fl[k - 1] & DET) \
                and low[k - 1] != "-":
            return True
        if low[k] in (",", ";", ":", ".", "and", "but", "or", "to") or (f & VERB and f & BASE and not saw_np
                                                                      and not (f & AMBIG and _aux_next(t, k, b))):
            return False
        if f & DET or t.cap[k] or low[k] in v.actor_phrases or low[k] in v.seller_nouns or not f & VERB:
            saw_np = True
        k += 1
    return False


def _aux_next(t: _Toks, k: int, b: int) -> bool:
    """An auxiliary follows token k (after adverbs): "staff didn't know", "staff have never seen"."""
    fl = t.fl
    j = k + 1
    while j < b and fl[j] & ADV and not fl[j] & (PRON | DET | AUX):
        j += 1
    return j < b and bool(fl[j] & AUX) and not fl[j] & (DET | PREP | PRON) and not t.cap[j]


def _coordinated_verb(t: _Toks, i: int, b: int) -> bool:
    """"... and re-sent their parcels", "... and remove bad one": a second verb sharing the subject."""
    low, fl = t.low, t.fl
    while i < b and (fl[i] & ADV and not fl[i] & (PRON | DET | AUX) or low[i] in _PREFIXES and i + 1 < b and low[i + 1] == "-"
                     or low[i] == "-"):
        i += 1
    if i >= b or not fl[i] & VERB or fl[i] & (DET | PREP | PRON):
        return False
    nf = fl[i + 1] if i + 1 < b else 0
    if fl[i] & PAST and not fl[i] & BASE:
        return bool(nf & (DET | NUM | PRON | PREP | ADV)) or i + 1 < b and low[i + 1] in _PARTICLES
    if fl[i] & (BASE | S3):
        return bool(nf & (DET | NUM | PRON)) and not nf & PREP
    return False


def _aux_predicate(t: _Toks, i: int, b: int) -> bool:
    """"... and will contact every buyer", "... and have re-sent it": a second predicate with its own auxiliary
    (and so its own time) sharing the subject."""
    fl = t.fl
    while i < b and fl[i] & ADV and not fl[i] & (PRON | DET | AUX):
        i += 1
    if i >= b or not fl[i] & (MODAL | HAVE) or fl[i] & (DET | PREP | PRON):
        return False
    j = i + 1
    while j < b and fl[j] & (ADV | NEG) and not fl[j] & (PRON | DET | AUX):
        j += 1
    if j < b and fl[j] & (BE | HAVE):
        j += 1
    return j < b and bool(fl[j] & VERB) and not fl[j] & (DET | PREP | PRON | AUX)


def _starts_predicate(t: _Toks, i: int, b: int) -> bool:
    """", never opened the queue": adverbs, then a finite verb or an auxiliary, no subject."""
    fl = t.fl
    while i < b and fl[i] & ADV and not fl[i] & (PRON | DET | AUX):
        i += 1
    return i < b and bool(fl[i] & (AUX | VERB)) and bool(fl[i] & (AUX | PAST | S3)) and not fl[i] & (DET | PREP | PRON)


def _starts_predicate_any(t: _Toks, i: int, b: int) -> bool:
    """Adverbs, then an auxiliary or any verb form (no subject): what follows a subject pronoun."""
    fl = t.fl
    while i < b and fl[i] & ADV and not fl[i] & (PRON | DET | AUX):
        i += 1
    return i < b and bool(fl[i] & (AUX | VERB)) and not fl[i] & (DET | PREP | PRON)


def _has_verb_soon(t: _Toks, i: int, b: int) -> bool:
    fl = t.fl
    for k in range(i, min(b, i + 8)):
        if fl[k] & (AUX | VERB) and not fl[k] & (DET | PREP):
            return True
        if t.low[k] in (",", ";", ":", "."):
            return False
    return False





@dataclass(slots=True)
class _Read:
    """One segment as read (a record, not a dict: built for every segment)."""

    start: int
    end: int
    actor: Actor
    actor_text: str
    verb: str | None
    time: Time
    negated: bool
    modal: str | None
    passive: bool
    agentless_passive: bool
    link: str
    agent: str
    omission: bool
    inherited: bool
    hedged: bool
    a: int
    b: int
    vg: int


@dataclass(slots=True)
class _Ctx:
    """What later clauses and list items inherit."""

    actor: Actor = _A_UNKNOWN
    actor_text: str = ""
    time: Time = _T_NONE
    leadin: bool = False  # the last sentence ended with a colon lead-in
    other: tuple[Actor, str] | None = None  # the last non-seller party named (for he/she/they)
    client_seller: bool = False  # a consultant's letter ("on behalf of", "our client"): "the client" is the seller
    third: tuple[Actor, str] | None = None  # the nearest earlier clause of a third party in this paragraph
    staff: bool = False  # the last clause with an actor had the seller's people named by a noun ("our packers")


def _read_segment(t: _Toks, seg: _Seg, v: Vocab, text: str, company: frozenset[str], ctx: _Ctx,
                  main: tuple[Actor, str, Time] | None, sentence_q: bool, anchors: list[tuple[AnchorKind, int, int, bool]],
                  item: bool, covered: frozenset[int] | set[int] = _EMPTY, sor: int = -1) -> _Read | None:
    """`sor`: the OR of the sentence's rare token flags (RARE; -1: unknown), to skip rare-cue scans."""
    low, fl = t.low, t.fl
    a, b = seg.a, seg.b
    # skip list markers, link words and leading punctuation
    i = _skip_markers(t, a, b, v) if fl[a] & MK else a
    if i < b and seg.link not in ("", "colon", "semicolon", "coord", "comma", "item", "resume") and low[i] in v.sub_phrases:
        i += len(seg.opener.split()) if seg.opener else 1
        i = _skip_markers(t, i, b, v)
    start = i
    if start >= b:
        return None
    # find the verb group (words inside a date, duration or frequency are never the verb: "going forward")
    vg = -1
    k = start
    prev_sig = -1  # last non-adverb token
    if seg.link == "time" and seg.opener in ("after", "before", "upon") and fl[start] & VERB \
            and fl[start] & (BASE | ING) and not fl[start] & (DET | PREP | PRON | AUX):
        vg = start  # "after receive the warning", "before shipping the order"
        k = b
    elif seg.link == "resume" and fl[start] & (VERB | AUX) and not fl[start] & (DET | PREP | PRON | AMBIG) \
            and not (start + 1 < b and fl[start + 1] & (VERB | AUX) and not fl[start] & AUX):
        vg = start  # the main clause resumes with its verb: "Any return that fails a check | goes to "Used" stock"
        k = b
    elif seg.link == "purpose" and seg.opener:
        # "in order to ensure ...", "to prevent mix-ups": the infinitive is the verb, its subject the main clause's
        last = seg.opener.rsplit(" ", 1)[-1]
        if last == "to":
            j = start
            while j < b and fl[j] & ADV and not fl[j] & (VERB | PRON | DET):
                j += 1
            if j < b and fl[j] & VERB and not fl[j] & (DET | PREP | PRON):
                vg = j
        elif last != "that" and start - 1 >= a and fl[start - 1] & VERB:
            vg = start = start - 1  # "to prevent this": the opener's verb is the clause's verb, inside its span
        if vg >= 0:
            k = b
    while k < b:
        f = fl[k]
        if not f & (VERB | AUX):  # the common case: a noun, determiner, number ...
            if (not f & ADV or f & (PRON | DET)) and not (low[k] == "no" and k + 1 < b and low[k + 1] == "longer"):
                prev_sig = k
            k += 1
            continue
        w = low[k]
        if k in covered and not f & AUX:
            prev_sig = k
            k += 1
            continue
        if f & AUX and not (f & MODAL and w == "may" and t.cap[k] and k > start):
            if not (w in _CLITIC_SD and (prev_sig < 0 or not fl[prev_sig] & PRON)):
                vg = k
                break
        if f & VERB and not f & (DET | PREP) and not (f & ADV and not f & (PAST | S3)) \
                and not (k > start and low[k - 1] == "-" and k - 2 >= start and low[k - 2] not in _PREFIXES) \
                and not (k + 1 < b and low[k + 1] in _POSS_S and k > start and w != "let"):
            p = prev_sig
            pf = fl[p] if p >= 0 else 0
            if p < 0 or p < start:
                # clause-initial: a past form or a base form (imperative) is the verb; an -ing form is a gerund subject
                nf = fl[k + 1] if k + 1 < b else 0
                if f & PAST and not f & BASE and not (k + 1 < b and low[k + 1] in (":", "-")) \
                        and not (k + 1 < b and not fl[k + 1] & (VERB | AUX | DET | PREP | PRON | ADV) and _aux_next(t, k + 1, b)):
                    vg = k
                    break
                if f & BASE and (nf & (DET | NUM | PRON | PREP | ADV) or k + 1 < b and low[k + 1] in _PARTICLES) \
                        and not nf & AUX:
                    vg = k
                    break
                if f & S3 and not f & AMBIG and k + 1 < b and fl[k + 1] & (DET | NUM) and not fl[k + 1] & PREP:
                    vg = k
                    break
            elif low[p] == "to":
                pass  # infinitive of a purpose phrase: not the finite verb
            elif low[p] in ("this", "that", "these", "those") and f & (PAST | S3) and not f & BASE and (p == start or fl[p - 1] & PREP == 0) \
                    and not (f & AMBIG and f & S3 and _aux_next(t, k, b)):
                vg = k  # "This happened when ...": a demonstrative subject
                break
            elif pf & (DET | POSS | NUM) or (pf & PREP) or low[p] in _NOUN_BEFORE:
                pass  # noun after a determiner or preposition
            elif f & BASE and not f & PAST and k + 2 < b and fl[k + 1] & PRON and low[k + 1] in v.seller_pron \
                    and not (pf & PRON or low[p] in v.seller_pron) \
                    and _starts_predicate_any(t, k + 2, b):
                pass  # "Heavy snow we ship late": a fronted noun phrase, then the subject
            elif pf & PRON or low[p] in v.seller_pron:
                vg = k
                break
            elif f & (PAST | S3) or (f & BASE and (_plural_like(low[p]) or k + 1 < b and fl[k + 1] & (DET | NUM | PRON))
                                      and not (k + 1 < b and low[k + 1] in (":", "-"))):
                # after a noun: "our lead audits", "the cut-off was" (aux handled above), "our staff check"
                nxt = k + 1
                if f & BASE and nxt < b and fl[nxt] & VERB and fl[nxt] & (S3 | PAST) and not fl[nxt] & DET:
                    pass  # "the shipping lead audits": a noun compound, the verb comes next
                elif f & S3 and nxt < b and (fl[nxt] & AUX or f & AMBIG and fl[nxt] & VERB
                                              and (fl[nxt] & PAST or fl[nxt] & S3 and not fl[nxt] & AMBIG)) \
                        and not fl[nxt] & (DET | PREP | ADV):
                    pass  # "all orders are": a plural noun ("the team reviews returns": "returns" may be a noun)
                elif f & AMBIG and _noun_of_subject(t, k, p, b, v):
                    pass  # "our sales staff didn't", "no private review requests:": the noun ends the subject
                elif f & ING and not f & (PAST | S3):
                    pass
                else:
                    vg = k
                    break
            elif f & ING and pf & (PRON):
                vg = k
                break
        if not (fl[k] & ADV) or fl[k] & (PRON | DET):
            prev_sig = k
        k += 1
    # subject: the noun phrase right before the verb group (after a leading adverbial)
    subj_a, subj_b = start, vg if vg >= 0 else start
    if vg > start and fl[vg - 1] & PRON and (vg - 1 == start or low[vg - 1] in v.seller_pron) and vg - 1 not in covered:
        subj_a, subj_b = vg - 1, vg  # the common case: "we removed", "I have checked"
    elif vg >= 0:
        e = vg
        while e > start and fl[e - 1] & ADV and not fl[e - 1] & (PRON | DET) and low[e - 1] not in v.actor_phrases:
            e -= 1
        s0 = e
        while s0 > start and low[s0 - 1] not in (",", ";", ":", "(", ")") and s0 - 1 not in covered and not (fl[s0 - 1] & PREP and low[s0 - 1] != "of") \
                and not fl[s0 - 1] & NUMDATE and not (fl[s0 - 1] & (MONTH | NUM | WEEKDAY) and s0 - 1 > start and fl[s0 - 2] & (NUM | MONTH | PREP)):
            s0 -= 1
            if (fl[s0] & PRON or low[s0] in v.seller_pron) and low[s0] not in ("he", "she", "they", "it"):
                break
        # a pronoun at the end of the run is the subject ("On 4 May I rang")
        for x in range(e - 1, s0 - 1, -1):
            if fl[x] & PRON or low[x] in v.seller_pron:
                if not (low[x] in ("he", "she", "they", "it") and x > s0 and not fl[x - 1] & (PREP | NUM | MONTH | PRON)
                        and any(low[y] in v.seller_nouns or low[y] in v.actor_phrases for y in range(s0, x))):
                    s0 = x  # (else "our worker he forget": the noun phrase before a resumptive pronoun)
                break
            if not fl[x] & ADV:
                break
        while s0 < e - 1 and fl[s0] & ADV and not fl[s0] & (PRON | DET | NUM | NEG) and low[s0] not in v.actor_phrases \
                and low[s0] not in v.seller_nouns and low[s0] != "-" and low[s0 + 1] != "-":
            s0 += 1  # "Maybe the courier lost it", "Additionally our team checks": the adverb is no part of the subject
        subj_a, subj_b = s0, e
    actor, actor_text = _actor(t, subj_a, subj_b, v, company, text, ctx)
    if sor & NEG and (subj_b > start and any(fl[x] & NEG and low[x] in _NEG_SUBJECT for x in range(_after_label(low, start, subj_b), subj_b))
                      or subj_b > subj_a and any(fl[x] & NEG for x in range(subj_a, subj_b))):
        subj_neg = True  # "Nobody checked", "No parcel was scanned"
    else:
        subj_neg = False
    inherited = False
    if subj_b <= subj_a or actor is None:
        if seg.prefix >= 0 and main is None:
            actor, actor_text = _A_UNKNOWN, ""
        if main is not None:
            actor, actor_text = main[0], main[1]
            inherited = True
        elif ctx.leadin or item:
            actor, actor_text = (ctx.actor, ctx.actor_text) if ctx.leadin and ctx.actor is not _A_UNKNOWN else (_A_SELLER, "")
            inherited = True
        elif vg >= 0 and fl[vg] & VERB and not fl[vg] & AUX:
            actor, actor_text = _A_SELLER, ""  # "Removed all old listings." in a letter: the seller
            inherited = True
        else:
            actor, actor_text = _A_NONE if vg < 0 else _A_UNKNOWN, ""
    # the verb group: auxiliaries, adverbs, negation, main verb
    modal = None
    negated = False
    passive = False
    omission = False
    auxes: list[str] = []
    verb = None
    vform = 0
    main_k = -1
    going = False
    tform = 0  # the form that decides time when the verb is an infinitive ("failed to update")
    inv_subject = -1
    if vg >= 0:
        if sor & NEG:
            for x in range(subj_a, vg):
                if fl[x] & NEG:
                    negated = True
        k = vg
        while k < b:
            f = fl[k]
            w = low[k]
            if auxes and inv_subject < 0 and k == vg + len(auxes) and vg == start and (f & PRON or f & DET) \
                    and not negated:
                # inversion: "Could you tell us", "Should a parcel be late", "Did the courier scan it"
                j = k + 1
                if not f & PRON:
                    while j < b and j - k < 5 and not fl[j] & (AUX | VERB) or (j < b and fl[j] & VERB and fl[j - 1] & DET):
                        j += 1
                inv_subject = k
                subj_a, subj_b = k, j
                k = j
                continue
            if f & NEG or (w == "no" and k + 1 < b and low[k + 1] == "longer"):
                negated = True
                k += 2 if w == "no" else 1
                continue
            if f & MODAL:
                modal = modal or _MODAL_NORM.get(w, w)
                auxes.append(w)
                if w in ("cannot", "wont", "cant", "shouldnt", "wouldnt", "couldnt"):
                    negated = True
                k += 1
                continue
            if f & (BE | HAVE | DO):
                auxes.append(w)
                if w.endswith("nt") and w not in ("want",):
                    negated = True
                k += 1
                continue
            if w == "to" and auxes and k + 1 < b and fl[k + 1] & (VERB | AUX):
                k += 1  # "we will to train" (learner), "have to check"
                continue
            if f & ADV and not f & (VERB | PRON | DET) or w in ("-", "re", "pre", "double", "co", "cross", "over") and k + 1 < b and low[k + 1] == "-" \
                    or (w == "-" and k > vg):
                k += 1
                continue
            if f & VERB and not f & (DET | PREP):
                verb = v._vlemma.get(w) or v._lemma.get(w, w)
                vform = f
                main_k = k
                # "we plan to retrain", "are going to", "we failed to check": the verb after "to"
                if verb in v.plan_verbs or verb in v.failure_verbs or w == "going":
                    j = k + 1
                    while j < b and fl[j] & ADV and low[j] != "to":
                        j += 1
                    if j + 1 < b and low[j] == "to" and fl[j + 1] & (VERB | AUX):
                        tform = f
                        if verb in v.failure_verbs:
                            omission = negated = True
                        elif verb == "want" and not auxes:
                            pass
                        else:
                            going = True
                        j += 1
                        while j < b and fl[j] & ADV:
                            j += 1
                        if j < b and fl[j] & (BE | HAVE) and j + 1 < b and fl[j + 1] & PAST:
                            auxes.append(low[j])
                            j += 1
                        if j < b and fl[j] & (VERB | AUX):
                            verb = v.verb_lemma(low[j])
                            vform = fl[j]
                            main_k = j
                    elif verb in v.failure_verbs and not (j < b and low[j] == "to"):
                        pass
                break
            break
        if verb is None and auxes:
            verb = {"be": "be", "have": "have", "do": "do"}.get(_aux_kind(auxes[-1], v), auxes[-1])
            if modal and auxes[-1] in v.modals:
                verb = _MODAL_NORM.get(auxes[-1], auxes[-1])
            if verb == "be" and not negated and actor in (_A_NONE, _A_UNKNOWN) and subj_b > subj_a \
                    and not v.problem_nouns.isdisjoint(low[subj_a:subj_b]):
                # "The real issue is the courier": the party is the complement
                e = k
                while e < b and (low[e] not in _COMPLEMENT_END and not fl[e] & (VERB | AUX) or fl[e] & DET
                                 or low[e] in _POSS_S):
                    e += 1
                # (not "the cause was in our upload process": a place, not a party)
                p_actor, p_text = _actor(t, k, e, v, company, text, ctx) if e > k and not fl[k] & PREP else (None, "")
                if p_actor is not None and p_actor not in (_A_NONE, _A_UNKNOWN):
                    actor, actor_text = p_actor, p_text
    if main_k >= 0 and subj_b - subj_a == 1 and fl[subj_a] & PRON and subj_a > start and not auxes:
        # "A freelancer we hired wrote the text": a relative clause without "who"; the later verb is the main one
        j = main_k + 1
        while j < b and fl[j] & ADV and not fl[j] & (DET | PRON):
            j += 1
        if j < b and fl[j] & VERB and fl[j] & (PAST | S3) and not fl[j] & (DET | PREP | BASE) \
                and fl[start] & (DET | POSS) and not any(fl[x] & (VERB | PREP | AUX) for x in range(start + 1, subj_a)):
            subj_a, subj_b, inv_subject = start, subj_a, start
            main_k, verb, vform = j, v.verb_lemma(low[j]), fl[j]
    if inherited and seg.link == "resume" and seg.prefix >= 0 and main is not None and main[2] is _T_NONE:
        inherited = False  # "The buyer [who ordered twice] returned it": the fronted noun phrase is the subject
    if inv_subject >= 0:
        actor, actor_text = _actor(t, subj_a, subj_b, v, company, text, ctx)
        if actor is None:
            actor, actor_text = _A_UNKNOWN, ""
        inherited = False
    negated = negated or subj_neg
    if auxes:
        be_aux = [x for x in auxes if x in v.be]
        have_aux = [x for x in auxes if x in v.have]
        do_aux = [x for x in auxes if x in v.do]
    else:
        be_aux = have_aux = do_aux = auxes
    if main_k >= 0 and be_aux and vform & PAST and not vform & ING:
        passive = True
        if low[main_k] not in v.participles and not vform & ED_PAST and low[main_k] in v.irregular and \
                low[main_k] != low[main_k]:
            passive = False
    if not passive and main_k >= 0 and be_aux and vform & BASE and not vform & (ING | PAST | ADJW) \
            and low[main_k - 1] in v.be and not (main_k + 1 < b and fl[main_k + 1] & (DET | NUM | PRON)
                                                and not fl[main_k + 1] & PREP):
        passive = True  # learner passive without the participle: "will be check by two people", "was remove"
    if passive and be_aux and be_aux[-1] in _CLITIC_SD:
        passive = False
    agent = ""
    if passive:
        k = main_k + 1
        while k < b and k - main_k <= 6:
            if low[k] == "by" and k + 1 < b:
                j = k + 1
                while j < b and low[j] not in (",", ";", ".", "and", "because", "when", "after", "on", "in", "so") \
                        and not fl[j] & NUMDATE and not (fl[j] & NUM and j + 1 < b and fl[j + 1] & MONTH) and j - k < 6:
                    j += 1
                cand = text[t.st[k + 1]:t.en[j - 1]] if j > k + 1 else ""
                if cand and not _date_at(t, k + 1, b, v) and low[k + 1] not in ("the", "end") or \
                        (cand and low[k + 1] == "the" and k + 2 < b and low[k + 2] != "end"):
                    agent = cand
                break
            k += 1
    agent_actor = _actor_of_text(t, agent, v, company, text, ctx) if agent else None
    if agent_actor is not None and agent_actor is not _A_NONE:
        actor, actor_text = agent_actor, agent
    # time
    tv = tform if omission and tform else vform
    if anchors:
        seg_anchor_kinds = set()
        for kind, x, y, _w in anchors:
            if x < b and y > a:
                seg_anchor_kinds.add(kind)
    else:
        seg_anchor_kinds = _NO_KINDS  # type: ignore[assignment]
    segor = _rare_or(t, a, b) if sor & (FUT | PASTC | HEDGE) else 0
    future = going or bool(segor & FUT) and _future_at(t, a, b, v)
    pastcue = bool(segor & PASTC)
    time = _T_NONE
    if vg < 0 and verb is None:
        time = _T_NONE
    elif modal in ("will", "shall") or going:
        time = _T_PLANNED
        if modal == "will" and have_aux and tv & PAST:
            time = _T_DONE  # "will have finished": by then done; treated as planned below if future
            time = _T_PLANNED
    elif modal in ("would", "could", "might", "may", "should", "must") and have_aux and main_k >= 0 and tv & (PAST | BASE):
        time = _T_DONE  # "may have slipped": a hedged past
    elif modal in ("must", "should") or (modal == "need"):
        time = _T_ONGOING
    elif modal:
        time = _T_STATE
    elif have_aux and main_k >= 0 and tv & ING and be_aux:
        time = _T_ONGOING  # "have been checking"
    elif have_aux and main_k >= 0 and tv & (PAST | BASE | S3):
        time = _T_DONE  # present perfect, also "we have check" (learner)
    elif have_aux and main_k < 0:
        time = _T_DONE if auxes[0] == "had" and pastcue else _T_STATE
    elif be_aux and main_k >= 0 and tv & ING:
        if be_aux[0] in ("was", "were"):
            time = _T_DONE
        else:
            time = _T_PLANNED if future or _AK_DEADLINE in seg_anchor_kinds else _T_ONGOING
    elif be_aux and passive:
        if be_aux[0] in ("was", "were") or be_aux[0] in ("been",):
            time = _T_DONE
        else:
            time = _T_PLANNED if future and _AK_FREQUENCY not in seg_anchor_kinds else _T_ONGOING
    elif be_aux:
        time = _T_STATE
        if main_k >= 0 and tv & BASE and main_k + 1 < b and fl[main_k + 1] & (DET | NUM | PRON) \
                and not fl[main_k + 1] & PREP:
            # learner grammar: "we was remove the items" (done), "our staffs is now check every package" (habit)
            time = _T_DONE if be_aux[0] in ("was", "were") else _T_ONGOING
    elif do_aux:
        if do_aux[0] in ("did", "didnt"):
            time = _T_DONE
        else:
            time = _T_ONGOING if main_k >= 0 and verb not in v.state_verbs else _T_STATE
    elif main_k >= 0:
        if tv & PAST and not tv & BASE:
            time = _T_DONE
        elif tv & PAST and tv & BASE:  # put, set, cut: past unless a habit cue
            time = _T_ONGOING if _AK_FREQUENCY in seg_anchor_kinds or actor_text.lower() in ("he", "she", "it") and False else (
                _T_DONE if pastcue or _AK_DATE in seg_anchor_kinds or actor_text.lower() not in ("i", "we", "they", "you") or True else _T_ONGOING)
            if _AK_FREQUENCY in seg_anchor_kinds or future:
                time = _T_ONGOING if not future else _T_PLANNED
        elif tv & ING:
            time = _T_DONE if pastcue else _T_PLANNED if future else _T_ONGOING
        else:
            if _AK_DATE in seg_anchor_kinds and any(kind is _AK_DATE and a <= x < b and low[x] == "since"
                                                    for kind, x, _y, _w in anchors):
                time = _T_ONGOING  # "Since 3 May we check every parcel": a habit that started on a date
            elif pastcue or (_AK_DATE in seg_anchor_kinds and not future and not tv & S3
                           and _AK_FREQUENCY not in seg_anchor_kinds and _AK_DEADLINE not in seg_anchor_kinds
                           and not _event_relative(low, anchors, a, b)):
                time = _T_DONE
            elif future and _AK_FREQUENCY not in seg_anchor_kinds:
                ongoing = any(kind is _AK_RELATIVE and x < b and y > a and low[x] in ("from", "going", "moving")
                              for kind, x, y, _w in anchors)
                time = _T_ONGOING if ongoing else _T_PLANNED
            elif verb in v.state_verbs:
                time = _T_STATE
            else:
                time = _T_ONGOING
    # inheritance for subjectless items: "We have done the following: removed ..." / coordinated verbs
    if inherited and main is not None and time in (_T_ONGOING, _T_NONE) and main[2] in (_T_DONE, _T_PLANNED) \
            and not (vform & ING and False):
        if vform & BASE or vform & ING or time is _T_NONE:
            # a purpose states an aim: "We retrained the team (in order) to prevent this" is no action done
            time = _T_STATE if seg.link == "purpose" and main[2] is _T_DONE else main[2]
    if inherited and main is None and ctx.leadin and ctx.time in (_T_DONE, _T_PLANNED) and time in (_T_ONGOING, _T_NONE):
        time = ctx.time
    if vg < 0 and verb is None and (item or ctx.leadin) and seg_anchor_kinds & {_AK_DATE}:
        time = _T_DONE
    if seg.link == "condition" or (vg == start and low[vg] in ("should", "had", "were") and seg.link in ("", "comma")
                                   and not sentence_q and main is None and _inverted_condition(t, vg, b)):
        time = _T_CONDITIONAL
    if sentence_q and (vg >= 0 and vg <= subj_a and fl[vg] & AUX or low[start] in _WH):
        time = _T_QUESTION
    # hedged: "may/might have lost", "could have swapped" (not "we could not reach", "we could ship": an
    # ability), "maybe", "probably" in the clause; not a date read as a modal ("May 8")
    hedged = bool(segor & HEDGE) or modal in ("may", "might") and verb != modal or modal == "could" and bool(have_aux)
    return _Read(t.st[start], t.en[b - 1], actor, actor_text, verb, time, negated, modal, passive, passive and not agent,
                 seg.link, agent, omission, inherited, hedged, a, b, vg)


_NO_KINDS: frozenset[AnchorKind] = frozenset()
_COMPLEMENT_END = {",", ";", ":", ".", "!", "?", "because", "who", "which", "that", "and", "but", "since", "as", "when"}
_NEG_SUBJECT = {"no", "nobody", "none", "neither", "nothing", "nor"}  # "No one on our team had read ..."
_NOUN_BEFORE = {"new", "old", "same", "wrong", "right", "'s", "’s"}  # "the seller's warehouse": a noun
_NO_CLAUSES = {"greeting", "closing", "heading", "quote"}
_CLITIC_SD = {"'s", "'d", "’s", "’d"}
_POSS_S = {"'s", "’s"}
_PLAIN_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it", "us", "me"}
_WEAK_STARTS = {"a", "an", "on", "this", "last", "next", "the", "for", "at", "with", "in", "when", "if", "any", "by",
                "before", "after", "until", "till", "prior", "no", "not", "latest", "due", "from", "as", "going", "moving",
                "effective", "starting", "right", "straight", "two", "few", "several", "half", "once", "upon"}
_WEAK_NEXT = {"every", "each", "any", "a", "an", "the", "new", "end", "day", "time", "soon", "now", "today", "later",
              "forward", "future", "this", "next", "immediate", "immediately", "away", "due", "once", "few",
              "same", "following", "last", "point", "late", "lately", "latest", "than", "further"}
_PARTICLES = {"up", "down", "out", "off", "back", "away", "over"}
_PREFIXES = {"re", "pre", "double", "co", "cross", "over", "under", "mis", "un", "self", "hand", "fact", "spot"}
_WH = {"why", "what", "how", "when", "where", "who", "which", "could", "can", "would", "will", "is", "are", "do", "does"}
_FUTURE_WORDS = {"tomorrow", "next", "upcoming", "henceforth", "onwards", "onward"}
_MODAL_NORM = {"'ll": "will", "’ll": "will", "wo": "will", "wont": "will", "ca": "can", "cant": "can", "cannot": "can", "sha": "shall",
               "shouldnt": "should", "wouldnt": "would", "couldnt": "could"}


def _aux_kind(w: str, v: Vocab) -> str:
    return "be" if w in v.be else "have" if w in v.have else "do" if w in v.do else w


def _noun_of_subject(t: _Toks, k: int, p: int, b: int, v: Vocab) -> bool:
    """A noun-or-verb word k after a noun p is a noun of the subject: an auxiliary follows ("our sales staff
    didn't check"), or a plural-like form before a colon follows a noun that is no party ("No private review
    requests:")."""
    low, fl = t.low, t.fl
    j = k + 1
    while j < b and fl[j] & ADV and not fl[j] & (PRON | DET | AUX):
        j += 1
    if j < b and fl[j] & AUX and not fl[j] & (DET | PREP | PRON) and fl[k] & (BASE | S3) and not t.cap[j]:
        return True
    if j > k + 1 and j < b and fl[j] & VERB and not fl[j] & (BASE | DET | PREP | PRON) \
            and (fl[j] & PAST or fl[j] & S3 and not fl[j] & AMBIG):
        return True  # "our sales staff never checked": an adverb, then a clear finite verb
    colon = low[j] == ":" if j < b else b < len(low) and low[b] == ":"
    if colon and fl[k] & S3 and not fl[p] & (AUX | PRON) and not (fl[p] & PAST and not fl[p] & BASE):
        return low[p] not in v.seller_nouns and low[p] not in v.actor_phrases
    return False


_EVENT_RELATIVE = frozenset({"same", "following", "after"})


def _event_relative(low: list[str], anchors: list[tuple[AnchorKind, int, int, bool]], a: int, b: int) -> bool:
    """Every date in [a, b) is relative to an event ("the same day", "the following morning"): with a present
    verb a habit ("I upload the number the same day"), not a dated action."""
    seen = False
    for kind, x, y, _w in anchors:
        if kind is _AK_DATE and x < b and y > a:
            if _EVENT_RELATIVE.isdisjoint(low[x:y]):
                return False
            seen = True
    return seen


def _after_label(low: list[str], a: int, b: int) -> int:
    """The first token after the last colon in [a, b): a merged label ("No private review requests: we ...")
    negates nothing after it."""
    for x in range(b - 1, a - 1, -1):
        if low[x] == ":":
            return x + 1
    return a


def _plural_like(w: str) -> bool:
    return w.endswith("s") or w in ("staff", "team", "we", "people", "personnel", "crew")


def _inverted_condition(t: _Toks, vg: int, b: int) -> bool:
    """"Should a buyer complain, ...": a modal or auxiliary first, then a subject."""
    return vg + 1 < b and bool(t.fl[vg + 1] & (DET | PRON | POSS))


def _actor_of_text(t: _Toks, agent: str, v: Vocab, company: frozenset[str], text: str, ctx: _Ctx) -> Actor | None:
    """The party of a passive's "by <agent>" (a short phrase: classified from its words)."""
    words = [w.strip(".,;:").lower() if w != "US" else "u.s." for w in agent.split()]  # "by US patent 11,482,906"
    if any(w in v.seller_pron or w in company for w in words):
        return _A_SELLER
    for i, w in enumerate(words):
        for tp, actor in v.actor_phrases.get(w, ()):
            if tuple(words[i:i + len(tp)]) == tp:
                return _A_SELLER if actor is _A_BUYER and _buyer_is_seller(words, i, v, ctx) else actor
    if any(w in v.seller_nouns for w in words):
        return _A_THIRD if any(w in v.outside for w in words) else _A_SELLER
    return _A_NONE


def _buyer_is_seller(words: Sequence[str], at: int, v: Vocab, ctx: _Ctx) -> bool:
    """A buyer word at `at` that names the seller's side: "our customer service lead" (a role in the seller's
    team, named after its work: the head is a seller noun, no "'s" between), or "the client" in a consultant's
    letter."""
    if words[-1] in v.seller_nouns and at < len(words) - 1 and _POSS_S.isdisjoint(words[at:]):
        return True
    return ctx.client_seller and ("client" in words[at:at + 2] or "clients" in words[at:at + 2])


def _actor(t: _Toks, a: int, b: int, v: Vocab, company: frozenset[str], text: str, ctx: _Ctx) -> tuple[Actor | None, str]:
    if b <= a:
        return None, ""
    low = t.low
    if b - a == 1 and low[a] in v.seller_pron:
        return _A_SELLER, text[t.st[a]:t.en[a]]  # the common case: "we", "I"
    words = low[a:b]
    phrase = text[t.st[a]:t.en[b - 1]]
    # drop leading determiners for lookups, but remember possession
    poss = next((w for w in words if w in _POSS), None) if not _POSS.isdisjoint(words) else None
    if not v.seller_pron.isdisjoint(words) and any(
            w in v.seller_pron and not (w == "us" and text[t.st[x]:t.en[x]] == "US") for x, w in enumerate(words, a)):
        return _A_SELLER, phrase  # (not "US patent 11,482,906")
    if company and not company.isdisjoint(words):
        return _A_SELLER, phrase
    outside = not v.outside.isdisjoint(words)
    # multi-word / single-word party phrases, longest first; the last party named in the NP wins ("our supplier's driver")
    found: tuple[Actor, int] | None = None
    i = 0 if not v.actor_firsts.isdisjoint(words) else len(words)
    while i < len(words):
        for tp, actor in v.actor_phrases.get(words[i], ()):
            n = len(tp)
            if tuple(words[i:i + n]) == tp:
                found = (actor, i)
                i += n - 1
                break
        i += 1
    head = words[-1]
    if found is not None:
        actor, at = found
        if actor is _A_AMAZON and poss == "our" and words[at] == "team":
            actor = _A_SELLER
        if actor is _A_SELLER and outside:
            actor = _A_THIRD
        if actor is _A_BUYER and words[at] == "the" and poss == "our":
            actor = _A_SELLER
        if actor is _A_BUYER and not outside and _buyer_is_seller(words, at, v, ctx):
            actor = _A_SELLER
        # "our team" beats "the client"; a seller noun as head after a party word ("courier's driver") keeps the party
        if actor is _A_AMAZON and words[at] in ("you",) and len(words) > 1:
            pass
        return actor, phrase
    if not v.seller_nouns.isdisjoint(words):
        if outside:
            return _A_THIRD, phrase
        if poss in ("our", "my") or words[0] in ("the", "our", "my") or t.cap[a]:
            return _A_SELLER, phrase
        return _A_SELLER, phrase
    if head in ("he", "she", "they", "him", "them"):
        if ctx.third is not None and not ctx.staff and b - a == 1 and head in ("he", "she", "they"):
            return ctx.third[0], phrase  # "The courier lost two parcels. | We called them, and they said ..."
        if ctx.other is not None:
            return ctx.other[0], phrase
        return _A_UNKNOWN, phrase
    if head in ("you",) or words == ["you"]:
        return _A_AMAZON, phrase
    if words[0] in v.things or poss is not None or words[0] in _DETS:
        return _A_NONE, phrase
    if head in ("nobody", "no one", "noone", "none"):
        return _A_UNKNOWN, phrase
    if all(t.cap[x] for x in range(a, b)) and len(words) <= 3:
        return _A_UNKNOWN, phrase  # a bare name: "Maria packed the order"
    return _A_NONE, phrase


def clauses_by_sentence(doc: Doc, sentences: Sequence[Any] | None = None, blocks: Sequence[Any] | None = None,
                        vocab: Vocab | None = None, text: str | None = None) -> tuple[tuple[Clause, ...], ...]:
    """Clauses of every sentence (`sentences`: objects with token `start`/`end`, and `block` when
    `blocks` is given; None: the whole Doc as one sentence). Items of a list after a colon lead-in
    inherit its actor and time."""
    v = vocab or load_vocab()
    if text is None:
        text = doc.text  # NOTE: spaCy rebuilds the text from every token; callers holding it pass `text`
    t = _Toks(doc, v)
    lowtext = text.lower()
    company = learn_company(text, v, t, lowtext)
    if sentences is None:

        sentences = split_sentences(doc, [Block("paragraph", 0, len(text), 1)]) if len(doc) else []
    spans = [(s.start, s.end, getattr(s, "block", None)) for s in sentences]
    kinds = [getattr(x, "kind", "") for x in blocks] if blocks is not None else []
    nk = len(kinds)
    ctx = _Ctx(client_seller="client" in lowtext and any(c in lowtext for c in v.consultant_cues))
    out: list[tuple[Clause, ...]] = []
    prev_block = None
    for si, (ds, de, block) in enumerate(spans):
        a, b = t.first[ds], t.first[de]
        if b <= a:
            out.append(())
            continue
        kind = kinds[block] if block is not None and 0 <= block < nk else ""
        item = kind == "item"
        if kind and not item and block != prev_block and kind != "heading":
            ctx.leadin = False
        if block != prev_block:
            ctx.third, ctx.staff = None, False  # he / she / they look back within the paragraph (or list item)
        prev_block = block
        if kind in _NO_CLAUSES or kind == "signature" and not any(f & VB for f in t.fl[a:b]):
            out.append(())  # (a short letter's last paragraph may pass for a signature: read it when it has a verb)
            continue
        if t.low[a] in _MARKERS or (t.fl[a] & NUM and a + 1 < b and t.low[a + 1] in (")", ".")):
            item = True
        out.append(_read_sentence(t, a, b, si, v, text, company, ctx, item))
    return tuple(out)


def _covered(anchors: list[tuple[AnchorKind, int, int, bool]]) -> frozenset[int] | set[int]:
    """Tokens inside a date, duration, frequency or relative anchor (never the verb)."""
    if not anchors:
        return _EMPTY
    got: set[int] = set()
    for kind, x0, x1, _w in anchors:
        if kind is not _AK_TRIGGER:
            got.update(range(x0, x1))
    return got  # type: ignore[return-value]


def _read_sentence(t: _Toks, a: int, b: int, si: int, v: Vocab, text: str, company: frozenset[str], ctx: _Ctx,
                   item: bool) -> tuple[Clause, ...]:
    low = t.low
    anchors = _anchors(t, a, b, v, text)
    segs = _split(t, a, b, v)
    sor = _rare_or(t, a, b)
    covered = _covered(anchors)
    question = low[b - 1] == "?" or (b - 2 >= a and low[b - 2] == "?")
    read: list[_Read] = []
    main: tuple[Actor, str, Time] | None = None
    pending: int = -1
    for n, seg in enumerate(segs):
        if pending >= 0:
            seg.prefix = pending
        host = main
        if seg.link == "relative" and seg.opener in ("who", "whom", "that", "which", "whose") and seg.a > a:
            e = seg.a
            s0 = e
            while s0 > a and not (t.fl[s0 - 1] & (VERB | AUX | PREP) and not t.fl[s0 - 1] & DET
                                  and not (s0 == e and _noun_after_det(t, s0 - 1, a))) \
                    and low[s0 - 1] not in (",", ";", ":", "(") and e - s0 < 6:
                s0 -= 1
            ante = _actor(t, s0, e, v, company, text, ctx) if e > s0 else (None, "")
            if ante[0] is not None:
                host = (ante[0], ante[1], main[2] if main else _T_NONE)
        r = _read_segment(t, seg, v, text, company, ctx, host, question, anchors, item, covered, sor)
        if r is None:
            continue
        if r.verb is None and r.vg < 0:
            # a verbless fragment: a label ("3 May:"), a subject before a relative clause, a lead-in
            if n + 1 < len(segs) and seg.link in ("", "comma", "colon", "semicolon", "item"):
                nxt = segs[n + 1]
                if nxt.link in ("relative",):
                    pending = seg.a
                    # the subject waits for the clause after the relative clause
                    frag_actor = _actor(t, _skip_markers(t, seg.a, seg.b, v), seg.b, v, company, text, ctx)
                    if frag_actor[0] is not None:
                        main = (frag_actor[0], frag_actor[1], _T_NONE)
                    continue
                if low[seg.b] == ":" if seg.b < len(low) else False:
                    nxt.a = seg.a if nxt.link == "colon" and not _is_leadin_words(t, seg.a, seg.b, v) else nxt.a
                    if nxt.a == seg.a:
                        nxt.link = "item" if read == [] else nxt.link
                        continue
            read.append(r)
            continue
        if r.link == "that" and read and not r.hedged:
            for q in reversed(read):
                if q.verb is not None:
                    if q.verb in v.hedge_verbs and q.b <= r.a + 1:
                        r.hedged = True  # "we believe | the buyer opened it", "it seems | the supplier sent ..."
                    break
        read.append(r)
        # he / she / they later on: the last party named by a noun phrase ("our compliance lead", "the courier")
        if r.actor not in (_A_NONE, _A_UNKNOWN) and r.actor_text and not r.inherited \
                and r.actor_text.lower() not in _PLAIN_PRONOUNS:
            ctx.other = (r.actor, r.actor_text)
        if r.actor is not _A_NONE and not r.inherited:
            low_actor = r.actor_text.lower()
            if r.actor is _A_UNKNOWN:
                # a bare name ("Anika Rao releases the batch when she ...") may be anyone's: he / she read as before
                ctx.staff = ctx.staff or low_actor not in _PLAIN_PRONOUNS and low_actor not in ("", "nobody", "no one")
            elif r.actor is _A_SELLER:
                ctx.staff = low_actor not in v.seller_pron and low_actor != "" or low_actor in ("he", "she", "they") \
                    and ctx.staff
            else:
                ctx.staff = False
                if low_actor not in ("you", "your", "it", ""):
                    ctx.third = (r.actor, r.actor_text)
        if seg.link in ("", "coord", "comma", "semicolon", "colon", "result") and not r.inherited or main is None:
            if r.actor not in (_A_NONE,) or main is None:
                main = (r.actor, r.actor_text, r.time)
        elif main is not None and r.link in ("", "colon", "comma") and main[2] is _T_NONE:
            main = (main[0], main[1], r.time)
    if len(read) > 1 and read[0].link == "time" and read[0].inherited and read[0].vg >= 0 \
            and segs[0].opener in ("after", "before", "upon"):
        _fronted_time(t, read, anchors, v)
    # attach anchors: each anchor to the clause holding it; a trigger or time clause also to its host
    clauses: list[Clause] = []
    tok_ranges = [(r.a, r.b) for r in read]
    per: list[list[Anchor]] = [[] for _ in read]
    for kind, x, y, weak in anchors:
        anc = _anchor(kind, t.st[x], t.en[y - 1], text[t.st[x]:t.en[y - 1]], weak)
        own_k = -1
        for k, (ra, rb) in enumerate(tok_ranges):
            if ra <= x < rb:
                own_k = k
                break
        if own_k < 0:
            if not read:
                continue
            own_k = 0
        per[own_k].append(anc)
        if read[own_k].link in ("time", "condition") and kind is _AK_TRIGGER or \
                read[own_k].verb is None and read[own_k].vg < 0:
            host_k = _host(read, own_k, read[own_k].verb is None and _line_start(t, text, read[own_k].a))
            if host_k is not None and host_k != own_k:
                per[host_k].append(anc)
    for k, r in enumerate(read):
        if r.verb is None and r.vg < 0 and len(read) > 1:
            # a verbless fragment ("due to a storm", "3 May:") widens the clause next to it (its anchors went to
            # the clause it modifies above): clauses never overlap
            host_k = _neighbour(read, k, _line_start(t, text, r.a))
            if host_k is not None:
                read[host_k].start = min(read[host_k].start, r.start)
                read[host_k].end = max(read[host_k].end, r.end)
    for k, r in enumerate(read):
        if r.verb is None and r.vg < 0 and len(read) > 1:
            continue  # merged above; its anchors went to its host
        clauses.append(_clause(r.start, r.end, si, r.actor, r.actor_text, r.verb, r.time, r.negated,
                              r.modal, r.passive, r.agentless_passive,
                              _uniq(per[k]), r.link, r.agent, r.omission,
                              r.inherited, r.hedged))
    # context for the next sentences
    ended_colon = low[b - 1] == ":"
    first = next((c for c in clauses if c.verb is not None), None) if ended_colon else None
    if first is not None:
        ctx.leadin = True
        ctx.actor, ctx.actor_text, ctx.time = first.actor, first.actor_text, first.time
    elif ended_colon:
        ctx.leadin = ctx.leadin  # a heading label: keep
    elif not item:
        ctx.leadin = False

    return tuple(clauses)


_DEFINITE = frozenset({"the", "this", "that", "your", "amazon's", "amazon’s", "these"})


def _fronted_time(t: _Toks, read: list[_Read], anchors: list[tuple[AnchorKind, int, int, bool]], v: Vocab) -> None:
    """A fronted verb phrase ("After receiving the warning, we stopped selling") shares its main clause's
    time; a one-off event in it ("after receive the warning": a definite object that is no routine event like
    an order or a parcel) makes a second-language present main clause a done action ("we stop selling
    immediately"), unless the sentence has a frequency or a trigger (a habit)."""
    r0 = read[0]
    m = next((r for r in read[1:] if r.link in ("", "comma") and r.verb is not None), None)
    if m is None:
        return
    low, fl = t.low, t.fl
    j = r0.vg + 1
    one_off = j < r0.b and low[j] in _DEFINITE and all(low[x] not in v.event_nouns for x in range(j + 1, r0.b)) \
        and not any(kind is _AK_FREQUENCY or kind is _AK_TRIGGER for kind, _x, _y, _w in anchors) \
        and low[r0.a] == "after"
    if one_off and m.time is _T_ONGOING and m.actor is _A_SELLER and not m.modal and not m.negated \
            and m.vg >= 0 and fl[m.vg] & (BASE | ING) and not fl[m.vg] & (S3 | AUX):
        m.time = _T_DONE
    if m.time in (_T_DONE, _T_PLANNED) and r0.time is _T_ONGOING:
        r0.time = m.time
    if m.actor is not _A_UNKNOWN:
        r0.actor, r0.actor_text = m.actor, m.actor_text


def _skip_markers(t: _Toks, a: int, b: int, v: Vocab) -> int:
    """Past list markers: "-", "•", "1)", "a.", "(c)", "iv.", "2、", "|"."""
    low, fl = t.low, t.fl
    while a < b and fl[a] & MK:
        if low[a] in _MARKERS or fl[a] & MARK:
            a += 1
        elif a + 1 < b and low[a + 1] in (")", ".", ",") and (fl[a] & NUM or len(low[a]) == 1 and low[a].isalpha()
                                                         or low[a] in _ROMAN_CJK):
            a += 2
        elif low[a] in _ROMAN_CJK and len(low[a]) == 1 and not low[a].isascii():
            a += 1
        else:
            break
    return a


def _is_leadin_words(t: _Toks, a: int, b: int, v: Vocab) -> bool:
    return any(w in v.leadins for w in t.low[a:b])


def _uniq(anchors: list[Anchor]) -> tuple[Anchor, ...]:
    if len(anchors) < 2:
        return tuple(anchors)
    seen: dict[tuple[int, int, AnchorKind], Anchor] = {}
    for x in anchors:
        seen.setdefault((x.start, x.end, x.kind), x)
    return tuple(sorted(seen.values(), key=lambda x: x.start))


def _line_start(t: _Toks, text: str, k: int) -> bool:
    """Token k (or the table bar or bullet just before it) opens a line: "| 4 May | Refunded ..."."""
    if k > 0 and t.fl[k - 1] & MK:
        k -= 1
    return k == 0 or "\n" in text[t.en[k - 1]:t.st[k]]


def _neighbour(read: list[_Read], k: int, forward: bool) -> int | None:
    """The nearest clause with a verb before fragment k (after it when `forward` or none before)."""
    if not forward:
        for j in range(k - 1, -1, -1):
            if read[j].verb is not None or read[j].vg >= 0:
                return j
    for j in range(k + 1, len(read)):
        if read[j].verb is not None or read[j].vg >= 0:
            return j
    return None


def _host(read: list[_Read], k: int, forward: bool = False) -> int | None:
    """The main clause a subordinate clause or verbless fragment belongs to (`forward`: the next one first,
    for a label opening a line: "| 4 May | Refunded ...", "3 May: removed ...")."""
    if forward:
        for j in range(k + 1, len(read)):
            if read[j].verb is not None:
                return j
    for j in range(k - 1, -1, -1):
        if read[j].link in ("", "coord", "comma", "colon", "semicolon", "item") and read[j].verb is not None:
            return j
    for j in range(k + 1, len(read)):
        if read[j].verb is not None:
            return j
    return None


def read_clauses(doc: Doc, sentences: Sequence[Any] | None = None, blocks: Sequence[Any] | None = None,
                 vocab: Vocab | None = None, text: str | None = None) -> tuple[Clause, ...]:
    """Every clause of the Doc, in text order (see `clauses_by_sentence`)."""
    return tuple(itertools.chain.from_iterable(clauses_by_sentence(doc, sentences, blocks, vocab, text)))


def document_clauses(document: Any) -> tuple[tuple[Clause, ...], ...]:
    """Clauses per sentence of a poalint Document, memoized in `document.memo.clauses`."""
    got = document.memo.clauses
    if got is None:
        got = document.memo.clauses = clauses_by_sentence(document.doc, document.sentences, document.blocks,
                                                          text=document.text)
    return got  # type: ignore[no-any-return]


def read_text(text: str) -> tuple[Clause, ...]:
    """Convenience for tests and exploration: one paragraph's clauses with poalint's own sentence splitter."""
    from poalint.nlp import get_nlp

    doc = get_nlp()(text)
    blocks = _blocks_of(text)
    return read_clauses(doc, split_sentences(doc, blocks), blocks)


def _blocks_of(text: str) -> list[Any]:

    return parse_blocks(text, HeadingVocab({}, (), ()))


# --------------------------------------------------------------------------------------------
# helpers for the rules

def seller_done(clauses: Iterable[Clause], agentless: bool = False) -> list[Clause]:
    """Actions the seller's side has taken (affirmative, past or perfect). With `agentless`, also
    agentless passives of actions ("the cut-off was moved to 2 pm"): in a corrective part they are
    the seller's, elsewhere they may hide who acted."""
    return [c for c in clauses if c.time is _T_DONE and not c.negated and c.verb not in (None, "be", "have")
            and (c.actor is _A_SELLER or agentless and c.agentless_passive and c.actor in (_A_NONE, _A_UNKNOWN))]


def seller_planned(clauses: Iterable[Clause]) -> list[Clause]:
    return [c for c in clauses if c.actor is _A_SELLER and c.time is _T_PLANNED and not c.negated]


def is_commitment(c: Clause) -> bool:
    """A planned or habitual action of the seller's side, or a standing policy ("all orders are now checked")."""
    if c.time in (_T_PLANNED, _T_ONGOING) and c.actor is _A_SELLER and c.verb not in (None, "be", "have"):
        return not c.negated or c.verb in ("ship", "sell", "list", "accept", "use", "allow", "buy", "source")
    if c.time is _T_ONGOING and c.passive and c.actor in (_A_NONE, _A_UNKNOWN, _A_SELLER):
        return True  # a policy: "every parcel is weighed before dispatch"
    return bool(c.time is _T_ONGOING and c.actor is _A_SELLER and c.modal in ("must", "should"))


_FAULT_CACHE: dict[str, bool] = {}


def blames_other(c: Clause, vocab: Vocab | None = None) -> bool:
    """A party other than the seller did something wrong: a fault verb, not negated, in a report of the past,
    not an admission ("we failed to") nor a habitual service fact ("the courier collects at 4 pm")."""
    v = vocab or load_vocab()
    if c.actor in (_A_SELLER, _A_NONE, _A_UNKNOWN) or c.verb is None:
        return False
    if c.link in ("condition", "purpose") or c.time in (_T_CONDITIONAL, _T_QUESTION, _T_PLANNED):
        return False
    if c.omission:
        return True  # "the courier failed to scan"
    if c.negated:
        return c.time is _T_DONE and c.verb not in ("be", "have")  # "the supplier did not send invoices"
    return c.verb in v.fault_verbs and c.time is _T_DONE


def is_cause_statement(c: Clause, text: str, vocab: Vocab | None = None) -> bool:
    """A clause that gives a cause: "because ...", "due to", "the reason was", "caused by", "this happened when",
    "root cause", "we failed to", "our X did not"."""
    v = vocab or load_vocab()
    if c.link == "cause":
        return True
    if c.omission and c.time is _T_DONE:
        return True
    if c.actor is _A_SELLER and c.negated and c.time is _T_DONE and c.verb not in ("be",):
        return True
    low = text[c.start:c.end].lower()
    if c.verb in v.cause_verbs and c.time is _T_DONE:
        return True
    for first, tuples in v.cause_openers.items():
        if first in low:
            for tp in tuples:
                if " ".join(tp).replace(" - ", "-") in low:
                    return True
    return False
