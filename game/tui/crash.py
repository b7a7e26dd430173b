"""When the full-screen game itself fails: keep the details in a file, and exit with an error status.

Textual ends the app on an unhandled exception. The player then needs three
things: the terminal back, an exit status that scripts can see (never 0), and
one sentence saying where the details are, so a bug report can include them.
"""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from game import paths
from game.safetext import printable
from game.storage import write_atomic

CRASH_STATUS = 70
"""The exit status after an internal error (EX_SOFTWARE in sysexits.h)."""


def write_log(error: BaseException, folder: Path | None = None) -> Path | None:
    """The traceback written to `crashes/` in the data folder; None if even that cannot be written."""
    folder = folder or paths.data_dir() / "crashes"
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{id(error) % 10_000:04d}.log"
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        write_atomic(path, printable(details))
    except OSError:
        return None
    return path


class CrashLog:
    """Mixed into an App: an unhandled exception is written to a log file before Textual ends the app."""

    crash_log: Path | None = None
    crashed: bool = False

    def _handle_exception(self, error: Exception) -> None:
        if not self.crashed:
            self.crashed = True
            self.crash_log = write_log(error)
        super()._handle_exception(error)


def exit_status(app: object, result: object) -> tuple[int, str | None]:
    """The exit status for a finished app, and the sentence to print when it crashed."""
    if getattr(app, "crashed", False):
        where = getattr(app, "crash_log", None)
        detail = f" The details are in {where}." if where else " The details could not be written to a file."
        return CRASH_STATUS, "Second Chance stopped because of an error in the game." + detail + \
            " Your play was saved after your last choice."
    code = getattr(app, "return_code", None)
    if isinstance(code, int) and code != 0:
        return code, None
    return (result if isinstance(result, int) else 0), None
