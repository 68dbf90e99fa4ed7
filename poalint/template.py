"""Text about a reason pack: `poalint rule REASON-ID` (explain) and `poalint template REASON` (skeleton letter)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from poalint.packs import ReasonPack


def _join(labels: Sequence[str], last: str = "and") -> str:
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {last} {labels[-1]}"


def _labels(pack: ReasonPack, group: str) -> list[str]:
    return [t.label for t in pack.group(group)]


def explain(pack: ReasonPack) -> str:
    """What the pack checks, in plain words."""
    lines = [f"{pack.id}  (suspension reason)", "", pack.title, "", pack.summary, ""]
    if pack.description:
        lines += [pack.description, ""]
    lines.append(f"Recognised in an Amazon notice by: {_join([repr(p) for p in pack.notice[:8]], 'or')}.")
    lines.append(f"Root causes a letter should explain: {_join(_labels(pack, 'root_cause'), 'or')}.")
    if _labels(pack, "measures"):
        lines.append(f"Measures a letter should describe: {_join(_labels(pack, 'measures'), 'or')}.")
    evidence = pack.evidence
    if evidence is not None:
        need = "required" if evidence.required else "helps, not required"
        lines.append(f"Evidence ({need}): {evidence.label}.")
        if evidence.rejected_label:
            lines.append(f"Does not count as evidence: {evidence.rejected_label}.")
    if pack.related:
        lines.append(f"Related reasons (talking about them is not a mismatch): {', '.join(pack.related)}.")
    for rid, level in pack.severity.items():
        lines.append(f"For this reason, {rid} is an {level}." if level in ("error", "info")
                     else f"For this reason, {rid} is a {level}.")
    lines += ["", f"Skeleton letter: poalint template {pack.id}",
              f"Defined in: {os.path.relpath(pack.source) if not pack.source.startswith('/') else pack.source}",
              ""]
    return "\n".join(lines)


def _instruction(text: str) -> str:
    """An instruction of the skeleton, written as a blank the seller replaces with their own sentences
    (so nothing of the skeleton's own advice stays in a sent letter: the placeholder rule catches it)."""
    text = text.strip().rstrip(".")
    return f"[insert in your own words: {text[0].lower()}{text[1:]}]"


def skeleton(pack: ReasonPack) -> str:
    """A letter with the three parts; every [insert ...] / [Your ...] is a placeholder the linter catches."""
    tpl = pack.template
    evidence = pack.evidence
    docs = list(tpl.get("evidence") or ([evidence.label] if evidence is not None else []))
    out = [
        "Dear Seller Performance Team,",
        "",
        str(tpl.get("opening") or f"This plan of action answers your notice about {pack.title.lower()}.")
        + " It covers ASIN [insert ASIN] and store [Your Store Name].",
        "",
        "Root cause",
        "",
        _instruction(str(tpl.get("root_cause") or "Explain the failure in your own process, with numbers and dates.")),
    ]
    out += [f"- {label[0].upper()}{label[1:]}: [insert what failed, when and how often]"
            for label in _labels(pack, "root_cause")]
    out += [
        "",
        "Corrective actions already taken",
        "",
        _instruction(str(tpl.get("corrective")
                         or "Say what you have already done, in the past tense, with the date of each step.")),
        "- On [insert date], we [insert the action and the orders or ASINs it covered].",
        "- On [insert date], [Your Name] [insert the second action and its result].",
        "",
        "Preventive measures",
        "",
        _instruction(str(tpl.get("preventive")
                         or "Say what stops it from happening again: who does what, how often, from when.")),
    ]
    out += [f"- {label[0].upper()}{label[1:]}: from [insert date], [insert role] will [insert check and frequency]."
            for label in _labels(pack, "measures")]
    if docs:
        out += ["", "Supporting documents", ""]
        out += [f"- {doc[0].upper()}{doc[1:]}: [insert file name of the attached document]" for doc in docs]
    out += [
        "",
        "We respectfully ask you to review this plan and reinstate our selling privileges.",
        "",
        "Sincerely,",
        "[Your Name]",
        "[Your Store Name], Merchant Token [insert merchant token]",
        "",
    ]
    return "\n".join(out)
