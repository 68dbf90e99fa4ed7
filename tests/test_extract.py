"""poalint.extract: real .docx, .odt, .rtf, .html and .pdf files in, Markdown-like text and numbered paragraphs out.

Every file here is written by the library that writes that format (python-docx, odfpy, fpdf2,
pypdf) or as bytes built by hand, and every damaged one must end in one ExtractError line.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from poalint.extract import EXTRACTORS, Extracted, ExtractError, Paragraph
from poalint.extract import docx as docx_reader
from poalint.extract import html as html_reader
from poalint.extract import odt as odt_reader
from poalint.extract import pdf as pdf_reader
from poalint.extract import rtf as rtf_reader


def paragraphs(result: Extracted) -> list[tuple[int, str, str]]:
    """(number, kind, text) of each paragraph, checking the numbering and that each span is inside the text."""
    out = []
    for i, p in enumerate(result.paragraphs, 1):
        assert isinstance(p, Paragraph)
        assert p.number == i
        assert 0 <= p.start < p.end <= len(result.text)
        assert p.kind in ("heading", "list", "table", "body")
        out.append((p.number, p.kind, result.text[p.start:p.end]))
    starts = [p.start for p in result.paragraphs]
    assert starts == sorted(starts)
    return out


def one_line_error(excinfo: pytest.ExceptionInfo[ExtractError]) -> str:
    msg = str(excinfo.value)
    assert msg and "\n" not in msg and "Traceback" not in msg
    assert ":" in msg  # what is wrong: what to do
    return msg


# ---------------------------------------------------------------------------------------- .docx

def _docx_bytes(document) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("Plan of Action", 0)  # the Title style
    d.add_heading("Root cause", 1)
    p = d.add_paragraph("We shipped 14 orders late in March ")
    p.add_run("because our carrier missed pickups.")
    p.add_run().add_break()  # Shift+Enter: a soft line break
    p.add_run("We did not\tnotice it for two weeks.")
    d.add_paragraph("")  # an empty paragraph is not counted
    d.add_heading("Corrective actions", 2)
    d.add_paragraph("We changed carriers on 2 April.", style="List Bullet")
    d.add_paragraph("Orders now leave the same day.", style="List Bullet 2")
    d.add_paragraph("We refunded all 14 buyers.", style="List Bullet")
    d.add_heading("Preventive measures", 2)
    d.add_paragraph("A daily check of unshipped orders.", style="List Number")
    d.add_paragraph("A second carrier under contract.", style="List Number")
    table = d.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "Date"
    table.cell(0, 1).text = "Action"
    table.cell(1, 0).text = "2 April"
    table.cell(1, 1).text = "New carrier | contract signed"
    table.cell(1, 1).add_paragraph("Tracking checked")
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "Reviewed weekly"
    d.add_paragraph("Sincerely,")
    d.add_paragraph("Jane Doe, Doe Home Goods")
    return _docx_bytes(d)


DOCX_TEXT = """# Plan of Action

# Root cause

We shipped 14 orders late in March because our carrier missed pickups.
We did not notice it for two weeks.

## Corrective actions

- We changed carriers on 2 April.
  - Orders now leave the same day.
- We refunded all 14 buyers.

## Preventive measures

1. A daily check of unshipped orders.
2. A second carrier under contract.

| Date | Action |
| --- | --- |
| 2 April | New carrier \\| contract signed Tracking checked |
| Reviewed weekly | |

Sincerely,

Jane Doe, Doe Home Goods"""


def test_docx_headings_lists_tables_and_paragraph_numbers() -> None:
    result = docx_reader.extract(make_docx(), "letter.docx")
    assert result.text == DOCX_TEXT
    assert result.warnings == ()
    assert paragraphs(result) == [
        (1, "heading", "Plan of Action"),
        (2, "heading", "Root cause"),
        (3, "body", "We shipped 14 orders late in March because our carrier missed pickups.\n"
                    "We did not notice it for two weeks."),
        (4, "heading", "Corrective actions"),
        (5, "list", "We changed carriers on 2 April."),
        (6, "list", "Orders now leave the same day."),
        (7, "list", "We refunded all 14 buyers."),
        (8, "heading", "Preventive measures"),
        (9, "list", "A daily check of unshipped orders."),
        (10, "list", "A second carrier under contract."),
        (11, "table", "Date"),
        (12, "table", "Action"),
        (13, "table", "2 April"),
        (14, "table", "New carrier \\| contract signed"),
        (15, "table", "Tracking checked"),
        (16, "table", "Reviewed weekly"),
        (17, "body", "Sincerely,"),
        (18, "body", "Jane Doe, Doe Home Goods"),
    ]


def test_paragraph_at_maps_offsets_to_paragraph_numbers() -> None:
    result = docx_reader.extract(make_docx(), "letter.docx")
    text = result.text
    assert result.paragraph_at(text.index("Root cause")).number == 2
    assert result.paragraph_at(text.index("# Root cause")).number == 2  # the markup belongs to its paragraph
    assert result.paragraph_at(text.index("two weeks")).number == 3
    assert result.paragraph_at(text.index("- We refunded")).number == 7
    assert result.paragraph_at(text.index("Tracking checked")).number == 15
    assert result.paragraph_at(text.index("| --- |")) is None  # the table's rule line is no paragraph
    assert result.paragraph_at(text.index("\n\n")) is not None  # the end of paragraph 1 is still in it
    assert result.paragraph_at(text.index("\n\n") + 1) is None  # the blank line between paragraphs
    assert result.paragraph_at(len(text)).number == 18
    assert result.paragraph_at(0).number == 1


def _with_xml(d, xml: str) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml

    d.element.body.insert(len(d.element.body) - 1, parse_xml(xml))  # before the closing w:sectPr


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_numbering_levels_outline_levels_tracked_changes_and_content_controls() -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Steps", style="List Number")  # gives the numbering definition a numId
    num_id = d.paragraphs[0]._p.xpath("string(//w:numId/@w:val)") or None  # noqa: SLF001
    if not num_id:  # the template puts numPr on the style, not the paragraph
        styles = d.styles.element
        num_id = styles.xpath('string(//w:style[w:name/@w:val="List Number"]//w:numId/@w:val)')
    _with_xml(d, f'<w:p {W_NS}><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
                 '<w:r><w:t>a nested step</w:t></w:r></w:p>')
    _with_xml(d, f'<w:p {W_NS}><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Outline heading</w:t></w:r></w:p>')
    _with_xml(d, f'<w:p {W_NS}><w:r><w:t xml:space="preserve">We </w:t></w:r>'
                 '<w:del w:id="1" w:author="x"><w:r><w:delText>never </w:delText></w:r></w:del>'
                 '<w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve">always </w:t></w:r></w:ins>'
                 '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>check</w:t></w:r>'
                 '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                 '<w:r><w:t xml:space="preserve"> orders</w:t><w:noBreakHyphen/><w:t>daily.</w:t></w:r></w:p>')
    _with_xml(d, f'<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>Inside a content control.</w:t></w:r></w:p>'
                 '</w:sdtContent></w:sdt>')
    result = docx_reader.extract(_docx_bytes(d), "x.docx")
    assert result.text == ("1. Steps\n  1. a nested step\n\n### Outline heading\n\n"
                           "We always check orders-daily.\n\nInside a content control.")
    assert [p.kind for p in result.paragraphs] == ["list", "list", "heading", "body", "body"]


def test_docx_text_boxes_are_not_read_but_named_in_a_warning() -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Body text.")
    box = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
           '<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Boxed note</w:t></w:r></w:p>'
           '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p>'
           '<w:r><w:t>Boxed note</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')
    from docx.oxml import parse_xml

    d.paragraphs[0]._p.append(parse_xml(box))  # noqa: SLF001
    result = docx_reader.extract(_docx_bytes(d), "x.docx")
    assert result.text == "Body text."
    assert result.warnings == ("text in 1 text box was not checked: move it into the letter's body",)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def zip_bomb(member: str) -> bytes:
    """A small zip whose one member unpacks to 21 MB of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, z.open(member, "w", force_zip64=True) as f:
        block = b"\0" * (1024 * 1024)
        for _ in range(21):
            f.write(block)
    data = buf.getvalue()
    assert len(data) < 100_000
    return data


@pytest.mark.parametrize(("data", "words"), [
    (b"", "damaged or is not really a .docx"),
    (b"This is a plain text letter saved with the wrong name.", "damaged or is not really a .docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old binary document or is protected by a password"),
    (_zip({"hello.txt": b"hi"}), "no text part (word/document.xml)"),
    (_zip({"word/document.xml": b"<w:document"}), "damaged"),
    (_zip({"[Content_Types].xml": b"not xml", "word/document.xml": b"<w:document"}), "damaged"),
    (zip_bomb("word/document.xml"), "unpacks to more than 20 MB"),
])
def test_docx_damaged_wrong_or_huge_files_are_one_plain_line(data: bytes, words: str) -> None:
    with pytest.raises(ExtractError) as excinfo:
        docx_reader.extract(data, "letter.docx")
    assert words in one_line_error(excinfo)


def test_docx_without_a_body_is_one_plain_line() -> None:
    src = zipfile.ZipFile(io.BytesIO(make_docx()))
    bodiless = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    data = _zip({i.filename: bodiless if i.filename == "word/document.xml" else src.read(i.filename)
                 for i in src.infolist()})
    with pytest.raises(ExtractError) as excinfo:
        docx_reader.extract(data, "letter.docx")
    assert one_line_error(excinfo) == "this Word file has no body text: open it in Word and save it again as .docx"


def test_docx_truncated_file_is_one_plain_line() -> None:
    data = make_docx()
    for cut in (len(data) // 2, len(data) - 30, 100):
        with pytest.raises(ExtractError) as excinfo:
            docx_reader.extract(data[:cut], "letter.docx")
        one_line_error(excinfo)


# ---------------------------------------------------------------------------------------- .odt

def make_odt() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import (
        H,
        LineBreak,
        List,
        ListItem,
        ListLevelStyleBullet,
        ListLevelStyleNumber,
        ListStyle,
        Number,
        P,
        S,
        Span,
    )

    doc = OpenDocumentText()
    title = Style(name="Title", family="paragraph")
    doc.styles.addElement(title)
    bullets = ListStyle(name="Bullets")
    bullets.addElement(ListLevelStyleBullet(level=1, bulletchar="\u2022"))
    bullets.addElement(ListLevelStyleBullet(level=2, bulletchar="\u25e6"))
    doc.automaticstyles.addElement(bullets)
    numbers = ListStyle(name="Numbers")
    numbers.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
    doc.automaticstyles.addElement(numbers)

    doc.text.addElement(P(stylename=title, text="Plan of Action"))
    heading = H(outlinelevel=1)
    heading.addElement(Number(text="1."))  # a cached heading number: not part of the text
    heading.addText("Root cause")
    doc.text.addElement(heading)
    p = P(text="Our listing said ")
    span = Span(text="cotton")
    p.addElement(span)
    p.addText(" but the supplier sent polyester.")
    p.addElement(LineBreak())
    p.addText("We")
    p.addElement(S(c=2))
    p.addText("did not test the fabric.")
    doc.text.addElement(p)
    doc.text.addElement(P(text=""))
    doc.text.addElement(H(outlinelevel=2, text="Corrective actions"))
    blist = List(stylename=bullets)
    item = ListItem()
    item.addElement(P(text="We removed the listing."))
    sub = List()
    sub_item = ListItem()
    sub_item.addElement(P(text="All 30 units were pulled."))
    sub.addElement(sub_item)
    item.addElement(sub)
    blist.addElement(item)
    doc.text.addElement(blist)
    nlist = List(stylename=numbers)
    for text in ("Test every new fabric.", "Keep the lab report."):
        it = ListItem()
        it.addElement(P(text=text))
        nlist.addElement(it)
    doc.text.addElement(nlist)
    table = Table(name="Log")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for a, b in (("Date", "Action"), ("5 May", "Lab test")):
        row = TableRow()
        for value in (a, b):
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    doc.text.addElement(P(text="Kind regards,"))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_odt_headings_lists_tables_and_paragraph_numbers() -> None:
    result = odt_reader.extract(make_odt(), "letter.odt")
    assert result.text == (
        "# Plan of Action\n\n# Root cause\n\n"
        "Our listing said cotton but the supplier sent polyester.\nWe did not test the fabric.\n\n"
        "## Corrective actions\n\n- We removed the listing.\n  - All 30 units were pulled.\n"
        "1. Test every new fabric.\n2. Keep the lab report.\n\n"
        "| Date | Action |\n| --- | --- |\n| 5 May | Lab test |\n\nKind regards,"
    )
    assert paragraphs(result) == [
        (1, "heading", "Plan of Action"),
        (2, "heading", "Root cause"),
        (3, "body", "Our listing said cotton but the supplier sent polyester.\nWe did not test the fabric."),
        (4, "heading", "Corrective actions"),
        (5, "list", "We removed the listing."),
        (6, "list", "All 30 units were pulled."),
        (7, "list", "Test every new fabric."),
        (8, "list", "Keep the lab report."),
        (9, "table", "Date"),
        (10, "table", "Action"),
        (11, "table", "5 May"),
        (12, "table", "Lab test"),
        (13, "body", "Kind regards,"),
    ]


def test_odt_damaged_wrong_or_huge_files_are_one_plain_line() -> None:
    spreadsheet = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
                       zipfile.ZIP_STORED)
    cases = [
        (b"plain text", "damaged or is not really a .odt"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "no text part (content.xml)"),
        (spreadsheet, "not a text document"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content"}),
         "damaged"),
        (zip_bomb("content.xml"), "unpacks to more than 20 MB"),
        (make_odt()[:400], "damaged"),
    ]
    for data, words in cases:
        with pytest.raises(ExtractError) as excinfo:
            odt_reader.extract(data, "letter.odt")
        assert words in one_line_error(excinfo), data[:60]


# ---------------------------------------------------------------------------------------- .rtf

RTF = rb"""{\rtf1\ansi\ansicpg1252\deff0\uc1
{\fonttbl{\f0\fswiss Arial;}{\f1\fnil\fcharset2 Symbol;}}
{\colortbl;\red0\green0\blue0;}
{\stylesheet{\s0 Normal;}{\s1\outlinelevel0 heading 1;}{\s2\sbasedon0\snext0 heading 2,H2;}{\*\cs10 Default Paragraph Font;}}
{\info{\title Secret title}{\author Someone}}{\*\generator Riched20 10.0}
{\header \pard Page header\par}
\pard\plain\s1 Plan of Action\par
\pard\plain\s2 Root cause\par
\pard\plain Our caf\'e9 supplier\rquote s r\u233?sum\u233? said \u8220?ready\u8221?; a \u-10179?\u-8704? emoji\line and a new line.\par
\pard \par
{\listtext\pard\plain\f1 \'b7\tab}\pard\ls1\ilvl0 We paused the listing.\par
{\listtext\pard\plain\f1 \'b7\tab}\pard\ls1\ilvl1 All stock was checked.\par
{\pntext\f0 1.\tab}\pard\ls2 We trained the team.\par
{\pntext\f0 2.\tab}\pard\ls2 We audit weekly.\par
{\*\bkmkstart notes}{\*\bkmkend notes}{\pict\pngblip\picw10\pich10 89504e470d0a1a0a}
\trowd\cellx2000\cellx4000\pard\intbl Date\cell Action\cell\row
\trowd\cellx2000\cellx4000\pard\intbl 6 May\cell Audit \{weekly\}\cell\row
\pard Sincerely,\par
}"""


def test_rtf_unicode_escapes_code_page_lists_headings_and_tables() -> None:
    result = rtf_reader.extract(RTF, "letter.rtf")
    assert result.text == (
        "# Plan of Action\n\n## Root cause\n\n"
        "Our caf\u00e9 supplier\u2019s r\u00e9sum\u00e9 said \u201cready\u201d; a \U0001F600 emoji\nand a new line.\n\n"
        "- We paused the listing.\n  - All stock was checked.\n1. We trained the team.\n2. We audit weekly.\n\n"
        "| Date | Action |\n| --- | --- |\n| 6 May | Audit {weekly} |\n\nSincerely,"
    )
    kinds = [(n, k) for n, k, _t in paragraphs(result)]
    assert kinds == [(1, "heading"), (2, "heading"), (3, "body"), (4, "list"), (5, "list"), (6, "list"),
                     (7, "list"), (8, "table"), (9, "table"), (10, "table"), (11, "table"), (12, "body")]
    assert "Secret" not in result.text and "Arial" not in result.text and "header" not in result.text


def test_rtf_double_byte_code_page_and_uc_skip_counts() -> None:
    chinese = rb"{\rtf1\ansi\ansicpg936 \'d6\'d0\'ce\'c4 letter\par {\uc2 \u20013\'d6\'d0 ok}\par}"
    result = rtf_reader.extract(chinese, "x.rtf")
    assert result.text == "\u4e2d\u6587 letter\n\n\u4e2d ok"


def test_rtf_font_charsets_pick_the_code_page_and_binary_data_is_skipped() -> None:
    data = (rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fswiss Arial;}{\f1\fnil\fcharset204 Arial CYR;}"
            rb"{\f2\fnil\fcharset134 SimSun;}}\f0 caf\'e9 {\f1 \'cf\'f0\'e8\'e2\'e5\'f2} {\f2 \'d6\'d0\'ce\'c4}"
            rb"{\*\blipuid 00}{\pict\wmetafile8\bin6 }{\x}}}. done\par}")
    assert rtf_reader.extract(data, "x.rtf").text == "caf\u00e9 \u041f\u0440\u0438\u0432\u0435\u0442 \u4e2d\u6587. done"


def test_rtf_bytes_before_a_group_stay_in_their_paragraph() -> None:
    data = rb"{\rtf1\ansi caf\'e9{\listtext \'b7\tab}\ls1{} item\par}"
    assert rtf_reader.extract(data, "x.rtf").text == "- caf\u00e9 item"


def test_rtf_without_rtf_header_or_nested_absurdly_is_one_plain_line() -> None:
    for data, words in ((b"Dear team, plain text.", "not RTF"), (b"", "not RTF"),
                        (b"{\\rtf1 " + b"{" * 5000 + b"x" + b"}" * 5000 + b"}", "nested too deeply")):
        with pytest.raises(ExtractError) as excinfo:
            rtf_reader.extract(data, "x.rtf")
        assert words in one_line_error(excinfo)


def test_rtf_unbalanced_braces_still_read() -> None:
    result = rtf_reader.extract(rb"{\rtf1\ansi {\b Root cause} we fixed it\par }}} trailing", "x.rtf")
    assert result.text == "Root cause we fixed it"


# ---------------------------------------------------------------------------------------- .html

GOOGLE_DOCS_HTML = """<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type">
<style type="text/css">@import url('https://themes.googleusercontent.com/fonts/css?kit=x');
.lst-kix_6p2h-0>li:before{content:"\\0025cf  "}.lst-kix_9abc-0>li{counter-increment:lst-ctn-kix_9abc-0}
ol{margin:0;padding:0}.c1{font-weight:700}.title{padding-top:0pt}</style>
<script>document.write("<p>not letter text</p>")</script></head>
<body class="c9 doc-content">
<p class="c4 title" id="h.abc"><span class="c6">Plan of Action</span></p>
<h1 class="c2" id="h.def"><span class="c3">Root&nbsp;cause</span></h1>
<p class="c0"><span class="c5">Our   buyer emails went to a  mailbox </span><span class="c1">nobody</span><span>
read.</span><br><span>We found 9 open messages.</span></p>
<p class="c0 c8"><span class="c5"></span></p>
<h2 class="c7" id="h.ghi"><span>Corrective actions</span></h2>
<ul class="c10 lst-kix_6p2h-0 start"><li class="c0 c11 li-bullet-0"><span>We answered all 9 buyers.</span></li>
<li class="c0 c11 li-bullet-0"><span>Messages now reach two people.</span></li></ul>
<ul class="c10 lst-kix_6p2h-1 start"><li class="c0 li-bullet-1"><span>Both check it at 9:00.</span></li></ul>
<ol class="c12 lst-kix_9abc-0 start" start="1"><li class="c0 li-bullet-0"><span>A daily inbox check.</span></li></ol>
<p class="c0"><span>Between the steps.</span></p>
<ol class="c12 lst-kix_9abc-0" start="2"><li class="c0 li-bullet-0"><span>A weekly report.</span></li></ol>
<table class="c13"><tr class="c14"><td class="c15" colspan="1" rowspan="1"><p class="c0"><span>Date</span></p></td>
<td class="c15" colspan="1" rowspan="1"><p class="c0"><span>Step</span></p></td></tr>
<tr><td colspan="1" rowspan="1"><p><span>7 May</span></p></td><td colspan="1" rowspan="1"><p><span>Inbox shared</span></p>
<p><span>Alerts on</span></p></td></tr></table>
<p class="c0"><span>Sincerely,</span><sup><a href="#cmnt1" id="cmnt_ref1">[a]</a></sup></p>
<p class="c0"><span>Jane &amp; Co.</span></p>
<div class="c16"><p class="c15"><a href="#cmnt_ref1" id="cmnt1">[a]</a><span class="c2">Add the seller ID here?</span></p>
<p class="c15"><span class="c2">(a reviewer's comment)</span></p></div>
</body></html>"""


def test_html_google_docs_export() -> None:
    result = html_reader.extract(GOOGLE_DOCS_HTML.encode("utf-8"), "letter.html")
    assert result.text == (
        "# Plan of Action\n\n# Root cause\n\n"
        "Our buyer emails went to a mailbox nobody read.\nWe found 9 open messages.\n\n"
        "## Corrective actions\n\n- We answered all 9 buyers.\n- Messages now reach two people.\n"
        "  - Both check it at 9:00.\n1. A daily inbox check.\n\nBetween the steps.\n\n2. A weekly report.\n\n"
        "| Date | Step |\n| --- | --- |\n| 7 May | Inbox shared Alerts on |\n\nSincerely,\n\nJane & Co."
    )
    assert paragraphs(result) == [
        (1, "heading", "Plan of Action"),
        (2, "heading", "Root cause"),
        (3, "body", "Our buyer emails went to a mailbox nobody read.\nWe found 9 open messages."),
        (4, "heading", "Corrective actions"),
        (5, "list", "We answered all 9 buyers."),
        (6, "list", "Messages now reach two people."),
        (7, "list", "Both check it at 9:00."),
        (8, "list", "A daily inbox check."),
        (9, "body", "Between the steps."),
        (10, "list", "A weekly report."),
        (11, "table", "Date"),
        (12, "table", "Step"),
        (13, "table", "7 May"),
        (14, "table", "Inbox shared"),
        (15, "table", "Alerts on"),
        (16, "body", "Sincerely,"),
        (17, "body", "Jane & Co."),
    ]
    assert "not letter text" not in result.text and "lst-kix" not in result.text


def test_html_nested_lists_charset_and_plain_pages() -> None:
    page = ("<html><head><meta charset='windows-1252'><title>Appeal</title></head><body>"
            "<h3>Steps</h3><ol><li>First<ul><li>detail</li></ul></li><li><p>Second</p></li></ol>"
            "<div>Caf\xe9 d\xe9lai</div><pre>  kept   as is</pre></body></html>").encode("cp1252")
    result = html_reader.extract(page, "x.htm")
    assert result.text == "### Steps\n\n1. First\n  - detail\n2. Second\n\nCaf\u00e9 d\u00e9lai\n\nkept as is"


def test_html_nested_table_cells_are_paragraphs_of_the_outer_cell() -> None:
    page = b"<table><tr><td>a<table><tr><td>x</td><td>y</td></tr></table></td><td colspan=2>b</td></tr></table><p>after</p>"
    result = html_reader.extract(page, "x.html")
    assert result.text == "| a x y | b | |\n| --- | --- | --- |\n\nafter"
    assert [t for _n, _k, t in paragraphs(result)] == ["a", "x", "y", "b", "after"]


def test_html_odd_attributes_and_an_unclosed_head() -> None:
    page = ("<html><head><title>Appeal<meta charset=utf-8><body><ol start='²'><li>one</li></ol>"
            "<ol start='99999999999999999999999'><li value='x'>two</li></ol>"
            "<table><tr><td colspan='¹²'>cell</td></tr></table></body></html>")
    result = html_reader.extract(page.encode("utf-8"), "x.html")
    assert result.text == "1. one\n1. two\n\n| cell |\n| --- |"


def test_html_binary_data_is_one_plain_line() -> None:
    with pytest.raises(ExtractError) as excinfo:
        html_reader.extract(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "x.html")
    assert "not a web page" in one_line_error(excinfo)


# ---------------------------------------------------------------------------------------- .pdf

def make_pdf(blank_page: bool = False) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, "Plan of Action", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "We sold items that were not as described because our listing copied an old supplier "
                         "sheet. We have checked every listing since then and fixed four of them.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "Corrective actions", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for line in ("- We removed the listing on 3 May.", "- We refunded all 12 buyers.", "1. A weekly listing audit.",
                 "2. A named owner for supplier sheets."):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 6, "Sincerely,\nJane Doe", new_x="LMARGIN", new_y="NEXT")
    pdf.set_auto_page_break(False)
    pdf.set_y(-20)
    pdf.cell(0, 6, "1", align="C")  # a page number
    pdf.set_auto_page_break(True, margin=20)
    if blank_page:
        pdf.add_page()
        pdf.rect(20, 20, 100, 100, style="F")  # an image-like page with no text
    pdf.add_page()
    pdf.multi_cell(0, 6, "Attached: the supplier invoice.")
    return bytes(pdf.output())


PDF_TEXT = (
    "# Plan of Action\n\n"
    "We sold items that were not as described because our listing copied an old supplier sheet. We have checked "
    "every listing since then and fixed four of them.\n\n"
    "## Corrective actions\n\n- We removed the listing on 3 May.\n- We refunded all 12 buyers.\n"
    "1. A weekly listing audit.\n2. A named owner for supplier sheets.\n\nSincerely,\nJane Doe\n\n"
    "Attached: the supplier invoice."
)


def test_pdf_text_layer_to_paragraphs_headings_and_lists() -> None:
    result = pdf_reader.extract(make_pdf(), "letter.pdf")
    assert result.text == PDF_TEXT
    assert result.warnings == ()
    assert [(n, k) for n, k, _t in paragraphs(result)] == [
        (1, "heading"), (2, "body"), (3, "heading"), (4, "list"), (5, "list"), (6, "list"), (7, "list"),
        (8, "body"), (9, "body")]


def test_pdf_page_without_text_is_a_warning() -> None:
    result = pdf_reader.extract(make_pdf(blank_page=True), "letter.pdf")
    assert result.text == PDF_TEXT
    assert result.warnings == ("page 2 of this PDF has no text (a scanned image?), so it was not checked",)


def test_pdf_a_page_that_fails_is_a_warning_and_all_failing_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = pdf_reader._page_lines  # noqa: SLF001

    def fail_on_page_2(page, number):  # type: ignore[no-untyped-def]
        if number == 2:
            raise ValueError("broken content stream")
        return real(page, number)

    monkeypatch.setattr(pdf_reader, "_page_lines", fail_on_page_2)
    result = pdf_reader.extract(make_pdf(), "letter.pdf")
    assert result.text == PDF_TEXT.replace("\n\nAttached: the supplier invoice.", "")
    assert result.warnings == ("page 2 of this PDF is damaged and could not be read",)
    monkeypatch.setattr(pdf_reader, "_page_lines", lambda page, number: 1 / 0)
    with pytest.raises(ExtractError) as excinfo:
        pdf_reader.extract(make_pdf(), "letter.pdf")
    assert "damaged" in one_line_error(excinfo)


def test_invisible_and_control_characters_are_dropped() -> None:
    result = rtf_reader.extract(rb"{\rtf1 We\'00 re\'adfund\u65279?ed\'07.\par}", "x.rtf")
    assert result.text == "We refunded."


def minimal_pdf(content: bytes) -> bytes:
    """A hand-built one-page PDF with one content stream and Helvetica, with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_written_by_hand() -> None:
    content = (b"BT /F1 12 Tf 72 720 Td (Dear Seller Performance team,) Tj ET\n"
               b"BT /F1 12 Tf 72 690 Td (We fixed the cause on 4 May.) Tj ET\n"
               b"BT /F1 12 Tf 72 676 Td (Every order is checked twice.) Tj ET")
    result = pdf_reader.extract(minimal_pdf(content), "x.pdf")
    assert result.text == "Dear Seller Performance team,\n\nWe fixed the cause on 4 May.\nEvery order is checked twice."
    assert paragraphs(result) == [(1, "body", "Dear Seller Performance team,"),
                                  (2, "body", "We fixed the cause on 4 May.\nEvery order is checked twice.")]


def test_pdf_without_pages() -> None:
    from pypdf import PdfWriter

    buf = io.BytesIO()
    PdfWriter().write(buf)
    with pytest.raises(ExtractError) as excinfo:
        pdf_reader.extract(buf.getvalue(), "empty.pdf")
    assert one_line_error(excinfo) == "this PDF has no pages: export the letter again as PDF, or as text or .docx"


def test_pdf_without_text_layer_says_to_export_text() -> None:
    scan = minimal_pdf(b"q 0 0 1 rg 72 72 400 600 re f Q")
    with pytest.raises(ExtractError) as excinfo:
        pdf_reader.extract(scan, "scan.pdf")
    assert one_line_error(excinfo) == (
        "this PDF has no text layer (a scan?): export the letter as text or .docx and lint that")


def _encrypted(user: str, owner: str, algorithm: str | None) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pdf_with_a_password_is_one_plain_line() -> None:
    for algorithm in ("RC4-128", "AES-256"):
        with pytest.raises(ExtractError) as excinfo:
            pdf_reader.extract(_encrypted("s3cret", "owner", algorithm), "locked.pdf")
        assert "protected by a password" in one_line_error(excinfo)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_encrypted_without_a_user_password_is_read(algorithm: str) -> None:
    result = pdf_reader.extract(_encrypted("", "owner-only", algorithm), "restricted.pdf")
    assert result.text == PDF_TEXT


def test_pdf_damaged_truncated_or_not_a_pdf_is_one_plain_line() -> None:
    good = make_pdf()
    cases = [b"", b"hello, not a pdf", good[:200], good[: len(good) // 3], b"%PDF-1.7\n" + b"\x00garbage" * 50,
             minimal_pdf(b"BT /F1 12 Tf (unterminated")[:-60]]
    for data in cases:
        try:
            result = pdf_reader.extract(data, "x.pdf")
        except ExtractError as exc:
            msg = str(exc)
            assert msg and "\n" not in msg
            assert "PDF" in msg
        else:  # pypdf may rebuild a damaged file; then whatever it read must be well-formed
            paragraphs(result)


def test_pdf_truncated_mid_page_is_refused_or_read_never_a_traceback() -> None:
    good = make_pdf()
    with pytest.raises(ExtractError) as excinfo:
        pdf_reader.extract(good[:300], "x.pdf")
    one_line_error(excinfo)


# ---------------------------------------------------------------------------------------- the table

def test_extractors_table_and_lazy_imports() -> None:
    assert set(EXTRACTORS) == {".docx", ".odt", ".rtf", ".html", ".htm", ".pdf"}
    assert EXTRACTORS[".rtf"](rb"{\rtf1 Hello\par}", "a.rtf") == Extracted("Hello", (Paragraph(1, 0, 5, "body"),))
    code = ("import sys, poalint.extract; "
            "print(sorted(m for m in ('docx', 'odf', 'pypdf', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_extract_error_is_an_exception_with_one_line() -> None:
    assert issubclass(ExtractError, Exception)
    with pytest.raises(ExtractError):
        EXTRACTORS[".docx"](b"nope", "x.docx")
