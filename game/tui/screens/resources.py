"""Help and support: the resources from the data file, reachable from anywhere (F2).

The list is configurable (game.resources reads scenarios/resources.toml or the
file named by SECOND_CHANCE_RESOURCES), so every line of it is drawn as plain
text: a facilitator's own file cannot smuggle markup or actions into the screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game import resources


def resources_text(data: resources.Resources | None = None) -> Text:
    """The intro, then each service: name and region, how to reach it, what it is for."""
    data = data or resources.load()
    text = Text()
    text.append(data.intro)
    for item in data.items:
        text.append("\n\n")
        text.append("• ")
        text.append(item.name, style="bold")
        if item.region:
            text.append(f" ({item.region})")
        text.append("\n  ")
        text.append(item.contact)
        if item.about:
            text.append("\n  ")
            text.append(item.about, style="italic")
    if data.problem:
        text.append("\n\n")
        text.append(f"({data.problem})", style="italic")
    return text


class ResourcesScreen(ModalScreen[None]):
    """The help resources in a box over whatever was on screen; Escape closes it."""

    CSS_PATH = "resources.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f2", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="resources-box"):
            yield Static("Help and support", id="resources-title", markup=False)
            with VerticalScroll(id="resources-scroll"):
                yield Static(resources_text(), id="resources-text")
            with Horizontal(id="resources-buttons"):
                yield Button("Close  (Esc)", id="resources-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#resources-scroll").focus()

    @on(Button.Pressed, "#resources-close")
    def action_close(self) -> None:
        self.dismiss(None)
