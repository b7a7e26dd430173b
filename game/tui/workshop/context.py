"""What every workshop screen shares, in typed objects handed down from the app.

`Settings` is what the command line asked for (the setup screen changes it
before play), `Room` a workshop being run (the Workshop, the log it is saved
to after every decision, and the phones' link if there is one), and
`WorkshopContext` both, with the scenarios on offer. Screens are given the
context when they are made; the command palette, which Textual builds itself,
asks for it with `workshop_context_of(app)`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import attrs
from textual.app import App

from game.library import Entry, Skipped
from game.workshop import log as logs
from game.workshop.room import GROUND_RULES, TURNS, Workshop
from game.workshop.votes import FACILITATOR


class PhoneLink(Protocol):
    """What the screen needs from a vote server (game.web's VoteServer fits): where to join, and how many came.

    Phone ballots never pass through the screen: they go to Workshop.ballot,
    which tells its observers, so the tally on screen already counts them.
    """

    @property
    def url(self) -> str: ...

    @property
    def address(self) -> str: ...

    @property
    def code(self) -> str: ...

    @property
    def phones(self) -> int: ...

    @property
    def warning(self) -> str: ...

    def qr_lines(self, invert: bool = False) -> list[str]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


PhoneLinkMaker = Callable[[Workshop], PhoneLink]
"""Builds the phones' link for a workshop once it begins (the vote server takes the workshop it serves)."""


@attrs.define
class Settings:
    """How the room will play: filled from the command line, changeable on the setup screen before Begin."""

    teams: list[str] = attrs.field(factory=list)
    mode: str = TURNS
    tie_rule: str = FACILITATOR
    seed: int | None = None
    discussion: int = 0
    voting: int = 0
    bell: bool = False
    rules: str = GROUND_RULES


@attrs.define
class Room:
    """A workshop being run: the Workshop, its log (saved after every decision) and the phones, if any."""

    workshop: Workshop
    store: logs.LogStore
    phones: PhoneLink | None = None
    save_problem_told: bool = False

    def save(self) -> str | None:
        """Write the log; a sentence the first time a save fails (later failures stay quiet), else None."""
        try:
            self.store.save()
        except OSError as problem:
            if self.save_problem_told:
                return None
            self.save_problem_told = True
            return (f"The workshop could not be saved to {self.store.path} ({problem.strerror or problem}). "
                    "Play goes on; the handouts can still be written with E.")
        return None


@attrs.define
class WorkshopContext:
    """The scenarios on offer, the settings, where files go, and the room once the workshop has begun."""

    offered: list[Entry] = attrs.field(factory=list)
    hidden: list[tuple[Entry, str]] = attrs.field(factory=list)
    """Scenarios hidden by --exclude, each with the content note that hid it."""
    broken: list[Entry] = attrs.field(factory=list)
    skipped: list[Skipped] = attrs.field(factory=list)
    start: Entry | None = None
    """The scenario named on the command line (then the list is not shown)."""
    settings: Settings = attrs.field(factory=Settings)
    exclude: list[str] = attrs.field(factory=list)
    export_dir: Path | None = None
    log_dir: Path | None = None
    """Where logs are kept (the game's data folder unless a test says otherwise)."""
    resume: str | None = None
    """`--resume`: "latest", or a log file's path."""
    clock: Callable[[], float] = time.monotonic
    """The timer's clock (a test passes its own, so a countdown runs out without waiting)."""
    phones: PhoneLinkMaker | None = None
    room: Room | None = None

    @property
    def export_folder(self) -> Path:
        return self.export_dir or Path(".")


def workshop_context_of(app: App) -> WorkshopContext:
    """The workshop's context, for code that Textual builds itself (the palette's providers)."""
    context = getattr(app, "context", None)
    if not isinstance(context, WorkshopContext):
        raise RuntimeError("this app has no workshop context")
    return context
