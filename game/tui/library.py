"""The scenarios the picker offers: each file read once, broken ones kept with their first error.

A scenario file someone downloaded may be broken. It still gets a row in the
list (marked broken, with the first problem) so the player sees it and the
author sees why, and nothing else stops working.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from game import paths
from game.diagnostics import Diagnostic
from game.loader import read_scenario
from game.model import Scenario


@attrs.frozen
class Entry:
    """One row of the picker: a file, and the scenario in it or the reasons it cannot be played."""

    path: Path
    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def key(self) -> str:
        """A stable id for the row: the scenario id, or the file for a broken one."""
        return self.scenario.id if self.scenario else f"broken:{self.path}"

    @property
    def title(self) -> str:
        return self.scenario.title if self.scenario else self.path.stem

    @property
    def broken(self) -> bool:
        return self.scenario is None

    @property
    def first_error(self) -> str:
        errors = [d for d in self.diagnostics if d.severity == "error"]
        first = (errors or list(self.diagnostics) or [None])[0]
        return first.format() if first else f"{self.path} could not be read"


def read_entry(path: Path) -> Entry:
    result = read_scenario(path)
    return Entry(Path(path), result.scenario, result.diagnostics)


def gather(builtin: bool = True, folders: Iterable[Path] = (), files: Iterable[Path] = ()) -> list[Entry]:
    """Built-in scenarios, then those in each folder, then single files; one row per distinct file."""
    found: list[Path] = []
    if builtin:
        found += paths.builtin_scenarios()
    for folder in folders:
        folder = Path(folder)
        found += paths.scenario_files(folder) if folder.is_dir() else [folder]
    found += [Path(f) for f in files]
    seen: set[Path] = set()
    entries: list[Entry] = []
    for path in found:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        entries.append(read_entry(path))
    return entries
