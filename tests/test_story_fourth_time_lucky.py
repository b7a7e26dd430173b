"""Fourth Time Lucky: every ending kept as a transcript, the lesson it teaches, and an ethics walk over every state.

An on-again, off-again story that is unhealthy but not abusive. Its promises:
stepping off the loop is the good ending and is not a reunion; going back is
never told as a failure; help is shown as support where the loop is still live;
the jealousy post never pays; and no honest path ends hard.
"""

from __future__ import annotations

import functools
from collections import deque

import pytest

from game import library
from game.analysis.explore import state_key
from game.cli import main
from game.engine import apply_choice, initial_state, options, scene_text
from tests.helpers import assert_expected_among, builtin, every_state, played, texts_shown, transcript

NAME = "fourth-time-lucky"

# name of the golden file -> (answers as typed, ending it must reach)
PATHS = {
    "fourth_time_lucky": ([3, 1, 1, 1, 4, 1, 2], "fourth_time_lucky"),
    "fourth_time_lucky_on_your_own": ([4, 2, 4, 1, 4], "fourth_time_lucky"),
    "still_fond": ([1, 2, 1, 1, 1, 2, 2], "still_fond"),
    "still_fond_after_the_luca_post": ([2, 1, 2, 1, 1, 4, 1, 2], "still_fond"),
    "the_middle": ([1, 1, 1, 1, 2, 1, 1, 2, 2], "the_middle"),
    "clear_line": ([3, 2, 2, 1, 1, 1], "clear_line"),
    "round_five": ([1, 1, 1, 1, 1], "round_five"),
    "round_five_after_counselling": ([1, 2, 1, 1, 2], "round_five"),
}

TONES_GOOD = ("hopeful", "warm")


@pytest.fixture(scope="module")
def scenario():
    return builtin(NAME)



def test_validates_with_no_diagnostic_under_the_deep_checks(capsys):
    path = library.find(NAME)
    assert path is not None
    assert main(["validate", "--strict", str(path)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_every_ending_has_a_scripted_path(scenario):
    assert {ending for _, ending in PATHS.values()} == set(scenario.endings)


@pytest.mark.parametrize("name", sorted(PATHS))
def test_golden_transcript(scenario, name, snapshot):
    answers, ending = PATHS[name]
    text, play = transcript(scenario, answers)
    assert play.ending is not None and play.ending.id == ending
    assert ("Help and support" in text) == play.ending.help
    snapshot.assert_match(text, f"{name}.txt")


def test_expected_playthroughs_in_the_file_are_among_these_paths(scenario):
    assert_expected_among(scenario, PATHS)


def test_the_shape_the_brief_asks_for(scenario):
    assert len(scenario.scenes) >= 14
    assert len(scenario.endings) >= 4
    assert len({e.tone for e in scenario.endings.values()}) >= 3
    good = scenario.endings["fourth_time_lucky"]
    assert (good.tone, good.outcome) == ("hopeful", "apart")
    choices = [c for s in scenario.scenes.values() for c in s.choices]
    advice = {a for c in choices for a in (*c.follows, *c.ignores)}
    assert len(advice) >= 10
    assert {"break-the-cycle", "grey-zone-needs-help", "repeated-cheating"} <= advice
    moves = {(m, d > 0) for c in choices for m, d in c.effects if d}
    assert moves >= {("trust", True), ("trust", False), ("self_esteem", True), ("self_esteem", False)}
    gated = [c for c in choices if c.condition and {k for k, _ in c.condition.names()} & {"meter"}]
    assert len(gated) >= 3
    struck = [c for c in gated if c.unavailable == "strike"]
    assert struck and all(c.reason and not any(ch.isdigit() for ch in c.reason) for c in struck)
    assert any(e.when is not None for e in scenario.endings.values())
    assert scenario.content_notes and scenario.minutes and scenario.author == "Second Chance"
    workshop = sum(bool(n.discuss) for n in [*scenario.scenes.values(), *scenario.endings.values(), *choices])
    assert 6 <= workshop <= 10
    assert sum(bool(n.facilitator) for n in [*scenario.scenes.values(), *scenario.endings.values()]) >= 3


def test_the_file_starts_with_the_schema_line():
    path = library.find(NAME)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "#:schema ../game/schema/scenario.schema.json"


# --- the lesson ---------------------------------------------------------------


def test_unhealthy_is_not_told_as_abuse(scenario):
    """Nobody here is abusive: the abuse advice is never tagged, and Fen says where that line is."""
    tagged = {a for s in scenario.scenes.values() for c in s.choices for a in (*c.follows, *c.ignores)}
    assert "leave-abuse" not in tagged
    fen = scenario.scenes["fen"]
    for text in (fen.text, *(v.text for v in fen.variants)):
        assert "frightened" in text and "separately" in text
        assert "doesn't make this good for you" in text


def test_going_back_is_never_told_as_a_failure(scenario):
    for ending_id in ("round_five", "the_middle", "clear_line"):
        ending = scenario.endings[ending_id]
        for text in (ending.text, *(v.text for v in ending.variants)):
            assert "not a failure" in text or "isn't failing" in text, ending_id
            assert "your fault" not in text and "should have" not in text


def test_help_is_shown_where_the_loop_is_live_and_framed_as_support(scenario):
    helped = {e.id for e in scenario.endings.values() if e.help}
    assert helped == {"round_five", "the_middle", "clear_line"}
    assert not scenario.help
    for ending_id in ("round_five", "the_middle"):
        ending = scenario.endings[ending_id]
        for text in (ending.text, *(v.text for v in ending.variants)):
            assert "healthy" in text and "emergency" not in text.lower()


def test_the_good_ending_is_the_fourth_break_up_sticking(scenario):
    good = scenario.endings["fourth_time_lucky"]
    for text in (good.text, *(v.text for v in good.variants)):
        assert "the fourth break-up is the one that stuck" in text
    assert "Fourth time lucky, then." in scenario.scenes["the_end_talk"].text


def test_the_new_catalog_entries_record_the_argument_inside_a1(scenario):
    grey = scenario.advice["grey-zone-needs-help"]
    assert grey.sources[0] == "A1 #1" and grey.category == "red-flags"
    for cite in ("A1 #20", "A1 #21", "A3"):
        assert cite in grey.disagreement
    assert "unhealthy is not the same as abusive" in grey.stance
    assert "Abuse is never a grey zone" in grey.stance
    cycle = scenario.advice["break-the-cycle"]
    assert "A1 #20" in cycle.sources and cycle.category == "red-flags" and not cycle.manipulative


def test_the_grey_zone_disagreement_shows_in_the_debrief(scenario):
    text, _ = transcript(scenario, PATHS["clear_line"][0])
    disagree = text.split("Where the articles disagree\n")[1]
    assert "A grey zone needs outside help: A1 argues with itself." in disagree
    assert "Abuse is never a grey zone" in disagree


def test_the_same_last_choice_ends_differently_because_of_the_meters(scenario):
    # Every play here ends on "Put the phone face down" three weeks later.
    for name in ("fourth_time_lucky", "still_fond", "the_middle"):
        answers, ending = PATHS[name]
        play = played(scenario, answers)
        assert play.path[-1] == ("three_weeks_later", 1)
        assert play.ending is not None and play.ending.id == ending


def test_the_honest_no_is_struck_at_the_door_when_you_come_down_low(scenario):
    text, play = transcript(scenario, [1])
    assert play.state.at == "doorstep"
    assert "-. [unavailable] \"Not tonight, Kit. Go home.\" (Kit's face does the thing it does" in text
    text, play = transcript(scenario, [3, 2])
    assert play.state.at == "doorstep"
    assert "3. \"Not tonight, Kit. Go home.\"" in text


def test_a_line_you_never_drew_cannot_be_held(scenario):
    text, play = transcript(scenario, [1, 2, 1, 1])
    assert play.state.at == "week_eight"
    assert "-. [unavailable] Keep going, eyes open" in text
    assert "never said where your line was" in text


def test_the_luca_post_shows_as_a_tactic_and_closes_the_hopeful_ending(scenario):
    text, play = transcript(scenario, PATHS["still_fond_after_the_luca_post"][0])
    tactics = text.split("Tactics you tried")[1].split("The meters, revealed:")[0]
    assert "Make them jealous" in tactics
    assert play.state.meters["self_esteem"] >= 7  # high enough for the hopeful ending, which the post rules out
    assert "the Luca post" in play.text()


# --- every text, and the ethics walk -------------------------------------------


@functools.cache
def _texts():
    scenario = builtin(NAME)
    return texts_shown(scenario, every_state(scenario))


def test_every_variant_and_every_chat_message_can_be_seen(scenario):
    wanted = set()
    for place_id, node in [*scenario.scenes.items(), *scenario.endings.items()]:
        wanted |= {(place_id, "default")} | {(place_id, i) for i in range(len(node.variants))}
        wanted |= {(place_id, f"message {i}") for i in range(len(getattr(node, "messages", ())))}
    assert wanted - _texts() == set()


def ethics_walk(scenario):
    """Every ending reachable, with whether the path took a tactic and whether it ignored any advice.

    A breadth-first walk over the engine's own states, carrying the two facts
    along (they are not in the state, so two plays that meet in one state with
    different histories are kept apart). Returns (ending, took tactic, ignored
    something, the ending text the player is shown).
    """
    tactic_ids = {a.id for a in scenario.advice.values() if a.manipulative}
    key = state_key(scenario)
    start = (initial_state(scenario), False, False)
    seen = {(key(start[0]), False, False)}
    queue = deque([start])
    found = set()
    while queue:
        state, tactic, ignored = queue.popleft()
        if state.at in scenario.endings:
            found.add((state.at, tactic, ignored, scene_text(scenario.endings[state.at], state)))
            continue
        for option in options(scenario, state):
            if not option.available:
                continue
            choice = option.choice
            nxt = apply_choice(scenario, state, choice)
            item = (nxt, tactic or bool(tactic_ids & set(choice.follows)), ignored or bool(choice.ignores))
            mark = (key(nxt), item[1], item[2])
            if mark not in seen:
                seen.add(mark)
                queue.append(item)
    return found


@functools.cache
def _ethics():
    return frozenset(ethics_walk(builtin(NAME)))


def test_the_ethics_walk_sees_every_kind_of_path():
    found = _ethics()
    assert any(tactic for _, tactic, _, _ in found), "a tactic must be playable to an ending"
    clean = {ending for ending, tactic, ignored, _ in found if not tactic and not ignored}
    assert {"fourth_time_lucky", "clear_line"} <= clean


def test_no_path_with_a_tactic_ends_hopeful_or_warmly_together(scenario):
    for ending_id, tactic, _, text in _ethics():
        if not tactic:
            continue
        ending = scenario.endings[ending_id]
        assert ending.tone != "hopeful", ending_id
        assert not (ending.outcome == "together" and ending.tone in TONES_GOOD), ending_id
        if ending.tone == "warm":
            assert "Luca post" in text and "jealousy contest" in text, ending_id


def test_no_honest_path_ends_hard_or_grim(scenario):
    for ending_id, tactic, ignored, _ in _ethics():
        if not tactic and not ignored:
            assert scenario.endings[ending_id].tone not in ("hard", "grim"), ending_id


def test_the_ethics_walk_can_fail(scenario):
    """Turn the hard ending into a hopeful one and the walk must catch a tactic path reaching it."""
    import attrs

    endings = dict(scenario.endings)
    endings["round_five"] = attrs.evolve(endings["round_five"], tone="hopeful")
    broken = attrs.evolve(scenario, endings=endings)
    bad = [e for e, tactic, _, _ in ethics_walk(broken) if tactic and broken.endings[e].tone == "hopeful"]
    assert bad
