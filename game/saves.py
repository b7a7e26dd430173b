"""Saving a play and picking it up again, safely.

A save holds the path of decisions, not the state: the state is replayed from
the scenario, so a save can never disagree with the rules. The scenario's id
and digest are kept to tell "a different scenario" (refused) from "the same
scenario, edited" (replayed if the path still fits, refused with the step that
no longer fits otherwise). Files are written atomically, read only when they
are regular files of a sane size, and a save that cannot be read, whatever
its shape (or a pipe or a link loop in its place), is moved aside, never
deleted and never overwritten.

Two windows, one story: each save records the `owner` token of the play that
wrote it, and no play ever overwrites or removes another's. The first play
keeps its save in `<id>.json`; a second play of the same story, while the
first's save is there, keeps its own in `<id>.play-<owner>.json`, and moves
back to `<id>.json` once that is free. Resuming picks the most recent save,
and the others wait their turn. Every read-and-write of a story's saves holds
one lock (`storage.locked` on `<id>.json`): saving, clearing and loading alike.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from game.safetext import quote
from game.storage import (
    NotAFolder,
    UnsafeName,
    locked,
    parse_json,
    present,
    read_text,
    safe_path,
    set_aside,
    write_atomic,
)

if TYPE_CHECKING:  # the rules are loaded when a save is read, not when the list of saves is looked at
    from game.engine import Playthrough
    from game.model import Scenario

__all__ = ["SaveError", "SaveSlots", "Saved", "dumps", "from_json", "loads", "set_aside", "to_json", "write_atomic"]

MAX_BYTES = 4 * 1024 * 1024
"""A save is a list of choices: far under this. A larger file is not a save."""
FORMAT = "second-chance-save"
_PLAY_TOKEN = r"\.play-[0-9A-Za-z_-]+"
"""How a play's own save names itself after its story's id: `<id>.play-<token>.json`."""
_OWN_SAVE = re.compile(rf"(.+){_PLAY_TOKEN}")
VERSION = 1


class SaveError(Exception):
    """A save that cannot be used, with a sentence a player can act on."""


def to_json(play: Playthrough, owner: str = "") -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "scenario": play.scenario.id,
        "digest": play.scenario.digest,
        "path": [[scene, choice] for scene, choice in play.path],
        "ended": play.ending.id if play.ending else None,
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "owner": owner,
    }


def _path_of(data: dict) -> list[tuple[str, int]]:
    """The saved decisions, checked for shape: a list of [scene, choice] pairs, nothing else."""
    path = data.get("path")
    if not isinstance(path, list):
        raise SaveError("this save has no list of choices")
    pairs = []
    for number, item in enumerate(path, 1):
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)
                and isinstance(item[1], int) and not isinstance(item[1], bool)):
            raise SaveError(f"the save is damaged: step {number} is not a [scene, choice] pair")
        pairs.append((item[0], item[1]))
    return pairs


def from_json(scenario: Scenario, data: Any) -> Playthrough:
    """Rebuild a play from its save form; SaveError says why when that is impossible."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError("this is not a Second Chance save")
    version = data.get("version")
    if version != VERSION:
        raise SaveError(f"this save has format version {quote(version)}; this game reads version {VERSION}")
    if data.get("scenario") != scenario.id:
        raise SaveError(f"this save belongs to scenario `{quote(data.get('scenario'))}`, not `{scenario.id}`")
    from game.engine import EngineError, Playthrough

    path = _path_of(data)
    try:
        return Playthrough.replay(scenario, path)
    except EngineError as problem:
        changed = isinstance(data.get("digest"), str) and data["digest"] != scenario.digest
        why = "the scenario has changed since this save was made" if changed else "the save is damaged"
        raise SaveError(f"{why}: {problem}") from None


def dumps(play: Playthrough, owner: str = "") -> str:
    return json.dumps(to_json(play, owner), indent=2) + "\n"


def _read_json(text: str) -> Any:
    try:
        return parse_json(text, "the save")
    except ValueError as problem:
        raise SaveError(str(problem)) from None


def loads(scenario: Scenario, text: str) -> Playthrough:
    return from_json(scenario, _read_json(text))


class Saved(NamedTuple):
    """Where a play was saved, and a sentence for the player when that needs one."""

    path: Path
    note: str | None = None
    """Set when another window's play keeps the story's first save, or a damaged file was set aside."""
    warning: bool = False
    """True when the note is about a file that had to be set aside."""


MADE_AGAIN = ", and the game will make the folder the next time it saves"
"""What follows `storage.blocked`'s sentence about the saves' folder: the game makes that folder by itself."""


class SaveSlots:
    """The saves of a folder: one or more plays per scenario, each its own file; damaged ones kept aside."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path_for(self, scenario_id: str) -> Path:
        """The story's first save file; UnsafeName for an id that could name anything but a file in the folder."""
        return safe_path(self.folder, scenario_id, ".json")

    def _own_path(self, scenario_id: str, owner: str) -> Path:
        """The file of a play whose story's first save is another play's."""
        return safe_path(self.folder, f"{scenario_id}.play-{owner}", ".json")

    def paths(self, scenario_id: str) -> list[Path]:
        """Every save of this story, the most recent first (what resuming picks)."""
        try:
            main = self.path_for(scenario_id)
        except UnsafeName:
            return []
        own = re.compile(rf"{re.escape(scenario_id)}{_PLAY_TOKEN}\.json\Z")
        try:
            found = [p for p in self.folder.iterdir() if own.match(p.name)]
        except OSError:
            found = []
        found += [main] if present(main) else []
        return sorted(found, key=_age)

    def save(self, play: Playthrough, owner: str = "", previous: str | None = None) -> Saved:
        """Write the play's save without touching another play's (UnsafeName or OSError when it cannot).

        `owner` is the play's token; `previous` the token its save was last
        written under (a resumed play's), so the play finds its own file again.
        """
        import secrets  # here: listing and reading saves never needs it

        owner = owner or secrets.token_hex(8)
        main = self.path_for(play.scenario.id)
        mine = {owner, previous} - {None}
        try:
            with locked(main):
                holder, note = self._holder(main, play.scenario.title)
                target = main if holder is None or holder in mine else self._own_path(play.scenario.id, owner)
                write_atomic(target, dumps(play, owner))
                for old in {self._own_path(play.scenario.id, o) for o in mine if _token(o)} - {target}:
                    old.unlink(missing_ok=True)
        except NotAFolder as problem:
            raise NotAFolder(f"{problem}{MADE_AGAIN}") from None
        if note is not None:
            return Saved(target, note, warning=True)
        if target != main:
            note = (f"Another window is playing “{play.scenario.title}” too: each play keeps its own save, "
                    "and neither replaces the other's.")
        return Saved(target, note)

    def _holder(self, main: Path, title: str) -> tuple[str | None, str | None]:
        """The owner of the story's first save (None when there is none), and a note if it had to be set aside."""
        if not present(main):
            return None, None
        try:
            data = parse_json(read_text(main, MAX_BYTES), "the save")
        except (OSError, ValueError, RecursionError) as problem:
            kept = set_aside(main)
            where = f"; it was kept as {kept}" if kept else ""
            return None, f"A save for “{title}” could not be read ({quote(problem, 200)}){where}."
        if not isinstance(data, dict):
            return "", None
        holder = data.get("owner", "")
        return holder if isinstance(holder, str) else "", None

    def has(self, scenario_id: str) -> bool:
        return bool(self.paths(scenario_id))

    def saved_stories(self) -> frozenset[str]:
        """The ids of the stories with a saved play (`has` for each), from one listing of the folder:
        a list of a hundred stories asks once, not a hundred times."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return frozenset()
        found: set[str] = set()
        for name in names:
            if name.endswith(".json"):
                stem = name[:-5]
                found.add(stem)
                own = _OWN_SAVE.fullmatch(stem)
                if own:
                    found.add(own.group(1))
        return frozenset(found)

    def count(self, scenario_id: str) -> int:
        """How many plays of this story are saved."""
        return len(self.paths(scenario_id))

    def owner(self, scenario_id: str) -> str | None:
        """The owner token in the story's first save (None when there is no readable save)."""
        try:
            data = parse_json(read_text(self.path_for(scenario_id), MAX_BYTES), "the save")
        except (OSError, ValueError, RecursionError, UnsafeName):
            return None
        return data.get("owner", "") if isinstance(data, dict) else None

    def clear(self, scenario_id: str, owner: str | None = None) -> bool:
        """Remove a play's save; with `owner`, only that play's (first or own file). True if one was removed."""
        try:
            main = self.path_for(scenario_id)
        except UnsafeName:
            return False
        with locked(main):
            if owner is None:
                removed = present(main)
                main.unlink(missing_ok=True)
                return removed
            removed = False
            if self._holder(main, scenario_id)[0] == owner:
                main.unlink(missing_ok=True)
                removed = True
            if _token(owner):
                own = self._own_path(scenario_id, owner)
                removed = present(own) or removed
                own.unlink(missing_ok=True)
            return removed

    def load(self, scenario: Scenario) -> tuple[Playthrough | None, str | None]:
        """The saved play, or (None, a message) when the save had to be set aside."""
        play, _, problem = self.load_owned(scenario)
        return play, problem

    def load_owned(self, scenario: Scenario) -> tuple[Playthrough | None, str, str | None]:
        """The most recent saved play with its owner token, or (None, "", a message).

        A save that cannot be used is set aside (and said); the next most
        recent is tried, so one damaged file never hides another play.
        """
        try:
            main = self.path_for(scenario.id)
        except UnsafeName as problem:
            return None, "", f"“{scenario.title}” cannot be saved or resumed: {problem}."
        if not self.paths(scenario.id):
            return None, "", None
        try:
            with locked(main):
                return self._load_newest(scenario)
        except OSError as problem:  # the lock itself: a folder that cannot be written, say
            return None, "", f"Your save for “{scenario.title}” could not be opened: {quote(problem, 200)}."

    def _load_newest(self, scenario: Scenario) -> tuple[Playthrough | None, str, str | None]:
        problems: list[str] = []
        for path in self.paths(scenario.id):
            try:
                data = _read_json(read_text(path, MAX_BYTES))
                owner = data.get("owner", "") if isinstance(data, dict) else ""
                return from_json(scenario, data), owner if isinstance(owner, str) else "", _join(problems)
            except (SaveError, OSError, UnicodeDecodeError) as problem:
                kept = set_aside(path)
                where = f"; it was kept as {kept}" if kept else ""
                problems.append(f"Your save for “{scenario.title}” could not be resumed: "
                                f"{quote(problem, 200)}{where}.")
        return None, "", _join(problems)


def _age(path: Path) -> tuple[float, int]:
    """Most recent first; the story's first save wins a tie."""
    try:
        when = os.lstat(path).st_mtime
    except OSError:
        when = 0.0
    return -when, 0 if ".play-" not in path.name else 1


def _token(owner: str | None) -> bool:
    """An owner token that can name a file (the game's are hexadecimal)."""
    return bool(owner) and re.fullmatch(r"[0-9A-Za-z_-]{1,64}", owner or "") is not None


def _join(problems: list[str]) -> str | None:
    return " ".join(problems) or None
