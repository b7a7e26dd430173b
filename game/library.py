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
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from game import paths
from game.diagnostics import ERROR, Diagnostic
from game.loader import read_scenario
from game.model import Scenario
from game.safetext import quote


class UnknownScenario(LookupError):
    """No scenario has that name; the message lists what there is."""

    def __init__(self, name: str, known: Sequence[str]):
        self.name = name
        self.known = tuple(known)
        super().__init__(f"no scenario called `{quote(name)}`. Scenarios: {', '.join(self.known)}. "
                         "You can also give the path of a .toml file.")


@attrs.frozen
class Skipped:
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


_SCENARIO_LIKE = re.compile(r"^[ \t]*\[\[?[ \t]*(?:scenario|scenes|endings|cast)[ \t]*[\].]|^#:schema[ \t]+\S*"
                            r"(?:second-chance|scenario\.schema)", re.M)
_CATALOG_LIKE = re.compile(r"^[ \t]*\[[ \t]*advice[ \t]*\.", re.M)
_RESOURCES_LIKE = re.compile(r"^[ \t]*(?:\[\[[ \t]*resources[ \t]*\]\]|intro[ \t]*=)", re.M)


def kind_of(text: str) -> str:
    """What a TOML file holds, whatever its name: "scenario" (also a blank file, about to become one),
    "catalog" (only [advice.ID] tables), "resources" (help resources) or "other" (not the game's)."""
    if not text.strip() or _SCENARIO_LIKE.search(text):
        return "scenario"
    if _CATALOG_LIKE.search(text):
        return "catalog"
    if _RESOURCES_LIKE.search(text):
        return "resources"
    return "other"


def is_data_file(path: Path) -> bool:
    """The shared advice catalog and the help resources sit beside scenarios but are not stories."""
    return path.name in paths.DATA_FILES


def builtin_scenarios() -> list[Path]:
    """Every built-in scenario file, in name order."""
    files, _ = scan_folder(paths.builtin_dir())
    return [p for p in files if not is_data_file(p)]


def folder_scenarios(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """The scenario files directly in a folder given with `--scenarios`, and what was skipped."""
    files, skipped = scan_folder(folder)
    return [p for p in files if not is_data_file(p)], skipped


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


@attrs.frozen
class Entry:
    """One scenario on offer: a file, and the scenario in it or the reasons it cannot be played."""

    path: Path
    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def key(self) -> str:
        """A stable id for the entry: the scenario id, or the file for a broken one."""
        return self.scenario.id if self.scenario else f"broken:{self.path}"

    @property
    def title(self) -> str:
        return self.scenario.title if self.scenario else self.path.stem

    @property
    def rank(self) -> tuple[int, int, str]:
        """Where the list offers this entry: by the story's `order`, then those without one by title."""
        order = self.scenario.order if self.scenario else 0
        return (0, order, "") if order else (1, 0, self.title.casefold())

    @property
    def first_error(self) -> str:
        errors = [d for d in self.diagnostics if d.severity == ERROR]
        first = (errors or list(self.diagnostics) or [None])[0]
        return first.format() if first else f"{quote(self.path, 200)} could not be read"


def read_entry(path: Path) -> Entry:
    result = read_scenario(path)
    return Entry(Path(path), result.scenario, result.diagnostics)


def same_file(path: Path) -> object:
    """A key that is equal for two names of one file (a link and its target), without resolving loops."""
    try:
        info = path.stat()
        return f"{info.st_dev}:{info.st_ino}"
    except OSError:
        return Path(os.path.abspath(path))


def gather(builtin: bool = True, folders: Iterable[Path] = (),
           files: Iterable[Path] = ()) -> tuple[list[Entry], list[Skipped]]:
    """Built-in scenarios, those in each folder and single files: one entry per distinct file.

    The entries come in the order the stories recommend (their `order`, the
    warm-up first), then those without one by title, so every front end
    offers the same list. Returns them and the files skipped on the way
    (say so to the player).
    """
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
    entries: list[Entry] = []
    for path in found:
        key = same_file(path)
        if key in seen:
            continue
        seen.add(key)
        entries.append(read_entry(path))
    entries.sort(key=lambda entry: entry.rank)  # stable: equal ranks keep the order they were found in
    return entries, skipped
