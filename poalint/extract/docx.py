"""Word .docx -> Markdown-like text (python-docx reads the package)."""

from __future__ import annotations

import io
import re
from typing import Any

from .base import Builder, Extracted, ExtractError, number, open_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {W + "del", W + "moveFrom", W + "txbxContent", W + "instrText", W + "delText", W + "footnoteReference",
         W + "endnoteReference", W + "commentReference", W + "pPr", W + "rPr",
         "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.I)


def _text(p) -> str:
    """Visible text of a w:p: runs in insertions, hyperlinks, fields and content controls;
    no deleted text, no text boxes (they float outside the flow), no field codes."""
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab" or tag == W + "ptab":
                out.append("\t")
            elif tag == W + "br":
                kind = child.get(W + "type")
                out.append("\n" if kind in (None, "textWrapping") else " ")
            elif tag == W + "cr":
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag == W + "p":
                continue
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _val(el, path: str) -> str | None:
    found = el.find(path) if el is not None else None
    return None if found is None else found.get(W + "val")


class _Styles:
    def __init__(self, styles_el) -> None:
        self.by_id: dict[str, object] = {}
        if styles_el is not None:
            for s in styles_el.iter(W + "style"):
                sid = s.get(W + "styleId")
                if sid:
                    self.by_id[sid] = s

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            s = self.by_id[style_id]
            yield s
            style_id = _val(s, W + "basedOn")

    def heading_level(self, style_id: str | None, direct_outline: str | None) -> int | None:
        if direct_outline is not None:
            level = number(direct_outline)
            return level + 1 if level is not None and 0 <= level < 9 else None
        for s in self.chain(style_id):
            name = (_val(s, W + "name") or "").strip()
            m = _HEADING_NAME.match(name)
            if m:
                return int(m.group(1))
            if name.lower() == "title":
                return 1
            lvl = _val(s, W + "pPr/" + W + "outlineLvl")
            if lvl is not None:
                level = number(lvl)
                return level + 1 if level is not None and 0 <= level < 9 else None
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, str | None, str | None]:
        """(numId, ilvl, style name) a paragraph style gives its paragraphs."""
        name = None
        for s in self.chain(style_id):
            name = name or _val(s, W + "name")
            num = s.find(W + "pPr/" + W + "numPr")
            if num is not None:
                return _val(num, W + "numId"), _val(num, W + "ilvl"), name
        return None, None, name


class _Numbering:
    def __init__(self, numbering_el) -> None:
        self.abstract: dict[str, Any] = {}
        self.nums: dict[str, tuple[str | None, dict[str, int]]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        if numbering_el is None:
            return
        for a in numbering_el.iter(W + "abstractNum"):
            self.abstract[a.get(W + "abstractNumId") or ""] = a
        for n in numbering_el.iter(W + "num"):
            overrides = {}
            for o in n.iter(W + "lvlOverride"):
                start = number(_val(o, W + "startOverride"))
                if start is not None:
                    overrides[o.get(W + "ilvl") or "0"] = start
            self.nums[n.get(W + "numId") or ""] = (_val(n, W + "abstractNumId"), overrides)

    def _level(self, num_id: str, ilvl: int):
        abstract_id, overrides = self.nums.get(num_id, (None, {}))
        a = self.abstract.get(abstract_id or "")
        if a is None:
            return None, overrides.get(str(ilvl))
        levels = {lvl.get(W + "ilvl"): lvl for lvl in a.iter(W + "lvl")}
        for i in range(ilvl, -1, -1):  # a single-level list used deeper keeps its one format
            if str(i) in levels:
                return levels[str(i)], overrides.get(str(ilvl))
        return None, overrides.get(str(ilvl))

    def marker(self, num_id: str, ilvl: int) -> str:
        lvl, override = self._level(num_id, ilvl)
        fmt = _val(lvl, W + "numFmt") if lvl is not None else None
        if fmt in (None, "bullet", "none"):
            return "-"
        start_s = _val(lvl, W + "start")
        given = number(start_s, 1)
        start = override if override is not None else (1 if given is None else given)
        for key in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[key]
        n = self.counters.get((num_id, ilvl), start - 1) + 1
        self.counters[(num_id, ilvl)] = n
        return f"{n}."


class _Reader:
    def __init__(self, document) -> None:
        part = document.part
        styles_el = None
        numbering_el = None
        for rel in part.rels.values():
            if rel.is_external:
                continue
            if rel.reltype.endswith("/numbering"):
                numbering_el = getattr(rel.target_part, "element", None)
            elif rel.reltype.endswith("/styles"):
                styles_el = getattr(rel.target_part, "element", None)
        self.styles = _Styles(styles_el)
        self.numbering = _Numbering(numbering_el)
        self.out = Builder()

    def paragraph(self, p) -> None:
        text = _text(p)
        if not text.strip():
            return
        ppr = p.find(W + "pPr")
        style_id = _val(ppr, W + "pStyle")
        level = self.styles.heading_level(style_id, _val(ppr, W + "outlineLvl"))
        if level is not None:
            self.out.heading(text, level)
            return
        num = ppr.find(W + "numPr") if ppr is not None else None
        num_id, ilvl = (_val(num, W + "numId"), _val(num, W + "ilvl")) if num is not None else (None, None)
        s_num, s_ilvl, style_name = self.styles.numbering(style_id)
        num_id = num_id if num_id is not None else s_num
        ilvl = ilvl if ilvl is not None else s_ilvl
        depth = min(max(number(ilvl, 0) or 0, 0), 8)
        name = (style_name or "").lower()
        m = re.match(r"list (bullet|number)(?: (\d))?$", name)
        if m and m.group(2):  # "List Bullet 2" is a second-level list with a numbering of its own
            depth = max(depth, int(m.group(2)) - 1)
        if num_id and num_id != "0":
            self.out.item(text, depth, self.numbering.marker(num_id, depth))
            return
        if m:
            self.out.item(text, depth, "-" if m.group(1) == "bullet" else "1.")
            return
        self.out.body(text)

    def blocks(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child)
            elif tag == W + "tbl":
                self.table(child)
            elif tag in (W + "sdt", W + "customXml", W + "ins", W + "moveTo"):
                content = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if content is not None:
                    self.blocks(content)

    def _cell_paragraphs(self, tc) -> list[str]:
        texts = []
        for el in tc.iter(W + "p"):
            # text of each paragraph in the cell, nested tables included, in reading order
            if any(a.tag == W + "txbxContent" for a in el.iterancestors()):
                continue
            t = _text(el)
            if t.strip():
                texts.append(t)
        return texts

    def table(self, tbl) -> None:
        rows: list[list[list[str]]] = []
        for tr in tbl.iter(W + "tr"):
            if tr.getparent() is not tbl and tr.getparent().tag != W + "sdtContent":
                continue  # rows of a nested table are read with their cell
            row: list[list[str]] = []
            for tc in tr.iter(W + "tc"):
                if tc.getparent() is not tr and tc.getparent().tag != W + "sdtContent":
                    continue
                tcpr = tc.find(W + "tcPr")
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                span_s = _val(tcpr, W + "gridSpan")
                span = number(span_s, 1) or 1
                if vmerge is not None and vmerge.get(W + "val") in (None, "continue"):
                    row.append([])
                else:
                    row.append(self._cell_paragraphs(tc))
                row.extend([] for _ in range(min(span, 64) - 1))
            rows.append(row)
        self.out.table(rows)


def extract(data: bytes, path: str) -> Extracted:
    open_zip(data, "word/document.xml", "Word file", ".docx")
    try:
        import docx  # python-docx, loaded only when a .docx is read
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ExtractError("reading .docx files needs the python-docx package: pip install python-docx") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError as exc:
        raise ExtractError("this Word file is damaged or is not a .docx: open it in Word and save it again as .docx") from exc
    except Exception as exc:  # lxml syntax errors, KeyError for missing parts, ValueError for odd content types
        raise ExtractError("this Word file is damaged and cannot be read: open it in Word and save it again as .docx") from exc
    try:
        reader = _Reader(document)
        body = document.element.find(W + "body")
        if body is None:
            raise ExtractError("this Word file has no body text: open it in Word and save it again as .docx")
        reader.blocks(body)
        boxes = sum(1 for box in body.iter(W + "txbxContent")  # Word writes each box twice: count one
                    if _has_text(box) and not any(a.tag == _FALLBACK for a in box.iterancestors()))
    except (ValueError, KeyError, AttributeError, TypeError, RecursionError) as exc:
        raise ExtractError("this Word file has content poalint cannot read: save it again as .docx or as plain text") from exc
    if boxes:
        reader.out.warnings.append(
            f"text in {boxes} text box{'es' if boxes > 1 else ''} was not checked: move it into the letter's body"
        )
    return reader.out.result()


def _has_text(el) -> bool:
    return any((t.text or "").strip() for t in el.iter(W + "t"))
