"""Which endings this player has found, per scenario, kept between plays.

The picker shows "2 of 5 endings found" and the debrief counts them, so the
record must survive quitting. It is one small JSON file in the player's data
folder, written atomically. Two game windows may record endings at the same
time: each write re-reads the file under a lock and adds to what is there, so
neither loses the other's endings. A file that cannot be read is moved aside
(never deleted), reported once, and replaced by an empty record: losing a
tally is sad, crashing the game over it would be worse.
"""

from __future__ import annotations

import json
from pathlib import Path

from game import paths
from game.storage import locked, parse_json, present, read_text, set_aside, write_atomic

MAX_BYTES = 4 * 1024 * 1024
"""A record of endings is a few kilobytes; a larger file is not one."""

FORMAT = "second-chance-progress"
VERSION = 1


def default_path() -> Path:
    return paths.data_dir() / "progress.json"


class Progress:
    """The set of ending ids found, per scenario id."""

    def __init__(self, path: Path | None = None, found: dict[str, set[str]] | None = None):
        self.path = Path(path) if path is not None else default_path()
        self._found: dict[str, set[str]] = {k: set(v) for k, v in (found or {}).items()}

    @classmethod
    def load(cls, path: Path | None = None) -> tuple[Progress, str | None]:
        """The stored progress, or an empty one and a sentence saying why it had to start over."""
        progress = cls(path)
        target = progress.path
        if not present(target):
            return progress, None
        try:
            data = parse_json(read_text(target, MAX_BYTES), "the file")
            progress._found = _parse(data)
            return progress, None
        except (OSError, ValueError, RecursionError) as problem:
            kept = set_aside(target)
            where = f"; the old file was kept as {kept}" if kept else ""
            return progress, f"The record of endings found could not be read ({problem}){where}."

    def found(self, scenario_id: str) -> frozenset[str]:
        return frozenset(self._found.get(scenario_id, ()))

    def record(self, scenario_id: str, ending_id: str) -> frozenset[str]:
        """Add an ending, merged with what other windows wrote; OSError is the caller's to report."""
        self._found.setdefault(scenario_id, set()).add(ending_id)
        with locked(self.path):
            self._merge_from_disk()
            write_atomic(self.path, self.dumps())
        return self.found(scenario_id)

    def _merge_from_disk(self) -> None:
        """Add what the file holds now; a file damaged since start-up (or a pipe or a link loop in its place)
        is set aside, not overwritten."""
        if not present(self.path):
            return
        try:
            on_disk = _parse(parse_json(read_text(self.path, MAX_BYTES), "the file"))
        except (OSError, ValueError, RecursionError):
            set_aside(self.path)
            return
        for scenario_id, ids in on_disk.items():
            self._found.setdefault(scenario_id, set()).update(ids)

    def dumps(self) -> str:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "found": {sid: sorted(ids) for sid, ids in sorted(self._found.items())},
        }
        return json.dumps(data, indent=2) + "\n"


def _parse(data: object) -> dict[str, set[str]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("it is not a Second Chance progress file")
    if data.get("version") != VERSION:
        raise ValueError(f"it has format version {data.get('version')!r}, this game reads {VERSION}")
    found = data.get("found")
    if not isinstance(found, dict):
        raise ValueError("it has no table of endings found")
    out: dict[str, set[str]] = {}
    for scenario_id, ids in found.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError(f"the endings for `{scenario_id}` are not a list of names")
        out[str(scenario_id)] = set(ids)
    return out

