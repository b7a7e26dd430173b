"""An unbroken word as long as each text of a story may hold, on every page a browser shows: it wraps.

A story's text is a stranger's: a title, a scene, a choice, a note or an
ending may hold one unbroken word longer than any screen (20,000 characters in
prose, a title or a choice up to its limit in game.loader.keys). Each page that
shows story text (the phone page, the room display, the HTML handout) is
opened in Chromium at its own size, and none may grow wider than the window;
the room display's top bar keeps to two lines, so the scene stays on screen.
(`serve` shows the game in a terminal grid, which wraps by itself; the
Markdown handout is text.) Chromium comes from tests/browser.py.
"""

# ruff: noqa: F811  (the `browser` fixture comes from tests/browser.py)
from __future__ import annotations

from game.loader import load_text
from game.loader.keys import LINE, PARAGRAPH, TITLE
from game.workshop import handout, report
from game.workshop.room import Workshop
from tests.browser import browser  # noqa: F401
from tests.served import Served

WORD = "Ohno" * 5000
STORY = f'''
[scenario]
id = "long-words"
title = "Long {WORD[:TITLE - 5]}"
summary = "A long word: {WORD[:PARAGRAPH - 13]}"
start = "first"
content_notes = ["{WORD[:LINE]}"]

[scenes.first]
title = "{WORD[:TITLE]}"
text = "They said {WORD} and left."
discuss = ["What about {WORD}?"]

[[scenes.first.choices]]
text = "Say {WORD[:LINE - 5]}."
goto = "end"

[[scenes.first.choices]]
text = "Leave."
goto = "end"

[endings.end]
title = "End {WORD[:TITLE - 4]}"
tone = "warm"
outcome = "apart"
text = "Done {WORD}."
'''

WIDTH = "() => document.documentElement.scrollWidth - innerWidth"
BAR = "() => document.querySelector('header.top').getBoundingClientRect().height / innerHeight"


def test_a_twenty_thousand_character_word_wraps_on_every_page(browser) -> None:
    from playwright.sync_api import expect

    room = Workshop(load_text(STORY, "long.toml", catalog={}), ["Red"])
    served = Served(room, debounce=0.0)
    try:
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.set_default_timeout(8_000)
        phone.goto(served.url)
        expect(phone.locator("#title")).to_contain_text("Long Ohno")
        assert phone.evaluate(WIDTH) <= 0  # the lobby
        display = browser.new_page(viewport={"width": 1280, "height": 720})
        display.set_default_timeout(8_000)
        display.goto(served.server.room_url)
        served.call(lambda: (room.begin(), room.open_voting()))
        expect(phone.locator("#status")).to_have_text("Voting is open: tap your choice.")
        expect(display.locator("main")).to_contain_text("They said")
        assert phone.evaluate(WIDTH) <= 0 and display.evaluate(WIDTH) <= 0
        assert display.evaluate(BAR) < 0.2  # the heading is cut in the bar, not pushed over the scene
        served.call(lambda: (room.add_hands(0), room.reveal(), room.decide(), room.show()))
        expect(phone.locator("#ending-title")).to_contain_text("End Ohno")
        assert phone.evaluate(WIDTH) <= 0
        page = browser.new_page(viewport={"width": 800, "height": 900})
        page.set_content(handout.html_page(report.build(room)))
        assert page.evaluate(WIDTH) <= 0
    finally:
        served.close()
