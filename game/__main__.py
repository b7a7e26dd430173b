"""The `second-chance` entry point (and `python -m game`): the command line, with the full screen plugged in.

The command line sits below the full-screen game in the layers (it must run
where no terminal UI can, and stay quick), so it never imports Textual's side
itself. This module, at the very top, hands it the full-screen front ends as
plain functions; each is imported only when its command runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from game.cli import main as cli_main


def _play(args: argparse.Namespace) -> int:
    from game.tui.launch import launch

    return launch(args)


def _workshop(args: argparse.Namespace) -> int:
    from game.tui.workshop.launch import launch

    return launch(args)


FULL_SCREEN = {"play": _play, "workshop": _workshop}
"""Commands that need the full-screen game, by name: each takes the parsed arguments, returns the exit code."""


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, full_screen=FULL_SCREEN)


if __name__ == "__main__":
    sys.exit(main())
