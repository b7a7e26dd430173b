"""What a command asks its front end to do, read from the command line once and typed.

The command line checks its arguments, finds the story a user named, and
hands the front end it starts one frozen object: the full-screen game
(`PlayOptions`), the workshop's console (`WorkshopOptions`), `serve`
(`ServeOptions`). A front end reads typed fields, never an argparse
namespace, so a test or a benchmark builds exactly what the command line
builds. The entry point plugs the full-screen front ends in as `FullScreen`.

Building the parser imports this module, and the full-screen game starts
from it, so it imports nothing heavy: the turn orders and tie rules come
from `game.workshop.names`, and the options are named tuples, which cost
next to nothing to define (see "Speed" in docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from game.workshop.names import FACILITATOR, TURNS

if TYPE_CHECKING:
    from game.session import Session


class PlayOptions(NamedTuple):
    """`second-chance play` in full screen (and `second-chance` alone)."""

    story: Path | None = None
    """The story file to open at once (its content notes first), found from the name given; None: the list."""
    folders: tuple[Path, ...] = ()
    """Folders given with --scenarios, offered beside the built-in stories."""
    reveal: bool = False
    """Author mode: the hidden meters shown while playing."""
    watch: bool = False
    """Read `story` again whenever it is saved, replaying the choices so far."""
    test_session: Session | None = None
    """A test play from a chosen scene (--from, --set), already started; None for a play of the whole story."""


class WorkshopOptions(NamedTuple):
    """`second-chance workshop`: the console, its settings, and its server."""

    story: Path | None = None
    """The story file to run, found from the name given; None: the facilitator picks one on screen."""
    folders: tuple[Path, ...] = ()
    exclude: str = ""
    """Content notes whose stories are hidden (--exclude), as typed."""
    teams: tuple[str, ...] = ()
    """Team labels, already made safe (`game.workshop.teams.team_names`); none is one room."""
    turns: str = TURNS
    tie: str = FACILITATOR
    seed: int | None = None
    discussion: int = 0
    """Seconds of discussion before each vote (0: no timer)."""
    voting: int = 0
    """Seconds of voting (0: no timer)."""
    bell: bool = False
    rules: str | None = None
    """Ground rules read from --rules, made printable; None: the game's own."""
    export: Path | None = None
    """Where handouts are written."""
    resume: str | None = None
    """"latest", or a log file to pick up; None starts afresh."""
    lan: bool = False
    host: str | None = None
    port: int = 0
    vote: bool = False
    """Phones vote (--vote, or implied by --lan and --host)."""


class ServeOptions(NamedTuple):
    """`second-chance serve`: the game in a browser, one game per tab."""

    host: str
    port: int
    max_tabs: int
    folders: tuple[Path, ...] = ()
    allow_hosts: tuple[str, ...] = ()
    """Other names browsers may use to reach this machine (--allow-host)."""


class FullScreen(NamedTuple):
    """The full-screen front ends, plugged in by the entry point; None where this install has none."""

    play: Callable[[PlayOptions], int] | None = None
    workshop: Callable[[WorkshopOptions], int] | None = None
    serve: Callable[[ServeOptions], int] | None = None
