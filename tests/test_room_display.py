"""The room display's side of the workshop's server, and what the room may see, for every built-in story.

A real WorkshopServer runs on 127.0.0.1 (a free port) in the test's event loop;
the room display and the phones are aiohttp websocket clients that keep every
message they are sent. The long test drives a whole workshop of each built-in
story through the core and checks, after every step, that nothing the
facilitator has not shown (the next scene's words, an ending not yet shown, a
facilitator note, the split of a vote not yet revealed) is in any message sent
or any page served. Every wait has a deadline, and every server is stopped.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from game import library
from game.model import Scenario
from game.web.clients import Client
from game.web.display import TOO_MANY, TOO_MANY_HERE
from game.web.pages import WRONG_KEY
from game.web.server import WorkshopServer
from game.workshop.moves import Move
from game.workshop.names import SIDE_BY_SIDE
from game.workshop.room import Workshop
from game.workshop.shown import CARD, ENDING, SCENE
from tests.helpers import vote_story as story

WAIT = 3.0


class Page:
    """A room display or a phone: its socket, and every message it was sent (decoded)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse):
        self.ws = ws
        self.seen: list[dict] = []
        self.last = ""
        """The last state sent, as it was sent."""
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            self.seen.append(data)
            if data["type"] == "state":
                self.last = message.data

    @property
    def state(self) -> dict:
        return next((m for m in reversed(self.seen) if m["type"] == "state"), {})

    async def close(self) -> None:
        await self.ws.close()
        self.reader.cancel()


class Served:
    def __init__(self, server: WorkshopServer, http: aiohttp.ClientSession):
        self.server, self.http = server, http
        self.origin = f"http://127.0.0.1:{server.port}"

    async def display(self) -> Page:
        ws = await self.http.ws_connect(f"{self.origin}/room/ws?key={self.server.key}", origin=self.origin)
        return Page(ws)

    async def phone(self, n: int) -> Page:
        ws = await self.http.ws_connect(f"{self.origin}/ws?code={self.server.code}", origin=self.origin)
        await ws.send_json({"type": "hello", "token": f"room-display-test-phone-{n:03d}"})
        return Page(ws)

    async def settled(self, pages: list[Page]) -> None:
        """Wait until every page has been sent what the server says now (the pushes have all gone out)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            display, phone = self.server.display_text(), json.dumps(self.server.phone_state())
            if all(p.last in (display, phone) for p in pages):
                return
            await asyncio.sleep(0.002)
        raise AssertionError(f"the pages were not brought up to date within {WAIT}s")


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    server = WorkshopServer("127.0.0.1", 0, heartbeat=None, debounce=0.0, tell_every=0.01, votes_per_second=1000)
    await server.start()
    http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
    try:
        yield Served(server, http)
    finally:
        await http.close()
        await server.stop()


# -- who may open it ----------------------------------------------------------------------------------


async def test_the_room_display_opens_only_with_its_key_from_its_own_page(served: Served) -> None:
    http, base, key = served.http, served.origin, served.server.key
    for path in ("/room", "/room?key=nope", "/room.js", f"/room.js?key={key[:-1]}", "/room/qr.svg"):
        async with http.get(base + path) as response:
            assert response.status == 403 and WRONG_KEY in await response.text(), path
    async with http.get(f"{base}/room?key={key}") as response:
        page = await response.text()
        assert response.status == 200 and f'src="/room.js?key={key}"' in page
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    async with http.get(f"{base}/room/qr.svg?key={key}") as response:
        assert response.status == 200 and response.content_type == "image/svg+xml"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    for origin in ("http://evil.example", None):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"{base}/room/ws?key={key}", origin=origin)
        assert refused.value.status == 403
    async with http.get(f"{base}/room?key={key}", headers={"Host": f"attacker.example:{served.server.port}"}) as r:
        assert r.status == 403  # a name pointed at this loopback server


async def test_guessing_the_key_is_slowed_down() -> None:
    server = WorkshopServer("127.0.0.1", 0, heartbeat=None, code_tries=3)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            statuses = []
            for _ in range(5):
                async with http.get(f"http://127.0.0.1:{server.port}/room?key=guess") as response:
                    statuses.append(response.status)
            assert statuses == [403, 403, 403, 429, 429]
    finally:
        await server.stop()


async def test_without_phones_the_room_display_works_and_phones_are_told_hands_count() -> None:
    server = WorkshopServer("127.0.0.1", 0, phones=False, heartbeat=None)
    await server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/?code={server.code}") as response:
                assert response.status == 404 and "counts hands" in await response.text()
            async with http.get(f"{base}/room/qr.svg?key={server.key}") as response:
                assert response.status == 404
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await http.ws_connect(f"{base}/ws?code={server.code}", origin=base)
            ws = await http.ws_connect(f"{base}/room/ws?key={server.key}", origin=base)
            welcome, state = await ws.receive_json(timeout=WAIT), await ws.receive_json(timeout=WAIT)
            assert welcome["type"] == "welcome" and state["stage"] == "lobby" and state["join"] is None
            await ws.close()
    finally:
        await server.stop()


async def test_the_console_hears_who_joins_and_how_many_pages_a_view_takes(served: Served) -> None:
    told: list[None] = []
    served.server.observe(told.append)
    served.server.show_lobby(story())
    display = await served.display()
    phones = [await served.phone(n) for n in range(3)]
    await served.settled([display, *phones])
    assert served.server.phones == 3 and served.server.displays == 1
    assert display.state["join"] == {"address": served.server.address, "code": served.server.code, "joined": 3}
    assert display.state["title"] == "The Phone Vote Test" and "You can pass" in json.dumps(display.state)
    await display.ws.send_json({"type": "pages", "count": 3})
    await display.ws.send_json({"type": "pages", "count": 10_000})  # refused: no view is that long
    await display.ws.send_str("not json")
    for _ in range(100):
        if served.server.pages == 3 and told:
            break
        await asyncio.sleep(0.01)
    assert served.server.pages == 3 and told
    for page in (display, *phones):
        await page.close()


async def test_only_a_few_room_displays_at_once_and_never_all_from_one_device() -> None:
    """Whoever has the key cannot take every place: at most two displays from one network address, the rest
    of the places for other devices, and this machine (where the projector's page is opened) always finds
    its own. A display turned away is told why."""
    server = WorkshopServer("127.0.0.1", 0, heartbeat=None, max_displays=6)
    await server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        async with aiohttp.ClientSession() as http:
            opened = [await http.ws_connect(f"{base}/room/ws?key={server.key}", origin=base) for _ in range(3)]
            busy = await opened[2].receive_json(timeout=WAIT)
            assert busy == {"type": "error", "code": "busy", "message": TOO_MANY_HERE}
            await opened[2].close()
            assert server.displays == server.displays_here == 2
            await opened[1].send_json({"type": "pages", "count": 2})
            for _ in range(100):
                if server.pages == 2:
                    break
                await asyncio.sleep(0.01)
            assert server.pages == 2
            room = server.room
            for n in range(2):  # two devices elsewhere fill the places that are not this machine's
                room.clients |= {Client(None, f"192.0.2.{n}", None), Client(None, f"192.0.2.{n}", None)}  # type: ignore[arg-type]
            assert room.refusal("192.0.2.7") == TOO_MANY and room.refusal("192.0.2.0") == TOO_MANY_HERE
            assert server.displays_here == 2 and room.refusal("127.0.0.1") == TOO_MANY_HERE
            room.clients = {c for c in room.clients if c.address != "192.0.2.1"}
            assert room.refusal("192.0.2.7") == ""
            room.clients = {c for c in room.clients if c.ws is not None}
            for ws in opened[:2]:
                await ws.close()
    finally:
        await server.stop()


# -- nothing reaches the room before it is shown, in any built-in story ----------------------------------


def strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def notes(scenario: Scenario) -> set[str]:
    """Every facilitator note in the story: none may ever reach the room."""
    found = {scene.facilitator for scene in scenario.scenes.values()}
    found |= {choice.facilitator for scene in scenario.scenes.values() for choice in scene.choices}
    found |= {ending.facilitator for ending in scenario.endings.values()}
    return {note for note in found if note}


def paragraphs(text: str) -> set[str]:
    return {p.strip() for p in text.split("\n\n") if len(p.strip()) > 20}


class Watch:
    """What the room has been shown so far, and a check of everything sent against what it has not."""

    def __init__(self, scenario: Scenario, pages: list[Page]):
        self.notes = notes(scenario)
        self.pages = pages
        self.shown: set[str] = set()
        self.checked = 0

    def blob(self) -> str:
        return "\n".join(s for page in self.pages for message in page.seen for s in strings(message))

    def released(self, workshop: Workshop) -> None:
        """The room is shown the scene or ending in front of it: its words may now go out."""
        team = workshop.teams[workshop.shown.team]
        self.shown |= paragraphs(team.play.text())
        for option in team.play.options():
            self.shown.add(option.choice.text)

    def check(self, workshop: Workshop, where: str) -> None:
        sent = self.blob()
        for note in self.notes:
            assert note not in sent, f"{where}: a facilitator note reached the room: {note[:60]}"
        hidden: set[str] = set()
        if workshop.shown.stage == CARD:  # what comes next waits for the facilitator
            for team in workshop.teams:
                hidden |= paragraphs(team.play.text())
                if not team.play.is_over:
                    hidden |= {o.choice.text for o in team.play.options() if len(o.choice.text) > 20}
        for words in hidden - self.shown:
            assert words not in sent, f"{where}: sent before it was shown: {words[:60]}"
        for page in self.pages:
            state = page.state
            if state.get("stage") == SCENE and state.get("phase") in ("discussion", "voting", "locked"):
                assert state.get("tally") is None, f"{where}: counts reached the room before the reveal"
        self.checked += 1


async def run_workshop(served: Served, scenario: Scenario) -> int:
    """A whole workshop of `scenario`, two teams side by side, with phones voting, skips seen and unseen."""
    workshop = Workshop(scenario, ["Red", "Blue"], mode=SIDE_BY_SIDE, seed=7)
    served.server.show_lobby(scenario, workshop.rules)
    pages = [await served.display(), await served.phone(1), await served.phone(2)]
    watch = Watch(scenario, pages)
    served.server.attach(workshop)
    await served.settled(pages)
    watch.check(workshop, "the lobby")
    workshop.begin()
    watch.released(workshop)
    for step in range(300):
        await served.settled(pages)
        stage, moves = workshop.shown.stage, workshop.moves()
        watch.check(workshop, f"step {step}, {stage}")
        if stage == SCENE:
            if step % 5 == 3:
                workshop.skip()
                continue
            workshop.open_voting()
            await served.settled(pages)
            for page in pages[1:]:
                option = next(o["index"] for o in page.state["options"] if o["open"])
                await page.ws.send_json({"type": "vote", "round": page.state["round"], "option": option})
            await asyncio.sleep(0.01)
            await served.settled(pages)
            watch.check(workshop, f"step {step}, voting")
            outcome = workshop.reveal()
            if outcome.how == "runoff":
                workshop.start_runoff()
                workshop.open_voting()
                workshop.reveal()
                outcome = workshop.outcome()
            workshop.decide(outcome.tied[0] if outcome.picking else None)
        elif stage == CARD:
            if step % 4 == 1 and Move.SKIP in moves:
                workshop.skip()  # the next scene, before anyone has seen it
                continue
            workshop.show()
            watch.released(workshop)
        elif stage == ENDING:
            if Move.GO_ON not in moves:
                break
            workshop.go_on()
            watch.released(workshop)
    assert workshop.finished, f"{scenario.id}: the workshop did not finish"
    workshop.show_compare()
    workshop.show_debrief(4)
    await served.settled(pages)
    watch.check(workshop, "the debrief")
    for path in (f"/room?key={served.server.key}", f"/room.js?key={served.server.key}", "/room.css",
                 f"/?code={served.server.code}", f"/phone.js?code={served.server.code}", "/phone.css",
                 f"/room/qr.svg?key={served.server.key}"):
        async with served.http.get(served.origin + path) as response:
            page = await response.text()
            assert response.status == 200 and not any(note in page for note in watch.notes), path
    for page in pages:
        await page.close()
    return watch.checked


async def test_nothing_reaches_the_room_before_the_facilitator_shows_it_in_any_built_in_story(served: Served) -> None:
    entries, _ = library.gather(builtin=True)
    stories = [e.scenario for e in entries if e.scenario is not None]
    assert len(stories) >= 9
    for scenario in stories:
        checked = await run_workshop(served, scenario)
        assert checked > 5, scenario.id
