"""Stories checked before, kept in the data folder so the next start need not check them again.

Checking a story means parsing its TOML and building the model, which for a
long story takes longer than everything else the game does at start. The
result depends only on the file's bytes and on the game's code, so it is kept
under a key made of both: a SHA-256 of the file's bytes and a fingerprint of
the game (its version, the code that reads and checks stories, and the shared
advice catalog). An edited story, a new version of the game or a changed
catalog simply gets a new key.

Each story has two files in `<data folder>/cache/stories/`: a small *card*
(what the list of scenarios shows, and every diagnostic the check found, so a
warning or a broken file is never hidden by the cache) and, for a playable
story, the *story* itself as plain JSON (`game/loader/stored.py`).

A file in that folder may be damaged, copied from another computer or written
by someone else, so nothing in it is trusted blindly:

- it is JSON, never pickle or code: reading it can only give lists, strings
  and numbers;
- every file is sealed with an HMAC under a random key kept beside it
  (`key`, readable by this user only) and bound to its own name, so a
  truncated, edited, renamed or foreign entry fails the seal;
- what passes the seal is still re-checked as it is read (exact shapes, text
  the loader would let through, ids, references and conditions parsed again
  by the game's grammar), so even a forged entry cannot put a control
  character on the screen or a dead end in a story;
- anything that fails is ignored and the story is checked again from its
  source, and the entry rewritten;
- files are opened without following anything but a regular file (a pipe
  named like an entry would block a reader), with a size limit.

Two windows share the folder without a lock: an entry is written whole to a
temporary file and renamed into place, and both windows would write the same
bytes for the same key. The folder is bounded: past `MAX_STORIES` cards or
`MAX_BYTES` in all, the oldest entries are removed. Deleting the folder (or
`second-chance cache --clear`) is always safe.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import os
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from game import paths, story_index
from game.checked import Card, Checked, found_from_plain, found_to_plain
from game.plaindata import Unexpected, encode, items
from game.storage import parse_json, read_file, write_atomic
from game.story_index import StoryIndex

if TYPE_CHECKING:
    from game.diagnostics import Diagnostic
    from game.loader import LoadResult

FORMAT = "second-chance-cache-1"
"""Changes whenever what an entry holds changes, which makes every older entry a miss."""

MAX_STORY_BYTES = 8 * 1024 * 1024
"""Only story files up to this size are looked up (the loader refuses larger ones anyway)."""
MAX_CARD_BYTES = 4 * 1024 * 1024
MAX_STORIES = 400
"""At most this many stories are kept; the oldest go first."""
MAX_BYTES = 96 * 1024 * 1024
"""At most this much in all; the oldest entries go first."""
PRUNE_EVERY = 32
STALE_SECONDS = 3600
"""A temporary file older than this was left by a window that stopped mid-write, and is removed."""

# The modules whose code decides what checking a story finds: a change to any of them changes the key.
_CHECKING_CODE = ("diagnostics.py", "expr.py", "model.py", "safetext.py", "locate.py", "plaindata.py", "checked.py",
                  "story_cache.py", "sources.py", "wording.py")


def folder() -> Path:
    """Where the cache lives: `cache/stories/` in the data folder (`paths.cache_dir`)."""
    return paths.cache_dir() / "stories"


def _checking_code() -> list[Path]:
    """The files whose contents decide what checking a story finds: the checking code and the advice catalog."""
    import game

    package = Path(game.__file__).resolve().parent
    files = [package / name for name in _CHECKING_CODE]
    files += sorted((package / "loader").glob("*.py"))
    files.append(paths.catalog_path())
    return files


@lru_cache(maxsize=1)
def fingerprint() -> bytes:
    """The game's part of every key: the entry format, the version, the checking code and the advice catalog."""
    import game

    digest = hashlib.sha256(f"{FORMAT}\0{game.__version__}\0".encode())
    for path in _checking_code():
        digest.update(path.name.encode() + b"\0")
        data = read_regular(path, MAX_STORY_BYTES)
        digest.update(hashlib.sha256(data).digest() if data is not None else b"missing")
    return digest.digest()


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The stamps of the files `fingerprint` reads, which change when they do: the list's index is void without
    reading them (see `game.story_index`)."""
    import game

    digest = hashlib.sha256(f"{FORMAT}\0{game.__version__}\0".encode())
    for path in _checking_code():
        try:
            digest.update(f"{path.name}\0{story_index.stamp(path.stat())}\0".encode())
        except OSError:
            digest.update(f"{path.name}\0missing\0".encode())
    return digest.hexdigest()


def read_regular(path: Path | str, limit: int) -> bytes | None:
    """A regular file's bytes, or None for anything `storage.read_bytes` refuses (a cache only ever misses)."""
    found = _read_regular(path, limit)
    return None if found is None else found[0]


def _read_regular(path: Path | str, limit: int) -> tuple[bytes, os.stat_result] | None:
    try:
        return read_file(Path(path), limit)
    except OSError:
        return None


# --- the folder ---------------------------------------------------------------------------------


class StoryCache:
    """The cache in one folder: look a story up by its bytes, keep what a check found, stay bounded.

    With `defer=True`, entries for stories checked now are written only when
    `flush` is called (the full-screen game does it after its first frame).
    """

    def __init__(self, where: Path | None = None, defer: bool = False, max_stories: int = MAX_STORIES,
                 max_bytes: int = MAX_BYTES):
        self.folder = Path(where) if where is not None else folder()
        self._where = str(self.folder)
        self.defer = defer
        self.max_stories = max_stories
        self.max_bytes = max_bytes
        self._key: bytes | None = None
        self._pending: list[tuple[str, str, Checked]] = []
        self._writes = 0
        self._index: StoryIndex | None = None

    # -- looking up and checking --

    def check(self, path: Path, at_once: bool = True) -> Checked | None:
        """What checking `path` finds: from the cache when it holds this file's bytes, else by checking it now.

        With `at_once=False` a story that is not in the cache is not checked,
        and None comes back (the caller checks it later).
        """
        path = Path(path)
        file = str(path)
        read = _read_regular(path, MAX_STORY_BYTES)
        if read is None:  # not a regular file, too large or unreadable: the loader says which, every time
            return self._fresh(path) if at_once else None
        data, info = read
        key = hashlib.sha256(fingerprint() + hashlib.sha256(data).digest()).hexdigest()
        found = self.index().confirmed(file, key) or self._read_card(key, file)
        if found is not None:
            card, diagnostics = found
            checked = Checked(card, diagnostics, load=lambda: self._load_story(key, path, data, diagnostics))
        elif not at_once:
            return None
        else:
            checked = Checked.of(_check_bytes(data, path))
            self._keep(key, file, checked)
        self.index().note(file, info, key, checked)
        return checked

    def listed(self, path: Path, info: os.stat_result | None) -> Checked | None:
        """What the list's index recorded for `path`, when the file's stamp (`info`, from listing its folder) is
        unchanged: its card and diagnostics, to show before the file is read. None: not known, or changed.
        Its story is not in it: `check` confirms the file by its bytes before anything opens it."""
        found = self.index().listed(str(path), info) if info is not None else None
        return None if found is None else Checked(*found)

    def index(self) -> StoryIndex:
        """The list's index as this window read it (once), with what it has confirmed since."""
        index = self._index
        if index is None:
            index = self._index = StoryIndex.read(self._read_sealed(*story_index.NAME, story_index.MAX_BYTES),
                                                  code_stamp())
        return index

    def write_index(self) -> None:
        """Write what this window confirmed into the list's index, beside what another window may have written
        since (nothing is written when nothing changed; a failure to write is no error: it is a cache)."""
        if self._index is None or not self._index.noted:
            return
        current = StoryIndex.read(self._read_sealed(*story_index.NAME, story_index.MAX_BYTES), code_stamp())
        body = self._index.merged(current, self.max_stories)
        if body is not None:
            try:
                self._write_sealed(*story_index.NAME, body)
            except OSError:
                pass

    def flush(self) -> None:
        """Write the entries kept back while `defer` was set (a failure to write is no error: it is a cache)."""
        pending, self._pending = self._pending, []
        for key, file, checked in pending:
            self._write_entry(key, file, checked)

    def _fresh(self, path: Path) -> Checked:
        from game.loader import read_scenario

        return Checked.of(read_scenario(path))

    def _keep(self, key: str, file: str, checked: Checked) -> None:
        if self.defer:
            self._pending.append((key, file, checked))
        else:
            self._write_entry(key, file, checked)

    def _load_story(self, key: str, path: Path, data: bytes, diagnostics: tuple[Diagnostic, ...]) -> LoadResult:
        """The whole story: read back from the cache, or (when its entry is gone or damaged) checked again."""
        from game.loader import LoadResult
        from game.loader.stored import from_plain

        body = self._read_sealed(key, "story", MAX_STORY_BYTES * 4)
        if body is not None:
            was_enabled = gc.isenabled()
            gc.disable()  # many small objects and no cycles: collection passes would only slow this down
            try:
                return LoadResult(from_plain(parse_json(body, "the cache"), path), diagnostics)
            except (Unexpected, ValueError, RecursionError, TypeError):
                pass
            finally:
                if was_enabled:
                    gc.enable()
        result = _check_bytes(data, path)
        self._write_entry(key, str(path), Checked.of(result))
        return result

    def _read_card(self, key: str, file: str) -> tuple[Card | None, tuple[Diagnostic, ...]] | None:
        body = self._read_sealed(key, "card", MAX_CARD_BYTES)
        if body is None:
            return None
        try:
            return found_from_plain(*items(parse_json(body, "the cache"), 2), file)
        except (Unexpected, ValueError, RecursionError):
            return None

    # -- sealed files --

    def _path(self, key: str, kind: str) -> str:
        return os.path.join(self._where, f"{key}.{kind}.json")

    def _seal(self, secret: bytes, key: str, kind: str, body: bytes) -> bytes:
        return hmac.new(secret, f"{FORMAT}\0{key}\0{kind}\0".encode() + body, hashlib.sha256).hexdigest().encode()

    def _read_sealed(self, key: str, kind: str, limit: int) -> bytes | None:
        secret = self._secret(create=False)
        if secret is None:
            return None
        data = read_regular(self._path(key, kind), limit)
        if data is None:
            return None
        seal, _, body = data.partition(b"\n")
        if not hmac.compare_digest(seal, self._seal(secret, key, kind, body)):
            return None
        return body

    def _write_sealed(self, key: str, kind: str, body: bytes) -> None:
        secret = self._secret(create=True)
        if secret is None:
            return
        # not forced to disk: after a crash a torn entry fails its seal and is checked again
        write_atomic(Path(self._path(key, kind)), self._seal(secret, key, kind, body) + b"\n" + body, durable=False)

    def _write_entry(self, key: str, file: str, checked: Checked) -> None:
        """The story first and its card last: a card is only ever found beside its story.

        The folder is pruned on the first write and every `PRUNE_EVERY` after,
        so it never grows far past its bounds and a long run of writes stays cheap.
        """
        if self._writes % PRUNE_EVERY == 0:
            self.prune()
        self._writes += 1
        try:
            if checked.card is not None and checked._scenario is not None:
                from game.loader.stored import to_plain

                self._write_sealed(key, "story", encode(to_plain(checked._scenario)))
            self._write_sealed(key, "card", encode(found_to_plain(checked, file)))
        except OSError:
            pass

    def _secret(self, create: bool) -> bytes | None:
        """The random key the seals are made with, made on first write (readable by this user only)."""
        if self._key is not None:
            return self._key
        where = self.folder / "key"
        data = read_regular(where, 64)
        if data is not None and len(data) == 32:
            self._key = data
            return data
        if not create:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=".key.", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                import secrets  # here: reading the cache never needs it

                handle.write(secrets.token_bytes(32))
            try:
                os.link(tmp, where)  # only if there is none yet: a second window keeps the first one's key
            except FileExistsError:
                if data is not None:  # a damaged key: replace it, and every entry sealed with it is a miss
                    os.replace(tmp, where)
            except OSError:  # a file system without links
                os.replace(tmp, where)
            Path(tmp).unlink(missing_ok=True)
        except OSError:
            return None
        data = read_regular(where, 64)
        self._key = data if data is not None and len(data) == 32 else None
        return self._key

    # -- bounds --

    def _entries(self) -> tuple[dict[str, list[tuple[float, int, Path]]], list[tuple[float, Path]]]:
        """Each key's files (time, size, path), and the temporary files (time, path), as found in the folder."""
        entries: dict[str, list[tuple[float, int, Path]]] = {}
        temporary: list[tuple[float, Path]] = []
        try:
            listing = list(os.scandir(self.folder))
        except OSError:
            return entries, temporary
        for item in listing:
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if item.name.endswith(".tmp"):
                temporary.append((info.st_mtime, Path(item.path)))
                continue
            key, dot, rest = item.name.partition(".")
            if dot and rest in ("card.json", "story.json"):
                entries.setdefault(key, []).append((info.st_mtime, info.st_size, Path(item.path)))
        return entries, temporary

    def usage(self) -> tuple[int, int]:
        """How many stories are kept, and how many bytes they take."""
        entries, _ = self._entries()
        return len(entries), sum(size for files in entries.values() for _, size, _ in files)

    def prune(self) -> int:
        """Remove the oldest entries past the bounds, and temporary files a stopped window left; returns how many."""
        entries, temporary = self._entries()
        now = time.time()
        removed = sum(_remove(path) for mtime, path in temporary if now - mtime > STALE_SECONDS)
        total = sum(size for files in entries.values() for _, size, _ in files)
        if len(entries) <= self.max_stories and total <= self.max_bytes:
            return removed
        oldest = sorted(entries.values(), key=lambda files: max(mtime for mtime, _, _ in files))
        # down to three quarters of each bound, so the next few writes do not prune again
        while oldest and (len(oldest) > self.max_stories * 3 // 4 or total > self.max_bytes * 3 // 4):
            for _, size, path in oldest.pop(0):
                total -= size
                removed += _remove(path)
        return removed

    def clear(self) -> int:
        """Remove every entry and the key; returns how many files went."""
        removed = 0
        try:
            listing = list(os.scandir(self.folder))
        except OSError:
            return 0
        for item in listing:
            if item.name == "key" or item.name.endswith((".json", ".tmp")):
                removed += _remove(Path(item.path))
        self._key = None
        self._index = None
        return removed


def _check_bytes(data: bytes, path: Path) -> LoadResult:
    """Check a story from bytes already read, so the key and the result describe the same bytes."""
    from game.loader import LoadResult, read_text
    from game.loader.source import decode

    file = str(path)
    source, problems = decode(data, file)
    if source is None:
        return LoadResult(None, tuple(problems))
    return read_text(source, file, path)


def _remove(path: Path) -> int:
    try:
        path.unlink()
        return 1
    except OSError:
        return 0
