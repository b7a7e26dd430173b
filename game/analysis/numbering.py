"""One way of numbering choices, everywhere an author reads about them.

Two numbers exist for a choice, and every message says which it means:

- In the file: "the 2nd choice in `bar`" counts the scene's `[[choices]]` in
  file order, struck-through and hidden ones included. Diagnostics about a
  choice, the map (`graph`) and `simulate`'s coverage use it.
- In a play: the number the player types, which counts only the options open
  at that moment. Wherever a play is printed (`path`, the example plays in
  diagnostics, `[[expected]]`), each number comes with the choice's text, so
  the two can never be confused.

Nothing an author reads shows the 0-based index the program keeps.
"""

from __future__ import annotations

from collections.abc import Sequence

from game.safetext import one_line
from game.wording import choice_in, ordinal
from game.wording import quoted as in_quotes

__all__ = ["choice_in", "ordinal"]  # worded in game.wording, so the loader says "the 2nd choice in `bar`" too


def short(text: str, width: int = 40) -> str:
    """A choice's text on one line, cut to `width` characters with an ellipsis."""
    text = " ".join(one_line(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def quoted(text: str, width: int = 40) -> str:
    """A choice's text on one line, in quotation marks unless it already has some."""
    return in_quotes(short(text, width))


def typed(moves: Sequence, width: int = 40) -> str:
    """A play as the player makes it: `1 “Knock.”, then 2 “Wait.”` (each number is what they type)."""
    if not moves:
        return "at the very start"
    return ", then ".join(f"{m.number} {quoted(m.text, width)}" for m in moves)


def example(walk, ref: int) -> str:
    """The example play `ref` of an Exploration as a diagnostic quotes it: numbers to type, texts cut short."""
    return typed(walk.play(ref), width=32)
