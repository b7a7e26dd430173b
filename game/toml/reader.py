"""The walk over a TOML text: statements, headers, keys and values, with positions, never raising.

It reads the way TOML does and notes every place that breaks its rules. After
a problem it carries on: a string that runs into its line's end stops there,
and a statement that cannot be read (an array never closed, say) is given up
at the next line that starts a header or a `key =`, so one slip does not
blind it to the rest of the file.

With `cursor=True` it reads text that ends where an editor's cursor stands,
and stops at the end with what the cursor is in (a `Context`). With
`values=False` it leaves out TOML's rules about tables (which key may be
written twice) and the values they build: the positions are the same, for
less work, when only they are wanted.

Arrays and inline tables are read with a stack of their own, not by
recursion, so no nesting can exhaust Python's; like TOML parsers, it refuses
nesting deeper than MAX_NESTING.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from game.toml.records import Context, Key, Part, Path, Problem, String, names_of
from game.toml.scalars import Bad, Scanned, read_scalar, read_string
from game.toml.tree import Document, Inline

MAX_NESTING = 400
"""Arrays and inline tables nested deeper than this are refused (the TOML parser the loader uses does so)."""

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_DOTTED = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"
_STATEMENT = re.compile(rf"^(?:\[\[?[ \t]*{_DOTTED}[ \t]*\]\]?[ \t]*(?:#[^\n]*)?\r?$|[ \t]*{_DOTTED}[ \t]*=)", re.M)
"""A header, or a `key =`, at the start of a line: where reading resumes after a statement it had to give up."""
_COMMENT = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f]*")
_SCALAR_END = re.compile(r"[,\]}\n#]")


class _End(Exception):
    """The text ended inside something (or, reading for a cursor, anywhere): what the cursor is in."""

    def __init__(self, context: Context, problem: str | None = None):
        super().__init__(problem)
        self.context = context
        self.problem = problem


def _start(parts: list[Part]) -> int:
    """Where a written key begins: its first part, with the opening quote if it has one."""
    return parts[0].start - 1 if parts[0].quoted else parts[0].start


@attrs.define(eq=False)
class _Frame:
    """An array or inline table being read."""

    kind: str  # "[" or "{"
    path: Path
    in_array: bool
    items: list = attrs.field(factory=list)
    inline: Inline | None = None
    expect: str = "value"  # "value" or "key" (at the start or after a comma), "comma" (after an item)
    pending: tuple = ()  # an inline table's key whose value is being read: (names, path, start)


class Reader:
    def __init__(self, text: str, cursor: bool = False, values: bool = True):
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.cursor = cursor
        self.table: Path = ()
        self.table_names: tuple[str, ...] = ()
        self.aot: dict[Path, int] = {}
        self.keys: list[Key] = []
        self.strings: list[String] = []
        self.scalars: dict[Path, Any] = {}
        self.positions: dict[Path, int] = {}
        self.problems: list[Problem] = []
        self.document: Document | None = Document() if values else None

    # -- recording -------------------------------------------------------------------------------------

    def problem(self, offset: int, message: str) -> None:
        self.problems.append(Problem(min(offset, self.n), message))

    def record(self, path: Path, offset: int) -> None:
        """Where `path` is first written, and every table on the way to it that has no place yet."""
        positions = self.positions
        placed = len(path)
        while placed >= 0 and path[:placed] not in positions:  # a placed path has all its tables placed too
            placed -= 1
        for end in range(placed + 1, len(path) + 1):
            positions[path[:end]] = offset

    def resolve(self, names: list[str]) -> Path:
        """A header's key path with the current element of every array of tables on the way."""
        out: list = []
        for name in names:
            out.append(name)
            count = self.aot.get(tuple(out))
            if count:
                out.append(count - 1)
        return tuple(out)

    # -- characters ----------------------------------------------------------------------------------

    def newline(self, at: int) -> int:
        """The length of the line break at `at` ("\\n" or "\\r\\n"), or 0."""
        text = self.text
        if at < self.n and text[at] == "\n":
            return 1
        return 2 if text.startswith("\r\n", at) else 0

    def spaces(self) -> None:
        while self.pos < self.n and self.text[self.pos] in " \t":
            self.pos += 1

    def comment(self) -> None:
        """A comment at `pos`, if there is one, up to its line's end."""
        if self.pos < self.n and self.text[self.pos] == "#":
            end = _COMMENT.match(self.text, self.pos + 1).end()  # type: ignore[union-attr]
            while end < self.n and not self.newline(end):
                self.problem(end, f"Found invalid character {self.text[end]!r}")
                end = _COMMENT.match(self.text, end + 1).end()  # type: ignore[union-attr]
            self.pos = end
            if end >= self.n and self.cursor:
                raise _End(Context("other"))

    def blank(self) -> None:
        """Spaces, comments and line breaks (between statements, and inside arrays and inline tables)."""
        while True:
            self.spaces()
            self.comment()
            step = self.newline(self.pos)
            if not step:
                return
            self.pos += step

    def line_end(self) -> None:
        """The rest of a statement's line must be blank or a comment."""
        self.spaces()
        self.comment()
        if self.pos >= self.n:
            if self.cursor:
                raise _End(Context("other"))
            return
        if not self.newline(self.pos):
            raise Bad(self.pos, "Expected newline or end of document after a statement")

    def skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = self.n if end < 0 else end

    # -- keys ------------------------------------------------------------------------------------------

    def key(self, base: Path | None, missing: str) -> list[Part]:
        """A dotted key under the table `base` (None: in a header). At the end of the text, what the cursor is
        in: that table's keys (or the tables), with the parts and the prefix typed so far."""
        parts: list[Part] = []
        text, n = self.text, self.n
        while True:
            pos = self.pos
            while pos < n and text[pos] in " \t":
                pos += 1
            self.pos = pos
            if pos >= n:
                raise self.stop(base, parts, pos, "", missing)
            ch = text[pos]
            if ch == '"' or ch == "'":
                scanned = read_string_line(text, pos)
                if not scanned.closed and scanned.end >= n:
                    raise self.stop(base, parts, pos + 1, scanned.value, "Unterminated string")
                for offset, message in scanned.problems:
                    self.problem(offset, message)
                parts.append(Part(scanned.value, pos + 1, scanned.body_end, True))
                pos = scanned.end
            else:
                match = _BARE.match(text, pos)
                if not match:
                    raise Bad(pos, "Invalid initial character for a key part")
                pos = match.end()
                if pos >= n:
                    self.pos = pos
                    raise self.stop(base, parts, match.start(), match.group(), missing)
                parts.append(Part(match.group(), match.start(), pos))
            while pos < n and text[pos] in " \t":
                pos += 1
            self.pos = pos
            if pos < n and text[pos] == ".":
                self.pos = pos + 1
                continue
            if pos >= n:
                raise _End(Context("other"), missing)
            return parts

    def stop(self, base: Path | None, parts: list[Part], start: int, prefix: str, problem: str) -> _End:
        """The text ended in a key: the cursor is in a header, or among the keys of `base`."""
        typed = tuple(p.text for p in parts)
        if base is None:
            return _End(Context("header", typed, (), prefix, start), problem)
        return _End(Context("key", names_of(base) + typed, base, prefix, start, False, self.table), problem)

    # -- values ----------------------------------------------------------------------------------------

    def string(self, path: Path, in_array: bool) -> str:
        text, start = self.text, self.pos
        scanned = read_string(text, start)
        multiline = text.startswith(text[start] * 3, start)
        content = start + (3 if multiline else 1)
        if not scanned.closed and scanned.end >= self.n:
            raise _End(Context("string", names_of(path), path, text[content:scanned.end], content, in_array,
                               self.table), "Unterminated string")
        for offset, message in scanned.problems:
            self.problem(offset, message)
        self.strings.append(String(path, scanned.value, start, scanned.end, content, scanned.body_end, multiline,
                                   text[start], scanned.body_start))
        self.pos = scanned.end
        return scanned.value

    def scalar(self, path: Path, in_array: bool) -> Any:
        """A value that is no string, array or inline table."""
        start = self.pos
        if self.cursor and _SCALAR_END.search(self.text, start) is None:
            raise _End(Context("value", names_of(path), path, self.text[start:], start, in_array, self.table))
        self.pos, value = read_scalar(self.text, start)
        self.scalars[path] = value
        return value

    def value(self, path: Path, in_array: bool = False) -> Any:
        """The value at `pos` (`path` is already recorded)."""
        if self.pos >= self.n:
            raise _End(Context("value", names_of(path), path, "", self.pos, in_array, self.table), "Invalid value")
        ch = self.text[self.pos]
        if ch in "\"'":
            return self.string(path, in_array)
        if ch in "[{":
            return self.container(path, in_array)
        return self.scalar(path, in_array)

    def open(self, path: Path, in_array: bool) -> _Frame:
        kind = self.text[self.pos]
        self.pos += 1
        if kind == "{":
            return _Frame(kind, path, in_array, inline=Inline(), expect="key")
        return _Frame(kind, path, in_array)

    def container(self, path: Path, in_array: bool) -> Any:
        """An array or inline table, read with a stack of frames."""
        text = self.text
        stack = [self.open(path, in_array)]
        while True:
            frame = stack[-1]
            self.blank()
            if self.pos >= self.n:
                if frame.kind == "[":
                    raise _End(Context("value", names_of(frame.path), (*frame.path, len(frame.items)), "", self.pos,
                                       True, self.table), "Unclosed array")
                raise _End(Context("key", names_of(frame.path), frame.path, "", self.pos, False, self.table),
                           "Unclosed inline table")
            ch = text[self.pos]
            done: Any = None
            closing = "]" if frame.kind == "[" else "}"
            if frame.expect == "comma":
                if ch == ",":
                    self.pos += 1
                    frame.expect = "value" if frame.kind == "[" else "key"
                    continue
                if ch != closing:
                    raise Bad(self.pos, "Unclosed array" if frame.kind == "[" else "Unclosed inline table")
            if ch == closing:
                self.pos += 1
                done = frame.items if frame.kind == "[" else frame.inline.data  # type: ignore[union-attr]
            elif len(stack) > MAX_NESTING:
                raise Bad(self.pos, f"arrays and inline tables are nested more than {MAX_NESTING} deep")
            elif frame.kind == "[":
                inner = (*frame.path, len(frame.items))
                self.record(inner, self.pos)
                if ch in "[{":
                    stack.append(self.open(inner, True))
                    continue
                self.deliver(frame, self.value(inner, True))
                continue
            else:
                inner, start = self.inline_key(frame)
                if text[self.pos] in "[{":
                    stack.append(self.open(inner, False))
                    continue
                self.deliver(frame, self.value(inner))
                continue
            stack.pop()
            if not stack:
                return done
            self.deliver(stack[-1], done)

    def inline_key(self, frame: _Frame) -> tuple[Path, int]:
        """`key =` inside an inline table; leaves `pos` at the value."""
        parts, path, start = self.key_and_equals(frame.path, "Unclosed inline table")
        frame.pending = (tuple(p.text for p in parts), start)
        if self.pos >= self.n:
            raise _End(Context("value", names_of(path), path, "", self.pos, False, self.table), "Invalid value")
        return path, start

    def key_and_equals(self, table: Path, missing: str) -> tuple[list[Part], Path, int]:
        """A key under `table` and its `=`, recorded; leaves `pos` where the value starts."""
        parts = self.key(table, missing)
        path = (*table, *(p.text for p in parts))
        start = _start(parts)
        self.keys.append(Key(path, tuple(parts), False, start, parts[-1].end))
        self.record(path, start)
        if self.text[self.pos] != "=":
            raise Bad(self.pos, "Expected '=' after a key in a key/value pair")
        self.pos += 1
        self.spaces()
        return parts, path, start

    def deliver(self, frame: _Frame, value: Any) -> None:
        """An item of `frame` has been read."""
        if frame.kind == "[":
            frame.items.append(value)
        else:
            key, start = frame.pending
            wrong = frame.inline.put(key, value)  # type: ignore[union-attr]
            if wrong:
                self.problem(start, wrong)
        frame.expect = "comma"

    # -- statements ------------------------------------------------------------------------------------

    def header(self) -> None:
        text, start = self.text, self.pos
        array = text.startswith("[[", start)
        self.pos += 2 if array else 1
        if self.document is not None:
            self.document.marks.settle()
        try:
            parts = self.key(None, "Expected ']' at the end of a table")
        except Bad as bad:
            self.problem(bad.offset, bad.message)
            self.table, self.table_names = (), ()
            self.skip_line()
            return
        names = [p.text for p in parts]
        self.table_names = tuple(names)
        closing = "]]" if array else "]"
        closed = text.startswith(closing, self.pos)
        if closed:
            self.pos += len(closing)
        else:
            self.problem(self.pos, f"Expected '{closing}' at the end of a table declaration")
        end = self.pos
        if array:
            parent = self.resolve(names[:-1])
            own = (*parent, names[-1])
            self.record(own, start)
            self.aot[own] = self.aot.get(own, 0) + 1
            self.table = (*own, self.aot[own] - 1)
            wrong = self.document.array_table(tuple(names)) if self.document is not None else None
        else:
            self.table = self.resolve(names)
            wrong = self.document.table(tuple(names)) if self.document is not None else None
        if wrong:
            self.problem(start, wrong)
        self.record(self.table, start)
        self.keys.append(Key(self.table, tuple(parts), True, start, end))
        if not closed:
            self.skip_line()
            return
        self.spaces()
        self.comment()
        if self.pos < self.n and not self.newline(self.pos):
            self.problem(self.pos, "Expected newline or end of document after a statement")
            self.skip_line()

    def statement(self) -> None:
        table_names = self.table_names
        parts, path, start = self.key_and_equals(self.table, "Expected '=' after a key in a key/value pair")
        value = self.value(path)
        wrong = self.document.put(table_names, tuple(p.text for p in parts), value) \
            if self.document is not None else None
        if wrong:
            self.problem(start, wrong)
        self.line_end()

    def recover(self, began: int, bad: Bad) -> None:
        """Carry on after a statement that began at `began` could not be read: at the next line that starts a
        header or a `key =`, from the line after the statement's first (and not before the problem's line)."""
        text = self.text
        first = text.find("\n", began)
        if first < 0:
            self.pos = self.n
            return
        at = max(first + 1, text.rfind("\n", 0, bad.offset) + 1)
        found = _STATEMENT.search(text, at)
        self.pos = self.n if found is None else found.start()

    def run(self) -> Context:
        """Read to the end; what the cursor is in when the text ends."""
        text = self.text
        try:
            while True:
                self.blank()
                if self.pos >= self.n:
                    table_names = names_of(self.table)
                    return Context("key", table_names, self.table, "", self.pos, False, self.table)
                ch = text[self.pos]
                began = self.pos
                try:
                    if ch == "[":
                        self.header()
                    elif ch in "\"'" or _BARE.match(ch):
                        self.statement()
                    else:
                        raise Bad(self.pos, "Invalid statement")
                except Bad as bad:
                    self.problem(bad.offset, bad.message)
                    self.recover(began, bad)
        except _End as end:
            if end.problem:
                self.problem(self.n, end.problem)
            return end.context


def read_string_line(text: str, pos: int) -> Scanned:
    """A quoted key: always a one-line string (three quotes read as an empty string and a stray quote)."""
    if text.startswith(text[pos] * 3, pos):
        return Scanned(pos + 2, "", pos + 1, pos + 1, True)
    return read_string(text, pos)
