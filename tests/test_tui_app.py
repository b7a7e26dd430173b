"""Pilot tests for the full-screen game: the paths a player takes, and the ways things go wrong.

Each test builds the app over scenario files written to a temporary folder, so
the built-in stories can change without touching these tests. Saves and the
record of endings go to the per-test SECOND_CHANCE_HOME set in conftest.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.widgets import OptionList

from game import paths
from game.cli.options import FullScreen, PlayOptions
from game.engine import Playthrough, fit_path
from game.library import gather
from game.loader import load_scenario
from game.progress import Progress
from game.saves import SaveSlots
from game.tui.app import SecondChanceApp
from game.tui.screens.debrief import DebriefChoice, DebriefScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.notes import NotesScreen
from game.tui.screens.picker import PickerScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.resources import ResourcesScreen
from game.tui.screens.small import TooSmallScreen
from tests.tui_helpers import BROKEN, MARKUP, STORY, UNTRUSTED, make_app, open_and_begin, screen_text


def slots() -> SaveSlots:
    return SaveSlots(paths.data_dir() / "saves")


# -- picking and playing -----------------------------------------------------------


async def test_pick_a_scenario_shows_notes_then_play(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, PickerScreen)
        text = screen_text(app)
        assert "The Phone Test" in text and "0/2 endings" in text
        await pilot.press("enter")
        assert isinstance(app.screen, NotesScreen)
        assert "late-night texting" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)
        play = await open_and_begin(pilot)
        text = screen_text(app)
        assert "Kitchen, 11 p.m." in text
        assert "The kettle clicks off." in text
        assert play.play is not None and not play.play.steps


async def test_scenario_argument_goes_straight_to_notes(story_dir: Path) -> None:
    app = make_app(story_dir, start="phone-test")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)


async def test_chat_and_struck_choice_are_marked_in_words(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_and_begin(pilot)
        text = screen_text(app)
        assert "Sam" in text and "are you still up?" in text
        assert "not sent" in text
        assert "✗  Call them right now." in text
        assert "not open now: It is too late at night for that." in text


async def test_play_a_path_to_an_ending_records_it_and_clears_the_save(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_and_begin(pilot)
        await pilot.press("1")
        assert slots().has("phone-test")
        await pilot.press("1")
        await pilot.pause()
        assert screen.play is not None and screen.play.ending is not None
        assert screen.play.ending.id == "close"
        assert not slots().has("phone-test")
        assert Progress.load()[0].found("phone-test") == {"close"}
        assert isinstance(app.screen, DebriefScreen)


async def test_keys_arrows_enter_and_mouse_pick_choices(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_and_begin(pilot)
        await pilot.press("down", "enter")
        assert screen.play is not None and screen.play.state.at == "quiet"
        await pilot.press("u")
        await pilot.click("#choices", offset=(4, 1))
        await pilot.pause()
        assert screen.play.state.at == "sent"


async def test_struck_choice_cannot_be_picked(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_and_begin(pilot)
        await pilot.press("3")
        assert screen.play is not None and not screen.play.steps
        for _ in range(4):
            await pilot.press("down")  # the cursor never rests on the struck option
            assert screen.query_one("#choices", OptionList).highlighted != 2
        await pilot.press("end", "enter")
        assert screen.play.steps and screen.play.steps[-1].choice != 2


async def test_undo_goes_back_one_choice_repeatedly(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_and_begin(pilot)
        await pilot.press("2", "1")
        assert screen.play is not None and screen.play.is_over
        await pilot.pause()
        if app.screen is not screen:
            app.pop_screen()  # leave the debrief without a choice: back to the ending
            await pilot.pause()
        assert app.screen is screen and "Ending: A Good Night's Sleep" in screen_text(app)
        await pilot.press("u")
        assert screen.play.state.at == "quiet"
        await pilot.press("u")
        assert screen.play.state.at == "kitchen" and not screen.play.steps
        await pilot.press("u")  # nothing left to undo: a note, no crash
        assert screen.play.state.at == "kitchen"


async def test_an_ending_offers_the_debrief_a_new_play_and_the_list_by_number_and_by_enter(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_and_begin(pilot)

        async def at_the_ending() -> None:
            await pilot.press("2", "1")
            await pilot.pause()
            if app.screen is not screen:
                app.pop_screen()  # the debrief opens over the ending by itself
                await pilot.pause()
            assert app.screen is screen and screen.play is not None and screen.play.is_over

        await at_the_ending()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        app.pop_screen()
        await pilot.pause()
        await pilot.press("2")  # play again
        assert screen.play is not None and not screen.play.steps and not screen.play.is_over
        await at_the_ending()
        await pilot.press("down", "enter")  # the same, by the list
        assert not screen.play.steps and not screen.play.is_over
        await at_the_ending()
        await pilot.press("end", "enter")  # back to the list of stories
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_resume_after_quitting(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_and_begin(pilot)
        await pilot.press("2")
        await pilot.press("ctrl+q")
    assert slots().has("phone-test")

    again = make_app(story_dir)
    async with again.run_test(size=(80, 24)) as pilot:
        assert "saved" in screen_text(again)
        await pilot.press("enter")
        assert "Resume after choice 1" in screen_text(again)
        await pilot.press("enter")  # Resume is the default
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, PlayScreen)
        assert screen.play is not None and screen.play.state.at == "quiet"


async def test_starting_over_and_leaving_at_once_keeps_the_old_save(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_and_begin(pilot)
        await pilot.press("2", "s")
        await pilot.press("enter")
        assert "Start over" in screen_text(app)
        await pilot.press("n")  # start over: a fresh play with no choice yet
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("s")
    saved = json.loads(slots().path_for("phone-test").read_text())
    assert saved["path"] == [["kitchen", 1]]


async def test_undo_back_to_the_start_clears_this_play_save(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_and_begin(pilot)
        await pilot.press("2")
        assert slots().has("phone-test")
        await pilot.press("u")
    assert not slots().has("phone-test")


async def test_save_and_leave_returns_to_the_list(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_and_begin(pilot)
        await pilot.press("1", "s")
        assert isinstance(app.screen, PickerScreen)
        assert "saved" in screen_text(app)
        saved = json.loads(slots().path_for("phone-test").read_text())
        assert saved["path"] == [["kitchen", 0]]
        # The "Saved" notice is shown, and never over the story's blurb on the list.
        await pilot.pause()
        assert any(n.message.startswith("Saved.") for n in app._notifications)
        await pilot.pause()
        blurb = app.screen.query_one("#details").region
        toast = app.screen.query_one("Toast").region
        assert toast.y >= blurb.y + 4, (toast, blurb)  # below the title and the summary


def _debrief_choice(action: str, keep_steps: int = 0) -> DebriefChoice:
    return DebriefChoice(action=action, keep_steps=keep_steps)


async def _finish(pilot, screen: PlayScreen) -> None:
    await pilot.press("1", "1")
    await pilot.pause()
    assert screen.play is not None and screen.play.is_over


async def test_rewind_from_the_debrief_keeps_the_steps_asked_for(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_and_begin(pilot)
        await _finish(pilot, screen)
        choice = _debrief_choice("rewind", 1)
        if app.screen is not screen:
            app.screen.dismiss(choice)
        else:
            screen.after_debrief(choice)
        await pilot.pause()
        assert app.screen is screen
        assert screen.play is not None and len(screen.play.steps) == 1
        assert screen.play.state.at == "sent"
        await pilot.press("1")  # and play on from there
        await pilot.pause()
        assert screen.play.is_over


async def test_replay_and_back_to_list_from_the_debrief(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_and_begin(pilot)
        await _finish(pilot, screen)
        if app.screen is not screen:
            app.screen.dismiss(_debrief_choice("replay"))
        else:
            screen.after_debrief(_debrief_choice("replay"))
        await pilot.pause()
        assert screen.play is not None and not screen.play.steps
        await _finish(pilot, screen)
        if app.screen is not screen:
            app.screen.dismiss(_debrief_choice("list"))
        else:
            screen.after_debrief(_debrief_choice("list"))
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "1/2 endings" in screen_text(app)


# -- things that go wrong ------------------------------------------------------------


async def test_a_broken_scenario_is_listed_with_its_first_error(story_dir: Path) -> None:
    (story_dir / "broken.toml").write_text(BROKEN, encoding="utf-8")
    app = make_app(story_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        text = screen_text(app)
        assert "broken" in text
        await pilot.press("home")  # broken.toml sorts first
        await pilot.pause()
        text = screen_text(app)
        assert "Broken: this file cannot be played yet." in text
        assert "SC021" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)  # refused with a note, nothing stops


async def test_a_corrupt_save_is_set_aside_and_reported(story_dir: Path) -> None:
    save = slots().path_for("phone-test")
    save.parent.mkdir(parents=True, exist_ok=True)
    save.write_text("{ this is not json", encoding="utf-8")
    app = make_app(story_dir)
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        original = app.notify
        app.notify = lambda message, **kw: (notes.append(message), original(message, **kw))[1]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        assert "Resume" not in screen_text(app)
    assert not save.exists()
    kept = list(save.parent.glob("phone-test.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == "{ this is not json"
    assert any("could not be resumed" in n and str(kept[0]) in n for n in notes)


async def test_a_corrupt_progress_file_is_set_aside_and_reported(story_dir: Path) -> None:
    record = paths.data_dir() / "progress.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("[1, 2", encoding="utf-8")
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert any("could not be read" in n.message for n in app._notifications)
    assert list(record.parent.glob("progress.unreadable-*.json"))


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_untrusted_text_is_shown_as_it_is_written(tmp_path: Path, size) -> None:
    (tmp_path / "markup.toml").write_text(UNTRUSTED, encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        assert app.context.entries[0].scenario is not None, app.context.entries[0].first_error
        await pilot.press("enter")
        assert isinstance(app.screen, NotesScreen)
        if size == (80, 24):
            assert "[bold" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        app.screen.query_one("#story").scroll_home(animate=False)  # a scene opens at its end
        await pilot.pause()
        text = screen_text(app)
        if size == (80, 24):
            for literal in MARKUP:
                assert literal in text, literal
        await pilot.click("#scene-text")  # a click on "[@click=app.quit]" text must not quit
        await pilot.pause()
        assert app.is_running and app.return_value is None
        await pilot.press("1")
        await pilot.pause()
        assert app.is_running


async def test_command_palette_titles_are_not_markup(tmp_path: Path) -> None:
    (tmp_path / "markup.toml").write_text(UNTRUSTED, encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        from game.tui.commands import GameCommands, plain_highlight

        provider = GameCommands(app.screen)
        score, content = plain_highlight(provider, "play", "Play: [bold")
        assert score > 0 and content.plain == "Play: [bold"
        names = [name for name, _, _ in provider._commands()]
        assert "Play: [bold" in names
        await pilot.pause()


async def test_resize_down_to_40x12_and_below(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_and_begin(pilot)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        text = screen_text(app)
        assert "1. Send the reply." in text
        await pilot.press("1")
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "too small" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert "Waiting" in screen_text(app)


async def test_picker_at_40x12(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "The Phone Test" in screen_text(app)


# -- keys, themes, palette ------------------------------------------------------------


async def test_help_screen_opens_and_closes(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Open the scenario with that number" in screen_text(app)  # the list's keys
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_footer_describes_the_play_keys(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(100, 24)) as pilot:
        await open_and_begin(pilot)
        footer = screen_text(app).splitlines()[-1]
        for words in ("Choose", "Undo", "History", "Save & leave", "Help"):
            assert words in footer


async def test_theme_toggle_and_high_contrast_theme(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "high-contrast" in app.available_themes
        await pilot.press("f3")
        assert app.theme == "high-contrast"
        await pilot.press("f3")
        assert app.theme != "high-contrast"


async def test_palette_commands_play_theme_and_reveal(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        from game.tui.commands import GameCommands

        provider = GameCommands(app.screen)
        commands = {name: command for name, command, _ in provider._commands()}
        assert set(commands) >= {"Play: The Phone Test", "Toggle theme (high contrast)",
                                 "Reveal meters (author mode)"}
        hits = [hit async for hit in provider.search("phone")]
        assert [hit.text for hit in hits] == ["Play: The Phone Test"]
        commands["Play: The Phone Test"]()
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert "Their trust" not in screen_text(app)
        commands["Reveal meters (author mode)"]()
        await pilot.pause()
        assert "Their trust" in screen_text(app) and "5/10" in screen_text(app)


async def test_reveal_flag_shows_meters(story_dir: Path) -> None:
    app = make_app(story_dir, reveal=True)
    async with app.run_test(size=(100, 24)) as pilot:
        await open_and_begin(pilot)
        await pilot.press("1")
        assert "Their trust" in screen_text(app) and "6/10" in screen_text(app)


async def test_resources_key_works_anywhere(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ResourcesScreen)


# -- watching a file -------------------------------------------------------------------


async def test_watch_reloads_replays_and_reports(story_dir: Path) -> None:
    path = story_dir / "phone-test.toml"
    app = make_app(story_dir, start="phone-test", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.watch_path == path
        await pilot.press("1")
        # an edit that keeps the path: replayed to the same place, with the new text
        path.write_text(STORY.replace("Three dots appear", "Two dots appear"), encoding="utf-8")
        screen.reload()
        await pilot.pause()
        assert screen.play is not None and screen.play.path == (("kitchen", 0),)
        assert "Two dots appear" in screen_text(app)
        # a broken file: diagnostics on screen, play carries on with the last good version
        path.write_text(STORY.replace('goto = "@ending"', 'goto = "nowhere"'), encoding="utf-8")
        screen.reload()
        await pilot.pause()
        text = screen_text(app)
        assert "no longer loads" in text and "SC" in text
        assert screen.play.state.at == "sent"
        # an edit that breaks the path: the longest prefix that fits, and a note saying so
        path.write_text(STORY.replace('goto = "sent"\neffects', 'goto = "quiet"\neffects'),
                        encoding="utf-8")
        screen.reload()
        await pilot.pause()
        assert "no longer loads" not in screen_text(app)
        assert screen.play.path == (("kitchen", 0),) and screen.play.state.at == "quiet"


async def test_watch_polls_the_file_time(story_dir: Path) -> None:
    path = story_dir / "phone-test.toml"
    app = make_app(story_dir, start="phone-test", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        path.write_text(STORY.replace("The kettle clicks off.", "The kettle sings."), encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        screen.check_file()
        await pilot.pause()
        assert "The kettle sings." in screen_text(app)


async def test_watch_a_file_that_starts_broken(tmp_path: Path) -> None:
    path = tmp_path / "story.toml"
    path.write_text(STORY.replace('start = "kitchen"', 'start = "attic"'), encoding="utf-8")
    app = make_app(tmp_path, start="story", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.play is None
        assert "no longer loads" in screen_text(app)
        path.write_text(STORY, encoding="utf-8")
        screen.reload()
        await pilot.pause()
        assert screen.play is not None and "The kettle clicks off." in screen_text(app)


def test_fit_path_keeps_the_longest_prefix(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(STORY, encoding="utf-8")
    scenario = load_scenario(tmp_path / "a.toml")
    play, why = fit_path(scenario, [("kitchen", 1), ("quiet", 0)])
    assert why is None and play.is_over
    play, why = fit_path(scenario, [("kitchen", 0), ("quiet", 0)])
    assert why is not None and "step 2" in why
    assert play.path == (("kitchen", 0),)
    play, why = fit_path(scenario, [("attic", 0)])
    assert why and play.path == ()
    assert Playthrough.begin(scenario).state.at == "kitchen"


# -- launching -------------------------------------------------------------------------


def refused(argv: list[str]) -> int:
    """Run `second-chance` with these arguments; the full screen must not start."""
    from game.cli import main

    started: list[PlayOptions] = []
    code = main(argv, FullScreen(play=lambda options: started.append(options) or 0))
    assert not started
    return code


def test_launch_refuses_an_unknown_scenario(capsys) -> None:
    assert refused(["play", "no-such-story"]) == 2
    assert "no scenario called `no-such-story`" in capsys.readouterr().err


def test_launch_refuses_watch_without_a_file(capsys) -> None:
    assert refused(["play", "--watch"]) == 2
    assert "name the scenario file" in capsys.readouterr().err


def test_launch_refuses_a_missing_folder(tmp_path: Path, capsys) -> None:
    assert refused(["--scenarios", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_cli_accepts_watch() -> None:
    from game.cli import build_parser

    args = build_parser().parse_args(["play", "story.toml", "--watch"])
    assert args.watch and args.scenario == "story.toml"


def test_gather_lists_each_file_once(story_dir: Path) -> None:
    entries, _ = gather(builtin=False, folders=[story_dir, story_dir],
                        files=[story_dir / "phone-test.toml"])
    assert [e.title for e in entries] == ["The Phone Test"]


async def test_history_key_rewinds_to_before_a_choice(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_and_begin(pilot)
        await pilot.press("1")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        app.screen.dismiss(0)
        await pilot.pause()
        assert app.screen is screen
        assert screen.play is not None and not screen.play.steps


async def test_leaving_a_scenario_keeps_it_highlighted(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(STORY.replace('id = "phone-test"', 'id = "a"'), encoding="utf-8")
    (tmp_path / "b.toml").write_text(STORY.replace('title = "The Phone Test"', 'title = "The Second"'),
                                     encoding="utf-8")
    app = make_app(tmp_path, start="b")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.query_one("#scenario-list", OptionList).highlighted == 1


async def test_command_palette_opens_a_scenario(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"play phone")
        for _ in range(20):  # the palette searches in the background; wait for the hit
            await pilot.pause()
            if "Play: The Phone Test" in screen_text(app):
                break
        assert "Play: The Phone Test" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)


def test_build_app_starts_at_the_named_file(story_dir: Path) -> None:
    import gc

    from game.tui.app import resume_gc
    from game.tui.launch import build_app

    path = story_dir / "phone-test.toml"
    try:
        app = build_app(PlayOptions(path, (story_dir,)))
        assert isinstance(app, SecondChanceApp)
        assert app.start_entry is not None and app.start_entry.path.resolve() == path.resolve()
        assert [e.path.stem for e in app.context.entries].count("phone-test") == 1  # listed once
        assert not gc.isenabled()  # paused for start-up ...
        resume_gc()
        assert gc.isenabled()  # ... and back on once the first screen is drawn
    finally:
        gc.enable()


async def test_starting_in_a_tiny_window_asks_for_more_room(story_dir: Path) -> None:
    app = make_app(story_dir, start="phone-test")
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("ctrl+p", "f1")  # nothing opens over the notice
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)


async def test_clicking_a_key_in_the_key_bar_presses_it(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await open_and_begin(pilot)
        await pilot.press("1")
        footer = screen_text(app).splitlines()[-1]
        column = footer.index("Undo")
        await pilot.click("KeyBar", offset=(column, 0))
        await pilot.pause()
        assert screen.play is not None and not screen.play.steps


async def test_number_keys_open_a_scenario_from_the_list(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(STORY.replace('id = "phone-test"', 'id = "a"'), encoding="utf-8")
    (tmp_path / "b.toml").write_text(STORY.replace('title = "The Phone Test"', 'title = "The Second"'),
                                     encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("9")  # no ninth scenario: nothing happens
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("2")
        assert isinstance(app.screen, NotesScreen) and app.screen.scenario.title == "The Second"
