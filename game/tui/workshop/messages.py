"""Messages between the workshop's screens and its app: what happened, posted up."""

from __future__ import annotations

from textual.message import Message

from game.library import Entry
from game.tui.workshop.context import Room
from game.workshop.room import Change


class ChooseScenario(Message):
    """Set up a workshop of this scenario (from the list, a number key or the command palette)."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry


class BeginRoom(Message):
    """The setup is done (or a saved workshop was picked up): run this room."""

    def __init__(self, room: Room) -> None:
        super().__init__()
        self.room = room


class RoomChanged(Message):
    """The workshop changed (votes, a decision, a branch, a team's turn): what the Workshop told its observers."""

    def __init__(self, kind: Change) -> None:
        super().__init__()
        self.kind = kind


class LinkChanged(Message):
    """Phones or room displays came or went (or a room display's page count changed)."""


class RunAction(Message):
    """Run one of the screen's own actions (from the command palette), if the screen allows it now."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
