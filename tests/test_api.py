"""The one per-letter entry point: poalint.api.lint_letter / lint_text, and what the CLI gets from it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from poalint.api import ReasonSource, Setup, lint_letter, lint_text, settle_reason
from poalint.readers import read_letter

ROOT = Path(__file__).resolve().parents[1]

# about the wrong thing for a late-shipment suspension: the pack's themes are never touched
OFF_REASON = """---
reason: late-shipment
---
Dear Seller Performance Team,

Root cause: our product photos were taken with an old camera and the colours looked wrong.

Corrective actions: on 3 May 2026 we re-shot all 40 photos in a light box and replaced them.

Preventive measures: from 10 May 2026 our photo editor checks every new listing photo before it goes live.

Sincerely,
Dana Lee
"""


def test_front_matter_reason_same_verdict_through_the_entry_point_and_the_cli(tmp_path: Path, setup: Setup) -> None:
    path = tmp_path / "fm.md"
    path.write_text(OFF_REASON, encoding="utf-8")
    report = lint_letter(read_letter(str(path)), setup)
    assert report.reason == "late-shipment" and report.reason_source == "front matter"
    assert "reason-not-addressed" in {f.rule for f in report.findings}
    proc = subprocess.run([sys.executable, "-m", "poalint", "--no-cache", "--format", "json", str(path)],
                          capture_output=True, text=True, cwd=tmp_path)
    data = json.loads(proc.stdout)["files"][0]
    assert data["reason"] == report.reason
    assert data["passed"] == report.passed and data["score"] == report.score
    assert [f["rule"] for f in data["findings"]] == [f.rule for f in report.findings]
    assert proc.returncode == (0 if report.passed else 1)


def test_reason_is_settled_once_with_a_typed_source(tmp_path: Path, setup: Setup) -> None:
    path = tmp_path / "fm.md"
    path.write_text(OFF_REASON, encoding="utf-8")
    letter = read_letter(str(path))
    assert settle_reason(letter, setup).source is ReasonSource.FRONT_MATTER
    from dataclasses import replace

    got = settle_reason(letter, replace(setup, reason="inauthentic"))
    assert got.source is ReasonSource.CLI and got.reason == "inauthentic" and got.given
    plain = read_letter(str(ROOT / "tests" / "reasons" / "late-shipment" / "covers.txt"))
    assert settle_reason(plain, setup).source is ReasonSource.DETECTED
    configured = settle_reason(plain, replace(setup, config_reason="inauthentic", config_path=".poalint.yaml"))
    assert configured.source is ReasonSource.CONFIG and configured.label == "config .poalint.yaml"


def test_lint_text_and_part_spans(setup: Setup) -> None:
    text = OFF_REASON.split("---\n", 2)[2]
    report = lint_text(text, "x.txt", setup, reason="late-shipment")
    assert report.reason == "late-shipment" and report.text is None
    spans = report.parts
    assert spans[0].start == 0 and spans[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(spans, spans[1:]))  # the spans cover the text, in order
    assert all(a.part != b.part for a, b in zip(spans, spans[1:]))
    named = {s.part: text[s.start:s.end] for s in spans}
    assert "old camera" in named["root_cause"]
    assert "light box" in named["corrective"]
    assert "photo editor" in named["preventive"]
    assert set(named) == {"root_cause", "corrective", "preventive", "none"}
    assert "parts" not in report.to_dict() and "text" not in report.to_dict()


def test_needs_text_fills_the_report_text(setup: Setup) -> None:
    from dataclasses import replace

    report = lint_text("Dear team, we are sorry.", setup=replace(setup, needs_text=True))
    assert report.text == "Dear team, we are sorry."


# Spanish, written for this test: the letter poalint cannot read
NOT_IN_ENGLISH = ("Estimado equipo de Amazon,\n\nEnviamos los pedidos tarde porque el transportista no recogió los "
                  "paquetes a tiempo. Ahora revisamos cada pedido todos los días y trabajamos con otra empresa de "
                  "envíos desde el lunes.\n\nAtentamente,\nLucía\n")


def test_not_english_can_be_ignored_or_left_out_like_any_rule(setup: Setup) -> None:
    from dataclasses import replace

    from poalint.engine import Linter, Options

    def rules(options: Options) -> set[str]:
        linter = Linter(setup.ruleset, options)
        return {f.rule for f in lint_text(NOT_IN_ENGLISH, "es.txt", replace(setup, linter=linter)).findings}

    assert rules(Options()) == {"not-english"}
    assert rules(Options(select=frozenset({"not-english"}))) == {"not-english"}
    assert rules(Options(select=frozenset({"format"}))) == {"not-english"}
    for options in (Options(ignore=frozenset({"not-english"})), Options(ignore=frozenset({"format"}))):
        got = rules(options)  # linted as it is, by every other rule
        assert "not-english" not in got and "missing-root-cause" in got
    assert rules(Options(select=frozenset({"threat"}))) == set()


def test_not_english_is_a_known_name_for_the_command_line_and_config(tmp_path: Path) -> None:
    letter = tmp_path / "es.txt"
    letter.write_text(NOT_IN_ENGLISH, encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "poalint", "--no-cache", "--format", "json", *args, str(letter)],
                              capture_output=True, text=True, cwd=tmp_path)

    ignored = run("--ignore", "not-english")
    assert ignored.returncode == 1, ignored.stderr
    assert "not-english" not in {f["rule"] for f in json.loads(ignored.stdout)["files"][0]["findings"]}
    assert run("--select", "not-english").returncode == 1
    (tmp_path / ".poalint.yaml").write_text("ignore: [not-english, missing-root-cause, missing-corrective-actions,"
                                            " missing-preventive-measures, too-short]\n", encoding="utf-8")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    (tmp_path / ".poalint.yaml").write_text("settings: {not-english: {max: 1}}\n", encoding="utf-8")
    bad = run()
    assert bad.returncode == 2 and ".poalint.yaml:1: settings.not-english:" in bad.stderr
