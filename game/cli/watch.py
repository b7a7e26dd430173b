"""`play --plain --watch`: the line player reloads the story each time its file is saved.

The full-screen game polls the file; the line player waits on its input, so
it looks when an answer comes: if the file was saved since the last look,
the story is read again and the choices so far replayed (the Session's own
reload, as in the full screen), the player is told what happened, and the
scene is shown again. The answer typed against the old scene is set aside
rather than taken in a scene that may have changed: the player answers again.
A file that no longer loads is reported with its first problems, and play
goes on with the last version that did.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from game.safetext import printable
from game.session import BROKEN, RELOADED, Change, Session


class WatchedInput:
    """The player's input, looking at the story's file before each answer is handed on."""

    def __init__(self, stdin: TextIO, stdout: TextIO, session: Session, path: Path, reveal: bool = False):
        self.stdin = stdin
        self.stdout = stdout
        self.session = session
        self.path = path
        self.reveal = reveal
        self.seen = self._stamp()
        session.observe(self._told)

    def _stamp(self) -> tuple[int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _told(self, change: Change) -> None:
        if change.kind not in (RELOADED, BROKEN):
            return
        self.stdout.write(printable(f"({change.message})") + "\n")
        for problem in change.diagnostics[:3]:
            self.stdout.write("  " + problem.format() + "\n")
        if change.kind == RELOADED:
            from game.plain import render_scene

            self.stdout.write("\n" + printable(render_scene(self.session.play, self.reveal)) + "\n")

    def isatty(self) -> bool:
        return self.stdin.isatty()

    def readline(self) -> str:
        line = self.stdin.readline()
        stamp = self._stamp()
        if not line or stamp == self.seen or stamp is None:
            return line
        self.seen = stamp
        if self.session.reload_file(self.path):
            return "\n"  # answer again, in the scene as it now is
        return line
