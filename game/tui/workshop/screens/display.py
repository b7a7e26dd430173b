"""The room display's box (F4 when no browser can open it, or from the palette): opening it, its address, and
what the projector shows.

The room display's address holds its key, and anyone who reads the key can
watch the room display, so the console never shows it unasked: the console
may be on the projector. Here it shows only after the facilitator presses S,
with a word about checking the projector first. The box also lets the
facilitator say what the projector shows (the room display, or this console),
which decides whether the console is private (game/tui/workshop/context.py).
"""

from __future__ import annotations

import os
import sys
import webbrowser

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from game.safetext import printable
from game.tui.workshop.context import CONSOLE, ROOM_DISPLAY, WorkshopContext
from game.tui.workshop.messages import LinkChanged

CONSOLE_BROWSERS = frozenset({"www-browser", "links", "links2", "elinks", "lynx", "w3m"})
"""Browsers that run in the terminal: opened from the console, they would take over the very screen it is
drawn on."""


def browser_here() -> bool:
    """Whether a web browser with a window of its own can be opened from here: on Linux and the like only with
    a desktop (DISPLAY or WAYLAND_DISPLAY), never one that runs in the terminal."""
    if sys.platform not in ("darwin", "win32") and not (os.environ.get("DISPLAY")
                                                        or os.environ.get("WAYLAND_DISPLAY")):
        return False
    try:
        found = webbrowser.get()
    except webbrowser.Error:
        return False
    return getattr(found, "name", "") not in CONSOLE_BROWSERS


def open_in_browser(url: str) -> bool:
    """Open `url` in a browser window of this laptop; False when none can be opened from here."""
    if not browser_here():
        return False
    try:
        return bool(webbrowser.open(url))
    except webbrowser.Error:
        return False


class RoomDisplayScreen(ModalScreen[None]):
    """How to open the room display, its address (only when asked), and what the projector shows."""

    HELP_TITLE = "The room display"
    HELP_NOTE = ("The room display's address holds a key: anyone who reads it can watch the room display, so it "
                 "shows here only when you press S. Say what the projector shows, and the console keeps your "
                 "notes, the next scene and the counts hidden while the room can see it.")
    BINDINGS = [
        Binding("o,O", "open", "Open it here", tooltip="open the room display in a web browser on this laptop"),
        Binding("s,S", "show_address", "Show the address",
                tooltip="show the room display's address, key included (check this screen is not on the projector)"),
        Binding("p,P", "projector('room display')", "Projector: room display",
                tooltip="the projector shows the room display: this console is private"),
        Binding("m,M", "projector('console')", "Projector: this console",
                tooltip="the projector mirrors this console: notes, the next scene and the counts stay hidden"),
        Binding("a,A", "projector('')", "Automatic", show=False,
                tooltip="private while a room display is open on this laptop"),
        Binding("escape", "close", "Close", tooltip="close this box"),
    ]

    def __init__(self, context: WorkshopContext, *, no_browser: bool = False):
        super().__init__()
        self.context = context
        self.no_browser = no_browser
        self.address_shown = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static("The room display", id="dialog-title", markup=False)
            yield Static(id="display-words")
            yield Static("O: open it here  ·  S: show its address  ·  P or M: what the projector shows  ·  "
                         "Escape: close", classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        self.draw()

    def on_link_changed(self, message: LinkChanged) -> None:
        self.draw()

    def draw(self) -> None:
        link, context = self.context.link, self.context
        words = Text()
        if link is None or not link.running:
            words.append("There is no room display: the workshop's server did not start. The console works on "
                         "one screen.")
            self.query_one("#display-words", Static).update(words)
            return
        if self.no_browser:
            words.append("No web browser could be opened from here. ", style="bold")
            words.append("Open the room display in a browser on this laptop, or on the device that drives the "
                         "projector: press S for its address.\n\n")
        here = link.displays_here
        words.append(f"Open now: {link.displays} ({here} on this laptop).\n")
        words.append("This console is ", style="bold")
        if context.private:
            words.append("private", style="bold")
            words.append(": it shows your notes, the next scene and the counts as they arrive.")
        else:
            words.append("what the room sees", style="bold")
            words.append(": your notes, the next scene and the counts stay hidden until you show them.")
        said = {ROOM_DISPLAY: " You said the projector shows the room display.",
                CONSOLE: " You said the projector shows this console."}.get(context.projector,
                                                                             " (Private while a room display is "
                                                                             "open on this laptop; P or M says "
                                                                             "what the projector shows.)")
        words.append(said, style="italic")
        if self.address_shown:
            words.append("\n\nIts address (it holds the key: keep it off the projector):\n", style="bold")
            words.append("\n".join(printable(url) for url in link.room_urls))
        else:
            words.append("\n\nIts address holds a key: anyone who reads it can watch the room display. S shows it; "
                         "check first that this screen is not on the projector.", style="italic")
        self.query_one("#display-words", Static).update(words)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        link = self.context.link
        if action in ("open", "show_address"):
            return link is not None and link.running
        return True

    def action_open(self) -> None:
        link = self.context.link
        if link is None:
            return
        if open_in_browser(link.room_url):
            self.notify("Opening the room display in a browser on this laptop: drag it to the projector and make "
                        "it full screen (F11 in most browsers).", title="Room display", timeout=10)
            self.dismiss(None)
        else:
            self.no_browser = True
            self.draw()

    def action_show_address(self) -> None:
        self.address_shown = True
        self.draw()

    def action_projector(self, shows: str) -> None:
        self.context.projector = shows
        for screen in self.app.screen_stack:
            screen.post_message(LinkChanged())

    def action_close(self) -> None:
        self.dismiss(None)
