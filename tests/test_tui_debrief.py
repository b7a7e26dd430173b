"""The debrief family of screens: debrief, history, help resources, and the meter chart.

Each screen is mounted on its own in a tiny host app, so these tests pin the
screens' contract (what they show, what they dismiss with) independently of
the rest of the app. The story is written here, with its advice inline and an
empty shared catalog, so the snapshots do not move when the built-in stories
or the catalog are edited.
"""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.app import App
from textual.widgets import OptionList

from game import debrief as debriefs
from game.engine import Playthrough
from game.loader import load_text
from game.model import Meter, Scenario
from game.tui.screens.debrief import DebriefChoice, DebriefScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.resources import ResourcesScreen
from game.tui.screens.sources import SourcesScreen
from game.tui.widgets.meter_chart import MARKS, SHARED, TURN, ChartData, MeterChart, chart_lines
from tests.helpers import RESOURCE_TOPICS as TOPICS
from tests.helpers import expected_plays

STORY = '''\
[scenario]
id = "porch"
title = "The Porch Light"
summary = "A short story for testing the debrief."
start = "phone"

[flags]
posted = "You posted the party photo."

[advice.wait-a-while]
title = "Give it some time"
text = "Let a few weeks pass before you reach out. The quiet is for you, not a move in a game."
sources = ["A1 #4", "A2 #1"]
disagreement = "A1 #4 treats the quiet as healing; A4 #2 treats it as a way to be missed."
stance = "The game rewards quiet that helps you heal."

[advice.make-them-jealous]
title = "Make them jealous"
text = "Post photos meant to sting. It works on their feelings instead of being honest."
sources = ["A1 #11"]
manipulative = true

[advice.say-it-plainly]
title = "Say it plainly"
text = "Stop hinting and say what you want, once, without pressure."
sources = ["A2 #8"]

[scenes.phone]
title = "11 p.m."
text = "Your phone is warm in your hand."

[[scenes.phone.choices]]
text = "Put the phone down."
goto = "porch"
effects = { self_esteem = 2 }
follows = ["wait-a-while"]

[[scenes.phone.choices]]
text = "Post the party photo."
goto = "porch"
effects = { trust = -3, self_esteem = -1 }
set = ["posted"]
follows = ["make-them-jealous"]
ignores = ["wait-a-while"]

[scenes.porch]
title = "Next morning"
text = "The porch light is still on."

[[scenes.porch.choices]]
text = "Tell them how you feel."
goto = "@ending"
effects = { trust = 1 }
follows = ["say-it-plainly"]

[[scenes.porch.choices]]
text = "Say nothing."
goto = "@ending"
ignores = ["say-it-plainly"]

[endings.steady]
title = "Steady Ground"
tone = "hopeful"
outcome = "apart"
when = "self_esteem >= 6"
text = "You make coffee and open the window."

[endings.cold]
title = "Cold Coffee"
tone = "hard"
outcome = "apart"
when = "trust <= 3"
text = "The photo got a like from a stranger, and nothing from them."
help = true

[endings.maybe]
title = "Maybe Later"
tone = "bittersweet"
text = "They say they need time."
'''

RESOURCES = '''\
intro = "If someone frightens or controls you, you do not have to work it out alone."

[[resources]]
name = "Test line"
region = "Testland"
contact = "call 000 000"
about = "Open day and night."
'''


HOSTILE = ["[@click=app.quit]x[/]", "[/", "[bold", "[link=file:///etc/passwd]"]


def story() -> Scenario:
    return load_text(STORY, "porch.toml", catalog={})


def played(*numbers: int) -> Playthrough:
    play = Playthrough.begin(story())
    for number in numbers:
        play = play.choose_number(number)
    return play


def screen_text(app: App) -> str:
    """The screen as plain text, line by line, the way the compositor would draw it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system=None, legacy_windows=False, safe_box=False)
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


class Host(App):
    """A bare app that shows one screen and keeps what it dismissed with."""

    NOT_DISMISSED = object()

    def __init__(self, screen):
        super().__init__()
        self.shown = screen
        self.result: object = self.NOT_DISMISSED

    def on_mount(self) -> None:
        self.push_screen(self.shown, callback=self.keep)

    def keep(self, result: object) -> None:
        self.result = result


@pytest.fixture(autouse=True)
def _fixed_resources(tmp_path, monkeypatch):
    path = tmp_path / "resources.toml"
    path.write_text(RESOURCES, encoding="utf-8")
    monkeypatch.setenv("SECOND_CHANCE_RESOURCES", str(path))
    return path


# -- snapshots ------------------------------------------------------------------------


async def test_debrief_snapshot_80x24(snapshot):
    app = Host(DebriefScreen(played(1, 2), frozenset({"cold"})))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        snapshot.assert_match(screen_text(app), "debrief_80x24.txt")


async def test_debrief_whole_snapshot(snapshot):
    """Tall enough to hold everything: help, tactics, disagreement, chart, endings found."""
    app = Host(DebriefScreen(played(2, 2), frozenset({"steady"})))
    async with app.run_test(size=(80, 120)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        snapshot.assert_match(text, "debrief_whole.txt")
    assert "Endings found: 2 of 3" in text


async def test_snapshot_is_stable_run_to_run():
    texts = []
    for _ in range(2):
        app = Host(DebriefScreen(played(1, 2), frozenset()))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            texts.append(screen_text(app))
    assert texts[0] == texts[1]


async def test_the_first_screen_opens_on_the_ending_then_the_summary():
    """The moment the player earned comes first; the summary follows it, and its keys name every section."""
    app = Host(DebriefScreen(played(1, 1), frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        ending_at = next(i for i, line in enumerate(lines) if "You make coffee and open the window." in line)
        summary_at = next(i for i, line in enumerate(lines) if "In short" in line)
        assert ending_at < summary_at
        assert lines[3].strip() == "Steady Ground"  # the ending's own title, under the section's heading
        assert "Ending: Steady Ground" in "\n".join(lines[summary_at:])
        await pilot.press("end")
        await pilot.pause()
    text = await body_text(played(1, 1))
    assert "1 ending  2 summary  3 advice  4 debates  5 meters  6 endings  a sources" in text


async def test_undo_on_the_debrief_says_that_w_rewinds_and_covers_nothing():
    """The heading says it, for a moment: the summary under it stays whole (a notice covered its first lines)."""
    app = Host(DebriefScreen(played(1, 2), frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        before = screen_text(app).splitlines()
        await pilot.press("u")
        await pilot.pause()
        after = screen_text(app).splitlines()
        assert "w rewinds to any earlier choice" in " ".join(" ".join(after[:2]).split())
        def summary(lines: list[str]) -> list[str]:  # the summary's first lines, scrollbar aside
            start = next(i for i, line in enumerate(lines) if line.startswith(" In short"))
            return [line[:70] for line in lines[start:start + 8]]

        assert summary(after) == summary(before), after  # the hint may push them down a line, never cover them
        assert app.result is Host.NOT_DISMISSED and isinstance(app.screen, DebriefScreen)


# -- what the debrief says ---------------------------------------------------------------


async def body_text(play: Playthrough, found: frozenset[str] = frozenset()) -> str:
    app = Host(DebriefScreen(play, found))
    async with app.run_test(size=(100, 200)) as pilot:
        await pilot.pause()
        return screen_text(app)


async def test_debrief_explains_the_path():
    text = await body_text(played(2, 2))
    assert "Ending: Cold Coffee (hard; where you two stand: apart)" in text
    assert "Tone: hard" in text and "Where you two stand: apart" in text
    assert "The photo got a like from a stranger" in text
    assert "✗ Give it some time\n" in text
    assert "✗ Say it plainly\n" in text
    assert "Ignored at choice 1: “Post the party photo.”" in text
    assert "Ignored at choice 2: “Say nothing.”" in text
    assert "Sources: A1 #4; A2 #1" in text
    # The manipulative tactic is listed apart, never as good advice followed.
    assert "Advice you followed (0)" in text
    assert "! Make them jealous\n" in text and "Tried at choice 1: “Post the party photo.”" in text
    assert "Where the articles disagree" in text
    assert "The game's stance: The game rewards quiet that helps you heal." in text
    assert f"{TURN} Turning point: choice 1, “Post the party photo.”" in text
    assert "Their trust −3  (5 → 2)" in text
    assert "Their trust: started at 5, ended at 2" in text


async def test_help_resources_shown_inline_only_where_the_story_calls_for_them():
    with_help = await body_text(played(2, 2))
    assert "Help and support" in with_help and "Test line (Testland)" in with_help
    without = await body_text(played(1, 1))
    assert "Test line" not in without


async def test_no_disagreement_section_when_none_on_the_path():
    text = await body_text(played(1, 1).rewind(1).choose_number(1))
    assert "Where the articles disagree" in text  # wait-a-while has one
    no_advice = load_text(STORY.replace('follows = ["wait-a-while"]', ""), "porch.toml", catalog={})
    play = Playthrough.begin(no_advice).choose_number(1).choose_number(1)
    text = await body_text(play)
    assert "None of the advice on this path is disputed between the articles." in text
    assert "The game's stance" not in text
    assert "Advice you ignored (0)" in text and "None on this path." in text


async def test_endings_found_counts_this_one_and_hides_the_rest():
    text = await body_text(played(1, 1), frozenset({"gone-from-the-file"}))
    assert "Endings found: 1 of 3" in text
    assert "✓ Steady Ground  (hopeful, this ending)" in text
    assert text.count("? ???  (not found yet)") == 2
    assert "Cold Coffee" not in text and "Maybe Later" not in text


async def test_debrief_of_an_unfinished_play_does_not_break():
    text = await body_text(played(1))
    assert "This play has not reached an ending." in text
    assert "Endings found: 0 of 3" in text


# -- the ways on ------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "expected"), [
    ("r", DebriefChoice("replay")),
    ("b", DebriefChoice("list")),
    ("escape", DebriefChoice("list")),
])
async def test_debrief_keys(key, expected):
    app = Host(DebriefScreen(played(1, 2), frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert app.result == expected


@pytest.mark.parametrize(("button", "expected"), [("#replay", "replay"), ("#list", "list")])
async def test_debrief_buttons(button, expected):
    app = Host(DebriefScreen(played(1, 2), frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click(button)
        await pilot.pause()
        assert app.result == DebriefChoice(expected)


async def test_rewind_from_the_debrief_to_before_the_first_choice():
    app = Host(DebriefScreen(played(1, 2), frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.result == DebriefChoice("rewind", 0)
        assert not isinstance(app.screen, (HistoryScreen, DebriefScreen))


async def test_rewind_to_the_last_choice_keeps_the_ones_before():
    play = played(1, 2)
    app = Host(DebriefScreen(play, frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#rewind")
        await pilot.pause()
        await pilot.press("enter")  # the most recent choice is highlighted first
        await pilot.pause()
        assert app.result == DebriefChoice("rewind", 1)
    # What the app does with it: the play as it was before choice 2, ready to choose again.
    again = play.rewind(app.result.keep_steps)
    assert again.state.at == "porch" and not again.is_over


async def test_rewind_cancelled_stays_on_the_debrief():
    app = Host(DebriefScreen(played(1, 2), frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.result is Host.NOT_DISMISSED


async def test_debrief_scrolls_with_page_keys():
    app = Host(DebriefScreen(played(2, 2), frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        body = app.screen.query_one("#debrief-body")
        assert body.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert "Endings found" in screen_text(app)


async def test_debrief_survives_a_tiny_terminal():
    app = Host(DebriefScreen(played(2, 2), frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        text = screen_text(app)
        assert "Replay" in text  # the footer still names the keys when the buttons are hidden
        await pilot.resize_terminal(20, 8)
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert app.result == DebriefChoice("replay")


# -- history ----------------------------------------------------------------------------------


async def test_history_lists_steps_and_rewinds():
    play = played(2, 1)
    app = Host(HistoryScreen(play))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Choice 1  ·  11 p.m." in text
        assert "“Post the party photo.”" in text
        assert "+ You posted the party photo." in text
        assert "Choice 2  ·  Next morning" in text
        assert "Their trust" not in text  # meters stay hidden outside author mode
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.result == 0


async def test_history_reveal_shows_meters():
    app = Host(HistoryScreen(played(2, 1), reveal=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Their trust 5→2 (−3)" in screen_text(app)


async def test_history_without_rewind_only_closes():
    app = Host(HistoryScreen(played(2, 1), allow_rewind=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None


async def test_history_of_a_fresh_play():
    app = Host(HistoryScreen(Playthrough.begin(story())))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No choices yet" in screen_text(app)
        await pilot.press("enter")  # the focused Close button
        await pilot.pause()
        assert app.result is None


# -- help resources ---------------------------------------------------------------------------


async def test_resources_screen_opens_and_closes():
    app = Host(ResourcesScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResourcesScreen)
        text = screen_text(app)
        assert "Help and support" in text
        assert "Test line (Testland)" in text and "call 000 000" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ResourcesScreen)
        assert app.result is None


async def test_resources_screen_lists_the_story_s_topic_first_with_each_checked_date(_fixed_resources):
    _fixed_resources.write_text(TOPICS, encoding="utf-8")
    app = Host(ResourcesScreen("relationships"))
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert text.index("When it is unhealthy") < text.index("If someone frightens you")
        assert text.index("Counselling line") < text.index("Abuse line")
        assert text.count("Everyone line") == 1  # a service for every topic is listed once
        assert "checked 2026-12-07" in text and "checked 2026-11-23" in text


async def test_resources_close_button():
    app = Host(ResourcesScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#resources-close")
        await pilot.pause()
        assert not isinstance(app.screen, ResourcesScreen)


async def test_broken_resources_file_still_shows_a_way_to_get_help(_fixed_resources):
    _fixed_resources.write_text("intro = [unclosed", encoding="utf-8")
    app = Host(ResourcesScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "call your local emergency number" in text
        assert "could not be read" in text


async def test_resources_file_text_is_not_markup(_fixed_resources):
    _fixed_resources.write_text(
        'intro = "[@click=app.quit]x[/]"\n[[resources]]\nname = "[bold"\ncontact = "[/"\n'
        'about = "[link=file:///etc/passwd]"\n', encoding="utf-8")
    app = Host(ResourcesScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for hostile in HOSTILE:
            assert hostile in text
        await pilot.click("#resources-text")
        await pilot.pause()
        assert app.is_running


# -- untrusted text ------------------------------------------------------------------------------


def hostile_story() -> Scenario:
    source = STORY
    source = source.replace('text = "You make coffee and open the window."',
                            'text = "Home. [@click=app.quit]x[/] and [/ and [bold"')
    source = source.replace('title = "Give it some time"', 'title = "[link=file:///etc/passwd]"')
    source = source.replace("The quiet is for you, not a move in a game.",
                            "[@click=app.quit]x[/] then [/")
    source = source.replace('stance = "The game rewards quiet that helps you heal."',
                            'stance = "[bold stance"')
    source = source.replace('text = "Put the phone down."', 'text = "[bold down"')
    source = source.replace("[flags]", '[meters.trust]\nlabel = "[@click=app.quit]T[/]"\n\n[flags]')
    return load_text(source, "hostile.toml", catalog={})


async def test_untrusted_text_in_the_debrief_is_shown_literally():
    play = Playthrough.begin(hostile_story()).choose_number(1).choose_number(1)
    assert play.ending is not None and play.ending.id == "steady"
    app = Host(DebriefScreen(play, frozenset()))
    async with app.run_test(size=(100, 200)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Home. [@click=app.quit]x[/] and [/ and [bold" in text
        assert "✓ [link=file:///etc/passwd]" in text
        assert "[@click=app.quit]x[/] then [/" in text
        assert "The game's stance: [bold stance" in text
        assert "Followed at choice 1: “[bold down”" in text
        assert "Turning point: choice 1, “[bold down”" in text
        assert "● [@click=app.quit]T[/]   ◆ Your self-esteem" in text  # the chart's legend
        assert "[@click=app.quit]T[/]: started at 5" in text
        await pilot.click("#ending-text")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, DebriefScreen)


async def test_untrusted_text_in_the_history_is_shown_literally():
    source = STORY.replace('posted = "You posted the party photo."', 'posted = "[@click=app.quit]x[/]"')
    source = source.replace('title = "11 p.m."', 'title = "[link=file:///etc/passwd]"')
    source = source.replace('text = "Post the party photo."', 'text = "[/ [bold"')
    play = Playthrough.begin(load_text(source, "hostile.toml", catalog={})).choose_number(2)
    app = Host(HistoryScreen(play))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "+ [@click=app.quit]x[/]" in text
        assert "Choice 1  ·  [link=file:///etc/passwd]" in text
        assert "“[/ [bold”" in text
        assert app.screen.query_one(OptionList).option_count == 1


# -- the chart ----------------------------------------------------------------------------------


METERS = (Meter("trust", "Their trust", 5, 0, 10), Meter("self_esteem", "Your self-esteem", 5, 0, 10))


def chart(series: dict[str, list[int]], turning: int | None, width: int) -> list[str]:
    return [line.plain for line in chart_lines(ChartData(METERS, series, turning), width)]


def test_chart_marks_each_meter_and_the_turning_point_in_symbols_and_words():
    lines = chart({"trust": [5, 6, 3, 3], "self_esteem": [5, 5, 4, 7]}, 2, 80)
    text = "\n".join(lines)
    assert f"{MARKS[0]} Their trust" in lines[0] and f"{MARKS[1]} Your self-esteem" in lines[0]
    assert f"{SHARED} both at once" in lines[0]
    assert f"{TURN} turning point: choice 2" in text
    turn_column = lines[1].index(TURN)
    axis = next(line for line in lines if line.lstrip().startswith("└"))
    assert axis[turn_column] == "┴"  # the ▼ sits over the turning point's step
    top = next(i for i, line in enumerate(lines) if line.strip().startswith("10 ┤"))
    # trust 3 after choice 2 is drawn seven rows below the top row (10)
    assert lines[top + 7][turn_column] == MARKS[0]
    assert "0 = the start" in text


@pytest.mark.parametrize("rows", [5, 11])
def test_both_at_once_means_the_same_value_even_in_the_five_row_summary(rows):
    """Five rows round 4, 5 and 6 into one row; the chart still never draws ◈ for two different values."""
    for trust in range(11):
        for esteem in range(11):
            data = ChartData(METERS, {"trust": [5, trust], "self_esteem": [5, esteem]}, None, max_rows=rows)
            plot = [line.plain for line in chart_lines(data, 60) if "┤" in line.plain or "│" in line.plain]
            column = max(line.rfind(mark) for line in plot for mark in (MARKS[0], MARKS[1], SHARED))
            drawn = "".join(line[column] for line in plot if len(line) > column).strip()
            assert (drawn == SHARED) == (trust == esteem), (rows, trust, esteem, plot)
            if trust != esteem:  # the higher value is drawn above the lower
                high, low = (MARKS[0], MARKS[1]) if trust > esteem else (MARKS[1], MARKS[0])
                rows_of = {line[column]: i for i, line in enumerate(plot) if len(line) > column}
                assert rows_of[high] < rows_of[low], (rows, trust, esteem, plot)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=1, max_size=12),
       one_meter=st.booleans())
def test_the_summary_chart_is_truthful_one_row_per_value_or_the_numbers(values, one_meter):
    """The summary's few rows never draw two values on one row, nor a value on a row that says another:
    each row is labelled with its value, or the chart gives way to the numbers themselves."""
    meters = METERS[1:] if one_meter else METERS
    series = {"trust": [t for t, _ in values], "self_esteem": [s for _, s in values]}
    data = ChartData(meters, {m.id: series[m.id] for m in meters}, None, max_rows=5, caption=False, fit=True)
    lines = [line.plain for line in chart_lines(data, 60)]
    plot = [line for line in lines if "┤" in line]
    if not plot:  # too wide a span for five rows: the values themselves, a line (or more) per meter
        said: dict[str, list[int]] = {}
        current = None
        for line in lines:
            head = next((m for m in meters if line.startswith(m.label)), None)
            if head is not None:
                current, line = head.id, line.split(":", 1)[1]
            if current is not None and "turning point" not in line:
                said.setdefault(current, []).extend(int(n) for n in re.findall(r"\d+", line))
        assert said == {m.id: series[m.id] for m in meters}, lines
        return
    assert len(plot) <= 5
    axis = next(line for line in lines if line.lstrip().startswith("└"))
    columns = [x for x, c in enumerate(axis) if c == "┴"]
    for p, x in enumerate(columns):
        for row in plot:
            label, cell = int(row.split("┤")[0]), row[x] if x < len(row) else " "
            drawn = {m.id for i, m in enumerate(meters) if cell in (MARKS[i], SHARED)}
            assert drawn == {m.id for m in meters if series[m.id][p] == label}, (p, row, series)


def test_chart_without_a_turning_point():
    text = "\n".join(chart({"trust": [5, 5], "self_esteem": [5, 5]}, None, 80))
    assert TURN not in text and "turning point" not in text
    assert SHARED in text


@pytest.mark.parametrize("width", [1, 5, 12, 20, 23, 24, 30, 40, 60, 80, 200])
def test_chart_fits_every_width(width):
    series = {"trust": list(range(0, 11)) + [10] * 20, "self_esteem": [5] * 31}
    for turning in (None, 1, 30):
        lines = chart(series, turning, width)
        assert lines
        assert all(len(line) <= width for line in lines), (width, lines)


def test_narrow_chart_falls_back_to_numbers():
    lines = chart({"trust": [5, 6, 3], "self_esteem": [5, 5, 8]}, 2, 22)
    text = "\n".join(lines)
    assert "┤" not in text
    assert "Their trust ●:" in text and "5 → 6" in text
    assert f"{TURN} turning point:" in text and "choice 2" in text


def test_wide_ranges_are_scaled_not_drawn_row_per_value():
    meters = (Meter("trust", "Trust", 50, 0, 100),)
    lines = chart_lines(ChartData(meters, {"trust": [50, 100, 0]}, 1), 60)
    rows = [line.plain for line in lines if "┤" in line.plain or "│" in line.plain]
    assert len(rows) == 11
    assert rows[0].startswith("100 ┤") and rows[-1].startswith("  0 ┤")


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(1, 160),
    values=st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=1, max_size=40),
    data=st.data(),
)
def test_chart_always_fits_and_always_marks_the_turn(width, values, data):
    turning = data.draw(st.one_of(st.none(), st.integers(1, len(values) - 1))) if len(values) > 1 else None
    series = {"trust": [t for t, _ in values], "self_esteem": [s for _, s in values]}
    lines = chart(series, turning, width)
    assert all(len(line) <= width for line in lines)
    assert ("\n".join(lines).count(TURN) == 1) == (turning is not None)


async def test_theme_change_redraws_the_chart():
    app = Host(DebriefScreen(played(2, 2), frozenset()))
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.pause()
        chart_widget = app.screen.query_one(MeterChart)
        width = chart_widget.content_size.width
        before = [line.spans for line in chart_widget.lines(width)]
        app.theme = "textual-light"
        await pilot.pause()
        after = [line.spans for line in chart_widget.lines(width)]
        # Every styled part (axis, marks, turning point) is recoloured for the new theme.
        pairs = [(b, a) for old, new in zip(before, after, strict=True)
                 for b, a in zip(old, new, strict=True)]
        assert pairs and all(b.style != a.style for b, a in pairs)


@pytest.mark.parametrize("make", [lambda: HistoryScreen(played(2, 1)), ResourcesScreen])
async def test_modals_at_40x12_keep_their_content_and_say_how_to_close(make):
    app = Host(make())
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "esc Close" in text
        assert "Choice 2" in text or "If someone frightens" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None


@pytest.mark.parametrize("width", [24, 26, 30, 40, 41, 55])
@pytest.mark.parametrize("points", [2, 8, 11, 12, 15])
def test_the_chart_keeps_its_last_step_number_and_the_turn(width, points):
    """The last step is where the play ended: its number and the turn over it are never cut off."""
    for turning in (points - 1, 1):
        lines = chart({"trust": [0] * points, "self_esteem": [0] * points}, turning, width)
        text = "\n".join(lines)
        assert all(len(line) <= width for line in lines)
        assert text.count(TURN) == 1, (width, points, lines)
        if "┤" in text:  # the chart, not the narrow list of numbers
            axis = next(i for i, line in enumerate(lines) if line.lstrip().startswith("└"))
            assert lines[axis + 1].split()[-1] == str(points - 1), (width, points, lines)


def test_the_chart_at_26_columns_with_the_turn_on_the_last_step():
    lines = chart({"trust": [0] * 8, "self_esteem": [0] * 8}, 7, 26)
    axis = next(line for line in lines if line.lstrip().startswith("└"))
    turn_line = next(line for line in lines if TURN in line)
    assert axis[turn_line.index(TURN)] == "┴"
    assert lines[-2].split()[-1] == "7" and lines[-1].strip() == "0 = the start"


# -- the summary, the section keys, the sources ------------------------------------------------


def tallest_summaries() -> list[Playthrough]:
    """For each built-in story, the expected play whose summary has the most to say.

    The summary's chart has a fixed height; what grows is the turning point
    (a long choice, ties) and the three advice lines, so those decide it.
    """
    best: dict[str, tuple[int, int, Playthrough]] = {}
    for play in expected_plays():
        report = debriefs.build(play)
        words = [debriefs.turning_summary(report), *(debriefs.top_line(e, report.help_story) for e in report.top)]
        size = (sum(len(w) // 76 + 1 for w in words), sum(map(len, words)), play)
        if play.scenario.id not in best or size[:2] > best[play.scenario.id][:2]:
            best[play.scenario.id] = size
    return [size[2] for size in best.values()]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_summary_fits_one_screen_for_the_tallest_of_each_story(size):
    """Key 2: the ending in a line, the turning point, the chart and the advice that mattered most, on one screen."""
    plays = tallest_summaries()
    assert len(plays) >= 9
    app = Host(DebriefScreen(plays[0], frozenset()))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for play in plays:
            screen = DebriefScreen(play, frozenset())
            app.push_screen(screen)
            await pilot.pause()
            body = screen.query_one("#debrief-body")
            assert body.scroll_y == 0
            await pilot.press("2")
            await pilot.pause()
            for part in ("#summary-ending", "#summary-turn", "#summary-chart", "#summary-top"):
                region = screen.query_one(part).region
                assert region.height and region.bottom <= body.region.bottom, (play.scenario.id, part, play.path)
            text = screen_text(app)
            assert play.ending is not None and play.ending.title in text
            for entry in screen.report.top:
                assert entry.advice.title[:20] in text
            app.pop_screen()
            await pilot.pause()


async def test_section_keys_scroll_to_their_sections_and_the_sources_open():
    app = Host(DebriefScreen(played(2, 2), frozenset()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        body = screen.query_one("#debrief-body")
        for number, (name, title) in reversed(list(enumerate(debriefs.SECTIONS, start=1))):
            await pilot.press(str(number))
            await pilot.pause()
            heading = screen.query_one(f"#sec-{name}").region
            assert body.region.y <= heading.y < body.region.bottom, name
            if body.scroll_y < body.max_scroll_y:
                # at the top (below its one-line margin), unless the body cannot scroll further
                assert heading.y - body.region.y <= 1, name
            assert title in screen_text(app)
        assert body.scroll_y == 0  # 1 is the ending, the top
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        assert len(app.screen.query(".source")) == 5
        text = screen_text(app)
        assert "Where the advice comes from" in text and "A0 13 Ways To Get Back With Your Ex" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        # A citation is a link: clicking "A2" in "Sources: A1 #4; A2 #1" opens the sources on A2.
        await pilot.press("3")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        row = next(i for i, line in enumerate(lines) if "Sources: A1 #4; A2 #1" in line)
        assert await pilot.click(offset=(lines[row].index("A2 #1"), row))
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen) and app.screen.key == "A2"
        assert app.screen.query_one("#source-A2").has_class("-chosen")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert app.result == DebriefChoice("replay")


async def test_at_40x12_the_ending_leads_and_the_keys_still_work():
    app = Host(DebriefScreen(played(2, 2), frozenset()))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "The ending" in text and "Tone: hard" in text
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert "Ending: Cold Coffee" in text and "Turning point: choice 1" in text
        await pilot.press("5")
        await pilot.pause()
        assert "The meters, revealed" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen) and "esc Close" in screen_text(app)


async def test_a_help_story_debrief_frames_what_might_have_helped():
    source = STORY.replace('start = "phone"', 'start = "phone"\nhelp = true')
    play = Playthrough.begin(load_text(source, "porch.toml", catalog={})).choose_number(2).choose_number(2)
    text = await body_text(play)
    assert "What might have helped (2)" in text and "not a failure" in text
    assert "Advice you ignored" not in text and "Advice you followed" not in text
    assert "Their trust" not in text and "Your self-esteem" in text
    assert "○ Give it some time" in text and "not a score to win" in text
