"""`kind: custom`: named checks that data alone cannot express. Each still has a YAML rule file.

`CHECKS` is the explicit table: a name, the check function and the Options dataclass declared
beside it. A rule picks one with `check: <name>` and sets `options`, validated when the rules
load (unknown keys, types, concept and word-list names) into `Rule.options`, that dataclass. The checks live in poalint/checks/
(one module per family); vocabulary stays in rules/.
"""

from __future__ import annotations

from collections.abc import Iterator

from poalint.checks import clausal, evidence, parts, relevance, requests, style, substance
from poalint.checks.suppressions import suppression_comments
from poalint.context import Context, CustomCheck, Hit
from poalint.model import Rule

CHECKS: dict[str, CustomCheck] = {
    "suppression-comments": CustomCheck(suppression_comments),
    "missing-part": CustomCheck(parts.missing_part, parts.MissingPartOptions),
    "thin-section": CustomCheck(parts.thin_section, parts.ThinSectionOptions),
    "section-order": CustomCheck(parts.section_order),
    "undated-measure": CustomCheck(clausal.undated_measure, clausal.UndatedMeasureOptions),
    "missing-timeline": CustomCheck(clausal.missing_timeline, clausal.MissingTimelineOptions),
    "passive-evasion": CustomCheck(clausal.passive_evasion, clausal.PassiveEvasionOptions),
    "reason-not-addressed": CustomCheck(relevance.reason_not_addressed, relevance.ReasonNotAddressedOptions),
    "reason-mismatch": CustomCheck(relevance.reason_mismatch, relevance.ReasonMismatchOptions),
    "missing-reference": CustomCheck(relevance.missing_reference),
    "recycled-text": CustomCheck(relevance.recycled_text, relevance.RecycledTextOptions),
    "uncovered-request": CustomCheck(requests.uncovered_request, requests.UncoveredRequestOptions),
    "question-to-amazon": CustomCheck(requests.question_to_amazon, requests.QuestionOptions),
    "emotional-appeal": CustomCheck(requests.emotional_appeal, requests.EmotionalOptions),
    "missing-evidence": CustomCheck(evidence.missing_evidence),
    "repeated-text": CustomCheck(style.repeated_text, style.RepeatedTextOptions),
    "wall-of-text": CustomCheck(style.wall_of_text, style.WallOfTextOptions),
    "shouting": CustomCheck(style.shouting, style.ShoutingOptions),
    # judged by the engine after the other rules (Linter.judge): the check itself finds nothing in the text
    substance.CHECK: CustomCheck(substance.not_in_the_text, substance.SubstanceOptions),
}


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    return CHECKS[rule.check].run(rule, ctx)
