"""Turn a Matchable (phrases, lemmas, token patterns, regexes, concepts) into character spans.

Compiled matchers are built once per process and reused for every letter; phrases of all rules
are matched in one pass per document, and pattern and concept matches are memoized per document.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any

from poalint.model import Matchable
from poalint.token_windows import Automaton, Positions, TokenPatterns, anchors

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from poalint.document import Document

Span = tuple[int, int]  # character offsets [start, end)


# NOTE: set POALINT_PLAIN=1 (or pass plain=True) for the reference path: every token pattern in one
# whole-document spaCy Matcher, no automaton, no anchor windows. tests/test_equivalence.py holds the
# fast path to it.
PLAIN = os.environ.get("POALINT_PLAIN", "") not in ("", "0")


class Compiled:
    """Every registered Matchable's phrases in one PhraseMatcher per attribute; token patterns per Matchable.

    NOTE: one PhraseMatcher costs a hash lookup per token however many phrases it holds, so all
    phrases of all rules are matched in one pass per document. A spaCy Matcher costs time per token
    *per pattern*, so token patterns are matched by `token_windows.Automaton` over the document's
    hash arrays instead: a pattern whose anchor words (see `anchors`) the letter lacks costs a dict
    lookup, the others are started only where a match begins (found with bit sets over the whole
    document at once). A pattern the automaton cannot take keeps a spaCy Matcher on windows around
    its anchors, or on the whole document when it has none.
    """

    def __init__(self, plain: bool = False) -> None:
        from poalint.nlp import get_nlp

        self.plain = plain
        self.nlp = nlp = get_nlp()  # (first: it imports spaCy the lean way)

        from spacy.matcher import PhraseMatcher

        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.index: dict[int, int] = {}  # match key hash -> Matchable number
        self.tokens: dict[int, TokenPatterns] = {}  # Matchable number -> its windowed token patterns
        self.whole: Any = None  # a Matcher for the patterns that need the whole doc (all Matchables)
        self.size = 0  # Matchables added so far; a document matched before a later add is matched again

    def add(self, m: Matchable) -> int:
        n = self.size
        self.size += 1
        key = f"m{n}"
        self.index[self.nlp.vocab.strings.add(key)] = n
        if m.phrases:
            target = self.orth if m.case_sensitive else self.lower
            target.add(key, [self.nlp.make_doc(p if m.case_sensitive else p.lower()) for p in m.phrases])
        if m.lemmas:
            self.lemma.add(key, list(self.nlp.pipe([p.lower() for p in m.lemmas])))
        if m.patterns:
            vocab = self.nlp.vocab
            # NOTE: a pattern the token automaton takes, or one with anchor words, is matched per Matchable
            # (see TokenPatterns); the rest share one whole-document spaCy Matcher
            # (anchors and automaton worked out once here, and handed to TokenPatterns)
            built = [] if self.plain else [(anchors(p, vocab), Automaton.build(p, vocab)) for p in m.patterns]
            fast = [bool(a or auto) for a, auto in built]
            windowed = [(p, b) for p, b, ok in zip(m.patterns, built, fast) if ok]
            whole = [list(p) for p, ok in zip(m.patterns, fast or [False] * len(m.patterns)) if not ok]
            if windowed:
                self.tokens[n] = TokenPatterns([p for p, _b in windowed], vocab, [b for _p, b in windowed])
            if whole:  # no anchor word (or the plain path): matched over the whole doc, all in one pass
                if self.whole is None:
                    from spacy.matcher import Matcher

                    self.whole = Matcher(vocab)
                self.whole.add(key, whole)
        return n

    def run(self, doc: Doc, where: Positions) -> dict[int, list[Span]]:
        out: dict[int, list[Span]] = {}
        starts, ends = where.bounds
        for matcher in (self.lower, self.orth, self.lemma, self.whole):
            if matcher is None or len(matcher) == 0:
                continue
            for match_id, start, end in matcher(doc):
                out.setdefault(self.index[match_id], []).append((starts[start], ends[end - 1]))
        return out


@dataclass
class MatchMemo:
    """What one document's matching found, shared by every rule that asks (see `Matchers.memo`)."""

    phrases: tuple[int, dict[int, list[Span]]] | None = None  # (Matchables registered then, spans by number)
    positions: Positions | None = None  # where each word is, for anchor windows
    patterns: dict[int, list[Span]] = field(default_factory=dict)  # Matchable number -> windowed pattern spans
    found: dict[int, list[Span]] = field(default_factory=dict)  # id(Matchable) -> all its spans
    concepts: dict[str, list[Span]] = field(default_factory=dict)  # concept name -> its spans
    span_index: dict[int, SpanIndex] = field(default_factory=dict)  # id(Matchable) -> its spans, indexed
    folded: str | None = None  # the text as `fold` makes it, for regex prefilters
    present: dict[str, bool] = field(default_factory=dict)  # whether `folded` holds a string (Prefilter.possible)
    owner: object = None  # the Matchers whose numbering `phrases` and `patterns` use


class Matchers:
    """Per-process matchers: phrases of every Matchable run once per document, patterns and regexes per Matchable.

    Concepts cannot refer to each other in a loop (the rule loader refuses that), so a concept's
    spans are final the first time they are found.
    """

    def __init__(self, concepts: Mapping[str, Matchable], preload: Iterable[Matchable] = (), plain: bool | None = None) -> None:
        self.concepts = concepts
        self.plain = PLAIN if plain is None else plain
        self._compiled: Compiled | None = None
        self._number: dict[int, int] = {}  # id(Matchable) -> its number in the combined matchers
        self._keep: list[Matchable] = []  # keeps registered Matchables alive, so their ids stay unique
        self._regexes: dict[int, list[tuple[str, int]]] = {}
        self._compiled_rx: dict[tuple[str, int], re.Pattern[str]] = {}  # compiled on first need
        self._preload = [*concepts.values(), *preload]

    def compiled(self) -> Compiled:
        if self._compiled is None:
            self._compiled = Compiled(self.plain)
            for m in self._preload:
                self._register(m)
        return self._compiled

    def memo(self, document: Document) -> MatchMemo:
        # NOTE: a check may pass a stand-in with doc, text and memo only (a list item matched on its own)
        memo = document.memo
        got = memo.matches
        if got is None or got.owner is not self:
            got = memo.matches = MatchMemo(owner=self)
        return got

    def _register(self, m: Matchable) -> int:
        key = id(m)
        n = self._number.get(key)
        if n is None:
            if not (m.phrases or m.lemmas or m.patterns):
                return -1
            n = self._number[key] = self.compiled().add(m)
            self._keep.append(m)
        return n

    def _spacy_spans(self, m: Matchable, document: Document) -> list[Span]:
        compiled = self.compiled()
        n = self._register(m)
        if n < 0:
            return []
        memo = self.memo(document)
        if memo.positions is None:
            memo.positions = Positions(document.doc)
        got = memo.phrases
        if got is None or got[0] <= n:
            got = memo.phrases = (compiled.size, compiled.run(document.doc, memo.positions))
        spans = got[1].get(n, [])
        tokens = compiled.tokens.get(n)
        if tokens is None:
            return spans
        if n not in memo.patterns:
            memo.patterns[n] = tokens.spans(document.doc, memo.positions)
        return spans + memo.patterns[n]

    def folded(self, document: Document) -> str:
        """The document's text as `fold` makes it (once per document), for `Prefilter.possible`."""
        memo = self.memo(document)
        if memo.folded is None:
            memo.folded = fold(document.text)
        return memo.folded

    def _regex_spans(self, m: Matchable, document: Document) -> list[Span]:
        rxs = self._regexes.get(id(m))
        if rxs is None:
            # NOTE: (pattern, flags) only: a regex is compiled the first time its prefilter lets a letter through
            # (re.U as re.compile adds it to a str pattern's flags, so the Prefilter is the one others share)
            flags = int((0 if m.case_sensitive else re.I) | re.M | re.U)
            rxs = self._regexes[id(m)] = [(r, flags) for r in m.regex]
            self._keep.append(m)
        text = document.text
        if self.plain:
            return [(mt.start(), mt.end()) for r, fl in rxs for mt in re.compile(r, fl).finditer(text)
                    if mt.end() > mt.start()]
        folded = self.folded(document)
        memo = self.memo(document)
        out: list[Span] = []
        for r, fl in rxs:
            pf = prefilter(r, fl)
            if not pf.possible(folded, memo.present):
                continue
            rx = self._compiled_rx.get((r, fl))
            if rx is None:
                rx = self._compiled_rx[(r, fl)] = re.compile(r, fl)
            out += [(mt.start(), mt.end()) for mt in pf.finditer(rx, text, folded, checked=True) if mt.end() > mt.start()]
        return out

    def find(self, m: Matchable, document: Document) -> list[Span]:
        """All spans, sorted, longest first at equal start, duplicates removed (memoized per document:
        `unless` / `when` conditions ask for the same Matchable at every hit)."""
        memo = self.memo(document).found
        got = memo.get(id(m))
        if got is None:
            spans: list[Span] = []
            if m.phrases or m.lemmas or m.patterns:
                spans.extend(self._spacy_spans(m, document))
            if m.regex:
                spans.extend(self._regex_spans(m, document))
            for name in m.concepts:
                spans.extend(self.concept(name, document))
            got = memo[id(m)] = sorted(set(spans), key=lambda s: (s[0], -s[1]))
        return list(got)

    def concept(self, name: str, document: Document) -> list[Span]:
        memo = self.memo(document).concepts
        got = memo.get(name)
        if got is None:
            got = memo[name] = self.find(self.concepts[name], document)
        return got

    def index(self, m: Matchable, document: Document) -> SpanIndex:
        memo = self.memo(document).span_index
        index = memo.get(id(m))
        if index is None:
            index = memo[id(m)] = SpanIndex(self.find(m, document))
        return index

    def concept_index(self, name: str, document: Document) -> SpanIndex:
        """A concept's spans as a SpanIndex, built once per document and shared by every check that asks."""
        return self.index(self.concepts[name], document)

    def any_in(self, m: Matchable, document: Document, start: int, end: int) -> bool:
        return self.index(m, document).overlaps(start, end)

    def within(self, m: Matchable, document: Document, start: int, end: int) -> Iterator[Span]:
        """The spans of `m` inside [start, end). NOTE: only spans starting there are looked at, so a
        paragraph-by-paragraph check stays linear in the letter, not quadratic."""
        index = self.index(m, document)
        for i in range(bisect.bisect_left(index.starts, start), bisect.bisect_left(index.starts, end)):
            if index[i][1] <= end:
                yield index[i]


# re.IGNORECASE matches these to an ASCII letter though their lower() is not that letter (every other
# character re.I matches to a printable ASCII character lower-cases to it: checked over all of Unicode)
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_PLAIN_CHARS = frozenset(string.printable) - frozenset("\t\n\r\x0b\x0c")
_WORDY = re.compile(r"\w+")
DIGIT = "\0digit"  # a lead (see Prefilter) that is any digit, not a literal string
END = "\1"  # ends a lead that must be followed by a non-word character (or the end of the text)


def fold(text: str) -> str:
    """The text lower-cased, with the characters re.I matches to another ASCII letter mapped to it."""
    return text.translate(_FOLD).lower()


class Prefilter:
    """Literal strings every match of a regex contains: `needs` is a list of alternatives, and a match
    holds one string of each (lower-cased; see `fold`).

    NOTE: a regex runs at every position of the text, and under re.I Python's engine cannot skip ahead
    to a literal prefix, so even `\\b(eod|cob)\\b` costs a scan of the letter. Most of the concept and
    rule regexes find nothing in most letters: a substring test on the folded text (a fast search
    in C) tells that for most of them. The test is a necessary condition only, read off the regex's
    parse tree (runs of printable ASCII literals; a group or branch each of whose alternatives needs
    a string; a repeat of at least once), so the regex's findings are exactly the same.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        try:
            from re import _parser as sre_parse  # type: ignore[attr-defined]
        except ImportError:  # Python 3.10
            import sre_parse  # type: ignore[no-redef]
        try:
            tree = sre_parse.parse(pattern, flags)
        except (re.error, RecursionError, TypeError):
            tree = []
        needs = self._needs(list(tree))
        # the rarest-looking (longest) strings first: a letter lacking them is told soonest
        # (ties in alphabetical order: the same order in every process, whatever the string hash seed)
        self.needs = sorted((tuple(sorted(alts, key=lambda s: (-len(s), s))) for alts in needs),
                            key=lambda alts: (-len(alts[-1]), alts))
        # the literal runs every match begins with (None: not known); only for a regex that never
        # matches the empty string, so that finditer's matches are the matches tried at these starts.
        # `boundary`: a match never begins right after a word character (a \b before leads that begin
        # with a word character, or a look-behind `(?<![\w...])`)
        self.leads: tuple[str, ...] | None = None
        self.boundary = False
        self._starts: re.Pattern[str] | None = None
        if tree and tree.getwidth()[0] > 0:
            self.boundary, self.leads = self._begins(list(tree))

    def possible(self, folded: str, seen: dict[str, bool] | None = None) -> bool:
        """False when the regex cannot match a text whose `fold` is `folded`. `seen`: whether the text holds
        each string asked about so far (many regexes need the same words: each is looked up once per text)."""
        if seen is None:
            return all(any(s in folded for s in alts) for alts in self.needs)
        for alts in self.needs:
            for s in alts:
                got = seen.get(s)
                if got is None:
                    got = seen[s] = s in folded
                if got:
                    break
            else:
                return False
        return True

    def finditer(self, rx: re.Pattern[str], text: str, folded: str, checked: bool = False) -> Iterator[re.Match[str]]:
        """What `rx.finditer(text)` gives (`rx` compiled from this pattern and flags), matches only
        tried where they can be.

        When every match begins with one of `leads`, the regex is matched only at their places
        (`fold` keeps every character's offset), in order, each try after the last match's end:
        as finditer does, since no match can begin anywhere else. Otherwise, or when the leads
        are too common to save time, finditer itself runs on the text. `checked`: the caller has
        found `possible` true already.
        """
        if not checked and not self.possible(folded):
            return
        starts = self.starts(folded)
        if starts is None:
            yield from rx.finditer(text)
            return
        pos = 0
        for at in starts:
            if at < pos:
                continue
            mt = rx.match(text, at)
            if mt is not None:
                yield mt
                pos = mt.end()

    def starts(self, folded: str) -> list[int] | None:
        """Where a match can begin (a superset), sorted; None when that is not known or too many places."""
        leads = self.leads
        if leads is None:
            return None
        if self.boundary:
            # NOTE: the leads as one case-sensitive regex over the folded text (the engine compares characters
            # directly and skips to a lead's first letter); a start must follow a non-word character (see
            # `boundary`), and a lead ending in END must be followed by one. Searched again from the next
            # character after each hit, so leads may overlap. \w and \d say the same of a folded character as
            # of the original one (checked over all of Unicode)
            if self._starts is None:
                self._starts = re.compile("|".join(
                    r"\d" if lead == DIGIT else re.escape(lead.rstrip(END)) + (r"(?!\w)" if lead.endswith(END) else "")
                    for lead in sorted(leads, key=lambda s: (-len(s), s))))
            if all(lead == DIGIT or _WORDY.fullmatch(lead.rstrip(END)) for lead in leads):
                # all word characters: a start is the start of a word (a run of \w) that the lead begins, or
                # is (END), looked up in the text's word index (`Words`, built once per text)
                words = Words.of(folded)
                if len(leads) == 1:
                    return words.starts(leads[0])
                got: set[int] = set()
                for lead in leads:
                    got.update(words.starts(lead))
                return sorted(got)
            search = self._starts.search
            out: list[int] = []
            mt = search(folded)
            while mt is not None:
                at = mt.start()
                if at == 0 or not (folded[at - 1].isalnum() or folded[at - 1] == "_"):
                    out.append(at)
                mt = search(folded, at + 1)
            return out
        if DIGIT in leads:
            return None
        limit = len(folded) // 64 + 8  # past this, the regex's own scan is cheaper than trying each place
        out = []
        for lead in (lead.rstrip(END) for lead in leads):
            at = folded.find(lead)
            while at >= 0:
                out.append(at)
                if len(out) > limit:
                    return None
                at = folded.find(lead, at + 1)
        out.sort()
        return out

    @classmethod
    def _begins(cls, items: list[tuple[Any, Any]]) -> tuple[bool, tuple[str, ...] | None]:
        """Whether a match begins at a word boundary, and the literal runs (or DIGIT) it begins with,
        after zero-width items; None when unknown.

        A lead ending in END is a whole word: what follows it in every match is not a word character."""
        flat = list(cls._flat(items))
        boundary = nonword_before = False
        for i, (op, av) in enumerate(flat):
            name = str(op)
            if name == "AT" and str(av) == "AT_BOUNDARY":
                boundary = True
                continue
            if name == "ASSERT_NOT" and av[0] == -1 and cls._not_word_before(list(av[1])):
                nonword_before = True
                continue
            if name in ("AT", "ASSERT", "ASSERT_NOT") or cls._zero_width(op, av):
                continue
            if cls._digit(op, av):
                return boundary or nonword_before, (DIGIT,)
            got = cls._prefixes(flat[i:])
            lead = got[0] if got is not None else set()
            if not lead or "" in lead or any(DIGIT in s and s != DIGIT for s in lead):
                return boundary or nonword_before, None
            # \b before a word character: a non-word character (or nothing) comes before the match
            wordy = all(s == DIGIT or _WORDY.match(s) for s in lead)
            return nonword_before or (boundary and wordy), tuple(sorted(lead))
        return boundary or nonword_before, None

    @staticmethod
    def _not_word_before(body: list[tuple[Any, Any]]) -> bool:
        """A look-behind body `[\\w...]` (one character class holding \\w): in `(?<!...)`, the character before
        is not a word character."""
        return (len(body) == 1 and str(body[0][0]) == "IN"
                and any(str(k) == "CATEGORY" and str(v) == "CATEGORY_WORD" for k, v in body[0][1])
                and str(body[0][1][0][0]) != "NEGATE")

    _LEADS_MAX = 64  # more alternative leads than this: given up (the regex scans the text itself)

    @classmethod
    def _prefixes(cls, items: list[tuple[Any, Any]], depth: int = 0) -> tuple[set[str], bool] | None:
        """The folded literal runs every match of the sequence begins with, and whether each covers the
        whole sequence (None: some match may begin with something else, such as a digit or a class).

        Strings are lower-case printable ASCII; a run may end in END when the sequence goes on with
        something that is never a word character (a space, a `\\b` after a word character ...).
        `depth` counts the optional parts and groups passed through (each optional part reads the rest twice;
        past 8 the runs stop there, so a long chain of optional parts costs no more).
        """
        out = {""}
        flat = list(cls._flat(items))
        for i, (op, av) in enumerate(flat):
            name = str(op)
            if name in ("AT", "ASSERT", "ASSERT_NOT") or cls._zero_width(op, av):
                if name == "AT" and str(av) == "AT_BOUNDARY" and all(s[-1:].isalnum() for s in out):
                    return {s + END for s in out}, False  # after a word character, \b: a non-word one follows
                continue
            if out == {""} and cls._digit(op, av):
                return {DIGIT}, False
            ch = cls._char(op, av)
            if ch is not None:
                out = {s + ch for s in out}
                continue
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                lo, hi, body = av[0], av[1], list(av[2])
                one = cls._char(*body[0]) if len(body) == 1 else None
                if one is not None and lo >= 1:
                    out = {s + one * lo for s in out}
                    if lo == hi:
                        continue
                    return out, False
                if lo == 0 and hi == 1 and depth < 8:  # optional: the body then the rest, or the rest
                    both: set[str] = set()
                    complete = True
                    for seq in ([*body, *flat[i + 1:]], flat[i + 1:]):
                        got = cls._prefixes(seq, depth + 1)
                        if got is None:
                            return cls._stop(out)
                        both |= got[0]
                        complete = complete and got[1]
                    crossed = cls._cross(out, both)
                    if crossed is out or "" in crossed:
                        return cls._stop(out)
                    return crossed, complete
            if name == "BRANCH":
                gots = [cls._prefixes(list(alt), depth + 1) for alt in av[1]]
                if any(got is None or "" in got[0] for got in gots):
                    return cls._stop(out)
                whole = all(got[1] and not any(s.endswith(END) or s == DIGIT for s in got[0])
                            for got in gots if got is not None)
                ended = not whole and cls._then_nonword(flat[i + 1:])
                alts: set[str] = set()
                for got in gots:
                    if got is not None:  # (checked above)
                        alts |= {s + END if ended and got[1] and s[-1:].isalnum() else s for s in got[0]}
                crossed = cls._cross(out, alts)
                if crossed is out:
                    return cls._stop(out)
                out = crossed
                if whole:
                    continue
                return out, False
            if cls._nonword(op, av) and all(s[-1:].isalnum() for s in out):
                return {s + END for s in out}, False
            return cls._stop(out)
        return out, True

    @classmethod
    def _cross(cls, heads: set[str], tails: set[str]) -> set[str]:
        """Each head followed by each tail; `heads` itself (the same object) when that cannot be said
        (too many, or a DIGIT lead after a literal)."""
        if len(heads) * len(tails) > cls._LEADS_MAX or (heads != {""} and DIGIT in tails):
            return heads
        return {h + t for h in heads for t in tails}

    @staticmethod
    def _stop(out: set[str]) -> tuple[set[str], bool] | None:
        return None if "" in out else (out, False)

    @staticmethod
    def _char(op: Any, av: Any) -> str | None:
        """The folded character a LITERAL (or a one-character class) matches, when it is printable ASCII."""
        name = str(op)
        if name == "LITERAL" or (name == "IN" and len(av) == 1 and str(av[0][0]) == "LITERAL"):
            ch = chr(av if name == "LITERAL" else av[0][1])
            if ch in _PLAIN_CHARS:
                return ch.lower()
        return None

    @classmethod
    def _nonword(cls, op: Any, av: Any) -> bool:
        """An item whose first character is never a word character (whitespace, punctuation, \\W, ...)."""
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            body = list(av[2])
            return av[0] >= 1 and len(body) >= 1 and cls._nonword(*body[0])
        if name == "LITERAL":
            return not (chr(av).isalnum() or chr(av) == "_") and chr(av).isascii()
        if name == "IN":
            for kind, arg in av:
                kind = str(kind)
                if kind == "CATEGORY" and str(arg) in ("CATEGORY_SPACE", "CATEGORY_NOT_WORD"):
                    continue
                if kind == "LITERAL" and chr(arg).isascii() and not (chr(arg).isalnum() or chr(arg) == "_"):
                    continue
                return False
            return bool(av)
        return False

    @classmethod
    def _then_nonword(cls, rest: list[tuple[Any, Any]]) -> bool:
        """Whether what follows is a `\\b` or begins with a non-word character (zero-width items passed over)."""
        for op, av in cls._flat(rest):
            if str(op) == "AT" and str(av) == "AT_BOUNDARY":
                return True
            if str(op) in ("AT", "ASSERT", "ASSERT_NOT") or cls._zero_width(op, av):
                continue
            if str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] == 0:
                if not cls._then_nonword(list(av[2])):  # an optional part: it and what comes after it
                    return False
                continue
            return cls._nonword(op, av)
        return False

    @staticmethod
    def _zero_width(op: Any, av: Any) -> bool:
        """A group of alternatives that are all zero width (`(?:^|(?<=- ))`): it consumes nothing."""
        return str(op) == "BRANCH" and all(alt.getwidth() == (0, 0) for alt in av[1])

    @classmethod
    def _needs(cls, items: list[tuple[Any, Any]]) -> list[set[str]]:
        """For a sequence of parse items: sets of strings, a match of the sequence holding one of each set."""

        out: list[set[str]] = []
        run: list[str] = []

        def flush() -> None:
            if run:
                out.append({"".join(run)})
                run.clear()

        for op, av in cls._flat(items):
            name = str(op)
            if name == "LITERAL" or (name == "IN" and len(av) == 1 and str(av[0][0]) == "LITERAL"):
                ch = chr(av if name == "LITERAL" else av[0][1])
                if ch in _PLAIN_CHARS:
                    run.append(ch.lower())
                    continue
                flush()
            elif name in ("AT", "ASSERT", "ASSERT_NOT"):
                continue  # zero width: the characters around it are still next to each other in the match
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                flush()
                if av[0] >= 1:
                    out += cls._needs(list(av[2]))
            elif name == "BRANCH":
                lead = cls._leads(av[1])
                if run and lead and DIGIT not in lead:  # "d(?:rive|ropbox)": the run goes on into every alternative
                    out.append({"".join(run) + s for s in lead})
                flush()
                union: set[str] = set()
                for alt in av[1]:
                    got = cls._needs(list(alt))
                    if not got:
                        break
                    union |= max(got, key=lambda alts: min(len(s) for s in alts))
                else:
                    out.append(union)
            else:
                flush()
        flush()
        return out

    @classmethod
    def _leads(cls, alternatives: list[Any]) -> set[str]:
        """The literal run each alternative begins with (DIGIT: a digit); empty when one begins with anything else."""
        out: set[str] = set()
        for alt in alternatives:
            lead: list[str] = []
            for op, av in cls._flat(list(alt)):
                name = str(op)
                if not lead and cls._digit(op, av):
                    lead.append(DIGIT)
                    break
                ch = chr(av) if name == "LITERAL" else ""
                if ch not in _PLAIN_CHARS or not ch:
                    break
                lead.append(ch.lower())
            if not lead:
                return set()
            out.add("".join(lead))
        return out

    @staticmethod
    def _digit(op: Any, av: Any) -> bool:
        """A parse item that begins with a digit: \\d, or \\d repeated at least once."""
        if str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1 and len(av[2]) == 1:
            op, av = list(av[2])[0]
        if str(op) != "IN" or not av:
            return False
        for kind, arg in av:  # \d, or a class of ASCII digits only ([1-9], [012])
            kind = str(kind)
            if kind == "CATEGORY" and str(arg) == "CATEGORY_DIGIT":
                continue
            if kind == "LITERAL" and chr(arg) in "0123456789":
                continue
            if kind == "RANGE" and chr(arg[0]) in "0123456789" and chr(arg[1]) in "0123456789":
                continue
            return False
        return True

    @classmethod
    def _flat(cls, items: list[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
        """The items with groups opened up (a group's content is part of the sequence)."""
        for op, av in items:
            name = str(op)
            if name == "SUBPATTERN":
                yield from cls._flat(list(av[3]))
            elif name == "ATOMIC_GROUP":
                yield from cls._flat(list(av))
            else:
                yield op, av


class Words:
    """Where each word (a run of \\w characters) of a folded text begins, for the leads of `Prefilter.starts`.

    NOTE: a lead of word characters after a non-word character (or the text's start) begins a word there;
    the lead is the whole word when it must be followed by a non-word character (END). So a lead's
    places are a dict lookup (END), or the places of the text's distinct words beginning with it.
    \\w here is re's (isalnum() or "_"), the same test `starts` makes of the character before.
    """

    _RECENT: dict[str, Words] = {}  # the few texts asked about last (a letter's checks ask about the same text)

    def __init__(self, folded: str) -> None:
        self.at: dict[str, list[int]] = {}
        for mt in _WORDY.finditer(folded):
            self.at.setdefault(mt.group(), []).append(mt.start())
        self.leads: dict[str, list[int]] = {}

    @classmethod
    def of(cls, folded: str) -> Words:
        got = cls._RECENT.get(folded)
        if got is None:
            if len(cls._RECENT) >= 4:
                del cls._RECENT[next(iter(cls._RECENT))]
            got = cls._RECENT[folded] = cls(folded)
        return got

    def starts(self, lead: str) -> list[int]:
        """The places of one lead (word characters, DIGIT, or word characters then END), sorted."""
        got = self.leads.get(lead)
        if got is None:
            if lead.endswith(END):
                got = self.at.get(lead[:-1], [])
            else:
                hits = [at for word, at in self.at.items()
                        if (word[0].isdecimal() if lead == DIGIT else word.startswith(lead))]
                got = sorted(j for at in hits for j in at) if len(hits) > 1 else (hits[0] if hits else [])
            self.leads[lead] = got
        return got


@functools.lru_cache(maxsize=4096)
def prefilter(pattern: str, flags: int = 0) -> Prefilter:
    """The Prefilter of one regex, built once per process."""
    return Prefilter(pattern, flags)


class SpanIndex(list):  # type: ignore[type-arg]
    """Spans sorted by start, answering "does any overlap [lo, hi)?" in O(log n).

    NOTE: conditions are asked at every hit, and a long letter has thousands of hits and
    thousands of spans: a linear scan per question made a 1 MB letter take minutes.
    """

    def __init__(self, spans: Iterable[Span]) -> None:
        super().__init__(sorted(spans))
        self.starts = [s for s, _e in self]
        self.reach: list[int] = []  # reach[i]: the furthest end among spans 0..i
        far = -1
        for _s, e in self:
            far = max(far, e)
            self.reach.append(far)

    def overlaps(self, lo: int, hi: int) -> bool:
        i = bisect.bisect_left(self.starts, hi)  # spans[:i] start before hi
        return i > 0 and self.reach[i - 1] > lo


def reachable(obj: Any, seen: set[int] | None = None) -> Iterator[Matchable]:
    """Every Matchable inside a rule (its match, conditions, `any:` entries ...), found generically
    so that new rule fields need no change here."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, Matchable):
        yield obj
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            yield from reachable(getattr(obj, f.name), seen)
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            yield from reachable(item, seen)
    elif isinstance(obj, Mapping):
        for item in obj.values():
            yield from reachable(item, seen)


def longest(spans: list[Span]) -> list[Span]:
    """Drop spans that overlap an earlier, longer one."""
    out: list[Span] = []
    for s, e in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def quoted_ranges(text: str) -> list[Span]:
    """Text in quotation marks (letters quote the notice or a buyer); kinds skip it unless told not to."""
    out: list[Span] = []
    for mt in re.finditer(r'"[^"\n]{1,400}"|\u201c[^\u201d\n]{1,400}\u201d', text):
        out.append((mt.start(), mt.end()))
    return out


def holding(spans: Sequence[Span], start: int, end: int, starts: Sequence[int] | None = None) -> int:
    """The index of the one of `spans` (in text order and disjoint) that holds [start, end), or -1. Only the last
    span opening at or before `start` can: a bisect, as a long letter asks once per match. `starts`, the spans'
    starts, spares rebuilding them when one list is asked many times."""
    i = (bisect.bisect_right(starts, start) if starts is not None
         else bisect.bisect_right(spans, start, key=lambda x: x[0])) - 1
    return i if i >= 0 and spans[i][0] <= start and end <= spans[i][1] else -1


def inside(spans: list[Span], start: int, end: int) -> bool:
    """Does one of `spans` (in text order and disjoint, as `quoted_ranges` gives them) hold [start, end)?"""
    return holding(spans, start, end) >= 0


