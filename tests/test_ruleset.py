"""Rule files: validated on load, errors name the file, the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from poalint.ruleset import RuleFileError, load

GOOD = """\
id: my-rule
kind: phrase
category: tone
severity: warning
summary: Says 'frankly'.
message: "{match} sounds defensive."
fix: Delete it.
phrases: [frankly]
"""


def _write(tmp_path: Path, text: str) -> str:
    d = tmp_path / "extra"
    d.mkdir(exist_ok=True)
    (d / "rule.yaml").write_text(text, encoding="utf-8")
    return str(d)


def test_builtin_rules_load(ruleset) -> None:  # type: ignore[no-untyped-def]
    assert "blame-shifting" in ruleset.rules
    assert all(r.message and r.fix and r.summary for r in ruleset.rules.values())


def test_extra_rules_folder_adds_a_rule(tmp_path: Path) -> None:
    rs = load([_write(tmp_path, GOOD)])
    assert rs.rules["my-rule"].severity.name == "WARNING"


@pytest.mark.parametrize("edit, line, words", [
    (("kind: phrase", "kind: magic"), 2, "kind: unknown kind 'magic'"),
    (("phrases: [frankly]", "phrases: [frankly]\ncolour: red"), 9, "colour: unknown key"),
    (("severity: warning", "severity: fatal"), 4, "severity"),
    (("fix: Delete it.\n", ""), 1, "missing or empty 'fix'"),
    (("phrases: [frankly]", "regex: ['(unclosed']"), 8, "invalid regular expression"),
    (("phrases: [frankly]", "regex: ['(a+)+b']"), 8, "nests repeats"),
    (("phrases: [frankly]", "patterns: [[{LEMA: carrier}]]"), 8, "unknown token attribute 'LEMA'"),
    (("phrases: [frankly]", "patterns: [[{LOWER: {IN: [yes, no]}}]]"), 8, "must be a list of strings"),
    (("phrases: [frankly]", "patterns: [[{LEMMA: {IN: $nothing}}]]"), 8, "unknown word list '$nothing'"),
    (("id: my-rule", "id: My_Rule"), 1, "kebab-case"),
    (("phrases: [frankly]", "phrases: [frankly]\nunless: [no-such-concept]"), 9, "unknown concept"),
    # each kind's own keys, typed by its Options dataclass
    (("phrases: [frankly]", "phrases: [frankly]\nin_quotes: sometimes"), 9, "in_quotes: must be true or false"),
    (("phrases: [frankly]", "phrases: [frankly]\nmax_findings: two"), 9, "max_findings: must be a number"),
    (("phrases: [frankly]", "phrases: [frankly]\nmax: 3"), 9, "max: unknown key for kind 'phrase'"),
])
def test_bad_rule_is_reported_with_path_line_and_key(tmp_path: Path, edit: tuple[str, str], line: int,
                                                     words: str) -> None:
    folder = _write(tmp_path, GOOD.replace(*edit))
    with pytest.raises(RuleFileError) as info:
        load([folder])
    message = str(info.value)
    assert message.startswith(f"{folder}/rule.yaml:{line}:"), message
    assert words in message


def test_yaml_syntax_error_shows_the_line(tmp_path: Path) -> None:
    folder = _write(tmp_path, GOOD + "examples: {fail: [unclosed\n")
    with pytest.raises(RuleFileError, match=r"rule\.yaml:\d+: not valid YAML"):
        load([folder])


def test_duplicate_rule_id_is_refused(tmp_path: Path) -> None:
    folder = _write(tmp_path, GOOD.replace("id: my-rule", "id: blame-shifting"))
    with pytest.raises(RuleFileError, match="already defined"):
        load([folder])


def test_rules_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="not a folder"):
        load([str(tmp_path / "missing")])


def test_yaml_tags_cannot_run_code(tmp_path: Path) -> None:
    folder = _write(tmp_path, GOOD + "examples: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(RuleFileError, match="not valid YAML"):
        load([folder])


def test_wide_any_token_gap_is_refused(tmp_path: Path) -> None:
    folder = _write(tmp_path, GOOD.replace("phrases: [frankly]",
                                           'patterns: [[{LOWER: why}, {OP: "{0,25}"}, {ORTH: "?"}]]'))
    with pytest.raises(RuleFileError, match="wider than 8; match such long spans with a regex"):
        load([folder])


# ---------------------------------------------------------------- checked at load (issue 10)

_UNDATED = """id: my-undated
kind: custom
check: undated-measure
category: timeline
severity: info
summary: A measure without a date.
message: "No date: {match}"
fix: Add a date.
options:
  concept: %s
  %s: 2
"""


def _cli(*args: str):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "poalint", "--no-cache", *args], capture_output=True, text=True)


def test_misspelt_custom_option_is_exit_2_with_path_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    letter = tmp_path / "l.txt"
    letter.write_text("Dear team, we fixed it.\n", encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "u.yaml").write_text(_UNDATED % ("measure_time", "min_datd"), encoding="utf-8")
    got = _cli("--rules", str(rules), str(letter))
    assert got.returncode == 2 and "Traceback" not in got.stderr
    assert f"{rules / 'u.yaml'}:11: options.min_datd: unknown option for check 'undated-measure'" in got.stderr
    (rules / "u.yaml").write_text(_UNDATED % ("time_expresion", "min_dated"), encoding="utf-8")
    got = _cli("--rules", str(rules), str(letter))
    assert got.returncode == 2 and f"{rules / 'u.yaml'}:10: options.concept: unknown concept 'time_expresion'" in got.stderr
    assert len(got.stderr.strip().splitlines()) == 1


_HEAD = "id: my-rule\ncategory: format\nseverity: info\nsummary: S.\nmessage: M.\nfix: F.\n"


@pytest.mark.parametrize("body, line, words", [
    ("kind: regex\nregex: [frankly]\ngroup: first\n", 9, "group: must be a whole number"),
    ("kind: regex\nregex: [frankly]\nexceptions: [$no_such_list]\n", 9, "unknown word list '$no_such_list'"),
    ("kind: regex\nregex: [frankly]\nphrases: [frankly]\n", 9, "phrases: unknown key for kind 'regex'"),
    ("kind: metric\nmetric: words\n", 1, "(top): a metric rule needs 'min' or 'max'"),
    ("kind: metric\nmetric: letters\nmax: 3\n", 8, "metric: unknown value 'letters'"),
    ("kind: metric\nmax: 3\n", 1, "a rule of kind 'metric' needs 'metric'"),
    ("kind: metric\nmetric: words\nmin: few\n", 9, "min: must be a number"),
    ("kind: count\nphrases: [sorry]\nmax: 2\nmax_findings: 1\n", 10, "max_findings: unknown key for kind 'count'"),
    ("kind: require\nphrases: [sorry]\nin_quotes: true\n", 9, "in_quotes: unknown key for kind 'require'"),
])
def test_a_kinds_own_keys_are_typed_at_load(tmp_path: Path, body: str, line: int, words: str) -> None:
    folder = _write(tmp_path, _HEAD + body)
    with pytest.raises(RuleFileError) as info:
        load([folder])
    message = str(info.value)
    assert message.startswith(f"{folder}/rule.yaml:{line}:"), message
    assert words in message


def test_every_rule_holds_its_kinds_typed_options(ruleset) -> None:  # type: ignore[no-untyped-def]
    from poalint.kinds import KINDS

    for rule in ruleset.rules.values():
        row = KINDS[rule.kind]
        if row.options is not None:
            assert isinstance(rule.options, row.options) and not rule.check, rule.id
    grade = next(r for r in ruleset.rules.values() if r.kind == "metric" and r.options.metric == "grade")
    assert grade.options.max is not None


def test_check_defaults_name_real_vocabulary(ruleset) -> None:  # type: ignore[no-untyped-def]
    from poalint.kinds import CHECKS

    assert {r.check for r in ruleset.rules.values() if r.kind == "custom"} <= set(CHECKS)
    for rule in ruleset.rules.values():
        if rule.kind == "custom":
            assert isinstance(rule.options, CHECKS[rule.check].options), rule.id


def test_a_renamed_word_list_fails_at_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from poalint.ruleset import RuleFileError, load

    rules = tmp_path / "r"
    rules.mkdir()
    (rules / "s.yaml").write_text(
        "id: my-shouting\nkind: custom\ncheck: shouting\ncategory: format\nseverity: info\nsummary: s\n"
        "message: m\nfix: f\noptions: {words: shout_wordz}\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"s.yaml:9: options.words: unknown word list 'shout_wordz'"):
        load([str(rules)])


def test_concept_cycles_are_refused_at_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from poalint.ruleset import RuleFileError, load

    (tmp_path / "concepts").mkdir()
    (tmp_path / "concepts" / "c.yaml").write_text(
        "loop_a:\n  concept: [loop_b]\nloop_b:\n  phrases: [x]\n  concept: [loop_a]\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"c.yaml:2: loop_a.concept: .*loop_a -> loop_b -> loop_a"):
        load([str(tmp_path)])


def test_sections_vocabulary_names_are_checked(ruleset) -> None:  # type: ignore[no-untyped-def]
    from poalint.ruleset import section_vocab
    from poalint.safeyaml import safe_load
    from poalint.schema import Source

    text = "not_a_part:\n  concepts: [hardship, hardshp]\n"
    with pytest.raises(RuleFileError, match=r"sections.yaml:2: not_a_part.concepts.1: unknown concept 'hardshp'"):
        section_vocab(Source("sections.yaml", text), safe_load(text), ruleset.concepts, ruleset.rules)
    text = "not_a_part:\n  hard: [refusal, template_instructions]\n"
    with pytest.raises(RuleFileError, match=r"sections.yaml:2: not_a_part.hard.1: unknown concept 'template_instructions'"):
        section_vocab(Source("sections.yaml", text), safe_load(text), ruleset.concepts, ruleset.rules)
    assert ruleset.sections.not_a_part.hard == ("refusal", "template_instruction")  # the shipped vocabulary
    text = "not_a_part:\n  concept_cues:\n    corrective:\n      - {concept: dated_action, weight: high}\n"
    with pytest.raises(RuleFileError, match=r"sections.yaml:4: not_a_part.concept_cues.corrective.0: must be"):
        section_vocab(Source("sections.yaml", text), safe_load(text), ruleset.concepts, ruleset.rules)
    text = "cues:\n  root-cause: [the reason]\n"
    with pytest.raises(RuleFileError, match=r"sections.yaml:2: cues.root-cause: unknown part"):
        section_vocab(Source("sections.yaml", text), safe_load(text), ruleset.concepts, ruleset.rules)


def test_sections_vocabulary_is_a_typed_value(ruleset) -> None:  # type: ignore[no-untyped-def]
    from poalint.model import SectionVocab

    vocab = ruleset.sections
    assert isinstance(vocab, SectionVocab)
    assert set(vocab.cues) <= {"root_cause", "corrective", "preventive"}
    assert all(isinstance(cue, str) and isinstance(weight, float) for entries in vocab.cues.values()
               for cue, weight in entries)
    assert vocab.greetings and vocab.closings and vocab.headings["corrective"]
