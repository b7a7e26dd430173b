"""Deep checks: one small story per code, the built-in scenarios, and a deliberately broken copy."""

from __future__ import annotations

import json

import pytest

from game import library, paths
from game.analysis import CODES, deep_check, explore
from game.analysis.explore import state_key
from game.cli import main
from game.engine import Playthrough, initial_state
from game.loader import load_scenario, load_text
from game.locate import locate
from tests.helpers import MINIMAL, tiny, write
from tests.helpers import explore as helper_explore

HEAD = '''\
[scenario]
id = "t"
title = "T"
summary = "A test story."
start = "a"
'''


def story(body: str, head: str = HEAD):
    text = head + body
    return load_text(text, "t.toml", catalog={}), text


def check(body: str, **kw):
    scenario, text = story(body)
    found, walk = deep_check(scenario, source=text, file="t.toml", **kw)
    assert all(d.file == "t.toml" for d in found)
    return found, walk, text


def codes(found) -> list[str]:
    return [d.code for d in found]


def line_of(text: str, path: tuple) -> int:
    return locate(text)[path][0]


# --- the built-in scenarios ------------------------------------------------------


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
def test_builtin_scenarios_have_no_deep_errors(path):
    scenario = load_scenario(path)
    found, walk = deep_check(scenario)
    assert walk.exhaustive, "the built-in stories are small enough to explore fully"
    assert [d.format() for d in found if d.severity == "error"] == []


def test_every_code_is_documented_in_the_guide():
    guide = (paths.builtin_dir().parent / "docs" / "authoring.md")
    if not guide.exists():  # installed without docs
        pytest.skip("docs not present")
    text = guide.read_text(encoding="utf-8")
    for code in CODES:
        assert f"| {code} |" in text, f"{code} is not in docs/authoring.md"


# --- a broken copy of a core scenario: one precise diagnostic per fault ------------


def test_broken_copy_of_last_call_gets_one_diagnostic_per_fault(tmp_path):
    original = library.find("last-call")
    text = original.read_text(encoding="utf-8")
    scenario = load_scenario(original)
    before = {(d.code, d.message) for d in deep_check(scenario)[0]}
    start = scenario.start
    first_ending = next(iter(scenario.endings))
    broken = text + f'''

[[scenes.{start}.choices]]
text = "Wait for a sign."
goto = "limbo"

[[scenes.{start}.choices]]
text = "Ring them at work."
if = "trust > 10"
goto = "{first_ending}"

[scenes.limbo]
text = "You wait. Nothing happens. You wait some more."

[[scenes.limbo.choices]]
text = "Keep waiting."
goto = "limbo"

[endings.lost_in_time]
title = "Lost"
tone = "grim"
text = "Nobody ever writes this ending."
'''
    path = write(tmp_path, broken, "last-call-broken.toml")
    copy = load_scenario(path)
    found = [d for d in deep_check(copy)[0] if (d.code, d.message) not in before]
    assert sorted(codes(found)) == ["SC111", "SC112", "SC114"], [d.format() for d in found]
    n = len(scenario.scenes[start].choices)
    where = {d.code: (d.line, d.column) for d in found}
    positions = locate(broken)
    assert where["SC114"] == positions[("scenes", start, "choices", n, "goto")]
    assert where["SC112"] == positions[("scenes", start, "choices", n + 1, "if")]
    assert where["SC111"] == positions[("endings", "lost_in_time")]
    message = {d.code: d.message for d in found}
    assert f"choice {n + 1} in `{start}`" in message["SC114"]
    assert "`trust > 10`" in message["SC112"]
    assert "lost_in_time" in message["SC111"]
    assert all(d.file == str(path) for d in found)


# --- one story per code --------------------------------------------------------------

END = '''
[endings.done]
title = "Done"
tone = "hopeful"
text = "The end."
'''


def test_clean_story_has_no_findings():
    found, walk, _ = check('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
''' + END)
    assert found == [] and walk.exhaustive and walk.states == 2


def test_sc110_unreachable_scene():
    found, _, text = check('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
[scenes.island]
text = "Nobody comes here."
[[scenes.island.choices]]
text = "Go."
goto = "done"
''' + END)
    assert codes(found) == ["SC110"]
    assert found[0].line == line_of(text, ("scenes", "island"))
    assert "no choice has `goto` this scene" in found[0].hint


def test_sc111_ending_shadowed_by_an_earlier_one():
    found, _, text = check('''
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
tone = "hard"
text = "y"
''')
    assert codes(found) == ["SC111"]
    assert "earlier" in found[0].hint
    assert found[0].line == line_of(text, ("endings", "second"))


def test_sc112_choice_condition_never_holds_given_meter_ranges():
    found, _, text = check('''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
[[scenes.a.choices]]
text = "Hope."
if = "trust >= 6"
goto = "done"
''' + END)
    assert codes(found) == ["SC112"]
    assert found[0].line == line_of(text, ("scenes", "a", "choices", 1, "if"))
    assert "trust is 5..5" in found[0].hint


def test_sc113_dead_end_with_example_path():
    found, _, _ = check('''
[flags]
rude = "You were rude."
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Be rude."
goto = "b"
set = ["rude"]
[[scenes.a.choices]]
text = "Be kind."
goto = "b"
[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Leave politely."
if = "not rude"
goto = "done"
''' + END)
    assert codes(found) == ["SC113"]
    assert found[0].severity == "error"
    assert "scene `b`" in found[0].message and "choices 1" in found[0].message


def test_sc114_loop_with_no_way_out_names_the_choice_into_it():
    found, _, text = check('''
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
''' + END)
    assert codes(found) == ["SC114"]
    assert (found[0].line, found[0].column) == locate(text)[("scenes", "a", "choices", 1, "goto")]


def test_a_scene_you_come_back_to_is_explored_exactly():
    """Visit counts that no condition reads do not multiply states, so a hub ends."""
    found, walk, _ = check('''
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
''' + END)
    assert found == [] and walk.exhaustive
    assert walk.states <= 10


def test_sc115_when_never_holds():
    found, _, text = check('''
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
''')
    assert codes(found) == ["SC115"]
    assert found[0].line == line_of(text, ("endings", "dream", "when"))
    assert "never be reached" in found[0].message


def test_sc116_variant_never_shows_and_shadowed_variant():
    found, _, text = check('''
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
''' + END)
    assert codes(found) == ["SC116", "SC116"]
    assert "earlier variant" in found[0].message
    assert "never holds" in found[1].message


def test_sc117_message_never_shows():
    found, _, _ = check('''
[scenes.a]
text = "A."
messages = [{ from = "Sam", text = "hi", if = "trust < 0" }]
[[scenes.a.choices]]
text = "Go."
goto = "done"
''' + END)
    assert codes(found) == ["SC117"]


def test_sc118_sc119_meters():
    found, _, text = check('''
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
''' + END)
    assert codes(found) == ["SC118", "SC119"]
    assert "courage" in found[0].message
    assert "never goes below 2" in found[1].message and "never goes above 3" in found[1].message


def test_sc120_sc121_flags():
    found, _, _ = check('''
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
''' + END)
    assert sorted(codes(found)) == ["SC112", "SC120", "SC121"]


def test_sc122_scenario_advice_never_used():
    body = '''
[advice.my-own-advice]
title = "Mine"
text = "Something."
sources = ["A1 #4"]
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
''' + END
    found, _, _ = check(body)
    assert codes(found) == ["SC122"]


def test_sc123_sc124_personas():
    catalog = {}
    from game.model import Advice
    catalog["good"] = Advice("good", "Good", "Do good.", ("A1 #1",))
    catalog["trick"] = Advice("trick", "Trick", "A tactic.", ("A1 #2",), manipulative=True)
    text = HEAD + '''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Follow the advice."
goto = "sad"
follows = ["good"]
[[scenes.a.choices]]
text = "Play the trick."
goto = "win"
follows = ["trick"]
ignores = ["good"]
[endings.sad]
title = "Sad"
tone = "grim"
text = "x"
[endings.win]
title = "Win"
tone = "warm"
text = "y"
'''
    scenario = load_text(text, "t.toml", catalog=catalog)
    found, _ = deep_check(scenario, source=text)
    assert codes(found) == ["SC123", "SC124"]
    assert "follows the most advice" in found[0].message and "choices 1" in found[0].message
    assert "manipulative" in found[1].message and "choices 2" in found[1].message


def test_sc130_sc131_expected_playthroughs():
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
''' + END + '''
[[expected]]
name = "good"
choices = [2, "Go on."]
ending = "done"
[[expected]]
name = "too far"
choices = [3]
ending = "done"
[[expected]]
name = "typo"
choices = [2, "Go onn."]
ending = "done"
[[expected]]
name = "short"
choices = [2]
ending = "done"
[[expected]]
name = "too long"
choices = [1, 1]
ending = "done"
'''
    found, _, text = check(body)
    assert codes(found) == ["SC131", "SC131", "SC130", "SC131"]
    assert found[0].line == line_of(text, ("expected", 1, "choices"))
    assert "options 1 to 2 are open" in found[0].message
    assert "did you mean `Go on.`?" in found[1].hint
    assert "stops in scene `b`" in found[2].message
    assert "already ended" in found[3].message


def test_sc130_wrong_ending():
    body = '''
[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Go."
goto = "done"
[[scenes.a.choices]]
text = "Other."
goto = "other"
[endings.other]
title = "Other"
tone = "hard"
text = "z"
''' + END + '''
[[expected]]
name = "wrong"
choices = ["Other."]
ending = "done"
'''
    found, _, text = check(body)
    assert codes(found) == ["SC130"]
    assert found[0].line == line_of(text, ("expected", 0, "ending"))


def test_sc190_falls_back_to_sampling_and_says_so():
    body = '''
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
    found, walk, _ = check(body, cap=5)
    assert not walk.exhaustive and walk.samples > 0
    assert "SC190" in codes(found)
    note = found[codes(found).index("SC190")]
    assert note.severity == "info" and "sampling" in note.message
    found, walk, _ = check(body)
    assert walk.exhaustive and found == []


# --- exploration agrees with play ------------------------------------------------------


def test_exploration_reaches_what_play_reaches():
    scenario = tiny()
    walk = explore(scenario)
    assert walk.places == {"door", "hall", "warm", "left"}
    assert walk.exhaustive and not walk.stuck
    for place, state_id in walk.first_state.items():
        play = Playthrough.begin(scenario)
        for number in walk.example(state_id):
            play = play.choose_number(number)
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


# --- the command line --------------------------------------------------------------------


def test_validate_runs_deep_checks_and_no_deep_skips_them(tmp_path, capsys):
    path = write(tmp_path, MINIMAL.replace('when = "trust >= 6"', 'when = "trust >= 9"'))
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "SC115" in out and "1 warning" in out
    assert main(["validate", str(path), "--strict"]) == 1
    capsys.readouterr()
    assert main(["validate", str(path), "--no-deep"]) == 0
    assert "0 warnings" in capsys.readouterr().out


def test_validate_json_carries_deep_codes(tmp_path, capsys):
    path = write(tmp_path, MINIMAL + '\n[[expected]]\nname = "n"\nchoices = [1, 1]\nending = "left"\n')
    assert main(["validate", str(path), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == 1
    assert data["files"][0]["diagnostics"][0]["code"] == "SC130"


def test_validate_does_not_count_notes(tmp_path, capsys, monkeypatch):
    from game.analysis import checks

    monkeypatch.setattr(checks, "STATE_CAP", 2)
    path = write(tmp_path, MINIMAL)
    assert main(["validate", str(path), "--strict"]) == 0
    out = capsys.readouterr().out
    assert "SC190 info:" in out and "0 errors, 0 warnings" in out


# --- the state projection loses nothing: compared with a naive walk on State.key() ---------


def _naive(scenario, limit=3_000):
    from game.engine import apply_choice, options

    start = initial_state(scenario)
    seen = {start.key()}
    frontier = [start]
    places, open_choices, stuck = {start.at}, set(), set()
    while frontier:
        state = frontier.pop()
        if state.at in scenario.endings:
            continue
        shown = [o for o in options(scenario, state) if o.available]
        if not shown:
            stuck.add(state.at)
        for option in shown:
            open_choices.add((state.at, option.choice.index))
            nxt = apply_choice(scenario, state, option.choice)
            if nxt.key() not in seen:
                if len(seen) >= limit:
                    return None
                seen.add(nxt.key())
                places.add(nxt.at)
                frontier.append(nxt)
    return places, open_choices, stuck


def _random_story(rng) -> str:
    scenes = [f"s{i}" for i in range(rng.randint(2, 5))]
    conditions = ["trust >= 6", "self_esteem <= 4", "met", "not met", "visits.s0 >= 2", "visits.s1 == 1",
                  "trust > self_esteem", "met and trust >= 5", "visits.s0 > visits.s1"]
    out = [HEAD.replace('start = "a"', 'start = "s0"'), '[flags]\nmet = "Met."\n']
    for scene in scenes:
        out.append(f'[scenes.{scene}]\ntext = "x"\n')
        for k in range(rng.randint(1, 3)):
            target = rng.choice([*scenes, "done", "@ending"])
            out.append(f'[[scenes.{scene}.choices]]\ntext = "c{k}"\ngoto = "{target}"\n')
            out.append(f'effects = {{ {rng.choice(["trust", "self_esteem"])} = {rng.choice([-2, -1, 1, 2])} }}\n')
            if rng.random() < 0.5:
                out.append(f'if = "{rng.choice(conditions)}"\n')
            if rng.random() < 0.3:
                out.append('once = true\n')
            if rng.random() < 0.3:
                out.append(f'{rng.choice(["set", "clear"])} = ["met"]\n')
    out.append('[endings.high]\ntitle = "H"\ntone = "warm"\nwhen = "trust >= 7"\ntext = "x"\n')
    out.append(END)
    return "".join(out)


def test_projected_exploration_matches_a_naive_walk_on_random_stories():
    import random

    rng = random.Random(5)
    compared = 0
    for _ in range(100):
        scenario = load_text(_random_story(rng), "r.toml", catalog={})
        naive = _naive(scenario)
        if naive is None:
            continue  # visits make the naive walk endless; the projection is what makes those finite
        walk = explore(scenario)
        assert walk.exhaustive
        assert (walk.places, walk.open_choices, set(walk.stuck)) == naive
        compared += 1
    assert compared >= 40, compared
