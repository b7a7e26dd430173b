"""The Talk: every ending reached and kept as a transcript, everything reachable, the story's promises held.

The story is one long honest conversation. What it teaches: a sorry with a "but"
never gets you past the apology, a whole one does; the old fight refought ends
badly; a plan and counselling are what a together ending rests on; her answer
depends on how the afternoon went; a kind no, from both of you or from her, is a
good ending; and the jealousy tactic never pays. The ethics walk at the bottom
proves the game's rules over every reachable play, not over a few lucky ones.
"""

from __future__ import annotations

import functools
from collections import deque

import pytest

from game.analysis.explore import state_key
from game.engine import apply_choice, initial_state, options
from tests.helpers import assert_expected_among, assert_golden, builtin, every_state, played, texts_shown, transcript

NAME = "the-talk"

# name of the golden file -> (answers as typed, ending it must reach)
PATHS = {
    "tuesdays_at_six": ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "tuesdays_at_six"),
    "tuesdays_at_six_after_a_sorry_but": ([1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "tuesdays_at_six"),
    "friday": ([1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 2, 1], "friday"),
    "friday_bending_to_fit": ([2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1], "friday"),
    "too_soon": ([1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2], "too_soon"),
    "kind_no": ([1, 1, 1, 1, 1, 2, 2, 1, 1, 2, 1, 1, 1], "kind_no"),
    "kind_no_from_both_of_you": ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1], "kind_no"),
    "someone_kind": ([1, 1, 1, 3, 1, 2, 2, 1, 1, 2, 2, 1, 1], "someone_kind"),
    "plot_14": ([1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 3, 2], "plot_14"),
    "plot_14_after_pilar": ([1, 1, 1, 3, 1, 2, 2, 1, 1, 2, 2, 2, 2], "plot_14"),
    "same_fight": ([2, 1, 1, 2, 2], "same_fight"),
    "same_fight_walked_out": ([1, 1, 1, 2, 4], "same_fight"),
    "past_no": ([1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2, 2], "past_no"),
    "past_no_sunny": ([1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2, 3], "past_no"),
    "past_no_invented_someone": ([1, 1, 1, 3, 1, 2, 2, 1, 1, 2, 2, 4], "past_no"),
    "past_no_why_today": ([1, 1, 1, 3, 1, 2, 2, 1, 1, 2, 2, 3], "past_no"),
}

NEW_ADVICE = {"accept-their-apology", "be-vulnerable", "compromise-and-commit", "make-sacrifices"}
MUST_USE = {"plan-for-conflict", "forgive", "show-dont-tell", "consider-counselling", "it-takes-two"} | NEW_ADVICE


@pytest.fixture(scope="module")
def scenario():
    return builtin(NAME)



def _advice_used(scenario) -> set[str]:
    return {a for s in scenario.scenes.values() for c in s.choices for a in (*c.follows, *c.ignores)}


# --- every ending, as a player sees it ---------------------------------------------


@pytest.mark.parametrize("name", sorted(PATHS))
def test_golden_transcript(scenario, name, snapshot):
    assert_golden(scenario, PATHS, name, snapshot)


def test_every_ending_has_a_scripted_path(scenario):
    assert {ending for _, ending in PATHS.values()} == set(scenario.endings)


def test_expected_playthroughs_in_the_file_are_among_these_paths(scenario):
    assert_expected_among(scenario, PATHS)


# --- the shape the brief asks for ---------------------------------------------------


def test_the_story_has_the_shape_the_brief_asks_for(scenario):
    assert len(scenario.scenes) >= 14
    endings = scenario.endings.values()
    assert len(scenario.endings) >= 4
    assert {"warm", "hopeful", "bittersweet", "hard"} <= {e.tone for e in endings}
    good_apart = {e.id for e in endings if e.outcome in ("apart", "friends") and e.tone in ("hopeful", "warm")}
    assert {"kind_no", "someone_kind", "plot_14"} <= good_apart
    together = scenario.endings["tuesdays_at_six"]
    assert (together.tone, together.outcome) == ("warm", "together")
    assert (scenario.endings["same_fight"].tone, scenario.endings["friday"].tone) == ("hard", "bittersweet")
    used = _advice_used(scenario)
    assert len(used) >= 10
    assert MUST_USE <= used
    assert scenario.content_notes and scenario.minutes and scenario.author == "Second Chance"
    gated = [c for s in scenario.scenes.values() for c in s.choices
             if c.condition and {k for k, _ in c.condition.names()} & {"meter"}]
    assert len(gated) >= 3
    struck = [c for c in gated if c.unavailable == "strike"]
    assert len(struck) >= 3 and all(c.reason and not any(ch.isdigit() for ch in c.reason) for c in struck)


def test_both_meters_move_both_ways(scenario):
    deltas = [dict(c.effects) for s in scenario.scenes.values() for c in s.choices]
    for meter in ("trust", "self_esteem"):
        assert any(d.get(meter, 0) > 0 for d in deltas)
        assert any(d.get(meter, 0) < 0 for d in deltas)


def test_the_new_catalog_entries_cite_the_articles_as_asked(scenario):
    advice = scenario.advice
    assert advice["accept-their-apology"].sources[0] == "A0 #9"
    assert advice["be-vulnerable"].sources == ("A0 #8",)
    assert advice["compromise-and-commit"].sources == ("A4 #5 Have an Honest Conversation: Compromise and Commitment",)
    sacrifices = advice["make-sacrifices"]
    assert sacrifices.sources == ("A0 #11",)
    assert all(cite in sacrifices.disagreement for cite in ("A0 #11", "A0 #5", "A4's closing words"))
    assert "never rewards giving up who you are" in sacrifices.stance
    assert all(advice[a].category == "repair" and not advice[a].manipulative for a in NEW_ADVICE)


def test_workshop_prompts_are_where_a_room_would_talk(scenario):
    places = [*scenario.scenes.values(), *scenario.endings.values()]
    choices = [c for s in scenario.scenes.values() for c in s.choices]
    with_prompts = [p for p in [*places, *choices] if p.discuss]
    assert 6 <= len(with_prompts) <= 10
    assert {"sorry_but", "what_it_costs", "the_answer"} <= {getattr(p, "id", None) for p in with_prompts}
    assert len([p for p in [*places, *choices] if p.facilitator]) >= 3


# --- what a player can be shown -----------------------------------------------------


@functools.cache
def _shown() -> frozenset:
    scenario = builtin(NAME)
    return frozenset(texts_shown(scenario, every_state(scenario)))


def test_every_variant_and_every_chat_message_can_be_seen(scenario):
    wanted = set()
    for place_id, node in [*scenario.scenes.items(), *scenario.endings.items()]:
        wanted |= {(place_id, "default")} | {(place_id, i) for i in range(len(node.variants))}
        wanted |= {(place_id, f"message {i}") for i in range(len(getattr(node, "messages", ())))}
    assert wanted - _shown() == set()


# --- the lessons --------------------------------------------------------------------


def test_the_same_last_choice_ends_differently_because_of_the_meters(scenario):
    # Both plays end on "Not tonight. Friday." at her door; the meters decide the rest.
    good = played(scenario, PATHS["tuesdays_at_six"][0])
    rushed = played(scenario, PATHS["friday"][0])
    assert good.path[-1] == rushed.path[-1] == ("the_door", 0)
    assert scenario.scenes["the_door"].choices[0].goto == "@ending"
    assert (good.ending.id, rushed.ending.id) == ("tuesdays_at_six", "friday")


def test_her_answer_depends_on_how_the_afternoon_went(scenario):
    at_answer = {name: played(scenario, PATHS[name][0][:-2]) for name in ("tuesdays_at_six", "kind_no", "someone_kind")}
    assert all(play.state.at == "the_answer" for play in at_answer.values())
    assert "\"I want to try,\"" in at_answer["tuesdays_at_six"].text()
    assert "I don't think I want to start again" in at_answer["kind_no"].text()
    assert "I'm seeing someone. Pilar" in at_answer["someone_kind"].text()
    trust = {name: play.state.meters["trust"] for name, play in at_answer.items()}
    assert trust["tuesdays_at_six"] > trust["kind_no"] > trust["someone_kind"]


def test_saying_no_to_counselling_closes_the_together_ending(scenario):
    play = played(scenario, [1] * 11 + [2])  # the best afternoon there is, then "no stranger"
    assert play.state.at == "the_answer" and play.state.meters["trust"] >= 9
    assert "you said we don't need anyone" in play.text()
    assert not any(o.choice.goto == "the_door" for o in play.options())


def test_the_sorry_but_is_heard_and_shows_in_the_debrief(scenario):
    text, play = transcript(scenario, [1, 1, 1, 1, 2])
    assert play.state.at == "sorry_but"
    assert "Everything before the 'but'" in text
    text, _ = transcript(scenario, [1, 1, 1, 1, 2, 2, 3])
    ignored = text.split("Advice you ignored (")[1].split("Where the articles disagree\n")[0]
    assert "Apologise properly" in ignored
    assert "Don't re-fight old fights" in ignored


def test_the_apology_has_regret_responsibility_and_a_remedy(scenario):
    said = scenario.scenes["after_apology"].text
    assert "you're sorry she sat in A&E on her own" in said  # regret
    assert "that was all you" in said  # responsibility
    assert "next time you'll say \"I need twenty minutes\" out loud, and then come back" in said  # remedy
    assert " but " not in said.replace("not her shouting", "")


def test_refusing_her_sorry_and_giving_yourself_up_both_cost_something(scenario):
    by_text = {c.text: c for s in scenario.scenes.values() for c in s.choices}
    again = by_text["\"Do you know what that did to me? Say it again. Properly.\""]
    assert {"accept-their-apology", "forgive"} <= set(again.ignores)
    assert dict(again.effects)["trust"] < 0
    plot = next(c for c in scenario.scenes["what_it_costs"].choices if "offered_plot" in c.set_flags)
    saturdays = next(c for c in scenario.scenes["what_it_costs"].choices if "make-sacrifices" in c.follows)
    assert plot.ignores == ("stay-yourself",) and "make-sacrifices" not in plot.follows
    assert dict(plot.effects).get("trust", 0) <= 0 < dict(saturdays.effects)["trust"]
    play = played(scenario, [1] * 10 + [2])
    assert play.state.at == "counselling"
    text = play.text()
    assert "I don't want your dad's plot" in text


def test_struck_choices_show_their_reason_in_the_story_voice(scenario):
    text, _ = transcript(scenario, PATHS["same_fight"][0])
    assert "-. [unavailable] Say your first sentence to Dev out loud" in text
    assert "(You open your mouth and the sentence ducks behind your teeth." in text
    assert "(You can hear yourself winning, and you can't find the brake." in text


def test_the_tactic_is_shown_as_a_tactic_and_its_cost_is_named(scenario):
    for name in ("past_no_sunny", "past_no_invented_someone"):
        text, play = transcript(scenario, PATHS[name][0])
        assert "Make them jealous" in text.split("Tactics you tried")[1]
        assert "cost" in play.text()


# --- the ethics walk: every reachable play, with what it took and ignored on the way ---

Finish = tuple[str, bool, bool, bool]
"""(ending, took a tactic, ignored some advice, said a whole sorry after any 'but')."""


@functools.cache
def _finishes() -> frozenset[Finish]:
    """Walk every reachable state, carrying what the play has done so far.

    The engine's own `options` and `apply_choice` step the play; two states are
    merged only when the rules see them the same *and* they carry the same history
    bits, so nothing a path did is lost. Returns every way a play can finish.
    """
    scenario = builtin(NAME)
    tactics = {a for a, advice in scenario.advice.items() if advice.manipulative}
    key = state_key(scenario)
    start = (initial_state(scenario), False, False, False)
    seen = {(key(start[0]), *start[1:])}
    queue = deque([start])
    finishes: set[Finish] = set()
    while queue:
        state, tactic, ignored, whole_sorry = queue.popleft()
        if state.at in scenario.endings:
            finishes.add((state.at, tactic, ignored, whole_sorry))
            continue
        for option in options(scenario, state):
            if not option.available:
                continue
            choice = option.choice
            # a whole sorry counts until a later "sorry, but" or "sorry if" takes it back
            sorry = "real-apology" in choice.follows or (whole_sorry and "real-apology" not in choice.ignores)
            nxt = apply_choice(scenario, state, choice)
            item = (nxt, tactic or bool(tactics & set(choice.follows)), ignored or bool(choice.ignores), sorry)
            seen_key = (key(nxt), *item[1:])
            if seen_key not in seen:
                seen.add(seen_key)
                queue.append(item)
    assert len(seen) < 200_000
    return frozenset(finishes)


def test_no_path_with_a_tactic_ends_hopeful_or_together_and_warm(scenario):
    with_tactic = {(ending, scenario.endings[ending]) for ending, tactic, _, _ in _finishes() if tactic}
    assert with_tactic, "the tactic must be playable to an ending"
    for ending_id, ending in with_tactic:
        assert ending.tone != "hopeful", ending_id
        assert not (ending.outcome == "together" and ending.tone == "warm"), ending_id
        if ending.tone == "warm":  # none today; if one is added, its text must name the price
            assert "cost" in ending.text, ending_id
    assert {e for e, _ in with_tactic} == {"past_no"}


def test_no_path_that_ignores_nothing_and_takes_no_tactic_ends_hard_or_grim(scenario):
    clean = {ending for ending, tactic, ignored, _ in _finishes() if not tactic and not ignored}
    assert clean, "a player who takes all the advice must be able to finish"
    assert all(scenario.endings[e].tone not in ("hard", "grim") for e in clean), clean
    # ...and for that player, walking away is as real as staying.
    assert {"tuesdays_at_six", "kind_no", "plot_14"} <= clean


def test_nobody_gets_past_the_apology_without_a_whole_sorry(scenario):
    """Every play that hears her answer said sorry without a 'but' or an 'if' after the last one."""
    reached_answer = set(scenario.endings) - {"same_fight"}
    for ending, _, _, whole_sorry in _finishes():
        if ending in reached_answer:
            assert whole_sorry, ending


def test_hard_endings_come_only_from_choices_that_go_against_the_advice(scenario):
    hard = {ending for ending, _, ignored, _ in _finishes() if scenario.endings[ending].tone == "hard"}
    assert hard == {"same_fight", "past_no"}
    assert all(ignored for ending, _, ignored, _ in _finishes() if ending in hard)
