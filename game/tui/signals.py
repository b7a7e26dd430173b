"""When the system asks a full-screen app to stop: SIGTERM (a shutdown, `kill`) and SIGHUP (the terminal closed).

Left to their defaults these signals end the process where it stands: the
terminal stays in the alternate screen with mouse reporting on, nothing is
saved, and a workshop's phones see a dropped connection instead of "the
workshop has ended". Here each becomes a request to quit, handled in the
app's own event loop like its own quit key: the app saves, says goodbye, and
exits through Textual, which gives the terminal back as it found it. A
second signal while the first is being handled ends the app at once.

Where the event loop cannot take signal handlers (Windows, or a loop outside
the main thread) nothing is installed, and the system's default stays.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

ENDING = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)
"""The signals that end an app as its quit does."""


def on_signals(callback: Callable[[str], None], signals: tuple[signal.Signals, ...] = ENDING) -> Callable[[], None]:
    """Call `callback(name)` ("SIGTERM", "SIGHUP") in the running loop when one of `signals` comes; returns a
    function that puts the system's handling back."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for number in signals:
        try:
            loop.add_signal_handler(number, callback, signal.Signals(number).name)
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed.append(number)

    def remove() -> None:
        for number in installed:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(number)
        installed.clear()

    return remove
