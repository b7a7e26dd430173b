"""Before play: the content notes, with a way back.

Stories here touch hard things (drinking, cheating, controlling partners), so
the notes come first and "back" is as easy as "begin". A saved play is loaded
here as a Session; one that cannot be resumed is set aside and reported, and a
fresh start is offered instead. Either way the screen posts StartPlay and the
app opens the play.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from game.library import Entry
from game.session import Session
from game.tui.context import GameContext
from game.tui.messages import StartPlay
from game.tui.widgets.keybar import KeyBar


class NotesScreen(Screen[None]):
    """The scenario's summary and content notes; begin, resume, or go back."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("b", "begin", "Begin"),
        Binding("r", "resume", "Resume"),
    ]

    def __init__(self, entry: Entry, context: GameContext):
        super().__init__()
        assert entry.scenario is not None
        self.entry = entry
        self.context = context
        self.scenario = entry.scenario
        self.saved: Session | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="notes-box"):
            yield Static(self.notes_text(), id="notes-text")
            with Horizontal(id="notes-buttons"):
                yield Button("Resume", id="resume", variant="primary")
                yield Button("Begin", id="begin", variant="primary")
                yield Button("Back", id="back")
        yield KeyBar()

    def notes_text(self) -> Text:
        scenario = self.scenario
        text = Text()
        text.append(f"{scenario.title}\n", style="bold")
        text.append(f"{scenario.summary}\n\n")
        if scenario.content_notes:
            text.append("Content notes. This story includes:\n", style="bold")
            for note in scenario.content_notes:
                text.append(f"  • {note}\n")
        else:
            text.append("This story has no content notes.\n", style="bold")
        text.append("\nYou can stop at any time: your play is saved after every choice.")
        if scenario.help:
            text.append("\nF2 opens help and support resources from anywhere.")
        return text

    def on_mount(self) -> None:
        home = self.context.home
        self.saved, problem = Session.resume(self.scenario, home.slots, home.progress)
        if problem:
            self.notify(problem, title="Save set aside", severity="warning", timeout=15, markup=False)
        resume = self.query_one("#resume", Button)
        resume.display = self.saved is not None
        if self.saved is not None:
            resume.label = f"Resume (after choice {len(self.saved.play.steps)})"
            self.query_one("#begin", Button).label = "Start over"
            self.query_one("#begin", Button).variant = "default"
            resume.focus()
        else:
            self.query_one("#begin", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.saved is not None
        return True

    @on(Button.Pressed, "#begin")
    def action_begin(self) -> None:
        home = self.context.home
        self.post_message(StartPlay(Session.begin(self.scenario, home.slots, home.progress)))

    @on(Button.Pressed, "#resume")
    def action_resume(self) -> None:
        if self.saved is not None:
            self.post_message(StartPlay(self.saved))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.app.pop_screen()
