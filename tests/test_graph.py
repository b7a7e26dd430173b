"""The branching map: Mermaid and DOT text, tone colours, short labels where choices meet, escaping."""

from __future__ import annotations

import re

import attrs
import pytest

from game import library
from game.cli import main
from game.graph import TONE_COLOURS, dot, mermaid, render
from game.loader import load_scenario, load_text
from tests.helpers import MINIMAL, tiny, write

CROWDED = MINIMAL.replace('''[[scenes.door.choices]]
text = "Leave."''', '''[[scenes.door.choices]]
text = "Knock again, louder."
goto = "hall"
if = "knocked"

[[scenes.door.choices]]
text = "Ring the bell."
goto = "hall"

[[scenes.door.choices]]
text = "Leave."''')


def test_mermaid_golden(snapshot):
    snapshot.assert_match(mermaid(tiny()), "tiny.mmd")


def test_dot_golden(snapshot):
    snapshot.assert_match(dot(tiny()), "tiny.dot")


def test_mermaid_marks_endings_by_tone_and_conditions_and_lists_choices_in_the_scene():
    text = MINIMAL.replace('text = "Wait."\ngoto = "@ending"', 'text = "Wait."\ngoto = "@ending"\nif = "knocked"')
    out = mermaid(load_text(text, "t.toml", catalog={}))
    assert 'e_warm(["Warm (warm)"]):::warm' in out
    assert 'e_left(["Left (hopeful)"]):::hopeful' in out
    assert 's_hall["hall<br/>1. Wait. (if knocked)"]' in out
    assert 's_hall -.->|"1"| pick_ending' in out
    assert 'pick_ending -->|"when trust #gt;= 6"| e_warm' in out
    assert 'pick_ending -->|"otherwise"| e_left' in out
    for tone, (fill, _) in TONE_COLOURS.items():
        assert f"classDef {tone} fill:{fill}" in out


def test_where_many_choices_meet_one_arrow_carries_their_numbers():
    scenario = load_text(CROWDED, "t.toml", catalog={})
    m, d = mermaid(scenario), dot(scenario)
    assert 's_door -->|"1, 3"| s_hall' in m and 's_door -.->|"2"| s_hall' in m and 's_door -->|"4"| e_left' in m
    assert "2. Knock again, louder. (if knocked)" in m
    assert '"door" -> "hall" [label="1, 3", tooltip="1. Knock. / 3. Ring the bell."];' in d
    assert '"door" -> "hall" [label="2", tooltip="2. Knock again, louder. (if knocked)", style=dashed];' in d
    edge_labels = re.findall(r's_\w+ -(?:->|\.->)\|"([^"]*)"\|', m)
    assert edge_labels and all(re.fullmatch(r"\d+(, \d+)*", label) for label in edge_labels)


NASTY = 'Say "hi" | <b>loud</b> & [x] {y} `z` #quot; 100% \\n \\\\ end'


def _nasty_scenario():
    scenario = load_text(MINIMAL, "t.toml", catalog={})
    door = scenario.scenes["door"]
    knock = attrs.evolve(door.choices[0], text=NASTY + "\x07bell\nnew line\u202etwist\ttab")
    door = attrs.evolve(door, title=NASTY + "\x07\n\u202e", choices=(knock, *door.choices[1:]))
    scenes = {**scenario.scenes, "door": door}
    endings = {**scenario.endings, "warm": attrs.evolve(scenario.endings["warm"], title='Warm"]):::x\n%% y')}
    return attrs.evolve(scenario, scenes=scenes, endings=endings)


def test_nothing_a_scenario_writes_can_break_out_of_a_mermaid_label():
    out = mermaid(_nasty_scenario())
    for line in out.splitlines()[1:]:
        line = line.strip()
        assert "\x07" not in line and "\u202e" not in line and "\t" not in line
        # every quoted label holds no quote, pipe, bracket, brace, backtick or raw entity start
        for label in re.findall(r'"([^"]*)"', line):
            assert not set(label.replace("<br/>", "")) & set('|[]{}`<>&')
        shape = (r'(s_\w+\["[^"]*"\]|e_\w+\(\["[^"]*"\]\):::\w+|pick_ending\{"@ending"\}|start\(\(start\)\) --> s_\w+'
                 r'|(s_\w+|pick_ending) -(->|\.->)\|"[^"]*"\| (s_\w+|e_\w+|pick_ending)|classDef \w+ [\w:#,]+)')
        assert re.fullmatch(shape, line), line
    assert ("Say #quot;hi#quot; #124; #lt;b#gt;loud#lt;/b#gt; #amp; #91;x#93; #123;y#125; #96;z#96; #35;quot; 100% "
            "\\n \\\\ end (door)") in out
    assert "Warm#quot;#93;):::x %% y" in out


def test_nothing_a_scenario_writes_can_break_out_of_a_dot_label():
    out = dot(_nasty_scenario())
    string = r'"(?:[^"\\]|\\.)*"'
    for line in out.splitlines():
        assert "\x07" not in line and "\u202e" not in line and "\t" not in line
        stripped = re.sub(string, "S", line.strip())
        assert '"' not in stripped and "\\" not in stripped, line
        shape = r"(digraph S \{|rankdir=TB;|node \[.*\];|edge \[.*\];|S \[[^\[\]]*\];|S -> S( \[[^\[\]]*\])?;|\})"
        assert re.fullmatch(shape, stripped), line
    assert 'Say \\"hi\\" | <b>loud</b> & [x] {y} `z` #quot; 100% \\\\n \\\\\\\\ end\\n(door)' in out


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
def test_every_scene_and_choice_is_drawn(path):
    scenario = load_scenario(path)
    m, d = mermaid(scenario), dot(scenario)
    for scene in scenario.scenes.values():
        box = next(line for line in m.splitlines() if line.strip().startswith(f"s_{scene.id}["))
        assert box.count("<br/>") == len(scene.choices)
        assert f'"{scene.id}" [label=' in d
        for choice in scene.choices:
            assert f"<br/>{choice.index + 1}. " in box
    drawn = {(src, tgt) for src, tgt in re.findall(r"(s_\w+) -\.?->\|\"[^\"]*\"\| (\w+)", m)}
    wanted = {(f"s_{s.id}", "pick_ending" if c.goto == "@ending" else ("e_" if c.goto in scenario.endings
                                                                        else "s_") + c.goto)
              for s in scenario.scenes.values() for c in s.choices}
    assert drawn == wanted
    numbers = sorted(int(n) for label in re.findall(r"s_\w+ -\.?->\|\"([^\"]*)\"\| ", m) for n in label.split(", "))
    assert len(numbers) == scenario.choice_count()


def test_render_rejects_unknown_format():
    with pytest.raises(ValueError):
        render(tiny(), "svg")


def test_cli_graph(tmp_path, capsys):
    path = write(tmp_path, MINIMAL)
    assert main(["graph", str(path)]) == 0
    assert capsys.readouterr().out.startswith("flowchart TD")
    assert main(["graph", str(path), "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith('digraph "tiny"')
    assert main(["graph", "nowhere"]) == 2
    assert "no scenario called" in capsys.readouterr().err
