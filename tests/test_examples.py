"""Every rule's `examples:` run as tests (proselint's test_check_examples): a `fail` example inside a
neutral letter frame produces its rule, a `pass` example does not. Examples are documentation that
`poalint rule ID` prints, so they must stay true."""

from __future__ import annotations

from dataclasses import replace

import pytest

from poalint.api import Setup, lint_letter
from poalint.letter import parse
from poalint.model import Example, Rule
from poalint.notice import parse_notice
from poalint.reasons import vocabulary
from poalint.ruleset import load

FRAME = "Dear Seller Performance Team,\n\n{text}\n\nSincerely,\nDana Lee\nBrightline Home\n"
RULES = load()
CASES = [(rule, kind, i, ex) for rule in sorted(RULES.rules.values(), key=lambda r: r.id)
         for kind in ("fail", "pass") for i, ex in enumerate(rule.examples.get(kind, ()))]


def framed(example: Example) -> str:
    text = example.letter_text
    if text.lstrip().startswith("---"):  # front matter must open the file
        head, _, body = text.partition("\n---\n")
        return head + "\n---\n" + FRAME.format(text=body)
    return FRAME.format(text=text)


def test_every_rule_has_a_failing_and_a_passing_example() -> None:
    missing = [r.id for r in RULES.rules.values() if not r.examples.get("fail") or not r.examples.get("pass")]
    assert missing == []


@pytest.mark.parametrize(("rule", "kind", "i", "example"), CASES,
                         ids=[f"{r.id}-{k}{i}" for r, k, i, _e in CASES])
def test_example(rule: Rule, kind: str, i: int, example: Example, setup: Setup) -> None:
    inputs: dict[str, object] = {"reason": example.reason}
    if example.notice:
        inputs["notice"] = parse_notice(example.notice, vocabulary(setup.ruleset))
    if example.previous:
        inputs["previous"] = parse(example.previous, "previous.txt")
    report = lint_letter(parse(framed(example), "example.md"), replace(setup, **inputs))  # type: ignore[arg-type]
    fired = [f for f in report.findings if f.rule == rule.id]
    if kind == "fail":
        assert fired, f"{rule.source}: fail example does not produce {rule.id}: {example.text!r}"
    else:
        assert not fired, f"{rule.source}: pass example produces {rule.id}: {[f.message for f in fired]}"
