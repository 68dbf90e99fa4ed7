"""What poalint never does: touch the network, write to a letter, follow a link out of the tree, load unsafe YAML."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "poalint"
HEAVY = ("Notwithstanding the aforementioned operational circumstances, our organization has comprehensively "
         "restructured its verification methodology, institutionalizing multidimensional accountability "
         "frameworks throughout every fulfillment-related organizational subdivision. ")
LONG_LETTER = ("Dear Seller Performance Team,\n\nRoot cause:\n" + HEAVY * 6 + "\n\nCorrective actions:\n- " + HEAVY
               + "\n\nPreventive measures:\n- " + HEAVY + "\n\nSincerely,\nJane Doe\n")

NO_NETWORK = """
import socket, sys
def _refuse(*args, **kwargs):
    sys.stderr.write("NETWORK ATTEMPT %r\\n" % (args[:2],))
    raise OSError("network use is not allowed in this test")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.socket.sendto = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
socket.gethostbyname = _refuse
import runpy
sys.argv = ["poalint"] + sys.argv[1:]
runpy.run_module("poalint", run_name="__main__", alter_sys=True)
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "POALINT_CACHE_DIR"}
    env["NO_COLOR"] = "1"
    return env


def test_a_full_run_never_touches_the_network(tmp_path: Path) -> None:
    (tmp_path / "letter.txt").write_text(LONG_LETTER, encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", NO_NETWORK, "--no-cache", "--format", "json", "letter.txt"],
                         cwd=tmp_path, capture_output=True, text=True, env=_env(), timeout=300)
    assert "NETWORK ATTEMPT" not in out.stderr
    assert "Traceback" not in out.stderr
    assert out.returncode in (0, 1), out.stderr
    findings = {f["rule"] for f in json.loads(out.stdout)["files"][0]["findings"]}
    assert "hard-to-read" in findings  # readability was computed (syllables from pyphen, offline)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def test_letters_are_never_written_and_links_out_of_the_tree_are_never_followed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    letters = project / "letters"
    letters.mkdir(parents=True)
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    (letters / "a.txt").write_text(LONG_LETTER, encoding="utf-8")
    (letters / "b.md").write_text("---\nreason: late-shipment\n---\n" + LONG_LETTER, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(LONG_LETTER, encoding="utf-8")
    os.symlink(outside, letters / "linked-folder")
    os.symlink(outside / "secret.txt", letters / "linked-file.txt")
    before = _snapshot(letters)
    for extra in (["--no-cache"], [], []):  # no cache, cold cache, warm cache
        out = subprocess.run([sys.executable, "-m", "poalint", "--format", "json", *extra, "letters"], cwd=project,
                             capture_output=True, text=True, env=_env(), timeout=300)
        assert out.returncode in (0, 1), out.stderr
        linted = sorted(Path(f["path"]).name for f in json.loads(out.stdout)["files"])
        assert linted == ["a.txt", "b.md"]
    assert _snapshot(letters) == before  # not a byte, not a timestamp, no new file beside the letters
    assert sorted(p.name for p in project.iterdir()) == [".poalint_cache", "letters", "pyproject.toml"]


def _yaml_calls() -> list[tuple[str, int, str]]:
    """Every call of a yaml loading function in the package, with the Loader it names."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml"):
                continue
            if node.func.attr in ("load", "load_all", "unsafe_load", "full_load", "full_load_all", "unsafe_load_all",
                                  "compose", "safe_load", "safe_load_all"):
                loader = next((ast.unparse(k.value) for k in node.keywords if k.arg == "Loader"), "")
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.func.attr, loader))
    return found


def test_yaml_is_only_ever_loaded_safely() -> None:
    calls = _yaml_calls()
    assert calls, "the scan found the package's yaml calls"
    for where, name, loader in calls:
        assert name not in ("unsafe_load", "full_load", "full_load_all", "unsafe_load_all"), where
        if name in ("load", "load_all", "compose"):
            assert loader in ("yaml.SafeLoader", "yaml.CSafeLoader", "loader"), f"{where}: Loader={loader}"
    safe = (PACKAGE / "safeyaml.py").read_text(encoding="utf-8")
    assert 'getattr(yaml, "CSafeLoader", None)' in safe  # the one `loader` variable is the C safe loader


def test_loading_the_rules_uses_only_safe_loaders(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from poalint.ruleset import load

    seen: list[type] = []
    real = yaml.load

    def spy(stream, Loader):  # type: ignore[no-untyped-def]  # noqa: N803 - PyYAML's own name
        seen.append(Loader)
        return real(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "load", spy)
    load()
    assert seen
    safe = tuple(c for c in (getattr(yaml, "CSafeLoader", None), yaml.SafeLoader) if c is not None)
    assert all(issubclass(loader, safe) for loader in seen), seen
