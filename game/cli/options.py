"""What a command asks its front end to do, read from the command line once and typed.

The command line checks its arguments, finds the story a user named, and
hands the front end it starts one frozen object: the full-screen game
(`PlayOptions`, here), the workshop's console and `serve` (`WorkshopOptions`
and `ServeOptions`, in `game.cli.sharing`). A front end reads typed fields,
never an argparse namespace, so a test or a benchmark builds exactly what the
command line builds. The entry point plugs the full-screen front ends in as
`FullScreen`.

Building the parser imports this module, and the full-screen game starts
from it, so it holds only what starting the game needs: the options are
named tuples, which cost little to define, and those of the commands that
share the game with others (the workshop's nineteen fields among them, with
the turn orders and tie rules they default to) are defined in a module of
their own, which only those commands load (see "Speed" in
docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from game.cli.sharing import ServeOptions, WorkshopOptions
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


class FullScreen(NamedTuple):
    """The full-screen front ends, plugged in by the entry point; None where this install has none."""

    play: Callable[[PlayOptions], int] | None = None
    workshop: Callable[[WorkshopOptions], int] | None = None
    serve: Callable[[ServeOptions], int] | None = None
