"""The workshop's own server: the room display for the projector, and the phones' vote, from one address.

It runs inside an event loop that already exists (the console's): the
console calls `await start()` when it opens and `await stop()` when it ends.
It listens on 127.0.0.1 unless given another host (`game.net.bind_host(lan, host)`
turns `--lan` / `--host H` into one); `port=0` picks a free port. Before the
workshop begins it shows the lobby (`show_lobby`); from Begin it serves the
Workshop it is given (`attach`).

What it serves, and to whom:

* `/room` with the room display's key: the page for the projector, showing
  only what the facilitator has released (game.workshop.view), kept current
  over `/room/ws`; `/room/qr.svg` is the join address as a QR code.
* `/` with the session's join code: the phone page (only when phones vote);
  without it, a small page asking for the code; with a wrong one, "That code
  is not right". Phones vote over `/ws` (game.web.votes).
* `/phone.js`, `/phone.css`, `/room.js`, `/room.css`: the pages' own script
  and style. Nothing is fetched from anywhere else: the pages work with no
  internet.

Every change to the workshop is pushed to every page, coalesced so a burst
of votes costs one message per page per `debounce` seconds; each page has its
own writer, so a slow phone only ever gets the latest state. The console is
told (through `observe`) when phones or room displays come and go, at most
once per `tell_every` seconds. The facilitator keeps every step: the server
only passes a phone's ballot and its idea on (`Workshop.ballot`, `send_idea`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from game import net, resources
from game.model import Scenario
from game.observers import Observers
from game.safetext import quote
from game.web import guard, qr
from game.web.display import Displays
from game.web.gate import Door
from game.web.pages import Pages
from game.web.rejoin import Rejoining
from game.web.votes import Votes, goodbye
from game.workshop import view
from game.workshop.room import GROUND_RULES, Change, Workshop

log = logging.getLogger("game.web")

STATIC = Path(__file__).resolve().parent / "static"
PAGES = ("phone.html", "phone.js", "phone.css", "code.html", "room.html", "room.js", "room.css")

class ServerError(RuntimeError):
    """The server could not start, with a sentence for the facilitator."""


class WorkshopServer(Pages, Rejoining):
    """The room display and the phones of one workshop, served from inside the console's event loop.

    After `start()`: `port`, `room_url` (the room display's address, key
    included), `url` (the phones' join address, code included), `address`,
    `code`, `phones` (phones joined), `displays` (room displays open), `pages`
    (how many pages the view in front of the room takes on a display) and
    `warning` (one line when the server is open to the network, else "").
    Workshop methods must be called from the loop the server runs in;
    observers called from another thread are handed over safely.
    """

    def __init__(self, host: str = net.LOOPBACK, port: int = 0, *, phones: bool = True, code: str | None = None,
                 key: str | None = None, max_connections: int = 1000, per_address: int = 8,
                 devices_per_address: int = 8, votes_per_second: float = 5.0, max_message: int = 1024,
                 debounce: float = 0.05, heartbeat: float | None = 20.0,
                 help_resources: resources.Resources | None = None,
                 find_lan: Callable[[], str | None] = net.lan_address, code_tries: int = 20, max_displays: int = 8,
                 displays_per_address: int = 2, tell_every: float = 0.25, request_timeout: float = 5.0,
                 connections_per_address: int | None = None, clock: Callable[[], float] = time.monotonic):
        host = host.strip()
        self.host = net.LOOPBACK if host.lower() == "localhost" else host
        self.requested_port = port
        self.phones_on = phones
        self.code = code or guard.new_code()
        self.key = key or guard.new_key()
        self.debounce = debounce
        self.tell_every = tell_every
        self.help_resources = help_resources
        self.votes = Votes(self, max_connections=max_connections, per_address=per_address,
                           devices_per_address=devices_per_address, votes_per_second=votes_per_second,
                           max_message=max_message, heartbeat=heartbeat, clock=clock)
        self.room = Displays(self, max_displays=max_displays, per_address=displays_per_address,
                             heartbeat=heartbeat, clock=clock)
        self.guesses = guard.Guesses(code_tries, clock)
        self.door = Door(max_connections, connections_per_address or per_address * 2 + max_displays,
                         request_timeout)
        self.workshop: Workshop | None = None
        self._lobby = view.lobby(None, GROUND_RULES)
        self._story: Scenario | None = None
        """The story the lobby is for, once one is chosen."""
        self._find_lan = find_lan
        self.allowed_hosts: frozenset[str] = frozenset()
        """The names and addresses a request's Host may use (game.net's allow-list, found at `start`)."""
        self.port = 0
        self.join_host = self.host
        self.warning = ""
        self.running = False
        self.stopping = False
        self.pausing = False
        """Stopping with the workshop paused (it may be picked up again): pages are told so and keep trying."""
        self.welcome_text = ""
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = 0
        self._unobserve: Callable[[], None] | None = None
        self._push_handle: asyncio.Handle | None = None
        self._tell_handle: asyncio.Handle | None = None
        self._last_push = 0.0
        self._last_phone = ""
        self._last_display = ""
        self._view: dict[str, Any] | None = None
        self._watch: asyncio.Task | None = None
        self._observers: Observers[None] = Observers()
        self._pages = {name: (STATIC / name).read_text(encoding="utf-8") for name in PAGES}

    # -- what the console shows ----------------------------------------------------------------

    def _base(self, host: str) -> str:
        return f"http://{net.url_host(host)}:{self.port}/"

    @property
    def url(self) -> str:
        """The join address, code included: what the QR code holds."""
        return f"{self._base(self.join_host)}?code={self.code}"

    @property
    def address(self) -> str:
        """The join address without the code, for someone typing it (the page then asks for the code)."""
        return self._base(self.join_host)

    @property
    def room_url(self) -> str:
        """The room display's address on this laptop, key included (what the console opens in the browser)."""
        here = net.LOOPBACK if net.is_loopback(self.host) or net.is_wildcard(self.host) else self.host
        return f"{self._base(here)}room?key={self.key}"

    @property
    def phones(self) -> int:
        """Phones joined now."""
        return self.votes.joined

    @property
    def displays(self) -> int:
        """Room displays open now."""
        return len(self.room.clients)

    @property
    def displays_here(self) -> int:
        """Room displays open on this machine (the console may take itself to be private when one is)."""
        return self.room.here

    @property
    def room_urls(self) -> list[str]:
        """Where the room display opens, key included: on this laptop, and from another device when the server
        is open to the network. Shown only when the facilitator asks (the console may be on the projector)."""
        urls = [self.room_url]
        if not net.is_loopback(self.host):
            elsewhere = f"{self._base(self.join_host)}room?key={self.key}"
            if elsewhere not in urls:
                urls.append(elsewhere)
        return urls

    @property
    def pages(self) -> int:
        """How many pages the view in front of the room takes on a room display (0 when none has said)."""
        return self.room.pages

    def exposure(self) -> tuple[str, str]:
        """The host phones should use, and the warning when the server is open to the network (else "")."""
        host, note = net.join_host(self.host, self._find_lan)
        if net.is_loopback(self.host):
            return host, ""
        what = "Voting and the room display are" if self.phones_on else "The room display is"
        warning = (f"{what} open to the network at {self._base(host)}: anyone on it who has the "
                   f"{'code' if self.phones_on else 'address'} can "
                   f"{'vote' if self.phones_on else 'see it'} (the connection is not encrypted).")
        return host, warning + (f" Note: {note}." if note else "")

    def qr_lines(self, invert: bool = False) -> list[str]:
        return qr.qr_lines(self.url, invert=invert)

    def observe(self, callback: Callable[[None], None]) -> Callable[[], None]:
        """Call `callback(None)` when phones or room displays come or go (at most every `tell_every` s)."""
        return self._observers.add(callback)

    # -- what the room sees --------------------------------------------------------------------

    def show_lobby(self, scenario: Scenario | None, rules: str = GROUND_RULES) -> None:
        """Before Begin: the story chosen (or none yet) and the ground rules, for the room to read as it joins."""
        lobby = view.lobby(scenario, rules)
        if self.workshop is None and lobby != self._lobby:
            self._lobby, self._story = lobby, scenario
            self._welcome()
            self._changed()

    def attach(self, workshop: Workshop) -> None:
        """Serve this workshop from now on (from Begin, or a workshop picked up again)."""
        if self._unobserve is not None:
            self._unobserve()
        self.workshop = workshop
        self._unobserve = workshop.observe(self._observed) if self.running else None
        self._welcome()
        self._changed()

    def current_view(self) -> dict[str, Any]:
        """What the room sees now (computed once per change)."""
        if self._view is None:
            self._view = view.room(self.workshop) if self.workshop is not None else dict(self._lobby)
        return self._view

    def phone_state(self) -> dict[str, Any]:
        return view.phone(self.current_view())

    def join_info(self) -> dict[str, Any] | None:
        if not self.phones_on:
            return None
        return {"address": self.address, "code": self.code, "joined": self.phones}

    def display_text(self) -> str:
        return json.dumps({"type": "state", **self.current_view(), "join": self.join_info()})

    def _welcome(self) -> None:
        scenario = self.workshop.scenario if self.workshop is not None else self._story
        rules = self.workshop.rules if self.workshop is not None else "\n".join(self._lobby.get("rules", []))
        self.welcome_text = json.dumps(view.welcome(scenario, rules, self.help_resources))
        for client in (*(c for c in self.votes.clients if c.token is not None), *self.room.clients):
            client.send_text(self.welcome_text)
        self._last_phone = self._last_display = ""  # the state goes out again after the new welcome

    # -- starting and stopping ---------------------------------------------------------------------

    async def start(self) -> None:
        """Listen and begin telling pages about the workshop; ServerError when the address cannot be used."""
        if self.running:
            return
        self._loop = asyncio.get_running_loop()
        self._thread = threading.get_ident()
        self.stopping = False
        self.allowed_hosts = net.own_names(self.host, find_lan=self._find_lan)
        app = web.Application(client_max_size=4096, middlewares=[self._own_address])
        for path, handler in (("/", self._phone_page), ("/phone.js", self._phone_script),
                              ("/phone.css", self._style), ("/ws", self._phone_socket), ("/room", self._room_page),
                              ("/room.js", self._room_script), ("/room.css", self._style),
                              ("/room/ws", self._room_socket), ("/room/qr.svg", self._qr)):
            app.router.add_get(path, handler)
        app.on_response_prepare.append(self._headers)
        self.votes.max_connections = self.door.plan()
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2.0,
                               keepalive_timeout=self.door.request_timeout)
        await runner.setup()
        try:
            await self.door.open(runner, self.host, self.requested_port)
        except (OSError, UnicodeError) as problem:  # UnicodeError: a name no resolver can encode
            await runner.cleanup()
            reason = getattr(problem, "strerror", None) or problem
            raise ServerError(f"the workshop's server cannot listen on {quote(self.host)} port "
                              f"{self.requested_port}: {quote(reason)}") from None
        self._runner = runner
        self.port = runner.addresses[0][1]
        self.join_host, self.warning = self.exposure()
        if self.warning:
            log.warning("%s", self.warning)
        if self.limit_note:
            log.warning("%s", self.limit_note)
        self.running = True
        if self.moved_note:
            log.warning("%s", self.moved_note)
        self._welcome()
        if self.workshop is not None:
            self.attach(self.workshop)
        self._watch = asyncio.create_task(self._watch_timer())

    async def stop(self, paused: bool = False) -> None:
        """Tell every page the workshop has ended (or, `paused`, that it may be picked up again: the pages keep
        trying to come back), close every socket and stop listening."""
        if not self.running or self.stopping:
            return
        self.stopping = True
        self.pausing = paused
        if self._unobserve is not None:
            self._unobserve()
            self._unobserve = None
        for handle in (self._push_handle, self._tell_handle):
            if handle is not None:
                handle.cancel()
        self._push_handle = self._tell_handle = None
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        await self.votes.close_all(paused)
        displays = list(self.room.clients)
        if displays:
            await asyncio.wait([asyncio.create_task(goodbye(c, paused)) for c in displays], timeout=3.0)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.running = False

    # -- telling the pages and the console --------------------------------------------------------

    def _observed(self, kind: Change) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == self._thread:
            self._changed()
        else:
            loop.call_soon_threadsafe(self._changed)

    def _changed(self) -> None:
        """The workshop changed: push the new state soon (at most once per `debounce` seconds)."""
        self._view = None
        self._schedule_push()

    def _schedule_push(self) -> None:
        if self._push_handle is not None or self.stopping or self._loop is None or not self.running:
            return
        delay = max(0.0, self._last_push + self.debounce - self._loop.time())
        self._push_handle = self._loop.call_later(delay, self._push)

    def _push(self) -> None:
        self._push_handle = None
        self._last_push = self._loop.time() if self._loop else 0.0
        phone_text = json.dumps(self.phone_state())
        if phone_text != self._last_phone:
            self._last_phone = phone_text
            for client in self.votes.clients:
                if client.token is not None:
                    client.offer(phone_text)
        display_text = self.display_text()
        if display_text != self._last_display:
            self._last_display = display_text
            for client in self.room.clients:
                client.offer(display_text)

    def joins_changed(self) -> None:
        """A phone or a room display came or went (or a display's page count changed)."""
        self._schedule_push()  # the room display says how many have joined
        if self._tell_handle is None and self._loop is not None and not self.stopping:
            self._tell_handle = self._loop.call_later(self.tell_every, self._tell_console)

    def _tell_console(self) -> None:
        self._tell_handle = None
        self._observers.tell(None)

    async def _watch_timer(self) -> None:
        """The timer moves without telling anyone: notice it starting, stopping, pausing or running out."""
        seen: tuple = ()
        while True:
            await asyncio.sleep(0.5)
            now = view.timer_signature(self.workshop) if self.workshop is not None else ()
            if now != seen:
                seen = now
                self._changed()
