"""Expand the paths given on the command line into letter files, in a stable order.

Folders are walked for the suffixes poalint.readers.suffixes() names (.txt, .md, .docx, .odt, .rtf, .pdf;
not web pages); README, CHANGELOG, LICENSE and similar files are skipped unless named on the command
line, and so is a `notices/` folder, where the Amazon notices the letters answer are kept; symbolic links inside a folder are never
followed (so a link loop or a link out of the tree cannot be walked into).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from poalint.readers import suffixes

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".poalint_cache", ".tox",
             ".mypy_cache", ".pytest_cache", ".ruff_cache",
             "notices"}  # the Amazon notices kept beside the letters: read with --notice / front matter, not linted
SKIP_FILES = ("readme", "changelog", "license", "licence", "contributing", "code_of_conduct", "security",
              "~$")  # "~$letter.docx": the lock file Word keeps beside an open document


@dataclass(frozen=True)
class Found:
    path: str  # as the user will see it
    error: str | None = None  # a problem with this path: reported, run exits 2


def expand(paths: Sequence[str]) -> Iterator[Found]:
    for raw in paths:
        if raw == "-":
            yield Found("-")
            continue
        if os.path.isdir(raw):
            found = False
            for item in _walk(raw):
                found = True
                yield item
            if not found:
                yield Found(raw, f"{raw}: no .txt or .md letters in this folder; give a letter file or another folder")
        elif os.path.lexists(raw) or not os.path.exists(raw):
            yield Found(raw)  # missing files are reported when they are read


def _walk(top: str) -> Iterator[Found]:
    entries: list[os.DirEntry[str]]
    try:
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Found(top, f"{top}: cannot list this folder ({exc.strerror}); check its permissions")
        return
    for entry in entries:
        if entry.is_symlink():
            continue  # never follow links while walking: loops and links out of the tree
        path = os.path.join(top, entry.name)
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                yield from _walk(path)
        elif (entry.name.lower().endswith(suffixes()) and entry.is_file(follow_symlinks=False)
              and not entry.name.lower().startswith(SKIP_FILES)):
            yield Found(path)
