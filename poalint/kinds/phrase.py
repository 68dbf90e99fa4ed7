"""`kind: phrase`: phrases, lemma phrases and token patterns found in the rule's scope."""

from __future__ import annotations

from collections.abc import Iterator

from poalint.kinds import Context, Hit
from poalint.matching import inside, longest, quoted_ranges
from poalint.ruleset import Rule


def hits_in_scope(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Matches of `rule.match` inside scope sentences, not quoted, passing unless/when; one per sentence."""
    doc = ctx.document
    spans = longest(ctx.matchers.find(rule.match, doc))
    if not spans:
        return
    quotes = [] if ctx.setting(rule, "in_quotes", False) else quoted_ranges(doc.text)
    ranges = [doc.char_span(s) for s in ctx.sentences(rule.scope)]
    used_sentences: set[int] = set()
    for start, end in spans:
        for i, (lo, hi) in enumerate(ranges):
            if lo <= start and end <= hi:
                break
        else:
            continue
        if i in used_sentences or (quotes and inside(quotes, start, end)):
            continue
        if not ctx.allowed(rule, start, end):
            continue
        used_sentences.add(i)
        lo, hi = ranges[i]
        yield Hit(start, end, {"sentence": doc.text[lo:hi]})


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    limit = ctx.setting(rule, "max_findings", None)
    for n, hit in enumerate(hits_in_scope(rule, ctx)):
        if limit is not None and n >= limit:
            return
        yield hit
