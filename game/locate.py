"""Find where each key and value of a TOML document sits in its source text.

tomllib reports a position only for syntax errors; once a document parses, the
values carry no lines. Authors still need `file:line:col` for "unknown scene" or
"wrong type", so the document is read again by the game's own TOML reader
(`game.toml`, the same one the language server uses), which records the
offset of every key path, array element and header.

Every table a document makes is recorded where it first appears, including the
ones it makes only implicitly: `[[scenes.bar.choices]]` makes `scenes` and
`scenes.bar` even when `[scenes.bar]` is never written (after a typo in that
header, say), and "scene `bar` is missing `text`" must still point somewhere
real. The document itself, the empty path, sits at its first key or header.

It runs only when a diagnostic needs a place, so valid files never pay for it.
"""

from __future__ import annotations

import bisect

from game.toml import Reading, read

Path = tuple  # a key path: strings for keys, ints for array positions
Position = tuple[int, int]  # 1-based line and column


class _Lines:
    """Turns offsets into 1-based lines and columns."""

    def __init__(self, text: str):
        self.starts = [0]
        start = text.find("\n")
        while start >= 0:
            self.starts.append(start + 1)
            start = text.find("\n", start + 1)

    def where(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def locate(text: str) -> dict[Path, Position]:
    """Map every key path in `text` to the line and column where it starts.

    The empty path is the document's first key or header. Anything odd is
    read past rather than raised, because a missing position must never hide
    the real diagnostic.
    """
    lines = _Lines(text)
    return {path: lines.where(offset) for path, offset in read(text, values=False).positions.items()}


class Locator:
    """Looks positions up lazily: the text is read on the first question only."""

    def __init__(self, text: str):
        self.text = text
        self._reading: Reading | None = None
        self._lines: _Lines | None = None
        self._strings: dict = {}

    def _read(self) -> Reading:
        if self._reading is None:
            self._reading = read(self.text, values=False)
            self._lines = _Lines(self.text)
            for string in self._reading.strings:
                self._strings.setdefault(string.path, string)
        return self._reading

    def where(self, offset: int) -> Position:
        self._read()
        return self._lines.where(offset)  # type: ignore[union-attr]

    def __call__(self, path: Path) -> Position:
        """The position of `path`, or of its nearest ancestor that has one."""
        found = self._read().positions
        path = tuple(path)
        while True:
            if path in found:
                return self.where(found[path])
            if not path:
                return 1, 1
            path = path[:-1]

    def char_position(self, path: Path, index: int) -> Position | None:
        """Where the `index`-th character of the string value at `path` (as the parser read it) stands in the file.

        Escapes (`\\u00e9`, `\\n`) and the line-ending backslash of a
        multi-line string are walked over as the parser reads them, so the
        position is right even when they come first. None when `path` holds
        no string.
        """
        self._read()
        string = self._strings.get(tuple(path))
        if string is None:
            return None
        text, pos = self.text, string.body_start
        seen = 0
        while pos < len(text) and seen < index:
            ch = text[pos]
            if string.quote == '"' and ch == "\\":
                nxt = text[pos + 1: pos + 2]
                if string.multiline and nxt and nxt in " \t\r\n":
                    end = pos + 1
                    while end < len(text) and text[end] in " \t\r\n":
                        end += 1
                    pos = end
                    continue
                pos += {"u": 6, "U": 10, "x": 4}.get(nxt, 2)
            else:
                pos += 1
            seen += 1
        return self.where(pos)

    def value_column(self, path: Path) -> Position:
        """The line of a string value's text and the column just before it (its opening quote).

        A diagnostic about a character inside a one-line value adds the
        character's index plus one to this column. For a value that is not a
        string, the value's own position.
        """
        self._read()
        string = self._strings.get(tuple(path))
        if string is not None:
            line, col = self.where(string.body_start)
            return line, col - 1
        line, col = self(path)
        row = self.text.splitlines()[line - 1] if self.text else ""
        eq = row.find("=", col - 1)
        if eq < 0:
            return line, col
        k = eq + 1
        while k < len(row) and row[k] in " \t":
            k += 1
        return line, k + 1
