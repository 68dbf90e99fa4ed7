"""`poalint serve`: a local web page where a seller pastes or uploads a letter and sees the HTML report.

Standard library only (`http.server`). Plain inputs: the caller gives a `lint` callable that turns a
`LintRequest` into an `HtmlLetter`; this module knows nothing about rules or spaCy.

Safety: binds 127.0.0.1 unless a host is given (a non-loopback host prints a warning); answers only
requests whose Host header names the loopback address it is bound to (a DNS-rebinding guard) and
POSTs from its own origin; a strict Content-Security-Policy; no CORS headers; nothing is written to
disk and no request content is logged. Every problem with an upload is a message in the page.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from poalint import __version__
from poalint.htmlreport import STYLE, render_letter

if TYPE_CHECKING:
    from poalint.htmlreport import HtmlLetter

MAX_BODY = 3 * 1024 * 1024  # a 2 MB letter plus a notice and the form's own bytes
DRAIN_LIMIT = 4 * MAX_BODY  # an oversize body up to this is read and dropped so the browser sees the answer
UPLOAD_TYPES = (".txt", ".md", ".markdown", ".text", ".docx", ".odt", ".rtf", ".html", ".htm", ".pdf")
FETCH_HEADER = "X-Poalint-Fetch"
RESULT_HEADER = "X-Poalint-Result"  # "ok" or "error", on answers to the page's script
PRIVACY = ("Your letter stays on this computer. poalint checks it here and forgets it: nothing is saved "
           "and nothing is sent to Amazon or anywhere else.")


@dataclass(frozen=True)
class LintRequest:
    """What the seller gave: pasted text, or an uploaded file's name and bytes; the reason and notice."""

    text: str | None = None
    filename: str | None = None
    data: bytes | None = None
    reason: str | None = None
    notice_text: str | None = None


class BadRequest(Exception):
    """A request we answer with a message in the page (never a traceback)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


_SCRIPT = """(function(){
var form=document.getElementById('checker'),out=document.getElementById('report'),
st=document.getElementById('status'),file=document.getElementById('file'),
letter=document.getElementById('letter'),timer=null,seq=0;
function send(){
 var fd=new FormData(form);
 if(!file.files.length){fd.delete('file');}
 var my=++seq;st.textContent='Checking your letter\\u2026';
 fetch('lint',{method:'POST',body:fd,headers:{'X-Poalint-Fetch':'1'},credentials:'same-origin'})
 .then(function(r){return r.text().then(function(t){
  return {ok:r.ok&&r.headers.get('X-Poalint-Result')==='ok',t:t};});})
 .then(function(x){if(my!==seq){return;}out.innerHTML=x.t;
  st.textContent=x.ok?'Report updated.':'Could not check the letter: see the message below.';})
 .catch(function(){if(my!==seq){return;}
  st.textContent='The poalint page on this computer did not answer. Is poalint serve still running?';});
}
function later(){clearTimeout(timer);timer=setTimeout(send,700);}
form.addEventListener('input',function(e){
 if(e.target===file){return;}
 if(e.target===letter&&file.value){file.value='';}
 later();});
form.addEventListener('change',function(e){if(e.target.tagName==='SELECT'){later();}});
file.addEventListener('change',function(){clearTimeout(timer);if(file.files.length){send();}});
form.addEventListener('submit',function(e){e.preventDefault();clearTimeout(timer);send();});
document.documentElement.className+=' js';
})();"""

_SERVE_CSS = """
.checker label,.checker legend{font-weight:700;display:block;margin:0 0 .3rem}
.checker .help{color:var(--muted);font-size:.92rem;margin:.1rem 0 .4rem;font-weight:400}
.checker textarea{width:100%;font:1rem/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--ink);
background:var(--paper);border:1px solid var(--muted);border-radius:6px;padding:.6rem}
.checker textarea#letter{min-height:16rem}
.checker textarea#notice{min-height:6rem}
.checker select,.checker input[type=file]{font-size:1rem;color:var(--ink);background:var(--paper);
border:1px solid var(--muted);border-radius:6px;padding:.35rem .5rem;max-width:100%}
.grid2{display:grid;grid-template-columns:minmax(0,1fr);gap:1rem 1.5rem}
@media (min-width:60rem){.grid2{grid-template-columns:minmax(0,2fr) minmax(0,1fr)}}
.field{margin:0 0 1rem}
.btn{font-size:1.05rem;font-weight:700;color:var(--paper);background:var(--link);border:0;border-radius:6px;
padding:.6rem 1.3rem;cursor:pointer}
.privacy{border:1px solid var(--pass);border-radius:6px;padding:.5rem .75rem;color:var(--ink);background:var(--paper)}
.privacy b{color:var(--pass)}
.alert{border:2px solid var(--fail);border-radius:6px;padding:.6rem .8rem;color:var(--fail);font-weight:600;
background:var(--paper)}
.status{min-height:1.5em;color:var(--muted);margin:.5rem 0 0}
.empty{color:var(--muted)}
@media print{.checker,.privacy,.status{display:none!important}}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _hash(source: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def _style() -> str:

    return STYLE + _SERVE_CSS


def _csp() -> str:
    return ("default-src 'none'; "
            f"script-src {_hash(_SCRIPT)}; style-src {_hash(_style())}; "
            "connect-src 'self'; form-action 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'")


def message_html(message: str) -> str:
    """One error line, as the page shows it."""
    return f'<p class="alert" role="alert"><span aria-hidden="true">\u2716</span> {_e(message)}</p>'


def _empty_html() -> str:
    return '<p class="empty">Paste your letter above, or choose a file, and the report appears here.</p>'


def page(reasons: Sequence[tuple[str, str]], report_html: str = "", *, letter_text: str = "", notice_text: str = "",
         reason: str | None = None, version: str = "") -> str:
    """The whole page: the form (filled with what was sent) and the report below it."""
    options = ['<option value="">Find it from the letter or the notice</option>']
    for value, label in reasons:
        sel = " selected" if value == reason else ""
        options.append(f'<option value="{_e(value)}"{sel}>{_e(label)}</option>')
    types = ", ".join(UPLOAD_TYPES)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f'<title>poalint \u2013 check your Plan of Action</title><style>{_style()}</style></head><body>'
        '<a class="skip" href="#report-s">Skip to the report</a>'
        '<header class="top" role="banner"><p>poalint <span class="sub">\u00b7 check your Plan of Action '
        'before you send it to Amazon</span></p></header>'
        '<main id="main"><h1>Check your Plan of Action</h1>'
        f'<p class="privacy" id="privacy"><b>Private:</b> {_e(PRIVACY)}</p>'
        '<form class="checker card" id="checker" method="post" action="lint" enctype="multipart/form-data" '
        'accept-charset="utf-8" aria-labelledby="form-h"><h2 id="form-h">Your letter</h2><div class="grid2"><div>'
        '<div class="field"><label for="letter">Paste your letter</label>'
        '<p class="help" id="letter-help">The report below updates while you type.</p>'
        '<textarea id="letter" name="text" spellcheck="true" aria-describedby="letter-help">'
        f'{_e(letter_text)}</textarea></div></div><div>'
        '<div class="field"><label for="file">Or upload the letter as a file</label>'
        f'<p class="help" id="file-help">Accepted: {_e(types)}. Up to 2 MB.</p>'
        f'<input type="file" id="file" name="file" accept="{_e(",".join(UPLOAD_TYPES))}" '
        'aria-describedby="file-help"></div>'
        '<div class="field"><label for="reason">Why was your account or listing suspended?</label>'
        f'<select id="reason" name="reason">{"".join(options)}</select></div>'
        '<div class="field"><label for="notice">Amazon\'s message (optional)</label>'
        '<p class="help" id="notice-help">Paste the notice you got, so poalint can check your letter answers it.</p>'
        f'<textarea id="notice" name="notice" aria-describedby="notice-help">{_e(notice_text)}</textarea></div>'
        '<button class="btn" type="submit">Check my letter</button>'
        '<p class="status" id="status" role="status" aria-live="polite"></p></div></div></form>'
        '<section aria-labelledby="report-h" tabindex="-1" id="report-s"><h2 class="vh" id="report-h">Report</h2>'
        f'<div id="report">{report_html or _empty_html()}</div></section></main>'
        f'<footer role="contentinfo">poalint {_e(version)} \u00b7 running only on this computer</footer>'
        f'<script>{_SCRIPT}</script></body></html>\n'
    )


# ---- request parsing --------------------------------------------------------------------------


def parse_form(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """{field name: (filename or None, bytes)} of a multipart or urlencoded body; BadRequest if malformed."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        from urllib.parse import parse_qsl

        try:
            pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="replace")
        except UnicodeDecodeError:
            raise BadRequest("The form could not be read. Reload the page and try again.") from None
        return {k: (None, v.encode("utf-8")) for k, v in pairs}
    if ctype != "multipart/form-data":
        raise BadRequest("Send the letter with the form on this page.", 415)
    from email.parser import BytesParser
    from email.policy import HTTP

    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    try:
        msg = BytesParser(policy=HTTP).parsebytes(head + body)
    except Exception:  # noqa: BLE001 - a malformed body is a message, never a traceback
        raise BadRequest("The form could not be read. Reload the page and try again.") from None
    if not msg.is_multipart():
        raise BadRequest("The form could not be read. Reload the page and try again.")
    out: dict[str, tuple[str | None, bytes]] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        filename = part.get_param("filename", header="content-disposition")
        payload = part.get_payload(decode=True)
        out[str(name)] = (str(filename) if filename is not None else None,
                          payload if isinstance(payload, bytes) else b"")
    return out


def _text(value: tuple[str | None, bytes] | None) -> str:
    if value is None:
        return ""
    return value[1].decode("utf-8", errors="replace").replace("\r\n", "\n")


def build_request(form: dict[str, tuple[str | None, bytes]], reasons: Sequence[tuple[str, str]]) -> LintRequest | None:
    """The LintRequest of a form, None when there is nothing to check; BadRequest for a bad upload."""
    known = {value for value, _ in reasons}
    reason = _text(form.get("reason")).strip() or None
    if reason is not None and known and reason not in known:
        raise BadRequest("Pick the reason from the list.")
    notice = _text(form.get("notice")) or None
    upload = form.get("file")
    if upload is not None and upload[0]:  # a file was chosen
        filename, data = upload
        import os.path

        name = os.path.basename((filename or "").replace("\\", "/")) or "upload"
        suffix = os.path.splitext(name)[1].lower()
        if suffix not in UPLOAD_TYPES:
            raise BadRequest(f"poalint cannot read '{name}'. Upload the letter as one of: {', '.join(UPLOAD_TYPES)}.")
        if not data.strip():
            raise BadRequest(f"The file '{name}' is empty. Choose the file that holds your letter.")
        if len(data) > 2 * 1024 * 1024:
            raise BadRequest(f"The file '{name}' is {len(data) / 1024 / 1024:.1f} MB. A letter file can be up to 2 MB.",
                             413)
        return LintRequest(None, name, data, reason, notice)
    text = _text(form.get("text"))
    if not text.strip():
        return None
    return LintRequest(text, None, None, reason, notice)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if not text:
        text = type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "\u2026"


# ---- the server ---------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_names(host: str, port: int) -> set[str]:
    h = host.lower().strip("[]")
    names = {"localhost", "127.0.0.1"} if h in ("localhost", "127.0.0.1") else {h}
    if h == "::1":
        names = {"[::1]", "localhost"}
    out = {f"{n}:{port}" for n in names}
    if port == 80:
        out |= names
    return out


def _is_ip_literal(host: str) -> bool:
    import ipaddress

    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if name.startswith("["):
        name = name[1:].split("]", 1)[0]
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], lint: Callable[[LintRequest], HtmlLetter],
                 reasons: Sequence[tuple[str, str]], max_body: int, version: str) -> None:
        if ":" in address[0]:
            import socket

            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.lint = lint
        self.reasons = tuple(reasons)
        self.max_body = max_body
        self.version = version
        self.lock = threading.Lock()  # one letter at a time: the linter is not meant to be shared by threads
        host, port = address[0], self.server_address[1]
        self.host, self.port = host, port
        self.loopback = is_loopback(host)
        self.allowed_hosts = _host_names(host, port)
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}/"
        self.csp = _csp()


class Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = "poalint"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "poalint"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - nothing is logged, ever
        return

    # ---- guards ----

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if self.server.loopback:
            return host in self.server.allowed_hosts
        # another interface, asked for explicitly: an address or the given name, never a rebound domain name
        return bool(host) and (_is_ip_literal(host) or host.split(":")[0] in (self.server.host.lower(), "localhost"))

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return False
        if origin is None:
            return True
        return origin.lower() == f"http://{(self.headers.get('Host') or '').lower()}"

    # ---- answers ----

    def _send(self, status: int, body: str, content_type: str = "text/html; charset=utf-8", close: bool = False,
              result: str | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        if result is not None:
            self.send_header(RESULT_HEADER, result)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", self.server.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "same-origin")  # no-referrer would make form POSTs say "Origin: null"
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "no-store")
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _page(self, status: int, report_html: str, req: dict[str, Any] | None = None) -> None:
        req = req or {}
        self._send(status, page(self.server.reasons, report_html, version=self.server.version, **req))

    def _refuse(self, status: int, text: str) -> None:
        self._send(status, text + "\n", "text/plain; charset=utf-8", close=True)

    def do_GET(self) -> None:  # noqa: N802
        if not self._host_ok():
            return self._refuse(421, "poalint serve answers only on the address it printed.")
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            return self._page(200, "")
        if path == "/lint":
            return self._page(200, "")
        return self._refuse(404, "Not found. Open the address poalint serve printed.")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok():
            return self._refuse(421, "poalint serve answers only on the address it printed.")
        if not self._origin_ok():
            return self._refuse(403, "Requests from other web sites are refused.")
        if self.path.split("?", 1)[0] != "/lint":
            return self._refuse(404, "Not found. Open the address poalint serve printed.")
        fetch = self.headers.get(FETCH_HEADER) == "1"

        def answer(status: int, html: str, req: dict[str, Any] | None = None, close: bool = False) -> None:
            if fetch:  # the page's script: always 200 (Chromium logs any 4xx as a console error), the outcome in a header
                self._send(200, html, close=close, result="error" if status >= 400 or "role=\"alert\"" in html else "ok")
            else:
                self._send(status, page(self.server.reasons, html, version=self.server.version, **(req or {})),
                           close=close)

        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return answer(411, message_html("The browser sent no length for the form. Try again."), close=True)
        if length < 0:
            return answer(400, message_html("The form could not be read. Reload the page and try again."), close=True)
        if length > self.server.max_body:
            self._drain(length)
            mb = self.server.max_body / 1024 / 1024
            return answer(413, message_html(f"That is too much to check at once ({length / 1024 / 1024:.1f} MB). "
                                            f"A letter can be up to 2 MB, and everything sent together up to {mb:g} MB."),
                          close=True)
        body = self.rfile.read(length)
        form_values: dict[str, Any] = {}
        try:
            form = parse_form(self.headers.get("Content-Type", ""), body)
            del body
            letter_text = _text(form.get("text"))
            form_values = {"letter_text": letter_text, "notice_text": _text(form.get("notice")),
                           "reason": _text(form.get("reason")).strip() or None}
            request = build_request(form, self.server.reasons)
        except BadRequest as exc:
            return answer(exc.status, message_html(str(exc)), form_values)
        if request is None:
            return answer(200, _empty_html(), form_values)
        try:
            with self.server.lock:
                result = self.server.lint(request)

            html = render_letter(result, 1)
        except Exception as exc:  # noqa: BLE001 - any failure is one line in the page, never a traceback
            return answer(200, message_html(f"poalint could not check this letter: {_one_line(exc)}"), form_values)
        answer(200, html, form_values)

    def _drain(self, length: int) -> None:
        """Read and drop an oversize body (up to a limit) so the browser gets to read our answer."""
        left = min(length, DRAIN_LIMIT)
        while left > 0:
            chunk = self.rfile.read(min(left, 65536))
            if not chunk:
                break
            left -= len(chunk)

    def _not_allowed(self) -> None:
        self._refuse(405, "Method not allowed.")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed  # noqa: N815 - no CORS preflight is ever answered


def make_server(lint: Callable[[LintRequest], HtmlLetter], *, host: str = "127.0.0.1", port: int = 8000,
                reasons: Sequence[tuple[str, str]] = (), max_body: int = MAX_BODY, version: str | None = None) -> Server:
    """A server bound and ready (port 0: any free port; the URL is `server.url`); call serve_forever()."""
    if version is None:
        version = __version__
    return Server((host, port), lint, reasons, max_body, version)


def serve(lint: Callable[[LintRequest], HtmlLetter], *, host: str = "127.0.0.1", port: int = 8000,
          open_browser: bool = False, reasons: Sequence[tuple[str, str]] = ()) -> None:
    """Serve the page until Ctrl+C. Prints the URL; warns on stderr when another interface can reach it."""
    server = make_server(lint, host=host, port=port, reasons=reasons)
    if not is_loopback(host):
        print(f"poalint: warning: serving on {host}: anyone on your network can reach this page and the letters "
              "checked with it; use the default 127.0.0.1 to keep it on this computer", file=sys.stderr)
    print(f"poalint: open {server.url} in your browser (Ctrl+C stops it). Nothing is saved or sent anywhere.",
          flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(lint: Callable[[LintRequest], HtmlLetter], host: str | None = None, port: int = 8000,
         open_browser: bool = False, reasons: Sequence[tuple[str, str]] = ()) -> int:
    """The command: 0 after Ctrl+C, 2 with one line when the address cannot be used."""
    try:
        serve(lint, host=host or "127.0.0.1", port=port, open_browser=open_browser, reasons=reasons)
    except OSError as exc:
        print(f"poalint: error: cannot serve on {host or '127.0.0.1'}:{port}: {exc.strerror or exc}; "
              "pick another --port", file=sys.stderr)
        return 2
    return 0
