"""When the full-screen game itself fails: the details in a file, never on the screen.

Textual ends the app on an unhandled exception and prints a traceback with
the values of local variables: a play's hidden meters, on a projector. Here
the traceback goes to the crash log only (`game.crash`), and after the app
ends the player reads one sentence: where the log is, and what was saved, if
the app can say so truthfully (`saved_note`).
"""

from __future__ import annotations

from pathlib import Path

from game.crash import CRASH_STATUS, sentence, write_log

__all__ = ["CRASH_STATUS", "CrashLog", "exit_status", "write_log"]


class CrashLog:
    """Mixed into an App: an unhandled exception is logged to a file, and the screen shows no traceback."""

    crash_log: Path | None = None
    crashed: bool = False
    crash_error: BaseException | None = None
    crash_saved: str | None = None
    """What was saved, as the app said it when it failed (its screens are gone by the time it has ended)."""

    def _handle_exception(self, error: Exception) -> None:
        if not self.crashed:
            self.crashed = True
            self.crash_error = error
            self.crash_log = write_log(error)
            try:
                self.crash_saved = self.saved_note()
            except Exception:  # noqa: BLE001 - a failing app may be half torn down: then nothing is claimed
                self.crash_saved = None
        super()._handle_exception(error)  # type: ignore[misc]

    def _fatal_error(self) -> None:
        """Textual would print a traceback with every local variable here; the log already has the details."""
        self.bell()  # type: ignore[attr-defined]
        self._close_messages_no_wait()  # type: ignore[attr-defined]

    def saved_note(self) -> str | None:
        """What was saved, when the app knows (the game says after which choice); None claims nothing."""
        return None


def exit_status(app: object, result: object) -> tuple[int, str | None]:
    """The exit status for a finished app, and the sentence to print when it crashed."""
    if getattr(app, "crashed", False):
        saved = getattr(app, "crash_saved", None)
        return CRASH_STATUS, sentence(getattr(app, "crash_log", None), getattr(app, "crash_error", None), saved)
    code = getattr(app, "return_code", None)
    if isinstance(code, int) and code != 0:
        return code, None
    return (result if isinstance(result, int) else 0), None
