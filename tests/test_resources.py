"""Help resources: the data file a facilitator can localise, read without ever raising.

The built-in list must say when each entry was last checked, cover the countries
the game promises, and keep its header's instructions for localising it; the
reader must turn any file, however broken, into something that still points a
player at help.
"""

from __future__ import annotations

import datetime
import io
import os
import re
from pathlib import Path

import attrs
import pytest

from game import paths, resources
from game.cli.options import FullScreen
from game.resources import Resource, Resources
from tests.helpers import RESOURCE_TOPICS as TOPICS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "resources.toml"
    path.write_text(text, encoding="utf-8")
    return path


ONE = '''intro = "Help exists."

[[resources]]
name = "Test line"
region = "Testland"
contact = "call 000 000"
about = "Day and night."
checked = "2026-11-23"

[[resources]]
name = "Second line"
contact = "call 111 111"
'''


# --- reading the `checked` key ----------------------------------------------------------


def test_checked_is_read_into_the_resource(tmp_path):
    data = resources.load(write(tmp_path, ONE))
    assert data.problem == ""
    assert data.items == (
        Resource("Test line", "Testland", "call 000 000", "Day and night.", "2026-11-23"),
        Resource("Second line", "", "call 111 111", "", ""),
    )


def test_render_plain_shows_the_date_only_where_there_is_one(tmp_path):
    text = resources.render_plain(resources.load(write(tmp_path, ONE)))
    lines = text.splitlines()
    at = lines.index("  * Test line (Testland): call 000 000")
    assert lines[at + 1:at + 3] == ["    Day and night.", "    checked 2026-11-23"]
    unchecked = lines.index("  * Second line: call 111 111")
    assert lines[unchecked + 1:] == []
    assert text.count("checked") == 1


def test_a_bare_toml_date_is_read_as_the_same_text(tmp_path):
    data = resources.load(write(tmp_path, ONE.replace('checked = "2026-11-23"', "checked = 2026-11-23")))
    assert data.problem == "" and data.items[0].checked == "2026-11-23"


@pytest.mark.parametrize("text", [
    "intro = [unclosed",
    'intro = 3\n[[resources]]\nname = "x"\ncontact = "y"\n',
    "resources = 3\n",
    '[[resources]]\nregion = "nowhere"\ncontact = "no name"\n',
    '[[resources]]\nname = "no contact"\n',
    'resources = ["just text"]\n',
    'resources = [[1, 2]]\n',
])
def test_a_broken_file_never_raises_and_still_points_at_help(tmp_path, text):
    data = resources.load(write(tmp_path, text))
    assert data.items == () and data.intro == resources.FALLBACK
    assert "could not be read" in data.problem
    rendered = resources.render_plain(data)
    assert "call your local emergency number" in rendered and "could not be read" in rendered


def test_odd_but_readable_values_do_not_raise(tmp_path):
    text = ONE.replace('checked = "2026-11-23"', "checked = { day = 23 }")
    data = resources.load(write(tmp_path, text))
    assert data.problem == "" and isinstance(data.items[0].checked, str)
    assert resources.render_plain(data)


def test_missing_and_undecodable_files_fall_back(tmp_path):
    missing = resources.load(tmp_path / "nope.toml")
    assert missing.items == () and "could not be read" in missing.problem
    bad = tmp_path / "latin.toml"
    bad.write_bytes(b'intro = "caf\xe9"\n')
    assert "could not be read" in resources.load(bad).problem


def test_the_environment_variable_points_at_a_copy(tmp_path, monkeypatch):
    copy = write(tmp_path, ONE)
    monkeypatch.setenv("SECOND_CHANCE_RESOURCES", str(copy))
    assert resources.load().items[0].name == "Test line"
    assert "checked 2026-11-23" in resources.render_plain()


def test_render_plain_without_items_is_still_help():
    assert resources.render_plain(Resources("Intro.", ())) == "Help and support\nIntro."


# --- the built-in list ------------------------------------------------------------------


@pytest.fixture(scope="module")
def builtin() -> Resources:
    data = resources.load(paths.builtin_dir() / "resources.toml")
    assert data.problem == ""
    return data


def test_every_built_in_entry_says_when_it_was_checked(builtin):
    assert len(builtin.items) >= 15
    for item in builtin.items:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item.checked), item.name
        datetime.date.fromisoformat(item.checked)  # a real date
        assert item.contact and item.name


def test_the_built_in_list_covers_the_countries_and_people_it_promises(builtin):
    regions = {item.region for item in builtin.items}
    assert {"United Kingdom", "United States", "Canada", "Ireland", "Australia", "New Zealand",
            "European Union"} <= regions
    eu = [item for item in builtin.items if item.region == "European Union"]
    assert any("116 006" in item.contact for item in eu)
    assert any("victims of any crime" in item.about for item in eu)  # not only abuse, and not everywhere yet

    def described(region: str, pattern: str) -> bool:
        return any(region in item.region and re.search(pattern, f"{item.name} {item.about}", re.IGNORECASE)
                   for item in builtin.items)

    for region in ("United Kingdom", "Ireland", "Australia"):
        assert described(region, r"\bmen('s)?\b"), region
    for region in ("United Kingdom", "United States", "Australia"):
        assert described(region, r"LGBT|\btrans\b"), region


def test_the_header_says_how_it_was_checked_and_how_to_localise_it():
    head = (paths.builtin_dir() / "resources.toml").read_text(encoding="utf-8").split("intro =")[0]
    for needed in ("SECOND_CHANCE_RESOURCES", "checked", "your country", "copy"):
        assert needed in head, needed


def test_no_two_entries_share_a_number(builtin):
    numbers = [n for item in builtin.items for n in re.findall(r"\d[\d -]{5,}\d", item.contact)]
    assert len(numbers) == len(set(numbers))


# --- topics: which help a story shows, and when ---------------------------------------------




def test_a_topic_lists_its_own_services_and_those_for_everyone(tmp_path):
    data = resources.load(write(tmp_path, TOPICS))
    assert data.problem == "" and [t.id for t in data.topics] == ["abuse", "relationships"]
    relationships = data.topic("relationships")
    assert relationships.intro == "Relationships intro." and relationships.title == "When it is unhealthy"
    assert [r.name for r in relationships.items] == ["Everyone line", "Counselling line"]
    assert [r.name for r in data.topic("abuse").items] == ["Everyone line", "Abuse line"]
    assert data.intro == "Abuse intro."  # the whole file speaks with the default topic's intro


def test_an_unknown_topic_shows_the_whole_list_never_less(tmp_path):
    data = resources.load(write(tmp_path, TOPICS))
    assert data.topic("gambling") == data
    old = resources.load(write(tmp_path, ONE))  # a copy made before topics existed
    assert old.topic("relationships") == old and old.topic("abuse").items == old.items


def test_every_topic_once_for_the_help_key_with_the_story_s_first(tmp_path):
    data = resources.load(write(tmp_path, TOPICS))
    sections = data.sections("relationships")
    assert [s.title for s in sections] == ["When it is unhealthy", "If someone frightens you"]
    assert [[r.name for r in s.items] for s in sections] == [["Everyone line", "Counselling line"], ["Abuse line"]]


def test_the_rule_for_when_help_is_shown():
    from tests.helpers import tiny

    story = tiny()
    plain_ending = next(iter(story.endings.values()))
    marked = attrs.evolve(plain_ending, help=True)
    assert not resources.shows_help(story, plain_ending) and not resources.shows_help(story, None)
    assert resources.shows_help(story, marked) and resources.shows_help(story, plain_ending, marked)
    helped = attrs.evolve(story, help=True)
    assert resources.shows_help(helped, plain_ending) and resources.shows_help(helped)


def test_a_story_shows_the_list_for_its_topic(tmp_path):
    from tests.helpers import tiny

    data = resources.load(write(tmp_path, TOPICS))
    story = tiny()
    assert resources.for_story(story, data) == data.topic("abuse")
    unhealthy = attrs.evolve(story, help_topic="relationships")
    assert resources.for_story(unhealthy, data).intro == "Relationships intro."


def test_fourth_time_lucky_shows_relationship_help_and_the_good_days_the_abuse_lines(builtin):
    from tests.helpers import builtin as story

    loop = resources.for_story(story("fourth-time-lucky"), builtin)
    names = {r.name for r in loop.items}
    assert {"Relate", "Relate NI", "Relationships Scotland", "Accord", "Samaritans"} <= names
    assert "National Domestic Abuse Helpline" not in names and "frighten" not in loop.intro.split(".")[0]
    abuse = resources.for_story(story("the-good-days"), builtin)
    assert "National Domestic Abuse Helpline" in {r.name for r in abuse.items}
    assert "Relate" not in {r.name for r in abuse.items}


@pytest.mark.parametrize(("text", "code"), [
    ('[topics.abuse]\ntitel = "x"\n[[resources]]\nname = "a"\ncontact = "b"\n', "SC020"),
    ('[[resources]]\nname = "a"\ncontact = "b"\ntopics = ["relationshps"]\n', "SC023"),
    ('[[resources]]\nname = "a"\ncontact = "b"\ntopics = "abuse"\n', "SC022"),
    ('topics = 3\n[[resources]]\nname = "a"\ncontact = "b"\n', "SC022"),
])
def test_the_check_finds_mistakes_in_topics(tmp_path, text, code):
    found = resources.check(write(tmp_path, text))
    assert [d.code for d in found] == [code], found
    assert resources.check(write(tmp_path, TOPICS)) == []


# --- a file from whoever set the variable: read like a scenario, shown like story text ------------

ESCAPES = {
    "retitle": "\x1b]0;pwned\x07", "clear": "\x1b[2J", "up and wipe": "\x1b[1A\x1b[2K", "bell": "\x07",
    "c1 csi": "\x9b2J", "osc link": "\x1b]8;;http://x\x1b\\", "nul": "\x00", "backspace": "\x08",
    "carriage return": "\r", "bidi": "\u202e",
}
FIELDS = ("intro", "name", "region", "contact", "about", "checked")


def hostile(escape: str, field: str) -> str:
    """A resources file whose `field` carries `escape`, written as TOML writes it (a \\u escape)."""
    coded = "".join(f"\\u{ord(c):04x}" for c in escape)
    values = {key: f"{key} value" for key in FIELDS}
    values[field] = f"before {coded} after"
    lines = [f'intro = "{values["intro"]}"', "", "[[resources]]"]
    lines += [f'{key} = "{values[key]}"' for key in FIELDS[1:]]
    lines += ["", "[[resources]]", 'name = "Second line"', 'contact = "call 111 111"']
    return "\n".join(lines) + "\n"


def no_control(text: str) -> bool:
    return not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_every_string_is_shown_inert_on_every_output(tmp_path, monkeypatch, escape, field):
    from rich.console import Console

    from game.tui.screens.resources import resources_text
    from game.workshop import handout

    path = write(tmp_path, hostile(ESCAPES[escape], field))
    data = resources.load(path)
    assert len(data.items) == 2 and "control characters" in data.problem
    values = [data.intro, *(getattr(item, key) for item in data.items for key in FIELDS[1:])]
    assert all(no_control(value) for value in values)
    console = Console(width=80, color_system=None, file=io.StringIO(), legacy_windows=False)
    console.print(resources_text(data))
    outputs = {"plain": resources.render_plain(data), "handout": handout.md(resources.render_plain(data)),
               "F2": console.file.getvalue()}
    for where, shown in outputs.items():
        assert no_control(shown), where
        if not (where == "F2" and field == "checked"):  # the F2 screen does not show the date
            assert "before" in shown and "after" in shown, where


def odd_file(path: Path, odd: str, too_large: str) -> Path:
    """Something other than a plain, readable text file, at `path` (or named instead of it)."""
    if odd == "a pipe":
        os.mkfifo(path)
    elif odd == "/dev/zero":
        return Path("/dev/zero")
    elif odd == "a link loop":
        path.symlink_to(path.name)
    elif odd == "a folder":
        path.mkdir()
    elif odd == "too large":
        path.write_text(too_large, encoding="utf-8")
    else:  # not UTF-8
        path.write_bytes(b"be kind \xff\xfe")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("odd", ["a pipe", "/dev/zero", "a link loop", "a folder", "too large"])
def test_a_resources_file_that_is_no_file_is_refused_at_once(tmp_path, odd):
    import time

    path = odd_file(tmp_path / "resources.toml", odd, 'intro = "' + "x" * (resources.MAX_BYTES + 10) + '"\n')
    started = time.monotonic()
    data = resources.load(path)
    assert time.monotonic() - started < 5
    assert data.intro == resources.FALLBACK and data.items == () and "could not be read" in data.problem


async def test_the_help_screen_shows_a_hostile_file_whole_and_inert(tmp_path, monkeypatch, story_dir):
    """F2 over a file that once retitled the terminal and wiped rows: every row is there, as text."""
    from tests.tui_helpers import make_app, screen_text

    nasty = "".join(ESCAPES[name] for name in ("retitle", "up and wipe", "clear", "c1 csi"))
    monkeypatch.setenv("SECOND_CHANCE_RESOURCES", str(write(tmp_path, hostile(nasty, "name"))))
    app = make_app(story_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        shown = screen_text(app)
    assert no_control(shown)
    for row in ("intro value", "before", "after", "contact value", "about value", "Second line", "call 111 111"):
        assert row in shown, row


# --- a workshop's ground rules: the same class ------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("odd", ["a pipe", "/dev/zero", "a link loop", "a folder", "too large", "not UTF-8"])
def test_ground_rules_that_are_no_text_file_are_refused_at_once(tmp_path, odd, capsys):
    import time

    from game.cli import main

    path = odd_file(tmp_path / "rules.txt", odd, "be kind. " * 10_000)
    started = time.monotonic()
    assert main(["workshop", "--rules", str(path)], full_screen=FullScreen(workshop=lambda options: 0)) == 2
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert "the ground rules in" in err and "cannot be read" in err and len(err) < 600


def test_ground_rules_are_shown_as_inert_text(tmp_path):
    from game.cli import main

    seen = []
    path = tmp_path / "rules.txt"
    path.write_text("Be kind.\x1b]0;pwned\x07\nNo names.\x1b[2J\u202e", encoding="utf-8")
    assert main(["workshop", "--rules", str(path)],
                full_screen=FullScreen(workshop=lambda options: seen.append(options) or 0)) == 0
    rules = seen[0].rules
    assert no_control(rules) and "Be kind." in rules and "No names." in rules and "\n" in rules
