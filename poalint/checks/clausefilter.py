"""Clause conditions for phrase rules: a match counts only when the clause it sits in reads as stated.

A rule's `clause:` (see docs/clauses.md, "Clause conditions in rules") names the features the clause
holding a match must have: who acts, its time, its polarity, whether it is the match's own predicate,
and what it hangs on ("the buyer said that ...", "to ensure that ..."). `sure:` names what makes an
error-level finding certain; a hit that misses it is lowered to a warning (issue 9: an error only
when sure).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from poalint.clauses import Actor, Clause, Time, document_clauses, seller_done
from poalint.context import Context

ACTORS = tuple(a.value for a in Actor)
TIMES = tuple(t.value for t in Time)
LINKS = ("", "coord", "comma", "colon", "semicolon", "item", "resume", "cause", "time", "purpose", "result",
         "relative", "that", "condition", "concession")
WHERE = ("block", "part")
_COPULA = (None, "be", "have")  # with these the match is the predicate's complement ("this is unfair")
_FINITE_BE = frozenset({"is", "are", "was", "were", "am", "'s", "'re", "’s", "’re", "'m", "’m"})
_HANGS = ("that", "colon", "", "comma", "purpose")

_LISTS = {"actor": ACTORS, "not_actor": ACTORS, "time": TIMES, "not_time": TIMES, "not_link": LINKS,
          "not_modal": None, "not_under": None, "not_reported": None, "not_under_actor": ACTORS, "seller_words": None}
_BOOLS = ("negated", "predicate")
_CHOICE = {"unless_done": WHERE}
_NAMES = {"done_verbs", "owned_verbs"}  # a word list of the rule set (rules/lexicon), checked by tests/test_clausefilter.py
_SURE = {"unowned", "disowned", "owned_verbs", "not_modal", "not_under", "not_actor", "actor"}


@dataclass(frozen=True)
class ClauseCondition:
    """What the clause holding a match must be (every given key must hold)."""

    actor: frozenset[str] | None = None  # one of these actors ("seller", "buyer", ...)
    not_actor: frozenset[str] = frozenset()
    time: frozenset[str] | None = None  # one of these times ("done", "planned", ...)
    not_time: frozenset[str] = frozenset()
    not_link: frozenset[str] = frozenset()  # not opened by these links ("condition", "purpose", ...)
    not_modal: frozenset[str] = frozenset()  # no such modal ("may", "might": hedged)
    negated: bool | None = None
    # the match holds the clause's main verb, or is the complement of a "be" / "have" clause (not a noun
    # phrase inside another verb's object)
    predicate: bool = False
    # the clause does not hang on words like these ("the buyer said that ...", "in order to ensure that ...");
    # read from the previous clause of the sentence and the clause's own words before the match
    not_under: frozenset[str] = frozenset()
    not_under_actor: frozenset[str] = frozenset()
    # ... nor is someone else's words: hangs on (or runs on from) a clause of another party that holds one of
    # these ("three buyers wrote that ...", "the buyer complained that ..."); the seller's own "I must say that"
    # is still the seller's statement
    not_reported: frozenset[str] = frozenset()  # ... nor on a clause of these actors ("the buyer wrote: ...")
    # words that make a clause's actor the seller's side for this rule, whatever the clause reader says
    # ("the client was not aware" in an agency's letter: the client is the seller)
    seller_words: frozenset[str] = frozenset()
    # no match when the block / part holds an action the seller has taken ("part": the paragraph when the
    # sentence is in no part)
    unless_done: str | None = None
    done_verbs: str | None = None  # (with unless_done) only actions with a verb of this word list count
    unowned: str | None = None  # (sure:) a concept the letter's body must not hold (ownership)
    # (sure:) a concept that, in the hit's own sentence, makes it certain whatever the letter owns elsewhere:
    # the seller disowns the fault in the same breath ("It was the courier's fault, not ours.")
    disowned: str | None = None
    # (sure:, with unowned) a word list: a clause of the seller's side in the letter's body that says it did not do
    # one of these ("nobody on our team checked the scans", "our staff never verified the invoices", "we failed to
    # inspect") owns a failure too, however it is worded; read from the clause, not from cue words
    owned_verbs: str | None = None


def parse(value: Any, key: str) -> tuple[ClauseCondition | None, tuple[list[object], str] | None]:
    """The mapping of a rule's `clause:` / `sure:` key as a ClauseCondition, or (key path, problem)."""
    if value is None:
        return None, None
    if not isinstance(value, Mapping) or not value:
        return None, ([key], "must be a mapping of clause features (actor, time, negated, ...)")
    allowed = set(_LISTS) | set(_BOOLS) | set(_CHOICE) | _NAMES | ({"unowned", "disowned"} if key == "sure" else set())
    if key != "sure":
        allowed.discard("owned_verbs")
    if key == "sure":
        allowed &= _SURE
    out: dict[str, Any] = {}
    for name, v in value.items():
        if name not in allowed:
            return None, ([key, name], f"unknown clause feature; use {', '.join(sorted(allowed))}")
        if name in _LISTS:
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, (list, tuple)) or not v or not all(isinstance(x, str) for x in v):
                return None, ([key, name], "must be a non-empty list of words")
            known = _LISTS[name]
            for x in v:
                if known is not None and x not in known:
                    return None, ([key, name], f"unknown value {x!r}; use one of {', '.join(repr(k) for k in known)}")
            out[name] = frozenset(x.lower() for x in v)
        elif name in _BOOLS:
            if not isinstance(v, bool):
                return None, ([key, name], "must be true or false")
            out[name] = v
        elif name in _CHOICE:
            if v not in _CHOICE[name]:
                return None, ([key, name], f"unknown value {v!r}; use one of {', '.join(_CHOICE[name])}")
            out[name] = v
        else:  # unowned / disowned / done_verbs: a concept / word list name, checked against the rule set by the tests
            if not isinstance(v, str) or not v.strip():
                return None, ([key, name], "must be a name (a string)")
            out[name] = v
    return ClauseCondition(**out), None


# ---- reading --------------------------------------------------------------------------------------


def clause_at(ctx: Context, start: int) -> tuple[Clause | None, Clause | None, int]:
    """The clause holding offset `start`, the clause before it in its sentence, and the sentence index."""
    doc = ctx.document
    i = doc.sentence_index(start)
    if i < 0:
        return None, None, -1
    clauses = document_clauses(doc)
    if i >= len(clauses):
        return None, None, i
    group = clauses[i]
    prev = None
    for c in group:
        if c.start <= start < max(c.end, c.start + 1):
            return c, prev, i
        if c.start > start:
            break
        prev = c
    return None, prev, i


def _lemmas(ctx: Context, lo: int, hi: int) -> set[str]:
    doc = ctx.document.doc
    out: set[str] = set()
    k = bisect.bisect_left(doc, lo, key=lambda t: t.idx)
    while k < len(doc) and doc[k].idx < hi:
        t = doc[k]
        out.add(t.lower_)
        out.add(t.lemma_.lower())
        k += 1
    return out


def accepts(cond: ClauseCondition, ctx: Context, start: int, end: int) -> bool:
    """Does the clause holding [start, end) have the features `cond` names? A match outside any clause
    (a heading, a verbless label) passes only the conditions that need no clause."""
    clause, prev, si = clause_at(ctx, start)
    if clause is None:
        return cond.actor is None and cond.time is None and cond.negated is None
    actor, time = clause.actor.value, clause.time.value
    if cond.seller_words and clause.actor_text and clause.actor_text.lower().split()[-1] in cond.seller_words:
        actor = "seller"
    if cond.actor is not None and actor not in cond.actor:
        return False
    if actor in cond.not_actor:
        return False
    if cond.time is not None and time not in cond.time:
        return False
    if time in cond.not_time or clause.link in cond.not_link:
        return False
    if cond.negated is not None and clause.negated != cond.negated:
        return False
    if clause.modal and clause.modal.lower() in cond.not_modal:
        return False
    if cond.predicate and clause.verb not in _COPULA:
        words = _lemmas(ctx, start, end)
        # "(that caused complaints about) the product being inauthentic": inside a noun phrase; a finite "be"
        # in the match is a predicate of its own ("the titles used in my listings are original")
        if clause.verb not in words and not words & _FINITE_BE:
            return False
    # the clause hangs on the one before it when it opens with "that", a colon, a comma or nothing
    hangs = prev is not None and clause.link in _HANGS
    if cond.not_under:
        host_lo = prev.start if hangs and prev is not None else clause.start
        if _lemmas(ctx, host_lo, start) & cond.not_under:
            return False
    if hangs and prev is not None and prev.actor.value in cond.not_under_actor:
        return False
    if cond.not_reported:
        if hangs and prev is not None and prev.actor is not Actor.SELLER \
                and _lemmas(ctx, prev.start, clause.start) & cond.not_reported:
            return False
        # a match running from the reporting clause into the reported one ("the buyer complained that the
        # seller is lying"): the words are the buyer's
        if end > clause.end and clause.actor is not Actor.SELLER \
                and _lemmas(ctx, start, clause.end) & cond.not_reported:
            return False
    verbs = frozenset(ctx.ruleset.lexicon[cond.done_verbs]) if cond.done_verbs else None
    return not (cond.unless_done and _done_near(ctx, si, cond.unless_done, verbs))


def _done_near(ctx: Context, si: int, where: str, verbs: frozenset[str] | None = None) -> bool:
    """Does the block (or the run of sentences of the same part) of sentence `si` report an action the
    seller's side has taken? A part is read as the unbroken run around the sentence, so a stray line given
    the same part elsewhere (a "Prepared by:" header) does not count."""
    doc = ctx.document
    sentences = doc.sentences
    here = sentences[si]
    by_block = where == "block" or here.part == "other"
    # a block's sentences are one run too (sentences never cross a block, and both are in text order)
    runs = _runs(ctx, "block" if by_block else "part")
    lo, hi = runs[si]
    key = ("done_near", lo, hi, verbs)
    got = ctx.memo.get(key)
    if got is None:  # every hit in the run gets the same answer: read the run's clauses once
        clauses = document_clauses(doc)
        got = ctx.memo[key] = any(
            k < len(clauses) and any(verbs is None or c.verb in verbs for c in seller_done(clauses[k]))
            for k in range(lo, hi + 1))
    return bool(got)


def _runs(ctx: Context, by: str) -> list[tuple[int, int]]:
    """Per sentence, (first, last) index of the unbroken run of sentences with its block (`by` "block") or its
    part ("part"), found in one pass and kept for the letter."""
    key = ("runs", by)
    got = ctx.memo.get(key)
    if got is None:
        sentences = ctx.document.sentences
        values = [s.block if by == "block" else s.part for s in sentences]
        got = [(0, 0)] * len(values)
        lo = 0
        for i in range(1, len(values) + 1):
            if i == len(values) or values[i] != values[lo]:
                got[lo:i] = [(lo, i - 1)] * (i - lo)
                lo = i
        ctx.memo[key] = got
    return got  # type: ignore[no-any-return]


class Body:
    """The letter's body sentences as character spans, in text order and disjoint, for `sure`: the sentence
    holding an offset is a bisect, and whether the body holds a concept is read once."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = list(spans)
        self.los = [lo for lo, _hi in self.spans]
        self._holds: dict[str, bool] = {}

    def holding(self, offset: int) -> tuple[int, int] | None:
        """The span holding `offset`, or None."""
        i = bisect.bisect_right(self.los, offset) - 1
        return self.spans[i] if i >= 0 and offset < self.spans[i][1] else None

    def holds(self, concept: str, ctx: Context) -> bool:
        """Does some body sentence hold a match of `concept`?"""
        got = self._holds.get(concept)
        if got is None:
            spans = ctx.matchers.concept_index(concept, ctx.document)
            got = self._holds[concept] = any(spans.overlaps(lo, hi) for lo, hi in self.spans)
        return got


def sure(cond: ClauseCondition, ctx: Context, start: int, end: int, body: Body) -> bool:
    """Is an error-level hit at [start, end) certain: its clause passes `cond` and either its own sentence
    holds the `disowned` concept ("..., not ours") or, with `unowned`, the letter's body holds no match of
    that concept and, with `owned_verbs`, no clause of the seller's side that left such a step undone (the
    letter owns nothing)?"""
    if not accepts(cond, ctx, start, end):
        return False
    if cond.disowned:
        own = body.holding(start)
        if own is not None and ctx.matchers.concept_index(cond.disowned, ctx.document).overlaps(*own):
            return True
    if cond.unowned and body.holds(cond.unowned, ctx):
        return False
    return not (cond.owned_verbs and owns_gap(ctx, body, cond.owned_verbs))


def owns_gap(ctx: Context, body: Body, verbs_name: str) -> bool:
    """Does a clause in the body say the seller's side left a step undone: actor seller, a past act, negated or
    an omission ("we failed to"), its verb one of the lexicon list `verbs_name`, not a condition, purpose or
    plan? Read once per letter and list."""
    key = ("owns_gap", verbs_name)
    got = ctx.memo.get(key)
    if got is None:
        verbs = frozenset(ctx.ruleset.lexicon[verbs_name])
        got = ctx.memo[key] = any(
            c.actor is Actor.SELLER and c.time is Time.DONE and c.link not in ("condition", "purpose")
            and (c.negated or c.omission) and c.verb in verbs and body.holding(c.start) is not None
            for group in document_clauses(ctx.document) for c in group)
    return bool(got)
