"""The list's index: each story file's card, found by where the file is and its stamp, without reading the file.

Finding a story in the cache of checked stories means reading the whole file
and hashing its bytes: the bytes are the key (`game.story_cache`). For a
facilitator's folder of a hundred stories that is more work than drawing the
list, and it grows with every story. So the cache keeps one more sealed file,
`index.list.json`, with a record for each story file it has confirmed: the
file's absolute path, its *stamp* (size, modification and change times in
nanoseconds, inode and device, as the file system keeps them), the key its
bytes had, and its card and diagnostics.

The list's first frame then needs only the folder's listing: a file whose
stamp is the one recorded shows its card at once; any other says
"checking…". The stamp only decides what is shown first. Every file is
still read and confirmed by its bytes right after the first frame
(`library.check_rest`), and always before it is opened or played, so a file
changed without its stamp changing shows its old card for a moment and is
never played as the old story.

The index is read as the rest of the cache is: its seal first, then each
record re-checked as it is used, as a cache entry's card is
(`checked.found_from_plain`). It is void when the game's checking code has
changed (`code_stamp`), keeps at most the cache's number of stories, the
most recently confirmed first, and leaves out a record too large to be
worth keeping there (a file with hundreds of problems is simply checked).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from game.checked import Card, found_from_plain, found_to_plain
from game.plaindata import Unexpected, encode, items
from game.storage import parse_json

if TYPE_CHECKING:
    from game.checked import Checked
    from game.diagnostics import Diagnostic

NAME = ("index", "list")
"""The index's key and kind among the cache's sealed files: `index.list.json`."""
MAX_BYTES = 8 * 1024 * 1024
MAX_RECORD_BYTES = 16 * 1024
"""A record larger than this (a story with very many problems) is left out: that story is simply checked."""


def stamp(info: os.stat_result) -> list[int]:
    """What the file system says about a file that changes whenever the file is written, moved or replaced."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


class StoryIndex:
    """The records read from the index (each checked when it is used) and those noted since (`merged` writes them)."""

    def __init__(self, code: str, records: dict[str, list] | None = None):
        self.code = code
        self._read: dict[str, list] = records or {}
        self._noted: dict[str, list] = {}

    @classmethod
    def read(cls, body: bytes | None, code: str) -> StoryIndex:
        """The index from its sealed body (None: there is none); empty when it was written for other checking code."""
        if body is None:
            return cls(code)
        try:
            written_for, files = items(parse_json(body, "the index"), 2)
            if written_for != code:
                return cls(code)
            records = {}
            for record in items(files):
                file = items(record, 5)[0]
                if type(file) is str:
                    records[file] = record
        except (Unexpected, ValueError, RecursionError):
            return cls(code)
        return cls(code, records)

    def listed(self, file: str, info: os.stat_result) -> tuple[Card | None, tuple[Diagnostic, ...]] | None:
        """The card and diagnostics recorded for `file` when its stamp is unchanged, else None."""
        where = os.path.abspath(file)
        record = self._read.get(where)
        if record is None or record[1] != stamp(info):
            return None
        return self._found(where, record, file)

    def confirmed(self, file: str, key: str) -> tuple[Card | None, tuple[Diagnostic, ...]] | None:
        """The card and diagnostics recorded for `file` when its bytes had this key (its cache entry is not read)."""
        where = os.path.abspath(file)
        record = self._read.get(where)
        if record is None or record[2] != key:
            return None
        return self._found(where, record, file)

    def _found(self, where: str, record: list, file: str) -> tuple[Card | None, tuple[Diagnostic, ...]] | None:
        try:
            return found_from_plain(record[3], record[4], file)  # diagnostics name the file as it was given
        except (Unexpected, ValueError, RecursionError):
            self._read.pop(where, None)  # thrown away: the file is checked, and its record written again
            return None

    def note(self, file: str, info: os.stat_result, key: str, checked: Checked) -> None:
        """Keep what confirming `file` found (its stamp taken before its bytes were read), for `merged`.

        Records are found by the file's absolute path, so a folder named from
        another working folder is never taken for this one."""
        where = os.path.abspath(file)
        record = [where, stamp(info), key, *found_to_plain(checked, file)]
        if len(encode(record)) <= MAX_RECORD_BYTES:
            self._noted[where] = record

    @property
    def noted(self) -> bool:
        return bool(self._noted)

    def merged(self, current: StoryIndex, limit: int) -> bytes | None:
        """The index to write: the records noted here, then those of `current` (the index as it is on disk now,
        which another window may have written) for other files, at most `limit` in all; None when that changes nothing.
        """
        noted, self._noted = self._noted, {}
        if current.code == self.code and all(current._read.get(f) == r for f, r in noted.items()):
            return None
        kept = [r for f, r in current._read.items() if f not in noted] if current.code == self.code else []
        return encode([self.code, [*noted.values(), *kept][:limit]])
