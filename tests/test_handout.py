"""Handouts: the Markdown and HTML a facilitator hands out, and the JSON log, from a played workshop."""

from __future__ import annotations

import html
import json
import os
import re
import stat
import time
from pathlib import Path

from game.__main__ import main
from game.loader import load_text
from game.workshop import handout
from game.workshop import log as logs
from game.workshop.names import RANDOM, RUNOFF
from game.workshop.report import build
from game.workshop.room import Workshop
from tests.browser import chromium  # noqa: F401
from tests.helpers import ROOM, stairs_room, write

HOSTILE = ROOM.replace('text = "Answer kindly."', 'text = "<script>alert(1)</script> [x](javascript:alert(1)) *bold*"')


def played(text: str = ROOM, path: Path | None = None, tie_rule: str = RANDOM) -> Workshop:
    scenario = load_text(text, str(path) if path else "room.toml", catalog={})
    room = Workshop(scenario, ["Red", "Blue"], tie_rule=tie_rule, seed=1234)
    room.begin()
    room.set_hands(0, 3)
    room.set_hands(1, 3)
    room.reveal()
    if tie_rule == RUNOFF:
        room.start_runoff()
        room.set_hands(1, 4)
        room.reveal()
    room.decide()
    room.skip()  # Red's second scene, from the card, before the room has seen it: Red's story ends
    room.show()
    room.go_on()
    room.set_hands(3, 2)
    room.reveal()
    room.decide()
    return room


def test_the_markdown_handout_golden(snapshot) -> None:
    snapshot.assert_match(handout.markdown(build(played())), "room.md")


def test_advice_followed_then_ignored_is_explained_once_in_every_handout() -> None:
    report = build(stairs_room())
    markdown, page = handout.markdown(report), html.unescape(handout.html_page(report))
    for text, dot in ((markdown, "."), (page, ".")):
        assert text.count("Take it one day at a time") == 1  # once, not under "followed" and again under "ignored"
        assert "Advice you followed at one decision and ignored at another" in text
        assert f"Followed at decision 1: “Wait a day{dot}”" in text and f"Ignored at decision 2: “Rush it{dot}”" in text
        assert "The game's stance:" in text and "reading:" not in text
        assert text.count("One article says to act while the feeling is fresh") == 1  # one debate, raised twice
        assert "choice 1" not in text  # the room takes decisions


def test_a_help_story_handout_says_what_might_have_helped() -> None:
    report = build(stairs_room(help_story=True))
    markdown, page = handout.markdown(report), html.unescape(handout.html_page(report))
    for text in (markdown, page):
        assert "What might have helped" in text and "Might have helped at decision 2" in text
        assert "○" in text and "✗" not in text and "Advice you ignored" not in text and "Ignored at" not in text
        assert "it is not a failure" in text and "not a score to win" in text
        assert "Their trust" not in text  # an unrenamed trust meter is no score to aim for in a help story
    assert "### What might have helped" in markdown and "- ○ **Check in with a friend**" in markdown


def test_scenario_text_cannot_add_markup_to_a_handout() -> None:
    report = build(played(HOSTILE))
    markdown, page = handout.markdown(report), handout.html_page(report)
    assert not re.search(r"(?<!\\)\]\(", markdown)  # no link can start: its bracket is escaped
    assert "\\<script\\>" in markdown and "\\*bold\\*" in markdown
    assert "<script>" not in page and "<a " not in page and "&lt;script&gt;" in page


def test_export_writes_the_handouts_named_by_the_scenario_with_no_path_of_this_laptop(tmp_path: Path) -> None:
    story = write(tmp_path, ROOM, "room.toml")
    written = handout.export(played(ROOM, story), tmp_path / "out")
    assert sorted(p.suffix for p in written) == [".html", ".html", ".json", ".md", ".md"]
    assert sum(p.name.endswith("-take-home.html") or p.name.endswith("-take-home.md") for p in written) == 2
    assert all(p.parent == tmp_path / "out" and p.name.startswith("room-test-workshop-") for p in written)
    data = json.loads(next(p for p in written if p.suffix == ".json").read_text())
    assert data["format"] == "second-chance-workshop" and data["settings"]["seed"] == 1234
    assert data["scenario"] == {"id": "room-test", "title": "The Room Test", "digest": data["scenario"]["digest"]}
    for path in written:
        assert str(tmp_path) not in path.read_text(encoding="utf-8"), path.name


def test_a_runoff_is_in_the_handouts_with_both_its_rounds() -> None:
    report = build(played(tie_rule=RUNOFF))
    markdown, page = handout.markdown(report), html.unescape(handout.html_page(report))
    for text in (markdown, page):
        assert "The first vote:" in text and "The runoff between the tied options:" in text
        assert text.count("3 votes") == 2 and "4 votes" in text


def test_markdown_is_escaped_only_where_markdown_would_read_markup() -> None:
    assert handout.md("It is 1:52 a.m. (again) - really!") == "It is 1:52 a.m. (again) - really!"
    assert handout.md("# 1. *a* <b> [x](y) | `c` ~~d~~ &amp;") == \
        "\\# 1. \\*a\\* \\<b\\> \\[x\\](y) \\| \\`c\\` \\~\\~d\\~\\~ \\&amp;"
    assert handout.md("one\n2. two\n- three") == "one  \n2\\. two  \n\\- three"


def test_report_rebuilds_the_handouts_from_a_log(tmp_path: Path, capsys) -> None:
    story = write(tmp_path, ROOM, "room.toml")
    room = played(ROOM, story)
    room.scenario = load_text(ROOM, str(story), catalog={})
    object.__setattr__(room.scenario, "path", story)
    store = logs.LogStore(room, tmp_path / "room-log.json")
    store.save()
    assert main(["workshop", "--report", str(store.path), "--export", str(tmp_path / "handouts")]) == 0
    written = sorted((tmp_path / "handouts").iterdir())
    assert sorted(p.suffix for p in written) == [".html", ".html", ".json", ".md", ".md"]
    assert "Wrote" in capsys.readouterr().out
    assert main(["workshop", "--report", str(tmp_path / "nope.json")]) == 1
    assert "cannot be used" in capsys.readouterr().err


def test_the_html_handout_opens_offline_and_asks_for_nothing(chromium, tmp_path: Path) -> None:  # noqa: F811
    page_file = tmp_path / "handout.html"
    page_file.write_text(handout.html_page(build(played(HOSTILE))), encoding="utf-8")
    page = chromium.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri())
    body = page.inner_text("body")
    assert "The Room Test: workshop handout" in body and "Coffee" in body or "Apart" in body
    assert "<script>alert(1)</script>" in body  # shown as text, never run
    assert page.evaluate("document.scripts.length") == 0
    assert requests == [page_file.as_uri()]
    pdf_ready = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "system-ui" in pdf_ready
    page.close()


def test_a_rebuilt_handout_keeps_the_date_of_the_workshop_and_says_when_it_was_rebuilt(tmp_path: Path) -> None:
    story = write(tmp_path, ROOM, "room.toml")
    room = played(ROOM, story)
    object.__setattr__(room.scenario, "path", story)
    log_path = tmp_path / "old.json"
    data = logs.to_json(room)
    data["saved"] = "2025-03-04T10:20:30+0000"
    log_path.write_text(json.dumps(data), encoding="utf-8")
    written, _ = handout.from_log(log_path, tmp_path / "out")
    assert all("-workshop-20250304-1020" in p.name for p in written)  # the session's date: it replaces its own
    today = handout.day(time.localtime())
    for found in written[:4]:  # the handouts and the take-home, in Markdown and HTML
        assert f"Workshop of 4 March 2025 (rebuilt from its log on {today})" in found.read_text(), found.name


def test_an_exported_json_rebuilds_with_the_story_named_on_the_command_line(tmp_path: Path, capsys) -> None:
    story = write(tmp_path, ROOM, "room.toml")
    written = handout.export(played(ROOM, story), tmp_path / "first")
    exported = next(p for p in written if p.suffix == ".json")
    assert main(["workshop", "--report", str(exported), "--export", str(tmp_path / "again")]) == 1
    assert "cannot be found" in capsys.readouterr().err  # a story of one's own is found by its file, not its id
    assert main(["workshop", str(story), "--report", str(exported), "--export", str(tmp_path / "again")]) == 0
    assert sorted(p.suffix for p in (tmp_path / "again").iterdir()) == [".html", ".html", ".json", ".md", ".md"]


def test_two_workshops_exported_in_the_same_minute_never_share_a_name(tmp_path: Path) -> None:
    import time

    minute = time.strptime("2025-03-04 10:20", "%Y-%m-%d %H:%M")
    folder = tmp_path / "out"
    first, second = played(), played()
    ours = handout.export(first, folder, when=minute)
    theirs = handout.export(second, folder, when=minute)
    assert len({p.name for p in ours + theirs}) == 10
    again = handout.export(first, folder, when=minute)  # the same workshop's newer handout replaces its own
    assert again == ours and len(list(folder.iterdir())) == 10
    someone_else = next(p for p in ours if p.suffix == ".json")
    someone_else.write_text('{"not": "a handout"}', encoding="utf-8")  # a file the game did not write
    moved = handout.export(first, folder, when=minute)
    stem = someone_else.stem + "-2"
    assert all(p.name.startswith(stem + ".") or p.name.startswith(stem + "-take-home.") for p in moved)
    assert someone_else.read_text() == '{"not": "a handout"}'
    rebuilt, _ = handout.from_log(theirs[-1], tmp_path / "rebuilt", second.scenario)
    assert all(second.ident in p.name for p in rebuilt)  # a rebuild keeps the workshop's identity


def test_files_written_for_the_user_get_their_usual_mode_and_the_players_stay_private(tmp_path: Path) -> None:
    """What a user asks for, to keep or share (handouts, an imported scenario, a new story), gets the mode the
    umask gives any of their files; the game's own files (saves, the cache, settings) stay the owner's alone."""
    from game import storage

    story = write(tmp_path, ROOM, "room.toml")
    twee = tmp_path / "walk.twee"
    twee.write_text(":: Start\nGo.\n[[End]]\n\n:: End\nThe end.\n", encoding="utf-8")
    before = os.umask(0o027)
    try:
        written = handout.export(played(ROOM, story), tmp_path / "out")
        assert main(["import", str(twee), "-o", str(tmp_path / "walk.toml")]) == 0
        assert main(["new", str(tmp_path / "fresh.toml")]) == 0
        storage.write_atomic(tmp_path / "private.json", "{}")
    finally:
        os.umask(before)
    for path in [*written, tmp_path / "walk.toml", tmp_path / "fresh.toml"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path.name
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == 0o600
