"""uncovered-request: every item the notice asks the letter to explain must get an answer.

An item asks for one or more kinds of answer, told by its words (`options.asks` of the rule):
a part of the letter (root cause, actions, prevention), a time frame, documents, contact
details. Its remaining content words ("late deliveries", "carrier services") must show up
too, directly, through a synonym group (`options.synonyms`: "carrier" ~ UPS, DHL ...), or
through a theme of the reason pack that both the item and the letter match.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from poalint.checks.evidence import evidence_spans
from poalint.clauses import load_vocab
from poalint.context import Context, Hit, check_options, option
from poalint.document import Memo
from poalint.model import Rule
from poalint.notice import IDS


def _lemma_text(tokens: Any) -> str:
    return " " + " ".join(t.lemma_ for t in tokens if not t.is_punct and not t.is_space) + " "


def _word_text(tokens: Any) -> str:
    return " " + " ".join(t.lower_ for t in tokens if not t.is_punct and not t.is_space) + " "


class _Vocab:
    """The rule's options, lemmatised once per letter (small lists: cheaper than a cache with state)."""

    def __init__(self, options: UncoveredRequestOptions) -> None:
        from poalint.nlp import get_nlp

        nlp = get_nlp()

        def norm(phrases: Sequence[str]) -> list[str]:
            return [_lemma_text(d).strip() for d in nlp.pipe([p.lower() for p in phrases])]

        self.nlp = nlp
        self.asks = {kind: norm(words) for kind, words in (options.asks or {}).items()}
        self.generic = set(norm(options.generic))
        self.groups = [sorted(set(norm(g)) | set(w.lower() for w in g), key=len, reverse=True)
                       for g in options.synonyms or []]
        self.time = [re.compile(r, re.I) for r in options.time_regex]
        self.time_concept = str(options.time_concept or "")
        self.plan = [re.compile(r, re.I) for r in options.plan_regex]
        self.contact = [re.compile(r, re.I) for r in options.contact_regex]
        self.evidence_concept = str(options.evidence_concept or "evidence_documents")
        # "Buyers are not receiving their orders": a negated verb keeps its polarity, answered only by
        # one of its negative paraphrases ("never arrived", "lost", "undelivered")
        self.negated = [(set(norm(e.verbs)), set(norm(e.objects)),
                         sorted(set(norm(e.answers)) | {w.lower() for w in e.answers}, key=len, reverse=True))
                        for e in options.negated]
        self.negators = load_vocab().negators  # the clause reader's own ("not", "never", "n't", "no" ...)


def _keys(text: str) -> list[str]:
    """Key content of an item: ids the letter must name exactly (an ASIN, an order id)."""
    return list(dict.fromkeys(IDS.findall(text)))


def _negated(item: Any, vocab: _Vocab) -> list[list[str]]:
    """Negative paraphrase lists of the item's negated verbs ("not receiving" -> never arrived, lost ...)."""
    out: list[list[str]] = []
    toks = [t for t in item if not t.is_punct]
    for i, t in enumerate(toks):
        if t.lower_ not in vocab.negators:
            continue
        for j, nxt in enumerate(toks[i + 1:i + 4], start=i + 1):
            for verbs, objects, answers in vocab.negated:
                # the verb and its object ("not receiving their orders"; not "... timely responses")
                if nxt.lemma_ in verbs and (not objects or any(o.lemma_ in objects for o in toks[j + 1:j + 4])):
                    out.append(answers)
    return out


def _terms(item: Any, vocab: _Vocab) -> tuple[set[str], list[list[str]]]:
    """(asked kinds, content terms) of an item; each term is a list of alternative lemma strings."""
    lemmas = _lemma_text(item)
    asked = {kind for kind, cues in vocab.asks.items() if any(f" {c} " in lemmas for c in cues)}
    rest = lemmas
    for cues in vocab.asks.values():
        for c in sorted(cues, key=len, reverse=True):
            rest = rest.replace(f" {c} ", " ")
    terms: list[list[str]] = []
    for group in vocab.groups:
        hit = next((w for w in group if f" {w} " in rest), None)
        if hit is not None:
            terms.append(group)
            for w in group:
                rest = rest.replace(f" {w} ", " ")
    stop = {t.lemma_ for t in item if t.is_stop}
    for word in rest.split():
        if len(word) > 2 and word.isalnum() and word not in vocab.generic and word not in stop and not word.isdigit():
            terms.append([word])
    return asked, terms


def _found(term: list[str], lemmas: str, words: str) -> bool:
    return any(f" {w} " in lemmas or f" {w} " in words for w in term)


def _themes(ctx: Context, item: Any) -> set[str]:
    """Pack themes the item's own text matches."""
    pack = ctx.pack
    if pack is None:
        return set()
    fake = SimpleNamespace(doc=item, text=item.text, memo=Memo())
    return {t.name for group in pack.themes.values() for t in group if ctx.matchers.find(t.match, fake)}  # type: ignore[arg-type]


def _dated(ctx: Context, vocab: _Vocab, sentences: list[tuple[Any, str, str, str]]) -> bool:
    """A date, duration or frequency in the plan: the preventive part, or forward-looking sentences when the
    section finder found none (dated past actions alone do not make a plan with a time frame)."""
    doc = ctx.document
    chosen = [s for s, *_ in sentences if s.part == "preventive"] or [
        s for s, raw, *_ in sentences if any(rx.search(raw) for rx in vocab.plan)]
    if vocab.time_concept in ctx.ruleset.concepts:  # the shared vocabulary of the timeline rules
        spans = ctx.matchers.concept(vocab.time_concept, doc)
        return any(lo <= a < hi for a, _b in spans for lo, hi in (doc.char_span(s) for s in chosen))
    return any(rx.search(doc.sentence_text(s)) for rx in vocab.time for s in chosen)


def _most(terms: list[list[str]], sentences: list[tuple[Any, str, str, str]], least: int = 1) -> bool:
    """One sentence holds at least half of the item's content terms (and at least `least` of them)."""
    need = max(least, math.ceil(len(terms) / 2))
    return any(sum(_found(t, lem, wd) for t in terms) >= need for _s, _r, lem, wd in sentences)


def _covered(ctx: Context, vocab: _Vocab, text: str, sentences: list[tuple[Any, str, str, str]]) -> bool:
    item = vocab.nlp(re.sub(r"\((?:e?s)\)", "s", text))  # "cause(s)" -> "causes"
    asked, terms = _terms(item, vocab)
    doc = ctx.document
    keys = _keys(text)
    if keys and not all(k.upper() in doc.text.upper() for k in keys):
        return False  # the item names an ASIN or an order the letter never mentions
    negated = _negated(item, vocab)
    if negated and not any(_found(n, lem, wd) for n in negated for _s, _r, lem, wd in sentences):
        return False  # a sub-issue keeps its polarity: "not receiving" is not answered by "received"
    parts_asked = [p for p in ("root_cause", "corrective", "preventive") if p in asked]
    for part in ("root_cause", "corrective", "preventive"):
        if part not in asked or any(s.part == part for s, *_ in sentences) or any(
                b.kind == "heading" and b.part == part for b in doc.blocks):
            continue
        if part == "preventive" and "timeframe" in asked:
            continue  # a dated plan answers it wherever the section finder put it
        if not (len(terms) >= 2 and _most(terms, sentences, 2)):  # no such part, but the item's content is there
            return False
    if "timeframe" in asked and not _dated(ctx, vocab, sentences):
        return False
    if "contact" in asked and not any(rx.search(doc.text) for rx in vocab.contact):
        return False
    if "evidence" in asked:
        spans = evidence_spans(ctx)[0] if ctx.pack is not None and ctx.pack.evidence is not None else []
        spans += ctx.matchers.concept(vocab.evidence_concept, doc)
        # the very kind of evidence the item names counts too: "Six-side photos of both products" answers
        # "Photos of all 6 sides of the product" though a photo is not one of the pack's documents
        named = [c for c in vocab.asks.get("evidence", []) if f" {c} " in _lemma_text(item)]
        docs = [(lem, wd) for s, _raw, lem, wd in sentences
                if any(lo <= a < hi for a, _b in spans for lo, hi in [doc.char_span(s)])
                or any(f" {c} " in lem for c in named)]
        return bool(docs) and (not terms or any(_found(t, lem, wd) for t in terms for lem, wd in docs))
    if not terms or keys or negated:
        return True
    if parts_asked and not {"evidence", "contact"} & asked and all(
            any(s.part == p for s, *_ in sentences) for p in parts_asked):
        # one of Amazon's standard questions ("the root cause of the late deliveries", "steps to prevent
        # comparable incidents"): the part that answers it is there; qualifiers and the reason's own name
        # need not be repeated (how well it answers is for the part and vague-* rules)
        return True
    pack = ctx.pack
    shared = _themes(ctx, item)
    # NOTE: every theme the item touches must be in the letter: "carrier services for One-Day orders" is
    # about service levels and carriers, and a letter that only mentions late deliveries answers neither.
    if pack is not None and shared and all(
            ctx.matchers.find(t.match, doc) for group in pack.themes.values() for t in group if t.name in shared):
        return True
    return _most(terms, sentences)


@dataclass(frozen=True)
class UncoveredRequestOptions:
    asks: Any = option(None, "any")  # {kind of answer: [words that ask for it]}
    generic: tuple[str, ...] = option((), "words")
    synonyms: Any = option(None, "any")  # [[word, synonym ...], ...]
    time_regex: tuple[str, ...] = option((), "regexes")
    time_concept: str | None = option(None, "concept")
    plan_regex: tuple[str, ...] = option((), "regexes")
    contact_regex: tuple[str, ...] = option((), "regexes")
    evidence_concept: str = option("evidence_documents", "concept")
    # a negated verb (+ its objects) in an item and the negative paraphrases that answer it
    negated: tuple[NegatedVerb, ...] = option((), "any")

    def __post_init__(self) -> None:
        if isinstance(self.negated, list):  # as read from YAML: a list of {verbs, objects, answers}
            object.__setattr__(self, "negated", tuple(_negated_verb(e) for e in self.negated))

    def invalid(self) -> str | None:
        if not isinstance(self.negated, tuple):
            return "negated: must be a list of {verbs: [...], objects: [...], answers: [...]}"
        for i, e in enumerate(self.negated):
            if not isinstance(e, NegatedVerb):
                return f"negated.{i}: must be a mapping with verbs, answers (lists of words) and optional objects"
        return None


@dataclass(frozen=True)
class NegatedVerb:
    """One `negated:` entry: "not receiving (their orders)" is answered only by "never arrived", "lost" ..."""

    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    answers: tuple[str, ...]


def _negated_verb(entry: Any) -> Any:
    """A NegatedVerb from its YAML mapping, or the entry as it is (reported by `invalid`)."""
    def words(key: str, required: bool) -> tuple[str, ...] | None:
        v = entry.get(key)
        if v is None:
            return None if required else ()
        if not isinstance(v, list) or not v or not all(isinstance(w, str) and w.strip() for w in v):
            return None
        return tuple(v)

    if not isinstance(entry, dict) or set(entry) - {"verbs", "objects", "answers"}:
        return entry
    verbs, objects, answers = words("verbs", True), words("objects", False), words("answers", True)
    if verbs is None or objects is None or answers is None:
        return entry
    return NegatedVerb(verbs, objects, answers)


def uncovered_request(rule: Rule, ctx: Context) -> Iterator[Hit]:
    notice = ctx.notice
    if notice is None or not notice.items:
        return
    doc = ctx.document
    body = ctx.sentences(("body",))
    if not body:
        return
    vocab = _Vocab(check_options(rule, UncoveredRequestOptions))
    sentences = [(s, doc.sentence_text(s), _lemma_text(s.span(doc.doc)), _word_text(s.span(doc.doc))) for s in body]
    for item in notice.items:
        if not _covered(ctx, vocab, item.text, sentences):
            yield Hit(0, 0, {"item": item.text, "line": item.line})
