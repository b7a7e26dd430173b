"""The room display's side of the workshop's server: the projector's page, kept up to date over a websocket.

The page shows what the room may see (game.workshop.view) and nothing else.
It says one thing back: how many pages the view in front of the room takes at
its size, so the console can say "page 1 of 2" and the facilitator knows a
long scene goes on. A few displays at once are allowed (a second projector, a
screen at the back); a page that sends anything else is ignored, and one that
sends too much is closed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from game.web.clients import Bucket, Client, Hub
from game.web.votes import refuse_busy, serve
from game.workshop.shown import MAX_PAGE

TOO_MANY = "Too many room displays are open: close one, then try again."


class Displays:
    """The room displays connected to one server, and the page count the latest of them reported."""

    def __init__(self, server: Hub, *, max_displays: int, heartbeat: float | None,
                 clock: Callable[[], float] = time.monotonic):
        self.server = server
        self.clock = clock
        self.max_displays = max_displays
        self.heartbeat = heartbeat
        self.clients: set[Client] = set()
        self.pages = 0
        """How many pages the view in front of the room takes on the latest display to say (0: not known)."""

    async def socket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=self.heartbeat, max_msg_size=512, compress=False, timeout=2.0)
        if not ws.can_prepare(request):
            return web.Response(status=400, text="This address is for the room display's connection.")
        await ws.prepare(request)
        if self.server.stopping or len(self.clients) >= self.max_displays:
            await refuse_busy(ws, TOO_MANY)
            return ws
        client = Client(ws, request.remote or "?", Bucket(10.0, 20.0, self.clock))
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

    def _ignore(self, client: Client, message: str) -> None:
        client.refused += 1

    def _received(self, client: Client, text: str) -> None:
        """{"type": "pages", "count": n}: how many pages the view takes on this display now."""
        if not client.bucket.take():
            client.refused += 1
            return
        try:
            data: Any = json.loads(text)
        except ValueError:
            data = None
        count = data.get("count") if isinstance(data, dict) and data.get("type") == "pages" else None
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_PAGE + 1:
            client.refused += 1
            return
        client.refused = 0
        if count != self.pages:
            self.pages = count
            self.server.joins_changed()
