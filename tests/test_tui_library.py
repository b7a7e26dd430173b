"""A facilitator's folder of many stories: the list is up at once, says what it has not checked yet, then settles."""

from __future__ import annotations

from pathlib import Path

import pytest

from game import library
from game.tui.app import SecondChanceApp
from game.tui.screens.notes import NotesScreen
from game.tui.screens.picker import CHECKING, PickerScreen
from tests.tui_helpers import BROKEN, STORY, screen_text


def big_folder(tmp_path: Path, count: int = 12) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    for n in range(count):
        story = STORY.replace('id = "phone-test"', f'id = "story-{n:02d}"').replace(
            'title = "The Phone Test"', f'title = "Story {count - n:02d}"')
        (folder / f"file-{n:02d}.toml").write_text(story, encoding="utf-8")
    (folder / "aaa-broken.toml").write_text(BROKEN, encoding="utf-8")
    return folder


async def test_stories_not_checked_yet_say_so_until_they_are_then_take_their_place(tmp_path: Path) -> None:
    folder = big_folder(tmp_path)
    entries, cache, skipped = library.offer(builtin=False, folders=[folder])
    app = SecondChanceApp(entries, cache=cache, skipped=skipped)
    async with app.run_test(size=(100, 40)) as pilot:
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        waiting = library.Entry(folder / "file-00.toml")
        assert CHECKING in picker.row(1, waiting).plain and "file-00" in picker.row(1, waiting).plain
        assert "Checking this story" in picker.details_text(waiting).plain
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert all(e.checked for e in app.context.entries)
        text = screen_text(app)
        assert CHECKING not in text
        titles = [e.title for e in app.context.entries if not e.broken]
        assert titles == sorted(titles) and titles[0] == "Story 01"  # the final order: by title
        broken = next(e for e in app.context.entries if e.broken)
        assert "✗ broken" in picker.row(1, broken).plain
        assert f"{broken.path}:" in picker.details_text(broken).plain  # located: file, line and column


@pytest.mark.parametrize("cache", ["warm", "cold"])
async def test_the_first_frame_makes_only_the_rows_the_window_holds_and_the_rest_follow(tmp_path: Path,
                                                                                      cache: str) -> None:
    folder = big_folder(tmp_path, count=40)
    if cache == "warm":
        library.gather(builtin=False, folders=[folder])
    entries, cache_of_stories, _ = library.offer(builtin=False, folders=[folder])
    app = SecondChanceApp(entries, cache=cache_of_stories)
    rows: list[int] = []
    display = app._display

    def counted(screen, renderable) -> None:
        if isinstance(screen, PickerScreen):
            rows.append(screen.query_one("#scenario-list").option_count)
        display(screen, renderable)

    app._display = counted
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rows[0] <= 24 // 2 + 1 < len(entries)  # what the window holds, however many stories
        assert app.screen.query_one("#scenario-list").option_count == len(entries) == 41  # all, once each
        assert CHECKING not in screen_text(app)


async def test_a_story_opened_before_it_was_checked_is_checked_then_and_opens(tmp_path: Path) -> None:
    folder = big_folder(tmp_path, count=2)
    entries, _, _ = library.offer(builtin=False, folders=[folder])
    app = SecondChanceApp(entries)  # no cache handed over: nothing checks in the background
    async with app.run_test(size=(100, 40)) as pilot:
        assert CHECKING in screen_text(app)
        from game.tui.commands import GameCommands

        names = [name for name, _, _ in GameCommands(app.screen)._commands()]
        assert "Play: file-00" in names  # the palette offers it under its file's name meanwhile
        index = next(i for i, e in enumerate(app.context.entries) if e.path.stem == "file-00")
        app.screen.query_one("#scenario-list").highlighted = index
        await pilot.press("enter")
        assert isinstance(app.screen, NotesScreen) and app.screen.scenario.title == "Story 02"


FIRST_FRAME = """
import os, sys
import textual.app
shown = textual.app.App._display
def first_frame(self, screen, renderable):
    shown(self, screen, renderable)
    patterns = sys.modules["game.safetext"].pattern.cache_info().currsize
    print(" ".join(sorted(m for m in sys.modules if m.startswith(("game", "attr", "secrets")))), f"patterns={patterns}",
          flush=True)
    os._exit(0)
textual.app.App._display = first_frame
run = textual.app.App.run
textual.app.App.run = lambda self, *a, **k: run(self, *a, **{**k, "headless": True})
from game.__main__ import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("cache", ["warm", "cold"])
def test_the_lists_first_frame_loads_neither_the_loader_nor_the_rules_of_play(tmp_path: Path, cache: str) -> None:
    """`second-chance --scenarios DIR` as a player starts it, through the command line: with the stories checked
    before (warm) or on the very first start (cold), no story is checked before the list is up (checking one
    needs the loader), the command line builds only the command it runs, nothing on the way defines an
    attrs class, loads what only writing needs (secrets) or compiles a pattern for text from strangers
    (printable text needs none) (see "Speed" in docs/architecture.md)."""
    import os
    import subprocess
    import sys

    folder = big_folder(tmp_path, count=3)
    env = {**os.environ, "SECOND_CHANCE_HOME": str(tmp_path / "home")}
    root = Path(__file__).resolve().parent.parent
    if cache == "warm":
        subprocess.run([sys.executable, "-m", "game", "list", "--scenarios", str(folder)], cwd=root, env=env,
                       check=True, capture_output=True)
    shown = subprocess.run([sys.executable, "-c", FIRST_FRAME, "--scenarios", str(folder)], cwd=root, env=env,
                           capture_output=True, text=True, timeout=120)
    loaded = set(shown.stdout.split())
    assert "game.tui.screens.picker" in loaded, shown.stdout + shown.stderr
    rules = ("game.loader", "game.toml", "game.locate", "game.engine", "game.expr", "game.model", "game.session",
             "game.workshop.room", "game.workshop.teams", "game.workshop.votes", "game.analysis.explore", "attr",
             "attrs", "game.cli.validate", "game.cli.workshop", "game.cli.lsp", "game.cli.sharing",
             "game.workshop.names", "secrets")
    assert not sorted(m for m in loaded if any(m == r or m.startswith(r + ".") for r in rules))
    assert "patterns=0" in loaded, shown.stdout


async def test_a_copy_of_the_catalog_in_the_folder_leaves_the_list_once_checked(tmp_path: Path) -> None:
    """Judged by what it holds, after the first frame: a catalog copy is not a broken story, and a story saved as
    `advice.toml` is a story."""
    from game import paths

    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "advice.toml").write_text(STORY, encoding="utf-8")
    (folder / "catalog-copy.toml").write_bytes(paths.catalog_path().read_bytes())
    entries, cache, skipped = library.offer(builtin=False, folders=[folder])
    app = SecondChanceApp(entries, cache=cache, skipped=skipped)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [e.path.name for e in app.context.entries] == ["advice.toml"]
        assert "broken" not in screen_text(app)
