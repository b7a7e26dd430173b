"""The game's TOML reader agrees with tomli, the parser the loader uses, on what is valid and what it means.

Three sources of documents: a corpus written for this test, one or more
small files for each of TOML's rules (keys, strings and escapes, numbers,
dates, tables, arrays of tables, inline tables, comments, line breaks,
nesting), valid and invalid; every built-in scenario; and random edits of
both, which find the cases no one thought to write. For each, the reader
must refuse exactly what tomli refuses and read exactly what tomli reads.

The reader also agrees with tomli on every file of toml-test, the TOML
project's own suite (777 files, valid and invalid, nine of them not
UTF-8): `python -m tests.toml_suite PATH/TO/toml-test/tests` checks a
checkout of it. That suite is not copied into this project; the corpus
below is our own.
"""

from __future__ import annotations

import datetime
import math
import random

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from game import library
from game.toml import MAX_NESTING, context_at, read

CORPUS = {
    "keys": [
        'bare = 1\nwith-dash_and_1 = 2\n1234 = 3\n', '"quoted key" = 1\n\'literal key\' = 2\n"" = 3\n',
        'a.b.c = 1\na . "b" . d = 2\n', '"a.b" = 1\n', 'a = 1\na = 2\n', 'a = 1\n"a" = 2\n', 'a.b = 1\na = 2\n',
        '= 1\n', 'a b = 1\n', 'a. = 1\n', 'a..b = 1\n', 'a\n= 1\n', 'a = \n', 'a = 1 b = 2\n', 'ö = 1\n',
        '"\\u00e9" = 1\n"\\U0001F600" = 2\n', '"a\nb" = 1\n', '"""a""" = 1\n', 'a = 1 = 2\n',
    ],
    "strings": [
        'a = "tab\\there, \\"quoted\\", back\\\\slash \\u00e9 \\U0001F600 \\e \\x41"\n', "a = 'C:\\\\no\\escapes'\n",
        'a = "\\q"\n', 'a = "\\u00"\n', 'a = "\\uD800"\n', 'a = "\\U00110000"\n', 'a = "\\x4G"\n', 'a = "open\n',
        "a = 'open\n", 'a = "a\x01b"\n', 'a = "a\tb"\n', 'a = "a\x7fb"\n',
        'a = """\nfirst line\nsecond "line" ""quotes"" \\\n    joined"""\n', 'a = """\\\n  \n  x"""\n',
        'a = """x\\  y"""\n', 'a = """ends with quotes"""""\n',
        'a = """six"""""""\n', "a = '''\n raw \\ ''text'' '''\n",
        "a = ''''quoted''''\n", "a = '''never closed\n", 'a = """\r\ncrlf\r\nlines\r\n"""\n', 'a = """lone\rcr"""\n',
        'a = """\\\r\n  joined"""\n', 'a = "no end', 'a = """a\x00b"""\n',
    ],
    "numbers": [
        "a = 0\nb = +1\nc = -1_000\nd = 0xDEAD_beef\ne = 0o755\nf = 0b1010\n", "a = 01\n", "a = 1__0\n", "a = _1\n",
        "a = 1_\n", "a = 0x\n", "a = +0x10\n", "a = 0X10\n",
        "a = 1.5\nb = -0.0\nc = 1e10\nd = 6.626E-34\ne = 1_0.0_1\n",
        "a = 1.\n", "a = .5\n", "a = 1e\n", "a = 1.e5\n", "a = inf\nb = +inf\nc = -inf\nd = nan\ne = -nan\n",
        "a = Inf\n", "a = 99999999999999999999999999999\n", "a = 1" + "0" * 5000 + "\n", "a = truee\n", "a = tru\n",
        "a = true\nb = false\n",
    ],
    "dates": [
        "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00.999999-07:00\nc = 1979-05-27 07:32:00\n",
        "a = 1979-05-27\nb = 07:32:00\nc = 00:32:00.1234567\nd = 1979-05-27T07:32\ne = 07:32\n",
        "a = 2000-02-29\n", "a = 2001-02-29\n", "a = 1979-13-01\n", "a = 1979-05-27T24:00:00\n", "a = 1979-5-27\n",
        "a = 1979-05-27T07:32:00+25:00\n", "a = 1979-05-27t07:32:00z\n", "a = 1979-05-27 # a date and a comment\n",
    ],
    "tables": [
        "[a]\nx = 1\n[b.c]\ny = 2\n[a.d]\nz = 3\n", "[a]\n[a]\n", "[a.b]\n[a]\n[a.b]\n", "a.b = 1\n[a]\n",
        "a = 1\n[a]\n", "[a]\nb = 1\n[a.b]\n", "[ a . b ]\n", "[a]]\n", "[a\n", "[]\n", "[a.]\n", "[a] b = 1\n",
        "[a]\nb.c = 1\n[a.b]\n", "[a]\nb.c = 1\nb.d = 2\n", '[a."b.c"]\n[a.b]\n', "[a]\n[[a]]\n", "[[a]]\n[a]\n",
    ],
    "arrays of tables": [
        "[[a]]\nx = 1\n[[a]]\nx = 2\n", "[[a.b]]\n[a.b.c]\n[[a.b]]\n[a.b.c]\n", "[[a]]\n[[a.b]]\nx = 1\n[[a]]\n",
        "a = [1]\n[[a]]\n", "a = []\n[[a]]\n", "[[a]]\n[[a]]\n[a.b]\nx = 1\n[a.b]\ny = 2\n", "[[ a ]]\n", "[[a]\n",
        "[[a] ]\n", "[a]\n[[a.b]]\n[[a.b]]\n", "a = [{}]\n[a.b]\n",
    ],
    "inline tables and arrays": [
        "a = { b = 1, c.d = 2, 'e' = [1, { f = 3 }] }\n", "a = {}\nb = { }\n", "a = { b = 1, }\n",
        "a = {\n  b = 1, # comment\n  c = 2\n}\n", "a = { b = 1,, }\n", "a = { , }\n", "a = { b = 1 c = 2 }\n",
        "a = { b = 1, b = 2 }\n", "a = { b = {}, b.c = 1 }\n",
        "a = { b.c = 1, b.d = 2 }\n", "a = { b = [], b.c = 1 }\n",
        "a = {b = 1}\na.c = 2\n", "a = {b = 1}\n[a.c]\n",
        "a = { b =\n1 }\n", "a = [1, 'two', 3.0, [4], { five = 5 }]\n",
        "a = [\n  1,\n  2, # comment\n]\n", "a = [,]\n", "a = [1,,2]\n", "a = [1 2]\n", "a = [1,\n", "a = {\n",
        "a = [[[[[]]]]]\n", "a = [ [1,2], [\"x\"] ]\n",
    ],
    "comments and lines": [
        "# a comment\na = 1 # another\n#\n", "a = 1 # bad \x01 char\n", "a = 1\r\nb = 2\r\n", "a = 1\rb = 2\n",
        "# crlf comment\r\n", "# lone \r in a comment\n", "a = 1\x0c\n", "\ufeffa = 1\n", "a = 1\n\ufeffb = 2\n",
        "\n\n   \t\n", "", "a = 1", "}\n", "a = 1 # no line break at the end",
    ],
    "nesting": [
        "a = " + "[" * MAX_NESTING + "]" * MAX_NESTING + "\n",
        "a = " + "[" * (MAX_NESTING + 1) + "1" + "]" * (MAX_NESTING + 1) + "\n",
        "a = " + "{b = " * 50 + "1" + "}" * 50 + "\n",
    ],
}
CASES = [text for group in CORPUS.values() for text in group]


def same(a, b) -> bool:
    """Equal as TOML values: types too (1 is not 1.0 nor True), NaN equals NaN, offsets of times compared.
    Iterative, for documents nested as deep as TOML allows."""
    stack = [(a, b)]
    while stack:
        a, b = stack.pop()
        if type(a) is not type(b):
            return False
        if isinstance(a, float):
            if not ((math.isnan(a) and math.isnan(b)) or a == b):
                return False
        elif isinstance(a, dict):
            if a.keys() != b.keys():
                return False
            stack += [(a[k], b[k]) for k in a]
        elif isinstance(a, list):
            if len(a) != len(b):
                return False
            stack += list(zip(a, b, strict=True))
        elif isinstance(a, (datetime.datetime, datetime.time)):
            if a != b or a.utcoffset() != b.utcoffset():
                return False
        elif a != b:
            return False
    return True


def agrees(text: str) -> bool:
    try:
        wanted = tomli.loads(text)
    except (tomli.TOMLDecodeError, ValueError, RecursionError):
        wanted = None
    got = read(text).value
    return (wanted is None and got is None) or (wanted is not None and got is not None and same(wanted, got))


@pytest.mark.parametrize("group", list(CORPUS))
def test_the_reader_agrees_with_tomli_on_the_corpus(group):
    disagree = [text for text in CORPUS[group] if not agrees(text)]
    assert not disagree, disagree
    verdicts = {read(text).value is None for text in CORPUS[group]}
    assert verdicts == {True, False}, "each group holds valid and invalid files"


@pytest.mark.parametrize("path", library.builtin_scenarios(), ids=lambda p: p.stem)
def test_the_reader_reads_every_built_in_as_tomli_does(path):
    text = path.read_text(encoding="utf-8")
    reading = read(text)
    assert reading.problems == () and same(tomli.loads(text), reading.value)


SEEDS = CASES + [p.read_text(encoding="utf-8") for p in library.builtin_scenarios()]
PIECES = list("[]{}=,.\"'#\n \t\\ab01_-+:eExuU\r") + ['"""', "'''", "\\u00", "1979-05-27", "inf", "true", "[[", "]]"]


@settings(max_examples=400)
@given(st.integers(0, 2**32), st.integers(1, 3))
def test_random_edits_keep_the_reader_and_tomli_agreeing(seed, edits):
    rng = random.Random(seed)
    text = rng.choice(SEEDS)
    if len(text) > 2000:
        start = rng.randrange(len(text) - 2000)
        text = text[start:start + 2000]
    for _ in range(edits):
        at = rng.randrange(len(text) + 1)
        piece = rng.choice(PIECES)
        text = rng.choice([text[:at] + piece + text[at:], text[:at] + text[at + 1:], text[:at] + piece + text[at + 1:]])
    assert agrees(text), text


def test_problems_are_placed_where_they_are():
    text = 'a = 1\nb = [1, 2\nc = "x"\n[d]\ne = 01\n'
    reading = read(text)
    assert [(p.offset, p.message) for p in reading.problems] == [
        (text.index("c ="), "Unclosed array"),
        (text.index("1\n", text.index("e =")), "Expected newline or end of document after a statement")]
    assert reading.tree["c"] == "x" and "d" in reading.tree  # read on past the array never closed
    deep = "a = " + "[" * 500
    [problem] = read(deep).problems
    assert problem.offset == len("a = ") + MAX_NESTING + 1 and "nested" in problem.message


def test_the_cursor_context_in_a_half_typed_file():
    text = '[scenes.bar]\ntext = "Hi"\n[[scenes.bar.choices]]\ngoto = "ho'
    context = context_at(text, len(text))
    assert (context.kind, context.names, context.prefix) == ("string", ("scenes", "bar", "choices", "goto"), "ho")
    assert context.path == ("scenes", "bar", "choices", 0, "goto")
    assert context_at("a = [1, ", 8).kind == "value" and context_at("[scen", 5).kind == "header"
    assert context_at("x = { y = 1, ", 13).names == ("x",)
