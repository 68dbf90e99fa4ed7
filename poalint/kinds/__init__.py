"""The closed set of check kinds. Each rule in YAML picks one; each kind is implemented once.

A kind is `check(rule, ctx) -> Iterator[Hit]` (poalint.context) beside the frozen Options dataclass of
its own keys (yamllint's CONF); the loader builds and validates `Rule.options` from it. The engine
turns hits into findings (message, fix, line and column). `KINDS` is the explicit table.
"""

from __future__ import annotations

from poalint.context import Kind
from poalint.kinds import count, custom, metric, phrase, regex, require

_MATCH = frozenset({"phrases", "lemmas", "patterns", "regex", "concept"})

KINDS: dict[str, Kind] = {
    "phrase": Kind(phrase.check, phrase.PhraseOptions, _MATCH | {"any", "unless", "when", "case_sensitive"}),
    "regex": Kind(regex.check, regex.RegexOptions, frozenset({"regex", "unless", "when", "case_sensitive"})),
    "count": Kind(count.check, count.CountOptions, _MATCH | {"any", "unless", "when"}),
    "metric": Kind(metric.check, metric.MetricOptions, frozenset({"unless"})),
    "require": Kind(require.check, require.RequireOptions, _MATCH | {"unless", "when"}),
    # the options of `kind: custom` are its check's (`check: <name>`, `options:`), see kinds/custom.py
    "custom": Kind(custom.check, None, frozenset({"check", "options"})),
}
CHECKS = custom.CHECKS
