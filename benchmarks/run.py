"""Benchmark poalint against its floor (spaCy) and its peers (proselint, write-good, Vale) on generated letters.

    python benchmarks/run.py [--letters 1000] [--big 10000] [--no-peers] [--write docs/performance.md]

Public tools only: wall time from Python's clock around each command, peak memory from
`/usr/bin/time -f %M` (GNU time) when it is installed. Every figure comes from the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from letters import generate  # noqa: E402

GNU_TIME = "/usr/bin/time"
CPU: dict[str, list[float]] = {}  # command -> CPU seconds of each run (the one piece of state of this script)
FLOOR_IMPORT = "import spacy; spacy.blank('en')"
FLOOR_TOKENIZE = ("import sys, pathlib, spacy\nnlp = spacy.blank('en')\nfor _ in nlp.pipe(p.read_text() for p in "
                  "sorted(pathlib.Path(sys.argv[1]).iterdir())): pass\n")


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, memory: bool = False) -> tuple[float, int]:
    """(wall seconds, peak RSS in KB or 0) of one command; output is discarded. CPU seconds (user + system,
    worker processes included) are added to CPU[cmd[-1]]: on a shared machine they move less than wall time."""
    rss_file = None
    if memory and Path(GNU_TIME).exists():
        rss_file = tempfile.NamedTemporaryFile(suffix=".rss", delete=False)  # noqa: SIM115
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file.name, *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env={**os.environ, "NO_COLOR": "1", **(env or {})}, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(" ".join(cmd[-4:]), []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    rss = 0
    if rss_file is not None:
        text = Path(rss_file.name).read_text().strip().splitlines()
        rss = int(text[-1]) if text and text[-1].isdigit() else 0
        os.unlink(rss_file.name)
    return wall, rss


def best(cmd: list[str], cwd: Path, runs: int = 3, **kw: object) -> float:
    """Median of `runs` timings: the machine may be busy, one slow run should not decide."""
    return statistics.median(measure(cmd, cwd, **kw)[0] for _ in range(runs))  # type: ignore[arg-type]


def cpu(cmd: list[str]) -> float:
    """Median CPU seconds of the runs of `cmd` so far."""
    return statistics.median(CPU.get(" ".join(cmd[-4:]), [0.0]))


def poalint_cmd() -> list[str]:
    script = Path(sys.executable).parent / "poalint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "poalint"]


def peers(folder: Path, files: list[str], work: Path) -> dict[str, tuple[float | None, str]]:
    """proselint (PyPI, in its own venv) and write-good (npm, in a temp folder); Vale only if on PATH."""
    out: dict[str, tuple[float | None, str]] = {}
    venv = work / "proselint-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "proselint"], check=True, capture_output=True)
        exe = str(venv / "bin" / "proselint")
        version = subprocess.run([str(venv / "bin" / "pip"), "show", "proselint"], capture_output=True, text=True)
        shown = next((ln for ln in version.stdout.splitlines() if ln.startswith("Version")), "Version: ?")
        args = [exe, "check", *files] if _has_check(exe) else [exe, *files]  # 0.16 has commands, older not
        out["proselint"] = (best(args, folder, runs=1), f"proselint {shown.split(':', 1)[1].strip()}")
    except (subprocess.CalledProcessError, OSError, IndexError) as exc:
        out["proselint"] = (None, f"could not be installed or run ({exc})")
    npm = shutil.which("npm")
    if npm:
        node_dir = work / "write-good"
        node_dir.mkdir(exist_ok=True)
        try:
            subprocess.run([npm, "install", "--silent", "--prefix", str(node_dir), "write-good"], check=True,
                           capture_output=True)
            exe = str(node_dir / "node_modules" / ".bin" / "write-good")
            out["write-good"] = (best([exe, *files], folder, runs=1), "npm write-good")
        except (subprocess.CalledProcessError, OSError) as exc:
            out["write-good"] = (None, f"could not be installed or run ({exc})")
    else:
        out["write-good"] = (None, "npm is not installed")
    vale = shutil.which("vale")
    if vale:
        out["Vale"] = (best([vale, *files], folder, runs=1), "vale on PATH")
    else:
        out["Vale"] = (None, "no `vale` binary on PATH (its PyPI wrapper downloads the binary on first run, "
                             "which cannot work offline), so Vale was not measured")
    return out


def _has_check(exe: str) -> bool:
    help_text = subprocess.run([exe, "--help"], capture_output=True, text=True).stdout
    return "check " in help_text or "{check" in help_text or "\n    check" in help_text


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import spacy

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cpu}, {cpus} CPUs{mem}; {platform.system()} {platform.release()}; Python "
            f"{platform.python_version()}; spaCy {spacy.__version__}; load average at start "
            f"{os.getloadavg()[0]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--letters", type=int, default=1000)
    ap.add_argument("--big", type=int, default=10000, help="letters for the second memory figure (0: skip)")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--write", metavar="FILE", help="also write the results table (markdown) to FILE")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="poalint-bench-"))
    (work / "pyproject.toml").write_text("", encoding="utf-8")  # the project root: the cache lives here
    folder = work / "letters"
    generate(folder, args.letters)
    files = sorted(p.name for p in folder.iterdir())
    one = folder / files[0]
    py, pl = sys.executable, poalint_cmd()
    n = args.letters
    rows: list[tuple[str, str, str]] = []

    floor_import = best([py, "-c", FLOOR_IMPORT], work)
    floor_tok = best([py, "-c", FLOOR_TOKENIZE, str(folder)], work)
    click_yaml = best([py, "-c", "import click, yaml"], work)
    cold = best([*pl, "--no-cache", str(one)], work)
    j1 = best([*pl, "--no-cache", "-q", "--jobs", "1", "letters"], work, runs=1)
    j2 = best([*pl, "--no-cache", "-q", "--jobs", "2", "letters"], work, runs=1)
    measure([*pl, "-q", "--jobs", "2", "letters"], work)  # fill the cache
    hits = best([*pl, "-q", "letters"], work)
    _, mem_n = measure([*pl, "--no-cache", "-q", "--jobs", "1", "letters"], work, memory=True)
    mem_big = 0
    if args.big:
        big = work / "big"
        generate(big / "letters", args.big, seed=7)
        (big / "pyproject.toml").write_text("", encoding="utf-8")
        _, mem_big = measure([*pl, "--no-cache", "-q", "--jobs", "1", "letters"], big, memory=True)

    def ok(flag: bool) -> str:
        return "met" if flag else "MISSED"

    c_import, c_tok = cpu([py, "-c", FLOOR_IMPORT]), cpu([py, "-c", FLOOR_TOKENIZE, str(folder)])
    c_cy, c_cold = cpu([py, "-c", "import click, yaml"]), cpu([*pl, "--no-cache", str(one)])
    c_j1, c_hits = cpu([*pl, "--no-cache", "-q", "--jobs", "1", "letters"]), cpu([*pl, "-q", "letters"])
    rows.append(("floor: `import spacy; spacy.blank('en')`", f"{floor_import:.2f} s (CPU {c_import:.2f} s)", ""))
    rows.append((f"floor: import + blank('en') tokenizing {n} letters", f"{floor_tok:.2f} s (CPU {c_tok:.2f} s)",
                 ""))
    rows.append(("bare `python -c 'import click, yaml'`", f"{click_yaml:.2f} s (CPU {c_cy:.2f} s)", ""))
    rows.append(("CPU-time ratios (same targets)", f"cold {c_cold / c_import:.2f}x; jobs 1 {c_j1 / c_tok:.2f}x; "
                 f"cache hits {c_hits / c_cy:.2f}x", "on a busy machine these move less than wall time"))
    rows.append(("(a) one letter, cold (`--no-cache`)", f"{cold:.2f} s = {cold / floor_import:.2f}x import floor",
                 f"<= 1.3x: {ok(cold <= 1.3 * floor_import)}"))
    rows.append((f"(b) {n} letters, `--jobs 1`", f"{j1:.1f} s, {n / j1:.0f} letters/s = {j1 / floor_tok:.2f}x "
                 "tokenize floor", f"<= 3x floor: {ok(j1 <= 3 * floor_tok)}"))
    rows.append((f"(b) {n} letters, `--jobs 2`", f"{j2:.1f} s, {n / j2:.0f} letters/s = {j1 / j2:.2f}x faster",
                 f">= 1.6x: {ok(j1 / j2 >= 1.6)}"))
    rows.append((f"(c) {n} letters, all cache hits", f"{hits:.2f} s = {hits / click_yaml:.2f}x click+yaml",
                 f"<= 3x: {ok(hits <= 3 * click_yaml)}"))
    rows.append((f"(d) peak memory, {n} letters", f"{mem_n / 1024:.0f} MB" if mem_n else "n/a (no GNU time)", ""))
    if args.big:
        flat = mem_big and mem_n and mem_big <= mem_n * 1.15
        rows.append((f"(d) peak memory, {args.big} letters", f"{mem_big / 1024:.0f} MB" if mem_big else "n/a",
                     f"flat: {ok(bool(flat))}" if mem_big else ""))
    if not args.no_peers:
        for name, (secs, note) in peers(folder, files, work).items():
            if secs is None:
                rows.append((f"(f) {name}", "not measured", note))
            else:
                target = f" (poalint <= 0.7x: {ok(j1 <= 0.7 * secs)})" if name == "proselint" else ""
                rows.append((f"(f) {name}, {n} letters", f"{secs:.1f} s = {secs / j1:.2f}x poalint --jobs 1",
                             note + target))
    table = "| measure | result | target |\n| --- | --- | --- |\n" + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    text = f"Machine: {machine()}\n\n{table}\n"
    print(text)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
