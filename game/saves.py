"""Saving a play and picking it up again, safely.

A save holds the path of decisions, not the state: the state is replayed from
the scenario, so a save can never disagree with the rules. The scenario's id
and digest are kept to tell "a different scenario" (refused) from "the same
scenario, edited" (replayed if the path still fits, refused with the step that
no longer fits otherwise). Files are written atomically, and a save that cannot
be read, whatever its shape, is moved aside, never deleted.

Each save records the `owner` token of the play that wrote it. Two windows on
the same home can play the same scenario; when one finishes, it removes the
save only if it is still its own, so it never deletes a save the other window
wrote since.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.safetext import quote
from game.storage import UnsafeName, locked, safe_path, set_aside, write_atomic

if TYPE_CHECKING:  # the rules are loaded when a save is read, not when the list of saves is looked at
    from game.engine import Playthrough
    from game.model import Scenario

__all__ = ["SaveError", "SaveSlots", "dumps", "from_json", "loads", "set_aside", "to_json", "write_atomic"]

FORMAT = "second-chance-save"
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
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as problem:
        raise SaveError(f"the save is not valid JSON ({problem})") from None


def loads(scenario: Scenario, text: str) -> Playthrough:
    return from_json(scenario, _read_json(text))


class SaveSlots:
    """One autosave per scenario in a folder; damaged saves are kept aside and reported."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path_for(self, scenario_id: str) -> Path:
        """The save's file; UnsafeName for an id that could name anything but a file in the folder."""
        return safe_path(self.folder, scenario_id, ".json")

    def save(self, play: Playthrough, owner: str = "") -> Path:
        """Write the play's save (UnsafeName or OSError when it cannot be written)."""
        path = self.path_for(play.scenario.id)
        write_atomic(path, dumps(play, owner))
        return path

    def has(self, scenario_id: str) -> bool:
        try:
            return self.path_for(scenario_id).is_file()
        except UnsafeName:
            return False

    def owner(self, scenario_id: str) -> str | None:
        """The owner token in the save on disk (None when there is no readable save)."""
        try:
            data = json.loads(self.path_for(scenario_id).read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError, RecursionError, UnsafeName):
            return None
        return data.get("owner", "") if isinstance(data, dict) else None

    def clear(self, scenario_id: str, owner: str | None = None) -> bool:
        """Remove the save; with `owner`, only if the save on disk is still that play's. True if removed."""
        try:
            path = self.path_for(scenario_id)
        except UnsafeName:
            return False
        with locked(path):
            if owner is not None and self.owner(scenario_id) not in (owner,):
                return False
            path.unlink(missing_ok=True)
            return True

    def load(self, scenario: Scenario) -> tuple[Playthrough | None, str | None]:
        """The saved play, or (None, a message) when the save had to be set aside."""
        play, _, problem = self.load_owned(scenario)
        return play, problem

    def load_owned(self, scenario: Scenario) -> tuple[Playthrough | None, str, str | None]:
        """The saved play with the owner token it was saved under, or (None, "", a message)."""
        try:
            path = self.path_for(scenario.id)
        except UnsafeName as problem:
            return None, "", f"“{scenario.title}” cannot be saved or resumed: {problem}."
        if not path.is_file():
            return None, "", None
        try:
            data = _read_json(path.read_text(encoding="utf-8"))
            owner = data.get("owner", "") if isinstance(data, dict) else ""
            return from_json(scenario, data), owner if isinstance(owner, str) else "", None
        except (SaveError, OSError, UnicodeDecodeError) as problem:
            kept = set_aside(path)
            where = f"; it was kept as {kept}" if kept else ""
            return None, "", f"Your save for “{scenario.title}” could not be resumed: {problem}{where}."
