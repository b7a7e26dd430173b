"""One browser tab's game: a process of its own, in a folder of its own, that always ends.

textual-serve's `AppService` starts a game process and relays bytes between it
and a websocket. A room full of browsers (and anyone else who can reach the
server) needs more than the relay, so `TabGame` adds four promises:

- **every wait is bounded.** Output the browser does not take within
  `SEND_TIMEOUT` seconds means the browser is gone: the tab stops sending to
  it (and goes on reading the game's output, so the game is never stuck
  writing and can quit cleanly). Input the game does not take within
  `STDIN_TIMEOUT` is dropped.
- **a stopped tab's game has exited.** `stop()` waits for a game still
  starting to begin drawing (the game itself holds a quit back until its
  first screen is up: tearing screens down mid-build would be a crash, not a
  quit), asks it to quit (it saves first), then ends its process group with
  SIGTERM and SIGKILL if it has not, and returns only when the process is
  gone. The server frees the tab's slot after that, never before.
- **what a browser sends is checked.** `read_message` accepts only the five
  messages textual.js sends, with the types it sends them in; a terminal
  size is clamped to `MAX_COLUMNS` x `MAX_ROWS` whether it comes in the
  address or in a `resize` message.
- **the game is this Python and this copy of the game**, started without a
  shell, in its own saves folder and its own session.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import secrets
import signal
import site
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from textual_serve.app_service import AppService

import game
from game import paths
from game.storage import parse_json

MIN_COLUMNS, MIN_ROWS = 10, 5
MAX_COLUMNS, MAX_ROWS = 500, 300
"""A tab's terminal size, from the address or a `resize` message, is clamped to these: every cell costs the
game memory, and 500 x 300 is more than any screen shows."""
SEND_TIMEOUT = 10.0
"""Seconds a browser may take to accept the game's output before the tab counts it as gone."""
STDIN_TIMEOUT = 5.0
"""Seconds the game may take to accept what the browser sent before it is dropped."""
START_TIMEOUT = 10.0
"""Seconds a game still starting is given to draw its first screen before it is asked to quit."""
QUIT_TIMEOUT = 5.0
"""Seconds a game asked to quit is given before its process is ended."""
MAX_PENDING = 1024 * 1024
"""Bytes of input waiting for a game that is not reading: beyond this, more input is dropped."""


def clamp_size(width: int, height: int) -> tuple[int, int]:
    """A terminal size a game may be given."""
    return max(MIN_COLUMNS, min(MAX_COLUMNS, width)), max(MIN_ROWS, min(MAX_ROWS, height))


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return None


def read_message(text: str) -> tuple[str, object] | None:
    """A browser's message as (kind, value), or None for anything textual.js does not send.

    `["stdin", text]`, `["resize", {"width": W, "height": H}]` (the size
    clamped), `["ping", text]`, `["focus"]` and `["blur"]`.
    """
    try:
        envelope = parse_json(text, "the message")
    except ValueError:
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    kind, value = envelope[0], (envelope[1] if len(envelope) > 1 else None)
    if kind == "stdin" and isinstance(value, str):
        return kind, value
    if kind == "resize" and isinstance(value, dict):
        width, height = _whole(value.get("width")), _whole(value.get("height"))
        if width is None or height is None:
            return None
        return kind, clamp_size(width, height)
    if kind == "ping" and isinstance(value, str) and len(value) <= 64:
        return kind, value
    if kind in ("focus", "blur"):
        return kind, None
    return None


def game_command(scenarios: Sequence[Path]) -> list[str]:
    """The command each tab runs: this Python and this copy of the game, at the picker."""
    command = [sys.executable, "-m", "game", "play"]
    for folder in scenarios:
        command += ["--scenarios", str(Path(folder).resolve())]
    return command


def game_pythonpath() -> str | None:
    """PYTHONPATH for a tab's game when this copy of `game` is not installed (a checkout), else None.

    Each tab's game starts in its own saves folder, where `python -m game`
    would otherwise find whichever copy is installed rather than this one.
    """
    root = Path(game.__file__).resolve().parent.parent
    installed = [*site.getsitepackages(), site.getusersitepackages()]
    if any(Path(p).resolve() == root for p in installed if p):
        return None
    return os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))


def new_tab_home(root: Path) -> Path:
    """A fresh, empty folder under `root` for one tab's saves."""
    while True:
        home = root / secrets.token_hex(6)
        try:
            home.mkdir(parents=True)
            return home
        except FileExistsError:
            continue


class TabGame(AppService):
    """One browser tab's game process, with a saves folder of its own; see the module's promises."""

    send_timeout = SEND_TIMEOUT
    stdin_timeout = STDIN_TIMEOUT
    start_timeout = START_TIMEOUT
    quit_timeout = QUIT_TIMEOUT
    term_timeout = 2.0
    """Seconds a game sent SIGTERM is given before SIGKILL."""

    def __init__(self, command: list[str], home: Path, *, write_bytes: Callable[[bytes], Awaitable[None]],
                 write_str: Callable[[str], Awaitable[None]], close: Callable[[], Awaitable[None]],
                 abandon: Callable[[], None] = lambda: None, **kwargs) -> None:
        super().__init__(" ".join(command), write_bytes=self._bounded(write_bytes),
                         write_str=self._bounded(write_str), close=self._bounded(close), **kwargs)
        self.argv = command
        self.home = home
        self.abandon = abandon
        """Drops the browser's connection (a browser that stopped reading cannot be sent a goodbye)."""
        self.browser_gone = False
        self.drawn = asyncio.Event()
        """Set when the game has begun drawing: it is running, and a quit now waits for its first screen."""
        self._stopping: asyncio.Task[None] | None = None

    # -- towards the browser --------------------------------------------------------

    def _bounded(self, send: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        async def bounded(*args: object) -> None:
            if self.browser_gone:
                return
            try:
                await asyncio.wait_for(send(*args), self.send_timeout)
            except (asyncio.TimeoutError, ConnectionError, RuntimeError, OSError):
                self.leave_browser()
        return bounded

    def leave_browser(self) -> None:
        """The browser stopped taking output or went away: stop sending, drop its connection."""
        if not self.browser_gone:
            self.browser_gone = True
            self.abandon()

    async def on_data(self, payload: bytes) -> None:
        self.drawn.set()
        await super().on_data(payload)

    # -- towards the game --------------------------------------------------------------

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment["SECOND_CHANCE_HOME"] = str(self.home)
        environment["SECOND_CHANCE_CACHE"] = str(paths.cache_dir())  # checked stories are shared by every tab
        pythonpath = game_pythonpath()
        if pythonpath:
            environment["PYTHONPATH"] = pythonpath
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        # The arguments go to the game as a list (no shell, no quoting); the game
        # starts in its own folder and its own session, so a Ctrl+C meant for the
        # server reaches the server, which then ends each game in its turn.
        self.home.mkdir(parents=True, exist_ok=True)
        process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(*clamp_size(width, height)),
            cwd=str(self.home),
            start_new_session=os.name == "posix",
        )
        self._process = process
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def _to_game(self, packet: bytes) -> bool:
        stdin = self._stdin
        if stdin is None or stdin.is_closing() or stdin.transport.get_write_buffer_size() > MAX_PENDING:
            return False
        try:
            stdin.write(packet)
            await asyncio.wait_for(stdin.drain(), self.stdin_timeout)
        except (asyncio.TimeoutError, ConnectionError, RuntimeError, OSError):
            return False
        return True

    async def send_bytes(self, data: bytes) -> bool:
        return await self._to_game(self.encode_packet(b"D", data))

    async def send_meta(self, data: dict[str, str | None | int | bool]) -> bool:
        return await self._to_game(self.encode_packet(b"M", json.dumps(data).encode("utf-8")))

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamp_size(width, height))

    # -- the end -----------------------------------------------------------------------

    @property
    def exit_code(self) -> int | None:
        return None if self._process is None else self._process.returncode

    async def stop(self) -> None:
        """End the game; returns once its process has exited (however many callers wait on it)."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        process = self._process
        if process is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if process.returncode is None and not self.drawn.is_set():
            await _first(self.start_timeout, self.drawn.wait(), process.wait())
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
            await _first(self.quit_timeout, process.wait())
        for signum, wait in ((signal.SIGTERM, self.term_timeout), (getattr(signal, "SIGKILL", signal.SIGTERM), None)):
            if process.returncode is not None:
                break
            self._signal(process, signum)
            await (_first(wait, process.wait()) if wait else process.wait())
        # Its output ends with it: the relay finishes, then the pipes are closed here,
        # while the server's loop runs (the garbage collector would find it closed).
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 2.0)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                pass
            self._task = None
        if self._stdin is not None:
            self._stdin.close()

    @staticmethod
    def _signal(process: asyncio.subprocess.Process, signum: int) -> None:
        try:
            if os.name == "posix":
                os.killpg(process.pid, signum)  # the game leads its own session: its whole group
            else:  # pragma: no cover - Windows
                process.kill()
        except (ProcessLookupError, PermissionError):
            pass


async def _first(timeout: float, *waits: Awaitable[object]) -> None:
    """Wait until the first of `waits` is done, or `timeout` seconds; cancel the rest."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
