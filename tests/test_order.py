"""The order the list offers stories in: set by each story's `order`, the rest after by title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game import library
from game.loader import read_scenario
from tests.helpers import MINIMAL, write

ROOT = Path(__file__).resolve().parent.parent


def with_order(value: str, story_id: str = "tiny", title: str = "Tiny") -> str:
    return MINIMAL.replace('id = "tiny"', f'id = "{story_id}"\norder = {value}').replace(
        'title = "Tiny"', f'title = "{title}"')


def test_order_is_read_and_defaults_to_none(tmp_path):
    assert read_scenario(write(tmp_path, with_order("3"))).scenario.order == 3
    assert read_scenario(write(tmp_path, MINIMAL)).scenario.order == 0


@pytest.mark.parametrize("value, code", [("0", "SC023"), ("-2", "SC023"), ("1000", "SC023"),
                                         ('"1"', "SC022"), ("true", "SC022")])
def test_a_bad_order_is_reported_where_it_is(tmp_path, value, code):
    text = with_order(value)
    result = read_scenario(write(tmp_path, text))
    assert result.scenario is None
    [problem] = result.diagnostics
    assert problem.code == code and problem.line == text.splitlines().index(f"order = {value}") + 1
    if code == "SC023":
        assert "1 to 999" in problem.format()


def test_gather_orders_by_order_then_title(tmp_path):
    write(tmp_path, with_order("2", "b", "Bee"), "a.toml")
    write(tmp_path, MINIMAL.replace('id = "tiny"', 'id = "z"').replace('"Tiny"', '"Zed"'), "b.toml")
    write(tmp_path, with_order("1", "c", "Sea"), "c.toml")
    write(tmp_path, MINIMAL.replace('id = "tiny"', 'id = "alpha"').replace('"Tiny"', '"alpha"'), "d.toml")
    write(tmp_path, "[scenario", "e.toml")  # broken: no order, listed by its file name
    entries, _ = library.gather(builtin=False, folders=[tmp_path])
    assert [e.title for e in entries] == ["Sea", "Bee", "alpha", "e", "Zed"]


def test_builtin_stories_come_in_the_readme_tables_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## The scenarios", 1)[1].split("\n\n## ", 1)[0]
    names = re.findall(r"^\| `([a-z0-9-]+)` \|", table, re.MULTILINE)
    entries, _ = library.gather(builtin=True)
    assert [e.path.stem for e in entries] == names
    assert [e.scenario.order for e in entries] == list(range(1, len(names) + 1))
    assert names[0] == "happy-birthday"  # the short warm-up first
