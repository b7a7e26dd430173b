"""The short built-in scenario: every ending reached, every scene and choice possible, transcripts kept."""

from __future__ import annotations

import pytest

from tests.helpers import builtin, transcript

PATHS = {
    "the_door_ajar": [1, 1, 1, 1],
    "your_day": [4, 1, 1],
    "read_at_midnight": [3, 2, 1],
    "quiet_night": [3, 1, 2],
}


@pytest.mark.parametrize("ending", sorted(PATHS))
def test_golden_transcript(ending, snapshot):
    text, play = transcript(builtin("happy-birthday"), PATHS[ending])
    assert play.ending is not None and play.ending.id == ending
    snapshot.assert_match(text, f"{ending}.txt")


def test_expected_playthroughs_in_the_file_match_these_paths():
    scenario = builtin("happy-birthday")
    for expectation in scenario.expected:
        assert PATHS[expectation.ending] == list(expectation.choices)


def test_leaving_on_read_shows_as_a_tactic_in_the_debrief():
    text, _ = transcript(builtin("happy-birthday"), PATHS["read_at_midnight"])
    tactics = text.split("Tactics you tried")[1]
    assert "Go silent so they'll miss you" in tactics
