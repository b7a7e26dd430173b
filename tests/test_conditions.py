"""The condition language: what it accepts, what it means, and how it explains mistakes."""

from __future__ import annotations

import pytest

from game.expr import ConditionError, Env, Names, parse_condition

NAMES = Names(meters=("trust", "self_esteem"), flags=("texted", "blocked"), scenes=("bar", "home"))


def run(source: str, trust: int = 5, esteem: int = 5, flags=(), visits=None) -> bool:
    condition = parse_condition(source, NAMES)
    return condition(Env({"trust": trust, "self_esteem": esteem}, set(flags), visits or {}))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("trust >= 5", True),
        ("trust > 5", False),
        ("trust == 5 and self_esteem != 4", True),
        ("trust < 3 or texted", True),
        ("not texted", False),
        ("not (texted and blocked)", True),
        ("texted == true", True),
        ("blocked != false", False),
        ("visits.bar >= 2", True),
        ("visits.home == 0", True),
        ("trust >= -1", True),
        ("true", True),
        ("(((trust)) > 4)", True),
        ("trust > 1 and self_esteem > 1 or blocked", True),
        ("blocked or texted and trust > 9", False),
    ],
)
def test_meaning(source, expected):
    assert run(source, flags={"texted"}, visits={"bar": 2}) is expected


def test_and_binds_tighter_than_or():
    assert run("texted or blocked and trust > 9", flags={"texted"}) is True
    assert run("(texted or blocked) and trust > 9", flags={"texted"}) is False


def test_names_are_listed_for_checks():
    condition = parse_condition("trust > 2 and not texted or visits.bar > 1", NAMES)
    assert condition.names() == {("meter", "trust"), ("flag", "texted"), ("visits", "bar")}


@pytest.mark.parametrize(
    ("source", "code", "column", "hint_part"),
    [
        ("trust >= ", "SC040", 9, "finish it"),
        ("trust >= 3 and", "SC040", 14, "finish it"),
        ("trsut >= 3", "SC042", 0, "did you mean `trust`"),
        ("texted and blokced", "SC042", 11, "did you mean `blocked`"),
        ("visits.bra > 1", "SC042", 7, "did you mean `bar`"),
        ("mood.x > 1", "SC042", 0, "visits.SCENE"),
        ("trust", "SC041", 0, "trust >= 3"),
        ("trust and texted", "SC041", 0, "compare the meter"),
        ("texted > 1", "SC041", 0, "compare meters"),
        ("texted < blocked", "SC041", 7, "flags can only"),
        ("1 < trust < 5", "SC040", 10, "1 < trust and trust < 5"),
        ("(trust > 1", "SC040", 10, "close the `(`"),
        ("trust > 1)", "SC040", 9, "join conditions"),
        ("trust => 3", "SC040", 6, "`>=`"),
        ("trust = 3", "SC040", 6, "write `==`"),
        ("trust >= )", "SC040", 9, "expected a meter"),
        ("trust >= 3 && texted", "SC040", 11, "conditions use"),
        ("trust > 99999999", "SC040", 8, "small whole numbers"),
        ("", "SC040", 0, "remove the key"),
    ],
)
def test_errors_have_code_column_and_hint(source, code, column, hint_part):
    with pytest.raises(ConditionError) as caught:
        parse_condition(source, NAMES)
    problem = caught.value
    assert (problem.code, problem.column) == (code, column), problem.message
    assert hint_part in (problem.hint or "")


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(ConditionError):
        parse_condition("(" * 200 + "texted" + ")" * 200, NAMES)


def test_overlong_condition_is_refused():
    with pytest.raises(ConditionError):
        parse_condition(" or ".join(["texted"] * 200), NAMES)


def test_never_evaluates_python():
    with pytest.raises(ConditionError):
        parse_condition("__import__('os').system('true')", NAMES)


TACTICS = '''\
[scenario]
id = "tactics"
title = "Tactics"
summary = "Two ways to the door."
start = "door"

[advice.make-them-jealous]
title = "Make them jealous"
text = "A tactic."
sources = ["A1 #11"]
manipulative = true

[advice.say-it-plainly]
title = "Say it plainly"
text = "Not a tactic."
sources = ["A1 #2"]

[scenes.door]
text = "The door."

[[scenes.door.choices]]
text = "Post the photo with someone new."
goto = "hall"
follows = ["make-them-jealous"]

[[scenes.door.choices]]
text = "Knock."
goto = "hall"
follows = ["say-it-plainly"]

[scenes.hall]
text = "The hall."

[[scenes.hall.choices]]
text = "Wait."
goto = "@ending"

[endings.close]
title = "Close"
tone = "hopeful"
outcome = "apart"
when = "not tactic"
text = "You talk."

[endings.cost]
title = "Cost"
tone = "bittersweet"
outcome = "apart"
when = "tactic.make-them-jealous"
text = "The photo cost you the talk."

[endings.left]
title = "Left"
tone = "hard"
outcome = "apart"
text = "Nothing."
'''


def test_tactic_in_a_condition_means_the_play_has_used_one():
    """The engine, the exploration behind the checks and the simulator read `tactic` alike."""
    from game.analysis.checks import deep_check
    from game.analysis.simulate import simulate
    from game.engine import Playthrough
    from game.loader import load_text

    scenario = load_text(TACTICS, catalog={})
    assert Playthrough.begin(scenario).choose_number(1).choose_number(1).state.at == "cost"
    assert Playthrough.begin(scenario).choose_number(2).choose_number(1).state.at == "close"
    found, walk = deep_check(scenario, source=TACTICS)
    assert [d.code for d in found] == ["SC111"] and "`left`" in found[0].message  # and no SC126: it is guarded
    assert {ending for ending, _ in walk.finishes} == {"close", "cost"}
    report = simulate(scenario, runs=200, seed=1)
    assert set(report.endings) == {"close", "cost"}
    names = Names(flags=("texted",), tactics=("make-them-jealous",))
    used = parse_condition("tactic and tactic.make-them-jealous and not texted", names)
    assert used(Env({}, set(), {}, frozenset({"make-them-jealous"}))) and not used(Env({}, set(), {}))
    assert used.names() >= {("tactic", ""), ("tactic", "make-them-jealous")}
