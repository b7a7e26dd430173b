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
    """Help resources shown with the endings of help stories; SECOND_CHANCE_RESOURCES overrides it."""
    override = os.environ.get("SECOND_CHANCE_RESOURCES")
    return Path(override) if override else builtin_dir() / "resources.toml"


DATA_FILES = {"advice.toml", "resources.toml"}
"""Files beside the scenarios that are not stories: the advice catalog and the help resources."""


def data_dir() -> Path:
    """Where saves, progress and settings are kept: SECOND_CHANCE_HOME, else the platform's data folder.

    platformdirs gives each system's usual place (the XDG data folder on
    Linux, Application Support on macOS, AppData on Windows).
    """
    override = os.environ.get("SECOND_CHANCE_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("second-chance", appauthor=False))


def cache_dir() -> Path:
    """Where checked stories are kept (`game.story_cache`): SECOND_CHANCE_CACHE, else `cache/` in the data folder.

    `serve` gives each browser tab a data folder of its own, and points them
    all at the server's cache with SECOND_CHANCE_CACHE, so a tab starts as
    quickly as the second window of the game does.
    """
    override = os.environ.get("SECOND_CHANCE_CACHE")
    return Path(override) if override else data_dir() / "cache"
