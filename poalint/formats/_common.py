"""Helpers shared by the CI renderers: repo-relative paths, spans, stable fingerprints, totals."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import unicodedata
from collections.abc import Sequence
from pathlib import PurePath

from poalint.formats import RenderContext
from poalint.model import Finding, Report, Severity

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


def is_document_level(f: Finding) -> bool:
    """A finding about the letter as a whole (no position): reported at 1:1."""
    return f.line <= 0


def span(f: Finding) -> tuple[int, int, int, int]:
    """(line, column, end_line, end_column), 1-based, end column exclusive, never inverted."""
    if is_document_level(f):
        return 1, 1, 1, 1
    line, col = f.line, max(f.column, 1)
    end_line = max(f.end_line, line)
    end_col = max(f.end_column, 1)
    if end_line == line:
        end_col = max(end_col, col)
    return line, col, end_line, end_col


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


def totals(reports: Sequence[Report]) -> dict[Severity, int]:
    out = {s: 0 for s in Severity}
    for report in reports:
        for sev, n in report.counts().items():
            out[sev] += n
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(reports: Sequence[Report], ctx: RenderContext) -> str:
    """e.g. `poalint: 3 letters, 2 failed: 4 errors, 7 warnings, 1 info` (no newline)."""
    t = totals(reports)
    failed = sum(not r.passed for r in reports)
    line = (
        f"poalint: {_plural(len(reports), 'letter')}, {failed} failed: "
        f"{_plural(t[Severity.ERROR], 'error')}, {_plural(t[Severity.WARNING], 'warning')}, "
        f"{t[Severity.INFO]} info"
    )
    if ctx.errors:
        line += f", {len(ctx.errors)} not readable"
    return line
