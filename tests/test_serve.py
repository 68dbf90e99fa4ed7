"""poalint.serve over real HTTP (no browser): guards, headers, uploads, limits, errors, nothing stored."""

from __future__ import annotations

import http.client
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from poalint.htmlreport import HtmlLetter
from poalint.model import Finding, Severity
from poalint.serve import MAX_BODY, LintRequest, main, make_server, serve

REASONS = (("late-shipment", "Late shipment"), ("inauthentic", "Inauthentic"))


def simple_lint(req: LintRequest) -> HtmlLetter:
    """Marks every 'maybe' (a stand-in for the engine where only the HTTP side is under test)."""
    if req.data is not None:
        if b"\x00" in req.data:
            raise ValueError(f"{req.filename}: is a binary file (it contains NUL bytes), not a letter")
        text = req.data.decode("utf-8")
    else:
        text = req.text or ""
    findings, at = [], text.find("maybe")
    while at >= 0 and len(findings) < 50:
        findings.append(Finding("hedging", "tone", Severity.WARNING, 1, 1, 1, 6, "maybe", "'maybe' sounds unsure",
                                "Say what you found.", at, at + 5))
        at = text.find("maybe", at + 5)
    verdict = f"reason={req.reason} notice={bool(req.notice_text)} file={req.filename}"
    return HtmlLetter(req.filename or "pasted letter", text, tuple(findings), ((0, len(text), "root_cause"),),
                      90.0, not findings, verdict)


@pytest.fixture()
def server() -> Iterator[Callable[..., object]]:
    started = []

    def start(lint: Callable[[LintRequest], HtmlLetter] = simple_lint, **kw: object):  # type: ignore[no-untyped-def]
        srv = make_server(lint, port=0, reasons=REASONS, **kw)  # type: ignore[arg-type]
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.shutdown()
        srv.server_close()


def request(srv, method: str = "GET", path: str = "/", body: bytes | None = None,  # type: ignore[no-untyped-def]
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    h = {"Host": f"127.0.0.1:{srv.port}", **(headers or {})}
    conn.request(method, path, body=body, headers=h)
    resp = conn.getresponse()
    data = resp.read().decode("utf-8")
    out = resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    conn.close()
    return out


def multipart(fields: dict[str, str | tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----poalint" + uuid.uuid4().hex
    chunks = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{value[0]}"\r\n'
                          f"Content-Type: application/octet-stream\r\n\r\n".encode() + value[1] + b"\r\n")
        else:
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                          + value.encode("utf-8") + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def post(srv, fields: dict[str, str | tuple[str, bytes]], fetch: bool = True,  # type: ignore[no-untyped-def]
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    body, ctype = multipart(fields)
    h = {"Content-Type": ctype, **({"X-Poalint-Fetch": "1"} if fetch else {}), **(headers or {})}
    return request(srv, "POST", "/lint", body, h)


def test_page_and_security_headers(server) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    status, headers, html = request(srv)
    assert status == 200 and srv.url == f"http://127.0.0.1:{srv.port}/"
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "connect-src 'self'" in csp
    assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert not any(k.startswith("access-control-") for k in headers)
    assert headers["cache-control"] == "no-store"
    assert '<textarea id="letter" name="text"' in html and 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert '<option value="late-shipment">Late shipment</option>' in html
    assert "nothing is saved" in html and "nothing is sent" in html.lower() or "not sent" in html.lower()
    assert "http" not in html.lower().replace("http-equiv", "")  # no external URL in the page either
    status, _, _ = request(srv, headers={"Host": f"localhost:{srv.port}"})
    assert status == 200


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1.nip.io:{port}", "127.0.0.1:1", ""])
def test_foreign_host_headers_are_refused(server, host: str) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    status, _, body = request(srv, headers={"Host": host.format(port=srv.port)})
    assert status == 421 and "address it printed" in body
    status, _, _ = post(srv, {"text": "maybe"}, headers={"Host": host.format(port=srv.port)})
    assert status == 421


def test_cross_site_posts_and_preflights_are_refused(server) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    assert post(srv, {"text": "maybe"}, headers={"Origin": "http://evil.example"})[0] == 403
    assert post(srv, {"text": "maybe"}, headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert post(srv, {"text": "maybe"}, headers={"Origin": f"http://127.0.0.1:{srv.port}"})[0] == 200
    status, headers, _ = request(srv, "OPTIONS", "/lint", headers={"Origin": "http://evil.example",
                                                                   "Access-Control-Request-Method": "POST"})
    assert status == 405 and not any(k.startswith("access-control-") for k in headers)


def test_pasted_letter_gives_the_report_fragment(server) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    status, headers, html = post(srv, {"text": "We maybe fixed it.", "reason": "late-shipment", "notice": "Dear seller"})
    assert status == 200 and headers["x-poalint-result"] == "ok" and html.startswith('<section class="letter card"')
    assert "reason=late-shipment notice=True file=None" in html and '<mark class="hl warning"' in html


def test_plain_form_post_works_without_script_and_keeps_the_form(server) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    text = "We maybe fixed it.\n</textarea><script>alert(1)</script>"
    status, _, html = post(srv, {"text": text, "reason": "inauthentic", "notice": "</textarea>n"}, fetch=False)
    assert status == 200 and html.startswith("<!DOCTYPE html>")
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in html  # refilled, escaped
    assert '<option value="inauthentic" selected>' in html and "&lt;/textarea&gt;n</textarea>" in html
    assert html.count("<script>") == 1 and '<section class="letter card"' in html
    # urlencoded works too
    body = b"text=We+maybe+did&reason="
    status, _, html = request(srv, "POST", "/lint", body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and "We maybe did</textarea>" in html and '<mark class="hl' in html


def test_uploads(server) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    status, _, html = post(srv, {"text": "", "file": ("letter.txt", b"Root cause: maybe.\n")})
    assert status == 200 and "file=letter.txt" in html and '<mark class="hl' in html
    # a file wins over the text box; a path in the name is cut to the name
    status, _, html = post(srv, {"text": "ignored", "file": ("../../tmp/poa.md", b"from the file")})
    assert "file=poa.md" in html and "from the file" in html and "ignored" not in html


@pytest.mark.parametrize(("name", "data", "expected", "code"), [
    ("virus.exe", b"MZ\x90\x00", "poalint cannot read &#x27;virus.exe&#x27;. Upload the letter as one of: .txt", 400),
    ("letter.txt", b"", "The file &#x27;letter.txt&#x27; is empty", 400),
    ("letter.txt", b"  \n ", "is empty", 400),
    ("letter.txt", b"\x00\x01\x02garbage\xff" * 100, "poalint could not check this letter: letter.txt: is a binary", 200),
    ("letter.txt", b"x" * (2 * 1024 * 1024 + 1), "A letter file can be up to 2 MB", 413),
])
def test_bad_uploads_are_one_message(server, name: str, data: bytes, expected: str, code: int) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    for fetch in (True, False):
        status, headers, html = post(srv, {"file": (name, data)}, fetch=fetch)
        assert status == (200 if fetch else code) and expected in html and 'role="alert"' in html
        assert headers.get("x-poalint-result") == ("error" if fetch else None)
        assert "Traceback" not in html


def test_oversize_body_is_a_message_not_a_crash(server) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    status, headers, html = post(srv, {"text": "a" * (MAX_BODY + 10)}, fetch=False)
    assert status == 413 and "too much to check at once" in html and headers.get("connection") == "close"
    status, _, html = request(srv, "POST", "/lint", b"x", {"Content-Type": "text/plain"})
    assert status == 415 and "Send the letter with the form" in html
    status, _, html = request(srv, "POST", "/lint", b"--zz\r\ngarbage", {"Content-Type": "multipart/form-data"})
    assert status in (200, 400) and "Traceback" not in html
    assert request(srv)[0] == 200  # still serving


def test_a_two_megabyte_letter_fits(server) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    text = ("We maybe checked every order. " * 80_000)[: 2 * 1024 * 1024]
    status, _, html = post(srv, {"text": text})
    assert status == 200 and html.count('<mark class="hl') == 50


def test_lint_exceptions_are_one_line(server) -> None:  # type: ignore[no-untyped-def]
    def broken(req: LintRequest) -> HtmlLetter:
        raise RuntimeError("the rules could not be loaded\n  File 'x.py', line 3")

    srv = server(broken)
    status, _, html = post(srv, {"text": "hello"})
    assert status == 200 and html == ('<p class="alert" role="alert"><span aria-hidden="true">\u2716</span> poalint '
                                      "could not check this letter: the rules could not be loaded File &#x27;x.py&#x27;, "
                                      "line 3</p>")


def test_unknown_reason_and_empty_form(server) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    assert "Pick the reason from the list" in post(srv, {"text": "x", "reason": "<nope>"})[2]
    status, _, html = post(srv, {"text": "   "})
    assert status == 200 and "Paste your letter above" in html


def test_nothing_is_stored_or_logged(server, tmp_path: Path, capfd, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    srv = server()
    secret = "SECRET-LETTER-TEXT maybe"
    post(srv, {"text": secret})
    post(srv, {"file": ("a.txt", secret.encode())}, fetch=False)
    request(srv, headers={"Host": "evil"})
    out, err = capfd.readouterr()
    assert secret not in out + err and "GET" not in err and "POST" not in err
    assert os.listdir(tmp_path) == []


def test_serve_warns_on_a_non_loopback_host(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import poalint.serve as mod

    class Fake:
        url = "http://0.0.0.0:9/"

        def serve_forever(self) -> None:
            raise KeyboardInterrupt

        def server_close(self) -> None:
            pass

    monkeypatch.setattr(mod, "make_server", lambda *a, **k: Fake())
    serve(simple_lint, host="0.0.0.0", port=9)
    out, err = capsys.readouterr()
    assert "anyone on your network can reach this page" in err and "http://0.0.0.0:9/" in out
    serve(simple_lint, port=9)
    out, err = capsys.readouterr()
    assert err == "" and "Nothing is saved or sent anywhere" in out


def test_main_reports_a_busy_port(server, capsys) -> None:  # type: ignore[no-untyped-def]
    srv = server()
    assert main(simple_lint, port=srv.port) == 2
    assert "cannot serve on 127.0.0.1" in capsys.readouterr().err


def test_the_real_linter_through_the_page(server, linter) -> None:  # type: ignore[no-untyped-def]
    from _lint_adapter import make_lint

    srv = server(make_lint(linter))
    letter = (Path(__file__).resolve().parents[1] / "examples" / "weak.txt").read_bytes()
    status, _, html = post(srv, {"file": ("weak.txt", letter), "reason": "late-shipment"})
    assert status == 200 and "weak.txt" in html and "Suspension reason: <b>late-shipment</b> (--reason)" in html
    assert '<mark class="hl' in html and "p-root_cause" in html
