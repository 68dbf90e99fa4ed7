"""RTF -> Markdown-like text, with a small tokenizer of its own.

Handles groups, `\\uN` Unicode escapes (skipping the `\\ucN` fallback characters),
`\\'hh` bytes in the document's code page (`\\ansicpgN`, cp1252 by default; double-byte code
pages decode pairs), `\\par` / `\\pard`, `\\line`, `\\tab`, list markers in `\\listtext` /
`\\pntext`, `\\ls` / `\\ilvl` list membership, `\\outlinelevel` and heading styles from the
stylesheet, tables (`\\intbl`, `\\cell`, `\\row`), and skips ignorable `{\\*\\...}`
destinations, font / colour tables, document info, pictures, objects, headers and footers.
"""

from __future__ import annotations

import re

from .base import Builder, Extracted, ExtractError

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|([^\\{}\r\n]+)|[\r\n]+|\\"
)
_SKIP_DEST = {
    "colortbl", "info", "pict", "object", "header", "headerl", "headerr", "headerf", "footer",
    "footerl", "footerr", "footerf", "footnote", "annotation", "atnid", "atnauthor", "xe", "tc", "txe", "rxe",
    "fldinst", "themedata", "colorschememapping", "latentstyles", "datastore", "listtable", "listoverridetable",
    "rsidtbl", "generator", "pgdsctbl", "revtbl", "xmlnstbl", "filetbl", "mmathPr", "bkmkstart", "bkmkend",
    "shppict", "nonshppict", "shp", "do", "objdata", "private", "userprops", "operator", "author", "title",
    "subject", "keywords", "comment", "doccomm", "company", "category", "template",
}
_SYMBOLS = {
    "emdash": "\u2014", "endash": "\u2013", "bullet": "\u2022", "lquote": "\u2018", "rquote": "\u2019",
    "ldblquote": "\u201c", "rdblquote": "\u201d", "emspace": " ", "enspace": " ", "qmspace": " ",
    "zwj": "\u200d", "zwnj": "\u200c",
}
_HEADING = re.compile(r"^heading\s*([1-9])$", re.I)
_ORDERED = re.compile(r"^\(?(\d{1,3})[.)]?$")
MAX_DEPTH = 1000  # nesting of { } groups
_CHARSETS = {77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab", 134: "cp936", 136: "cp950", 161: "cp1253",
             162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874",
             238: "cp1250", 255: "cp437"}


class _Group:
    __slots__ = ("dest", "uc", "is_listtext", "style", "font")

    def __init__(self, dest: str, uc: int, is_listtext: bool = False, style: bool = False, font: int = -1) -> None:
        self.dest = dest  # "text", "skip", "fonttbl", "stylesheet", "style", "listtext"
        self.uc = uc
        self.is_listtext = is_listtext
        self.style = style
        self.font = font  # \fN in force: its \fcharset picks the code page of \'hh bytes


class _Reader:
    def __init__(self) -> None:
        self.out = Builder()
        self.codepage = "cp1252"  # \ansicpg: the document's code page
        self.font_pages: dict[int, str] = {}  # \fN -> code page from its \fcharset
        self.font_entry = -1
        self.current_page = ""  # the code page pending bytes are in ("" = the document's)
        self.text: list[str] = []
        self.pending: bytearray = bytearray()
        self.listtext: list[str] = []
        self.stylebuf: list[str] = []
        self.style_entry: dict = {}
        self.styles: dict[int, int] = {}  # \sN -> heading level
        self.skip_chars = 0
        self.reset_par()
        self.table: list[list[list[str]]] = []
        self.row: list[list[str]] = []
        self.cell: list[str] = []

    def reset_par(self) -> None:
        self.ls = 0
        self.ilvl = 0
        self.outline: int | None = None
        self.style_no = 0
        self.intbl = False

    # --- character output -----------------------------------------------------
    def flush_bytes(self, target: list[str]) -> None:
        if self.pending:
            target.append(bytes(self.pending).decode(self.current_page or self.codepage, "replace"))
            self.pending.clear()

    def put_byte(self, g: _Group, b: int) -> None:
        t = self.target(g)
        if t is None:
            return
        page = self.font_pages.get(g.font, "")
        if page != self.current_page:
            self.flush_bytes(t)
            self.current_page = page
        self.pending.append(b)

    def target(self, g: _Group) -> list[str] | None:
        if g.dest == "text":
            return self.text
        if g.dest == "listtext":
            return self.listtext
        if g.dest == "style":
            return self.stylebuf
        return None

    def put(self, g: _Group, s: str) -> None:
        t = self.target(g)
        if t is None:
            return
        self.flush_bytes(t)
        t.append(s)

    # --- paragraphs -------------------------------------------------------------
    def end_paragraph(self, *, cell: bool = False) -> None:
        self.flush_bytes(self.text)
        text = _fix_surrogates("".join(self.text))
        self.text = []
        marker_text = _fix_surrogates("".join(self.listtext)).strip()
        self.listtext = []
        if self.intbl or cell:
            if text.strip():
                self.cell.append(text)
            if cell:
                self.row.append(self.cell)
                self.cell = []
            return
        self.flush_table()
        if not text.strip():
            return
        level = self.outline + 1 if self.outline is not None and self.outline < 9 else self.styles.get(self.style_no)
        if level:
            self.out.heading(text, level)
        elif marker_text or self.ls:
            m = _ORDERED.match(marker_text.split()[0] if marker_text.split() else "")
            self.out.item(text, self.ilvl, f"{m.group(1)}." if m else "-")
        else:
            self.out.body(text)

    def end_row(self) -> None:
        if self.cell:
            self.row.append(self.cell)
            self.cell = []
        if self.row:
            self.table.append(self.row)
        self.row = []

    def flush_table(self) -> None:
        self.end_row()
        if self.table:
            self.out.table(self.table)
        self.table = []


def _fix_surrogates(s: str) -> str:
    if any("\ud800" <= ch <= "\udfff" for ch in s):
        return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return s


def _codepage(n: int) -> str:
    name = "cp1252" if n in (0, 1252) else ("mac_roman" if n == 10000 else f"cp{n}")
    try:
        "".encode(name)
    except LookupError:
        return "cp1252"
    return name


def _parse(data: bytes) -> Extracted:
    r = _Reader()
    stack: list[_Group] = []
    g = _Group("text", 1)
    pending_star = False  # saw \* : the next control word opens an ignorable destination
    started = False
    pos = 0
    size = len(data)
    while pos < size:
        m = _TOKEN.match(data, pos)
        if m is None:  # pragma: no cover - every byte matches one alternative
            pos += 1
            continue
        pos = m.end()
        word, arg, hexbyte, symbol, brace, plain = m.groups()
        if brace == b"{":
            if len(stack) >= MAX_DEPTH:
                raise ExtractError("this RTF file is nested too deeply to read: save the letter again as .rtf or text")
            here = r.target(g)
            if here is not None:
                r.flush_bytes(here)  # bytes read so far belong to this group's text, not the next one's
            stack.append(g)
            g = _Group("skip" if g.dest == "skip" else g.dest, g.uc, False, g.dest == "stylesheet", g.font)
            if g.style:
                g.dest = "style"
                r.style_entry = {}
                r.stylebuf = []
            started = True
            pending_star = False
            continue
        if brace == b"}":
            if g.style:  # end of one stylesheet entry
                r.flush_bytes(r.stylebuf)
                name = "".join(r.stylebuf).strip().rstrip(";").split(",")[0].strip()  # "heading 1,H1": aliases
                entry = r.style_entry
                if "s" in entry:
                    level = None
                    hm = _HEADING.match(name)
                    if entry.get("outline") is not None and entry["outline"] < 9:
                        level = entry["outline"] + 1
                    elif hm:
                        level = int(hm.group(1))
                    elif name.lower() == "title":
                        level = 1
                    if level:
                        r.styles[entry["s"]] = level
            if g.dest in ("text", "listtext"):
                r.flush_bytes(r.text if g.dest == "text" else r.listtext)
            if not stack:
                break  # end of the document group
            g = stack.pop()
            r.skip_chars = 0
            pending_star = False
            continue
        if r.skip_chars and (plain or hexbyte or symbol):
            # fallback characters after \uN
            if plain:
                skip = min(r.skip_chars, len(plain))
                r.skip_chars -= skip
                plain = plain[skip:]
                if not plain:
                    continue
            else:
                r.skip_chars -= 1
                continue
        if plain is not None:
            if g.dest in ("text", "listtext", "style"):
                r.put(g, plain.decode(r.codepage, "replace"))
            continue
        if hexbyte is not None:
            r.put_byte(g, int(hexbyte, 16))
            continue
        if symbol is not None:
            ch = symbol.decode("latin-1")
            if ch == "*":
                pending_star = True
            elif ch in "\\{}":
                r.put(g, ch)
            elif ch == "~":
                r.put(g, "\u00a0")
            elif ch == "_":
                r.put(g, "\u2011")
            elif ch in "\r\n":
                if g.dest == "text":
                    r.end_paragraph()
            continue
        if word is None:
            continue
        w = word.decode("ascii")
        n = int(arg) if arg is not None else None
        if pending_star:
            pending_star = False
            if w not in ("listtext", "pntext"):
                g.dest = "skip"
                continue
        if w == "bin":
            pos += max(0, n or 0)  # raw bytes (a picture's data): never text
            continue
        if g.dest == "skip":
            continue
        if w in _SKIP_DEST:
            g.dest = "skip"
            continue
        if w == "fonttbl":
            g.dest = "fonttbl"
            continue
        if g.dest == "fonttbl":
            if w == "f" and n is not None:
                r.font_entry = n
            elif w == "fcharset" and n is not None and n in _CHARSETS and r.font_entry >= 0:
                r.font_pages[r.font_entry] = _CHARSETS[n]
            elif w == "cpg" and n is not None and r.font_entry >= 0:
                r.font_pages[r.font_entry] = _codepage(n)
            continue
        if w == "f" and n is not None:
            g.font = n
            continue
        if w == "stylesheet":
            g.dest = "stylesheet"
            continue
        if g.dest == "stylesheet":
            continue
        if g.dest == "style":
            if w == "s" and n is not None:
                r.style_entry["s"] = n
            elif w == "outlinelevel" and n is not None:
                r.style_entry["outline"] = n
            elif w in ("cs", "ds", "ts"):
                r.style_entry["char"] = True
                r.style_entry.pop("s", None)
            elif w == "u" and n is not None:
                r.put(g, chr(n + 65536 if n < 0 else n))
                r.skip_chars = g.uc
            continue
        if w in ("listtext", "pntext"):
            g.dest = "listtext"
            g.is_listtext = True
            continue
        if w == "pn":  # Word 95 numbering definition: its text is not the letter's
            g.dest = "skip"
            continue
        if w == "ansicpg" and n is not None:
            r.codepage = _codepage(n)
            continue
        if w == "uc" and n is not None:
            g.uc = max(0, min(n, 10))
            continue
        if w == "u" and n is not None:
            r.put(g, chr(n + 65536 if n < 0 else n) if -65536 < n < 65536 else "\ufffd")
            r.skip_chars = g.uc
            continue
        if g.dest == "listtext":
            if w == "tab":
                r.put(g, " ")
            elif w in _SYMBOLS:
                r.put(g, _SYMBOLS[w])
            continue  # paragraph properties inside the marker group belong to no paragraph
        # text destination
        if w in ("par", "sect"):
            r.end_paragraph()
        elif w == "pard":
            r.reset_par()
        elif w == "cell" or w == "nestcell":
            r.end_paragraph(cell=True)
        elif w == "row" or w == "nestrow":
            r.end_row()
        elif w == "intbl":
            r.intbl = n != 0
        elif w == "ls" and n is not None:
            r.ls = n
        elif w == "ilvl" and n is not None:
            r.ilvl = max(0, min(n, 8))
        elif w == "outlinelevel" and n is not None:
            r.outline = n
        elif w == "s" and n is not None:
            r.style_no = n
        elif w == "line":
            r.put(g, "\n")
        elif w == "tab":
            r.put(g, "\t")
        elif w in _SYMBOLS:
            r.put(g, _SYMBOLS[w])
    if not started:
        raise ExtractError("this .rtf file is not RTF: save the letter again as Rich Text (.rtf) or as text")
    r.end_paragraph()
    r.flush_table()
    return r.out.result()


def extract(data: bytes, path: str) -> Extracted:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:6]
    if not head.startswith(b"{\\rtf"):
        raise ExtractError("this .rtf file is not RTF (it does not start with {\\rtf): save the letter again as Rich Text or as text")
    try:
        return _parse(data)
    except ExtractError:
        raise
    except (ValueError, LookupError, RecursionError, OverflowError) as exc:
        raise ExtractError("this RTF file is damaged and cannot be read: save the letter again as .rtf or as text") from exc
