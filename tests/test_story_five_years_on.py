"""Five Years On: every ending kept as a transcript, every text reachable, and the story's promises.

The story is about meeting an ex as the person she is now. It lets the player
wear the watch she gave them (the `wear-their-gift` tactic) and tests, over
every reachable state, that the tactic never pays, that saying "I've missed
you" helps or hurts depending on when, and that the meters decide how it ends.
"""

from __future__ import annotations

import functools
from collections import deque

import pytest

from game import library, paths
from game.analysis.explore import state_key
from game.engine import apply_choice, initial_state, options, scene_text
from game.loader import load_catalog
from tests.helpers import assert_expected_among, assert_golden, builtin, every_state, played, texts_shown, transcript

NAME = "five-years-on"

# name of the golden file -> (answers as typed, ending it must reach)
PATHS = {
    "nice_to_meet_you": ([2, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1], "nice_to_meet_you"),
    "thursdays_as_friends": ([3, 1, 1, 2, 1, 1, 1, 2, 3, 1, 2, 1, 3], "thursdays"),
    "thursdays_at_the_workshop": ([2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1], "thursdays"),
    "thursdays_with_the_watch": ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "thursdays"),
    "the_old_fight": ([3, 1, 2, 2, 1, 1, 1, 4, 2], "someone_who_isnt_here"),
    "someone_who_isnt_here": ([3, 1, 2, 2, 1, 3, 1, 2, 2, 2, 2, 2, 2], "someone_who_isnt_here"),
    "twenty_six": ([2, 1, 1, 2, 3, 1, 1, 2, 3, 1, 4, 3, 1], "own_way"),
    "twenty_six_after_thursdays": ([2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5], "own_way"),
    "five_years": ([3, 2, 2, 3, 1, 1, 2, 1, 2, 1, 3, 1, 1], "five_years"),
    "five_years_with_the_photos": ([2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4], "five_years"),
}

TACTIC = "wear-their-gift"
GOOD_TONES = {"hopeful", "warm"}


@pytest.fixture(scope="module")
def scenario():
    return builtin(NAME)



# --- transcripts ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PATHS))
def test_golden_transcript(scenario, name, snapshot):
    assert_golden(scenario, PATHS, name, snapshot)


def test_every_ending_has_a_transcript(scenario):
    assert {ending for _, ending in PATHS.values()} == set(scenario.endings)


def test_expected_playthroughs_in_the_file_are_among_these_paths(scenario):
    assert_expected_among(scenario, PATHS)


# --- the shape the brief asks for ----------------------------------------------


def test_the_story_has_the_size_and_range_of_a_core_story(scenario):
    assert len(scenario.scenes) >= 14
    tones = {e.id: (e.tone, e.outcome) for e in scenario.endings.values()}
    assert tones["nice_to_meet_you"] == ("hopeful", "open")
    assert tones["thursdays"] == ("warm", "friends")
    assert tones["someone_who_isnt_here"] == ("hard", "apart")
    assert tones["five_years"] == ("bittersweet", "open")
    assert tones["own_way"] == ("hopeful", "apart")
    advice = {a for s in scenario.scenes.values() for c in s.choices for a in (*c.follows, *c.ignores)}
    assert len(advice) >= 10
    assert {"treat-it-as-new", "say-you-miss-them", TACTIC} <= advice
    assert scenario.author == "Second Chance" and scenario.minutes and scenario.content_notes
    prompts = sum(len(p.discuss) for p in [*scenario.scenes.values(), *scenario.endings.values()])
    prompts += sum(len(c.discuss) for s in scenario.scenes.values() for c in s.choices)
    assert 6 <= prompts <= 10
    assert sum(1 for p in [*scenario.scenes.values(), *scenario.endings.values()] if p.facilitator) >= 3


def test_the_file_starts_with_the_schema_line():
    first = library.find(NAME).read_text(encoding="utf-8").splitlines()[0]
    assert first == "#:schema ../game/schema/scenario.schema.json"


def test_both_meters_move_both_ways(scenario):
    deltas = [dict(c.effects) for s in scenario.scenes.values() for c in s.choices]
    for meter in ("trust", "self_esteem"):
        assert any(d.get(meter, 0) > 0 for d in deltas)
        assert any(d.get(meter, 0) < 0 for d in deltas)


def test_struck_choices_say_what_would_open_them_in_the_story_voice(scenario):
    struck = [c for s in scenario.scenes.values() for c in s.choices if c.unavailable == "strike"]
    assert len(struck) >= 3
    for choice in struck:
        assert {kind for kind, _ in choice.condition.names()} == {"meter"}
        assert choice.reason and not any(ch.isdigit() for ch in choice.reason)
    text, _ = transcript(scenario, PATHS["someone_who_isnt_here"][0])
    assert "[unavailable] Catch her eye and mouth it" in text
    assert "(She is looking very hard at the bride, and you can take a hint." in text
    assert "(The words are right there. Your nerve is somewhere back by the buffet," in text


# --- every state ---------------------------------------------------------------


@functools.cache
def _states():
    return tuple(every_state(builtin(NAME)))


def test_every_variant_and_every_chat_message_can_be_seen(scenario):
    shown = texts_shown(scenario, list(_states()))
    wanted = set()
    for place_id, node in [*scenario.scenes.items(), *scenario.endings.items()]:
        wanted |= {(place_id, "default")} | {(place_id, i) for i in range(len(node.variants))}
        wanted |= {(place_id, f"message {i}") for i in range(len(getattr(node, "messages", ())))}
    assert wanted - shown == set()


def _walk_with_history(scenario):
    """Every reachable state, carrying whether the play took the tactic and whether it ignored advice.

    The exploration in game.analysis merges plays that the rules can't tell apart;
    here the two facts a play has picked up on the way are part of what tells them
    apart, so an ending is seen once for each history that can lead to it.
    """
    key = state_key(scenario)
    manipulative = {a.id for a in scenario.advice.values() if a.manipulative}
    start = (initial_state(scenario), False, False)
    seen = {(key(start[0]), False, False)}
    queue = deque([start])
    finished = []
    while queue:
        state, tactic, ignored = queue.popleft()
        if state.at in scenario.endings:
            finished.append((state, tactic, ignored))
            continue
        for option in options(scenario, state):
            if not option.available:
                continue
            choice = option.choice
            nxt = (apply_choice(scenario, state, choice),
                   tactic or bool(manipulative & set(choice.follows)),
                   ignored or bool(choice.ignores))
            marker = (key(nxt[0]), nxt[1], nxt[2])
            if marker not in seen:
                seen.add(marker)
                queue.append(nxt)
    return finished


@pytest.fixture(scope="module")
def finished(scenario):
    return _walk_with_history(scenario)


def test_the_ethics_hold_on_every_path(scenario, finished):
    """No tactic path ends hopeful or together-and-good; a warm one names the cost; clean plays never end badly."""
    seen = {(tactic, ignored) for _, tactic, ignored in finished}
    assert seen == {(False, False), (False, True), (True, False), (True, True)}
    for state, tactic, ignored in finished:
        ending = scenario.endings[state.at]
        if tactic:
            assert ending.tone != "hopeful", state
            assert not (ending.outcome == "together" and ending.tone in GOOD_TONES), state
            if ending.tone == "warm":
                shown = scene_text(ending, state)
                assert "watch" in shown and "cost" in shown, state
        if not tactic and not ignored:
            assert ending.tone not in ("hard", "grim"), state


def test_the_ethics_walk_reaches_the_warm_ending_with_the_watch(scenario, finished):
    """The walk must see the tactic reach the warm ending, or the cost check above never runs."""
    warm_with_tactic = [s for s, tactic, _ in finished if tactic and scenario.endings[s.at].tone == "warm"]
    assert warm_with_tactic
    assert all("wore_watch" in s.flags for s in warm_with_tactic)


def test_the_watch_never_pays(scenario, finished):
    with_watch = [s for s, _, _ in finished if "wore_watch" in s.flags]
    without = [s for s, _, _ in finished if "wore_watch" not in s.flags]
    assert with_watch and without
    assert {s.at for s in with_watch} == {"thursdays", "five_years", "someone_who_isnt_here"}
    assert max(s.meters["trust"] for s in with_watch) <= max(s.meters["trust"] for s in without)
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if TACTIC in choice.follows:
                effects = dict(choice.effects)
                assert effects.get("trust", 0) < 0 and effects.get("self_esteem", 0) < 0, choice.text


def test_the_new_beginning_needs_it_said_plainly_and_no_watch(finished):
    starts = [s for s, _, _ in finished if s.at == "nice_to_meet_you"]
    assert starts
    for state in starts:
        assert "said_missed" in state.flags
        assert not {"wore_watch", "chose_friends", "let_go", "brought_photos"} & state.flags


def test_chasing_the_old_version_is_how_the_hard_ending_comes(finished):
    for state, _, ignored in finished:
        if state.at == "someone_who_isnt_here":
            assert ignored
            assert state.meters["trust"] <= 2 or "refought" in state.flags


# --- the lessons ------------------------------------------------------------------


def test_saying_you_miss_her_depends_on_when(scenario):
    """The same advice, said before hello, costs trust; said plainly at the gate, it earns it."""
    early = next(c for c in scenario.scenes["hello"].choices if "say-you-miss-them" in c.follows)
    late = next(c for c in scenario.scenes["night"].choices if "say-you-miss-them" in c.follows)
    assert dict(early.effects)["trust"] < 0 and "no-big-declarations" in early.ignores
    assert dict(late.effects)["trust"] > 0 and "treat-it-as-new" in late.follows
    text, play = transcript(scenario, [3, 1, 3, 1, 1, 1, 1, 2, 1])
    assert play.state.at == "night"
    assert "'You said something this afternoon,' she says. 'By the high board. Before hello.'" in text


def test_the_same_last_choice_ends_differently_because_of_the_meters(scenario):
    """'Tell her you'd like to be her friend' leads to each of three endings, decided by the meters."""
    plays = {
        "thursdays": PATHS["thursdays_as_friends"][0],
        "five_years": PATHS["five_years"][0],
        "someone_who_isnt_here": [3, 1, 2, 2, 1, 3, 1, 2, 2, 2, 2, 2, 1],
    }
    friends = next(c for c in scenario.scenes["weeks"].choices if "chose_friends" in c.set_flags)
    assert friends.goto == "@ending"
    for ending, answers in plays.items():
        play = played(scenario, answers)
        assert play.path[-1] == ("weeks", friends.index)
        assert play.ending is not None and play.ending.id == ending


def test_benji_is_her_business_partner_whatever_you_assumed(scenario):
    for answer in (1, 2, 3):
        play = played(scenario, [3, 1, 1, 2, 1, answer])
        assert play.state.at == "speeches"
        assert "business partner" in play.text() and "Soren" in play.text()


def test_the_warm_ending_with_the_watch_says_what_it_cost(scenario):
    text, play = transcript(scenario, PATHS["thursdays_with_the_watch"][0])
    assert play.ending.id == "thursdays" and play.ending.tone == "warm"
    ending = text.split("=== Ending:")[1]
    assert "You know what the watch cost" in ending
    tactics = text.split("Tactics you tried")[1]
    assert "Wear the thing they gave you" in tactics


def test_the_debrief_shows_where_the_articles_disagree_on_saying_it(scenario):
    text, _ = transcript(scenario, PATHS["nice_to_meet_you"][0])
    disagreements = text.split("Where the articles disagree\n")[1]
    assert "Tell them you've missed them" in disagreements
    assert "A3's contact steps" in disagreements


# --- the two catalog entries this story added -----------------------------------


def test_the_new_catalog_entries_cite_and_disagree_as_the_articles_do():
    catalog, problems = load_catalog(paths.catalog_path())
    assert problems == ()
    say = catalog["say-you-miss-them"]
    assert say.category == "reconnecting" and not say.manipulative
    assert "A0 #1" in say.sources
    for cite in ("A0 #1", "A3 #6 Initiate Contact", "A3 #7 Keep the Conversation Going",
                 "A3 #8 Tell Them How You Feel", "A4 #4 (Re-Establish Contact Slowly: Send a Text)"):
        assert cite in say.disagreement, cite
    assert say.stance
    gift = catalog["wear-their-gift"]
    assert gift.manipulative and gift.category == "reconnecting"
    assert gift.sources == ("A1 #14",)
    assert "A1 #14" in gift.disagreement and "A2 #8" in gift.disagreement
    assert "never rewards" in gift.stance


def test_the_new_entries_sit_together_under_their_heading():
    text = paths.catalog_path().read_text(encoding="utf-8")
    assert text.count("# --- added with five-years-on ---") == 1
    block = text.split("# --- added with five-years-on ---")[1].split("\n# --- ")[0]
    assert block.count("[advice.") == 2
    assert "[advice.say-you-miss-them]" in block and "[advice.wear-their-gift]" in block
