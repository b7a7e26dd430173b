"""First Coffee: every ending reached and kept as a transcript, everything reachable, tactics never paying."""

from __future__ import annotations

import functools

import pytest

from game.engine import Playthrough, apply_choice, options, scene_text
from tests.helpers import builtin, every_state, texts_shown, transcript

SCENARIO = "first-coffee"

PATHS = {
    "try_again_slowly": [4, 2, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1],
    "the_lisbon_fight": [1, 1, 2, 2, 2, 2, 2, 1],
    "your_own_coat": [1, 3, 1, 2, 3, 1, 2, 1, 2, 1],
    "left_on_delivered": [1, 3, 2],
    "sunday_friends": [4, 1, 1, 1, 1, 2, 1, 1, 2, 3, 1, 3, 1],
    "blurred": [1, 1, 1, 1, 1, 2, 3, 2, 3, 2, 1, 1],
    "not_yet": [1, 1, 2, 1, 1, 1, 1, 2, 3, 3],
    "running_shoes": [3, 1, 2, 2, 1, 1, 1, 2, 1],
}

MORE = {
    "sunday_friends_after_the_photo": ([3, 1, 2, 1, 1, 1, 1, 1, 3, 1], "sunday_friends"),
    "going_up_after_he_says_jess": ([1, 1, 2, 1, 1, 2, 3, 1, 2, 1, 1], "blurred"),
    "a_kiss_after_he_says_jess": ([1, 1, 2, 1, 1, 2, 3, 1, 1, 1, 1], "blurred"),
    "slowly_after_he_says_jess": ([1, 1, 1, 1, 2, 1, 2, 2, 1, 1, 3, 1], "try_again_slowly"),
}
"""Further plays: the sunny photo that still ends warm, and the corner of his street after he names Jess."""


def _play(answers: list[int]) -> Playthrough:
    play = Playthrough.begin(builtin(SCENARIO))
    for number in answers:
        play = play.choose_number(number)
    return play


@functools.cache
def _walk() -> tuple[frozenset[tuple[str, frozenset[str]]], frozenset[tuple[str, object]]]:
    """Each (ending, flags held when it is reached), and every text a player can be shown."""
    scenario = builtin(SCENARIO)
    states = every_state(scenario)
    finishes = {(s.at, frozenset(s.flags)) for s in states if s.at in scenario.endings}
    return frozenset(finishes), frozenset(texts_shown(scenario, states))


def test_every_ending_has_a_scripted_path():
    assert set(PATHS) == set(builtin(SCENARIO).endings)


@pytest.mark.parametrize("ending", sorted(PATHS))
def test_golden_transcript(ending, snapshot):
    text, play = transcript(builtin(SCENARIO), PATHS[ending])
    assert play.ending is not None and play.ending.id == ending
    snapshot.assert_match(text, f"{ending}.txt")


@pytest.mark.parametrize("name", sorted(MORE))
def test_further_plays(name, snapshot):
    answers, ending = MORE[name]
    text, play = transcript(builtin(SCENARIO), answers)
    assert play.ending is not None and play.ending.id == ending
    snapshot.assert_match(text, f"{name}.txt")


def test_the_first_message_follows_the_first_light_text():
    """Whoever sends the light line (you, or you after Kofi cuts it down) meets the who-moves-first debate."""
    scenario = builtin(SCENARIO)
    first = [c for scene in ("draft", "kofi") for c in scenario.scenes[scene].choices
             if c.goto == "sent" and "paragraph" not in c.set_flags]
    assert len(first) == 3
    for choice in first:
        assert "first-light-text" in choice.follows, choice.text


def test_rafa_naming_jess_is_remembered_and_going_up_after_it_ignores_her():
    scenario = builtin(SCENARIO)
    states = every_state(scenario)
    for state in states:
        if state.at == "his_side":
            told = state.meters["trust"] <= 6  # the texts where he says he is seeing her
            for option in options(scenario, state):
                if option.available and option.choice.goto == "the_moment":
                    after = apply_choice(scenario, state, option.choice)
                    assert ("seeing_jess" in after.flags) == told, option.choice.text
        if state.at == "the_moment":
            for option in options(scenario, state):
                if option.available and option.choice.text in ("Go up for the tea.", "Kiss him."):
                    ignored = "respect-their-new-partner" in option.choice.ignores
                    assert ignored == ("seeing_jess" in state.flags), (option.choice.text, sorted(state.flags))
        if state.at == "blurred" and "seeing_jess" in state.flags:
            assert "told you about her before you" in scene_text(scenario.endings["blurred"], state)


def test_asking_to_try_again_gets_an_answer_before_the_corner():
    play = _play(PATHS["try_again_slowly"][:10])
    assert play.state.at == "the_moment"
    assert play.text().startswith("He doesn't answer straight away.")
    assert "'Yes,' he says. 'Slowly." in play.text()


def test_the_sunny_photo_never_ends_hopeful_and_names_its_cost():
    scenario = builtin(SCENARIO)
    for state in every_state(scenario):
        if "posted" in state.flags and state.at in scenario.endings:
            assert scenario.endings[state.at].tone != "hopeful", state.at
            if scenario.endings[state.at].tone == "warm":
                text = scene_text(scenario.endings[state.at], state)
                assert "running-shoe" in text or "running shoes" in text, state.at


def test_expected_playthroughs_in_the_file_reach_their_endings():
    scenario = builtin(SCENARIO)
    assert 2 <= len(scenario.expected) <= 4
    for expectation in scenario.expected:
        play = _play(list(expectation.choices))
        assert play.ending is not None and play.ending.id == expectation.ending, expectation.name
        assert PATHS[expectation.ending] == list(expectation.choices)


def test_the_story_has_the_shape_the_brief_asks_for():
    scenario = builtin(SCENARIO)
    assert len(scenario.scenes) >= 14
    tones = {e.tone for e in scenario.endings.values()}
    assert {"warm", "hopeful", "hard", "bittersweet"} <= tones
    outcomes = {e.id: e.outcome for e in scenario.endings.values()}
    assert outcomes["your_own_coat"] == "apart" and outcomes["sunday_friends"] == "friends"
    advice = {a for s in scenario.scenes.values() for c in s.choices for a in (*c.follows, *c.ignores)}
    assert len(advice) >= 10
    gated = [c for s in scenario.scenes.values() for c in s.choices if c.condition is not None]
    assert len(gated) >= 3
    assert any(c.unavailable == "strike" for c in gated)
    assert scenario.scenes["reply"].messages  # the texting part is shown as chat


def test_every_variant_and_every_chat_message_can_be_seen():
    scenario = builtin(SCENARIO)
    wanted: set[tuple[str, object]] = set()
    for place_id, node in [*scenario.scenes.items(), *scenario.endings.items()]:
        wanted |= {(place_id, "default")} | {(place_id, i) for i in range(len(node.variants))}
        wanted |= {(place_id, f"message {i}") for i in range(len(getattr(node, "messages", ())))}
    assert wanted - _walk()[1] == set()


def test_both_meters_move_both_ways():
    scenario = builtin(SCENARIO)
    deltas = [dict(c.effects) for s in scenario.scenes.values() for c in s.choices]
    for meter in ("trust", "self_esteem"):
        assert any(d.get(meter, 0) > 0 for d in deltas)
        assert any(d.get(meter, 0) < 0 for d in deltas)


def test_the_last_choice_does_not_decide_a_meter_ending():
    """The same final message ends differently depending on how the day went."""
    good = _play(PATHS["try_again_slowly"])
    dodged = _play(PATHS["sunday_friends"])
    assert good.path[-1] == dodged.path[-1] == ("next_day", 0)  # both send the same one line
    assert builtin(SCENARIO).scenes["next_day"].choices[0].goto == "@ending"
    assert good.ending.id == "try_again_slowly"
    assert dodged.ending.id == "sunday_friends"


def test_tactics_never_lead_to_getting_back_together():
    for ending, flags in _walk()[0]:
        if {"posted", "went_silent", "refought"} & flags:
            assert ending != "try_again_slowly", (ending, sorted(flags))


def test_rushing_intimacy_never_leads_to_the_slow_ending():
    for ending, flags in _walk()[0]:
        if "kissed" in flags:
            assert ending in {"blurred", "left_on_delivered"}, (ending, sorted(flags))


def test_what_he_says_about_jess_depends_on_how_the_meeting_went():
    warm = _play(PATHS["try_again_slowly"][:9])
    assert warm.state.at == "his_side" and "I stopped last week" in warm.text()
    cool = _play(PATHS["your_own_coat"][:8])
    assert cool.state.at == "his_side" and "I don't know what it is yet" in cool.text()
    shown = [o.choice.text for o in cool.options()]
    assert "Tell him you hope it goes well with Jess. Mean it." in shown
    assert not any("goes well with Jess" in o.choice.text for o in warm.options())


def test_struck_choices_show_their_reason_in_the_story_voice():
    text, _ = transcript(builtin(SCENARIO), PATHS["the_lisbon_fight"])
    assert "[unavailable]" in text
    assert "The speech has its own momentum now" in text


def test_who_moves_first_reaches_the_debrief_whenever_you_send_the_first_message():
    """You always text first in this story, so every way of sending it carries the who-moves-first debate."""
    scenario = builtin(SCENARIO)
    debate = scenario.advice["first-light-text"].disagreement
    assert debate.startswith("Who moves first")
    sends = [c for s in ("draft", "kofi") for c in scenario.scenes[s].choices if c.goto == "sent"]
    assert len(sends) == 5
    for choice in sends:
        assert "first-light-text" in (*choice.follows, *choice.ignores), choice.text
    long_version, after_kofi = [2] + [1] * 11, [4, 3] + [1] * 11  # the speech, sent first
    for answers in (long_version, after_kofi, PATHS["left_on_delivered"], PATHS["try_again_slowly"]):
        text, _ = transcript(scenario, answers)
        assert "Who moves first" in text.split("Where the articles disagree")[1], answers
