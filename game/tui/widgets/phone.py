"""Chat messages drawn as a phone conversation.

Yours sit on the right, theirs on the left, each in a bubble with the sender's
name on its border. A draft (typed, not sent) has a dashed border and says
"not sent" in words, so the difference never rests on colour or position alone.
Message text and sender names are scenario text: they go in as plain `Text`,
never as markup.

The whole conversation is one widget drawing Rich panels, not a widget per
bubble: a scene change then restyles one node instead of building a dozen, which
keeps the step from one scene to the next quick. Colours come from the current
theme's variables, so every theme (and high contrast) applies.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.align import Align
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from game.model import Message

DRAFT_NOTE = "✎ draft, not sent"
DASHED = box.Box(
    "┌╌┬┐\n"
    "╎ ╎╎\n"
    "├╌┼┤\n"
    "╎ ╎╎\n"
    "├╌┼┤\n"
    "├╌┼┤\n"
    "╎ ╎╎\n"
    "└╌┴┘\n"
)
MAX_SHARE = 0.8
"""A bubble takes at most this share of the width, so the two sides stay apart."""


def sender_label(message: Message) -> Text:
    return Text("You" if message.mine else message.sender, style="bold")


def bubble_text(message: Message) -> Text:
    """The words of one bubble, with a draft's "not sent" in words at the end."""
    text = Text(message.text)
    if message.draft:
        text.append("\n")
        text.append(DRAFT_NOTE, style="italic")
    return text


class PhoneConversation(Widget):
    """The messages of a scene, top to bottom, as they would look on a phone."""

    DEFAULT_CSS = """
    PhoneConversation {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.messages: tuple[Message, ...] = ()

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda _: self.refresh(layout=True), init=False)

    def show(self, messages: Sequence[Message]) -> None:
        messages = tuple(messages)
        self.display = bool(messages)
        if messages != self.messages:
            self.messages = messages
            self.refresh(layout=True)

    def _colour(self, name: str) -> Style:
        value = self.app.theme_variables.get(name)
        return Style(color=value) if value else Style()

    def bubble(self, message: Message, width: int) -> RenderableType:
        body = bubble_text(message)
        title = sender_label(message)
        cap = max(12, int(width * MAX_SHARE))
        longest = max((cell_len(line) for line in body.plain.splitlines()), default=0)
        inner = max(longest, cell_len(title.plain) + 2)
        panel = Panel(
            body,
            title=title,
            title_align="right" if message.mine else "left",
            box=DASHED if message.draft else box.ROUNDED,
            border_style=self._colour("warning" if message.draft else
                                      "primary" if message.mine else "secondary"),
            width=min(cap, inner + 4),
            padding=(0, 1),
        )
        return Align.right(panel) if message.mine else Align.left(panel)

    def rows(self, message: Message, width: int) -> int:
        """How many rows one bubble takes when the conversation is `width` cells wide."""
        console = self.app.console
        return len(console.render_lines(self.bubble(message, width), console.options.update_width(width)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The height at the width the layout offers, not the width of the last layout.

        The scene's column is as tall as its content; measured at a stale width
        it would come out a line short or long, and the scene would scroll by it.
        """
        return sum(self.rows(message, max(1, width)) for message in self.messages) if width else 0

    def newest_height(self) -> int:
        """How many rows the newest bubble takes at the current width (0 with no messages).

        The play screen shows the end of a scene so this bubble, the one the
        choices answer, is never below the fold; a test checks it by this.
        """
        if not self.messages:
            return 0
        return self.rows(self.messages[-1], max(1, self.content_region.width or self.size.width))

    def render(self) -> RenderableType:
        width = max(1, self.content_region.width or self.size.width)
        return Group(*(self.bubble(m, width) for m in self.messages))
