"""Screen snapshots of the picker and of a play screen, as plain text at 80x24.

Plain text (not SVG) so a reviewer can read a change in the diff. The scenario
files are the test's own, so the built-in stories can change freely. Update
with `pytest tests/test_tui_snapshots.py --snapshot-update` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

from tests.tui_helpers import BROKEN, STORY, make_app, open_and_begin, screen_text

SIZE = (80, 24)


def _stories(tmp_path: Path, monkeypatch) -> Path:
    """The test's own stories, named by a relative path so the picker shows the same text every run."""
    monkeypatch.chdir(tmp_path)
    folder = Path("stories")
    folder.mkdir()
    (folder / "phone-test.toml").write_text(STORY, encoding="utf-8")
    (folder / "unfinished.toml").write_text(BROKEN, encoding="utf-8")
    return folder


async def test_picker(tmp_path: Path, monkeypatch, snapshot) -> None:
    app = make_app(_stories(tmp_path, monkeypatch))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        snapshot.assert_match(screen_text(app) + "\n", "picker.txt")
        await pilot.press("down")
        await pilot.pause()
        snapshot.assert_match(screen_text(app) + "\n", "picker_broken.txt")


async def test_play_screen_with_chat_and_a_struck_choice(tmp_path: Path, monkeypatch, snapshot) -> None:
    app = make_app(_stories(tmp_path, monkeypatch))
    async with app.run_test(size=SIZE) as pilot:
        await open_and_begin(pilot)
        await pilot.pause()
        snapshot.assert_match(screen_text(app) + "\n", "play_chat.txt")


async def test_play_screen_at_40x12(tmp_path: Path, monkeypatch, snapshot) -> None:
    app = make_app(_stories(tmp_path, monkeypatch))
    async with app.run_test(size=(40, 12)) as pilot:
        await open_and_begin(pilot)
        await pilot.pause()
        snapshot.assert_match(screen_text(app) + "\n", "play_40x12.txt")
