"""The play screen's layout: the message a choice answers is on screen with the choices.

A new scene shows its end (the newest message) just above the choices, in a
centred column; Page Up / Page Down scroll the scene while the arrows keep
moving the choice; notices never cover the choices; the history marks its
selection with a pointer. Checked on every scene of every built-in story at
the two common sizes, and on the test's own story at 40x12 to 200x50.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets._toast import Toast

from game.analysis.explore import explore
from game.engine import Playthrough
from game.library import Entry, gather
from game.loader import load_scenario
from game.session import Session
from game.tui.app import SecondChanceApp
from game.tui.screens.history import HistoryScreen
from game.tui.screens.play import PlayScreen
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.phone import PhoneConversation
from tests.tui_helpers import screen_text

LONG_TEXT = "\\n".join(f"Line {n} of a long evening, the kind that keeps going." for n in range(1, 41))

STORY = f'''\
[scenario]
id = "layout-test"
title = "The Layout Test"
summary = "A short story for checking where things sit on the play screen."
start = "short"

[scenes.short]
title = "A short scene"
text = "The kettle clicks off."
messages = [{{ from = "Sam", text = "are you still up?" }}]

[[scenes.short.choices]]
text = "\\"Yes. Always, apparently.\\""
goto = "long"

[[scenes.short.choices]]
text = "Put the phone face down."
goto = "long"

[scenes.long]
title = "A long scene"
text = "{LONG_TEXT}"
messages = [
  {{ from = "Sam", text = "an older message" }},
  {{ from = "Sam", text = "the newest message, the one the choices answer" }},
]

[[scenes.long.choices]]
text = "Answer it."
goto = "last"

[[scenes.long.choices]]
text = "Wait."
goto = "last"

[scenes.last]
title = "The last scene"
text = "Morning."

[[scenes.last.choices]]
text = "Get up."
goto = "@ending"

[endings.morning]
title = "Morning"
tone = "hopeful"
outcome = "apart"
text = "It is morning."
'''

SIZES = [(80, 24), (100, 30), (40, 12)]


def app_for(scenario, data: Path) -> SecondChanceApp:
    """The game straight on the play screen of a fresh play that saves nothing."""
    return SecondChanceApp([], data_dir=data, test_session=Session(Playthrough.begin(scenario)))


def newest_region(screen: PlayScreen) -> Region:
    """Where the newest message sits on screen: the last bubble, or the last line of a scene without chat."""
    phone = screen.query_one(PhoneConversation)
    if phone.messages:
        box = phone.content_region
        height = phone.newest_height()
        return Region(box.x, box.bottom - height, box.width, height)
    box = screen.query_one("#scene-text").content_region
    return Region(box.x, box.bottom - 1, box.width, 1)


def assert_answered_message_shown(screen: PlayScreen, where: str) -> None:
    view = screen.query_one("#story").scrollable_content_region
    choices = screen.query_one(ChoiceList).region
    assert view.contains_region(newest_region(screen)), f"{where}: the newest message is off screen"
    assert choices.height > 0 and screen.region.contains_region(choices), f"{where}: the choices are off screen"
    assert not choices.overlaps(view), f"{where}: the choices cover the scene"


async def settled(pilot, screen: PlayScreen, where: str) -> None:
    """One pause, then the check; on a busy machine the pause can end a frame early, so up to two more."""
    for _ in range(2):
        await pilot.pause()
        try:
            assert_answered_message_shown(screen, where)
            return
        except AssertionError:
            pass
    await pilot.pause()
    assert_answered_message_shown(screen, where)


def scene_paths(entry: Entry) -> list[tuple[int, ...]]:
    """The shortest play to each scene, as choice indexes, in an order where neighbours share a start."""
    scenario = entry.scenario
    assert scenario is not None, entry.first_error
    walk = explore(scenario)
    paths = [tuple(move.index for move in walk.play(ref))
             for place, ref in walk.first_state.items() if place in scenario.scenes]
    assert len(paths) == len(scenario.scenes), f"{entry.path.name}: not every scene is reachable"
    return sorted(paths)


STORIES = [e for e in gather(builtin=True, folders=[])[0] if e.scenario is not None]


def test_every_built_in_story_is_checked() -> None:
    assert len(STORIES) == 9
    assert all(e.scenario.scenes for e in STORIES)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
@pytest.mark.parametrize("entry", STORIES, ids=[e.path.stem for e in STORIES])
async def test_every_scene_shows_its_newest_message_with_the_choices(entry: Entry, size, tmp_path: Path) -> None:
    app = app_for(entry.scenario, tmp_path)
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.session is not None
        session = screen.session
        for path in scene_paths(entry):
            made = tuple(step.choice for step in session.play.steps)
            common = next((i for i, (a, b) in enumerate(zip(made, path, strict=False)) if a != b),
                          min(len(made), len(path)))
            if common < len(made):
                session.rewind(common)
            for index in path[common:]:
                session.choose(index)
            await settled(pilot, screen, f"{entry.path.stem} at {session.play.state.at}")


@pytest.mark.parametrize("size", [*SIZES, (200, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_column_the_keys_the_notices_and_the_history(size, tmp_path: Path) -> None:
    path = tmp_path / "layout-test.toml"
    path.write_text(STORY, encoding="utf-8")
    scenario = load_scenario(path)
    width, height = size
    app = app_for(scenario, tmp_path / "home")
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        await pilot.pause()
        story = screen.query_one("#story")
        choices = screen.query_one(ChoiceList)
        column = screen.query_one("#column").region

        # A short scene: text and choices together, in a centred column no wider than 100.
        assert column.width == min(width, 100)
        assert abs(column.x - (width - column.right)) <= 1
        assert screen.query_one("#below").region.y == story.region.bottom
        assert choices.region.y - screen.query_one("#scene-text").region.bottom <= (6 if height > 12 else 5)
        assert_answered_message_shown(screen, "the short scene")

        # A notice (a number with no choice) never lands on the choices.
        await pilot.press("9")
        await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert toasts
        for toast in toasts:
            assert not toast.region.overlaps(choices.region), "a notice covers the choices"

        # A long scene: its end (the newest message) just above the choices.
        await pilot.press("1")
        await pilot.pause()
        assert story.max_scroll_y > 0
        assert story.scroll_y == story.max_scroll_y
        assert_answered_message_shown(screen, "the long scene")

        # Page Up / Page Down scroll the scene, not the choice cursor; the arrows still move the choice.
        await pilot.press("pageup")
        await pilot.pause()
        assert story.scroll_y < story.max_scroll_y
        assert not story.scrollable_content_region.contains_region(newest_region(screen))
        assert choices.highlighted == 0
        await pilot.press("pagedown", "pagedown", "down")
        await pilot.pause()
        assert story.scroll_y == story.max_scroll_y
        assert choices.highlighted == 1

        # The history: the selected step has a pointer, and a quoted choice is quoted once.
        app.clear_notifications()
        await pilot.press("1", "h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "▸ Choice 2" in text and "▸ Choice 1" not in text
        await pilot.press("up")
        await pilot.pause()
        text = screen_text(app)
        assert "▸ Choice 1" in text and "▸ Choice 2" not in text
        assert '“Yes. Always,' in text and '“"' not in text and '““' not in text
