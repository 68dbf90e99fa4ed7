"""poalint: a quality linter for Amazon Plan of Action (POA) letters."""

__version__ = "0.1.0"
