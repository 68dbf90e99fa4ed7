"""Lint settled letters: cached Reports first, the rest in this process or in --jobs worker processes.

Results always come back in input order, so the output of `--jobs 2` is byte for byte that of
`--jobs 1`. Workers are forked where the platform allows (they inherit the loaded rules), else
spawned and set up once from the RunConfig; any failure to start or keep them falls back to
linting in this process, with a warning.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from poalint.cache import ResultCache
    from poalint.engine import Linter
    from poalint.letter import Letter
    from poalint.model import Report
    from poalint.pipeline import Effective, Resolver
    from poalint.runner import RunConfig

MANY = 32  # from this many letters on, --jobs defaults to the number of CPUs
Ready = tuple["Letter", "Effective", "Linter"]
Outcome = "Report | str"  # a report, or the one-line error for that letter


def cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_jobs(n_letters: int) -> int:
    return cpus() if n_letters >= MANY else 1


@dataclass
class RunInputs:
    """What every letter of a run is linted with, besides its own settings."""

    cfg: RunConfig
    resolver: Resolver
    notice: Any
    previous: Any


# NOTE: the one piece of module state: a worker process's inputs, set by the pool initializer
# (or inherited through fork). Nothing in the parent process reads or writes it otherwise.
_WORKER: dict[str, RunInputs] = {}


def _init_worker(inputs: RunInputs | None, cfg: RunConfig | None) -> None:
    if inputs is None:  # spawned: build the rules and run inputs once for this worker
        from poalint.pipeline import start
        from poalint.runner import _run_inputs

        resolver, _baseline, _changed = start(cfg.overrides(), None, None)  # type: ignore[union-attr]
        notice, previous = _run_inputs(cfg, resolver.ruleset(cfg.rule_dirs), [])  # type: ignore[union-attr]
        inputs = RunInputs(cfg, resolver, notice, previous)  # type: ignore[arg-type]
    _WORKER["inputs"] = inputs


def _work(letters: list[Letter]) -> list[Report | str]:
    from poalint.pipeline import settle
    from poalint.runner import lint_ready

    inputs = _WORKER["inputs"]
    ready = settle(inputs.resolver, letters, [])
    done = dict(zip((id(r[0]) for r in ready),
                    lint_ready(ready, inputs.cfg.reason, inputs.notice, inputs.previous)))
    return [done.get(id(x), f"{x.path}: could not be linted in a worker process") for x in letters]


class Engine:
    """Cache lookups, then linting of the misses (in order), then cache writes."""

    def __init__(self, inputs: RunInputs, cache: ResultCache | None, jobs: int | None,
                 warn: Callable[[str], None]) -> None:
        self.inputs = inputs
        self.cache = cache
        self.jobs = jobs  # None: decided by the size of the first batch
        self.warn = warn
        self._pool: ProcessPoolExecutor | None = None
        self._fingerprints: dict[tuple[str, ...], str] = {}

    # ---- cache keys -------------------------------------------------------------

    def _key(self, letter: Letter, eff: Effective) -> str | None:
        if self.cache is None or letter.path in ("-", "<stdin>"):
            return None
        if letter.front_matter.get("notice") or letter.front_matter.get("previous"):
            return None  # decided by a file the key does not cover: always lint afresh
        from poalint.cache import files_fingerprint

        dirs = eff.rule_dirs
        if dirs not in self._fingerprints:
            self._fingerprints[dirs] = files_fingerprint(dirs)
        return self.cache.key(self._fingerprints[dirs], repr(eff), letter.path, letter.raw_text,
                              "\n".join(letter.warnings), str(letter.is_markdown))

    # ---- linting ------------------------------------------------------------------

    def lint(self, ready: Sequence[Ready], final: bool) -> list[Report | str]:
        """Outcomes for `ready`, in order; `final` says this is the run's last batch (for the default --jobs)."""
        keys = [self._key(letter, eff) for letter, eff, _ in ready]
        out: list[Report | str | None] = [self.cache.get(k) if self.cache is not None and k else None for k in keys]
        todo = [i for i, got in enumerate(out) if got is None]
        if todo:
            if self.jobs is None:
                self.jobs = default_jobs(len(ready) if final else max(len(ready), MANY))
            fresh = self._lint([ready[i] for i in todo])
            for i, outcome in zip(todo, fresh):
                out[i] = outcome
                if self.cache is not None and keys[i] and not isinstance(outcome, str):
                    self.cache.put(keys[i], outcome)  # type: ignore[arg-type]
        return out  # type: ignore[return-value]

    def _lint(self, ready: list[Ready]) -> list[Report | str]:
        from poalint.runner import lint_ready

        if (self.jobs or 1) > 1 and len(ready) > 1:
            pool = self._get_pool()
            if pool is not None:
                letters = [r[0] for r in ready]
                size = max(1, -(-len(letters) // (2 * (self.jobs or 1))))
                chunks = [letters[i:i + size] for i in range(0, len(letters), size)]
                try:
                    return [o for chunk in pool.map(_work, chunks) for o in chunk]
                except Exception as exc:  # noqa: BLE001 - a dead worker must not lose the letters
                    self.warn(f"worker processes failed ({type(exc).__name__}: {exc}); going on in one process")
                    self.close()
                    self.jobs = 1
        i = self.inputs
        return lint_ready(ready, i.cfg.reason, i.notice, i.previous)

    def _get_pool(self) -> ProcessPoolExecutor | None:
        if self._pool is not None:
            return self._pool
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin":
                # forked workers inherit the rules already loaded here: initargs travel by fork, unpickled
                ctx = multiprocessing.get_context("fork")
                self._pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_init_worker,
                                                 initargs=(self.inputs, None))
            else:
                ctx = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_init_worker,
                                                 initargs=(None, self.inputs.cfg))
        except (OSError, ValueError, NotImplementedError, ImportError) as exc:
            self.warn(f"cannot start {self.jobs} worker processes ({exc}); linting in one process")
            self.jobs = 1
            self._pool = None
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def make_engine(cfg: RunConfig, resolver: Resolver, notice: Any, previous: Any,
                warn: Callable[[str], None]) -> Engine:
    """The Engine for one run: the result cache unless --no-cache, and --jobs."""
    cache = None
    if cfg.cache:
        from poalint.cache import ResultCache, cache_dir, code_fingerprint, files_fingerprint

        run_wide = [code_fingerprint(), files_fingerprint(resolver.ruleset(cfg.rule_dirs).sources),
                    repr(cfg.reason), _file_digest(cfg.notice), _file_digest(cfg.previous)]
        cache = ResultCache(cache_dir(cfg.cache_dir), "\n".join(run_wide), warn)
    return Engine(RunInputs(cfg, resolver, notice, previous), cache, cfg.jobs, warn)


def _file_digest(path: str | None) -> str:
    if not path:
        return "-"
    import hashlib

    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return "<unreadable>"
