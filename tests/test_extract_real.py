"""poalint.extract on files written by real word processors, kept in tests/extract_fixtures/.

They were made from the Markdown sources beside them (letter.md, german-letter.md, mixed-letter.md):
  pandoc 2.17: pandoc letter.md -o pandoc-letter.{docx,odt,html,rtf}  (-s for rtf and html)
  LibreOffice 7.4 (headless): soffice --convert-to {rtf,pdf,odt,html,"docx:MS Word 2007 XML"} pandoc-letter.docx
pandoc's .odt has a styles.xml that is not well-formed XML (a namespace declared twice), as found in the wild;
pandoc's .rtf types its bullets and numbers as text; LibreOffice's .rtf has Word's \\listtext, \\ls and
\\outlinelevel; LibreOffice's PDF keeps no structure, so its table comes through as lines of text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_extract import paragraphs  # noqa: I001

from poalint.extract import EXTRACTORS
from poalint.extract.lang import detect, english_spans

HERE = Path(__file__).parent / "extract_fixtures"

EXPECTED = """# Plan of Action

Dear Seller Performance Team,

Thank you for reviewing our account. Our selling privileges were removed because 14 orders were delivered late.

## Root cause

Our warehouse did not have enough staff during the spring sale. Orders waited two days before the carrier collected them.

## Corrective actions

- We hired two more packers on 3 April.
  - Both started on 5 April.
- We moved all orders to a carrier with a daily pickup.

## Preventive measures

1. A daily check of unshipped orders at 10:00.
2. A second carrier under contract.
3. A weekly report to the owner.

| Date | Action |
| --- | --- |
| 3 April | Two packers hired |
| 6 April | New carrier live |

Sincerely,

Jane Doe"""

KINDS = (["heading", "body", "body", "heading", "body", "heading"] + ["list"] * 3 + ["heading"] + ["list"] * 3
         + ["table"] * 6 + ["body", "body"])


@pytest.mark.parametrize("name", ["pandoc-letter.docx", "libreoffice-letter.docx", "libreoffice-letter.odt",
                                  "libreoffice-letter.rtf", "pandoc-letter.html", "libreoffice-letter.html"])
def test_the_same_letter_from_each_writer_reads_the_same(name: str) -> None:
    data = (HERE / name).read_bytes()
    result = EXTRACTORS[Path(name).suffix](data, name)
    assert result.text == EXPECTED
    assert result.warnings == ()
    assert [k for _n, k, _t in paragraphs(result)] == KINDS


def test_an_odt_whose_styles_are_broken_is_still_read_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    result = EXTRACTORS[".odt"]((HERE / "pandoc-letter.odt").read_bytes(), "pandoc-letter.odt")
    assert result.text == EXPECTED
    assert result.warnings == (
        "the styles of this .odt file could not be read, so some headings or list numbers may be missing",)
    assert capsys.readouterr().out == ""  # odfpy's dump of the broken part stays off stdout


def test_pandoc_rtf_with_typed_bullets_and_numbers() -> None:
    result = EXTRACTORS[".rtf"]((HERE / "pandoc-letter.rtf").read_bytes(), "pandoc-letter.rtf")
    # pandoc writes "•<tab>item" paragraphs with no list information: the nesting is lost, the items are not
    assert result.text == EXPECTED.replace("  - Both", "- Both")
    assert [k for _n, k, _t in paragraphs(result)] == KINDS


def test_libreoffice_pdf() -> None:
    result = EXTRACTORS[".pdf"]((HERE / "libreoffice-letter.pdf").read_bytes(), "libreoffice-letter.pdf")
    table = "| Date | Action |\n| --- | --- |\n| 3 April | Two packers hired |\n| 6 April | New carrier live |"
    assert result.text == EXPECTED.replace(table, "Date Action\n3 April Two packers hired\n6 April New carrier live")
    assert [k for _n, k, _t in paragraphs(result)] == KINDS[:13] + ["body"] * 3


def test_language_of_real_documents() -> None:
    german = EXTRACTORS[".docx"]((HERE / "german-letter.docx").read_bytes(), "german-letter.docx")
    verdict = detect(german.text)
    assert not verdict.is_english and "German" in verdict.note
    mixed = EXTRACTORS[".docx"]((HERE / "mixed-letter.docx").read_bytes(), "mixed-letter.docx")
    verdict = detect(mixed.text)
    assert verdict.is_english and verdict.share < 1.0
    quote = next(p for p in mixed.paragraphs if "\u6625\u8282" in mixed.text[p.start:p.end])
    spans = english_spans(mixed.text)
    assert (quote.start, quote.end) not in spans
    assert not any(a < quote.end and quote.start < b for a, b in spans)
    # every other paragraph of the document lies inside a span that is judged
    assert all(any(a <= p.start and p.end <= b for a, b in spans) for p in mixed.paragraphs if p is not quote)
