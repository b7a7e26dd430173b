"""Carrying messages between the editor and the server: over stdin and stdout, or one TCP connection.

The LSP library (pygls) handles each message; reading the frames is ours
(`game.lsp.wire`), so that a broken frame costs the editor one error reply
and never the rest of the session, and so that a message whose parameters
do not fit the protocol gets the JSON-RPC error for it (-32602) instead of
no answer at all.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.server import JsonRPCServer

from game.lsp import wire
from game.storage import parse_json

log = logging.getLogger("game.lsp")
INVALID_PARAMS = -32602
logging.getLogger("pygls.protocol.json_rpc").setLevel(logging.CRITICAL)
"""The library logs a traceback for each message it cannot read; `deliver` says it once, in a line."""


class Out:
    """Writes frames to the editor. The library's own answer to the `initialize` request the server
    already answered (`wire.greet`) is dropped, and kept for a test to compare."""

    def __init__(self, write: Callable[[bytes], Any], flush: Callable[[], Any] | None = None,
                 answered: Any = None):
        self._write = write
        self._flush = flush
        self.answered = answered
        self.dropped: dict | None = None

    def write(self, data: bytes) -> None:
        if self.answered is not None:
            body = data.split(b"\r\n\r\n", 1)[-1]
            try:
                message = parse_json(body, "the reply")
            except ValueError:
                message = None
            if isinstance(message, dict) and message.get("id") == self.answered and "method" not in message:
                self.dropped, self.answered = message, None
                return
        self._write(data)
        if self._flush is not None:
            self._flush()

    def close(self) -> None:
        pass


def deliver(server: JsonRPCServer, item: bytes | str) -> None:
    """Hand one frame's body to the library, or answer what is wrong with it."""
    protocol = server.protocol
    if isinstance(item, str):
        log.warning("%s", item)
        return
    message, problem = wire.decode(item)
    if problem is not None:
        log.warning("%s", problem["error"]["message"])
        protocol.writer.write(wire.frame(problem))  # type: ignore[union-attr]
        return
    assert message is not None
    method = message.get("method")
    try:
        structured = protocol.structure_message(message)
    except JsonRpcException as error:
        why = error.__cause__ or error
        log.warning("%s with parameters that do not fit the protocol: %s", method, why)
        if "id" in message and method is not None:
            code = INVALID_PARAMS if isinstance(error, JsonRpcInvalidParams) else error.code
            reply = wire.error(message["id"], code, f"the parameters of `{method}` do not fit the protocol")
            protocol.writer.write(wire.frame(reply))  # type: ignore[union-attr]
        return
    try:
        protocol.handle_message(structured)
    except Exception:  # the library answers a failing request itself; this is the last net
        log.exception("could not handle %s", method)


async def pump(server: JsonRPCServer, read: Callable[[int], Awaitable[bytes]], first: bytes = b"",
               greeting: dict | None = None) -> None:
    """Read frames and hand them over until the input ends or the editor says `exit`."""
    stop = server._stop_event = threading.Event()
    if greeting is not None:  # answered already: the library sets itself up from it
        server.protocol.handle_message(server.protocol.structure_message(greeting))
    frames = wire.Frames(first)
    pending = frames.feed()
    while not stop.is_set():
        for item in pending:
            deliver(server, item)
        chunk = await read(65536)
        if not chunk:
            break
        pending = frames.feed(chunk)


def serve_stdio(server: JsonRPCServer, greeting: wire.Greeting) -> None:
    """Serve the editor that started the server, after `wire.greet` answered its `initialize`."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    read = wire.reader(stdin)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="second-chance-stdin")
    server.protocol.set_writer(Out(stdout.write, stdout.flush, (greeting.request or {}).get("id")))

    async def read_chunk(size: int) -> bytes:
        return await asyncio.get_running_loop().run_in_executor(pool, read, size)

    try:
        asyncio.run(pump(server, read_chunk, greeting.rest, greeting.request))
    except BrokenPipeError:
        log.error("the editor has gone; the server stops")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        server.shutdown()


def serve_tcp(server: JsonRPCServer, host: str, port: int) -> None:
    """Serve one editor that connects to `host:port`."""

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.protocol.set_writer(Out(writer.write))
        try:
            await pump(server, reader.read)
        finally:
            server.shutdown()

    async def listen() -> None:
        server._server = await asyncio.start_server(connection, host, port)
        async with server._server:
            await server._server.serve_forever()

    try:
        asyncio.run(listen())
    except (asyncio.CancelledError, KeyboardInterrupt, SystemExit):
        pass
