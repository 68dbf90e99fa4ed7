"""The letter-level judgement `weak-substance`: a plan weak in several separate ways fails as a whole.

A reviewer does not add up warnings one by one: a letter whose cause is vague, whose measures name no
mechanism and that gives no dates is rejected even though no single sentence is an error. The rule
file (rules/core/meta/weak-substance.yaml) names the *problems* (each a group of rules that show the same
weakness: "vague cause" is vague-root-cause, ignorance-excuse or missing-root-cause) and how many separate
problems make the letter fail (`min`). The engine judges after every other rule has run
(`poalint.engine.Linter.judge`): the check below finds nothing in the text itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from poalint.context import Context, Hit, option
from poalint.model import Finding, Rule, Severity

CHECK = "weak-substance"  # the name of the check in poalint.kinds.custom.CHECKS
PARTS = ("root_cause", "corrective", "preventive")  # the parts a finding may be about (Finding.part)


@dataclass(frozen=True)
class Problem:
    """One kind of weakness: its name in the verdict ("vague cause"), the rules that show it, how to fix it."""

    name: str
    rules: tuple[str, ...]  # rule ids; "thin-section:root_cause" counts that rule's findings about that part only
    fix: str


@dataclass(frozen=True)
class SubstanceOptions:
    # `problems` is a mapping `name: {rules: [rule ids], fix: "how to mend it"}`, in the order the verdict
    # lists them; checked by `invalid` (shape) and by the rule loader (rule ids, see `rule_ids`)
    problems: Any = option()
    min: int = option(3, "int")  # separate problems that make the letter fail (settings: {weak-substance: {min: N}})
    min_severity: str = option("warning", "str", ("info", "warning", "error"))  # a finding counts from this level

    def invalid(self) -> tuple[tuple[object, ...], str] | str | None:
        if self.min < 1:
            return ("min",), "must be 1 or more"
        if not isinstance(self.problems, dict) or not self.problems:
            return ("problems",), "must map each problem's name to {rules: [rule ids], fix: text}"
        for name, spec in self.problems.items():
            where: tuple[object, ...] = ("problems", name)
            if not isinstance(name, str) or not name.strip():
                return ("problems",), f"a problem's name must be text, not {name!r}"
            if not isinstance(spec, dict) or set(spec) - {"rules", "fix"} or "rules" not in spec:
                return where, "must be a mapping with `rules` (a list of rule ids) and `fix` (text)"
            rules = spec["rules"]
            if not isinstance(rules, list) or not rules or not all(isinstance(r, str) and r for r in rules):
                return (*where, "rules"), "must be a non-empty list of rule ids"
            for i, r in enumerate(rules):
                part = r.partition(":")[2]
                if ":" in r and part not in PARTS:
                    return (*where, "rules", i), (f"unknown part {part!r} after ':'; use "
                                                  f"{', '.join(PARTS)} (or the rule id alone for every part)")
            if not isinstance(spec.get("fix", ""), str):
                return (*where, "fix"), "must be text"
        return None

    def groups(self) -> tuple[Problem, ...]:
        return tuple(Problem(name, tuple(spec["rules"]), str(spec.get("fix", "")).strip())
                     for name, spec in self.problems.items())

    def rule_ids(self) -> Iterator[tuple[tuple[object, ...], str]]:
        """(key path under the options, rule id) of every rule a problem names, for the loader to check."""
        for name, spec in self.problems.items():
            for i, rid in enumerate(spec["rules"]):
                yield ("problems", name, "rules", i), rid.partition(":")[0]


def not_in_the_text(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Nothing: weak-substance judges the other rules' findings, after they have all run (Linter.judge)."""
    return iter(())


def found(findings: Sequence[Finding], options: SubstanceOptions) -> list[tuple[Problem, list[Finding]]]:
    """The problems the findings show (each with its findings, in letter order), in the rule file's order."""
    level = Severity.parse(options.min_severity)
    out: list[tuple[Problem, list[Finding]]] = []
    for problem in options.groups():
        hits = [f for f in findings if f.severity >= level and (f.rule in problem.rules
                                                                 or f"{f.rule}:{f.part}" in problem.rules)]
        if hits:
            out.append((problem, hits))
    return out


def minimum(rule: Rule, settings: Mapping[str, Any]) -> int:
    """`min` of the rule file, or of the configuration (`settings: {weak-substance: {min: 4}}`)."""
    own = rule.options.min if isinstance(rule.options, SubstanceOptions) else 3
    value = settings.get(f"{rule.id}.min", settings.get(rule.id, own))
    return max(1, int(value))
