"""Toasts that can carry any text safely: one place decides how a notice is shown.

Notices often hold text the player did not write: a scenario's first error, a
file name, an operating system's message about a folder. Every screen's and
widget's `notify` ends in the app's, so making it safe here covers them all,
including ones added later: markup is never read, and control characters are
shown as escapes instead of reaching the terminal.
"""

from __future__ import annotations

from game.safetext import printable


class PlainNotices:
    """Mixed into an App (before `App`): every notification is plain, printable text."""

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        super().notify(printable(str(message)), title=printable(str(title)),  # type: ignore[misc]
                       severity=severity, timeout=timeout, markup=False)
