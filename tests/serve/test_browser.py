"""`serve --demo` in a real browser: headless Chromium (the system's) driven by Playwright.

The terminal is drawn on a canvas, so the text is read from xterm.js's own buffer: an
init script notes the Terminal object when textual.js stores it (`this.terminal = ...`),
and `SCREEN_TEXT` reads the visible rows from it. A screenshot of the last screen is
saved under `test-artifacts/` (gitignored) for CI to keep.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.serve.conftest import DEMO, Served, StartServe

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
# Generous on a loaded two-core machine; every wait ends as soon as the text is there.
WAIT_MS = 90_000
# Without the background-networking flags Chromium phones home at start, and this
# machine's closed network refuses those connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Keep a reference to the xterm.js Terminal that textual.js assigns to `this.terminal`.
CAPTURE_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true,
                                             enumerable: true});
    if (value && value.buffer) window.__xterm = value;
  },
});
"""
SCREEN_TEXT = """() => {
  const terminal = window.__xterm;
  if (!terminal) return "";
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""
# The highlighted row of the inbox list: among screen rows 2-7 (under the folder bar and
# the column titles), the one whose background (read at column 10) differs from all the
# others; -1 while there is none.
CURSOR_ROW = """() => {
  const terminal = window.__xterm;
  if (!terminal) return -1;
  const buffer = terminal.buffer.active;
  const backgrounds = [];
  for (let y = 2; y <= 7; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    const cell = line && line.getCell(10);
    backgrounds.push(cell ? cell.getBgColorMode() + ":" + cell.getBgColor() : "none");
  }
  const counts = {};
  backgrounds.forEach((bg) => { counts[bg] = (counts[bg] || 0) + 1; });
  const odd = backgrounds.findIndex((bg) => counts[bg] === 1);
  return odd < 0 ? -1 : odd + 2;
}"""


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser_page() -> Iterator[Page]:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("no Chromium found (/usr/bin/chromium, $CHROMIUM or chromium on PATH)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        # bypass_csp: the page's policy forbids eval, which Playwright's waits rely on.
        context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
        context.add_init_script(CAPTURE_TERMINAL)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        try:
            yield page
        finally:
            browser.close()


def _wait_for_text(page: Page, pattern: str) -> str:
    """Wait until the terminal shows a match of the regular expression; returns the screen."""
    page.wait_for_function(f"(pattern) => new RegExp(pattern).test(({SCREEN_TEXT})())", arg=pattern)
    return page.evaluate(SCREEN_TEXT)


def _wait_for_cursor_row(page: Page, row: int) -> str:
    """Wait until the list's highlighted row is screen row `row`; returns that row's text."""
    page.wait_for_function(f"(row) => ({CURSOR_ROW})() === row", arg=row)
    return page.evaluate(SCREEN_TEXT).splitlines()[row]


def test_the_demo_inbox_works_in_a_browser_tab(start_serve: StartServe, browser_page: Page) -> None:
    served: Served = start_serve(DEMO)
    page = browser_page

    page.goto(served.url)
    _wait_for_text(page, r"— [1-9][0-9]* conversations")
    assert page.evaluate("window.location.search") == ""  # the token left the address bar
    _wait_for_cursor_row(page, 2)  # row 0 is the folder bar, row 1 the column titles

    page.focus(".xterm-helper-textarea")
    page.keyboard.press("j")
    second = _wait_for_cursor_row(page, 3)
    sender = second[4:26].strip()  # the sender column
    assert sender
    page.keyboard.press("Enter")
    thread = _wait_for_text(page, r"esc Back")
    assert sender[:12] in thread

    page.keyboard.press("F3")
    campaigns = _wait_for_text(page, r"— [1-9][0-9]* campaigns")
    assert "Reply" in campaigns and "Bounce" in campaigns

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-browser.png"))
    assert len(served.app_pids()) == 1  # the tab's session is one app process
