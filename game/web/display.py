"""The room display's side of the workshop's server: the projector's page, kept up to date over a websocket.

The page shows what the room may see (game.workshop.view) and nothing else.
It says one thing back: how many pages the view in front of the room takes at
its size, so the console can say "page 1 of 2" and the facilitator knows a
long scene goes on. A few displays at once are allowed (a second projector, a
screen at the back), at most `per_address` from one network address, so
whoever has the key cannot take every place: this machine always has its own
(the projector's page is opened on the laptop), and a display turned away is
told why. A page that sends anything else is ignored, and one that sends too
much is closed. `here` counts the displays open on this machine: the console
takes itself to be private when one is (game/tui/workshop/context.py), never
because of a display somewhere else alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from game import net
from game.web.clients import Bucket, Client, Hub
from game.web.votes import read_message, refuse_busy, serve
from game.workshop.shown import MAX_PAGE

TOO_MANY = "Too many room displays are open: close one, then try again."
TOO_MANY_HERE = "Too many room displays are open from this device: close one, then try again."


class Displays:
    """The room displays connected to one server, and the page count the latest of them reported."""

    def __init__(self, server: Hub, *, max_displays: int, heartbeat: float | None, per_address: int = 2,
                 clock: Callable[[], float] = time.monotonic):
        self.server = server
        self.clock = clock
        self.max_displays = max_displays
        self.per_address = per_address
        self.heartbeat = heartbeat
        self.clients: set[Client] = set()
        self.pages = 0
        """How many pages the view in front of the room takes on the latest display to say (0: not known)."""

    async def socket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=self.heartbeat, max_msg_size=512, compress=False, timeout=2.0)
        if not ws.can_prepare(request):
            return web.Response(status=400, text="This address is for the room display's connection.")
        await ws.prepare(request)
        address = request.remote or "?"
        refused = self.refusal(address)
        if refused:
            await refuse_busy(ws, refused)
            return ws
        client = Client(ws, address, Bucket(10.0, 20.0, self.clock))
        self.clients.add(client)
        client.start()
        client.send_text(self.server.welcome_text)
        client.offer(self.server.display_text())
        self.server.joins_changed()
        try:
            await serve(ws, client, self._received, self._ignore)
        finally:
            self.clients.discard(client)
            client.stop()
            if not self.clients:
                self.pages = 0
            self.server.joins_changed()
        return ws

    @property
    def here(self) -> int:
        """Room displays open on this machine (from a loopback address)."""
        return sum(1 for c in self.clients if net.is_loopback(c.address))

    def refusal(self, address: str) -> str:
        """Why a display from `address` cannot join now ("" when it can): at most `per_address` from one
        address, and `max_displays` from elsewhere; this machine's own always find a place."""
        if self.server.stopping:
            return TOO_MANY
        if sum(1 for c in self.clients if c.address == address) >= self.per_address:
            return TOO_MANY_HERE
        if not net.is_loopback(address) and len(self.clients) - self.here >= self.max_displays - self.per_address:
            return TOO_MANY
        return ""

    def _ignore(self, client: Client, message: str) -> None:
        client.refused += 1

    def _received(self, client: Client, text: str) -> None:
        """{"type": "pages", "count": n}: how many pages the view takes on this display now."""
        if not client.bucket.take():
            client.refused += 1
            return
        data: Any = read_message(text)
        count = data.get("count") if isinstance(data, dict) and data.get("type") == "pages" else None
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_PAGE + 1:
            client.refused += 1
            return
        client.refused = 0
        if count != self.pages:
            self.pages = count
            self.server.joins_changed()
