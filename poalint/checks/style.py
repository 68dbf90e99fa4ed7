"""Custom checks of the letter's form: repeated text, walls of text in the action parts, shouting."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from poalint.context import Context, Hit, check_options, option
from poalint.matching import inside, quoted_ranges
from poalint.model import Rule
from poalint.structure import NOT_PROSE, words

MEASURE_PARTS = ("corrective", "preventive")


def _normal(text: str) -> str:
    """Case, spacing, punctuation and list markers aside: the words of a passage."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass(frozen=True)
class RepeatedTextOptions:
    min_words: int = option(4, "int")


def repeated_text(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The same paragraph or sentence (normalised) a second time: one finding at the repeat.

    A repeated paragraph is reported once, at its start, rather than once per sentence.
    Short sentences ("Thank you.") are left alone: `min_words` (default 4).
    """
    doc = ctx.document
    min_words = int(ctx.setting(rule, "min_words", 4))
    first_block: dict[str, int] = {}
    first_sentence: dict[str, int] = {}
    repeated_blocks: set[int] = set()
    for i, b in enumerate(doc.blocks):
        if b.kind in NOT_PROSE:
            continue
        norm = _normal(doc.block_text(i))
        if len(norm.split()) < min_words:
            continue
        if norm in first_block:
            repeated_blocks.add(i)
            yield Hit(b.start, b.end, {"sentence": doc.block_text(i), "first_line": doc.blocks[first_block[norm]].line})
        else:
            first_block[norm] = i
    for s in doc.sentences:
        if doc.blocks[s.block].kind in NOT_PROSE or s.block in repeated_blocks:
            continue
        norm = _normal(doc.sentence_text(s))
        if len(norm.split()) < min_words:
            continue
        lo, hi = doc.char_span(s)
        if norm in first_sentence:
            yield Hit(lo, hi, {"sentence": doc.sentence_text(s), "first_line": doc.position(first_sentence[norm])[0]})
        else:
            first_sentence[norm] = lo


@dataclass(frozen=True)
class WallOfTextOptions:
    min_words: int = option(80, "int")
    body_min_words: int = option(150, "int")


def wall_of_text(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The corrective and preventive parts are long paragraphs with no list items.

    Fires once, at the first paragraph of those parts with at least `min_words` words
    (default 80), when none of their blocks is a list item. A letter whose parts the section
    finder cannot tell apart is judged on its whole body, with `body_min_words` (default 150).
    """
    doc = ctx.document
    parts = doc.block_parts or ["other"] * len(doc.blocks)
    measure_blocks = [i for i, b in enumerate(doc.blocks) if b.kind not in NOT_PROSE and parts[i] in MEASURE_PARTS]
    limit = int(ctx.setting(rule, "min_words", 80))
    if not measure_blocks:
        measure_blocks = [i for i, b in enumerate(doc.blocks) if b.kind not in NOT_PROSE]
        limit = int(ctx.setting(rule, "body_min_words", 150))
    if any(doc.blocks[i].kind == "item" for i in measure_blocks):
        return
    for i in measure_blocks:
        b = doc.blocks[i]
        count = len(words(doc.block_text(i)))
        if b.kind == "paragraph" and count >= limit:
            first = doc.block_text(i).strip().split("\n", 1)[0]
            yield Hit(b.start, b.start + min(len(first), 80), {"value": count, "min_words": limit})
            return


# a word in capitals (DON'T too), not inside an id, a path or a hyphenated code, and not "PART 1"
_CAPS = re.compile(r"(?<![\w'\u2019/-])[A-Z]{2,}(?:['\u2019][A-Z]{1,2})?(?![\w'\u2019/-])(?!\s*\d)")
_BANGS = re.compile(r"[!?]*![!?]*!|\?!")
# a title line: "PLAN OF ACTION - ASIN B0... (USB hand warmer)", "APPEAL: LATE SHIPMENT RATE"
_TITLE_WORDS = re.compile(r"(?i)\b(?:plan of action|poa|appeal|re|subject|asin|reinstatement|account|listing|notice)\b")


def _title_line(doc: object, block: int) -> bool:
    """A one-line block without end punctuation, mostly in capitals, that opens the letter or names a
    title word: a heading the structure parser did not recognise, not shouting."""
    blocks = doc.blocks  # type: ignore[attr-defined]
    b = blocks[block]
    if b.kind != "paragraph" or b.end - b.start > 200:
        return False  # a title is one short line; this also keeps huge one-line letters linear
    text = doc.text[b.start:b.end].strip()  # type: ignore[attr-defined]
    found = words(text)
    if b.kind != "paragraph" or "\n" in text or not found or len(found) > 16 or text.endswith((".", "!", "?")):
        return False
    caps = sum(1 for w in found if w.isupper() and len(w) > 1)
    if caps * 2 < len(found):
        return False
    first = next((i for i, x in enumerate(blocks) if x.kind not in NOT_PROSE), block)
    return block == first or bool(_TITLE_WORDS.search(text))


@dataclass(frozen=True)
class ShoutingOptions:
    allow: str = option("acronyms", "lexicon")
    words: str = option("shout_words", "lexicon")
    max_findings: int = option(5, "int")


def shouting(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Capitalised common words (lexicon `options.words`) that are not acronyms (`options.allow`), and "!!".

    Headings are out of scope, quoted text is skipped, and a capitalised word found in
    neither list is taken for a brand or a code, so unknown acronyms never fire.
    """
    doc = ctx.document
    lexicon = ctx.ruleset.lexicon
    opts = check_options(rule, ShoutingOptions)
    allow = {w.lower() for w in lexicon[opts.allow]}
    shout = {w.lower() for w in lexicon[opts.words]}
    limit = int(ctx.setting(rule, "max_findings", 5))
    quotes = quoted_ranges(doc.text)
    n = 0
    titles: dict[int, bool] = {}
    for s in ctx.sentences(rule.scope):
        if s.block not in titles:
            titles[s.block] = _title_line(doc, s.block)
        if titles[s.block]:
            continue
        lo, hi = doc.char_span(s)
        text = doc.text[lo:hi]
        found = [(m.start(), m.end()) for m in _BANGS.finditer(text)]
        for m in _CAPS.finditer(text):
            word = m.group(0).lower().replace("\u2019", "'")
            if word not in allow and word.split("'")[0] not in allow and (word in shout or word.split("'")[0] in shout):
                found.append((m.start(), m.end()))
        # beyond the list: an inflected English word in capitals ("EXPANDED", "RETURNS"): the lookup table
        # knows its lemma, so it is a word, not a brand or a code (those keep their form as lemma)
        seen = {a for a, _b in found}
        for tok in doc.doc[s.start:s.end]:
            w = tok.text
            if (len(w) >= 4 and w.isalpha() and w.isupper() and tok.lower_ not in allow
                    and tok.lemma_ and tok.lemma_.lower() != tok.lower_ and tok.idx - lo not in seen):
                found.append((tok.idx - lo, tok.idx - lo + len(w)))
        for a, b in sorted(found):
            if quotes and inside(quotes, lo + a, lo + b):
                continue
            n += 1
            if n > limit:
                return
            yield Hit(lo + a, lo + b, {"sentence": text})
