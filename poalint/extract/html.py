"""HTML (Google Docs' "Download as web page", or any saved page) -> Markdown-like text.

Uses the standard library's html.parser. Google Docs writes flat lists whose nesting is in
the class name (`lst-kix_abc-1` is the second level) and continues numbering across
separate `<ol>` elements of the same list; both are followed here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from .base import Builder, Extracted, ExtractError, number

_SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "math", "object", "iframe", "select"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "area", "base", "embed", "source", "track", "param"}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "section", "article",
           "header", "footer", "main", "aside", "nav", "figure", "figcaption", "address", "dd", "dt", "form",
           "fieldset", "center"}
_COMMENT = re.compile(r"#cmnt\d+")
_KIX = re.compile(r"\blst-kix_([\w-]+?)-(\d+)\b")
_WS = re.compile(r"[ \t\n\r\f]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Builder()
        self.skip = 0
        self.skip_stack: list[str] = []
        self.pre = 0
        self.buf: list[str] = []
        self.block: tuple[str, int, str] | None = None  # kind, level/depth, marker
        self.lists: list[dict[str, Any]] = []  # open <ul>/<ol>
        self.counters: dict[str, int] = {}
        self.table: list[list[list[str]]] | None = None
        self.tables: list[list[list[list[str]]] | None] = []
        self.cell: list[str] | None = None
        self.li_open = 0
        self.serial = 0
        self.divs: list[bool] = []  # open <div>s: True for one holding a Google Docs comment

    # --- text collection -------------------------------------------------
    def _text(self) -> str:
        text = "".join(self.buf)
        self.buf = []
        return text

    def flush(self) -> None:
        """End the block being read and write it out."""
        text = self._text()
        kind, level, marker = self.block or ("body", 0, "")
        self.block = None
        if not text.strip() or any(self.divs):
            return
        if self.cell is not None:
            self.cell.append(text)
        elif kind == "heading":
            self.out.heading(text, level)
        elif kind == "list":
            self.out.item(text, level, marker)
        else:
            self.out.body(text)

    # --- parser callbacks --------------------------------------------------
    def handle_starttag(self, tag, attrs) -> None:
        if tag == "body" and self.skip_stack[:1] == ["head"]:  # an unclosed <head> ends where <body> starts
            self.skip, self.skip_stack = 0, []
        if self.skip:
            if tag not in _VOID:
                self.skip_stack.append(tag)
            return
        if tag in _SKIP:
            self.skip = 1
            self.skip_stack = [tag]
            return
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "br":
            self.buf.append("\n")
            return
        if tag == "a":
            if _COMMENT.fullmatch(a.get("href") or ""):  # a reviewer's comment mark "[a]" in the text
                self.skip, self.skip_stack = 1, ["a"]
                return
            if _COMMENT.fullmatch("#" + (a.get("id") or "")) and self.divs:
                self.divs[-1] = True  # the comment itself, listed at the end: not the letter's text
                self.buf = []
                return
        if tag == "div":
            self.divs.append(False)
        if tag in ("ul", "ol"):
            if self.li_open:
                self.flush()
            kix = _KIX.search(cls)
            depth = len(self.lists) + (int(kix.group(2)) if kix else 0)
            self.serial += 1
            key = f"kix:{kix.group(1)}-{kix.group(2)}" if kix else f"list:{self.serial}"
            start = number(a.get("start"))
            if start is not None:
                self.counters[key] = start - 1
            elif not kix or "start" in cls.split():
                self.counters[key] = 0
            else:
                self.counters.setdefault(key, 0)
            self.lists.append({"ordered": tag == "ol", "depth": depth, "key": key})
            return
        if tag == "table":
            self.flush()
            self.tables.append(self.table)
            self.table = [] if self.table is None else self.table
            if len(self.tables) > 1:
                return  # a nested table: its cells read into the outer cell
            self.cell = None
            return
        if self.table is not None and len(self.tables) == 1:
            if tag == "tr":
                self.flush()
                self.table.append([])
                return
            if tag in ("td", "th"):
                self.flush()
                if not self.table:
                    self.table.append([])
                self.cell = []
                self.table[-1].append(self.cell)
                for _ in range(min(number(a.get("colspan"), 1) or 1, 64) - 1):
                    self.table[-1].append([])
                return
        if tag == "pre":
            self.pre += 1
        if tag == "li":
            self.flush()
            self.li_open += 1
            lst: dict[str, Any] = self.lists[-1] if self.lists else {"ordered": False, "depth": 0, "key": "loose"}
            marker = "-"
            if lst["ordered"]:
                value = number(a.get("value"))
                if value is not None:
                    self.counters[lst["key"]] = value - 1
                self.counters[lst["key"]] = self.counters.get(lst["key"], 0) + 1
                marker = f"{self.counters[lst['key']]}."
            self.block = ("list", lst["depth"], marker)
            return
        if re.fullmatch(r"h[1-6]", tag):
            self.flush()
            self.block = ("heading", int(tag[1]), "")
            return
        if tag in _BLOCKS:
            if self.li_open and self.block and self.block[0] == "list":
                if self.buf and "".join(self.buf).strip():
                    self.buf.append("\n")
                return  # a <p> inside a <li> is the item's own text
            self.flush()
            words = cls.split()
            if tag == "p" and "title" in words:
                self.block = ("heading", 1, "")

    def handle_endtag(self, tag) -> None:
        if self.skip:
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
                if not self.skip_stack:
                    self.skip = 0
            return
        if tag in ("ul", "ol"):
            if self.li_open:
                self.flush()
            if self.lists:
                self.lists.pop()
            return
        if tag == "table":
            self.flush()
            if self.tables:
                outer = self.tables.pop()
                if not self.tables:
                    rows, self.table, self.cell = self.table, None, None
                    if rows:
                        self.out.table(rows)
                else:
                    self.table = outer
            return
        if self.table is not None and tag in ("td", "th", "tr"):
            self.flush()  # a nested table's cells are paragraphs of the outer cell
            if tag != "tr" and len(self.tables) == 1:
                self.cell = None
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag == "div" and self.divs:
            self.flush()
            self.divs.pop()
            return
        if tag == "li":
            self.flush()
            self.li_open = max(0, self.li_open - 1)
            return
        if tag in _BLOCKS and not (self.li_open and self.block and self.block[0] == "list"):
            self.flush()

    def handle_data(self, data) -> None:
        if self.skip or (self.divs and any(self.divs)):
            return
        if self.pre:
            self.buf.append(data)
        else:
            self.buf.append(_WS.sub(" ", data))


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    m = _CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def extract(data: bytes, path: str) -> Extracted:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError("this .html file is not a web page (it holds binary data): save the letter again as a web page or as text")
    parser = _Parser()
    try:
        parser.feed(_decode(data))
        parser.close()
        parser.flush()
        if parser.table:
            parser.out.table(parser.table)
    except (ValueError, AssertionError, RecursionError) as exc:  # html.parser is lenient; this is belt and braces
        raise ExtractError("this web page cannot be read: save the letter again as a web page or as text") from exc
    return parser.out.result()
