"""A list whose highlighted row also carries a pointer, ▸, for the list of stories and every list of choices.

It has a module of its own so the list of stories, the first screen drawn,
does not load the scene's choices with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.visual import VisualType
from textual.widgets import OptionList
from textual.widgets.option_list import Option as ListOption

POINTER = "▸"

PromptMaker = Callable[[bool], VisualType]
"""Draws one option's prompt, with the pointer (True) or without it."""


class PointerList(OptionList):
    """An OptionList that also marks the highlighted option with ▸.

    The highlight bar is a colour; the pointer says the same thing in a shape,
    for monochrome terminals and for eyes that do not see the difference.
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._makers: list[PromptMaker] = []
        self._pointed: int | None = None

    def set_prompts(self, rows: Sequence[tuple[PromptMaker, str | None, bool]], *, divided: bool = False) -> None:
        """Replace every option: (prompt maker, option id, disabled) per row; `divided` rules a line between."""
        self._makers = [maker for maker, _, _ in rows]
        self._pointed = None
        self.clear_options()
        options: list[ListOption | None] = []
        for maker, option_id, disabled in rows:
            if divided and options:
                options.append(None)
            options.append(ListOption(maker(False), id=option_id, disabled=disabled))
        self.add_options(options)

    def add_prompts(self, rows: Sequence[tuple[PromptMaker, str | None, bool]]) -> None:
        """Add options at the end, as `set_prompts` makes them, without drawing the others again."""
        self._makers += [maker for maker, _, _ in rows]
        self.add_options([ListOption(maker(False), id=option_id, disabled=disabled) for maker, option_id, disabled
                          in rows])

    def replace_prompt(self, index: int, maker: PromptMaker) -> None:
        """Draw one option anew (its words or its mark changed)."""
        self._makers[index] = maker
        self.replace_option_prompt_at_index(index, maker(index == self._pointed))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self._point(highlighted)

    def _point(self, index: int | None) -> None:
        old = self._pointed
        if old == index:
            return
        if old is not None and old < len(self._makers):
            self.replace_option_prompt_at_index(old, self._makers[old](False))
        if index is not None and index < len(self._makers):
            self.replace_option_prompt_at_index(index, self._makers[index](True))
        self._pointed = index
