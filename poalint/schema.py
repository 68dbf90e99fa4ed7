"""Shared YAML field validators: rule files, reason packs, sections.yaml and configuration use these.

A mistake raises RuleFileError as `path:line: key: what is wrong` (the run exits 2).
Nothing here runs code from a file: YAML is read with safe_load only.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from poalint.model import Alternative, Condition, Matchable
from poalint.regexsafety import nested_repeat
from poalint.safeyaml import safe_load

MATCH_KEYS = {"phrases", "lemmas", "patterns", "regex"}
RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class RuleFileError(Exception):
    """A rule or vocabulary file is invalid: `path:line: key: what is wrong`."""


# ---------------------------------------------------------------- line lookup


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


class Source:
    """One YAML file being validated; `fail()` raises with path, line and key."""

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text

    def fail(self, keys: Sequence[object], problem: str) -> RuleFileError:
        line = yaml_key_line(self.text, keys)
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


def str_list(src: Source, keys: list[object], value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise src.fail(keys, "must be a list of non-empty strings")
    return tuple(value)


def patterns(src: Source, keys: list[object], value: Any, lexicon: Mapping[str, tuple[str, ...]]
              ) -> tuple[tuple[Mapping[str, Any], ...], ...]:
    if not isinstance(value, list):
        raise src.fail(keys, "must be a list of spaCy token patterns (each a list of token dicts)")
    out = []
    for i, pattern in enumerate(value):
        if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
            raise src.fail(keys + [i], "a token pattern is a non-empty list of mappings like {LEMMA: carrier}")
        expanded = tuple(expand(src, keys + [i], t, lexicon) for t in pattern)
        problems = validate_pattern(expanded)
        if problems:
            raise src.fail(keys + [i], f"not a valid spaCy token pattern: {problems}")
        out.append(expanded)
    return tuple(out)


def expand(src: Source, keys: list[object], token: Mapping[str, Any], lexicon: Mapping[str, tuple[str, ...]]
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


def validate_pattern(pattern: tuple[Mapping[str, Any], ...]) -> str:
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
                        if catastrophic(arg):
                            return f"REGEX {arg!r} nests repeats ((a+)+ style) and can hang; rewrite it without them"
    return ""


def regexes(src: Source, keys: list[object], value: Any, refuse_nested: bool = True) -> tuple[str, ...]:
    items = str_list(src, keys, value)
    for i, rx in enumerate(items):
        try:
            re.compile(rx)
        except re.error as exc:
            raise src.fail(keys + [i], f"invalid regular expression {rx!r}: {exc}") from None
        if refuse_nested and catastrophic(rx):
            raise src.fail(keys + [i], f"regular expression {rx!r} nests repeats ((a+)+ style) and can hang on long "
                                       "lines; rewrite it without a repeated group that itself repeats")
    return items


_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]")


def catastrophic(rx: str) -> bool:
    """Reject the classic catastrophic-backtracking shape: a repeated group containing a repeat
    (a quick textual check, then Python's parse tree, which also sees nested groups and {n,} counts)."""
    return bool(_NESTED.search(rx)) or nested_repeat(rx) is not None


def matchable(src: Source, keys: list[object], data: Mapping[str, Any], lexicon: Mapping[str, tuple[str, ...]],
              concepts: Iterable[str]) -> Matchable:
    known = set(concepts)
    names: tuple[str, ...] = ()
    if "concept" in data:
        names = str_list(src, keys + ["concept"], data["concept"])
        for n in names:
            if n not in known:
                raise src.fail(keys + ["concept"], f"unknown concept '{n}'; known: {', '.join(sorted(known))}")
    return Matchable(
        phrases=str_list(src, keys + ["phrases"], data["phrases"]) if "phrases" in data else (),
        lemmas=str_list(src, keys + ["lemmas"], data["lemmas"]) if "lemmas" in data else (),
        patterns=patterns(src, keys + ["patterns"], data["patterns"], lexicon) if "patterns" in data else (),
        regex=regexes(src, keys + ["regex"], data["regex"]) if "regex" in data else (),
        concepts=names,
        case_sensitive=bool(data.get("case_sensitive", False)),
    )


_WHERE = ("sentence", "block", "part", "letter", "before", "after")


def conditions(src: Source, keys: list[object], value: Any, lexicon: Mapping[str, tuple[str, ...]],
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
            names = str_list(src, keys + [where], what)
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


def alternatives(src: Source, keys: list[object], value: Any, lexicon: Mapping[str, tuple[str, ...]],
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
            m, conditions(src, here + ["unless"], alt["unless"], lexicon, concepts) if "unless" in alt else (),
            conditions(src, here + ["when"], alt["when"], lexicon, concepts) if "when" in alt else (), repeat))
    return tuple(out)



def read_source(path: Path) -> Source:
    try:
        return Source(str(path), path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}:1: cannot be read: {exc}") from None


def decode_options(src: Source, keys: list[object], value: Any, cls: type, owner: str,
                   concepts: Iterable[str], lexicon: Mapping[str, tuple[str, ...]], nested: bool = True) -> Any:
    """Options as their frozen dataclass (a custom check's `options:`, or a kind's own keys of the rule):
    unknown keys, types, choices and every concept / word-list name (defaults included, so a renamed list
    cannot silently turn a rule off). `owner` names whose options they are ("check 'shouting'", "kind
    'metric'"); `nested` is False for a kind's keys, which stand in the rule itself."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise src.fail(keys, "options must be a mapping")
    declared = {f.name: f for f in dataclasses.fields(cls)}
    for key in value:
        if key not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise src.fail(keys + [key], f"unknown option for {owner}; known options: {known}")
    known_concepts = set(concepts)
    out: dict[str, Any] = {}
    for name, f in declared.items():
        kind = f.metadata.get("kind", "any")
        here = keys + [name]
        if name in value:
            v = value[name]
        elif f.default is not dataclasses.MISSING:
            v = f.default
            here = keys  # a default: the problem is the rule set's, reported at the rule's options
        elif nested:
            raise src.fail(keys, f"{owner} needs the option '{name}'")
        else:
            raise src.fail(keys, f"a rule of {owner} needs '{name}'")
        if v is None:
            out[name] = None
            continue
        if kind == "int" and (not isinstance(v, int) or isinstance(v, bool)):
            raise src.fail(here, "must be a whole number")
        if kind == "number" and (not isinstance(v, (int, float)) or isinstance(v, bool)):
            raise src.fail(here, "must be a number")
        if kind == "bool" and not isinstance(v, bool):
            raise src.fail(here, "must be true or false")
        if kind in ("str", "concept", "lexicon") and not (isinstance(v, str) and v.strip()):
            raise src.fail(here, "must be a name (a string)")
        if f.metadata.get("choices") and v not in f.metadata["choices"]:
            raise src.fail(here, f"unknown value {v!r}; use one of {', '.join(f.metadata['choices'])}")
        if kind == "concept" and v not in known_concepts:
            raise src.fail(here, f"unknown concept '{v}'"
                                 f"{' (the default of this option)' if here == keys else ''}; "
                                 f"known: {', '.join(sorted(known_concepts))}")
        if kind == "lexicon" and v not in lexicon:
            raise src.fail(here, f"unknown word list '{v}'"
                                 f"{' (the default of this option)' if here == keys else ''}; "
                                 f"known lists: {', '.join(sorted(lexicon))}")
        if kind in ("parts", "words", "wordlist"):
            v = str_list(src, here, list(v) if isinstance(v, tuple) else v)
        if kind == "wordlist":  # "$name" puts a lexicon word list in place (an acronym allowlist shared by rules)
            v = tuple(expand(src, here, {"x": {"IN": list(v)}}, lexicon)["x"]["IN"])
        if kind == "parts":
            for p in v:
                if p not in ("root_cause", "corrective", "preventive"):
                    raise src.fail(here, f"unknown part {p!r}; use root_cause, corrective or preventive")
        if kind == "regexes":
            # NOTE: compiled only: these run per notice item, not over whole letters
            v = regexes(src, here, list(v) if isinstance(v, tuple) else v, refuse_nested=False)
        out[name] = v
    got = cls(**out)
    problem = got.invalid() if hasattr(got, "invalid") else None
    if isinstance(problem, tuple):  # (key path under the options, problem): reported at that key's line
        raise src.fail(keys + list(problem[0]), problem[1])
    if problem:
        raise src.fail(keys, problem)
    for path, kind, name in (got.names() if hasattr(got, "names") else ()):  # names inside nested options
        if kind == "concept" and name not in known_concepts:
            raise src.fail(keys + path, f"unknown concept '{name}'; known: {', '.join(sorted(known_concepts))}")
        if kind == "lexicon" and name not in lexicon:
            raise src.fail(keys + path, f"unknown word list '{name}'; known lists: {', '.join(sorted(lexicon))}")
    return got
