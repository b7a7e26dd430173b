"""The choices of a scene: open ones numbered, closed ones struck through with their reason.

A closed choice is drawn struck through *and* starts with a cross and the words
"not open now", followed by the scenario's reason, so a player who cannot see
the strike or the dimmed colour still knows it cannot be picked and why.
Choice text is scenario text and goes in as plain `Text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import on
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList

from game.tui.widgets.pointer import POINTER, PointerList, PromptMaker

if TYPE_CHECKING:
    from game.engine import Option

CLOSED_MARK = "✗"
CLOSED_WORDS = "not open now"


def choice_text(option: Option) -> Text:
    """The words of a choice as one Text (used where a single line of text is wanted)."""
    mark, body = choice_parts(option)
    return Text.assemble(mark, " ", body)


def choice_parts(option: Option) -> tuple[Text, Text]:
    """The number (or the closed mark) and the words, with a closed choice's reason under them."""
    if option.available:
        return Text(f"{option.number}.", style="bold"), Text(option.choice.text)
    body = Text(option.choice.text, style="strike")
    body.append("\n")
    body.append(f"({CLOSED_WORDS}", style="italic")
    if option.reason:
        body.append(": ", style="italic")
        body.append(option.reason, style="italic")
    body.append(")", style="italic")
    return Text(CLOSED_MARK, style="bold"), body


class Hanging:
    """A head (pointer and number) with words beside it; wrapped lines start under the words.

    A Rich Table grid does the same, but costs several times as much to draw,
    and the choices are redrawn on every step.
    """

    def __init__(self, head: Text, body: Text):
        self.head = head
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.head.cell_len
        lines = self.body.wrap(console, max(1, options.max_width - indent))
        out = Text(no_wrap=True, overflow="crop")
        for i, line in enumerate(lines):
            if i:
                out.append("\n")
            out.append_text(self.head if i == 0 else Text(" " * indent))
            out.append_text(line)
        yield out


def hanging(mark: Text, body: Text, pointed: bool = False) -> Hanging:
    """Pointer, mark and words side by side."""
    head = Text(POINTER if pointed else " ", style="bold")
    head.append(" ")
    head.append_text(mark)
    head.pad_right(max(0, 5 - head.cell_len))
    return Hanging(head, body)


class ChoiceList(PointerList):
    """The scene's choices, or the actions offered in their place at an ending.

    Picking one (Enter, a click) posts the list's own message, as Textual's
    widgets do: `Chosen` with the choice's place in the scene, or `Acted`
    with the action; nothing is encoded in an option's id and parsed back.

    The list is as tall as its choices, up to half the screen. OptionList
    wraps new options as they are added, at the size the list had for the
    last scene, and decides there whether a scrollbar is needed; when the new
    choices need more room, that scrollbar and that wrapping last one frame,
    and a second frame corrects them. So each new set of choices waits for
    the layout that sizes the list (`_size_updated`), and is wrapped and given
    a scrollbar once, at the size it gets: a new scene is drawn in one frame.
    """

    class Chosen(Message):
        """A choice was picked: `index` is its place in the scene (what `Session.choose` takes)."""

        def __init__(self, choices: ChoiceList, index: int) -> None:
            super().__init__()
            self.choices = choices
            self.index = index

        @property
        def control(self) -> ChoiceList:
            return self.choices

    class Acted(Message):
        """An action shown in place of the choices was picked: the one given to `show_actions`."""

        def __init__(self, choices: ChoiceList, action: Enum) -> None:
            super().__init__()
            self.choices = choices
            self.action = action

        @property
        def control(self) -> ChoiceList:
            return self.choices

    _sized = True
    """False from a new set of choices until the layout has sized the list for them."""
    _picks: Sequence[int | Enum] = ()
    """What each row stands for: a choice's place in the scene, or an action."""

    def set_prompts(self, rows: Sequence[tuple[PromptMaker, str | None, bool]], *, divided: bool = False) -> None:
        self._sized = False
        super().set_prompts(rows, divided=divided)

    def _refresh_scrollbars(self) -> None:
        if self._sized:
            super()._refresh_scrollbars()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        if self._sized:
            return super()._size_updated(size, virtual_size, container_size, layout)
        self._sized = True
        self._clear_caches()
        inner = size - self.styles.gutter.totals
        width = max(0, inner.width - self._get_left_gutter_width())
        height = self.get_content_height(inner, inner, width)
        if height > inner.height and self.styles.overflow_y == "auto":
            width = max(0, width - self.styles.scrollbar_size_vertical)
            height = self.get_content_height(inner, inner, width)
        self.set_reactive(Widget.virtual_size, Size(width, height))
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        self._scroll_update(self.virtual_size)
        return changed

    def show(self, options: Sequence[Option]) -> None:
        self._picks = [o.choice.index for o in options]
        self.set_prompts([(partial(_choice_prompt, o), None, not o.available) for o in options])
        self.highlighted = next((i for i, o in enumerate(options) if o.available), None)

    def show_actions(self, actions: Sequence[tuple[Enum, str]]) -> None:
        """Plain actions (action, label) in place of choices, e.g. at an ending."""
        self._picks = [action for action, _ in actions]
        self.set_prompts([(partial(_action_prompt, n, label), None, False)
                          for n, (_, label) in enumerate(actions, 1)])
        self.highlighted = 0 if actions else None

    def action_at(self, number: int) -> Enum | None:
        """The action shown at `number` (1 is the first), or None when there is none."""
        pick = self._picks[number - 1] if 1 <= number <= len(self._picks) else None
        return pick if isinstance(pick, Enum) else None

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._picks):
            pick = self._picks[event.option_index]
            self.post_message(self.Acted(self, pick) if isinstance(pick, Enum) else self.Chosen(self, pick))


def _choice_prompt(option: Option, pointed: bool) -> Hanging:
    return hanging(*choice_parts(option), pointed=pointed)


def _action_prompt(number: int, label: str, pointed: bool) -> Hanging:
    return hanging(Text(f"{number}.", style="bold"), Text(label), pointed=pointed)
