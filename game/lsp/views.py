"""An index of an earlier version, seen through the edits made since: answers that cost nothing per keystroke.

Indexing a long story (every key, string and name in thousands of scenes)
takes a second or more, and an author typing in it changes the text every
fraction of a second. A hover, a definition or the outline asked for between
two keystrokes need not wait for a new index: the text before and after the
edits is the same, so the index of an earlier version answers for it, with
each place it names moved by the edits (as the deep findings are moved while
the author types, `diagnostics.carry`). Only a question about the stretch
that was edited itself needs the new index. The server builds that in the
background once typing pauses, and from then on answers from it.
"""

from __future__ import annotations

import copy

from lsprotocol import types

from game.lsp.diagnostics import common
from game.lsp.document import Lines
from game.lsp.index import Index

LARGE = 64 * 1024
"""Characters from which a new index costs enough (about a tenth of a second) to answer from an earlier one."""


class Moved:
    """Positions in the new text for offsets in the old one (the `Lines` an earlier index answers with)."""

    def __init__(self, lines: Lines, prefix: int, old_end: int, delta: int):
        self.new = lines
        self.text = lines.text
        self.encoding = lines.encoding
        self.prefix, self.old_end, self.delta = prefix, old_end, delta

    def moved(self, offset: int) -> int:
        """Where an offset of the old text stands in the new (inside the edited stretch: at its start)."""
        return offset if offset <= self.prefix else offset + self.delta if offset >= self.old_end else self.prefix

    def position(self, offset: int) -> tuple[int, int]:
        return self.new.position(self.moved(offset))

    def range(self, start: int, end: int) -> types.Range:
        start = self.moved(start)
        return self.new.range(start, max(start, self.moved(end)))

    def offset(self, line: int, column: int) -> int:
        """The offset in the old text of a position in the new one (inside the edited stretch: its start)."""
        offset = self.new.offset(line, column)
        new_end = self.old_end + self.delta
        return offset if offset <= self.prefix else offset - self.delta if offset >= new_end else self.prefix


def seen_through(index: Index, text: str, lines: Lines, offset: int | None = None) -> tuple[Index, int] | None:
    """`index` (of an earlier text) answering for `text`, with the offset `offset` has in it (the whole
    document, for the outline, when `offset` is None); None when the offset lies in, or at the edge of, the
    stretch the edits changed, or on a name that stretch touches."""
    prefix, suffix = common(index.text, text)
    old_end, new_end = len(index.text) - suffix, len(text) - suffix
    old = -1
    if offset is not None:
        if prefix <= offset <= new_end:
            return None
        old = offset if offset < prefix else offset - (new_end - old_end)
        occurrence = index.occurrence_at(old)
        if occurrence is not None and occurrence.start <= old_end and occurrence.end >= prefix:
            return None
    view = copy.copy(index)
    view.lines = Moved(lines, prefix, old_end, len(text) - len(index.text))  # type: ignore[assignment]
    return view, old
