"""A scene or an ending as the console shows it: its words and messages, help where the story shows it,
the questions for the room, and the facilitator's notes, marked as not for the room.

The console shows the notes whenever it is private (a room display is open);
on one screen they stay hidden until the facilitator shows them. Scenario
text always goes in as plain text.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from game import debrief as debriefs
from game import resources
from game.engine import Playthrough
from game.tui.widgets.phone import PhoneConversation
from game.tui.workshop.layout import hanging_list
from game.workshop.prompts import Asides

NOTES_TITLE = "FACILITATOR ONLY: not for the room"


def bullets(items: tuple[tuple[str, str], ...]) -> Group:
    rows = []
    for about, words in items:
        body = Text()
        if about:
            body.append(f"{about}: ", style="italic")
        body.append(words)
        rows.append((Text("• "), body))
    return hanging_list(rows)


class ScenePanel(VerticalScroll):
    """The words of what is in front of the room (or coming next), with its asides."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id, can_focus=False)

    def compose(self) -> ComposeResult:
        yield Static(classes="scene-text")
        chat = PhoneConversation()
        chat.add_class("chat")
        yield chat
        yield Static(classes="help-inline")
        yield Static(classes="prompts")
        yield Static(classes="notes")

    def on_mount(self) -> None:
        self.query_one(".help-inline").border_title = "Help and support"
        self.query_one(".notes").border_title = NOTES_TITLE

    def show(self, play: Playthrough, words: Text, asides: Asides, *, prompts_title: str, prompts_on: bool,
             notes_on: bool, help_on: bool) -> None:
        """Draw `words` (the scene's, or an ending's with its heading), the messages, and the asides."""
        self.query_one(".scene-text", Static).update(words)
        self.query_one(PhoneConversation).show(() if play.is_over else play.messages())
        help_inline = self.query_one(".help-inline", Static)
        help_inline.display = help_on
        if help_on:
            help_inline.update(Text(resources.render_plain(resources.for_story(play.scenario), resources.FULL_SCREEN,
                                                           debriefs.help_note(play.scenario))))
        panel = self.query_one(".prompts", Static)
        panel.display = bool(asides.prompts) and prompts_on
        panel.border_title = prompts_title
        panel.update(bullets(asides.prompts))
        box = self.query_one(".notes", Static)
        box.display = bool(asides.notes) and notes_on
        box.update(bullets(asides.notes))
