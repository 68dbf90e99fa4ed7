"""`kind: custom`: named checks that data alone cannot express. Each still has a YAML rule file.

`CHECKS` is the explicit table; a rule picks one with `check: <name>` and passes `options`.
The checks live in poalint/checks/ (one module per family), vocabulary stays in rules/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from poalint.checks.suppressions import suppression_comments
from poalint.kinds import Context, Hit
from poalint.ruleset import Rule

PART_NAMES = {"root_cause": "root cause", "corrective": "corrective actions", "preventive": "preventive measures"}


def missing_part(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """No heading and no passage for the part named in `options.part`."""
    part = rule.options["part"]
    doc = ctx.document
    if any(s.part == part for s in doc.sentences):
        return
    if any(b.kind == "heading" and b.part == part for b in doc.blocks):
        return  # a heading with nothing under it is thin-section's business
    yield Hit(0, 0, {"part": PART_NAMES.get(part, part)})



CHECKS: dict[str, Callable[[Rule, Context], Iterator[Hit]]] = {
    "suppression-comments": suppression_comments,
    "missing-part": missing_part,
}


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    return CHECKS[rule.options["check"]](rule, ctx)
