"""Plain values shared by every module: severities, rules, findings, reports. No I/O here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from poalint.packs import ReasonPack

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2  # every letter passed; a letter failed; a usage, input or rule-file error


def bug_message(exc: BaseException, path: str | None = None) -> str:
    """One line for an exception poalint did not expect: where, what, and that it is a bug to report."""
    tb = exc.__traceback__
    where = ""
    while tb is not None:  # the innermost frame in poalint's own code
        name = tb.tb_frame.f_code.co_filename
        if "poalint" in name.replace("\\", "/").split("/"):
            where = f" at {name.replace(chr(92), '/').rsplit('/poalint/', 1)[-1]}:{tb.tb_lineno}"
        tb = tb.tb_next
    subject = f"{path}: " if path else ""
    detail = " ".join(str(exc).split())[:200]
    return (f"{subject}internal error, a bug in poalint ({type(exc).__name__}: {detail}{where}); "
            "please report it with the letter or rule file that caused it")


class Severity(IntEnum):
    """Ordered so that `max()` gives the worst."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        return cls[value.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Finding:
    """One defect in one letter. Lines and columns are 1-based; end_column is exclusive."""

    rule: str
    category: str
    severity: Severity
    line: int
    column: int
    end_line: int
    end_column: int
    excerpt: str
    message: str
    fix: str
    start: int = 0  # character offsets in the decoded text, for sorting and suppressions
    end: int = 0
    paragraph: int | None = None  # the source document's paragraph, for letters read from .docx, .pdf ...
    # the part of the letter the finding is about (thin-section): read by the weak-substance judgement, not shown
    part: str | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "rule": self.rule,
            "category": self.category,
            "severity": str(self.severity),
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "excerpt": self.excerpt,
            "message": self.message,
            "fix": self.fix,
        }
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        return out



Part = Literal["root_cause", "corrective", "preventive", "none"]


@dataclass(frozen=True, slots=True)
class PartSpan:
    """Characters [start, end) of the analysed letter text and the part of the letter they belong to."""

    start: int
    end: int
    part: Part


@dataclass(frozen=True, slots=True)
class Report:
    """The result for one letter."""

    path: str
    findings: tuple[Finding, ...]
    score: float
    passed: bool
    reason: str | None = None
    reason_source: str | None = None  # e.g. "--reason", "front matter", "detected from: 'late shipment rate'"
    warnings: tuple[str, ...] = field(default_factory=tuple)  # non-fatal notes, e.g. a cp1252 fallback
    # not in to_dict(): for editors and pages that show the letter
    parts: tuple[PartSpan, ...] = ()  # the letter cut into root cause / corrective / preventive / none
    text: str | None = None  # the analysed text, only when the output format declares it needs it
    why: str = ""  # why the letter failed ("2 errors; score 60 is under the minimum 70"), "" when it passed

    def counts(self) -> dict[Severity, int]:
        out = {s: 0 for s in Severity}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "reason": self.reason,
            "score": self.score,
            "passed": self.passed,
            "why": self.why,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class InputError:
    """A path that could not be linted: reported on stderr, makes the run exit 2."""

    path: str
    message: str


@dataclass(frozen=True, slots=True)
class LetterFailure:
    """One letter that could not be linted (a bad front-matter notice or reason); the others go on, exit 2."""

    path: str
    message: str


class ReasonSource(Enum):
    """Where a letter's suspension reason came from, most specific first."""

    CLI = "--reason"
    FRONT_MATTER = "front matter"
    CONFIG = "config"
    NOTICE = "notice"
    DETECTED = "detected"


@dataclass(frozen=True)
class Resolved:
    """A letter's reason, settled once: the id the checks use, where it came from, and the run's inputs.

    `shown` is the reason a report names: the id, or "none" when front matter turned reason checks off.
    `detail` is what the source found: the config file, or the notice's / letter's phrase.
    """

    reason: str | None = None
    source: ReasonSource | None = None
    detail: str = ""
    pack: ReasonPack | None = None
    notice: Any = None  # poalint.notice.Notice
    previous: Any = None  # poalint.letter.Letter, the rejected appeal
    shown: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. a notice read but not parsed: the letter is linted without it

    @property
    def label(self) -> str | None:
        """How reports describe the source: "--reason", "front matter", "detected from: '...'" ..."""
        s = self.source
        if s is None:
            return None
        if s is ReasonSource.CONFIG:
            return f"config {self.detail}"
        if s is ReasonSource.NOTICE:
            return f"from the notice: '{self.detail}'"
        if s is ReasonSource.DETECTED:
            return f"detected from: '{self.detail}'"
        return s.value

    @property
    def given(self) -> bool:
        """The reason was given (flag, front matter, config, notice), not guessed from the letter itself."""
        return self.pack is not None and self.source is not ReasonSource.DETECTED


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What output formats need to know about a rule (SARIF driver rules, docs)."""

    id: str
    category: str
    severity: Severity
    summary: str
    description: str
    fix: str


CATEGORIES = ("structure", "specificity", "relevance", "blame", "timeline", "tone", "format", "hygiene")
NOT_ENGLISH = "not-english"  # a meta finding (like unused-suppression, not a catalog rule): the letter is not English
MAX_PER_RULE = 20  # findings of one rule shown per letter; then one finding says how many more (0: no cap)
DEFAULT_WEIGHT = {Severity.ERROR: 25.0, Severity.WARNING: 8.0, Severity.INFO: 2.0}


@dataclass(frozen=True)
class Matchable:
    """What to look for: plain phrases (LOWER), lemma phrases (LEMMA), token patterns, regexes."""

    phrases: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    patterns: tuple[tuple[Mapping[str, Any], ...], ...] = ()
    regex: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()  # names of concepts whose matches count too
    case_sensitive: bool = False

    def empty(self) -> bool:
        return not (self.phrases or self.lemmas or self.patterns or self.regex or self.concepts)


@dataclass(frozen=True)
class Condition:
    """`unless` / `when`: matchables looked for around a hit (sentence, block, part or letter)."""

    where: str
    what: Matchable


@dataclass(frozen=True)
class Alternative:
    """One entry of a rule's `any:` list: its own matchers and conditions, and how often it must match."""

    match: Matchable
    unless: tuple[Condition, ...] = ()
    when: tuple[Condition, ...] = ()
    repeat: int = 1  # counts only from its n-th match in the scope ("repeated requests")


@dataclass(frozen=True)
class Example:
    """One `examples:` entry of a rule: the text, and for relevance rules the reason, notice or previous appeal."""

    text: str
    reason: str | None = None
    notice: str | None = None  # the notice text
    previous: str | None = None  # the text of a previous, rejected appeal
    repeat: int = 1  # the text stands for this many paragraphs of it (a letter too long to print)

    @property
    def letter_text(self) -> str:
        """What is linted: the text, or `repeat` paragraphs of it."""
        return "\n\n".join([self.text] * self.repeat)

    def __str__(self) -> str:
        return self.text if self.repeat == 1 else f"{self.text} [this paragraph {self.repeat} times]"


_GENERIC = {"match": "the quoted text", "sentence": "the sentence", "raw": "the quoted text"}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    category: str
    severity: Severity
    summary: str
    message: str
    fix: str
    description: str = ""
    weight: float | None = None
    scope: tuple[str, ...] = ("body",)
    match: Matchable = field(default_factory=Matchable)
    unless: tuple[Condition, ...] = ()
    when: tuple[Condition, ...] = ()
    alternatives: tuple[Alternative, ...] = ()  # `any:` entries, matched besides `match`
    # the kind's frozen Options value (poalint.kinds), for `kind: custom` its check's; built and validated at load
    options: Any = None
    check: str = ""  # kind: custom: the name of the check in poalint.kinds.custom.CHECKS
    examples: Mapping[str, tuple[Example, ...]] = field(default_factory=dict)
    source: str = ""

    def info(self) -> RuleInfo:
        """Rule docs for reports (SARIF driver rules ...): message values are not known here, so name them."""
        fix = re.sub(r"\{(\w+)\}", lambda m: _GENERIC.get(m.group(1), "..."), self.fix)
        return RuleInfo(self.id, self.category, self.severity, self.summary, self.description or self.summary, fix)

    def score_weight(self) -> float:
        return self.weight if self.weight is not None else DEFAULT_WEIGHT[self.severity]


@dataclass(frozen=True)
class NotAPartVocab:
    """`not_a_part` of rules/sections.yaml: what makes a passage no part of the appeal (checked at load)."""

    concepts: tuple[str, ...] = ()  # concept names
    rules: tuple[str, ...] = ()  # rule ids whose matchers count too
    concept_cues: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)  # part -> (concept, weight)
    hard: tuple[str, ...] = ()  # concept names: refusals and template instructions are no part whatever their cues


@dataclass(frozen=True)
class SectionVocab:
    """rules/sections.yaml, validated at load: the section finder's vocabulary."""

    headings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # part -> heading phrases ("re:" regexes)
    greetings: tuple[str, ...] = ()
    closings: tuple[str, ...] = ()
    cues: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)  # part -> (lemma cue, weight)
    not_a_part: NotAPartVocab | None = None


@dataclass(frozen=True)
class RuleSet:
    rules: Mapping[str, Rule]
    concepts: Mapping[str, Matchable]
    lexicon: Mapping[str, tuple[str, ...]]
    sections: SectionVocab
    reasons: Mapping[str, ReasonPack] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
