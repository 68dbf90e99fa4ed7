"""missing-evidence: the reason pack calls for documents and the letter mentions none that count."""

from __future__ import annotations

from collections.abc import Iterator

from poalint.context import Context, Hit
from poalint.model import Rule, Severity
from poalint.structure import cut_off


def evidence_spans(ctx: Context) -> tuple[list[tuple[int, int]], bool]:
    """Mentions of the pack's documents that count, and whether a not-accepted kind was mentioned."""
    pack = ctx.pack
    evidence = pack.evidence if pack is not None else None
    if evidence is None:
        return [], False
    doc = ctx.document
    rejected = ctx.matchers.find(evidence.rejected, doc) if not evidence.rejected.empty() else []
    # NOTE: "pro forma invoice" holds "invoice"; a mention inside a rejected phrase does not count.
    spans = [(a, b) for a, b in ctx.matchers.find(evidence.match, doc)
             if not any(ra < b and a < rb for ra, rb in rejected)]
    return spans, bool(rejected)


def missing_evidence(rule: Rule, ctx: Context) -> Iterator[Hit]:
    pack = ctx.pack
    evidence = pack.evidence if pack is not None else None
    if evidence is None or not evidence.required:
        return
    spans, rejected = evidence_spans(ctx)
    if spans:
        return  # a linked document still counts as mentioned: external-link asks for the attachment
    note = (f" {evidence.rejected_label[0].upper()}{evidence.rejected_label[1:]} do not count."
            if rejected and evidence.rejected_label else "")
    # a letter that visibly stops part-way (an excerpt) may name them in the part not shown: noted, not counted
    yield Hit(0, 0, {"reason": pack.title, "evidence": evidence.label, "note": note},  # type: ignore[union-attr]
              severity=Severity.INFO if cut_off(ctx.document) else None)
