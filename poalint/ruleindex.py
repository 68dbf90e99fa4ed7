"""What a run needs of a RuleSet before it lints a letter: a RuleIndex, small and light.

Settling each letter's configuration (known ids, categories, kinds, min / max bounds), the
reason names and the rule docs of the output formats need only this. The validated-rules cache
keeps it beside the RuleSet (poalint.cache), so a run whose letters are all cache hits loads
this and never the RuleSet, and never imports the modules that lint (see tests/test_imports.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from poalint.model import RuleInfo, RuleSet

BOUNDS = ("min", "max")  # the option names a configuration's `settings` / thresholds set


@dataclass(frozen=True)
class RuleEntry:
    """One rule as configuration and output formats see it."""

    kind: str
    category: str
    info: RuleInfo
    bounds: tuple[tuple[str, object], ...] = ()  # (min|max, value) the rule file sets (not None)

    def bound(self, name: str) -> object:
        return dict(self.bounds).get(name)


@dataclass(frozen=True)
class RuleIndex:
    rules: Mapping[str, RuleEntry]
    reasons: Mapping[str, str] = field(default_factory=dict)  # reason id -> title
    sources: tuple[str, ...] = ()

    @classmethod
    def of(cls, ruleset: RuleSet) -> RuleIndex:
        rules = {rid: RuleEntry(r.kind, r.category, r.info(),
                                tuple((k, v) for k in BOUNDS if (v := getattr(r.options, k, None)) is not None))
                 for rid, r in ruleset.rules.items()}
        return cls(rules, {rid: pack.title for rid, pack in ruleset.reasons.items()}, ruleset.sources)
