"""The time the language server waits before the deep checks: real time, or time a test moves by hand.

The deep checks run when the author pauses (`DEBOUNCE` seconds without a
change). Tests of that must not sleep to show that something did or did not
happen, so the server takes its clock from outside: `second-chance lsp
--manual-clock` starts it with a `ManualClock`, which only moves when the
client asks (`$/second-chance/advanceClock`), and that request answers once
every deep check the move woke has published.
"""

from __future__ import annotations

import asyncio


class Clock:
    """Real time."""

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class ManualClock(Clock):
    """Time that passes only when `advance` is called."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future, asyncio.Task | None]] = []

    async def sleep(self, seconds: float) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + seconds, waiter, asyncio.current_task()))
        try:
            await waiter
        finally:
            self._sleepers = [s for s in self._sleepers if s[1] is not waiter]

    def advance(self, seconds: float) -> list[asyncio.Task]:
        """Move time on; the tasks whose sleep is over are woken and returned."""
        self.now += seconds
        woken = []
        for deadline, waiter, task in list(self._sleepers):
            if deadline <= self.now and not waiter.done():
                waiter.set_result(None)
                if task is not None:
                    woken.append(task)
        return woken
