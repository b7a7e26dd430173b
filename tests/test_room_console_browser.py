"""The console and the room display together: Begin on the console puts the first scene up in the browser.

The console runs under Pilot and the room display in Debian's Chromium through
Playwright's async API, both in the test's event loop (so this module holds no
synchronous browser: the two cannot share a thread). Chromium is found as
tests/browser.py finds it; every wait has a deadline.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from game.tui.workshop.app import WorkshopApp
from game.tui.workshop.screens import display
from game.tui.workshop.screens.decision import DecisionScreen
from game.tui.workshop.screens.display import RoomDisplayScreen
from game.web.server import WorkshopServer
from tests.browser import CHROMIUM_ARGS, chromium_executable
from tests.test_tui_workshop import context, heard, screen_text, started


@contextlib.asynccontextmanager
async def async_chromium():
    """Debian's Chromium through Playwright's async API, for a test that runs the console in the same loop."""
    executable = chromium_executable()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


async def test_begin_on_the_console_shows_the_first_scene_on_the_room_display(tmp_path: Path, monkeypatch) -> None:
    from playwright.async_api import expect

    ctx = context(tmp_path, monkeypatch, teams=[])
    ctx.server = lambda: WorkshopServer("127.0.0.1", 0, phones=True, debounce=0.0, tell_every=0.01)
    monkeypatch.setattr(display, "browser_here", lambda: False)  # as over SSH, or a laptop with no desktop
    app = WorkshopApp(ctx)
    said = heard(app, monkeypatch)
    async with async_chromium() as browser, app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.pause()
        link = ctx.link
        assert link is not None and link.running and "F4 opens it" in screen_text(app)
        assert link.key not in screen_text(app) and not any(link.key in m for m in said)  # the room may see it
        await pilot.press("f4")  # no browser can be opened here: the room display's box says how
        assert isinstance(app.screen, RoomDisplayScreen) and "No web browser could be opened" in screen_text(app)
        assert link.key not in screen_text(app)
        await pilot.press("s")  # asked for: the address, key and all
        assert link.room_url in screen_text(app).replace("\n", "")
        await pilot.press("escape")
        page = await browser.new_page(viewport={"width": 1280, "height": 720})
        await page.goto(link.room_url)
        await expect(page.get_by_role("heading", name="The Room Story")).to_be_visible()
        await expect(page.locator(".code")).to_have_text(link.code)
        assert "The kettle clicks off" not in await page.locator("#flow").inner_text()
        for _ in range(50):  # the console hears the room display open, and turns private
            await pilot.pause(0.02)
            if ctx.private:
                break
        assert ctx.private
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, DecisionScreen)
        await expect(page.locator("#flow")).to_contain_text("The kettle clicks off.")
        await expect(page.locator("#where")).to_contain_text("Eleven at night")
        assert "Listen for who the room thinks is to blame." in screen_text(app)  # notes, on the console only
        assert "Listen for who" not in await page.locator("body").inner_text()
        await pilot.press("V", "plus", "plus", "R", "enter")
        await expect(page.locator("#badge")).to_have_text("Decided")
        assert "Grey light" in screen_text(app)  # the console previews the next scene
        assert "Grey light" not in await page.locator("body").inner_text()
        await pilot.press("enter")
        await expect(page.locator("#flow")).to_contain_text("Grey light.")
        await page.close()
