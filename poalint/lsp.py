"""`poalint server`: a Language Server Protocol server over stdio (pygls), for letters kept in an editor.

    python -m poalint.lsp            (later: poalint server)

What it does (see docs/editors.md for editor set-up):

- diagnostics on open, on change (debounced: the first change after a quiet spell is linted at
  once, a burst of typing is linted once it pauses; the latest version wins and results for an
  older version are dropped) and on save. The rule id is the diagnostic code, the severity is
  mapped (error / warning / information), the fix follows the message, and `codeDescription`
  links to the rule's YAML definition file (a `file:` URI: its description, fix and examples
  are what `poalint rule ID` prints; it opens in any editor, offline).
- hover on a finding: the finding, its fix, and the rule's explanation as `poalint rule ID` prints it.
- code actions: suppress the finding with the comments poalint reads
  (`<!-- poalint-disable-next-line RULE -->`, `<!-- poalint-disable-file RULE -->`), and quick
  fixes where the fix is mechanical: remove an external link, delete (or, with snippet
  support, fill in) a template placeholder, delete an unused suppression comment.
- configuration is found as the command line finds it (`.poalint.yaml` / `[tool.poalint]`
  walking up from the letter; front matter reason / notice), and reloaded when a
  `.poalint.yaml`, `.poalint.yml`, `pyproject.toml` or rule `.yaml` file changes or is saved.
- warm start: spaCy and the rules load once, in the lint thread, right after `initialize`.
- bad input (a huge or binary buffer, broken front matter or configuration) becomes a
  diagnostic and a window/logMessage; every handler is guarded, so nothing crashes the server.

All linting goes through `poalint.lsp_adapter.Linting`, the one seam to the project's code.
spaCy is never imported by importing this module.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import re
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote

try:
    from lsprotocol import types as T
    from pygls.lsp.server import LanguageServer
    from pygls.uris import from_fs_path
except ImportError as exc:  # pragma: no cover - the lsp extra is not installed
    raise ImportError(f"poalint's language server needs pygls and lsprotocol: pip install 'poalint[lsp]' ({exc})"
                      ) from exc

from poalint import __version__
from poalint.lsp_adapter import Linting, LintOutcome
from poalint.model import Finding, Severity

SOURCE = "poalint"
LANGUAGES = frozenset({"markdown", "plaintext", "text", ""})  # "text": Neovim's and Helix's name for .txt
SUFFIXES = (".md", ".markdown", ".txt")
CONFIG_NAMES = frozenset({".poalint.yaml", ".poalint.yml", "pyproject.toml"})
DEBOUNCE_MS = 300
WATCH_GLOBS = ("**/.poalint.yaml", "**/.poalint.yml", "**/pyproject.toml", "**/*.yaml")
SEVERITY = {Severity.ERROR: T.DiagnosticSeverity.Error, Severity.WARNING: T.DiagnosticSeverity.Warning,
            Severity.INFO: T.DiagnosticSeverity.Information}
_NEWLINE = re.compile(r"\r\n|\r|\n")  # the LSP's line ends (pygls' `lines` also splits on \f, \v, \u2028 ...)
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(?:.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_WHERE = re.compile(r"^(?P<file>.+?\.(?:ya?ml|toml))(?::(?P<line>\d+))?: (?P<msg>.*)$", re.DOTALL)

log = logging.getLogger("poalint.lsp")


class PoalintServer(LanguageServer):
    """pygls' server plus poalint's state: the adapter, one lint thread, and per-document results."""

    def __init__(self, linting: Linting | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__("poalint", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.linting = linting or Linting()
        self.debounce = debounce_ms / 1000
        # NOTE: one thread does all linting (spaCy, the rule matchers): lints queue behind the warm-up.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="poalint-lint")
        self.results: dict[str, tuple[int | None, LintOutcome]] = {}  # uri -> (version, outcome) last published
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.last_change: dict[str, float] = {}
        self.logged: set[str] = set()
        self.ready = False

    # ---- small helpers ---------------------------------------------------------------

    def log(self, message: str, kind: T.MessageType = T.MessageType.Info) -> None:
        log.info("%s", message)
        try:
            self.window_log_message(T.LogMessageParams(type=kind, message=f"poalint: {message}"))
        except Exception:
            log.debug("cannot send a log message", exc_info=True)

    def log_once(self, message: str, kind: T.MessageType = T.MessageType.Warning) -> None:
        if message not in self.logged:
            self.logged.add(message)
            self.log(message, kind)

    def document(self, uri: str) -> Any:
        """The open document, or None (never read from disk: pygls would)."""
        return self.workspace.text_documents.get(unquote(uri))

    def attached(self, doc: Any) -> bool:
        """Letters only: .md / .markdown / .txt files (markdown or plain-text), or unsaved markdown/plain buffers."""
        language = (doc.language_id or "").lower()
        if language not in LANGUAGES:
            return False
        if doc.uri.startswith("file:"):
            return (doc.path or "").lower().endswith(SUFFIXES)
        return bool(language)

    def where(self, doc: Any) -> tuple[str, Path]:
        """(letter path, folder configuration is found from) for a document."""
        if doc.uri.startswith("file:") and doc.path:
            path = Path(doc.path)
            return str(path), path.parent
        root = self.workspace.root_path
        folder = Path(root) if root else Path.cwd()
        name = "untitled.md" if (doc.language_id or "").lower() == "markdown" else "untitled.txt"
        return str(folder / name), folder

    # ---- linting -------------------------------------------------------------------

    def schedule(self, uri: str, immediate: bool = False) -> None:
        """Lint `uri` soon: at once after a quiet spell (or when asked), else when the typing pauses."""
        now = time.monotonic()
        quiet = uri not in self.pending and now - self.last_change.get(uri, float("-inf")) >= self.debounce
        self.last_change[uri] = now
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()  # latest version wins; a lint already running in the thread finishes and is dropped
        delay = 0.0 if immediate or quiet else self.debounce
        task = asyncio.ensure_future(self._lint_later(uri, delay))
        self.pending[uri] = task

        def forget(done: asyncio.Task[None]) -> None:
            if self.pending.get(uri) is done:
                del self.pending[uri]

        task.add_done_callback(forget)

    async def _lint_later(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            doc = self.document(uri)
            if doc is None or not self.attached(doc):
                return
            version, text = doc.version, doc.source
            path, folder = self.where(doc)
            loop = asyncio.get_running_loop()
            outcome, sources = await loop.run_in_executor(self.executor, self._lint_job, text, path, folder)
            doc = self.document(uri)
            if doc is None or doc.version != version:
                return  # a newer version is on its way: these results are stale
            self.publish(uri, version, text, outcome, sources)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - one failed lint must not take the server down
            self.log(f"linting {uri} failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}",
                     T.MessageType.Error)

    def _lint_job(self, text: str, path: str, folder: Path) -> tuple[LintOutcome, dict[str, str | None]]:
        """In the lint thread: the outcome, and the definition file of each rule that fired (for codeDescription)."""
        outcome = self.linting.lint(text, path, folder)
        return outcome, {r: self.linting.rule_source(r, folder) for r in {f.rule for f in outcome.findings}}

    def publish(self, uri: str, version: int | None, text: str, outcome: LintOutcome,
                sources: dict[str, str | None]) -> None:
        self.results[uri] = (version, outcome)
        lines = _NEWLINE.split(text)
        bom = 1 if text.startswith("\ufeff") else 0
        diagnostics = [self.diagnostic(f, lines, bom, sources.get(f.rule)) for f in outcome.findings]
        for error in outcome.errors:
            diagnostics.append(self.error_diagnostic(error, uri, lines))
            self.log_once(error)
        for warning in outcome.warnings:
            self.log_once(warning, T.MessageType.Info)
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, version=version,
                                                                          diagnostics=diagnostics))

    def relint_all(self) -> None:
        for uri, doc in list(self.workspace.text_documents.items()):
            if self.attached(doc):
                self.schedule(doc.uri if doc.uri else uri, immediate=True)

    def reload(self, why: str) -> None:
        self.logged.clear()
        # NOTE: in the lint thread, so a lint never sees half a reload
        self.executor.submit(self.linting.reload)
        self.log(f"configuration reloaded ({why})")
        self.relint_all()

    # ---- findings -> LSP ---------------------------------------------------------------

    def position(self, lines: list[str], line: int, column: int, bom: int = 0) -> T.Position:
        """poalint's 1-based line and code-point column -> an LSP position in the negotiated encoding."""
        i = min(max(line - 1, 0), max(len(lines) - 1, 0))
        text = lines[i] if lines else ""
        col = min(max(column - 1 + (bom if i == 0 else 0), 0), len(text))
        return T.Position(line=i, character=self.workspace.position_codec.client_num_units(text[:col]))

    def range_of(self, f: Finding, lines: list[str], bom: int = 0) -> T.Range:
        start = self.position(lines, f.line, f.column, bom)
        end = self.position(lines, f.end_line, f.end_column, bom)
        if (end.line, end.character) <= (start.line, start.character):  # a finding about the whole letter
            line = lines[start.line] if lines else ""
            end = T.Position(line=start.line, character=self.workspace.position_codec.client_num_units(line))
        return T.Range(start=start, end=end)

    def diagnostic(self, f: Finding, lines: list[str], bom: int, source: str | None) -> T.Diagnostic:
        return T.Diagnostic(
            range=self.range_of(f, lines, bom),
            message=f"{f.message}\nFix: {f.fix}" if f.fix else f.message,
            severity=SEVERITY.get(f.severity, T.DiagnosticSeverity.Warning),
            code=f.rule,
            code_description=T.CodeDescription(href=from_fs_path(source)) if source else None,
            source=SOURCE,
            tags=[T.DiagnosticTag.Unnecessary] if f.rule == "unused-suppression" else None,
            data={"rule": f.rule, "category": f.category, "fix": f.fix, "excerpt": f.excerpt},
        )

    def error_diagnostic(self, error: str, uri: str, lines: list[str]) -> T.Diagnostic:
        """A one-line error ("path:line: what") as a diagnostic: on its line for the letter, on line 1 otherwise."""
        doc = self.document(uri)
        path = self.where(doc)[0] if doc is not None else ""
        line, message, related = 0, error, None
        m = re.match(rf"^{re.escape(path)}(?::(\d+))?: (.*)$", error, re.DOTALL) if path else None
        if m:
            line, message = (int(m.group(1)) - 1 if m.group(1) else 0), m.group(2)
        elif (w := _WHERE.match(error)) is not None:  # the configuration or a rule file
            at = max(int(w.group("line") or 1) - 1, 0)
            message = f"configuration error: {error}"
            related = [T.DiagnosticRelatedInformation(
                location=T.Location(uri=from_fs_path(w.group("file")) or w.group("file"),
                                    range=T.Range(start=T.Position(line=at, character=0),
                                                  end=T.Position(line=at, character=0))),
                message=w.group("msg"))]
        line = min(max(line, 0), max(len(lines) - 1, 0))
        width = self.workspace.position_codec.client_num_units(lines[line]) if lines else 0
        return T.Diagnostic(range=T.Range(start=T.Position(line=line, character=0),
                                          end=T.Position(line=line, character=width)),
                            message=message, severity=T.DiagnosticSeverity.Error, code="poalint-error",
                            source=SOURCE, related_information=related)

    # ---- hover ------------------------------------------------------------------------

    def hover(self, uri: str, pos: T.Position) -> T.Hover | None:
        doc = self.document(uri)
        got = self.results.get(uri)
        if doc is None or got is None:
            return None
        text = doc.source
        lines = _NEWLINE.split(text)
        bom = 1 if text.startswith("\ufeff") else 0
        _path, folder = self.where(doc)
        hits = [(f, r) for f in got[1].findings
                if _contains(r := self.range_of(f, lines, bom), pos)]
        if not hits:
            return None
        markdown = self._markdown_hover()
        parts = []
        for f, _r in hits:
            explanation = self.linting.explain(f.rule, folder).rstrip()
            if markdown:
                parts.append(f"**{f.rule}** ({f.category}, {f.severity})\n\n{_md(f.message)}\n\n"
                             f"**Fix:** {_md(f.fix)}\n\n```text\n{explanation}\n```")
            else:
                parts.append(f"{f.rule} ({f.category}, {f.severity})\n{f.message}\nFix: {f.fix}\n\n{explanation}")
        kind = T.MarkupKind.Markdown if markdown else T.MarkupKind.PlainText
        sep = "\n\n---\n\n" if markdown else "\n\n"
        return T.Hover(contents=T.MarkupContent(kind=kind, value=sep.join(parts)), range=hits[0][1])

    def _markdown_hover(self) -> bool:
        caps = self.client_capabilities
        hover = caps.text_document.hover if caps and caps.text_document else None
        formats = hover.content_format if hover else None
        return not formats or T.MarkupKind.Markdown in formats

    # ---- code actions ------------------------------------------------------------------

    def code_actions(self, params: T.CodeActionParams) -> list[T.CodeAction]:
        uri = params.text_document.uri
        doc = self.document(uri)
        if doc is None or not self.attached(doc):
            return []
        text = doc.source
        lines = _NEWLINE.split(text)
        actions: list[T.CodeAction] = []
        seen_file: set[str] = set()
        for d in params.context.diagnostics:
            if d.source != SOURCE or not isinstance(d.code, str) or d.code == "poalint-error":
                continue
            rule = d.code
            data = d.data if isinstance(d.data, dict) else {}
            actions += self.quick_fixes(uri, doc, lines, d, rule, data)
            actions.append(self._action(f"Suppress {rule} on this line", d, uri,
                                        [self.suppress_line_edit(lines, d.range.start.line, rule)]))
            if rule not in seen_file:
                seen_file.add(rule)
                actions.append(self._action(f"Suppress {rule} in this file", d, uri,
                                            [self.suppress_file_edit(text, rule)]))
        only = params.context.only
        if only:
            wanted = [str(getattr(k, "value", k)) for k in only]  # "quickfix", "quickfix.x", ...
            actions = [a for a in actions if any(str(getattr(a.kind, "value", a.kind)).startswith(w) for w in wanted)]
        return actions

    def _action(self, title: str, d: T.Diagnostic, uri: str, edits: list[T.TextEdit],
                preferred: bool = False) -> T.CodeAction:
        return T.CodeAction(title=title, kind=T.CodeActionKind.QuickFix, diagnostics=[d],
                            edit=T.WorkspaceEdit(changes={uri: edits}), is_preferred=preferred or None)

    def suppress_line_edit(self, lines: list[str], line: int, rule: str) -> T.TextEdit:
        """`<!-- poalint-disable-next-line RULE -->` on its own line above the finding's line, or, when that
        line continues a paragraph (a comment line would split it), at the end of the line before."""
        comment = f"<!-- poalint-disable-next-line {rule} -->"
        line = min(max(line, 0), max(len(lines) - 1, 0))
        previous = lines[line - 1] if line > 0 else ""
        target = lines[line] if lines else ""
        starts_block = not previous.strip() or re.match(r"\s*(?:[-*+]\s|\d+[.)]\s|#|>)", target) is not None
        if line == 0 or starts_block:
            indent = re.match(r"[ \t]*", target).group(0)  # type: ignore[union-attr]
            at = T.Position(line=line, character=0)
            return T.TextEdit(range=T.Range(start=at, end=at), new_text=f"{indent}{comment}\n")
        end = T.Position(line=line - 1, character=self.workspace.position_codec.client_num_units(previous))
        return T.TextEdit(range=T.Range(start=end, end=end), new_text=f" {comment}")

    def suppress_file_edit(self, text: str, rule: str) -> T.TextEdit:
        """`<!-- poalint-disable-file RULE -->` as the first line of the letter (below any front matter)."""
        m = _FRONT_MATTER.match(text)
        line = len(_NEWLINE.split(m.group(0))) - 1 if m else 0
        if m and not m.group(0).endswith(("\n", "\r")):  # front matter without a line end after it
            return T.TextEdit(range=T.Range(start=T.Position(line=line, character=len(_NEWLINE.split(text)[line])),
                                            end=T.Position(line=line, character=len(_NEWLINE.split(text)[line]))),
                              new_text=f"\n<!-- poalint-disable-file {rule} -->")
        at = T.Position(line=line, character=0)
        return T.TextEdit(range=T.Range(start=at, end=at), new_text=f"<!-- poalint-disable-file {rule} -->\n")

    def quick_fixes(self, uri: str, doc: Any, lines: list[str], d: T.Diagnostic, rule: str,
                    data: dict[str, Any]) -> list[T.CodeAction]:
        r = d.range
        if r.start.line != r.end.line or r.start.line >= len(lines):
            return []
        line = lines[r.start.line]
        codec = self.workspace.position_codec
        server = codec.range_from_client_units(lines, r)
        a, b = server.start.character, server.end.character
        snippet = line[a:b]
        if not snippet.strip():
            return []
        if rule == "external-link":
            # the link and one space before it; a trailing sentence stop stays
            a2 = a - 1 if a > 0 and line[a - 1] == " " and (b == len(line) or not line[b].isalnum()) else a
            start = T.Position(line=r.start.line, character=codec.client_num_units(line[:a2]))
            edit = T.TextEdit(range=T.Range(start=start, end=r.end), new_text="")
            return [self._action(f"Remove the link {_short(snippet)}", d, uri, [edit], preferred=True)]
        if rule == "placeholder":
            out = [self._action(f"Delete the placeholder {_short(snippet)}", d, uri,
                                [T.TextEdit(range=r, new_text="")])]
            if self._snippet_edits():
                label = re.sub(r"[^\w .,'/-]", "", snippet).strip() or "value"
                fill = T.TextDocumentEdit(
                    text_document=T.OptionalVersionedTextDocumentIdentifier(uri=uri, version=doc.version),
                    edits=[T.SnippetTextEdit(range=r, snippet=T.StringValue(value=f"${{1:{_escape(label)}}}"))])
                out.insert(0, T.CodeAction(title=f"Fill in {_short(snippet)}", kind=T.CodeActionKind.QuickFix,
                                           diagnostics=[d], edit=T.WorkspaceEdit(document_changes=[fill]),
                                           is_preferred=True))
            return out
        if rule == "unused-suppression" and snippet.lstrip().startswith("<!--"):
            if line.strip() == snippet.strip():  # the comment is the whole line: delete the line
                nxt = r.start.line + 1
                rng = T.Range(start=T.Position(line=r.start.line, character=0),
                              end=T.Position(line=nxt, character=0) if nxt < len(lines) else r.end)
            else:
                rng = r
            return [self._action("Delete the unused suppression comment", d, uri,
                                 [T.TextEdit(range=rng, new_text="")], preferred=True)]
        return []

    def _snippet_edits(self) -> bool:
        caps = self.client_capabilities
        ws = caps.workspace if caps else None
        edit = ws.workspace_edit if ws else None
        return bool(edit and edit.snippet_edit_support and edit.document_changes)


def _contains(r: T.Range, p: T.Position) -> bool:
    return (r.start.line, r.start.character) <= (p.line, p.character) <= (r.end.line, r.end.character)


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return f"'{flat}'" if len(flat) <= limit else f"'{flat[: limit - 1]}\u2026'"


def _escape(text: str) -> str:
    return re.sub(r"([$}\\])", r"\\\1", text)


# ---------------------------------------------------------------- handlers


def _guard(name: str, default: Any = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Every handler: an exception is logged to the client and the server goes on."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def report(server: PoalintServer, exc: Exception) -> Any:
            log.exception("%s failed", name)
            server.log(f"{name} failed: {type(exc).__name__}: {exc}", T.MessageType.Error)
            return default

        if asyncio.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def run_async(server: PoalintServer, params: Any) -> Any:
                try:
                    return await fn(server, params)
                except Exception as exc:  # noqa: BLE001
                    return report(server, exc)
            return run_async

        @functools.wraps(fn)
        def run(server: PoalintServer, params: Any) -> Any:
            try:
                return fn(server, params)
            except Exception as exc:  # noqa: BLE001
                return report(server, exc)
        return run

    return wrap


def _is_config(uri: str) -> bool:
    name = unquote(uri).rsplit("/", 1)[-1]
    return name in CONFIG_NAMES or name.endswith((".yaml", ".yml"))


def build(linting: Linting | None = None, debounce_ms: int = DEBOUNCE_MS) -> PoalintServer:
    """A server with every feature registered (not started)."""
    server = PoalintServer(linting, debounce_ms)

    @server.feature(T.INITIALIZE)
    @_guard("initialize")
    def initialize(ls: PoalintServer, params: T.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        if isinstance(options.get("debounceMs"), (int, float)) and options["debounceMs"] >= 0:
            ls.debounce = options["debounceMs"] / 1000
        if isinstance(options.get("maxFileSize"), int) and options["maxFileSize"] > 0:
            ls.linting.max_bytes = options["maxFileSize"]
        started = time.monotonic()

        def warmed(fut: asyncio.Future[None]) -> None:  # in the event loop: only it writes to the client
            exc = fut.exception() if not fut.cancelled() else None
            if exc is not None:  # a broken install still answers, with an error per lint
                ls.log(f"warm-up failed: {type(exc).__name__}: {exc}", T.MessageType.Error)
            elif not fut.cancelled():
                ls.ready = True
                ls.log(f"spaCy and the rules loaded in {time.monotonic() - started:.2f} s")

        # initialize answers at once; spaCy and the rules load in the lint thread, and lints queue behind them
        root = ls.workspace.root_path
        asyncio.get_running_loop().run_in_executor(
            ls.executor, ls.linting.warm, Path(root) if root else None).add_done_callback(warmed)

    @server.feature(T.INITIALIZED)
    @_guard("initialized")
    def initialized(ls: PoalintServer, params: T.InitializedParams) -> None:
        caps = ls.client_capabilities
        watched = caps.workspace.did_change_watched_files if caps and caps.workspace else None
        if watched and watched.dynamic_registration:
            options = T.DidChangeWatchedFilesRegistrationOptions(
                watchers=[T.FileSystemWatcher(glob_pattern=g) for g in WATCH_GLOBS])
            fut = ls.client_register_capability(T.RegistrationParams(registrations=[
                T.Registration(id="poalint-config-watch", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=options)]))
            if fut is not None:  # a client that refuses: saves of the configuration still reload it
                fut.add_done_callback(lambda f: f.cancelled() or f.exception())

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    @_guard("didOpen")
    def did_open(ls: PoalintServer, params: T.DidOpenTextDocumentParams) -> None:
        doc = ls.document(params.text_document.uri)
        if doc is not None and ls.attached(doc):
            ls.schedule(params.text_document.uri, immediate=True)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    @_guard("didChange")
    def did_change(ls: PoalintServer, params: T.DidChangeTextDocumentParams) -> None:
        doc = ls.document(params.text_document.uri)
        if doc is not None and ls.attached(doc):
            ls.schedule(params.text_document.uri)

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    @_guard("didSave")
    def did_save(ls: PoalintServer, params: T.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if _is_config(uri):
            ls.reload(f"{unquote(uri).rsplit('/', 1)[-1]} saved")
            return
        doc = ls.document(uri)
        if doc is not None and ls.attached(doc):
            ls.schedule(uri, immediate=True)

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    @_guard("didClose")
    def did_close(ls: PoalintServer, params: T.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        if ls.results.pop(uri, None) is not None:
            ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        ls.last_change.pop(uri, None)

    @server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @_guard("didChangeWatchedFiles")
    def watched(ls: PoalintServer, params: T.DidChangeWatchedFilesParams) -> None:
        names = sorted({unquote(c.uri).rsplit("/", 1)[-1] for c in params.changes if _is_config(c.uri)})
        if names:
            ls.reload(f"{', '.join(names)} changed")

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    @_guard("hover")
    async def hover(ls: PoalintServer, params: T.HoverParams) -> T.Hover | None:
        loop = asyncio.get_running_loop()
        # explanations come from the rule set: read it in the lint thread, never in the event loop
        return await loop.run_in_executor(ls.executor, ls.hover, params.text_document.uri, params.position)

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                    T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix], resolve_provider=False))
    @_guard("codeAction", default=[])
    def code_action(ls: PoalintServer, params: T.CodeActionParams) -> list[T.CodeAction]:
        return ls.code_actions(params)

    @server.feature(T.SHUTDOWN)
    @_guard("shutdown")
    def shutdown(ls: PoalintServer, params: Any) -> None:
        for task in list(ls.pending.values()):
            task.cancel()
        ls.pending.clear()
        ls.executor.shutdown(wait=False, cancel_futures=True)

    return server


def main(argv: list[str] | None = None) -> None:
    """`python -m poalint.lsp` / `poalint server`: serve the Language Server Protocol on stdin / stdout."""
    parser = argparse.ArgumentParser(prog="poalint server", description="poalint's language server (stdio).")
    parser.add_argument("--debounce-ms", type=int, default=DEBOUNCE_MS,
                        help="wait this long after a burst of changes before linting (default %(default)s)")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="what the server writes to stderr (default %(default)s)")
    parser.add_argument("--version", action="version", version=f"poalint {__version__}")
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=getattr(logging, args.log_level),
                        format="poalint-lsp %(levelname)s %(name)s: %(message)s")
    build(debounce_ms=max(0, args.debounce_ms)).start_io()


if __name__ == "__main__":
    main()
