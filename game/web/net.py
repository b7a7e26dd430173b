"""Where the vote server listens, and the address phones in the room should use to reach it.

The rules themselves live in `game/net.py`, shared with `serve` and the
language server; the vote server's code reaches them under these names.
"""

from __future__ import annotations

from game.net import (
    EVERYWHERE,
    LOOPBACK,
    PROBES,
    WILDCARDS,
    bind_host,
    is_loopback,
    is_wildcard,
    join_host,
    lan_address,
    listens_on_loopback,
    url_host,
)

__all__ = ["EVERYWHERE", "LOOPBACK", "PROBES", "WILDCARDS", "bind_host", "is_loopback", "is_wildcard", "join_host",
           "lan_address", "listens_on_loopback", "url_host"]
