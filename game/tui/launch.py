"""From the command line to the running app: find the scenarios, then hand over to Textual.

`second-chance` (no command) opens the picker; `second-chance play NAME` goes
straight to that scenario's content notes. Names that match nothing are
reported on stderr before the full screen starts, like every other command.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path


def launch(args: argparse.Namespace) -> int:
    """Run the full-screen game for parsed `play` arguments; returns the exit code."""
    try:
        app = build_app(args)
        if isinstance(app, int):
            return app
        result = app.run()
    finally:
        gc.enable()
    from game.tui.crash import exit_status

    status, message = exit_status(app, result)
    if message:
        print(message, file=sys.stderr)
    return status


def build_app(args: argparse.Namespace):
    """The app for these arguments, or an exit code after a message on stderr.

    Start-up builds many long-lived objects (Textual's classes and styles, the
    game's modules, the list of scenarios) and no garbage worth collecting, so
    the cyclic collector is paused from here, imports included, until the
    first screen is drawn; the app then freezes what start-up built and turns
    collection back on.
    """
    gc.disable()
    app = _build_app(args)
    if isinstance(app, int):
        gc.enable()
    return app


def _build_app(args: argparse.Namespace):
    from game import library
    from game.cli.common import check_folders, find

    name = getattr(args, "scenario", None)
    folders = [Path(f) for f in getattr(args, "scenarios", []) or []]
    watch = bool(getattr(args, "watch", False))
    start_path: Path | None = None
    if not check_folders(args):
        return 2
    if name:
        start_path = find(name, args)
        if start_path is None:
            return 2
    elif watch:
        print("second-chance play --watch: name the scenario file to watch, "
              "e.g. `second-chance play my-story.toml --watch`", file=sys.stderr)
        return 2

    from game.tui.app import SecondChanceApp
    entries, cache, skipped = library.offer(builtin=True, folders=folders, files=[start_path] if start_path else [])
    start = None
    if start_path is not None:
        wanted = library.same_file(start_path)
        start = next((e for e in entries if library.same_file(e.path) == wanted), None)
    return SecondChanceApp(entries, start=start, reveal=bool(getattr(args, "reveal", False)), watch=watch,
                           skipped=skipped, test_session=getattr(args, "test_session", None), cache=cache)
