"""Reasons on the command line: `poalint reasons`, `rule REASON-ID`, `template`, --reason, --notice, --previous."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from poalint.api import Setup, lint_letter
from poalint.cli import cli
from poalint.engine import Linter
from poalint.letter import parse
from poalint.reasons import load_notice
from poalint.ruleset import RuleSet
from poalint.template import skeleton

HERE = Path(__file__).parent
REASONS = HERE / "reasons"
NOTICES = HERE / "notices"


def run(args: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)


def as_json(out: str) -> dict[str, dict[str, object]]:
    return {Path(str(f["path"])).name: f for f in json.loads(out)["files"]}


def rules_of(entry: dict[str, object]) -> set[str]:
    return {str(f["rule"]) for f in entry["findings"]}  # type: ignore[union-attr]


def test_reasons_lists_every_pack(ruleset: RuleSet) -> None:
    result = run(["reasons"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [ln.split()[0] for ln in lines] == sorted(ruleset.reasons)
    assert any("Premium Shipping" in ln for ln in lines)


def test_rule_explains_a_reason() -> None:
    result = run(["rule", "premium-shipping"])
    assert result.exit_code == 0
    assert "missing-timeline is an error" in result.output
    assert "the carrier services used for premium orders" in result.output
    assert "poalint template premium-shipping" in result.output
    inauthentic = run(["rule", "inauthentic"]).output
    assert "Does not count as evidence: pro forma invoices" in inauthentic


def test_unknown_reason_in_rule_suggests_a_close_id() -> None:
    result = run(["rule", "late-shipments"])
    assert result.exit_code == 2 and "late-shipment" in result.output


def test_template_prints_three_parts_themes_and_evidence() -> None:
    result = run(["template", "inauthentic"])
    assert result.exit_code == 0
    text = result.output
    for part in ("Root cause", "Corrective actions already taken", "Preventive measures", "Supporting documents"):
        assert f"\n{part}\n" in text
    assert "The supplier the products came from: [insert" in text
    assert "[Your Name]" in text


def test_unknown_template_reason_is_exit_2_with_the_list() -> None:
    result = run(["template", "shipping"])
    assert result.exit_code == 2
    assert "unknown reason 'shipping'" in result.output and "valid-tracking" in result.output


@pytest.mark.parametrize("reason", sorted(p.name for p in REASONS.iterdir() if p.is_dir()))
def test_unfilled_template_fails_lint(reason: str, ruleset: RuleSet, linter: Linter) -> None:
    report = lint_letter(parse(skeleton(ruleset.reasons[reason]), "template.txt"), Setup(linter, reason=reason))
    placeholders = [f for f in report.findings if f.rule == "placeholder"]
    assert not report.passed and len(placeholders) >= 5


def test_unfilled_template_fails_on_the_command_line() -> None:
    text = run(["template", "late-shipment"]).output
    result = run(["--reason", "late-shipment", "--format", "json", "-"], stdin=text)
    assert result.exit_code == 1
    assert "placeholder" in rules_of(as_json(result.output)["<stdin>"])


def test_reason_none_turns_reason_checks_off() -> None:
    letter = str(REASONS / "late-shipment" / "ignores.txt")
    with_reason = as_json(run(["--reason", "late-shipment", "--format", "json", letter]).output)["ignores.txt"]
    without = as_json(run(["--reason", "none", "--format", "json", letter]).output)["ignores.txt"]
    assert "reason-not-addressed" in rules_of(with_reason)
    assert not rules_of(without) & {"reason-not-addressed", "reason-mismatch", "missing-evidence"}
    assert without["reason"] is None


def test_unknown_reason_is_exit_2_listing_valid_ids() -> None:
    result = run(["--reason", "late-shipments", str(REASONS / "late-shipment" / "covers.txt")])
    assert result.exit_code == 2
    assert "unknown reason 'late-shipments'" in result.output and "late-shipment, " in result.output
    assert "or none" in result.output


def test_detected_reason_is_reported_with_its_source() -> None:
    result = run([str(REASONS / "valid-tracking" / "covers.txt")])
    assert "reason: valid-tracking (detected from: '" in result.output


def test_notice_sets_the_reason_and_checks_asins() -> None:
    letter = str(REASONS / "not-as-described" / "covers.txt")
    result = run(["--notice", str(NOTICES / "late_shipment_modern.txt"), letter])
    assert "reason: late-shipment (from the notice: 'Late Shipment Rate')" in result.output
    assert "B0FQ7LX2M4" in result.output  # missing-reference names the ASIN
    assert "reason-not-addressed" in result.output


@pytest.mark.parametrize("option", ["--notice", "--previous"])
def test_missing_notice_or_previous_is_exit_2_and_nothing_is_linted_without_it(option: str) -> None:
    # issue 14: a letter linted without the notice it answers would mislead; the run says so and stops
    letter = str(REASONS / "late-shipment" / "covers.txt")
    for fmt in ("full", "json"):
        result = run([option, "no-such-file.txt", "--format", fmt, letter])
        assert result.exit_code == 2
        assert "no-such-file.txt" in result.stderr and ("does not exist" in result.stderr or "no such file" in result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
        assert "covers.txt" not in result.stdout and "not linted" not in result.stdout + result.stderr


def test_letter_given_as_notice_is_a_warning_and_the_letter_is_linted() -> None:
    # issue 14: readable but not a notice -> one warning, the letter linted without it (exit by its verdict)
    letter = str(REASONS / "late-shipment" / "covers.txt")
    result = run(["--notice", str(NOTICES / "poa_letter.txt"), "--format", "json", letter])
    assert result.exit_code == 0
    warning = [ln for ln in result.stderr.splitlines() if "looks like a plan of action written by the seller" in ln]
    assert len(warning) == 1 and warning[0].startswith("poalint: warning:") and "linted without the notice" in warning[0]
    assert "covers.txt" in as_json(result.stdout)


def test_letter_given_as_notice_is_a_warning_and_the_letters_are_linted_without_it() -> None:
    """Readable but not a notice: one warning naming what poalint could not use, no exit 2."""
    letters = [str(REASONS / "late-shipment" / "covers.txt"), str(REASONS / "not-as-described" / "covers.txt")]
    result = run(["--notice", str(NOTICES / "poa_letter.txt"), "--format", "json", *letters])
    assert result.exit_code in (0, 1)
    warnings = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(warnings) == 1, result.stderr  # once for the run, not once per letter
    assert "looks like a plan of action written by the seller" in warnings[0]
    assert "linted without the notice cross-checks" in warnings[0]
    files = json.loads(result.stdout)["files"]
    assert [f["reason"] for f in files] == ["late-shipment", "not-as-described"]  # detected, each its own


def test_front_matter_notice_that_cannot_be_parsed_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text("Hi, I pasted only this line of the email: please look at ASIN B0ABCDEF12.\n",
                                         encoding="utf-8")
    body = (REASONS / "not-as-described" / "covers.txt").read_text(encoding="utf-8")
    (tmp_path / "letter.md").write_text("---\nnotice: notice.txt\n---\n" + body, encoding="utf-8")
    result = run(["--format", "json", str(tmp_path / "letter.md")])
    assert result.exit_code in (0, 1), result.stderr
    assert "does not look like an Amazon notice" in result.stderr and "notice.txt" in result.stderr
    assert "letter.md" in as_json(result.stdout)


def test_front_matter_notice_missing_is_exit_2(tmp_path: Path) -> None:
    body = (REASONS / "late-shipment" / "covers.txt").read_text(encoding="utf-8")
    (tmp_path / "gone.md").write_text("---\nnotice: gone.txt\n---\n" + body, encoding="utf-8")
    gone = run([str(tmp_path / "gone.md")])
    assert gone.exit_code == 2 and len([ln for ln in gone.stderr.splitlines() if "gone.txt" in ln]) == 1
    assert "1 not linted" in gone.stdout and "not readable" not in gone.stdout  # the letter itself was readable
    line = next(ln for ln in gone.stderr.splitlines() if "gone.txt" in ln)
    assert "gone.md" in line and "remove the 'notice:' line" in line  # names the letter and what to do


def test_front_matter_notice_and_a_bad_one(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text((REASONS / "not-as-described" / "notice.txt").read_text(encoding="utf-8"))
    body = (REASONS / "not-as-described" / "covers.txt").read_text(encoding="utf-8")
    (tmp_path / "good.md").write_text("---\nnotice: notice.txt\n---\n" + body, encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\nnotice: gone.txt\n---\n" + body, encoding="utf-8")
    result = run(["--format", "json", str(tmp_path / "good.md"), str(tmp_path / "bad.md")])
    assert result.exit_code == 2 and "gone.txt does not exist" in result.stderr
    files = as_json(result.stdout)
    assert set(files) == {"good.md"} and files["good.md"]["reason"] == "not-as-described"


def test_previous_appeal_reports_recycled_sentences() -> None:
    folder = HERE / "rules" / "recycled-text"
    result = run(["--previous", str(folder / "previous-appeal.txt"), "--format", "json", str(folder / "fail.txt")])
    found = [f for f in as_json(result.output)["fail.txt"]["findings"] if f["rule"] == "recycled-text"]
    assert [f["line"] for f in found] == [3, 7]
    assert run(["--previous", "gone.txt", str(folder / "pass.txt")]).exit_code == 2


@pytest.mark.parametrize("name, reason", [
    ("late_shipment_modern.txt", "late-shipment"), ("old_format.txt", "late-shipment"),
    ("premium_limited.txt", "premium-shipping"), ("rejection_inauthentic.txt", "inauthentic"),
    ("ip_trademark.txt", "intellectual-property"), ("item_condition_numbered.txt", "item-condition"),
    ("odr_sub_issues.txt", "order-defect-rate"), ("product_safety_seven_days.txt", "product-safety"),
    ("restricted_products.txt", "restricted-products"), ("masked_forum_paste.txt", "pre-fulfillment-cancellation"),
    ("multi_reason.txt", "review-manipulation"),
])
def test_pack_vocabulary_reads_every_notice_format(name: str, reason: str, ruleset: RuleSet) -> None:
    notice = load_notice(str(NOTICES / name), ruleset)
    assert notice.reasons[0].reason == reason


def test_multi_reason_notice_names_both(ruleset: RuleSet) -> None:
    notice = load_notice(str(NOTICES / "multi_reason.txt"), ruleset)
    assert [h.reason for h in notice.reasons][:2] == ["review-manipulation", "related-accounts"]


def test_premium_requirements_rank_below_premium_shipping(ruleset: RuleSet) -> None:
    """A Premium Shipping notice lists tracking and cancellation requirements: the reason is still premium."""
    notice = load_notice(str(HERE / "rules" / "uncovered-request" / "notice.txt"), ruleset)
    assert notice.reasons[0].reason == "premium-shipping"


@pytest.mark.parametrize("args", [["reasons"], ["template", "late-shipment"], ["rule", "late-shipment"]])
def test_reason_commands_do_not_import_spacy(args: list[str]) -> None:
    code = ("import sys\nfrom poalint.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "assert 'spacy' not in sys.modules, 'spacy imported'\n" % (args,))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
