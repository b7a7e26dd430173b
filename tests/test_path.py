"""`second-chance path`: the shortest play to an ending or scene, why none reaches it, and bad arguments."""

from __future__ import annotations

import re

import pytest

from game.cli import main
from tests.helpers import MINIMAL, write

DETOUR = '''\
[scenario]
id = "detour"
title = "Detour"
summary = "Two ways to the same place."
start = "a"

[flags]
early = "You came early."

[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "The scenic route."
goto = "b"
[[scenes.a.choices]]
text = "Never open."
if = "trust > 10"
goto = "sealed"
[[scenes.a.choices]]
text = "Straight there."
goto = "c"
set = ["early"]

[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "On a bit."
goto = "c"

[scenes.c]
text = "C."
[[scenes.c.choices]]
text = "Only if you came early."
if = "early"
unavailable = "strike"
reason = "Too late."
goto = "bright"
[[scenes.c.choices]]
text = "Home."
goto = "@ending"

[endings.home]
title = "Home"
tone = "bittersweet"
text = "w"
[endings.bright]
title = "Bright"
tone = "hopeful"
outcome = "apart"
text = "x"
[endings.sealed]
title = "Sealed"
tone = "warm"
text = "y"
[endings.nowhere]
title = "Nowhere"
tone = "bittersweet"
text = "z"
'''


def run(tmp_path, capsys, *argv, text=DETOUR):
    path = write(tmp_path, text, "detour.toml")
    code = main(["path", str(path), *argv])
    out, err = capsys.readouterr()
    return code, out, err, path


def test_the_shortest_play_with_numbers_as_typed_and_each_choices_text(tmp_path, capsys):
    code, out, err, _ = run(tmp_path, capsys, "--to", "bright")
    assert code == 0 and err == ""
    assert "The shortest play to ending `bright` (hopeful, apart) in detour: 2 choices." in out
    assert "1. in `a` type 2: “Straight there.”" in out, "the 3rd choice in the file is the 2nd open one"
    assert "2. in `c` type 1: “Only if you came early.”" in out
    assert "The scenic route" not in out


def test_the_expected_block_pastes_into_the_file_and_validates(tmp_path, capsys):
    code, out, _, path = run(tmp_path, capsys, "--to", "bright")
    block = out[out.index("[[expected]]"):]
    assert block.splitlines() == ["[[expected]]", 'name = "shortest play to bright"', "choices = [",
                                  "  2,  # Straight there.", "  1,  # Only if you came early.", "]",
                                  'ending = "bright"']
    path.write_text(DETOUR + "\n" + block, encoding="utf-8")
    assert main(["validate", str(path), "--format", "json"]) in (0, 1)
    report = capsys.readouterr().out
    assert "SC130" not in report and "SC131" not in report
    path.write_text(DETOUR.replace('set = ["early"]', "") + "\n" + block, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert "SC130" in capsys.readouterr().out, "the pasted play is checked on every validate"


def test_a_scene_target_prints_the_play_without_a_block(tmp_path, capsys):
    code, out, _, _ = run(tmp_path, capsys, "--to", "c")
    assert code == 0 and "to scene `c` in detour: 1 choice." in out
    assert "1. in `a` type 2: “Straight there.”" in out
    assert "[[expected]]" not in out.replace("An `[[expected]]` play", "")
    code, out, _, _ = run(tmp_path, capsys, "--to", "a")
    assert code == 0 and "starts in scene `a`: no choice is needed" in out


@pytest.mark.parametrize("target, reason", [
    ("sealed", "the choices that lead here are never open when their scene is reached: the 2nd choice in `a`"),
    ("nowhere", "one listed earlier always fits first"),
])
def test_unreachable_says_why_and_exits_1(tmp_path, capsys, target, reason):
    code, out, err, _ = run(tmp_path, capsys, "--to", target)
    assert code == 1 and out == ""
    assert f"`{target}`" in err and "is never reached by any play" in err and reason in err


def test_an_ending_whose_when_never_holds_is_said_so_not_that_no_choice_leads_there(tmp_path, capsys):
    """Only `goto = "@ending"` leads to it, and its `when` never holds there: that is the reason given."""
    dream = '[endings.dream]\ntitle = "Dream"\ntone = "warm"\nwhen = "trust > 10"\ntext = "v"\n'
    text = DETOUR.replace("[endings.home]", dream + "[endings.home]")
    code, out, err, _ = run(tmp_path, capsys, "--to", "dream", text=text)
    assert code == 1 and out == ""
    assert "ending `dream` (warm, open) is never reached by any play: its `when` (`trust > 10`) never " \
        "holds when the story picks an ending" in err
    assert "no choice leads here" not in err


def test_no_choice_leads_there(tmp_path, capsys):
    text = DETOUR.replace('goto = "@ending"', 'goto = "home"')
    code, _, err, _ = run(tmp_path, capsys, "--to", "nowhere", text=text)
    assert code == 1 and "no choice leads here" in err
    code, _, err, _ = run(tmp_path, capsys, "--to", "sealed", text=text)
    assert code == 1 and "one listed earlier" not in err, "without `@ending`, only the direct way counts"


@pytest.mark.parametrize("argv, words", [
    (["--to", "brigth"], "did you mean `bright`?"),
    (["--to", "zzz"], "its endings are home, bright, sealed, nowhere"),
    (["--to", "bright", "--budget", "0"], "--budget must be"),
    (["--to", "bright", "--max-states", "0"], "--max-states must be"),
])
def test_bad_arguments_exit_2(tmp_path, capsys, argv, words):
    code, out, err, _ = run(tmp_path, capsys, *argv)
    assert code == 2 and out == "" and words in err


def test_unknown_scenario_and_missing_target_exit_2(capsys):
    assert main(["path", "no-such-story", "--to", "x"]) == 2
    assert "no scenario called" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["path", "happy-birthday"])
    assert stop.value.code == 2


CLIMB = MINIMAL.replace('''[scenes.door]
text = "A door."
''', '''[meters.trust]
start = 0

[scenes.door]
text = "A door."

[[scenes.door.choices]]
text = "Up."
goto = "door"
effects = { trust = 1 }

[[scenes.door.choices]]
text = "Down."
goto = "door"
effects = { trust = -1 }

[[scenes.door.choices]]
text = "Summit."
goto = "top"
if = "trust >= 10"
''') + '''
[endings.top]
title = "Top"
tone = "hopeful"
text = "v"
'''


def test_not_found_within_the_budget_is_not_called_unreachable(tmp_path, capsys):
    code, out, err, _ = run(tmp_path, capsys, "--to", "top", "--max-states", "3", text=CLIMB)
    assert code == 1 and out == ""
    assert "was not reached" in err and "may still be reachable" in err and "--budget" in err
    code, out, _, _ = run(tmp_path, capsys, "--to", "top", text=CLIMB)
    assert code == 0 and re.search(r"in tiny: 11 choices\.", out)
