"""From the command line to the running app: offer the scenarios, then hand over to Textual.

`second-chance` (no command) opens the picker; `second-chance play NAME` goes
straight to that scenario's content notes. The command line (game/cli/play.py)
has already found the named file and refused what cannot start, on stderr
like every other command; this only builds the app from its `PlayOptions`.
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from game.cli.options import PlayOptions

if TYPE_CHECKING:
    from game.tui.app import SecondChanceApp


def launch(options: PlayOptions) -> int:
    """Run the full-screen game for `second-chance play` (the command line has checked its options)."""
    try:
        app = build_app(options)
        result = app.run()
    finally:
        gc.enable()
    from game.tui.crash import exit_status

    status, message = exit_status(app, result)
    if message:
        print(message, file=sys.stderr)
    return status


def build_app(options: PlayOptions) -> SecondChanceApp:
    """The app for these options.

    Start-up builds many long-lived objects (Textual's classes and styles, the
    game's modules, the list of scenarios) and no garbage worth collecting, so
    the cyclic collector is paused from here, imports included, until the
    first screen is drawn; the app then freezes what start-up built and turns
    collection back on.
    """
    gc.disable()
    from game import library
    from game.tui.app import SecondChanceApp  # here: after collection is paused

    story = options.story
    entries, cache, skipped = library.offer(builtin=True, folders=list(options.folders),
                                            files=[story] if story else [])
    start = None
    if story is not None:
        wanted = library.same_file(story)
        start = next((e for e in entries if library.same_file(e.path) == wanted), None)
    return SecondChanceApp(entries, start=start, reveal=options.reveal, watch=options.watch, skipped=skipped,
                           test_session=options.test_session, cache=cache)
