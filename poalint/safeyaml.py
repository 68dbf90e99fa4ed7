"""yaml.safe_load through libyaml's C SafeLoader when PyYAML has one: plain data only, about 10x faster."""

from __future__ import annotations

from typing import Any

import yaml


def safe_load(text: str) -> Any:
    """Exactly `yaml.safe_load(text)`: the C loader builds the same plain data (dicts, lists, str, numbers,
    dates) and nothing else; on any error the pure-Python safe_load runs again, so messages and line
    numbers are the ones users know."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return yaml.safe_load(text)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - CSafeLoader is the safe loader
    except yaml.YAMLError:
        return yaml.safe_load(text)
