"""OpenDocument Text (.odt: LibreOffice, OpenOffice, Google Docs' ODF export) -> Markdown-like text.

odfpy parses the package; this walks office:text. `text:h` are headings (outline level),
paragraphs in the Title style are top headings, `text:list` items become `- ` / `1. ` lines
by the list style's level kind (bullet or number), tables become Markdown tables.
"""

from __future__ import annotations

import io

from .base import Builder, Extracted, ExtractError, number, open_zip

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_SKIP_INLINE = {(TEXT, "note"), (TEXT, "tracked-changes"), (OFFICE, "annotation"), (TEXT, "bookmark"),
                (TEXT, "reference-mark"), (DRAW, "frame"), (DRAW, "custom-shape"), (TEXT, "soft-page-break"),
                (TEXT, "number")}  # text:number is a list label LibreOffice may cache; the marker is rebuilt


def _attr(el, ns: str, name: str) -> str | None:
    try:
        v = el.getAttrNS(ns, name)
    except Exception:  # odfpy refuses attributes its grammar does not allow on the element
        return None
    return v if v not in (None, "") else None


def _inline(el, out: list[str]) -> None:
    for node in el.childNodes:
        if node.nodeType == node.TEXT_NODE:
            out.append(node.data)
            continue
        if node.nodeType != node.ELEMENT_NODE:
            continue
        q = node.qname
        if q in _SKIP_INLINE:
            continue
        if q == (TEXT, "s"):
            c = _attr(node, TEXT, "c")
            out.append(" " * min(max(number(c, 1) or 1, 1), 100))
        elif q == (TEXT, "tab"):
            out.append("\t")
        elif q == (TEXT, "line-break"):
            out.append("\n")
        else:
            _inline(node, out)


def _text(el) -> str:
    out: list[str] = []
    _inline(el, out)
    return "".join(out)


_StrList = list[str]  # (the reader has a method named `list`)
_Rows = list[list[list[str]]]

class _Reader:
    def __init__(self, doc) -> None:
        self.out = Builder()
        self.parents: dict[str, str] = {}  # paragraph style -> parent style
        self.display: dict[str, str] = {}
        self.list_levels: dict[str, dict[int, str]] = {}  # list style -> level -> "bullet" | "number"
        self.para_list: dict[str, str] = {}  # paragraph style -> its list style
        self.counters: dict[tuple[str, int], int] = {}
        for container in (doc.styles, doc.automaticstyles):
            for node in container.childNodes:
                if node.nodeType != node.ELEMENT_NODE:
                    continue
                name = _attr(node, STYLE, "name")
                if node.qname == (STYLE, "style") and name:
                    parent = _attr(node, STYLE, "parent-style-name")
                    if parent:
                        self.parents[name] = parent
                    dn = _attr(node, STYLE, "display-name")
                    if dn:
                        self.display[name] = dn
                    ls = _attr(node, STYLE, "list-style-name")
                    if ls:
                        self.para_list[name] = ls
                elif node.qname == (TEXT, "list-style") and name:
                    levels: dict[int, str] = {}
                    for lvl in node.childNodes:
                        if lvl.nodeType != lvl.ELEMENT_NODE:
                            continue
                        level = _attr(lvl, TEXT, "level")
                        kind = "number" if lvl.qname[1] == "list-level-style-number" else "bullet"
                        if kind == "number" and not _attr(lvl, STYLE, "num-format"):
                            kind = "bullet"  # a number style with no format shows no number
                        at = number(level)
                        if at is not None:
                            levels[at] = kind
                    self.list_levels[name] = levels

    def _style_chain(self, name: str | None):
        seen = set()
        while name and name not in seen:
            seen.add(name)
            yield name
            name = self.parents.get(name)

    def _is_title(self, style: str | None) -> bool:
        return any(s.lower() == "title" or self.display.get(s, "").lower() == "title" for s in self._style_chain(style))

    def _heading_level(self, style: str | None) -> int | None:
        for s in self._style_chain(style):
            for cand in (s, self.display.get(s, "")):
                low = cand.lower().replace("_20_", " ")
                if low.startswith("heading ") and number(low[8:]) is not None:
                    return number(low[8:])
        return None

    def blocks(self, parent, cell: list[str] | None = None) -> None:
        for node in parent.childNodes:
            if node.nodeType != node.ELEMENT_NODE:
                continue
            q = node.qname
            if q == (TEXT, "h"):
                text = _text(node)
                if cell is not None:
                    cell.append(text)
                    continue
                lvl = _attr(node, TEXT, "outline-level")
                self.out.heading(text, number(lvl, 1) or 1)
            elif q == (TEXT, "p"):
                text = _text(node)
                if cell is not None:
                    cell.append(text)
                    continue
                style = _attr(node, TEXT, "style-name")
                level = 1 if self._is_title(style) else self._heading_level(style)
                if level:
                    self.out.heading(text, level)
                else:
                    self.out.body(text)
            elif q == (TEXT, "list"):
                self.list(node, 0, _attr(node, TEXT, "style-name"), cell)
            elif q == (TABLE, "table"):
                if cell is not None:
                    self.blocks_of_table(node, cell)
                else:
                    self.table(node)
            elif q in ((TEXT, "section"), (TEXT, "index-body"), (TABLE, "table-header-rows"), (TABLE, "table-rows"),
                       (TEXT, "table-of-content"), (TEXT, "alphabetical-index")):
                self.blocks(node, cell)

    def list(self, node, depth: int, style: str | None, cell: list[str] | None) -> None:
        style = _attr(node, TEXT, "style-name") or style
        if style and not (_attr(node, TEXT, "continue-numbering") == "true" or _attr(node, TEXT, "continue-list")):
            if depth == 0:
                for key in [k for k in self.counters if k[0] == style]:
                    del self.counters[key]
        for item in node.childNodes:
            if item.nodeType != item.ELEMENT_NODE or item.qname not in ((TEXT, "list-item"), (TEXT, "list-header")):
                continue
            start = _attr(item, TEXT, "start-value")
            for child in item.childNodes:
                if child.nodeType != child.ELEMENT_NODE:
                    continue
                if child.qname == (TEXT, "list"):
                    self.list(child, depth + 1, style, cell)
                elif child.qname in ((TEXT, "p"), (TEXT, "h")):
                    text = _text(child)
                    if cell is not None:
                        cell.append(text)
                        continue
                    pstyle = _attr(child, TEXT, "style-name")
                    lstyle = style or next((self.para_list[s] for s in self._style_chain(pstyle) if s in self.para_list), None)
                    kind = self.list_levels.get(lstyle or "", {}).get(depth + 1, "bullet")
                    marker = "-"
                    if kind == "number" and item.qname == (TEXT, "list-item"):
                        key = (lstyle or "", depth)
                        for deeper in [k for k in self.counters if k[0] == key[0] and k[1] > depth]:
                            del self.counters[deeper]
                        following = self.counters.get(key, 0) + 1
                        given = number(start, following)
                        n = following if given is None else given
                        self.counters[key] = n
                        marker = f"{n}."
                        start = None
                    self.out.item(text, depth, marker)
                elif child.qname == (TABLE, "table"):
                    self.table(child)

    def blocks_of_table(self, table, cell: _StrList) -> None:
        for row in self._rows(table):
            for c in row:
                cell.extend(c)

    def _rows(self, table) -> _Rows:
        rows: _Rows = []

        def walk(parent) -> None:
            for node in parent.childNodes:
                if node.nodeType != node.ELEMENT_NODE:
                    continue
                if node.qname == (TABLE, "table-row"):
                    row: list[list[str]] = []
                    for c in node.childNodes:
                        if c.nodeType != c.ELEMENT_NODE:
                            continue
                        rep = _attr(c, TABLE, "number-columns-repeated")
                        times = min(max(number(rep, 1) or 1, 1), 64)
                        if c.qname == (TABLE, "table-cell"):
                            paras: list[str] = []
                            self.blocks(c, paras)
                            row.append(paras)
                            row.extend([] for _ in range(times - 1))
                        elif c.qname == (TABLE, "covered-table-cell"):
                            row.extend([] for _ in range(times))
                    rep = _attr(node, TABLE, "number-rows-repeated")
                    rows.append(row)
                    if number(rep) and any(any(p.strip() for p in c) for c in row):
                        rows.extend([list(map(list, row)) for _ in range(min(number(rep, 1) or 1, 64) - 1)])
                elif node.qname in ((TABLE, "table-header-rows"), (TABLE, "table-rows"), (TABLE, "table-row-group")):
                    walk(node)

        walk(table)
        while rows and rows[-1] and all(not c for c in rows[-1]):
            rows.pop()
        width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
        return [r[:width] for r in rows]

    def table(self, table) -> None:
        self.out.table(self._rows(table))


def extract(data: bytes, path: str) -> Extracted:
    archive = open_zip(data, "content.xml", "OpenDocument file", ".odt")
    try:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in archive.namelist() else ""
    except Exception:
        mimetype = ""
    if mimetype and mimetype != "application/vnd.oasis.opendocument.text" and "opendocument.text" not in mimetype:
        raise ExtractError(f"this .odt file is not a text document (it is {mimetype}): save the letter as a text document (.odt) and lint that")
    try:
        from odf import opendocument  # odfpy, loaded only when an .odt is read
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ExtractError("reading .odt files needs the odfpy package: pip install odfpy") from exc
    import contextlib

    printed = io.StringIO()
    try:
        # odfpy prints a part it cannot parse to stdout and goes on: keep that off the linter's output
        with contextlib.redirect_stdout(printed):
            doc = opendocument.load(io.BytesIO(data))
        body = next((n for n in doc.body.childNodes if getattr(n, "qname", None) == (OFFICE, "text")), None)
        if body is None:
            raise ValueError("no office:text")
    except Exception as exc:  # odfpy raises sax, zip, key and attribute errors on damaged files
        raise ExtractError("this OpenDocument file is damaged and cannot be read: open it and save it again as .odt") from exc
    failed = printed.getvalue()
    if "SAX FAILED" in failed and "<office:document-content" in failed:
        raise ExtractError("this OpenDocument file is damaged and cannot be read: open it and save it again as .odt")
    try:
        reader = _Reader(doc)
        if "SAX FAILED" in failed:
            reader.out.warnings.append(
                "the styles of this .odt file could not be read, so some headings or list numbers may be missing"
            )
        reader.blocks(body)
    except (ValueError, KeyError, AttributeError, TypeError, RecursionError) as exc:
        raise ExtractError("this OpenDocument file has content poalint cannot read: save it again as .odt or as text") from exc
    return reader.out.result()
