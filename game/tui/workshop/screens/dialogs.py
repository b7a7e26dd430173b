"""Small boxes over the workshop: type a count, skip a scene (and which option the story takes), name a branch,
confirm quitting, and a notice that must be read (it stays until Enter)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from game.tui.widgets.pointer import POINTER, PointerList
from game.tui.workshop.layout import hang
from game.wording import quoted
from game.workshop.room import Workshop
from game.workshop.teams import MAX_TEAM_NAME
from game.workshop.votes import MAX_COUNT, VoteError, check_count


class CountScreen(ModalScreen[int | None]):
    """The room's count for one option, typed as a number."""

    HELP_TITLE = "Typing a count"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="leave the count as it was (Enter sets it)")]

    def __init__(self, label: str, count: int):
        super().__init__()
        self.label = label
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            title = Text("Votes for ", style="bold")
            title.append(self.label)
            yield Static(title, id="dialog-title")
            yield Input(str(self.count), type="integer", max_length=len(str(MAX_COUNT)), id="count-input",
                        select_on_focus=True)
            yield Static("Enter: set this count  ·  Escape: leave it as it was", classes="dialog-keys",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        try:
            count = check_count(int(value)) if value.isdecimal() else None
        except VoteError as problem:  # the box stays, the number in it, to be mended
            self.notify(f"{str(problem)[:1].upper()}{str(problem)[1:]}.", severity="warning", timeout=5,
                        markup=False)
            return
        if count is None:
            self.notify("Type a whole number (0 or more).", severity="warning", timeout=3)
            return
        self.dismiss(count)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SkipList(PointerList):
    """The open options; Enter skips the scene taking the highlighted one."""

    BINDINGS = [Binding("enter", "select", "Skip with it", tooltip="skip the scene; the story takes this option")]


class SkipScreen(ModalScreen[int | None]):
    """Skip the scene: which option the story takes (the first open one, unless the facilitator picks another).

    Dismissed with the choice's index, or None to leave the scene in place.
    """

    HELP_TITLE = "Skipping a scene"
    HELP_NOTE = ("The story has to go on through one of the scene's open options, and that option's effects count. "
                 "The skip is recorded as not the room's decision: the debrief and the handouts leave it out of "
                 "what the decisions meant.")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="do not skip the scene"),
        Binding("1", "pick(1)", "Point", key_display="1-9",
                tooltip="point at the option with that number (Enter skips with it)"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
    ]

    def __init__(self, workshop: Workshop, *, unseen: bool = False):
        super().__init__()
        current = workshop.round
        self.options = [o for o in (current.options if current else ()) if o.available]
        self.unseen = unseen
        """The room can see this screen and has not seen the scene: options go by number, not by their words."""
        default = workshop.skip_pick
        self.first = next((n for n, o in enumerate(self.options) if o.choice.index == default), 0)

    def words_of(self, n: int) -> str:
        option = self.options[n]
        return f"option {option.number}" if self.unseen else f"option {option.number}: {quoted(option.choice.text)}"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static("Skip the next scene?" if self.unseen else "Skip this scene?", id="dialog-title",
                         markup=False)
            words = Text("There is no vote. The story takes ")
            if self.options:
                words.append(self.words_of(self.first), style="bold")
            words.append(", and its effects count. Pick another below if you like. The debrief and the handouts "
                         "say the scene was skipped, not the room's decision.")
            if self.unseen:
                words.append(" The options' words are not shown: the room can see this screen.", style="italic")
            yield Static(words)
            yield SkipList(id="skip-list")
            yield Static("↑↓ or 1-9: pick  ·  Enter: skip with it  ·  Escape: keep the scene", classes="dialog-keys",
                         markup=False)

    def on_mount(self) -> None:
        listing = self.query_one(SkipList)
        listing.set_prompts([(partial(self.row, self.words_of(n)), f"o{n}", False) for n in range(len(self.options))])
        listing.highlighted = self.first if self.options else None
        listing.focus()

    @staticmethod
    def row(words: str, pointed: bool = False):
        return hang(Text(f"{POINTER} " if pointed else "  ", style="bold"), Text(words[:1].upper() + words[1:]))

    @on(OptionList.OptionSelected, "#skip-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[event.option_index].choice.index)

    def action_pick(self, number: int) -> None:
        """Point at the option: a number never skips by itself, so the Enter the dialog asks for is the one
        that does (and never lands on the screen underneath)."""
        for n, option in enumerate(self.options):
            if option.number == number:
                self.query_one(SkipList).highlighted = n
                return
        self.notify(f"There is no open option {number} here.", timeout=3)

    def action_cancel(self) -> None:
        self.dismiss(None)


class BranchNameScreen(ModalScreen[str | None]):
    """The name of a new forum-theatre branch (a suggestion is filled in)."""

    HELP_TITLE = "Naming a branch"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="do not go back (Enter makes the branch)")]

    def __init__(self, where: str, suggestion: str):
        super().__init__()
        self.where = where
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            title = Text("A new branch: ", style="bold")
            title.append(self.where)
            yield Static(title, id="dialog-title")
            yield Static("Name it (the debrief and the handouts use this name):", markup=False)
            yield Input(self.suggestion, max_length=MAX_TEAM_NAME, id="branch-input", select_on_focus=True)
            yield Static("Enter: go back and play on from here  ·  Escape: cancel", classes="dialog-keys",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        self.dismiss(name or self.suggestion)

    def action_cancel(self) -> None:
        self.dismiss(None)


QUIT, END = "quit", "end"
"""The quit box's answers: quit (a workshop in the middle of its story is paused for the room), or end it."""


class QuitScreen(ModalScreen[str | None]):
    """Quit the workshop? It is saved first, and `--resume` picks it up. In the middle of the story the phones
    and the room display are told it is paused (they come back by themselves when it is picked up); E ends it
    for the room instead. Dismissed with QUIT, END, or None to stay."""

    HELP_TITLE = "Quitting"
    BINDINGS = [
        Binding("y,Y", "answer('quit')", "Quit", tooltip="save and quit"),
        Binding("enter", "answer('quit')", "Quit", show=False, tooltip="save and quit"),
        Binding("e,E", "answer('end')", "End it for the room",
                tooltip="save and quit, telling the phones and the room display the workshop has ended"),
        Binding("n,N", "answer('')", "Stay", tooltip="go back to the workshop"),
        Binding("escape", "answer('')", "Stay", show=False, tooltip="go back to the workshop"),
    ]

    def __init__(self, saved_where: str, *, resumable: bool = False):
        super().__init__()
        self.saved_where = saved_where
        self.resumable = resumable
        """The workshop is in the middle of its story: quitting pauses it for the room."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static("Quit the workshop?", id="dialog-title", markup=False)
            if self.saved_where:
                words = Text("It is saved first, as ")
                words.append(self.saved_where)
                words.append(" in the game's workshops folder. `second-chance workshop --resume` picks it up where "
                             "you stopped.")
                if self.resumable:
                    words.append(" The phones and the room display are told it is paused, and come back by "
                                 "themselves when you pick it up. E ends it for the room instead: they are told it "
                                 "has ended.")
                else:
                    words.append(" The phones and the room display are told the workshop has ended.")
            else:
                words = Text("Nothing has begun yet, so there is nothing to save.")
            yield Static(words)
            keys = "Y or Enter: quit  ·  " + ("E: end it for the room  ·  " if self.resumable else "")
            yield Static(keys + "N or Escape: stay", classes="dialog-keys", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == (END,):
            return self.resumable
        return True

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)


class NoticeScreen(ModalScreen[None]):
    """A notice the facilitator must read before going on (a toast could vanish unread): it stays until Enter
    or Escape."""

    HELP_TITLE = "A notice"
    BINDINGS = [
        Binding("enter", "dismiss", "Understood", tooltip="close the notice and go back to the workshop"),
        Binding("escape", "dismiss", "Understood", show=False, tooltip="close the notice"),
    ]

    def __init__(self, title: str, words: str):
        super().__init__()
        self.title_words = title
        self.words = words

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(self.title_words, id="dialog-title", markup=False)
            yield Static(self.words, markup=False)
            yield Static("Enter: understood", classes="dialog-keys", markup=False)
