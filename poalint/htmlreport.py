"""`--format html`: one self-contained, printable, accessible HTML page for one or more letters.

Plain inputs only (`HtmlLetter`), so the command line and `poalint serve` can both use it:

* `render_page(letters, title=..., version=...)` -> a whole HTML document (inline CSS, no script,
  no network: a Content-Security-Policy meta tag forbids every fetch);
* `render_letter(letter, n)` -> the `<section>` of one letter (what `poalint serve` sends back);
* `STYLE` -> the CSS both need.

The letter is cut into segments at every finding and part boundary, so overlapping findings
never nest: each segment is one `<mark>` naming every finding that covers it. Findings with no
place (an empty span, e.g. a missing part reported at 1:1) are listed under "whole letter".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from poalint.model import Severity

if TYPE_CHECKING:
    from poalint.model import Finding

PARTS = ("root_cause", "corrective", "preventive", "none")
PART_LABELS = {"root_cause": "Root cause", "corrective": "Corrective actions",
               "preventive": "Preventive measures", "none": "Not a part"}
PART_HINTS = {"root_cause": "why it happened", "corrective": "what you already fixed",
              "preventive": "what stops it happening again", "none": "greeting, thanks, signature ..."}

# Severity: an icon and a word as well as a colour (never colour alone).
SEV = {
    Severity.ERROR: ("error", "\u2716", "Error", "Errors", "must fix before you send"),
    Severity.WARNING: ("warning", "\u25b2", "Warning", "Warnings", "should fix"),
    Severity.INFO: ("info", "\u2139", "Info", "Info", "worth a look"),
}

# Every colour of the page. CONTRAST_PAIRS lists each text/background pair that is used;
# tests check each against WCAG AA (4.5:1 for normal text).
PALETTE = {
    "ink": "#1f2328", "muted": "#57606a", "paper": "#ffffff", "panel": "#f6f8fa", "line": "#d0d7de",
    "link": "#0b57d0", "focus": "#0b57d0",
    "error": "#a1191f", "error-bg": "#fde4e2", "error-soft": "#fdecea", "error-edge": "#c9302c",
    "warning": "#8a4b00", "warning-bg": "#fff1c7", "warning-soft": "#fff6dc", "warning-edge": "#d19a00",
    "info": "#1c5aa6", "info-bg": "#e0edff", "info-soft": "#eaf2fc", "info-edge": "#4a86d0",
    "pass": "#1a7f37", "fail": "#b3261e",
    "root_cause": "#6b3fa0", "corrective": "#00695c", "preventive": "#1d4ed8", "none": "#57606a",
}
CONTRAST_PAIRS = (
    ("ink", "paper"), ("ink", "panel"), ("muted", "paper"), ("muted", "panel"), ("link", "paper"),
    ("link", "panel"), ("ink", "error-bg"), ("ink", "warning-bg"), ("ink", "info-bg"),
    ("error", "paper"), ("warning", "paper"), ("info", "paper"), ("error", "error-soft"),
    ("warning", "warning-soft"), ("info", "info-soft"), ("paper", "pass"), ("paper", "fail"),
    ("pass", "paper"), ("fail", "paper"), ("root_cause", "paper"), ("corrective", "paper"),
    ("preventive", "paper"), ("none", "paper"), ("paper", "ink"),
)


@dataclass(frozen=True)
class HtmlLetter:
    """One analysed letter, as the report needs it."""

    path: str
    text: str  # the analysed letter text; findings' start/end are character offsets into it
    findings: tuple[Finding, ...]
    parts: tuple[tuple[int, int, str], ...]  # (start, end, "root_cause" | "corrective" | "preventive" | "none")
    score: float
    passed: bool
    verdict: str  # "passed", "FAILED: 2 errors", ...
    reason: str | None = None
    reason_source: str | None = None
    docs_url: Callable[[str], str] | None = field(default=None, compare=False)
    notes: tuple[str, ...] = ()  # warnings to show with the letter: a notice not parsed, paragraphs not checked


def _css() -> str:
    colors = "".join(f"--{k}:{v};" for k, v in PALETTE.items())
    return ":root{" + colors + "}" + _CSS


_CSS = """
*{box-sizing:border-box}
html{font-size:100%}
body{margin:0;background:var(--panel);color:var(--ink);font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:var(--ink);color:var(--paper);padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
.vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.top{background:var(--ink);color:var(--paper);padding:.75rem 1.5rem}
header.top p{margin:0;font-size:1.15rem;font-weight:600}
header.top .sub{font-size:.9rem;font-weight:400}
main{max-width:80rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.35rem;margin:0 0 .75rem;overflow-wrap:anywhere}
h3{font-size:1.1rem;margin:0 0 .5rem}
.card{background:var(--paper);border:1px solid var(--line);border-radius:10px;padding:1.25rem 1.5rem;margin:0 0 1.5rem}
.index table{border-collapse:collapse;width:100%}
.index th,.index td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
.index td.num,.index th.num{text-align:right}
.index td a{overflow-wrap:anywhere}
.sum{display:flex;flex-wrap:wrap;gap:1.25rem;align-items:center;margin-bottom:1rem}
.score{min-width:8.5rem;text-align:center;border-radius:10px;padding:.5rem 1rem;color:var(--paper)}
.score.pass{background:var(--pass)}.score.fail{background:var(--fail)}
.score .big{display:block;font-size:3rem;font-weight:800;line-height:1.05}
.score .of{font-size:.95rem}
.verdict{font-size:1.3rem;font-weight:700;margin:0}
.verdict.pass,.verdict-s.pass{color:var(--pass)}.verdict.fail,.verdict-s.fail{color:var(--fail)}
.verdict-s{font-weight:600}
.facts{margin:.25rem 0 0;padding:0;list-style:none;color:var(--muted)}
.facts li{display:inline-block;margin-right:1rem}
.counts{display:flex;gap:.5rem;flex-wrap:wrap;margin:.4rem 0 0;padding:0;list-style:none}
.pill{display:inline-block;border-radius:999px;padding:.1rem .65rem;font-weight:600;font-size:.92rem;border:1px solid}
.pill.error{color:var(--error);background:var(--error-soft);border-color:var(--error-edge)}
.pill.warning{color:var(--warning);background:var(--warning-soft);border-color:var(--warning-edge)}
.pill.info{color:var(--info);background:var(--info-soft);border-color:var(--info-edge)}
.pill.zero{color:var(--muted);background:var(--paper);border-color:var(--line)}
.cols{display:grid;grid-template-columns:minmax(0,1fr);gap:1.5rem}
@media (min-width:70rem){.cols{grid-template-columns:minmax(0,3fr) minmax(19rem,2fr)}}
.legend{display:flex;flex-wrap:wrap;gap:.35rem 1.1rem;margin:0 0 .75rem;padding:0;list-style:none;font-size:.9rem}
.legend li{display:flex;align-items:center;gap:.35rem}
.sw{display:inline-block;width:.9rem;height:.9rem;border-radius:3px}
.sw.p-root_cause,.row.p-root_cause .bar{background:var(--root_cause)}
.sw.p-corrective,.row.p-corrective .bar{background:var(--corrective)}
.sw.p-preventive,.row.p-preventive .bar{background:var(--preventive)}
.sw.p-none,.row.p-none .bar{background:var(--line)}
.row.p-root_cause .plabel{color:var(--root_cause)}
.row.p-corrective .plabel{color:var(--corrective)}
.row.p-preventive .plabel{color:var(--preventive)}
.row.p-none .plabel{color:var(--none);font-weight:400}
.doc{border:1px solid var(--line);border-radius:8px;padding:.75rem .75rem .75rem 0;background:var(--paper)}
.row{display:grid;grid-template-columns:8.5rem 6px minmax(0,1fr);column-gap:.75rem}
.plabel{font-size:.8rem;font-weight:700;text-align:right;padding-top:.2rem;line-height:1.25}
.bar{border-radius:3px}
@media (max-width:40rem){
main{padding:.75rem .5rem 2rem}
.card{padding:1rem .9rem}
.doc{padding:.5rem .5rem .5rem .5rem}
.row{grid-template-columns:6px minmax(0,1fr);column-gap:.6rem}
.row .bar{grid-column:1;grid-row:1/span 2}
.row .plabel{grid-column:2;grid-row:1;text-align:left;padding-top:.35rem}
.row .txt{grid-column:2;grid-row:2}
}
.txt{white-space:pre-wrap;overflow-wrap:anywhere;font-size:1.02rem;line-height:1.7;padding:.1rem 0}
.hw{position:relative}
mark.hl{color:inherit;border-radius:2px;padding:.05em 0;cursor:help;border-bottom:3px solid}
mark.error{background:var(--error-bg);border-bottom-color:var(--error-edge)}
mark.warning{background:var(--warning-bg);border-bottom-color:var(--warning-edge);border-bottom-style:dashed}
mark.info{background:var(--info-bg);border-bottom-color:var(--info-edge);border-bottom-style:dotted}
mark.multi{border-bottom-style:double;border-bottom-width:4px}
mark.hl:focus{outline:3px solid var(--focus);outline-offset:1px}
.tip{display:none;position:absolute;left:0;top:calc(100% + 4px);z-index:5;width:min(26rem,80vw);
background:var(--paper);color:var(--ink);border:1px solid var(--ink);border-radius:8px;padding:.6rem .8rem;
box-shadow:0 4px 14px rgba(0,0,0,.18);white-space:normal;font-size:.93rem;line-height:1.45}
.hw:hover>.tip,.hw:focus-within>.tip{display:block}
.tip ul{margin:0;padding:0;list-style:none}
.tip li+li{margin-top:.45rem;padding-top:.45rem;border-top:1px solid var(--line)}
.ref{display:none}
.sev{font-weight:700;white-space:nowrap}
.sev.error{color:var(--error)}.sev.warning{color:var(--warning)}.sev.info{color:var(--info)}
.findings h3{margin-top:1rem}
.findings h3:first-of-type{margin-top:0}
.sevhead{display:flex;align-items:center;gap:.4rem}
.sevhead .hint{font-weight:400;color:var(--muted);font-size:.95rem}
ol.flist{margin:0;padding:0;list-style:none}
ol.flist li{border:1px solid var(--line);border-left:6px solid;border-radius:6px;padding:.6rem .8rem;margin:0 0 .6rem;
background:var(--paper)}
ol.flist li.error{border-left-color:var(--error-edge)}
ol.flist li.warning{border-left-color:var(--warning-edge)}
ol.flist li.info{border-left-color:var(--info-edge)}
ol.flist li:target{outline:3px solid var(--focus)}
.msg{margin:.15rem 0}
.quote{margin:.3rem 0;padding:.2rem .6rem;border-left:3px solid var(--line);color:var(--muted);font-style:italic;
overflow-wrap:anywhere}
.fix{margin:.3rem 0}
.fix b{color:var(--ink)}
.where{font-size:.9rem;color:var(--muted)}
.none{color:var(--muted)}
.okbox{border:1px solid var(--pass);border-radius:6px;padding:.6rem .8rem;color:var(--pass);font-weight:600}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:1rem}
@media print{
body{background:#fff;font-size:11pt}
header.top{background:#fff;color:#000;border-bottom:2px solid #000;padding:.25rem 0}
.skip,.tip,.noprint{display:none!important}
main{max-width:none;padding:0}
.card{border:0;padding:0;margin:0 0 1rem;break-inside:auto}
.cols{display:block}
.letter{break-before:page}
.letter:first-of-type{break-before:auto}
.ref{display:inline;font-size:.75em;font-weight:700;vertical-align:super;text-decoration:none;color:#000}
.score,.score.pass,.score.fail{background:#fff!important;color:#000;border:3px solid #000}
mark.hl{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.bar{-webkit-print-color-adjust:exact;print-color-adjust:exact}
ol.flist li{break-inside:avoid}
a[href^="#"]{text-decoration:none}
}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto}}
"""

STYLE = _css()
# A report opened from disk may fetch nothing at all: no scripts, fonts, images or connections.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _mark(passed: bool) -> str:
    return "\u2714" if passed else "\u2716"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _counts(findings: Sequence[Finding]) -> dict[Severity, int]:
    out = {s: 0 for s in Severity}
    for f in findings:
        out[f.severity] += 1
    return out


def _placed(letter: HtmlLetter) -> tuple[list[tuple[int, int, int]], list[int]]:
    """(start, end, finding index) of findings with a place in the text; indexes of the rest."""
    n = len(letter.text)
    placed, whole = [], []
    for i, f in enumerate(letter.findings):
        start, end = max(0, min(f.start, n)), max(0, min(f.end, n))
        if end <= start or f.line <= 0:
            whole.append(i)
        else:
            placed.append((start, end, i))
    return placed, whole


def _part_runs(letter: HtmlLetter) -> list[tuple[int, int, str]]:
    """The parts as disjoint runs covering the whole text; gaps are "none"; blank runs join a neighbour."""
    n = len(letter.text)
    runs: list[tuple[int, int, str]] = []
    pos = 0
    for start, end, part in sorted(letter.parts):
        start, end = max(start, pos), min(end, n)
        if end <= start:
            continue
        if start > pos:
            runs.append((pos, start, "none"))
        runs.append((start, end, part if part in PARTS else "none"))
        pos = end
    if pos < n or not runs:
        runs.append((pos, n, "none"))
    text = letter.text
    merged: list[tuple[int, int, str]] = []
    for start, end, part in runs:
        blank = not text[start:end].strip()
        if merged and (merged[-1][2] == part or blank):
            merged[-1] = (merged[-1][0], end, merged[-1][2])  # same part, or only blank lines: one row
        elif merged and not text[merged[-1][0]:merged[-1][1]].strip():
            merged[-1] = (merged[-1][0], end, part)  # a blank first run takes the part of what follows
        else:
            merged.append((start, end, part))
    return merged


def segments(letter: HtmlLetter) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """(start, end, part, finding indexes covering it) for every piece of the text, in order.

    Cut at every finding start/end and part boundary: overlapping findings become a run of
    segments, each naming all findings that cover it, so highlights never nest.
    """
    placed, _ = _placed(letter)
    runs = _part_runs(letter)
    cuts = {0, len(letter.text)}
    for s, e, _i in placed:
        cuts.add(s)
        cuts.add(e)
    for s, e, _p in runs:
        cuts.add(s)
        cuts.add(e)
    bounds = sorted(cuts)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for s, e, i in placed:
        starts.setdefault(s, []).append(i)
        ends.setdefault(e, []).append(i)
    active: dict[int, None] = {}
    out = []
    r = 0
    for a, b in zip(bounds, bounds[1:]):
        for i in ends.get(a, ()):
            active.pop(i, None)
        for i in starts.get(a, ()):
            active[i] = None
        while r < len(runs) - 1 and runs[r][1] <= a:
            r += 1
        out.append((a, b, runs[r][2] if runs else "none", tuple(sorted(active))))
    return out


def _ids(n: int) -> dict[str, str]:
    return {"letter": f"letter-{n}", "doc": f"doc-{n}", "list": f"findings-{n}"}


def _finding_anchor(n: int, i: int) -> str:
    return f"f{n}-{i}"


def _item_anchor(n: int, i: int) -> str:
    return f"i{n}-{i}"


def _sev_label(sev: Severity) -> str:
    cls, icon, word, _, _ = SEV[sev]
    return f'<span class="sev {cls}"><span aria-hidden="true">{icon}</span> {word}</span>'


def _render_text(letter: HtmlLetter, n: int) -> str:
    findings = letter.findings
    text = letter.text
    rows: list[str] = []
    cur_part: str | None = None
    buf: list[str] = []
    first_seen: set[int] = set()
    last_seg: dict[int, int] = {}
    segs = segments(letter)
    for k, (_a, _b, _p, cover) in enumerate(segs):
        for i in cover:
            last_seg[i] = k

    def close_row() -> None:
        if cur_part is not None:
            label = PART_LABELS[cur_part]
            rows.append(f'<div class="row p-{cur_part}"><div class="plabel">{_e(label)}</div>'
                        f'<div class="bar" aria-hidden="true"></div><div class="txt">{"".join(buf)}</div></div>')

    for k, (a, b, part, cover) in enumerate(segs):
        if part != cur_part:
            close_row()
            cur_part, buf = part, []
        piece = _e(text[a:b])
        if not cover:
            buf.append(piece)
            continue
        worst = max(findings[i].severity for i in cover)
        cls = SEV[worst][0] + (" multi" if len(cover) > 1 else "")
        new = [i for i in cover if i not in first_seen]
        first_seen.update(new)
        anchor = f' id="{_finding_anchor(n, new[0])}"' if new else ""
        more = "".join(f'<span id="{_finding_anchor(n, i)}"></span>' for i in new[1:])
        tip_id = f"t{n}-{k}"
        data = " ".join(str(i) for i in cover)
        names = ", ".join(f"{SEV[findings[i].severity][2].lower()}" for i in cover)
        tips = "".join(
            f'<li>{_sev_label(findings[i].severity)} {_e(findings[i].message)} '
            f'<a href="#{_item_anchor(n, i)}">details</a></li>' for i in cover)
        refs = "".join(f'<a class="ref" href="#{_item_anchor(n, i)}">[{i + 1}]</a>'
                       for i in cover if last_seg.get(i) == k)
        buf.append(f'<span class="hw">{more}<mark class="hl {cls}"{anchor} tabindex="0" data-f="{data}" '
                   f'aria-describedby="{tip_id}"><span class="vh">{_e(names)}: </span>{piece}</mark>'
                   f'<span class="tip" role="tooltip" id="{tip_id}"><ul>{tips}</ul></span></span>{refs}')
    close_row()
    return "".join(rows)


def _render_item(letter: HtmlLetter, n: int, i: int, placed: bool) -> str:
    f = letter.findings[i]
    cls = SEV[f.severity][0]
    quote = f'<p class="quote">\u201c{_e(" ".join(f.excerpt.split()))}\u201d</p>' if f.excerpt.strip() else ""
    fix = f'<p class="fix"><b>How to fix:</b> {_e(f.fix)}</p>' if f.fix else ""
    if placed:
        where = (f'<a href="#{_finding_anchor(n, i)}">Show in the letter</a> '
                 f'<span class="where">(line {f.line}, column {f.column})</span>')
    else:
        where = '<span class="where">About the whole letter</span>'
    docs = ""
    if letter.docs_url is not None:
        docs = f' \u00b7 <a class="where" href="{_e(letter.docs_url(f.rule))}">rule {_e(f.rule)}</a>'
    else:
        docs = f' <span class="where">\u00b7 rule {_e(f.rule)}</span>'
    return (f'<li class="{cls}" id="{_item_anchor(n, i)}"><span class="vh">Finding {i + 1}. </span>'
            f'<p class="msg">{_sev_label(f.severity)} <span class="ref">[{i + 1}]</span> {_e(f.message)}</p>'
            f'{quote}{fix}<p class="where">{where}{docs}</p></li>')


def _render_findings(letter: HtmlLetter, n: int) -> str:
    placed_idx = {i for _s, _e2, i in _placed(letter)[0]}
    whole = _placed(letter)[1]
    parts = []
    if not letter.findings:
        parts.append('<p class="okbox">No problems found. Read the letter once more, then send it.</p>')
    if whole:
        items = "".join(_render_item(letter, n, i, False) for i in whole)
        parts.append(f'<h3 id="whole-{n}">The whole letter <span class="hint">({len(whole)})</span></h3>'
                     f'<ol class="flist">{items}</ol>')
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        idx = [i for i, f in enumerate(letter.findings) if f.severity == sev and i in placed_idx]
        if not idx:
            continue
        cls, icon, _word, many, hint = SEV[sev]
        items = "".join(_render_item(letter, n, i, True) for i in idx)
        parts.append(f'<h3 class="sevhead" id="{cls}-{n}"><span class="sev {cls}"><span aria-hidden="true">{icon}'
                     f'</span> {many} ({len(idx)})</span> <span class="hint">{hint}</span></h3>'
                     f'<ol class="flist">{items}</ol>')
    return "".join(parts)


def _count_pills(counts: dict[Severity, int]) -> str:
    out = []
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        cls, icon, word, many, _ = SEV[sev]
        label = _plural(counts[sev], word.lower(), many.lower() if sev != Severity.INFO else "info")
        out.append(f'<li class="pill {cls if counts[sev] else "zero"}"><span aria-hidden="true">{icon}</span> {label}</li>')
    return f'<ul class="counts" aria-label="Findings by severity">{"".join(out)}</ul>'


def render_letter(letter: HtmlLetter, n: int = 1, *, heading_level: int = 2) -> str:
    """The report of one letter: score and verdict, the marked-up letter with its parts, the findings."""
    ids = _ids(n)
    ok = "pass" if letter.passed else "fail"
    counts = _counts(letter.findings)
    facts = []
    if letter.reason:
        src = f" ({_e(letter.reason_source)})" if letter.reason_source else ""
        facts.append(f"<li>Suspension reason: <b>{_e(letter.reason)}</b>{src}</li>")
    facts.append(f"<li>{_plural(len(letter.findings), 'finding')}</li>")
    facts += [f"<li>Note: {_e(note)}</li>" for note in letter.notes]
    h = f"h{heading_level}"
    legend = "".join(f'<li><span class="sw p-{p}" aria-hidden="true"></span><b>{_e(PART_LABELS[p])}</b>'
                     f'<span class="none">&nbsp;\u2013 {_e(PART_HINTS[p])}</span></li>' for p in PARTS)
    score = f"{letter.score:.0f}"
    word = "Passed" if letter.passed else "Failed"
    return (
        f'<section class="letter card" id="{ids["letter"]}" aria-labelledby="{ids["letter"]}-h">'
        f'<{h} id="{ids["letter"]}-h">{_e(letter.path)}</{h}>'
        f'<div class="sum"><div class="score {ok}" role="img" aria-label="Score {score} out of 100, {word.lower()}">'
        f'<span class="big">{score}</span><span class="of">out of 100</span></div>'
        f'<div><p class="verdict {ok}"><span aria-hidden="true">{_mark(letter.passed)}</span> '
        f'{_e(letter.verdict)}</p>{_count_pills(counts)}<ul class="facts">{"".join(facts)}</ul></div></div>'
        f'<div class="cols"><section class="doc-wrap" aria-labelledby="{ids["doc"]}-h">'
        f'<h3 id="{ids["doc"]}-h">Your letter, as poalint read it</h3>'
        f'<p class="none noprint">Marked words have a problem: hover, or press Tab to reach them, to read why.</p>'
        f'<ul class="legend" aria-label="Parts of the letter">{legend}</ul>'
        f'<div class="doc" id="{ids["doc"]}">{_render_text(letter, n)}</div></section>'
        f'<section class="findings" id="{ids["list"]}" aria-labelledby="{ids["list"]}-h">'
        f'<h3 class="vh" id="{ids["list"]}-h">What to fix</h3>{_render_findings(letter, n)}</section></div>'
        f'</section>'
    )


def render_index(letters: Sequence[HtmlLetter]) -> str:
    rows = []
    for n, letter in enumerate(letters, 1):
        c = _counts(letter.findings)
        ok = "pass" if letter.passed else "fail"
        rows.append(f'<tr><td><a href="#letter-{n}">{_e(letter.path)}</a></td>'
                    f'<td class="num"><b>{letter.score:.0f}</b></td>'
                    f'<td><span class="verdict-s {ok}">{_mark(letter.passed)} {_e(letter.verdict)}'
                    f'</span></td><td class="num">{c[Severity.ERROR]}</td><td class="num">{c[Severity.WARNING]}</td>'
                    f'<td class="num">{c[Severity.INFO]}</td></tr>')
    failed = sum(not x.passed for x in letters)
    return (f'<nav class="index card" aria-labelledby="index-h"><h2 id="index-h">{_plural(len(letters), "letter")}, '
            f'{failed} failed</h2><table><thead><tr><th scope="col">Letter</th><th scope="col" class="num">Score</th>'
            f'<th scope="col">Result</th><th scope="col" class="num">Errors</th><th scope="col" class="num">Warnings'
            f'</th><th scope="col" class="num">Info</th></tr></thead><tbody>{"".join(rows)}</tbody></table></nav>')


def render_page(letters: Sequence[HtmlLetter], *, title: str = "poalint report", version: str) -> str:
    """A whole, self-contained HTML document for `letters` (an index first when there are several)."""
    body = render_index(letters) if len(letters) > 1 else ""
    body += "".join(render_letter(letter, n) for n, letter in enumerate(letters, 1))
    if not letters:
        body = '<p class="card">No letters were checked.</p>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{REPORT_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f'<meta name="generator" content="poalint {_e(version)}"><title>{_e(title)}</title>'
        f'<style>{STYLE}</style></head><body>'
        '<a class="skip" href="#main">Skip to the report</a>'
        f'<header class="top" role="banner"><p>poalint <span class="sub">\u00b7 Plan of Action check</span></p></header>'
        f'<main id="main" tabindex="-1"><h1>{_e(title)}</h1>{body}</main>'
        f'<footer role="contentinfo">Made by poalint {_e(version)}. This report is one file; it loads nothing '
        f'from the internet.</footer></body></html>\n'
    )
