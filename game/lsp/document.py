"""A tolerant reading of a scenario's text: what is where, even while it does not parse.

An editor sends the file as it is being typed, so most of the time it is not
valid TOML: a string not yet closed, a `goto = ` with nothing after it, a
table header half written. The loader (rightly) refuses such a file; the
editor still wants to know which table the cursor is in, which key the value
belongs to, and where every scene id is written. This reader walks the text
the way TOML would, never raises, and recovers at the next line that looks
like a header or a `key =`, so one slip does not blind it to the rest.

It gives two things:

- `read(text)`: every header, key and string in the file, each with its key
  path (array-of-tables positions included, as in `game.locate`) and its
  offsets, plus a rough tree of the values for titles and ids;
- `context_at(text, offset)`: what the cursor is in (a key being typed, a
  value, a string, a header), with the key path and the text typed so far.

Offsets are indexes into the text (code points); `Lines` turns them into the
LSP's 0-based lines and columns in the client's units.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import attrs
from lsprotocol import types

from game.locate import multiline_end, resolve

Path = tuple  # strings for keys, ints for places in an array

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_DOTTED = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"
_STATEMENT = re.compile(rf"\[\[?[ \t]*{_DOTTED}[ \t]*\]\]?[ \t]*(?:#.*)?$|[ \t]*{_DOTTED}[ \t]*=", re.M)
"""A header at the start of a line, or a `key =`: where reading resumes after something left open."""
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "b": "\b", "f": "\f", "e": "\x1b"}
_UNICODE = re.compile(r"u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})")


@attrs.frozen
class Part:
    """One part of a key as written: its text and where it sits (inside the quotes, if quoted)."""

    text: str
    start: int
    end: int
    quoted: bool = False


@attrs.frozen
class Key:
    """A header (`[scenes.bar]`) or a key (`goto`), with the full path it names."""

    path: Path
    parts: tuple[Part, ...]
    header: bool
    start: int
    end: int

    def names(self) -> tuple[str, ...]:
        """The string parts of the path: the path without array positions."""
        return tuple(p for p in self.path if isinstance(p, str))

    def part_for(self, index: int) -> Part | None:
        """The written part that is `names()[index]`, if this key writes it."""
        names = self.names()
        first = len(names) - len(self.parts)
        if first <= index < len(names):
            return self.parts[index - first]
        return None


@attrs.frozen
class String:
    """A string value: its path, its decoded value, and where its content sits in the text."""

    path: Path
    value: str
    start: int  # the opening quote
    end: int  # just after the closing quote (or where reading stopped)
    content_start: int
    content_end: int
    multiline: bool

    def names(self) -> tuple[str, ...]:
        return tuple(p for p in self.path if isinstance(p, str))


@attrs.frozen
class Context:
    """What the cursor is in.

    kind is "key" (a key is expected or being typed), "value" (after `=`, or
    in an array, before any quote), "string" (inside a string), "header"
    (inside `[...]`) or "other" (a comment, a number, after a finished value).
    `names` is the key path without array positions: for "key", the table's
    path plus any dotted parts already typed; for "value" and "string", the
    path of the key the value belongs to. `prefix` is what is typed so far
    and `start` the offset where it begins.
    """

    kind: str
    names: tuple[str, ...] = ()
    path: Path = ()
    prefix: str = ""
    start: int = 0
    in_array: bool = False
    table: Path = ()


class _Stop(Exception):
    def __init__(self, context: Context):
        self.context = context


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.table: Path = ()
        self.aot: dict[Path, int] = {}
        self.keys: list[Key] = []
        self.strings: list[String] = []
        self.scalars: dict[Path, Any] = {}
        self.recovered = False  # set when an unclosed array or inline table was abandoned at a new statement

    # -- characters ----------------------------------------------------------------

    def skip(self, newlines: bool) -> bool:
        """Skip blanks and comments; True when a line break was crossed."""
        text, crossed = self.text, False
        while self.pos < self.n:
            ch = text[self.pos]
            if ch in " \t\r":
                self.pos += 1
            elif ch == "\n" and newlines:
                self.pos += 1
                crossed = True
            elif ch == "#":
                end = text.find("\n", self.pos)
                if end < 0:
                    self.pos = self.n
                    raise _Stop(Context("other"))
                self.pos = end
            else:
                break
        return crossed

    def statement_ahead(self) -> bool:
        """Whether the current line starts a header or a `key =` (something left open is abandoned)."""
        line_start = self.text.rfind("\n", 0, self.pos) + 1
        if _STATEMENT.match(self.text, line_start) is None:
            return False
        self.recovered = True
        return True

    # -- keys ----------------------------------------------------------------------------

    def read_key(self, stop: Context) -> list[Part]:
        """A dotted key. At the end of the text, stops with `stop` plus the parts and the prefix typed."""
        parts: list[Part] = []
        text = self.text
        while True:
            self.skip(False)
            if self.pos >= self.n:
                raise _Stop(attrs.evolve(stop, names=stop.names + tuple(p.text for p in parts), start=self.pos))
            ch = text[self.pos]
            if ch in "\"'":
                start = self.pos + 1
                value, closed = self.read_quoted(ch)
                if not closed and self.pos >= self.n:
                    raise _Stop(attrs.evolve(stop, names=stop.names + tuple(p.text for p in parts),
                                             prefix=value, start=start))
                parts.append(Part(value, start, self.pos - 1 if closed else self.pos, True))
            else:
                match = _BARE.match(text, self.pos)
                if not match:
                    break
                self.pos = match.end()
                if self.pos >= self.n:
                    raise _Stop(attrs.evolve(stop, names=stop.names + tuple(p.text for p in parts),
                                             prefix=match.group(), start=match.start()))
                parts.append(Part(match.group(), match.start(), match.end()))
            self.skip(False)
            if self.pos < self.n and text[self.pos] == ".":
                self.pos += 1
                continue
            if self.pos >= self.n and parts:
                raise _Stop(Context("other"))
            break
        return parts

    def read_quoted(self, quote: str) -> tuple[str, bool]:
        """A one-line string; returns its value and whether it was closed. Stops at the line's end."""
        text = self.text
        i = self.pos + 1
        out: list[str] = []
        while i < self.n and text[i] != quote and text[i] != "\n":
            if quote == '"' and text[i] == "\\" and i + 1 < self.n and text[i + 1] != "\n":
                i += 1
                ch = text[i]
                unicode = _UNICODE.match(text, i)
                if unicode:
                    try:
                        out.append(chr(int(unicode.group(1) or unicode.group(2), 16)))
                    except (ValueError, OverflowError):
                        pass
                    i = unicode.end()
                    continue
                out.append(_ESCAPES.get(ch, ch))
                i += 1
                continue
            out.append(text[i])
            i += 1
        closed = i < self.n and text[i] == quote
        self.pos = i + 1 if closed else i
        return "".join(out), closed

    def resolve(self, names: list[str]) -> Path:
        """The path a header names, with the current place in every array of tables on the way."""
        return resolve(names, self.aot)

    # -- values ----------------------------------------------------------------------------

    def string(self, path: Path, in_array: bool) -> None:
        text = self.text
        quote = text[self.pos]
        start = self.pos
        names = tuple(p for p in path if isinstance(p, str))
        if text.startswith(quote * 3, self.pos):
            content_start = self.pos + 3
            end = multiline_end(text, content_start, quote)
            if end is None:
                raise _Stop(Context("string", names, path, text[content_start:], content_start, in_array,
                                    self.table))
            raw = text[content_start:end]
            self.pos = end + 3
            value = _multiline(raw, quote)
            self.strings.append(String(path, value, start, self.pos, content_start, end, True))
            return
        value, closed = self.read_quoted(quote)
        content_end = self.pos - 1 if closed else self.pos
        if not closed and self.pos >= self.n:
            raise _Stop(Context("string", names, path, text[start + 1:self.pos], start + 1, in_array, self.table))
        self.strings.append(String(path, value, start, self.pos, start + 1, content_end, False))

    def value(self, path: Path, in_array: bool = False) -> None:
        self.skip(False)
        names = tuple(p for p in path if isinstance(p, str))
        if self.pos >= self.n:
            raise _Stop(Context("value", names, path, "", self.pos, in_array, self.table))
        ch = self.text[self.pos]
        if ch in "\"'":
            self.string(path, in_array)
        elif ch == "[":
            self.array(path)
        elif ch == "{":
            self.inline(path)
        else:
            start = self.pos
            while self.pos < self.n and self.text[self.pos] not in ",]}\n#":
                self.pos += 1
            if self.pos >= self.n:
                raise _Stop(Context("value", names, path, self.text[start:], start, in_array, self.table))
            self.scalars[path] = _scalar(self.text[start:self.pos].strip())

    def array(self, path: Path) -> None:
        self.pos += 1
        index = 0
        names = tuple(p for p in path if isinstance(p, str))
        while True:
            crossed = self.skip(True)
            if self.pos >= self.n:
                raise _Stop(Context("value", names, (*path, index), "", self.pos, True, self.table))
            if crossed and self.statement_ahead():
                return
            ch = self.text[self.pos]
            if ch == "]":
                self.pos += 1
                return
            if ch == ",":
                self.pos += 1
                continue
            if ch in "}=":
                self.pos += 1
                continue
            self.value((*path, index), in_array=True)
            if self.recovered:
                return
            index += 1

    def inline(self, path: Path) -> None:
        self.pos += 1
        names = tuple(p for p in path if isinstance(p, str))
        while True:
            crossed = self.skip(True)
            if self.pos >= self.n:
                raise _Stop(Context("key", names, path, "", self.pos, False, self.table))
            if crossed and self.statement_ahead():
                return
            ch = self.text[self.pos]
            if ch == "}":
                self.pos += 1
                return
            if ch == ",":
                self.pos += 1
                continue
            parts = self.read_key(Context("key", names, path, "", self.pos, False, self.table))
            if not parts:
                if self.text[self.pos] in "]\n":
                    return  # `[{ a = 1 ]`: the table was never closed
                self.pos += 1
                continue
            key_path = (*path, *(p.text for p in parts))
            self.keys.append(Key(key_path, tuple(parts), False, _start(parts), parts[-1].end))
            self.skip(False)
            if self.pos < self.n and self.text[self.pos] == "=":
                self.pos += 1
                self.value(key_path)
                if self.recovered:
                    return

    # -- the document ------------------------------------------------------------------

    def header(self) -> None:
        text = self.text
        start = self.pos
        array = text.startswith("[[", self.pos)
        self.pos += 2 if array else 1
        parts = self.read_key(Context("header", (), (), "", self.pos))
        self.skip(False)
        closing = "]]" if array else "]"
        if self.pos >= self.n:
            raise _Stop(Context("header", tuple(p.text for p in parts), (), "", self.pos))
        if text.startswith(closing, self.pos):
            self.pos += len(closing)
        end = self.pos
        line_end = text.find("\n", self.pos)
        self.pos = self.n if line_end < 0 else line_end
        names = [p.text for p in parts]
        if not names:
            self.table = ()
            return
        if array:
            parent = self.resolve(names[:-1])
            own = (*parent, names[-1])
            self.aot[own] = self.aot.get(own, 0) + 1
            self.table = (*own, self.aot[own] - 1)
        else:
            self.table = self.resolve(names)
        self.keys.append(Key(self.table, tuple(parts), True, start, end))

    def statement(self) -> None:
        table_names = tuple(p for p in self.table if isinstance(p, str))
        parts = self.read_key(Context("key", table_names, self.table, "", self.pos, False, self.table))
        if not parts:
            self.to_line_end()
            return
        path = (*self.table, *(p.text for p in parts))
        self.keys.append(Key(path, tuple(parts), False, _start(parts), parts[-1].end))
        self.skip(False)
        if self.pos >= self.n:
            raise _Stop(Context("other"))
        if self.text[self.pos] != "=":
            self.to_line_end()
            return
        self.pos += 1
        self.value(path)
        if self.recovered:
            self.recovered = False
            return
        self.to_line_end()

    def to_line_end(self) -> None:
        self.skip(False)
        end = self.text.find("\n", self.pos)
        if end < 0:
            self.pos = self.n
            raise _Stop(Context("other"))
        self.pos = end

    def run(self) -> Context:
        try:
            while True:
                self.skip(True)
                if self.pos >= self.n:
                    table_names = tuple(p for p in self.table if isinstance(p, str))
                    return Context("key", table_names, self.table, "", self.pos, False, self.table)
                if self.text[self.pos] == "[":
                    self.header()
                else:
                    self.statement()
        except _Stop as stop:
            return stop.context
        except (IndexError, ValueError, RecursionError):  # pragma: no cover - a safety net, never a crash
            return Context("other")


def _start(parts: list[Part]) -> int:
    """Where a written key begins: its first part, with the opening quote if it has one."""
    return parts[0].start - 1 if parts[0].quoted else parts[0].start


def _multiline(raw: str, quote: str) -> str:
    if raw.startswith("\r\n"):
        raw = raw[2:]
    elif raw.startswith("\n"):
        raw = raw[1:]
    if quote == "'":
        return raw
    raw = re.sub(r"\\[ \t]*\r?\n\s*", "", raw)  # a backslash at a line's end joins the lines
    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", _unescape, raw)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:
        try:
            return chr(int(code[1:], 16))
        except (ValueError, OverflowError):
            return ""
    return _ESCAPES.get(code, code)


def _scalar(raw: str) -> Any:
    if raw in ("true", "false"):
        return raw == "true"
    try:
        return int(raw.replace("_", ""), 0) if raw[:1] in "+-0123456789" else raw
    except ValueError:
        return raw


@attrs.frozen
class Reading:
    """Everything `read` found: headers and keys, strings, and a rough tree of the values."""

    text: str
    keys: tuple[Key, ...]
    strings: tuple[String, ...]
    tree: dict

    def strings_named(self, *names: str) -> list[String]:
        """Strings whose path ends with these names (array positions ignored)."""
        return [s for s in self.strings if s.names()[-len(names):] == names]


def read(text: str) -> Reading:
    """Read the whole text, as well as it can be read."""
    reader = _Reader(text)
    reader.run()
    tree: dict = {}
    for key in reader.keys:
        _put(tree, key.path, None)
    for path, value in reader.scalars.items():
        _put(tree, path, value)
    for string in reader.strings:
        _put(tree, string.path, string.value)
    return Reading(text, tuple(reader.keys), tuple(reader.strings), tree)


def _put(tree: dict, path: Path, value: Any) -> None:
    """Set `path` in a tree of dicts (array positions become int keys); a bare key makes an empty table."""
    node = tree
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    if not path:
        return
    if value is None:
        if not isinstance(node.get(path[-1]), dict):
            node.setdefault(path[-1], {})
    elif not isinstance(node.get(path[-1]), dict) or not node[path[-1]]:
        node[path[-1]] = value


def context_at(text: str, offset: int) -> Context:
    """What the cursor at `offset` is in, reading only the text before it."""
    return _Reader(text[:offset]).run()


class Lines:
    """Converts between offsets in the text and LSP positions (0-based lines, columns in the client's units).

    Lines break at "\\n", as the loader counts them; columns are counted in
    UTF-16 code units unless the client agreed on UTF-8 or UTF-32.
    """

    def __init__(self, text: str, encoding: str = "utf-16"):
        self.text = text
        self.starts = [0]
        start = text.find("\n")
        while start >= 0:
            self.starts.append(start + 1)
            start = text.find("\n", start + 1)
        self.encoding = encoding

    def line(self, number: int) -> str:
        """The text of 0-based line `number`, without its line break."""
        if not 0 <= number < len(self.starts):
            return ""
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[number]:end]

    def _units(self, chars: str) -> int:
        if self.encoding == "utf-8":
            return len(chars.encode("utf-8", "surrogatepass"))
        if self.encoding == "utf-32":
            return len(chars)
        return len(chars.encode("utf-16-le", "surrogatepass")) // 2

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, column in client units) of an offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, self._units(self.text[self.starts[line]:offset])

    def range(self, start: int, end: int) -> types.Range:
        """The LSP range between two offsets."""
        (l1, c1), (l2, c2) = self.position(start), self.position(end)
        return types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2))

    def offset(self, line: int, column: int) -> int:
        """The offset of a client position; a column past the end of the line is the line's end."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        row = self.line(line)
        if self.encoding == "utf-32":
            return self.starts[line] + min(column, len(row))
        units = 0
        for i, ch in enumerate(row):
            if units >= column:
                return self.starts[line] + i
            units += self._units(ch)
        return self.starts[line] + len(row)

    def offset_of(self, line: int, column: int) -> int:
        """The offset of a loader position (1-based line, 1-based column in characters)."""
        if line - 1 >= len(self.starts):
            return len(self.text)
        row = self.line(line - 1)
        return self.starts[line - 1] + min(max(column - 1, 0), len(row))
