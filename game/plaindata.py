"""Reading plain data back (JSON's lists, strings and numbers) from a file anyone could have written.

The cache of checked stories reads JSON from the data folder, and a file
there may be damaged or written by someone else. These checks accept only
the exact shapes the game writes and only text the loader would let
through, and raise `Unexpected` for anything else, so the caller can throw
the data away and work from the source instead. Nothing read this way is
ever executed.
"""

from __future__ import annotations

import json
from re import Pattern
from typing import Any

from game.safetext import needs_care


class Unexpected(ValueError):
    """Plain data that is not what the game writes."""


def encode(value: Any) -> bytes:
    """Plain data as the cache writes it: compact JSON in UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def text(value: Any) -> str:
    """A string the loader would have let through: no control character but line breaks, no bidi override."""
    if type(value) is not str or (not value.isprintable() and needs_care(value)):
        raise Unexpected("a text is not plain, printable text")
    return value


def texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise Unexpected("a list has the wrong shape")
    return tuple(text(v) for v in value) if value else ()


def number(value: Any, low: int, high: int) -> int:
    """A whole number (never a bool or a float) between `low` and `high`."""
    if type(value) is not int or not low <= value <= high:
        raise Unexpected("a number is out of range")
    return value


def truth(value: Any) -> bool:
    if type(value) is not bool:
        raise Unexpected("a true-or-false value is not one")
    return value


def items(value: Any, size: int | None = None) -> list:
    """A list, of exactly `size` items when `size` is given."""
    if type(value) is not list or (size is not None and len(value) != size):
        raise Unexpected("a list has the wrong shape")
    return value


def ident(value: Any, pattern: Pattern[str]) -> str:
    """An id that matches its pattern."""
    if type(value) is not str or not pattern.match(value):
        raise Unexpected("an id does not match its pattern")
    return value


def one_of(value: Any, allowed: tuple[str, ...]) -> str:
    if type(value) is not str or value not in allowed:
        raise Unexpected("a value is not one the game knows")
    return value
