"""The console's keys as a new facilitator presses them: a number in a list points, the Enter the screen asks
for does what it says and no more, paging keys are there wherever the status line offers them, and the code
to join can be read at 80x24.

Each test drives the real console under Pilot, with the small story of tests/test_tui_workshop.py.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from game.tui.workshop.app import WorkshopApp
from game.tui.workshop.screens.asking import AskScreen, IdeasScreen
from game.tui.workshop.screens.card import DecidedScreen
from game.tui.workshop.screens.choose import ChooseScreen
from game.tui.workshop.screens.decision import DecisionScreen
from game.tui.workshop.screens.dialogs import SkipScreen
from game.tui.workshop.screens.predict import PredictScreen
from game.tui.workshop.screens.setup import SetupScreen
from game.tui.workshop.widgets.tally import pointer
from game.workshop.ideas import MAX_TEXT
from game.workshop.names import FACILITATOR
from game.workshop.room import Workshop
from game.workshop.shown import CARD
from game.workshop.votes import RANDOM, RUNOFF
from game.workshop.words import outcome_sentence
from tests.test_tui_workshop import BIG, STORY, FakeLink, begin, context, heard, press, screen_text, started
from tests.test_workshop import scenario


async def test_a_number_in_a_list_only_points_and_enter_does_what_the_screen_says(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch, start=False, teams=[]))
    said = heard(app, monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        await started(pilot)
        assert isinstance(app.screen, ChooseScreen)
        await press(pilot, "1")
        assert isinstance(app.screen, ChooseScreen)  # the setup's Begin has the focus: a number must not open it
        await press(pilot, "enter")
        assert isinstance(app.screen, SetupScreen) and app.context.room is None
        await press(pilot, "ctrl+b")
        assert isinstance(app.screen, DecisionScreen)
        room = app.screen.workshop
        await press(pilot, "a", "2")
        assert isinstance(app.screen, AskScreen) and not room.shown.overlay  # nothing put to the room yet
        await press(pilot, "1", "enter", "a")  # "Something else?", and an idea said aloud
        box = app.screen.query_one(Input)
        box.post_message(events.Paste("Ring a friend first " * 13))  # 260 characters pasted
        await pilot.pause()
        assert len(box.value) == MAX_TEXT and "Cut to 200 characters" in said[-1]  # cut to fit, and said
        await press(pilot, "enter", "escape")
        assert [i.text for i in room.ideas.ideas] == [box.value.strip()]
        await press(pilot, "v", "plus", "r", "enter")
        assert isinstance(app.screen, DecidedScreen)  # the result card of decision 1
        await press(pilot, "k", "2")  # as the dialog says: "↑↓ or 1-9: pick · Enter: skip with it"
        assert isinstance(app.screen, SkipScreen) and len(room.play.steps) == 1
        await press(pilot, "enter")
        assert isinstance(app.screen, DecidedScreen) and room.teams[0].record[-1].chosen == 1  # option 2
        assert room.shown.stage == CARD and room.shown.step == 2 and not room.shown.seen  # nothing released
        assert "Leave it for today" not in screen_text(app)


async def test_ending_the_workshop_for_the_room_tells_the_phones_it_has_ended(tmp_path: Path, monkeypatch) -> None:
    """E in the quit box ends it for the room; so does quitting once every story has ended (the phones stop
    trying to come back). A quit in the middle of the story only pauses it (tests/test_tui_workshop.py)."""
    for keys in (("ctrl+q", "e"), ("v", "plus", "r", "enter", "enter", "v", "2", "plus", "r", "enter", "enter",
                                   "ctrl+q", "y")):
        link = FakeLink()
        ctx = context(tmp_path, monkeypatch, teams=[])
        ctx.server = lambda link=link: link
        app = WorkshopApp(ctx)
        async with app.run_test(size=BIG) as pilot:
            await begin(pilot)
            await press(pilot, *keys)
        assert link.stopped and link.paused is False, keys


async def test_wherever_the_status_line_offers_pgdn_it_turns_the_room_displays_page(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    """The result card's second page holds the room's ideas: PgDn must reach it from the card, as from every
    screen whose status line can say "page 1 of 2 (PgDn)"; the last page says PgUp."""
    for kind in (DecisionScreen, DecidedScreen, IdeasScreen, PredictScreen):
        keys = kind._merge_bindings().key_to_bindings
        assert {"pageup", "pagedown"} <= set(keys), kind.__name__
    link = FakeLink()
    link.displays_here, link.pages = 1, 2  # the room display, on this laptop, says the view takes two pages
    ctx = context(tmp_path, monkeypatch, teams=[])
    ctx.server = lambda: link
    app = WorkshopApp(ctx)
    async with app.run_test(size=BIG) as pilot:
        room = (await begin(pilot)).workshop
        await press(pilot, "v", "plus", "r", "enter")
        assert isinstance(app.screen, DecidedScreen) and "page 1 of 2 (PgDn)" in screen_text(app)
        await press(pilot, "pagedown")
        assert room.shown.page == 1 and "page 2 of 2 (PgUp)" in screen_text(app)
        await press(pilot, "pageup", "enter", "a", "enter")  # the next scene, a question put to the room
        assert isinstance(app.screen, IdeasScreen) and room.shown.page == 0
        await press(pilot, "pagedown")
        assert room.shown.page == 1 and "page 2 of 2 (PgUp)" in screen_text(app)


async def test_in_a_small_window_a_random_tie_says_all_it_decided_beside_the_phones_panel(tmp_path: Path,
                                                                                          monkeypatch) -> None:
    link = FakeLink()
    ctx = context(tmp_path, monkeypatch, teams=[], tie_rule=RANDOM, seed=3)
    ctx.server = lambda: link
    app = WorkshopApp(ctx)
    async with app.run_test(size=(80, 20)) as pilot:  # a projector's terminal is often no larger
        room = (await begin(pilot)).workshop
        await press(pilot, "J", "v", "plus", "2", "plus", "r")  # the panel takes half the width; a tie
        outcome = room.outcome()
        assert outcome is not None and outcome.how == "random"
        words = " ".join(outcome_sentence(room.round, outcome, room.seed).split())
        text = " ".join(screen_text(app).replace("█", " ").split())
        assert words[-40:] in text and "type the code K7QPX2" in text  # never cut off the vote's panel


async def test_a_screen_over_the_story_follows_the_workshop_once_and_stops_when_it_goes(tmp_path: Path,
                                                                                      monkeypatch) -> None:
    """Textual calls each class's on_mount: a screen over the story that also called its base's would listen
    twice, and leave one listener behind, redrawing a screen that is gone, at every vote after."""
    app = WorkshopApp(context(tmp_path, monkeypatch, teams=[]))
    async with app.run_test(size=BIG) as pilot:
        room = (await begin(pilot)).workshop
        listening = room._observers._callbacks
        before = len(listening)
        for keys, kind in ((("a", "enter"), IdeasScreen), (("x",), PredictScreen)):
            await press(pilot, *keys)
            assert isinstance(app.screen, kind) and len(listening) == before + 1, kind.__name__
            await press(pilot, "escape")
            assert isinstance(app.screen, DecisionScreen) and len(listening) == before, kind.__name__


async def test_during_a_runoff_the_status_line_says_a_tied_runoff_goes_to_the_facilitator(tmp_path: Path,
                                                                                          monkeypatch) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch, teams=[], tie_rule=RUNOFF))
    async with app.run_test(size=BIG) as pilot:
        await begin(pilot)
        assert "If it ties: a runoff between the tied options" in screen_text(app)
        await press(pilot, "plus", "2", "plus", "r", "o")
        assert "If the runoff ties: the facilitator decides" in screen_text(app)


THREE_OPEN = STORY.replace('[scenes.morning]', """[[scenes.evening.choices]]
text = "Ring a friend instead."
goto = "morning"

[scenes.morning]""", 1)
"""The evening with a third open option, so a tie can leave one out."""


async def test_on_a_tie_the_facilitator_decides_a_number_outside_the_tie_moves_nothing_and_says_why(
        tmp_path: Path, monkeypatch) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch, teams=[], story=THREE_OPEN))
    said = heard(app, monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        room = (await begin(pilot)).workshop
        await press(pilot, "1", "plus", "2", "plus", "r")  # 1 and 2 tie; 3 has no votes
        screen = app.screen
        second = 2  # option 2's index: the struck "Call them now" sits between 1 and 2
        assert isinstance(screen, DecisionScreen) and screen.selected == second
        await press(pilot, "3")
        assert screen.selected == second and said[-1] == "only the tied options can be picked: 1 or 2"
        await press(pilot, "down", "down")  # ↑ ↓ go round the tied options only
        assert screen.selected == second
        await press(pilot, "enter")
        decision = room.team.record[-1]
        assert decision.chosen == second and decision.how == "facilitator" and decision.tied == (0, second)


async def test_a_prediction_revealed_with_no_votes_can_be_asked_again_and_x_says_when_it_cannot(
        tmp_path: Path, monkeypatch) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch, teams=[]))
    said = heard(app, monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        room = (await begin(pilot)).workshop
        await press(pilot, "x", "r")  # R before any hand was counted
        assert isinstance(app.screen, PredictScreen) and "nothing is recorded" in screen_text(app)
        await press(pilot, "escape", "x")
        assert isinstance(app.screen, PredictScreen) and not room.prediction.revealed  # asked again
        await press(pilot, "plus", "r", "escape", "x")
        assert isinstance(app.screen, DecisionScreen) and "once per play" in said[-1]


def test_the_consoles_pointer_rests_only_where_the_core_lets_it() -> None:
    """One rule, the core's (`pointable`): after a tie left to the facilitator the pointer moves onto a tied
    option, and it follows whatever the core allows."""
    room = Workshop(scenario(), tie_rule=FACILITATOR)
    room.begin()
    room.set_hands(0, 2)
    room.set_hands(1, 2)
    assert pointer(room, room.round, 3) == 3  # before the reveal, any option
    room.reveal()
    assert pointer(room, room.round, 3) == 0 and pointer(room, room.round, 1) == 1
    room.pointable = lambda: (1,)  # type: ignore[method-assign]
    assert pointer(room, room.round, 0) == 1
    assert pointer(room, None, 0) is None  # an ending: no round, no pointer
