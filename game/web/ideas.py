"""A phone's idea for the question in front of the room, taken as a vote is: through the same socket and checks.

An idea reaches the workshop only over a phone's own websocket, so it has
passed every check a vote passes: the join code, the Host and Origin of the
page, the size cap on a message, the rate limit on what one phone sends, and
a hello with the phone's token first; and, as for votes, only a few phones
from one network address may answer one question. The workshop's core then applies its
own rules (game.workshop.ideas: the cleaning, the length, how many one phone
may send to a question and how often). The phone's token goes to the core for
those limits only, in memory; nothing that identifies a phone is kept with an
idea, and nothing is written to disk here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.web.clients import Client, Hub
from game.workshop.ideas import IdeaError

SENT = "Sent. The facilitator chooses which ideas go up on the screen."
NOT_UNDERSTOOD = "That idea was not understood: try sending it again."
NOT_ASKING = "Nothing is being asked right now."
ENDED = "The workshop has ended: thank you."
CROWDED = "Too many phones have sent ideas from this network address to this question."


class IdeaDoor:
    """Where phones' ideas come in: the checks of the message, and at most `per_address` phones sending ideas
    to one question from one network address (as for votes in a round), so one laptop with many tabs cannot
    fill a question."""

    def __init__(self, server: Hub, per_address: int):
        self.server = server
        self.per_address = per_address
        self._senders: dict[tuple[int, str], set[str]] = {}
        """(question, network address) -> the phones that have sent an idea to it from there (in memory)."""

    def receive(self, client: Client, data: dict[str, Any], refuse: Callable[..., None]) -> None:
        """{"type": "idea", "question": id, "text": words}: to the question the room sees, or refused with a
        sentence; an accepted idea is acknowledged with how many more this phone may send."""
        question, text = data.get("question"), data.get("text")
        if (client.token is None or not isinstance(question, int) or isinstance(question, bool)
                or not isinstance(text, str)):
            refuse(client, NOT_UNDERSTOOD, idea=True)
            return
        if self.server.stopping:
            refuse(client, ENDED, idea=True)
            return
        workshop = self.server.workshop
        if workshop is None:
            refuse(client, NOT_ASKING, idea=True)
            return
        senders = self._senders.get((question, client.address), set())
        if client.token not in senders and len(senders) >= self.per_address:
            refuse(client, CROWDED, idea=True, question=question)
            return
        try:
            workshop.send_idea(question, client.token, text)
        except IdeaError as problem:
            refuse(client, str(problem), idea=True, question=question)
            return
        self._senders.setdefault((question, client.address), set()).add(client.token)
        client.refused = 0
        client.send({"type": "idea-ack", "question": question, "message": SENT,
                     "left": workshop.ideas.left(question, client.token)})
