"""Forum theatre: stop, go back to any decision so far, and play on from there as a new, named branch.

The play as it was is kept as its own branch, so the compare screen and the
debrief can set the two side by side.
"""

from __future__ import annotations

from functools import partial

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from game.tui.widgets.pointer import POINTER, PointerList
from game.tui.workshop.context import Room
from game.tui.workshop.layout import hang
from game.tui.workshop.screens.dialogs import BranchNameScreen
from game.wording import DECISION, choice_label, heading_label, quoted
from game.workshop import report as reports
from game.workshop.room import WorkshopError
from game.workshop.words import decided_by


class DecisionList(PointerList):
    """The decisions so far; Enter goes back to just before the highlighted one."""

    BINDINGS = [Binding("enter", "select", "Go back to before it",
                        tooltip="go back to just before the highlighted decision")]


class GoBackScreen(ModalScreen[bool]):
    """Pick a decision to go back to; dismissed with True once a branch has been made."""

    HELP_TITLE = "Going back to a decision (forum theatre)"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="close this without going back"),
        Binding("1", "pick(1)", "Point", key_display="1-9",
                tooltip="point at the decision with that number (Enter goes back to just before it)"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
    ]

    def __init__(self, room: Room, team: int):
        super().__init__()
        self.room = room
        self.team = team

    def compose(self) -> ComposeResult:
        workshop = self.room.workshop
        team = workshop.teams[self.team]
        with Vertical(id="goback-box", classes="dialog"):
            title = Text("Go back and try another way", style="bold")
            if len(workshop.teams) > 1:
                title.append(f"  ·  {team.name}")
            if team.session.branch != "main":
                title.append(f"  ·  {team.session.branch}")
            yield Static(title, id="dialog-title")
            yield Static("Pick the decision to take again. The play as it is now is kept, and the debrief "
                         "compares both.", markup=False)
            yield DecisionList(id="decision-list")
            yield Static("↑↓ or 1-9: pick  ·  Enter: go back to before it  ·  Escape: cancel",
                         classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        listing = self.query_one(DecisionList)
        moments = self.moments()
        listing.set_prompts([(partial(self.row, m), None, False) for m in moments])
        listing.highlighted = len(moments) - 1 if moments else None
        listing.focus()

    def moments(self) -> list[reports.Moment]:
        team = self.room.workshop.teams[self.team]
        line = reports.line(team.name, team.session.branch, team.play, team.record)
        return list(line.moments)

    @staticmethod
    def row(moment: reports.Moment, pointed: bool = False) -> Table:
        body = Text()
        body.append(f"{heading_label(moment.number, DECISION)}: ", style="bold")
        body.append(moment.scene_title)
        body.append("\n")
        if moment.skipped:
            body.append("skipped: not the room's decision", style="italic")
        else:
            body.append(quoted(moment.chosen_text))
            body.append(", by ")
            body.append(decided_by(moment.decision))
        return hang(Text(f"{POINTER} " if pointed else "  ", style="bold"), body)

    def action_pick(self, number: int) -> None:
        """Point at the decision; Enter goes back to it (as the dialog says)."""
        listing = self.query_one(DecisionList)
        if 1 <= number <= listing.option_count:
            listing.highlighted = number - 1
        else:
            self.notify(f"There is no decision {number} here.", timeout=3)

    @on(OptionList.OptionSelected, "#decision-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.go_back(event.option_index + 1)  # one row per decision, in order, as the number keys count

    def go_back(self, number: int) -> None:
        session = self.room.workshop.teams[self.team].session
        count = len(session.branches) + 1
        while f"Branch {count}" in session.branches:
            count += 1
        self.app.push_screen(BranchNameScreen(f"from {choice_label(number, DECISION)}", f"Branch {count}"),
                             callback=partial(self._named, number))

    def _named(self, number: int, name: str | None) -> None:
        if name is None:
            return
        try:
            made = self.room.workshop.branch(number - 1, name)
        except WorkshopError as problem:
            self.notify(str(problem), severity="warning", timeout=5, markup=False)
            return
        self.notify(f"Branch “{made}”: back to {choice_label(number, DECISION)}.", timeout=4, markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
