"""Small boxes over the workshop: type a count, name a branch, confirm quitting."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from game.workshop.room import MAX_TEAM_NAME
from game.workshop.votes import MAX_COUNT


class CountScreen(ModalScreen[int | None]):
    """The room's count for one option, typed as a number."""

    HELP_TITLE = "Typing a count"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="leave the count as it was (Enter sets it)")]

    def __init__(self, label: str, count: int):
        super().__init__()
        self.label = label
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            title = Text("Votes for ", style="bold")
            title.append(self.label)
            yield Static(title, id="dialog-title")
            yield Input(str(self.count), type="integer", max_length=len(str(MAX_COUNT)), id="count-input",
                        select_on_focus=True)
            yield Static("Enter: set this count  ·  Escape: leave it as it was", classes="dialog-keys",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value.isdigit():
            self.notify("Type a whole number (0 or more).", severity="warning", timeout=3)
            return
        self.dismiss(int(value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class BranchNameScreen(ModalScreen[str | None]):
    """The name of a new forum-theatre branch (a suggestion is filled in)."""

    HELP_TITLE = "Naming a branch"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="do not go back (Enter makes the branch)")]

    def __init__(self, where: str, suggestion: str):
        super().__init__()
        self.where = where
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            title = Text("A new branch: ", style="bold")
            title.append(self.where)
            yield Static(title, id="dialog-title")
            yield Static("Name it (the debrief and the handouts use this name):", markup=False)
            yield Input(self.suggestion, max_length=MAX_TEAM_NAME, id="branch-input", select_on_focus=True)
            yield Static("Enter: go back and play on from here  ·  Escape: cancel", classes="dialog-keys",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        self.dismiss(name or self.suggestion)

    def action_cancel(self) -> None:
        self.dismiss(None)


class QuitScreen(ModalScreen[bool]):
    """Quit the workshop? It is saved first, and `--resume` picks it up."""

    HELP_TITLE = "Quitting"
    BINDINGS = [
        Binding("y", "answer(True)", "Quit", tooltip="save and quit"),
        Binding("enter", "answer(True)", "Quit", show=False, tooltip="save and quit"),
        Binding("n", "answer(False)", "Stay", tooltip="go back to the workshop"),
        Binding("escape", "answer(False)", "Stay", show=False, tooltip="go back to the workshop"),
    ]

    def __init__(self, saved_where: str):
        super().__init__()
        self.saved_where = saved_where

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static("Quit the workshop?", id="dialog-title", markup=False)
            if self.saved_where:
                words = Text("It is saved first, to ")
                words.append(self.saved_where)
                words.append(". `second-chance workshop --resume` picks it up where you stopped.")
            else:
                words = Text("Nothing has begun yet, so there is nothing to save.")
            yield Static(words)
            yield Static("Y or Enter: quit  ·  N or Escape: stay", classes="dialog-keys", markup=False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
