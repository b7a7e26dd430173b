"""Keys a player can trust: the help lists the keys of the screen it was opened from, each key means
one thing (Enter goes on, Escape goes back, starting over takes `n`), the list is in the stories'
order with its number keys shown, and the theme and reveal setting outlast a restart.

Pressed as a player presses them, at 80x24 (the list also at 40x12).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.screen import Screen

from game import paths
from game.tui.messages import ToggleReveal
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.notes import NotesScreen
from game.tui.screens.picker import PickerScreen
from game.tui.screens.play import PlayScreen
from game.tui.themes import HIGH_CONTRAST
from game.tui.typeahead import TypeAhead
from tests.tui_helpers import STORY, help_words, make_app, screen_text, typed_at_once, until

SIZE = (80, 24)


def key_bar(app) -> str:
    return screen_text(app).splitlines()[-1]


async def open_help(pilot, key: str = "question_mark") -> str:
    """Open the help, read it, check it says how to close, and close it again with `key`'s partner."""
    await pilot.press(key)
    await pilot.pause()
    words = help_words(pilot.app)
    assert "Escape, ? or q closes this help." in screen_text(pilot.app)  # seen at once, not below the fold
    for anywhere in ("F2", "F3", "Ctrl+Q", "Ctrl+P", "high-contrast"):
        assert anywhere in words
    await pilot.press("escape")
    assert not isinstance(pilot.app.screen, HelpScreen)
    return words


async def test_help_lists_the_keys_of_the_screen_it_was_opened_from(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=SIZE) as pilot:
        words = await open_help(pilot)  # from the list
        assert "1-9" in words and "Open the scenario with that number" in words
        assert "order they are best played" in words  # the list's own note
        assert "Undo" not in words and "Replay" not in words

        await pilot.press("enter")
        assert isinstance(app.screen, NotesScreen)
        words = await open_help(pilot, "f1")  # from the content notes, no save waiting
        assert "Enter" in words and "Begin" in words and "Back" in words
        assert "Resume" not in key_bar(app) and "Start over" not in key_bar(app)
        assert "\nb " not in words and "\nr " not in words

        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen)
        words = await open_help(pilot)  # from a scene
        for key, what in (("1-9", "Choose"), ("u", "Undo"), ("h", "History"), ("s, Escape", "Save & leave")):
            assert any(line.lstrip().startswith(key) and what in line for line in words.splitlines()), (key, words)
        assert "Open the scenario" not in words

        await pilot.press("2", "1")  # the quiet path to an ending
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        words = await open_help(pilot)  # from the debrief: its own r, w and b
        for key, what in (("r", "Replay"), ("w", "Rewind"), ("b", "Back")):
            assert any(line.lstrip().startswith(key) and what in line for line in words.splitlines()), (key, words)
        assert "Undo" not in words

        await pilot.press("question_mark", "q")  # q closes it too
        assert isinstance(app.screen, DebriefScreen)


async def test_help_at_80x24(tmp_path: Path, monkeypatch, snapshot) -> None:
    monkeypatch.chdir(tmp_path)
    Path("stories").mkdir()
    Path("stories/phone-test.toml").write_text(STORY, encoding="utf-8")
    app = make_app(Path("stories"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        snapshot.assert_match(screen_text(app) + "\n", "help_picker.txt")


async def test_notes_keys_without_and_with_a_save(story_dir: Path) -> None:
    saves = paths.data_dir() / "saves"
    app = make_app(story_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, NotesScreen)
        assert "⏎ Begin" in key_bar(app) and "esc Back" in key_bar(app)
        await pilot.press("b", "r", "n")  # none of them means anything here
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter", "enter")  # Begin
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.play is not None and not app.screen.play.steps
        await pilot.press("2", "s")  # one choice, saved, back to the list
        assert (saves / "phone-test.json").is_file()

        await pilot.press("enter")
        assert isinstance(app.screen, NotesScreen)
        text = screen_text(app)
        assert "Enter  Resume after choice 1" in text and "n  Start over" in text
        assert "replaced once you make your first choice" in text
        assert "⏎ Resume" in key_bar(app) and "n Start over" in key_bar(app) and "Begin" not in key_bar(app)
        await pilot.press("b", "r")  # no habit key starts over or resumes
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("enter")  # Resume is the default
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.play is not None
        assert app.screen.play.state.at == "quiet"
        await pilot.press("s", "enter", "n")  # back, notes, start over on purpose
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.play is not None
        assert app.screen.play.state.at == "kitchen" and not app.screen.play.steps
        assert (saves / "phone-test.json").is_file()  # replaced only at the first new choice
        await pilot.press("1")
        saved = json.loads((saves / "phone-test.json").read_text(encoding="utf-8"))
        assert saved["path"] == [["kitchen", 0]]


def choices_made(app) -> list[str]:
    """The choices taken so far in the play on screen (none when no play is on screen)."""
    play = getattr(app.screen, "play", None) if isinstance(app.screen, PlayScreen) else None
    return [step.choice_text for step in play.steps] if play is not None else []


def section_shown(app) -> str:
    return screen_text(app).splitlines()[2].strip()


@pytest.mark.parametrize("keys", [("enter", "enter", "2"), ("1", "enter", "2")])
async def test_keys_typed_together_reach_the_screens_they_were_typed_for(story_dir: Path, keys) -> None:
    """Enter on the list, Enter on the notes, 2 on the first scene: each key goes to the screen that follows
    the one before, none is lost in the change (the 2 used to fall on the notes, and play began at choice 1)."""
    app = make_app(story_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        typed_at_once(app, *keys)
        await until(pilot, lambda: bool(choices_made(app)))
        assert choices_made(app) == ["Put the phone face down."]


async def test_keys_typed_together_carry_on_into_the_debrief(story_dir: Path) -> None:
    app = make_app(story_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        typed_at_once(app, "1", "enter", "2", "1", "3")  # to an ending, then section 3 of its debrief
        await until(pilot, lambda: section_shown(app) == "What your choices meant")
        assert isinstance(app.screen, DebriefScreen)
        assert section_shown(app) == "What your choices meant"


class Heard(Screen[None]):
    """A screen that keeps the keys it is given; `x` hands over to the next one a moment later, by a timer."""

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        self.keys: list[str] = []

    def on_key(self, event: events.Key) -> None:
        self.keys.append(event.key)
        if event.key == "x":
            self.screen_change_due = True  # what the play screen says while its debrief waits for a frame
            self.set_timer(0.1, lambda: self.app.push_screen(Heard("after")))


class Handing(TypeAhead, App[None]):
    def on_mount(self) -> None:
        self.push_screen(Heard("before"))


async def test_a_screen_that_says_a_change_is_due_keeps_the_keys_for_the_next_one() -> None:
    """Nothing in any message queue while the change waits (a timer here, the ending's frame in a play):
    the keys behind it are still for the screen to come."""
    app = Handing()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.screen
        typed_at_once(app, "x", "y", "z")
        await until(pilot, lambda: app.screen.name == "after" and len(app.screen.keys) == 2)
        assert before.keys == ["x"] and app.screen.keys == ["y", "z"]


async def test_notes_with_two_saved_plays_keep_their_buttons_on_screen_at_80x24(story_dir: Path) -> None:
    from game.home import Home
    from game.session import Session

    notes = '["cheating", "jealousy on both sides", "an on-again, off-again relationship", "sex implied", "a break-up"]'
    story = story_dir / "phone-test.toml"
    summary = "3:04 a.m., nine days after break-up number four, and someone is on your doorstep with a joke."
    story.write_text(story.read_text(encoding="utf-8").replace(
        'content_notes = ["a break-up", "late-night texting"]', f"content_notes = {notes}\nhelp = true").replace(
        "A short story for checking the screens.", summary), encoding="utf-8")
    home = Home.open()
    scenario = make_app(story_dir).context.entries[0].scenario
    assert scenario is not None and len(scenario.content_notes) == 5
    for _ in range(2):  # two windows, two plays, each its own save
        Session.begin(scenario, home.slots, home.progress).choose_number(2)
    app = make_app(story_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        text = screen_text(app)
        assert "another saved play" in " ".join(text.split())
        lines = text.splitlines()
        label = next(i for i, line in enumerate(lines) if "Esc  Back" in line)
        assert "Enter  Resume after choice 1" in lines[label] and "n  Start over" in lines[label]
        assert "▔▔▔" in lines[label - 1] and "▁▁▁" in lines[label + 1]  # whole buttons, above the key bar
        assert "⏎ Resume" in lines[-1]


def _ordered_stories(folder: Path) -> None:
    """Four stories whose file names, titles and `order` all disagree."""
    def story(story_id: str, title: str, order: int | None) -> str:
        text = STORY.replace('id = "phone-test"', f'id = "{story_id}"').replace(
            'title = "The Phone Test"', f'title = "{title}"')
        return text.replace("minutes = 3", f"minutes = 3\norder = {order}") if order else text

    folder.mkdir()
    (folder / "a.toml").write_text(story("a", "Second Choice", 2), encoding="utf-8")
    (folder / "b.toml").write_text(story("b", "Zed, Unordered", None), encoding="utf-8")
    (folder / "c.toml").write_text(story("c", "Warm-up", 1), encoding="utf-8")
    (folder / "d.toml").write_text(story("d", "Alpha, Unordered", None), encoding="utf-8")


async def test_picker_order_numbers_and_resume_hint(tmp_path: Path) -> None:
    _ordered_stories(tmp_path / "stories")
    app = make_app(tmp_path / "stories")
    async with app.run_test(size=SIZE) as pilot:
        assert [e.title for e in app.context.entries] == [
            "Warm-up", "Second Choice", "Alpha, Unordered", "Zed, Unordered"]
        lines = screen_text(app).splitlines()
        for number, title in enumerate(("Warm-up", "Second Choice", "Alpha, Unordered"), start=1):
            assert any(f" {number} {title}" in line for line in lines), title
        assert "⏎ Open" in key_bar(app)
        await pilot.press("2")  # the number shown opens that story
        assert isinstance(app.screen, NotesScreen) and app.screen.scenario.title == "Second Choice"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1", "s")  # a saved play, back on the list at the same row
        assert isinstance(app.screen, PickerScreen)
        await pilot.pause()
        assert "⏎ Resume" in key_bar(app) and "read the content notes and resume" in screen_text(app)
        await pilot.press("up")
        assert "⏎ Open" in key_bar(app)
        await pilot.press("down", "enter", "enter")  # Enter, Enter: the saved play, resumed
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.play is not None
        assert app.screen.play.scenario.title == "Second Choice" and len(app.screen.play.steps) == 1


async def test_picker_numbers_at_40x12(tmp_path: Path, monkeypatch, snapshot) -> None:
    monkeypatch.chdir(tmp_path)
    _ordered_stories(Path("stories"))
    app = make_app(Path("stories"))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "1 Warm-up" in text and "2 Second Choice" in text
        snapshot.assert_match(text + "\n", "picker_40x12.txt")


async def test_theme_and_reveal_are_remembered_between_runs(story_dir: Path) -> None:
    first = make_app(story_dir)
    async with first.run_test(size=SIZE) as pilot:
        assert first.theme != HIGH_CONTRAST.name and not first.context.reveal
        await pilot.press("f3")
        first.post_message(ToggleReveal())  # as the palette's "Reveal meters" does
        await pilot.pause()
        await pilot.press("ctrl+q")
    stored = json.loads((paths.data_dir() / "settings.json").read_text(encoding="utf-8"))
    assert stored["theme"] == HIGH_CONTRAST.name and stored["reveal"] is True

    second = make_app(story_dir)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert second.theme == HIGH_CONTRAST.name and second.context.reveal
        await pilot.press("f3")
        second.post_message(ToggleReveal())
        await pilot.pause()
    third = make_app(story_dir)
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert third.theme != HIGH_CONTRAST.name and not third.context.reveal


def test_settings_live_beside_the_saves_in_the_platforms_data_folder(tmp_path: Path, monkeypatch) -> None:
    from platformdirs import user_data_dir

    from game.home import Home

    monkeypatch.delenv("SECOND_CHANCE_HOME")
    assert paths.data_dir() == Path(user_data_dir("second-chance", appauthor=False))
    home = Home.open(tmp_path)
    assert home.settings.path == tmp_path / "settings.json" and home.slots.folder == tmp_path / "saves"
