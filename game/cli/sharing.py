"""What the commands that share the game with others hand their front ends: the workshop's console
(`WorkshopOptions`) and `serve` (`ServeOptions`), read from the command line once and typed.

They sit apart from `game.cli.options` (the full-screen game's own) so that
starting the game, which loads that module, does not define these or load
the turn orders and tie rules the workshop's options default to.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from game.workshop.names import FACILITATOR, TURNS


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
