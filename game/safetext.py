"""Text from strangers, made safe to show: no control byte ever reaches a terminal or a page.

Scenario files, saves, file names and anything a phone sends are written by
people the player has never met. A terminal obeys the escape sequences in what
it is given (retitling the window, clearing the screen, making links), and a
right-to-left override can make text read differently from what it says. The
loader refuses such characters in a scenario (`scan`), and every place that
shows text the user did not write passes it through `printable` or `quote`
as well, so a value that never went through the loader (a file name, a save,
a diagnostic) is safe on its own.

A lone surrogate (U+D800 to U+DFFF) is not text at all: no file, page or
terminal can hold it, and writing it fails. Python makes one from a byte that
is not UTF-8 in a command line, an environment variable or a file name
(`surrogateescape`), and JSON lets a log or a phone spell one (`"\\ud800"`).
So it counts as a control character here: `scan` reports it, `printable`
writes it as a visible escape (`\\xff` for the byte it stood for), and text
cleaned here can always be written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

PATTERNS = {
    "CONTROL": "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]",
    # C0 controls but tab and newline, DEL, the C1 controls (ESC, CSI, OSC among them), and lone surrogates.
    "SURROGATE": "[\ud800-\udfff]",
    # Lone surrogates: not text, and no encoding can write them.
    "BIDI": "[\u202a-\u202e\u2066-\u2069]",
    # Bidirectional embeddings, overrides and isolates: they reorder what is shown.
    "CAREFUL": "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]",
    # Every character `printable` changes (all but the line break among controls, tabs included):
    # text without one, most story text even over many lines, passes after a single search.
    "BLANK": ("[\\s\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
              "\u2028-\u202e\u205f-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\ud800-\udfff"
              "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]*"),
    # What draws nothing: spaces, controls, Unicode's default-ignorable code points (zero-width and format
    # characters, variation selectors, the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0) and the blank
    # braille pattern U+2800. A text of nothing else looks empty, so it counts as empty (`blank`).
}
"""The characters this module looks for, by name: `safetext.CONTROL` and the others are these, compiled.

Each is compiled the first time it is used, not when the module is imported:
a class of characters beyond Latin-1 takes Python's regular expressions a
good half millisecond to compile, and the list's first frame shows text
(titles, blurbs) that passes `str.isprintable` and never needs one."""


@cache
def pattern(name: str) -> re.Pattern[str]:
    """One of `PATTERNS`, compiled (once)."""
    return re.compile(PATTERNS[name])


def __getattr__(name: str) -> re.Pattern[str]:
    """`CONTROL`, `SURROGATE`, `BIDI` and `CAREFUL` as module constants, compiled when first asked for."""
    if name in PATTERNS:
        return pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MAX_MARKS = 4
"""Combining marks kept on one character in text a stranger typed (`tame`): more than any script stacks, far
fewer than it takes to spill a word over the lines above and below it ("Z" with a hundred accents)."""
KEPT_FORMAT = frozenset("\u200c\u200d\u200e\u200f")
"""Invisible format characters that text needs: the zero-width joiners (emoji sequences, Indic and Persian
words) and the left-to-right and right-to-left marks."""

TAB = "    "
QUOTE_LIMIT = 60
"""A quoted value is cut to this many characters: a diagnostic names a value, it does not echo a megabyte."""
PATH_LIMIT = 200
"""A quoted file name or system message is cut to this many: longer than any real one, shorter than a screen."""

_NAMES = {0x1B: "ESC", 0x07: "BEL", 0x00: "NUL", 0x08: "BS", 0x0D: "CR", 0x7F: "DEL", 0x9B: "CSI", 0x9D: "OSC",
          0x0C: "FF"}


def char_name(char: str) -> str:
    """`U+001B (ESC)`: how a diagnostic names a character that cannot be shown."""
    code = ord(char)
    name = _NAMES.get(code) or ("not text" if 0xD800 <= code <= 0xDFFF else None)
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by `surrogateescape`: shown as that byte
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def surrogate_at(text: str) -> int | None:
    """Where the first lone surrogate is in `text` (None when there is none): text that cannot be written."""
    if text.isprintable():
        return None
    found = pattern("SURROGATE").search(text)
    return found.start() if found else None


def needs_care(text: str) -> bool:
    """True when `printable` would change the text (or `scan` could find something in it)."""
    return not text.isprintable() and pattern("CAREFUL").search(text) is not None


def printable(text: str) -> str:
    """Text as it may be shown: line breaks kept, tabs as spaces, controls and overrides made visible.

    A Windows line end becomes a plain one; any other control character is
    written as a visible escape (`\\x1b`) instead of being obeyed, and a bidi
    override is dropped so text reads in the order it was written.
    """
    if text.isprintable() or not needs_care(text):
        return text
    text = text.replace("\r\n", "\n").replace("\t", TAB)
    text = pattern("BIDI").sub("", text)
    return pattern("CONTROL").sub(_escape, text)


def tame(text: str, marks: int = MAX_MARKS) -> str:
    """Text a stranger typed for the room to read (a phone's idea): at most `marks` combining marks on one
    character (the rest dropped), and no invisible format character it has no use for (a byte order mark,
    an interlinear annotation, a zero-width space; emoji tags and the joiners in KEPT_FORMAT stay)."""
    if text.isascii():
        return text
    out: list[str] = []
    stacked = 0
    for char in text:
        kind = unicodedata.category(char)
        if kind in ("Mn", "Me"):
            stacked += 1
            if stacked > marks:
                continue
        else:
            stacked = 0
            if kind == "Cf" and char not in KEPT_FORMAT and not "\U000e0020" <= char <= "\U000e007f":
                continue
        out.append(char)
    return "".join(out)


def blank(text: str) -> bool:
    """True when `text` shows nothing: only spaces and characters that draw nothing (the `BLANK` class).

    Every text that must say something (an idea, a team's name, a branch's name, a line of the ground
    rules) is tested here, so an idea made of Hangul fillers is "empty" like one made of spaces, and is
    never a blank row on the facilitator's list or a blank bullet on the room's screen."""
    return pattern("BLANK").fullmatch(text) is not None


def one_line(text: str) -> str:
    """`printable`, on one line: a line break shows as `\\n`."""
    return printable(text).replace("\n", "\\n")


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value for a message: on one line, safe, and cut to `limit` characters with a count of the rest."""
    text = one_line(str(value))
    if len(text) > limit:
        rest = len(text) - limit
        text = f"{text[:limit]}… ({rest:,} more characters)"
    return text


def scan(text: str) -> list[tuple[int, str, str]]:
    """The characters a scenario may not contain: (offset, character, "control" or "bidi")."""
    if text.isprintable() or not needs_care(text):
        return []
    found = [(m.start(), m.group(), "control") for m in pattern("CONTROL").finditer(text)
             if not (m.group() == "\r" and text[m.start() + 1: m.start() + 2] == "\n")]
    found += [(m.start(), m.group(), "bidi") for m in pattern("BIDI").finditer(text)]
    return sorted(found)
