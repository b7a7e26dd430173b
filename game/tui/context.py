"""What every screen of the game shares, in one typed object handed down from the app.

Screens are given the context when they are made ("attributes down"); they
never reach into the app for loose attributes. The command palette, which
Textual builds itself, asks for it with `context_of(app)`.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from game.home import Home
from game.library import Entry, Skipped


class GameContext:
    """The scenarios on offer, the player's folder (saves, endings found, settings), and how the game runs.

    Made before the first frame, so a plain class (see "Speed" in docs/architecture.md).
    """

    __slots__ = ("entries", "home", "skipped", "watch")

    def __init__(self, entries: list[Entry], home: Home, skipped: list[Skipped] | None = None,
                 watch: Path | None = None):
        self.entries = entries
        self.home = home
        self.skipped = skipped if skipped is not None else []
        self.watch = watch
        """The scenario file named with `--watch`: reloaded whenever it is saved."""

    @property
    def reveal(self) -> bool:
        """Author mode: the hidden meters are shown while playing."""
        return self.home.settings.reveal

    def watch_path_for(self, entry: Entry) -> Path | None:
        """The file to watch for this entry: only the one named on the command line with --watch."""
        if self.watch is not None and entry.path == self.watch:
            return entry.path
        return None


def context_of(app: App) -> GameContext:
    """The game's context, for code that Textual builds itself (the palette's providers)."""
    context = getattr(app, "context", None)
    if not isinstance(context, GameContext):
        raise RuntimeError("this app has no game context")
    return context
