"""The help screen: every key in one place, in words."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("Anywhere", [
        ("? or F1", "this help"),
        ("F2", "help and support resources (phone lines, services)"),
        ("F3", "switch to or from the high-contrast theme"),
        ("Ctrl+P", "command palette: play a scenario, theme, reveal meters"),
        ("Ctrl+Q", "quit (your play is saved first)"),
    ]),
    ("Choosing a scenario", [
        ("Up / Down", "move through the list"),
        ("Enter or 1 to 9", "read the content notes, then begin or resume"),
        ("Escape", "back"),
    ]),
    ("Playing", [
        ("1 to 9", "pick that choice"),
        ("Up / Down, Enter", "move to a choice and pick it; the mouse works too"),
        ("U", "undo the last choice (again and again)"),
        ("H", "the story so far; go back to before any choice"),
        ("S or Escape", "save and go back to the list; resume any time"),
        ("Page Up / Down", "scroll a long scene"),
    ]),
]

ABOUT = (
    "Choices marked ✗ are not open now; the reason is written under them. "
    "Messages marked \"not sent\" are drafts. The meters that move with your "
    "choices stay hidden until the ending explains them. Your play is saved "
    "after every choice."
)


def help_text() -> Group:
    """One two-column grid per group of keys, so long descriptions wrap under themselves."""
    parts: list[RenderableType] = []
    for title, rows in KEYS:
        parts.append(Text(title, style="bold underline"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True, min_width=16)
        grid.add_column(ratio=1)
        for key, what in rows:
            grid.add_row(key, what)
        parts += [grid, Text("")]
    parts.append(Text(ABOUT))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """Keys and what the marks on screen mean."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("Keys", id="help-title", markup=False)
            yield Static(help_text(), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
