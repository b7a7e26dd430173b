"""Saving a play and picking it up again, safely.

A save holds the path of decisions, not the state: the state is replayed from
the scenario, so a save can never disagree with the rules. The scenario's id
and digest are kept to tell "a different scenario" (refused) from "the same
scenario, edited" (replayed if the path still fits, refused with the step that
no longer fits otherwise). Files are written atomically, and a save that cannot
be read is moved aside, never deleted.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from game.engine import EngineError, Playthrough
from game.model import Scenario

FORMAT = "second-chance-save"
VERSION = 1


class SaveError(Exception):
    """A save that cannot be used, with a sentence a player can act on."""


def to_json(play: Playthrough) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "scenario": play.scenario.id,
        "digest": play.scenario.digest,
        "path": [[scene, choice] for scene, choice in play.path],
        "ended": play.ending.id if play.ending else None,
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def from_json(scenario: Scenario, data: Any) -> Playthrough:
    """Rebuild a play from its save form; SaveError says why when that is impossible."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError("this is not a Second Chance save")
    version = data.get("version")
    if version != VERSION:
        raise SaveError(f"this save has format version {version!r}; this game reads version {VERSION}")
    if data.get("scenario") != scenario.id:
        raise SaveError(f"this save belongs to scenario `{data.get('scenario')}`, not `{scenario.id}`")
    path = data.get("path")
    if not isinstance(path, list):
        raise SaveError("this save has no list of choices")
    try:
        return Playthrough.replay(scenario, path)
    except EngineError as problem:
        changed = isinstance(data.get("digest"), str) and data["digest"] != scenario.digest
        why = "the scenario has changed since this save was made" if changed else "the save is damaged"
        raise SaveError(f"{why}: {problem}") from None


def dumps(play: Playthrough) -> str:
    return json.dumps(to_json(play), indent=2) + "\n"


def loads(scenario: Scenario, text: str) -> Playthrough:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as problem:
        raise SaveError(f"the save is not valid JSON ({problem})") from None
    return from_json(scenario, data)


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and a rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SaveSlots:
    """One autosave per scenario in a folder; damaged saves are kept aside and reported."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path_for(self, scenario_id: str) -> Path:
        return self.folder / f"{scenario_id}.json"

    def save(self, play: Playthrough) -> Path:
        path = self.path_for(play.scenario.id)
        write_atomic(path, dumps(play))
        return path

    def has(self, scenario_id: str) -> bool:
        return self.path_for(scenario_id).is_file()

    def clear(self, scenario_id: str) -> None:
        self.path_for(scenario_id).unlink(missing_ok=True)

    def load(self, scenario: Scenario) -> tuple[Playthrough | None, str | None]:
        """The saved play, or (None, a message) when the save had to be set aside."""
        path = self.path_for(scenario.id)
        if not path.is_file():
            return None, None
        try:
            text = path.read_text(encoding="utf-8")
            return loads(scenario, text), None
        except (SaveError, OSError, UnicodeDecodeError) as problem:
            kept = set_aside(path)
            where = f"; it was kept as {kept}" if kept else ""
            return None, f"Your save for “{scenario.title}” could not be resumed: {problem}{where}."



def set_aside(path: Path) -> Path | None:
    """Move an unreadable file out of the way, keeping it, and say where; None if it could not move."""
    target = path.with_name(f"{path.stem}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}{path.suffix}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target
