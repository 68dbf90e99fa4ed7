"""The static half of `unused-suppression`: poalint comments that name unknown rules or are malformed.

The dynamic half (a comment that hides nothing) needs every other finding first, so the
engine runs it after the rules (poalint.suppress.apply).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from poalint.context import Context, Hit
from poalint.model import CATEGORIES, Rule
from poalint.suppress import SYNTAX, parse, unknown_names


def suppression_comments(rule: Rule, ctx: Context) -> Iterator[Hit]:
    directives, bad = parse(ctx.document.letter)
    ids = sorted(ctx.ruleset.rules)
    known = set(ids) | set(CATEGORIES)
    for d, name in unknown_names(directives, known):
        close = difflib.get_close_matches(name, [*ids, *CATEGORIES], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        yield Hit(d.at[0], d.at[1], {"match": " ".join(d.text.split()),
                                     "why": f"there is no rule or category '{name}'{hint}",
                                     "how": "Use a rule id from `poalint rules`, or delete the comment."})
    for b in bad:
        yield Hit(b.at[0], b.at[1], {"match": " ".join(b.text.split()), "why": b.why,
                                     "how": f"Write {SYNTAX}, or delete it."})
