"""Load and validate YAML rule files (yaml.safe_load only) into an immutable RuleSet.

Errors name the file, the line and the key. Nothing in a rule file can run code: a
rule picks one of the closed set of kinds in poalint.kinds and fills in its fields.
The values (Rule, Matchable ...) live in poalint.model, the field validators in poalint.schema.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from poalint.cache import INDEX, Fingerprints, load_rules, rules_key, store_rules
from poalint.model import (
    CATEGORIES,
    DEFAULT_WEIGHT,
    Alternative,
    Condition,
    Example,
    Matchable,
    NotAPartVocab,
    Rule,
    RuleSet,
    SectionVocab,
    Severity,
)
from poalint.ruleindex import RuleIndex
from poalint.schema import (
    MATCH_KEYS,
    RULE_ID,
    RuleFileError,
    Source,
    alternatives,
    catastrophic,
    conditions,
    decode_options,
    matchable,
    read_source,
    str_list,
    yaml_key_line,
)

if TYPE_CHECKING:
    from poalint.context import CustomCheck

__all__ = ["CATEGORIES", "DEFAULT_WEIGHT", "Alternative", "Condition", "Matchable", "Rule", "RuleFileError",
           "RuleSet", "catastrophic", "load", "parse_rule", "yaml_key_line"]
_catastrophic = catastrophic  # the name the regex-safety tests use

SCOPES = ("letter", "body", "root_cause", "corrective", "preventive", "measures", "parts", "headings", "other",
          "fixes", "actions")
COMMON_KEYS = {"id", "kind", "category", "severity", "summary", "description", "message", "fix", "weight",
               "scope", "examples", "needs"}


def parse_rule(src: Source, keys: list[object], data: Any, lexicon: Mapping[str, tuple[str, ...]],
               concepts: Iterable[str], checks: Mapping[str, CustomCheck]) -> Rule:
    from poalint.kinds import KINDS  # NOTE: the linting side, only when rule files are read (see load_index)

    concepts = list(concepts)
    if not isinstance(data, dict):
        raise src.fail(keys, "a rule must be a mapping with id, kind, category, severity, message and fix")
    kind = data.get("kind")
    if kind not in KINDS:
        raise src.fail(keys + ["kind"], f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    row = KINDS[kind]
    own = {f.name for f in fields(row.options)} if row.options is not None else set()
    allowed = COMMON_KEYS | row.reads | own
    for key in data:
        if key not in allowed:
            raise src.fail(keys + [key], f"unknown key for kind '{kind}'; allowed: {', '.join(sorted(allowed))}")
    for key in ("id", "category", "severity", "message", "fix", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise src.fail(keys + [key] if key in data else keys, f"missing or empty '{key}' (a string)")
    rid = data["id"]
    if not RULE_ID.match(rid):
        raise src.fail(keys + ["id"], f"rule id {rid!r} must be kebab-case, like 'blame-shifting'")
    if data["category"] not in CATEGORIES:
        raise src.fail(keys + ["category"], f"unknown category {data['category']!r}; use one of {', '.join(CATEGORIES)}")
    try:
        severity = Severity.parse(data["severity"])
    except KeyError:
        raise src.fail(keys + ["severity"], "severity must be error, warning or info") from None
    scope = str_list(src, keys + ["scope"], data["scope"]) if "scope" in data else ("body",)
    for s in scope:
        if s not in SCOPES:
            raise src.fail(keys + ["scope"], f"unknown scope {s!r}; use one of {', '.join(SCOPES)}")
    weight = data.get("weight")
    if weight is not None and (not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0):
        raise src.fail(keys + ["weight"], "weight must be a number >= 0")
    check = ""
    if row.options is None:  # kind: custom: the check's own Options, under `options:`
        name = data.get("check")
        if not isinstance(name, str) or name not in checks:
            raise src.fail(keys + ["check"], f"unknown custom check {name!r}; known: {', '.join(sorted(checks))}")
        check = name
        options = decode_options(src, keys + ["options"], data.get("options"), checks[check].options,
                                 f"check '{check}'", concepts, lexicon)
    else:  # the kind's own keys, in the rule itself
        options = decode_options(src, keys, {k: v for k, v in data.items() if k in own}, row.options,
                                 f"kind '{kind}'", concepts, lexicon, nested=False)
    match = matchable(src, keys, data, lexicon, concepts)
    alts = alternatives(src, keys + ["any"], data["any"], lexicon, concepts) if "any" in data else ()
    if kind in ("phrase", "regex", "count") and match.empty() and not alts:
        raise src.fail(keys, f"a {kind} rule needs at least one of phrases, lemmas, patterns, regex, concept or any")
    examples: dict[str, tuple[Example, ...]] = {}
    if "examples" in data:
        ex = data["examples"]
        if not isinstance(ex, dict) or set(ex) - {"fail", "pass"}:
            raise src.fail(keys + ["examples"], "examples must be a mapping with 'fail' and 'pass' lists")
        examples = {k: _examples(src, keys + ["examples", k], v) for k, v in ex.items()}
    return Rule(
        id=rid, kind=kind, category=data["category"], severity=severity, summary=data["summary"].strip(),
        message=data["message"].strip(), fix=data["fix"].strip(), description=str(data.get("description", "")).strip(),
        weight=float(weight) if weight is not None else None, scope=scope, match=match,
        unless=conditions(src, keys + ["unless"], data["unless"], lexicon, concepts) if "unless" in data else (),
        when=conditions(src, keys + ["when"], data["when"], lexicon, concepts) if "when" in data else (),
        alternatives=alts, options=options, check=check, examples=examples, source=src.path,
    )


SECTION_KEYS = ("headings", "greetings", "closings", "cues", "not_a_part")
_PART_NAMES = ("root_cause", "corrective", "preventive")


def section_vocab(src: Source, data: Any, concepts: Mapping[str, Matchable], rules: Mapping[str, Rule]
                   ) -> SectionVocab:
    """rules/sections.yaml: known keys and parts, cue weights, and every concept and rule it names."""
    if not isinstance(data, dict):
        raise src.fail([], f"must be a mapping with {', '.join(SECTION_KEYS)}")
    for key in data:
        if key not in SECTION_KEYS:
            raise src.fail([key], f"unknown key; use {', '.join(SECTION_KEYS)}")
    lists: dict[str, dict[str, tuple[Any, ...]]] = {}
    for key in ("headings", "cues"):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise src.fail([key], "must map parts (root_cause, corrective, preventive) to lists")
        lists[key] = {}
        for part, entries in value.items():
            if key == "cues" and part not in _PART_NAMES:
                raise src.fail([key, part], f"unknown part; use {', '.join(_PART_NAMES)}")
            if not isinstance(entries, list):
                raise src.fail([key, part], "must be a list")
            for i, entry in enumerate(entries):
                ok = isinstance(entry, str) or (key == "cues" and isinstance(entry, dict) and isinstance(
                    entry.get("cue"), str) and set(entry) <= {"cue", "weight"} and _number(entry.get("weight", 1)))
                if not ok:
                    raise src.fail([key, part, i], "must be a phrase, or {cue: phrase, weight: number} for cues")
            lists[key][str(part)] = tuple(entries) if key == "headings" else tuple(
                (e["cue"], float(e.get("weight", 1))) if isinstance(e, dict) else (e, 1.0) for e in entries)
    frame = {key: str_list(src, [key], data[key]) if key in data else () for key in ("greetings", "closings")}
    spec = data.get("not_a_part")
    return SectionVocab(lists["headings"], frame["greetings"], frame["closings"], lists["cues"],
                        None if spec is None else _not_a_part(src, spec, concepts, rules))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _not_a_part(src: Source, spec: Any, concepts: Mapping[str, Matchable], rules: Mapping[str, Rule]) -> NotAPartVocab:
    if not isinstance(spec, dict) or set(spec) - {"concepts", "rules", "concept_cues", "hard"}:
        raise src.fail(["not_a_part"], "must be a mapping with concepts, hard, rules and concept_cues")
    names = str_list(src, ["not_a_part", "concepts"], spec.get("concepts") or [])
    hard = str_list(src, ["not_a_part", "hard"], spec.get("hard") or [])
    for key, listed in (("concepts", names), ("hard", hard)):
        for i, name in enumerate(listed):
            if name not in concepts:
                raise src.fail(["not_a_part", key, i], f"unknown concept '{name}'")
    ids = str_list(src, ["not_a_part", "rules"], spec.get("rules") or [])
    for i, rid in enumerate(ids):
        if rid not in rules:
            raise src.fail(["not_a_part", "rules", i], f"unknown rule '{rid}'")
    cues = spec.get("concept_cues") or {}
    if not isinstance(cues, dict):
        raise src.fail(["not_a_part", "concept_cues"], "must map parts to lists of {concept: NAME, weight: N}")
    votes: dict[str, tuple[tuple[str, float], ...]] = {}
    for part, entries in cues.items():
        if part not in _PART_NAMES:
            raise src.fail(["not_a_part", "concept_cues", part], f"unknown part; use {', '.join(_PART_NAMES)}")
        if not isinstance(entries or [], list):
            raise src.fail(["not_a_part", "concept_cues", part], "must be a list of {concept: NAME, weight: N}")
        for i, e in enumerate(entries or []):
            if not isinstance(e, dict) or e.get("concept") not in concepts or set(e) - {"concept", "weight"} or not _number(
                    e.get("weight", 1)):
                raise src.fail(["not_a_part", "concept_cues", part, i],
                               f"must be {{concept: <a known concept>, weight: N}}, not {e!r}")
        votes[str(part)] = tuple((str(e["concept"]), float(e.get("weight", 1))) for e in entries or [])
    return NotAPartVocab(names, ids, votes, hard)


def _examples(src: Source, keys: list[object], value: Any) -> tuple[Example, ...]:
    """Each example is a text, or `{text: ..., reason: ID, notice: TEXT, previous: TEXT, repeat: N}` for rules
    that need a reason, a notice, a previous appeal or a long letter."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise src.fail(keys, "must be a list of texts or of mappings with text, reason and notice")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append(Example(item))
            continue
        if not isinstance(item, dict) or set(item) - {"text", "reason", "notice", "previous", "repeat"} or not isinstance(
                item.get("text"), str) or not item["text"].strip():
            raise src.fail(keys + [i], "an example is a text, or a mapping with text (and reason, notice, previous, repeat)")
        for key in ("reason", "notice", "previous"):
            if key in item and not (isinstance(item[key], str) and item[key].strip()):
                raise src.fail(keys + [i, key], "must be a non-empty string")
        repeat = item.get("repeat", 1)
        if not isinstance(repeat, int) or isinstance(repeat, bool) or not 1 <= repeat <= 100:
            raise src.fail(keys + [i, "repeat"], "must be a whole number from 1 to 100")
        out.append(Example(item["text"], item.get("reason"), item.get("notice"), item.get("previous"), repeat))
    return tuple(out)


# ---------------------------------------------------------------- files


def builtin_dir() -> Path:
    return Path(__file__).parent / "rules"  # (what importlib.resources gives for a package on disk, without its import)


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
        src = read_source(path)
        data = src.load() or {}
        if not isinstance(data, dict):
            raise src.fail([], "must map list names to lists of words")
        for k, v in data.items():
            if str(k) in out:
                raise src.fail([k], f"word list '{k}' is defined twice")
            out[str(k)] = str_list(src, [k], v)
    return out


def _load_concepts(root: Path, lexicon: Mapping[str, tuple[str, ...]], into: dict[str, Matchable]) -> None:
    loaded: list[tuple[Source, dict[str, Any]]] = []
    for path in _vocab_files(root, "concepts"):
        src = read_source(path)
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
    for src, data in loaded:
        for name in data:
            loop = _cycle(str(name), into)
            if loop:
                raise src.fail([name, "concept"], f"concepts refer to each other in a loop: {' -> '.join(loop)}")


def _cycle(start: str, concepts: Mapping[str, Matchable]) -> list[str]:
    """The loop of concept references through `start` (start -> ... -> start), or [] when there is none."""
    path: list[str] = []
    seen: set[str] = set()

    def walk(name: str) -> list[str]:
        if name == start and path:
            return [*path, name]
        if name in seen or name not in concepts:
            return []
        seen.add(name)
        path.append(name)
        for ref in concepts[name].concepts:
            found = walk(ref)
            if found:
                return found
        path.pop()
        return []

    return walk(start)


def rule_files(root: Path) -> list[Path]:
    core = root / "core"
    base = core if core.is_dir() else root
    vocab = {"lexicon", "concepts", "reasons"}
    return sorted(p for p in base.rglob("*.yaml") if p.is_file() and p.name not in
                  {"lexicon.yaml", "concepts.yaml", "sections.yaml"} and not vocab & set(p.relative_to(base).parts))


def load(extra_dirs: Sequence[str] = (), checks: Mapping[str, CustomCheck] | None = None,
         cache: Path | None = None, prints: Fingerprints | None = None) -> RuleSet:
    """Built-in rules plus every `*.yaml` in `extra_dirs` (a file holds one rule or a list under `rules:`).

    With `cache` (a result-cache folder), the checked rules are kept there, keyed by the rule files and
    poalint's code, and later runs load them without parsing or validating a file (see poalint.cache);
    `prints` are the run's fingerprints, computed once.
    """
    if cache is not None and checks is None:
        key = _cache_key(extra_dirs, prints)
        if key is not None:
            got = load_rules(cache, key)
            if isinstance(got, RuleSet):
                return got
            fresh = load(extra_dirs)
            store_rules(cache, key, fresh)
            store_rules(cache, key, RuleIndex.of(fresh), INDEX)
            return fresh
    # NOTE: the linting side (kinds, checks, packs) is imported only when rule files are read
    from poalint.kinds import CHECKS
    from poalint.packs import load_packs

    check_table = checks if checks is not None else CHECKS
    root = builtin_dir()
    lexicon = _load_lexicon(root)
    concepts: dict[str, Matchable] = {}
    _load_concepts(root, lexicon, concepts)
    sections_src = read_source(root / "sections.yaml")
    sections_data = sections_src.load() or {}
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
            src = read_source(path)
            data = src.load()
            entries: list[tuple[list[object], Any]]
            if isinstance(data, dict) and "rules" in data and "id" not in data:
                if not isinstance(data["rules"], list):
                    raise src.fail(["rules"], "must be a list of rules")
                entries = [(["rules", i], r) for i, r in enumerate(data["rules"])]
            else:
                entries = [([], data)]
            for keys, body in entries:
                rule = parse_rule(src, keys, body, lexicon, concepts, check_table)
                if rule.id in rules and rules[rule.id].source != src.path:
                    raise src.fail(keys + ["id"], f"rule id '{rule.id}' is already defined in {rules[rule.id].source}")
                rules[rule.id] = rule
    _check_named_rules(rules)
    sections = section_vocab(sections_src, sections_data, concepts, rules)
    reasons = load_packs([base for base, _files in dirs], lexicon, concepts, rules)
    return RuleSet(rules=rules, concepts=concepts, lexicon=lexicon, sections=sections, reasons=reasons,
                   sources=tuple(sources))


def _check_named_rules(rules: Mapping[str, Rule]) -> None:
    """Rule ids named inside a rule's options (weak-substance's problems) must exist, reported at their line."""
    for rule in rules.values():
        named = getattr(rule.options, "rule_ids", None)
        if named is None:
            continue
        for path, rid in named():
            if rid not in rules:
                src = read_source(Path(rule.source))
                close = difflib.get_close_matches(rid, list(rules), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise src.fail(["options", *path], f"unknown rule id '{rid}'{hint}")


def _cache_key(extra_dirs: Sequence[str], prints: Fingerprints | None) -> str | None:
    if not all(Path(d).is_dir() for d in extra_dirs):
        return None  # not a folder: load() says so
    return rules_key([builtin_dir(), *extra_dirs], prints)


def load_index(extra_dirs: Sequence[str] = (), cache: Path | None = None,
               prints: Fingerprints | None = None) -> RuleIndex | None:
    """The RuleIndex of `load(extra_dirs, cache=cache)` when the rules cache holds it (nothing parsed, none
    of the linting side imported), else None: the caller loads the RuleSet (which fills the cache)."""
    key = _cache_key(extra_dirs, prints) if cache is not None else None
    if key is None:
        return None
    got = load_rules(cache, key, INDEX)  # type: ignore[arg-type]
    return got if isinstance(got, RuleIndex) else None
