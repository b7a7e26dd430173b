"""Reading a scenario's source: the size cap, the encoding, and TOML syntax with positions.

Everything here happens before the file means anything: a file that is too
large, not UTF-8, empty, not a regular file or not TOML stops here with one
located diagnostic, and the builder never sees it.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import tomli as tomllib  # the compiled wheels parse about twice as fast as the standard library

from game import storage
from game.diagnostics import ERROR, Diagnostic
from game.loader.keys import ID_RULE, YES_NO_KEYS, plain_letters, suggested_id
from game.safetext import quote

MAX_BYTES = 8 * 1024 * 1024
"""Larger files are refused before parsing: no real scenario comes near it."""


def read_bytes(path: Path, file: str, kind: str = "a .toml file") -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or why it cannot be read (never blocks on a pipe or device).

    `kind` names the file wanted, for the hints: a Twine story is read here too.
    """
    def fail(code: str, message: str, hint: str) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(code, message, file, 1, 1, ERROR, hint)]

    try:
        data = storage.read_bytes(path, MAX_BYTES)  # the one reader of files from strangers
    except FileNotFoundError:
        return fail("SC001", "file not found", "check the path, or run `second-chance list`")
    except (IsADirectoryError, storage.NotAFile) as problem:
        if isinstance(problem, IsADirectoryError) or problem.folder:
            return fail("SC001", "is a folder, not a scenario file", f"name {kind} inside it")
        return fail("SC001", "is not a regular file (a pipe, socket or device), so it was not read",
                    f"name {kind} saved by an editor")
    except storage.TooLarge as problem:
        size = f"{problem.size // 1024} KiB, " if problem.size is not None else ""
        return fail("SC004", f"file is {size}over the {MAX_BYTES // (1024 * 1024)} MiB limit",
                    "split the story into several scenarios")
    except OSError as problem:
        return fail("SC001", f"cannot read file: {problem.strerror or problem}", "check its permissions")
    return decode(data, file)


def decode(data: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text without a byte-order mark, or a diagnostic at the first bad byte."""
    if len(data) > MAX_BYTES:
        return None, [Diagnostic("SC004", f"file is over the {MAX_BYTES // (1024 * 1024)} MiB limit", file,
                                 hint="split the story into several scenarios")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        before = data[: problem.start]
        line = before.count(b"\n") + 1
        col = problem.start - (before.rfind(b"\n") + 1) + 1
        return None, [Diagnostic("SC002", f"file is not UTF-8 (byte 0x{data[problem.start]:02x})", file,
                                 line, col, ERROR, "save it as UTF-8 in your editor")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None, [Diagnostic("SC003", "file is empty", file, 1, 1, ERROR,
                                 "start from `second-chance new NAME`")]
    return text, []


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_LONG_NUMBER = re.compile(r"[=\[,{][ \t]*([+-]?\d[\d_]{4000,})")


def parse_toml(text: str, file: str) -> tuple[dict | None, list[Diagnostic]]:
    """The parsed document, or one SC010 diagnostic placed where the problem is.

    The TOML parser reports where it gave up, which for a string that was
    never closed can be far from the mistake: the string swallows the lines
    after it until a quote further down seems to close it. So when parsing
    fails, the file is scanned for such a string first, and the diagnostic
    points at its opening quote.
    """
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as problem:
        message = str(problem)
        line, col = 1, 1
        match = _TOML_POS.search(message)
        if match:
            line, col = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].strip()
            gave_up = _offset(text, line, col)
        else:
            gave_up = len(text)
            if "end of document" in message:
                line = text.count("\n") + 1
        unclosed = _unclosed_string(text, gave_up)
        if unclosed is not None:
            return None, [_unclosed_diagnostic(text, file, unclosed, None if match is None else gave_up)]
        message = message[:1].lower() + message[1:]
        hint = None
        if "twice" in message or "overwrite" in message:
            twice = _defined_twice(text, file)
            if twice is not None:
                return None, [twice]
        declared = re.match(r"cannot declare \((.*)\) twice", message)
        if declared:
            name = ".".join(part.strip(" '\"") for part in declared.group(1).split(","))
            message = f"[{name}] is declared twice"
        if declared or "overwrite" in message:
            hint = _ONCE
        unquoted = _unquoted_key(text, gave_up, message) if match and message in _KEY_ENDS else None
        if unquoted is not None:  # `[scenes.café]`: the parser only says the header should have ended
            line, col = _where(text, unquoted)
            message = f"`{quote(text[unquoted], 8)}` cannot be in an id or a key: an id must {ID_RULE}"
            plain = plain_letters(_key_around(text, unquoted))
            hint = f"write `{suggested_id(plain)}`" if re.search("[A-Za-z0-9]", plain) else None
        bare = _BARE.match(text.splitlines()[line - 1]) if message == "invalid value" and match else None
        if bare:
            hint = _bare_hint(bare[1], bare[2])

        return None, [Diagnostic("SC010", f"TOML syntax: {message}", file, line, col, ERROR, hint)]
    except RecursionError:
        line, col = _where(text, _too_deep(text))
        return None, [Diagnostic("SC010", "TOML syntax: arrays and tables are nested too deeply", file, line, col,
                                 ERROR, "flatten the arrays and tables")]
    except ValueError:  # Python refuses to read a whole number of more than 4,300 digits
        long = _LONG_NUMBER.search(text)
        line, col = _where(text, long.start(1)) if long else (1, 1)
        return None, [Diagnostic("SC010", "TOML syntax: a number is too long to read", file, line, col, ERROR,
                                 "numbers in a scenario are small: write it with fewer digits")]


_ONCE = "each scene, ending and key may be defined only once"


def _bare_hint(key: str, word: str) -> str:
    """The fix for `key = word`, a word TOML cannot read: `help = True` wants lower case, `once = yes` wants
    true, and `goto = evening` wants quotes (a word that is not true, false or a number is text)."""
    yes_no = {"true": "true", "false": "false", "yes": "true", "on": "true", "no": "false", "off": "false"}
    meant = yes_no.get(word.lower())
    if meant is not None and (word.lower() in ("true", "false") or key in YES_NO_KEYS):
        return f"yes and no are written true and false, in lower case: {key} = {meant}"
    return f'text goes in quotes: {key} = "{word}"'


_KEY_START = "invalid initial character for a key part"
_KEY_ENDS = ("expected ']' at the end of a table declaration", "expected ']]' at the end of an array declaration",
             "expected '=' after a key in a key/value pair", _KEY_START)
_KEY_CHARACTER = re.compile(r"[A-Za-z0-9_-]")
_SYNTAX = set("[]{}=.,\"'#")


def _unquoted_key(text: str, gave_up: int, message: str) -> int | None:
    """The offset of a character a bare key may not hold (`é` in `café`, `!`), when the parser gave up on it
    right after a key's letters or at a key's start; None when the problem is something else."""
    if gave_up >= len(text):
        return None
    start = gave_up
    while start > 0 and _KEY_CHARACTER.match(text, start - 1):
        start -= 1
    bad = text[gave_up]
    if (start == gave_up and message != _KEY_START) or bad.isspace() or not bad.isprintable() or bad in _SYNTAX:
        return None
    return gave_up


def _key_around(text: str, at: int) -> str:
    """The whole key the character at `at` stands in: the run of characters up to a dot, bracket, space or `=`."""
    start, end = at, at
    while start > 0 and text[start - 1] not in ".[]= \t\n\"'":
        start -= 1
    while end < len(text) and text[end] not in ".[]= \t\n\"'#":
        end += 1
    return text[start:end]
_BARE = re.compile(r"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*(?:#.*)?\Z")


def _defined_twice(text: str, file: str) -> Diagnostic | None:
    """A table or key defined a second time, at the start of that second header or key, naming it and the line
    it was first defined on; None when the game's reader cannot place it (the parser's wording is kept)."""
    from game.toml import read

    reading = read(text)
    problem = next((p for p in reading.problems if "twice" in p.message or "overwrite" in p.message), None)
    key = next((k for k in reading.keys if problem is not None and k.start == problem.offset), None)
    if key is None:
        return None
    names = key.names()
    earlier = next((k for k in reading.keys if k.start < key.start and k.names()[:len(names)] == names), None)
    if earlier is None:
        return None
    line, col = _where(text, key.start)
    first = _where(text, earlier.start)[0]
    written = text[key.start:key.end]
    if key.header and written.startswith("[") and not written.startswith("[[") \
            and text.startswith("[[", earlier.start):
        name = ".".join(names)
        what = "a choice" if names[-1] == "choices" else "each of a list of tables"
        return Diagnostic("SC010", f"TOML syntax: [{quote(name)}] has one pair of brackets, but [[{quote(name)}]] "
                          f"at line {first} began a list there", file, line, col, ERROR,
                          f"{what} takes two pairs of brackets: [[{quote(name)}]]")
    shown = f"`{quote('.'.join(names[-len(key.parts):]))}`" if not key.header or written.startswith("[[") else \
        quote(written)
    return Diagnostic("SC010", f"TOML syntax: {shown} is already defined at line {first}", file, line, col, ERROR,
                      _ONCE)


def _too_deep(text: str) -> int:
    """Where nesting first goes deeper than TOML parsers read (the game's own reader finds it)."""
    from game.toml import read

    deep = [p.offset for p in read(text).problems if "nested" in p.message]
    return deep[0] if deep else 0


# --- strings that were never closed -----------------------------------------------

_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*"""
_STRUCTURE = re.compile(
    rf"""[ \t]*(?:
        \[\[?[ \t]*[A-Za-z0-9_"'-][^\]\n]*\]\]?[ \t]*(?:\#[^\n]*)?$     # a [table] or [[array]] header
      | {_KEY}[ \t]*=(?!=)                                             # key =
    )""",
    re.VERBOSE,
)
_NEXT_ITEM = re.compile(rf",[ \t]*(?:{_KEY}[ \t]*=[ \t]*)?$")
"""The end of a one-line string that swallowed the start of the next item: `"you, text = "` or `"a, "`."""
_QUOTE_OR_COMMENT = re.compile("[\"'#]")
_BASIC_BODY = re.compile(r'(?:[^"\\\n]|\\[^\n])*')
_LITERAL_BODY = re.compile(r"[^'\n]*")
_REPARSE_BUDGET = 16 * 1024 * 1024
"""Repairs tried on a broken file re-read at most this many characters in all (but at least two, at most 20)."""


@attrs.frozen
class Unclosed:
    """A string that was never properly closed: where it opens, its quote, and the structure it swallowed."""

    offset: int
    quote: str
    swallowed: int | None = None  # where the swallowed structure starts, for a string some later quote closed

    @property
    def multiline(self) -> bool:
        return len(self.quote) == 3


def _offset(text: str, line: int, col: int) -> int:
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    return min(start + col - 1, len(text))


def _where(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _strings(text: str):
    """Every string in `text` that may not be closed where it was meant to be, in file order.

    The scan tolerates a broken file: comments are skipped and strings read by
    TOML's rules. A one-line string ends at its quote or, unclosed, at the end
    of its line; a multi-line one at its closing triple quote, or never. A
    string that did close is still suspect when its text holds what looks
    like TOML: a header line or a `key =` line in a multi-line string, the
    start of the next item (`, text = `) at the end of a one-line one; the
    quote that closed it was meant to open the next string.
    """
    i, n = 0, len(text)
    while i < n:
        found = _QUOTE_OR_COMMENT.search(text, i)
        if found is None:
            return
        i = found.start()
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if text.startswith(ch * 3, i):
            delimiter = ch * 3
            close = i + 3
            while True:
                close = text.find(delimiter, close)
                if close < 0 or ch == "'":
                    break
                backslashes = 0
                while text[close - 1 - backslashes] == "\\":
                    backslashes += 1
                if backslashes % 2 == 0:
                    break
                close += 1
            if close < 0:
                yield Unclosed(i, delimiter)
                return
            for _ in range(2):  # up to two quotes may end the text
                if text.startswith(ch, close + 3):
                    close += 1
            swallowed = _swallowed(text, i + 3, close)
            if swallowed is not None:
                yield Unclosed(i, delimiter, swallowed)
            i = close + 3
            continue
        j = (_BASIC_BODY if ch == '"' else _LITERAL_BODY).match(text, i + 1).end()  # type: ignore[union-attr]
        if j >= n or text[j] != ch:
            yield Unclosed(i, ch)
            i = j
            continue
        next_item = _NEXT_ITEM.search(text, i + 1, j)
        if next_item:
            yield Unclosed(i, ch, next_item.start())
        i = j + 1


def _swallowed(text: str, start: int, end: int) -> int | None:
    """Where the first line that looks like TOML structure starts in text[start:end], if any."""
    line = text.find("\n", start, end)
    while 0 <= line < end:
        line += 1
        stop = text.find("\n", line, end)
        if _STRUCTURE.match(text[line: end if stop < 0 else stop]):
            return line
        line = stop
    return None


def _parses_further(text: str, unclosed: Unclosed, gave_up: int) -> bool:
    """Whether closing the string where it swallowed the structure lets the parser read on past `gave_up`."""
    at = unclosed.swallowed
    assert at is not None
    closing = unclosed.quote + ("\n" if unclosed.multiline else "")
    repaired = text[:at] + closing + text[at:]
    try:
        tomllib.loads(repaired)
    except tomllib.TOMLDecodeError as problem:
        match = _TOML_POS.search(str(problem))
        if not match:
            return "end of document" in str(problem) and len(text) > gave_up
        return _offset(repaired, int(match.group(1)), int(match.group(2))) - len(closing) > gave_up
    except RecursionError:
        return False
    return True


def _unclosed_string(text: str, gave_up: int) -> Unclosed | None:
    """The first string, opened before the parser gave up, that is why it gave up."""
    tries = 0
    budget = max(2, min(20, _REPARSE_BUDGET // max(len(text), 1)))
    for found in _strings(text):
        if found.offset > gave_up:
            return None
        if found.swallowed is None:
            return found  # a one-line string that runs into its line's end; a multi-line one that never ends
        if found.swallowed <= gave_up and tries < budget:
            tries += 1
            if _parses_further(text, found, gave_up):
                return found
    return None


def _unclosed_diagnostic(text: str, file: str, unclosed: Unclosed, gave_up: int | None) -> Diagnostic:
    """SC010 at the opening quote; `gave_up` is where the parser stopped (None: at the end of the file)."""
    line, col = _where(text, unclosed.offset)
    where = "at the end of the file" if gave_up is None else "at line {}, column {}".format(*_where(text, gave_up))
    runs_on = ""
    if unclosed.swallowed is not None:
        end = text.find("\n", unclosed.swallowed)
        swallowed = text[unclosed.swallowed: None if end < 0 else end]
        if unclosed.multiline:
            runs_on = f"it runs on over line {_where(text, unclosed.swallowed)[0]}, `{quote(swallowed.strip(), 40)}`; "
        else:
            runs_on = f"it runs on over `{quote(swallowed[:swallowed.find(unclosed.quote) + 1], 40)}`; "
    kind = "multi-line string" if unclosed.multiline else "string"
    return Diagnostic("SC010", f"TOML syntax: the {kind} opened at line {line} is never closed "
                      f"({runs_on}the TOML parser gave up {where})", file, line, col, ERROR,
                      f"close it with {unclosed.quote} where the text ends")
