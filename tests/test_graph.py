"""The branching map: Mermaid and DOT text, tone colours, conditional labels, escaping."""

from __future__ import annotations

import pytest

from game import library
from game.cli import main
from game.graph import TONE_COLOURS, dot, mermaid, render
from game.loader import load_scenario, load_text
from tests.helpers import MINIMAL, tiny, write


def test_mermaid_golden(snapshot):
    snapshot.assert_match(mermaid(tiny()), "tiny.mmd")


def test_dot_golden(snapshot):
    snapshot.assert_match(dot(tiny()), "tiny.dot")


def test_mermaid_marks_endings_by_tone_and_labels_conditions():
    text = MINIMAL.replace('text = "Wait."\ngoto = "@ending"', 'text = "Wait."\ngoto = "@ending"\nif = "knocked"')
    out = mermaid(load_text(text, "t.toml", catalog={}))
    assert "e_warm([\"Warm (warm)\"]):::warm" in out
    assert "e_left([\"Left (hopeful)\"]):::hopeful" in out
    assert "s_hall -.->|\"1. Wait. [if knocked]\"| pick_ending" in out
    assert "pick_ending -->|\"when trust #gt;= 6\"| e_warm" in out
    assert "pick_ending -->|\"otherwise\"| e_left" in out
    for tone, (fill, _) in TONE_COLOURS.items():
        assert f"classDef {tone} fill:{fill}" in out


def test_labels_are_escaped():
    text = MINIMAL.replace('text = "Knock."', 'text = "Say \\"hi\\" | <b>loud</b> & \\\\ clear"')
    scenario = load_text(text, "t.toml", catalog={})
    m = mermaid(scenario)
    assert "#quot;hi#quot; #124; #lt;b#gt;loud" in m and "<b>" not in m
    d = dot(scenario)
    assert 'Say \\"hi\\" | <b>loud</b> & \\\\ clear' in d


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
def test_every_scene_and_choice_is_drawn(path):
    scenario = load_scenario(path)
    m, d = mermaid(scenario), dot(scenario)
    for scene in scenario.scenes.values():
        assert f"s_{scene.id}[" in m and f'"{scene.id}" [label=' in d
    edges = sum(1 for line in m.splitlines() if line.lstrip().startswith("s_") and ("-->" in line or "-.->" in line))
    assert edges == scenario.choice_count()


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
