"""Reading a scenario's source: the size cap, the encoding, and TOML syntax with positions.

Everything here happens before the file means anything: a file that is too
large, not UTF-8, empty, not a regular file or not TOML stops here with one
located diagnostic, and the builder never sees it.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import tomli as tomllib  # the compiled wheels parse about twice as fast as the standard library

from game.diagnostics import ERROR, Diagnostic

MAX_BYTES = 8 * 1024 * 1024
"""Larger files are refused before parsing: no real scenario comes near it."""


def read_bytes(path: Path, file: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or why it cannot be read (never blocks on a pipe or device)."""
    def fail(code: str, message: str, hint: str) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(code, message, file, 1, 1, ERROR, hint)]

    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return fail("SC001", "is a folder, not a scenario file", "name a .toml file inside it")
        if not stat.S_ISREG(info.st_mode):
            return fail("SC001", "is not a regular file (a pipe, socket or device), so it was not read",
                        "name a .toml file saved by an editor")
        if info.st_size > MAX_BYTES:
            return fail("SC004", f"file is {info.st_size // 1024} KiB, over the {MAX_BYTES // (1024 * 1024)} MiB "
                        "limit", "split the story into several scenarios")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return fail("SC001", "file not found", "check the path, or run `second-chance list`")
    except IsADirectoryError:
        return fail("SC001", "is a folder, not a scenario file", "name a .toml file inside it")
    except OSError as problem:
        return fail("SC001", f"cannot read file: {problem.strerror or problem}", "check its permissions")
    return decode(data, file)


def decode(data: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text without a byte-order mark, or a diagnostic at the first bad byte."""
    if len(data) > MAX_BYTES:
        return None, [Diagnostic("SC004", f"file is over the {MAX_BYTES // (1024 * 1024)} MiB limit", file,
                                 hint="split the story into several scenarios")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        before = data[: problem.start]
        line = before.count(b"\n") + 1
        col = problem.start - (before.rfind(b"\n") + 1) + 1
        return None, [Diagnostic("SC002", f"file is not UTF-8 (byte 0x{data[problem.start]:02x})", file,
                                 line, col, ERROR, "save it as UTF-8 in your editor")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None, [Diagnostic("SC003", "file is empty", file, 1, 1, ERROR,
                                 "start from `second-chance new NAME`")]
    return text, []


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(text: str, file: str) -> tuple[dict | None, list[Diagnostic]]:
    """The parsed document, or one SC010 diagnostic placed where the problem is."""
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as problem:
        message = str(problem)
        line, col = 1, 1
        match = _TOML_POS.search(message)
        if match:
            line, col = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].strip()
        elif "end of document" in message:
            line = text.count("\n") + 1
        message = message[:1].lower() + message[1:]
        hint = None
        declared = re.match(r"cannot declare \((.*)\) twice", message)
        if declared:
            name = ".".join(part.strip(" '\"") for part in declared.group(1).split(","))
            message = f"[{name}] is declared twice"
        if declared or "overwrite" in message:
            hint = "each scene, ending and key may be defined only once"
        return None, [Diagnostic("SC010", f"TOML syntax: {message}", file, line, col, ERROR, hint)]
    except RecursionError:
        return None, [Diagnostic("SC010", "TOML syntax: nested too deeply", file,
                                 hint="flatten the arrays and tables")]
