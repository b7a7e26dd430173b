"""The player's preferences, remembered between runs: the theme and whether the meters are shown.

A small JSON file beside the saves. It is read once at start-up and written
when a preference changes; a damaged file is set aside and the defaults are
used, because a lost preference must never stop the game from starting.
"""

from __future__ import annotations

import json
from pathlib import Path

from game.storage import parse_json, present, read_text, set_aside, write_atomic

FORMAT = "second-chance-settings"
VERSION = 1
MAX_BYTES = 64 * 1024
"""Settings are a few lines; a larger file is not settings."""


class Settings:
    """What the player chose last time; `path` is where it is kept (None: not kept).

    A plain class: it is read before the first frame, where defining an attrs class costs more than reading
    the file (see "Speed" in docs/architecture.md). Two settings are equal when the choices are.
    """

    __slots__ = ("theme", "reveal", "path")

    def __init__(self, theme: str = "", reveal: bool = False, path: Path | None = None):
        self.theme = theme
        self.reveal = reveal
        self.path = path

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and (self.theme, self.reveal) == (other.theme, other.reveal)

    __hash__ = None  # type: ignore[assignment]  # it changes: never a key

    def __repr__(self) -> str:
        return f"Settings(theme={self.theme!r}, reveal={self.reveal!r}, path={self.path!r})"

    @classmethod
    def load(cls, path: Path) -> tuple[Settings, str | None]:
        """The stored settings, or the defaults and a sentence saying why they could not be read."""
        settings = cls(path=Path(path))
        if not present(settings.path):
            return settings, None
        try:
            data = parse_json(read_text(settings.path, MAX_BYTES), "the file")
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("it is not a Second Chance settings file")
            theme, reveal = data.get("theme", ""), data.get("reveal", False)
            if not isinstance(theme, str) or not isinstance(reveal, bool) or len(theme) > 100:
                raise ValueError("its values are not what the game writes")
            settings.theme, settings.reveal = theme, reveal
            return settings, None
        except (OSError, ValueError, RecursionError) as problem:
            kept = set_aside(settings.path)
            where = f"; the old file was kept as {kept}" if kept else ""
            return settings, f"Your settings could not be read ({problem}){where}. The defaults are used."

    def save(self) -> None:
        """Write the settings; OSError is the caller's to report (or to ignore: it is only a preference)."""
        if self.path is None:
            return
        data = {"format": FORMAT, "version": VERSION, "theme": self.theme, "reveal": self.reveal}
        write_atomic(self.path, json.dumps(data, indent=2) + "\n")
