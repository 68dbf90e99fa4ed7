"""Lint settled letters: cached Reports first, the rest in this process or in --jobs worker processes.

Results always come back in input order, so the output of `--jobs 2` is byte for byte that of
`--jobs 1`. Workers are forked where the platform allows (they inherit the loaded rules), else
spawned and set up once from the RunConfig; any failure to start or keep them falls back to
linting in this process, with a warning.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from poalint.cache import ResultCache, cache_dir
from poalint.letter import Letter
from poalint.model import LetterFailure, Report, bug_message
from poalint.settings import Effective, Resolver, RunConfig, read_inputs, settle, start

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

MANY = 32  # from this many letters on, --jobs defaults to the number of CPUs
Ready = tuple[Letter, Effective]  # a letter and its settings: `Resolver.setup` gives the Setup to lint it with
Outcome = Report | LetterFailure  # a report, or why that one letter could not be linted


def cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_jobs(n_letters: int) -> int:
    return cpus() if n_letters >= MANY else 1


def lint_ready(resolver: Resolver, ready: Sequence[Ready]) -> list[Outcome]:
    """Settled letters -> a Report each (through `lint_letter`), or the LetterFailure of a letter with bad front matter."""
    # NOTE: the linting side is imported here, on the first letter that is not a cache hit
    from poalint.api import lint_letter
    from poalint.reasons import ReasonError

    out: list[Outcome] = []
    for letter, eff in ready:
        try:
            out.append(lint_letter(letter, resolver.setup(eff)))
        except ReasonError as exc:
            out.append(LetterFailure(letter.path, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one letter's crash is reported, the run goes on (exit 2)
            out.append(LetterFailure(letter.path, bug_message(exc, letter.path)))
    return out


# NOTE: the one piece of module state: a worker process's inputs, set by the pool initializer
# (or inherited through fork). Nothing in the parent process reads or writes it otherwise.
_WORKER: dict[str, Resolver] = {}


def _init_worker(resolver: Resolver | None, cfg: RunConfig | None, needs_text: bool = False) -> None:
    if resolver is None and cfg is not None:  # spawned: build the rules and run inputs once for this worker
        resolver, _baseline, _changed = start(cfg.overrides(), None, None)
        resolver.inputs = read_inputs(cfg, lambda: resolver.ruleset(cfg.rule_dirs), needs_text=needs_text)
    if resolver is not None:
        _WORKER["resolver"] = resolver


def _work(letters: list[Letter]) -> list[Outcome]:
    resolver = _WORKER["resolver"]
    ready = settle(resolver, letters, [])
    done = dict(zip((id(r[0]) for r in ready), lint_ready(resolver, ready)))
    return [done.get(id(x), LetterFailure(x.path, f"{x.path}: could not be linted in a worker process"))
            for x in letters]


class Scheduler:
    """Cache lookups, then linting of the misses (in order, here or in --jobs workers), then cache writes."""

    def __init__(self, cfg: RunConfig, resolver: Resolver, cache: ResultCache | None, jobs: int | None,
                 warn: Callable[[str], None]) -> None:
        self.cfg = cfg
        self.resolver = resolver
        self.cache = cache
        self.jobs = jobs  # None: decided by the size of the first batch
        self.warn = warn
        self._pool: ProcessPoolExecutor | None = None

    # ---- cache keys -------------------------------------------------------------

    def _key(self, letter: Letter, eff: Effective) -> str | None:
        if self.cache is None or letter.path in ("-", "<stdin>"):
            return None
        if letter.front_matter.get("notice") or letter.front_matter.get("previous"):
            return None  # decided by a file the key does not cover: always lint afresh
        return self.cache.key(self.resolver.prints.files(eff.rule_dirs), repr(eff), letter.path, letter.raw_text,
                              "\n".join(letter.warnings), str(letter.is_markdown))

    # ---- linting ------------------------------------------------------------------

    def lint(self, ready: Sequence[Ready], final: bool) -> list[Outcome]:
        """Outcomes for `ready`, in order; `final` says this is the run's last batch (for the default --jobs)."""
        keys = [self._key(letter, eff) for letter, eff in ready]
        out: list[Outcome | None] = [self.cache.get(k) if self.cache is not None and k else None for k in keys]
        todo = [i for i, got in enumerate(out) if got is None]
        if todo:
            if self.jobs is None:
                self.jobs = default_jobs(len(ready) if final else max(len(ready), MANY))
            fresh = self._lint([ready[i] for i in todo])
            for i, outcome in zip(todo, fresh):
                out[i] = outcome
                key = keys[i]
                if self.cache is not None and key and isinstance(outcome, Report):
                    self.cache.put(key, outcome)
        return out  # type: ignore[return-value]

    def _lint(self, ready: list[Ready]) -> list[Outcome]:
        if (self.jobs or 1) > 1 and len(ready) > 1:
            head: list[Outcome] = []
            if self._pool is None and _can_fork():
                # NOTE: the first letter is linted here before forking, so spaCy, the rules' matchers and
                # compiled regexes are loaded once and every forked worker starts warm (about 1 s each).
                head, ready = lint_ready(self.resolver, ready[:1]), ready[1:]
            pool = self._get_pool()
            if pool is not None:
                letters = [r[0] for r in ready]
                size = max(1, -(-len(letters) // (2 * (self.jobs or 1))))
                chunks = [letters[i:i + size] for i in range(0, len(letters), size)]
                try:
                    return head + [o for chunk in pool.map(_work, chunks) for o in chunk]
                except Exception as exc:  # noqa: BLE001 - a dead worker must not lose the letters
                    self.warn(f"worker processes failed ({type(exc).__name__}: {exc}); going on in one process")
                    self.close()
                    self.jobs = 1
            return head + lint_ready(self.resolver, ready)
        return lint_ready(self.resolver, ready)

    def _get_pool(self) -> ProcessPoolExecutor | None:
        if self._pool is not None:
            return self._pool
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            if _can_fork():
                # NOTE (issue 14): the rules and spaCy are loaded by now (the first letter was linted here):
                # freezing them out of the cyclic collector means no collection in a worker ever touches
                # (so copies, page by page) the memory it shares with this process, nor scans it again.
                gc.freeze()
                # forked workers inherit the rules already loaded here: initargs travel by fork, unpickled
                self._pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"),
                                                 initializer=_init_worker, initargs=(self.resolver, None))
            else:
                self._pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_init_worker,
                                                 initargs=(None, self.cfg, self.resolver.inputs.needs_text))
        except (OSError, ValueError, NotImplementedError, ImportError) as exc:
            self.warn(f"cannot start {self.jobs} worker processes ({exc}); linting in one process")
            self.jobs = 1
            self._pool = None
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def make_scheduler(cfg: RunConfig, resolver: Resolver, warn: Callable[[str], None]) -> Scheduler:
    """The Scheduler for one run: the result cache unless --no-cache, and --jobs."""
    cache = None
    if cfg.cache:
        prints = resolver.prints
        run_wide = [prints.code(), prints.files(resolver.index(cfg.rule_dirs).sources),
                    repr(cfg.reason), _file_digest(cfg.notice), _file_digest(cfg.previous)]
        cache = ResultCache(cache_dir(cfg.cache_dir), "\n".join(run_wide), warn)
    return Scheduler(cfg, resolver, cache, cfg.jobs, warn)


def _file_digest(path: str | None) -> str:
    if not path:
        return "-"
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return "<unreadable>"
