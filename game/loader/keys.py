"""The keys a scenario file may hold, what kind of value each takes, and the id patterns.

These tables are the one statement of the format: the builder checks files
against them, `game.schema` generates the editors' JSON Schema from them, and
the language server completes keys from them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import attrs

STR, INT, BOOL, TABLE = "string", "whole number", "true or false", "table"
STRS, TABLES, STEPS = "list of strings", "list of tables", "list of choice numbers or texts"

ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}\Z")
"""Scene, ending, meter, flag and cast ids (at most 64 characters: they appear in messages and maps)."""
ID_RULE = ("start with a letter or an underscore, then hold only letters, digits and underscores (letters A to Z "
           "without accents, at most 64)")
"""ID in words, the one wording every message and help text uses ("an id must ...")."""


_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ẞ": "SS",
                          "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
                          "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T", "ſ": "s"})
"""Latin letters that have no accent to drop, written the way their languages spell them in plain letters."""


def plain_letters(text: str) -> str:
    """Text in ASCII letters: accents dropped (`é` is `e`), and letters with none spelt out (`ø` is `o`,
    `æ` is `ae`, `ß` is `ss`), so `Ünïcødé Café` is `Unicode Cafe`; what has no spelling at all goes."""
    return unicodedata.normalize("NFKD", text.translate(_LETTERS)).encode("ascii", "ignore").decode("ascii")


def suggested_id(bad: str) -> str:
    """The id an id that breaks ID's pattern could be: each run of other characters (a hyphen, a space) made one
    underscore (`met-dev` is `met_dev`), cut to 64 characters, never starting with a digit."""
    fixed = re.sub(r"[^A-Za-z0-9_]+", "_", bad).strip("_")[:64] or "a_name"
    return fixed if not fixed[0].isdigit() else f"_{fixed}"[:64]


ADVICE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")
ADVICE_ID_RULE = "start with a lower-case letter or a digit, then hold only lower-case letters, digits and hyphens " \
                 "(at most 64)"
"""ADVICE_ID in words."""
SCENARIO_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")
"""A scenario's id names its save file, so it is held to a file-name-safe pattern."""
MAX_ORDER = 999
"""The highest `order` a scenario may ask for: the list is short, and a typo like 10000 is caught."""
SOURCE = re.compile(r"A[0-4](?: #\d{1,2})?(?: \S.*)?\Z")


@attrs.frozen
class Field:
    kind: str
    required: bool = False
    limit: int | None = None
    """The most characters a text (or each text of a list) may have: set on the one-line texts a list, a menu
    or a heading shows whole, so a stranger's megabyte summary is an error at its line, never printed."""


TITLE, LINE, PARAGRAPH = 100, 300, 1000
"""Limits for `Field.limit`: a name or title, a line (a choice, a content note), a paragraph (a summary)."""


SCENARIO_KEYS = {
    "id": Field(STR, True),
    "title": Field(STR, True, TITLE),
    "summary": Field(STR, True, PARAGRAPH),
    "start": Field(STR, True),
    "content_notes": Field(STRS, limit=LINE),
    "help": Field(BOOL),
    "help_topic": Field(STR),
    "minutes": Field(INT),
    "author": Field(STR, limit=LINE),
    "order": Field(INT),
}
METER_KEYS = {
    "label": Field(STR, limit=TITLE),
    "start": Field(INT),
    "min": Field(INT),
    "max": Field(INT),
    "hidden": Field(BOOL),
}
ADVICE_KEYS = {
    "title": Field(STR, True, TITLE),
    "text": Field(STR, True),
    "sources": Field(STRS, True),
    "disagreement": Field(STR),
    "stance": Field(STR),
    "category": Field(STR),
    "manipulative": Field(BOOL),
}
SCENE_KEYS = {
    "text": Field(STR, True),
    "title": Field(STR, limit=TITLE),
    "variants": Field(TABLES),
    "messages": Field(TABLES),
    "choices": Field(TABLES, True),
    "discuss": Field(STRS),
    "facilitator": Field(STR),
}
VARIANT_KEYS = {"if": Field(STR, True), "text": Field(STR, True)}
MESSAGE_KEYS = {
    "from": Field(STR, True),
    "text": Field(STR, True),
    "draft": Field(BOOL),
    "if": Field(STR),
}
CHOICE_KEYS = {
    "text": Field(STR, True, LINE),
    "goto": Field(STR, True),
    "if": Field(STR),
    "unavailable": Field(STR),
    "reason": Field(STR),
    "effects": Field(TABLE),
    "set": Field(STRS),
    "clear": Field(STRS),
    "follows": Field(STRS),
    "ignores": Field(STRS),
    "once": Field(BOOL),
    "discuss": Field(STRS),
    "facilitator": Field(STR),
}
ENDING_KEYS = {
    "title": Field(STR, True, TITLE),
    "tone": Field(STR, True),
    "text": Field(STR, True),
    "outcome": Field(STR),
    "when": Field(STR),
    "variants": Field(TABLES),
    "help": Field(BOOL),
    "discuss": Field(STRS),
    "facilitator": Field(STR),
}
EXPECTED_KEYS = {"name": Field(STR, limit=LINE), "choices": Field(STEPS, True), "ending": Field(STR, True)}
CAST_KEYS = {"name": Field(STR, True, TITLE), "aka": Field(STRS, limit=TITLE), "note": Field(STR, True)}
TOP_KEYS = {
    "scenario": Field(TABLE, True),
    "meters": Field(TABLE),
    "flags": Field(TABLE),
    "advice": Field(TABLE),
    "cast": Field(TABLE),
    "scenes": Field(TABLE, True),
    "endings": Field(TABLE, True),
    "expected": Field(TABLES),
}
ID_TABLES = frozenset({"meters", "advice", "cast", "scenes", "endings"})
"""The top-level tables that hold one table per id (`[scenes.hallway]`), not keys of their own."""


def type_ok(value: Any, kind: str) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == TABLE:
        return isinstance(value, dict)
    if kind == STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == TABLES:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if kind == STEPS:
        return isinstance(value, list) and all(
            isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in value
        )
    raise ValueError(kind)  # pragma: no cover


def longest(value: Any) -> int:
    """The length of a text, or of the longest text in a list (what `Field.limit` bounds)."""
    return len(value) if isinstance(value, str) else max(map(len, value), default=0)


def describe(value: Any) -> str:
    """A value's kind in words, for "must be a string, not a number"."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "a date or time"


YES_NO_KEYS = frozenset(key for table in (SCENARIO_KEYS, METER_KEYS, ADVICE_KEYS, SCENE_KEYS, VARIANT_KEYS,
                                         MESSAGE_KEYS, CHOICE_KEYS, ENDING_KEYS, EXPECTED_KEYS, CAST_KEYS)
                        for key, field in table.items() if field.kind == BOOL)
"""Keys that take true or false, wherever they stand: `once = yes` is told to write `once = true`."""
