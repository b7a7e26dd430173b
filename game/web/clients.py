"""The pages connected to the workshop's server, each with a writer of its own, and the rate limit on them.

A phone and a room display are both a `Client`: a websocket, the network
address it came from, a token bucket for what it sends, and its own writer.
`send` queues a message for that page alone; `offer` replaces the state
waiting to go out, so however many changes pile up while a page is slow, it
is sent only the newest, and one slow phone never holds up the others.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from aiohttp import web

from game.workshop.room import Workshop


class Hub(Protocol):
    """What the phones' and the room display's sockets need of the server they belong to."""

    stopping: bool
    pausing: bool
    workshop: Workshop | None
    welcome_text: str

    def phone_state(self) -> dict[str, Any]: ...

    def display_text(self) -> str: ...

    def joins_changed(self) -> None: ...


class Bucket:
    """A token bucket: `rate` messages a second, `burst` at once; `take` says whether one more may pass."""

    __slots__ = ("rate", "burst", "tokens", "stamp", "clock")

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.stamp = burst, clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Client:
    """One connected page: its socket, its token once a phone has said hello, and its own writer."""

    __slots__ = ("ws", "address", "token", "bucket", "outbox", "state", "wake", "task", "refused")

    MAX_OUTBOX = 32

    def __init__(self, ws: web.WebSocketResponse, address: str, bucket: Bucket):
        self.ws, self.address, self.bucket = ws, address, bucket
        self.token: str | None = None
        self.outbox: deque[str] = deque()
        self.state: str | None = None
        self.wake = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.refused = 0
        """Messages refused in a row (too fast, not understood); too many and the page is closed."""

    def send(self, message: dict[str, Any]) -> None:
        self.send_text(json.dumps(message))

    def send_text(self, text: str) -> None:
        if len(self.outbox) < self.MAX_OUTBOX:
            self.outbox.append(text)
            self.wake.set()

    def offer(self, state: str) -> None:
        self.state = state
        self.wake.set()

    def start(self) -> None:
        self.task = asyncio.create_task(self.run())

    async def run(self) -> None:
        """Send what is waiting, in order (this page's own messages, then the newest state), until closed."""
        ws = self.ws
        try:
            while not ws.closed:
                await self.wake.wait()
                self.wake.clear()
                while not ws.closed and (self.outbox or self.state is not None):
                    if self.outbox:
                        text = self.outbox.popleft()
                    else:
                        text, self.state = self.state, None
                    await ws.send_str(text)
        except (ConnectionError, RuntimeError):
            pass  # the page went away mid-send: its handler cleans up

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
