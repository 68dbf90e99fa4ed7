"""How fast the language server answers an editor, on a ~600-word letter.

    python benchmarks/lsp_latency.py [--changes 20] [--debounce-ms 300]

Starts `python -m poalint.lsp` as an editor does (stdio, pygls' own client) and prints:

- initialize: spawn -> initialize result (spaCy loads afterwards, in the background);
- first diagnostics, cold: didOpen sent right after `initialized` -> publishDiagnostics
  (includes whatever is left of the warm-up);
- first diagnostics, warm: didOpen of another letter once the server is warm -> publishDiagnostics;
- warm change: didChange (one incremental keystroke, after a pause) -> publishDiagnostics of that
  version, median and 90th percentile of N changes;
- burst: five keystrokes 40 ms apart -> publishDiagnostics of the last one (the debounce
  waits for the pause, then lints once);
- lint only: the adapter's `Linting.lint` in this process, no protocol (the floor).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as T
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
EXTRA = """
## Communication with buyers

Since March 7, 2026 every buyer message that mentions size, volume or water gets an answer
from Lena Vogt within 24 hours, and each answer quotes the measured volume of 34 liters and the
rain cover that comes with the pack. We keep a log of these messages in our order system, and on
the last Friday of each month I read the log with Lena and decide whether the listing, the
photos or the packaging insert need a change. The insert now shows the volume, the test method
and a photo of the pack next to a 30-liter and a 40-liter pack, so that buyers can compare before
they use it on a trip. On March 9, 2026 we also added the same comparison photo to the listing.
"""


def letter_text() -> str:
    text = (ROOT / "examples" / "strong.md").read_text(encoding="utf-8")
    return text.replace("\n## Supporting documents", EXTRA + "\n## Supporting documents", 1)


def position_of(text: str, needle: str) -> T.Position:
    offset = text.index(needle)
    line = text.count("\n", 0, offset)
    return T.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


class Timer:
    """Waits for the publishDiagnostics of one (uri, version)."""

    def __init__(self) -> None:
        self.waiting: dict[tuple[str, int | None], asyncio.Future[float]] = {}
        self.any: dict[str, asyncio.Future[float]] = {}

    def expect(self, uri: str, version: int | None) -> asyncio.Future[float]:
        fut = asyncio.get_running_loop().create_future()
        self.waiting[(uri, version)] = fut
        return fut

    def got(self, params: T.PublishDiagnosticsParams) -> None:
        now = time.perf_counter()
        fut = self.waiting.pop((params.uri, params.version), None)
        if fut is not None and not fut.done():
            fut.set_result(now)


async def run(changes: int, debounce_ms: int) -> dict[str, object]:
    timer = Timer()
    client = LanguageClient("poalint-benchmark", "1")

    @client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: T.PublishDiagnosticsParams) -> None:
        timer.got(params)

    @client.feature(T.WINDOW_LOG_MESSAGE)
    def logged(params: T.LogMessageParams) -> None:
        pass

    folder = Path(tempfile.mkdtemp(prefix="poalint-lsp-bench-"))
    text = letter_text()
    out: dict[str, object] = {"words": len(text.split())}
    started = time.perf_counter()
    await client.start_io(sys.executable, "-m", "poalint.lsp", "--debounce-ms", str(debounce_ms))
    await client.initialize_async(T.InitializeParams(capabilities=T.ClientCapabilities(),
                                                     root_uri=folder.as_uri()))
    out["initialize_ms"] = (time.perf_counter() - started) * 1000
    client.initialized(T.InitializedParams())

    async def open_doc(name: str) -> tuple[str, float]:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        fut = timer.expect(uri, 1)
        sent = time.perf_counter()
        client.text_document_did_open(T.DidOpenTextDocumentParams(
            text_document=T.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))
        return uri, (await asyncio.wait_for(fut, 120) - sent) * 1000

    uri, out["first_cold_ms"] = await open_doc("letter.md")
    _other, out["first_warm_ms"] = await open_doc("other.md")

    at = position_of(text, "June 1, 2026")
    digit = T.Position(line=at.line, character=at.character + 5)
    version = 1

    def keystroke(ch: str) -> int:
        nonlocal version
        version += 1
        client.text_document_did_change(T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[T.TextDocumentContentChangePartial(
                range=T.Range(start=digit, end=T.Position(line=digit.line, character=digit.character + 1)),
                text=ch)]))
        return version

    pause = debounce_ms / 1000 + 0.1
    warm: list[float] = []
    for i in range(changes):
        await asyncio.sleep(pause)  # the writer stops typing for a moment
        fut = timer.expect(uri, version + 1)
        sent = time.perf_counter()
        keystroke(str(1 + i % 9))
        warm.append((await asyncio.wait_for(fut, 60) - sent) * 1000)
    out["change_ms"] = warm

    bursts: list[float] = []
    for i in range(max(3, changes // 4)):
        await asyncio.sleep(pause)
        for j in range(4):
            keystroke(str((i + j) % 9 + 1))
            await asyncio.sleep(0.04)
        fut = timer.expect(uri, version + 1)
        sent = time.perf_counter()
        keystroke(str(i % 9 + 1))
        bursts.append((await asyncio.wait_for(fut, 60) - sent) * 1000)
    out["burst_ms"] = bursts

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return out


def lint_only(changes: int) -> list[float]:
    from poalint.lsp_adapter import Linting

    linting = Linting()
    linting.warm()
    folder = Path(tempfile.mkdtemp(prefix="poalint-lsp-bench-"))
    text = letter_text()
    times = []
    for i in range(changes):
        t = time.perf_counter()
        linting.lint(text.replace("June 1, 2026", f"June {1 + i % 9}, 2026"), str(folder / "letter.md"), folder)
        times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--debounce-ms", type=int, default=300)
    args = parser.parse_args()
    got = asyncio.run(run(args.changes, args.debounce_ms))
    floor = lint_only(args.changes)

    def med(values: object) -> str:
        v = sorted(values)  # type: ignore[call-overload]
        p90 = v[min(len(v) - 1, round(0.9 * (len(v) - 1)))]
        return f"median {statistics.median(v):6.1f} ms   p90 {p90:6.1f} ms   (n={len(v)})"

    print(f"letter: {got['words']} words; debounce {args.debounce_ms} ms; python {sys.version.split()[0]}")
    print(f"initialize (spawn -> result)            {got['initialize_ms']:6.1f} ms")
    print(f"first diagnostics, open at once (cold)  {got['first_cold_ms']:6.1f} ms")
    print(f"first diagnostics, open when warm       {got['first_warm_ms']:6.1f} ms")
    print(f"warm change (keystroke after a pause)   {med(got['change_ms'])}")
    print(f"burst (5 keys, 40 ms apart) -> last     {med(got['burst_ms'])}")
    print(f"lint only (adapter, no protocol)        {med(floor)}")


if __name__ == "__main__":
    main()
