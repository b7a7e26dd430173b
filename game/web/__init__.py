"""The workshop's own server: the room display for the projector, and the phones' vote.

`server` is the server (aiohttp, run inside the console's own event loop): the
room display at `/room` (opened with a key only the console shows) and the
phones' page (opened with the session's join code), each kept current over a
websocket with what game.workshop.view says the room may see. `votes` is the
phones' side (their sockets, caps and ballots), `display` the room display's,
`clients` the connected pages and their rate limit, `ideas` a phone's idea for
the question the room sees, `guard` who may use the server (the code, the key,
the Host and Origin checks), `gate` how many connections it lets in, from
where and for how long idle, `limits` what the open-file limit leaves for
them, `rejoin` how a workshop picked up again is found where it was, and `qr`
draws the join address as a QR code (where the server listens, the address
phones reach the laptop at and the names it answers to are game.net's, shared
with `serve`). The facilitator keeps every step: phones only ever cast a ballot
in the round the room can see, or send an idea to the question it is asked.
"""
