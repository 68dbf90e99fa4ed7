"""The closed set of check kinds. Each rule in YAML picks one; each kind is implemented once.

A kind is `check(rule, ctx) -> Iterator[Hit]` (poalint.context); the engine turns hits into
findings (message, fix, line and column). `KINDS` is the explicit table.
"""

from __future__ import annotations

from poalint.context import CheckFn
from poalint.kinds import count, custom, metric, phrase, regex, require

KINDS: dict[str, CheckFn] = {
    "phrase": phrase.check,
    "regex": regex.check,
    "count": count.check,
    "metric": metric.check,
    "require": require.check,
    "custom": custom.check,
}
CHECKS = custom.CHECKS
