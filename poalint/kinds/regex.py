"""`kind: regex`: regular expressions over the text of the rule's scope (placeholders, URLs, CAPS)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from poalint.context import Context, Hit, check_options, option
from poalint.matching import inside, prefilter, quoted_ranges
from poalint.model import Rule, Severity


@dataclass(frozen=True)
class RegexOptions:
    in_quotes: bool = option(False, "bool")
    max_findings: float | None = option(None, "number")
    exceptions: tuple[str, ...] = option((), "wordlist")  # matches to let pass ("$name": a lexicon word list)
    group: int = option(0, "int")  # the regex group the finding marks (0: the whole match)
    # what a publisher's or a poster's anonymisation also looks like ("ASIN xxx", "Dear XXXX"): a match is the
    # rule's finding only in a letter where one of its own regexes matches too (a template has several kinds
    # of blank); alone it is a warning in `mask_message` / `mask_fix` (a value hidden, or a blank: unsure)
    masks: tuple[str, ...] = option((), "regexes")
    mask_message: str | None = option(None, "str")
    mask_fix: str | None = option(None, "str")


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    doc = ctx.document
    opts = check_options(rule, RegexOptions)
    flags = 0 if rule.match.case_sensitive else re.I
    exceptions = {e.lower() for e in opts.exceptions}
    group = opts.group
    quotes = [] if opts.in_quotes else quoted_ranges(doc.text)
    ranges = [doc.char_span(s) for s in ctx.sentences(rule.scope)]
    limit = opts.max_findings
    seen: list[tuple[int, int]] = []
    matchers = ctx.matchers
    folded = None if matchers.plain else matchers.folded(doc)
    hits: list[tuple[int, int, bool]] = []  # (start, end, a mask)
    for rx, mask in [*((r, False) for r in rule.match.regex), *((r, True) for r in opts.masks)]:
        compiled = re.compile(rx, flags | re.M)
        found = compiled.finditer(doc.text) if folded is None else \
            prefilter(compiled.pattern, compiled.flags).finditer(compiled, doc.text, folded)
        for mt in found:
            try:
                start, end = mt.span(group)
            except (IndexError, re.error):
                start, end = mt.span()
            if end <= start or mt.group(0).lower().strip() in exceptions:
                continue
            if not any(lo <= start and end <= hi for lo, hi in ranges):
                continue
            if quotes and inside(quotes, start, end):
                continue
            if any(s < end and e > start for s, e in seen) or not ctx.allowed(rule, start, end):
                continue
            seen.append((start, end))
            hits.append((start, end, mask))
    template = any(not mask for _, _, mask in hits)
    hits.sort()
    for n, (start, end, mask) in enumerate(hits, 1):
        if limit is not None and n > limit:
            return
        if mask and not template:
            yield Hit(start, end, {}, severity=Severity.WARNING, message=opts.mask_message, fix=opts.mask_fix)
        else:
            yield Hit(start, end, {})
