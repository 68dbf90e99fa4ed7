"""The shapes every extractor returns, and the helpers they share.

An extractor turns the bytes of a word-processor file into Markdown-like text that the
block parser reads: `# Title` headings, `- item` / `1. item` list lines (two spaces of
indent per nesting level), `| a | b |` tables, and paragraphs parted by one blank line.
Each paragraph a seller would count in Word keeps its number and where it sits in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import zipfile

MAX_UNZIPPED = 20 * 1024 * 1024  # bytes a zipped document may unpack to
MAX_MEMBERS = 5000  # files inside one zipped document


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, as a Word / Docs user counts the non-empty paragraphs
    start: int  # offsets of the paragraph's own text (no `#`, `- ` or `|`) in Extracted.text
    end: int
    kind: str  # "heading" | "list" | "table" | "body"


@dataclass(frozen=True)
class Extracted:
    text: str
    paragraphs: tuple[Paragraph, ...]
    warnings: tuple[str, ...] = ()

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph an offset in `text` falls in (its `# ` / `- ` / `| ` markup included), or None
        between paragraphs. For "paragraph 7" in a finding, so a seller can find the place in Word."""
        from bisect import bisect_right

        paras = self.paragraphs
        i = bisect_right([p.start for p in paras], offset) - 1
        if i >= 0 and offset <= paras[i].end:
            return paras[i]
        if i + 1 < len(paras) and "\n" not in self.text[offset:paras[i + 1].start]:
            return paras[i + 1]  # in the markup before the paragraph on its line
        return None


class ExtractError(Exception):
    """One line in plain words saying what is wrong with the file and what to do."""


_TYPED_MARKER = re.compile(
    r"^(?:[\u2022\u25cf\u25aa\u25e6\u2023\u2219\u00b7\u25a0\u2043\u2013\u2014\uf0b7\uf0a7*-]|\(?(?P<num>\d{1,2})[.)])"
    r"[ \t\u00a0]+(?=\S)"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n\s*\n")


# invisible or control characters a letter never means: C0 controls but tab and newline, DEL,
# soft hyphens (Word's optional hyphen), zero-width no-break spaces (a stray BOM)
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u00ad\ufeff]")


def one_line(text: str) -> str:
    """Text for a heading, list item or table cell: all on one line, spaces collapsed."""
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text.replace("\r", " ").replace("\n", " ").replace("\v", " ").replace("\f", " ")).strip()


def body_text(text: str) -> str:
    """Text of a body paragraph: soft line breaks kept as single newlines, each line trimmed."""
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n").replace("\f", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def number(value: str | None, default: int | None = None) -> int | None:
    """A whole number written in a file's attribute, or `default` when it is missing or odd ("²", "1e9")."""
    if value is None:
        return default
    v = value.strip()
    digits = v[1:] if v[:1] in "+-" else v
    if not digits or len(digits) > 9 or not (digits.isascii() and digits.isdigit()):
        return default
    return int(v)


def cell_text(text: str) -> str:
    return one_line(text).replace("|", "\\|")


@dataclass
class Builder:
    """Writes blocks one after another and numbers the paragraphs as it goes."""

    parts: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pos: int = 0
    last: str | None = None

    def _write(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def _separate(self, kind: str) -> None:
        if self.last is None:
            return
        self._write("\n" if kind == "list" and self.last == "list" else "\n\n")

    def _record(self, start: int, kind: str) -> None:
        self.paragraphs.append(Paragraph(len(self.paragraphs) + 1, start, self.pos, kind))

    def heading(self, text: str, level: int) -> None:
        text = one_line(text)
        if not text:
            return
        self._separate("heading")
        self._write("#" * max(1, min(level, 6)) + " ")
        start = self.pos
        self._write(text)
        self._record(start, "heading")
        self.last = "heading"

    def item(self, text: str, depth: int = 0, marker: str = "-") -> None:
        text = one_line(text)
        if not text:
            return
        self._separate("list")
        self._write("  " * max(0, min(depth, 8)) + marker + " ")
        start = self.pos
        self._write(text)
        self._record(start, "list")
        self.last = "list"

    def body(self, text: str) -> None:
        text = body_text(text)
        if not text:
            return
        typed = _TYPED_MARKER.match(text)
        if typed:  # a bullet or number typed by hand ("•<tab>text", "1. text"): a list item all the same
            num = typed.group("num")
            self.item(text[typed.end():], 0, f"{num}." if num else "-")
            return
        self._separate("body")
        start = self.pos
        self._write(text)
        self._record(start, "body")
        self.last = "body"

    def table(self, rows: list[list[list[str]]]) -> None:
        """rows -> cells -> the cell's paragraphs; one Markdown table, each cell paragraph numbered."""
        rows = [[[t for t in (cell_text(p) for p in cell) if t] for cell in row] for row in rows]
        rows = [row for row in rows if row]
        if not any(any(cell) for row in rows for cell in row):
            return
        width = max(len(row) for row in rows)
        self._separate("table")
        for r, row in enumerate(rows):
            if r:
                self._write("\n")
            self._write("|")
            for c in range(width):
                self._write(" ")
                paras = row[c] if c < len(row) else []
                for i, para in enumerate(paras):
                    if i:
                        self._write(" ")
                    start = self.pos
                    self._write(para)
                    self._record(start, "table")
                self._write(" |" if paras else "|")
            if r == 0:
                self._write("\n|" + " --- |" * width)
        self.last = "table"

    def result(self) -> Extracted:
        return Extracted("".join(self.parts), tuple(self.paragraphs), tuple(self.warnings))


def open_zip(data: bytes, member: str, what: str, hint: str) -> zipfile.ZipFile:
    """The zip inside a .docx or .odt, checked before any library reads it.

    A file that is not a zip, lacks `member`, or would unpack to more than MAX_UNZIPPED
    bytes is refused with one plain line (`hint` says what to do instead).
    """
    import io
    import zipfile

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ExtractError(
            f"this {what} is an old binary document or is protected by a password: "
            f"save it again as {hint} without a password and lint that"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (odd zip versions), OSError, ValueError, EOFError
        raise ExtractError(f"this {what} is damaged or is not really a {hint} file: open it and save it again as {hint}") from exc
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise ExtractError(
            f"this {what} unpacks to more than {MAX_UNZIPPED // (1024 * 1024)} MB: "
            "remove large pictures or save the letter as plain text and lint that"
        )
    names = {i.filename for i in infos}
    if member not in names:
        raise ExtractError(f"this {what} has no text part ({member}): open it and save it again as {hint}")
    return archive
