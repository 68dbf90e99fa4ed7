"""reason-mismatch's table of scores (one pass over each matcher's spans) equals `foreign` asked per pack and unit."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from poalint.checks.relevance import _units, foreign, foreign_table
from poalint.context import Context
from poalint.engine import Linter
from poalint.readers import read_letter
from poalint.ruleset import load

ROOT = Path(__file__).resolve().parents[1]
LETTERS = sorted(glob.glob(str(ROOT / "tests" / "corpus" / "letters" / "*")))[::3]
LETTERS += sorted(glob.glob(str(ROOT / "tests" / "tune" / "letters" / "*")))[::3]


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(load())


@pytest.mark.parametrize("path", LETTERS)
def test_table_equals_the_questions(linter: Linter, path: str) -> None:
    document, _sections = linter.document(read_letter(path))
    ctx = Context(document, linter.ruleset, linter.matchers, linter.options.settings)
    packs = list(linter.ruleset.reasons.values())
    units = _units(ctx)
    whole = [(0, len(document.text), False)]
    for spans in (units, whole, [(u[0], u[1], u[2]) for u in units[:1]]):
        table = foreign_table(ctx, packs, spans)
        assert table is not None
        assert {p.id: table[id(p)] for p in packs} == {p.id: [foreign(ctx, p, lo, hi) for lo, hi, _i in spans]
                                                      for p in packs}
    assert sum(sum(table[id(p)]) for p in packs for table in [foreign_table(ctx, packs, whole)] if table) > 0 \
        or not document.text.strip()


def test_overlapping_units_are_refused(linter: Linter) -> None:
    document, _sections = linter.document(read_letter(LETTERS[0]))
    ctx = Context(document, linter.ruleset, linter.matchers, linter.options.settings)
    packs = list(linter.ruleset.reasons.values())
    assert foreign_table(ctx, packs, [(0, 50, False), (40, 90, False)]) is None
