"""Shared set-up for tests that drive a real browser: Debian's Chromium through Playwright.

Use the `chromium` fixture (one browser per test module) and the helpers:

    from tests.browser import chromium, open_terminal, screen, wait_for_text  # noqa: F401

`chromium` is a Playwright browser context with a fresh profile; `browser` is
the browser itself, for tests that want a context per page. When
Chromium or Playwright is missing the tests that use it are skipped, saying
which; with SECOND_CHANCE_REQUIRE_BROWSER=1 in the environment (CI sets it)
they fail instead. Playwright's own browser downloads are never used: the
browser is the system's Chromium (`apt-get install chromium`), or the one
named by SECOND_CHANCE_CHROMIUM.

The game in the page is a terminal drawn on a canvas by xterm.js, so its text
is not in the page's DOM. `open_terminal` keeps a handle on the page's xterm
terminal (by a one-word change to textual-serve's textual.js as it reaches
this browser, nothing on disk), and `screen` reads the rows the terminal shows.
Every wait here has a deadline.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REQUIRE = "SECOND_CHANCE_REQUIRE_BROWSER"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1000, "height": 650}
TERMINAL_HOOK = re.compile(r"this\.terminal=new (\w+)\.Terminal\(")


def unavailable(reason: str) -> None:
    """Skip, or fail when the environment says browser tests must run."""
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{REQUIRE}=1, but {reason}", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    named = os.environ.get("SECOND_CHANCE_CHROMIUM")
    candidates = [named] if named else ["/usr/bin/chromium", shutil.which("chromium"),
                                        shutil.which("chromium-browser")]
    return next((c for c in candidates if c and Path(c).is_file() and os.access(c, os.X_OK)), None)


def chromium_executable() -> str:
    """Debian's Chromium, once Playwright is known to be there; `unavailable` says what is missing."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        unavailable("Playwright is not installed (pip install playwright; never `playwright install`)")
    executable = find_chromium()
    if executable is None:
        unavailable("Chromium is not installed (apt-get install chromium)")
    return executable


@contextlib.contextmanager
def launched_chromium(launch: Callable[[Any, str], Any]) -> Iterator:
    """Debian's Chromium through Playwright, started by `launch(playwright.chromium, executable)`.

    What is missing (Playwright, the browser, a browser that starts) is said by `unavailable`; what
    was launched is closed, and Playwright stopped, when the block ends.
    """
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = launch(playwright.chromium, executable)
    except Exception as problem:
        playwright.stop()
        unavailable(f"Chromium at {executable} did not start: {problem}")
    try:
        yield launched
    finally:
        launched.close()
        playwright.stop()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory) -> Iterator:
    """One headless Chromium (a Playwright BrowserContext with a fresh profile) for the module."""
    profile = str(tmp_path_factory.mktemp("chromium-profile"))
    with launched_chromium(lambda chromium, executable: chromium.launch_persistent_context(
            profile, executable_path=executable, args=CHROMIUM_ARGS, headless=True, viewport=VIEWPORT,
            timeout=30_000)) as context:
        context.set_default_timeout(15_000)
        yield context


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium for the module as a Browser rather than one persistent context: each page (each
    phone, the room display) can have a browser context of its own (its own localStorage, so its own token)."""
    with launched_chromium(lambda chromium, executable: chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True, timeout=30_000)) as launched:
        yield launched


class Recorder:
    """Every request and websocket a page opens, with anything aimed off the server stopped before it leaves."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.console_errors: list[str] = []

    def foreign(self) -> list[str]:
        host = urlsplit(self.origin).netloc
        return [u for u in [*self.requests, *self.websockets] if urlsplit(u).netloc != host]


def open_terminal(context, url: str) -> tuple[object, Recorder]:
    """A new page on `url` whose xterm terminal `screen` can read; returns the page and its Recorder."""
    page = context.new_page()
    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    recorder = Recorder(origin)
    page.on("request", lambda request: recorder.requests.append(request.url))
    page.on("websocket", lambda socket: recorder.websockets.append(socket.url))
    page.on("console", lambda message: message.type == "error" and recorder.console_errors.append(message.text))

    def stay_here(route) -> None:
        if route.request.url.startswith(origin + "/"):
            route.fallback()
        else:
            route.abort()  # recorded above, never sent

    def hook_terminal(route) -> None:
        response = route.fetch()
        body, found = TERMINAL_HOOK.subn(r"this.terminal=window.__terminal=new \1.Terminal(", response.text())
        assert found == 1, "textual.js changed: tests/browser.py cannot find where it makes the terminal"
        route.fulfill(response=response, body=body)

    page.route("**/*", stay_here)
    page.route("**/static/js/textual.js", hook_terminal)
    page.goto(url)
    return page, recorder


SCREEN_JS = """() => {
  const terminal = window.__terminal;
  if (!terminal) return "";
  const buffer = terminal.buffer.active, rows = [];
  for (let i = 0; i < terminal.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


def screen(page) -> str:
    """The text the page's terminal shows now, one line per row."""
    return page.evaluate(SCREEN_JS)


def wait_for(page, test: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
    """Poll the screen until `test(screen)` holds; fail after `timeout` seconds showing the screen."""
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(page)
        if test(shown):
            return shown
        page.wait_for_timeout(100)
    raise AssertionError(f"waited {timeout:.0f}s for {what}; the page shows:\n{shown}")


def wait_for_text(page, text: str, timeout: float = 20.0) -> str:
    return wait_for(page, lambda shown: text in shown, repr(text), timeout)


def press(page, *keys: str) -> None:
    """Type keys into the page's terminal."""
    page.locator(".xterm-helper-textarea").focus()
    for key in keys:
        page.keyboard.press(key)
