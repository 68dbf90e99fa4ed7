"""`kind: custom`: named checks that data alone cannot express. Each still has a YAML rule file.

`CHECKS` is the explicit table; a rule picks one with `check: <name>` and passes `options`.
The checks live in poalint/checks/ (one module per family), vocabulary stays in rules/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from poalint.checks import evidence, parts, relevance, requests, style
from poalint.checks.suppressions import suppression_comments
from poalint.context import Context, Hit
from poalint.model import Rule

CHECKS: dict[str, Callable[[Rule, Context], Iterator[Hit]]] = {
    "suppression-comments": suppression_comments,
    "missing-part": parts.missing_part,
    "thin-section": parts.thin_section,
    "section-order": parts.section_order,
    "undated-measure": parts.undated_measure,
    "passive-evasion": parts.passive_evasion,
    "reason-not-addressed": relevance.reason_not_addressed,
    "reason-mismatch": relevance.reason_mismatch,
    "missing-reference": relevance.missing_reference,
    "recycled-text": relevance.recycled_text,
    "uncovered-request": requests.uncovered_request,
    "missing-evidence": evidence.missing_evidence,
    "repeated-text": style.repeated_text,
    "wall-of-text": style.wall_of_text,
    "shouting": style.shouting,
}


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    return CHECKS[rule.options["check"]](rule, ctx)
