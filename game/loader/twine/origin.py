"""Where things stand in the file a story came from: offsets turned into lines and columns.

Every diagnostic an import gives points into the Twine file the author
wrote (the `.twee` or the `.html`), not into the scenario the import writes,
so the author can find the passage, the link or the macro in Twine. A passage's
text is not always a plain slice of its file: in Twine's HTML it is written
with entities (`&lt;` for `<`), so a `Span` maps an index in the decoded text
back to an offset in the file, piece by piece.
"""

from __future__ import annotations

import bisect
import html
import re

import attrs

Position = tuple[int, int]  # 1-based line and column


class Origin:
    """A file's text and the start of each of its lines."""

    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(self, offset: int) -> Position:
        """The line and column of a character offset (an offset past the end counts as the end)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and a 0-based column, as html.parser counts them."""
        line = max(1, min(line, len(self._starts)))
        return min(self._starts[line - 1] + column, len(self.text))


@attrs.frozen
class Span:
    """Decoded text and, for each piece of it, where that piece starts in the file.

    `pieces` holds (index in `text`, offset in the file) pairs in order; the
    characters of a piece follow one another in the file, so index `i` sits
    at `offset + (i - index)` of the last piece starting at or before `i`.
    """

    text: str
    pieces: tuple[tuple[int, int], ...]

    @classmethod
    def plain(cls, text: str, offset: int) -> Span:
        """A slice of the file taken as it is (a Twee passage)."""
        return cls(text, ((0, offset),))

    @classmethod
    def entities(cls, raw: str, offset: int) -> Span:
        """HTML text with its character references decoded (a passage in Twine's HTML)."""
        out: list[str] = []
        pieces: list[tuple[int, int]] = []
        length = 0
        last = 0
        for match in _REFERENCE.finditer(raw):
            decoded = html.unescape(match.group())
            if decoded == match.group():
                continue
            if match.start() > last:
                pieces.append((length, offset + last))
                out.append(raw[last: match.start()])
                length += match.start() - last
            pieces.append((length, offset + match.start()))
            out.append(decoded)
            length += len(decoded)
            last = match.end()
        pieces.append((length, offset + last))
        out.append(raw[last:])
        return cls("".join(out), tuple(pieces))

    def offset(self, index: int) -> int:
        """The file offset of the character at `index` of the decoded text."""
        k = bisect.bisect_right(self.pieces, (index, float("inf"))) - 1
        start, at = self.pieces[max(k, 0)]
        return at + (index - start)


_REFERENCE = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)")
