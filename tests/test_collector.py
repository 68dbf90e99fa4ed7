"""The cyclic collector's settings while a letter is linted (issues 13, 14): raised, then put back.

Correctness only: what the settings are before, during and after a lint. The time it saves is
measured in benchmarks/ (docs/performance.md), never here.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from poalint.api import LINT_GC_THRESHOLD, ReasonError, Setup, lint_text, relaxed_collector

LETTER = """Dear Seller Performance Team,

Root cause: our warehouse printed labels a day late because one printer was broken.

Corrective actions: on 3 May 2026 we replaced the printer and shipped every open order.

Preventive measures: from 10 May 2026 a second printer stands ready and our manager checks it daily.

Sincerely,
Dana Lee
"""


@pytest.fixture
def threshold() -> Iterator[tuple[int, int, int]]:
    """A threshold of our own (not Python's default), put back after the test whatever happens."""
    saved = gc.get_threshold()
    gc.set_threshold(654, 9, 8)
    try:
        yield gc.get_threshold()
    finally:
        gc.set_threshold(*saved)


def test_a_lint_puts_the_threshold_back(setup: Setup, threshold: tuple[int, int, int]) -> None:
    enabled = gc.isenabled()
    report = lint_text(LETTER, "letter.md", setup)
    assert report.findings is not None and report.path == "letter.md"
    assert gc.get_threshold() == threshold
    assert gc.isenabled() == enabled


def test_a_lint_that_raises_puts_the_threshold_back(setup: Setup, threshold: tuple[int, int, int]) -> None:
    with pytest.raises(ReasonError):
        lint_text("---\nreason: no-such-reason\n---\n" + LETTER, "bad.md", setup)
    assert gc.get_threshold() == threshold


def test_inside_a_lint_generation_zero_is_raised_and_the_others_kept(threshold: tuple[int, int, int]) -> None:
    with relaxed_collector():
        assert gc.get_threshold() == (LINT_GC_THRESHOLD, threshold[1], threshold[2])
        with relaxed_collector():  # nested (a lint inside a lint): still raised
            assert gc.get_threshold()[0] == LINT_GC_THRESHOLD
        assert gc.get_threshold()[0] == LINT_GC_THRESHOLD  # the inner block leaving does not restore it
    assert gc.get_threshold() == threshold


def test_collection_turned_off_by_the_caller_stays_off() -> None:
    saved = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with relaxed_collector():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*saved)


def test_overlapping_lints_in_threads_put_the_threshold_back(setup: Setup, threshold: tuple[int, int, int]) -> None:
    # the editor server lints on threads: the first to start and the last to finish may differ
    started, finish = threading.Barrier(2), threading.Event()
    seen: list[int] = []

    def first() -> None:
        with relaxed_collector():
            started.wait()
            finish.wait()

    thread = threading.Thread(target=first)
    thread.start()
    started.wait()
    report = lint_text(LETTER, "letter.md", setup)  # starts after and ends before the other thread's block
    seen.append(gc.get_threshold()[0])
    finish.set()
    thread.join()
    assert report.path == "letter.md"
    assert seen == [LINT_GC_THRESHOLD]  # still raised: the other thread is inside its block
    assert gc.get_threshold() == threshold
