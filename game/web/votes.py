"""The vote server: phones in the room open one small page and vote on the round in front of them.

It runs inside an event loop that already exists (the workshop screen's): the
screen calls `await start()` when the workshop begins and `await stop()` when
it ends, and shows `url`, `code`, `qr_lines()` and, when the vote is open to
the network, `warning`. The facilitator keeps every step: voting opens and
closes, and the tally is revealed, only through the Workshop's own methods;
a phone can do one thing, cast (or change) its ballot in the open round.

What it serves, and to whom:

* `/` with the session's join code: the phone page; without it, a small page
  asking for the code; with a wrong one, "That code is not right" (never a
  traceback). The code is six characters, new every session, checked in
  constant time; a network address that keeps guessing is told to wait.
* `/phone.js` (with the code) and `/phone.css`: the page's script and style.
  Nothing is fetched from anywhere else: the page works with no internet.
* `/ws` (with the code): the websocket a phone votes through. Its Origin must
  be the page's own; there are caps on connections (overall and per network
  address), on message size, and on messages per second per phone.

A phone is a random token that its page keeps (localStorage): one ballot per
token per round, a new vote replacing the last. No names, no free text, no
address is kept beyond the connection caps in memory, and nothing is written
to disk. Every change to the workshop is pushed to every phone, coalesced so a
burst of votes costs one message per phone per `debounce` seconds; each phone
has its own writer, so a slow phone only ever gets the latest state and never
holds up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from game import resources
from game.web import net, qr
from game.web.state import snapshot, timer_signature, welcome
from game.workshop.room import Workshop
from game.workshop.votes import VoteError

log = logging.getLogger("game.web")

STATIC = Path(__file__).resolve().parent / "static"

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read off a projector from the back of a room is typed right the first time."""
CODE_LENGTH = 6

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
HOST = re.compile(r"[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")
"""A Host header fit to name in the page's security policy (anything else is left out of it)."""
RECEIVED = "Vote received: you can change it until voting closes."
NOT_UNDERSTOOD = "That message was not understood."
TOO_FAST = "Too fast: wait a moment, then vote again."
GOODBYE = "The workshop has ended: thank you for voting. You can close this page."
WRONG_CODE = "That code is not right: check the screen."
ASK_CODE = "Type the code shown on the screen."
TOO_MANY_TRIES = "Too many wrong codes from here: wait a minute, then check the screen."

CLOSE_ENDED = 4000
"""The close code a phone gets when the workshop ends (it stops reconnecting)."""


class ServerError(RuntimeError):
    """The server could not start, with a sentence for the facilitator."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_matches(given: str | None, code: str) -> bool:
    """`given` (any case, spaces around allowed) is the code, compared in constant time."""
    typed = (given or "").strip().upper()[:64]
    return hmac.compare_digest(typed.encode("utf-8", "replace"), code.encode("ascii"))


class Bucket:
    """A token bucket: `rate` messages a second, `burst` at once; `take` says whether one more may pass."""

    __slots__ = ("rate", "burst", "tokens", "stamp", "clock")

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.stamp = burst, clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Phone:
    """One connected page: its socket, its token once it has said hello, and its own writer.

    `send` queues a message for this phone alone; `offer` replaces the state
    waiting to go out, so however many changes pile up while the phone is
    slow, it is sent only the newest.
    """

    __slots__ = ("ws", "address", "token", "bucket", "outbox", "state", "wake", "task", "refused")

    MAX_OUTBOX = 32

    def __init__(self, ws: web.WebSocketResponse, address: str, bucket: Bucket):
        self.ws, self.address, self.bucket = ws, address, bucket
        self.token: str | None = None
        self.outbox: deque[str] = deque()
        self.state: str | None = None
        self.wake = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.refused = 0
        """Messages refused in a row (too fast, not understood); too many and the phone is closed."""

    def send(self, message: dict[str, Any]) -> None:
        if len(self.outbox) < self.MAX_OUTBOX:
            self.outbox.append(json.dumps(message))
            self.wake.set()

    def offer(self, state: str) -> None:
        self.state = state
        self.wake.set()

    async def run(self) -> None:
        """Send what is waiting, in order (this phone's own messages, then the newest state), until closed."""
        ws = self.ws
        try:
            while not ws.closed:
                await self.wake.wait()
                self.wake.clear()
                while not ws.closed and (self.outbox or self.state is not None):
                    if self.outbox:
                        text = self.outbox.popleft()
                    else:
                        text, self.state = self.state, None
                    await ws.send_str(text)
        except (ConnectionError, RuntimeError):
            pass  # the phone went away mid-send: its handler cleans up


class VoteServer:
    """Phones voting in a workshop, served from inside the screen's event loop.

    Listens on 127.0.0.1 unless given another host (`net.bind_host(lan, host)`
    turns `--lan` / `--host H` into one); `port=0` picks a free port. After
    `start()`: `port`, `url` (the join address, code included), `code`,
    `phones` (pages connected), `ballots` (phone ballots in the current round)
    and `warning` (one line for the screen and the log, empty on loopback).
    Workshop methods must be called from the loop the server runs in (the
    screen's); observers called from another thread are handed over safely.
    """

    def __init__(self, workshop: Workshop, host: str = net.LOOPBACK, port: int = 0, *, code: str | None = None,
                 max_connections: int = 1000, per_address: int = 8, devices_per_address: int = 8,
                 votes_per_second: float = 5.0, max_message: int = 1024, debounce: float = 0.05,
                 heartbeat: float | None = 20.0, help_resources: resources.Resources | None = None,
                 find_lan: Callable[[], str | None] = net.lan_address, code_tries: int = 20):
        self.workshop = workshop
        host = host.strip()
        self.host = net.LOOPBACK if host.lower() == "localhost" else host
        self.requested_port = port
        self.code = code or new_code()
        self.max_connections = max_connections
        self.per_address = per_address
        self.devices_per_address = devices_per_address
        self.votes_per_second = votes_per_second
        self.max_message = max_message
        self.debounce = debounce
        self.heartbeat = heartbeat
        self.code_tries = code_tries
        self.help_resources = help_resources
        self._find_lan = find_lan
        self.port = 0
        self.join_host = self.host
        self.warning = ""
        self.running = False
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = 0
        self._phones: set[Phone] = set()
        self._per_address: Counter[str] = Counter()
        self._devices: dict[str, set[str]] = {}
        self._devices_round = ""
        self._wrong_codes: dict[str, deque[float]] = {}
        self._stopping = False
        self._unobserve: Callable[[], None] | None = None
        self._push_handle: asyncio.Handle | None = None
        self._last_push = 0.0
        self._last_state = ""
        self._watch: asyncio.Task | None = None
        self._welcome = ""
        self._pages = {name: (STATIC / name).read_text(encoding="utf-8")
                       for name in ("phone.html", "phone.js", "phone.css", "code.html")}

    # -- what the screen shows ----------------------------------------------------------------

    @property
    def url(self) -> str:
        """The join address, code included: what the QR code holds."""
        return f"http://{net.url_host(self.join_host)}:{self.port}/?code={self.code}"

    @property
    def address(self) -> str:
        """The join address without the code, for someone typing it (the page then asks for the code)."""
        return f"http://{net.url_host(self.join_host)}:{self.port}/"

    @property
    def phones(self) -> int:
        """Pages connected now."""
        return len(self._phones)

    @property
    def ballots(self) -> int:
        """Phone ballots in the round in front of the room."""
        current = self.workshop.round
        return len(current.ballots) if current is not None else 0

    def exposure(self) -> tuple[str, str]:
        """The host phones should use, and the warning when the vote is open to the network (else "")."""
        host, note = net.join_host(self.host, self._find_lan)
        if net.is_loopback(self.host):
            return host, ""
        where = f"http://{net.url_host(host)}:{self.port}/"
        warning = (f"Voting is open to the network at {where}: anyone on it who has the code can vote "
                   "(the connection is not encrypted).")
        return host, warning + (f" Note: {note}." if note else "")

    def qr_lines(self, invert: bool = False) -> list[str]:
        return qr.qr_lines(self.url, invert=invert)

    # -- starting and stopping ---------------------------------------------------------------------

    async def start(self) -> None:
        """Listen and begin telling phones about the workshop; ServerError when the address cannot be used."""
        if self.running:
            return
        self._loop = asyncio.get_running_loop()
        self._thread = threading.get_ident()
        self._stopping = False
        app = web.Application(client_max_size=4096, middlewares=[self._own_address])
        app.router.add_get("/", self._page)
        app.router.add_get("/phone.js", self._script)
        app.router.add_get("/phone.css", self._style)
        app.router.add_get("/ws", self._socket)
        app.on_response_prepare.append(self._headers)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.requested_port)
            await site.start()
        except OSError as problem:
            await runner.cleanup()
            raise ServerError(f"the vote cannot listen on {self.host} port {self.requested_port}: "
                              f"{problem.strerror or problem}") from None
        self._runner = runner
        self.port = runner.addresses[0][1]
        self.join_host, self.warning = self.exposure()
        if self.warning:
            log.warning("%s", self.warning)
        self._welcome = json.dumps(welcome(self.workshop, self.help_resources or resources.load()))
        self._unobserve = self.workshop.observe(self._observed)
        self._watch = asyncio.create_task(self._watch_timer())
        self.running = True

    async def stop(self) -> None:
        """Tell every phone the workshop has ended, close every socket and stop listening."""
        if not self.running or self._stopping:
            return
        self._stopping = True
        if self._unobserve is not None:
            self._unobserve()
            self._unobserve = None
        if self._push_handle is not None:
            self._push_handle.cancel()
            self._push_handle = None
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        phones = list(self._phones)
        if phones:
            await asyncio.wait([asyncio.create_task(self._goodbye(p)) for p in phones], timeout=3.0)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.running = False

    async def _goodbye(self, phone: Phone) -> None:
        if phone.task is not None:
            phone.task.cancel()
        with contextlib.suppress(ConnectionError, RuntimeError):
            await phone.ws.send_str(json.dumps({"type": "bye", "message": GOODBYE}))
        with contextlib.suppress(ConnectionError, RuntimeError):
            await phone.ws.close(code=CLOSE_ENDED, message=b"the workshop has ended")

    # -- telling the phones -----------------------------------------------------------------------

    def _observed(self, kind: str) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == self._thread:
            self._changed()
        else:
            loop.call_soon_threadsafe(self._changed)

    def _changed(self) -> None:
        """Something changed: push the new state soon (at most once per `debounce` seconds)."""
        if self._push_handle is not None or self._stopping or self._loop is None:
            return
        delay = max(0.0, self._last_push + self.debounce - self._loop.time())
        self._push_handle = self._loop.call_later(delay, self._push)

    def _push(self) -> None:
        self._push_handle = None
        self._last_push = self._loop.time() if self._loop else 0.0
        text = json.dumps(snapshot(self.workshop))
        if text == self._last_state:
            return
        self._last_state = text
        for phone in self._phones:
            if phone.token is not None:
                phone.offer(text)

    async def _watch_timer(self) -> None:
        """The timer moves without telling anyone: notice it starting, stopping, pausing or running out."""
        seen = timer_signature(self.workshop)
        while True:
            await asyncio.sleep(0.5)
            now = timer_signature(self.workshop)
            if now != seen:
                seen = now
                self._changed()

    # -- pages ---------------------------------------------------------------------------------------------

    @web.middleware
    async def _own_address(self, request: web.Request, handler: Callable) -> web.StreamResponse:
        """Listening on loopback, answer only requests that name a loopback address (no page elsewhere can
        point a name of its own at this server and read it)."""
        if net.is_loopback(self.host) and not net.is_loopback(request.url.host or ""):
            return web.Response(status=403, text="This vote only answers its own address.")
        return await handler(request)

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        if response.content_type == "text/html":
            socket = f" ws://{request.host}" if HOST.fullmatch(request.host) else ""
            response.headers["Content-Security-Policy"] = (
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                f"connect-src 'self'{socket}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

    def _too_many_tries(self, address: str) -> bool:
        tries = self._wrong_codes.get(address)
        now = time.monotonic()
        while tries and now - tries[0] > 60:
            tries.popleft()
        return bool(tries) and len(tries) >= self.code_tries

    def _checked(self, request: web.Request) -> web.Response | None:
        """None when the request carries the right code; otherwise the small page to answer with."""
        address = request.remote or "?"
        if self._too_many_tries(address):
            return self._code_page(TOO_MANY_TRIES, 429)
        given = request.query.get("code")
        if given is not None and code_matches(given, self.code):
            return None
        if not given:
            return self._code_page("", 200)
        if len(self._wrong_codes) > 10_000:
            self._wrong_codes.clear()
        self._wrong_codes.setdefault(address, deque()).append(time.monotonic())
        return self._code_page(WRONG_CODE, 403)

    def _code_page(self, problem: str, status: int) -> web.Response:
        message = f'<p class="problem" role="alert">{problem}</p>' if problem else f"<p>{ASK_CODE}</p>"
        body = self._pages["code.html"].replace("<!--MESSAGE-->", message)
        return web.Response(text=body, status=status, content_type="text/html")

    async def _page(self, request: web.Request) -> web.Response:
        refused = self._checked(request)
        if refused is not None:
            return refused
        body = self._pages["phone.html"].replace("__CODE__", self.code)
        return web.Response(text=body, content_type="text/html")

    async def _script(self, request: web.Request) -> web.Response:
        if self._checked(request) is not None:
            return web.Response(status=403, text=WRONG_CODE)
        return web.Response(text=self._pages["phone.js"], content_type="text/javascript")

    async def _style(self, request: web.Request) -> web.Response:
        return web.Response(text=self._pages["phone.css"], content_type="text/css")

    # -- the websocket ----------------------------------------------------------------------------------

    def _same_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin", "")
        return bool(origin) and origin.lower() == f"{request.scheme}://{request.host}".lower()

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        refused = self._checked(request)
        if refused is not None:
            return refused
        if not self._same_origin(request):
            return web.Response(status=403, text="Votes are taken only from the vote's own page.")
        ws = web.WebSocketResponse(heartbeat=self.heartbeat, max_msg_size=self.max_message, compress=False,
                                   timeout=2.0)
        if not ws.can_prepare(request):
            return web.Response(status=400, text="This address is for the vote page's connection.")
        await ws.prepare(request)
        address = request.remote or "?"
        busy = ""
        if self._stopping:
            busy = GOODBYE
        elif len(self._phones) >= self.max_connections:
            busy = "The vote is full: use another phone's screen, or count hands."
        elif self._per_address[address] >= self.per_address:
            busy = "Too many vote pages are open from this network address: close one and try again."
        if busy:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_str(json.dumps({"type": "error", "code": "busy", "message": busy}))
                await ws.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"busy")
            return ws
        phone = Phone(ws, address, Bucket(self.votes_per_second, max(1.0, self.votes_per_second)))
        self._phones.add(phone)
        self._per_address[address] += 1
        phone.task = asyncio.create_task(phone.run())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    try:
                        self._received(phone, message.data)
                    except Exception:  # a fault of ours must not cost the room its vote
                        log.exception("a phone's message could not be handled")
                        self._refuse(phone, "Something went wrong with that: try again.")
                elif message.type == WSMsgType.BINARY:
                    self._refuse(phone, NOT_UNDERSTOOD)
                if phone.refused > 50:
                    await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"too many refused messages")
        finally:
            self._phones.discard(phone)
            self._per_address[address] -= 1
            if self._per_address[address] <= 0:
                del self._per_address[address]
            if phone.task is not None:
                phone.task.cancel()
        return ws

    def _refuse(self, phone: Phone, message: str, **extra: Any) -> None:
        phone.refused += 1
        phone.send({"type": "error", "message": message, **extra})

    def _received(self, phone: Phone, text: str) -> None:
        """One message from a phone: a hello with its token, or a vote. Anything else gets an error back."""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        kind = data.get("type") if isinstance(data, dict) else None
        if kind == "hello" and phone.token is None:
            self._hello(phone, data)  # once per connection, outside the rate limit
            return
        if not phone.bucket.take():
            self._refuse(phone, TOO_FAST, code="slow")
            return
        if kind == "hello":
            self._refuse(phone, NOT_UNDERSTOOD)  # a phone says hello once, and cannot become another
        elif kind == "vote":
            self._vote(phone, data)
        else:
            self._refuse(phone, NOT_UNDERSTOOD)

    def _hello(self, phone: Phone, data: dict[str, Any]) -> None:
        token = data.get("token")
        if not isinstance(token, str) or not TOKEN.fullmatch(token):
            phone.bucket.take()
            self._refuse(phone, NOT_UNDERSTOOD)
            return
        phone.token = token
        phone.refused = 0
        phone.outbox.append(self._welcome)
        state = snapshot(self.workshop)
        phone.send(self._mine(token, state["round"]))
        phone.offer(json.dumps(state))

    def _mine(self, token: str, round_id: str | None) -> dict[str, Any]:
        """This phone's own vote in the current round (what its page shows as "your vote")."""
        current = self.workshop.round if round_id else None
        option = current.ballots.get(token) if current is not None else None
        return {"type": "you", "round": round_id, "option": option}

    def _vote(self, phone: Phone, data: dict[str, Any]) -> None:
        round_id, option = data.get("round"), data.get("option")
        if (phone.token is None or not isinstance(round_id, str) or not isinstance(option, int)
                or isinstance(option, bool)):
            self._refuse(phone, NOT_UNDERSTOOD)
            return
        if self._stopping:
            self._refuse(phone, GOODBYE)
            return
        if not self._device_allowed(phone):
            self._refuse(phone, "Too many phones have voted from this network address in this round.")
            return
        try:
            self.workshop.ballot(round_id, phone.token, option)
        except VoteError as problem:
            self._refuse(phone, str(problem), round=round_id)
            return
        self._devices.setdefault(phone.address, set()).add(phone.token)
        phone.refused = 0
        phone.send({"type": "ack", "round": round_id, "option": option, "message": RECEIVED})

    def _device_allowed(self, phone: Phone) -> bool:
        """At most `devices_per_address` tokens vote from one network address in one round."""
        if self.workshop.round_id != self._devices_round:
            self._devices, self._devices_round = {}, self.workshop.round_id
        tokens = self._devices.get(phone.address, ())
        return phone.token in tokens or len(tokens) < self.devices_per_address
