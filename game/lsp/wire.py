"""The language server's messages on the wire: frames, the replies to broken ones, and a quick first answer.

An editor and the server exchange JSON-RPC messages, each framed by a
`Content-Length` header. A client that sends one bad frame (a wrong length, a
header without its blank line, a body that is no JSON) must not silence the
server for good, so frames are read here, not by the LSP library: after a bad
frame the reader finds the next `Content-Length` header and carries on, and
a body that cannot be read is answered with the JSON-RPC error for it (-32700
for text that is no JSON, -32600 for JSON that is no request) so the editor
does not wait for an answer that never comes.

Importing the LSP library's types takes most of a second on a slow machine,
and an editor waits for the answer to its first request (`initialize`)
before it sends anything else. So the server answers `initialize` from here,
with the capabilities it is about to have, before the library is imported
(`greet`); the library then replays the request to set itself up, and its
own answer, the same one, is dropped. Nothing here imports the library.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, BinaryIO

from game import __version__
from game.storage import parse_json

NAME = "second-chance"
MAX_BODY = 64 * 1024 * 1024
"""A frame claiming a longer body is refused (a scenario file may be 8 MiB; JSON escapes it to a few times that)."""
TRIGGERS = ['"', ".", "[", "{", " ", ","]
"""Characters after which the editor asks for completion without being told to."""

PARSE_ERROR, INVALID_REQUEST, SERVER_NOT_INITIALIZED = -32700, -32600, -32002

_HEADER = re.compile(rb"content-length:", re.I)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_LENGTH = re.compile(rb"content-length:[ \t]*(\d{1,12})[ \t]*\r?(?:\n|$)", re.I)
_NEXT_FRAME = re.compile(rb"content-length:[ \t]*\d+[ \t]*\r?\n", re.I)


class Frames:
    """Splits a byte stream into message bodies, finding its feet again after anything broken.

    `feed` takes the bytes read so far and returns the complete bodies, and
    a note for each stretch it had to throw away.
    """

    def __init__(self, data: bytes = b""):
        self.buffer = bytearray(data)

    def feed(self, data: bytes = b"") -> list[bytes | str]:
        self.buffer += data
        out: list[bytes | str] = []
        while True:
            buffer = self.buffer
            header = _HEADER.search(buffer)
            if header is None:
                keep = 15  # a header may be arriving in pieces
                if buffer[:-keep].strip():
                    out.append("text outside a frame was skipped")
                del buffer[:max(0, len(buffer) - keep)]
                return out
            if buffer[:header.start()].strip():
                out.append("text outside a frame was skipped")
            del buffer[:header.start()]
            end = _HEADER_END.search(buffer)
            if end is None:
                if len(buffer) > 4096:  # no header is that long: skip this one
                    out.append("a header without its end was skipped")
                    del buffer[:len("content-length:")]
                    continue
                return out
            length = _LENGTH.match(buffer, 0, end.end())
            if length is None or int(length.group(1)) > MAX_BODY:
                out.append("a frame with no usable Content-Length was skipped")
                del buffer[:end.end()]
                continue
            start = end.end()
            size = int(length.group(1))
            cut = _NEXT_FRAME.search(buffer, start, start + size)
            if cut is not None:  # the length was too long: the next frame's header is inside this body
                size = cut.start() - start
            elif len(buffer) < start + size:
                return out
            out.append(bytes(buffer[start:start + size]))
            del buffer[:start + size]


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def error(ident: Any, code: int, message: str) -> dict:
    return {"jsonrpc": "2.0", "id": ident, "error": {"code": code, "message": message}}


def decode(body: bytes) -> tuple[dict | None, dict | None]:
    """A body as a message, or the error reply it earns (the id is null: an unreadable request has none)."""
    try:
        message = parse_json(body, "the message")
    except ValueError as problem:
        return None, error(None, PARSE_ERROR, str(problem))
    response = isinstance(message, dict) and "id" in message and ("result" in message or "error" in message)
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0" or not (
            isinstance(message.get("method"), str) or response):
        ident = message.get("id") if isinstance(message, dict) and isinstance(message.get("id"), (int, str)) \
            else None
        return None, error(ident, INVALID_REQUEST, "the message is not a JSON-RPC 2.0 request or notification")
    return message, None


# --- the first answer ----------------------------------------------------------------------------------------

_ENCODINGS = ("utf-8", "utf-16", "utf-32")


def position_encoding(params: Any) -> str:
    """The client's first choice among the encodings the server speaks (UTF-16, the LSP's own, otherwise)."""
    offered = _offered(params, "general", "positionEncodings")
    if isinstance(offered, list):
        for kind in offered:
            if kind in _ENCODINGS:
                return kind
    return "utf-16"


def _offered(params: Any, *path: str) -> Any:
    """A client capability, or None."""
    here = params.get("capabilities") if isinstance(params, dict) else None
    for key in path:
        here = here.get(key) if isinstance(here, dict) else None
    return here


def capabilities(params: Any) -> dict:
    """What the server can do: the same as the library computes from the features `server.create_server`
    registers and the client's capabilities (a test holds the two together)."""
    sync: dict[str, Any] = {"openClose": True, "change": 2}
    for offered in ("willSave", "willSaveWaitUntil"):  # said (false: the server has no use for them) if asked
        if _offered(params, "textDocument", "synchronization", offered) is not None:
            sync[offered] = False
    sync["save"] = False
    return {
        "positionEncoding": position_encoding(params),
        "textDocumentSync": sync,
        "completionProvider": {"triggerCharacters": TRIGGERS},
        "hoverProvider": True,
        "definitionProvider": True,
        "referencesProvider": True,
        "documentSymbolProvider": True,
        "codeActionProvider": {"codeActionKinds": ["quickfix"]},
        "renameProvider": {"prepareProvider": True} if _offered(params, "textDocument", "rename", "prepareSupport")
        else True,
        "executeCommandProvider": {"commands": []},
        "workspace": {"workspaceFolders": {"supported": True, "changeNotifications": True},
                      "fileOperations": {}},
    }


def initialize_result(params: Any) -> dict:
    return {"capabilities": capabilities(params), "serverInfo": {"name": NAME, "version": __version__}}


class Greeting:
    """What `greet` read: the `initialize` request it answered, and the bytes that came after it."""

    def __init__(self, request: dict | None, rest: bytes):
        self.request = request
        self.rest = rest


def greet(read: Callable[[int], bytes], write: Callable[[bytes], Any]) -> Greeting:
    """Read until the client's `initialize` request and answer it at once.

    Requests before it are answered "not initialized" (as the LSP says), and
    broken frames with their error; an `exit` (or the end of the input)
    before it returns a Greeting with no request.
    """
    frames = Frames()
    while True:
        chunk = read(65536)
        if not chunk:
            return Greeting(None, b"")
        items = frames.feed(chunk)
        for place, item in enumerate(items):
            if isinstance(item, str):
                continue
            message, problem = decode(item)
            if problem is not None:
                write(frame(problem))
                continue
            assert message is not None
            method = message.get("method")
            if method == "initialize" and "id" in message:
                answer = initialize_result(message.get("params"))
                write(frame({"jsonrpc": "2.0", "id": message["id"], "result": answer}))
                later = [b"Content-Length: %d\r\n\r\n" % len(body) + body
                         for body in items[place + 1:] if isinstance(body, bytes)]
                return Greeting(message, b"".join(later) + bytes(frames.buffer))
            if method == "exit":
                return Greeting(None, b"")
            if "id" in message and method is not None:
                write(frame(error(message["id"], SERVER_NOT_INITIALIZED, "the server is not initialized yet")))


def reader(stream: BinaryIO) -> Callable[[int], bytes]:
    """A function that returns what is there to read (at least one byte, or b"" at the end)."""
    read1 = getattr(stream, "read1", None)
    return read1 if read1 is not None else stream.read
