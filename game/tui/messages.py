"""Messages between the game's screens and the app: what happened, posted up; never a method called by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from game.library import Entry

if TYPE_CHECKING:
    from game.session import Change, Session


class OpenEntry(Message):
    """Open a scenario's content notes (from the list, a number key or the command palette)."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry


class StoriesChecked(Message):
    """Stories the list showed unchecked have been checked (posted from the thread that checks them)."""

    def __init__(self, entries: list[Entry], done: bool) -> None:
        super().__init__()
        self.entries = entries
        self.done = done
        """Every story on offer is checked now: the list can take its final order."""


class StartPlay(Message):
    """Play this session (begun or resumed on the notes screen)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session


class RevealChanged(Message):
    """Author mode was switched on or off: screens that draw meters redraw."""

    def __init__(self, reveal: bool) -> None:
        super().__init__()
        self.reveal = reveal


class PlayChanged(Message):
    """The session being played changed (a choice, undo, rewind, an ending reached, a reload)."""

    def __init__(self, change: Change) -> None:
        super().__init__()
        self.change = change


class ToggleReveal(Message):
    """Switch author mode (the meters shown while playing) on or off."""


class ToggleTheme(Message):
    """Switch between the standard and the high-contrast theme."""
