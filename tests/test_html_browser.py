"""The HTML report and `poalint serve` in a real headless Chromium (Debian's chromium + chromedriver).

Skipped only when /usr/bin/chromium is missing outside CI; with $CI set they must run.
Screenshots go to $POALINT_SCREENSHOTS when set (else the test's tmp folder).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from poalint.htmlreport import PALETTE, HtmlLetter, render_page

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

if not os.environ.get("CI") and not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
    pytest.skip("browser tests need Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver);"
                " apt-get install chromium chromium-driver (they always run when $CI is set)", allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver") if not os.environ.get("CI") else __import__(
    "selenium.webdriver", fromlist=["webdriver"])
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WIDTH, HEIGHT = 1400, 1600


def _chrome(javascript: bool = True) -> Any:
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must never fetch a driver or a browser
    profile = tempfile.mkdtemp(prefix="poalint-chrome-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--force-device-scale-factor=1", "--hide-scrollbars", f"--window-size={WIDTH},{HEIGHT}",
                f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(120)
    driver._poalint_profile = profile  # noqa: SLF001
    return driver


def _quit(driver: Any) -> None:
    driver.quit()
    shutil.rmtree(driver._poalint_profile, ignore_errors=True)  # noqa: SLF001


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = _chrome()
    yield driver
    _quit(driver)


@pytest.fixture(scope="module")
def letters(linter) -> list[HtmlLetter]:  # type: ignore[no-untyped-def]
    from _lint_adapter import html_letter

    from poalint.letter import parse

    return [html_letter(linter, parse((EXAMPLES / name).read_text(encoding="utf-8"), f"examples/{name}"))
            for name in ("weak.txt", "failing.txt", "strong.md")]


@pytest.fixture()
def shots(tmp_path: Path) -> Path:
    where = os.environ.get("POALINT_SCREENSHOTS")
    out = Path(where) if where else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


def severe_logs(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def open_report(driver: Any, tmp_path: Path, letters: list[HtmlLetter], name: str = "report.html") -> Path:
    path = tmp_path / name
    path.write_text(render_page(letters, version="test"), encoding="utf-8")
    driver.get_log("browser")  # drop what came before
    driver.get(path.as_uri())
    return path


_MARK_TEXT = """
var out = {};
document.querySelectorAll(arguments[0] + ' mark.hl').forEach(function(m){
  var c = m.cloneNode(true); c.querySelectorAll('.vh').forEach(function(v){v.remove();});
  m.dataset.f.split(' ').forEach(function(i){ out[i] = (out[i] || '') + c.textContent; });
});
return out;
"""


_ANCHOR = """
var a = document.getElementById(arguments[0]); if (!a) { return null; }
var w = a.closest('.hw'); var m = w && w.querySelector('mark.hl'); return m ? m.dataset.f : null;
"""


def assert_marks_match(driver: Any, scope: str, letter: HtmlLetter, n: int = 1) -> int:
    """Every finding with a place is highlighted exactly over text[start:end]; returns how many were checked."""
    got = driver.execute_script(_MARK_TEXT, scope)
    checked = 0
    for i, f in enumerate(letter.findings):
        if f.end > f.start and f.line > 0:
            assert got.get(str(i)) == letter.text[f.start:f.end], (f.rule, f.start, f.end)
            covered = driver.execute_script(_ANCHOR, f"f{n}-{i}")  # the "Show in the letter" target
            assert covered is not None and str(i) in covered.split()
            checked += 1
    assert set(got) <= {str(i) for i in range(len(letter.findings))}
    return checked


# ---- the report file --------------------------------------------------------------------------------


def test_report_renders_without_console_errors(browser: Any, tmp_path: Path, letters: list[HtmlLetter]) -> None:
    open_report(browser, tmp_path, letters)
    assert browser.title == "poalint report"
    assert browser.find_element(By.TAG_NAME, "h1").text == "poalint report"
    rows = browser.find_elements(By.CSS_SELECTOR, "nav.index tbody tr")
    assert [r.find_element(By.TAG_NAME, "a").text for r in rows] == [x.path for x in letters]
    for n, letter in enumerate(letters, 1):
        section = browser.find_element(By.ID, f"letter-{n}")
        assert section.find_element(By.CSS_SELECTOR, ".score .big").text == f"{letter.score:.0f}"
        assert letter.verdict in section.find_element(By.CSS_SELECTOR, ".verdict").text
    # the index links land on the letters
    rows[2].find_element(By.TAG_NAME, "a").click()
    assert browser.execute_script("return location.hash") == "#letter-3"
    assert severe_logs(browser) == []


def test_highlights_sit_where_the_findings_say(browser: Any, tmp_path: Path, letters: list[HtmlLetter]) -> None:
    open_report(browser, tmp_path, letters)
    checked = sum(assert_marks_match(browser, f"#letter-{n}", letter, n) for n, letter in enumerate(letters, 1))
    assert checked >= 10
    # the letter as shown is the letter as analysed, character for character
    shown = browser.execute_script(
        "var d=document.getElementById('doc-1').cloneNode(true);"
        "d.querySelectorAll('.vh,.tip,.plabel,.ref').forEach(function(v){v.remove();});return d.textContent;")
    assert shown == letters[0].text
    # every finding of the list links to its highlight, and the highlight's tooltip links back
    for a in browser.find_elements(By.CSS_SELECTOR, "#letter-1 .findings a[href^='#f1-']"):
        target = a.get_attribute("href").split("#")[1]
        assert browser.find_elements(By.ID, target)


def test_tab_reaches_a_highlight_and_shows_its_explanation(browser: Any, tmp_path: Path,
                                                           letters: list[HtmlLetter]) -> None:
    open_report(browser, tmp_path, letters[:1])
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.hl")
    tips = [browser.find_element(By.ID, m.get_attribute("aria-describedby")) for m in marks]
    assert not any(t.is_displayed() for t in tips)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Skip to the report"
    for _ in range(40):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        active = browser.switch_to.active_element
        if active.tag_name == "mark":
            break
    else:
        pytest.fail("Tab never reached a highlight")
    assert active == marks[0]
    tip = tips[0]
    assert tip.is_displayed()
    assert letters[0].findings[0].message.split("'")[0] in tip.text
    style = browser.execute_script("var s=getComputedStyle(arguments[0]);return [s.outlineStyle,s.outlineWidth];",
                                   active)
    assert style == ["solid", "3px"]  # a visible focus outline
    # Tab again: into the tooltip's "details" link, the explanation stays open (focus-within)
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element.text == "details" and tip.is_displayed()
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert not tip.is_displayed()
    # hover shows it too
    ActionChains(browser).move_to_element(marks[-1]).perform()
    WebDriverWait(browser, 5).until(lambda d: tips[-1].is_displayed())


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return int(hex_color[1:3], 16), int(hex_color[3:5], 16), int(hex_color[5:7], 16)


def _close(a: tuple[int, ...], b: tuple[int, ...], tol: int = 6) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def _dominant(img: Any, rect: dict[str, float], inset: int = 2) -> tuple[int, int, int]:
    box = (int(rect["x"]) + inset, int(rect["y"]) + inset, int(rect["x"] + rect["width"]) - inset,
           int(rect["y"] + rect["height"]) - inset)
    crop = img.crop(box)
    return max(crop.getcolors(crop.width * crop.height), key=lambda c: c[0])[1][:3]


def test_screenshot_of_the_report(browser: Any, tmp_path: Path, letters: list[HtmlLetter], shots: Path) -> None:
    from PIL import Image

    open_report(browser, tmp_path, letters[:1])
    browser.execute_script("window.scrollTo(0,0)")
    png = shots / "report.png"
    assert browser.save_screenshot(str(png))
    img = Image.open(png).convert("RGB")
    view = browser.execute_script("return [window.innerWidth, window.innerHeight]")
    assert img.size == tuple(view)
    colours = img.getcolors(img.width * img.height)
    assert colours is not None and len(colours) > 100  # text, highlights, bars: not a blank page
    assert max(c[0] for c in colours) < 0.9 * img.width * img.height

    def rect(css: str) -> dict[str, float]:
        return browser.execute_script("var r=document.querySelector(arguments[0]).getBoundingClientRect();"
                                      "return {x:r.x,y:r.y,width:r.width,height:r.height};", css)

    assert _close(img.getpixel((5, 5)), _rgb(PALETTE["ink"]))  # the dark top bar
    score = rect(".score")
    assert score["width"] >= 120 and score["height"] >= 80  # a big score
    verdict = "pass" if letters[0].passed else "fail"  # weak.txt sits near the minimum score: follow its verdict
    assert _close(_dominant(img, score), _rgb(PALETTE[verdict]))
    doc = rect("#doc-1")
    assert doc["width"] >= 600 and doc["height"] >= 500 and doc["y"] < HEIGHT  # the letter is on the first screen
    assert _close(_dominant(img, rect(".row.p-root_cause .bar"), 0), _rgb(PALETTE["root_cause"]))
    assert _close(_dominant(img, rect(".row.p-corrective .bar"), 0), _rgb(PALETTE["corrective"]))
    assert _close(_dominant(img, rect("mark.hl.warning"), 1), _rgb(PALETTE["warning-bg"]))
    findings = rect(".findings")
    assert findings["x"] > doc["x"] + doc["width"]  # the list sits beside the letter on a wide screen
    # a focused highlight's explanation, on screen
    browser.execute_script("document.querySelector('mark.hl').focus()")
    tip = rect("mark.hl:focus + .tip")
    browser.save_screenshot(str(shots / "report-focus.png"))
    focus = Image.open(shots / "report-focus.png").convert("RGB")
    assert tip["width"] > 200 and _close(_dominant(focus, tip, 4), _rgb(PALETTE["paper"]))


def test_print_layout_keeps_the_explanations(browser: Any, tmp_path: Path, letters: list[HtmlLetter]) -> None:
    open_report(browser, tmp_path, letters[:1])
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        refs = browser.find_elements(By.CSS_SELECTOR, "#doc-1 .ref")
        assert refs and all(r.is_displayed() for r in refs)
        assert not any(t.is_displayed() for t in browser.find_elements(By.CSS_SELECTOR, ".tip"))
        items = browser.find_elements(By.CSS_SELECTOR, ".findings li")
        assert len(items) == len(letters[0].findings) and all(i.is_displayed() for i in items)
        assert all("How to fix" in i.text for i in items if "fix" in i.get_attribute("innerHTML"))
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = browser.print_page()  # printing works at all
    assert len(pdf) > 1000


def test_report_renders_with_scripting_disabled(tmp_path: Path, letters: list[HtmlLetter]) -> None:
    driver = _chrome(javascript=False)
    try:
        driver.get(_write(tmp_path, letters).as_uri())
        assert driver.find_element(By.CSS_SELECTOR, "#letter-1 .score .big").text == f"{letters[0].score:.0f}"
        assert len(driver.find_elements(By.CSS_SELECTOR, "mark.hl")) >= len(letters[0].findings) - 2
        mark = driver.find_element(By.CSS_SELECTOR, "mark.hl")
        mark.send_keys("")  # focus without script
        ActionChains(driver).move_to_element(mark).perform()
        tip = driver.find_element(By.ID, mark.get_attribute("aria-describedby"))
        WebDriverWait(driver, 5).until(lambda d: tip.is_displayed())
    finally:
        _quit(driver)


def _write(tmp_path: Path, letters: list[HtmlLetter]) -> Path:
    path = tmp_path / "nojs.html"
    path.write_text(render_page(letters, version="test"), encoding="utf-8")
    return path


# ---- poalint serve -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(linter) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from _lint_adapter import make_lint, reasons_of

    from poalint.serve import make_server

    srv = make_server(make_lint(linter), port=0, reasons=reasons_of(linter.ruleset))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _wait_report(driver: Any, timeout: float = 30, contains: str | None = None) -> str:
    def ready(d: Any) -> str | bool:
        status = d.find_element(By.ID, "status").text
        html = d.find_element(By.ID, "report").get_attribute("innerHTML")
        if status.startswith("Checking"):
            return False
        if contains is not None and contains not in html:
            return False
        return status or False

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(ready)


def test_serve_paste_edit_and_see_the_report(browser: Any, site: Any, linter: Any, shots: Path) -> None:
    from _lint_adapter import make_lint

    from poalint.serve import LintRequest

    browser.get_log("browser")
    browser.get(site.url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Check your Plan of Action"
    assert "nothing is saved" in browser.find_element(By.ID, "privacy").text
    text = (EXAMPLES / "weak.txt").read_text(encoding="utf-8")
    box = browser.find_element(By.ID, "letter")
    box.send_keys(text)  # typed, key by key: the page updates by itself (debounced)
    assert _wait_report(browser, contains="Root cause") == "Report updated."
    expected = make_lint(linter)(LintRequest(text=browser.execute_script("return arguments[0].value", box)))
    assert assert_marks_match(browser, "#report", expected) >= 5
    score = browser.find_element(By.CSS_SELECTOR, "#report .score .big").text
    assert score == f"{expected.score:.0f}"
    # edit: one more hedge -> one more hedging highlight, no button pressed
    before = len(browser.find_elements(By.CSS_SELECTOR, "#report mark.hl"))
    box.send_keys(Keys.END, "\nPerhaps it was maybe the courier.")
    WebDriverWait(browser, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#report mark.hl")) > before)
    # the reason picked in the list reaches the report
    browser.find_element(By.CSS_SELECTOR, "#reason option[value='item-condition']").click()
    _wait_report(browser, contains="(--reason)")
    assert "item-condition" in browser.find_element(By.CSS_SELECTOR, "#report .facts").text
    browser.execute_script("window.scrollTo(0,0)")
    browser.save_screenshot(str(shots / "serve.png"))
    assert severe_logs(browser) == []  # no CSP violation, no script error


def test_serve_uploads(browser: Any, site: Any, tmp_path: Path) -> None:
    browser.get(site.url)
    upload = browser.find_element(By.ID, "file")
    upload.send_keys(str(EXAMPLES / "strong.md"))
    _wait_report(browser, contains="strong.md")
    assert browser.find_element(By.CSS_SELECTOR, "#report .verdict").text.endswith("passed")
    garbage = tmp_path / "letter.txt"
    garbage.write_bytes(os.urandom(4000) + b"\x00" * 10)
    upload.send_keys(str(garbage))
    _wait_report(browser, contains="alert")
    alert = browser.find_element(By.CSS_SELECTOR, "#report [role=alert]")
    assert "binary file" in alert.text and "Traceback" not in browser.page_source
    wrong = tmp_path / "letter.exe"
    wrong.write_bytes(b"MZ" + b"\x00" * 100)
    upload.send_keys(str(wrong))
    _wait_report(browser, contains="cannot read")
    assert "Upload the letter as one of" in browser.find_element(By.CSS_SELECTOR, "#report [role=alert]").text
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    upload.send_keys(str(empty))
    _wait_report(browser, contains="is empty")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (5 * 1024 * 1024))
    upload.send_keys(str(big))
    _wait_report(browser, contains="too much")
    assert browser.find_element(By.ID, "status").text.startswith("Could not check the letter")
    assert severe_logs(browser) == []


def test_serve_a_two_megabyte_letter(browser: Any, site: Any, tmp_path: Path) -> None:
    # the body of the strong example letter, over and over: a real letter's mix of findings and clean text
    body = (EXAMPLES / "strong.md").read_text(encoding="utf-8").split("---", 2)[2].split("\n\n", 1)[1]
    text = "Plan of Action\n\n" + body * (2 * 1024 * 1024 // len(body) + 1)
    data = text.encode("utf-8")[: 2 * 1024 * 1024 - 64]
    path = tmp_path / "big-letter.txt"
    path.write_bytes(data)
    browser.get(site.url)
    started = time.monotonic()
    browser.find_element(By.ID, "file").send_keys(str(path))
    _wait_report(browser, timeout=900, contains="big-letter.txt")  # today's engine takes 1-2 minutes
    took = time.monotonic() - started
    assert browser.find_element(By.ID, "status").text == "Report updated."
    marks = browser.execute_script("return document.querySelectorAll('#report mark.hl').length")
    # every finding of the letter is marked, up to the repetition cap (20 per rule, then one "N more")
    assert marks > 20
    shown = browser.execute_script("return document.getElementById('doc-1').textContent.length")
    assert shown >= len(data) - 1000
    print(f"2 MB letter: report in the page after {took:.0f} s, {marks} highlights")


def test_serve_without_javascript(site: Any) -> None:
    driver = _chrome(javascript=False)
    try:
        driver.get(site.url)
        driver.find_element(By.ID, "letter").send_keys("Root cause: maybe the courier.\n</textarea><b>x</b>")
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#report .letter"))
        assert driver.find_element(By.ID, "letter").get_attribute("value").endswith("</textarea><b>x</b>")
        assert driver.find_elements(By.CSS_SELECTOR, "#report mark.hl")
    finally:
        _quit(driver)


def test_serve_refuses_a_rebound_host_name(browser: Any, site: Any) -> None:
    # a DNS-rebinding page reaches us under its own name: the Host header gives it away
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    conn.request("GET", "/", headers={"Host": f"attacker.example:{site.port}"})
    assert conn.getresponse().status == 421
    conn.close()
    browser.get(site.url.replace("127.0.0.1", "localhost"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Check your Plan of Action"

