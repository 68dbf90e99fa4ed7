"""`kind: metric`: a number against a threshold: letter words, sentence words, readability grade."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from poalint.context import Context, Hit, check_options, option
from poalint.model import Rule
from poalint.structure import words as word_list

METRICS = ("words", "sentence_words", "grade")
GRADE_MIN_WORDS = 100  # below this, a readability grade is not stable enough to judge


@dataclass(frozen=True)
class MetricOptions:
    metric: str = option(kind="str", choices=METRICS)
    min: float | None = option(None, "number")  # config `settings: {<id>: {min: N, max: N}}` beats them
    max: float | None = option(None, "number")

    def invalid(self) -> str | None:
        return None if self.min is not None or self.max is not None else "a metric rule needs 'min' or 'max'"


def words(text: str) -> int:
    return len(word_list(text))


def check(rule: Rule, ctx: Context) -> Iterator[Hit]:
    doc = ctx.document
    metric = check_options(rule, MetricOptions).metric
    most = ctx.setting(rule, "max", None)
    least = ctx.setting(rule, "min", None)
    sentences = ctx.sentences(rule.scope)
    if metric == "sentence_words":
        for s in sentences:
            lo, hi = doc.char_span(s)
            count = words(doc.text[lo:hi])
            if (most is not None and count > most) or (least is not None and count < least):
                yield Hit(lo, hi, {"value": count, "max": most, "min": least})
        return
    text = "\n".join(doc.text[slice(*doc.char_span(s))] for s in sentences)
    if metric == "words":
        value: float = words(text)
    else:  # grade
        if words(text) < GRADE_MIN_WORDS:
            return
        from poalint.nlp import flesch_kincaid_grade

        prose = [doc.text[slice(*doc.char_span(s))] for s in sentences]
        value = round(flesch_kincaid_grade(" ".join(p if p.rstrip()[-1:] in ".!?" else p + "." for p in prose)), 1)
    if (most is not None and value > most) or (least is not None and value < least):
        yield Hit(0, 0, {"value": value, "max": most, "min": least})
