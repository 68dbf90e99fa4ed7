"""`--format html` and `poalint serve` through the command line (the real readers, api.lint_letter)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

from click.testing import CliRunner
from test_wire_documents import PARAS, make_docx  # noqa: I001

from poalint.cli import cli
from poalint.formats import FORMATS

TEXT = "\n\n".join(["Plan of Action", *PARAS]) + "\n"


def test_html_is_a_format_that_needs_the_text() -> None:
    assert FORMATS["html"].needs_text and not FORMATS["html"].streams


def test_several_letters_make_one_page_with_an_index(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.docx").write_bytes(make_docx())
    out = tmp_path / "site" / "report.html"
    result = CliRunner().invoke(cli, ["--no-cache", "--format", "html", "-o", str(out), str(tmp_path / "a.txt"),
                                      str(tmp_path / "b.docx")])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<section") >= 2
    assert "a.txt" in page and "b.docx" in page and 'href="#' in page  # the index links to each letter
    assert "blame-shifting" in page and "<mark" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet|@import|url\(http", page)  # self-contained
    json_run = CliRunner().invoke(cli, ["--no-cache", "--format", "json", str(tmp_path / "a.txt")])
    findings = json.loads(json_run.stdout)["files"][0]["findings"]
    courier = next(f for f in findings if f["rule"] == "blame-shifting")
    assert html.escape(courier["excerpt"]) in page


def test_html_report_of_a_letter_not_in_english(tmp_path: Path) -> None:
    from test_wire_documents import GERMAN

    (tmp_path / "brief.docx").write_bytes(make_docx("Aktionsplan", GERMAN))
    result = CliRunner().invoke(cli, ["--no-cache", "--format", "html", str(tmp_path / "brief.docx")])
    assert result.exit_code == 1 and "not-english" in result.stdout and "poalint checks letters" in result.stdout


def _post_file(url: str, name: str, data: bytes) -> str:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url + "lint", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": url.rstrip("/")})
    with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310 - a local test server
        return resp.read().decode("utf-8")


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    script = Path(sys.executable).with_name("poalint")
    proc = subprocess.Popen([str(script), "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    found = re.search(r"http://\S+/", line)
    assert found, line
    return proc, found.group(0)


def test_serve_lints_an_upload_through_the_readers() -> None:
    proc, url = _start()
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310
            page = resp.read().decode("utf-8")
        assert "late-shipment" in page  # the reasons come from the packs
        report = _post_file(url, "letter.docx", make_docx())
        assert "blame-shifting" in report and "<mark" in report
        bad = _post_file(url, "broken.docx", b"PK\x03\x04 not a zip")
        assert "broken.docx: this Word file is damaged" in bad
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_on_another_interface_warns() -> None:
    proc, url = _start("--host", "0.0.0.0")  # noqa: S104 - the point of the test
    try:
        assert url
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert "poalint: warning: serving on 0.0.0.0: anyone on your network can reach this page" in err


def test_the_page_notes_a_notice_it_could_not_parse() -> None:
    from poalint.api import Setup
    from poalint.serve import LintRequest
    from poalint.serve_lint import make_lint

    page_letter = make_lint(Setup.create())(LintRequest(text=TEXT, notice_text="Thanks, see our letter below."))
    assert any("without the notice cross-checks" in note for note in page_letter.notes)
    from poalint.htmlreport import render_letter

    assert "Note: the notice: This text does not look like an Amazon notice" in html.unescape(
        render_letter(page_letter))
