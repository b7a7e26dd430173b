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

import pytest

from game import paths, resources
from game.resources import Resource, Resources


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
