"""What every renderer shares: the RenderContext, repo-relative paths, spans, stable fingerprints, totals."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from poalint.model import Finding, InputError, Report, RuleInfo, Severity


@dataclass(frozen=True)
class RenderContext:
    """Everything a renderer may read besides the reports."""

    version: str
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)
    color: bool = False
    root: str = "."  # paths in SARIF / GitLab reports are made relative to this folder
    errors: Sequence[InputError] = ()
    quiet: bool = False
    min_score: float = 70.0
    statistics: bool = False  # --statistics: the json format adds a `statistics` member


def verdict(report: Report) -> str:
    """`passed`, or `FAILED (2 errors; score 60 is under the minimum 70)`: a failed letter always says why."""
    if report.passed:
        return "passed"
    return f"FAILED ({report.why})" if report.why else "FAILED"


def shown(report: Report, ctx: RenderContext) -> bool:
    """-q: only letters that fail are printed."""
    return not ctx.quiet or not report.passed


Renderer = Callable[[Sequence[Report], RenderContext], str]
RenderOne = Callable[[Report, RenderContext], str]
Tail = Callable[["Tally", RenderContext], str]

FINGERPRINT_KEY = "poalint/v1"  # bump the suffix only if the hashed parts change: it re-opens every alert

_SPACE = re.compile(r"\s+")


def rel_path(path: str, root: str) -> str:
    """`path` relative to `root` with forward slashes; absolute if outside `root`; pseudo paths as given."""
    if path in ("", "-") or path.startswith("<"):
        return path
    target = os.path.abspath(path)
    try:
        rel = os.path.relpath(target, os.path.abspath(root))
    except ValueError:  # another drive on Windows
        return PurePath(target).as_posix()
    rel = PurePath(rel).as_posix()
    if rel == ".." or rel.startswith("../"):
        return PurePath(target).as_posix()
    return posixpath.normpath(rel)


def span(f: Finding) -> tuple[int, int, int, int]:
    """(line, column, end_line, end_column), 1-based, end column exclusive, never inverted."""
    if f.line <= 0:  # no position (whole-letter findings are placed at 1:1, so none today)
        return 1, 1, 1, 1
    line, col = f.line, max(f.column, 1)
    end_line = max(f.end_line, line)
    end_col = max(f.end_column, 1)
    if end_line == line:
        end_col = max(end_col, col)
    return line, col, end_line, end_col


def paragraph_note(f: Finding) -> str:
    """" (paragraph 12)" for a letter read from a .docx, .pdf ... (its lines are those of the extracted text,
    the paragraph is the one a seller counts in Word); "" for text letters."""
    return f" (paragraph {f.paragraph})" if f.paragraph is not None else ""


def one_line(text: str) -> str:
    """Every line break (including U+2028, NEL, ...) turned into a space."""
    return " ".join(text.splitlines()) if text else text


def _normalize(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def base_fingerprint(rule: str, excerpt: str, path: str) -> str:
    """sha256 of rule id + normalized excerpt + path: no line numbers, so it survives edits elsewhere."""
    h = hashlib.sha256()
    for part in (rule, _normalize(excerpt), path):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def fingerprints(findings: Sequence[Finding], path: str) -> list[str]:
    """One fingerprint per finding, in order; repeats of the same hash get `:2`, `:3`... (CodeQL-style)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for f in findings:
        base = base_fingerprint(f.rule, f.excerpt, path)
        seen[base] = seen.get(base, 0) + 1
        out.append(f"{base}:{seen[base]}")
    return out


class Tally:
    """Running totals of a run's reports: what the summaries and --statistics need, without keeping the reports.

    NOTE: a run of 10,000 letters must not hold 10,000 Reports just to print one summary line.
    """

    def __init__(self) -> None:
        self.letters = 0
        self.failed = 0
        self.severities: dict[Severity, int] = {s: 0 for s in Severity}
        self.rules: Counter[str] = Counter()  # findings per rule id
        self.rule_severity: dict[str, Severity] = {}  # the worst severity each rule reported

    def add(self, report: Report) -> None:
        self.letters += 1
        self.failed += not report.passed
        for f in report.findings:
            self.severities[f.severity] += 1
            self.rules[f.rule] += 1
            self.rule_severity[f.rule] = max(self.rule_severity.get(f.rule, f.severity), f.severity)

    @classmethod
    def of(cls, reports: Sequence[Report] | Tally) -> Tally:
        if isinstance(reports, Tally):
            return reports
        tally = cls()
        for report in reports:
            tally.add(report)
        return tally


def totals(reports: Sequence[Report] | Tally) -> dict[Severity, int]:
    return dict(Tally.of(reports).severities)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(reports: Sequence[Report] | Tally, ctx: RenderContext) -> str:
    """e.g. `poalint: 3 letters, 2 failed: 4 errors, 7 warnings, 1 info` (no newline)."""
    tally = Tally.of(reports)
    t = tally.severities
    line = (
        f"poalint: {_plural(tally.letters, 'letter')}, {tally.failed} failed: "
        f"{_plural(t[Severity.ERROR], 'error')}, {_plural(t[Severity.WARNING], 'warning')}, "
        f"{t[Severity.INFO]} info"
    )
    if ctx.errors:
        line += f", {len(ctx.errors)} not linted"
    return line
