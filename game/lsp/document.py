"""Positions as an editor counts them: 0-based lines, and columns in the client's units.

The text itself is read by the game's one TOML reader (`game.toml`), the same
one that places the loader's diagnostics: it finds every header, key and
string even while the file does not parse, and says what a cursor is in.
This module turns its offsets (indexes into the text, in code points) into
the LSP's positions and back.
"""

from __future__ import annotations

import bisect

from lsprotocol import types


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
