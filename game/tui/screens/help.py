"""The help screen: the keys of the screen it was opened from, in words, and how to close it.

Both apps use it: the game's player and the workshop's facilitator. It is
built from that screen's active bindings, the same ones its key bar reads,
hidden ones included when they have a description: a key a screen gains is
listed here without anyone writing it down twice, and a key that is not
available now (Resume with no save) is not listed. A screen may add a short
`HELP_NOTE` (a class attribute) saying what its keys cannot, and a
`HELP_TITLE` to head its own keys instead of "On this screen". The last
paragraph (`about`) is the app's: the game explains its marks there, the
workshop's screens explain theirs in their notes.
"""

from __future__ import annotations

import re

import attrs
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

HERE, MOVING, ANYWHERE = "On this screen", "Moving around", "Anywhere"

KEY_WORDS = {
    "enter": "Enter", "escape": "Escape", "tab": "Tab", "space": "Space",
    "up": "Up", "down": "Down", "left": "Left", "right": "Right", "home": "Home", "end": "End",
    "pageup": "Page Up", "pagedown": "Page Down", "question_mark": "?", "backspace": "Backspace",
    "delete": "Delete", "plus": "+", "minus": "-",
}
"""Keys as a person says them; the key bar uses Textual's short forms (⏎, esc) to save room."""

CLOSING = "Escape, ? or q closes this help."

ABOUT = (
    "While playing: choices marked ✗ are not open now, and the reason is written under them; "
    "messages marked \"not sent\" are drafts. The meters your choices move stay hidden until the "
    "ending explains them. Your play is saved after every choice."
)


@attrs.define
class KeyRow:
    """One thing a key does, with every key that does it."""

    keys: list[str]
    what: str


def key_words(app: App, binding: Binding) -> str:
    """The key in words ("Page Up", "Ctrl+Q"), or the screen's own way of showing it ("1-9").

    A letter is written as the app's key bar writes it: the game's `u`, the
    workshop's `V` (the facilitator's room reads keys in capitals).
    """
    if binding.key_display:
        return binding.key_display
    modifiers, key = binding.parse_key()
    if not modifiers and len(key) == 1:
        return app.get_key_display(binding)
    name = KEY_WORDS.get(key) or format_key(key)
    if re.fullmatch(r"f\d+", key) or (modifiers and len(name) == 1):
        name = name.upper()  # F1, Ctrl+Q
    return "+".join([*(m.capitalize() for m in modifiers), name])


def screen_keys(screen: Screen) -> dict[str, list[KeyRow]]:
    """The keys that work on `screen` now, by section: its own, moving around, and the app's.

    Keys for the same action and description share a row ("S, Escape: Save &
    leave"); a key with no description (the rest of "1-9") is left to the one
    that has it. Keys every Textual screen has (Tab, copying) count as moving
    around. A screen that binds one of the app's keys again, to the app's
    action, does so only to show it on its own key bar: it is still a key that
    works anywhere, and shares the app's row.
    """
    sections: dict[str, list[KeyRow]] = {HERE: [], MOVING: [], ANYWHERE: []}
    every_screens = {binding.action for binding in Screen.BINDINGS if isinstance(binding, Binding)}
    app_keys = {(binding.key, f"app.{binding.action}") for binding in Binding.make_bindings(screen.app.BINDINGS)}
    rows: dict[tuple[str, str, str], KeyRow] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not active.enabled or not binding.description or binding.system:
            continue
        action = binding.action
        if active.node is screen.app or (binding.key, action) in app_keys:
            section, action = ANYWHERE, action.removeprefix("app.")
        elif binding.show or (active.node is screen and action not in every_screens):
            section = HERE
        else:
            section = MOVING
        words = key_words(screen.app, binding)
        found = rows.get((section, action, binding.description))
        if found is not None:
            if words not in found.keys:
                found.keys.append(words)
            continue
        what = binding.tooltip or binding.description  # the longer words, where a key has them
        what = what[:1].upper() + what[1:]
        row = rows[(section, action, binding.description)] = KeyRow([words], what)
        sections[section].append(row)
    return sections


def _grid(rows: list[KeyRow]) -> Table:
    """Two columns, so a long description wraps under itself."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True, min_width=12)
    grid.add_column(ratio=1)
    for row in rows:
        grid.add_row(", ".join(row.keys), row.what)
    return grid


MOVES = ("scroll", "page", "up", "down", "left", "right", "first", "last", "home", "end", "cursor")
"""How the descriptions of the keys that move a highlight or scroll begin (a list's, a scroll bar's)."""


def _moving(rows: list[KeyRow]) -> Text:
    """The list's and the scroll bars' keys on one line (they do what their names say), then the other keys
    every screen has (Tab's focus, copying) each with what it does: never grouped as moving what they do not."""
    parts, others = [], []
    for row in rows:
        keys = ", ".join(row.keys)
        plain = row.what.casefold()
        if not plain.startswith(MOVES):
            others.append(f"{keys}: {plain}")
            continue
        plain = plain.removeprefix("scroll ")
        parts.append(keys if plain == keys.casefold() else f"{keys} ({row.what.lower()})")
    sentences = [", ".join(parts) + ": move the highlight or scroll."] if parts else []
    return Text(" ".join(sentences + [f"{other}." for other in others]))


def help_text(screen: Screen, about: str = ABOUT) -> Group:
    """Everything the help says about `screen`, ready to draw, with the app's `about` paragraph last."""
    sections = screen_keys(screen)
    parts: list[RenderableType] = [Text(CLOSING, style="italic"), Text("")]
    note = getattr(type(screen), "HELP_NOTE", "")
    for title in (HERE, MOVING, ANYWHERE):
        rows = sections[title]
        if not rows and not (title == HERE and note):
            continue
        heading = getattr(type(screen), "HELP_TITLE", title) if title == HERE else title
        parts.append(Text(heading, style="bold underline"))
        if title == MOVING:
            parts.append(_moving(rows))
        elif rows:
            parts.append(_grid(rows))
        if title == HERE and note:
            parts.append(Text(note))
        parts.append(Text(""))
    if about:
        parts.append(Text(about))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below, and what the marks on screen mean (`about`: the game's, or none)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, origin: Screen, about: str = ABOUT):
        super().__init__()
        self.origin = origin
        self.text = help_text(origin, about)  # now, while the keys and their checks are the origin's

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("Keys", id="help-title", markup=False)
            yield Static(self.text, id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
