"""A console screen for something up over the story on the room display: a question put to the room, or a
prediction.

It follows the workshop (the room's ideas and votes arrive while it is up), redraws when told, and goes away by
itself when the room no longer sees what it is about, so the console never shows one thing while the room
display shows another.
"""

from __future__ import annotations

from textual import on

from game.tui.workshop.attempt import attempt
from game.tui.workshop.messages import RoomChanged
from game.tui.workshop.screens.following import FollowingScreen
from game.tui.workshop.widgets.status import PAGE_BINDINGS
from game.workshop.room import Change


class OverStory(FollowingScreen):
    """A screen shown while the room display shows `OVERLAY` over the story."""

    OVERLAY = ""
    BINDINGS = PAGE_BINDINGS

    @on(RoomChanged)
    def _changed(self, message: RoomChanged) -> None:
        if self.room.workshop.shown.overlay != self.OVERLAY:
            if self.is_current:  # it came down: back to the story
                self.dismiss(None)
            return
        self.changed(message.kind)

    def action_scroll(self, direction: int) -> None:
        """The room display's next or last page, as the status line offers."""
        attempt(self, lambda: self.room.workshop.turn_page(direction))

    def changed(self, kind: Change) -> None:
        """The workshop changed while the room still sees this: redraw."""
        self.show()

    def show(self) -> None:
        """Draw what the room sees, and what only the facilitator does."""
