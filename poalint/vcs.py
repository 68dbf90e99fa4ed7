"""The little git poalint needs: the repository root and the files changed since a ref (--changed-since)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from poalint.discover import Found


class GitError(Exception):
    """git is missing, this is not a repository, or the ref is unknown; one line saying which."""


def _git(args: Sequence[str], cwd: str) -> str:
    import subprocess  # NOTE: here, not at the top: most runs never call git

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


def _changed_in(ref: str, top: str) -> set[str]:
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except GitError:
        raise GitError(f"--changed-since: git does not know '{ref}' (a branch, tag or commit) in the repository "
                       f"{top}; in CI, fetch it first (actions/checkout with fetch-depth: 0)") from None
    # diff against the working tree: committed, staged and unstaged changes since `ref`
    names = _git(["-c", "core.quotepath=off", "diff", "--name-only", "--diff-filter=ACMR", "-z", ref, "--"], top)
    untracked = _git(["-c", "core.quotepath=off", "ls-files", "--others", "--exclude-standard", "-z"], top)
    return {os.path.normpath(os.path.join(top, n)) for n in (names + untracked).split("\0") if n}


class Changed:
    """--changed-since REF, answered in the git repository of each letter (letters may sit in several
    repositories, and poalint may run from outside them). Each repository is asked once."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        self._tops: dict[str, str | None] = {}
        self._files: dict[str, set[str] | GitError] = {}

    def _top(self, folder: str) -> str | None:
        if folder not in self._tops:
            self._tops[folder] = toplevel(folder) if os.path.isdir(folder) else None
        return self._tops[folder]

    def check(self, path: str) -> bool:
        """Has the letter at `path` changed since the ref? GitError (one line) when that cannot be told."""
        folder = os.path.dirname(os.path.abspath(path)) or "."
        top = self._top(folder)
        if top is None:
            raise GitError(f"{path}: --changed-since needs a git repository, and {folder} is not inside one")
        if top not in self._files:
            try:
                self._files[top] = _changed_in(self.ref, top)
            except GitError as exc:
                self._files[top] = exc
        files = self._files[top]
        if isinstance(files, GitError):
            raise GitError(f"{path}: {files}")
        return (os.path.normpath(os.path.realpath(path)) in files
                or os.path.normpath(os.path.abspath(path)) in files)


def only_changed(found: Iterator[Found], changed: Changed) -> Iterator[Found]:
    """The letters `discover.expand` found that changed since the ref (errors about paths pass through);
    a letter whose repository cannot answer becomes an error for that letter."""
    for item in found:
        if item.error or item.path == "-":
            yield item
            continue
        try:
            if changed.check(item.path):
                yield item
        except GitError as exc:
            yield Found(item.path, str(exc))
