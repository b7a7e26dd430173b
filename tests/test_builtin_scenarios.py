"""What every built-in scenario promises, checked the same way for each (new ones included).

The story files keep their own tests for what is particular to each story:
golden transcripts, the shape of its lessons. These are the promises they all share.
"""

from __future__ import annotations

import pytest

from game import library
from game.cli import main
from game.loader import read_scenario
from tests.helpers import builtin, explore

NAMES = [p.stem for p in library.builtin_scenarios()]
CORE = ["last-call", "the-feed", "first-coffee"]


def test_the_core_scenarios_and_more_are_built_in():
    assert set(CORE) <= set(NAMES)
    assert len(NAMES) >= 4


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
