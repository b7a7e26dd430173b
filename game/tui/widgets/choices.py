"""The choices of a scene: open ones numbered, closed ones struck through with their reason.

A closed choice is drawn struck through *and* starts with a cross and the words
"not open now", followed by the scenario's reason, so a player who cannot see
the strike or the dimmed colour still knows it cannot be picked and why.
Choice text is scenario text and goes in as plain `Text`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option as ListOption

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


def hanging(mark: Text, body: Text) -> Table:
    """Mark and words side by side, so wrapped lines start under the words, not under the number."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=2)
    grid.add_column(ratio=1)
    grid.add_row(mark, body)
    return grid


class ChoiceList(OptionList):
    """An OptionList whose option ids are `c<index>` (the choice's place in the scene)."""

    def show(self, options: Sequence[Option]) -> None:
        self.clear_options()
        self.add_options(
            ListOption(hanging(*choice_parts(o)), id=f"c{o.choice.index}", disabled=not o.available)
            for o in options
        )
        first = next((i for i, o in enumerate(options) if o.available), None)
        self.highlighted = first

    def show_actions(self, actions: Sequence[tuple[str, str]]) -> None:
        """Plain actions (id, label) in place of choices, e.g. at an ending."""
        self.clear_options()
        self.add_options(
            ListOption(hanging(Text(f"{n}.", style="bold"), Text(label)), id=action_id)
            for n, (action_id, label) in enumerate(actions, 1)
        )
        self.highlighted = 0 if actions else None
