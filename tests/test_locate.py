"""Positions of keys in TOML source, which tomllib does not give for values."""

from __future__ import annotations

import tomli

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


def test_tables_made_by_a_deeper_header_sit_at_that_header():
    found = locate('# note\n[[scenes.bar.choices]]\ntext = "x"\n\n[endngs.left.deep]\nx = 1\n')
    assert found[()] == (2, 1)
    assert found[("scenes",)] == found[("scenes", "bar")] == (2, 1)
    assert found[("endngs",)] == found[("endngs", "left")] == (5, 1)


def test_tables_made_by_a_dotted_key_sit_at_that_key():
    found = locate('[scenes.bar]\n  choices.extra.x = 1\n')
    assert found[("scenes", "bar", "choices")] == (2, 3)
    assert found[("scenes", "bar", "choices", "extra")] == (2, 3)
    assert found[("scenes", "bar", "choices", "extra", "x")] == (2, 3)


def test_a_table_is_placed_where_it_first_appears():
    found = locate('[[scenes.bar.choices]]\ntext = "x"\n\n[scenes.bar]\ntext = "y"\n')
    assert found[("scenes", "bar")] == (1, 1)
    assert found[("scenes", "bar", "text")] == (5, 1)


def test_quoted_keys_are_decoded_like_the_parser_decodes_them():
    text = '"caf\\u00e9" = 1\n"\\U0001F600" = 2\n"\\x41\\e" = 3\n"tab\\there" = 4\n\'lit\\u00e9\' = 5\n'
    found = locate(text)
    assert list(found)[1:] == [(key,) for key in tomli.loads(text)]
    assert found[("caf\u00e9",)] == (1, 1)
    assert found[("\U0001F600",)] == (2, 1)
    assert found[("A\x1b",)] == (3, 1)
    assert found[("lit\\u00e9",)] == (5, 1)


def test_dotted_headers_with_spaces_and_quotes():
    found = locate('[ scenes . "bar" ]\ntext = "x"\n[[ scenes . \'bar\' . choices ]]\ngoto = "y"\n')
    assert found[("scenes", "bar", "text")] == (2, 1)
    assert found[("scenes", "bar", "choices", 0)] == (3, 1)
    assert found[("scenes", "bar", "choices", 0, "goto")] == (4, 1)


def test_array_of_tables_items_under_dotted_headers():
    text = '[[a.b]]\nx = 1\n[a.b.c]\ny = 2\n[[a.b]]\nx = 3\n[[a.b.d]]\nz = 4\n'
    found = locate(text)
    assert found[("a", "b", 0, "c", "y")] == (4, 1)
    assert found[("a", "b", 1)] == (5, 1)
    assert found[("a", "b", 1, "x")] == (6, 1)
    assert found[("a", "b", 1, "d", 0, "z")] == (8, 1)


def test_inline_tables_inside_arrays():
    found = locate('m = [\n  { from = "you", text = "a" },\n  {from="Sam",if="x",nested={ k = [1, { q = 2 }] }},\n]\n')
    assert found[("m", 1, "if")] == (3, 15)
    assert found[("m", 1, "nested", "k", 1, "q")] == (3, 41)


def test_keys_after_multi_line_strings():
    text = ('a = """\nlooks = "like a key"\n[not.a.table]\n\\"""\n"""\n'
            "b = '''\nc = 1\n'''\n"
            'd = """x\\\\"""\ne = 1\n')
    assert list(tomli.loads(text)) == ["a", "b", "d", "e"]
    found = locate(text)
    assert ("looks",) not in found and ("not", "a", "table") not in found
    assert found[("b",)] == (6, 1)
    assert ("c",) not in found
    assert found[("d",)] == (9, 1)
    assert found[("e",)] == (10, 1)


def test_value_column_of_multi_line_and_single_quoted_strings():
    where = Locator('a = """\ntrust > 3"""\nb = \'\'\'x\'\'\'\nc =   "y"\n')
    assert where.value_column(("a",)) == (2, 0)  # the line break after the quotes is not part of the text
    assert where.value_column(("b",)) == (3, 7)
    assert where.value_column(("c",)) == (4, 7)
