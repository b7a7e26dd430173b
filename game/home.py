"""The player's own folder: saves, the record of endings found, and settings, opened together.

Every front end that plays for one person (the full-screen game, a browser
tab) opens one Home, so they all keep their files in the same places.
"""

from __future__ import annotations

from pathlib import Path

from game import paths
from game.progress import Progress
from game.saves import MADE_AGAIN, SaveSlots
from game.settings import Settings
from game.storage import blocked


class Home:
    """The player's folder and what is kept in it; opened before the first frame, so a plain class."""

    __slots__ = ("folder", "slots", "progress", "settings", "problems")

    def __init__(self, folder: Path, slots: SaveSlots, progress: Progress, settings: Settings,
                 problems: list[str] | None = None):
        self.folder = folder
        self.slots = slots
        self.progress = progress
        self.settings = settings
        self.problems = problems if problems is not None else []
        """Sentences to show once: files that had to be set aside while opening."""

    def __repr__(self) -> str:
        return f"Home({str(self.folder)!r})"

    @classmethod
    def open(cls, folder: Path | None = None) -> Home:
        folder = Path(folder) if folder is not None else paths.data_dir()
        progress, progress_problem = Progress.load(folder / "progress.json")
        settings, settings_problem = Settings.load(folder / "settings.json")
        problems = [p for p in (progress_problem, settings_problem) if p]
        in_the_way = blocked(folder / "saves")
        if in_the_way:  # said before the first choice, not after the last
            problems.append(f"Your plays cannot be saved: {in_the_way}{MADE_AGAIN}.")
        return cls(folder, SaveSlots(folder / "saves"), progress, settings, problems)
