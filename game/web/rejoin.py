"""Finding a workshop again after it stopped: where its server listened, its codes, whether phones voted.

(And the console's sentences when the room cannot reach the server as asked: `Rejoining.limit_note`, and
`Rejoining.moved_note` when the earlier port was taken.)

A workshop picked up after a crash or a shutdown should be where the room
left it. Its log keeps what `kept` says (never a handout: the codes are the
laptop's), and before the server starts again `take_back` gives it the same
port when no port was asked for, the same join code and room display key, so
the phones' pages and the projector reconnect by themselves. That matters
beyond comfort: a phone's page keeps its random token per address, so on
the same address its vote in the open decision is still its own and counts
once. A room that voted by phone goes on doing so; one that was open to the
network is told how to open it again, never opened without being asked.
"""

from __future__ import annotations

from typing import Any, Protocol

from game import net
from game.web import guard
from game.web.gate import Door

NETWORK_NOTE = ("Before, phones joined over the network; now only this computer can reach the workshop: quit and "
                "pick it up again with --lan to let them back in.")


def moved_words(earlier: int, address: str) -> str:
    """What the facilitator must do when a workshop picked up again could not have its port back."""
    return (f"Port {earlier} was taken, so the workshop moved to {address}. The room display and the phones "
            "still open on the old address cannot reach it and will not come back by themselves: open the room "
            "display again at its new address, and have the room scan the new QR code or type the new address "
            "(the code is the same). A phone that voted in the open decision counts as a new phone there: "
            "re-count by hands if it matters.")


class Restartable(Protocol):
    host: str
    port: int
    requested_port: int
    phones_on: bool
    code: str
    key: str
    resume_note: str
    running: bool
    door: Door

    @property
    def address(self) -> str: ...


def kept(server: Restartable) -> dict[str, Any]:
    """What the log keeps to find the workshop again."""
    return {"port": server.port, "code": server.code, "key": server.key, "phones": server.phones_on,
            "network": not net.is_loopback(server.host)}


def take_back(server: Restartable, earlier: dict[str, Any]) -> int:
    """Give a server that has not started yet what `kept` said (each part checked); the port to try first
    (0: none, the port asked for)."""
    if earlier.get("phones") is True:
        server.phones_on = True
    if earlier.get("network") is True and net.is_loopback(server.host):
        server.resume_note = NETWORK_NOTE
    code, key, port = earlier.get("code"), earlier.get("key"), earlier.get("port")
    if isinstance(code, str) and guard.is_code(code):
        server.code = code
    if isinstance(key, str) and guard.is_key(key):
        server.key = key
    fits = server.requested_port == 0 and isinstance(port, int) and not isinstance(port, bool)
    return port if fits and 1024 <= port <= 65535 else 0


class Rejoining:
    """A base of the workshop's server: what it keeps to be found again, taking that back on resume, and what
    the console is told when the room cannot reach it as asked."""

    resume_note = ""
    """A sentence when a workshop picked up again cannot be reached as it was before."""

    def reuse(self: Restartable, earlier: dict[str, Any]) -> None:
        """Before `start`, for a workshop picked up again: its port, codes and phones as its log kept them,
        so the pages that were open come back by themselves."""
        if not self.running:
            self.door.earlier_port = take_back(self, earlier)

    @property
    def rejoin(self: Restartable) -> dict[str, Any]:
        """What a workshop picked up again needs to be found where it was (its log keeps it; never a handout)."""
        return kept(self)

    @property
    def moved_note(self: Restartable) -> str:
        """The sentence when a workshop picked up again listens on another port than before (else ""): every
        page open on the old address has lost it for good."""
        earlier = self.door.earlier_port
        if not self.running or not earlier or self.port == earlier:
            return ""
        return moved_words(earlier, self.address)

    @property
    def limit_note(self: Restartable) -> str:
        """Sentences when the open-file limit keeps the phones below what was asked, or a workshop picked up
        again cannot be reached as before (else "")."""
        return " ".join(n for n in (self.door.note if self.phones_on else "", self.resume_note) if n)
