"""The door of the workshop's server: how many connections it lets in, from where, and for how long idle.

aiohttp reads any connection it is given for as long as the connection
stays open. Here, before aiohttp sees a connection, the gate counts it: at
most `total` at once (game.web.limits keeps that below the open-file limit)
and at most `per_address` from one network address, so one laptop in the
room holding hundreds of idle sockets cannot use up what the phones need. A
connection over either cap gets a one-line "503" and is closed at once,
before it costs more than its accept. (Connections that never finish their
request are aiohttp's to close: the server gives it a short keep-alive
timeout, which aiohttp applies from the moment a connection opens.)
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence

from aiohttp import web

from game.net import url_host
from game.web import limits

BUSY_TEXT = b"Too many connections from here: close a page, then try again in a moment.\n"
BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(BUSY_TEXT), BUSY_TEXT))
"""What a connection over a cap reads before it is closed (a browser shows it as the page)."""


class Gate:
    """Connections open now, in all and per network address, against their caps."""

    def __init__(self, total: int, per_address: int) -> None:
        self.total = total
        self.per_address = per_address
        self.open: Counter[str] = Counter()
        self.refused = 0
        """Connections turned away since the server started."""
        self.most_from_one = 0
        """The most connections one address has held at once since the server started (never over
        `per_address`): with `refused`, the record of the caps at work."""

    @property
    def count(self) -> int:
        return sum(self.open.values())

    def admit(self, address: str) -> bool:
        if self.count >= self.total or self.open[address] >= self.per_address:
            self.refused += 1
            return False
        self.open[address] += 1
        self.most_from_one = max(self.most_from_one, self.open[address])
        return True

    def release(self, address: str) -> None:
        self.open[address] -= 1
        if self.open[address] <= 0:
            del self.open[address]


class Guarded(asyncio.Protocol):
    """One connection at the door: counted, then handed to aiohttp's own protocol, or turned away."""

    __slots__ = ("gate", "make", "inner", "address")

    def __init__(self, gate: Gate, make: Callable[[], asyncio.Protocol]) -> None:
        self.gate, self.make = gate, make
        self.inner: asyncio.Protocol | None = None
        self.address: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) and peer else "?"
        if not self.gate.admit(address):
            if isinstance(transport, asyncio.WriteTransport):
                transport.write(BUSY)
            transport.close()
            return
        self.address = address
        self.inner = self.make()
        self.inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.address is not None:
            self.gate.release(self.address)
            self.address = None
        if self.inner is not None:
            self.inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.inner is not None else None

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()


class GatedSite(web.BaseSite):
    """A TCP site whose every connection passes the gate first (aiohttp's TCPSite, with a door)."""

    def __init__(self, runner: web.BaseRunner, host: str, port: int, gate: Gate, backlog: int = 128) -> None:
        super().__init__(runner, backlog=backlog)
        self._host, self._port, self.gate = host, port, gate

    @property
    def name(self) -> str:
        return f"http://{url_host(self._host)}:{self._port}"

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        assert server is not None
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: Guarded(self.gate, server), self._host, self._port,
                                                backlog=self._backlog)


async def listen(runner: web.BaseRunner, host: str, ports: Sequence[int], gate: Gate) -> GatedSite:
    """Listen on the first of `ports` that is free (a workshop picked up again tries its earlier port, then
    the one asked for); OSError when the last cannot be used either."""
    ports = list(dict.fromkeys(ports))
    for port in ports:
        site = GatedSite(runner, host, port, gate)
        try:
            await site.start()
            return site
        except OSError:
            if port == ports[-1]:
                raise
            await site.stop()
    raise OSError("no port to listen on")  # pragma: no cover - `ports` is never empty


class Door:
    """The server's door: its share of the open-file limit, its gate, how long a request may take, and the
    ports it tries."""

    def __init__(self, phones_asked: int, per_address: int, request_timeout: float) -> None:
        self.phones_asked = phones_asked
        self.request_timeout = request_timeout
        """Seconds a connection has to finish its request (and may stay idle between requests)."""
        self.gate = Gate(phones_asked * 2 + limits.DISPLAYS + 64, per_address)
        self.budget: limits.Budget | None = None
        self.earlier_port = 0
        """The port a workshop picked up again listened on before (0: none)."""

    def plan(self) -> int:
        """Raise the open-file limit where it may be and size the gate by what it leaves; the phones' share."""
        self.budget = limits.budget(self.phones_asked)
        self.gate.total = self.budget.connections
        return self.budget.phones

    async def open(self, runner: web.BaseRunner, host: str, port: int) -> GatedSite:
        return await listen(runner, host, (self.earlier_port or port, port), self.gate)

    @property
    def note(self) -> str:
        return self.budget.note if self.budget is not None else ""
