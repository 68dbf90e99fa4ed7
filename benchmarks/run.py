"""Benchmark poalint against its floor (spaCy), yaml+click and proselint on generated letters, in one run.

    python benchmarks/run.py [--letters 200] [--words 600] [--runs 3] [--big-mb 2] [--no-peers] [--write results.md]

Every command runs --runs times; wall time (Python's clock) and CPU time (the children's user + system
time from getrusage, worker processes included) are shown as median and minimum. On a shared machine
CPU time is the steady figure. Also runs benchmarks/clauses_bench.py for the clause reader's ms/letter.
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
    subprocess.run(cmd, cwd=cwd, env=child_env(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(" ".join(cmd[-4:]), []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    rss = 0
    if rss_file is not None:
        text = Path(rss_file.name).read_text().strip().splitlines()
        rss = int(text[-1]) if text and text[-1].isdigit() else 0
        os.unlink(rss_file.name)
    return wall, rss


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The commands' environment: as a user's shell has it, so Python writes and reads its bytecode caches
    (an environment that sets PYTHONDONTWRITEBYTECODE would make every run compile poalint's source again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "NO_COLOR": "1", **(extra or {})}


def best(cmd: list[str], cwd: Path, runs: int = 3, **kw: object) -> float:
    """Median of `runs` timings: the machine may be busy, one slow run should not decide."""
    return statistics.median(measure(cmd, cwd, **kw)[0] for _ in range(runs))  # type: ignore[arg-type]


def cpu(cmd: list[str]) -> float:
    """Median CPU seconds of the runs of `cmd` so far."""
    return statistics.median(CPU.get(" ".join(cmd[-4:]), [0.0]))


def poalint_cmd() -> list[str]:
    script = Path(sys.executable).parent / "poalint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "poalint"]


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
            f"{platform.python_version()}; spaCy {spacy.__version__}")


def write_letters(folder: Path, n: int, words: int, seed: int = 9) -> list[str]:
    """`n` letters of about `words` words (generated letters joined, as benchmarks/clauses_bench.py does)."""
    from clauses_bench import texts

    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i, text in enumerate(texts(n, words, seed)):
        name = f"letter{i:04d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        names.append(name)
    return names


def write_big(path: Path, mb: float) -> Path:
    """One letter of just under `mb` MB: examples/strong.md repeated (the size limit is 2 MB)."""
    unit = (Path(__file__).resolve().parent.parent / "examples" / "strong.md").read_text(encoding="utf-8")
    path.write_text(unit * max(1, int(mb * 1024 * 1024 - 1) // len(unit.encode("utf-8"))), encoding="utf-8")
    return path


def timed(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float, float, float]:
    """(min wall, median wall, min CPU, median CPU) of `runs` runs."""
    walls, cpus = [], []
    for _ in range(runs):
        before = len(CPU.get(" ".join(cmd[-4:]), []))
        walls.append(measure(cmd, cwd)[0])
        cpus.append(CPU[" ".join(cmd[-4:])][before])
    return min(walls), statistics.median(walls), min(cpus), statistics.median(cpus)


def fmt(t: tuple[float, float, float, float]) -> str:
    return f"{t[1]:.2f} s (min {t[0]:.2f}) | {t[3]:.2f} s (min {t[2]:.2f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--letters", type=int, default=200)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--runs", type=int, default=3, help="repeats of each command (min and median are shown)")
    ap.add_argument("--no-peers", action="store_true", help="skip proselint")
    ap.add_argument("--big-mb", type=float, default=2.0, help="size of the one long letter timed (MB)")
    ap.add_argument("--write", metavar="FILE", help="also write the results table (markdown) to FILE")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="poalint-bench-"))
    (work / "pyproject.toml").write_text("", encoding="utf-8")  # the project root: the cache lives here
    n, runs = args.letters, args.runs
    files = write_letters(work / "letters", n, args.words)
    write_letters(work / "double", 2 * n, args.words, seed=11)
    one = work / "letters" / files[0]
    py, pl = sys.executable, poalint_cmd()
    results: dict[str, tuple[float, float, float, float]] = {}
    measure([*pl, "--no-cache", "-q", str(one)], work)  # bytecode of all of poalint written before timing
    load_before = os.getloadavg()
    results["floor"] = timed([py, "-c", FLOOR_IMPORT], work, runs)
    results["floor_tok"] = timed([py, "-c", FLOOR_TOKENIZE, "letters"], work, runs)
    results["yaml_click"] = timed([py, "-c", "import yaml, click"], work, runs)
    results["cold"] = timed([*pl, "--no-cache", "-q", str(one)], work, runs)
    results["j1"] = timed([*pl, "--no-cache", "-q", "--jobs", "1", "letters"], work, runs)
    measure([*pl, "-q", "--jobs", "1", "letters"], work)  # fill the result cache
    results["hits"] = timed([*pl, "-q", "--jobs", "1", "letters"], work, runs)
    results["d1"] = timed([*pl, "--no-cache", "-q", "--jobs", "1", "double"], work, runs)
    results["d2"] = timed([*pl, "--no-cache", "-q", "--jobs", "2", "double"], work, runs)
    big = write_big(work / "big.md", args.big_mb)
    results["big"] = timed([*pl, "--no-cache", "-q", str(big)], work, 1)
    prose_note = "not measured (--no-peers)"
    if not args.no_peers:
        got = proselint(work, runs)
        if isinstance(got, str):
            prose_note = got
        else:
            results["proselint"], prose_note = got
    clause = subprocess.run([py, str(Path(__file__).resolve().parent / "clauses_bench.py"), "--letters", "100",
                             "--words", str(args.words), "--repeat", "3"], capture_output=True, text=True)
    clause_line = next((ln.strip() for ln in clause.stdout.splitlines() if ln.startswith("read_clauses")),
                       "clauses_bench.py failed: " + clause.stderr.strip()[-200:])

    def ok(flag: bool) -> str:
        return "met" if flag else "MISSED"

    r = results
    w, c = (lambda k: r[k][1]), (lambda k: r[k][3])  # median wall, median CPU
    rows = [
        ("spaCy floor: `import spacy; spacy.blank('en')`", fmt(r["floor"]), ""),
        (f"spaCy floor: import, blank('en'), tokenizing the {n} letters", fmt(r["floor_tok"]), ""),
        ("`python -c 'import yaml, click'`", fmt(r["yaml_click"]), ""),
        ("one letter, cold (`--no-cache`)", fmt(r["cold"]),
         f"<= 1.3x floor: wall {w('cold') / w('floor'):.2f}x, CPU {c('cold') / c('floor'):.2f}x: "
         f"{ok(c('cold') <= 1.3 * c('floor'))}"),
        (f"{n} letters, `--jobs 1 --no-cache`", fmt(r["j1"]),
         f"{1000 * c('j1') / n:.1f} ms CPU/letter with start-up"),
    ]
    if "proselint" in r:
        rows.append((f"proselint `check` on the {n} letters ({prose_note})", fmt(r["proselint"]),
                     f"poalint <= 1.0x (aim 0.5x): wall {w('j1') / w('proselint'):.2f}x, CPU "
                     f"{c('j1') / c('proselint'):.2f}x: {ok(c('j1') <= c('proselint'))}"))
    else:
        rows.append(("proselint", "not measured", prose_note))
    rows += [
        (f"{n} letters, all cache hits", fmt(r["hits"]),
         f"<= 3x yaml+click: wall {w('hits') / w('yaml_click'):.2f}x, CPU {c('hits') / c('yaml_click'):.2f}x: "
         f"{ok(c('hits') <= 3 * c('yaml_click'))}"),
        (f"{2 * n} letters, `--jobs 1 --no-cache`", fmt(r["d1"]), ""),
        (f"{2 * n} letters, `--jobs 2 --no-cache`", fmt(r["d2"]),
         f">= 1.6x faster (wall): {w('d1') / w('d2'):.2f}x: {ok(w('d1') / w('d2') >= 1.6)}; "
         f"CPU {c('d2') / c('d1'):.2f}x of --jobs 1"),
        (f"a {big.stat().st_size / 1024 / 1024:.1f} MB letter (examples/strong.md repeated), `--no-cache`, 1 run",
         fmt(r["big"]), f"< 10 s: CPU {c('big'):.1f} s: {ok(c('big') < 10)}"),
        (f"clause reader, {args.words}-word letters", clause_line.replace("|", "/"), "benchmarks/clauses_bench.py"),
    ]
    table = ("| measure | wall, median (min) | CPU, median (min) | target |\n| --- | --- | --- | --- |\n"
             + "\n".join(f"| {a} | {b} | {t} |" if "|" in b else f"| {a} | {b} | | {t} |" for a, b, t in rows))
    load_after = os.getloadavg()
    text = (f"Machine: {machine()}; {runs} runs of each command; load average (1, 5, 15 min) at start "
            f"{', '.join(f'{x:.2f}' for x in load_before)}, at the end {', '.join(f'{x:.2f}' for x in load_after)}"
            f"\n\n{table}\n")
    print(text)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


def proselint(work: Path, runs: int) -> tuple[tuple[float, float, float, float], str] | str:
    """proselint from PyPI in its own venv, `proselint check letters` (older versions: the files)."""
    venv = work / "proselint-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "proselint"], check=True, capture_output=True)
        exe = str(venv / "bin" / "proselint")
        version = subprocess.run([str(venv / "bin" / "pip"), "show", "proselint"], capture_output=True, text=True)
        shown = next((ln for ln in version.stdout.splitlines() if ln.startswith("Version")), "Version: ?")
        files = sorted(str(p) for p in (work / "letters").iterdir())
        args = [exe, "check", "letters"] if _has_check(exe) else [exe, *files]
        return timed(args, work, runs), f"proselint {shown.split(':', 1)[1].strip()}"
    except (subprocess.CalledProcessError, OSError, IndexError) as exc:
        return f"could not be installed or run ({exc})"


if __name__ == "__main__":
    main()
