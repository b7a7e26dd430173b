"""Positions of keys in TOML source, which tomllib does not give for values."""

from __future__ import annotations

from game.locate import Locator, locate

DOC = '''\
# a comment with [brackets] and = signs
title = "x # not a comment"
"quoted key" = 1
dotted.key = 2

[scenes.bar]
text = """
Many lines, with [brackets] and "quotes" and '' inside.
"""
messages = [
  { from = "you", text = "hey, [u up]?" },
  { from = "Sam", text = 'literal \\ no escape' },
]

[[scenes.bar.choices]]
text = "One"
effects = { trust = -1, self_esteem = 2 }

[[scenes.bar.choices]]
text = "Two"   # trailing comment
follows = ["a", "b",
  "c"]

[scenes.bar.extra]
x = 1

[[scenes.home.choices]]
text = "Three"
'''


def test_every_kind_of_key_is_found():
    found = locate(DOC)
    assert found[("title",)] == (2, 1)
    assert found[("quoted key",)] == (3, 1)
    assert found[("dotted", "key")] == (4, 1)
    assert found[("scenes", "bar")] == (6, 1)
    assert found[("scenes", "bar", "text")] == (7, 1)
    assert found[("scenes", "bar", "messages", 0)] == (11, 3)
    assert found[("scenes", "bar", "messages", 1, "text")] == (12, 19)
    assert found[("scenes", "bar", "choices", 0)] == (15, 1)
    assert found[("scenes", "bar", "choices", 0, "effects", "self_esteem")] == (17, 25)
    assert found[("scenes", "bar", "choices", 1, "text")] == (20, 1)
    assert found[("scenes", "bar", "choices", 1, "follows", 2)] == (22, 3)
    assert found[("scenes", "bar", "extra", "x")] == (25, 1)
    assert found[("scenes", "home", "choices", 0, "text")] == (28, 1)


def test_lookup_falls_back_to_the_nearest_ancestor():
    where = Locator(DOC)
    assert where(("scenes", "bar", "choices", 1, "goto")) == (19, 1)
    assert where(("nowhere", "at", "all")) == (2, 1)  # the document itself: its first key
    assert Locator("# only a comment\n")(("scenario",)) == (1, 1)


def test_value_column_skips_to_the_value():
    where = Locator('if = "trust > 3"\n')
    assert where.value_column(("if",)) == (1, 6)


def test_odd_input_never_raises():
    for text in ["", "[", "a = [", 'a = """', "[[x]]\n[[x]]\n[x.y", "= = =", "{"]:
        locate(text)
