"""The `second-chance` entry point (and `python -m game`): the command line, with the full screen plugged in.

The command line sits below the full-screen game in the layers (it must run
where no terminal UI can, and stay quick), so it never imports Textual's side
itself. This module, at the very top, hands it the full-screen front ends as
plain functions; each is imported only when its command runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from game.cli import main as cli_main
from game.cli.options import FullScreen, PlayOptions

if TYPE_CHECKING:
    from game.cli.sharing import ServeOptions, WorkshopOptions


def _play(options: PlayOptions) -> int:
    from game.tui.launch import launch

    return launch(options)


def _serve(options: ServeOptions) -> int:
    try:
        from game.tui.serve import serve
    except ImportError as problem:  # an install from before serving needed textual-serve
        print(f"second-chance serve: {problem}. Install the game again (`pip install .`) to get textual-serve.",
              file=sys.stderr)
        return 1
    return serve(options)


def _workshop(options: WorkshopOptions) -> int:
    from game.tui.workshop.launch import launch

    return launch(options)


FULL_SCREEN = FullScreen(play=_play, workshop=_workshop, serve=_serve)
"""The commands that need the full-screen game: each takes its command's options, returns the exit code."""


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, full_screen=FULL_SCREEN)


if __name__ == "__main__":
    sys.exit(main())
