"""poalint: a quality linter for Amazon Plan of Action (POA) letters."""

try:  # written by setuptools-scm at install time, from the git tag
    from poalint._version import version as __version__  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0.0.0+unknown"
