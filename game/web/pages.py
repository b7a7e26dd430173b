"""The workshop server's answers over HTTP: who may open which page, and the pages themselves.

The phone page and its script and socket need the session's join code; the
room display's page, script, socket and QR code need its key; wrong guesses
from one address are counted (`guesses`) and refused for a while once there
are too many. Every request must name one of the server's own addresses
(`guard.answers`: a DNS-rebinding page is refused), and every answer gets the
headers `guard.headers` sets. `WorkshopServer` (game.web.server) mixes this
in and routes each path to one of these methods.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web

from game.web import guard, qr

if TYPE_CHECKING:
    from game.web.display import Displays
    from game.web.votes import Votes

WRONG_CODE = "That code is not right: check the screen."
ASK_CODE = "Type the code shown on the screen."
TOO_MANY_TRIES = "Too many wrong codes from here: wait a minute, then check the screen."
WRONG_KEY = "This is the room display's address: open it from the facilitator's console (F4)."
HANDS = ("This workshop counts hands",
         "<p>Phones do not vote in this workshop: the facilitator counts hands. Nothing needs doing on this "
         "phone.</p>")


class Pages:
    """The HTTP side of the workshop's server; the server holds the state named below."""

    allowed_hosts: frozenset[str]
    phones_on: bool
    code: str
    key: str
    url: str
    guesses: guard.Guesses
    votes: Votes
    room: Displays
    _pages: dict[str, str]

    @web.middleware
    async def _own_address(self, request: web.Request, handler: Callable) -> web.StreamResponse:
        if not guard.answers(self.allowed_hosts, request):
            return web.Response(status=403, text="This server only answers its own address.")
        return await handler(request)

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        guard.headers(request, response)

    def _small_page(self, message: str, status: int, heading: str = "") -> web.Response:
        """The page asking for the code, with `message`; with a `heading`, a page of its own without the form."""
        body = self._pages["code.html"].replace("<!--MESSAGE-->", message)
        if heading:
            body = re.sub(r"<!--FORM-->.*<!--/FORM-->", "", body, flags=re.DOTALL)
            body = re.sub(r"<!--HEADING-->.*<!--/HEADING-->", heading, body)
        return web.Response(text=body, status=status, content_type="text/html")

    def _code_refused(self, request: web.Request) -> web.Response | None:
        """None when the request carries the right join code; otherwise the small page to answer with."""
        if not self.phones_on:
            return self._small_page(HANDS[1], 404, heading=HANDS[0])
        address = request.remote or "?"
        if self.guesses.too_many(address):
            return self._small_page(f'<p class="problem" role="alert">{TOO_MANY_TRIES}</p>', 429)
        given = request.query.get("code")
        if given is not None and guard.code_matches(given, self.code):
            return None
        if not given:
            return self._small_page(f"<p>{ASK_CODE}</p>", 200)
        self.guesses.wrong(address)
        return self._small_page(f'<p class="problem" role="alert">{WRONG_CODE}</p>', 403)

    def _key_refused(self, request: web.Request) -> web.Response | None:
        """None when the request carries the room display's key; otherwise a short refusal."""
        address = request.remote or "?"
        if self.guesses.too_many(address):
            return web.Response(status=429, text=TOO_MANY_TRIES)
        if guard.key_matches(request.query.get("key"), self.key):
            return None
        self.guesses.wrong(address)
        return web.Response(status=403, text=WRONG_KEY)

    async def _phone_page(self, request: web.Request) -> web.Response:
        refused = self._code_refused(request)
        if refused is not None:
            return refused
        body = self._pages["phone.html"].replace("__CODE__", self.code)
        return web.Response(text=body, content_type="text/html")

    async def _phone_script(self, request: web.Request) -> web.Response:
        if self._code_refused(request) is not None:
            return web.Response(status=403, text=WRONG_CODE)
        return web.Response(text=self._pages["phone.js"], content_type="text/javascript")

    async def _style(self, request: web.Request) -> web.Response:
        name = request.path.lstrip("/")
        return web.Response(text=self._pages[name], content_type="text/css")

    async def _phone_socket(self, request: web.Request) -> web.StreamResponse:
        refused = self._code_refused(request)
        if refused is not None:
            return refused
        if not guard.same_origin(request):
            return web.Response(status=403, text="Votes are taken only from the vote's own page.")
        return await self.votes.socket(request)

    async def _room_page(self, request: web.Request) -> web.Response:
        refused = self._key_refused(request)
        if refused is not None:
            return refused
        body = self._pages["room.html"].replace("__KEY__", self.key)
        return web.Response(text=body, content_type="text/html")

    async def _room_script(self, request: web.Request) -> web.Response:
        return self._key_refused(request) or web.Response(text=self._pages["room.js"],
                                                          content_type="text/javascript")

    async def _room_socket(self, request: web.Request) -> web.StreamResponse:
        refused = self._key_refused(request)
        if refused is not None:
            return refused
        if not guard.same_origin(request):
            return web.Response(status=403, text="The room display connects only from its own page.")
        return await self.room.socket(request)

    async def _qr(self, request: web.Request) -> web.Response:
        refused = self._key_refused(request)
        if refused is not None:
            return refused
        if not self.phones_on:
            return web.Response(status=404, text="Phones do not vote in this workshop.")
        return web.Response(text=qr.svg(self.url), content_type="image/svg+xml")
