"""The Session: every rule about one play that a front end relies on, tested with no screen at all."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from game.engine import EngineError, Playthrough
from game.loader import load_text
from game.progress import Progress
from game.saves import SaveSlots
from game.session import Change, Kind, Session
from tests.helpers import MINIMAL, tiny


@pytest.fixture
def home(tmp_path: Path) -> tuple[SaveSlots, Progress]:
    return SaveSlots(tmp_path / "saves"), Progress(tmp_path / "progress.json")


def watch(session: Session) -> list[Change]:
    seen: list[Change] = []
    session.observe(seen.append)
    return seen


def test_a_fresh_play_owns_no_save_until_its_first_choice(home) -> None:
    slots, progress = home
    session = Session.begin(tiny(), slots, progress)
    session.leave()
    assert not slots.has("tiny")
    session.choose_number(1)
    assert slots.has("tiny")
    assert json.loads(slots.path_for("tiny").read_text())["owner"] == session.token


def test_start_over_then_leave_at_once_keeps_the_old_save(home) -> None:
    slots, progress = home
    old = Session.begin(tiny(), slots, progress)
    old.choose_number(1)
    fresh = Session.begin(tiny(), slots, progress)  # "Start over" on the notes screen
    fresh.leave()
    resumed, problem = Session.resume(tiny(), slots, progress)
    assert problem is None and resumed is not None and resumed.play.path == (("door", 0),)


def test_undo_to_the_start_removes_the_save_it_owns(home) -> None:
    slots, progress = home
    session = Session.begin(tiny(), slots, progress)
    session.choose_number(1)
    session.undo()
    assert not session.play.steps and not slots.has("tiny")


def test_resumed_play_owns_its_save_and_an_ending_clears_it(home) -> None:
    slots, progress = home
    Session.begin(tiny(), slots, progress).choose_number(1)
    resumed, _ = Session.resume(tiny(), slots, progress)
    assert resumed is not None
    seen = watch(resumed)
    resumed.choose_number(1)
    assert [c.kind for c in seen] == [Kind.ENDED]
    assert resumed.ending is not None and resumed.ending.id == "warm"
    assert not slots.has("tiny")
    assert progress.found("tiny") == {"warm"} and resumed.found == {"warm"}


def test_finishing_never_deletes_a_save_another_window_wrote(home) -> None:
    slots, progress = home
    first = Session.begin(tiny(), slots, progress)
    first.choose_number(1)
    second = Session.begin(tiny(), slots, Progress(progress.path))
    second.choose_number(1)  # the other window's save, written after the first's
    first.choose_number(1)  # the first window reaches an ending
    assert slots.count("tiny") == 1 and Session.resume(tiny(), slots)[0].play == second.play
    second.choose_number(1)
    assert not slots.has("tiny")


def test_two_windows_keep_each_others_endings(home) -> None:
    slots, _ = home
    path = slots.folder.parent / "progress.json"
    a = Session.begin(tiny(), slots, Progress.load(path)[0])
    b = Session.begin(tiny(), slots, Progress.load(path)[0])  # both read the record at start
    a.choose_number(1)
    a.choose_number(1)
    b.choose_number(2)
    assert Progress.load(path)[0].found("tiny") == {"warm", "left"}


def test_observers_hear_every_change_and_can_stop(home) -> None:
    slots, progress = home
    session = Session.begin(tiny(), slots, progress)
    seen = watch(session)
    other: list[Change] = []
    stop = session.observe(other.append)
    session.choose_number(1)
    stop()
    session.undo()
    session.rewind(0)
    session.restart()
    assert [c.kind for c in seen] == [Kind.MOVED, Kind.MOVED, Kind.MOVED, Kind.MOVED]
    assert len(other) == 1 and other[0].session is session


def test_moves_that_cannot_happen_raise_and_change_nothing(home) -> None:
    slots, progress = home
    session = Session.begin(tiny(), slots, progress)
    seen = watch(session)
    with pytest.raises(EngineError):
        session.choose_number(7)
    with pytest.raises(EngineError):
        session.undo()
    with pytest.raises(EngineError):
        session.rewind(3)
    assert seen == [] and not slots.has("tiny")


def test_branches_are_kept_side_by_side(home) -> None:
    slots, progress = home
    session = Session.begin(tiny(), slots, progress)
    session.choose_number(1)
    session.choose_number(1)
    assert session.ending is not None and session.ending.id == "warm"
    name = session.fork(0)
    assert name == "Branch 2" and session.branch == name and not session.play.steps
    session.choose_number(2)
    assert session.ending is not None and session.ending.id == "left"
    endings = {n: p.ending.id for n, p in session.branches.items() if p.ending}
    assert endings == {Session.MAIN: "warm", "Branch 2": "left"}
    session.switch(Session.MAIN)
    assert session.ending is not None and session.ending.id == "warm"
    with pytest.raises(EngineError):
        session.switch("nowhere")
    with pytest.raises(EngineError):
        session.fork(0, name="Branch 2")


def test_reload_keeps_the_longest_path_that_still_fits(home) -> None:
    slots, progress = home
    session = Session.begin(tiny(), slots, progress)
    session.choose_number(1)
    seen = watch(session)
    session.reload(load_text(MINIMAL.replace("A hall.", "A long hall."), "tiny.toml", catalog={}))
    assert seen[-1].kind == Kind.RELOADED and not seen[-1].warning
    assert session.play.state.at == "hall" and session.play.text() == "A long hall."
    closed = MINIMAL.replace('goto = "hall"', 'goto = "hall"\nif = "trust >= 9"')
    session.reload(load_text(closed, "tiny.toml", catalog={}))
    assert seen[-1].warning and "Kept the first 0 of 1" in seen[-1].message
    assert not session.play.steps


def test_a_reload_into_an_ending_is_not_a_new_ending_found(home) -> None:
    slots, progress = home
    session = Session.begin(tiny(), slots, progress)
    session.choose_number(1)
    ends_here = load_text(MINIMAL.replace('goto = "hall"', 'goto = "left"'), "tiny.toml", catalog={})
    session.reload(ends_here)
    assert session.ending is not None and session.ending.id == "left"
    assert progress.found("tiny") == frozenset()


def test_reload_file_reports_a_broken_file_and_keeps_playing(home, tmp_path: Path) -> None:
    slots, progress = home
    path = tmp_path / "tiny.toml"
    path.write_text(MINIMAL.replace('goto = "hall"', 'goto = "hal"'), encoding="utf-8")
    session = Session.begin(tiny(), slots, progress)
    session.choose_number(1)
    seen = watch(session)
    assert session.reload_file(path) is False
    assert seen[-1].kind == Kind.BROKEN and any(d.code == "SC030" for d in seen[-1].diagnostics)
    assert session.play.state.at == "hall"


def test_a_test_play_saves_nothing_and_records_nothing(home) -> None:
    slots, progress = home
    session = Session.test_play(tiny(), "hall", {"trust": 9})
    session.slots, session.progress = None, None  # as built: a test play has neither
    assert session.test and session.play.state.meters["trust"] == 9
    session.choose_number(1)
    assert session.ending is not None and session.ending.id == "warm"
    assert not slots.has("tiny") and progress.found("tiny") == frozenset()
    with pytest.raises(EngineError, match="no scene `attic`"):
        Session.test_play(tiny(), "attic")
    with pytest.raises(EngineError, match="no flag `brave`"):
        Session.test_play(tiny(), "hall", flags=["brave"])


def test_a_save_that_cannot_be_written_is_reported_once_and_play_goes_on(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    session = Session.begin(tiny(), SaveSlots(blocker / "saves"), Progress(tmp_path / "p.json"))
    seen = watch(session)
    session.choose_number(1)
    session.undo()
    session.choose_number(1)
    problems = [c for c in seen if c.kind == Kind.PROBLEM]
    assert len(problems) == 1 and "could not be saved" in problems[0].message
    assert session.play.state.at == "hall"


def test_an_id_that_would_leave_the_save_folder_is_refused(tmp_path: Path) -> None:
    sneaky = attrs.evolve(tiny(), id="../../outside")
    slots = SaveSlots(tmp_path / "home" / "saves")
    session = Session(Playthrough.begin(sneaky), slots=slots, progress=Progress(tmp_path / "p.json"))
    seen = watch(session)
    session.choose_number(1)
    assert [c.kind for c in seen] == [Kind.PROBLEM, Kind.MOVED]
    assert "cannot be used as a file name" in seen[0].message
    assert list(tmp_path.rglob("*.json")) == []


def test_play_from_a_scene_with_meters_and_flags_set_is_a_test_play(tmp_path: Path, capsys) -> None:
    import io

    from game import plain
    from game.__main__ import main
    from game.cli.play import parse_settings

    story = tmp_path / "tiny.toml"
    story.write_text(MINIMAL, encoding="utf-8")
    meters, flags = parse_settings(tiny(), ["trust=9", "knocked=true", "self_esteem=-4"])
    assert meters == {"trust": 9, "self_esteem": -4} and flags == ["knocked"]
    session = Session.test_play(tiny(), "hall", meters, flags)
    assert session.play.state.meters == {"trust": 9, "self_esteem": 0}  # clamped to the meter's range
    out = io.StringIO()
    plain.run(session.scenario, io.StringIO("1\n"), out, session=session)
    assert "a test play from `hall`: nothing is saved" in out.getvalue() and "=== Ending: Warm" in out.getvalue()
    assert not (tmp_path / "home").exists() or not list((tmp_path / "home").rglob("*.json"))
    for wrong in (["--set", "trust=3"], ["--from", "attic"], ["--from", "hall", "--set", "trsut=3"],
                  ["--from", "hall", "--set", "knocked=maybe"], ["--from", "hall", "--set", "trust"]):
        assert main(["play", str(story), "--plain", *wrong]) == 2, wrong
    err = capsys.readouterr().err
    assert "goes with --from" in err and "no scene `attic`" in err and "is no meter or flag" in err
