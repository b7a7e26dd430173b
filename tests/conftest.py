"""Shared fixtures: every test gets its own save folder, so no test touches a real home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a CI result never depends on luck;
# HYPOTHESIS_PROFILE=explore draws fresh ones (and more of them) when looking for new bugs.
settings.register_profile("default", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000, database=None)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
settings.load_profile(PROFILE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under the default profile no property test may draw at random: one that asks for fresh examples
    (`derandomize=False`) stops the run here, instead of passing or failing by luck in CI."""
    if PROFILE != "default":
        return
    random = [item.nodeid for item in items
              if not getattr(getattr(getattr(item, "obj", None), "_hypothesis_internal_use_settings", None),
                             "derandomize", True)]
    if random:
        raise pytest.UsageError(f"property tests that draw random examples in CI: {random}")


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
