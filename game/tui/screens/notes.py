"""Before play: the content notes, with a way back.

Stories here touch hard things (drinking, cheating, controlling partners), so
the notes come first and "back" is as easy as "begin". A saved play is loaded
here as a Session; one that cannot be resumed is set aside and reported, and a
fresh start is offered instead. Either way the screen posts StartPlay and the
app opens the play.

Each key means one thing: Enter goes on (Resume when a play is saved, Begin
when none is), Escape goes back, and starting over a saved play takes `n`, a
key no habit presses, never the Enter or `b` a player reaches for. The
buttons take no focus, so Enter always means what the key bar says.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from game import resources
from game.library import Entry
from game.session import Session
from game.tui.context import GameContext
from game.tui.messages import StartPlay
from game.tui.styles import add_styles
from game.tui.widgets.keybar import KeyBar
from game.wording import choice_label

STYLES = Path(__file__).with_name("notes.tcss")


class KeyButton(Button, can_focus=False):
    """A button for the mouse that takes no focus: the keyboard uses the keys written on it."""


class NotesScreen(Screen[None]):
    """The scenario's summary and content notes; begin, resume, or go back."""

    BINDINGS = [
        Binding("enter", "resume", "Resume"),
        Binding("enter", "begin", "Begin"),
        Binding("n", "start_over", "Start over"),
        Binding("escape", "back", "Back"),
    ]
    HELP_NOTE = ("Enter resumes a saved play, or begins when there is none. Starting over takes n, so it "
                 "never happens by habit; the saved play is replaced at your first new choice.")

    def __init__(self, entry: Entry, context: GameContext):
        super().__init__()
        add_styles(self.app, STYLES)
        assert entry.scenario is not None
        self.entry = entry
        self.context = context
        self.scenario = entry.scenario
        self.saved: Session | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="notes-box"):
            yield Static(self.notes_text(), id="notes-text")
        with Horizontal(id="notes-buttons"):  # under the notes, not in them: long notes scroll, the ways on stay
            yield KeyButton("Enter  Resume", id="resume", variant="primary")
            yield KeyButton("n  Start over", id="start-over")
            yield KeyButton("Enter  Begin", id="begin", variant="primary")
            yield KeyButton("Esc  Back", id="back")
        yield KeyBar()

    def _notes(self) -> Text:
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
        if resources.offers_help(scenario):
            text.append("\n" + resources.FULL_SCREEN.opens())
        return text

    @property
    def help_topic(self) -> str:
        """Which help list F2 puts first over this screen: the story's, as during its play."""
        return resources.topic_of(self.scenario)

    def on_mount(self) -> None:
        home = self.context.home
        self.saved, problem = Session.resume(self.scenario, home.slots, home.progress)
        if problem:
            self.notify(problem, title="Save set aside", severity="warning", timeout=15, markup=False)
        saved = self.saved is not None
        for button_id, shown in (("#resume", saved), ("#start-over", saved), ("#begin", not saved)):
            self.query_one(button_id, Button).display = shown
        if self.saved is not None:
            steps = len(self.saved.play.steps)
            self.query_one("#resume", Button).label = f"Enter  Resume after {choice_label(steps)}"
            others = home.slots.count(self.scenario.id) - 1
            self.query_one("#notes-text", Static).update(self.notes_text(saved_after=steps, others=others))
        self.refresh_bindings()

    def notes_text(self, saved_after: int | None = None, others: int = 0) -> Text:
        """The notes, and with a save, what Enter and `n` will do to it."""
        text = self._notes()
        if saved_after is not None:
            text.append(f"\n\nYou have a saved play, after {choice_label(saved_after)}. ", style="bold")
            text.append("Enter resumes it. n starts over: the saved play is replaced once you make "
                        "your first choice.")
            if others > 0:
                plays = "another saved play" if others == 1 else f"{others} other saved plays"
                text.append(f" You also have {plays} of this story (from another window); each is "
                            "offered here in its turn, most recent first.")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Resume and Start over need a save; Begin is offered only without one."""
        if action in ("resume", "start_over"):
            return self.saved is not None
        if action == "begin":
            return self.saved is None
        return True

    @on(Button.Pressed, "#begin")
    def action_begin(self) -> None:
        home = self.context.home
        self.post_message(StartPlay(Session.begin(self.scenario, home.slots, home.progress)))

    @on(Button.Pressed, "#start-over")
    def action_start_over(self) -> None:
        """A fresh play; the old save stays until its first choice, which replaces it (leaving at once keeps it)."""
        if self.saved is None:
            self.action_begin()
        else:
            self.post_message(StartPlay(self.saved.start_over()))

    @on(Button.Pressed, "#resume")
    def action_resume(self) -> None:
        if self.saved is not None:
            self.post_message(StartPlay(self.saved))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.app.pop_screen()
