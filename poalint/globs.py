"""gitignore-like globs for per-file-ignores: `*` stays in a folder, `**` crosses folders."""

from __future__ import annotations

import re


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """gitignore-like: `*` stays inside a folder, `**` crosses folders, no `/` means any folder."""
    out, i = "", 0
    if "/" not in pattern.rstrip("/"):
        out = "(?:.*/)?"
    pattern = pattern.lstrip("/").removeprefix("./")
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
            continue
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[" and "]" in pattern[i + 1:]:
            j = pattern.index("]", i + 1)
            body = pattern[i + 1:j].replace("\\", "\\\\")
            out += "[^" + body[1:] + "]" if body.startswith("!") else "[" + body + "]"
            i = j
        else:
            out += re.escape(c)
        i += 1
    if pattern.endswith("/"):
        out += ".*"
    return re.compile(out + r"\Z")


def glob_match(pattern: str, rel_path: str) -> bool:
    return bool(_glob_regex(pattern).match(rel_path))
