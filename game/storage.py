"""The player's files: named safely, written atomically, shared between windows, never lost.

Everything the game writes (saves, the record of endings, settings, workshop
logs, handouts, an imported or new story) goes through here, so four promises hold in one place:

- a file name made from data (a scenario id, a team name) can never leave its
  folder: `safe_path` refuses a name with a separator, `..`, a control
  character or anything outside a plain file-name pattern;
- a write goes through a temporary file and a rename, so a crash never leaves
  half a file, and the game's own files are readable by their owner alone
  while a file the user asked for gets the mode their umask gives;
- two game windows can update one file without losing each other's changes
  (`locked` serialises them, with the `filelock` package: the same lock on
  Linux, macOS and Windows);
- a file is read only when it is a regular file, and only up to a size cap
  (`read_text`): a pipe, a device such as /dev/zero, or a link loop in its
  place is refused at once, never waited on or read without end;
- a file that cannot be read is moved aside under a name no other file has,
  never deleted and never overwritten;
- a file's JSON is read into a sentence when it cannot be used (`parse_json`):
  the line and column of a typo, or that it nests too deeply, never a parser's
  own words about its stack.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\Z")
"""A file name's stem made from data: letters, digits, `_`, `.` and `-`, starting with a letter or digit."""


class UnsafeName(ValueError):
    """A name made from data that would not stay inside its folder (or is no plain file name)."""


def safe_path(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/stem+suffix`, or UnsafeName when `stem` could name anything but a plain file in `folder`."""
    if not isinstance(stem, str) or not SAFE_STEM.match(stem) or ".." in stem:
        from game.safetext import quote

        raise UnsafeName(f"`{quote(stem)}` cannot be used as a file name (only letters, digits, `-`, `_` and "
                         "`.` are allowed)")
    folder = Path(folder)
    path = folder / f"{stem}{suffix}"
    if path.parent != folder or os.path.isabs(stem):  # pragma: no cover - the pattern already refuses these
        raise UnsafeName(f"`{stem}` would leave the folder {folder}")
    return path


class NotAFolder(FileExistsError):
    """Something other than a folder (a file, a link to nothing) where the game keeps a folder of files."""


def blocked(folder: Path) -> str | None:
    """What sits where `folder` (or a folder above it) belongs and what to do, when that is not a folder.

    The sentence fits every file the game writes (a save, a new story, a handout); a caller that makes the
    folder again by itself (the saves) says so after it."""
    blocker = next((p for p in (folder, *folder.parents) if os.path.lexists(p) and not os.path.isdir(p)), None)
    if blocker is None:
        return None
    kind = "a link to something that is not there" if os.path.islink(blocker) else "a file"
    return f"{blocker} is {kind}, where a folder is needed: move it away or rename it"


def make_folder(folder: Path) -> None:
    """Make `folder` (and those above it) if it is missing; NotAFolder, in words saying what sits in its place
    and what to do, when a file does."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise NotAFolder(blocked(folder) or f"{folder} could not be made") from None


def write_atomic(path: Path, text: str | bytes, replace: bool = True, *, durable: bool = True,
                 private: bool = True) -> None:
    """Write through a temporary file and a rename, so a reader sees the old file or the new, never half.

    Text is written as UTF-8, bytes as they are. With `durable` (the player's
    files) the data is forced to disk before the rename, so a crash never
    leaves half a file; without it (a cache, whose torn entry is only a miss)
    the rename alone keeps readers whole.

    With `replace=False` a file that exists is never replaced (FileExistsError
    instead): the temporary file is hard-linked to its name, which fails if
    the name is taken, even by a file made a moment ago. Where hard links are
    not allowed (some shared or FAT drives), an exclusive create is used.

    A `private` file (a save, the cache, settings, a log) is readable by its owner alone; a file the user asked
    for, to keep or to share (a scenario `import` writes, a workshop's handouts), gets the mode any of their
    programs would give it (the umask's).
    """
    mode, encoding = ("w", "utf-8") if isinstance(text, str) else ("wb", None)
    make_folder(path.parent)
    if private:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    else:  # created with 0o666, which the umask narrows as it does for every program
        import secrets  # here: reading, all the list's first frame does, never needs it

        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            with open(path, mode.replace("w", "x"), encoding=encoding) as handle:
                handle.write(text)
    finally:
        Path(tmp).unlink(missing_ok=True)


LOCK_TIMEOUT = 30.0
"""Seconds to wait for another window's lock before giving up with an OSError (a save is a few milliseconds)."""


def lock_path(path: Path) -> Path:
    """The lock file beside `path` that every reader-and-writer of `path` holds."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside `path` while reading and rewriting it (other windows wait).

    The lock is re-entrant within one thread (a save that sets a damaged file
    aside under the lock takes it again safely), and exclusive between
    threads and processes.
    """
    from filelock import FileLock  # imported when a lock is first taken: start-up never pays for it

    target = lock_path(path)
    make_folder(target.parent)
    lock = FileLock(str(target), timeout=LOCK_TIMEOUT, is_singleton=True)
    try:
        lock.acquire()
    except TimeoutError as problem:
        raise OSError(f"another window has held {target} for over {LOCK_TIMEOUT:.0f} seconds") from problem
    try:
        yield
    finally:
        lock.release()


class NotAFile(OSError):
    """Something other than a regular file (a pipe, a socket, a device, a folder) where a file was expected."""

    def __init__(self, message: str, folder: bool = False) -> None:
        super().__init__(message)
        self.folder = folder


class TooLarge(OSError):
    """A file over the size its reader accepts (`size` in bytes, when known before reading)."""

    def __init__(self, message: str, size: int | None = None) -> None:
        super().__init__(message)
        self.size = size


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; FileNotFoundError, NotAFile, TooLarge or OSError.

    The file is opened without blocking (a pipe would otherwise wait for a
    writer forever) and checked on the opened handle, so what is read is what
    was checked. A link is followed to a regular file; a link loop is an
    OSError.
    """
    return read_file(path, limit)[0]


def read_file(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """`read_bytes`, with what the file system said about the file read (size, times, inode), before reading it."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if not os.path.islink(path):
            raise
        raise FileNotFoundError(f"{path} is a link to {os.readlink(path)}, which is not there") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            folder = stat.S_ISDIR(info.st_mode)
            kind = "a folder" if folder else "not a regular file (a pipe, socket or device)"
            raise NotAFile(f"{path} is {kind}", folder)
        if info.st_size > limit:
            raise TooLarge(f"{path} is {info.st_size:,} bytes, over the {limit:,}-byte limit", info.st_size)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TooLarge(f"{path} is over the {limit:,}-byte limit")
    return data, info


def read_text(path: Path, limit: int) -> str:
    """`read_bytes` decoded as UTF-8 (a byte-order mark dropped); UnicodeDecodeError when it is not."""
    return read_bytes(path, limit).decode("utf-8").removeprefix("\ufeff")


class BadJSON(ValueError):
    """JSON that cannot be used, in a reader's words: `why` says what is wrong, `pos` is the character where the
    parser stopped (None when the whole text is at fault: it nests too deeply, or is no UTF-8), and `deep` is
    true when it nests deeper than a parser's stack."""

    def __init__(self, message: str, why: str, pos: int | None = None, deep: bool = False) -> None:
        super().__init__(message)
        self.why, self.pos, self.deep = why, pos, deep


def parse_json(text: str | bytes, what: str) -> Any:
    """JSON from anything a stranger may have written (a save, a log, a Twine story's data, a phone's or an
    editor's message; `what` names it: "the log", "the message"); BadJSON with a sentence when it cannot be
    read: where the typo is, that it nests too deeply, or that it holds a number too long to read. Python's
    parser runs out of stack on deep nesting, and names a function of its own for a long number: its words
    mean nothing to a reader. Every JSON the game reads goes through here (tests/test_layers.py holds it)."""
    try:
        return json.loads(text)
    except RecursionError:
        why = "it is nested too deeply to read"
        raise BadJSON(f"{what} is not valid JSON: {why}", why, deep=True) from None
    except UnicodeDecodeError:
        why = "it is not UTF-8 text"
        raise BadJSON(f"{what} is not valid JSON: {why}", why) from None
    except json.JSONDecodeError as problem:
        raise BadJSON(f"{what} is not valid JSON (line {problem.lineno}, column {problem.colno}: "
                      f"{problem.msg})", problem.msg, problem.pos) from None
    except ValueError:  # the only other: a whole number longer than Python converts
        import sys

        limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
        why = f"it holds a number more than {limit:,} digits long"
        raise BadJSON(f"{what} is not valid JSON: {why}", why) from None


def present(path: Path) -> bool:
    """True when anything at all is at `path`: a file, a pipe, a folder, a link even to nothing or to itself."""
    return os.path.lexists(path)


def set_aside(path: Path) -> Path | None:
    """Move an unreadable file out of the way under a new name, keeping it; None if it could not move.

    The new name carries the time and, when needed, a counter; it is claimed
    with an exclusive create before the rename, so two files set aside in the
    same second never overwrite each other. A folder in a file's place is
    moved aside whole, with whatever it holds.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = os.path.isdir(path) and not os.path.islink(path)
    for attempt in range(1000):
        extra = f"-{attempt + 1}" if attempt else ""
        target = path.with_name(f"{path.stem}.unreadable-{stamp}{extra}{path.suffix}")
        try:
            if folder:
                os.mkdir(target, 0o700)
            else:
                os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        except OSError:
            return None
        try:
            os.replace(path, target)
        except OSError:
            (os.rmdir if folder else os.unlink)(target)
            return None
        return target
    return None  # pragma: no cover - a thousand files set aside in one second
