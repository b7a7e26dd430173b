"""Last Call: every ending reached and kept as a transcript, everything reachable, the story's promises held."""

from __future__ import annotations

import re

import pytest

from game.engine import scene_text
from tests.helpers import assert_expected_among, assert_golden, builtin, every_state, texts_shown, transcript

# name of the golden file -> (answers as typed, ending it must reach)
PATHS = {
    "slow_thaw": ([3, 1, 1, 1, 2, 1, 3], "slow_thaw"),
    "slow_thaw_after_a_real_apology": ([1, 1, 3, 1, 1, 1, 1, 1, 3], "slow_thaw"),
    "own_two_feet": ([1, 1, 3, 1, 1, 1, 1, 3], "own_two_feet"),
    "own_two_feet_by_the_meters": ([2, 1, 4, 1, 1, 1, 1, 1], "own_two_feet"),
    "blocked": ([1, 1, 1, 2, 1, 1, 1, 2, 1], "blocked"),
    "still_up": ([1, 2, 2, 1, 2, 1, 1, 2], "still_up"),
    "own_two_feet_without_opening_the_chat": ([3, 1, 2, 1, 2], "own_two_feet"),
    "fifteen_seconds": ([1, 2, 2, 1, 1, 1, 2], "one_viewer"),
    "fifteen_seconds_after_a_real_apology": ([1, 2, 1, 3, 1, 1, 1, 1, 3], "one_viewer"),
}


@pytest.fixture(scope="module")
def scenario():
    return builtin("last-call")


@pytest.mark.parametrize("name", sorted(PATHS))
def test_golden_transcript(scenario, name, snapshot):
    assert_golden(scenario, PATHS, name, snapshot)


def test_expected_playthroughs_in_the_file_are_among_these_paths(scenario):
    assert_expected_among(scenario, PATHS)


def test_the_same_last_choice_ends_differently_because_of_the_meters(scenario):
    # Every play here ends on "Go to karaoke on Thursday" (option 1, five weeks later).
    plays = {
        "slow_thaw": [1, 3, 1, 1, 1, 2, 1, 1],
        "own_two_feet": PATHS["own_two_feet_by_the_meters"][0],
        "blocked": [1, 1, 1, 1, 1, 1, 1, 1, 2, 1],
        "still_up": [1, 1, 1, 1, 1, 1, 1, 2, 1, 1],
    }
    for ending, answers in plays.items():
        _, play = transcript(scenario, answers)
        assert play.path[-1] == ("weeks_later", 0)
        assert play.ending is not None and play.ending.id == ending


def _walk(scenario):
    """The (ending, trust, flags) each finished play can have, and every text a player can be shown."""
    states = every_state(scenario)
    finishes = {(s.at, s.meters["trust"], s.flags) for s in states if s.at in scenario.endings}
    return finishes, texts_shown(scenario, states)


@pytest.fixture(scope="module")
def walked(scenario):
    return _walk(scenario)


@pytest.fixture(scope="module")
def finishes(walked):
    return walked[0]


def test_every_variant_and_every_chat_message_can_be_seen(scenario, walked):
    _, shown = walked
    wanted = set()
    for place_id, node in [*scenario.scenes.items(), *scenario.endings.items()]:
        wanted |= {(place_id, "default")} | {(place_id, i) for i in range(len(node.variants))}
        wanted |= {(place_id, f"message {i}") for i in range(len(getattr(node, "messages", ())))}
    assert wanted - shown == set()


def test_the_jealousy_story_never_pays_off(scenario, finishes):
    with_story = {(ending, trust) for ending, trust, flags in finishes if "posted_story" in flags}
    without = {(ending, trust) for ending, trust, flags in finishes if "posted_story" not in flags}
    assert with_story, "the story post must be playable to an ending"
    assert all(ending != "slow_thaw" for ending, _ in with_story)
    # Even a full, honest repair afterwards leaves Cass trusting you less than the best play without it.
    assert max(t for _, t in with_story) < max(t for _, t in without)
    post = next(c for c in scenario.scenes["draft"].choices if "posted_story" in c.set_flags)
    assert dict(post.effects)["trust"] < 0 and dict(post.effects)["self_esteem"] < 0


def test_the_story_for_cass_never_ends_hopeful(scenario, finishes):
    assert {ending for ending, _, flags in finishes if "posted_story" in flags} >= {"one_viewer"}
    for ending, _, flags in finishes:
        if "posted_story" in flags:
            assert scenario.endings[ending].tone != "hopeful", ending


def test_brunch_after_never_opening_the_chat_does_not_quote_it(scenario):
    """3,1,2,1: the phone went in the vault before the chat was opened, so Cass's daylight line was never seen."""
    _, play = transcript(scenario, [3, 1, 2, 1])
    assert play.state.at == "brunch"
    assert "daylight" not in play.text() and "never even opened the chat" in play.text()
    text, _ = transcript(scenario, PATHS["own_two_feet_without_opening_the_chat"][0])
    ending = text.split("=== Ending")[1].split("What your choices meant")[0]
    assert "daylight" not in ending


def test_the_phone_you_gave_priya_is_not_on_your_floor(scenario):
    """1,1,3,1: you sent it, then gave Priya the phone; in the morning it comes back through the letterbox."""
    _, play = transcript(scenario, [1, 1, 3, 1])
    assert play.state.at == "morning"
    assert "face down on the floor" not in play.text() and "letterbox" in play.text()
    for state in every_state(scenario):
        if state.at in ("walk_home", "morning") and "phone_with_priya" not in state.flags:
            assert "isn't in them" not in scene_text(scenario.scenes[state.at], state)
            assert "it isn't there" not in scene_text(scenario.scenes[state.at], state)
        if state.at == "morning" and "phone_with_priya" in state.flags:
            assert "on the floor" not in scene_text(scenario.scenes[state.at], state)


def test_a_sorry_but_never_thaws(finishes):
    sorry_but = {ending for ending, _, flags in finishes if "sorry_but" in flags}
    assert sorry_but and "slow_thaw" not in sorry_but


def test_the_apology_has_regret_responsibility_and_a_remedy_and_no_but(scenario):
    drafts = scenario.scenes["apology"].messages
    assert len(drafts) == 2  # the next morning, or a week late
    for draft in drafts:
        assert draft.draft and draft.mine
        assert not re.search(r"\bbut\b", draft.text, re.IGNORECASE)
        assert "I'm sorry" in draft.text  # regret
        assert "it's on me" in draft.text  # responsibility
        assert "I won't message you late again" in draft.text  # remedy


def test_the_late_apology_says_it_is_late(scenario):
    text, play = transcript(scenario, [1, 1, 3, 1, 1, 3, 1])
    assert play.state.at == "apology"
    assert "[you, not sent] I'm sorry about last Thursday, and sorry it took me a week" in text
    assert "[you, not sent] I'm sorry about last night." not in text


def test_leaving_it_as_mo_asked_is_not_told_as_blocking(scenario):
    _, blocked = transcript(scenario, PATHS["blocked"][0])
    assert blocked.text().startswith("You block Cass")
    text, left = transcript(scenario, [1, 1, 3, 1, 1, 2, 2, 1])
    assert left.ending is not None and left.ending.id == "blocked"
    assert left.text().startswith("After that, nothing from Cass")


def test_deleting_the_draft_is_struck_through_when_you_go_straight_to_the_chat(scenario):
    text, play = transcript(scenario, [1])
    assert play.state.at == "draft"
    assert "-. [unavailable] Delete it, one letter at a time. (You can't make your thumbs do it. Three minutes" in text
    text, play = transcript(scenario, [2, 1])
    assert play.state.at == "draft"
    assert "4. Delete it, one letter at a time." in text


def test_sorry_but_shows_up_as_ignored_advice_in_the_debrief(scenario):
    text, _ = transcript(scenario, PATHS["blocked"][0])
    ignored = text.split("Advice you ignored (")[1].split("The meters, revealed\n")[0]
    assert "Apologise properly" in ignored
    assert "Don't text them drunk" in ignored
