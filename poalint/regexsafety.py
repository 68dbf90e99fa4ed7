"""Spot regular expressions that can backtrack catastrophically ((a+)+ and kin), from Python's own parse tree."""

from __future__ import annotations

from typing import Any

try:  # Python >= 3.11
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_UNBOUNDED = _c.MAXREPEAT


def nested_repeat(pattern: str) -> str | None:
    """The offending piece when a part repeated twice or more holds an unbounded repeat:
    `(a+)+`, `(\\w+\\s?)*`, `((a*))+`, `(x+){2,}`, `(.*a){20}`. Such a regex tries exponentially
    (or hugely polynomially) many ways to split a long line that almost matches. None when safe
    in this respect (`(\\d{1,3},)+` is allowed: its inner repeat is bounded).

    Possessive repeats and atomic groups never backtrack, so they are allowed.
    """
    try:
        tree = _sre.parse(pattern)
    except Exception:  # noqa: BLE001 - compile errors are reported by the caller
        return None
    return _walk(tree, outer=None)


def _walk(items: Any, outer: tuple[int, int] | None) -> str | None:
    for op, av in items:
        if op in _REPEATS:
            lo, hi, body = av
            if outer is not None and hi == _UNBOUNDED:
                return _show(lo, hi) + " inside " + _show(*outer)
            inner = (lo, hi) if hi >= 2 else outer
            found = _walk(body, inner)
            if found:
                return found
        elif op == _c.SUBPATTERN:
            found = _walk(av[-1], outer)
            if found:
                return found
        elif op == _c.BRANCH:
            for branch in av[1]:
                found = _walk(branch, outer)
                if found:
                    return found
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            found = _walk(av[1], outer)
            if found:
                return found
        # POSSESSIVE_REPEAT and ATOMIC_GROUP (3.11+) never backtrack: not walked on purpose
    return None


def _show(lo: int, hi: int) -> str:
    if hi == _UNBOUNDED:
        return "+" if lo == 1 else "*" if lo == 0 else f"{{{lo},}}"
    return f"{{{lo},{hi}}}"
