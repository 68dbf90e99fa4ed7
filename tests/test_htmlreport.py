"""poalint.htmlreport without a browser: escaping, segments, anchors, the index, no network, contrast."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from poalint.htmlreport import CONTRAST_PAIRS, PALETTE, HtmlLetter, render_letter, render_page, segments
from poalint.model import Finding, Severity

ROOT = Path(__file__).resolve().parents[1]


def finding(text: str, start: int, end: int, sev: Severity = Severity.WARNING, rule: str = "r",
            message: str = "a message", fix: str = "a fix") -> Finding:
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    end_line = text.count("\n", 0, end) + 1
    end_col = end - (text.rfind("\n", 0, end) + 1) + 1
    return Finding(rule, "clarity", sev, line, col, end_line, end_col, text[start:end], message, fix, start, end)


def whole(rule: str = "missing-root-cause", sev: Severity = Severity.ERROR) -> Finding:
    return Finding(rule, "structure", sev, 1, 1, 1, 1, "", "The letter never says why it happened.", "Add one.", 0, 0)


def letter(text: str, findings: tuple[Finding, ...] = (), parts: tuple[tuple[int, int, str], ...] = (),
           path: str = "letter.txt", score: float = 80.0, passed: bool = True, verdict: str = "passed") -> HtmlLetter:
    return HtmlLetter(path, text, findings, parts, score, passed, verdict)


class Tree(HTMLParser):
    """Marks with their text, every id, every href / aria-describedby, every tag with src."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.described: list[str] = []
        self.marks: list[tuple[set[int], str]] = []  # (finding indexes, text) in document order
        self.scripts = 0
        self.srcs: list[str] = []
        self._mark: list[str] | None = None
        self._mark_f: set[int] = set()
        self._hidden = 0  # depth inside .vh spans in a mark
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.append(str(a["id"]))
        if "href" in a:
            self.hrefs.append(str(a["href"]))
        if "src" in a:
            self.srcs.append(str(a["src"]))
        if "aria-describedby" in a:
            self.described.append(str(a["aria-describedby"]))
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            self._mark, self._mark_f = [], {int(x) for x in str(a.get("data-f", "")).split()}
        elif self._mark is not None and tag == "span":
            self._stack.append(str(a.get("class")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark is not None:
            self.marks.append((self._mark_f, "".join(self._mark)))
            self._mark = None
        elif self._mark is not None and tag == "span" and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._mark is not None and "vh" not in self._stack:
            self._mark.append(data)


def parse(html: str) -> Tree:
    t = Tree()
    t.feed(html)
    return t


def test_hostile_text_is_escaped() -> None:
    text = ("Dear team,\n<script>alert('x')</script>\n</textarea><img src=x onerror=alert(1)>\n"
            "We fixed <b>everything</b> & more.\n")
    start = text.index("<script>")
    f = finding(text, start, start + 8, message="<script>bad()</script>", fix='"><svg onload=alert(1)>')
    page = render_page([letter(text, (f,), path='<img src=x onerror="1">.txt')], version="1.0",
                       title="</title><script>x()</script>")
    assert "<script>" not in page and "</textarea>" not in page and "<img" not in page and "<svg" not in page
    assert "&lt;script&gt;</mark>" in page and "alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;/textarea&gt;" in page and "&amp; more" in page
    assert parse(page).scripts == 0


def test_overlapping_findings_become_segments() -> None:
    text = "0123456789abcdef"
    fs = (finding(text, 2, 6, Severity.WARNING), finding(text, 4, 8, Severity.ERROR), finding(text, 0, 16, Severity.INFO))
    segs = segments(letter(text, fs))
    assert [(a, b, cover) for a, b, _p, cover in segs] == [
        (0, 2, (2,)), (2, 4, (0, 2)), (4, 6, (0, 1, 2)), (6, 8, (1, 2)), (8, 16, (2,))]
    html = render_letter(letter(text, fs))
    tree = parse(html)
    # highlights never nest: one mark per segment, and the marks of each finding spell its text
    assert len(tree.marks) == 5
    for i, f in enumerate(fs):
        assert "".join(t for cover, t in tree.marks if i in cover) == text[f.start:f.end]
    assert '<mark class="hl error multi"' in html  # the worst severity colours a shared segment


def test_whole_letter_findings_are_listed_not_marked() -> None:
    text = "Dear team,\nWe are sorry.\n"
    html = render_letter(letter(text, (whole(), finding(text, 11, 13))))
    tree = parse(html)
    assert [cover for cover, _ in tree.marks] == [{1}]
    assert "The whole letter" in html and "About the whole letter" in html
    assert "The letter never says why it happened." in html


def test_offsets_outside_the_text_do_not_break_the_page() -> None:
    text = "short"
    fs = (finding(text, 2, 5), Finding("r", "c", Severity.INFO, 1, 3, 1, 99, "ort", "m", "f", 3, 99),
          Finding("r", "c", Severity.INFO, 0, 0, 0, 0, "", "m", "f", 7, 3))
    tree = parse(render_letter(letter(text, fs, parts=((0, 99, "root_cause"), (-4, 2, "bogus")))))
    assert "".join(t for _, t in tree.marks) == "ort"


def test_parts_are_shown_beside_the_text() -> None:
    text = "Hello.\n\nRoot cause: our scale was wrong.\n\nWe replaced the scale.\n\nWe check it weekly.\n\nThanks"
    i1, i2, i3 = text.index("Root"), text.index("We replaced"), text.index("We check")
    parts = ((i1, i1 + 33, "root_cause"), (i2, i2 + 22, "corrective"), (i3, i3 + 19, "preventive"))
    html = render_letter(letter(text, (), parts))
    rows = re.findall(r'<div class="row p-(\w+)"><div class="plabel">([^<]+)</div>', html)
    assert rows == [("none", "Not a part"), ("root_cause", "Root cause"), ("corrective", "Corrective actions"),
                    ("preventive", "Preventive measures"), ("none", "Not a part")]
    # every character of the letter is shown exactly once, in order
    body = re.sub(r"<[^>]+>", "", "".join(re.findall(r'<div class="txt">(.*?)</div></div>', html, re.S)))
    assert body.replace("&#x27;", "'") == text


def test_findings_are_grouped_by_severity_with_words_and_links_both_ways() -> None:
    text = "We will try to be more careful, maybe.\n"
    fs = (finding(text, 3, 11, Severity.ERROR, message="e-msg", fix="e-fix"),
          finding(text, 15, 30, Severity.WARNING, message="w-msg"), finding(text, 32, 37, Severity.INFO, message="i-msg"))
    html = render_letter(letter(text, fs, passed=False, score=40, verdict="FAILED: 1 error"), 3)
    assert html.index("Errors (1)") < html.index("Warnings (1)") < html.index("Info (1)")
    for word in ("Error", "Warning", "Info"):  # not by colour alone
        assert f"</span> {word}</span>" in html
    assert "How to fix:</b> e-fix" in html and "\u201cWe will try\u201d" not in html and "\u201cwill try" in html
    tree = parse(html)
    assert len(tree.ids) == len(set(tree.ids)), "ids are unique"
    for href in tree.hrefs:
        assert href.startswith("#") and href[1:] in tree.ids, href
    for target in tree.described:
        assert target in tree.ids
    for i in range(3):
        assert f"#f3-{i}" in tree.hrefs and f"#i3-{i}" in tree.hrefs  # list -> letter and letter -> list
    assert 'tabindex="0"' in html and "FAILED: 1 error" in html and '<span class="big">40</span>' in html


def test_several_letters_get_an_index() -> None:
    a = letter("Letter one.", path="a.txt")
    b = letter("Letter two is bad.", (finding("Letter two is bad.", 14, 17, Severity.ERROR),), path="b/c.md",
               score=20, passed=False, verdict="FAILED: 1 error")
    page = render_page([a, b], version="9")
    tree = parse(page)
    assert "2 letters, 1 failed" in page
    assert "#letter-1" in tree.hrefs and "#letter-2" in tree.hrefs
    assert "letter-1" in tree.ids and "letter-2" in tree.ids
    row = re.search(r'<tr><td><a href="#letter-2">b/c.md</a></td>(.*?)</tr>', page).group(1)
    assert "<b>20</b>" in row and "FAILED: 1 error" in row and ">1</td>" in row
    single = render_page([a], version="9")
    assert 'class="index' not in single
    assert "No letters were checked" in render_page([], version="9")


def test_page_is_self_contained() -> None:
    text = "Dear team,\nWe fixed it.\n"
    page = render_page([letter(text, (finding(text, 11, 13), whole()))], version="1.2.3")
    low = page.lower()
    assert "http" not in low.replace('http-equiv="content-security-policy"', "")
    assert "src=" not in low and "url(" not in low and "@import" not in low and "//" not in low
    assert parse(page).scripts == 0 and not parse(page).srcs
    assert "default-src 'none'" in page  # even a report opened from disk can fetch nothing
    # landmarks, a skip link, one h1, language
    assert '<html lang="en">' in page and 'href="#main"' in page and '<main id="main"' in page
    assert page.count("<h1") == 1 and 'role="banner"' in page and 'role="contentinfo"' in page


def test_print_styles_keep_everything() -> None:
    page = render_page([letter("x y", (finding("x y", 0, 1),))], version="1")
    media = page[page.index("@media print"):]
    assert ".tip" in media and "display:none" in media  # tooltips out ...
    assert ".ref{display:inline" in media  # ... numbered references to the printed list in
    assert "print-color-adjust:exact" in media


def _luminance(hex_color: str) -> float:
    r, g, b = (int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


@pytest.mark.parametrize(("fg", "bg"), CONTRAST_PAIRS)
def test_text_colours_pass_wcag_aa(fg: str, bg: str) -> None:
    hi, lo = sorted((_luminance(PALETTE[fg]), _luminance(PALETTE[bg])), reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 4.5, (fg, bg)


def test_every_colour_in_the_css_comes_from_the_palette() -> None:
    from poalint.htmlreport import STYLE

    screen = STYLE.split("@media print")[0]
    colours = set(re.findall(r"#[0-9a-fA-F]{6}\b", screen))
    assert colours <= set(PALETTE.values())


def test_importing_is_light() -> None:
    code = ("import sys, poalint.htmlreport, poalint.serve\n"
            "heavy = {'spacy', 'textstat', 'yaml', 'click', 'poalint.engine'} & set(sys.modules)\n"
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_a_real_letter(linter) -> None:  # type: ignore[no-untyped-def]
    from _lint_adapter import html_letter

    from poalint.letter import parse as parse_letter

    path = ROOT / "examples" / "weak.txt"
    doc = html_letter(linter, parse_letter(path.read_text(encoding="utf-8"), str(path)))
    assert doc.findings and {p for _s, _e, p in doc.parts} >= {"root_cause", "corrective", "preventive"}
    tree = parse(render_page([doc], version="t"))
    for i, f in enumerate(doc.findings):
        if f.end > f.start:
            assert "".join(t for cover, t in tree.marks if i in cover) == doc.text[f.start:f.end]
