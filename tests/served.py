"""The workshop's server in a background thread's event loop, for tests that drive a browser synchronously.

It runs there as it runs in the console's loop; `call` hands a function (a
workshop step) to that loop and returns its result, and `close` stops the
server and the loop. Every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from game.web.server import WorkshopServer
from game.workshop.room import Workshop


class Served:
    """A WorkshopServer (serving `workshop`, if given) in its own thread's event loop."""

    def __init__(self, workshop: Workshop | None = None, **options: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="workshop-server", daemon=True)
        self.thread.start()
        self.workshop = workshop
        self.server = WorkshopServer("127.0.0.1", 0, **options)
        if workshop is not None:
            self.server.attach(workshop)
        self.wait(self.server.start())
        self.url = self.server.url
        self.origin = f"http://127.0.0.1:{self.server.port}"

    def wait(self, coroutine) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=15)

    def call(self, function: Callable[[], Any]) -> Any:
        async def run() -> Any:
            return function()
        return self.wait(run())

    def close(self) -> None:
        try:
            self.wait(self.server.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            self.loop.close()
