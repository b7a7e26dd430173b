"""What every workshop screen shares, in typed objects handed down from the app.

`Settings` is what the command line asked for (the setup screen changes it
before play), `Room` a workshop being run (the Workshop and the log it is
saved to after every decision), and `WorkshopContext` both, with the
scenarios on offer and the link to the workshop's server (the room display
and the phones). Screens are given the context when they are made; the
command palette, which Textual builds itself, asks for it with
`workshop_context_of(app)`.

Whether the console is private is decided here, once (`private`): when the
facilitator has said how the projector is set up (the room display's box,
F4: "the projector shows the room display" or "the projector shows this
console"), as they said; otherwise while a room display is open on this
laptop itself (the facilitator opened it with F4 and put it on the
projector). A room display elsewhere never makes it private by itself: its
key can be read off a screen, and a stranger's page must not turn the
facilitator notes, the next scene and the counts on, on a console the room
may be watching. When it is not private, the console assumes the projector
mirrors it and keeps them hidden until the facilitator shows them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import attrs
from textual.app import App

from game.library import Entry, Skipped
from game.model import Scenario
from game.workshop import log as logs
from game.workshop.names import FACILITATOR, TURNS
from game.workshop.room import GROUND_RULES, Workshop


class ServerLink(Protocol):
    """What the console needs from the workshop's server (game.web's WorkshopServer fits): where the room
    display and the phones are, how many of each are there, and what the room sees before Begin.

    Phone ballots never pass through the console: they go to Workshop.ballot,
    which tells its observers, so the tally on screen already counts them.
    """

    phones_on: bool
    running: bool

    @property
    def url(self) -> str: ...

    @property
    def address(self) -> str: ...

    @property
    def room_url(self) -> str: ...

    @property
    def code(self) -> str: ...

    @property
    def phones(self) -> int: ...

    @property
    def displays(self) -> int: ...

    @property
    def displays_here(self) -> int: ...

    @property
    def room_urls(self) -> list[str]: ...

    @property
    def pages(self) -> int: ...

    @property
    def warning(self) -> str: ...

    @property
    def limit_note(self) -> str: ...

    @property
    def moved_note(self) -> str: ...

    def qr_lines(self, invert: bool = False) -> list[str]: ...

    def observe(self, callback: Callable[[None], None]) -> Callable[[], None]: ...

    def show_lobby(self, scenario: Scenario | None, rules: str = ...) -> None: ...

    def attach(self, workshop: Workshop) -> None: ...

    def reuse(self, earlier: dict) -> None: ...

    @property
    def rejoin(self) -> dict: ...

    async def start(self) -> None: ...

    async def stop(self, paused: bool = False) -> None: ...


ROOM_DISPLAY, CONSOLE = "room display", "console"
"""What the projector shows, as the facilitator says it (WorkshopContext.projector)."""

ServerMaker = Callable[[], ServerLink]
"""Builds the workshop's server when the console opens (it shows the lobby until a workshop begins)."""


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
    """A workshop being run: the Workshop and its log (saved after every decision)."""

    workshop: Workshop
    store: logs.LogStore
    save_problem_told: bool = False

    def save(self) -> str | None:
        """Write the log; a sentence the first time a save fails (later failures stay quiet), else None."""
        return self.told(self.write())

    async def save_aside(self) -> str | None:
        """`save`, with the file written on a worker thread: a slow disk never holds up the room's votes."""
        try:
            await asyncio.to_thread(self.store.write, self.store.snapshot())
        except OSError as problem:
            return self.told(str(problem.strerror or problem))
        return None

    def told(self, problem: str | None) -> str | None:
        if problem is None or self.save_problem_told:
            return None
        self.save_problem_told = True
        return (f"The workshop could not be saved as {self.store.path.name} ({problem}). "
                "Play goes on; the handouts can still be written with E.")

    def write(self) -> str | None:
        """Write the log now; None when it was written, else what the system said."""
        try:
            self.store.save()
        except OSError as problem:
            return str(problem.strerror or problem)
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
    server: ServerMaker | None = None
    """Makes the workshop's server (the room display, and the phones with --vote); None runs without one."""
    link: ServerLink | None = None
    """The workshop's server once it is running."""
    room: Room | None = None
    panel: bool | None = None
    """The facilitator's choice to show (True) or hide (False) the phones' panel; None: by the window's size."""
    projector: str = ""
    """What the facilitator said the projector shows: ROOM_DISPLAY (this console is private), CONSOLE (it
    mirrors this console), or "" (not said: private while a room display is open on this laptop)."""

    @property
    def export_folder(self) -> Path:
        return self.export_dir or Path(".")

    @property
    def phones(self) -> ServerLink | None:
        """The server, when phones vote through it."""
        link = self.link
        return link if link is not None and link.running and link.phones_on else None

    @property
    def private(self) -> bool:
        """The console is not what the room sees: the facilitator said the projector shows the room display,
        or (unsaid) a room display is open on this laptop. Never because of a display elsewhere alone."""
        if self.projector:
            return self.projector == ROOM_DISPLAY
        link = self.link
        return link is not None and link.running and link.displays_here > 0


def workshop_context_of(app: App) -> WorkshopContext:
    """The workshop's context, for code that Textual builds itself (the palette's providers)."""
    context = getattr(app, "context", None)
    if not isinstance(context, WorkshopContext):
        raise RuntimeError("this app has no workshop context")
    return context
