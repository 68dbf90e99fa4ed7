"""`kind: phrase`: phrases, lemma phrases and token patterns found in the rule's scope."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from poalint.checks import clausefilter
from poalint.context import Context, Hit, check_options, option
from poalint.matching import holding, inside, longest, quoted_ranges
from poalint.model import Alternative, Rule, Severity


@dataclass(frozen=True)
class PhraseOptions:
    in_quotes: bool = option(False, "bool")  # also match inside quotation marks (quoted words are not the writer's)
    max_findings: float | None = option(None, "number")  # at most this many findings per letter
    # a match counts only when the clause it sits in has these features (poalint.checks.clausefilter)
    clause: Any = option(None, "any")
    # an error only when sure: a hit whose clause misses these features is lowered to a warning
    sure: Any = option(None, "any")

    def invalid(self) -> tuple[list[object], str] | None:
        for key in ("clause", "sure"):
            _cond, problem = clausefilter.parse(getattr(self, key), key)
            if problem:
                return problem
        return None

    def names(self) -> list[tuple[list[object], str, str]]:
        """(key path, "concept" / "lexicon", name) of every concept and word list the conditions name, for the
        loader to check against the rule set, as it checks every other name."""
        out: list[tuple[list[object], str, str]] = []
        for key, cond in zip(("clause", "sure"), self.conditions()):
            if cond is None:
                continue
            for field, kind in (("unowned", "concept"), ("disowned", "concept"), ("done_verbs", "lexicon"),
                                ("owned_verbs", "lexicon")):
                name = getattr(cond, field)
                if name:
                    out.append(([key, field], kind, name))
        return out

    def conditions(self) -> tuple[clausefilter.ClauseCondition | None, clausefilter.ClauseCondition | None]:
        """The parsed `clause:` and `sure:` conditions, parsed once per options object (not per letter; the
        object is built when the rules load, and only its fields go into the rules cache)."""
        got = self.__dict__.get("_conditions")
        if got is None:
            got = (clausefilter.parse(self.clause, "clause")[0], clausefilter.parse(self.sure, "sure")[0])
            object.__setattr__(self, "_conditions", got)
        return got  # type: ignore[no-any-return]


def _sources(rule: Rule) -> list[Alternative]:
    """The rule's own matchers (if any) and its `any:` entries, each with its conditions."""
    out = [Alternative(rule.match)] if not rule.match.empty() else []
    return out + list(rule.alternatives)


def hits_in_scope(rule: Rule, ctx: Context, in_quotes: bool,
                  clause: clausefilter.ClauseCondition | None = None) -> Iterator[Hit]:
    """Matches inside scope sentences, not quoted (unless `in_quotes`), passing unless/when; one per
    sentence, in text order.

    Rule-level `unless` / `when` apply to every match; an `any:` entry adds its own, and with
    `repeat: N` only its N-th and later matches in the scope count.
    """
    doc = ctx.document
    quotes = [] if in_quotes else quoted_ranges(doc.text)
    ranges = [doc.char_span(s) for s in ctx.sentences(rule.scope)]
    los = [lo for lo, _hi in ranges]
    found: list[tuple[int, int, int]] = []  # (start, end, sentence index)
    for alt in _sources(rule):
        seen = 0
        # a pattern with a gap ("{0,5}") may also match across a sentence end; such spans are dropped
        # before `longest`, so they cannot hide the match inside one sentence
        spans = [(s, e, holding(ranges, s, e, los)) for s, e in ctx.matchers.find(alt.match, doc)]
        within = {(s, e): i for s, e, i in spans if i >= 0}
        for start, end in longest(list(within)):
            i = within[(start, end)]
            if quotes and inside(quotes, start, end):
                continue
            if not (ctx.allowed(rule, start, end) and ctx.passes(alt.unless, alt.when, start, end)):
                continue
            if clause is not None and not clausefilter.accepts(clause, ctx, start, end):
                continue
            seen += 1
            if seen >= alt.repeat:
                found.append((start, end, i))
    used_sentences: set[int] = set()
    for start, end, i in sorted(found, key=lambda f: (f[0], -f[1])):
        if i in used_sentences:
            continue
        used_sentences.add(i)
        lo, hi = ranges[i]
        yield Hit(start, end, {"sentence": doc.text[lo:hi]})


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    opts = check_options(rule, PhraseOptions)
    limit = opts.max_findings
    clause, sure = opts.conditions() if opts.clause is not None or opts.sure is not None else (None, None)
    body = clausefilter.Body([])
    if sure is not None and (sure.unowned or sure.disowned or sure.owned_verbs):
        body = clausefilter.Body([ctx.document.char_span(s) for s in ctx.sentences(("body",))])
    for n, hit in enumerate(hits_in_scope(rule, ctx, opts.in_quotes, clause)):
        if limit is not None and n >= limit:
            return
        if sure is not None and not clausefilter.sure(sure, ctx, hit.start, hit.end, body):
            hit = Hit(hit.start, hit.end, hit.values, severity=Severity.WARNING)
        yield hit
