"""`kind: metric`: a number against a threshold: letter words, sentence words, readability grade."""

from __future__ import annotations

from collections.abc import Iterator

from poalint.context import Context, Hit
from poalint.model import Rule
from poalint.structure import words as word_list


def words(text: str) -> int:
    return len(word_list(text))


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    doc = ctx.document
    metric = rule.options["metric"]
    most = ctx.setting(rule, "max", None)
    least = ctx.setting(rule, "min", None)
    sentences = ctx.sentences(rule.scope)
    if metric == "sentence_words":
        limit = ctx.setting(rule, "max_findings", None)
        n = 0
        for s in sentences:
            lo, hi = doc.char_span(s)
            count = words(doc.text[lo:hi])
            if (most is not None and count > most) or (least is not None and count < least):
                n += 1
                if limit is not None and n > limit:
                    return
                yield Hit(lo, hi, {"value": count, "max": most, "min": least})
        return
    text = "\n".join(doc.text[slice(*doc.char_span(s))] for s in sentences)
    if metric == "words":
        value: float = words(text)
    else:  # grade
        if words(text) < int(ctx.setting(rule, "min_words", 100) or 0):
            return  # too little text for a stable readability figure
        from poalint.nlp import flesch_kincaid_grade

        prose = [doc.text[slice(*doc.char_span(s))] for s in sentences]
        value = round(flesch_kincaid_grade(" ".join(p if p.rstrip()[-1:] in ".!?" else p + "." for p in prose)), 1)
    if (most is not None and value > most) or (least is not None and value < least):
        yield Hit(0, 0, {"value": value, "max": most, "min": least})
