"""The player's files (saves, the record of endings, settings): nothing lost, whatever is on disk or in the
other window.

Two classes: two windows on one story, under one lock; and anything that is
not a plain file where one of these files should be (a pipe, a device, a link
loop, a link to nothing, a folder, a file too large), which is set aside and
said like a damaged file, never read without end and never replaced silently.
"""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from game import storage
from game.engine import Playthrough
from game.home import Home
from game.progress import Progress
from game.saves import SaveSlots
from game.session import Kind, Session
from game.settings import Settings
from tests.helpers import tiny

# -- two windows, one story ------------------------------------------------------------------


def test_two_windows_taking_turns_each_keep_their_own_play(tmp_path: Path) -> None:
    """B saves, A saves, B saves again, A again: after every save, both plays are on disk, each its own."""
    slots, progress = SaveSlots(tmp_path / "saves"), Progress(tmp_path / "progress.json")
    first = Session.begin(tiny(), slots, progress)
    second = Session.begin(tiny(), slots, Progress(progress.path))
    second.choose_number(1)
    for session in (first, second, first, second):
        if session.play.steps:
            session.undo()  # a move that saves again
        session.choose_number(1)
        assert owners(slots) == {first.token, second.token} - ({first.token} if not first.play.steps else set())
    first.choose_number(1)  # A reaches an ending: A's save goes, and only A's
    assert owners(slots) == {second.token}
    assert Session.resume(tiny(), slots)[0].play.path == second.play.path
    second.choose_number(1)
    assert owners(slots) == set() and progress.found("tiny") == {"warm"}


def owners(slots: SaveSlots) -> set[str]:
    """The owner token of every save of `tiny` on disk."""
    return {json.loads(path.read_text(encoding="utf-8"))["owner"] for path in slots.paths("tiny")}


def test_the_second_window_is_told_once_and_resume_offers_the_most_recent(tmp_path: Path) -> None:
    slots = SaveSlots(tmp_path)
    first, second = Session.begin(tiny(), slots), Session.begin(tiny(), slots)
    first.choose_number(1)
    told: list[str] = []
    second.observe(lambda change: told.append(change.message) if change.kind == Kind.PROBLEM else None)
    second.choose_number(1)
    second.undo()
    second.choose_number(1)
    assert len(told) == 1 and "Another window" in told[0] and "keeps its own save" in told[0]
    resumed, problem = Session.resume(tiny(), slots)
    assert problem is None and resumed is not None and resumed.token != second.token
    assert slots.count("tiny") == 2 and owners(slots) == {first.token, second.token}
    assert slots.owner("tiny") == first.token  # the first keeps the story's first save
    assert json.loads(slots.paths("tiny")[0].read_text(encoding="utf-8"))["owner"] == second.token  # most recent


def test_start_over_replaces_only_the_save_it_was_shown(tmp_path: Path) -> None:
    slots = SaveSlots(tmp_path)
    Session.begin(tiny(), slots).choose_number(1)
    shown, _ = Session.resume(tiny(), slots)
    assert shown is not None
    fresh = shown.start_over()
    fresh.leave()
    before = slots.owner("tiny")
    assert owners(slots) == {before}  # leaving at once keeps the old save
    fresh.choose_number(1)
    assert owners(slots) == {fresh.token} != {before}  # replaced, not kept beside


@pytest.mark.parametrize("action", ["save", "clear", "load"])
def test_every_read_and_write_of_a_story_s_saves_waits_for_the_one_lock(tmp_path: Path, action: str) -> None:
    """Another window holding the lock (here, another thread) keeps save, clear and load waiting."""
    slots = SaveSlots(tmp_path)
    play = Playthrough.begin(tiny()).choose_number(1)
    slots.save(play, owner="a")
    calls: dict[str, Callable[[], object]] = {
        "save": lambda: slots.save(play, owner="b"),
        "clear": lambda: slots.clear("tiny", owner="a"),
        "load": lambda: slots.load(tiny()),
    }
    done = threading.Event()
    with storage.locked(slots.path_for("tiny")):
        worker = threading.Thread(target=lambda: (calls[action](), done.set()))
        worker.start()
        assert not done.wait(0.3), f"{action} went ahead while another window held the lock"
    assert done.wait(10)
    worker.join()


def test_the_lock_is_the_cross_platform_one(tmp_path: Path) -> None:
    import filelock

    with storage.locked(tmp_path / "x.json"):
        held = filelock.FileLock(str(storage.lock_path(tmp_path / "x.json")), timeout=0)
        with pytest.raises(filelock.Timeout):
            held.acquire()


# -- anything but a plain file where a player's file should be ---------------------------------

def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _dangling(path: Path) -> None:
    path.symlink_to(path.with_name("gone.json"))


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside").write_text("kept")


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: large, and costs no disk


ODD = {"a pipe": _fifo, "a link loop": _loop, "a link to nothing": _dangling, "a folder": _folder,
       "a link to /dev/zero": _device, "a file too large": _huge}


def _open_settings(folder: Path) -> str | None:
    return Settings.load(folder / "settings.json")[1]


def _open_progress(folder: Path) -> str | None:
    return Progress.load(folder / "progress.json")[1]


def _open_save(folder: Path) -> str | None:
    return SaveSlots(folder).load(tiny())[1]


FILES = {"settings.json": _open_settings, "progress.json": _open_progress, "tiny.json": _open_save}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("odd", sorted(ODD))
@pytest.mark.parametrize("name", sorted(FILES))
def test_an_odd_thing_in_place_of_a_players_file_is_set_aside_and_said(tmp_path: Path, name: str, odd: str) -> None:
    target = tmp_path / name
    ODD[odd](target)
    kind = stat.S_IFMT(os.lstat(target).st_mode)
    started = time.monotonic()
    problem = FILES[name](tmp_path)
    assert time.monotonic() - started < 5  # never waited on, never read to the end
    assert problem is not None and "kept as" in problem, problem
    kept = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and not os.path.lexists(target)
    assert stat.S_IFMT(os.lstat(kept[0]).st_mode) == kind  # the very thing that was there, moved aside
    if odd == "a link to nothing":
        assert "is a link to" in problem and "which is not there" in problem and "Errno" not in problem


@pytest.mark.parametrize(("text", "words"), [("[" * 20_000, "nested too deeply"),
                                             ('{"format": 1' + "1" * 5000 + "}", "more than 4,300 digits")])
@pytest.mark.parametrize("name", sorted(FILES))
def test_json_no_parser_can_read_is_said_in_the_players_words(tmp_path: Path, name: str, text: str,
                                                              words: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    problem = FILES[name](tmp_path)
    assert problem is not None and words in problem and "recursion" not in problem and "sys." not in problem


def test_a_file_where_the_saves_folder_belongs_is_said_at_start_and_at_the_save(tmp_path: Path) -> None:
    (tmp_path / "saves").write_text("mine")
    home = Home.open(tmp_path)
    again = "saves is a file, where a folder is needed: move it away or rename it, and the game will make the folder"
    assert any(again in p for p in home.problems)
    with pytest.raises(OSError, match=again):
        home.slots.save(Playthrough.begin(tiny()).choose_number(1))
    assert (tmp_path / "saves").read_text() == "mine"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_put_in_place_of_the_record_while_playing_is_set_aside_not_replaced(tmp_path: Path) -> None:
    progress = Progress(tmp_path / "progress.json")
    os.mkfifo(progress.path)
    progress.record("tiny", "warm")
    kept = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and not kept[0].is_file()  # the pipe, moved aside
    assert Progress.load(progress.path)[0].found("tiny") == {"warm"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_in_place_of_a_save_is_not_replaced_by_the_next_save(tmp_path: Path) -> None:
    slots = SaveSlots(tmp_path)
    os.mkfifo(slots.path_for("tiny"))
    session = Session.begin(tiny(), slots)
    told: list[str] = []
    session.observe(lambda change: told.append(change.message) if change.warning else None)
    session.choose_number(1)
    assert len(told) == 1 and "kept as" in told[0]
    assert slots.load(tiny())[0].path == session.play.path


def test_a_save_written_by_an_editor_or_a_stranger_is_read_like_any_other(tmp_path: Path) -> None:
    """A save with a byte-order mark or no owner (an older game's) is still a save."""
    from game import saves

    slots = SaveSlots(tmp_path)
    play = Playthrough.begin(tiny()).choose_number(1)
    text = saves.dumps(play).replace('"owner": ""', '"x": 1')
    slots.path_for("tiny").write_text("\ufeff" + text, encoding="utf-8")
    assert slots.load(tiny()) == (play, None)
