"""The title screen: every scenario on offer, what it is about, and what this player has found.

A broken file is listed too, marked broken in words, with its first error, so
an author sees the problem and a player sees that nothing is hidden.

The list shows each story's card (title, length, endings, content notes),
which comes from the cache's index without reading the story's file
(`Entry.shown`). A story the index does not know (a new or edited file, or
every story on the first start) is listed by its file name and says
"checking…" until the app has checked it, a moment after the first frame.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static

from game.checked import Card
from game.library import Entry
from game.tui.context import GameContext
from game.tui.messages import OpenEntry
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.pointer import POINTER, PointerList

TAGLINE = "Trying to win back an ex, and what the advice really does."


CHECKING = "checking…"
ROW_LINES = 2
"""Each row is two lines: the title, then what this player has done."""


def length_words(entry: Entry) -> str:
    shown = entry.shown
    card = shown.card if shown is not None else None
    if card is None:
        return ""
    scenes = f"{card.scenes} scenes"
    return f"about {card.minutes} minutes, {scenes}" if card.minutes else scenes


def _card(entry: Entry) -> Card | None:
    """The card the row shows (never checks the entry to find it)."""
    shown = entry.shown
    return shown.card if shown is not None else None


class ScenarioList(PointerList):
    """The list of scenarios; Enter is shown in the key bar as "Resume" on a saved play, else "Open"."""

    BINDINGS = [
        Binding("enter", "resume", "Resume", tooltip="read the content notes, then resume the saved play"),
        Binding("enter", "select", "Open", tooltip="read the content notes, then begin"),
    ]

    saved_rows: frozenset[int] = frozenset()
    """The rows with a saved play (set by the picker whenever it redraws the rows)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("resume", "select"):
            return (action == "resume") == (self.highlighted in self.saved_rows)
        return True

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.refresh_bindings()

    def action_resume(self) -> None:
        """The same as Open: the content notes come first, with Resume as their default."""
        self.action_select()


class PickerScreen(Screen[None]):
    """Pick a scenario; Enter opens its content notes."""

    BINDINGS = [
        Binding("q", "app.quit", "Quit", show=False),
        Binding("1", "open_number(1)", "Open the scenario with that number", key_display="1-9", show=False),
        *(Binding(str(n), f"open_number({n})", show=False) for n in range(2, 10)),
    ]
    HELP_NOTE = ("The stories are listed in the order they are best played, a short warm-up first. "
                 "Each row counts the endings you have found and says when a play is saved.")

    _wanted: Entry | None = None
    _shown: Entry | None = None
    """The entry whose details are shown (the highlighted one)."""
    _resumed = False
    _drawing = 0
    """How many times the rows have been made (rows left for after the first frame belong to one making)."""

    def __init__(self, context: GameContext):
        super().__init__()
        self.context = context
        self._saved: frozenset[str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Second Chance", "bold"), "  ", TAGLINE), id="picker-title")
        with Horizontal(id="picker-body"):
            yield ScenarioList(id="scenario-list")
            with VerticalScroll(id="scenario-details"):
                yield Static(id="details")
        yield KeyBar()

    @property
    def entries(self) -> list[Entry]:
        return self.context.entries

    def on_mount(self) -> None:
        listing = self.query_one("#scenario-list", OptionList)
        listing.border_title = "Scenarios"
        self.refresh_list(first=True)
        listing.focus()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from another screen: endings found and saves may have changed (the first showing was just drawn).

        On the first showing every widget was styled as it mounted, a moment
        before, so Textual's restyle of the whole screen as it resumes (which
        runs after this handler) would only do that again for the first frame.
        """
        if self._resumed:
            self.refresh_list()
        else:
            event.refresh_styles = False
        self._resumed = True

    def refresh_list(self, reordered: bool = False, first: bool = False) -> None:
        """Redraw the rows: endings found, saved plays and stories just checked change while the app runs.

        The highlight stays on the same story even when the rows have been
        put in a new order, except on the top row when the stories just
        checked have found their places (`reordered`): a player who has not
        moved it yet is shown the first story of the list as it now stands.

        The `first` showing makes the rows the window can hold (and the one
        to highlight), and adds the rest right after that frame is drawn: a
        folder of a hundred stories costs the first frame no more than nine.
        """
        listing = self.query_one("#scenario-list", ScenarioList)
        keep = listing.highlighted
        wanted = self._wanted or (None if reordered and keep == 0 else self._shown)
        self._saved = None
        self._wanted = None
        self._drawing += 1
        if wanted is not None:
            found = next((i for i, e in enumerate(self.entries) if e is wanted), None)
            keep = found if found is not None else keep
        listing.saved_rows = frozenset(i for i, entry in enumerate(self.entries) if self.saved(entry))
        rows = [(partial(self.row, i + 1, entry), f"e{i}", False) for i, entry in enumerate(self.entries)]
        now = max(self.app.size.height // ROW_LINES + 1, (keep or 0) + 1) if first else len(rows)
        listing.set_prompts(rows[:now])
        if now < len(rows):
            self.call_after_refresh(self._add_rows, rows[now:], self._drawing)
        if self.entries:
            listing.highlighted = keep if keep is not None and keep < len(self.entries) else 0
        listing.refresh_bindings()  # Enter says Resume or Open for the row now highlighted
        self.show_details()

    def _add_rows(self, rows: list, drawing: int) -> None:
        """The rows the first showing left out, unless the list has been made again since."""
        if drawing == self._drawing:
            self.query_one("#scenario-list", ScenarioList).add_prompts(rows)

    def found(self, entry: Entry) -> list[str]:
        """Titles of the endings this player has found in the scenario, in file order."""
        card = _card(entry)
        if card is None:
            return []
        ids = self.context.home.progress.found(card.id)
        return [title for ending_id, title in card.endings if ending_id in ids]

    def saved(self, entry: Entry) -> bool:
        """Whether this player has a saved play of the story (never checks an entry to find out).

        The saves folder is listed once each time the rows are made (`refresh_list`), however many stories.
        """
        card = _card(entry)
        if card is None:
            return False
        if self._saved is None:
            self._saved = self.context.home.slots.saved_stories()
        return card.id in self._saved

    def row(self, number: int, entry: Entry, pointed: bool = False) -> Content:
        """Two lines: the number key and title (the pointer when highlighted), then what this player has done.

        A row is Textual's own Content (the title as plain text, never markup):
        a list of a hundred stories measures and draws its rows several times
        faster than with Rich Text.
        """
        key = f"{number} " if number <= 9 else "  "
        head = (f"{POINTER} {key}" if pointed else f"  {key}", "bold")
        if entry.shown is None:
            return Content.assemble(head, entry.title, (f"\n      {CHECKING}", "italic"))
        card = _card(entry)
        if card is None:
            return Content.assemble(head, entry.title, ("\n      ✗ broken", "italic"))
        marks = [f"{len(self.found(entry))}/{len(card.endings)} endings"]
        if self.saved(entry):
            marks.append("saved")
        return Content.assemble(head, card.title, ("\n      " + " · ".join(marks), "italic"))

    def current(self) -> Entry | None:
        listing = self.query_one("#scenario-list", OptionList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def select(self, entry: Entry) -> None:
        """Highlight `entry` (now, or as soon as the list exists)."""
        self._wanted = entry
        if self.is_mounted:
            self.refresh_list()

    @on(OptionList.OptionHighlighted, "#scenario-list")
    def _highlighted(self) -> None:
        if self.current() is not self._shown:  # refresh_list has already shown the one it highlighted
            self.show_details()

    @on(OptionList.OptionSelected, "#scenario-list")
    def _selected(self) -> None:
        self.action_open()

    def action_open_number(self, number: int) -> None:
        """Number keys open the scenario at that place in the list, as they pick choices in play."""
        if 1 <= number <= len(self.entries):
            self.query_one("#scenario-list", OptionList).highlighted = number - 1
            self.action_open()

    def action_open(self) -> None:
        entry = self.current()
        if entry is not None:
            self.post_message(OpenEntry(entry))

    def show_details(self) -> None:
        entry = self._shown = self.current()
        details = self.query_one("#details", Static)
        if entry is None:
            details.update(Text("No scenarios found. Name a scenario file or a folder with --scenarios."))
            return
        details.update(self.details_text(entry))

    def details_text(self, entry: Entry) -> Text:
        text = Text()
        if entry.shown is None:
            text.append(f"{entry.path.name}\n", style="bold")
            text.append("Checking this story… Its title, length and content notes show here in a moment.\n\n")
            text.append("Enter: check it now and read its content notes.", style="italic")
            return text
        card = _card(entry)
        if card is None:
            text.append(f"{entry.path.name}\n", style="bold")
            text.append("✗ Broken: this file cannot be played yet.\n\n", style="bold")
            text.append("First problem:\n", style="italic")
            text.append(entry.first_error + "\n\n")
            count = len(entry.problems)
            text.append(f"{count} problem{'s' if count != 1 else ''} in all. ")
            text.append(f"`second-chance validate {entry.path}` lists every one.")
            return text
        text.append(f"{card.title}\n", style="bold")
        text.append(f"{card.summary}\n\n")
        text.append("Length: ", style="bold")
        text.append(f"{length_words(entry)}\n")
        text.append("Content notes: ", style="bold")
        text.append((", ".join(card.content_notes) or "none") + "\n")
        found = self.found(entry)
        total = len(card.endings)
        text.append("Endings found: ", style="bold")
        text.append(f"{len(found)} of {total}")
        if found:
            text.append(": " + ", ".join(found))
        text.append("\n")
        if self.saved(entry):
            text.append("You have a saved play to resume.\n", style="italic")
            text.append("\nEnter: read the content notes and resume.", style="italic")
        else:
            text.append("\nEnter: read the content notes and begin.", style="italic")
        return text
