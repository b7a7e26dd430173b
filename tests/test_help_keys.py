"""Help is one key away in every front end, and every sentence that names a key names that front end's own.

A screen-reader player in plain mode types `r`; the full screen and the
workshop's console press F2. The words under a story's list say where the
whole list is (F2, or r), the whole list itself never sends the reader to the
key they just pressed, and it puts the story's own kind of help first from the
moment its content notes are on screen.
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from game import resources
from game.library import gather
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.notes import NotesScreen
from game.tui.screens.resources import ResourcesScreen, all_resources_text
from game.tui.workshop.app import WorkshopApp
from game.tui.workshop.context import Settings, WorkshopContext
from game.tui.workshop.screens.setup import SetupScreen
from tests.helpers import MINIMAL, builtin, expected_plays, transcript
from tests.tui_helpers import make_app, screen_text

LOOP = MINIMAL.replace('start = "door"', 'start = "door"\nhelp = true\nhelp_topic = "relationships"').replace(
    'id = "tiny"', 'id = "loop"')
"""A help story about a relationship that is unhealthy but not abusive."""

LOOP_TITLE = "When a relationship is unhealthy, but not abusive"
ABUSE_TITLE = "If someone frightens, controls or hurts you"


def loop_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "loop.toml").write_text(LOOP, encoding="utf-8")
    return folder


def words_of(screen: object) -> str:
    """The whole F2 list on top, as text, however far it scrolls."""
    assert isinstance(screen, ResourcesScreen)
    console = Console(file=io.StringIO(), width=70, color_system=None)
    console.print(all_resources_text(screen.topic))
    return console.file.getvalue()


# -- plain mode ---------------------------------------------------------------------------------------


def test_plain_mode_has_a_key_for_the_whole_help_list_and_says_so_before_a_help_story():
    text, _ = transcript(builtin("fourth-time-lucky"), ["r", "?", "q"])
    opening, _, rest = text.partition("--- ")
    assert resources.PLAIN.opens() in opening  # before the first scene
    assert "r = help and support resources" in opening and "r = help and support resources" in rest
    listed = rest[rest.index("> r"):]
    assert listed.index(LOOP_TITLE) < listed.index(ABUSE_TITLE)  # the story's kind of help first, then the rest
    assert "Samaritans" in listed and "National Domestic Abuse Helpline" in listed
    assert "F2" not in text  # a key this player does not have is never named


def test_the_plain_debrief_points_to_r_for_the_whole_list():
    story = builtin("fourth-time-lucky")
    assert story.expected
    for expected in story.expected:
        text, _ = transcript(story, list(expected.choices))
        ending = text[text.index("=== Ending"):text.index("In short")]
        assert "Help and support" in ending  # under the ending, as on the full screen
        assert "r shows the whole list, every kind of help, at any prompt." in ending
        assert "F2" not in text


# -- the full screen -----------------------------------------------------------------------------------


async def test_f2_lists_every_kind_of_help_and_never_points_to_itself(tmp_path: Path):
    app = make_app(tmp_path)  # the list, with no story: the abuse lines first
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        words = words_of(app.screen)
        assert words.index(ABUSE_TITLE) < words.index(LOOP_TITLE)
    for topic in ("relationships", "abuse"):
        console = Console(file=io.StringIO(), width=70, color_system=None)
        console.print(all_resources_text(topic))
        words = console.file.getvalue()
        assert ABUSE_TITLE in words and LOOP_TITLE in words
        assert "F2" not in words and "whole list" not in words, topic


async def test_the_debrief_s_list_names_f2_for_the_rest(tmp_path: Path):
    play = next(p for p in expected_plays() if p.scenario.id == "fourth-time-lucky")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 200)) as pilot:
        app.push_screen(DebriefScreen(play, frozenset()))
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "F2 shows the whole list, every kind of help, from anywhere in the game." in text
        assert "unhealthy, though not abusive" in text and "at any prompt" not in text


async def test_f2_from_a_story_s_content_notes_puts_its_kind_of_help_first(tmp_path: Path):
    app = make_app(loop_folder(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        assert resources.FULL_SCREEN.opens() in " ".join(screen_text(app).split())
        await pilot.press("f2")
        await pilot.pause()
        words = words_of(app.screen)
        assert words.index(LOOP_TITLE) < words.index(ABUSE_TITLE)


async def test_the_workshop_console_s_f2_puts_the_running_story_s_help_first(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    entries, _ = gather(builtin=False, folders=[loop_folder(tmp_path)])
    context = WorkshopContext(offered=entries, start=entries[0], settings=Settings(teams=["Red", "Blue"]),
                              log_dir=tmp_path / "logs", export_dir=tmp_path / "handouts")
    app = WorkshopApp(context)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        for key in ("f2", "escape", "ctrl+b", "f2"):  # before the room begins, and once it has
            await pilot.press(key)
            await pilot.pause()
            if key == "f2":
                words = words_of(app.screen)
                assert words.index(LOOP_TITLE) < words.index(ABUSE_TITLE)
