"""The game in a browser: textual-serve runs one game process per browser tab.

textual-serve (and aiohttp under it) serves a page with a terminal drawn by
xterm.js; every tab that opens it gets a websocket and a game process of its
own. This module adapts it for a facilitator's room:

- it binds 127.0.0.1 unless told otherwise, and says plainly when it does not;
- the page is our own template (`web/app_index.html`): the font comes from
  textual-serve's own static files, a Content-Security-Policy keeps every
  request on this server, and the page finds its assets and websocket at the
  address the browser itself used, so it works the same through any address
  the machine answers on;
- each tab's game gets a fresh saves folder, `<data dir>/browser/<id>/`, so two
  tabs never write the same save;
- the websocket answers only pages served from this server (no other site the
  player has open can start a game), and on loopback only under a loopback name;
- Ctrl+C stops the server and every tab's game, without a traceback.

textual-serve imports Rich, so this lives in the TUI package; the `serve`
command in `game.cli.serve` imports it only when it runs.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import secrets
import signal
import site
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server

import game
from game import paths
from game.cli.serve import MAX_TABS

log = logging.getLogger("second-chance.serve")

TEMPLATES = Path(__file__).resolve().parent / "web"
WILDCARDS = frozenset({"", "*", "0.0.0.0", "::"})
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
PROBE = ("10.254.254.254", 9)
"""A private address to `connect` a UDP socket to: that sends nothing, it only
asks the kernel which of this machine's addresses would be the source."""

CSP = ("default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
       "font-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")
"""Everything the page loads comes from this server; nothing from anywhere else."""


# -- addresses ---------------------------------------------------------------

def is_wildcard(host: str) -> bool:
    return host.strip("[]") in WILDCARDS


def is_loopback(host: str) -> bool:
    """True when `host` names only this machine (127.0.0.0/8, ::1, localhost)."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    if is_wildcard(name):
        return False
    try:
        found = {info[4][0] for info in socket.getaddrinfo(name, None)}
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)


def exposure_warning(host: str) -> str | None:
    """The one-line warning for a host other people can reach, or None on loopback."""
    if is_loopback(host):
        return None
    where = "every network address of this machine" if is_wildcard(host) else host
    return (f"second-chance serve: warning: listening on {where}: anyone who can reach it can play, "
            "and the connection is not encrypted.")


def lan_address(probe: tuple[str, int] = PROBE) -> str | None:
    """This machine's address on its local network, found without sending anything; None if there is none.

    A UDP socket that is `connect`ed only picks a route and a source address;
    no packet leaves until something is sent, and nothing is.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe_socket:
            probe_socket.connect(probe)
            address = probe_socket.getsockname()[0]
    except OSError:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.is_unspecified or ip.is_loopback:
        return None
    return address


def url_for(host: str, port: int) -> str:
    name = host.strip("[]")
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}/"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket for host and port (0 picks a free port); OSError says why not."""
    name = host.strip("[]")
    if name in ("", "*"):
        name = "0.0.0.0"
    infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    problem: OSError | None = None
    for family, kind, proto, _canon, address in infos:
        listener = socket.socket(family, kind, proto)
        try:
            if os.name == "posix":
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(address)
            listener.listen(64)
            listener.setblocking(False)
            return listener
        except OSError as error:
            listener.close()
            problem = error
    raise problem or OSError(f"no address found for {host}")


# -- one game per tab --------------------------------------------------------

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


class TabGame(AppService):
    """One browser tab's game process, with a saves folder of its own."""

    def __init__(self, command: list[str], home: Path, **kwargs) -> None:
        super().__init__(" ".join(command), **kwargs)
        self.argv = command
        self.home = home

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
            env=self._build_environment(width=width, height=height),
            cwd=str(self.home),
            start_new_session=os.name == "posix",
        )
        self._process = process
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self, timeout: float = 5.0) -> None:
        """Ask the game to quit (it saves first); if it has not within `timeout` seconds, end it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            await asyncio.wait_for(super().stop(), timeout)
        except asyncio.TimeoutError:
            self._task = None
        process = self._process
        if process is not None and process.returncode is None:
            try:  # its output has ended; let it finish exiting
                await asyncio.wait_for(process.wait(), max(0.5, deadline - loop.time()))
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
        # Its pipes are closed here, while the server's loop runs, not later by
        # the garbage collector (which, after Ctrl+C, would find the loop closed).
        if self._stdin is not None:
            self._stdin.close()
        for stream in (process.stdout, process.stderr) if process is not None else ():
            if stream is not None and not stream.at_eof():
                try:
                    await asyncio.wait_for(stream.read(), 1.0)
                except (asyncio.TimeoutError, OSError, RuntimeError, ValueError):
                    pass


def new_tab_home(root: Path) -> Path:
    """A fresh, empty folder under `root` for one tab's saves."""
    while True:
        home = root / secrets.token_hex(6)
        try:
            home.mkdir(parents=True)
            return home
        except FileExistsError:
            continue


# -- the server --------------------------------------------------------------

class GameServer(Server):
    """textual-serve's server, serving Second Chance to each browser tab."""

    def __init__(self, host: str = "127.0.0.1", port: int = 8000, scenarios: Sequence[Path] = (),
                 home: Path | None = None, out=None, max_tabs: int = MAX_TABS) -> None:
        super().__init__("second-chance", host=host, port=port, title="Second Chance",
                         templates_path=TEMPLATES)
        self.command_args = game_command(scenarios)
        self.tabs_root = (home if home is not None else paths.data_dir()) / "browser"
        self.loopback = is_loopback(host)
        self.tabs: set[tuple[TabGame, web.WebSocketResponse]] = set()
        self.max_tabs = max(1, max_tabs)
        self.in_use = 0
        """Tabs holding a game or starting one; a slot is taken before the first await, so none is given twice."""
        self.stopping: asyncio.Task | None = None
        self.out = out if out is not None else sys.stdout

    # The page ------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.Response:
        if not self.host_allowed(request):
            raise web.HTTPForbidden(text="Open the address the server printed.")
        nonce = secrets.token_urlsafe(16)
        context = {
            "nonce": nonce,
            "title": self.title,
            "font_size": max(8, min(48, _to_int(request.query.get("fontsize", ""), 16))),
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Content-Security-Policy"] = CSP.format(nonce=nonce)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    def host_allowed(self, request: web.Request) -> bool:
        """On loopback, only a loopback name in the Host header (no page elsewhere can rebind a name to us)."""
        if not self.loopback:
            return True
        host = request.url.host or ""
        return host.strip("[]").lower() in LOOPBACK_NAMES or _is_ip_loopback(host)

    def origin_allowed(self, request: web.Request) -> bool:
        """A websocket from a page this server served, or from something that is not a browser at all."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        return urlsplit(origin).netloc.lower() == request.host.lower()

    # One game per tab --------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not (self.host_allowed(request) and self.origin_allowed(request)):
            raise web.HTTPForbidden(text="This game only answers its own page.")
        if self.stopping is not None:
            raise web.HTTPServiceUnavailable(text="The game server is stopping.")
        if self.in_use >= self.max_tabs:
            log.warning("a tab was turned away: all %d games are in use (--max-tabs)", self.max_tabs)
            raise web.HTTPServiceUnavailable(
                text=f"All {self.max_tabs} games this server offers are in use. Close another tab, or ask "
                     "whoever runs the server to start it with a larger --max-tabs.")
        self.in_use += 1
        websocket = web.WebSocketResponse(heartbeat=15)
        width = max(10, min(500, _to_int(request.query.get("width", ""), 80)))
        height = max(5, min(300, _to_int(request.query.get("height", ""), 24)))
        tab: TabGame | None = None
        try:
            await websocket.prepare(request)
            tab = TabGame(
                self.command_args,
                new_tab_home(self.tabs_root),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            self.tabs.add((tab, websocket))
            await tab.start(width, height)
            log.info("a browser tab started a game; its saves go to %s", tab.home)
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one tab's trouble must not stop the others
            log.error("a tab's game stopped: %s", error)
        finally:
            self.in_use -= 1
            if tab is not None:
                self.tabs.discard((tab, websocket))
                await tab.stop()
                _remove_if_empty(tab.home)
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        pass

    async def on_shutdown(self, app: web.Application) -> None:
        await self.end_tabs()

    async def end_tabs(self) -> None:
        """End every tab's game (each saves as it quits) and close its page's connection."""
        tabs = list(self.tabs)
        await asyncio.gather(*(tab.stop() for tab, _ws in tabs), return_exceptions=True)
        await asyncio.gather(*(ws.close() for _tab, ws in tabs), return_exceptions=True)

    def request_exit(self) -> None:
        """Ctrl+C or SIGTERM: end the games first, then the server; a second Ctrl+C stops at once."""
        if self.stopping is not None:
            raise GracefulExit()
        self.stopping = asyncio.get_running_loop().create_task(self._end_then_exit())

    async def _end_then_exit(self) -> None:
        try:
            await self.end_tabs()
        finally:
            asyncio.get_running_loop().call_soon(_exit)

    # Running -----------------------------------------------------------------

    def run(self) -> int:
        """Serve until Ctrl+C (or SIGTERM); returns the exit code."""
        warning = exposure_warning(self.host)
        if warning:
            print(warning, file=sys.stderr, flush=True)
        try:
            listener = bind(self.host, self.port)
        except OSError as error:
            reason = error.strerror or str(error)
            print(f"second-chance serve: cannot listen on {self.host} port {self.port}: {reason}",
                  file=sys.stderr)
            return 1
        port = listener.getsockname()[1]
        self.port = port
        self.public_url = self.address_to_open(port)
        self.say(f"Second Chance is being served at {self.public_url}")
        if is_wildcard(self.host):
            self.say(f"  on this machine: {url_for('127.0.0.1', port)}")
        self.say(f"Each browser tab plays its own game with its own saves, up to {self.max_tabs} at once "
                 "(--max-tabs). Press Ctrl+C to stop.")
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self.request_exit)
            except (NotImplementedError, RuntimeError, ValueError):
                pass
        try:
            web.run_app(self._make_app(), sock=listener, handle_signals=False, loop=loop, print=None,
                        access_log=None, shutdown_timeout=5)
        except (KeyboardInterrupt, GracefulExit):
            pass
        finally:
            listener.close()
            asyncio.set_event_loop(None)
        self.say("Stopped.")
        return 0

    def address_to_open(self, port: int) -> str:
        """The address to give people: never a wildcard, the LAN address when there is one."""
        if is_wildcard(self.host):
            lan = lan_address()
            return url_for(lan, port) if lan else url_for("127.0.0.1", port)
        return url_for(self.host, port)

    def initialize_logging(self) -> None:
        """Our news (a tab opened, where its saves are) on stdout; textual-serve's troubles on stderr."""
        for name, stream, level in (("second-chance.serve", self.out, logging.INFO),
                                    ("textual-serve", sys.stderr, logging.WARNING)):
            handler = logging.StreamHandler(stream)
            handler.setFormatter(logging.Formatter("second-chance serve: %(message)s"))
            logger = logging.getLogger(name)
            logger.handlers[:] = [handler]
            logger.setLevel(level)
            logger.propagate = False

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)


def _exit() -> None:
    raise GracefulExit()  # out of the event loop, into run_app's orderly clean-up


def _remove_if_empty(home: Path) -> None:
    """A tab closed before it saved anything leaves no folder behind."""
    try:
        home.rmdir()
    except OSError:
        pass


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def _is_ip_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(host: str, port: int, scenarios: Sequence[Path] = (), max_tabs: int = MAX_TABS) -> int:
    """Run the browser server; returns the exit code."""
    return GameServer(host=host, port=port, scenarios=scenarios, max_tabs=max_tabs).run()
