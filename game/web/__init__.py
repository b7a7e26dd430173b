"""Phones in a workshop room: the vote server, its page, and what the projector shows to join.

`votes` is the server (aiohttp, run inside the screen's own event loop): one
small page that phones open with the session's join code, and a websocket
each phone votes through. `state` turns the workshop into what a phone shows,
`net` finds the address phones reach the laptop at, and `qr` draws the join
address as a QR code in text for the projector. The facilitator keeps every
step: phones only ever cast a ballot in the round that is open.
"""
