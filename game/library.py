"""The scenarios on offer: finding one by name, reading folders safely, one entry per file.

Every front end (the command line, the full-screen game, a browser or a
workshop) asks here for "the scenario called X" and for the list to offer, so
the rules (built-in names, files, folders given with `--scenarios`) and the
message when nothing matches exist once.

A scenario file someone downloaded may be broken. It still gets an entry,
with its diagnostics, so the player sees it and the author sees why. Folders
are read without following anything that is not a regular file: a pipe named
`x.toml` would block a reader for ever, and a symlink loop has no end, so both
are skipped and reported.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from game import paths
from game.checked import Card, Checked
from game.diagnostics import ERROR, Diagnostic
from game.safetext import quote
from game.story_cache import StoryCache

if TYPE_CHECKING:
    from game.model import Scenario


class UnknownScenario(LookupError):
    """No scenario has that name; the message lists what there is."""

    def __init__(self, name: str, known: Sequence[str]):
        self.name = name
        self.known = tuple(known)
        super().__init__(f"no scenario called `{quote(name)}`. Scenarios: {', '.join(self.known)}. "
                         "You can also give the path of a .toml file.")


class Skipped(NamedTuple):
    """A file that looked like a scenario but was not read, and why."""

    path: Path
    why: str

    def format(self) -> str:
        return f"skipped {quote(self.path, 200)}: {self.why}"


def _kind(path: Path) -> str | None:
    """None for a regular file (after links); otherwise why it is not read."""
    try:
        info = path.stat()
    except OSError as problem:
        if problem.errno == errno.ELOOP:
            return "a symbolic link that loops"
        if problem.errno == errno.ENOENT:
            return "a symbolic link to nothing"
        return f"cannot be read ({problem.strerror or problem})"
    if stat.S_ISREG(info.st_mode):
        return None
    if stat.S_ISDIR(info.st_mode):
        return "a folder"
    return "not a regular file (a pipe, socket or device)"


def scan_folder(folder: Path, recursive: bool = False, exclude: Sequence[str] = ()) -> tuple[list[Path], list[Skipped]]:
    """The `*.toml` files in a folder (sub-folders too when `recursive`), in name order, and what was skipped.

    Data files (the advice catalog, help resources) are left out. Sub-folders
    are entered only when they are real folders, never through a link, so a
    link back up the tree cannot make the walk endless. `exclude` holds glob
    patterns matched against each path relative to the folder.
    """
    folder = Path(folder)
    found: list[Path] = []
    skipped: list[Skipped] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
        for name in sorted(files):
            path = base / name
            if not name.endswith(".toml") or _excluded(path, folder, exclude):
                continue
            why = _kind(path) if name.isprintable() else "its name holds characters a terminal would obey"
            if why is None:
                found.append(path)
            else:
                skipped.append(Skipped(path, why))
        if recursive:
            dirs[:] = [d for d in dirs if not _excluded(base / d, folder, exclude)]
    return found, skipped


def _excluded(path: Path, folder: Path, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    relative = path.relative_to(folder)
    return any(relative.match(p) or path.name == p or relative.as_posix().startswith(p.rstrip("/") + "/")
               for p in patterns)


# Patterns, compiled when first used (by `validate` and the editor): the list's first frame never needs them.
_SCENARIO_LIKE = (r"^[ \t]*\[\[?[ \t]*(?:scenario|scenes|endings|cast)[ \t]*[\].]|^#:schema[ \t]+\S*"
                  r"(?:second-chance|scenario\.schema)")
_CATALOG_LIKE = r"^[ \t]*\[[ \t]*advice[ \t]*\."
_RESOURCES_LIKE = r"^[ \t]*(?:\[\[[ \t]*resources[ \t]*\]\]|intro[ \t]*=)"


def kind_of(text: str) -> str:
    """What a TOML file holds, whatever its name: "scenario" (also a blank file, about to become one),
    "catalog" (only [advice.ID] tables), "resources" (help resources) or "other" (not the game's)."""
    if not text.strip() or re.search(_SCENARIO_LIKE, text, re.M):
        return "scenario"
    if re.search(_CATALOG_LIKE, text, re.M):
        return "catalog"
    if re.search(_RESOURCES_LIKE, text, re.M):
        return "resources"
    return "other"


def is_data_file(path: Path) -> bool:
    """The game's own advice catalog and help resources, beside the built-in stories (the one folder whose
    files the game wrote itself; in any other folder a file is judged by what it holds, `Entry.story`)."""
    return path.name in paths.DATA_FILES


def builtin_scenarios() -> list[Path]:
    """Every built-in scenario file, in name order."""
    files, _ = scan_folder(paths.builtin_dir())
    return [p for p in files if not is_data_file(p)]


def folder_scenarios(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """The `.toml` files directly in a folder given with `--scenarios`, and what was skipped: whatever their
    names, for what a file holds is known only once it is read (a story saved as `advice.toml` is a story)."""
    return scan_folder(folder)


def find(name: str, folders: Iterable[Path] = ()) -> Path:
    """The file for `name`: a path to a file, or a scenario's file name (built in, or in `folders`).

    Raises UnknownScenario, whose message lists every name on offer.
    """
    candidate = Path(name)
    if candidate.suffix == ".toml" or os.sep in name or "/" in name:
        if os.path.lexists(candidate):  # never raises, even for a name too long for the system
            return candidate
    offered = [*builtin_scenarios()]
    for folder in folders:
        offered += folder_scenarios(Path(folder))[0]
    wanted = {name, name.replace("_", "-"), name.removesuffix(".toml")}
    for path in offered:
        if path.stem in wanted:
            return path
    if os.path.isfile(candidate):
        return candidate
    raise UnknownScenario(name, [p.stem for p in offered])


class Entry:
    """One scenario on offer: a file, and what checking it found (its card, diagnostics and scenario).

    The check may come from the cache of checked stories (`game.story_cache`),
    and the scenario itself is built the first time something asks for it.
    An entry from `offer` is not checked yet: `checked` says so, and anything
    that asks for the scenario, its card or its diagnostics checks it then.
    Until then the list shows what `shown` holds: what the cache's index
    recorded for the file as it was last seen, or nothing ("checking…").
    """

    __slots__ = ("path", "_checked", "_cache", "_listed")

    def __init__(self, path: Path, checked: Checked | None = None, cache: StoryCache | None = None,
                 listed: Checked | None = None):
        self.path = Path(path)
        self._checked = checked
        self._cache = cache
        self._listed = listed

    def __repr__(self) -> str:
        shown = self.shown
        state = "unknown" if shown is None else ("broken" if shown.card is None else "playable")
        return f"Entry({str(self.path)!r}, {state}{'' if self.checked else ', not checked yet'})"

    @property
    def checked(self) -> bool:
        """Whether the file has been checked as it is now (just now, or in an earlier run, through the cache)."""
        return self._checked is not None

    @property
    def shown(self) -> Checked | None:
        """What the list shows, without reading the file: its check, or until then what the cache's index
        recorded for it (`game.story_index`); None when neither is known yet (the row says "checking…")."""
        return self._checked if self._checked is not None else self._listed

    def check(self) -> Checked:
        """What checking the file finds; checks it now if nobody has yet."""
        checked = self._checked
        if checked is None:
            cache = self._cache if self._cache is not None else StoryCache()
            checked = self._checked = cache.check(self.path)
        return checked

    @property
    def card(self) -> Card | None:
        """What the list shows about the story; None when it cannot be played."""
        return self.check().card

    @property
    def scenario(self) -> Scenario | None:
        return self.check().scenario

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.check().diagnostics

    @property
    def broken(self) -> bool:
        """Known (`shown`), and cannot be played (False while not known yet)."""
        shown = self.shown
        return shown is not None and shown.card is None

    @property
    def story(self) -> bool:
        """False for a checked file that holds no story: a copy of the advice catalog or the help resources,
        whatever its name, is left out of the list rather than shown as a broken story. Only a file that did
        not check is read again to tell (True while not checked yet)."""
        if self._checked is None or self._checked.card is not None:
            return True
        from game.loader.source import MAX_BYTES
        from game.storage import read_text

        try:
            return kind_of(read_text(self.path, MAX_BYTES)) in ("scenario", "other")
        except (OSError, UnicodeDecodeError):
            return True

    @property
    def key(self) -> str:
        """A stable id for the entry: the scenario id, or the file for a broken one."""
        card = self.card
        return card.id if card else f"broken:{self.path}"

    @property
    def title(self) -> str:
        """The story's title (as `shown`), or its file's name while it is not known or when it is broken."""
        shown = self.shown
        card = shown.card if shown is not None else None
        return card.title if card else self.path.stem

    @property
    def rank(self) -> tuple[int, int, str]:
        """Where the list offers this entry: by the story's `order`, then those without one by title.

        Entries not known yet come last, in the order they were found (built-in
        stories first, then each folder's by file name), until they are.
        """
        shown = self.shown
        if shown is None:
            return (2, 0, "")
        card = shown.card
        order = card.order if card else 0
        return (0, order, "") if order else (1, 0, self.title.casefold())

    @property
    def problems(self) -> tuple[Diagnostic, ...]:
        """The diagnostics the list shows (as `shown`; checked now when nothing is known yet)."""
        shown = self.shown
        return shown.diagnostics if shown is not None else self.diagnostics

    @property
    def first_error(self) -> str:
        problems = self.problems
        errors = [d for d in problems if d.severity == ERROR]
        first = (errors or list(problems) or [None])[0]
        return first.format() if first else f"{quote(self.path, 200)} could not be read"


def named(entry: Entry) -> str:
    """How a message names the story an entry holds: the built-in story “Title”, or “Title” and its file."""
    card = entry.card
    title = card.title if card else entry.path.stem
    builtin = os.path.dirname(os.path.abspath(entry.path)) == os.path.abspath(paths.builtin_dir())
    return f"the built-in story “{title}”" if builtin else f"“{title}” ({entry.path})"


def one_per_id(entries: Sequence[Entry]) -> tuple[list[Entry], list[Skipped]]:
    """The entries, each checked story with an id no earlier one has; the others, left out as skipped with
    where their `id` is written, so two stories never share saves and endings found (the built-in stories,
    listed first, keep theirs). Entries not checked yet pass."""
    first: dict[str, Entry] = {}
    kept, dropped = [], []
    for entry in entries:
        card = entry.card if entry.checked else None
        if card is None or card.id not in first:
            if card is not None:
                first[card.id] = entry
            kept.append(entry)
            continue
        line = ""
        from game.loader.source import MAX_BYTES
        from game.locate import locate
        from game.storage import read_text

        try:
            line = f" (line {locate(read_text(entry.path, MAX_BYTES)).get(('scenario', 'id'), (1, 1))[0]})"
        except (OSError, UnicodeDecodeError):
            pass
        dropped.append(Skipped(entry.path, f"its story id `{card.id}`{line} is already the id of "
                                           f"{named(first[card.id])}; left out so the two never share saves or "
                                           "endings found (give it an `id` of its own)"))
    return kept, dropped


def read_entry(path: Path) -> Entry:
    """An entry checked from the file as it is now, without the cache (a file being watched as it is edited)."""
    from game.loader import read_scenario

    return Entry(Path(path), Checked.of(read_scenario(path)))


def same_file(path: Path) -> object:
    """A key that is equal for two names of one file (a link and its target), without resolving loops."""
    try:
        info = path.stat()
        return f"{info.st_dev}:{info.st_ino}"
    except OSError:
        return Path(os.path.abspath(path))


def _listed(builtin: bool, folders: Iterable[Path],
            files: Iterable[Path]) -> tuple[list[tuple[Path, os.stat_result | None]], list[Skipped]]:
    """Every distinct file on offer (a link and its target count once), in the order found, with what the file
    system says about it (None when it cannot say), and what was skipped."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    if builtin:
        found += builtin_scenarios()
    for folder in folders:
        listed, passed_over = folder_scenarios(Path(folder))
        found += listed
        skipped += passed_over
    found += [Path(f) for f in files]
    seen: set = set()
    distinct: list[tuple[Path, os.stat_result | None]] = []
    for path in found:
        try:
            info: os.stat_result | None = path.stat()
            key: object = (info.st_dev, info.st_ino)
        except OSError:
            info, key = None, Path(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            distinct.append((path, info))
    return distinct, skipped


def gather(builtin: bool = True, folders: Iterable[Path] = (),
           files: Iterable[Path] = ()) -> tuple[list[Entry], list[Skipped]]:
    """Built-in scenarios, those in each folder and single files: one checked entry per distinct file.

    The entries come in the order the stories recommend (their `order`, the
    warm-up first), then those without one by title, so every front end
    offers the same list. Returns them and the files skipped on the way
    (say so to the player). Stories are looked up in the cache of checked
    stories, and the ones checked now are kept there, and in its index for
    the next list (`offer`).
    """
    listed, skipped = _listed(builtin, folders, files)
    cache = StoryCache()
    entries, twins = one_per_id([entry for path, _ in listed
                                 if (entry := Entry(path, cache.check(path), cache)).story])
    cache.write_index()
    entries.sort(key=lambda entry: entry.rank)  # stable: equal ranks keep the order they were found in
    return entries, [*skipped, *twins]


def offer(builtin: bool = True, folders: Iterable[Path] = (),
          files: Iterable[Path] = ()) -> tuple[list[Entry], StoryCache, list[Skipped]]:
    """Like `gather`, for a screen that shows the list at once, whatever the library holds.

    Nothing is read or checked here but the folders' listings: each file
    shows what the cache's index recorded for it when the file is unchanged
    since (`Entry.shown`), or says it is being checked, however many stories
    there are. `check_rest` checks them all once the screen is up; anything
    that opens one checks it first. The cache returned keeps its writes back
    until `check_rest` runs.
    """
    listed, skipped = _listed(builtin, folders, files)
    cache = StoryCache(defer=True)
    # Nothing is checked yet, so every entry passes `story` and `one_per_id`: the app filters
    # the list with both once `check_rest` has checked them all.
    entries = [Entry(path, cache=cache, listed=cache.listed(path, info)) for path, info in listed]
    twins: list[Skipped] = []
    entries.sort(key=lambda entry: entry.rank)
    return entries, cache, [*skipped, *twins]


def check_rest(entries: Iterable[Entry], cache: StoryCache) -> Iterator[Entry]:
    """Check each entry `offer` listed by the file's bytes, yielding those whose row changes (a story not known
    before, or changed since the index recorded it); the cache writes at once from here on, and its index last."""
    cache.defer = False
    cache.flush()
    for entry in list(entries):
        if not entry.checked:
            before = entry.shown
            checked = entry.check()
            if before is None or (before.card, before.diagnostics) != (checked.card, checked.diagnostics):
                yield entry
    cache.write_index()
