"""Where the advice comes from: the five articles, each key with its title and what it is.

Opened from the debrief (its key, or a click on any citation such as "A1 #6"),
so a player who has never seen the articles can tell what "A1" means. The list
is the core's (game.sources), the same one the plain player and the docs name.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game.debrief import SOURCES_TITLE
from game.sources import SOURCES, Source
from game.tui.widgets.keybar import KeyBar

INTRO = ("Every piece of advice in the game is the game's own paraphrase of one or more of these "
         "five articles, cited by key and step: \"A1 #6\" is step 6 of article A1. The articles "
         "disagree in places, and some of what they suggest is manipulative; the debrief says "
         "where, and which line the game takes.")


def source_text(source: Source) -> Text:
    """One article: key and title on the first line, then what it is and how it is numbered."""
    text = Text()
    text.append(source.key, style="bold reverse")
    text.append(" ")
    text.append(source.heading, style="bold")
    text.append("\n")
    text.append(source.about)
    text.append("\n")
    text.append("Cited as: ", style="italic")
    text.append(source.numbering, style="italic")
    return text


class SourcesScreen(ModalScreen[None]):
    """The five articles in a box over the debrief; opened on one key, it starts at that article."""

    CSS_PATH = "sources.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("a", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, key: str | None = None):
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        with Vertical(id="sources-box"):
            yield Static(SOURCES_TITLE, id="sources-title", markup=False)
            with VerticalScroll(id="sources-scroll"):
                yield Static(INTRO, id="sources-intro", markup=False)
                for source in SOURCES:
                    classes = "source -chosen" if source.key == self.key else "source"
                    yield Static(source_text(source), id=f"source-{source.key}", classes=classes)
            with Horizontal(id="sources-buttons"):
                yield Button("Close  (Esc)", id="sources-close", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        scroll = self.query_one("#sources-scroll", VerticalScroll)
        scroll.focus()
        if self.key is not None and self.query(f"#source-{self.key}"):
            self.call_after_refresh(scroll.scroll_to_widget, self.query_one(f"#source-{self.key}"),
                                    top=True, animate=False)

    @on(Button.Pressed, "#sources-close")
    def action_close(self) -> None:
        self.dismiss(None)
