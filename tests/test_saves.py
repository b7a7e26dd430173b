"""Saves: round trips, changed scenarios, damaged files kept aside."""

from __future__ import annotations

import json

import pytest

from game import saves
from game.engine import Playthrough
from game.loader import load_text
from game.storage import UnsafeName
from tests.helpers import MINIMAL, tiny


def test_round_trip():
    play = Playthrough.begin(tiny()).choose_number(1)
    data = json.loads(saves.dumps(play))
    assert data["version"] == saves.VERSION and data["path"] == [["door", 0]]
    assert saves.loads(tiny(), saves.dumps(play)) == play


def test_edited_scenario_still_loads_when_the_path_fits():
    play = Playthrough.begin(tiny()).choose_number(1)
    edited = load_text(MINIMAL.replace("A hall.", "A long hall."), "tiny.toml", catalog={})
    assert edited.digest != tiny().digest
    assert saves.loads(edited, saves.dumps(play)).state.at == "hall"


def test_edited_scenario_that_breaks_the_path_is_refused_clearly():
    play = Playthrough.begin(tiny()).choose_number(1).choose_number(1)
    edited = load_text(MINIMAL.replace('goto = "hall"', 'goto = "left"'), "tiny.toml", catalog={})
    with pytest.raises(saves.SaveError, match="scenario has changed since this save.*step 2"):
        saves.loads(edited, saves.dumps(play))


def test_other_scenario_is_refused():
    other = load_text(MINIMAL.replace('id = "tiny"', 'id = "other"'), "o.toml", catalog={})
    with pytest.raises(saves.SaveError, match="belongs to scenario `tiny`"):
        saves.loads(other, saves.dumps(Playthrough.begin(tiny())))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "not a Second Chance save"),
        ('{"format": "second-chance-save", "version": 99}', "version 99"),
        ('{"format": "second-chance-save", "version": 1, "scenario": "tiny", "path": 3}', "no list"),
        ('{"format": "second-chance-save", "version": 1, "scenario": "tiny", "path": [[1, 2, 3]]}', "damaged"),
        ("[" * 100000, "^the save is not valid JSON: it is nested too deeply to read$"),
        ('{"format": "second-chance-save", "version": 1' + "1" * 5000 + "}",
         "^the save is not valid JSON: it holds a number more than 4,300 digits long$"),
        ('{"format":\n  }', r"^the save is not valid JSON \(line 2, column 3: Expecting value\)$"),
    ],
)
def test_damaged_saves_give_sentences(text, message):
    with pytest.raises(saves.SaveError, match=message):
        saves.loads(tiny(), text)


def test_slots_keep_a_damaged_save_aside(tmp_path):
    slots = saves.SaveSlots(tmp_path)
    play = Playthrough.begin(tiny()).choose_number(1)
    path = slots.save(play).path
    assert slots.load(tiny()) == (play, None)
    path.write_text("garbage", encoding="utf-8")
    restored, problem = slots.load(tiny())
    assert restored is None and "could not be resumed" in problem
    kept = list(tmp_path.glob("tiny.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == "garbage"
    assert str(kept[0]) in problem
    assert not slots.has("tiny")


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    saves.write_atomic(tmp_path / "deep" / "x.json", "{}")
    assert [p.name for p in (tmp_path / "deep").iterdir()] == ["x.json"]


@pytest.mark.parametrize("path", [
    [1], [None], [["door"]], [["door", 0, 1]], [[0, "door"]], [["door", True]], [["door", "0"]], [{"a": 1}],
    "door", None,
])
def test_every_malformed_save_shape_is_set_aside_with_a_message(tmp_path, path):
    slots = saves.SaveSlots(tmp_path)
    data = {"format": "second-chance-save", "version": 1, "scenario": "tiny", "path": path}
    slots.path_for("tiny").write_text(json.dumps(data), encoding="utf-8")
    play, problem = slots.load(tiny())
    assert play is None and problem is not None and "could not be resumed" in problem
    assert not slots.has("tiny") and len(list(tmp_path.glob("tiny.unreadable-*.json"))) == 1


@pytest.mark.parametrize("scenario_id", ["../outside", "/etc/passwd", "a/b", "..", "", "x\x00y", "x\x1b]0;t\x07",
                                         "con\nsole", "-rf", ".hidden"])
def test_save_names_never_leave_the_folder(tmp_path, scenario_id):
    slots = saves.SaveSlots(tmp_path / "saves")
    with pytest.raises(UnsafeName):
        slots.path_for(scenario_id)
    assert not slots.has(scenario_id)
    assert slots.clear(scenario_id) is False


def test_two_saves_set_aside_in_the_same_second_are_both_kept(tmp_path):
    for text in ("first", "second", "third"):
        (tmp_path / "tiny.json").write_text(text, encoding="utf-8")
        assert saves.set_aside(tmp_path / "tiny.json") is not None
    kept = sorted(p.read_text() for p in tmp_path.glob("tiny.unreadable-*.json"))
    assert kept == ["first", "second", "third"]


def test_clear_with_an_owner_removes_only_that_owners_save(tmp_path):
    slots = saves.SaveSlots(tmp_path)
    play = Playthrough.begin(tiny()).choose_number(1)
    slots.save(play, owner="window-b")
    assert slots.clear("tiny", owner="window-a") is False and slots.has("tiny")
    assert slots.clear("tiny", owner="window-b") is True and not slots.has("tiny")
