"""Help resources: the data file a facilitator can localise, read without ever raising.

The built-in list must say when each entry was last checked, cover the countries
the game promises, and keep its header's instructions for localising it; the
reader must turn any file, however broken, into something that still points a
player at help.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import attrs
import pytest

from game import paths, resources
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
