"""Text PDFs -> Markdown-like text (pypdf reads the text layer).

A PDF keeps no paragraphs, so they are rebuilt from where the lines sit: a wider gap than
the usual line spacing starts a new paragraph, a line in a clearly larger font is a heading,
a line opening with a bullet or `1.` is a list item. Page numbers alone on a line are
dropped. A PDF with no text at all (a scan) is refused with advice to export the text.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .base import Builder, Extracted, ExtractError

MAX_PAGES = 300
_BULLET = re.compile(r"^(?:[\u2022\u25cf\u25aa\u25e6\u2023\u2219\u00b7\u25a0\u25a1\u2043\u2013\u2014*\-]|\uf0b7|\uf0a7)\s+")
_NUMBER = re.compile(r"^\(?(\d{1,2})[.)]\s+")
_PAGE_NO = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.I)
_TERMINAL = re.compile(r"[.!?:;)\"'\u201d\u2019]$")


@dataclass
class _Line:
    text: str
    y: float | None
    size: float
    page: int
    x: float | None = None


def _mult(a, b):
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _page_lines(page, number: int) -> tuple[list[_Line], bool]:
    """The page's lines without page numbers, and whether it had any text at all."""
    lines: list[_Line] = []
    cur: dict[str, Any] = {"text": [], "y": None, "size": 0.0, "x": None}

    def new_line() -> None:
        text = "".join(cur["text"]).strip()
        if text:
            lines.append(_Line(text, cur["y"], cur["size"], number, cur["x"]))
        cur.update(text=[], y=None, size=0.0, x=None)

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if not text:
            return
        x, y, size = None, None, float(font_size or 0)
        if text.strip():
            try:
                m = _mult([float(v) for v in tm], [float(v) for v in cm])
                x, y, size = m[4], m[5], round(float(font_size or 0) * math.hypot(m[2], m[3]), 1)
            except (TypeError, ValueError, IndexError):
                pass
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                new_line()
            if piece.strip():
                if cur["y"] is not None and y is not None and abs(y - cur["y"]) > max(1.0, 0.5 * (size or 1)):
                    new_line()  # the text moved to another line without saying so
                if cur["y"] is None:
                    cur["y"], cur["size"], cur["x"] = (y if y is not None else 0.0), size, x
            cur["text"].append(piece)

    page.extract_text(visitor_text=visit)
    new_line()
    return [ln for ln in lines if not _PAGE_NO.match(ln.text)], bool(lines)


def _join(prev: str, nxt: str, wide: int) -> str:
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and nxt[:1].islower():
        return prev + nxt  # a compound split at its hyphen: "follow-" + "up"
    sep = "\n" if len(prev) < 0.6 * wide else " "  # a short line ended where the writer pressed Enter
    return prev + sep + nxt


def _hangs(ln: _Line, item: dict) -> bool:
    """A wrapped line of a list item starts right of the item's marker (a hanging indent)."""
    return ln.x is None or item.get("x") is None or ln.x > item["x"] + 2


def _build(lines: list[_Line], out: Builder) -> None:
    if not lines:
        return
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[ln.size] += len(ln.text)
    body = weights.most_common(1)[0][0]
    gaps = [
        a.y - b.y for a, b in zip(lines, lines[1:])
        if a.page == b.page and a.y is not None and b.y is not None and a.size == b.size == body
        and a.y - b.y >= body * 0.8  # closer lines are raised marks or overlapping text, not line spacing
    ]
    # the line spacing is the smallest gap between two lines of body text: wider gaps part paragraphs
    usual = min(gaps) if gaps else body * 1.2
    heading_sizes = sorted({ln.size for ln in lines if body and ln.size >= body * 1.15}, reverse=True)
    wide = max(60, max(len(ln.text) for ln in lines))  # a typed page line is 60+ characters

    block: dict | None = None  # kind, text, level/marker
    markers: list[float] = []  # x of the list markers of the list being read, one per level

    def flush() -> None:
        nonlocal block
        if block is None:
            return
        if block["kind"] == "heading":
            out.heading(block["text"], block["level"])
        elif block["kind"] == "list":
            out.item(block["text"], block["depth"], block["marker"])
        else:
            out.body(block["text"])
        block = None

    prev: _Line | None = None
    for ln in lines:
        is_heading = ln.size in heading_sizes and len(ln.text.split()) <= 15
        gap_break = True
        if prev is not None:
            if prev.page != ln.page:
                gap_break = bool(_TERMINAL.search(prev.text)) or not ln.text[:1].islower()
            elif prev.y is not None and ln.y is not None:
                gap_break = (prev.y - ln.y) > usual * 1.35 + 0.5 or ln.y > prev.y
            else:
                gap_break = False
        bullet = _BULLET.match(ln.text)
        number = _NUMBER.match(ln.text)
        if is_heading:
            level = min(heading_sizes.index(ln.size) + 1, 3)
            if block and block["kind"] == "heading" and block["level"] == level and not gap_break:
                block["text"] += " " + ln.text
            else:
                flush()
                block = {"kind": "heading", "text": ln.text, "level": level}
        elif bullet or number:
            if block is None or block["kind"] != "list" or ln.x is None:
                markers.clear()  # a new list
            if ln.x is not None:
                while markers and ln.x < markers[-1] - 4:
                    markers.pop()  # back out to a shallower level
                if not markers or ln.x > markers[-1] + 4:
                    markers.append(ln.x)  # indented further: one level deeper
            flush()
            found = bullet or number
            assert found is not None  # the enclosing branch is taken only when one matched
            text = ln.text[found.end():]
            block = {"kind": "list", "text": text, "marker": f"{number.group(1)}." if number else "-",
                     "depth": max(0, len(markers) - 1), "x": ln.x}
        elif (block is not None and not gap_break and block["kind"] != "heading" and prev is not None
              and prev.size == ln.size and (block["kind"] != "list" or _hangs(ln, block))):
            block["text"] = _join(block["text"], ln.text, wide) if block["kind"] == "body" else block["text"] + " " + ln.text
        else:
            flush()
            block = {"kind": "body", "text": ln.text}
        prev = ln
    flush()


def extract(data: bytes, path: str) -> Extracted:
    if b"%PDF-" not in data[:1024]:
        raise ExtractError("this .pdf file is not a PDF: export the letter again as PDF, or as text or .docx")
    try:
        from pypdf import PdfReader  # loaded only when a PDF is read
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ExtractError("reading PDF files needs the pypdf package: pip install pypdf") from exc
    import logging
    import warnings

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)  # pypdf logs every repair it makes; a damaged file is reported once, here
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(data, PdfReader)
    finally:
        log.setLevel(level)


def _read(data: bytes, PdfReader) -> Extracted:  # noqa: N803 - the class, imported lazily
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # DependencyError, NotImplementedError: an encryption pypdf cannot undo
                raise ExtractError(
                    "this PDF is encrypted in a way poalint cannot open: export the letter again without a password, or as text or .docx"
                ) from exc
            if not opened:
                raise ExtractError("this PDF is protected by a password: export the letter again without a password, or as text or .docx")
        pages = reader.pages
        count = len(pages)
        if count == 0:
            raise ExtractError("this PDF has no pages: export the letter again as PDF, or as text or .docx")
    except ExtractError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise ExtractError("this PDF is damaged and cannot be read: export the letter again as PDF, or as text or .docx") from exc
    warnings: list[str] = []
    lines: list[_Line] = []
    empty: list[int] = []
    read_pages = min(count, MAX_PAGES)
    if count > MAX_PAGES:
        warnings.append(f"only the first {MAX_PAGES} of {count} pages were read")
    damaged: list[int] = []
    for i in range(read_pages):
        try:
            page_lines = _page_lines(pages[i], i + 1)
        except Exception:  # a damaged page: the others may still be read  # noqa: BLE001
            damaged.append(i + 1)
            continue
        if not page_lines[1]:
            empty.append(i + 1)
        lines.extend(page_lines[0])
    if damaged and len(damaged) == read_pages:
        raise ExtractError("this PDF is damaged and cannot be read: export the letter again as PDF, or as text or .docx")
    if not lines:
        raise ExtractError(
            "this PDF has no text layer (a scan?): export the letter as text or .docx and lint that"
        )
    if damaged:
        which = ", ".join(map(str, damaged[:10])) + (" and more" if len(damaged) > 10 else "")
        warnings.append(f"page{'s' if len(damaged) > 1 else ''} {which} of this PDF {'are' if len(damaged) > 1 else 'is'} "
                        "damaged and could not be read")
    if empty:
        which = ", ".join(map(str, empty[:10])) + (" and more" if len(empty) > 10 else "")
        if len(empty) == 1:
            warnings.append(f"page {which} of this PDF has no text (a scanned image?), so it was not checked")
        else:
            warnings.append(f"pages {which} of this PDF have no text (scanned images?), so they were not checked")
    out = Builder(warnings=warnings)
    try:
        _build(lines, out)
    except (ValueError, TypeError, ZeroDivisionError) as exc:  # pragma: no cover - defensive
        raise ExtractError("this PDF's text could not be put in order: export the letter as text or .docx and lint that") from exc
    return out.result()
