"""Choosing the story for the room: every scenario on offer, and those --exclude hid, with the note that hid each.

Nothing disappears silently: a scenario hidden because of its content notes
is listed apart, with the note that matched, and a file that cannot be played
is listed with its first problem.
"""

from __future__ import annotations

from functools import partial

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static

from game.library import Entry
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.pointer import POINTER, PointerList
from game.tui.workshop.context import WorkshopContext
from game.tui.workshop.layout import hang
from game.tui.workshop.messages import ChooseScenario


class ScenarioList(PointerList):
    """The scenarios on offer; Enter sets up a workshop of the highlighted one."""

    BINDINGS = [Binding("enter", "select", "Set up", tooltip="set up a workshop of the highlighted story")]


class ChooseScreen(Screen[None]):
    """Pick the story the room will play."""

    HELP_TITLE = "Choosing the story"
    BINDINGS = [
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="this help: the keys you can use now"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("1", "point(1)", "Point", key_display="1-9",
                tooltip="point at the story with that number (Enter sets up a workshop of it)"),
        *(Binding(str(n), f"point({n})", show=False) for n in range(2, 10)),
    ]

    def __init__(self, context: WorkshopContext):
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Second Chance", "bold"), "  ·  Workshop: choose the story for the room"),
                     id="choose-title")
        with Horizontal(id="choose-body"):
            yield ScenarioList(id="scenario-list")
            with VerticalScroll(id="scenario-details", can_focus=False):
                yield Static(id="details")
                yield Static(self.hidden_text(), id="hidden")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        link = self.context.link
        if link is not None and link.running:
            link.show_lobby(None)  # the room waits while the story is chosen

    def on_mount(self) -> None:
        listing = self.query_one(ScenarioList)
        listing.border_title = "Stories"
        entries = self.context.offered
        listing.set_prompts([(partial(self.row, n, entry), f"e{n}", False) for n, entry in enumerate(entries, 1)])
        listing.highlighted = 0 if entries else None
        listing.focus()
        self.show_details()

    @staticmethod
    def row(number: int, entry: Entry, pointed: bool = False) -> Table:
        head = Text(f"{POINTER} " if pointed else "  ", style="bold")
        head.append(f"{number}. " if number <= 9 else "   ", style="bold")
        body = Text(entry.title)
        scenario = entry.scenario
        if scenario is not None and scenario.minutes:
            body.append(f"  ({scenario.minutes} min)", style="italic")
        return hang(head, body)

    def hidden_text(self) -> Group:
        context = self.context
        parts: list[RenderableType] = []
        if context.hidden:
            parts.append(Text(f"Hidden by --exclude {', '.join(context.exclude)}:", style="bold"))
            for entry, note in context.hidden:
                body = Text(entry.title)
                body.append("\nhidden by its note “", style="italic")
                body.append(note, style="italic")
                body.append("”", style="italic")
                parts.append(hang("– ", body, indent=2))
        if context.broken:
            parts.append(Text("Cannot be used yet:", style="bold"))
            for entry in context.broken:
                body = Text(entry.title)
                body.append("\n")
                body.append(entry.first_error, style="italic")
                parts.append(hang("✗ ", body, indent=2))
        return Group(*parts)

    def current(self) -> Entry | None:
        index = self.query_one(ScenarioList).highlighted
        entries = self.context.offered
        return entries[index] if index is not None and 0 <= index < len(entries) else None

    @on(OptionList.OptionHighlighted, "#scenario-list")
    def show_details(self) -> None:
        entry = self.current()
        details = self.query_one("#details", Static)
        if entry is None or entry.scenario is None:
            details.update(Text("No stories to offer. Name a scenario file, or a folder with --scenarios."))
            return
        scenario = entry.scenario
        text = Text()
        text.append(scenario.title + "\n", style="bold")
        text.append(scenario.summary + "\n\n")
        text.append("Content notes: ", style="bold")
        text.append((", ".join(scenario.content_notes) or "none") + "\n")
        if scenario.minutes:
            text.append("Length: ", style="bold")
            text.append(f"about {scenario.minutes} minutes played alone; a room takes longer\n")
        text.append("\nEnter: set up a workshop of this story.\n", style="italic")
        details.update(text)

    @on(OptionList.OptionSelected, "#scenario-list")
    def _selected(self) -> None:
        entry = self.current()
        if entry is not None:
            self.post_message(ChooseScenario(entry))

    def action_point(self, number: int) -> None:
        """Point at the story; Enter sets it up. A number alone never opens the setup, whose Begin button has
        the focus: an Enter meant for this list must not begin the workshop."""
        if 1 <= number <= len(self.context.offered):
            self.query_one(ScenarioList).highlighted = number - 1
        else:
            self.notify(f"There is no story {number} here.", timeout=3)
