"""The Letter value and text decoding: decode bytes, split off YAML front matter, keep offsets.

Readers (poalint.readers) turn a file of each type into a Letter.

The analysed text has exactly the same lines and columns as the file: front matter
and HTML comments are blanked (replaced by spaces, newlines kept) instead of cut,
and CRLF / CR line ends become LF, which changes no line or column number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from poalint.safeyaml import safe_load

DEFAULT_MAX_BYTES = 2 * 1024 * 1024

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(---|\.\.\.)[ \t]*(\n|\Z)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


class LetterError(Exception):
    """The input cannot be linted; the message is one line saying what to do."""


@dataclass(frozen=True)
class Comment:
    """An HTML comment in a Markdown letter (where suppressions live)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the source document: its 1-based number there and its characters [start, end) in Letter.text."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Letter:
    path: str
    text: str  # decoded, LF line ends, front matter and comments blanked
    raw_text: str  # decoded, LF line ends, nothing blanked
    front_matter: dict[str, Any] = field(default_factory=dict)
    comments: tuple[Comment, ...] = ()
    warnings: tuple[str, ...] = ()
    is_markdown: bool = False
    # for formats whose text is extracted (.docx, .pdf ...): where each source paragraph sits in `text`;
    # empty for text files, whose lines and columns are the file's own
    paragraphs: tuple[Paragraph, ...] = ()

    def paragraph_at(self, offset: int) -> int | None:
        """The source paragraph number holding a character offset, when the reader gave a map."""
        starts = self._paragraph_starts
        if starts is None:  # not in order and disjoint: the first paragraph holding it
            return next((p.number for p in self.paragraphs if p.start <= offset < p.end), None)
        # asked once per finding: a bisect, as a long document has thousands of paragraphs
        i = bisect.bisect_right(starts, offset) - 1
        return self.paragraphs[i].number if i >= 0 and offset < self.paragraphs[i].end else None

    @cached_property
    def _paragraph_starts(self) -> list[int] | None:
        """The paragraphs' starts when they are in text order and disjoint (as the readers give them), else None."""
        paragraphs = self.paragraphs
        if any(a.end > b.start or a.start > b.start for a, b in zip(paragraphs, paragraphs[1:])):
            return None
        return [p.start for p in paragraphs]

    @property
    def reason(self) -> str | None:
        value = self.front_matter.get("reason")
        return str(value) if value else None


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Bytes to text: BOMs first, then UTF-8, then UTF-16 without BOM, then cp1252."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), warnings
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as exc:
            raise LetterError(f"{path}: has a UTF-16 mark but is not valid UTF-16 ({exc.reason}); save it as UTF-8") from None
    if b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is not None:
            warnings.append(f"{path}: no byte-order mark, read as UTF-16; save it as UTF-8 to be sure")
            return guess, warnings
        raise LetterError(f"{path}: is a binary file (it contains NUL bytes), not a letter; lint the .txt or .md text instead")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _mostly_control(text):
            raise LetterError(f"{path}: is a binary file (control characters), not a letter; lint the .txt or .md text instead")
        return text, warnings
    warnings.append(f"{path}: is not valid UTF-8, read as Windows-1252 (cp1252); save it as UTF-8 to be sure")
    return data.decode("cp1252", errors="replace"), warnings


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    codec = "utf-16-le" if odd_nuls > half * 0.3 and even_nuls < half * 0.05 else (
        "utf-16-be" if even_nuls > half * 0.3 and odd_nuls < half * 0.05 else None)
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return text if "\x00" not in text and not _mostly_control(text) else None


def _mostly_control(text: str) -> bool:
    """Binary data decoded by accident: many C0 control characters besides tabs and line ends."""
    if not _CONTROL.search(text):
        return False  # the usual case: one scan in C
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r\f\v")
    return controls > max(2, len(text) // 20)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")  # C0 controls but tab, line feed, \v, \f, carriage return


def parse(text: str, path: str, warnings: list[str] | None = None) -> Letter:
    """Decoded text to a Letter (front matter parsed, comments blanked)."""
    warnings = list(warnings or [])
    raw = text.replace("\r\n", "\n").replace("\r", "\n")
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    analysed = raw
    front: dict[str, Any] = {}
    if raw.startswith("---"):
        match = _FRONT_MATTER.match(raw)
        if match is None:
            if re.match(r"\A---[ \t]*\n", raw):
                raise LetterError(f"{path}:1: front matter starts with '---' but never ends; close it with a '---' line")
        else:
            try:
                loaded = safe_load(match.group(1) or "")
            except yaml.YAMLError as exc:
                line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
                raise LetterError(f"{path}:{line}: front matter is not valid YAML; fix it or remove it") from None
            if loaded is None:
                loaded = {}
            if not isinstance(loaded, dict):
                raise LetterError(f"{path}:2: front matter must be key: value pairs (reason, asins, notice), not a {type(loaded).__name__}")
            front = {str(k): v for k, v in loaded.items()}
            analysed = _blank(match.group(0)) + raw[match.end():]
    comments = tuple(Comment(m.group(0), m.start(), m.end()) for m in _HTML_COMMENT.finditer(analysed))
    for c in comments:
        analysed = analysed[: c.start] + _blank(c.text) + analysed[c.end:]
    is_md = path.lower().endswith((".md", ".markdown"))
    return Letter(path, analysed, raw, front, comments, tuple(warnings), is_md)


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    p = Path(path)
    try:
        if p.is_dir():
            raise LetterError(f"{path}: is a folder; give files, or a folder holding .txt or .md letters")
        size = p.stat().st_size
        if size > max_bytes:
            raise LetterError(
                f"{path}: is {size / 1024 / 1024:.1f} MB, over the {max_bytes / 1024 / 1024:g} MB limit for a letter; "
                "raise it with --max-file-size if this really is one letter")
        return p.read_bytes()
    except FileNotFoundError:
        raise LetterError(f"{path}: no such file; check the path") from None
    except PermissionError:
        raise LetterError(f"{path}: permission denied; make the file readable") from None
    except IsADirectoryError:
        raise LetterError(f"{path}: is a folder; give files, or a folder holding .txt or .md letters") from None
    except OSError as exc:
        raise LetterError(f"{path}: cannot be read ({exc.strerror or exc}); check the file") from None
