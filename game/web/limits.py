"""How many connections the workshop's server can hold: the system's open-file limit, raised where it may be.

Every connection is an open file, and so is the workshop's log. macOS starts
a program with room for 256 open files: 300 phones (or 300 idle sockets from
one laptop in the room) once took all of them, so real phones hung with no
message and the log could not be written ("Too many open files"). So at start
the server raises its soft limit as far as the hard limit allows, keeps
`RESERVE` files for everything else (the log, a crash log, the terminal,
Python's own files), and takes no more connections than what is left: raw
connections over it are closed at once (game.web.gate), and phones beyond
the phones' share are told "the vote is full" instead of hanging. When the
system keeps the phones' share below what was asked, `Budget.note` says so,
and where the limit is.
"""

from __future__ import annotations

import os

import attrs

RESERVE = 64
"""Files kept for everything but connections: the log and its temporary file, a crash log, the terminal,
lock files, and whatever Python and the console open later."""
WANTED = 8192
"""The soft limit asked for: room for a thousand phones and their page loads, with plenty to spare."""
MAC_OPEN_MAX = 10240
"""macOS refuses a soft limit above this even when the hard limit says "unlimited"."""
DISPLAYS = 8
"""Room displays, counted before phones."""


def raise_open_files(wanted: int = WANTED) -> tuple[int, int] | None:
    """Raise the soft open-file limit towards `wanted`, as far as the hard limit allows; the (soft, hard)
    limits after, or None where the system has no such limits to read (Windows)."""
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    unlimited = resource.RLIM_INFINITY
    target = wanted if hard == unlimited else min(hard, wanted)
    if soft != unlimited and soft < target:
        for attempt in (target, min(target, MAC_OPEN_MAX)):
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (attempt, hard))
                break
            except (ValueError, OSError):
                continue
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def open_now() -> int:
    """Files this process has open now (an estimate of 32 where the system does not list them)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            return max(0, len(os.listdir(folder)) - 1)  # less the listing's own
        except OSError:
            continue
    return 32


@attrs.frozen
class Budget:
    """What the server may take: `connections` raw connections at once, `phones` of them phones' sockets."""

    files: int | None
    """The soft open-file limit (None: not known)."""
    connections: int
    phones: int
    note: str = ""
    """A sentence when the system keeps the phones below what was asked (else "")."""


def budget(phones_wanted: int, files: tuple[int, int] | None = None, in_use: int | None = None) -> Budget:
    """The connections and phones this process can hold, after raising its limit (`files` and `in_use` are
    the limits and the files open now, read from the system unless given)."""
    files = files if files is not None else raise_open_files()
    soft = files[0] if files is not None else None
    if soft is None or soft < 0 or soft >= 10**9:  # no limit to speak of
        return Budget(soft, phones_wanted * 2 + DISPLAYS + 64, phones_wanted)
    in_use = open_now() if in_use is None else in_use
    connections = max(16, soft - in_use - RESERVE)
    pages = max(8, connections // 8)  # page loads and script fetches beside the phones' sockets
    phones = max(1, min(phones_wanted, connections - DISPLAYS - pages))
    note = ""
    if phones < phones_wanted:
        note = (f"This computer lets the game open at most {soft:,} files at once, so at most {phones:,} phones "
                "can join (the system's limit on open files, `ulimit -Hn`: an administrator can raise it).")
    return Budget(soft, connections, phones, note)
