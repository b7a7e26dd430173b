"""The Feed: every ending reached, every scene and choice possible, transcripts kept.

The story lets a player try the jealousy tactics the articles argue about; the
tests pin down that trying them never comes out ahead.
"""

from __future__ import annotations

import pytest

from game.engine import scene_text
from tests.helpers import builtin, every_state, texts_shown, transcript

NAME = "the-feed"

PATHS = {
    "logged_off": [3, 1, 2, 1, 1, 2],
    "one_honest_sentence": [3, 1, 2, 1, 1, 1, 1, 1],
    "the_audience": [2, 1, 1, 1, 2, 1, 1, 3, 2, 1, 1, 1],
    "said_and_done": [1, 3, 1, 2, 3, 1, 1, 2, 1],
    "muted": [2, 2, 2, 3, 1, 3, 3, 2, 1, 3],
    "blue_light": [1, 1, 3, 1, 2, 1, 1, 4, 1, 1],
    "off_stage": [1, 1, 3, 1, 2, 2, 2, 1, 2],
}

MORE = {
    "the_lyric_refreshed_at_two": ([1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "the_audience"),
    "the_photo_refreshed_again": ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1], "blue_light"),
    "off_stage_after_an_honest_answer": ([1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 2], "off_stage"),
}
"""Further plays: refreshing again (a later hour, a scene of its own), and Off Stage without deleting the app."""

TACTICS = {"make-them-jealous", "staged-attention-posts", "silence-to-confuse"}


def test_the_shape_the_brief_asks_for():
    scenario = builtin(NAME)
    assert len(scenario.scenes) >= 14
    assert len({e.tone for e in scenario.endings.values()}) >= 4
    good_apart = [e for e in scenario.endings.values()
                  if e.outcome in ("apart", "friends") and e.tone in ("hopeful", "warm")]
    assert len(good_apart) >= 2
    advice = {a for s in scenario.scenes.values() for c in s.choices for a in (*c.follows, *c.ignores)}
    assert len(advice) >= 10
    gated = [c for s in scenario.scenes.values() for c in s.choices if c.condition is not None]
    assert len(gated) >= 3
    assert any(c.unavailable == "strike" for c in gated)


@pytest.mark.parametrize("ending", sorted(PATHS))
def test_golden_transcript(ending, snapshot):
    text, play = transcript(builtin(NAME), PATHS[ending])
    assert play.ending is not None and play.ending.id == ending
    snapshot.assert_match(text, f"{ending}.txt")


@pytest.mark.parametrize("name", sorted(MORE))
def test_further_plays(name, snapshot):
    answers, ending = MORE[name]
    text, play = transcript(builtin(NAME), answers)
    assert play.ending is not None and play.ending.id == ending
    snapshot.assert_match(text, f"{name}.txt")


def test_refreshing_again_moves_the_clock_on():
    """1,1,2,2,1: the second look is an hour later, and its heading says so."""
    scenario = builtin(NAME)
    text, play = transcript(scenario, [1, 1, 2, 2, 1])
    assert play.state.at == "posted_again"
    assert "--- 2:34 a.m. ---" in text and text.count("--- 1:31 a.m. ---") == 1
    assert play.text().startswith("An hour later.")
    for scene in scenario.scenes.values():  # no scene shows "later" text under its first heading
        for variant in scene.variants:
            assert f"visits.{scene.id} >=" not in variant.condition.source, scene.id


def test_ada_s_dog_is_named_only_to_someone_who_has_seen_him():
    scenario = builtin(NAME)
    for state in every_state(scenario):
        node = scenario.scenes.get(state.at) or scenario.endings[state.at]
        if "Biscuit" in scene_text(node, state):
            assert state.visits.get("the_zoom") or state.visits.get("ada_stories"), state.at


def test_expected_playthroughs_in_the_file_match_these_paths():
    scenario = builtin(NAME)
    assert 2 <= len(scenario.expected) <= 4
    for expectation in scenario.expected:
        assert PATHS[expectation.ending] == list(expectation.choices)


def _tactic_steps(play) -> int:
    return sum(1 for step in play.steps if TACTICS & set(step.follows))


def test_manipulation_never_pays_off():
    """Every path that uses a tactic ends hard or unsettled, never in the good endings."""
    good = {"logged_off", "one_honest_sentence", "said_and_done"}
    for ending, answers in PATHS.items():
        _, play = transcript(builtin(NAME), answers)
        if _tactic_steps(play):
            assert ending not in good, ending


def test_each_tactic_costs_something_where_it_is_used():
    scenario = builtin(NAME)
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if TACTICS & set(choice.follows):
                assert sum(delta for _, delta in choice.effects) < 0, (scene.id, choice.text)


def test_the_thirst_trap_seems_to_land_and_the_cost_shows():
    text, _ = transcript(builtin(NAME), PATHS["the_audience"])
    assert "his face arrives" in text
    assert "Lovely!! Is that the bathroom in the old flat?" in text
    tactics = text.split("Tactics you tried")[1]
    assert "Make them jealous" in tactics
    assert "Post for their benefit" in tactics


def test_the_honest_sentence_is_struck_when_you_are_low():
    text, _ = transcript(builtin(NAME), PATHS["the_audience"])
    assert "[unavailable] Write him one honest sentence" in text
    assert "can't make your thumbs do it" in text


def test_every_text_variant_and_message_can_be_seen():
    """A variant nobody can reach is a meter signal the player never feels."""
    scenario = builtin(NAME)
    shown = texts_shown(scenario, every_state(scenario))
    for place in [*scenario.scenes.values(), *scenario.endings.values()]:
        assert (place.id, "default") in shown, place.id
        for i, _ in enumerate(place.variants):
            assert (place.id, i) in shown, (place.id, i)
    for scene in scenario.scenes.values():
        for i, _ in enumerate(scene.messages):
            assert (scene.id, f"message {i}") in shown, (scene.id, i)

POSTS = ("thirst_trap", "lyric", "posted_photo", "old_photo")


def test_posting_at_him_closes_the_friendship_ending():
    """Exhaustive: the friendship ending never follows the Sunday post or two posts at him."""
    scenario = builtin(NAME)
    endings: dict[str, list] = {}
    for state in every_state(scenario):
        endings.setdefault(state.at, []).append(state)
    friends = endings["one_honest_sentence"]
    assert friends
    for state in friends:
        assert state.visits.get("escalate", 0) == 0
        assert sum(flag in state.flags for flag in POSTS) <= 1
    assert all(state.visits.get("escalate", 0) for state in endings["the_audience"])


def test_the_second_look_brings_new_messages_not_the_first_ones_again():
    """A message shown at 1:31 is not shown again at 2:34 as if it had just been sent."""
    scenario = builtin(NAME)
    for look, second_look in (("posted", "posted_again"), ("refresh", "refresh_again")):
        assert any(c.goto == second_look for c in scenario.scenes[look].choices)
        first = {m.text for m in scenario.scenes[look].messages}
        again = {m.text for m in scenario.scenes[second_look].messages}
        assert again and not first & again, second_look
