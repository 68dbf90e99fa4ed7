"""Baselines: record today's findings (--write-baseline) and report only new ones later (--baseline).

Findings are matched by file, rule and excerpt (whitespace-normalized), never by line, so
editing one part of a letter does not bring back the accepted findings of another.
Repeats count: if a letter had two identical findings and now has three, one is new.
Paths are stored relative to the baseline file's folder, so the file can be committed.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from poalint.model import Finding, Report

FORMAT = "poalint-baseline"
VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read or written; one line naming the file."""


def _key_path(path: str, folder: Path) -> str:
    if path in ("-", "<stdin>"):
        return path
    rel = os.path.relpath(os.path.abspath(path), folder)
    return PurePath(rel).as_posix()


def _excerpt(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Baseline:
    path: Path
    entries: Counter[tuple[str, str, str]]

    def new_findings(self, report: Report) -> list[Finding]:
        """The findings of `report` the baseline does not account for (each entry absorbs one finding)."""
        left = Counter({k: n for k, n in self.entries.items() if k[0] == _key_path(report.path, self.path.parent)})
        out = []
        for f in report.findings:
            key = (_key_path(report.path, self.path.parent), f.rule, _excerpt(f.excerpt))
            if left[key] > 0:
                left[key] -= 1
            else:
                out.append(f)
        return out


def load(path: str) -> Baseline:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file; create it with --write-baseline {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: not a poalint baseline (invalid JSON: {exc.msg}); "
                            "write a new one with --write-baseline") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a poalint baseline; write one with --write-baseline {path}")
    if data.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {data.get('version')!r}, this poalint reads version "
                            f"{VERSION}; write a new one with --write-baseline")
    entries: Counter[tuple[str, str, str]] = Counter()
    for i, item in enumerate(data["findings"]):
        try:
            entries[(str(item["path"]), str(item["rule"]), _excerpt(str(item["excerpt"])))] += int(item.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: findings[{i}] needs path, rule and excerpt") from None
    return Baseline(p.resolve(), entries)


def write(path: str, reports: Sequence[Report]) -> int:
    """Write every finding of `reports`; returns how many were recorded."""
    p = Path(path)
    folder = p.resolve().parent
    counts: Counter[tuple[str, str, str]] = Counter()
    for report in reports:
        for f in report.findings:
            counts[(_key_path(report.path, folder), f.rule, _excerpt(f.excerpt))] += 1
    items = [{"path": k[0], "rule": k[1], "excerpt": k[2], "count": n} for k, n in sorted(counts.items())]
    text = json.dumps({"format": FORMAT, "version": VERSION, "findings": items}, indent=2, ensure_ascii=False)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    return sum(counts.values())
