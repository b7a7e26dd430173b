"""A console screen that follows the workshop while it is up: told of every change, redrawn when the room's link
changes, and no longer listening once it is gone."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.screen import Screen

from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.messages import LinkChanged, RoomChanged


class FollowingScreen(Screen[None]):
    """The workshop's changes arrive as RoomChanged messages (posted, so they reach the screen on its own turn
    whichever thread the change came from); `show` draws the screen from the workshop as it is now.

    Textual calls the `on_mount` of every class a screen is made of, base classes after the screen's own: a
    subclass's `on_mount` must not call this one again, or the screen would listen twice.
    """

    def __init__(self, context: WorkshopContext, room: Room):
        super().__init__()
        self.context = context
        self.room = room
        self._stop: Callable[[], None] | None = None

    def on_mount(self) -> None:
        self._stop = self.room.workshop.observe(lambda kind: self.post_message(RoomChanged(kind)))
        self.show()

    def on_unmount(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None

    @on(LinkChanged)
    def _link_changed(self) -> None:
        self.show()

    def show(self) -> None:
        """Draw the screen from the workshop as it is now."""
        raise NotImplementedError
