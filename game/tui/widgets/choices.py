"""The choices of a scene: open ones numbered, closed ones struck through with their reason.

A closed choice is drawn struck through *and* starts with a cross and the words
"not open now", followed by the scenario's reason, so a player who cannot see
the strike or the dimmed colour still knows it cannot be picked and why.
Choice text is scenario text and goes in as plain `Text`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option as ListOption

from game.engine import Option

CLOSED_MARK = "✗"
CLOSED_WORDS = "not open now"


def choice_text(option: Option) -> Text:
    if option.available:
        return Text.assemble((f"{option.number}. ", "bold"), option.choice.text)
    text = Text.assemble((f"{CLOSED_MARK} ", "bold"), (option.choice.text, "strike"))
    text.append("\n   ")
    text.append(f"({CLOSED_WORDS}", style="italic")
    if option.reason:
        text.append(": ", style="italic")
        text.append(option.reason, style="italic")
    text.append(")", style="italic")
    return text


class ChoiceList(OptionList):
    """An OptionList whose option ids are `c<index>` (the choice's place in the scene)."""

    def show(self, options: Sequence[Option]) -> None:
        self.clear_options()
        self.add_options(
            ListOption(choice_text(o), id=f"c{o.choice.index}", disabled=not o.available)
            for o in options
        )
        first = next((i for i, o in enumerate(options) if o.available), None)
        self.highlighted = first

    def show_actions(self, actions: Sequence[tuple[str, str]]) -> None:
        """Plain actions (id, label) in place of choices, e.g. at an ending."""
        self.clear_options()
        self.add_options(
            ListOption(Text.assemble((f"{n}. ", "bold"), label), id=action_id)
            for n, (action_id, label) in enumerate(actions, 1)
        )
        self.highlighted = 0 if actions else None
