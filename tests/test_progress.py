"""The record of endings found: kept between runs, and never a crash when the file is damaged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game import paths
from game.progress import FORMAT, Progress, default_path


def test_starts_empty_and_records_endings(tmp_path: Path) -> None:
    progress, problem = Progress.load(tmp_path / "p.json")
    assert problem is None and progress.found("last-call") == frozenset()
    assert progress.record("last-call", "clear_head") == {"clear_head"}
    assert progress.record("last-call", "sent_it") == {"clear_head", "sent_it"}
    again, problem = Progress.load(tmp_path / "p.json")
    assert problem is None
    assert again.found("last-call") == {"clear_head", "sent_it"}
    assert again.found("other") == frozenset()


def test_recording_twice_keeps_one(tmp_path: Path) -> None:
    progress, _ = Progress.load(tmp_path / "p.json")
    progress.record("s", "e")
    progress.record("s", "e")
    data = json.loads((tmp_path / "p.json").read_text())
    assert data["format"] == FORMAT and data["found"] == {"s": ["e"]}


def test_default_path_is_in_the_data_folder() -> None:
    assert default_path() == paths.data_dir() / "progress.json"
    assert Progress().path == default_path()


@pytest.mark.parametrize("text", [
    "", "{", "[]", "null", '{"format": "something-else"}',
    '{"format": "second-chance-progress", "version": 99, "found": {}}',
    '{"format": "second-chance-progress", "version": 1, "found": []}',
    '{"format": "second-chance-progress", "version": 1, "found": {"s": "e"}}',
    '{"format": "second-chance-progress", "version": 1, "found": {"s": [1]}}',
    "[" * 100_000,
])
def test_a_damaged_file_is_set_aside_and_reported(tmp_path: Path, text: str) -> None:
    path = tmp_path / "p.json"
    path.write_text(text, encoding="utf-8")
    progress, problem = Progress.load(path)
    assert problem is not None and "could not be read" in problem
    kept = list(tmp_path.glob("p.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == text
    assert str(kept[0]) in problem
    assert not path.exists()
    assert progress.found("s") == frozenset()
    progress.record("s", "e")  # and the new record works
    assert Progress.load(path)[0].found("s") == {"e"}


def test_a_file_that_is_not_text_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    _, problem = Progress.load(path)
    assert problem is not None and list(tmp_path.glob("p.unreadable-*.json"))


def test_a_write_failure_raises_oserror_for_the_screen_to_report(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    progress = Progress(blocker / "p.json")  # a folder that cannot exist
    with pytest.raises(OSError):
        progress.record("s", "e")


def test_two_windows_recording_at_once_keep_both_records(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    first, _ = Progress.load(path)
    second, _ = Progress.load(path)  # both read the (empty) record when they started
    first.record("last-call", "slow_thaw")
    second.record("the-feed", "logged_off")
    first.record("last-call", "blocked")
    again, _ = Progress.load(path)
    assert again.found("last-call") == {"slow_thaw", "blocked"} and again.found("the-feed") == {"logged_off"}


def test_a_record_damaged_while_playing_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    progress, _ = Progress.load(path)
    path.write_text("{broken", encoding="utf-8")
    progress.record("s", "e")
    assert [p.read_text() for p in tmp_path.glob("p.unreadable-*.json")] == ["{broken"]
    assert Progress.load(path)[0].found("s") == {"e"}
