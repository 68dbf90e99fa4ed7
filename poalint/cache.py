"""The result cache: a letter's Report, keyed by everything that decides it, kept as JSON under .poalint_cache/.

Like ruff's cache: the key hashes the letter (path and text), the effective configuration,
the run's reason / notice / previous inputs, every rule and vocabulary file, the poalint
version and its source files (so an edited check never serves a stale result). Entries are
plain JSON (never pickle: a cache folder checked into a repository must not run code), written
atomically; a corrupted entry or an unwritable folder is ignored with one warning.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

from poalint import __version__
from poalint.model import Finding, PartSpan, Report, Severity

FOLDER = ".poalint_cache"
ENV = "POALINT_CACHE_DIR"
FORMAT = 2  # bump when the entry layout changes
MARKERS = (".git", "pyproject.toml", ".poalint.yaml")
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# poalint result cache; `poalint clean` removes it.\n"


def project_root(start: Path | None = None) -> Path:
    """The nearest folder (from `start`, default the current one, upwards) holding .git, pyproject.toml
    or .poalint.yaml; the current folder when there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / m).exists() for m in MARKERS):
            return folder
    return Path.cwd()


def cache_dir(option: str | None = None, env: dict[str, str] | None = None) -> Path:
    """--cache-dir, else $POALINT_CACHE_DIR, else .poalint_cache/ at the project root."""
    env = dict(os.environ) if env is None else env
    chosen = option or env.get(ENV)
    return Path(chosen).expanduser() if chosen else project_root() / FOLDER


def _digest(parts: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


def files_fingerprint(roots: Iterable[str | Path], suffixes: tuple[str, ...] = (".yaml", ".yml")) -> str:
    """Names and contents of every rule / vocabulary file under `roots` (links inside are followed,
    as the rule loader follows them)."""
    parts: list[bytes] = []
    for root in roots:
        base = Path(root)
        if base.is_file():
            files = [base]
        else:
            files = sorted(p for p in base.rglob("*") if p.suffix in suffixes and p.is_file())
        for path in files:
            parts.append(str(path.relative_to(base) if path != base else path.name).encode())
            try:
                parts.append(path.read_bytes())
            except OSError:
                parts.append(b"<unreadable>")
    return _digest(parts)


class Fingerprints:
    """poalint's code and the rule files of each set of folders, fingerprinted once for one run (or one
    server's Resolver): the rules cache key and the result cache keys both need them."""

    def __init__(self) -> None:
        self._code: str | None = None
        self._files: dict[tuple[str, ...], str] = {}

    def code(self) -> str:
        if self._code is None:
            self._code = code_fingerprint()
        return self._code

    def files(self, roots: Iterable[str | Path]) -> str:
        """files_fingerprint(roots); a folder given by another path to the same place is the same folder."""
        key = tuple(os.path.realpath(r) for r in roots)
        if key not in self._files:
            self._files[key] = files_fingerprint(key)
        return self._files[key]


def code_fingerprint() -> str:
    """poalint's version and the size and modification time of its Python files: cheap (no reading),
    and any edit to a check gives new keys."""
    package = Path(__file__).resolve().parent
    parts = [__version__.encode(), str(FORMAT).encode()]
    for path in sorted(package.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return _digest(parts)


def encode(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(report):
        value = getattr(report, f.name)
        if f.name == "findings":
            value = [{g.name: (str(getattr(x, g.name)) if g.name == "severity" else getattr(x, g.name))
                      for g in fields(x)} for x in value]
        elif f.name == "parts":
            value = [[x.start, x.end, x.part] for x in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


_SEVERITY = {str(s): s for s in Severity}  # as encode() writes them


def decode(data: dict[str, Any]) -> Report:
    values = dict(data)
    values["findings"] = tuple(Finding(**{**x, "severity": _SEVERITY[x["severity"]]}) for x in data["findings"])
    values["parts"] = tuple(PartSpan(int(a), int(b), str(p)) for a, b, p in data.get("parts", ()))  # type: ignore[arg-type]
    for f in fields(Report):
        if isinstance(values.get(f.name), list):
            values[f.name] = tuple(values[f.name])
    return Report(**values)


class ResultCache:
    """Get and put Reports by key; every problem becomes one warning and the cache steps aside."""

    def __init__(self, folder: Path, salt: str, warn: Callable[[str], None]) -> None:
        self.folder = folder
        self.salt = salt  # rules, code and run-wide inputs: part of every key
        self.warn = warn
        self.writable = True
        self._warned: set[str] = set()
        self.hits = self.misses = 0

    def key(self, *parts: str | bytes) -> str:
        return _digest([self.salt.encode(), *(p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass")
                                               for p in parts)])

    def _path(self, key: str) -> Path:
        return self.folder / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def _once(self, kind: str, message: str) -> None:
        if kind not in self._warned:
            self._warned.add(kind)
            self.warn(message)

    def get(self, key: str) -> Report | None:
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            self._once("read", f"cannot read the cache in {self.folder} ({exc.strerror or exc}); linting afresh")
            self.misses += 1
            return None
        try:
            report = decode(json.loads(raw))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            self._once("corrupt", f"ignoring a corrupted cache entry {path} ({type(exc).__name__}); "
                                  "it will be rewritten (`poalint clean` clears the cache)")
            self.misses += 1
            return None
        self.hits += 1
        return report

    def put(self, key: str, report: Report) -> None:
        if not self.writable:
            return
        data = encode(report)
        try:
            if decode(json.loads(json.dumps(data))) != report:
                return  # a value JSON cannot carry exactly: do not cache it
        except (ValueError, TypeError, KeyError, AttributeError):
            return
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # NOTE: here, not at the top: a run of cache hits never writes

            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, path)  # atomic: a reader sees the old entry or the new one, never half
            except BaseException:
                _remove(tmp)
                raise
        except OSError as exc:
            self.writable = False
            self._once("write", f"cannot write the cache in {self.folder} ({exc.strerror or exc}); "
                                "going on without it (use --cache-dir or --no-cache)")

    def _prepare(self) -> None:
        prepare(self.folder)


def prepare(folder: Path) -> None:
    """First write: the folder, a CACHEDIR.TAG (backup tools skip it) and a .gitignore of '*'."""
    if (folder / "CACHEDIR.TAG").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "CACHEDIR.TAG").write_text(_TAG, encoding="utf-8")
    (folder / ".gitignore").write_text("*\n", encoding="utf-8")


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def clean(folder: Path) -> str:
    """Remove a poalint cache folder; refuse a folder that is not one (no CACHEDIR.TAG of ours)."""
    if not folder.exists():
        return f"no cache at {folder}"
    tag = folder / "CACHEDIR.TAG"
    try:
        ours = tag.read_text(encoding="utf-8").startswith(_TAG.split("\n")[0]) and "poalint" in tag.read_text(
            encoding="utf-8")
    except OSError:
        ours = False
    if not ours:
        raise OSError(f"{folder} does not look like a poalint cache (no CACHEDIR.TAG of ours); not removing it")
    import shutil

    shutil.rmtree(folder)
    return f"removed {folder}"


# ---------------------------------------------------------------- the validated-rules cache
#
# NOTE: loading and validating every rule file costs about 0.1 s per process; a run of cache hits
# needs none of it. The checked RuleSet is kept as marshal of plain data (None, numbers, strings,
# tuples, lists, dicts, sets): poalint's own dataclasses and enums are written as a tagged tuple of
# their class name and fields and rebuilt only from classes inside poalint, so an entry can never
# run code (marshal is never given code objects; the loader refuses every other class). Keyed by the
# rule files' names and contents and poalint's version and source files.

RULES_FORMAT = 2  # 2: a RuleIndex beside each RuleSet
_CLASS = "\0class"  # (tag, "module:Qualname", {field: value}) is a poalint dataclass
_ENUM = "\0enum"  # (tag, "module:Qualname", value)
_TUPLE = "\0tuple"  # (tag, item, ...): a tuple holding tagged values (or whose first item looks like a tag)
_LIST = "\0list"  # (tag, item, ...): a list holding tagged values
_DICT = "\0dict"  # (tag, (key, value), ...): a mapping holding tagged values
_SET = "\0set"  # (tag, frozen, item, ...)
_REGEX = "\0regex"  # (tag, pattern, flags)
# NOTE: a container with no tagged value inside is stored as it is and loaded without being walked:
# the lexicon and most token patterns are large and plain.


class _Unencodable(Exception):
    pass


def _tagged(value: Any) -> bool:
    return type(value) is tuple and bool(value) and type(value[0]) is str and value[0].startswith("\0")


def _plain(value: Any) -> Any:
    import enum
    import re
    from dataclasses import is_dataclass

    if value is None or isinstance(value, (bool, int, float, str, bytes)) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        items = tuple(_plain(v) for v in value)
        return (_TUPLE, *items) if any(_tagged(v) for v in items) or _tagged(items) else items
    if isinstance(value, list):
        got = [_plain(v) for v in value]
        return (_LIST, *got) if any(_tagged(v) for v in got) else got
    if isinstance(value, (set, frozenset)):
        got = [_plain(v) for v in value]
        if any(_tagged(v) for v in got):
            return (_SET, isinstance(value, frozenset), *got)
        return type(value)(got)
    if isinstance(value, dict) or (type(value).__name__ == "mappingproxy"):
        pairs = [(_plain(k), _plain(v)) for k, v in value.items()]
        if any(_tagged(k) or _tagged(v) for k, v in pairs):
            return (_DICT, *pairs)
        return dict(pairs)
    cls = type(value)
    name = f"{cls.__module__}:{cls.__qualname__}"
    if not cls.__module__.startswith("poalint."):
        if isinstance(value, re.Pattern):
            return (_REGEX, value.pattern, value.flags)
        raise _Unencodable(name)
    if isinstance(value, enum.Enum):
        return (_ENUM, name, _plain(value.value))
    if is_dataclass(value):
        return (_CLASS, name, tuple((f.name, _plain(getattr(value, f.name))) for f in fields(value)))
    raise _Unencodable(name)


def _poalint_class(name: str) -> Any:
    import enum
    import importlib
    from dataclasses import is_dataclass

    module, _, qual = name.partition(":")
    if not module.startswith("poalint."):
        raise ValueError(name)
    obj: Any = importlib.import_module(module)
    for part in qual.split("."):
        obj = getattr(obj, part)
    if not (isinstance(obj, type) and (is_dataclass(obj) or issubclass(obj, enum.Enum))):
        raise ValueError(name)
    return obj


def _rebuild(value: Any, classes: dict[str, Any]) -> Any:
    if not _tagged(value):
        return _checked(value)
    tag = value[0]
    if tag == _TUPLE:
        return tuple(_rebuild(v, classes) for v in value[1:])
    if tag == _LIST:
        return [_rebuild(v, classes) for v in value[1:]]
    if tag == _DICT:
        return {_rebuild(k, classes): _rebuild(v, classes) for k, v in value[1:]}
    if tag == _SET:
        return (frozenset if value[1] else set)(_rebuild(v, classes) for v in value[2:])
    if tag == _REGEX:
        import re

        return re.compile(value[1], value[2])
    cls = classes.get(value[1])
    if cls is None:
        cls = classes[value[1]] = _poalint_class(value[1])
    if tag == _ENUM:
        return cls(_rebuild(value[2], classes))
    if tag == _CLASS:
        obj = cls.__new__(cls)
        for name, v in value[2]:  # NOTE: no __init__: the fields are the checked values as they were
            object.__setattr__(obj, name, _rebuild(v, classes))
        if {f.name for f in fields(cls)} != {name for name, _v in value[2]}:
            raise ValueError(value[1])
        return obj
    raise ValueError(tag)


_PLAIN_TYPES = (str, int, float, bool, bytes, type(None), tuple, list, dict, set, frozenset)


def _checked(value: Any) -> Any:
    """An untagged value is plain data as marshal read it; refuse anything else (a code object ...)."""
    if type(value) not in _PLAIN_TYPES:
        raise ValueError(type(value).__name__)
    return value


def rules_key(roots: Iterable[str | Path], prints: Fingerprints | None = None) -> str:
    """The rule folders (their paths too: rules remember their source file), their files, poalint's code."""
    paths = [str(Path(r).resolve()) for r in roots]
    prints = prints or Fingerprints()
    return _digest([prints.code().encode(), str(RULES_FORMAT).encode(), "\n".join(paths).encode(),
                    prints.files(paths).encode()])


INDEX = ".index"  # `part` of the RuleIndex kept beside each RuleSet (poalint.ruleindex)


def load_rules(folder: Path, key: str, part: str = "") -> Any:
    """The RuleSet (or with part=INDEX its RuleIndex) stored under `key`, or None (missing, unreadable or
    not ours: loaded afresh)."""
    import marshal

    try:
        with open(folder / "rules" / f"{key}{part}.marshal", "rb") as fh:
            data = marshal.load(fh)
        return _rebuild(data, {})
    except Exception:  # noqa: BLE001 - a bad entry is a miss: the rules are loaded from the files
        return None


def store_rules(folder: Path, key: str, ruleset: Any, part: str = "") -> None:
    """Keep the checked RuleSet, or its RuleIndex (silently skipped when it holds a value that is not plain data)."""
    import marshal

    try:
        data = marshal.dumps(_plain(ruleset))
        prepare(folder)
        target = folder / "rules"
        target.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=target, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target / f"{key}{part}.marshal")
    except (OSError, ValueError, _Unencodable):
        return
