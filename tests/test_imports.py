"""The import graph of poalint's own modules has no cycle, and functions import only what is heavy.

Edges are every `import poalint...` / `from poalint... import` at any depth of a module, except
under `if TYPE_CHECKING:` (annotations only). `from poalint.pkg import name` is an edge to the
package face (`pkg/__init__.py`) unless every name is a submodule. A cycle here means two
modules lean on each other: move the shared part down.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "poalint"
# function-level imports of poalint's own modules are allowed only to keep spaCy and textstat out
# of start-up (the modules that import them), and in the command line, which loads each command's
# code when that command runs (--version and --help load none of it)
HEAVY = {"poalint.nlp", "poalint.readability"}
DISPATCH = {"poalint.cli"}
# a run whose letters are all cache hits never imports the linting side (tests/test_cache.py checks it with
# sys.modules): the modules such a run needs take it inside the function that lints the first cache miss
# (or reads rule files, a --notice or --previous, or words an unknown --reason)
LINTING = {"poalint.api", "poalint.engine", "poalint.kinds", "poalint.packs", "poalint.reasons", "poalint.context"}
DEFERS_LINTING = {"poalint.settings", "poalint.ruleset", "poalint.parallel", "poalint.runner"}


def _name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, inside a function) for every poalint import of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = _name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if _type_checking(node):
            return
        if isinstance(node, ast.Import):
            out.extend((a.name, in_function) for a in node.names if a.name.startswith("poalint"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.startswith("poalint"):
                folder = PACKAGE.parent / base.replace(".", "/")
                subs = [a.name for a in node.names if (folder / f"{a.name}.py").exists() or (folder / a.name).is_dir()]
                out.extend((f"{base}.{s}", in_function) for s in subs)  # `from poalint.formats import full`
                if len(subs) < len(node.names):  # a name defined in the module (or package face) itself
                    out.append((base, in_function))
        for child in ast.iter_child_nodes(node):
            visit(child, in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(tree, False)
    return out


def graph() -> dict[str, set[str]]:
    modules = {_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for target, _lazy in _imports(path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return found


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_the_graph_is_real() -> None:
    edges = graph()
    assert "poalint.model" in edges["poalint.context"]
    assert "poalint.api" in edges["poalint.parallel"]  # inside a function: still an edge


def _deferred(module: str, target: str) -> bool:
    return target in HEAVY or module in DISPATCH or (module in DEFERS_LINTING and target in LINTING)


def test_function_level_imports_only_defer_heavy_or_command_code() -> None:
    bad = [f"{_name(p)} imports {target} inside a function" for p in PACKAGE.rglob("*.py")
           for target, lazy in _imports(p) if lazy and not _deferred(_name(p), target)]
    assert bad == []


def test_the_modules_of_a_cache_hit_run_import_the_linting_side_only_in_functions() -> None:
    eager = [f"{module} imports {target} at module level" for module in sorted(DEFERS_LINTING)
             for target, lazy in _imports(PACKAGE / f"{module.split('.')[-1]}.py") if not lazy and target in LINTING]
    assert eager == []
