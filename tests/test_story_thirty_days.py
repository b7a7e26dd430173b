"""Thirty Days: every ending reached and kept as a transcript, every text seen, the story's promises held.

The story teaches that no contact is for healing, not a lever: going silent so
the ex will wonder is playable, and these tests prove, over every reachable
state, that it never pays.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from pathlib import Path

import pytest

from game import library
from game.analysis.explore import state_key
from game.engine import apply_choice, initial_state, options
from tests.helpers import assert_expected_among, assert_golden, builtin, every_state, texts_shown, transcript

NAME = "thirty-days"

# name of the golden file -> (answers as typed, ending it must reach)
PATHS = {
    "daylight": ([1, 1, 2, 2, 1, 1, 3, 1, 1, 2, 1, 2, 1, 1, 1], "daylight"),
    "daylight_without_a_date": ([1, 1, 2, 2, 1, 1, 3, 1, 1, 1, 2, 2, 1, 1, 1], "daylight"),
    "daylight_a_polite_reply": ([1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1], "daylight"),
    "no_need": ([1, 1, 2, 2, 1, 1, 3, 1, 1, 2, 1, 2, 1, 2], "no_need"),
    "no_need_by_the_meters": ([1, 1, 2, 2, 1, 1, 3, 1, 1, 2, 1, 2, 2], "no_need"),
    "nobody_wondering": ([2, 1, 1, 1, 3, 3, 1, 2, 3, 2, 2, 2, 3, 1, 1], "nobody_wondering"),
    "nobody_wondering_then_sixteen_bars": ([1, 1, 2, 3, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1], "nobody_wondering"),
    "day_one_again": ([1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 2, 2, 1, 2, 1, 1], "day_one_again"),
    "day_one_again_after_the_morning": ([1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 3, 2, 4, 1, 1, 2, 2], "day_one_again"),
    "day_one_again_by_the_meters": ([3, 2, 2, 1, 1, 1, 2, 2, 3, 1, 3, 2, 3, 3, 2, 1], "day_one_again"),
    "still_waiting": ([1, 1, 4, 2, 2, 1, 3, 2, 2, 1, 3, 4, 2], "still_waiting"),
    "still_waiting_with_a_date": ([1, 1, 2, 2, 1, 1, 1, 1, 2, 4, 1, 4, 3], "still_waiting"),
    "still_waiting_after_going_dark": ([1, 1, 2, 3, 1, 1, 1, 1, 1, 1, 1, 2, 2], "still_waiting"),
    "still_waiting_after_the_posts": ([1, 1, 2, 2, 1, 1, 1, 1, 1, 3, 1, 2, 1], "still_waiting"),
    "still_waiting_after_two_am": ([1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1], "still_waiting"),
    "still_waiting_asked_too_soon": ([1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2], "still_waiting"),
}

GOOD = {"hopeful", "warm"}
BAD = {"hard", "grim"}
OTHER_STORIES_NAMES = ["Cass", "Priya", "Gary", "Mo", "Theo", "Mari", "Ada", "Jules", "Rafa", "Jess",
                       "Kofi", "Biscuit", "Dee", "Jonah", "Lee", "Nell", "Calder", "Bex"]
NAME_POOL = {"Noor", "Tomasz", "Idris", "Marguerite", "Oskar", "Hollis", "Zainab"}


@pytest.fixture(scope="module")
def scenario():
    return builtin(NAME)


def _tactics(scenario) -> set[str]:
    return {advice_id for advice_id, advice in scenario.advice.items() if advice.manipulative}


# --- transcripts ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PATHS))
def test_golden_transcript(scenario, name, snapshot):
    assert_golden(scenario, PATHS, name, snapshot)


def test_every_ending_has_a_scripted_path(scenario):
    assert {ending for _, ending in PATHS.values()} == set(scenario.endings)


def test_expected_playthroughs_in_the_file_are_among_these_paths(scenario):
    assert_expected_among(scenario, PATHS)


# --- the shape the game promises ---------------------------------------------------


def test_the_story_has_the_shape_a_built_in_story_needs(scenario):
    assert len(scenario.scenes) >= 14
    assert len(scenario.endings) >= 4
    tones = {e.tone for e in scenario.endings.values()}
    assert {"hopeful", "warm", "hard", "bittersweet"} <= tones
    advice = {a for s in scenario.scenes.values() for c in s.choices for a in (*c.follows, *c.ignores)}
    assert len(advice) >= 10
    assert scenario.content_notes and scenario.minutes and scenario.author == "Second Chance"
    moves = {(m, d > 0) for s in scenario.scenes.values() for c in s.choices for m, d in c.effects if d}
    assert moves >= {("trust", True), ("trust", False), ("self_esteem", True), ("self_esteem", False)}
    gated = [c for s in scenario.scenes.values() for c in s.choices
             if c.condition and {k for k, _ in c.condition.names()} & {"meter"}]
    assert len(gated) >= 3
    struck = [c for c in gated if c.unavailable == "strike"]
    assert struck and all(c.reason and not re.search(r"\d", c.reason) for c in struck)
    assert any(e.when is not None for e in scenario.endings.values())


def test_the_file_starts_with_the_schema_line():
    path = library.find(NAME)
    assert path is not None
    assert Path(path).read_text(encoding="utf-8").splitlines()[0] == "#:schema ../game/schema/scenario.schema.json"


def test_two_good_endings_on_day_31_and_one_of_them_is_not_a_reunion(scenario):
    daylight, no_need = scenario.endings["daylight"], scenario.endings["no_need"]
    assert (daylight.tone, daylight.outcome) == ("warm", "open")
    assert (no_need.tone, no_need.outcome) == ("hopeful", "apart")
    assert not any(e.outcome == "together" for e in scenario.endings.values())


def test_workshop_prompts_and_notes_are_there(scenario):
    places = [*scenario.scenes.values(), *scenario.endings.values()]
    choices = [c for s in scenario.scenes.values() for c in s.choices]
    questions = [q for p in [*places, *choices] for q in p.discuss]
    assert 6 <= len(questions) <= 10
    assert any(c.discuss for c in choices) and any(e.discuss for e in scenario.endings.values())
    assert all(q.rstrip().endswith("?") for q in questions)
    notes = [p.facilitator for p in [*places, *choices] if p.facilitator]
    assert len(notes) >= 3


def test_the_characters_are_new_names(scenario):
    path = library.find(NAME)
    text = Path(path).read_text(encoding="utf-8")
    for name in OTHER_STORIES_NAMES:
        assert not re.search(rf"\b{name}\b", text), name
    speakers = {m.sender for s in scenario.scenes.values() for m in s.messages} - {"you"}
    assert speakers <= NAME_POOL


# --- the two disagreements are put to the player ---------------------------------------


def test_what_the_quiet_is_for_is_the_first_choice(scenario):
    first = scenario.scenes[scenario.start].choices
    followed = [set(c.follows) for c in first]
    assert {"no-contact-to-heal"} in followed and {"silence-to-confuse"} in followed
    advice = scenario.advice
    assert advice["silence-to-confuse"].manipulative
    assert "A4 #2" in advice["silence-to-confuse"].disagreement
    assert "A1 #4" in advice["no-contact-to-heal"].disagreement


def test_the_deadline_is_a_choice_between_a_limit_and_none(scenario):
    deadline = scenario.scenes["deadline"]
    assert any("patience-with-a-limit" in c.follows for c in deadline.choices)
    assert any("patience-with-a-limit" in c.ignores for c in deadline.choices)
    assert "three months" in deadline.text and "never give up" in deadline.text
    disagreement = scenario.advice["patience-with-a-limit"].disagreement
    assert "A2" in disagreement and "A0 #10" in disagreement


def test_the_story_uses_the_advice_no_other_story_used(scenario):
    used = {a for s in scenario.scenes.values() for c in s.choices for a in c.follows}
    assert {"work-on-yourself", "patience-with-a-limit", "no-contact-to-heal"} <= used


# --- the meters decide -------------------------------------------------------------------


def test_the_same_breakfast_ends_three_ways_because_of_the_meters(scenario):
    plays = {
        "no_need": PATHS["no_need_by_the_meters"][0],
        "still_waiting": PATHS["still_waiting"][0],
        "day_one_again": PATHS["day_one_again_by_the_meters"][0],
    }
    breakfast = next(c for c in scenario.scenes["day_31"].choices if "breakfast" in c.text)
    assert breakfast.goto == "@ending"
    for ending, answers in plays.items():
        _, play = transcript(scenario, answers)
        assert play.path[-1] == ("day_31", breakfast.index), ending
        assert play.ending is not None and play.ending.id == ending


def test_the_calm_line_is_struck_when_you_are_low_or_playing_a_game(scenario):
    text, _ = transcript(scenario, PATHS["nobody_wondering"][0])
    assert "[unavailable] Write Noor one calm line." in text
    assert "Part of you would be writing to see what comes back" in text
    text, _ = transcript(scenario, PATHS["day_one_again_by_the_meters"][0])
    assert "[unavailable] Write Noor one calm line." in text
    text, _ = transcript(scenario, PATHS["daylight"][0])
    assert "1. Write Noor one calm line." in text


def test_the_satsuma_word_only_exists_if_you_made_the_pact(scenario):
    text, _ = transcript(scenario, PATHS["day_one_again_by_the_meters"][0])
    assert "[unavailable] Text Zainab: satsuma. (You never agreed a word with Zainab." in text
    text, _ = transcript(scenario, PATHS["daylight"][0])
    assert "2. Text Zainab: satsuma." in text


# --- every text can be shown -------------------------------------------------------------


@functools.cache
def _states():
    scenario = builtin(NAME)
    return scenario, every_state(scenario)


def test_every_variant_and_every_chat_message_can_be_seen():
    scenario, states = _states()
    shown = texts_shown(scenario, states)
    wanted = set()
    for place_id, node in [*scenario.scenes.items(), *scenario.endings.items()]:
        wanted |= {(place_id, "default")} | {(place_id, i) for i in range(len(node.variants))}
        wanted |= {(place_id, f"message {i}") for i in range(len(getattr(node, "messages", ())))}
    assert wanted - shown == set()


# --- ethics, over every path --------------------------------------------------------------


@functools.cache
def _finishes() -> frozenset[tuple[str, bool, bool, int, frozenset[str]]]:
    """Each way a play can end: (ending, took a tactic, ignored advice, trust, flags).

    A breadth-first walk over every reachable state, with the real engine rules,
    carrying along whether the path so far followed a manipulative tactic and
    whether it ignored any advice. Two paths meet only when the state and both
    marks agree, so nothing a play could do is merged away.
    """
    scenario = builtin(NAME)
    tactics = _tactics(scenario)
    key = state_key(scenario)
    start = initial_state(scenario)
    seen = {(key(start), False, False)}
    queue = deque([(start, False, False)])
    finishes = set()
    while queue:
        state, tactic, ignored = queue.popleft()
        if state.at in scenario.endings:
            finishes.add((state.at, tactic, ignored, state.meters["trust"], state.flags))
            continue
        open_options = [o for o in options(scenario, state) if o.available]
        assert open_options, f"stuck in {state.at}"
        for option in open_options:
            choice = option.choice
            marks = (tactic or bool(tactics & set(choice.follows)), ignored or bool(choice.ignores))
            nxt = apply_choice(scenario, state, choice)
            if (key(nxt), *marks) not in seen:
                seen.add((key(nxt), *marks))
                queue.append((nxt, *marks))
    return frozenset(finishes)


def test_a_path_that_takes_a_tactic_never_ends_well(scenario):
    with_tactic = {ending for ending, tactic, _, _, _ in _finishes() if tactic}
    assert with_tactic, "the tactics must be playable to an ending"
    for ending in with_tactic:
        tone = scenario.endings[ending].tone
        assert tone not in ("hopeful", "warm"), ending
        assert not (scenario.endings[ending].outcome == "together" and tone not in BAD), ending


def test_a_path_that_ignores_nothing_and_schemes_nothing_never_ends_hard(scenario):
    clean = {ending for ending, tactic, ignored, _, _ in _finishes() if not tactic and not ignored}
    assert clean, "a clean path must reach an ending"
    assert all(scenario.endings[ending].tone not in BAD for ending in clean), clean
    assert clean <= {"daylight", "no_need"}


def test_both_good_endings_are_reachable_on_a_clean_path():
    clean = {ending for ending, tactic, ignored, _, _ in _finishes() if not tactic and not ignored}
    assert clean == {"daylight", "no_need"}


def test_going_silent_so_she_wonders_never_pays(scenario):
    dark = {(ending, trust) for ending, _, _, trust, flags in _finishes() if "for_show" in flags}
    light = {(ending, trust) for ending, _, _, trust, flags in _finishes() if "for_show" not in flags}
    assert {ending for ending, _ in dark} == {"nobody_wondering", "still_waiting", "day_one_again"}
    # Even a month of doing everything else right leaves Noor trusting you less than the best quiet kept for yourself.
    assert max(t for _, t in dark) < max(t for _, t in light)
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if _tactics(scenario) & set(choice.follows):
                assert sum(delta for _, delta in choice.effects) < 0, (scene.id, choice.text)


def test_what_the_silence_did_was_help_her_heal(scenario):
    reveal = scenario.scenes["reveal"]
    said = " ".join(m.text for m in reveal.messages if not m.mine)
    assert "the quiet has been good for me" in said
    assert "used the quiet for what it's for" in scenario.endings["nobody_wondering"].text


def test_the_bittersweet_ending_names_the_cost_of_the_tactic(scenario):
    text, play = transcript(scenario, PATHS["still_waiting_after_going_dark"][0])
    assert play.ending is not None and play.ending.id == "still_waiting"
    assert "It went on her, and she never asked for it." in text
    assert "Go silent so they'll miss you" in text.split("Tactics you tried")[1]


def test_sending_at_two_goes_back_to_day_one_without_blaming(scenario):
    text, play = transcript(scenario, PATHS["day_one_again"][0])
    assert play.ending is not None and play.ending.tone == "hard"
    ending = play.text()
    assert "The counter in your head is back at one" in ending
    assert "It didn't." in ending  # the month still happened
    advice = text.split("What your choices meant\n")[1]  # ignored, or followed once and ignored later
    assert "✗ Don't chase them" in advice or "± Don't chase them" in advice
