"""uncovered-request: every item the notice asks the letter to explain must get an answer.

An item asks for one or more kinds of answer, told by its words (`options.asks` of the rule):
a part of the letter (root cause, actions, prevention), a time frame, documents, contact
details. Its remaining content words ("late deliveries", "carrier services") must show up
too, directly, through a synonym group (`options.synonyms`: "carrier" ~ UPS, DHL ...), or
through a theme of the reason pack that both the item and the letter match.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from poalint.checks.clausefilter import clause_at
from poalint.checks.evidence import evidence_spans
from poalint.clauses import Actor, load_vocab
from poalint.context import Context, Hit, check_options, option
from poalint.document import Memo
from poalint.matching import inside, longest, quoted_ranges
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


# ---- requests addressed to the reviewer (question-to-amazon, emotional-appeal) ----------------------
#
# A sentence is read for the clauses that ask Amazon to do something, by their structure, not by a list of
# whole wordings: an imperative at a clause start ("Kindly let us know ...", "Pls reactivate ..."), a question
# to the reader ("Could you tell us ...", "May we know ..."), a request frame with the reader as the one who
# acts ("We request you to ...", "We would appreciate if you could ...", "We hope Amazon can ...") or a wish to
# be told ("We would like to know why ..."). The verb asked for says what is asked: an answer (tell, advise,
# explain ... with a wh- word or a noun of information after it), to weigh the seller's record (consider ... our
# ratings), a call, or the account back (a plea). An offer to send more ("let us know if you need anything
# else") asks nothing. The word lists are the rule's `options:`, naming the shared lists of
# rules/lexicon/requests.yaml.


@dataclass(frozen=True)
class Request:
    start: int  # char offsets of the request, from its first word to the end of what is asked
    end: int
    kind: str  # "ask" (an answer), "weigh" (the seller's record), "call" (a call / a manager), "plea" (reinstatement)


@dataclass(frozen=True)
class RequestWords:
    """The vocabulary of the request reader: the `options:` of question-to-amazon and emotional-appeal, each
    list naming the shared word lists of rules/lexicon/requests.yaml ("polite: [$request_polite]"), put in
    place and checked when the rules load."""

    polite: tuple[str, ...] = option((), "wordlist")  # words before an imperative: please, kindly, pls
    address: tuple[str, ...] = option((), "wordlist")  # words naming the reader in a request: you, amazon, team
    vocatives: tuple[str, ...] = option((), "wordlist")  # the reader named before an imperative: "Sir, please ..."
    openers: tuple[str, ...] = option((), "wordlist")  # words after which a new clause starts: and, so, therefore
    frames: tuple[str, ...] = option((), "wordlist")  # verbs that ask someone to act: request, ask, urge, hope
    wishes: tuple[str, ...] = option((), "wordlist")  # "we would like / want / wish to know": like, want, wish
    ask_bare: tuple[str, ...] = option((), "wordlist")  # verbs that ask for an answer by themselves: advise, explain
    ask_verbs: tuple[str, ...] = option((), "wordlist")  # verbs that ask for an answer with a wh- word or noun after
    wh: tuple[str, ...] = option((), "wordlist")
    info_nouns: tuple[str, ...] = option((), "wordlist")  # reason, details, ASINs ...
    offer_openers: tuple[str, ...] = option((), "wordlist")  # if, whether, should, in case
    offer_needs: tuple[str, ...] = option((), "wordlist")  # need, require, further, else, anything ...
    weigh_verbs: tuple[str, ...] = option((), "wordlist")  # consider, take into account ...
    merit_nouns: tuple[str, ...] = option((), "wordlist")  # ratings, sales, history ...
    call_verbs: tuple[str, ...] = option((), "wordlist")  # call, phone, escalate
    call_objects: tuple[str, ...] = option((), "wordlist")  # me, us, manager, supervisor
    plea_verbs: tuple[str, ...] = option((), "wordlist")  # reinstate, restore, reactivate ...
    plea_nouns: tuple[str, ...] = option((), "wordlist")  # reinstatement, chance ...
    window: int = option(10, "int")  # how many words after the verb are read for its object


def _words(ctx: Context, lo: int, hi: int) -> list[Any]:
    """The sentence's tokens, spaces dropped."""
    doc = ctx.document.doc
    return [t for t in doc[lo:hi] if not t.is_space]


def _low(t: Any) -> str:
    return str(t.lower_).replace("\u2019", "'")


def _object_kind(w: RequestWords, toks: list[Any], v: int) -> str | None:
    """What the verb at `v` asks for, read from the verb and the words after it up to the clause end."""
    verb = toks[v]
    lemma, low = verb.lemma_.lower(), _low(verb)
    after: list[Any] = []
    for t in toks[v + 1:v + 1 + w.window]:
        if _low(t) in (".", ";", "!", "?"):
            break
        after.append(t)
    lows = [_low(t) for t in after]
    lemmas = {t.lemma_.lower() for t in after} | set(lows)

    def offered() -> bool:
        return _offered(w, after)

    if low in w.plea_verbs or lemma in w.plea_verbs:
        # "help us understand why ...": an answer asked for; "help us get our account back": a plea
        if lemma == "help" and lemmas & (set(w.ask_verbs) | {"understand", "find", "identify", "learn", "see"}) \
                and lemmas & (set(w.wh) | set(w.info_nouns)):
            return None if offered() else "ask"
        if lemma in ("give", "grant", "let", "allow") and not lemmas & (set(w.plea_nouns) | set(w.plea_verbs)
                                                                       | {"back", "sell", "selling", "continue"}):
            pass  # "give us the details": read below as a question
        else:
            return "plea"
    if low in w.call_verbs or lemma in w.call_verbs:
        return "call" if lemmas & set(w.call_objects) and not offered() else None
    if low in w.weigh_verbs or lemma in w.weigh_verbs:
        return "weigh" if lemmas & set(w.merit_nouns) else None
    if low in w.ask_bare or lemma in w.ask_bare:
        return None if offered() else "ask"
    if low in w.ask_verbs or lemma in w.ask_verbs:
        if offered():
            return None
        if lemmas & set(w.wh) or lemmas & set(w.info_nouns):
            return "ask"
        # "I do not know what went wrong, please tell me.": the answer asked for stands before the verb
        if lemma != "let" and lows in (["us"], ["me"]):
            return "ask"
    return None


def _offered(w: RequestWords, after: list[Any]) -> bool:
    """"let us know if you need anything else", "advise if anything further is required": an offer, not a question."""
    lows = [_low(t) for t in after]
    for i, x in enumerate(lows):
        if x in w.offer_openers or (x == "in" and i + 1 < len(lows) and lows[i + 1] == "case"):
            rest = {t.lemma_.lower() for t in after[i + 1:]} | set(lows[i + 1:])
            return bool(rest & set(w.offer_needs))
    return False


def _hoped_back(w: RequestWords, toks: list[Any], k: int) -> bool:
    """After "we hope (to)": the account back ("to get our account back", "to be reinstated", "to sell again")."""
    k = _skip(toks, k, ("to", "be", "able", "soon", "once", "again", "given", "granted", "allowed"))
    if k >= len(toks):
        return False
    lemma = toks[k].lemma_.lower()
    near = {t.lemma_.lower() for t in toks[k + 1:k + 6]} | {_low(t) for t in toks[k + 1:k + 6]}
    if lemma in ("get", "have", "regain", "receive", "win", "see"):
        return bool(near & ({"back", "account", "privilege", "privileges", "listing", "store"} | set(w.plea_nouns)))
    if lemma in ("sell", "continue", "resume", "trade"):
        return bool(near & {"again", "selling", "sell", "amazon", "back"})
    if lemma in w.plea_nouns:
        return True
    return lemma in w.plea_verbs and lemma not in ("give", "let", "allow", "help", "grant", "return")


def _clause_starts(w: RequestWords, toks: list[Any]) -> list[int]:
    """Indexes where a clause may start: the sentence start and after a comma, semicolon, colon, dash or opener."""
    out = [0]
    for i, t in enumerate(toks[:-1]):
        if _low(t) in (",", ";", ":", "-", "\u2013", "\u2014", "(") or _low(t) in w.openers:
            out.append(i + 1)
    return out


def _skip(toks: list[Any], i: int, words: tuple[str, ...] | frozenset[str]) -> int:
    while i < len(toks) and (_low(toks[i]) in words or _low(toks[i]) == ","):
        i += 1
    return i


def _is_base(t: Any) -> bool:
    """A verb's base form ("tell", "reinstate"), not "tells" / "told" / "telling" (lookup lemmas only)."""
    low = _low(t)
    return t.lemma_.lower() == low or low in ("reactive", "advice")


def read_requests(w: RequestWords, ctx: Context, lo: int, hi: int) -> list[Request]:
    """The requests to the reader in the tokens [lo, hi) of one sentence."""
    toks = _words(ctx, lo, hi)
    if not toks:
        return []
    found: list[Request] = []
    modals = ("can", "could", "would", "will", "may", "might", "ca")
    subjects = ("we", "i")

    def add(first: int, v: int) -> None:
        if v >= len(toks) or not (toks[v].is_alpha or "-" in _low(toks[v])):
            return
        kind = _object_kind(w, toks, v)
        if kind is None:
            return
        end = v
        for j in range(v + 1, min(len(toks), v + 1 + w.window)):
            if _low(toks[j]) in (".", ";", "!", "?", ","):
                break
            end = j
        found.append(Request(toks[first].idx, toks[end].idx + len(toks[end].text), kind))

    def ask(first: int, v: int) -> None:
        # "may we know ...", "we would like to know ...": an answer asked for when a wh- word or a noun of
        # information follows, not an offer ("we would like to know if you need anything else")
        after = [_low(t) for t in toks[v + 1:v + 1 + w.window]]
        after = after[:next((n for n, x in enumerate(after) if x in (".", ";", "!", "?")), len(after))]
        if not after or _offered(w, toks[v + 1:v + 1 + len(after)]):
            return
        lemmas = set(after) | {t.lemma_.lower() for t in toks[v + 1:v + 1 + len(after)]}
        if lemmas & set(w.wh) or lemmas & set(w.info_nouns):
            last = toks[v + len(after)]
            found.append(Request(toks[first].idx, last.idx + len(last.text), "ask"))

    for s in _clause_starts(w, toks):
        # "Amazon team, please ...", "Sir, kindly ...": the reader named before the imperative
        i = _skip(toks, s, w.polite + w.vocatives + w.openers)
        polite = i > s and any(_low(t) in w.polite for t in toks[s:i])
        if i >= len(toks):
            continue
        t = toks[i]
        low = _low(t)
        # an imperative: "Kindly let us know ...", "Pls reactive our account", "Tell us which ..."
        if _is_base(t) and low not in w.address and low not in subjects and low not in modals:
            nxt = _low(toks[i + 1]) if i + 1 < len(toks) else ""
            # without "please" only a verb addressed to the reader counts ("Tell us which ...", not a list
            # item of the plan, "Check every listing before it goes live")
            if polite or nxt in ("us", "me", "our", "my"):
                add(s, i)
                continue
        # a question to the reader: "Could you (please) tell us ...", "May we know ..."
        if low in modals and i + 1 < len(toks):
            j = i + 1
            if _low(toks[j]) in w.address:
                j = _skip(toks, j + 1, w.polite + w.address)
                if j < len(toks) and _is_base(toks[j]):
                    add(s, j)
                continue
            if _low(toks[j]) in subjects and j + 1 < len(toks) and _low(toks[j + 1]) in ("know", "ask", "learn"):
                ask(s, j + 1)
                continue
        # a request frame: "We (would) (kindly) request you to ...", "We hope Amazon can ...",
        # "We would appreciate if you could ...", "I request that you ..."
        if low in subjects:
            j = _skip(toks, i + 1, w.polite + ("would", "'d", "do", "really", "truly", "therefore", "now", "once",
                                               "again", "also", "still", "am", "are", "be", "most", "very", "so"))
            if j >= len(toks):
                continue
            head = toks[j]
            hl = head.lemma_.lower()
            # a wish to be told: "we would like to know why", "I want to know the reason"
            # (present forms only, and only to be told: "we wanted to understand why the orders were late, so we
            # checked the logs" is the seller's own investigation)
            if _low(head) in w.wishes and j + 2 < len(toks) and _low(toks[j + 1]) == "to" \
                    and toks[j + 2].lemma_.lower() in ("know", "ask"):
                ask(s, j + 2)
                continue
            if hl in w.frames or _low(head) in w.frames:
                k = _skip(toks, j + 1, ("it", "to", "that", "if", "for", "from", "of", "with", "when") + w.polite)
                addressed = k < len(toks) and _low(toks[k]) in w.address
                if addressed:
                    k = _skip(toks, k + 1, w.address + w.polite + modals + ("to", "that", "'ll", "please", "team",
                                                                             "will", "shall", "be", "able"))
                elif hl in ("hope", "pray", "wish") and k < len(toks):
                    # "we hope to get our account back", "we hope to be reinstated soon": a plea only
                    if _hoped_back(w, toks, k):
                        found.append(Request(toks[s].idx, toks[min(len(toks) - 1, k + 3)].idx, "plea"))
                    continue
                elif k < len(toks) and toks[k].lemma_.lower() in w.plea_nouns:
                    # "we request for the reactivation", "we ask for another chance"
                    found.append(Request(toks[s].idx, toks[k].idx + len(toks[k].text), "plea"))
                    continue
                else:
                    # "we request the reinstatement of our account"
                    kk = _skip(toks, k, ("the", "a", "an", "another", "one", "more", "second", "last", "your", "kind",
                                         "favourable", "favorable", "positive", "early", "quick", "prompt"))
                    if kk < len(toks) and toks[kk].lemma_.lower() in w.plea_nouns:
                        found.append(Request(toks[s].idx, toks[kk].idx + len(toks[kk].text), "plea"))
                    continue
                if k < len(toks) and _is_base(toks[k]):
                    add(s, k)
                continue
    return found



def _body(ctx: Context, scope: tuple[str, ...]) -> list[tuple[int, int, int, int]]:
    """(char start, char end, token start, token end) of the scope's sentences (a question on a line of its own
    is read as a heading: the scope of these rules holds the headings too)."""
    doc = ctx.document
    return [(*doc.char_span(s), s.start, s.end) for s in ctx.sentences(scope)]


def _requests(w: RequestWords, ctx: Context, body: list[tuple[int, int, int, int]]) -> list[Request]:
    """Every request to the reader in the sentences `body`, outside quotation marks."""
    quotes = quoted_ranges(ctx.document.text)
    return [r for _lo, _hi, a, b in body for r in read_requests(w, ctx, a, b)
            if not (quotes and inside(quotes, r.start, r.end))]


def _one_per_sentence(ctx: Context, spans: list[tuple[int, int]]) -> Iterator[Hit]:
    """Hits in text order, the first of each sentence, outside quotation marks."""
    doc = ctx.document
    quotes = quoted_ranges(doc.text)
    seen: set[int] = set()
    for start, end in sorted(set(spans), key=lambda x: (x[0], -x[1])):
        if quotes and inside(quotes, start, end):
            continue
        s = doc.sentence_at(start)
        if s is None or s.start in seen:
            continue
        seen.add(s.start)
        lo, hi = doc.char_span(s)
        yield Hit(start, min(end, hi), {"sentence": doc.text[lo:hi]})


def _concept_spans(ctx: Context, names: Sequence[str], body: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    los = [b[0] for b in body]
    out = []
    for name in names:
        for s, e in ctx.matchers.concept(name, ctx.document):
            i = bisect.bisect_right(los, s) - 1
            if i >= 0 and body[i][0] <= s and e <= body[i][1]:
                out.append((s, e))
    return longest(out)


@dataclass(frozen=True)
class QuestionOptions(RequestWords):
    cues: tuple[str, ...] = option((), "words")  # concepts whose matches are questions or case histories
    lead_ins: str = option("form_question", "concept")  # Amazon's own questions as lead-ins: not asked of the reviewer
    offers: str = option("offer_of_documents", "concept")  # "let us know if you need ...": after it, nothing fires
    kinds: tuple[str, ...] = option(("ask", "weigh", "call"), "words")  # the kinds of request that fire
    # a cue in a clause of these actors is about them, not Amazon ("the supplier has not answered yet")
    not_actors: tuple[str, ...] = option((), "words")

    def invalid(self) -> tuple[list[object], str] | None:
        for i, k in enumerate(self.kinds):
            if k not in ("ask", "weigh", "call", "plea"):
                return ["kinds", i], f"unknown kind of request {k!r}; use ask, weigh, call or plea"
        actors = [a.value for a in Actor]
        for i, a in enumerate(self.not_actors):
            if a not in actors:
                return ["not_actors", i], f"unknown actor {a!r}; use one of {', '.join(actors)}"
        return None

    def names(self) -> list[tuple[list[object], str, str]]:
        return [(["cues", i], "concept", n) for i, n in enumerate(self.cues)]


def _lead_in_or_offer(ctx: Context, opts: QuestionOptions, start: int, end: int) -> bool:
    doc = ctx.document
    s = doc.sentence_at(start)
    if s is None:
        return False
    lo, hi = doc.char_span(s)
    m = ctx.matchers
    return m.concept_index(opts.lead_ins, doc).overlaps(lo, hi) or m.concept_index(opts.offers, doc).overlaps(end, hi)


def _actor(ctx: Context, start: int) -> str:
    clause = clause_at(ctx, start)[0]
    return clause.actor.value if clause is not None else ""


def question_to_amazon(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Questions and requests put to the reviewer: the rule's cue concepts, and requests read by their structure."""
    opts = check_options(rule, QuestionOptions)
    body = _body(ctx, rule.scope)
    # (Amazon's own questions as lead-ins, "What went wrong?", are the cue concepts' look-alikes; a request read
    # by its structure is one whatever else the sentence holds)
    # (the cue concepts read the body only: a wh- question standing as a heading is one of Amazon's questions,
    # "Why did the issue occur?"; the reader also reads headings, where a question to the reader sits on its own line)
    spans = [(s, e) for s, e in _concept_spans(ctx, opts.cues, _body(ctx, ("body",)))
             if _actor(ctx, s) not in opts.not_actors and not _lead_in_or_offer(ctx, opts, s, e)]
    spans += [(r.start, r.end) for r in _requests(opts, ctx, body) if r.kind in opts.kinds]
    yield from _one_per_sentence(ctx, spans)


@dataclass(frozen=True)
class EmotionalOptions(RequestWords):
    hardship: str = option("hardship", "concept")  # hardship stories and begging: each fires
    plea: str = option("plea", "concept")  # requests for the account back: from the `repeat`-th one
    repeat: int = option(2, "int")


def emotional_appeal(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Hardship and begging, and the second and later requests for the account back (one polite closing
    request is normal): the plea concept's matches and the pleas read by their structure, counted once each."""
    opts = check_options(rule, EmotionalOptions)
    body = _body(ctx, rule.scope)
    spans = _concept_spans(ctx, [opts.hardship], body)
    pleas = longest(_concept_spans(ctx, [opts.plea], body)
                    + [(r.start, r.end) for r in _requests(opts, ctx, body) if r.kind == "plea"])
    quotes = quoted_ranges(ctx.document.text)
    pleas = [p for p in pleas if not (quotes and inside(quotes, *p))]
    spans += pleas[max(0, opts.repeat - 1):]
    yield from _one_per_sentence(ctx, spans)
