"""The player's own folder: saves, the record of endings found, and settings, opened together.

Every front end that plays for one person (the full-screen game, a browser
tab) opens one Home, so they all keep their files in the same places.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from game import paths
from game.progress import Progress
from game.saves import SaveSlots
from game.settings import Settings


@attrs.define
class Home:
    folder: Path
    slots: SaveSlots
    progress: Progress
    settings: Settings
    problems: list[str] = attrs.field(factory=list)
    """Sentences to show once: files that had to be set aside while opening."""

    @classmethod
    def open(cls, folder: Path | None = None) -> Home:
        folder = Path(folder) if folder is not None else paths.data_dir()
        progress, progress_problem = Progress.load(folder / "progress.json")
        settings, settings_problem = Settings.load(folder / "settings.json")
        problems = [p for p in (progress_problem, settings_problem) if p]
        return cls(folder, SaveSlots(folder / "saves"), progress, settings, problems)
