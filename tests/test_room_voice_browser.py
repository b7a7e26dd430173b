"""The room's own voice on the console and in real browsers: a phone sends an idea, the console shows it, and the
room display shows it only once the facilitator does; the console's keys for it are the core's moves.

The console runs under Pilot; the phone page and the room display run in Debian's Chromium through Playwright's
async API, all in the test's event loop (as in tests/test_room_console_browser.py). Chromium is found as
tests/browser.py finds it; every wait has a deadline.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from game.tui.workshop import app as app_module
from game.tui.workshop.app import WorkshopApp
from game.tui.workshop.screens import asking, predict
from game.tui.workshop.screens.asking import IdeasScreen
from game.tui.workshop.screens.predict import PredictScreen
from game.web.server import WorkshopServer
from tests.test_room_browser import AXE
from tests.test_room_console_browser import async_chromium
from tests.test_tui_workshop import begin, context, press, screen_text, started

IDEA = "Ring Nell first, <b>then</b> decide"


async def until(pilot, test, what: str) -> None:
    for _ in range(100):
        if test():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"waited for {what}; the console shows:\n{screen_text(pilot.app)}")


async def test_a_phones_idea_reaches_the_console_and_the_room_display_only_once_shown(tmp_path: Path,
                                                                                      monkeypatch) -> None:
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import expect

    ctx = context(tmp_path, monkeypatch, teams=[])
    ctx.server = lambda: WorkshopServer("127.0.0.1", 0, phones=True, debounce=0.0, tell_every=0.01)
    app = WorkshopApp(ctx)
    async with async_chromium() as browser, app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        link = ctx.link
        room = await browser.new_page(viewport={"width": 1280, "height": 720})
        await room.goto(link.room_url)
        phone = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
        await phone.goto(link.url)
        await until(pilot, lambda: ctx.private, "the room display to open")
        await press(pilot, "ctrl+b", "a")
        assert "Something else? What would you do instead?" in screen_text(app)
        await press(pilot, "1", "enter")
        assert isinstance(app.screen, IdeasScreen)
        await expect(room.locator("h1")).to_have_text("Something else? What would you do instead?")
        await expect(phone.locator("#idea-question")).to_have_text("Something else? What would you do instead?")

        await phone.get_by_label("Your idea").fill(IDEA)
        await phone.get_by_role("button", name="Send my idea").click()
        await expect(phone.locator("#idea-feedback")).to_contain_text("Sent.")
        await expect(phone.locator("#idea-left")).to_contain_text("you can send 2 more ideas")
        await until(pilot, lambda: IDEA in screen_text(app), "the idea on the console")
        assert "[new]" in screen_text(app)
        await expect(room.locator("#badge")).to_have_text("1 idea sent")  # the room hears one came...
        assert "Ring Nell" not in await room.locator("body").inner_text()  # ...not what it says
        assert await phone.locator("#idea-shown li").count() == 0

        await press(pilot, "s")
        await expect(room.locator(".idea")).to_have_text(IDEA)  # shown: as text, never as markup
        await expect(phone.locator("#idea-shown li")).to_have_text(IDEA)
        assert await room.locator(".idea b").count() == 0
        axe = Axe()
        for page in (room, phone):
            results = await axe.run(page, options=AXE)
            assert results.violations_count == 0, results.generate_report()
        await press(pilot, "h")
        await expect(room.locator(".idea")).to_have_count(0)  # hidden again
        await press(pilot, "escape")
        await expect(room.locator("#flow")).to_contain_text("The kettle clicks off.")
        await expect(phone.locator("#ideas")).to_be_hidden()

        await press(pilot, "x")  # the room predicts the ending: phones vote as on a decision
        assert isinstance(app.screen, PredictScreen)
        await expect(room.locator("h1")).to_have_text("How will this play end?")
        await phone.get_by_role("button", name="warm").click()
        await expect(phone.locator("#feedback")).to_have_text("Vote received: you can change it until voting closes.")
        await press(pilot, "r")
        await expect(room.locator("#join")).to_have_text(  # the code stays for latecomers
            re.compile(r"^The room expects warm \(1 of 1 vote\)\. · code [A-Z2-9]{6}$"))
        await room.close()
        await phone.close()


async def test_the_keys_for_asking_and_predicting_are_the_cores_moves_and_one_screen_keeps_new_ideas_back(
        tmp_path: Path, monkeypatch) -> None:
    """Each key of the ideas and prediction screens makes a move of the core's table (or is the console's own) and
    works exactly when the core allows it. With one screen (no room display), the words of an idea not yet shown
    stay off the console, which the room can see, until the facilitator asks for them."""
    own = {"app.help", "app.resources", "read"}
    for kind, moves in ((IdeasScreen, asking.MOVES), (PredictScreen, predict.MOVES)):
        for binding in Binding.make_bindings(kind.BINDINGS):
            assert binding.action.split("(")[0] in moves or binding.action in own, binding.action
    monkeypatch.setattr(app_module, "SAVE_SOON", 0.01)
    app = WorkshopApp(context(tmp_path, monkeypatch, teams=[]))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await begin(pilot)
        workshop = screen.workshop
        checked = 0
        for keys in (("a", "4", "enter"), ("a",), ("escape",), ("escape",), ("x",), ("plus",), ("r",), ("escape",)):
            await press(pilot, *keys)
            here = app.screen
            table = asking.MOVES if isinstance(here, IdeasScreen) else predict.MOVES \
                if isinstance(here, PredictScreen) else {}
            for action, move in table.items():
                assert bool(here.check_action(action, ())) == (move in workshop.moves()), (keys, action)
                checked += 1
            if keys == ("a", "4", "enter"):  # the step-out question: a phone's idea arrives
                workshop.send_idea(workshop.ideas.current, "phone-one-" + "x" * 16, "Be gentle with yourself")
                await until(pilot, lambda: "its words are hidden" in screen_text(app), "the idea, words hidden")
                assert "Be gentle" not in screen_text(app)
                await press(pilot, "r")  # the facilitator reads it (the projector blanked)
                assert "Be gentle with yourself" in screen_text(app)
                await until(pilot, lambda: "Be gentle" in app.context.room.store.path.read_text(encoding="utf-8"),
                            "the idea saved in the log")  # a moment later, once for a burst of ideas
        assert checked >= 10 and workshop.predicted
