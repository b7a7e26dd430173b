"""Simulation: hand-counted odds, reproducibility, agreement with the engine, personas, the command."""

from __future__ import annotations

import itertools
import json

import pytest

from game import library
from game.analysis.budget import Budget
from game.analysis.simulate import Simulator, simulate, simulated_path
from game.cli import main
from game.engine import Playthrough
from game.loader import load_scenario, load_text
from game.model import Advice
from tests.helpers import chain, crafted, hostile, tiny, write

ODDS = '''\
[scenario]
id = "odds"
title = "Odds"
summary = "Half, quarter, quarter."
start = "a"

[scenes.a]
text = "A."
[[scenes.a.choices]]
text = "Left."
goto = "half"
effects = { trust = 2 }
[[scenes.a.choices]]
text = "Right."
goto = "b"

[scenes.b]
text = "B."
[[scenes.b.choices]]
text = "Up."
goto = "quarter_up"
ignores = ["listen"]
[[scenes.b.choices]]
text = "Down."
goto = "quarter_down"

[endings.half]
title = "Half"
tone = "warm"
text = "x"
[endings.quarter_up]
title = "Up"
tone = "hard"
text = "y"
[endings.quarter_down]
title = "Down"
tone = "hopeful"
text = "z"
'''

CATALOG = {"listen": Advice("listen", "Listen", "Listen first.", ("A1 #1",))}


def odds():
    return load_text(ODDS, "odds.toml", catalog=CATALOG)


def test_frequencies_match_hand_counted_odds():
    """A random player reaches `half` with p = 1/2 and each quarter ending with p = 1/4.

    With 10,000 plays the standard error of a share is at most sqrt(0.25/10000) =
    0.005, so a tolerance of 0.02 is four standard errors: a correct simulator
    fails this less than once in 10,000 seeds, and a biased one (say 0.55 or
    0.3) cannot pass. The seed is fixed, so the test is also deterministic.
    """
    report = simulate(odds(), runs=10_000, seed=1)
    share = {e: report.endings[e] / report.runs for e in ("half", "quarter_up", "quarter_down")}
    assert share["half"] == pytest.approx(0.5, abs=0.02)
    assert share["quarter_up"] == pytest.approx(0.25, abs=0.02)
    assert share["quarter_down"] == pytest.approx(0.25, abs=0.02)
    assert sum(report.endings.values()) == 10_000
    # the meter moves only on the `half` branch: mean final trust is 5 + 2 * 1/2 = 6
    assert report.spread("trust")["mean"] == pytest.approx(6.0, abs=0.05)
    # `listen` is ignored exactly when `quarter_up` is reached
    assert report.ignored["listen"] == report.endings["quarter_up"]
    assert report.ignored_runs["listen"] == report.endings["quarter_up"]


def test_same_seed_same_report_other_seed_differs():
    first = simulate(odds(), runs=500, seed=7).to_json()
    again = simulate(odds(), runs=500, seed=7).to_json()
    other = simulate(odds(), runs=500, seed=8).to_json()
    assert first == again
    assert first != other


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
@pytest.mark.parametrize("persona", ["random", "follower", "manipulator"])
def test_simulated_plays_equal_engine_replays(path, persona):
    scenario = load_scenario(path)
    for seed in range(60):
        where, meters, steps = simulated_path(scenario, seed, persona)
        play = Playthrough.replay(scenario, steps)
        assert play.state.at == where
        assert dict(play.state.meters) == meters


def test_coverage_lists_what_was_never_hit():
    scenario = tiny()
    report = simulate(scenario, runs=1, seed=3)
    assert len(report.never_taken()) >= 1
    data = report.to_json()
    assert 0 < data["choice_coverage"] < 1
    assert set(data["endings"]) == {"warm", "left"}
    full = simulate(scenario, runs=200, seed=3)
    assert full.never_taken() == [] and full.never_visited() == []


def test_report_text_names_endings_coverage_meters_and_advice():
    text = simulate(odds(), runs=1000, seed=1).format()
    for part in ("1,000 plays, seed 1", "half", "quarter_up", "Scenes visited: 2 of 2", "Choices taken: 4 of 4",
                 "trust", "listen: ignored in"):
        assert part in text


def test_choices_never_taken_are_named_as_in_the_file():
    text = simulate(odds(), runs=1, seed=1).format()
    assert "never taken: the 2nd choice in `" in text and "#" not in text


@pytest.mark.parametrize("form", ["text", "json"])
def test_two_reports_from_one_seed_are_byte_identical_and_the_time_goes_to_stderr(tmp_path, capsys, form):
    path = write(tmp_path, ODDS.replace('ignores = ["listen"]', ""))
    outputs = []
    for _ in range(2):
        assert main(["simulate", str(path), "--runs", "3000", "--seed", "4", "--format", form]) == 0
        out, err = capsys.readouterr()
        outputs.append(out)
        assert "3,000 plays in" in err
    assert outputs[0] == outputs[1] and outputs[0]
    assert "seconds" not in outputs[0] and " s)" not in outputs[0]


LOOP_OF_IGNORING = '''
[scenes.c{i}]
text = "C."
[[scenes.c{i}.choices]]
text = "Again."
goto = "{target}"
ignores = ["other"]
'''


def test_advice_most_often_ignored_is_sorted_by_share_of_plays():
    """`other` is ignored more times (four in each of a quarter of the plays), `listen` in more plays (half)."""
    text = ODDS.replace('text = "Left."\ngoto = "half"', 'text = "Left."\ngoto = "half"\nignores = ["listen"]')
    text = text.replace('goto = "quarter_up"\nignores = ["listen"]', 'goto = "c1"')
    text += "".join(LOOP_OF_IGNORING.format(i=i, target=f"c{i + 1}" if i < 4 else "quarter_up") for i in range(1, 5))
    advice = {**CATALOG, "other": Advice("other", "Other", "x", ("A1 #2",))}
    report = simulate(load_text(text, "s.toml", catalog=advice), runs=4000, seed=1)
    assert report.ignored["other"] > report.ignored["listen"]
    assert report.ignored_runs["other"] < report.ignored_runs["listen"]
    assert [a for a, _, _ in report.most_ignored()] == ["listen", "other"]
    assert [a["advice"] for a in report.to_json()["advice_ignored"]] == ["listen", "other"]
    lines = report.format().splitlines()
    listed = [line.split(":")[0].strip() for line in lines[lines.index("Advice most often ignored (share of plays):"):]]
    assert listed[1:3] == ["listen", "other"]


class FakeClock:
    """A clock one second further on each time it is read: budgets end by count, not machine speed."""

    def __init__(self) -> None:
        self.ticks = itertools.count()

    def __call__(self) -> float:
        return float(next(self.ticks))


def test_the_crafted_slow_file_finishes_simulate_within_the_default_budget(tmp_path, capsys, monkeypatch):
    """400 self-looping choices with long conditions: one play could take minutes. The default budget ends
    the batch and the report says it is partial (the fake clock makes this the same on any machine)."""
    path = write(tmp_path, hostile(), "hostile.toml")
    monkeypatch.setattr("game.analysis.budget.CLOCK", FakeClock())
    assert main(["simulate", str(path), "--runs", "50", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"] == 50 and data["plays"] < 50
    assert data["partial"] == {"stopped": "time", "why": "the 5 s time limit"}
    report = simulate(crafted(), runs=50, budget=Budget(clock=FakeClock()))
    assert report.stopped == "time" and "results are partial" in report.format()


def test_a_raised_budget_is_honoured_and_a_stopped_report_counts_only_finished_plays():
    short = simulate(odds(), runs=200_000, seed=1, budget=Budget(seconds=3, clock=FakeClock()))
    longer = simulate(odds(), runs=200_000, seed=1, budget=Budget(seconds=6, clock=FakeClock()))
    assert short.stopped == longer.stopped == "time"
    assert 0 < short.plays < longer.plays < 200_000
    assert sum(short.endings.values()) == short.plays == len(short.steps)
    assert short.to_json()["partial"]["why"] == "the 3 s time limit"
    assert f"Stopped after {short.plays:,} of 200,000 plays" in short.format()
    by_work = [simulate(odds(), runs=200_000, seed=1, budget=Budget(work=5_000)).plays for _ in range(2)]
    assert by_work[0] == by_work[1] < 200_000, "a work limit stops at the same play every time"


def test_dead_ends_and_endless_loops_are_counted_not_hung():
    text = ODDS.replace('goto = "quarter_down"', 'goto = "b"\nonce = true')
    text = text.replace('text = "Up."\ngoto = "quarter_up"', 'text = "Up."\ngoto = "quarter_up"\nif = "trust > 5"')
    report = simulate(load_text(text, "s.toml", catalog=CATALOG), runs=100, seed=2)
    assert report.stuck["b"] == report.runs - report.endings["half"]
    loop = ODDS.replace('goto = "quarter_up"', 'goto = "b"').replace('goto = "quarter_down"', 'goto = "b"')
    report = simulate(load_text(loop, "l.toml", catalog=CATALOG), runs=50, seed=2)
    assert report.circling == report.runs - report.endings["half"]
    assert "going round in circles" in report.format()


def test_personas_lean_as_named():
    advice = {"good": Advice("good", "Good", "x", ("A1 #1",)),
              "trick": Advice("trick", "Trick", "y", ("A1 #2",), manipulative=True)}
    text = ODDS.replace('text = "Left."\ngoto = "half"', 'text = "Left."\ngoto = "half"\nfollows = ["good"]')
    text = text.replace('text = "Right."\ngoto = "b"', 'text = "Right."\ngoto = "b"\nfollows = ["trick"]')
    scenario = load_text(text.replace('ignores = ["listen"]', 'ignores = ["good"]'), "p.toml", catalog=advice)
    assert simulate(scenario, 200, 1, "follower").endings["half"] == 200
    manipulator = simulate(scenario, 200, 1, "manipulator")
    assert manipulator.endings["quarter_up"] == 200  # the tactic, then the choice that ignores advice
    assert "a leaning, not a proof" in manipulator.format()
    assert "a leaning, not a proof" not in simulate(scenario, 20, 1).format()
    ignorer = simulate(scenario, 200, 1, "ignorer")
    assert ignorer.endings["half"] == 0
    with pytest.raises(ValueError):
        Simulator(scenario, "saint")


def test_cli_simulate_text_and_json(tmp_path, capsys):
    path = write(tmp_path, ODDS.replace('ignores = ["listen"]', 'ignores = ["dont-chase"]'))
    assert main(["simulate", str(path), "--runs", "2000", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "2,000 plays, seed 1" in out and "dont-chase" in out
    assert main(["simulate", str(path), "--runs", "2000", "--seed", "1", "--format", "json",
                 "--persona", "random"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"] == 2000 and data["endings"]["half"]["count"] > 0
    assert data["advice_ignored"][0]["advice"] == "dont-chase"


@pytest.mark.parametrize("argv, code, words", [
    (["simulate", "no-such-story"], 2, "no scenario called"),
    (["simulate", "happy-birthday", "--runs", "0"], 2, "--runs must be"),
    (["simulate", "happy-birthday", "--budget", "0"], 2, "--budget must be"),
])
def test_cli_simulate_bad_input_no_traceback(argv, code, words, capsys):
    assert main(argv) == code
    assert words in capsys.readouterr().err


def test_cli_simulate_broken_file(tmp_path, capsys):
    path = write(tmp_path, ODDS.replace('goto = "half"', 'goto = "halff"'))
    assert main(["simulate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "SC030" in err and "has errors" in err


def test_a_story_longer_than_the_step_limit_is_played_to_its_end_not_called_circling():
    """1,200 scenes in a line: a play takes 1,200 steps, more than the old cut of 1,000, and has no loop."""
    head = '[scenario]\nid = "c"\ntitle = "C"\nsummary = "A long walk."\nstart = "a"\n'
    end = '[endings.done]\ntitle = "Done"\ntone = "hopeful"\ntext = "The end."\n'
    report = simulate(load_text(head + chain(1_200) + end, "c.toml", catalog=CATALOG), runs=3, seed=1)
    assert report.endings["done"] == 3 and report.circling == 0
    assert "circles" not in report.format()
