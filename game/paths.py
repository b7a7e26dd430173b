"""Where the game finds its built-in files and keeps the player's.

The built-in scenarios live in `scenarios/` at the top of the source tree and are
copied into the package as `game/scenarios/` when a wheel is built, so both a
checkout and a plain `pip install .` find them.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def builtin_dir() -> Path:
    """The folder of built-in scenarios, installed or in a checkout."""
    installed = _PACKAGE / "scenarios"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "scenarios"


def catalog_path() -> Path:
    return builtin_dir() / "advice.toml"


def resources_path() -> Path:
    """Help resources shown with red-flag endings; SECOND_CHANCE_RESOURCES overrides it."""
    override = os.environ.get("SECOND_CHANCE_RESOURCES")
    return Path(override) if override else builtin_dir() / "resources.toml"


DATA_FILES = {"advice.toml", "resources.toml"}
"""Files beside the scenarios that are not stories: the advice catalog and the help resources."""


def data_dir() -> Path:
    """Where saves and progress are kept: SECOND_CHANCE_HOME, else the XDG data folder."""
    override = os.environ.get("SECOND_CHANCE_HOME")
    if override:
        return Path(override)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "second-chance"
