"""The per-configuration linter: compiled matchers and section cues, the kinds run over a Document, scoring.

`poalint.api.lint_letter` is the one per-letter entry point; it uses a Linter to build the
Document (`Linter.document`) and to run the rules over it (`Linter.check`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from poalint.checks import substance
from poalint.context import Context, Hit
from poalint.document import Document, build
from poalint.kinds import KINDS
from poalint.letter import Letter
from poalint.matching import Matchers, reachable
from poalint.model import CATEGORIES, DEFAULT_WEIGHT, MAX_PER_RULE, Finding, Report, Resolved, Rule, RuleSet, Severity
from poalint.packs import ReasonPack, example_values
from poalint.sections import CueMatcher, NotAPart, Sections, find_sections, not_a_part
from poalint.structure import HeadingVocab
from poalint.suppress import UNUSED, apply

EXCERPT_MAX = 200


@dataclass(frozen=True)
class Options:
    """What changes a run besides the rules: selection, thresholds, reason."""

    min_score: float = 70.0
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)  # rule thresholds, e.g. {"too-long": 1200}
    fail_on: Severity = Severity.ERROR
    max_per_rule: int = MAX_PER_RULE


def score(findings: Sequence[Finding], weights: Mapping[str, float],
          levels: Mapping[str, Severity] | None = None) -> float:
    """100 minus the weighted findings; each repeat of a rule counts half the one before.

    `levels` gives the severity each rule runs at: a finding a check lowered below it (the check was
    unsure, or the letter is an excerpt that stops before what is missing) costs at most the default
    weight of its own severity, so an unsure "no preventive part" costs a warning, not an error."""
    penalty = 0.0
    per_rule: dict[str, int] = {}
    for f in findings:
        n = per_rule.get(f.rule, 0)
        per_rule[f.rule] = n + 1
        w = weights.get(f.rule, 0.0)
        level = levels.get(f.rule) if levels else None
        if level is not None and f.severity < level:
            w = min(w, DEFAULT_WEIGHT[f.severity])
        penalty += w * 0.5**n  # a geometric series: one rule never costs more than twice its weight
    return round(max(0.0, 100.0 - penalty), 1)


def cap(findings: list[Finding], limit: int) -> list[Finding]:
    """The first `limit` findings of each rule (in letter order); the rest become one finding, at the first one
    left out, that says how many more there are. The score and verdict count them all. 0: no cap."""
    if limit <= 0:
        return findings
    seen: dict[str, int] = {}
    for f in findings:
        seen[f.rule] = seen.get(f.rule, 0) + 1
    if all(n <= limit for n in seen.values()):
        return findings
    kept: list[Finding] = []
    shown: dict[str, int] = {}
    for f in findings:
        n = shown[f.rule] = shown.get(f.rule, 0) + 1
        if n <= limit:
            kept.append(f)
        elif n == limit + 1:
            more = seen[f.rule] - limit
            kept.append(replace(
                f, message=f"{_plural(more, 'more finding')} of {f.rule} in this letter, from here on, "
                           f"{'is' if more == 1 else 'are'} not listed (the first {limit} are).",
                fix="Fix the ones listed and run poalint again; to list them all, use --max-per-rule 0 "
                    "(or max-per-rule: 0 in .poalint.yaml)."))
    return kept


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def verdict(findings: Sequence[Finding], total: float, options: Options, judged: Mapping[str, str] | None = None) -> str:
    """Why a letter fails ("" when it passes): findings at the --fail-on level, a score under the minimum, or both.

    `judged` maps the letter-level judgements (weak-substance) to their own reason ("4 substance problems: ..."):
    such a finding at the --fail-on level is said in those words, not counted as one more error."""
    judged = judged or {}
    why: list[str] = []
    own = [f for f in findings if f.rule in judged]
    findings = [f for f in findings if f.rule not in judged]
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    failing = [s for s in sorted(Severity, reverse=True) if s >= options.fail_on and counts[s]]
    if failing:
        names = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}
        listed = ", ".join(_plural(counts[s], names[s]) if s is not Severity.INFO else f"{counts[s]} info"
                           for s in failing)
        why.append(listed if options.fail_on is Severity.ERROR else f"{listed} (fail-on: {options.fail_on})")
    why.extend(dict.fromkeys(judged[f.rule] for f in own if f.severity >= options.fail_on))
    if total < options.min_score:
        why.append(f"score {total:.0f} is under the minimum {options.min_score:.0f}")
    return "; ".join(why)


class Linter:
    def __init__(self, ruleset: RuleSet, options: Options | None = None) -> None:
        self.ruleset = ruleset
        self.options = options or Options()
        self.kinds = KINDS

    # NOTE: built on first need, so a run that only serves cached results never compiles a cue or matcher.
    @cached_property
    def vocab(self) -> HeadingVocab:
        sections = self.ruleset.sections
        return HeadingVocab(sections.headings, sections.greetings, sections.closings)

    @cached_property
    def cues(self) -> CueMatcher:
        return CueMatcher(self.ruleset.sections.cues)

    @cached_property
    def matchers(self) -> Matchers:
        # NOTE: reason packs' themes are matched too; registered up front, they run in the one combined pass.
        ruleset = self.ruleset
        return Matchers(ruleset.concepts, [*(m for r in ruleset.rules.values() for m in reachable(r)),
                                           *reachable(ruleset.reasons)])

    @cached_property
    def not_a_part(self) -> NotAPart | None:
        return not_a_part(self.ruleset.sections.not_a_part, self.ruleset, self.matchers)

    def active_rules(self, extra_ignore: Iterable[str] = ()) -> list[Rule]:
        return [r for rid, r in sorted(self.ruleset.rules.items()) if self.selected(rid, r.category, extra_ignore)]

    def selected(self, rule_id: str, category: str, extra_ignore: Iterable[str] = ()) -> bool:
        """--select / --ignore (and the configuration's) let this rule or meta finding (not-english) report."""
        sel, ign = self.options.select, self.options.ignore | frozenset(extra_ignore)
        return (sel is None or rule_id in sel or category in sel) and rule_id not in ign and category not in ign

    def severity_of(self, rule: Rule, pack: ReasonPack | None) -> Severity:
        if rule.id in self.options.severity:
            return self.options.severity[rule.id]
        overrides = pack.severity if pack is not None else {}
        if rule.id in overrides:
            return Severity.parse(str(overrides[rule.id]))
        return rule.severity

    def document(self, letter: Letter) -> tuple[Document, Sections]:
        """The letter analysed: spaCy tokens, blocks, sentences, and the parts the section finder gives them."""
        from poalint.nlp import get_nlp

        document = build(letter, get_nlp()(letter.text), self.vocab)
        sections = find_sections(document, self.cues, self.not_a_part)
        return sections.apply(document), sections

    def check(self, document: Document, resolved: Resolved | None = None, ignore: Iterable[str] = ()) -> Report:
        """Run the active rules over one Document with its settled reason; score the findings."""
        resolved = resolved or Resolved()
        pack = resolved.pack
        ctx = Context(document, self.ruleset, self.matchers, self.options.settings, resolved.reason, pack,
                      resolved.notice, resolved.previous, resolved.source)
        findings: list[Finding] = []
        weights: dict[str, float] = {}
        levels: dict[str, Severity] = {}
        rules = self.active_rules(ignore)
        examples = example_values(pack)  # {example_preventive} ... in fix texts: the reason's own examples
        for rule in rules:
            severity = self.severity_of(rule, pack)
            weights[rule.id] = self.weight_of(rule, severity)
            levels[rule.id] = severity
            for hit in self.kinds[rule.kind].run(rule, ctx):
                lowered = severity if hit.severity is None else min(severity, hit.severity)
                findings.append(self.finding(rule, lowered, hit, document, examples))
        findings = self.suppress(self.judge(findings, document, rules, pack), document, rules, pack)
        findings.sort(key=lambda f: (f.line, f.column, f.rule))
        total = score(findings, weights, levels)
        why = verdict(findings, total, self.options, self.judged(findings))
        findings = cap(findings, self.options.max_per_rule)
        return Report(document.letter.path, tuple(findings), total, not why, resolved.shown, resolved.label,
                      (*document.letter.warnings, *resolved.warnings), why=why)

    def judge(self, findings: list[Finding], document: Document, rules: Sequence[Rule],
              pack: ReasonPack | None) -> list[Finding]:
        """The findings plus the letter-level judgement (weak-substance): when the findings the letter's poalint
        comments leave show `min` or more separate problems, one finding about the whole letter names them."""
        judges = [r for r in rules if r.kind == "custom" and r.check == substance.CHECK]
        if not judges:
            return findings
        kept = apply(document.letter, findings, {*self.ruleset.rules, *CATEGORIES}, {r.id for r in rules}, None)
        out = list(findings)
        for rule in judges:
            values = self.judgement(rule, kept)
            if values is not None:  # about the whole letter: an empty span at its start, like missing-timeline's
                out.append(self.finding(rule, self.severity_of(rule, pack), Hit(0, 0, values), document))
        return out

    def judged(self, findings: Sequence[Finding]) -> dict[str, str]:
        """{weak-substance rule id: "4 substance problems: ..."} for the judgements among the findings, for the verdict."""
        out: dict[str, str] = {}
        for rid in {f.rule for f in findings}:
            rule = self.ruleset.rules.get(rid)
            if rule is None or rule.check != substance.CHECK:
                continue
            values = self.judgement(rule, [f for f in findings if f.rule != rid])
            if values is not None:
                out[rid] = (f"{values['count']} substance problems ({', '.join(values['names'])}), "
                            f"mend at least {values['count'] - values['allowed']}")
        return out

    def rejudge(self, findings: Sequence[Finding]) -> list[Finding]:
        """After a baseline took findings away: a judgement whose problems are now too few goes, the others are
        reworded for the problems that are left."""
        out: list[Finding] = []
        for f in findings:
            rule = self.ruleset.rules.get(f.rule)
            if rule is not None and rule.check == substance.CHECK:
                values = self.judgement(rule, [g for g in findings if g.rule != f.rule])
                if values is None:
                    continue
                f = replace(f, message=_format(rule.message, values), fix=_format(rule.fix, values))
            out.append(f)
        return out

    def judgement(self, rule: Rule, findings: Sequence[Finding]) -> dict[str, Any] | None:
        """The message values of a weak-substance finding for these findings, or None when it does not fire."""
        options = rule.options
        if not isinstance(options, substance.SubstanceOptions):
            return None
        problems = substance.found(findings, options)
        least = substance.minimum(rule, self.options.settings)
        if len(problems) < least:
            return None
        names = [p.name for p, _hits in problems]
        return {"count": len(problems), "problems": _listed(names), "allowed": least - 1,
                "fixes": "; ".join(f"{p.name}: {p.fix}" if p.fix else p.name for p, _hits in problems),
                "names": names}

    def weight_of(self, rule: Rule, severity: Severity) -> float:
        """A rule's score weight; an overridden severity takes that severity's default weight."""
        if severity == rule.severity:
            return rule.score_weight()
        return rule.weight if rule.weight is not None else _default_weight(severity)

    def suppress(self, findings: list[Finding], document: Document, rules: Sequence[Rule],
                 pack: ReasonPack | None) -> list[Finding]:
        """Drop what the letter's poalint comments hide; report comments that hide nothing."""
        unused = next((r for r in rules if r.id == UNUSED), None)
        make = None if unused is None else (
            lambda start, end, values: self.finding(unused, self.severity_of(unused, pack), Hit(start, end, values),
                                                    document))
        return apply(document.letter, findings, {*self.ruleset.rules, *CATEGORIES}, {r.id for r in rules}, make)

    def rescore(self, report: Report, findings: Sequence[Finding]) -> Report:
        """The report with only `findings` (e.g. after a baseline), its score and verdict recomputed."""
        rules = self.ruleset.rules
        levels = {f.rule: self.severity_of(rules[f.rule], None) for f in findings if f.rule in rules}
        weights = {f.rule: self.weight_of(rules[f.rule], levels[f.rule]) if f.rule in rules
                   else _default_weight(f.severity) for f in findings}
        findings = self.rejudge(findings)
        total = score(findings, weights, levels)
        why = verdict(findings, total, self.options, self.judged(findings))
        return replace(report, findings=tuple(findings), score=total, passed=not why, why=why)

    def finding(self, rule: Rule, severity: Severity, hit: Hit, document: Document,
                examples: Mapping[str, str] | None = None) -> Finding:
        text = document.text
        start, end = hit.start, hit.end
        excerpt = text[start:end]
        if len(excerpt) > EXCERPT_MAX:
            end = start + EXCERPT_MAX
            excerpt = text[start:end]
        line, col = document.position(start)
        end_line, end_col = document.position(end)
        values = {**(examples if examples is not None else example_values(None)), "match": _quote(excerpt),
                  "raw": excerpt, **hit.values}
        values.setdefault("sentence", excerpt)
        if isinstance(values.get("sentence"), str):
            values["sentence"] = _quote(values["sentence"])
        message = _format(hit.message or rule.message, values)
        fix = _format(hit.fix or rule.fix, values)
        letter = document.letter
        return Finding(rule.id, rule.category, severity, line, col, end_line, end_col, excerpt, message, fix,
                       start, end, letter.paragraph_at(start) if letter.paragraphs else None, hit.part)


def _default_weight(severity: Severity) -> float:
    return DEFAULT_WEIGHT[severity]


def _quote(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"


class _Values(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(template: str, values: Mapping[str, Any]) -> str:
    try:
        return template.format_map(_Values(values))
    except (ValueError, IndexError, AttributeError):
        return template
