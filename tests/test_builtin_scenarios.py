"""What every built-in scenario promises, checked the same way for each (new ones included).

The story files keep their own tests for what is particular to each story:
golden transcripts, the shape of its lessons. These are the promises they all share.
"""

from __future__ import annotations

import itertools
import random
import re

import attrs
import pytest

from game import debrief as debriefs
from game import library
from game.analysis.explore import explore as walk_states
from game.cli import main
from game.engine import Playthrough
from game.loader import load_catalog, read_scenario
from game.loader.reasons import meter_words, reason_problem
from tests.helpers import builtin, explore, roomy

NAMES = [p.stem for p in library.builtin_scenarios()]
CORE = ["last-call", "the-feed", "first-coffee", "thirty-days", "the-talk", "fourth-time-lucky", "five-years-on"]
"""The full-length stories: each meets the size and range the game promises."""


def test_the_core_scenarios_and_more_are_built_in():
    assert set(CORE) <= set(NAMES)
    assert len(NAMES) >= 9


@pytest.mark.parametrize("name", NAMES)
def test_loads_without_any_diagnostic(name):
    result = read_scenario(library.find(name))
    assert result.diagnostics == ()
    assert result.scenario is not None and result.scenario.id == name


@pytest.mark.parametrize("name", NAMES)
def test_deep_checks_and_expected_plays_pass_strictly(name, capsys):
    assert main(["validate", "--strict", str(library.find(name))]) == 0
    assert capsys.readouterr().out.strip().endswith("0 errors, 0 warnings in 1 file")


@pytest.mark.parametrize("name", NAMES)
def test_everything_is_reachable_and_nothing_sticks(name):
    scenario = builtin(name)
    places, open_choices, stuck = explore(scenario)
    assert places == set(scenario.scenes) | set(scenario.endings)
    every_choice = {(s.id, c.index) for s in scenario.scenes.values() for c in s.choices}
    assert open_choices == every_choice
    assert stuck == set()


@pytest.mark.parametrize("name", NAMES)
def test_walking_away_is_a_real_good_ending(name):
    scenario = builtin(name)
    good_apart = [e for e in scenario.endings.values()
                  if e.outcome in ("apart", "friends") and e.tone in ("hopeful", "warm")]
    assert good_apart, "every story needs a good ending that is not getting back together"


@pytest.mark.parametrize("name", CORE)
def test_core_scenarios_have_the_size_and_range_the_game_promises(name):
    scenario = builtin(name)
    assert len(scenario.scenes) >= 14
    assert len(scenario.endings) >= 4
    assert len({e.tone for e in scenario.endings.values()}) >= 3
    advice = {a for s in scenario.scenes.values() for c in s.choices for a in (*c.follows, *c.ignores)}
    assert len(advice) >= 10
    assert scenario.content_notes
    moves = {(m, d > 0) for s in scenario.scenes.values() for c in s.choices for m, d in c.effects if d}
    assert moves >= {("trust", True), ("trust", False), ("self_esteem", True), ("self_esteem", False)}
    gated = [c for s in scenario.scenes.values() for c in s.choices
             if c.condition and {k for k, _ in c.condition.names()} & {"meter"}]
    assert len(gated) >= 3 and any(c.unavailable == "strike" for c in gated)
    assert any(e.when is not None for e in scenario.endings.values())


def _story_text(name: str) -> list[str]:
    """Everything a player of the story can read: scenes, variants, chat, choices, endings."""
    scenario = builtin(name)
    texts = []
    for scene in scenario.scenes.values():
        texts += [scene.text, *(v.text for v in scene.variants), *(m.text for m in scene.messages)]
        texts += [c.text for c in scene.choices]
    for ending in scenario.endings.values():
        texts += [ending.text, *(v.text for v in ending.variants)]
    return texts


def _runs(texts: list[str], n: int) -> set[tuple[str, ...]]:
    runs = set()
    for text in texts:
        words = re.findall(r"[a-z']+", text.lower())
        runs |= {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    return runs


RECYCLED = 7
"""A run of this many words in two stories reads as a recycled line to someone who plays both."""


def recycled(stories: dict[str, list[str]]) -> list[str]:
    runs = {name: _runs(texts, RECYCLED) for name, texts in stories.items()}
    found = []
    for a, b in itertools.combinations(sorted(runs), 2):
        found += [f"{a} / {b}: {' '.join(run)}" for run in sorted(runs[a] & runs[b])]
    return found


def test_no_line_is_recycled_across_stories():
    assert recycled({name: _story_text(name) for name in NAMES}) == []


@pytest.mark.parametrize("word", ["Kofi", "Biscuit", "Femi", "Pudding", "Bram", "Ines", "Marco", "Bisi",
                                  "town you used to live in", "air traffic control"])
def test_each_side_character_and_simile_belongs_to_one_story(word):
    holders = [name for name in NAMES if any(re.search(rf"\b{word}\b", text) for text in _story_text(name))]
    assert len(holders) <= 1, (word, holders)


SETTINGS = ["above a dentist", "need a stranger", "lido", "allotment", "quiz", "let the chat end there",
            "climbing", "salsa", "karaoke", "ceilidh", "charades", "pottery", "boating lake", "reservoir",
            "satsuma", "code word"]
"""Places and devices that make a story its own: a counsellor's room above a dentist's, a code word for
stopping a row, a night at the quiz. Someone who plays two stories should not meet the same one twice."""


@pytest.mark.parametrize("word", SETTINGS)
def test_each_setting_and_device_belongs_to_one_story(word):
    holders = [name for name in NAMES if any(word in text.lower() for text in _story_text(name))]
    assert len(holders) <= 1, (word, holders)


def test_the_recycled_line_check_can_fail():
    same = "and everyone laughs, and you laugh a beat late"
    assert recycled({"a": [same], "b": ["At the pub " + same + "."]}) != []
    assert recycled({"a": [same], "b": ["and nobody laughs at all, not even a beat late"]}) == []


WORKSHOP = {"last-call": 5, "the-feed": 5, "first-coffee": 5, "happy-birthday": 3, "the-good-days": 3}
"""The stories with discussion prompts, and how many each must at least offer a room."""


@pytest.mark.parametrize("name", sorted(WORKSHOP))
def test_stories_carry_discussion_prompts_and_facilitator_notes(name):
    scenario = builtin(name)
    places = [*scenario.scenes.values(), *scenario.endings.values()]
    choices = [c for s in scenario.scenes.values() for c in s.choices]
    prompts = [q for node in (*places, *choices) for q in node.discuss]
    assert WORKSHOP[name] <= len(prompts) <= 12
    assert all(q.endswith("?") for q in prompts), prompts
    assert any(node.facilitator for node in (*places, *choices))
    assert any(e.discuss for e in scenario.endings.values())  # the room talks about where it ended, too


def test_the_red_flag_story_has_care_notes_where_it_matters():
    scenario = builtin("the-good-days")
    assert scenario.scenes[scenario.start].facilitator  # before anyone plays
    for ending in scenario.endings.values():
        if ending.tone in ("hard", "grim"):
            assert "not a failure" in ending.facilitator, ending.id
            assert "what might have helped" in ending.facilitator, ending.id


def test_every_catalog_entry_is_used_by_a_built_in_story():
    catalog, _ = load_catalog()
    used = {a for name in NAMES for s in builtin(name).scenes.values() for c in s.choices
            for a in (*c.follows, *c.ignores)}
    assert sorted(set(catalog) - used) == []


def _finish(play: Playthrough) -> Playthrough:
    """Go on from `play` to an ending (seeded random choices; every built-in story always can end)."""
    rng = random.Random(0)
    for _ in range(500):
        if play.is_over:
            return play
        play = play.choose_number(rng.choice([o.number for o in play.options() if o.available]))
    raise AssertionError("no ending reached")


def test_every_disagreement_in_the_catalog_can_reach_a_debrief():
    """For each disagreement: a real play (found by exploring) that takes a choice tagged with its advice,
    goes on to an ending, and whose debrief shows the disagreement."""
    catalog, _ = load_catalog()
    wanted = {a for a, advice in catalog.items() if advice.disagreement}
    reached: dict[str, tuple] = {}
    for name in NAMES:
        scenario = builtin(name)
        walk = walk_states(scenario, budget=roomy())
        for situation, (_, shown) in enumerate(walk.engine_states()):
            for option in shown:
                tagged = set(option.choice.follows) | set(option.choice.ignores)
                if not option.available or not (tagged & wanted) - set(reached):
                    continue
                play = Playthrough.begin(scenario)
                for number in walk.example(situation):
                    play = play.choose_number(number)
                play = _finish(play.choose(option.choice.index))
                shown_texts = {a.disagreement for a in debriefs.build(play).disagreements}
                for advice_id in tagged & wanted:
                    if catalog[advice_id].disagreement in shown_texts:
                        reached.setdefault(advice_id, (name, play.path))
            if wanted <= set(reached):
                break
    assert sorted(wanted - set(reached)) == []


def reason_problems(scenario) -> list[str]:
    """Struck-through choices whose reason is missing or talks in numbers and ids instead of the story's voice
    (the loader's own rule, SC103, which every story gets)."""
    words = meter_words(scenario.meters)
    problems = []
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.condition is None or choice.unavailable != "strike":
                continue
            where = f"{scene.id} choice {choice.index + 1}"
            reason = choice.reason or ""
            if not reason.strip():
                problems.append(f"{where}: no reason")
            why = reason_problem(reason, words)
            if why:
                problems.append(f"{where}: {why} in {reason!r}")
    return problems


@pytest.mark.parametrize("name", NAMES)
def test_locked_choices_give_their_reason_in_words_not_numbers(name):
    scenario = builtin(name)
    assert any(c.unavailable == "strike" for s in scenario.scenes.values() for c in s.choices)
    assert reason_problems(scenario) == []


def test_the_locked_reason_check_can_fail():
    scenario = builtin("last-call")
    scene = scenario.scenes["draft"]
    struck = next(c for c in scene.choices if c.unavailable == "strike")
    for bad in ("Needs trust 3.", "Your self-esteem is too low.", "self_esteem >= 4", ""):
        changed = attrs.evolve(scene, choices=tuple(
            attrs.evolve(c, reason=bad) if c is struck else c for c in scene.choices))
        broken = attrs.evolve(scenario, scenes={**scenario.scenes, "draft": changed})
        assert reason_problems(broken), bad
