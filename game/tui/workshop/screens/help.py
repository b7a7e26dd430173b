"""Help for the screen in front of the facilitator: its keys, the keys that work anywhere, how to close this.

The list is made from the screens' own bindings, so it can never disagree
with what the keys do; a binding without a description is a mistake the
tests catch.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_WORDS = {
    "question_mark": "?", "plus": "+", "minus": "−", "equals_sign": "=", "right": "→", "left": "←",
    "up": "↑", "down": "↓", "enter": "Enter", "escape": "Escape", "pageup": "Page Up", "pagedown": "Page Down",
    "ctrl+q": "Ctrl+Q", "ctrl+p": "Ctrl+P", "ctrl+b": "Ctrl+B", "tab": "Tab",
}

ABOUT = {
    "DecisionScreen": (
        "▸ points at the option the counts go to. ✗ marks an option the story shows but does not open: it "
        "cannot take votes, and its reason is written under it. Nothing moves on by itself: the timer only "
        "signals when time is up; the facilitator locks, reveals and decides."),
    "DecidedScreen": (
        "The next scene stays hidden behind this card. K skips it before anyone sees it; the debrief says "
        "it was skipped."),
    "RoomDebriefScreen": (
        "Facilitator notes stay hidden until F shows them; they are marked as not for the room."),
}


def _keys(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return " or ".join(key_words(k.strip()) for k in binding.key.split(","))


def key_words(key: str) -> str:
    if key in KEY_WORDS:
        return KEY_WORDS[key]
    if len(key) == 1 or (key[0] == "f" and key[1:].isdigit()):
        return key.upper()
    return key


def rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) for each action once; numbered keys (1-9) share one row, shown as their first."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str]] = []
    for item in bindings:
        binding = item if isinstance(item, Binding) else Binding(*item)
        key = (binding.action.split("(")[0], binding.description)
        if key in seen:
            continue
        seen.add(key)
        out.append((_keys(binding), binding.tooltip or binding.description))
    return out


def help_text(title: str, screen_bindings: Iterable[BindingType], app_bindings: Iterable[BindingType],
              about: str = "") -> Group:
    parts: list[RenderableType] = []
    for heading, bindings in ((title, screen_bindings), ("Anywhere", app_bindings)):
        parts.append(Text(heading, style="bold underline"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True, min_width=14)
        grid.add_column(ratio=1)
        for keys, what in rows(bindings):
            grid.add_row(keys, what)
        parts += [grid, Text("")]
    if about:
        parts.append(Text(about))
    return Group(*parts)


class WorkshopHelpScreen(ModalScreen[None]):
    """The keys of the screen underneath, and of the whole workshop."""

    BINDINGS = [
        Binding("escape", "close", "Close this help", tooltip="close this help"),
        Binding("question_mark", "close", "Close this help", show=False, tooltip="close this help"),
        Binding("q", "close", "Close this help", show=False, tooltip="close this help"),
    ]

    def __init__(self, title: str, screen_bindings: Iterable[BindingType], app_bindings: Iterable[BindingType],
                 about: str = ""):
        super().__init__()
        self.body = help_text(title, screen_bindings, app_bindings, about)
        self.heading = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("Keys  ·  Escape or ? closes this help", id="help-title", markup=False)
            yield Static(self.body, id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)
