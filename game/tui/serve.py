"""The game in a browser: textual-serve runs one game process per browser tab.

textual-serve (and aiohttp under it) serves a page with a terminal drawn by
xterm.js; every tab that opens it gets a websocket and a game process of its
own (`game/tui/tabs.py`). This module adapts it for a facilitator's room, and
for anyone else who can reach the machine:

- it binds 127.0.0.1 unless told otherwise, and says plainly when it does not
  (the rules of exposure are `game/net.py`'s, shared with the vote server);
- a request must name this server in its Host header: a loopback name on
  loopback; on the network, one of this machine's own names or addresses (or
  one added with --allow-host). A name some other web page points at this
  machine is refused, so no page elsewhere can start or read a game;
- the page is our own template (`web/app_index.html`): the font comes from
  textual-serve's own static files (served without listing the folder), a
  Content-Security-Policy keeps every request on this server, and the page
  finds its assets and websocket at the address the browser itself used;
- each tab's game gets a fresh saves folder, `<data dir>/browser/<id>/`, so two
  tabs never write the same save; a tab that saved nothing leaves no folder;
- at most --max-tabs games run at once, and a tab's slot is given back only
  when its game process has exited, so reloading a page in a loop cannot run
  more games than that;
- the websocket answers only pages served from this server, and every message
  it receives is checked (`tabs.read_message`);
- Ctrl+C stops the server and every tab's game, without a traceback.

textual-serve imports Rich, so this lives in the TUI package; the `serve`
command in `game.cli.serve` imports it only when it runs.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import socket
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from aiohttp.web_runner import GracefulExit
from textual_serve.server import Server

from game import net, paths
from game.cli.serve import MAX_TABS
from game.cli.sharing import ServeOptions
from game.crash import CRASH_STATUS as CRASHED
from game.safetext import quote
from game.tui.tabs import SEND_TIMEOUT, TabGame, clamp_size, game_command, new_tab_home, read_message
from game.web import guard

__all__ = ["GameServer", "bind", "exposure_warning", "game_command", "serve"]

log = logging.getLogger("second-chance.serve")

TEMPLATES = Path(__file__).resolve().parent / "web"
MAX_MESSAGE = 64 * 1024
"""The largest message a tab's page may send (a paste into the terminal); textual.js sends far less."""

CSP = ("default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
       "font-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")
"""Everything the page loads comes from this server; nothing from anywhere else."""


def exposure_warning(host: str) -> str | None:
    """The one-line warning for a host other people can reach, or None on loopback."""
    if net.listens_on_loopback(host):
        return None
    where = "every network address of this machine" if net.is_wildcard(host) else quote(host)
    return (f"second-chance serve: warning: listening on {where}: anyone who can reach it can play, "
            "and the connection is not encrypted.")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket for host and port (0 picks a free port); OSError says why not."""
    name = host.strip("[]")
    if name in ("", "*"):
        name = net.EVERYWHERE
    infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    problem: OSError | None = None
    for family, kind, proto, _canon, address in infos:
        listener = socket.socket(family, kind, proto)
        try:
            if sys.platform != "win32":
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(address)
            listener.listen(64)
            listener.setblocking(False)
            return listener
        except OSError as error:
            listener.close()
            problem = error
    raise problem or OSError(f"no address found for {host}")


# -- the server --------------------------------------------------------------

class GameServer(Server):
    """textual-serve's server, serving Second Chance to each browser tab."""

    def __init__(self, host: str = net.LOOPBACK, port: int = 8000, scenarios: Sequence[Path] = (),
                 home: Path | None = None, out=None, max_tabs: int = MAX_TABS, allow_hosts: Iterable[str] = ()) -> None:
        super().__init__("second-chance", host=host, port=port, title="Second Chance",
                         templates_path=TEMPLATES)
        self.command_args = game_command(scenarios)
        self.tabs_root = (home if home is not None else paths.data_dir()) / "browser"
        self.allowed_hosts = net.own_names(host, allow_hosts)
        """The names and addresses a request's Host header may use (loopback ones are always allowed)."""
        self.tabs: set[tuple[TabGame, web.WebSocketResponse]] = set()
        self.max_tabs = max(1, max_tabs)
        self.in_use = 0
        """Tabs holding a game or starting one. A slot is taken before the first await, so none is given
        twice, and given back only once the tab's game process has exited."""
        self.stopping: asyncio.Task | None = None
        self.out = out if out is not None else sys.stdout

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, less its downloads (the game offers none), its static folder unlisted."""
        app = web.Application(client_max_size=MAX_MESSAGE)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.static("/static", self.statics_path, show_index=False, follow_symlinks=False, name="static"),
        ])
        app.on_shutdown.append(self.on_shutdown)
        return app

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
        """The Host header names this server (see `net.host_allowed`): no page elsewhere can point a name of
        its own at this machine and use the games through it."""
        return guard.answers(self.allowed_hosts, request)

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
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        width, height = clamp_size(_to_int(request.query.get("width", ""), 80),
                                   _to_int(request.query.get("height", ""), 24))
        tab: TabGame | None = None
        try:
            await websocket.prepare(request)
            tab = TabGame(
                self.command_args,
                new_tab_home(self.tabs_root),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                abandon=lambda: _drop(request),
                download_manager=self.download_manager,
            )
            self.tabs.add((tab, websocket))
            await tab.start(width, height)
            log.info("a browser tab started a game; its saves go to %s", tab.home)
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:
            pass  # the server is stopping: the tab is ended below all the same
        except Exception as error:  # one tab's trouble must not stop the others
            log.error("a tab's game stopped: %s", error)
        finally:
            # The slot is freed by `_retire`, once the game has exited. Shielded: if this
            # handler is cancelled, the game is still ended and the slot still freed.
            ending = asyncio.ensure_future(self._retire(tab, websocket))
            try:
                await asyncio.shield(ending)
            except asyncio.CancelledError:
                pass
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, tab: TabGame) -> None:  # type: ignore[override]
        """Relay what the page sends to its game: only what textual.js sends, sizes clamped, the rest ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            found = read_message(message.data)
            if found is None:
                continue
            kind, value = found
            if kind == "stdin":
                await tab.send_bytes(str(value).encode("utf-8"))
            elif kind == "resize":
                width, height = value  # type: ignore[misc]
                await tab.set_terminal_size(width, height)
            elif kind == "ping":
                try:
                    await asyncio.wait_for(websocket.send_json(["pong", value]), SEND_TIMEOUT)
                except (asyncio.TimeoutError, ConnectionError, RuntimeError):
                    tab.leave_browser()
            elif kind == "focus":
                await tab.focus()
            elif kind == "blur":
                await tab.blur()

    async def _retire(self, tab: TabGame | None, websocket: web.WebSocketResponse) -> None:
        """End a tab: its game has exited when this returns, and only then is its slot free again."""
        try:
            if tab is None:
                return
            await tab.stop()
            self.tabs.discard((tab, websocket))
            if not websocket.closed and not tab.browser_gone:
                try:
                    await asyncio.wait_for(websocket.close(), 2.0)
                except (asyncio.TimeoutError, ConnectionError, RuntimeError):
                    pass
            if tab.exit_code == CRASHED:
                log.warning("a tab's game stopped because of an error; the details are in %s", tab.home / "crashes")
            _remove_if_empty(tab.home)
        finally:
            self.in_use -= 1

    async def on_shutdown(self, app: web.Application) -> None:
        await self.end_tabs()

    async def end_tabs(self) -> None:
        """End every tab's game (each saves as it quits); each handler then closes its page's connection."""
        tabs = list(self.tabs)
        await asyncio.gather(*(tab.stop() for tab, _ws in tabs), return_exceptions=True)
        for tab, websocket in tabs:
            if not websocket.closed:
                tab.leave_browser()

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
            print(f"second-chance serve: cannot listen on {quote(self.host)} port {self.port}: {reason}",
                  file=sys.stderr)
            return 1
        port = listener.getsockname()[1]
        self.port = port
        self.public_url = self.address_to_open(port)
        self.say(f"Second Chance is being served at {self.public_url}")
        if net.is_wildcard(self.host):
            self.say(f"  on this machine: {net.url_for(net.LOOPBACK, port)}")
        if warning:
            names = sorted(name for name in self.allowed_hosts if not net.is_loopback(name))
            self.say("Browsers must use one of this machine's own names or addresses (" + quote(", ".join(names), 300)
                     + "), so no web page elsewhere can reach the games through a name of its own; "
                     "--allow-host NAME adds another.")
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
        host, note = net.join_host(self.host)
        if note:
            self.say(f"Note: {note}.")
        return net.url_for(host, port)

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


def _drop(request: web.Request) -> None:
    """Cut a browser's connection at once (one that stopped reading would never take a goodbye)."""
    if request.transport is not None:
        request.transport.abort()


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


def serve(options: ServeOptions) -> int:
    """Run the browser server for `second-chance serve`; returns the exit code."""
    return GameServer(host=options.host, port=options.port, scenarios=options.folders, max_tabs=options.max_tabs,
                      allow_hosts=options.allow_hosts).run()
