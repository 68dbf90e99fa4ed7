"""Load and validate YAML rule files (yaml.safe_load only) into an immutable RuleSet.

Errors name the file, the line and the key. Nothing in a rule file can run code: a
rule picks one of the closed set of kinds in poalint.kinds and fills in its fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from poalint.model import RuleInfo, Severity
from poalint.safeyaml import safe_load

CATEGORIES = ("structure", "specificity", "relevance", "blame", "timeline", "tone", "format", "hygiene")
SCOPES = ("letter", "body", "root_cause", "corrective", "preventive", "measures", "parts", "headings", "other",
          "fixes", "actions")
COMMON_KEYS = {"id", "kind", "category", "severity", "summary", "description", "message", "fix", "weight",
               "scope", "examples", "needs"}
MATCH_KEYS = {"phrases", "lemmas", "patterns", "regex"}
KIND_KEYS: dict[str, set[str]] = {
    "phrase": MATCH_KEYS | {"concept", "any", "unless", "when", "in_quotes", "max_findings", "case_sensitive"},
    "regex": {"regex", "unless", "when", "in_quotes", "max_findings", "case_sensitive", "exceptions", "group"},
    "count": MATCH_KEYS | {"concept", "any", "min", "max", "unless", "when", "in_quotes"},
    "metric": {"metric", "min", "max", "unless"},
    "require": MATCH_KEYS | {"concept", "unless", "when"},
    "custom": {"check", "options"},
}
METRICS = ("words", "sentence_words", "grade")
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DEFAULT_WEIGHT = {Severity.ERROR: 25.0, Severity.WARNING: 8.0, Severity.INFO: 2.0}


class RuleFileError(Exception):
    """A rule or vocabulary file is invalid: `path:line: key: what is wrong`."""


@dataclass(frozen=True)
class Matchable:
    """What to look for: plain phrases (LOWER), lemma phrases (LEMMA), token patterns, regexes."""

    phrases: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    patterns: tuple[tuple[Mapping[str, Any], ...], ...] = ()
    regex: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()  # names of concepts whose matches count too
    case_sensitive: bool = False

    def empty(self) -> bool:
        return not (self.phrases or self.lemmas or self.patterns or self.regex or self.concepts)


@dataclass(frozen=True)
class Condition:
    """`unless` / `when`: matchables looked for around a hit (sentence, block, part or letter)."""

    where: str
    what: Matchable


@dataclass(frozen=True)
class Alternative:
    """One entry of a rule's `any:` list: its own matchers and conditions, and how often it must match."""

    match: Matchable
    unless: tuple[Condition, ...] = ()
    when: tuple[Condition, ...] = ()
    repeat: int = 1  # counts only from its n-th match in the scope ("repeated requests")


_GENERIC = {"match": "the quoted text", "sentence": "the sentence", "raw": "the quoted text"}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    category: str
    severity: Severity
    summary: str
    message: str
    fix: str
    description: str = ""
    weight: float | None = None
    scope: tuple[str, ...] = ("body",)
    match: Matchable = field(default_factory=Matchable)
    unless: tuple[Condition, ...] = ()
    when: tuple[Condition, ...] = ()
    alternatives: tuple[Alternative, ...] = ()  # `any:` entries, matched besides `match`
    options: Mapping[str, Any] = field(default_factory=dict)
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""

    def info(self) -> RuleInfo:
        """Rule docs for reports (SARIF driver rules ...): message values are not known here, so name them."""
        fix = re.sub(r"\{(\w+)\}", lambda m: _GENERIC.get(m.group(1), "..."), self.fix)
        return RuleInfo(self.id, self.category, self.severity, self.summary, self.description or self.summary, fix)

    def score_weight(self) -> float:
        return self.weight if self.weight is not None else DEFAULT_WEIGHT[self.severity]


@dataclass(frozen=True)
class RuleSet:
    rules: Mapping[str, Rule]
    concepts: Mapping[str, Matchable]
    lexicon: Mapping[str, tuple[str, ...]]
    sections: Mapping[str, Any]
    reasons: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def ids(self) -> list[str]:
        return sorted(self.rules)


# ---------------------------------------------------------------- line lookup


def _line_of(path: str, text: str, keys: Sequence[object]) -> int:
    return yaml_key_line(text, keys)


def yaml_key_line(text: str, keys: Sequence[object]) -> int:
    """Best line for a key path, from yaml.compose (builds nodes, never objects)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 1
    line = node.start_mark.line + 1 if node is not None else 1
    for key in keys:
        if node is None:
            break
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


class _Source:
    """One YAML file being validated; `fail()` raises with path, line and key."""

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text

    def fail(self, keys: Sequence[object], problem: str) -> RuleFileError:
        line = _line_of(self.path, self.text, keys)
        shown = ".".join(str(k) for k in keys) or "(top)"
        return RuleFileError(f"{self.path}:{line}: {shown}: {problem}")

    def load(self) -> Any:
        try:
            return safe_load(self.text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
            raise RuleFileError(f"{self.path}:{line}: not valid YAML: {problem}") from None


# ---------------------------------------------------------------- field validation


def _str_list(src: _Source, keys: list[object], value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise src.fail(keys, "must be a list of non-empty strings")
    return tuple(value)


def _patterns(src: _Source, keys: list[object], value: Any, lexicon: Mapping[str, tuple[str, ...]]
              ) -> tuple[tuple[Mapping[str, Any], ...], ...]:
    if not isinstance(value, list):
        raise src.fail(keys, "must be a list of spaCy token patterns (each a list of token dicts)")
    out = []
    for i, pattern in enumerate(value):
        if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
            raise src.fail(keys + [i], "a token pattern is a non-empty list of mappings like {LEMMA: carrier}")
        expanded = tuple(_expand(src, keys + [i], t, lexicon) for t in pattern)
        problems = _validate_pattern(expanded)
        if problems:
            raise src.fail(keys + [i], f"not a valid spaCy token pattern: {problems}")
        out.append(expanded)
    return tuple(out)


def _expand(src: _Source, keys: list[object], token: Mapping[str, Any], lexicon: Mapping[str, tuple[str, ...]]
            ) -> dict[str, Any]:
    """Replace "$name" word lists from the lexicon inside IN / NOT_IN."""

    def sub(v: Any) -> Any:
        if isinstance(v, str) and v.startswith("$"):
            if v[1:] not in lexicon:
                raise src.fail(keys, f"unknown word list '{v}'; known lists: {', '.join(sorted(lexicon)) or 'none'}")
            return list(lexicon[v[1:]])
        if isinstance(v, list):
            flat: list[Any] = []
            for item in v:
                s = sub(item)
                flat.extend(s if isinstance(item, str) and item.startswith("$") else [s])
            return flat
        if isinstance(v, dict):
            return {k: sub(x) for k, x in v.items()}
        return v

    return {str(k): sub(v) for k, v in token.items()}


_TOKEN_ATTRS = {"ORTH", "TEXT", "LOWER", "LEMMA", "NORM", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
                "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_SENT_START", "LIKE_NUM", "LIKE_URL",
                "LIKE_EMAIL", "SHAPE", "PREFIX", "SUFFIX", "OP", "REGEX", "IN", "NOT_IN", "FUZZY"}
MAX_GAP = 8  # widest "{0,n}" gap of any token a pattern may use


def _validate_pattern(pattern: tuple[Mapping[str, Any], ...]) -> str:
    for token in pattern:
        for key, value in token.items():
            if key not in _TOKEN_ATTRS:
                return f"unknown token attribute '{key}' (use LOWER, LEMMA, TEXT, IS_DIGIT, LIKE_NUM, OP ...)"
            if key == "OP" and not (isinstance(value, str) and (value in {"!", "?", "+", "*"} or re.fullmatch(r"\{\d*,?\d*\}", value))):
                return f"OP must be one of ! ? + * {{n,m}}, not {value!r}"
            gap = re.fullmatch(r"\{\d*,(\d+)\}|\{(\d+)\}", value) if key == "OP" and isinstance(value, str) else None
            if gap and int(gap.group(1) or gap.group(2)) > MAX_GAP and set(token) == {"OP"}:
                # NOTE: spaCy expands {n,m} into m optional states; a wide gap of "any token"
                # makes the matcher's work grow with the letter's length times m (seconds a letter).
                return (f"a gap of any token {value} is wider than {MAX_GAP}; match such long spans with a "
                        "regex instead")
            if key in ("ORTH", "TEXT", "LOWER", "LEMMA", "NORM", "SHAPE", "PREFIX", "SUFFIX") and not isinstance(
                    value, (str, dict)):
                return f"{key} must be a string, not {value!r} (quote words like \"no\", \"false\", \"on\" in YAML)"
            if isinstance(value, dict):
                for op, arg in value.items():
                    if op in ("IN", "NOT_IN") and key not in ("LENGTH",) and not (
                            isinstance(arg, list) and all(isinstance(a, str) for a in arg)):
                        bad = [a for a in arg if not isinstance(a, str)] if isinstance(arg, list) else arg
                        return (f"{key} {op} must be a list of strings; {bad!r} is not a string "
                                "(quote words like \"no\", \"false\", \"on\" in YAML)")
                    if op not in {"IN", "NOT_IN", "REGEX", "FUZZY", "==", "!=", ">=", "<=", ">", "<", "IS_SUBSET",
                                  "IS_SUPERSET", "INTERSECTS"}:
                        return f"unknown operator '{op}' in {key}"
                    if op == "REGEX":
                        try:
                            re.compile(arg)
                        except re.error as exc:
                            return f"bad REGEX {arg!r}: {exc}"
                        if _catastrophic(arg):
                            return f"REGEX {arg!r} nests repeats ((a+)+ style) and can hang; rewrite it without them"
    return ""


def _regexes(src: _Source, keys: list[object], value: Any) -> tuple[str, ...]:
    items = _str_list(src, keys, value)
    for i, rx in enumerate(items):
        try:
            re.compile(rx)
        except re.error as exc:
            raise src.fail(keys + [i], f"invalid regular expression {rx!r}: {exc}") from None
        if _catastrophic(rx):
            raise src.fail(keys + [i], f"regular expression {rx!r} nests repeats ((a+)+ style) and can hang on long "
                                       "lines; rewrite it without a repeated group that itself repeats")
    return items


_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]")


def _catastrophic(rx: str) -> bool:
    """Reject the classic catastrophic-backtracking shape: a repeated group containing a repeat
    (a quick textual check, then Python's parse tree, which also sees nested groups and {n,} counts)."""
    from poalint.regexsafety import nested_repeat

    return bool(_NESTED.search(rx)) or nested_repeat(rx) is not None


def matchable(src: _Source, keys: list[object], data: Mapping[str, Any], lexicon: Mapping[str, tuple[str, ...]],
              concepts: Iterable[str]) -> Matchable:
    known = set(concepts)
    names: tuple[str, ...] = ()
    if "concept" in data:
        names = _str_list(src, keys + ["concept"], data["concept"])
        for n in names:
            if n not in known:
                raise src.fail(keys + ["concept"], f"unknown concept '{n}'; known: {', '.join(sorted(known))}")
    return Matchable(
        phrases=_str_list(src, keys + ["phrases"], data["phrases"]) if "phrases" in data else (),
        lemmas=_str_list(src, keys + ["lemmas"], data["lemmas"]) if "lemmas" in data else (),
        patterns=_patterns(src, keys + ["patterns"], data["patterns"], lexicon) if "patterns" in data else (),
        regex=_regexes(src, keys + ["regex"], data["regex"]) if "regex" in data else (),
        concepts=names,
        case_sensitive=bool(data.get("case_sensitive", False)),
    )


_WHERE = ("sentence", "block", "part", "letter", "before", "after")


def _conditions(src: _Source, keys: list[object], value: Any, lexicon: Mapping[str, tuple[str, ...]],
                concepts: Iterable[str]) -> tuple[Condition, ...]:
    """`unless: [concept, ...]` (same sentence) or `unless: {sentence: [...], letter: {phrases: [...]}}`."""
    concepts = list(concepts)
    if isinstance(value, (str, list)):
        value = {"sentence": value}
    if not isinstance(value, dict):
        raise src.fail(keys, f"must be a list of concept names or a mapping with keys {', '.join(_WHERE)}")
    out = []
    for where, what in value.items():
        if where not in _WHERE:
            raise src.fail(keys + [where], f"unknown place '{where}'; use one of {', '.join(_WHERE)}")
        if isinstance(what, (str, list)):
            names = _str_list(src, keys + [where], what)
            for n in names:
                if n not in concepts:
                    raise src.fail(keys + [where], f"unknown concept '{n}'; known: {', '.join(sorted(concepts))}")
            out.append(Condition(where, Matchable(concepts=names)))
        elif isinstance(what, dict):
            extra = set(what) - (MATCH_KEYS | {"concept"})
            if extra:
                raise src.fail(keys + [where, sorted(extra)[0]], f"unknown key; use {', '.join(sorted(MATCH_KEYS | {'concept'}))}")
            out.append(Condition(where, matchable(src, keys + [where], what, lexicon, concepts)))
        else:
            raise src.fail(keys + [where], "must be a list of concept names or a mapping of phrases/lemmas/patterns/regex")
    return tuple(out)


ALT_KEYS = MATCH_KEYS | {"concept", "unless", "when", "repeat", "case_sensitive"}


def _alternatives(src: _Source, keys: list[object], value: Any, lexicon: Mapping[str, tuple[str, ...]],
                  concepts: list[str]) -> tuple[Alternative, ...]:
    """`any:` a list of matchers, each with its own `unless` / `when` and an optional `repeat: N`."""
    if not isinstance(value, list) or not value:
        raise src.fail(keys, "must be a non-empty list of mappings with phrases / lemmas / patterns / regex / concept")
    out = []
    for i, alt in enumerate(value):
        here = keys + [i]
        if not isinstance(alt, dict):
            raise src.fail(here, "each entry is a mapping with phrases / lemmas / patterns / regex / concept")
        extra = set(alt) - ALT_KEYS
        if extra:
            raise src.fail(here + [sorted(extra)[0]], f"unknown key; use {', '.join(sorted(ALT_KEYS))}")
        m = matchable(src, here, alt, lexicon, concepts)
        if m.empty():
            raise src.fail(here, "needs at least one of phrases, lemmas, patterns, regex or concept")
        repeat = alt.get("repeat", 1)
        if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
            raise src.fail(here + ["repeat"], "repeat must be a whole number >= 1")
        out.append(Alternative(
            m, _conditions(src, here + ["unless"], alt["unless"], lexicon, concepts) if "unless" in alt else (),
            _conditions(src, here + ["when"], alt["when"], lexicon, concepts) if "when" in alt else (), repeat))
    return tuple(out)


def parse_rule(src: _Source, keys: list[object], data: Any, lexicon: Mapping[str, tuple[str, ...]],
               concepts: Iterable[str], checks: Iterable[str]) -> Rule:
    concepts = list(concepts)
    if not isinstance(data, dict):
        raise src.fail(keys, "a rule must be a mapping with id, kind, category, severity, message and fix")
    kind = data.get("kind")
    if kind not in KIND_KEYS:
        raise src.fail(keys + ["kind"], f"unknown kind {kind!r}; use one of {', '.join(KIND_KEYS)}")
    allowed = COMMON_KEYS | KIND_KEYS[kind]
    for key in data:
        if key not in allowed:
            raise src.fail(keys + [key], f"unknown key for kind '{kind}'; allowed: {', '.join(sorted(allowed))}")
    for key in ("id", "category", "severity", "message", "fix", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise src.fail(keys + [key] if key in data else keys, f"missing or empty '{key}' (a string)")
    rid = data["id"]
    if not _ID.match(rid):
        raise src.fail(keys + ["id"], f"rule id {rid!r} must be kebab-case, like 'blame-shifting'")
    if data["category"] not in CATEGORIES:
        raise src.fail(keys + ["category"], f"unknown category {data['category']!r}; use one of {', '.join(CATEGORIES)}")
    try:
        severity = Severity.parse(data["severity"])
    except KeyError:
        raise src.fail(keys + ["severity"], "severity must be error, warning or info") from None
    scope = _str_list(src, keys + ["scope"], data["scope"]) if "scope" in data else ("body",)
    for s in scope:
        if s not in SCOPES:
            raise src.fail(keys + ["scope"], f"unknown scope {s!r}; use one of {', '.join(SCOPES)}")
    weight = data.get("weight")
    if weight is not None and (not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0):
        raise src.fail(keys + ["weight"], "weight must be a number >= 0")
    options: dict[str, Any] = {}
    if kind == "custom":
        if data.get("check") not in set(checks):
            raise src.fail(keys + ["check"], f"unknown custom check {data.get('check')!r}; known: {', '.join(sorted(checks))}")
        options = dict(data.get("options") or {})
        if not isinstance(data.get("options", {}), dict):
            raise src.fail(keys + ["options"], "options must be a mapping")
        options["check"] = data["check"]
    elif kind == "metric":
        if data.get("metric") not in METRICS:
            raise src.fail(keys + ["metric"], f"unknown metric {data.get('metric')!r}; use one of {', '.join(METRICS)}")
    for key in ("min", "max", "max_findings"):
        if key in data and (not isinstance(data[key], (int, float)) or isinstance(data[key], bool)):
            raise src.fail(keys + [key], "must be a number")
    if kind in ("metric",) and "min" not in data and "max" not in data:
        raise src.fail(keys, "a metric rule needs 'min' or 'max'")
    for key in ("metric", "min", "max", "max_findings", "in_quotes", "exceptions", "group"):
        if key in data:
            options[key] = data[key]
    if "exceptions" in data:
        # "$name" puts a lexicon word list in place (an acronym allowlist shared by rules)
        options["exceptions"] = tuple(_expand(src, keys + ["exceptions"], {"x": {"IN": list(
            _str_list(src, keys + ["exceptions"], data["exceptions"]))}}, lexicon)["x"]["IN"])
    match = matchable(src, keys, data, lexicon, concepts)
    alternatives = _alternatives(src, keys + ["any"], data["any"], lexicon, concepts) if "any" in data else ()
    if kind in ("phrase", "regex", "count") and match.empty() and not alternatives:
        raise src.fail(keys, f"a {kind} rule needs at least one of phrases, lemmas, patterns, regex, concept or any")
    examples: dict[str, tuple[str, ...]] = {}
    if "examples" in data:
        ex = data["examples"]
        if not isinstance(ex, dict) or set(ex) - {"fail", "pass"}:
            raise src.fail(keys + ["examples"], "examples must be a mapping with 'fail' and 'pass' lists")
        examples = {k: _str_list(src, keys + ["examples", k], v) for k, v in ex.items()}
    return Rule(
        id=rid, kind=kind, category=data["category"], severity=severity, summary=data["summary"].strip(),
        message=data["message"].strip(), fix=data["fix"].strip(), description=str(data.get("description", "")).strip(),
        weight=float(weight) if weight is not None else None, scope=scope, match=match,
        unless=_conditions(src, keys + ["unless"], data["unless"], lexicon, concepts) if "unless" in data else (),
        when=_conditions(src, keys + ["when"], data["when"], lexicon, concepts) if "when" in data else (),
        alternatives=alternatives, options=options, examples=examples, source=src.path,
    )


# ---------------------------------------------------------------- files


def builtin_dir() -> Path:
    return Path(str(resources.files("poalint") / "rules"))


def _read(path: Path) -> _Source:
    try:
        return _Source(str(path), path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}:1: cannot be read: {exc}") from None


def _vocab_files(root: Path, name: str) -> list[Path]:
    """`<name>.yaml` and every `<name>/*.yaml` in a rules folder, in a stable order."""
    files = [root / f"{name}.yaml"] if (root / f"{name}.yaml").is_file() else []
    folder = root / name
    if folder.is_dir():
        files += sorted(p for p in folder.glob("*.yaml") if p.is_file())
    return files


def _load_lexicon(root: Path) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for path in _vocab_files(root, "lexicon"):
        src = _read(path)
        data = src.load() or {}
        if not isinstance(data, dict):
            raise src.fail([], "must map list names to lists of words")
        for k, v in data.items():
            if str(k) in out:
                raise src.fail([k], f"word list '{k}' is defined twice")
            out[str(k)] = _str_list(src, [k], v)
    return out


def _load_concepts(root: Path, lexicon: Mapping[str, tuple[str, ...]], into: dict[str, Matchable]) -> None:
    loaded: list[tuple[_Source, dict[str, Any]]] = []
    for path in _vocab_files(root, "concepts"):
        src = _read(path)
        data = src.load() or {}
        if not isinstance(data, dict):
            raise src.fail([], "must map concept names to phrases / lemmas / patterns / regex")
        loaded.append((src, data))
    names = set(into) | {str(n) for _src, data in loaded for n in data}
    for src, data in loaded:
        for name, body in data.items():
            if not isinstance(body, dict) or not body:
                raise src.fail([name], "a concept is a mapping with phrases, lemmas, patterns, regex or concept")
            extra = set(body) - (MATCH_KEYS | {"concept", "description", "case_sensitive"})
            if extra:
                raise src.fail([name, sorted(extra)[0]],
                               f"unknown key; use {', '.join(sorted(MATCH_KEYS | {'concept'}))}")
            into[str(name)] = matchable(src, [name], body, lexicon, names)


def rule_files(root: Path) -> list[Path]:
    core = root / "core"
    base = core if core.is_dir() else root
    vocab = {"lexicon", "concepts", "reasons"}
    return sorted(p for p in base.rglob("*.yaml") if p.is_file() and p.name not in
                  {"lexicon.yaml", "concepts.yaml", "sections.yaml"} and not vocab & set(p.relative_to(base).parts))


def load(extra_dirs: Sequence[str] = (), checks: Iterable[str] | None = None) -> RuleSet:
    """Built-in rules plus every `*.yaml` in `extra_dirs` (a file holds one rule or a list under `rules:`)."""
    from poalint.kinds import CUSTOM_CHECKS

    check_names = list(checks) if checks is not None else list(CUSTOM_CHECKS)
    root = builtin_dir()
    lexicon = _load_lexicon(root)
    concepts: dict[str, Matchable] = {}
    _load_concepts(root, lexicon, concepts)
    sections_src = _read(root / "sections.yaml")
    sections = sections_src.load() or {}
    rules: dict[str, Rule] = {}
    sources = [str(root)]
    dirs: list[tuple[Path, list[Path]]] = [(root, rule_files(root))]
    for d in extra_dirs:
        p = Path(d)
        if not p.is_dir():
            raise RuleFileError(f"{d}: --rules needs a folder of .yaml rule files, and this is not a folder")
        extra_lex = _load_lexicon(p)
        lexicon = {**lexicon, **extra_lex}
        _load_concepts(p, lexicon, concepts)
        dirs.append((p, rule_files(p)))
        sources.append(str(p))
    for _base, files in dirs:
        for path in files:
            src = _read(path)
            data = src.load()
            entries: list[tuple[list[object], Any]]
            if isinstance(data, dict) and "rules" in data and "id" not in data:
                if not isinstance(data["rules"], list):
                    raise src.fail(["rules"], "must be a list of rules")
                entries = [(["rules", i], r) for i, r in enumerate(data["rules"])]
            else:
                entries = [([], data)]
            for keys, body in entries:
                rule = parse_rule(src, keys, body, lexicon, concepts, check_names)
                if rule.id in rules and rules[rule.id].source != src.path:
                    raise src.fail(keys + ["id"], f"rule id '{rule.id}' is already defined in {rules[rule.id].source}")
                rules[rule.id] = rule
    from poalint.packs import load_packs

    reasons = load_packs([base for base, _files in dirs], lexicon, concepts, rules)
    return RuleSet(rules=rules, concepts=concepts, lexicon=lexicon, sections=sections, reasons=reasons,
                   sources=tuple(sources))
