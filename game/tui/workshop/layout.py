"""Hanging indents: a mark or a number, and words whose wrapped lines stay under the words.

Read from the back of a room, a wrapped line that runs back under the number
looks like a new item; these keep every item's lines together.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text


def hang(head: Text | str, body: RenderableType, indent: int = 0) -> Table:
    """`head` then `body`, the body's wrapped lines starting under its first word."""
    head = head if isinstance(head, Text) else Text(head)
    grid = Table.grid(padding=0, expand=True)
    if indent:
        grid.add_column(width=indent, no_wrap=True)
    grid.add_column(width=max(1, head.cell_len), no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(*([Text("")] if indent else []), head, body)
    return grid


def hanging_list(items: Iterable[tuple[Text | str, RenderableType]], indent: int = 0) -> Group:
    """One hanging item per (head, body)."""
    return Group(*(hang(head, body, indent) for head, body in items))
