"""Token patterns matched by a small automaton over the document's hash arrays, started only where a match
begins (or, for a pattern it cannot take, by spaCy's Matcher on windows around anchor words): exact, and
far cheaper than a spaCy Matcher per pattern."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

Span = tuple[int, int]  # character offsets [start, end)

_ANCHOR_ATTRS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER", "LEMMA": "LEMMA", "NORM": "NORM"}
_AT_LEAST_ONE = re.compile(r"\{0*[1-9]\d*(,\d*)?\}")
# token flags and string attributes a pattern token may test with a plain value (compared as spaCy does:
# the token's value in `Doc.to_array`, a hash for strings, 0 or 1 for flags)
_FLAGS = {"IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
          "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT",
          "IS_CURRENCY"}
_STRINGS = {**_ANCHOR_ATTRS, "SHAPE": "SHAPE", "PREFIX": "PREFIX", "SUFFIX": "SUFFIX"}
_UNBOUNDED = 1 << 30


def anchors(pattern: Sequence[Mapping[str, Any]], vocab: Any) -> list[frozenset[tuple[str, int]]]:
    """For each token every match of the pattern contains: the (attribute, value hash) pairs it may have.

    Only tokens that must occur (no OP, "+" or {n,...} with n >= 1) with a plain value or an IN
    list count (per token, the smallest such set). Hashes are spaCy's own, so the test is exact:
    a document lacking one of these sets cannot match the pattern.
    """
    out: list[frozenset[tuple[str, int]]] = []
    for token in pattern:
        op = token.get("OP")
        if op is not None and op != "+" and not _AT_LEAST_ONE.fullmatch(str(op)):
            continue
        best = _fewest_words(token, vocab, in_alone=False)
        if best is not None:
            out.append(frozenset((best[0], h) for h in best[1]))
    return out


def _fewest_words(token: Mapping[str, Any], vocab: Any, in_alone: bool) -> tuple[str, frozenset[int]] | None:
    """Of a token spec's word attributes (a plain value or an IN list of ORTH, LOWER, LEMMA or NORM), the one
    allowing the fewest words, as (attribute, value hashes); None when no attribute restricts the word.
    With `in_alone`, an IN list counts only when it is the attribute's whole condition."""
    best: tuple[str, frozenset[int]] | None = None
    for key, value in token.items():
        attr = _ANCHOR_ATTRS.get(key)
        if attr is None:
            continue
        if isinstance(value, str):
            words: list[Any] = [value]
        elif isinstance(value, Mapping) and isinstance(value.get("IN"), list) and not (in_alone and set(value) != {"IN"}):
            words = value["IN"]
        else:
            continue
        if not all(isinstance(w, str) for w in words):
            continue
        found = (attr, _hashes(vocab, tuple(words)))
        if best is None or len(found[1]) < len(best[1]):
            best = found
    return best


_HASHED: dict[tuple[int, tuple[str, ...]], frozenset[int]] = {}  # (id of a vocab, words) -> their hashes


def _hashes(vocab: Any, words: tuple[str, ...]) -> frozenset[int]:
    """The words' hashes (added to the vocab's strings), worked out once per word list: the same IN lists
    recur in many pattern tokens, and `anchors` and `compile_token` both ask."""
    key = (id(vocab), words)
    got = _HASHED.get(key)
    if got is None:
        add = vocab.strings.add
        got = _HASHED[key] = frozenset(add(w) for w in words)
        _VOCABS[id(vocab)] = vocab  # kept alive, so its id is not reused while the memo holds it
    return got


_VOCABS: dict[int, Any] = {}


def max_length(pattern: Sequence[Mapping[str, Any]]) -> int | None:
    """The most tokens a match can span; None when a token may repeat without bound."""
    total = 0
    for token in pattern:
        op = str(token.get("OP", ""))
        if op in ("+", "*"):
            return None
        rng = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)
        if rng is None:
            total += 1
        elif rng.group(2) and not rng.group(3):
            return None  # {n,}
        else:
            total += int(rng.group(3) or rng.group(1) or 0)
    return total


def repeats(pattern: Sequence[Mapping[str, Any]], vocab: Any) -> tuple[int, list[tuple[str, frozenset[int]] | None]]:
    """A pattern's length as (tokens of bounded specs, one entry per spec that may repeat without bound).

    Each unbounded entry is the (attribute, value hashes) every token that spec matches must have, or
    None when the spec does not restrict a word: a match repeats it at most as many times as the
    longest run of such tokens in the document (see `Positions.run`), so its length stays exact.
    """
    bounded = 0
    unbounded: list[tuple[str, frozenset[int]] | None] = []
    for token in pattern:
        op = str(token.get("OP", ""))
        rng = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)
        if op in ("+", "*") or (rng is not None and rng.group(2) and not rng.group(3)):
            best = _fewest_words(token, vocab, in_alone=True)
            unbounded.append(best)
        elif rng is None:
            bounded += 1
        else:
            bounded += int(rng.group(3) or rng.group(1) or 0)
    return bounded, unbounded


Test = tuple[str, str, Any]  # (how, attribute, value): "eq" / "in" / "not_in" / "regex" / "flag"


def compile_token(spec: Mapping[str, Any], vocab: Any) -> tuple[list[Test], tuple[str, frozenset[int]] | None] | None:
    """One pattern token (without OP) as tests on the document's attribute arrays, and the (attribute,
    word hashes) it restricts a token to, if any; None when it uses something the automaton does not know."""
    tests: list[Test] = []
    words: tuple[str, frozenset[int]] | None = None
    for key, value in spec.items():
        if key == "OP":
            continue
        if key in _FLAGS and isinstance(value, bool):
            tests.append(("flag", key, int(value)))
            continue
        attr = _STRINGS.get(key)
        if attr is None:
            return None
        if isinstance(value, str):
            h = vocab.strings.add(value)
            tests.append(("eq", attr, h))
            got = (attr, frozenset((h,)))
        elif (isinstance(value, Mapping) and set(value) == {"IN", "NOT_IN"}
              and all(isinstance(v, list) and all(isinstance(w, str) for w in v) for v in value.values())):
            # both hold: the token is one of IN's words that NOT_IN does not name
            hashes = _hashes(vocab, tuple(w for w in value["IN"] if w not in set(value["NOT_IN"])))
            tests.append(("in", attr, hashes))
            got = (attr, hashes)
        elif isinstance(value, Mapping) and value:
            # every predicate holds (as in spaCy's Matcher): IN / NOT_IN word lists, a REGEX on the attribute
            listed: tuple[str, frozenset[int]] | None = None
            for how, arg in value.items():
                if how in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(w, str) for w in arg):
                    hashes = _hashes(vocab, tuple(arg))
                    tests.append(("in" if how == "IN" else "not_in", attr, hashes))
                    if how == "IN":
                        listed = (attr, hashes)
                elif how == "REGEX" and isinstance(arg, str):
                    tests.append(("regex", attr, re.compile(arg)))
                else:
                    return None
            if listed is None:
                continue
            got = listed
        else:
            return None
        if attr in ("LOWER", "LEMMA", "ORTH", "NORM") and (words is None or len(got[1]) < len(words[1])):
            words = got
    # equal test lists are one list (Positions.mask memoizes per list: a word test many patterns share is
    # worked out once per letter)
    shared = tuple((how, name, value.pattern if how == "regex" else value) for how, name, value in tests)
    return _SHARED.setdefault(shared, tests), words


_SHARED: dict[tuple[Any, ...], list[Test]] = {}  # a pattern token's tests -> the one list of them
_REGEX_SEEN: dict[str, dict[int, bool]] = {}  # a REGEX test's pattern -> word hash -> whether it matches that word


def _op(op: Any) -> tuple[int, int] | None:
    """(fewest, most) repeats of a token with this OP; None for an OP the automaton does not know."""
    if op is None:
        return 1, 1
    op = str(op)
    if op in ("?", "*", "+", "!"):
        return None if op == "!" else {"?": (0, 1), "*": (0, _UNBOUNDED), "+": (1, _UNBOUNDED)}[op]
    rng = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)
    if rng is None:
        return None
    lo = int(rng.group(1) or 0)
    hi = (int(rng.group(3)) if rng.group(3) else _UNBOUNDED) if rng.group(2) else lo
    return (lo, hi) if lo <= hi else None


class Automaton:
    """One token pattern as a small automaton over a document's attribute arrays (`Positions.column`).

    It finds what spaCy's Matcher finds for the pattern (every (start, end) whose tokens match it, none
    empty), but is started only at the tokens that can begin a match: the positions of the words of the
    pattern's possible first tokens, found in the document's hash tables (a dict lookup), so a pattern
    whose words the letter lacks costs nothing. A pattern it cannot take (an unknown attribute or OP,
    or a token that may repeat without bound and names no word) stays with spaCy's Matcher.
    """

    def __init__(self, steps: list[tuple[list[Test], int, int]], starts: list[tuple[str, frozenset[int]]] | None) -> None:
        self.steps = steps  # per pattern token: its tests, fewest and most repeats
        self.starts = starts  # the (attribute, words) of every token that can begin a match; None: any token

    @classmethod
    def build(cls, pattern: Sequence[Mapping[str, Any]], vocab: Any) -> Automaton | None:
        steps: list[tuple[list[Test], int, int]] = []
        starts: list[tuple[str, frozenset[int]]] | None = []
        opening = True  # the tokens so far may all be skipped: this one can begin a match
        for spec in pattern:
            reps = _op(spec.get("OP"))
            got = compile_token(spec, vocab)
            if reps is None or got is None:
                return None
            tests, words = got
            if reps[1] == _UNBOUNDED and words is None:
                return None  # an unbounded run of any word: left to spaCy on the whole document
            if opening and starts is not None:
                if words is None:
                    starts = None
                else:
                    starts.append(words)
            if reps[0] > 0:
                opening = False
            steps.append((tests, *reps))
        if opening:
            starts = None  # every token optional: a match may begin anywhere
        return cls(steps, starts)

    def begin(self, where: Positions) -> list[int]:
        """Token positions where a match begins, sorted (a superset only in that a match found there may
        be empty, which `ends` drops).

        NOTE: computed on the whole document at once with integers as bit sets (bit q: token q), from
        the last pattern token back to the first: E holds the positions from which the rest of the
        pattern can match, and a token of n repeats of a step with mask M keeps M & (E >> 1), n times.
        A dozen big-integer operations per pattern instead of an attempt at every common first word.
        """
        size = where.size
        reach = (1 << (size + 1)) - 1  # after the last token: any position, the document's end included
        for tests, lo, hi in reversed(self.steps):
            mask = where.mask(tests)
            x, acc, r = reach, (reach if lo == 0 else 0), 0
            while r < hi and x:
                x = mask & (x >> 1)
                r += 1
                if r >= lo:
                    acc |= x
            reach = acc
            if not reach:
                return []
        opening = 0  # a non-empty match consumes its first token in one of the opening steps
        for tests, lo, _hi in self.steps:
            opening |= where.mask(tests)
            if lo > 0:
                break
        return where.positions(reach & opening)

    def ends(self, start: int, where: Positions, size: int) -> list[int]:
        """Every end of a non-empty match beginning at `start`."""
        steps, last = self.steps, len(self.steps)
        out: list[int] = []
        states = {(0, 0)}
        pos = start
        while True:
            # skip finished steps (count at least their fewest); reaching the end accepts here
            todo = list(states)
            seen = set(states)
            accept = False
            while todo:
                k, c = todo.pop()
                if k == last:
                    accept = True
                    continue
                if c >= steps[k][1] and (k + 1, 0) not in seen:
                    seen.add((k + 1, 0))
                    todo.append((k + 1, 0))
            if accept and pos > start:
                out.append(pos)
            if pos >= size:
                break
            nxt = set()
            for k, c in seen:
                if k < last:
                    tests, lo, hi = steps[k]
                    if c < hi and where.passes(tests, pos):
                        nxt.add((k, min(c + 1, lo) if hi == _UNBOUNDED else c + 1))
            if not nxt:
                break
            states = nxt
            pos += 1
        return out


class TokenPatterns:
    """One Matchable's token patterns, each with its anchors and its `Automaton` (or, for a pattern the
    automaton cannot take, a spaCy Matcher built on first need).

    A pattern runs only when the letter has a word of each of its anchors. The automaton then starts
    only where a match begins. A spaCy Matcher costs time per token per pattern, so it is run only on
    windows of the document around the rarest anchor word, as wide as its longest match: every match
    holds an anchor, so it lies inside a window and none is lost (a pattern of unbounded length: whole doc).
    """

    def __init__(self, patterns: Sequence[Sequence[Mapping[str, Any]]], vocab: Any,
                 built: Sequence[tuple[list[frozenset[tuple[str, int]]], Automaton | None]] | None = None) -> None:
        """`built`: each pattern's (anchors, Automaton.build) when the caller has worked them out already."""
        self.patterns, self.vocab = patterns, vocab
        if built is None:
            built = [(anchors(p, vocab), Automaton.build(p, vocab)) for p in patterns]
        self.anchors = [a for a, _auto in built]
        # each pattern's anchors as (attribute, value hashes) pairs per anchor, for `present`
        self._needs = [[tuple((a, frozenset(h for b, h in need if b == a)) for a in sorted({b for b, _h in need}))
                        for need in needs] for needs in self.anchors]
        self.longest = [max_length(p) for p in patterns]
        # an unbounded pattern's repeats, worked out only for one the automaton cannot take (windows())
        self._repeats: dict[int, tuple[int, list[tuple[str, frozenset[int]] | None]]] = {}
        self._matchers: list[Any] = [None] * len(patterns)
        self.automata = [auto for _a, auto in built]

    def windows(self, i: int, where: Positions, size: int) -> list[tuple[int, int]]:
        """Token ranges to run pattern i on: [] when it cannot match, [(0, size)] for the whole doc."""
        needs, longest = self.anchors[i], self.longest[i]
        if longest is None:  # some spec repeats without bound: as often as its words run in this document
            got = self._repeats.get(i)
            if got is None:
                got = self._repeats[i] = repeats(self.patterns[i], self.vocab)
            bounded, unbounded = got
            if all(u is not None for u in unbounded):
                longest = bounded + sum(where.run(u) for u in unbounded if u is not None)
        if not needs:
            return [(0, size)]
        rarest: list[int] | None = None
        for need in needs:
            hits = [j for a, h in need for j in where[a].get(h, ())]
            if not hits:
                return []  # a word every match needs is missing
            if rarest is None or len(hits) < len(rarest):
                rarest = hits
        if longest is None or rarest is None:
            return [(0, size)]
        out: list[tuple[int, int]] = []
        for j in sorted(rarest):
            lo, hi = max(0, j - longest + 1), min(size, j + longest)
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
        return out

    def present(self, i: int, where: Positions) -> bool:
        """Whether the document has a word of each of pattern i's anchors."""
        for need in self._needs[i]:
            for attr, hashes in need:
                if not where[attr].keys().isdisjoint(hashes):
                    break
            else:
                return False
        return True

    def matcher(self, i: int) -> Any:
        if self._matchers[i] is None:
            from spacy.matcher import Matcher

            self._matchers[i] = Matcher(self.vocab)
            self._matchers[i].add("t", [list(self.patterns[i])])
        return self._matchers[i]

    def spans(self, doc: Doc, where: Positions) -> list[Span]:
        out = []
        starts, ends = where.bounds
        size = len(doc)
        for i, auto in enumerate(self.automata):
            if auto is None:  # not one the automaton takes: spaCy's Matcher on the anchor windows
                for lo, hi in self.windows(i, where, size):
                    for _id, start, end in self.matcher(i)(doc[lo:hi]):
                        out.append((starts[lo + start], ends[lo + end - 1]))
                continue
            if not self.present(i, where):
                continue  # a word every match needs is missing
            for s in auto.begin(where):
                for e in auto.ends(s, where, size):
                    out.append((starts[s], ends[e - 1]))
        return out


def _bitset(at: Sequence[int], size: int) -> int:
    """Token positions as an integer with those bits set."""
    if size < 4096 or not at:
        out = 0
        for j in at:
            out |= 1 << j
        return out
    import numpy

    flags = numpy.zeros(size, dtype=bool)  # a long letter: one pass instead of a big integer per token
    flags[list(at)] = True
    return int.from_bytes(numpy.packbits(flags, bitorder="little").tobytes(), "little")


class Positions(dict):  # type: ignore[type-arg]
    """Where each ORTH, LOWER, LEMMA or NORM value occurs in a document (token indexes), for anchors.

    A table is built on first use of its attribute: most patterns only need LOWER and LEMMA.
    """

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.doc = doc
        self.runs: dict[tuple[str, frozenset[int]], int] = {}
        self._bounds: tuple[list[int], list[int]] | None = None
        self.columns: dict[str, list[int]] = {}
        self.bitsets: dict[tuple[str, int], int] = {}
        self.masks: dict[int, tuple[list[Test], int]] = {}

    @property
    def bounds(self) -> tuple[list[int], list[int]]:
        """Each token's first character offset and the offset just after it (a Span's start_char and
        end_char without building a Span: indexing a Doc makes a Python object each time)."""
        if self._bounds is None:
            from spacy.attrs import IDX, LENGTH

            rows = self.doc.to_array([IDX, LENGTH]).tolist() if len(self.doc) else []
            self._bounds = ([r[0] for r in rows], [r[0] + r[1] for r in rows])
        return self._bounds

    def run(self, spec: tuple[str, frozenset[int]]) -> int:
        """The longest run of consecutive tokens whose `spec[0]` value is one of `spec[1]`."""
        got = self.runs.get(spec)
        if got is None:
            table = self[spec[0]]
            at = sorted(j for h in spec[1] for j in table.get(h, ()))
            got = run = 0
            for k, j in enumerate(at):
                run = run + 1 if k and at[k - 1] == j - 1 else 1
                got = max(got, run)
            self.runs[spec] = got
        return got

    def column(self, attr: str) -> list[int]:
        """The document's values of one attribute (`Doc.to_array`), one per token."""
        got = self.columns.get(attr)
        if got is None:
            from spacy import attrs

            got = self.columns[attr] = self.doc.to_array(getattr(attrs, attr)).tolist() if len(self.doc) else []
        return got

    @property
    def size(self) -> int:
        return len(self.doc)

    def bits(self, attr: str, h: int) -> int:
        """The tokens whose `attr` is `h`, as a bit set."""
        key = (attr, h)
        got = self.bitsets.get(key)
        if got is None:
            got = self.bitsets[key] = _bitset(self[attr].get(h, ()), self.size)
        return got

    def flag(self, attr: str, value: int) -> int:
        """The tokens whose flag `attr` is `value` (0 or 1), as a bit set, from the column in one numpy pass."""
        key = (attr, -1 - value)  # (flag values are 0 and 1; word hashes are never negative)
        got = self.bitsets.get(key)
        if got is None:
            got = 0
            if self.size:
                import numpy
                from spacy import attrs

                flags = self.doc.to_array(getattr(attrs, attr)) == value
                got = int.from_bytes(numpy.packbits(flags, bitorder="little").tobytes(), "little")
            self.bitsets[key] = got
        return got

    def mask(self, tests: list[Test]) -> int:
        """The tokens that pass every test of a pattern token, as a bit set (memoized per test list)."""
        key = id(tests)
        got = self.masks.get(key)
        if got is not None:
            return got[1]
        size = self.size
        everything = (1 << size) - 1
        out = everything
        for how, attr, value in tests:
            if how == "eq":
                out &= self.bits(attr, value)
            elif how in ("in", "not_in"):
                words = 0
                for h in self[attr].keys() & value:
                    words |= self.bits(attr, h)
                out &= words if how == "in" else everything & ~words
            elif how == "flag":
                out &= self.flag(attr, value)
            else:  # "regex": the tokens whose value passes, value by distinct value
                keep = 0
                strings = self.doc.vocab.strings
                seen = _REGEX_SEEN.setdefault(value.pattern, {})
                for h in self[attr]:
                    ok = seen.get(h)
                    if ok is None:
                        ok = seen[h] = value.search(strings[h]) is not None
                    if ok:
                        keep |= self.bits(attr, h)
                out &= keep
            if not out:
                break
        self.masks[key] = (tests, out)  # the list is kept so its id is not reused while this memo lives
        return out

    @staticmethod
    def positions(bits: int) -> list[int]:
        """The set bits of a bit set, in order."""
        text = format(bits, "b")[::-1]
        out = []
        i = text.find("1")
        while i >= 0:
            out.append(i)
            i = text.find("1", i + 1)
        return out

    def passes(self, tests: list[Test], pos: int) -> bool:
        """Whether the token at `pos` passes every test of a pattern token (see `compile_token`)."""
        for how, attr, value in tests:
            v = self.column(attr)[pos]
            if how == "in":
                if v not in value:
                    return False
            elif how == "not_in":
                if v in value:
                    return False
            elif how == "regex":
                if not value.search(self.doc.vocab.strings[v]):
                    return False
            elif v != value:  # "eq", "flag"
                return False
        return True

    def __missing__(self, attr: str) -> dict[int, list[int]]:
        table: dict[int, list[int]] = {}
        if len(self.doc):
            get = table.get
            for i, h in enumerate(self.column(attr)):
                at = get(h)
                if at is None:
                    table[h] = [i]
                else:
                    at.append(i)
        self[attr] = table
        return table
