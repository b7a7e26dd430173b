"""TOML's values that are not tables or arrays: strings and their escapes, numbers, booleans, dates and times.

Each reader takes the text and the offset where the value starts, and
returns where it ends and what it means. A string is read to its end even
when something inside it breaks TOML's rules (a bad escape, a control
character), with each problem noted, so the reader around it can carry on;
other values either read or raise `Bad`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import attrs


class Bad(Exception):
    """A place where the text breaks TOML's rules: its offset and what is wrong."""

    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset
        self.message = message


ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"', "\\": "\\"}
"""TOML's one-letter escapes (`\\e` is TOML 1.1's)."""
HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
"""Escapes followed by hexadecimal digits, and how many (`\\xHH` is TOML 1.1's)."""

# Runs of characters a string may hold as they are: no quote of its kind, no backslash (basic strings), no
# control character but tab (and line feed in multi-line strings; a carriage return is read on its own).
_RUNS = {
    ('"', False): re.compile(r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'),
    ('"', True): re.compile(r'[^"\\\x00-\x08\x0b-\x1f\x7f]*'),
    ("'", False): re.compile(r"[^'\x00-\x08\x0a-\x1f\x7f]*"),
    ("'", True): re.compile(r"[^'\x00-\x08\x0b-\x1f\x7f]*"),
}
_HEX = frozenset("0123456789abcdefABCDEF")
_TOML_SPACE = " \t"


@attrs.define
class Scanned:
    """One string as read: where it ends, its value, where its text sits, and any problems inside it."""

    end: int  # just after the closing quotes, or where reading stopped
    value: str
    body_start: int  # where the value's text begins (after the quotes and a line break that is trimmed)
    body_end: int  # where it ends (at the closing quotes, or where reading stopped)
    closed: bool
    problems: list[tuple[int, str]] = attrs.field(factory=list)


def read_string(text: str, pos: int) -> Scanned:
    """The string whose opening quote is at `pos`, one-line or multi-line, basic or literal.

    A one-line string that meets the end of its line stops there (not
    closed); a multi-line one that meets the end of the text likewise. A line
    break is "\\n" or "\\r\\n" (read as "\\n" in a value, as TOML says).
    """
    quote = text[pos]
    multiline = text.startswith(quote * 3, pos)
    i = pos + (3 if multiline else 1)
    if multiline:
        if text.startswith("\n", i):
            i += 1
        elif text.startswith("\r\n", i):
            i += 2
    body_start = i
    run = _RUNS[quote, multiline]
    n = len(text)
    out: list[str] = []
    found = Scanned(i, "", body_start, i, False)
    while True:
        match = run.match(text, i)
        if match.end() > i:  # type: ignore[union-attr]
            out.append(match.group())  # type: ignore[union-attr]
            i = match.end()  # type: ignore[union-attr]
        if i >= n:
            found.problems.append((i, "Unterminated string"))
            break
        ch = text[i]
        if ch == quote:
            if not multiline:
                found.closed, found.body_end, found.end = True, i, i + 1
                found.value = "".join(out)
                return found
            if text.startswith(quote * 3, i):
                for _ in range(2):  # up to two more quote marks belong to the text
                    if text.startswith(quote, i + 3):
                        out.append(quote)
                        i += 1
                found.closed, found.body_end, found.end = True, i, i + 3
                found.value = "".join(out)
                return found
            out.append(ch)
            i += 1
        elif ch == "\\":  # only basic strings stop here
            i = _escape(text, i, multiline, out, found.problems)
        elif ch == "\r" and text.startswith("\r\n", i) and multiline:
            out.append("\n")
            i += 2
        elif ch == "\n" or (ch == "\r" and text.startswith("\r\n", i)):
            found.problems.append((i, "Unterminated string"))  # a one-line string runs into its line's end
            break
        else:
            found.problems.append((i, f"Illegal character {ch!r}"))
            out.append(ch)
            i += 1
    found.end = found.body_end = i
    found.value = "".join(out)
    return found


def _escape(text: str, i: int, multiline: bool, out: list[str], problems: list[tuple[int, str]]) -> int:
    """Read the escape at `i` (a backslash) into `out`; returns where reading goes on."""
    code = text[i + 1: i + 2]
    if multiline and code and code in " \t\r\n":  # a backslash at a line's end joins the lines
        j = i + 1
        while j < len(text) and text[j] in _TOML_SPACE:
            j += 1
        if j < len(text) and not (text[j] == "\n" or text.startswith("\r\n", j)):
            problems.append((j, "Unescaped '\\' in a string"))
            return j
        while j < len(text) and (text[j] in " \t\n" or text.startswith("\r\n", j)):
            j += 1
        return j
    width = HEX_ESCAPES.get(code)
    if width:
        digits = text[i + 2: i + 2 + width]
        if len(digits) != width or not _HEX.issuperset(digits):
            problems.append((i + 2, "Invalid hex value"))
            return i + 2
        point = int(digits, 16)
        if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:
            problems.append((i, "Escaped character is not a Unicode scalar value"))
        else:
            out.append(chr(point))
        return i + 2 + width
    if code in ESCAPES:
        out.append(ESCAPES[code])
        return i + 2
    problems.append((i, "Unescaped '\\' in a string"))
    return i + 1 if code in ("", "\n", "\r") else i + 2


# --- everything else -----------------------------------------------------------------------------------------

_TIME = r"([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:\.([0-9]+))?)?"
_DATETIME = re.compile(rf"([0-9]{{4}})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
                       rf"(?:[Tt ]{_TIME}(?:([Zz])|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))?)?")
_LOCAL_TIME = re.compile(_TIME)
_NUMBER = re.compile(r"""
    0(?:x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|b[01](?:_?[01])*|o[0-7](?:_?[0-7])*)   # hexadecimal, binary, octal
  | [+-]?(?:0|[1-9](?:_?[0-9])*)                                               # a decimal whole part
    (?P<fraction>(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?)      # and a float's fraction, exponent
""", re.VERBOSE)
_SPECIAL = ("inf", "nan", "+inf", "-inf", "+nan", "-nan")


def _micros(digits: str | None) -> int:
    return int(digits[:6].ljust(6, "0")) if digits else 0


def _datetime(match: re.Match[str]) -> date | datetime:
    year, month, day, hour, minute, second, fraction, zulu, sign, off_hour, off_minute = match.groups()
    if hour is None:
        return date(int(year), int(month), int(day))
    zone = None
    if sign:
        shift = timedelta(hours=int(off_hour), minutes=int(off_minute))
        zone = timezone(shift if sign == "+" else -shift)
    elif zulu:
        zone = timezone.utc
    return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), _micros(fraction),
                    tzinfo=zone)


def read_scalar(text: str, pos: int) -> tuple[int, Any]:
    """A boolean, number, date or time at `pos`: where it ends and its value; Bad when it is none of them."""
    if text.startswith("true", pos):
        return pos + 4, True
    if text.startswith("false", pos):
        return pos + 5, False
    match = _DATETIME.match(text, pos)
    if match:
        try:
            return match.end(), _datetime(match)
        except ValueError:
            raise Bad(pos, "Invalid date or datetime") from None
    match = _LOCAL_TIME.match(text, pos)
    if match:
        hour, minute, second, fraction = match.groups()
        return match.end(), time(int(hour), int(minute), int(second or 0), _micros(fraction))
    match = _NUMBER.match(text, pos)
    if match:
        try:
            return match.end(), float(match.group()) if match.group("fraction") else int(match.group(), 0)
        except ValueError:  # Python reads whole numbers of at most 4,300 digits
            raise Bad(pos, "a number is too long to read") from None
    for word in _SPECIAL:
        if text.startswith(word, pos):
            return pos + len(word), float(word)
    raise Bad(pos, "Invalid value")
