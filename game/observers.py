"""Who to tell when something changes: the one way the core lets front ends redraw.

A Session and a Workshop keep a list of callbacks; a front end subscribes and
gets back a function that unsubscribes it (a screen calls it when it closes).
What they are told is typed: a Session's `Change` carries a `Kind`
(`game.session`), a Workshop tells a `Change` (`game.workshop.showing`), each
an enum, so an observer compares kinds the type checker knows, never strings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Observers(Generic[T]):
    """Callbacks to call with each change, in the order they subscribed."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[T], None]] = []

    def add(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Subscribe `callback`; returns a function that unsubscribes it (calling it twice is harmless)."""
        self._callbacks.append(callback)

        def stop() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return stop

    def tell(self, change: T) -> None:
        for callback in list(self._callbacks):
            callback(change)
