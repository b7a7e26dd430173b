"""When the game itself fails: keep the details in a file, exit with status 70, and say one true sentence.

Every command goes through here (`game.cli.main` catches what a command did
not), from its first line to its last, and so does the full-screen game
(`game/tui/crash.py` hooks Textual's handler). The player needs three things:
the terminal back, an exit status that scripts can see (never 0), and one
sentence saying where the details are, so a bug report can include them.

The details are the traceback alone: never the values of local variables,
which would put a play's hidden meters (or a room's votes) on the screen.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from typing import TextIO

from game import paths
from game.safetext import printable, quote
from game.storage import write_atomic

CRASH_STATUS = 70
"""The exit status after an internal error (EX_SOFTWARE in sysexits.h)."""


def write_log(error: BaseException, folder: Path | None = None) -> Path | None:
    """The traceback written to `crashes/` in the data folder; None if even that cannot be written."""
    try:
        folder = folder or paths.data_dir() / "crashes"
        path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{id(error) % 10_000:04d}.log"
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        write_atomic(path, printable(details))
    except Exception:  # noqa: BLE001 - the report of a failure must not fail in its turn
        return None
    return path


def sentence(log: Path | None, error: BaseException | None = None, saved: str | None = None) -> str:
    """What the player reads: that the game stopped, where the details are, and what was saved if anything.

    `saved` is said only when the caller knows it is true ("Your play was
    saved after choice 3."); without it, nothing is claimed.
    """
    if log is not None:
        detail = f" The details are in {log}."
    else:
        what = f" ({type(error).__name__}: {quote(error)})" if error is not None else ""
        detail = f" The details could not be written to a file{what}."
    return "Second Chance stopped because of an error in the game." + detail + (f" {saved}" if saved else "")


class Crashed(Exception):
    """A failure a front end caught on its way out, to say what it had saved; the failure is its cause.

    The plain player raises it with its session's own sentence
    (`Session.saved_note`), as the full-screen game keeps it at a crash, so a
    player in either hears "Your play was saved after choice 3." when it was.
    """

    def __init__(self, saved: str | None):
        super().__init__(saved or "nothing was saved")
        self.saved = saved


def report(error: BaseException, out: TextIO | None = None) -> int:
    """Log a failure that reached the command line, say so on stderr (and what was saved, when a front end
    said), and return the exit status."""
    saved = None
    if isinstance(error, Crashed) and error.__cause__ is not None:
        saved, error = error.saved, error.__cause__
    print(printable(sentence(write_log(error), error, saved)), file=out or sys.stderr)
    return CRASH_STATUS
