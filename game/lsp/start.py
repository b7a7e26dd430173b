"""Starting the language server: answer the editor's `initialize` first, then load the LSP library.

This module imports nothing heavy, so `second-chance lsp` answers its first
request before the LSP library (a second or so on a slow machine) is loaded;
see `game.lsp.wire`.
"""

from __future__ import annotations

import sys

from game.lsp import wire


def serve(tcp: bool = False, host: str = "127.0.0.1", port: int = 2087, manual_clock: bool = False) -> None:
    """Run the server over stdin/stdout (what editors start), or on a TCP port."""
    if tcp:
        from game.lsp.server import serve_tcp

        serve_tcp(host, port, manual_clock)
        return
    out = sys.stdout.buffer

    def write(data: bytes) -> None:
        out.write(data)
        out.flush()

    greeting = wire.greet(wire.reader(sys.stdin.buffer), write)
    if greeting.request is None:
        return  # the editor left before it began
    from game.lsp.server import serve_stdio

    serve_stdio(greeting, manual_clock)
