"""Word-processor letters through the command line: real files written by python-docx, odfpy and fpdf2
(RTF and HTML as bytes), linted end to end with paragraph numbers; bad files are one line and exit 2;
the language step; a notice poalint cannot parse."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from poalint.api import NOT_ENGLISH, Setup, lint_letter, lint_text
from poalint.cli import cli
from poalint.letter import parse

HEAD = "Plan of Action"
PARAS = [
    "Dear Seller Performance Team,",
    "Our account was suspended for late shipments. It was the courier's fault, not ours.",  # paragraph 3
    "We did not have enough packers during the spring sale, so orders waited two days before pickup.",
    "On 3 April we hired two packers and moved every order to a carrier with a daily pickup at 16:00.",
    "Every morning at 10:00 our shipping lead checks the unshipped orders report and ships them that day.",
    "Sincerely,",
    "Jane Doe",
]
BLAME_PARAGRAPH = 3


def make_docx(head: str = HEAD, paras: list[str] = PARAS) -> bytes:
    import docx

    d = docx.Document()
    d.add_heading(head, 1)
    for p in paras:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_odt() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text=HEAD))
    for p in PARAS:
        doc.text.addElement(P(text=p))
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def make_rtf() -> bytes:
    body = "".join(f"{{\\pard {p}\\par}}\n" for p in [HEAD, *PARAS])
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\n" + body.replace("'", "\\'92") + "}").encode("ascii")


def make_html() -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return f"<html><head><meta charset='utf-8'></head><body><h1>{HEAD}</h1>{body}</body></html>".encode()


def make_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, HEAD, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    pdf.set_font("Helvetica", "", 11)
    for p in PARAS:
        pdf.multi_cell(0, 6, p, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(5)
    return bytes(pdf.output())


MAKERS = {".docx": make_docx, ".odt": make_odt, ".rtf": make_rtf, ".html": make_html, ".pdf": make_pdf}


def run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--no-cache", *args], catch_exceptions=False)


@pytest.mark.parametrize("suffix", list(MAKERS))
def test_document_is_linted_with_paragraph_numbers(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"letter{suffix}"
    path.write_bytes(MAKERS[suffix]())
    result = run(["--format", "json", str(path)])
    assert result.exit_code == 1, result.output
    (entry,) = json.loads(result.stdout)["files"]
    blame = [f for f in entry["findings"] if f["rule"] == "blame-shifting"]
    assert blame, entry["findings"]
    # a PDF keeps no paragraphs: the extractor groups its lines by their gaps, and that grouping is the count
    expected = BLAME_PARAGRAPH if suffix != ".pdf" else _pdf_paragraph_of("courier")
    assert blame[0]["paragraph"] == expected
    assert "courier" in blame[0]["excerpt"]
    assert all("paragraph" in f for f in entry["findings"])
    text = run([str(path)])
    line = next(ln for ln in text.stdout.splitlines() if "blame-shifting" in ln)
    assert line.startswith(f"{path}:{blame[0]['line']}:{blame[0]['column']} (paragraph {expected}): error")
    assert "courier" in line  # the quoted text


def _pdf_paragraph_of(word: str) -> int:
    from poalint.extract import EXTRACTORS

    found = EXTRACTORS[".pdf"](make_pdf(), "letter.pdf")
    para = found.paragraph_at(found.text.index(word))
    assert para is not None
    return para.number


def test_text_letters_have_no_paragraph_in_json(tmp_path: Path) -> None:
    (tmp_path / "letter.txt").write_text("\n\n".join([HEAD, *PARAS]) + "\n", encoding="utf-8")
    result = run(["--format", "json", str(tmp_path / "letter.txt")])
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert findings and all("paragraph" not in f for f in findings)


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name, data, words", [
    ("broken.docx", b"PK\x03\x04 not really a zip", "damaged"),
    ("cut.docx", make_docx()[:900], "damaged"),
    ("broken.odt", b"this is not a zip file at all", "damaged"),
    ("locked.pdf", _encrypted_pdf(), "password"),
    ("broken.pdf", b"%PDF-1.4\n garbage that is no PDF", "PDF"),
    ("broken.rtf", b"not rtf at all", "RTF"),
])
def test_damaged_or_encrypted_file_is_one_line_and_exit_2_others_still_linted(tmp_path: Path, name: str, data: bytes,
                                                                             words: str) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.docx").write_bytes(make_docx())
    result = run(["--format", "json", str(tmp_path / name), str(tmp_path / "good.docx")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"poalint: error: {tmp_path / name}: "), result.stderr
    assert words.lower() in lines[0].lower() and "Traceback" not in result.output
    assert [Path(f["path"]).name for f in json.loads(result.stdout)["files"]] == ["good.docx"]


def test_folder_picks_up_documents_but_not_web_pages_or_word_lock_files(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(make_docx())
    (tmp_path / "b.odt").write_bytes(make_odt())
    (tmp_path / "c.pdf").write_bytes(make_pdf())
    (tmp_path / "d.rtf").write_bytes(make_rtf())
    (tmp_path / "report.html").write_bytes(make_html())
    (tmp_path / "~$a.docx").write_bytes(b"\x05Jane Doe" + b"\x00" * 150)
    result = run(["--format", "json", str(tmp_path)])
    assert sorted(Path(f["path"]).name for f in json.loads(result.stdout)["files"]) == ["a.docx", "b.odt", "c.pdf",
                                                                                     "d.rtf"]
    assert result.exit_code == 1, result.stderr


def test_installed_script_reads_a_docx(tmp_path: Path) -> None:
    (tmp_path / "letter.docx").write_bytes(make_docx())
    script = Path(sys.executable).with_name("poalint")
    done = subprocess.run([str(script), "--no-cache", "--format", "concise", str(tmp_path / "letter.docx")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert any("[blame-shifting]" in ln and ln.endswith(f"(paragraph {BLAME_PARAGRAPH})")
               for ln in done.stdout.splitlines()), done.stdout


GERMAN = ["Sehr geehrtes Seller-Performance-Team,",
          "unser Konto wurde gesperrt, weil wir viele Bestellungen zu spät versendet haben. Das tut uns sehr leid.",
          "Die Ursache war, dass wir nicht genug Mitarbeiter im Lager hatten und die Pakete nicht rechtzeitig abgeholt wurden.",
          "Wir haben zwei neue Mitarbeiter eingestellt und prüfen jeden Morgen die offenen Bestellungen.",
          "Mit freundlichen Grüßen", "Jana Schmidt"]


def test_letter_not_in_english_is_one_not_english_error(tmp_path: Path) -> None:
    (tmp_path / "brief.docx").write_bytes(make_docx("Aktionsplan", GERMAN))
    result = run(["--format", "json", str(tmp_path / "brief.docx")])
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)["files"]
    assert [f["rule"] for f in entry["findings"]] == [NOT_ENGLISH]
    f = entry["findings"][0]
    assert f["severity"] == "error" and "English" in f["message"] and "German" in f["message"]
    assert entry["passed"] is False
    assert "(paragraph 1): error not-english" in run([str(tmp_path / "brief.docx")]).stdout


def test_mixed_letter_is_judged_on_its_english(setup: Setup) -> None:
    english = "\n\n".join([HEAD, *PARAS])
    quote = "供应商说明：由于春节假期，仓库在二月份关闭了两个星期，所有订单都被推迟发货。请理解我们的困难。"
    text = english.replace(PARAS[3], PARAS[3] + "\n\n" + quote)
    report = lint_letter(parse(text, "mixed.txt"), setup)
    assert NOT_ENGLISH not in {f.rule for f in report.findings}
    assert any("not checked" in w for w in report.warnings)
    assert not any(f.start >= text.index(quote) and f.end <= text.index(quote) + len(quote) for f in report.findings)
    plain = lint_letter(parse(english, "plain.txt"), setup)
    assert {f.rule for f in report.findings} == {f.rule for f in plain.findings}


def test_notice_that_cannot_be_parsed_is_a_warning_not_an_error() -> None:
    text = "\n\n".join([HEAD, *PARAS])
    report = lint_text(text, "letter.txt", notice_text="Thanks, here is our letter. We are sorry for the delay.")
    assert any("does not look like an Amazon notice" in w and "without the notice cross-checks" in w
               for w in report.warnings)
    assert report.findings  # linted all the same


def test_missing_front_matter_notice_is_still_a_letter_failure(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\nnotice: gone.txt\n---\n" + "\n\n".join(PARAS) + "\n", encoding="utf-8")
    (tmp_path / "b.docx").write_bytes(make_docx())
    result = run(["--format", "json", str(tmp_path / "a.md"), str(tmp_path / "b.docx")])
    assert result.exit_code == 2 and "gone.txt does not exist" in result.stderr
    assert [Path(f["path"]).name for f in json.loads(result.stdout)["files"]] == ["b.docx"]


def test_language_server_lints_through_the_api_entry_point(tmp_path: Path) -> None:
    """poalint.lsp_adapter gives what `poalint check` gives: the language step, a notice it cannot parse."""
    from poalint.lsp_adapter import Linting

    linting = Linting()
    german = linting.lint("\n\n".join(GERMAN) + "\n", str(tmp_path / "brief.md"), tmp_path)
    assert [f.rule for f in german.findings] == [NOT_ENGLISH] and german.passed is False
    (tmp_path / "notice.txt").write_text("Only a line of the email: thanks for your patience.\n", encoding="utf-8")
    text = "---\nnotice: notice.txt\n---\n" + "\n\n".join([HEAD, *PARAS]) + "\n"
    outcome = linting.lint(text, str(tmp_path / "letter.md"), tmp_path)
    assert not outcome.errors and any("blame-shifting" == f.rule for f in outcome.findings)
    assert any("without the notice cross-checks" in w for w in outcome.warnings)
    (tmp_path / "letter.md").write_text(text, encoding="utf-8")
    cli_run = run(["--format", "json", str(tmp_path / "letter.md")])
    (entry,) = json.loads(cli_run.stdout)["files"]
    assert [f["rule"] for f in entry["findings"]] == [f.rule for f in outcome.findings]
    assert "hover" not in linting.explain("blame-shifting") and linting.explain("blame-shifting").startswith(
        "blame-shifting  (blame, error)")


def test_names_addresses_and_a_foreign_sign_off_do_not_make_a_paragraph_foreign(setup: Setup) -> None:
    """A signature block with 'Sp. z o.o.', 'per' or 'Mit freundlichen Grüßen / Best regards' is no
    evidence of another language: nothing is left out of an English letter for it."""
    english = "\n\n".join([HEAD, *PARAS[:-2]])
    for sign_off in ("Marek Nowak\nOwner, Nowak Home & Beauty Sp. z o.o.\nmarek@nowakhome.pl | +48 61 220 4418",
                     "Mit freundlichen Grüßen / Best regards\nJonas Becker\nNordlicht Handel GmbH",
                     "Related account (per Amazon notice): none\nSeller name: Alder & Finch Goods"):
        report = lint_letter(parse(english + "\n\n" + sign_off + "\n", "letter.txt"), setup)
        assert not any("not checked" in w for w in report.warnings), (sign_off, report.warnings)
