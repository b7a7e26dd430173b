"""The Good Days, a short red-flag story: every ending reached, help shown with each, transcripts kept."""

from __future__ import annotations

import pytest

from game import library
from game.cli import main
from tests.helpers import builtin, transcript

NAME = "the-good-days"

PATHS = {
    "staying_gone": [1, 1, 1],
    "on_a_string": [1, 1, 3, 2, 2],
    "the_good_days": [2, 2, 2, 3],
}
"""One scripted play per ending, as the option numbers a player types."""

MORE = {
    "staying_gone_after_the_cafe": ([3, 2, 1, 2], "staying_gone"),
    "thinking_it_over_keeps_you_out": ([1, 1, 3, 3], "staying_gone"),
    "thinking_it_over_on_a_string": ([3, 2, 2], "on_a_string"),
    "thinking_it_over_goes_back": ([2, 2, 2, 2], "the_good_days"),
    "sleeping_on_it_keeps_you_out": ([1, 1, 2], "staying_gone"),
    "sleeping_on_it_on_a_string": ([1, 2, 1], "on_a_string"),
    "staying_gone_after_saying_it": ([1, 1, 3, 2, 1, 2], "staying_gone"),
}
"""Further plays: the café exits (texting Nell, or saying it and ringing her), and the ending that
self-esteem decides when you put off the choice."""


def test_validates_with_no_diagnostic_under_the_deep_checks(capsys):
    path = library.find(NAME)
    assert path is not None
    assert main(["validate", "--strict", str(path)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_it_is_a_short_red_flag_story():
    scenario = builtin(NAME)
    assert scenario.help
    assert len(scenario.scenes) >= 8 and len(scenario.endings) >= 3
    assert {"emotional abuse"} <= set(scenario.content_notes)
    assert any("controlling behaviour" in note for note in scenario.content_notes)
    good = scenario.endings["staying_gone"]
    assert (good.tone, good.outcome) == ("hopeful", "apart")
    for ending in scenario.endings.values():
        if ending.outcome == "together":
            assert ending.tone in ("hard", "grim")


@pytest.mark.parametrize("ending", sorted(PATHS))
def test_golden_transcript(ending, snapshot):
    text, play = transcript(builtin(NAME), PATHS[ending])
    assert play.ending is not None and play.ending.id == ending
    assert "Help and support" in text
    snapshot.assert_match(text, f"{ending}.txt")


@pytest.mark.parametrize("name", sorted(MORE))
def test_further_plays(name, snapshot):
    answers, ending = MORE[name]
    text, play = transcript(builtin(NAME), answers)
    assert play.ending is not None and play.ending.id == ending
    assert "Help and support" in text
    snapshot.assert_match(text, f"{name}.txt")


def test_expected_playthroughs_in_the_file_are_tested_here():
    scenario = builtin(NAME)
    scripted = {tuple(p) for p in PATHS.values()} | {tuple(a) for a, _ in MORE.values()}
    for expectation in scenario.expected:
        assert tuple(expectation.choices) in scripted


def test_every_way_back_to_lee_names_the_pattern_and_not_the_player():
    scenario = builtin(NAME)
    back = scenario.endings["the_good_days"].text
    assert "pattern" in back and "none of it is your fault" in back
    assert "trying harder" in back
    string = scenario.endings["on_a_string"].text
    assert "never a test you were" in string


def test_going_back_is_called_common_and_not_a_failure():
    """Every ending where you go back to Lee, or keep answering, says so plainly, and offers help as help."""
    scenario = builtin(NAME)
    for ending_id in ("the_good_days", "on_a_string"):
        text = scenario.endings[ending_id].text
        assert "common" in text and "not a failure" in text, ending_id
        assert "might help" in text, ending_id
    texts = [t for e in scenario.endings.values() for t in (e.text, *(v.text for v in e.variants))]
    for text in texts:
        for blame in ("should have", "mistake", "your fault for", "why didn't you"):
            assert blame not in text.lower(), blame


def test_the_hidden_meter_is_lee_s_hold_and_the_chart_reads_honestly():
    """Labelled as Lee's hold, the meter rises with every step back towards Lee and falls with every step away."""
    scenario = builtin(NAME)
    assert scenario.meter("trust").label == "Lee's hold on you"
    away = {"leave-abuse", "listen-to-friends", "no-contact-to-heal", "accountability-friend"}
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            hold = dict(choice.effects).get("trust", 0)
            if {"leave-abuse", "listen-to-friends"} & set(choice.ignores) or "met_lee" in choice.set_flags:
                assert hold > 0, choice.text
            if set(choice.follows) & away:
                assert hold < 0, choice.text
    _, gone = transcript(scenario, PATHS["staying_gone"])
    _, back = transcript(scenario, PATHS["the_good_days"])
    assert gone.meter_series("trust")[-1] < gone.meter_series("trust")[0]
    assert gone.meter_series("self_esteem")[-1] > gone.meter_series("self_esteem")[0]
    assert back.meter_series("trust")[-1] > back.meter_series("trust")[0]
    text, _ = transcript(scenario, PATHS["staying_gone"])
    assert "Lee's hold on you: 5 → 4 → 3 → 1" in text


def test_naming_the_canal_to_lee_is_not_scored_as_repairing_the_relationship():
    scenario = builtin(NAME)
    confront = [c for c in scenario.scenes["coffee"].choices if c.goto == "said_it"]
    assert len(confront) == 1
    categories = {scenario.advice[a].category for a in (*confront[0].follows, *confront[0].ignores)}
    assert not categories & {"repair", "reconnecting", "meeting"}


def test_blocking_on_the_call_is_struck_after_defending_lee():
    text, play = transcript(builtin(NAME), [1, 2])
    assert "Your thumb finds the button and just rests there." in text
    assert play.ending is None
