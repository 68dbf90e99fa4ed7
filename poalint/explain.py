"""The text `poalint rule ID` prints (the rule's summary, description, fix and examples), for the command
line and the language server's hover alike."""

from __future__ import annotations

import difflib
import os

from poalint.model import RuleSet
from poalint.template import explain


def rule_text(ruleset: RuleSet, rule_id: str) -> str | None:
    """What `poalint rule RULE_ID` prints; a reason pack's explanation for a reason id; None when unknown."""
    rule = ruleset.rules.get(rule_id)
    if rule is None and rule_id in ruleset.reasons:
        return explain(ruleset.reasons[rule_id])
    if rule is None:
        return None
    out = [f"{rule.id}  ({rule.category}, {rule.severity})\n", rule.summary + "\n"]
    if rule.description:
        out.append(rule.description.strip() + "\n")
    out.append(f"How to fix: {rule.fix}\n".replace("{match}", "...").replace("{sentence}", "..."))
    for label, key in (("Fails", "fail"), ("Passes", "pass")):
        for example in rule.examples.get(key, ()):
            out.append(f"{label}:  {example}")
    out.append(f"\nDefined in: {os.path.relpath(rule.source) if not rule.source.startswith('/') else rule.source}")
    return "\n".join(out) + "\n"


def unknown_rule(ruleset: RuleSet, rule_id: str) -> str:
    close = difflib.get_close_matches(rule_id, [*ruleset.rules, *ruleset.reasons], n=3)
    hint = f" Did you mean: {', '.join(close)}?" if close else " Run `poalint rules` for the list."
    return f"unknown rule '{rule_id}'.{hint}"
