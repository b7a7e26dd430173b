"""The playthrough engine: choices, conditions, clamping, once-only, undo, rewind, replay."""

from __future__ import annotations

import pytest

from game.debrief import build, turning_point
from game.engine import EngineError, Playthrough
from game.loader import load_text
from tests.helpers import RICH, tiny


@pytest.fixture
def rich():
    return load_text(RICH, "rich.toml", catalog={})


def labels(play):
    return [(o.number, o.choice.text, o.available, o.reason) for o in play.options()]


def test_options_number_open_choices_and_strike_the_rest(rich):
    play = Playthrough.begin(rich)
    assert labels(play) == [
        (1, "Call.", True, ""),
        (None, "Talk.", False, "Not warm enough."),
        (2, "Leave.", True, ""),
    ]
    assert play.text() == "A room."
    assert [m.text for m in play.messages()] == ["hi"]
    assert play.messages()[0].draft and play.messages()[0].mine


def test_effects_clamp_once_only_and_visits(rich):
    play = Playthrough.begin(rich).choose_number(1)
    assert play.state.meters == {"trust": 10, "self_esteem": 0}
    step = play.steps[0]
    assert (step.delta("trust"), step.delta("self_esteem")) == (1, -5)
    assert step.flags_set == {"called"}
    assert play.state.visits["room"] == 2
    assert play.text() == "A warm room."
    assert [m.sender for m in play.messages()] == ["you", "Ana"]
    assert [o.choice.text for o in play.options()] == ["Talk.", "Whisper.", "Leave."]


def test_auto_ending_picks_first_matching_when(rich):
    play = Playthrough.begin(rich).choose_number(1).choose_number(1)
    assert play.is_over and play.ending.id == "close"
    with pytest.raises(EngineError):
        play.choose_number(1)


def test_direct_ending_and_variant(rich):
    play = Playthrough.begin(rich).choose_number(1).choose_number(3)
    assert play.ending.id == "gone"
    assert play.text() == "Gone, and tired."
    assert play.steps[-1].flags_cleared == {"called"}


def test_unavailable_choice_cannot_be_forced(rich):
    play = Playthrough.begin(rich)
    with pytest.raises(EngineError, match="Not warm enough"):
        play.choose(1)
    with pytest.raises(EngineError):
        play.choose(2)  # hidden: not shown at all
    with pytest.raises(EngineError):
        play.choose_number(7)


def test_undo_and_rewind_restore_exact_state(rich):
    start = Playthrough.begin(rich)
    one = start.choose_number(1)
    two = one.choose_number(3)
    assert two.undo() == one
    assert two.undo(2) == start
    assert two.rewind(1).state == one.state
    assert two.rewind(0).steps == ()
    with pytest.raises(EngineError):
        start.undo()
    with pytest.raises(EngineError):
        two.rewind(5)


def test_history_is_immutable_so_branches_can_be_compared(rich):
    fork = Playthrough.begin(rich).choose_number(1)
    together = fork.choose_number(1)
    apart = fork.choose_number(3)
    assert (together.ending.id, apart.ending.id) == ("close", "gone")
    assert fork.steps == together.steps[:1] == apart.steps[:1]


def test_replay_of_path_is_identical(rich):
    play = Playthrough.begin(rich).choose_number(1).choose_number(3)
    assert Playthrough.replay(rich, play.path) == play


@pytest.mark.parametrize(
    "path",
    [[["room", 1]], [["hall", 0]], [["room", 0], ["room", 0]], [["room"]], [["room", "x"]], [["room", True]]],
)
def test_replay_rejects_paths_that_do_not_fit(rich, path):
    with pytest.raises(EngineError, match="step"):
        Playthrough.replay(rich, path)


def test_meter_series_and_debrief(rich):
    play = Playthrough.begin(rich).choose_number(1).choose_number(3)
    report = build(play)
    assert report.series == {"trust": [9, 10, 10], "self_esteem": [5, 0, 0]}
    assert [(e.advice.id, bool(e.followed), bool(e.ignored)) for e in report.entries] == [("call-less", True, True)]
    assert [a.id for a in report.disagreements] == ["call-less"]
    assert report.turning_point.number == 1
    assert report.final == {"trust": 10, "self_esteem": 0}


def test_no_turning_point_when_nothing_moved():
    play = Playthrough.begin(tiny()).choose_number(2)
    assert play.ending.id == "left"
    play = Playthrough.begin(tiny()).choose_number(1).choose_number(1)
    assert play.ending.id == "warm"
    assert turning_point(Playthrough.begin(tiny())) is None


def test_manipulative_advice_is_reported_as_a_tactic_not_as_advice_followed():
    text = RICH.replace('title = "Be honest"', 'title = "Be honest"\nmanipulative = true')
    scenario = load_text(text, "rich.toml", catalog={})
    play = Playthrough.begin(scenario).choose_number(1).choose_number(1)
    report = build(play)
    assert [e.advice.id for e in report.group("tactic")] == ["be-honest"]
    assert [e.advice.id for e in report.group("followed")] == []
