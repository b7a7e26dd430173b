"""Help and support: the resources from the data file, reachable from anywhere (F2).

The list is configurable (game.resources reads scenarios/resources.toml or the
file named by SECOND_CHANCE_RESOURCES), so every line of it is drawn as plain
text: a facilitator's own file cannot smuggle markup or actions into the screen.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game import resources
from game.tui.widgets.keybar import KeyBar


def resources_text(data: resources.Resources | None = None) -> Group:
    """The intro, then each service: name and region, how to reach it, what it is for.

    Each service hangs from a bullet, so a long phone line that wraps stays
    under its own name instead of running back to the margin.
    """
    data = data or resources.load()
    parts: list[Text | Table] = [Text(data.intro)]
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
        row = Table.grid(padding=(0, 1, 0, 0))
        row.add_column(width=1)
        row.add_column(ratio=1)
        row.add_row("•", body)
        parts += [Text(""), row]
    if data.problem:
        parts += [Text(""), Text(f"({data.problem})", style="italic")]
    return Group(*parts)


class ResourcesScreen(ModalScreen[None]):
    """The help resources in a box over whatever was on screen; Escape closes it."""

    CSS_PATH = "resources.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
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
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#resources-scroll").focus()

    @on(Button.Pressed, "#resources-close")
    def action_close(self) -> None:
        self.dismiss(None)
