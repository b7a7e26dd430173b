"""The phones' side of the workshop's server: their sockets, the caps on them, and their ballots.

A phone is a random token that its page keeps (localStorage): one ballot per
token per round, a new vote replacing the last. No names, no address is kept
beyond the connection caps in memory, and nothing is written to disk. A phone
can cast (or change) its ballot in the round the room can see, and send an
idea while the room is asked a question (game.web.ideas); everything else it
sends gets a sentence back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from game.storage import BadJSON, parse_json
from game.web import ideas
from game.web.clients import Bucket, Client, Hub
from game.workshop.votes import VoteError

log = logging.getLogger("game.web")

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
RECEIVED = "Vote received: you can change it until voting closes."
NOT_UNDERSTOOD = "That message was not understood."
TOO_FAST = "Too fast: wait a moment, then vote again."
GOODBYE = "The workshop has ended: thank you for voting. You can close this page."
PAUSED = ("The workshop is paused: the facilitator may pick it up again. This page comes back by itself when "
          "they do.")
TOO_DEEP = "That message was not understood: it is nested too deeply."
FULL = "The vote is full: use another phone's screen, or count hands."
CROWDED = "Too many vote pages are open from this network address: close one and try again."
TOO_MANY_DEVICES = "Too many phones have voted from this network address in this round."

CLOSE_ENDED = 4000
"""The close code a page gets when the workshop ends (it stops reconnecting)."""
CLOSE_PAUSED = 4002
"""The close code a page gets when the workshop stops and may be picked up again (a quit in the middle of the
story, a crash, the system shutting the game down): it keeps trying to come back, for a while."""


class Deep(ValueError):
    """A message whose JSON nests deeper than a parser's stack: refused with a sentence, like any other."""


def read_message(text: str) -> Any:
    """A page's message as JSON (None when it is not JSON); Deep when it nests too deeply to read."""
    try:
        return parse_json(text, "the message")
    except BadJSON as problem:
        if problem.deep:
            raise Deep(TOO_DEEP) from None
        return None


async def refuse_busy(ws: web.WebSocketResponse, message: str) -> None:
    """Tell a page it cannot be let in, and close it (it may try again later)."""
    with contextlib.suppress(ConnectionError, RuntimeError):
        await ws.send_str(json.dumps({"type": "error", "code": "busy", "message": message}))
        await ws.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"busy")


async def goodbye(client: Client, paused: bool = False) -> None:
    """Tell one page the workshop has ended (it stops reconnecting), or is paused (it keeps trying), and close
    it."""
    client.stop()
    with contextlib.suppress(ConnectionError, RuntimeError):
        await client.ws.send_str(json.dumps({"type": "bye", "paused": paused, "message": PAUSED if paused
                                             else GOODBYE}))
    with contextlib.suppress(ConnectionError, RuntimeError):
        if paused:
            await client.ws.close(code=CLOSE_PAUSED, message=b"the workshop is paused")
        else:
            await client.ws.close(code=CLOSE_ENDED, message=b"the workshop has ended")


async def serve(ws: web.WebSocketResponse, client: Client, handle: Callable[[Client, str], None],
                refuse: Callable[[Client, str], None]) -> None:
    """Read one page's messages until it goes: text to `handle`, anything else refused; a page refused too
    often in a row is closed."""
    async for message in ws:
        if message.type == WSMsgType.TEXT:
            try:
                handle(client, message.data)
            except Deep:
                refuse(client, TOO_DEEP)
            except Exception:  # a fault of ours must not cost the room its vote
                log.exception("a page's message could not be handled")
                refuse(client, "Something went wrong with that: try again.")
        elif message.type == WSMsgType.BINARY:
            refuse(client, NOT_UNDERSTOOD)
        if client.refused > 50:
            await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"too many refused messages")


class Votes:
    """The phones connected to one server, and the rules for what they may send."""

    def __init__(self, server: Hub, *, max_connections: int, per_address: int,
                 devices_per_address: int, votes_per_second: float, max_message: int, heartbeat: float | None,
                 clock: Callable[[], float] = time.monotonic):
        self.server = server
        self.max_connections = max_connections
        self.per_address = per_address
        self.devices_per_address = devices_per_address
        self.votes_per_second = votes_per_second
        self.max_message = max_message
        self.heartbeat = heartbeat
        self.clock = clock
        """The rate limit's clock (a test passes its own, so the bucket refills without waiting)."""
        self.clients: set[Client] = set()
        self._per_address: Counter[str] = Counter()
        self._devices: dict[str, set[str]] = {}
        self._devices_round = ""
        self.ideas = ideas.IdeaDoor(server, devices_per_address)

    @property
    def joined(self) -> int:
        """Phones connected that have said hello."""
        return sum(1 for c in self.clients if c.token is not None)

    async def socket(self, request: web.Request) -> web.StreamResponse:
        """A phone's websocket: let in if there is room, then read its messages until it goes."""
        ws = web.WebSocketResponse(heartbeat=self.heartbeat, max_msg_size=self.max_message, compress=False,
                                   timeout=2.0)
        if not ws.can_prepare(request):
            return web.Response(status=400, text="This address is for the vote page's connection.")
        await ws.prepare(request)
        address = request.remote or "?"
        busy = ""
        if self.server.stopping:
            busy = PAUSED if self.server.pausing else GOODBYE
        elif len(self.clients) >= self.max_connections:
            busy = FULL
        elif self._per_address[address] >= self.per_address:
            busy = CROWDED
        if busy:
            await refuse_busy(ws, busy)
            return ws
        client = Client(ws, address, Bucket(self.votes_per_second, max(1.0, self.votes_per_second), self.clock))
        self.clients.add(client)
        self._per_address[address] += 1
        client.start()
        try:
            await serve(ws, client, self._received, self._refuse)
        finally:
            self.clients.discard(client)
            self._per_address[address] -= 1
            if self._per_address[address] <= 0:
                del self._per_address[address]
            client.stop()
            if client.token is not None:
                self.server.joins_changed()
        return ws

    def _refuse(self, client: Client, message: str, **extra: Any) -> None:
        client.refused += 1
        client.send({"type": "error", "message": message, **extra})

    def _received(self, client: Client, text: str) -> None:
        """One message from a phone: a hello with its token, or a vote. Anything else gets an error back."""
        data = read_message(text)
        kind = data.get("type") if isinstance(data, dict) else None
        if kind == "hello" and client.token is None:
            self._hello(client, data)  # once per connection, outside the rate limit
            return
        if not client.bucket.take():
            self._refuse(client, TOO_FAST, code="slow")
            return
        if kind == "vote":
            self._vote(client, data)
        elif kind == "idea":
            self.ideas.receive(client, data, self._refuse)  # the same socket and checks as a vote
        else:
            self._refuse(client, NOT_UNDERSTOOD)  # a phone says hello once, and cannot become another

    def _hello(self, client: Client, data: dict[str, Any]) -> None:
        token = data.get("token")
        if not isinstance(token, str) or not TOKEN.fullmatch(token):
            client.bucket.take()
            self._refuse(client, NOT_UNDERSTOOD)
            return
        client.token = token
        client.refused = 0
        client.send_text(self.server.welcome_text)
        state = self.server.phone_state()
        client.send(self._mine(token, state["round"]))
        client.offer(json.dumps(state))
        self.server.joins_changed()

    def _mine(self, token: str, round_id: str | None) -> dict[str, Any]:
        """This phone's own vote in the current round (what its page shows as "your vote")."""
        workshop = self.server.workshop
        option = workshop.ballot_of(round_id, token) if workshop is not None and round_id else None
        return {"type": "you", "round": round_id, "option": option}

    def _vote(self, client: Client, data: dict[str, Any]) -> None:
        round_id, option = data.get("round"), data.get("option")
        workshop = self.server.workshop
        if (client.token is None or not isinstance(round_id, str) or not isinstance(option, int)
                or isinstance(option, bool)):
            self._refuse(client, NOT_UNDERSTOOD)
            return
        if self.server.stopping:
            self._refuse(client, GOODBYE)
            return
        if workshop is None:
            self._refuse(client, "Voting has not opened yet.", round=round_id)
            return
        if not self._device_allowed(client, workshop.round_id):
            self._refuse(client, TOO_MANY_DEVICES)
            return
        try:
            workshop.ballot(round_id, client.token, option)
        except VoteError as problem:
            self._refuse(client, str(problem), round=round_id)
            return
        self._devices.setdefault(client.address, set()).add(client.token)
        client.refused = 0
        client.send({"type": "ack", "round": round_id, "option": option, "message": RECEIVED})

    def _device_allowed(self, client: Client, round_id: str) -> bool:
        """At most `devices_per_address` tokens vote from one network address in one round."""
        if round_id != self._devices_round:
            self._devices, self._devices_round = {}, round_id
        tokens = self._devices.get(client.address, ())
        return client.token in tokens or len(tokens) < self.devices_per_address

    async def close_all(self, paused: bool = False) -> None:
        clients = list(self.clients)
        if clients:
            await asyncio.wait([asyncio.create_task(goodbye(c, paused)) for c in clients], timeout=3.0)
