"""Phones in a real browser: Chromium pages as the room's phones, voting through the vote server.

The server runs in a background thread's event loop (as it runs in the
console's), with a Workshop over the small story of tests/helpers.py; every
workshop step is handed to that loop. Phones
are Playwright pages on Debian's Chromium, each phone in a browser context of
its own (launched with tests/browser.py's helpers: skipped when Chromium is
missing, failed instead under SECOND_CHANCE_REQUIRE_BROWSER=1). Every wait has
a deadline.
"""

# ruff: noqa: F811  (the `browser` fixture comes from tests/browser.py)
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from game.web.display import TOO_MANY_HERE
from game.web.server import WorkshopServer
from game.workshop.room import Workshop
from tests.browser import Recorder, browser  # noqa: F401
from tests.helpers import vote_story as story
from tests.served import Served

PHONE = {"width": 390, "height": 844}
RECEIVED = "Vote received: you can change it until voting closes."
STOPPED_EARLY = "Discussion: voting has not opened yet, and the workshop is paused."
TIE = "A tie between 1 and 3: the facilitator decides between them."


def drop_every_phone(served: Served) -> None:
    """Close every phone's socket as a flaky network would (the page should come back by itself)."""
    async def drop() -> None:
        for phone in list(served.server.votes.clients):
            await phone.ws.close(code=1012, message=b"network trouble")
    served.wait(drop())


@pytest.fixture
def served() -> Iterator[Served]:
    here = Served(Workshop(story()))
    try:
        yield here
    finally:
        here.close()


def open_phone(context, url: str) -> tuple[Any, Recorder]:
    """A page on `url` that records every request and stops any aimed elsewhere before it leaves."""
    page = context.new_page()
    page.set_default_timeout(8_000)
    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    recorder = Recorder(origin)
    page.on("request", lambda request: recorder.requests.append(request.url))
    page.on("websocket", lambda socket: recorder.websockets.append(socket.url))
    page.on("console", lambda message: message.type == "error" and recorder.console_errors.append(message.text))
    page.on("pageerror", lambda error: recorder.console_errors.append(str(error)))
    page.route("**/*", lambda route: route.fallback() if route.request.url.startswith(origin + "/")
               else route.abort())
    page.goto(url)
    return page, recorder


def choice(page, text: str):
    return page.get_by_role("button", name=text)  # a substring of the accessible name


def test_several_phones_vote_one_changes_and_the_room_counts_what_they_cast(served: Served, browser) -> None:
    from playwright.sync_api import expect

    served.call(lambda: (served.workshop.begin(), served.workshop.open_voting()))
    contexts = [browser.new_context(viewport=PHONE) for _ in range(4)]
    try:
        phones = [open_phone(context, served.url) for context in contexts]
        casts = ["Reply kindly.", "Reply kindly.", "Sleep on it.", "Reply <b>at once</b> & loudly."]
        for (page, _), cast in zip(phones, casts, strict=True):
            expect(page.locator("#status")).to_have_text("Voting is open: tap your choice.")
            expect(page.get_by_role("button")).to_have_count(3)  # the struck option is no button
            expect(page.locator(".struck")).to_contain_text("Call them now.")
            expect(page.locator(".struck")).to_contain_text("Not at this hour.")
            choice(page, cast).click()
            expect(page.locator("#feedback")).to_have_text(RECEIVED)
            expect(choice(page, cast)).to_have_attribute("aria-pressed", "true")
        changer = phones[3][0]
        choice(changer, "Sleep on it.").click()  # changes its mind
        expect(choice(changer, "Sleep on it.")).to_have_attribute("aria-pressed", "true")
        expect(choice(changer, "at once")).to_have_attribute("aria-pressed", "false")
        expect(changer.locator("#count")).to_have_text("4 votes in so far.")
        counts = served.call(lambda: served.workshop.round.counts)
        assert counts == {0: 2, 1: 0, 3: 2}
        assert served.call(lambda: len(served.workshop.round.ballots)) == 4 == served.server.phones

        assert all(page.locator(".tally-text:visible").count() == 0 for page, _ in phones)  # hidden until revealed
        served.call(served.workshop.reveal)
        for page, _ in phones:
            expect(page.locator("#status")).to_have_text("The votes are in.")
            expect(choice(page, "Reply kindly.")).to_contain_text("2 votes (50%)")
            expect(choice(page, "Sleep on it.")).to_contain_text("2 votes (50%)")
            expect(choice(page, "at once")).to_contain_text("0 votes (0%)")
            expect(page.locator("#outcome")).to_have_text(TIE)
            expect(choice(page, "Sleep on it.")).to_be_disabled()
        # scenario text went in as text: the markup in a choice shows as written and makes no element
        assert phones[0][0].locator("#options b").count() == 0
        expect(choice(phones[0][0], "at once")).to_contain_text("Reply <b>at once</b> & loudly.")
        for _, recorder in phones:
            assert recorder.foreign() == [] and recorder.console_errors == []
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def phone_context(browser) -> Iterator:
    context = browser.new_context(viewport=PHONE)
    try:
        yield context
    finally:
        context.close()


def test_a_refresh_and_a_dropped_connection_keep_the_vote_and_show_the_current_round(served: Served, phone_context,
                                                                                      tmp_path) -> None:
    from playwright.sync_api import expect

    served.call(lambda: (served.workshop.begin(), served.workshop.open_voting()))
    page, recorder = open_phone(phone_context, served.url)
    choice(page, "Sleep on it.").click()
    expect(page.locator("#feedback")).to_have_text(RECEIVED)
    token = page.evaluate("() => localStorage.getItem('second-chance-phone')")
    assert re.fullmatch(r"[0-9a-f]{32}", token)

    page.reload()
    expect(choice(page, "Sleep on it.")).to_have_attribute("aria-pressed", "true")  # told its own vote
    assert page.evaluate("() => localStorage.getItem('second-chance-phone')") == token
    assert served.call(lambda: dict(served.workshop.round.ballots)) == {served.workshop.voter(token): 3}

    drop_every_phone(served)
    served.call(lambda: (served.workshop.lock(), served.workshop.reveal(), served.workshop.decide()))
    expect(page.locator("#status")).to_have_text("The story goes on with “Sleep on it.”")  # the result, first
    served.call(served.workshop.show)
    expect(page.locator("#scene")).to_have_text("The next morning")  # back by itself, on the new round
    expect(page.locator("#status")).to_have_text("Discussion: voting has not opened yet.")
    expect(page.locator("#connection")).to_have_text("Connected.")
    served.call(served.workshop.open_voting)
    choice(page, "Let it rest.").click()
    expect(page.locator("#feedback")).to_have_text(RECEIVED)
    served.call(lambda: (served.workshop.reveal(), served.workshop.decide(), served.workshop.show()))
    expect(page.locator("#ending-title")).to_have_text("Letting it rest")
    expect(page.locator("#help")).to_have_attribute("open", "")  # the help resources open at an ending
    expect(page.locator("#help-list li").first).to_be_visible()
    expect(page.locator("#finished")).to_contain_text("may go back")  # the one play has ended
    served.call(lambda: served.workshop.show_debrief(1))
    expect(page.locator("#elsewhere-text")).to_have_text("The room's debrief is on the screen.")

    served.wait(served.server.stop())
    expect(page.locator("#connection")).to_contain_text("The workshop has ended")
    for stale in ("#finished", "#elsewhere", "#ending"):  # nobody can go back now, and no debrief is on
        expect(page.locator(stale)).to_be_hidden()
    expect(page.locator("#endings-note")).to_be_visible()  # what the room reached stays, with the help
    expect(page.locator("#endings")).to_have_text("The room: Letting it rest")
    expect(page.locator("#help-list li").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "phone-ended.png"))
    hosts = {urlsplit(u).netloc for u in [*recorder.requests, *recorder.websockets]}
    assert hosts == {f"127.0.0.1:{served.server.port}"} and recorder.foreign() == []
    assert recorder.console_errors == []
    page.close()


def test_a_paused_workshop_brings_its_phones_and_room_display_back_by_themselves(phone_context) -> None:
    """A stop that can be picked up again (a quit in the middle of the story, a crash, SIGTERM) tells the pages
    the workshop is paused; they keep trying, and when it is picked up again on its port with its code and key
    they are back with nobody reloading, each phone's vote still its own. A room display past the cap from one
    device is told why, on the page, never "Connection lost"."""
    from playwright.sync_api import expect

    served = Served(Workshop(story()), displays_per_address=1)
    try:
        served.call(lambda: (served.workshop.begin(), served.workshop.open_voting()))
        page, recorder = open_phone(phone_context, served.url)
        room = phone_context.new_page()
        room.goto(served.server.room_url)
        expect(room.locator("#flow")).to_contain_text("Your phone lights up.")
        extra = phone_context.new_page()
        extra.goto(served.server.room_url)  # a second display from this device: one is the cap here
        expect(extra.locator("h1")).to_have_text(TOO_MANY_HERE)
        extra.close()
        choice(page, "Reply kindly.").click()
        expect(page.locator("#feedback")).to_have_text(RECEIVED)
        earlier = served.server.rejoin

        served.wait(served.server.stop(paused=True))
        expect(page.locator("#connection")).to_contain_text("The workshop is paused")
        expect(room.locator("h1")).to_have_text("The workshop is paused: the facilitator may pick it up again.")

        again = WorkshopServer("127.0.0.1", 0)  # `workshop --resume`: the same port, code and key
        again.reuse(earlier)
        again.attach(served.workshop)
        served.wait(again.start())
        served.server = again
        expect(page.locator("#connection")).to_have_text("Connected.", timeout=15_000)
        expect(choice(page, "Reply kindly.")).to_have_attribute("aria-pressed", "true")  # still its own vote
        expect(room.locator("#flow")).to_contain_text("Your phone lights up.", timeout=15_000)
        assert served.call(lambda: len(served.workshop.round.ballots)) == 1 and again.phones == 1
        assert recorder.console_errors == []
        page.close()
        room.close()
    finally:
        served.close()


def test_a_vote_the_laptop_lost_is_sent_again_by_the_phone(served: Served, phone_context) -> None:
    """A power cut can take the votes of the last quarter of a second with it: the workshop picked up from its
    log lacks a vote its phone saw counted. Told on reconnecting that the room has no vote of its own in that
    round, the phone sends it again, and it is counted once."""
    from playwright.sync_api import expect

    served.call(lambda: (served.workshop.begin(), served.workshop.open_voting()))
    page, recorder = open_phone(phone_context, served.url)
    choice(page, "Sleep on it.").click()
    expect(page.locator("#feedback")).to_have_text(RECEIVED)
    voter = served.workshop.voter(page.evaluate("() => localStorage.getItem('second-chance-phone')"))
    served.call(served.workshop.round.ballots.clear)  # what a log saved just before the vote holds
    drop_every_phone(served)
    expect(page.locator("#connection")).to_have_text("Connected.")
    expect(page.locator("#feedback")).to_have_text(RECEIVED)
    expect(choice(page, "Sleep on it.")).to_have_attribute("aria-pressed", "true")
    for _ in range(100):  # the vote is on its way: at most ten seconds
        if served.call(lambda: dict(served.workshop.round.ballots)):
            break
        page.wait_for_timeout(100)
    assert served.call(lambda: dict(served.workshop.round.ballots)) == {voter: 3}
    assert recorder.console_errors == []
    page.close()


def test_the_wrong_code_page_asks_again(served: Served, phone_context) -> None:
    from playwright.sync_api import expect

    page, recorder = open_phone(phone_context, served.origin + "/?code=NOPE22")
    expect(page.get_by_role("alert")).to_have_text("That code is not right: check the screen.")
    page.get_by_label("The code on the screen").fill(served.server.code.lower())
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#status")).to_have_count(1)
    expect(page.locator("#waiting")).to_be_visible()  # joined: waiting for the facilitator to begin
    assert recorder.foreign() == []
    page.close()


def test_a_vote_sent_as_the_connection_drops_is_sent_again_and_counted_once(served: Served,
                                                                            phone_context) -> None:
    """Three ways a vote goes astray between the phone and the laptop, each seen by the page's own socket
    (Playwright routes it): lost as the connection drops; counted, but its acknowledgement lost with the
    connection; and swallowed by a connection that stays open and says nothing. The page sends it again
    (the same token, the same round) and the room counts it once; it never says "Sending..." for good."""
    from playwright.sync_api import expect

    trouble = {"mode": ""}

    def route(ws) -> None:
        server = ws.connect_to_server()

        def from_page(message) -> None:
            mode = trouble["mode"]
            if '"vote"' in str(message) and mode:
                trouble["mode"] = ""
                if mode == "lost":
                    ws.close(code=4001, reason="network trouble")
                    return
                if mode == "silent":
                    return  # swallowed: the socket stays open and never answers
            server.send(message)

        def from_server(message) -> None:
            if '"ack"' in str(message) and trouble.get("drop_ack"):
                trouble["drop_ack"] = False
                ws.close(code=4001, reason="network trouble")
                return
            ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)

    served.call(lambda: (served.workshop.begin(), served.workshop.open_voting()))
    page = phone_context.new_page()
    page.set_default_timeout(12_000)
    page.route_web_socket("**/ws?*", route)
    page.goto(served.url)
    token = page.evaluate("() => localStorage.getItem('second-chance-phone')")
    voter = served.workshop.voter(token)
    expect(page.locator("#status")).to_have_text("Voting is open: tap your choice.")

    trouble["mode"] = "lost"
    choice(page, "Sleep on it.").click()
    expect(page.locator("#feedback")).to_have_text(RECEIVED)
    assert served.call(lambda: dict(served.workshop.round.ballots)) == {voter: 3}

    trouble["drop_ack"] = True
    choice(page, "Reply kindly.").click()
    expect(page.locator("#connection")).to_contain_text("Connection lost")
    expect(page.locator("#feedback")).to_have_text(RECEIVED)
    expect(choice(page, "Reply kindly.")).to_have_attribute("aria-pressed", "true")
    assert served.call(lambda: dict(served.workshop.round.ballots)) == {voter: 0}

    trouble["mode"] = "silent"
    choice(page, "Sleep on it.").click()
    expect(page.locator("#feedback")).to_have_text("Sending your vote…")
    expect(page.locator("#feedback")).to_have_text(RECEIVED, timeout=12_000)  # reconnected after 4 s, sent again
    assert served.call(lambda: dict(served.workshop.round.ballots)) == {voter: 3}
    assert served.call(lambda: served.workshop.round.counts) == {0: 0, 1: 0, 3: 1}


def test_a_narrow_phone_joins_and_a_stopped_vote_never_says_it_is_open_or_counts_back_up(browser,
                                                                                         tmp_path) -> None:
    """At 360 px the join page does not scroll sideways; a skipped decision is said once; paused before the
    vote opened, the phone invites no tap, and paused in the vote, then ended, it no longer says the vote is
    open; and the countdown, kept from the server's time, never jumps back when
    the page redraws (a tap while the workshop is away). The room display's countdown agrees with the phone's:
    it stands still while the workshop is paused and goes once it has ended."""
    from playwright.sync_api import expect

    from game.workshop.timer import Timer
    from game.workshop.words import SKIPPED_WORDS

    served = Served(Workshop(story(), timer=Timer(voting=30, clock=lambda: 0.0)))
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.set_default_timeout(8_000)
        page.clock.install()
        page.goto(served.origin + "/")  # the address typed by hand: the page asking for the code
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_label("The code on the screen").fill(served.server.code)
        page.get_by_role("button", name="Join").click()
        expect(page.locator("#waiting")).to_be_visible()
        room = served.workshop
        served.call(lambda: (room.begin(), room.set_hands(0, 1), room.reveal(), room.decide(), room.skip()))
        expect(page.locator("#status")).to_have_text(SKIPPED_WORDS)  # decision 2, skipped before it was seen
        expect(page.locator("#outcome")).to_have_text("")  # once, not twice

        def picked_up(earlier: dict[str, Any]) -> WorkshopServer:
            """`workshop --resume`: the same port, code and key; the page comes back at its next try."""
            again = WorkshopServer("127.0.0.1", 0)
            again.reuse(earlier)
            again.attach(served.workshop)
            served.wait(again.start())
            served.server = again
            page.clock.fast_forward(20_000)
            expect(page.locator("#connection")).to_have_text("Connected.")
            return again

        served.call(lambda: (room.show(), room.branch(0, "Again")))
        expect(page.locator("#status")).to_have_text("Discussion: voting has not opened yet.")
        earlier = served.server.rejoin
        served.wait(served.server.stop(paused=True))  # paused before the vote opened: no tap is invited
        expect(page.locator("#status")).to_have_text(STOPPED_EARLY)
        expect(choice(page, "Sleep on it.")).to_be_disabled()
        picked_up(earlier)
        served.call(room.open_voting)
        expect(page.locator("#timer")).to_have_text("Time left to vote: 0:30")
        projector = browser.new_page(viewport={"width": 1280, "height": 720})
        projector.set_default_timeout(8_000)
        projector.clock.install()
        projector.goto(served.server.room_url)
        expect(projector.locator("#timer")).to_have_text("0:30")
        earlier = served.server.rejoin
        served.wait(served.server.stop(paused=True))
        expect(page.locator("#status")).to_have_text(re.compile(r"^Voting is paused with the workshop\."))
        expect(projector.locator("#flow")).to_contain_text("The workshop is paused")
        page.clock.fast_forward(31_000)  # no time runs on a paused workshop: the clock stands where it stopped
        projector.clock.fast_forward(31_000)
        expect(page.locator("#timer")).to_have_text("Time left to vote: 0:30 (paused)")
        expect(projector.locator("#timer")).to_have_text("0:30 (paused)")  # the room display says the same
        projector.screenshot(path=str(tmp_path / "room-paused.png"))
        choice(page, "Sleep on it.").click()  # queued for the workshop's return; the page redraws
        assert page.locator("#timer").text_content() == "Time left to vote: 0:30 (paused)"
        again = picked_up(earlier)
        projector.clock.fast_forward(20_000)
        expect(projector.locator("#timer")).to_have_text(re.compile(r"^0:[0-3]\d$"))  # back, and running again
        served.wait(again.stop())
        expect(page.locator("#status")).to_have_text("Voting has stopped: the workshop has ended.")
        expect(page.locator("#timer")).to_be_hidden()
        expect(projector.locator("#flow")).to_have_text("The workshop has ended. Thank you.")
        expect(projector.locator("#timer")).to_be_hidden()
        projector.close()
        expect(page.locator("#feedback")).not_to_contain_text("you can change it")
        page.close()
    finally:
        context.close()
        served.close()
