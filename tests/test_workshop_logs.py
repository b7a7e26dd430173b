"""A workshop's log when something goes wrong: damaged in any way, or written while a vote was open.

Written against the class, not the example: every field of a real log is
replaced by every wrong JSON type, a hypothesis fuzz rewrites the log's JSON,
and the only outcomes allowed are a workshop or a LogError naming the field
(never another exception). A damaged log is set aside and named by its file
name only. The open vote's counts (hands and phones) survive a save and a
pick-up, and a phone coming back is counted once.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.cli import main as cli_main
from game.loader import load_text
from game.workshop import handout, openvote, view
from game.workshop import log as logs
from game.workshop import report as reports
from game.workshop.names import RUNOFF
from game.workshop.room import Workshop, WorkshopError
from game.workshop.timer import Timer, parse_seconds
from game.workshop.votes import parse_seed
from tests.helpers import ROOM


def scenario():
    return load_text(ROOM, "room.toml", catalog={})


def open_vote_room() -> Workshop:
    """Two teams: Red decided once (a runoff after a tie), Blue's vote is open with hands and two phones."""
    room = Workshop(scenario(), ["Red", "Blue"], tie_rule=RUNOFF, seed=7,
                    timer=Timer(60, 30, True))
    room.begin()
    room.set_hands(0, 2)
    room.set_hands(1, 2)
    room.reveal()
    room.start_runoff()
    room.open_voting()
    room.set_hands(0, 3)
    room.ballot(room.round_id, "phone-one-aaaaaaaaaaaa", 1)
    room.reveal()
    room.decide()  # Red goes on; turns: Red again
    room.show()
    room.open_voting()
    room.set_hands(0, 4)
    room.ballot(room.round_id, "phone-two-bbbbbbbbbbbb", 1)
    room.ballot(room.round_id, "phone-three-cccccccccc", 0)
    return room


@pytest.fixture(scope="module")
def good() -> dict:
    return json.loads(json.dumps(logs.to_json(open_vote_room())))


def places(value: Any, at: tuple = ()) -> Iterator[tuple]:
    """The path to every value in a JSON tree, containers and leaves alike."""
    yield at
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from places(item, (*at, index))


def replaced(data: dict, at: tuple, value: Any) -> dict:
    out = copy.deepcopy(data)
    target = out
    for key in at[:-1]:
        target = target[key]
    target[at[-1]] = value
    return out


WRONG = [None, True, -1, 7, 10**40, 2.5, math.nan, math.inf, "", "x" * 5000, "60", [], [1, 2], {}, {"a": 1}]
"""One of every JSON type, and the values the issue names: out of range, NaN, infinity, a huge text."""


def outcome(data: Any) -> str:
    """`ok`, `noted` (the room's ideas or predictions were damaged and left out, with a note saying so), or the
    LogError's sentence; any other exception fails the test. A log that loads is used as a workshop picked up
    again is: shown to the room, saved, and turned into handouts."""
    try:
        room, notes = logs.loads(json.dumps(data), scenario())
    except logs.LogError as problem:
        return str(problem)
    view.room(room)
    logs.dumps(room).encode("utf-8")  # as the log is written: a text no file can hold fails here
    report = reports.build(room)
    handout.markdown(report).encode("utf-8")
    handout.html_page(report).encode("utf-8")
    return "noted" if any("left out" in note for note in notes) else "ok"


def test_a_good_log_with_an_open_vote_loads_and_round_trips(good: dict) -> None:
    again, notes = logs.from_json(good, scenario())
    assert logs.to_json(again)["teams"] == good["teams"] and logs.to_json(again)["open"] == good["open"]
    assert any("picked up as it stood: 6 votes so far (2 from phones)" in n for n in notes)
    assert "phone-" not in json.dumps(good)  # phones' keys are digests, never their tokens


def test_every_field_replaced_by_every_wrong_type_is_refused_or_harmless(good: dict) -> None:
    """Each place in the log, given each wrong JSON value: a workshop or a LogError, nothing else."""
    tried = refused = 0
    for at in places(good):
        if not at:
            continue
        for value in WRONG:
            if type(value) is type(good_value(good, at)) and value == good_value(good, at):
                continue
            tried += 1
            refused += outcome(replaced(good, at, value)) != "ok"
    assert refused > 0.9 * tried  # what passes is a value its field allows (a number in range, any title)


def good_value(data: dict, at: tuple) -> Any:
    for key in at:
        data = data[key]
    return data


@pytest.mark.parametrize(("at", "value", "named"), [
    (("settings", "timer", "discussion"), "60", "settings.timer.discussion"),
    (("settings", "timer", "discussion"), [60], "settings.timer.discussion"),
    (("settings", "timer", "discussion"), math.nan, "is NaN"),
    (("settings", "timer", "voting"), math.inf, "infinite"),
    (("settings", "timer", "voting"), -30, "settings.timer.voting"),
    (("settings", "timer", "voting"), 10**30, "too large"),
    (("settings", "timer", "voting"), "9" * 5000, "is text"),
    (("teams", 0, "branch"), ["main"], "teams[0].branch"),
    (("teams", 1, "branch"), {"name": "main"}, "teams[1].branch"),
    (("settings", "tie_rule"), ["runoff"], "settings.tie_rule"),
    (("settings", "mode"), {"turns": True}, "settings.mode"),
    (("teams", 1, "name"), "red", "same name"),
    (("open", "ballots"), {"PHONE-TOKEN": 1}, "open.ballots"),
    (("teams", 0, "branches", 0, "decisions", 0, "tallies", 0, "0"), 1.0, "decimal"),
])
def test_the_cases_named_are_refused_with_the_field_named(good: dict, at: tuple, value: Any, named: str) -> None:
    assert named in outcome(replaced(good, at, value))


def test_a_log_nested_too_deeply_gets_a_sentence_not_the_parsers_words(tmp_path: Path, capsys) -> None:
    """An exported or saved log made of ten thousand brackets: `--report` says it is nested too deeply, never
    that Python's stack ran out."""
    from game.cli import main

    deep = tmp_path / "deep.json"
    deep.write_text('{"a": ' * 10_000 + "1" + "}" * 10_000, encoding="utf-8")
    with pytest.raises(logs.LogError, match="^the log is not valid JSON: it is nested too deeply to read$"):
        logs.read(deep)
    assert main(["workshop", "--report", str(deep), "--export", str(tmp_path / "out")]) != 0
    said = capsys.readouterr().err
    assert "nested too deeply" in said and "recursion" not in said


def test_a_timer_of_five_thousand_digits_is_not_a_log() -> None:
    text = json.dumps(json.loads(json.dumps(logs.to_json(open_vote_room()))))
    huge = text.replace('"discussion": 60', '"discussion": ' + "9" * 5000)
    assert huge != text
    with pytest.raises(logs.LogError, match="not valid JSON"):
        logs.loads(huge, scenario())


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20) | st.text(st.characters(min_codepoint=0xD7FE, max_codepoint=0xE001), max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_logs_load_or_are_refused_with_a_sentence(good: dict, data) -> None:
    log = copy.deepcopy(good)
    for _ in range(data.draw(st.integers(1, 3))):
        spots = [at for at in places(log) if at]
        at = data.draw(st.sampled_from(spots))
        if data.draw(st.booleans()) and isinstance(good_value(log, at[:-1]), dict):
            good_value(log, at[:-1])[data.draw(st.text(max_size=8))] = data.draw(JSON)  # a field added
        else:
            log = replaced(log, at, data.draw(JSON))
    assert outcome(log)  # "ok" or a sentence; any other exception fails


# -- a damaged log on the way in -----------------------------------------------------------------------------


def test_a_damaged_log_is_set_aside_and_named_by_its_file_name_only(tmp_path: Path, good: dict) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    path = folder / "room-test-20250101-120000.json"
    path.write_text(json.dumps(replaced(good, ("settings", "timer", "voting"), "soon")), encoding="utf-8")
    none, _, problem = logs.resume(path, scenario(), folder)
    assert none is None and "settings.timer.voting" in problem and "kept as" in problem
    assert str(folder) not in problem and path.name in problem  # the console may be on the projector
    assert not path.exists() and len(list(folder.glob("*.unreadable-*.json"))) == 1
    assert logs.latest(where=folder) is None  # so --resume does not fall over it again


def test_a_damaged_log_named_from_outside_the_games_folder_is_left_where_it_is(tmp_path: Path) -> None:
    """`--resume FILE` on a log on a stick or a colleague's: the file is theirs, as `--report` leaves it."""
    path = tmp_path / "room-test-20250101-120000.json"
    path.write_text('{"format": "second-chance-workshop", "vers', encoding="utf-8")
    none, _, problem = logs.resume(path, scenario(), tmp_path / "logs")
    assert none is None and "not valid JSON" in problem and problem.endswith("; it was left where it is.")
    assert path.read_text(encoding="utf-8").endswith('"vers') and list(tmp_path.iterdir()) == [path]


def test_a_log_the_game_fails_on_is_set_aside_with_a_crash_log(tmp_path: Path, good: dict, monkeypatch) -> None:
    path = tmp_path / "room-test-1.json"
    path.write_text(json.dumps(good), encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in reading")

    monkeypatch.setattr(logs, "from_json", broken)
    none, _, problem = logs.resume(path, scenario(), tmp_path)
    assert none is None and "failed on it" in problem and not path.exists()
    crashes = list((tmp_path / "home").rglob("crash-*.log"))
    assert len(crashes) == 1 and "a bug in reading" in crashes[0].read_text()


def test_report_on_a_damaged_log_says_which_field_and_never_a_traceback(tmp_path: Path, good: dict,
                                                                        capsys) -> None:
    story = tmp_path / "room.toml"
    story.write_text(ROOM, encoding="utf-8")
    for damage in (("settings", "mode"), ("teams",), ("settings", "timer")):
        path = tmp_path / "damaged.json"
        path.write_text(json.dumps(replaced(good, damage, ["a", {"b": None}])), encoding="utf-8")
        code = cli_main(["workshop", str(story), "--report", str(path), "--export", str(tmp_path / "out")])
        err = capsys.readouterr().err
        assert code == 1 and ".".join(map(str, damage)) in err and "Traceback" not in err
    assert not list((tmp_path / "home").rglob("crash-*.log"))
    assert not (tmp_path / "out").exists()


# -- the rules on teams, timers and seeds, wherever they come from --------------------------------------------


@pytest.mark.parametrize("text", ["-5", "-1m", "3601", "61m", "1e5", "²", "5 hours", "9" * 5000, "30.5"])
def test_negative_or_absurd_timers_are_refused_in_words(text: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_seconds(text)
    assert len(str(refused.value)) < 150
    with pytest.raises(ValueError):
        Timer(-5)
    with pytest.raises(ValueError):
        Timer(0, 10**9)


def test_duplicate_teams_and_absurd_seeds_are_refused_by_the_workshop_itself() -> None:
    with pytest.raises(WorkshopError, match="same name"):
        Workshop(scenario(), ["Red", "red "])
    with pytest.raises(WorkshopError, match="digits"):
        Workshop(scenario(), seed=10**40)
    for text in ("1" * 19, "seven", "1.5", "٣"):
        with pytest.raises(ValueError):
            parse_seed(text)
    assert parse_seed(" -42 ") == -42 and parse_seed("") is None


@pytest.mark.parametrize("args", [["--teams", "Red,Blue,red"], ["--discussion", "-30"], ["--voting", "2h"],
                                  ["--seed", "9" * 5000]])
def test_the_command_line_refuses_them_with_one_short_line(args: list[str], capsys) -> None:
    assert cli_main(["workshop", "room-test", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 200 and "Traceback" not in err


# -- the open vote survives ----------------------------------------------------------------------------------


def test_the_open_vote_is_picked_up_and_a_phone_coming_back_counts_once(tmp_path: Path) -> None:
    room = open_vote_room()
    store = logs.LogStore(room, tmp_path / "open.json")
    store.save()
    again, notes, problem = logs.resume(store.path, scenario())
    assert problem is None and again is not None
    assert again.round_id == room.round_id and again.round.counts == room.round.counts == {0: 5, 1: 1}
    assert again.first_round is None and again.round.phase == "voting"
    again.ballot(again.round_id, "phone-two-bbbbbbbbbbbb", 0)  # the same phone, its vote sent again
    assert again.round.counts == {0: 6, 1: 0} and len(again.round.ballots) == 2
    assert "phone-two" not in store.path.read_text()


def test_a_runoff_open_in_the_log_keeps_its_first_round(tmp_path: Path) -> None:
    room = Workshop(scenario(), tie_rule=RUNOFF)
    room.begin()
    room.set_hands(0, 1)
    room.set_hands(1, 1)
    room.reveal()
    room.start_runoff()
    room.open_voting()
    room.ballot(room.round_id, "phone-one-aaaaaaaaaaaa", 1)
    again, notes = logs.loads(logs.dumps(room), scenario())
    assert again.first_round == {0: 1, 1: 1, 3: 0} and again.round.runoff_of == (0, 1)
    assert again.round.counts == {0: 0, 1: 1}


def test_an_open_vote_that_no_longer_fits_is_said_and_left_out(good: dict) -> None:
    for damage, value in ((("open", "step"), 9), (("open", "hands"), {"2": 4}), (("open", "team"), 1),
                          (("open", "ballots"), {"0123456789abcdef": 2})):
        again, notes = logs.from_json(replaced(good, damage, value), scenario())
        assert any("not picked up" in n for n in notes), damage
        assert again.round.total == 0
    assert openvote.restore(Workshop(scenario()), None) == []


def test_a_slow_write_never_puts_an_older_log_over_a_newer_one(tmp_path: Path) -> None:
    room = open_vote_room()
    store = logs.LogStore(room, tmp_path / "order.json")
    older = store.snapshot()
    room.ballot(room.round_id, "phone-late-dddddddddddd", 0)
    newer = store.snapshot()
    store.write(newer)
    store.write(older)  # a worker thread finishing late
    assert len(json.loads(store.path.read_text(encoding="utf-8"))["open"]["ballots"]) == 3


def test_a_log_from_elsewhere_never_hands_over_its_codes(tmp_path: Path) -> None:
    room = open_vote_room()
    earlier = {"port": 8765, "code": "K7QW3M", "key": "abcdefghijklmnop", "phones": True, "network": False}
    own, elsewhere = tmp_path / "logs", tmp_path / "downloads"
    for folder in (own, elsewhere):
        store = logs.LogStore(room, folder / "room-test-1.json")
        store.server = earlier
        store.save()
    assert logs.kept_by(own / "room-test-1.json", own).server == earlier
    assert logs.kept_by(elsewhere / "room-test-1.json", own).server == {"port": 8765, "phones": True, "network": False}


def export_of(path: Path, where: Path) -> tuple[Path | None, str]:
    """The handouts' folder a log keeps, and why it is not used."""
    kept = logs.kept_by(path, where)
    return kept.export, kept.export_note


@pytest.mark.parametrize("kept", ["handouts", "/tmp/../etc", "/tmp/hand\x1b]0;x\x07outs", "/tmp/a-file"])
def test_a_handouts_folder_kept_in_a_log_is_a_path_from_data(tmp_path: Path, kept: str) -> None:
    """Taken back only from the game's own logs, as a plain absolute path with no `..`, naming a folder or
    nothing yet; anything else is said and left unused, and the log itself is still picked up."""
    own, elsewhere = tmp_path / "logs", tmp_path / "downloads"
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    kept = kept.replace("/tmp", str(tmp_path))
    good_folder = str(tmp_path / "handouts")
    for folder, export in ((own, good_folder), (elsewhere, good_folder), (own / "bad", kept)):
        store = logs.LogStore(open_vote_room(), folder / "room-test-1.json")
        store.export = export
        store.save()
    assert export_of(own / "room-test-1.json", own) == (Path(good_folder), "")
    assert export_of(elsewhere / "room-test-1.json", own) == (  # a log from elsewhere: never, and said
        None, "This log is not in the game's own folder of logs, so the handouts' folder it names is not used.")
    folder, problem = export_of(own / "bad" / "room-test-1.json", own / "bad")
    assert folder is None and problem.startswith("The handouts' folder kept in the log") and "\x1b" not in problem
    assert logs.read(own / "bad" / "room-test-1.json", scenario())[0] is not None  # the log is still good


@pytest.mark.parametrize("parts", [410, 1_801])
def test_a_handouts_folder_too_long_to_keep_is_never_cut_or_a_damaged_log(tmp_path: Path, capsys,
                                                                         parts: int) -> None:
    """One limit for writing and reading: the log never keeps a longer folder, a log that holds one (written by
    hand) is still picked up and says the folder is not used, and --export refuses one with a sentence."""
    long = "/folder-10" * parts  # 4,100 characters: longer than any path Linux opens; then 18,010
    store = logs.LogStore(open_vote_room(), tmp_path / "room-test-1.json")
    store.export = long
    store.save()
    data = json.loads((tmp_path / "room-test-1.json").read_text(encoding="utf-8"))
    assert "export" not in data  # not kept, rather than kept and unreadable
    data["export"] = long
    (tmp_path / "room-test-1.json").write_text(json.dumps(data), encoding="utf-8")
    assert export_of(tmp_path / "room-test-1.json", tmp_path) == (
        None, "The handouts' folder kept in the log is longer than 4,096 characters, so it is not used.")
    workshop, _notes, problem = logs.resume(tmp_path / "room-test-1.json", scenario(), tmp_path)
    assert workshop is not None, problem
    assert cli_main(["workshop", "--export", long]) == 2
    assert "is longer than 4,096 characters: name a shorter one" in capsys.readouterr().err
