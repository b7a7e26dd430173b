"""Help and support: the resources from the data file, reachable from anywhere (F2).

The list is configurable (game.resources reads scenarios/resources.toml or the
file named by SECOND_CHANCE_RESOURCES), so every line of it is drawn as plain
text: a facilitator's own file cannot smuggle markup or actions into the screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from game import resources
from game.tui.widgets.keybar import KeyBar


def resources_text(data: resources.Resources | None = None, more: bool = False) -> Group:
    """The intro, then each service: name and region, how to reach it, what it is for, when it was checked.

    Each service hangs from a bullet, so a long phone line that wraps stays
    under its own name instead of running back to the margin. The date it was
    last checked is shown with it, so a reader can judge how fresh it is.
    With `more` (one story's list, under its ending), a line under the intro
    says where the whole list is: F2, this front end's key.
    """
    data = data or resources.load()
    parts: list[Text | Table] = []
    if data.title:
        parts.append(Text(data.title, style="bold underline"))
    parts.append(Text(data.intro))
    if more:
        parts.append(Text(resources.FULL_SCREEN.more(data), style="italic"))
    for item in data.items:
        body = Text()
        body.append(item.name, style="bold")
        if item.region:
            body.append(f" ({item.region})")
        body.append("\n")
        body.append(item.contact)
        if item.about:
            body.append("\n")
            body.append(item.about, style="italic")
        if item.checked:
            body.append("\n")
            body.append(f"checked {item.checked}", style="dim")
        row = Table.grid(padding=(0, 1, 0, 0))
        row.add_column(width=1)
        row.add_column(ratio=1)
        row.add_row("•", body)
        parts += [Text(""), row]
    if data.problem:
        parts += [Text(""), Text(f"({data.problem})", style="italic")]
    return Group(*parts)


def all_resources_text(first: str = resources.DEFAULT_TOPIC, data: resources.Resources | None = None) -> Group:
    """Every topic of the file, `first` first, each under its own heading, no service twice (for F2)."""
    sections = (data or resources.load()).sections(first)
    parts: list[Group | Text] = []
    for i, section in enumerate(sections):
        if i:
            parts.append(Text(""))
        parts.append(resources_text(section))
    return Group(*parts)


def topic_over(stack: Sequence[Screen]) -> str:
    """The kind of help F2 lists first: the story's (`resources.topic_of`) on the topmost screen that has one.

    A play, its debrief, a story's content notes and a workshop's setup each
    say their story's `help_topic`; a screen over them (the help, the history,
    the sources) has none, so the story beneath still decides. With no story
    on the stack (the list), the abuse lines come first.
    """
    for screen in reversed(stack):
        topic = getattr(screen, "help_topic", None)
        if isinstance(topic, str):
            return topic
    return resources.DEFAULT_TOPIC


class ResourcesScreen(ModalScreen[None]):
    """The help resources in a box over whatever was on screen; Escape closes it."""

    CSS_PATH = "resources.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f2", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, topic: str = resources.DEFAULT_TOPIC):
        super().__init__()
        self.topic = topic
        """The kind of help listed first: the story on screen's, when there is one."""

    def compose(self) -> ComposeResult:
        with Vertical(id="resources-box"):
            yield Static("Help and support", id="resources-title", markup=False)
            with VerticalScroll(id="resources-scroll"):
                yield Static(all_resources_text(self.topic), id="resources-text")
            with Horizontal(id="resources-buttons"):
                yield Button("Close  (Esc)", id="resources-close", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#resources-scroll").focus()

    @on(Button.Pressed, "#resources-close")
    def action_close(self) -> None:
        self.dismiss(None)
