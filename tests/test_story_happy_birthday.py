"""The short built-in scenario: every ending reached, every scene and choice possible, transcripts kept."""

from __future__ import annotations

import pytest

from tests.helpers import builtin, every_state, transcript

PATHS = {
    "the_door_ajar": [1, 1, 1, 1, 1],
    "your_day": [4, 1, 1, 1],
    "read_at_midnight": [3, 2, 1],
    "quiet_night": [3, 1, 1, 2],
}

MORE = {
    "your_day_after_the_paragraph": ([2, 1, 1, 1, 1], "your_day"),
    "quiet_night_after_sending_it": ([1, 1, 2, 2], "quiet_night"),
    "quiet_night_after_what_was_it_for": ([2, 2, 1, 1, 1], "quiet_night"),
}
"""Further plays: Dee's answer to the long message, the midnight message sent, and the day going on after
"So what WAS it for?" (it used to end the story at 9:31 with a midnight ending)."""


@pytest.mark.parametrize("ending", sorted(PATHS))
def test_golden_transcript(ending, snapshot):
    text, play = transcript(builtin("happy-birthday"), PATHS[ending])
    assert play.ending is not None and play.ending.id == ending
    snapshot.assert_match(text, f"{ending}.txt")


@pytest.mark.parametrize("name", sorted(MORE))
def test_further_plays(name, snapshot):
    answers, ending = MORE[name]
    text, play = transcript(builtin("happy-birthday"), answers)
    assert play.ending is not None and play.ending.id == ending
    snapshot.assert_match(text, f"{name}.txt")


def test_telling_dee_gets_an_answer_before_the_evening():
    """Telling Dee, or letting her read, is a scene of its own: her answer fits what you did at 9:14."""
    scenario = builtin("happy-birthday")
    for choice in scenario.scenes["kitchen"].choices:
        if "Dee" in choice.text:
            assert choice.goto == "dee_reads", choice.text
    answers = {
        "left_on_read": ([3, 1], "Who's wondering?"),
        "paragraph": ([2, 1, 1], "Oh, love."),
        "short reply": ([1, 1, 1], "That is a very normal text."),
        "not answered": ([4, 1], "Answer it like a"),
    }
    for why, (steps, line) in answers.items():
        text, play = transcript(scenario, steps)
        assert play.state.at == "dee_reads", why
        assert line in play.text(), why


def test_leaving_him_on_read_never_ends_on_your_day():
    """The tactic path can still end steady, but only with an ending that names what it cost."""
    text, play = transcript(builtin("happy-birthday"), PATHS["quiet_night"])
    assert play.ending.id == "quiet_night"
    assert "the one who spent the day wondering was you" in text
    clean, _ = transcript(builtin("happy-birthday"), MORE["quiet_night_after_sending_it"][0])
    assert "the one who spent the day wondering was you" not in clean


def test_read_at_11_52_needs_a_message_sent_at_midnight():
    """The ending quotes a midnight message; every play that reaches it has sent one."""
    scenario = builtin("happy-birthday")
    for state in every_state(scenario):
        if state.at == "read_at_midnight":
            assert "sent_midnight" in state.flags and state.visits.get("evening")
    assert scenario.scenes["the_paragraph"].choices[1].goto == "kitchen"


def test_expected_playthroughs_in_the_file_match_these_paths():
    scenario = builtin("happy-birthday")
    for expectation in scenario.expected:
        assert PATHS[expectation.ending] == list(expectation.choices)


def test_leaving_on_read_shows_as_a_tactic_in_the_debrief():
    text, _ = transcript(builtin("happy-birthday"), PATHS["read_at_midnight"])
    tactics = text.split("Tactics you tried")[1]
    assert "Go silent so they'll miss you" in tactics
