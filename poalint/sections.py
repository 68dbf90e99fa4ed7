"""The section finder: assigns every block and sentence to root_cause, corrective, preventive or other.

Headings decide when there are any; passages with no heading above them are decided by
lemma cues from rules/sections.yaml ("the reason", "we have already", "going forward" ...).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from poalint.clauses import (
    Actor,
    AnchorKind,
    Clause,
    Time,
    document_clauses,
    is_cause_statement,
    is_commitment,
    seller_done,
)
from poalint.document import Document
from poalint.model import Matchable, NotAPartVocab, PartSpan
from poalint.structure import FRAME, NOT_PROSE, PARTS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher

    from poalint.matching import Matchers
    from poalint.model import RuleSet

STRONG_CUE = 2.0  # a sentence with this much cue weight keeps its own part inside a paragraph
DECISIVE_CUE = 3.0  # "root cause", "to prevent": names its part even in a sentence that also pleads
BLOCK_CUE = 1.0  # a block needs this much to be given a part by content alone
OWN_CUE = 1.5  # a sentence with this much cue weight, and none for its paragraph's part, keeps its own part


class CueMatcher:
    """Lemma cue phrases: a spaCy PhraseMatcher on LEMMA, plus a small scan for cues with "*" (built on first use).

    NOTE: a spaCy Matcher costs about as much per token as tokenizing; the PhraseMatcher is a hash
    lookup per token, and the few "*" cues are checked only where their first fixed word occurs.
    """

    def __init__(self, cues: Mapping[str, Sequence[tuple[str, float]]]) -> None:
        self.cues = cues
        self._phrases: PhraseMatcher | None = None
        self._weights: dict[str, tuple[str, float]] = {}
        self._wild: list[tuple[str, list[int | None]]] = []  # key, lemma hash per word (None for "*")

    def matcher(self) -> PhraseMatcher:
        if self._phrases is None:
            from spacy.matcher import PhraseMatcher
            from spacy.tokens import Doc

            from poalint.nlp import get_nlp

            nlp = get_nlp()
            vocab = nlp.vocab
            phrases = PhraseMatcher(vocab, attr="LEMMA")
            for part, entries in self.cues.items():
                for n, (cue, weight) in enumerate(entries):
                    key = f"{part}:{n}"
                    words = cue_lemmas(cue, nlp)
                    if "*" in words:
                        self._wild.append((key, [None if w == "*" else vocab.strings.add(w) for w in words]))
                    else:
                        phrases.add(key, [Doc(vocab, words=words, lemmas=words)])
                    self._weights[key] = (part, weight)
            self._phrases = phrases
        return self._phrases

    def _wild_matches(self, document: Document) -> list[tuple[str, int]]:
        """(key, start token) of every "*" cue: each word matches the lemma, "*" any one token."""
        if not self._wild or not len(document.doc):
            return []
        from spacy.attrs import LEMMA

        lemmas = document.doc.to_array([LEMMA]).tolist()
        where: dict[int, list[int]] = {}
        for i, h in enumerate(lemmas):
            where.setdefault(h, []).append(i)
        out = []
        for key, words in self._wild:
            anchor = next((k for k, h in enumerate(words) if h is not None), None)
            starts = range(len(lemmas)) if anchor is None else [p - anchor for p in where.get(words[anchor], [])]  # type: ignore[arg-type]
            for i in starts:
                if i >= 0 and i + len(words) <= len(lemmas) and all(
                        h is None or lemmas[i + k] == h for k, h in enumerate(words)):
                    out.append((key, i))
        return out

    def scores(self, document: Document) -> list[dict[str, float]]:
        """Cue weight per part for every sentence of the document."""
        matcher = self.matcher()
        doc = document.doc
        out: list[dict[str, float]] = [dict.fromkeys(PARTS, 0.0) for _ in document.sentences]
        starts = [s.start for s in document.sentences]
        strings = doc.vocab.strings
        found = [(strings[match_id], start) for match_id, start, _end in matcher(doc)]
        for key, start in [*found, *self._wild_matches(document)]:
            i = bisect.bisect_right(starts, start) - 1
            if i < 0 or start >= document.sentences[i].end:
                continue
            part, weight = self._weights[key]
            out[i][part] += weight
        return out


def cue_lemmas(cue: str, nlp: Language) -> list[str]:
    """The cue as the documents will hold it: our tokenizer's tokens, each as its lemma ("*" kept).

    NOTE: cues are matched on LEMMA, so a cue written in inflected words ("keep an eye": "an" is
    lemmatized to "a") or as one token the tokenizer splits ("long-term") would never match; writing
    it the way documents are analysed makes such a cue work instead of failing silently.
    """
    words: list[str] = []
    for chunk in cue.split():
        if chunk == "*":
            words.append("*")
        else:
            words.extend(t.lemma_ or t.lower_ for t in nlp(chunk.lower()))
    return words


class NotAPart:
    """Sentences that answer none of Amazon's three questions: pleading, threats, denials, demands,
    questions to the reviewer. Concepts and rules named under `not_a_part` in rules/sections.yaml."""

    def __init__(self, matchers: Matchers, matchables: Sequence[Matchable],
                 votes: Sequence[tuple[str, Matchable, float]] = (), hard: Matchable | None = None) -> None:
        self.matchers = matchers
        self.matchables = list(matchables)
        self.votes = list(votes)  # (part, concepts, weight): `concept_cues` of sections.yaml
        self.hard = hard  # refusals and template instructions: no part's job whatever their cue words

    def vote_hits(self, document: Document) -> list[tuple[str, float, set[int]]]:
        """Per `concept_cues` entry: its part, its weight and the sentences holding its concept."""
        if not self.votes:
            return []
        starts = [document.char_span(x)[0] for x in document.sentences]
        out: list[tuple[str, float, set[int]]] = []
        for part, m, weight in self.votes:
            hit = {i for i in (bisect.bisect_right(starts, a) - 1 for a, _b in self.matchers.find(m, document)) if i >= 0}
            out.append((part, weight, hit))
        return out

    @staticmethod
    def voted(hits: Sequence[tuple[str, float, set[int]]]) -> dict[str, set[int]]:
        """Per part, the sentences holding one of its `concept_cues` concepts: they do that part's job."""
        out: dict[str, set[int]] = {}
        for part, _weight, hit in hits:
            if hit:
                out.setdefault(part, set()).update(hit)
        return out

    def hard_off(self, document: Document) -> set[int]:
        """Sentences inside a refusal or a template instruction."""
        if self.hard is None:
            return set()
        spans = self.matchers.find(self.hard, document)
        if not spans:
            return set()
        # a sentence is off when a span covers it (one character of slack each side) or a span of 8 or more
        # characters lies inside it; sentences are in text order and disjoint, so both their starts and their
        # ends are sorted and a bisect finds the candidates of each span (one pass over every sentence per span
        # made a long letter quadratic)
        ranges = [document.char_span(s) for s in document.sentences]
        starts = [a for a, _b in ranges]
        ends = [b for _a, b in ranges]
        out: set[int] = set()
        for x, y in spans:
            i = bisect.bisect_left(starts, x - 1)
            while i < len(ranges) and ends[i] <= y + 1:  # covered: a >= x - 1 and b <= y + 1
                out.add(i)
                i += 1
            if y - x >= 8:  # inside: a <= x and y <= b
                out.update(range(bisect.bisect_left(ends, y), bisect.bisect_right(starts, x)))
        return out

    @staticmethod
    def add_votes(hits: Sequence[tuple[str, float, set[int]]], scores: list[dict[str, float]]) -> None:
        """Concept cues: a sentence that owns a failure ("we never asked", "the decision was ours")
        votes for the root cause however it is worded, once per concept entry."""
        for part, weight, hit in hits:
            for i in hit:
                scores[i][part] += weight

    def spans(self, document: Document) -> list[tuple[int, int]]:
        return sorted(s for m in self.matchables for s in self.matchers.find(m, document))


def _off_sentences(document: Document, off: NotAPart | None, scores: list[dict[str, float]]) -> set[int]:
    """Sentences holding a not-a-part match and no decisive cue of a part of their own."""
    if off is None:
        return set()
    spans = off.spans(document)
    if not spans:
        return set()
    sentences = document.sentences
    starts = [document.char_span(x)[0] for x in sentences]
    holding: set[int] = set()
    for a, b in spans:
        i = max(bisect.bisect_right(starts, a) - 1, 0)
        while i < len(sentences) and starts[i] < b:
            holding.add(i)
            i += 1
    return {i for i in holding if max(scores[i].values()) < DECISIVE_CUE}


@dataclass(frozen=True)
class Sections:
    """What the section finder decided for one Document: the part of every sentence and block.

    `sentence_parts[i]` is root_cause / corrective / preventive / other / heading for
    `document.sentences[i]`; `block_parts[j]` the part of `document.blocks[j]`.
    """

    sentence_parts: tuple[str, ...]
    block_parts: tuple[str, ...]
    has_headings: bool
    jobs: tuple[frozenset[str], ...] = ()  # per sentence: the parts whose job it does (see `sentence_jobs`)

    def part_of(self, index: int) -> str:
        """The part of `document.sentences[index]`."""
        return self.sentence_parts[index]

    def doing(self, part: str) -> list[int]:
        """Indexes of the sentences that do `part`'s job, wherever the finder put them."""
        return [i for i, j in enumerate(self.jobs) if part in j]

    def apply(self, document: Document) -> Document:
        """The Document with these parts, where the kinds read them (`Sentence.part`); a new value."""
        return document.with_parts(self.sentence_parts, self.block_parts, self.has_headings, self.jobs)

    def spans(self, document: Document) -> tuple[PartSpan, ...]:
        """The letter text cut into spans, each in one part (none for text outside the three parts).

        The spans cover the whole text in order; the gap between two sentences of the same
        part belongs to that part, any other gap to none.
        """
        text_end = len(document.text)
        marks: list[tuple[int, int, str]] = []
        for s, part in zip(document.sentences, self.sentence_parts):
            a, b = document.char_span(s)
            marks.append((a, b, part if part in PARTS else "none"))
        cuts: list[tuple[int, int, str]] = []  # (start, end, part), in order, covering the text
        pos = 0
        for a, b, part in marks:
            if a > pos:  # the gap before a sentence: its neighbours' part when both share it, else none
                prev = cuts[-1][2] if cuts else "none"
                cuts.append((pos, a, part if prev == part else "none"))
            cuts.append((a, b, part))
            pos = max(pos, b)
        if pos < text_end:
            cuts.append((pos, text_end, "none"))
        merged: list[PartSpan] = []
        for a, b, part in cuts:
            if merged and merged[-1].part == part:
                merged[-1] = PartSpan(merged[-1].start, b, merged[-1].part)
            elif b > a:
                merged.append(PartSpan(a, b, part))  # type: ignore[arg-type]
        return tuple(merged)


_CHANGE_WORDS = re.compile(r"\b(now|from now on|going forward|moving forward|in future|in the future|henceforth|"
                           r"from today|since then|starting|new)\b", re.I)
# looking is not yet acting: "I have checked the orders you listed" fixes nothing by itself
_LOOKED = frozenset({"check", "review", "look", "investigate", "examine", "read", "search", "study", "analyse",
                     "analyze", "see", "find", "notice", "receive", "contact", "write", "reach", "speak", "talk",
                     "call", "email", "consult", "hear", "learn", "realise", "realize", "discover"})
_NOT_A_PLAN = frozenset({"write", "ask", "request", "hope", "value", "appeal", "apologize", "apologise", "beg",
                         "thank", "understand", "appreciate", "respect", "wish", "want", "like", "trust", "need", "expect",
                         "believe", "regret", "pray", "take", "submit", "attach", "include", "accept", "look", "prove",
                         "receive", "hear", "get"})
# "take" is an action with a particle or a concrete object ("we took the wording out", "images are now taken by
# a studio"), no plan in "we take this opportunity", "take the time", "take your decision"
_TAKE_IDLE = re.compile(r"\b(opportunit\w*|chance|moment|liberty|time|decision|consideration|seriously|"
                        r"responsibility|steps?|measures?|actions?)\b", re.I)
# an ultimatum is no measure: "I'm giving Amazon until the end of the month", "we allow you 7 days"
_ULTIMATUM = re.compile(r"\b(giv\w*|gave|allow\w*) (amazon|you)\b|\b(court|lawyers?|attorneys?|legal action|lawsuits?|sue|"
                        r"suing|reporters?|journalists?|press|media|authorit(y|ies)|ftc|regulators?)\b|\btake (you|amazon) to\b",
                        re.I)


def _verb_ok(c: Clause, text: str, excluded: frozenset[str]) -> bool:
    """The clause's verb is an action: not in `excluded`, or "take" used as an action."""
    if c.verb == "take":
        return not _TAKE_IDLE.search(text, c.start, c.end)
    return c.verb not in excluded


def _commits(c: Clause, text: str) -> bool:
    """A forward commitment, however vague ("We will do our best."): a planned action of the seller's
    side, or a standing habit or policy with a frequency, trigger or "now" ("every parcel is now weighed").
    Not the present of the letter itself ("I am writing", "we kindly ask")."""
    if not is_commitment(c) or not _verb_ok(c, text, _NOT_A_PLAN) or c.negated:
        return False  # "I will never sell anything wrong again" promises, it commits to no measure
    if _ULTIMATUM.search(text, c.start, c.end) or _WISH.search(text, max(0, c.start - 24), c.end):
        return False  # "we hope to find a new courier soon", "we would like to have a better system": a wish
    if c.time is Time.PLANNED and c.verb in _ONE_OFF:
        return False  # "I will delete the listing": a fix not yet done (corrective-in-future), no measure
    if c.time is Time.PLANNED:
        return True
    # a habit is a commitment only when it is new or scheduled: "every parcel is now weighed", "listings are
    # re-audited every quarter", not "every package I send has tracking" (what the seller always did)
    return bool(_CHANGE_WORDS.search(text, c.start, c.end)) or any(
        not a.weak and (a.kind is AnchorKind.TRIGGER or a.kind is AnchorKind.FREQUENCY and _SCHEDULE.search(a.text)
                        or a.kind is AnchorKind.DATE and a.text.lower().startswith(_START_WORDS))
        for a in c.anchors)


_WISH = re.compile(r"\b(hope|hopes|hoping|hoped|wish|wishes|wishing|would like|'d like|would love|want|wants|wanting|"
                   r"dream)\s+(\w+\s+)?to\b", re.I)
# a habit with a start date is a change: "From 4 May our operation manager inspects every returned unit"
_START_WORDS = ("from ", "since ", "as of ", "starting", "effective", "beginning", "with effect")


# a schedule, not a quantifier: "every quarter", "each Monday", "daily", "every new batch" (not "every package
# I send", "each order": what the seller does with each item may be what it always did)
_SCHEDULE = re.compile(r"\b(hour|day|night|morning|afternoon|evening|week|fortnight|month|quarter|year|shift|season|"
                       r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|"
                       r"batch|lot|delivery|shipment|production|run|audit|cycle|"
                       r"hourly|daily|nightly|weekly|monthly|quarterly|yearly|annually|annual)s?\b", re.I)
# "now" as a change in place: "returns get checked before they go back in stock now" (not "until now", "right now")
_NOW = re.compile(r"(?<!until )(?<!right )(?<!by )(?<!for )\bnow\b", re.I)


def _scheduled(clauses: Sequence[Clause], text: str, context: bool) -> bool:
    """A practice of the seller's side told in the present where a schedule or a trigger frames it ("Every
    quarter Oliver compares each live ASIN ...", "Before any change is released, the Quality Manager signs
    the form"), or under a heading of measures for the future (`context`), where the heading gives the time:
    named people and roles count as the seller's side here."""
    framed = context or any(not a.weak and (a.kind is AnchorKind.TRIGGER or a.kind is AnchorKind.FREQUENCY
                                            and _SCHEDULE.search(a.text)) for c in clauses for a in c.anchors) \
        or bool(_EVERY.search(text, clauses[0].start, clauses[-1].end))
    actors = (Actor.SELLER, Actor.UNKNOWN, Actor.NONE, Actor.THIRD, Actor.SUPPLIER, Actor.CARRIER) if context \
        else (Actor.SELLER, Actor.UNKNOWN)
    return any(c.time is Time.ONGOING and not c.negated and c.verb not in (None, "be", "have")
               and (framed or c.modal in ("must", "shall"))
               and (c.actor in actors or _ours(c))
               and (context or c.actor is Actor.SELLER or _ours(c) or _named(c.actor_text, text)) and c.link not in ("condition", "relative", "time")
               and c.actor_text.lower() not in ("me", "you", "us") and not _imperative(c, text)
               and _verb_ok(c, text, _NOT_A_PLAN) and not _ULTIMATUM.search(text, c.start, c.end)
               for c in clauses)


_NAMED = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?")  # "Oliver", "Clara Wendt": a named person of the seller's


# "once a month", "every Friday", "each new batch": a schedule in the sentence, whatever the reader made of it
_EVERY = re.compile(r"\b(once|twice|three times|every|each|per)\s+(a\s+|other\s+|single\s+|new\s+)?(hour|day|night|morning|"
                    r"afternoon|evening|week|fortnight|month|quarter|year|shift|season|monday|tuesday|wednesday|thursday|"
                    r"friday|saturday|sunday|batch|lot|delivery|shipment|production|launch|audit)s?\b", re.I)


def _ours(c: Clause) -> bool:
    """A subject the letter calls its own ("our customer service lead", "my packer"), whatever role its
    noun suggests to the clause reader."""
    return c.actor_text.lower().startswith(("our ", "my ")) and c.actor is not Actor.AMAZON


def _named(who: str, text: str) -> bool:
    """A person named more than once in the letter ("our content manager, Oliver Reade" ... "Oliver compares"):
    one of the seller's staff, not "Millions of people"."""
    who = who.strip()
    return bool(_NAMED.fullmatch(who)) and _mentions(who.split()[0], text) >= 2


@lru_cache(maxsize=64)
def _mentions(word: str, text: str) -> int:
    """How often `word` stands as a word in the letter: asked per clause, counted once per name and letter."""
    return len(re.findall(r"\b" + re.escape(word) + r"\b", text))


def _imperative(c: Clause, text: str) -> bool:
    """An order with no subject ("Just tell me which account", "Check the dates yourselves")."""
    if c.actor_text:
        return False
    first = _FIRST_WORDS.match(text, c.start, c.end)
    return first is not None and first.group(1).lower() == c.verb


_FIRST_WORDS = re.compile(r"\W*(?:(?:just|please|kindly|now|simply|then)\s+)*([A-Za-z]+)", re.I)


def _now_policy(clauses: Sequence[Clause], text: str, a: int, b: int) -> bool:
    """A sentence telling a practice that is now in place, in the present ("Returns get checked before they
    go back in stock now"): "now", no action of the past, and a present action of the seller's side or of
    a thing."""
    if not _NOW.search(text, a, b) or any(c.time is Time.DONE and c.actor is Actor.SELLER for c in clauses):
        return False
    return any(c.time is Time.ONGOING and not c.negated and c.verb not in (None, "be", "have")
               and c.actor is not Actor.AMAZON and _verb_ok(c, text, _NOT_A_PLAN)
               and not _ULTIMATUM.search(text, c.start, c.end) for c in clauses)


_PREVENT_PURPOSE = re.compile(r"\b(to|so that|in order to|so)\b[^.!?]{0,60}?\b(prevent\w*|avoid\w*|(keep|stop)\w* \w+( \w+)? from|"
                              r"never|again|recurr\w*|in (the )?future)\b", re.I)
_FIRM = (AnchorKind.DATE, AnchorKind.FREQUENCY, AnchorKind.TRIGGER)
_ONE_OFF = frozenset({"delete", "remove", "return", "refund", "cancel", "destroy", "dispose", "reimburse", "resend"})
_NOW_HAS = re.compile(r"\bnow\b.*\b(more|new|extra|additional|second|another|two|three)\b", re.I)


# what Amazon does to a seller: "our account was deactivated on 23 February" is no action of ours
_AMAZON_DONE = frozenset({"deactivate", "suspend", "restrict", "block", "flag", "reject", "deny", "ban", "close",
                          "notify", "warn", "report", "remove", "inform", "tell", "ask", "give", "list", "mark",
                          "cancel", "delist", "hold", "freeze", "affect", "receive", "find", "identify", "cite",
                          "determine", "send", "deliver", "ship", "place", "order", "return", "open", "damage"})
# what only Amazon (or a buyer) does to a seller, whatever heading it stands under
_AMAZON_ONLY = frozenset({"deactivate", "suspend", "restrict", "flag", "reject", "deny", "ban", "notify", "warn",
                          "inform", "tell", "ask", "affect", "cite", "determine", "identify", "find", "receive",
                          "give", "freeze", "report", "damage", "deliver", "order"})
_PERFECT_PASSIVE = re.compile(r"\b(has|have) (now |already |also |since )?been\b", re.I)


def _their_passive(c: Clause, text: str, context: bool) -> bool:
    """An agentless passive read as the seller's action, whatever its subject (the subject is what was acted
    on: "the rights owner was contacted"): not something Amazon does to a seller, and dated, in a perfect
    ("the necessary measures have been initiated"), or in a passage about actions taken (`context`:
    under a corrective heading, in a dated list item)."""
    if c.time is not Time.DONE or c.negated or c.verb in (None, "be", "have"):
        return False
    if c.verb in _AMAZON_DONE and not (context and c.verb not in _AMAZON_ONLY):
        return False  # under "Actions taken:", "the 30 units were removed from FBA" is the seller's doing
    return (context or any(a.kind is AnchorKind.DATE for a in c.anchors)
            or bool(_PERFECT_PASSIVE.search(text, c.start, c.end)))


def _acted(c: Clause, text: str, context: bool = False) -> bool:
    """A done clause that is an action, not looking ("I have checked your report"), wanting ("I want it
    removed"), a habit ("we have always done what was asked") or the shop's history ("I have sold here for
    ten years"). Under a heading of actions taken (`context`), looking and contacting are actions too
    ("We already talk with the warehouse")."""
    reached = c.verb in _REACH and _BUYERS.search(text, c.start, c.end) is not None  # "we wrote to the 7 buyers"
    if (c.verb in _LOOKED and not context and not reached) or not (reached or _verb_ok(c, text, _NOT_A_PLAN)) \
            or c.verb in _RECEIVED:
        return False
    if c.link in _BACKGROUND:
        return False  # "... before we shipped them to FBA": the time of something else, not an action reported
    if c.verb in _FILED and _APPEALS.search(text, c.start, c.end):
        return False  # "We sent the first appeal on 3 May", "I opened four cases": writing to Amazon fixes nothing
    if _ALWAYS.search(text, c.start, c.end):
        return False
    return not any(a.kind is AnchorKind.DURATION and text[a.start:a.end].lower().startswith(("for ", "since "))
                   for a in c.anchors) and not _HISTORY.search(text, c.start, c.end)


_REACH = frozenset({"write", "contact", "email", "call", "message", "reach", "phone"})
_BUYERS = re.compile(r"\b(buyers?|customers?|clients?|purchasers?)\b", re.I)
_FILED = frozenset({"send", "open", "submit", "file", "write", "raise", "make", "create", "lodge", "escalate"})
_APPEALS = re.compile(r"\b(appeals?|cases?|tickets?|plans? of action|poas?|(first|second|third|fourth|fifth|last|previous) "
                      r"(one|time)|requests?|complaints? (to|with) amazon)\b", re.I)
_BACKGROUND = frozenset({"time", "condition", "relative", "cause", "purpose", "that"})
# what happened to the seller or what it did as a matter of course: no action taken to fix anything
_RECEIVED = frozenset({"get", "lose", "receive", "hear", "happen", "work", "rely", "depend", "live", "stay", "wait",
                       "sit", "seem", "go", "come", "know", "think", "feel", "assume", "believe"})
_ALWAYS = re.compile(r"\b(always|ever)\b", re.I)
_HISTORY = re.compile(r"\b(since (19|20)\d\d|for (many|several|\d+|two|three|four|five|six|seven|eight|nine|ten|"
                      r"over \w+) (years|months)|over the (past|last) \w+ years)\b", re.I)


def _now_has(c: Clause, text: str) -> bool:
    """A change already in place, told as a state: "we now have more packers", "we now use a new courier"."""
    return (c.actor is Actor.SELLER and c.verb in ("have", "use") and not c.negated
            and c.time in (Time.ONGOING, Time.STATE) and bool(_NOW_HAS.search(text, c.start, c.end)))


def _learner_done(c: Clause, text: str, context: bool) -> bool:
    """A finished action worded in the present, as second-language writers do, where the passage says it
    is done: under a heading of actions taken, or with "already" ("We stop to send any email",
    "The employee is already leave our company")."""
    if c.negated or c.verb in (None, "be", "have") or c.time not in (Time.ONGOING, Time.STATE) or c.modal:
        return False
    if c.actor not in (Actor.SELLER, Actor.NONE, Actor.UNKNOWN) or (c.verb in _LOOKED and not context) \
            or not _verb_ok(c, text, _NOT_A_PLAN) or c.verb in _RECEIVED:
        return False
    if any(a.kind in (AnchorKind.FREQUENCY, AnchorKind.TRIGGER) for a in c.anchors):
        return False  # a habit: "we check every order"
    if _ALREADY.search(text, c.start, c.end):
        return True
    return context and c.actor is Actor.SELLER


_ALREADY = re.compile(r"\balready\b", re.I)
# failures worded as what did not happen to a thing: "the page didn't say it clearly", "the safety
# instructions were not included" (not what went wrong on the buyer's side: "the parcel did not arrive")
_NOT_CAUSE_VERBS = frozenset({"arrive", "receive", "reach", "deliver", "match", "get", "come", "happen", "know",
                              "understand", "respond", "answer", "hear", "see", "find", "sell", "order",
                              "buy", "ship", "exist", "mean", "work", "fit", "look", "seem", "appear", "tell",
                              "inform", "notify", "explain", "give", "accuse", "warn", "reply", "listen", "help"})
# the problem told as Amazon's action or as the letter's own subject: "our listing was removed because of a
# complaint", "I am writing to appeal the removal due to ..." restate the notice, they give no cause
_FRAME_VERBS = frozenset({"write", "appeal", "submit", "request", "ask"})
# a refusal to answer is no answer: "There is no root cause", "Nothing to prevent", "nothing to correct"
_IGNORED = frozenset({"know", "realise", "realize", "notice", "check", "verify", "read", "aware"})
_WONDER = re.compile(r"\b(not|n't|n\u2019t|never)\s+(know|understand|see)\s+(what|how|why|where|when|who|if|whether)\b", re.I)
_WH = re.compile(r"\b(why|what|how|where|when|who|which)\b", re.I)  # "I don't know why": a complaint, no cause


def _failure(c: Clause, text: str) -> bool:
    """What did not happen to a thing of the seller's side or by nobody named: a cause however worded."""
    if c.verb in _IGNORED and c.actor is Actor.SELLER and c.negated and c.time is not Time.PLANNED \
            and not _WH.search(text, c.start, min(len(text), c.end + 12)):
        return True  # "we are not know that the claim needs a licence", "I didn't realise": not knowing is a cause
    if c.negated and c.verb == "be" and c.actor not in (Actor.AMAZON, Actor.BUYER) and c.time is not Time.PLANNED \
            and _UNAWARE.search(text, c.start, c.end):
        return True  # "the new employee who is not familiar with Amazon policy", "we were not aware of the rule"
    if c.actor_text.lower() in ("nobody", "no one", "no-one", "none of us") and c.time is Time.DONE:
        return True  # "Nobody checked them."
    if not c.negated or c.time is not Time.DONE or c.verb in (None, "be", "have") or c.verb in _NOT_CAUSE_VERBS:
        return False
    if c.agentless_passive:
        return True  # "the operating manual was not enclosed", "the locking pin was not fully seated"
    return c.actor is Actor.NONE and not c.passive


_UNAWARE = re.compile(r"\b(not|n't|n\u2019t|never)\s+(yet\s+|fully\s+|very\s+|really\s+)?(familiar|aware|trained|"
                      r"experienced|informed|educated|briefed)\b", re.I)
# "The root cause of this issue was that the client sourced ...": a cause named and then given
_CAUSE_IS = re.compile(r"\b(root cause|main cause|cause|reason|source of the (problem|issue))s?\b[^.!?]{0,60}?\b(was|is|were|are|lies|lay)\b"
                       r"\s+(that\b|in\b|our\b|my\b|a\b|an\b|the\b|due\b|because\b|simple\b|\w+ing\b)", re.I)


_FAILURE_WORD = re.compile(r"\b(wrong\w*|incorrect\w*|mistake\w*|errors?|erroneous\w*|forg[eo]t\w*|miss(ed|ing)|late|"
                           r"fail\w*|without|no one|nobody|lack\w*|broken|damaged|outdated|unclear|"
                           r"overlook\w*|skipp\w*|careless\w*|neglect\w*)\b", re.I)
# "X, so Y" / "X, which meant Y": X is given as the cause of Y ("our packer worked only mornings, so
# afternoon orders waited a day"); not "so that" (a purpose), "so far", nor a plan ("so we will ...")
_RESULT = re.compile(r"[,;\u2013\u2014-]\s*(and\s+)?(so|which meant|which means|therefore|thus|as a result|hence)\b,?\s+"
                     r"(?!that\b|far\b|much\b|many\b|long\b|we will\b|i will\b|we'll\b|i'll\b|please\b)", re.I)


_SINCE = re.compile(r"\bsince\s+(\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|then|last|early|late|mid|the)", re.I)


def _states_cause(clauses: Sequence[Clause], text: str, context: bool = False) -> bool:
    """Some clause gives a cause. Under a root-cause heading (`context`) the heading says what the passage
    is for, so a failure told in any tense or grammar is a cause ("Our staff sometime type the number wrong
    when upload", "In peak season the courier sometimes did not scan the parcel")."""
    host = clauses[0]
    a, b = clauses[0].start, clauses[-1].end
    if (context or any(c.time is Time.DONE for c in clauses)) and _RESULT.search(text, a, b):
        return True
    if context and (any(c.time is not Time.PLANNED and c.time is not Time.QUESTION for c in clauses)
                    and _FAILURE_WORD.search(text, a, b)
                    or any(c.negated and c.time in (Time.DONE, Time.ONGOING) and c.verb not in (None, "be", "have")
                           and c.verb not in _NOT_CAUSE_VERBS and c.actor is not Actor.AMAZON for c in clauses)):
        return True
    notice = (host.verb in _FRAME_VERBS and host.actor is Actor.SELLER and host.time is not Time.DONE
              or host.verb in _AMAZON_DONE and host.passive)
    for c in clauses:
        named = c.verb in ("have", "be") and bool(_CAUSE_IS.search(text, c.start, min(len(text), c.end + 24)))
        if not (is_cause_statement(c, text) and (c.link == "cause" or c.verb not in ("have", "be") or named)):
            if _failure(c, text):
                return True
            continue
        if notice and (c is host or c.link == "cause"):
            continue  # "our listing was removed because ..." / "I am writing to appeal ... due to": the notice
        if c.link == "cause" and _SINCE.search(text, max(0, c.start - 8), c.end) and any(
                a.kind in (AnchorKind.DATE, AnchorKind.DURATION) for a in c.anchors):
            continue  # "Since February 20 we have shipped 212 orders": a time, not a cause
        return True
    return False


def sentence_jobs(document: Document, offs: set[int] = frozenset(),  # type: ignore[assignment]
                  voted: dict[str, set[int]] | None = None) -> list[frozenset[str]]:
    """What every sentence does, read from its clauses (poalint.clauses), however vaguely worded:
    root_cause when it states a cause, corrective when it reports an action the seller's side took
    (I, we, our team, the company's name, an agentless passive, a dated item with no subject),
    preventive when it commits to something going forward. Headings, the letter's frame and
    sentences that plead, threaten or deny (`offs`) do no part's job."""
    text = document.text
    blocks = document.blocks
    heading_part = heading_parts(blocks)
    out: list[frozenset[str]] = []
    for i, (s, clauses) in enumerate(zip(document.sentences, document_clauses(document))):
        if blocks[s.block].kind in NOT_PROSE or not clauses:
            out.append(frozenset())
            continue
        if i in offs:
            # a sentence that pleads or disputes still reports an action it dates: "I removed the words from
            # my title on 3 April already, even though I didn't have to"
            # ("I removed the words from my title on 3 April already, even though I didn't have to") and a
            # measure it dates or schedules ("From 4 May our compliance lead checks every new brand so that we
            # never breach a trademark again")
            kept: set[str] = set()
            if any(_acted(c, text) and not c.agentless_passive and any(a.kind is AnchorKind.DATE for a in c.anchors)
                   for c in seller_done(clauses)):
                kept.add("corrective")
            if any(_commits(c, text) and any(not a.weak and a.kind in _FIRM for a in c.anchors) for c in clauses):
                kept.add("preventive")
            out.append(frozenset(kept))
            continue
        jobs: set[str] = {p for p, hit in (voted or {}).items() if i in hit}
        if "root_cause" in jobs and _WONDER.search(text, *document.char_span(s)):
            jobs.discard("root_cause")  # "I do not know what I will do": a plea, not a cause owned
        if _states_cause(clauses, text, heading_part[s.block] == "root_cause"):
            jobs.add("root_cause")
        b = blocks[s.block]
        dated_item = b.kind == "item" and _DATED_ITEM.match(text, b.start, b.end) is not None
        done_here = heading_part[s.block] == "corrective" or dated_item
        under_done = heading_part[s.block] == "corrective"
        acted = [c for c in seller_done(clauses, agentless=True)
                 if _acted(c, text, under_done) and (not c.agentless_passive or _their_passive(c, text, done_here))]
        others = [c for c in clauses if _now_has(c, text) or c.agentless_passive and _their_passive(c, text, done_here)
                  or _learner_done(c, text, under_done)]
        if acted or others:
            jobs.add("corrective")
            under_cause = heading_part[s.block] == "root_cause"
            if "root_cause" in jobs and not under_done and not any(
                    c.verb in _FIX_VERBS or not under_cause and any(a.kind is AnchorKind.DATE for a in c.anchors)
                    for c in acted + others) \
                    and (heading_part[s.block] == "root_cause" or _FAILURE_WORD.search(text, *document.char_span(s))):
                # the failed step, not a fix: "We listed the chargers without the certificate, because I did not read
                # the rules" does the root cause's job only
                jobs.discard("corrective")
        elif (dated_item or under_done) and _PARTICIPLE.search(text, *document.char_span(s)):
            # "- 19 August 2025 - all seven images were deleted"; under "Actions taken:", "Buyers who received
            # short-dated units were contacted and refunded"
            jobs.add("corrective")
        elif under_done and all(c.verb is None for c in clauses) and any(
                a.kind is AnchorKind.DATE for c in clauses for a in c.anchors):
            jobs.add("corrective")  # a dated note under "What we fixed": "New photos of the current jar, live since 9 May."
        if heading_part[s.block] == "root_cause" and "root_cause" not in jobs and _told(clauses, text):
            jobs.add("root_cause")  # under "What went wrong": "The photographer used a sample from an earlier design."
        if any(_commits(c, text) for c in clauses) or _now_policy(clauses, text, *document.char_span(s)) \
                or _scheduled(clauses, text, heading_part[s.block] == "preventive") \
                or "corrective" in jobs and _PREVENT_PURPOSE.search(text, *document.char_span(s)):
            # a change made for the future does both jobs: "To keep this from happening again, we changed how
            # we publish listings", "So that no parcel leaves unscanned again, we fitted a second reader"
            jobs.add("preventive")
        elif _FORWARD.search(text, *document.char_span(s)) and not _WISH.search(text, *document.char_span(s)) and any(
                not c.negated and c.verb not in (None, "be", "have") and c.actor not in (Actor.AMAZON, Actor.BUYER)
                and c.time not in (Time.QUESTION, Time.CONDITIONAL) and _verb_ok(c, text, _NOT_A_PLAN)
                and not _ULTIMATUM.search(text, c.start, c.end) for c in clauses):
            # a measure the clause reader could not place, named as one for the future: "* Going forward: only buy
            # from listed distributors; invoices checked by me before every purchase", a run-on "... in the
            # future we will give priority to our own brand"
            jobs.add("preventive")
        out.append(frozenset(jobs))
    return out


# a list item that opens with a date: "- 4 May: pulled the old photos", "- 19 August 2025 - all images deleted"
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATED_ITEM = re.compile(r"\W*(\(?\d{1,2}[.)]\s+)?(on )?(\d{1,2}(st|nd|rd|th)? (of )?" + _MONTH + r"|" + _MONTH + r" \d{1,2}(st|nd|rd|th)?,?"
                         r"|\d{1,4}[/.-]\d{1,2}([/.-]\d{2,4})?)( \d{4})?\s*[:,\u2013\u2014-]", re.I)


_FORWARD = re.compile(r"\b(from now on|going forward|moving forward|in (the )?(near )?future|henceforth|from today on|"
                      r"from this day)\b|\bfuture,?\s+(we|i)\s+(will|shall)\b", re.I)
# the verbs of a fix: an action in a sentence that states a cause is a fix only with one of these (or a date)
_FIX_VERBS = frozenset({"remove", "delete", "refund", "reimburse", "replace", "correct", "fix", "update", "change", "edit",
                        "rewrite", "cancel", "destroy", "dispose", "recall", "retrain", "train", "hire", "install",
                        "switch", "stop", "pause", "relabel", "repackage", "contact", "apologize", "apologise", "resend",
                        "reship", "close", "terminate", "fire", "quarantine", "isolate", "withdraw", "add", "amend",
                        "revise", "rework", "dismiss", "suspend", "halt", "block", "deactivate", "disable"})


def _told(clauses: Sequence[Clause], text: str) -> bool:
    """Under a root-cause heading, a statement of what happened on the seller's side or to its things ("Our
    photos showed a lid the jar does not have", "The photographer used a sample from an earlier design"): the
    heading says it is the cause. Not a plea, a wish, a plan or the shop's history."""
    return any(c.time in (Time.DONE, Time.ONGOING, Time.STATE) and c.verb not in (None, "be", "have")
               and c.actor not in (Actor.AMAZON, Actor.BUYER) and _verb_ok(c, text, _NOT_A_PLAN)
               and c.verb not in _RECEIVED and c.verb not in _NOT_CAUSE_VERBS and c.verb not in _ACCUSED
               and not (c.passive and c.verb in _AMAZON_DONE) and not _HISTORY.search(text, c.start, c.end)
               for c in clauses)


# what is done to the seller: "This is like being accused of a crime", "we were punished for ..."
_ACCUSED = frozenset({"accuse", "punish", "treat", "blame", "target", "penalize", "penalise", "judge", "charge"})


_PARTICIPLE = re.compile(r"\b(was|were|been)\s+(\w+ed|\w+en|sent|put|cut|set|made|built|paid|sold|told|bought)\b", re.I)


def heading_parts(blocks: Sequence[object]) -> list[str | None]:
    """For every block, the part of the nearest recognised heading above it (None before any, or after an
    unknown heading)."""
    out: list[str | None] = []
    cur: str | None = None
    for b in blocks:
        if getattr(b, "kind", None) == "heading":
            part = getattr(b, "part", None)
            cur = part if part in PARTS else None
        out.append(cur)
    return out


def find_sections(document: Document, cues: CueMatcher, off: NotAPart | None = None) -> Sections:
    """The part of every sentence and block (the Document is read, not changed).

    With `off`, sentences that plead, threaten, deny or question the reviewer belong to no part,
    and a passage made mostly of them keeps a part only through a strong cue of its own.
    """
    blocks = document.blocks
    under = _under_headings(blocks)  # per block: under a recognised heading
    parts: list[str | None] = []
    heading_part: str | None = None
    seen_heading = False
    for b in blocks:
        if b.kind == "heading":
            seen_heading = True
            heading_part = b.part  # None: a heading we cannot name, content decides below it
            parts.append(b.part or "other")
        elif b.kind in FRAME:
            parts.append("other")
        else:
            parts.append(heading_part)  # None = decide by content
    has_headings = any(b.kind == "heading" and b.part in PARTS for b in blocks)
    del seen_heading

    scores = cues.scores(document)
    by_block: dict[int, list[int]] = {}
    for i, s in enumerate(document.sentences):
        by_block.setdefault(s.block, []).append(i)
    # a decisive cue is wording ("root cause", "to prevent"): concept votes come after, so that
    # "I do not know what I will do" in a plea (an owned-looking phrase) cannot rescue the plea
    offs = _off_sentences(document, off, scores) | (off.hard_off(document) if off is not None else set())
    hits = off.vote_hits(document) if off is not None else []
    jobs = sentence_jobs(document, offs, NotAPart.voted(hits) if off is not None else None)
    worded = [dict(x) for x in scores]  # cue wording only, before the concept votes
    NotAPart.add_votes(hits, scores)

    _overrule_headings(blocks, parts, by_block, jobs, scores)
    previous: str | None = None
    for bi, b in enumerate(blocks):
        if b.kind == "heading":
            previous = b.part if b.part in PARTS else None  # an unknown heading is a boundary: no inheritance
            continue
        if parts[bi] is not None:
            if b.kind not in FRAME:
                previous = parts[bi]
            continue
        totals = dict.fromkeys(PARTS, 0.0)
        members = by_block.get(bi, [])
        mostly_off = 2 * sum(si in offs for si in members) >= len(members) > 0
        for si in members:
            if si in offs or (mostly_off and max(worded[si].values()) < STRONG_CUE):
                continue  # a pleading or denying passage: a weak cue word in it is no answer
            for part, w in scores[si].items():
                totals[part] += w
        best = max(PARTS, key=lambda p: totals[p])
        done = [p for p in PARTS if any(p in jobs[si] for si in members)]
        if totals[best] >= BLOCK_CUE:
            parts[bi] = best
        elif previous in PARTS and b.kind == "item":
            parts[bi] = previous  # a list continues the part it belongs to
        elif done:
            # no cue words, but its sentences do a part's job ("We will do our best."): the part is
            # there, however vague; thin-section and the vague-* rules judge it
            parts[bi] = max(done, key=lambda p: (sum(p in jobs[si] for si in members), totals[p]))
        else:
            parts[bi] = "other"
        previous = parts[bi]

    block_parts = tuple(p or "other" for p in parts)
    sentence_parts: list[str] = []
    for i, s in enumerate(document.sentences):
        part = block_parts[s.block]
        b = blocks[s.block]
        if b.kind == "heading":
            sentence_parts.append("heading")
            continue
        if i in offs:
            sentence_parts.append("other")
            continue
        own = scores[i]
        best = max(PARTS, key=lambda p: own[p])
        under_heading = under[s.block]
        # a sentence keeps its own part with a strong cue, or with a clear one ("because") and none
        # at all for its paragraph's part: "X failed because ... . We switched couriers on 3 May."
        # (not for preventive: its middling cues are frequency words, "every day", which facts use too)
        clear = own[best] >= STRONG_CUE or (best != "preventive" and own[best] >= OWN_CUE and own.get(part, 0.0) == 0)
        # strong content overrules its heading: a decisive cue that the sentence's clauses confirm,
        # and no sign of the heading's own job in it
        overrule = (own[best] >= DECISIVE_CUE and best in jobs[i] and part not in jobs[i]
                    and best != "preventive" and not _first_under_heading(blocks, s.block))
        if (not under_heading or overrule) and part in PARTS and clear and own[best] > own[part] + 1.0:
            sentence_parts.append(best)
        else:
            sentence_parts.append(part)
    _fill_missing(document, sentence_parts, jobs, offs)
    return Sections(tuple(sentence_parts), block_parts, has_headings, tuple(jobs))


def _overrule_headings(blocks: Sequence[object], parts: list[str | None], by_block: dict[int, list[int]],
                       jobs: Sequence[frozenset[str]], scores: Sequence[dict[str, float]]) -> None:
    """Strong content overrules its heading: a recognised heading owns the passage right under it, but
    a later paragraph none of whose sentences does the heading's job, while its sentences do one other
    part's job and its cue words agree, is that other part ("Root cause:" then the cause, then "On 12
    April Northwind Ltd removed ...", then "Going forward ...")."""
    owner: str | None = None
    owned = 0
    for bi, b in enumerate(blocks):
        kind = getattr(b, "kind", None)
        if kind == "heading":
            owner, owned = getattr(b, "part", None), 0
            continue
        if owner not in PARTS or kind in FRAME or parts[bi] != owner:
            continue
        owned += 1
        members = by_block.get(bi, [])
        doing = {p for si in members for p in jobs[si]}
        if owned == 1 or not members or owner in doing or len(doing) != 1:
            continue
        other = next(iter(doing))
        cue = sum(scores[si][other] for si in members)
        if kind == "paragraph" and cue >= sum(scores[si][owner] for si in members):
            parts[bi] = other


def _fill_missing(document: Document, sentence_parts: list[str], jobs: Sequence[frozenset[str]],
                  offs: set[int]) -> None:
    """A part that no heading names and no sentence was given, while some sentence does its job: those
    sentences are that part ("Our shipments were late. We are sorry. We now have more packers and we
    will make sure orders leave on time." has a corrective and a preventive part, however thin).

    A sentence moves out of a part only when it does not do that part's job, the part keeps other
    sentences and no recognised heading put it there, so filling one part never empties another."""
    blocks = document.blocks
    named = {b.part for b in blocks if b.kind == "heading" and b.part in PARTS}
    under = _under_headings(blocks)
    for part in PARTS:
        if part in named or part in sentence_parts:
            continue
        for i, j in enumerate(jobs):
            if part not in j or i in offs:
                continue
            cur = sentence_parts[i]
            if cur in PARTS and (cur in j or sentence_parts.count(cur) <= 1
                                 or under[document.sentences[i].block]):
                continue  # a recognised heading keeps its sentences; no part is emptied to fill another
            sentence_parts[i] = part


def _first_under_heading(blocks: Sequence[object], index: int) -> bool:
    """The passage right under a recognised heading: the heading owns it whatever its cue words."""
    j = index - 1
    return j >= 0 and getattr(blocks[j], "kind", None) == "heading" and getattr(blocks[j], "part", None) is not None


def _under_headings(blocks: Sequence[object]) -> list[bool]:
    """For every block: is the nearest heading above it a recognised one? One pass (asked per sentence)."""
    out: list[bool] = []
    cur = False
    for b in blocks:
        out.append(cur)
        if getattr(b, "kind", None) == "heading":
            cur = getattr(b, "part", None) is not None
    return out


def not_a_part(spec: NotAPartVocab | None, ruleset: RuleSet, matchers: Matchers) -> NotAPart | None:
    """The `not_a_part` entry of rules/sections.yaml: concepts by name and rules by id (their matchers)."""
    if spec is None:
        return None
    found: list[Matchable] = []
    if spec.concepts:
        found.append(Matchable(concepts=spec.concepts))
    for rid in spec.rules:
        rule = ruleset.rules[rid]
        found += [rule.match, *(alt.match for alt in rule.alternatives)]
    found = [m for m in found if not m.empty()]
    votes = [(part, Matchable(concepts=(concept,)), weight)
             for part, entries in spec.concept_cues.items() for concept, weight in entries]
    hard = Matchable(concepts=spec.hard) if spec.hard else None
    return NotAPart(matchers, found, votes, hard) if found or votes or hard else None


# what befell the seller, not what it did: "when we received your notice on 3 May", "I got the e-mail on Friday"
_STORY_VERBS = frozenset({"receive", "get", "notice", "see", "hear", "learn", "discover", "realise", "realize", "find",
                          "happen", "join", "sell", "found", "grow", "lose", "borrow", "spend", "pay"})
# the shop's own history: "I started selling on Amazon in January 2025", "I sent my first shipment in February"
_SHOP_STORY = re.compile(r"\b(start\w*|began|begin\w*|open\w*|launch\w*|set up|creat\w*|register\w*)\s+(selling|to sell|trading|"
                         r"on amazon|(my|our|the|an|a) (seller )?(account|shop|store|business|company))\b|"
                         r"\b(my|our) (very )?first (shipment|order|sale|listing|product|batch|year|month|season)s?\b", re.I)
_TO_US = re.compile(r"\W*(they|he|she)\s+(\w+\s+){0,2}?\w+\s+(us|me)\b", re.I)
_OFFER = re.compile(r"\bif (you|amazon|the (team|reviewer))\b", re.I)  # "if you need it we will send it within a day"


def measure_clause(c: Clause, clauses: Sequence[Clause], text: str, under: str | None = None,
                   cause: bool = False) -> bool:
    """Is `c` a measure of the seller's side, so that a time on it dates the plan: an action taken ("on 3 May we
    removed the listing", "all 12 buyers were refunded within two days") or a commitment or standing practice
    ("from 5 May our packer weighs every parcel", "we will retrain the team by 20 May"). Not the story of what
    happened ("I started selling in January 2025", "your notice of 3 May", "our account was deactivated on
    4 May"), not what others do or promise ("the courier said they will improve in the next weeks"), not a past
    habit ("our team worked on Saturdays"), not an offer to the reviewer ("if you need it, we will send it
    immediately"). `under`: the part of the heading above the clause (None for none); `cause`: the sentence
    states a cause (then a past action in it is the failure told, "the first scan was made only on the next day",
    unless it is a fix: "so we replaced the labels on 3 May")."""
    if c.time is Time.NONE and under == "corrective" and c.verb is None:
        return any(a.kind is AnchorKind.DATE for a in c.anchors)  # "New photos of the jar, live since 9 May."
    if c.actor in (Actor.AMAZON, Actor.BUYER) or c.negated or c.time in (Time.QUESTION, Time.CONDITIONAL, Time.NONE):
        return False
    if _TO_US.match(text, c.start, c.end):
        return False  # another party acting on the seller: "they offered us a better price for next year"
    if c.link == "that" and c.actor is not Actor.SELLER:
        return False  # reported speech of others: "they say they will improve the service in the next weeks"
    if c.link in ("time", "condition") and (c.verb in _STORY_VERBS or c.verb in _AMAZON_DONE):
        return False  # "when we received your notice on 3 May", "after our listing was removed"
    if c.verb in _STORY_VERBS and c.time is Time.DONE or _SHOP_STORY.search(text, c.start, c.end):
        return False
    if c.time is Time.DONE:
        if (cause or under == "root_cause") and under != "corrective" and c.verb not in _FIX_VERBS:
            return False
        if c.passive and c.verb in _AMAZON_DONE:
            return False  # "our account was deactivated on 4 May"
        if c.actor in (Actor.CARRIER, Actor.SUPPLIER, Actor.THIRD) and not _ours(c):
            return False
        if any(a.kind is AnchorKind.FREQUENCY for a in c.anchors) and not any(
                a.kind in (AnchorKind.DATE, AnchorKind.DURATION, AnchorKind.DEADLINE) for a in c.anchors):
            return False  # a past habit: "our team worked extra hours on Saturdays"
        if c.agentless_passive:
            return _their_passive(c, text, under == "corrective" or bool(c.anchors))
        return _acted(c, text, under == "corrective") or under == "corrective" and c.actor is Actor.SELLER \
            and c.verb not in _RECEIVED
    if any(x.link == "condition" and (x.actor is Actor.AMAZON or _OFFER.search(text, x.start, x.end)) for x in clauses):
        return False  # an offer to the reviewer: "if you need the invoices, we will send them within a day"
    if c.time is Time.PLANNED:
        if c.actor in (Actor.CARRIER, Actor.SUPPLIER, Actor.THIRD) and not _ours(c):
            return False
        return _commits(c, text) or (c.verb is not None and _verb_ok(c, text, _NOT_A_PLAN))
    # a habit or standing rule now in place: "every parcel is now weighed", "from 5 May the courier collects twice a day"
    if c.verb in (None, "be", "have") or not _verb_ok(c, text, _NOT_A_PLAN):
        return False
    return _commits(c, text) or _scheduled([c], text, under == "preventive") or under in ("corrective", "preventive") \
        or c.actor in (Actor.SELLER, Actor.UNKNOWN, Actor.NONE) and any(
            not a.weak and a.kind in (AnchorKind.FREQUENCY, AnchorKind.TRIGGER) for a in c.anchors)
