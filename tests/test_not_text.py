"""Text that is not text: a lone surrogate (U+D800 to U+DFFF) wherever strangers' text comes in.

JSON can spell one (`"\\ud800"`: a phone's message, a log edited by hand), and Python makes one from a byte
that is not UTF-8 on the command line, in an environment variable or a file name (`surrogateescape`). No
file can hold one, so the first save would fail: every entry refuses it or writes it as a visible escape,
so writing is never where it is found.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.cli import main as cli_main
from game.net import typed_host
from game.safetext import one_line, printable, quote, scan
from game.workshop import handout, ideas, logshape
from game.workshop import log as logs
from game.workshop import report as reports
from game.workshop.ideas import IdeaError
from game.workshop.room import Workshop
from game.workshop.teams import WorkshopError, team_names
from tests.test_workshop_logs import good as good  # noqa: F401 - the module's fixture: a log with an open vote
from tests.test_workshop_logs import replaced, scenario

TEXT = st.text(st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                         st.sampled_from("\x1b\x00\u202e\n\t ")), max_size=30)
"""Text as strangers send it: any character, lone surrogates and controls among them."""


def writable(text: str) -> bool:
    text.encode("utf-8")  # raises on a lone surrogate
    return True


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_whatever_comes_in_is_refused_or_made_text_a_file_can_hold(text: str) -> None:
    assert writable(printable(text)) and writable(one_line(text)) and writable(quote(text))
    assert bool(scan(text)) == (printable(text) != text.replace("\r\n", "\n"))
    try:
        assert writable(ideas.clean(text))  # a phone's idea
    except IdeaError:
        pass
    try:
        names = team_names(text)  # --teams
    except WorkshopError:
        names = []
    assert all(writable(n) for n in names)
    try:
        assert writable(typed_host(text))  # --host, --allow-host
    except ValueError:
        pass
    room = Workshop(scenario(), [text[:30]], rules=text)  # the setup screen's fields
    assert writable(logs.dumps(room))


@pytest.mark.parametrize(("at", "named"), [
    (("teams", 0, "name"), "teams[0].name"),
    (("teams", 1, "branches", 0, "name"), "teams[1].branches[0].name"),
    (("settings", "rules"), "settings.rules"),
    (("scenario", "title"), "scenario.title"),
])
def test_a_log_holding_one_is_set_aside_with_the_place_named(tmp_path: Path, good: dict,  # noqa: F811
                                                             at: tuple, named: str) -> None:
    path = tmp_path / "room-test-20250101-120000.json"
    path.write_text(json.dumps(replaced(good, at, "Red\ud800")), encoding="utf-8")  # JSON spells it \ud800
    none, _, problem = logs.resume(path, scenario(), tmp_path)
    assert none is None and f"`{named}` holds U+D800" in problem and "kept as" in problem
    assert not path.exists() and not list((tmp_path / "home").rglob("crash-*.log"))


def test_an_idea_or_a_key_holding_one_is_found_wherever_it_is(good: dict) -> None:  # noqa: F811
    damaged = copy.deepcopy(good)
    damaged["ideas"] = {"questions": [{"id": 1, "kind": "stepout", "text": "Step out?", "where": "The debrief"}],
                        "ideas": [{"id": 1, "question": 1, "text": "\udcff", "state": "shown"}]}
    assert logshape.not_text(damaged) == "`ideas.ideas[0].text` holds U+DCFF (not text), which no file can keep"
    damaged = copy.deepcopy(good)
    damaged["settings"]["\ud800"] = 1
    assert "is named with U+D800" in logshape.not_text(damaged)
    with pytest.raises(logs.LogError, match="ideas.ideas"):
        logs.loads(json.dumps({**good, "ideas": {"ideas": [{"text": "\ud800"}]}}), scenario())


def test_report_refuses_it_before_writing_any_handout(tmp_path: Path, good: dict, capsys) -> None:  # noqa: F811
    story = tmp_path / "room.toml"
    from tests.helpers import ROOM

    story.write_text(ROOM, encoding="utf-8")
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(replaced(good, ("teams", 0, "name"), "\udcff")), encoding="utf-8")
    code = cli_main(["workshop", str(story), "--report", str(path), "--export", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and "teams[0].name" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_team_name_from_a_command_line_byte_is_shown_as_that_byte() -> None:
    names = team_names("Red\udcff,Blue")  # `--teams $'Red\xff,Blue'`
    assert names == ["Red\\xff", "Blue"]
    room = Workshop(scenario(), names)
    room.begin()
    assert writable(logs.dumps(room)) and writable(handout.markdown(reports.build(room)))


def test_a_story_file_whose_name_is_not_text_is_found_by_its_id(tmp_path: Path) -> None:
    story = scenario()
    import attrs

    room = Workshop(attrs.evolve(story, path=tmp_path / "caf\udce9.toml"), ["Red"])
    assert logs.to_json(room)["scenario"]["file"] is None and writable(logs.dumps(room))


@pytest.mark.parametrize("command", [["serve", "--host", "\udcff"], ["serve", "--allow-host", "a\ud800"],
                                     ["workshop", "--host", "my laptop"], ["workshop", "--host", "\x1b[2J"]])
def test_a_host_that_is_no_address_is_refused_in_words(command: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as ended:
        cli_main(command)
    err = capsys.readouterr().err
    assert ended.value.code == 2 and "is not a network address or a machine's name" in err
    assert "\x1b" not in err and "Traceback" not in err
