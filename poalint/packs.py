"""Load and validate reason packs (rules/reasons/<reason-id>.yaml): data for the relevance rules, never code.

A pack names a suspension reason, the words that identify it in a notice or a letter,
the root-cause and measure themes a letter for it should cover, the evidence it needs,
severity overrides and what `poalint template` prints. Errors name file, line and key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from poalint.model import Matchable, Severity
from poalint.schema import MATCH_KEYS, RULE_ID, RuleFileError, Source, matchable, read_source, str_list

PACK_KEYS = {"id", "title", "summary", "description", "problem", "notice", "detect", "related", "themes", "min_themes",
             "evidence", "severity", "template", "examples", "names"}
# `examples:` of a pack: one example sentence per part, shown in the fix text of rules that write
# {example_root_cause} / {example_corrective} / {example_preventive}; GENERIC_EXAMPLES when no reason is known.
EXAMPLE_KEYS = ("root_cause", "corrective", "preventive")
GENERIC_EXAMPLES = {
    "root_cause": "'Our listing checklist had no step for this, so nobody compared the listing with the policy "
                  "before it went live.'",
    "corrective": "'On 3 March we removed the listing and wrote to the 12 buyers of the affected orders.'",
    "preventive": "'From 10 March our operations lead checks every new listing against the checklist before it "
                  "goes live, and reviews the account health page every Monday.'",
}
THEME_KEYS = MATCH_KEYS | {"concept", "name", "label"}
EVIDENCE_KEYS = MATCH_KEYS | {"concept", "required", "label", "not_accepted"}
TEMPLATE_KEYS = {"opening", "root_cause", "corrective", "preventive", "evidence"}
THEME_GROUPS = ("root_cause", "measures")


@dataclass(frozen=True)
class Theme:
    """One thing a letter for the reason should talk about, e.g. 'handling-time'."""

    name: str
    label: str  # plain words for messages: "the handling time you set"
    match: Matchable


@dataclass(frozen=True)
class Evidence:
    """Documents the reason calls for; `rejected` mentions (pro forma ...) do not count."""

    required: bool
    label: str
    match: Matchable
    rejected_label: str = ""
    rejected: Matchable = field(default_factory=Matchable)


@dataclass(frozen=True)
class ReasonPack:
    """A suspension reason, validated at load: what identifies it, what a letter for it should cover."""

    id: str
    title: str
    summary: str
    source: str
    description: str = ""
    problem: str = "the problem"
    notice: tuple[str, ...] = ()
    detect: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    themes: Mapping[str, tuple[Theme, ...]] = field(default_factory=lambda: MappingProxyType({}))
    min_themes: int = 1
    evidence: Evidence | None = None
    severity: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    template: Mapping[str, str | tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    examples: Mapping[str, str] = field(default_factory=lambda: MappingProxyType(dict(GENERIC_EXAMPLES)))
    # how else sellers name the problem ("orders went out late", "dispatched after the handling time"):
    # lemmas / patterns, matched like a rule's; with the notice and detect phrases it says the letter names it
    names: Matchable = field(default_factory=Matchable)
    # NOTE: built once at load so the matcher cache (keyed by object identity) sees one Matchable per pack.
    vocab: Matchable = field(default_factory=Matchable)

    def group(self, name: str) -> tuple[Theme, ...]:
        """The themes of one group ("root_cause" or "measures"), empty when the pack has none."""
        return self.themes.get(name, ())

    def example_values(self) -> dict[str, str]:
        """{example_root_cause: ..., ...} for the fix texts of the rules."""
        return {f"example_{k}": v for k, v in self.examples.items()}


def example_values(pack: ReasonPack | None) -> dict[str, str]:
    """The fix-text example values of a pack, or the generic ones when no reason is known."""
    if pack is None:
        return {f"example_{k}": v for k, v in GENERIC_EXAMPLES.items()}
    return pack.example_values()



def _theme(src: Source, keys: list[object], data: Any, lexicon: Mapping[str, tuple[str, ...]],
           concepts: Iterable[str]) -> Theme:
    if not isinstance(data, dict):
        raise src.fail(keys, "a theme is a mapping with name, label and phrases / lemmas / patterns")
    extra = set(data) - THEME_KEYS
    if extra:
        raise src.fail(keys + [sorted(extra)[0]], f"unknown key; allowed: {', '.join(sorted(THEME_KEYS))}")
    for key in ("name", "label"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise src.fail(keys + [key] if key in data else keys, f"missing or empty '{key}' (a string)")
    match = matchable(src, keys, data, lexicon, concepts)
    if match.empty():
        raise src.fail(keys, "a theme needs at least one of phrases, lemmas, patterns, regex or concept")
    return Theme(data["name"], data["label"].strip(), match)


def _evidence(src: Source, data: Any, lexicon: Mapping[str, tuple[str, ...]], concepts: Iterable[str]) -> Evidence:
    keys: list[object] = ["evidence"]
    if not isinstance(data, dict):
        raise src.fail(keys, "evidence is a mapping with required, label, phrases / lemmas and not_accepted")
    extra = set(data) - EVIDENCE_KEYS
    if extra:
        raise src.fail(keys + [sorted(extra)[0]], f"unknown key; allowed: {', '.join(sorted(EVIDENCE_KEYS))}")
    if not isinstance(data.get("label"), str) or not data["label"].strip():
        raise src.fail(keys + ["label"] if "label" in data else keys, "missing or empty 'label' (a string)")
    if not isinstance(data.get("required", False), bool):
        raise src.fail(keys + ["required"], "required must be true or false")
    match = matchable(src, keys, data, lexicon, concepts)
    if match.empty():
        raise src.fail(keys, "evidence needs phrases, lemmas, patterns, regex or concept naming the documents")
    rejected, rejected_label = Matchable(), ""
    if "not_accepted" in data:
        body = data["not_accepted"]
        if not isinstance(body, dict) or not isinstance(body.get("label"), str):
            raise src.fail(keys + ["not_accepted"], "not_accepted is a mapping with a label and phrases / lemmas")
        bad = set(body) - (MATCH_KEYS | {"concept", "label"})
        if bad:
            raise src.fail(keys + ["not_accepted", sorted(bad)[0]], "unknown key; use label, phrases, lemmas, patterns")
        rejected, rejected_label = matchable(src, keys + ["not_accepted"], body, lexicon, concepts), body["label"]
    return Evidence(bool(data.get("required", False)), data["label"].strip(), match, rejected_label, rejected)


def parse_pack(src: Source, data: Any, lexicon: Mapping[str, tuple[str, ...]], concepts: Iterable[str],
               rule_ids: Iterable[str]) -> ReasonPack:
    concepts = list(concepts)
    if not isinstance(data, dict):
        raise src.fail([], "a reason pack is a mapping with id, title, summary, notice and themes")
    for key in data:
        if key not in PACK_KEYS:
            raise src.fail([key], f"unknown key; allowed: {', '.join(sorted(PACK_KEYS))}")
    for key in ("id", "title", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise src.fail([key] if key in data else [], f"missing or empty '{key}' (a string)")
    pid = data["id"]
    if not RULE_ID.match(pid) or Path(src.path).stem != pid:
        raise src.fail(["id"], f"pack id {pid!r} must be kebab-case and match the file name ({Path(src.path).stem})")
    if "notice" not in data:
        raise src.fail([], "missing 'notice': the phrases that identify this reason in an Amazon notice")
    themes = data.get("themes")
    if not isinstance(themes, dict) or set(themes) - set(THEME_GROUPS) or not themes.get("root_cause"):
        raise src.fail(["themes"], "themes is a mapping with a non-empty 'root_cause' list and a 'measures' list")
    parsed: dict[str, tuple[Theme, ...]] = {}
    for group in THEME_GROUPS:
        items = themes.get(group) or []
        if not isinstance(items, list):
            raise src.fail(["themes", group], "must be a list of themes")
        parsed[group] = tuple(_theme(src, ["themes", group, i], t, lexicon, concepts) for i, t in enumerate(items))
        names = [t.name for t in parsed[group]]
        if len(set(names)) != len(names):
            raise src.fail(["themes", group], "theme names must be unique within a group")
    severity: dict[str, Severity] = {}
    known = set(rule_ids)
    overrides = data.get("severity") or {}
    if not isinstance(overrides, dict):
        raise src.fail(["severity"], "severity is a mapping of rule id to error, warning or info")
    for rid, level in overrides.items():
        # NOTE: a rule id not loaded in this run (a rule file added later, another rules folder) is
        # allowed if it is spelled like one; tests check the built-in packs against the built-in rules.
        if rid not in known and not RULE_ID.match(str(rid)):
            raise src.fail(["severity", rid], f"'{rid}' is not a rule id (kebab-case, like missing-timeline)")
        try:
            severity[str(rid)] = Severity.parse(str(level))
        except KeyError:
            raise src.fail(["severity", rid], "severity must be error, warning or info") from None
    template = data.get("template") or {}
    if not isinstance(template, dict) or set(template) - TEMPLATE_KEYS:
        raise src.fail(["template"], f"template is a mapping with keys {', '.join(sorted(TEMPLATE_KEYS))}")
    min_themes = data.get("min_themes", 1)
    if not isinstance(min_themes, int) or isinstance(min_themes, bool) or min_themes < 1:
        raise src.fail(["min_themes"], "min_themes must be a whole number >= 1")
    notice = str_list(src, ["notice"], data["notice"])
    detect = str_list(src, ["detect"], data["detect"]) if "detect" in data else ()
    return ReasonPack(
        id=pid, title=data["title"].strip(), summary=data["summary"].strip(), source=src.path,
        description=str(data.get("description", "")).strip(),
        problem=str(data.get("problem") or "the problem").strip(),
        notice=notice, detect=detect,
        related=str_list(src, ["related"], data["related"]) if "related" in data else (),
        themes=MappingProxyType(parsed), min_themes=min_themes,
        evidence=_evidence(src, data["evidence"], lexicon, concepts) if "evidence" in data else None,
        severity=MappingProxyType({k: str(v) for k, v in severity.items()}),
        template=MappingProxyType({k: (str_list(src, ["template", k], v) if isinstance(v, list) else str(v))
                                   for k, v in template.items()}),
        examples=_examples(src, data.get("examples")),
        names=_names(src, data.get("names"), lexicon, concepts),
        vocab=Matchable(phrases=tuple(p for p in (*detect, *notice) if "@" not in p and "..." not in p)),
    )


def _names(src: Source, data: Any, lexicon: Mapping[str, tuple[str, ...]], concepts: Iterable[str]) -> Matchable:
    if data is None:
        return Matchable()
    if not isinstance(data, dict) or set(data) - (MATCH_KEYS | {"concept"}):
        raise src.fail(["names"], "names is a mapping with phrases / lemmas / patterns / regex / concept")
    return matchable(src, ["names"], data, lexicon, concepts)


def _examples(src: Source, data: Any) -> Mapping[str, str]:
    """The pack's example sentence per part; a part it leaves out takes the generic example."""
    if data is None:
        return MappingProxyType(dict(GENERIC_EXAMPLES))
    if not isinstance(data, dict):
        raise src.fail(["examples"], f"examples is a mapping with keys {', '.join(EXAMPLE_KEYS)}")
    out = dict(GENERIC_EXAMPLES)
    for key, value in data.items():
        if key not in EXAMPLE_KEYS:
            raise src.fail(["examples", key], f"unknown key; allowed: {', '.join(EXAMPLE_KEYS)}")
        if not isinstance(value, str) or not value.strip():
            raise src.fail(["examples", key], "an example is a non-empty string (one sentence a seller could write)")
        out[key] = "'" + value.strip().strip("'") + "'"
    return MappingProxyType(out)


def load_packs(dirs: Iterable[Path], lexicon: Mapping[str, tuple[str, ...]], concepts: Iterable[str],
               rule_ids: Iterable[str]) -> dict[str, ReasonPack]:
    """Every `reasons/*.yaml` under the given rule folders; a later folder may not redefine a pack."""
    packs: dict[str, ReasonPack] = {}
    concepts, rule_ids = list(concepts), list(rule_ids)
    for root in dirs:
        folder = root / "reasons"
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.glob("*.yaml") if p.is_file()):
            src = read_source(path)
            pack = parse_pack(src, src.load(), lexicon, concepts, rule_ids)
            if pack.id in packs:
                raise src.fail(["id"], f"reason '{pack.id}' is already defined in {packs[pack.id].source}")
            packs[pack.id] = pack
    for pack in packs.values():
        for other in pack.related:
            if other not in packs:
                src = read_source(Path(pack.source))
                raise src.fail(["related"], f"unknown reason '{other}' in related; known: {', '.join(sorted(packs))}")
    return packs


__all__ = ["Evidence", "GENERIC_EXAMPLES", "ReasonPack", "RuleFileError", "Theme", "example_values", "load_packs",
           "parse_pack"]
