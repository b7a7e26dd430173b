"""Shared fixtures: every test gets its own save folder, so no test touches a real home."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SECOND_CHANCE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    """A folder holding the Pilot tests' small story (tests/tui_helpers.STORY)."""
    from tests.tui_helpers import STORY

    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "phone-test.toml").write_text(STORY, encoding="utf-8")
    return folder
