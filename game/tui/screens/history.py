"""The story so far: every choice made, and a way back to just before any of them.

Used from play (H) and from the debrief's rewind (W). Each step shows where it
happened, what was chosen and which facts it set, so the player can find the
moment they want to take back. The meters stay hidden here unless the app runs
in author mode (`reveal=True`). All of it is scenario text, drawn as plain text.
"""

from __future__ import annotations

from functools import partial

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static

from game.debrief import signed
from game.engine import Playthrough, Step
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.pointer import POINTER, PointerList
from game.wording import choice_label, quoted, scene_heading


def step_text(play: Playthrough, step: Step, reveal: bool = False, pointed: bool = False) -> Group:
    """One step as the player reads it: where, what they chose, facts set or cleared, meters if revealed.

    The selected step starts with the same pointer as the play screen's
    choices, so the selection never rests on colour alone. The lines under
    the heading hang from a gutter, so a long choice that wraps stays
    indented under its own mark.
    """
    flags = play.scenario.flags

    def described(flag_id: str) -> str:
        flag = flags.get(flag_id)
        return flag.description if flag is not None and flag.description else flag_id

    heading = Text(f"{POINTER if pointed else ' '} ", style="bold")
    heading.append(choice_label(step.number).capitalize(), style="bold")
    heading.append("  ·  ")
    heading.append(scene_heading(play.scenario, step.scene), style="italic")
    rows = Table.grid(padding=(0, 1, 0, 0))
    rows.add_column(width=5, justify="right")
    rows.add_column(ratio=1)
    rows.add_row("", Text(quoted(step.choice_text)))
    for flag_id in sorted(step.flags_set):
        rows.add_row("+", Text(described(flag_id)))
    for flag_id in sorted(step.flags_cleared):
        rows.add_row("−", Text.assemble("no longer: ", described(flag_id)))
    if reveal:
        moves = []
        for meter in play.scenario.meters:
            before, after = step.before.meters[meter.id], step.after.meters[meter.id]
            moves.append(f"{meter.label} {before}→{after} ({signed(after - before)})")
        rows.add_row("", Text(" · ".join(moves), style="dim"))
    return Group(heading, rows)


class HistoryScreen(ModalScreen[int | None]):
    """The steps so far; picking one dismisses with the number of steps to keep (None: closed)."""

    CSS_PATH = "history.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("h", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, play: Playthrough, allow_rewind: bool = True, *, reveal: bool = False):
        super().__init__()
        self.play = play
        self.allow_rewind = allow_rewind
        self.reveal = reveal

    def compose(self) -> ComposeResult:
        steps = self.play.steps
        with Vertical(id="history-box"):
            count = len(steps)
            title = f"The story so far: {count} choice{'s' if count != 1 else ''}"
            yield Static(title, id="history-title", markup=False)
            if self.allow_rewind and steps:
                hint = ("Enter or click: go back to just before that choice and choose again. "
                        "Escape: keep the story as it is.")
            elif steps:
                hint = "Escape closes this list."
            else:
                hint = "No choices yet: the story has just begun."
            yield Static(hint, id="history-hint", markup=False)
            listing = PointerList(id="history-list")
            listing.set_prompts([(partial(step_text, self.play, step, self.reveal), None, False)
                                 for step in steps], divided=True)
            yield listing
            with Horizontal(id="history-buttons"):
                yield Button("Close  (Esc)", id="history-close", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        listing = self.query_one("#history-list", PointerList)
        listing.display = bool(self.play.steps)
        if self.play.steps:
            listing.highlighted = listing.option_count - 1
            listing.focus()
        else:
            self.query_one("#history-close", Button).focus()

    @on(OptionList.OptionSelected, "#history-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if not self.allow_rewind:
            return
        if event.option_index < len(self.play.steps):  # one row per step, in order
            self.dismiss(event.option_index)

    @on(Button.Pressed, "#history-close")
    def action_close(self) -> None:
        self.dismiss(None)
