"""The result cache: same results warm and cold, no spaCy on a full hit, never an error of its own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from poalint.cache import FOLDER, ResultCache, cache_dir, clean, decode, encode, project_root
from poalint.model import Finding, Report, Severity

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "tests" / "corpus" / "letters").iterdir())


def poalint(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "POALINT_CACHE_DIR"}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "poalint", *args], cwd=cwd, capture_output=True, text=True,
                          env=full_env, timeout=300)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'appeals'\n", encoding="utf-8")
    letters = tmp_path / "letters"
    letters.mkdir()
    for src in CORPUS[:5]:
        shutil.copy(src, letters / src.name)
    return tmp_path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def test_warm_run_gives_the_same_output_as_cold_and_as_no_cache(project: Path) -> None:
    cold = poalint(project, "--format", "json", "letters")
    assert cold.returncode in (0, 1), cold.stderr
    assert len(entries(project / FOLDER)) == 5
    warm = poalint(project, "--format", "json", "letters")
    none = poalint(project, "--format", "json", "--no-cache", "letters")
    assert warm.stdout == cold.stdout == none.stdout
    assert warm.returncode == cold.returncode == none.returncode
    assert not list((project / FOLDER).rglob(".tmp-*")), "atomic writes leave no temporary files"
    assert (project / FOLDER / ".gitignore").read_text() == "*\n"


def test_a_full_cache_hit_imports_neither_spacy_nor_textstat(project: Path) -> None:
    assert poalint(project, "letters").returncode in (0, 1)
    code = ("import sys\nfrom poalint.cli import main\nsys.argv = ['poalint', '-q', 'letters']\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "print('MODULES', 'spacy' in sys.modules, 'textstat' in sys.modules, 'nltk' in sys.modules, "
            "file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=300)
    assert "MODULES False False False" in out.stderr, out.stderr


LINTING = ("poalint.api", "poalint.engine", "poalint.kinds", "poalint.checks", "poalint.clauses", "poalint.sections",
           "poalint.context", "poalint.document", "poalint.structure", "poalint.packs", "poalint.notice",
           "poalint.reasons", "poalint.matching", "poalint.token_windows", "poalint.nlp")


def _modules_of_a_run(project: Path, *args: str) -> tuple[str, set[str]]:
    code = (f"import sys\nfrom poalint.cli import main\nsys.argv = ['poalint', *{list(args)!r}]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "print('MODULES', *sorted(m for m in sys.modules if m.startswith('poalint')), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=300)
    line = next(x for x in out.stderr.splitlines() if x.startswith("MODULES"))
    return out.stdout, set(line.split()[1:])


def test_a_run_of_cache_hits_imports_none_of_the_linting_side(project: Path) -> None:
    cold = poalint(project, "--format", "json", "letters")
    assert cold.returncode in (0, 1), cold.stderr
    for fmt in ("json", "full", "sarif"):
        stdout, modules = _modules_of_a_run(project, "--format", fmt, "letters")
        assert not {m for m in modules if m.startswith(LINTING)}, sorted(modules)
        assert "poalint.ruleindex" in modules and "poalint.runner" in modules  # the run did happen
        if fmt == "json":
            assert stdout == cold.stdout
    # a letter that is not in the cache is linted: the linting side comes in for it
    (project / "letters" / "new.txt").write_text((project / "letters" / CORPUS[0].name).read_text(encoding="utf-8")
                                                 + "\nWe are sorry.\n", encoding="utf-8")
    _stdout, modules = _modules_of_a_run(project, "-q", "letters")
    assert {"poalint.api", "poalint.engine", "poalint.kinds"} <= modules


def test_editing_a_letter_or_the_config_misses_the_cache(project: Path) -> None:
    letter = sorted((project / "letters").iterdir())[0]
    first = poalint(project, "--format", "json", str(letter.relative_to(project)))
    letter.write_text(letter.read_text(encoding="utf-8") + "\nI'm sorry, it was not our fault.\n", encoding="utf-8")
    second = poalint(project, "--format", "json", str(letter.relative_to(project)))
    assert json.loads(first.stdout) != json.loads(second.stdout)
    (project / ".poalint.yaml").write_text("ignore: [blame]\n", encoding="utf-8")
    third = poalint(project, "--format", "json", str(letter.relative_to(project)))
    rules = {f["rule"] for f in json.loads(third.stdout)["files"][0]["findings"]}
    assert "blame-shifting" not in rules
    fresh = poalint(project, "--format", "json", "--no-cache", str(letter.relative_to(project)))
    assert third.stdout == fresh.stdout


def test_a_corrupted_entry_is_ignored_with_a_warning_and_rewritten(project: Path) -> None:
    cold = poalint(project, "--format", "json", "letters")
    for path in entries(project / FOLDER)[:2]:
        path.write_text('{"path": "x", "findings": [ {"rule": ', encoding="utf-8")
    warm = poalint(project, "--format", "json", "letters")
    assert warm.stdout == cold.stdout
    assert warm.returncode == cold.returncode
    assert warm.stderr.count("corrupted cache entry") == 1  # once per run, not once per entry
    assert "Traceback" not in warm.stderr
    again = poalint(project, "--format", "json", "letters")
    assert "corrupted" not in again.stderr


def test_an_unwritable_cache_is_a_warning_not_an_error(project: Path) -> None:
    blocker = project / "not-a-folder"
    blocker.write_text("a file where the cache folder should go", encoding="utf-8")
    cold = poalint(project, "--format", "json", "--no-cache", "letters")
    run = poalint(project, "--format", "json", "--cache-dir", str(blocker / "cache"), "letters")
    assert run.stdout == cold.stdout
    assert run.returncode == cold.returncode
    assert run.stderr.count("cannot write the cache") == 1
    assert "Traceback" not in run.stderr


def test_cache_dir_option_and_environment_variable(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("cache")
    poalint(project, "letters", env={"POALINT_CACHE_DIR": str(elsewhere / "c")})
    assert len(entries(elsewhere / "c")) == 5
    assert not (project / FOLDER).exists()
    poalint(project, "--cache-dir", str(elsewhere / "d"), "letters")
    assert len(entries(elsewhere / "d")) == 5


def test_poalint_clean_removes_the_cache_and_nothing_else(project: Path) -> None:
    poalint(project, "letters")
    assert (project / FOLDER).is_dir()
    out = poalint(project, "clean")
    assert out.returncode == 0 and "removed" in out.stdout
    assert not (project / FOLDER).exists()
    assert (project / "letters").is_dir()
    keep = project / "precious"
    keep.mkdir()
    (keep / "data.txt").write_text("keep me", encoding="utf-8")
    refused = poalint(project, "clean", "--cache-dir", str(keep))
    assert refused.returncode == 2 and "does not look like a poalint cache" in refused.stderr
    assert (keep / "data.txt").exists()


def test_project_root_is_the_nearest_marked_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "a" / ".poalint.yaml").write_text("{}\n", encoding="utf-8")
    assert project_root(deep) == (tmp_path / "a").resolve()
    monkeypatch.chdir(deep)
    monkeypatch.delenv("POALINT_CACHE_DIR", raising=False)
    assert cache_dir() == (tmp_path / "a").resolve() / FOLDER
    assert cache_dir("x") == Path("x")


def test_reports_survive_the_json_round_trip() -> None:
    report = Report("a.md", (Finding("r", "tone", Severity.WARNING, 2, 3, 2, 9, "ex\u00e9", "m", "f", 10, 16),),
                    81.5, True, "late-shipment", "front matter", ("read as cp1252",))
    assert decode(json.loads(json.dumps(encode(report)))) == report


def test_clean_refuses_a_folder_without_our_tag(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        clean(tmp_path)
    assert clean(tmp_path / "missing").startswith("no cache")


def test_result_cache_warns_once_per_kind(tmp_path: Path) -> None:
    said: list[str] = []
    cache = ResultCache(tmp_path / "c", "salt", said.append)
    report = Report("a.txt", (), 100.0, True)
    cache.put(cache.key("a"), report)
    assert cache.get(cache.key("a")) == report and cache.get(cache.key("b")) is None
    for p in entries(tmp_path / "c"):
        p.write_bytes(b"\xff\xfe not json")
    assert cache.get(cache.key("a")) is None and cache.get(cache.key("a")) is None
    assert len(said) == 1
