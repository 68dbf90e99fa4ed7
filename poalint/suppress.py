"""Suppressions written in a letter: front matter `poalint: {ignore: [...]}` and Markdown comments.

Comments stay invisible when Markdown is rendered and front matter is never pasted into
Amazon's form, so nothing here forces poalint syntax into the text a reviewer reads:

    <!-- poalint-disable RULE[, RULE] --> ... <!-- poalint-enable [RULE] -->
    <!-- poalint-disable-next-line RULE -->
    <!-- poalint-disable-file [RULE] -->

A comment without rule ids means every rule. Rule ids and categories are accepted. A
comment naming an unknown rule, or one that hides nothing, is reported as
`unused-suppression` (like ruff's unused `noqa`). Comments can only hide findings: a rule
the configuration turned off is never run, so no comment can turn it back on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from poalint.letter import Letter
from poalint.model import CATEGORIES, Finding

UNUSED = "unused-suppression"
_DIRECTIVE = re.compile(r"<!--\s*poalint-(disable-next-line|disable-file|disable|enable)(?![\w-])(.*?)-->\Z", re.S)
_MENTION = re.compile(r"<!--\s*poalint\b", re.I)
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
SYNTAX = ("<!-- poalint-disable RULE -->, <!-- poalint-enable -->, <!-- poalint-disable-next-line RULE --> "
          "or <!-- poalint-disable-file -->")


@dataclass(frozen=True)
class Directive:
    """One suppression: which names it hides (() = every rule) between `start` and `end` (letter offsets)."""

    kind: str  # "file", "front-matter", "range", "next-line"
    names: tuple[str, ...]
    start: int
    end: int
    at: tuple[int, int]  # where the comment itself is, for reporting
    text: str  # the comment as written

    def covers(self, f: Finding) -> bool:
        if self.names and f.rule not in self.names and f.category not in self.names:
            return False
        return self.kind in ("file", "front-matter") or self.start <= f.start <= self.end


@dataclass(frozen=True)
class Malformed:
    """A comment or front matter entry that looks like a suppression but is not one."""

    at: tuple[int, int]
    text: str
    why: str


def _names(body: str) -> tuple[str, ...]:
    return tuple(n for n in re.split(r"[\s,]+", body.strip()) if n)


def _line_after(text: str, offset: int) -> tuple[int, int]:
    """The next line with text after the line holding `offset` (blank lines skipped)."""
    pos = text.find("\n", offset)
    while pos != -1:
        start = pos + 1
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        if text[start:end].strip():
            return start, end
        pos = text.find("\n", start) if end < len(text) else -1
    return len(text), len(text)


def _front_matter(letter: Letter) -> tuple[list[Directive], list[Malformed]]:
    if "poalint" not in letter.front_matter:
        return [], []
    m = re.search(r"^poalint\s*:.*$", letter.raw_text, re.M)
    at = (m.start(), m.end()) if m else (0, 0)
    text = m.group(0) if m else "poalint:"
    value = letter.front_matter["poalint"]
    if not isinstance(value, dict) or set(value) != {"ignore"}:
        return [], [Malformed(at, text, "front matter 'poalint' must be {ignore: [RULE, ...]}")]
    names = value["ignore"]
    if isinstance(names, str):
        names = _names(names)
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        return [], [Malformed(at, text, "'poalint: {ignore: ...}' needs a list of rule ids")]
    return [Directive("front-matter", tuple(names), 0, len(letter.text), at, text)], []


def parse(letter: Letter) -> tuple[list[Directive], list[Malformed]]:
    """Every suppression in the letter, and every comment that looks like one but is not."""
    directives, bad = _front_matter(letter)
    text = letter.text
    open_ranges: list[tuple[int, tuple[str, ...], tuple[int, int], str]] = []
    closed: list[Directive] = []
    for c in letter.comments:
        m = _DIRECTIVE.match(c.text)
        at = (c.start, c.end)
        if m is None:
            if _MENTION.match(c.text):
                bad.append(Malformed(at, c.text, "poalint does not know this comment"))
            continue
        kind, names = m.group(1), _names(m.group(2))
        wrong = [n for n in names if not _NAME.match(n)]
        if wrong:
            bad.append(Malformed(at, c.text, f"'{wrong[0]}' is not a rule id"))
            continue
        if kind == "disable-file":
            directives.append(Directive("file", names, 0, len(text), at, c.text))
        elif kind == "disable-next-line":
            start, end = _line_after(text, c.end)
            directives.append(Directive("next-line", names, start, end, at, c.text))
        elif kind == "disable":
            # a range opened before any letter text also covers findings about the whole letter (at offset 0)
            start = 0 if not text[: c.start].strip() else c.end
            open_ranges.append((start, names, at, c.text))
        else:  # enable: closes the ranges it names (all of them when it names none)
            if not open_ranges:
                bad.append(Malformed(at, c.text, "nothing was turned off above it"))
                continue
            keep = []
            for start, rnames, rat, rtext in open_ranges:
                if not names or (rnames and set(rnames) <= set(names)):
                    closed.append(Directive("range", rnames, start, c.start, rat, rtext))
                elif rnames and set(rnames) & set(names):
                    rest = tuple(n for n in rnames if n not in names)
                    closed.append(Directive("range", tuple(n for n in rnames if n in names), start, c.start, rat,
                                            rtext))
                    keep.append((start, rest, rat, rtext))
                else:
                    keep.append((start, rnames, rat, rtext))
            open_ranges = keep
    closed += [Directive("range", n, s, len(text), at, t) for s, n, at, t in open_ranges]
    return directives + closed, bad


def unknown_names(directives: Sequence[Directive], known: Collection[str]) -> list[tuple[Directive, str]]:
    return [(d, n) for d in directives for n in d.names if n not in known]


Make = Callable[[int, int, dict[str, str]], Finding]


def apply(letter: Letter, findings: Sequence[Finding], known: Collection[str], active: Collection[str],
          make_unused: Make | None) -> list[Finding]:
    """Findings minus the suppressed ones, plus an `unused-suppression` finding for each idle name."""
    directives, _bad = parse(letter)
    if not directives:
        return list(findings)
    used: set[tuple[int, str]] = set()
    kept: list[Finding] = []
    for f, hiding in zip(findings, covering(directives, findings)):
        for i in hiding:
            d = directives[i]
            used.add((i, f.rule if f.rule in d.names else f.category if f.category in d.names else ""))
        if not hiding:
            kept.append(f)
    if make_unused is None:
        return kept
    for i, d in enumerate(directives):
        for name in d.names or ("",):
            if (i, name) in used or (name and name not in known):
                continue  # unknown names are reported by the suppression-comments check
            if name and name in active:
                why = f"no '{name}' finding is there for it to hide"
            elif name and name not in CATEGORIES:
                why = f"'{name}' is already turned off by the configuration or --select/--ignore"
            elif name:
                why = f"no finding of category '{name}' is there for it to hide"
            else:
                why = "there is no finding for it to hide"
            finding = make_unused(d.at[0], d.at[1], {"match": _flat(d.text), "why": why,
                                                     "how": "Delete it, so it cannot hide a real problem later."})
            if not any(other.covers(finding) for j, other in enumerate(directives) if j != i):
                kept.append(finding)
    return kept


def covering(directives: Sequence[Directive], findings: Sequence[Finding]) -> list[list[int]]:
    """Per finding, the indexes (in order) of the directives that cover it: `[i for i, d in enumerate(directives)
    if d.covers(f)]`, found in one sweep over the findings by offset, so that a long letter with many findings
    and many comments does not ask every comment about every finding."""
    whole = [i for i, d in enumerate(directives) if d.kind in ("file", "front-matter")]
    ranged = sorted((d.start, i) for i, d in enumerate(directives) if d.kind not in ("file", "front-matter"))
    out: list[list[int]] = [[] for _ in findings]
    active: list[int] = []  # ranges opened at or before the finding, not yet closed before it
    k = 0
    for n in sorted(range(len(findings)), key=lambda n: findings[n].start):
        f = findings[n]
        while k < len(ranged) and ranged[k][0] <= f.start:
            active.append(ranged[k][1])
            k += 1
        active = [i for i in active if directives[i].end >= f.start]
        out[n] = [i for i in sorted((*whole, *active)) if directives[i].covers(f)]
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())
