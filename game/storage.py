"""The player's files: named safely, written atomically, shared between windows, never lost.

Everything the game writes (saves, the record of endings, settings, workshop
logs, handouts) goes through here, so four promises hold in one place:

- a file name made from data (a scenario id, a team name) can never leave its
  folder: `safe_path` refuses a name with a separator, `..`, a control
  character or anything outside a plain file-name pattern;
- a write goes through a temporary file and a rename, so a crash never leaves
  half a file;
- two game windows can update one file without losing each other's changes
  (`locked` serialises them);
- a file that cannot be read is moved aside under a name no other file has,
  never deleted and never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:  # POSIX; elsewhere two windows are not serialised, but each write is still atomic
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

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


def write_atomic(path: Path, text: str, replace: bool = True) -> None:
    """Write through a temporary file and a rename, so a crash never leaves half a file.

    With `replace=False` a file that exists is never replaced (FileExistsError
    instead): the temporary file is hard-linked to its name, which fails if
    the name is taken, even by a file made a moment ago. Where hard links are
    not allowed (some shared or FAT drives), an exclusive create is used.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
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
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(text)
    finally:
        Path(tmp).unlink(missing_ok=True)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside `path` while reading and rewriting it (other windows wait)."""
    lock_path = path.with_name(f".{path.name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def set_aside(path: Path) -> Path | None:
    """Move an unreadable file out of the way under a new name, keeping it; None if it could not move.

    The new name carries the time and, when needed, a counter; it is claimed
    with an exclusive create before the rename, so two files set aside in the
    same second never overwrite each other.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for attempt in range(1000):
        extra = f"-{attempt + 1}" if attempt else ""
        target = path.with_name(f"{path.stem}.unreadable-{stamp}{extra}{path.suffix}")
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        except OSError:
            return None
        os.close(fd)
        try:
            os.replace(path, target)
        except OSError:
            target.unlink(missing_ok=True)
            return None
        return target
    return None  # pragma: no cover - a thousand files set aside in one second
