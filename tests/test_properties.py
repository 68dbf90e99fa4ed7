"""Property tests over random and mutated letters: no exception, findings where they say, same every time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poalint.api import Setup, lint_letter
from poalint.letter import LetterError
from poalint.readers import from_bytes

ROOT = Path(__file__).resolve().parents[1]
LETTERS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "corpus" / "letters").iterdir())]
JUNK = ["\U0001F4E6", "\u200b", "\u202e", "\u05e9\u05dc\u05d5\u05dd", "\x07", "\x1b[0m", "\ufeff", "\t", "\r\n", "\r",
        "---\n", "<!-- poalint-disable -->", "# Root cause\n", "- ", "**", "\"", "...", "?!", "Sincerely,\n",
        "we", " not our fault ", "ASAP", "[Your Name]", "https://example.com/x", "3 May 2026", "\n\n", "\u00a0"]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A corpus letter with a few random edits: cut, repeat, insert junk, swap lines, change case."""
    text = draw(st.sampled_from(LETTERS))
    for _ in range(draw(st.integers(0, 6))):
        n = len(text)
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 400)))
        op = draw(st.sampled_from(["cut", "repeat", "junk", "swap", "upper", "text"]))
        if op == "cut":
            text = text[:a] + text[b:]
        elif op == "repeat":
            text = text[:b] + text[a:b] + text[b:]
        elif op == "junk":
            text = text[:a] + draw(st.sampled_from(JUNK)) + text[a:]
        elif op == "upper":
            text = text[:a] + text[a:b].upper() + text[b:]
        elif op == "text":
            text = text[:a] + draw(st.text(max_size=30)) + text[a:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


letters = st.one_of(mutated(), st.text(max_size=400), st.binary(max_size=300).map(lambda b: b.decode("latin-1")))


def _offset(text: str, line: int, column: int) -> int:
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return starts[line - 1] + column - 1


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=letters, markdown=st.booleans())
def test_findings_lie_inside_the_file_and_quote_it_and_repeat_exactly(linter, text: str, markdown: bool) -> None:  # type: ignore[no-untyped-def]
    path = "letter.md" if markdown else "letter.txt"
    try:
        letter = from_bytes(text.encode("utf-8", "surrogatepass"), path)
    except LetterError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(path)  # a refusal is one line naming the file
        return
    report = lint_letter(letter, Setup(linter))
    lines = letter.text.split("\n")
    for f in report.findings:
        assert 1 <= f.line <= len(lines) and 1 <= f.end_line <= len(lines)
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1
        if f.excerpt == "" and (f.line, f.column) == (1, 1):
            continue  # a finding about the whole letter
        at = _offset(letter.text, f.line, f.column)
        assert letter.text[at:at + len(f.excerpt)] == f.excerpt
        assert f.excerpt, f"{f.rule}: a finding at {f.line}:{f.column} quotes nothing"
    again = lint_letter(letter, Setup(linter))
    assert again == report


def _run(folder: Path, *args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "POALINT_CACHE_DIR"}
    env["NO_COLOR"] = "1"
    out = subprocess.run([sys.executable, "-m", "poalint", "--format", "json", *args, "letters"], cwd=folder,
                         capture_output=True, text=True, env=env, timeout=600)
    assert "Traceback" not in out.stderr
    return out.returncode, out.stdout, out.stderr


@settings(max_examples=1, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                HealthCheck.function_scoped_fixture])
@given(texts=st.lists(mutated(), min_size=6, max_size=10))
def test_jobs_1_and_2_and_cold_and_warm_cache_give_identical_results(tmp_path_factory, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("prop")
    (folder / "pyproject.toml").write_text("", encoding="utf-8")
    (folder / "letters").mkdir()
    for i, text in enumerate(texts):
        (folder / "letters" / f"{i:02d}.{'md' if i % 2 else 'txt'}").write_bytes(text.encode("utf-8", "surrogatepass"))
    one = _run(folder, "--jobs", "1", "--no-cache")
    two = _run(folder, "--jobs", "2", "--no-cache")
    cold = _run(folder, "--jobs", "2")
    warm = _run(folder, "--jobs", "1")
    assert one == two == cold == warm
    assert json.loads(one[1])["files"] or one[0] == 2
