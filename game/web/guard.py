"""Who may use the workshop's server: the join code, the room display's key, and the address checks.

Phones join with a six-character code read off the projector; the room
display opens with a longer key that only the console shows. Both are new
every session and compared in constant time, and an address that keeps
guessing is told to wait. The server answers only a request whose Host names
it: on loopback a loopback address, on the network this machine's own names
and addresses (game.net's allow-list, the same as `serve`'s), so no page
elsewhere can point a name of its own at it (DNS rebinding) and read it; a
websocket is accepted only from the server's own pages (its Origin), and
every page carries a strict content security policy.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections import deque
from collections.abc import Callable, Collection

from aiohttp import web

from game import net

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read off a projector from the back of a room is typed right the first time."""
CODE_LENGTH = 6
KEY_BYTES = 12
"""The room display's key: long, because nobody types it (the console opens it)."""

HOST = re.compile(r"[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")
"""A Host header fit to name in the page's security policy (anything else is left out of it)."""

GUESS_WINDOW = 60.0
"""Wrong codes and keys are remembered for this many seconds, per network address."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def is_code(text: str) -> bool:
    """`text` could be a join code this game made (kept in a log, given back on resume)."""
    return len(text) == CODE_LENGTH and set(text) <= set(CODE_ALPHABET)


def is_key(text: str) -> bool:
    """`text` could be a room display's key this game made."""
    return re.fullmatch(r"[A-Za-z0-9_-]{16}", text) is not None


def code_matches(given: str | None, code: str) -> bool:
    """`given` (any case, spaces around allowed) is the code, compared in constant time."""
    typed = (given or "").strip().upper()[:64]
    return hmac.compare_digest(typed.encode("utf-8", "replace"), code.encode("ascii"))


def key_matches(given: str | None, key: str) -> bool:
    """`given` is the room display's key exactly, compared in constant time."""
    return hmac.compare_digest((given or "")[:128].encode("utf-8", "replace"), key.encode("ascii"))


def arrived_at(request: web.Request) -> str | None:
    """The address of this machine the request's connection came in on (one of its own, by definition)."""
    sockname = request.transport.get_extra_info("sockname") if request.transport is not None else None
    return sockname[0] if isinstance(sockname, tuple) and sockname else None


def answers(allowed: Collection[str], request: web.Request) -> bool:
    """The request's Host names this server: a loopback name or address, one of `allowed` (net.own_names),
    or the very address it arrived at. A name a stranger pointed at this machine is refused."""
    return net.host_allowed(request.url.host or "", allowed, arrived_at(request))


def same_origin(request: web.Request) -> bool:
    """A websocket from the server's own page: its Origin is this server, scheme and host alike."""
    origin = request.headers.get("Origin", "")
    return bool(origin) and origin.lower() == f"{request.scheme}://{request.host}".lower()


def policy(request: web.Request) -> str:
    """The content security policy of every page: its own scripts, styles and pictures, nothing else."""
    socket = f" ws://{request.host}" if HOST.fullmatch(request.host) else ""
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self'{socket}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def headers(request: web.Request, response: web.StreamResponse) -> None:
    """What every answer carries: no sniffing, no referrer, no framing, no caching, and the policy on pages."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    if response.content_type in ("text/html", "image/svg+xml"):
        response.headers["Content-Security-Policy"] = policy(request)


class Guesses:
    """Wrong codes and keys per network address: after `tries` in a minute, that address waits."""

    MAX_ADDRESSES = 10_000

    def __init__(self, tries: int, clock: Callable[[], float] = time.monotonic):
        self.tries = tries
        self.clock = clock
        self._wrong: dict[str, deque[float]] = {}

    def too_many(self, address: str) -> bool:
        tries = self._wrong.get(address)
        now = self.clock()
        while tries and now - tries[0] > GUESS_WINDOW:
            tries.popleft()
        return bool(tries) and len(tries) >= self.tries

    def wrong(self, address: str) -> None:
        if len(self._wrong) > self.MAX_ADDRESSES:
            self._wrong.clear()
        self._wrong.setdefault(address, deque()).append(self.clock())
