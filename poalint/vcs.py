"""The little git poalint needs: the repository root and the files changed since a ref (--changed-since)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence

from poalint.discover import Found


class GitError(Exception):
    """git is missing, this is not a repository, or the ref is unknown; one line saying which."""


def _git(args: Sequence[str], cwd: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                              encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise GitError("--changed-since needs git, and git is not installed (or not on PATH)") from None
    if done.returncode != 0:
        raise GitError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed")
    return done.stdout


def toplevel(cwd: str = ".") -> str | None:
    """The repository's top folder, or None outside a repository (or without git)."""
    try:
        return _git(["rev-parse", "--show-toplevel"], cwd).strip() or None
    except GitError:
        return None


def changed_since(ref: str, cwd: str = ".") -> set[str]:
    """Absolute paths of files added, copied, modified or renamed since `ref`, plus untracked files."""
    top = toplevel(cwd)
    if top is None:
        raise GitError(f"--changed-since needs a git repository, and {os.path.abspath(cwd)} is not inside one")
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except GitError:
        raise GitError(f"--changed-since: git does not know '{ref}' (a branch, tag or commit); "
                       "in CI, fetch it first (actions/checkout with fetch-depth: 0)") from None
    # diff against the working tree: committed, staged and unstaged changes since `ref`
    names = _git(["-c", "core.quotepath=off", "diff", "--name-only", "--diff-filter=ACMR", "-z", ref, "--"], top)
    untracked = _git(["-c", "core.quotepath=off", "ls-files", "--others", "--exclude-standard", "-z"], top)
    return {os.path.normpath(os.path.join(top, n)) for n in (names + untracked).split("\0") if n}


def only_changed(found: Iterator[Found], changed: set[str]) -> Iterator[Found]:
    """The letters `discover.expand` found that are in `changed` (errors about paths pass through)."""
    for item in found:
        if item.error or item.path == "-" or os.path.normpath(os.path.realpath(item.path)) in changed \
                or os.path.normpath(os.path.abspath(item.path)) in changed:
            yield item
