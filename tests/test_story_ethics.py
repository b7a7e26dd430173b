"""The game's promises about manipulation and good faith, proved for every built-in story.

Every reachable state is walked with two facts carried along: whether the play
has used a tactic (advice marked `manipulative` in a choice's `follows`) and
whether it has ignored any advice. Then, for every ending any play can reach:

- a play that used a tactic never ends hopeful, and never ends together on a good note;
- a play that used a tactic and ends warm is shown a text no tactic-free play is
  shown there, so the ending can name what the tactic cost;
- a play that ignored nothing and used no tactic never ends hard or grim.

The walk is exact (same rules as play, via the engine), so "never" here means
no play at all, not no play that a sample happened to find.
"""

from __future__ import annotations

from collections import deque

import attrs
import pytest

from game import library
from game.analysis.explore import state_key
from game.engine import apply_choice, initial_state, options, scene_text
from game.loader import load_text
from game.model import Scenario
from tests.helpers import MINIMAL, builtin

NAMES = [p.stem for p in library.builtin_scenarios()]
CAP = 400_000


@attrs.frozen
class Finish:
    """One way a play can end: where, what it did on the way, what the player reads, and a path there."""

    ending: str
    tactic: bool
    ignored: bool
    text: str
    example: tuple[int, ...]


def finishes(scenario: Scenario) -> list[Finish]:
    """Every distinct (ending, took a tactic, ignored something, text shown) any play can reach."""
    key = state_key(scenario)
    start = initial_state(scenario)
    seen = {(key(start), False, False)}
    queue = deque([(start, False, False, ())])
    found: dict[tuple, Finish] = {}
    while queue:
        state, tactic, ignored, path = queue.popleft()
        if state.at in scenario.endings:
            text = scene_text(scenario.endings[state.at], state)
            found.setdefault((state.at, tactic, ignored, text), Finish(state.at, tactic, ignored, text, path))
            continue
        for option in options(scenario, state):
            if not option.available:
                continue
            choice = option.choice
            took = tactic or any(scenario.advice[a].manipulative for a in choice.follows)
            missed = ignored or bool(choice.ignores)
            after = apply_choice(scenario, state, choice)
            mark = (key(after), took, missed)
            if mark not in seen:
                assert len(seen) < CAP, "state space too large to walk in a test"
                seen.add(mark)
                queue.append((after, took, missed, (*path, option.number)))
    return list(found.values())


def broken_promises(scenario: Scenario) -> list[str]:
    """Every way the story breaks the promises in this module's docstring, with a path to see it."""
    problems = []
    every = finishes(scenario)
    clean_texts = {(f.ending, f.text) for f in every if not f.tactic}
    for finish in every:
        ending = scenario.endings[finish.ending]
        where = f"{finish.ending} ({ending.tone}, {ending.outcome}) after choices {list(finish.example)}"
        if finish.tactic and ending.tone == "hopeful":
            problems.append(f"a tactic ends hopeful: {where}")
        if finish.tactic and ending.outcome == "together" and ending.tone in ("hopeful", "warm"):
            problems.append(f"a tactic ends together and well: {where}")
        if finish.tactic and ending.tone == "warm" and (finish.ending, finish.text) in clean_texts:
            problems.append(f"a tactic ends warm without naming its cost: {where}")
        if not finish.tactic and not finish.ignored and ending.tone in ("hard", "grim"):
            problems.append(f"a play that ignored nothing ends {ending.tone}: {where}")
    return problems


@pytest.mark.parametrize("name", NAMES)
def test_tactics_never_pay_and_good_faith_never_ends_badly(name):
    assert broken_promises(builtin(name)) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_walk_sees_tactics_and_clean_plays_where_the_story_has_them(name):
    """The walk must actually reach the plays the promises are about, or they prove nothing."""
    scenario = builtin(name)
    every = finishes(scenario)
    assert {f.ending for f in every} == set(scenario.endings)
    has_tactic = any(scenario.advice[a].manipulative
                     for s in scenario.scenes.values() for c in s.choices for a in c.follows)
    assert any(f.tactic for f in every) == has_tactic
    assert any(not f.tactic and not f.ignored for f in every)


RECONCILING = {"repair", "reconnecting", "meeting"}


def _abuse_story(name: str) -> bool:
    """A help story about abuse: one that shows the abuse lines (it names no other help topic).

    A help story about a relationship that is unhealthy but not abusive (Fourth
    Time Lucky) may score repair advice: rebuilding with outside help is one of
    its honest endings. With abuse it never is.
    """
    scenario = builtin(name)
    return scenario.help and scenario.help_topic in ("", "abuse")


@pytest.mark.parametrize("name", [n for n in NAMES if _abuse_story(n)])
def test_red_flag_stories_never_score_a_way_back_as_good_advice(name):
    """In a story about abuse no choice is scored against reconciliation advice (followed or ignored),
    and going back never ends well."""
    scenario = builtin(name)
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            tagged = {scenario.advice[a].category for a in (*choice.follows, *choice.ignores)}
            assert not tagged & RECONCILING, (scene.id, choice.text)
    for ending in scenario.endings.values():
        if ending.outcome == "together":
            assert ending.tone in ("hard", "grim"), ending.id
            assert "not a failure" in ending.text, ending.id


def _tiny(replace: dict[str, str]) -> Scenario:
    text = MINIMAL
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return load_text(text, "tiny.toml", catalog={})


TACTIC = '''
[advice.sulk-at-them]
title = "Sulk at them"
text = "A tactic."
sources = ["A4 #2"]
manipulative = true
stance = "Never rewarded."

[advice.be-kind]
title = "Be kind"
text = "Advice."
sources = ["A0 #9"]
'''


def test_the_check_catches_a_tactic_that_ends_hopeful():
    story = _tiny({"[flags]": TACTIC + "\n[flags]",
                   'goto = "left"\neffects = { self_esteem = 1 }':
                   'goto = "left"\neffects = { self_esteem = 1 }\nfollows = ["sulk-at-them"]'})
    problems = broken_promises(story)
    assert len(problems) == 1 and problems[0].startswith("a tactic ends hopeful: left")
    assert "after choices [2]" in problems[0]


def test_the_check_catches_a_warm_tactic_ending_that_reads_like_a_clean_one():
    story = _tiny({"[flags]": TACTIC + "\n[flags]",
                   'goto = "hall"\neffects = { trust = 1 }':
                   'goto = "hall"\neffects = { trust = 1 }\nfollows = ["sulk-at-them"]',
                   '[[scenes.door.choices]]\ntext = "Leave."':
                   '[[scenes.door.choices]]\ntext = "Knock kindly."\ngoto = "hall"\neffects = { trust = 1 }\n'
                   'follows = ["be-kind"]\n\n[[scenes.door.choices]]\ntext = "Leave."'})
    expected = "a tactic ends warm without naming its cost: warm (warm, open) after choices [1, 1]"
    assert broken_promises(story) == [expected]
    named = _tiny({"[flags]": TACTIC + "\n[flags]",
                   'goto = "hall"\neffects = { trust = 1 }':
                   'goto = "hall"\neffects = { trust = 1 }\nfollows = ["sulk-at-them"]',
                   'text = "They open the door."':
                   'text = "They open the door."\nvariants = [{ if = "knocked", text = "They open it, warily." }]'})
    assert broken_promises(named) == []


def test_the_check_catches_good_faith_ending_badly():
    story = _tiny({'tone = "hopeful"': 'tone = "grim"'})
    problems = broken_promises(story)
    assert problems == ["a play that ignored nothing ends grim: left (grim, apart) after choices [2]"]
    ignored = _tiny({'tone = "hopeful"': 'tone = "grim"', "[flags]": TACTIC + "\n[flags]",
                     'goto = "left"\neffects = { self_esteem = 1 }':
                     'goto = "left"\neffects = { self_esteem = 1 }\nignores = ["be-kind"]'})
    assert broken_promises(ignored) == []


def test_confronting_lee_is_scored_as_no_advice_at_all():
    """Naming the canal to Lee's face is brave and never required: services often advise against
    confronting an abuser, so the choice counts neither for nor against any advice."""
    scenario = builtin("the-good-days")
    confronting = [c for s in scenario.scenes.values() for c in s.choices if c.goto == "said_it"]
    assert [c.text for c in confronting] == ['Say it out loud: "You threw my keys in the canal."']
    assert confronting[0].follows == () and confronting[0].ignores == ()
    assert "never required" in scenario.scenes["said_it"].facilitator


@pytest.mark.parametrize("name", [n for n in NAMES if builtin(n).help])
def test_help_stories_never_blame_going_back(name):
    """Every ending of a help story where the player went back says it is not a failure, and blames no one."""
    scenario = builtin(name)
    back = [f for f in finishes(scenario) if scenario.endings[f.ending].outcome == "together"]
    assert back, "a help story must let a play go back, or this proves nothing"
    for finish in back:
        assert "not a failure" in finish.text, (name, finish.ending)
        lowered = finish.text.lower().replace("none of it is your fault", "").replace("not your fault", "")
        assert "your fault" not in lowered and "should have" not in lowered, (name, finish.ending)
