"""Chat messages drawn as a phone conversation.

Yours sit on the right, theirs on the left, each in a bubble with the sender's
name in words. A draft (typed, not sent) has a dashed border and says "not
sent", so the difference never rests on colour or position alone. Message
text is scenario text: it goes in as plain `Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from game.model import Message

DRAFT_NOTE = "✎ draft, not sent"


def sender_label(message: Message) -> Content:
    """The name on the bubble's border, as plain Content (a sender name is scenario text)."""
    return Content("You" if message.mine else message.sender)


def bubble_text(message: Message) -> Text:
    """The words of one bubble, with a draft's "not sent" in words at the end."""
    text = Text(message.text)
    if message.draft:
        text.append("\n")
        text.append(DRAFT_NOTE, style="italic")
    return text


class Bubble(Static):
    """One message."""


class PhoneConversation(Vertical):
    """The messages of a scene, top to bottom, as they would look on a phone."""

    messages: reactive[tuple[Message, ...]] = reactive((), recompose=True)

    def compose(self) -> ComposeResult:
        for message in self.messages:
            side = "-mine" if message.mine else "-theirs"
            classes = f"bubble {side}" + (" -draft" if message.draft else "")
            with Horizontal(classes=f"bubble-row {side}"):
                bubble = Bubble(bubble_text(message), classes=classes)
                bubble.border_title = sender_label(message)
                yield bubble

    def show(self, messages: Sequence[Message]) -> None:
        self.messages = tuple(messages)
        self.display = bool(self.messages)
