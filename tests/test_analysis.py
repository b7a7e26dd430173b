"""Deep checks: one small story per code, the promises over every play, the budget, the built-in scenarios,
a deliberately broken copy, and the exploration compared with a naive walk through the engine."""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path

import pytest

from game import library, paths
from game.analysis.budget import Budget
from game.analysis.checks import CODES, RETIRED, deep_check
from game.analysis.explore import explore, state_key
from game.analysis.machine import TACTIC, Machine
from game.analysis.numbering import ordinal
from game.cli import main
from game.engine import Playthrough, apply_choice, initial_state, options
from game.loader import load_scenario, load_text
from game.locate import locate
from game.model import Advice
from tests.helpers import MINIMAL, chain, crafted, hostile, roomy, tiny, write
from tests.helpers import explore as helper_explore

HEAD = '''\
[scenario]
id = "t"
title = "T"
summary = "A test story."
start = "a"
'''

END = '''
[endings.done]
title = "Done"
tone = "hopeful"
text = "The end."
'''

CATALOG = {
    "good": Advice("good", "Good", "Do good.", ("A1 #1",)),
    "kind": Advice("kind", "Kind", "Be kind.", ("A1 #3",)),
    "trick": Advice("trick", "Trick", "A tactic.", ("A1 #2",), manipulative=True),
}


def check(body: str, **kw):
    text = HEAD + body
    scenario = load_text(text, "t.toml", catalog=CATALOG)
    found, walk = deep_check(scenario, source=text, file="t.toml", **kw)
    assert all(d.file == "t.toml" for d in found)
    return found, walk, text


def codes(found) -> list[str]:
    return [d.code for d in found]


def words(found) -> str:
    return "\n".join(f"{d.message} ({d.hint})" for d in found)


# --- one story per code ------------------------------------------------------------------------------------

CASES = {
    "clean": ('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
''' + END, [], None, []),
    "SC110 a scene nothing leads to": ('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
[scenes.island]
text = "Nobody comes here."
[[scenes.island.choices]]
text = "Go."
goto = "attic"
[scenes.attic]
text = "Only from the island."
[[scenes.attic.choices]]
text = "Go."
goto = "done"
''' + END, ["SC110", "SC110"], ("scenes", "island"),
        ["no choice has `goto` this scene", "no play reaches the scenes of the choices that lead here: "
         "the 1st choice in `island`"]),
    "SC111 an ending shadowed by an earlier one": ('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "@ending"
[endings.first]
title = "First"
tone = "warm"
text = "x"
[endings.second]
title = "Second"
tone = "bittersweet"
text = "y"
''', ["SC111"], ("endings", "second"), ["one listed earlier always fits first"]),
    "SC111 endings behind an `@ending` choice no play takes, with and without `when`": ('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
[[scenes.a.choices]]
text = "Never."
if = "trust > 10"
goto = "@ending"
[endings.e1]
title = "E1"
tone = "warm"
when = "trust > 3"
text = "x"
[endings.e2]
title = "E2"
tone = "bittersweet"
text = "y"
''' + END, ["SC112", "SC111", "SC111"], None,
        ["ending `e1` is never reached by any play (no play takes a choice with `goto = \"@ending\"`, where its "
         "`when` would be tested)", "ending `e2` is never reached by any play (no play takes a choice with "
         "`goto = \"@ending\"`, where the story picks an ending)"]),
    "SC112 a condition the meters never reach": ('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
[[scenes.a.choices]]
text = "Hope."
if = "trust >= 6"
goto = "done"
''' + END, ["SC112"], ("scenes", "a", "choices", 1, "if"),
        ["the 2nd choice in `a` (“Hope.”)", "`trust >= 6`", "trust is 5;"]),
    "SC113 a dead end, with the play that reaches it": ('''
[flags]
rude = "You were rude."
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Be kind."
goto = "b"
[[scenes.a.choices]]
text = "Be rude."
goto = "b"
set = ["rude"]
[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Leave politely."
if = "not rude"
goto = "done"
''' + END, ["SC113"], ("scenes", "b", "choices"), ["scene `b`", "e.g. 2 “Be rude.”"]),
    "SC114 a loop with no way out": ('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
[[scenes.a.choices]]
text = "Spiral."
goto = "b"
[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Again."
goto = "c"
[scenes.c]
text = "C."
[[scenes.c.choices]]
text = "Again."
goto = "b"
''' + END, ["SC114"], ("scenes", "a", "choices", 1, "goto"),
        ["the 2nd choice in `a` (“Spiral.”) leads into a loop", "e.g. 2 “Spiral.”"]),
    "a scene you come back to is explored exactly": ('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Round again."
goto = "b"
[[scenes.a.choices]]
text = "Stop."
if = "visits.a >= 3"
goto = "done"
[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Back."
goto = "a"
''' + END, [], None, []),
    "SC115 a when that never holds": ('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "@ending"
effects = { trust = 1 }
[endings.dream]
title = "Dream"
tone = "warm"
when = "trust >= 9"
text = "x"
[endings.done]
title = "Done"
tone = "hopeful"
text = "y"
''', ["SC115"], ("endings", "dream", "when"), ["can never be reached", "`trust >= 9`"]),
    "SC116 variants that never show": ('''
[scenes.a]
text = "A."
variants = [
  { if = "trust >= 0", text = "Always." },
  { if = "trust >= 1", text = "Shadowed." },
  { if = "trust > 10", text = "Never." },
]
[[scenes.a.choices]]
text = "Go."
goto = "done"
''' + END, ["SC116", "SC116"], ("scenes", "a", "variants", 1, "if"),
        ["the 2nd text variant of `a` never shows: an earlier variant", "the 3rd text variant of `a` never shows: "
         "its condition"]),
    "SC117 a message that never shows": ('''
[scenes.a]
text = "A."
messages = [{ from = "Sam", text = "hi" }, { from = "Sam", text = "bye", if = "trust < 0" }]
[[scenes.a.choices]]
text = "Go."
goto = "done"
''' + END, ["SC117"], ("scenes", "a", "messages", 1, "if"), ["the 2nd message in `a`"]),
    "SC118 and SC119 meters": ('''
[meters.courage]
start = 0
[meters.hope]
start = 2
min = 0
max = 10
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
effects = { hope = 1 }
''' + END, ["SC118", "SC119"], ("meters", "courage"), ["`courage`", "never goes below 2", "never goes above 3"]),
    "SC120 and SC121 flags": ('''
[flags]
unused = "Never used."
wished = "Tested, never set."
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
[[scenes.a.choices]]
text = "Wish."
if = "wished"
unavailable = "strike"
reason = "Not yet."
goto = "done"
''' + END, ["SC120", "SC121", "SC112"], ("flags", "unused"), ["`unused`", "`wished` is tested"]),
    "SC122 scenario advice never used": ('''
[advice.my-own-advice]
title = "Mine"
text = "Something."
sources = ["A1 #4"]
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
''' + END, ["SC122"], ("advice", "my-own-advice"), ["`my-own-advice`"]),
}


@pytest.mark.parametrize("name", CASES)
def test_each_code_on_a_story_made_to_show_it(name):
    body, expected, where, phrases = CASES[name]
    found, walk, text = check(body)
    assert codes(found) == expected, words(found)
    assert walk.exhaustive and walk.states <= 20
    if where is not None:
        assert (found[0].line, found[0].column) == locate(text)[where]
    for phrase in phrases:
        assert phrase in words(found)
    assert "index" not in words(found) and "#" not in words(found)


def test_expected_playthroughs_sc130_sc131():
    body = '''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
[[scenes.a.choices]]
text = "Stay."
goto = "b"
[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Go on."
goto = "done"
[[scenes.b.choices]]
text = "Other, and a text long enough to be cut short."
goto = "other"
[endings.other]
title = "Other"
tone = "bittersweet"
text = "z"
''' + END + "".join(f'''
[[expected]]
name = "{name}"
choices = {choices}
ending = "{ending}"
''' for name, choices, ending in [
        ("good", '[2, "Go on."]', "done"), ("too far", "[2, 3]", "done"), ("typo", '[2, "Go onn."]', "done"),
        ("short", "[2]", "done"), ("too long", "[1, 1]", "done"),
        ("wrong", '[2, "Other, and a text long enough to be cut short."]', "done")])
    found, _, text = check(body)
    assert codes(found) == ["SC131", "SC131", "SC130", "SC131", "SC130"]
    assert found[0].line == locate(text)[("expected", 1, "choices")][0]
    assert "options 1 to 2 are open" in found[0].message
    assert found[0].hint == "open now: 1. Go on.; 2. Other, and a text long enough to be cut…"
    assert "did you mean `Go on.`?" in found[1].hint
    assert "stops in scene `b`" in found[2].message
    assert "already ended" in found[3].message
    assert "reaches `other`, not `done`" in found[4].message
    assert found[4].line == locate(text)[("expected", 5, "ending")][0]


# --- the game's promises, over every play --------------------------------------------------------------------

TWO_WAYS = '''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Take the long way."
goto = "b"
{first}
[[scenes.a.choices]]
text = "Take the short way."
goto = "b"
{second}
[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Arrive."
goto = "{ending}"
[endings.sad]
title = "Sad"
tone = "grim"
outcome = "apart"
text = "x"
[endings.win]
title = "Win"
tone = "warm"
outcome = "together"
text = "y"
[endings.free]
title = "Free"
tone = "hopeful"
outcome = "apart"
text = "z"
[endings.bruised]
title = "Bruised"
tone = "warm"
outcome = "friends"
text = "w"
'''

PROMISES = {
    "good faith ends grim": ('ignores = ["good"]', 'follows = ["good"]', "sad", ["SC125", "SC111", "SC111", "SC111"],
                             "e.g. 2 “Take the short way.”, then 1 “Arrive.”"),
    "declining a tactic is not ignoring advice": ('ignores = ["trick"]', "", "sad",
                                                  ["SC125", "SC111", "SC111", "SC111"], "e.g. 1 “Take the long way.”"),
    "ignoring advice may end badly": ('ignores = ["good"]', 'ignores = ["kind"]', "sad", ["SC111"] * 3, ""),
    "a tactic ends together and warm": ('follows = ["trick"]', 'follows = ["good"]', "win",
                                        ["SC111", "SC126", "SC111", "SC111"], "(`trick`) can reach `win` (warm, "
                                        "together), e.g. 1 “Take the long way.”, then 1 “Arrive.”"),
    "a tactic ends hopeful, even apart": ('follows = ["good"]', 'follows = ["trick"]', "free",
                                          ["SC111", "SC111", "SC126", "SC111"], "e.g. 2 “Take the short way.”"),
    "a tactic may end warm apart or as friends (its text must name the cost)": (
        'follows = ["trick"]', "", "bruised", ["SC111"] * 3, ""),
}


@pytest.mark.parametrize("name", PROMISES)
def test_promises_hold_over_every_play(name):
    first, second, ending, expected, phrase = PROMISES[name]
    found, walk, text = check(TWO_WAYS.format(first=first, second=second, ending=ending))
    assert codes(found) == expected, words(found)
    promise = [d for d in found if d.code in ("SC125", "SC126")]
    for d in promise:
        assert d.severity == "error" and (d.line, d.column) == locate(text)[("endings", ending)]
        assert phrase in d.message


def test_a_tactic_the_greedy_manipulator_never_reaches_is_still_caught():
    """The bug personas had: the tactic that pays (+5 to every meter, a warm reunion) sits where a player
    who grabs every tactic at once never goes, so only a check over every play finds it."""
    found, walk, _ = check('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Sulk at them now."
goto = "sad"
follows = ["trick"]
[[scenes.a.choices]]
text = "Be patient."
goto = "b"
follows = ["good"]
[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Make them jealous."
goto = "@ending"
follows = ["trick"]
effects = { trust = 5, self_esteem = 5 }
[[scenes.b.choices]]
text = "Say how you feel."
goto = "@ending"
follows = ["good"]
[endings.win]
title = "Win"
tone = "warm"
outcome = "together"
when = "trust >= 9"
text = "y"
[endings.sad]
title = "Sad"
tone = "bittersweet"
text = "x"
''')
    assert codes(found) == ["SC126"]
    assert "e.g. 2 “Be patient.”, then 1 “Make them jealous.”" in found[0].message
    assert set(walk.finishes) == {("win", TACTIC), ("sad", 0)}, "a bittersweet ending keeps no ethics bits"


def test_the_promises_are_not_checked_when_nothing_is_tagged_or_when_asked_not_to():
    found, _, _ = check(TWO_WAYS.format(first="", second="", ending="sad"))
    assert codes(found) == ["SC111"] * 3, "with nothing tagged, every play would count as good faith"
    found, _, _ = check(TWO_WAYS.format(first='follows = ["trick"]', second="", ending="free"), personas=False)
    assert "SC126" not in codes(found)


def test_retired_codes_are_never_given_and_stay_documented():
    assert not set(RETIRED) & set(CODES)
    guide = (paths.builtin_dir().parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    for code in [*CODES, *RETIRED]:
        assert f"| {code} |" in guide, f"{code} is not in docs/authoring.md"


# --- reading time ----------------------------------------------------------------------------------------------

LONG_SCENE = " ".join(["word"] * 300)


@pytest.mark.parametrize("minutes, scenes, warned", [
    (30, 2, "about 4 minutes"),   # says far longer than a play takes (3 minutes of reading, 2 choices)
    (2, 12, "about 21 minutes"),  # says far shorter
    (3, 2, ""),                   # close enough
    (2, 2, ""),                   # off by more than half, but by under two minutes: opening and deciding count too
])
def test_sc140_minutes_against_a_typical_plays_reading(minutes, scenes, warned):
    body = f"minutes = {minutes}\n" + "".join(f'''
[scenes.{"a" if i == 0 else f"s{i}"}]
text = "{LONG_SCENE}"
[[scenes.{"a" if i == 0 else f"s{i}"}.choices]]
text = "On."
goto = "{f"s{i + 1}" if i + 1 < scenes else "done"}"
''' for i in range(scenes)) + END
    found, _, text = check(body)
    if warned:
        assert codes(found) == ["SC140"]
        assert found[0].severity == "warning" and warned in found[0].message
        assert found[0].line == locate(text)[("scenario", "minutes")][0]
    else:
        assert found == []


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
def test_builtin_scenarios_explore_fully_within_the_default_budget_with_no_deep_errors(path):
    found, walk = deep_check(load_scenario(path))
    assert walk.exhaustive and not walk.stopped, "the built-in stories are small enough to explore fully"
    assert [d.format() for d in found if d.severity == "error" or d.code == "SC140"] == []


# --- a broken copy of a core scenario: one precise diagnostic per fault ------------------------------------------


def test_broken_copy_of_last_call_gets_one_diagnostic_per_fault(tmp_path):
    original = library.find("last-call")
    text = original.read_text(encoding="utf-8")
    scenario = load_scenario(original)
    before = {(d.code, d.message) for d in deep_check(scenario)[0]}
    start = scenario.start
    broken = text + f'''

[[scenes.{start}.choices]]
text = "Wait for a sign."
goto = "limbo"

[[scenes.{start}.choices]]
text = "Ring them at work."
if = "trust > 10"
goto = "{next(iter(scenario.endings))}"

[scenes.limbo]
text = "You wait. Nothing happens. You wait some more."

[[scenes.limbo.choices]]
text = "Keep waiting."
goto = "limbo"

[endings.lost_in_time]
title = "Lost"
tone = "bittersweet"
text = "Nobody ever writes this ending."
'''
    path = write(tmp_path, broken, "last-call-broken.toml")
    copy = load_scenario(path)
    everything, walk = deep_check(copy)
    found = [d for d in everything if (d.code, d.message) not in before]
    whole = explore(copy, budget=roomy(), machine=Machine(copy, merge=False))
    assert set(walk.traps) == set(whole.traps) and walk.states < whole.states, "merging keeps the loop found"
    assert sorted(codes(found)) == ["SC111", "SC112", "SC114"], [d.format() for d in found]
    n = len(scenario.scenes[start].choices)
    positions = locate(broken)
    where = {d.code: (d.line, d.column) for d in found}
    assert where["SC114"] == positions[("scenes", start, "choices", n, "goto")]
    assert where["SC112"] == positions[("scenes", start, "choices", n + 1, "if")]
    assert where["SC111"] == positions[("endings", "lost_in_time")]
    message = {d.code: d.message for d in found}
    assert f"the {ordinal(n + 1)} choice in `{start}` (“Wait for a sign.”)" in message["SC114"]
    assert f"e.g. {n + 1} “Wait for a sign.”" in message["SC114"], "the play types the open option's number"
    assert f"the {ordinal(n + 2)} choice in `{start}`" in message["SC112"] and "`trust > 10`" in message["SC112"]
    assert all(d.file == str(path) for d in found)


def _shape(text: str) -> str:
    """A message with what varies from story to story taken out: ids and quoted texts, example plays,
    ordinals and numbers (a range too)."""
    text = re.sub(r"`[^`]*`", "`X`", text)
    text = re.sub(r"“[^”]*”", "“X”", text)
    text = re.sub(r"\d+ “X”(?:, then \d+ “X”)*", "PLAY", text)
    text = re.sub(r"\b\d+(?:st|nd|rd|th)\b", "Nth", text)
    return re.sub(r"-?\d[\d,.]*(?:\.\.-?\d+)?", "N", text)


def _documented() -> list[tuple[str, str]]:
    """(code, message) for every deep-check message docs/authoring.md quotes: its table's examples and the
    worked example's output (the file, line, column and severity left out)."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    quoted = re.findall(r"`` (?:\S+:\d+:\d+: )?(SC1\d\d) (?:warning: |info: )?(.*?) ``", text)
    quoted += re.findall(r"^story\.toml:\d+:\d+: (SC1\d\d) (?:warning: |info: )?(.*)$", text, re.M)
    return quoted


def test_the_messages_the_guide_quotes_are_the_ones_the_checks_give():
    """Each deep-check message docs/authoring.md quotes has the words the checks give today (the stories, ids
    and numbers aside; `...` in the guide stands for words left out), for every code a story above shows."""
    given: dict[str, list[str]] = {}
    for body, _, _, _ in CASES.values():
        for d in check(body)[0]:
            given.setdefault(d.code, []).extend([d.message, f"{d.message} ({d.hint})"])
    compared = set()
    for code, quoted in _documented():
        if code not in given:
            continue
        pattern = re.escape(_shape(quoted)).replace(r"\ \.\.\.", ".*").replace(r"\.\.\.", ".*")
        assert any(re.fullmatch(pattern, _shape(m)) for m in given[code]), (code, quoted, given[code])
        compared.add(code)
    assert {"SC110", "SC111", "SC112", "SC114", "SC115", "SC116", "SC119", "SC121"} <= compared, compared


def test_the_guides_worked_example_is_what_validate_says(tmp_path, capsys):
    """The worked example in docs/authoring.md, made as the guide says (a copy of last-call.toml with its own id
    and the guide's TOML added at its end), gives exactly the output the guide shows, line numbers and all."""
    guide = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    example = guide[guide.index("### A worked example"):]
    added = re.search(r"```toml\n(.*?)```", example, re.S).group(1)
    shown = re.search(r"says:\n\n```\n(.*?)```", example, re.S).group(1)
    original = library.find("last-call").read_text(encoding="utf-8")
    copy = original.replace('id = "last-call"\n', 'id = "last-call-copy"\n', 1) + "\n\n" + added
    path = write(tmp_path, copy, "story.toml")
    main(["validate", str(path)])
    said = capsys.readouterr()
    assert (said.out + said.err).replace(str(path), "story.toml") == shown


# --- the budget ------------------------------------------------------------------------------------------------

LOOPING = '''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Up."
goto = "a"
effects = { trust = 1 }
[[scenes.a.choices]]
text = "Down."
goto = "a"
effects = { self_esteem = 1 }
[[scenes.a.choices]]
text = "Go."
if = "trust >= 3"
goto = "done"
''' + END


def test_sc190_a_state_limit_ends_the_walk_then_sampling_fills_in():
    found, walk, _ = check(LOOPING, cap=5)
    assert not walk.exhaustive and walk.stopped == "states" and walk.samples > 0
    note = found[codes(found).index("SC190")]
    assert note.severity == "info"
    assert "stopped after 5 states" in note.message and "the limit of" in note.message
    assert "random games" in note.message and "partial" in note.message
    assert walk.places == {"a", "done"}, "sampling still reaches the ending"
    found, walk, _ = check(LOOPING, budget=Budget(states=6))
    assert walk.stopped == "states" and walk.states == 6
    found, walk, _ = check(LOOPING)
    assert walk.exhaustive and found == []


def test_a_long_story_with_no_loop_is_never_said_to_go_round_after_a_budget_stop():
    """600 scenes in a line, the states cut at 1,000: sampled plays are played to the end (longer than the old
    500-step cut), so nothing says "loop", and every scene is reached."""
    found, walk, _ = check(chain(600) + END, cap=1000, budget=Budget(work=400_000))
    assert not walk.exhaustive and walk.samples > 10
    assert walk.long_plays == 0 and not walk.traps
    assert {d.code for d in found} == {"SC190"}, words(found)


TRAP = '''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Up."
goto = "a"
effects = { trust = 1 }
[[scenes.a.choices]]
text = "Down."
goto = "a"
effects = { self_esteem = 1 }
[[scenes.a.choices]]
text = "Wander off."
goto = "maze"
[[scenes.a.choices]]
text = "Leave."
if = "trust >= 9"
goto = "done"
[scenes.maze]
text = "A maze."
[[scenes.maze.choices]]
text = "Left."
goto = "maze"
effects = { trust = -1 }
[[scenes.maze.choices]]
text = "Right."
goto = "maze2"
effects = { self_esteem = -1 }
[scenes.maze2]
text = "More maze."
[[scenes.maze2.choices]]
text = "Back."
goto = "maze"
''' + END


def test_after_a_budget_stop_sc114_is_given_only_with_a_play_that_comes_back_to_where_it_was():
    """A sampled play that goes round is not enough: the loop is reported as an error only once every situation
    after it was seen to lead nowhere, with an example play that repeats a situation."""
    whole, walk, _ = check(TRAP)
    assert walk.exhaustive and [d.code for d in whole if d.code == "SC114"] == ["SC114"]
    found, walk, _ = check(TRAP, cap=5)
    assert walk.stopped == "states"
    [trap] = [d for d in found if d.code == "SC114"]
    assert trap.severity == "error"
    assert "the 3rd choice in `a` (“Wander off.”) leads into a loop with no way out" in trap.message
    ref = walk.traps[("a", 2)]
    machine, state, seen = walk.machine, walk.machine.start, []
    for rule in walk.rules_to(ref):
        seen.append(state)
        state = machine.step(state, rule)
    assert state in seen, "the example play comes back to a situation it has been in"
    assert walk.unproved_loops == 0


def test_a_loop_with_a_way_out_is_never_proved_a_trap():
    from game.analysis.sampling import _Proofs

    scenario = load_text(HEAD + LOOPING, "t.toml", catalog=CATALOG)
    machine = Machine(scenario)
    assert _Proofs().prove(machine, machine.start, Budget()) is None
    trapped = load_text(HEAD + TRAP, "t.toml", catalog=CATALOG)
    machine = Machine(trapped)
    maze = machine.step(machine.start, machine.rows[0][2])
    assert maze in _Proofs().prove(machine, maze, Budget())
    assert _Proofs().prove(machine, machine.start, Budget()) is None


class FakeClock:
    """A clock one second further on each time it is read: budgets end by count, not machine speed."""

    def __init__(self) -> None:
        self.ticks = itertools.count()

    def __call__(self) -> float:
        return float(next(self.ticks))


def test_a_time_limit_ends_the_walk_at_once_and_says_so():
    text = hostile(40)
    scenario = load_text(text, "h.toml", catalog={})
    found, walk = deep_check(scenario, source=text, budget=Budget(seconds=2, work=10**9, clock=FakeClock()))
    assert walk.stopped == "time" and not walk.exhaustive and walk.samples == 0
    assert "the 2 s time limit" in found[codes(found).index("SC190")].message
    longer = deep_check(scenario, source=text, budget=Budget(seconds=20, work=10**9, clock=FakeClock()))[1]
    assert longer.stopped == "time" and longer.states > walk.states, "a raised budget is honoured"


def test_a_work_limit_ends_the_walk_the_same_way_every_time():
    first = check(LOOPING, budget=Budget(work=50))[1]
    again = check(LOOPING, budget=Budget(work=50))[1]
    assert first.stopped == "work" and first.states == again.states < 66


def test_the_crafted_slow_file_finishes_validate_within_the_default_budget(tmp_path, capsys, monkeypatch):
    """Wide meters, 400 self-looping choices with long conditions: the default budget ends the checks with a
    partial line, and a raised budget lets them go further. The clock is a fake one (a second each time it is
    read), so the test behaves the same on any machine."""
    path = write(tmp_path, hostile(), "hostile.toml")
    monkeypatch.setattr("game.analysis.budget.CLOCK", FakeClock())
    assert main(["validate", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)["files"][0]
    assert data["partial"] is True
    note = next(d for d in data["diagnostics"] if d["code"] == "SC190")
    assert note["severity"] == "info" and "the 5 s time limit" in note["message"] and "partial" in note["message"]
    default = deep_check(crafted())[1]
    raised = deep_check(crafted(), budget=Budget.scaled(10, None))[1]
    assert default.stopped == raised.stopped == "time" and default.states < raised.states


def test_the_default_budget_is_a_few_seconds_and_the_flags_raise_it(tmp_path, capsys, monkeypatch):
    assert Budget().seconds <= 5 and Budget.scaled(None, None).seconds == Budget().seconds
    raised = Budget.scaled(60, 1_000_000)
    assert (raised.seconds, raised.states) == (60, 1_000_000) and raised.work >= Budget().work * 12
    path = write(tmp_path, HEAD + LOOPING, "loop.toml")
    assert main(["validate", str(path), "--max-states", "4"]) == 0
    assert "SC190 info: stopped after 4 states" in capsys.readouterr().out
    assert main(["validate", str(path), "--max-states", "100000", "--budget", "30"]) == 0
    assert "SC190" not in capsys.readouterr().out
    for bad in (["--budget", "0"], ["--budget", "-1"], ["--max-states", "0"]):
        assert main(["validate", str(path), *bad]) == 2
        assert "must be" in capsys.readouterr().err


def test_a_shared_budget_counts_every_call_and_fresh_starts_again():
    budget = Budget(work=10**9)
    scenario = load_text(HEAD + LOOPING, "t.toml", catalog={})
    explore(scenario, budget=budget)
    spent = budget.spent
    assert spent > 0
    explore(scenario, budget=budget)
    assert budget.spent > spent
    assert budget.fresh().spent == 0 and budget.fresh().work == 10**9


def test_sc112_gives_the_range_at_the_scene_not_the_whole_story():
    body = """
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Up."
goto = "b"
effects = { trust = 1 }
[[scenes.a.choices]]
text = "Down."
goto = "done"
effects = { trust = -5 }
[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Go."
goto = "done"
[[scenes.b.choices]]
text = "Hope."
if = "trust >= 8"
goto = "done"
""" + END
    [found], walk, _ = check(body)
    assert found.code == "SC112" and walk.low["trust"] == 0  # in the whole story trust goes down to 0...
    assert found.hint.startswith("when play reaches this scene trust is 6;")  # ...but not where it is tested


def test_after_a_budget_stop_nothing_is_said_to_be_never(tmp_path, capsys):
    """What the partial walk did not see is "not ... yet", as information: `--strict` does not fail on it."""
    body = LOOPING.replace('goto = "done"', 'goto = "@ending"') + """
[scenes.attic]
text = "Nobody comes here."
[[scenes.attic.choices]]
text = "Down."
goto = "a"
[scenes.cellar]
text = "Nobody gets here either."
[[scenes.cellar.choices]]
text = "Up."
goto = "a"
[endings.dream]
title = "Dream"
tone = "warm"
when = "trust >= 99"
text = "z"
"""
    body = body.replace('[[scenes.a.choices]]\ntext = "Go."', '[[scenes.a.choices]]\ntext = "Down the steps."\n'
                        'if = "trust >= 99"\ngoto = "cellar"\n[[scenes.a.choices]]\ntext = "Go."')
    found, walk, _ = check(body, cap=5)
    assert not walk.exhaustive
    unseen = {d.code: d for d in found if d.code in ("SC110", "SC115") and "cellar" not in d.message}
    assert set(unseen) == {"SC110", "SC115"}
    for finding in unseen.values():
        assert finding.severity == "info" and "never" not in finding.message, finding.message
        assert finding.message.endswith("in the plays explored before the budget ran out")
    assert unseen["SC110"].message.startswith("scene `attic` was not reached yet")
    hint = next(d.hint for d in found if d.code == "SC110" and "`cellar`" in d.message)
    assert hint == "the choices that lead here have not been open yet when their scene was reached: the 3rd " \
        "choice in `a`", "the reason is as unproved as the finding"
    assert not any("never" in (d.hint or "") for d in found if d.severity == "info"), words(found)
    path = write(tmp_path, HEAD + body, "partial.toml")
    assert main(["validate", str(path), "--strict", "--max-states", "5"]) == 0
    out = capsys.readouterr().out
    assert "SC110 info: scene `attic` was not reached yet" in out
    assert main(["validate", str(path), "--strict"]) == 1  # explored whole, the same story is a warning again
    assert "SC110 scene `attic` is never reached by any play" in capsys.readouterr().out


def test_a_broken_promise_ends_its_example_with_the_meters_and_points_at_the_choice():
    body = """
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Be honest."
goto = "b"
follows = ["good"]
effects = { trust = -2 }
[[scenes.a.choices]]
text = "Wait."
goto = "b"
[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Ask."
goto = "@ending"
[endings.sad]
title = "Sad"
tone = "grim"
when = "trust <= 3"
text = "x"
""" + END
    found, _, _ = check(body)
    [broken] = [d for d in found if d.code == "SC125"]
    assert broken.message.endswith("e.g. 1 “Be honest.”, then 1 “Ask.”, ending with trust 3, self_esteem 5")
    cause, *steps = broken.related
    assert cause.message == "the choice that leads here, in the example play"
    assert [s.message for s in steps] == ["step 1 of the example: 1 “Be honest.”", "step 2 of the example: 1 “Ask.”"]
    assert (HEAD + body).splitlines()[cause.line - 1] == "[[scenes.b.choices]]"


# --- the command line ---------------------------------------------------------------------------------------------


def test_validate_runs_deep_checks_and_no_deep_skips_them(tmp_path, capsys):
    path = write(tmp_path, MINIMAL.replace('when = "trust >= 6"', 'when = "trust >= 9"'))
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "SC115" in out and "1 warning" in out
    assert main(["validate", str(path), "--strict"]) == 1
    capsys.readouterr()
    assert main(["validate", str(path), "--no-deep"]) == 0
    assert "0 warnings" in capsys.readouterr().out


def test_validate_json_carries_deep_codes_and_notes_are_not_counted(tmp_path, capsys):
    path = write(tmp_path, MINIMAL + '\n[[expected]]\nname = "n"\nchoices = [1, 1]\nending = "left"\n')
    assert main(["validate", str(path), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == 1 and data["files"][0]["partial"] is False
    assert data["files"][0]["diagnostics"][0]["code"] == "SC130"
    path = write(tmp_path, MINIMAL, "fine.toml")
    assert main(["validate", str(path), "--strict", "--max-states", "2"]) == 0
    out = capsys.readouterr().out
    assert "SC190 info:" in out and "0 errors, 0 warnings" in out


# --- exploration agrees with play ----------------------------------------------------------------------------------


def test_example_plays_replay_through_the_engine_to_where_they_say():
    scenario = tiny()
    walk = explore(scenario)
    assert walk.places == {"door", "hall", "warm", "left"}
    assert walk.exhaustive and not walk.stuck
    for place, ref in walk.first_state.items():
        play = Playthrough.begin(scenario)
        for move in walk.play(ref):
            assert play.state.at == move.scene
            play = play.choose_number(move.number)
            assert play.steps[-1].choice_text == move.text
        assert play.state.at == place


def test_state_key_ignores_unread_visits():
    scenario = tiny()
    state = initial_state(scenario)
    key = state_key(scenario)
    assert key(state) == key(state.__class__(state.at, state.meters, state.flags, {"door": 7}, state.taken))


def test_tests_helper_explore_is_the_same_exploration():
    places, open_choices, stuck = helper_explore(tiny())
    walk = explore(tiny())
    assert (places, open_choices, set(walk.stuck)) == (walk.places, walk.open_choices, stuck)


def _naive(scenario, limit=3_000):
    """Every engine State by its full key, with the ethics bits carried: no projection, no merging."""
    key = state_key(scenario)
    start = initial_state(scenario)
    seen = {(start.key(), 0)}
    frontier = [(start, 0)]
    places, open_choices, stuck, finishes, keys = {start.at}, set(), set(), set(), {key(start)}
    while frontier:
        state, bits = frontier.pop()
        if state.at in scenario.endings:
            finishes.add((state.at, bits))
            continue
        shown = [o for o in options(scenario, state) if o.available]
        if not shown:
            stuck.add(state.at)
        for option in shown:
            choice = option.choice
            open_choices.add((state.at, choice.index))
            nxt = apply_choice(scenario, state, choice)
            more = (1 if any(scenario.advice[a].manipulative for a in choice.follows) else 0) | \
                   (2 if any(not scenario.advice[a].manipulative for a in choice.ignores) else 0)
            mark = (nxt.key(), bits | more)
            if mark not in seen:
                if len(seen) >= limit:
                    return None
                seen.add(mark)
                places.add(nxt.at)
                keys.add(key(nxt))
                frontier.append((nxt, bits | more))
    return places, open_choices, stuck, finishes, keys


def _random_story(rng) -> str:
    scenes = [f"s{i}" for i in range(rng.randint(2, 5))]
    conditions = ["trust >= 6", "self_esteem <= 4", "met", "not met", "visits.s0 >= 2", "visits.s1 == 1",
                  "trust > self_esteem", "met and trust >= 5", "visits.s0 > visits.s1", "seen"]
    out = [HEAD.replace('start = "a"', 'start = "s0"'), '[flags]\nmet = "Met."\nseen = "Seen."\n']
    for scene in scenes:
        out.append(f'[scenes.{scene}]\ntext = "x"\n')
        if rng.random() < 0.3:
            out.append(f'variants = [{{ if = "{rng.choice(conditions)}", text = "y" }}]\n')
        for k in range(rng.randint(1, 3)):
            target = rng.choice([*scenes, "done", "@ending", "low"])
            out.append(f'[[scenes.{scene}.choices]]\ntext = "c{k}"\ngoto = "{target}"\n')
            out.append(f'effects = {{ {rng.choice(["trust", "self_esteem"])} = {rng.choice([-2, -1, 1, 2])} }}\n')
            if rng.random() < 0.5:
                out.append(f'if = "{rng.choice(conditions)}"\n')
            if rng.random() < 0.3:
                out.append('once = true\n')
            if rng.random() < 0.3:
                out.append(f'{rng.choice(["set", "clear"])} = ["{rng.choice(["met", "seen"])}"]\n')
            tags = rng.choice(['', 'follows = ["trick"]', 'ignores = ["good"]', 'ignores = ["trick"]',
                               'follows = ["good"]'])
            out.append(tags + "\n")
    out.append('[endings.high]\ntitle = "H"\ntone = "warm"\noutcome = "together"\nwhen = "trust >= 7"\ntext = "x"\n')
    out.append('[endings.low]\ntitle = "L"\ntone = "grim"\nwhen = "self_esteem <= 3"\ntext = "x"\n')
    out.append(END)
    return "".join(out)


def test_the_exploration_matches_a_naive_walk_on_random_stories():
    """Merged (the checks) and unmerged (the tests' every_state) alike: the same places, open choices,
    dead ends and (ending, ethics bits), and unmerged, the very same states as the naive walk."""
    rng = random.Random(5)
    compared = 0
    for _ in range(100):
        scenario = load_text(_random_story(rng), "r.toml", catalog=CATALOG)
        naive = _naive(scenario)
        if naive is None:
            continue  # visits make the naive walk endless; the projection is what makes those finite
        places, open_choices, stuck, finishes, keys = naive
        merged = explore(scenario, budget=roomy())
        assert merged.exhaustive
        assert (merged.places, merged.open_choices, set(merged.stuck)) == (places, open_choices, stuck)
        assert set(merged.finishes) == {(e, bits & merged.machine.kept_bits(e)) for e, bits in finishes}
        with_bits = explore(scenario, budget=roomy(), machine=Machine(scenario, merge=False))
        assert set(with_bits.finishes) == finishes
        whole = explore(scenario, budget=roomy(), machine=Machine(scenario, merge=False, ethics=False))
        seen = [state_key(scenario)(state) for state, _ in whole.engine_states()]
        assert len(seen) == len(set(seen)) == whole.states and set(seen) == keys
        # every other fact the checks read comes out the same from the merged walk as from the whole one
        assert merged.states <= with_bits.states
        assert (merged.held, merged.shown) == (whole.held, whole.shown)
        assert (merged.variant_shown, merged.message_held) == (whole.variant_shown, whole.message_held)
        unshown = {(p, k) for p, k in whole.variant_held if (p, k) not in whole.variant_shown}
        assert {v for v in merged.variant_held if v in unshown} == unshown
        assert (merged.when_held, merged.picked, bool(merged.picks)) == (whole.when_held, whole.picked,
                                                                         bool(whole.picks))
        assert set(merged.traps) == set(whole.traps)
        assert (merged.low, merged.high) == (whole.low, whole.high)
        compared += 1
    assert compared >= 40, compared
