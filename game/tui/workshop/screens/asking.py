"""Asking the room: pick a question to put to it, then moderate the ideas that come back.

Which questions can be asked, how an idea is cleaned and limited, and what
the room may see are the core's (game.workshop.ideas); this console only
shows and asks. The ideas screen lists every idea as it arrives, with its
state in words (new, on the screen, hidden), and the facilitator chooses what
the room display shows. An idea said aloud in a room that counts hands can be
typed in. Idea text comes from strangers and goes in as plain Text.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static

from game.tui.widgets.choices import hanging
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.pointer import POINTER, PointerList
from game.tui.workshop.attempt import attempt
from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.layout import hang
from game.tui.workshop.screens.over import OverStory
from game.tui.workshop.widgets.status import StatusLines
from game.workshop.ideas import ELSE, ELSE_NOTE, HIDDEN, MAX_TEXT, NEW, SHOWN, Idea, Question
from game.workshop.moves import Move
from game.workshop.room import Change
from game.workshop.shown import DEBRIEF, IDEAS, Shown

STATE_WORDS = {NEW: ("•", "new"), SHOWN: ("✓", "on the screen"), HIDDEN: ("✗", "hidden")}
"""An idea's state as a mark and in words: never colour alone."""

REDRAW = 0.15
"""Seconds between two drawings of the list while ideas pour in."""

MOVES = {"show_idea": Move.MODERATE, "hide_idea": Move.MODERATE, "type_idea": Move.ADD_IDEA, "close": Move.CLOSE,
         "scroll": Move.PAGE}
"""Each of the ideas screen's actions and the move it makes."""


def ask_the_room(screen: Screen, context: WorkshopContext, room: Room) -> None:
    """From any screen: pick a question, put it to the room, and moderate its ideas."""
    under = room.workshop.shown
    questions = room.workshop.questions()

    def asked(number: int | None) -> None:
        if number is not None and attempt(screen, lambda: room.workshop.ask(number)):
            screen.app.push_screen(IdeasScreen(context, room, under))

    screen.app.push_screen(AskScreen(questions), callback=asked)


class QuestionList(PointerList):
    """The questions on offer; Enter puts the highlighted one to the room."""

    BINDINGS = [Binding("enter", "select", "Ask it", tooltip="put this question to the room")]


class AskScreen(ModalScreen[int | None]):
    """Which question to put to the room: dismissed with its place in `Workshop.questions()`, or None."""

    HELP_TITLE = "Asking the room"
    HELP_NOTE = ("The question goes up on the room display and the phones offer a text box. Ideas reach the "
                 "room display only when you show them.")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="ask nothing"),
        Binding("1", "pick(1)", "Point", key_display="1-9",
                tooltip="point at the question with that number (Enter puts it to the room)"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
    ]

    def __init__(self, questions: list[Question]):
        super().__init__()
        self.questions = questions

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box", classes="dialog"):
            yield Static("Ask the room", id="dialog-title", markup=False)
            yield Static("The phones offer a text box while the question is up; you choose which ideas the room "
                         "display shows.", markup=False)
            yield QuestionList(id="question-list")
            yield Static("↑↓ or 1-9: pick  ·  Enter: ask it  ·  Escape: cancel", classes="dialog-keys",
                         markup=False)

    def on_mount(self) -> None:
        listing = self.query_one(QuestionList)
        listing.set_prompts([(partial(self.row, n, q), f"q{n}", False) for n, q in enumerate(self.questions)])
        listing.highlighted = 0 if self.questions else None
        listing.focus()

    @staticmethod
    def row(n: int, question: Question, pointed: bool = False):
        body = Text(question.text)
        body.append(f"\n{question.where}", style="italic")
        return hang(Text(f"{POINTER if pointed else ' '} {n + 1}. ", style="bold"), body)

    @on(OptionList.OptionSelected, "#question-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_pick(self, number: int) -> None:
        """Point at the question; Enter asks it (a number alone never puts anything in front of the room)."""
        if 1 <= number <= len(self.questions):
            self.query_one(QuestionList).highlighted = number - 1
        else:
            self.notify(f"There is no question {number} here.", timeout=3)

    def action_cancel(self) -> None:
        self.dismiss(None)


class IdeaInput(Input):
    """The box for an idea said aloud: a paste longer than the box takes is cut to fit, and said, never
    dropped whole (Textual's Input refuses a paste past its length with only a bell)."""

    CUT = "Cut to {limit} characters: the rest of what you pasted did not fit."

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Input's own paste handler would insert it again, or refuse it whole
        text = " ".join(event.text.split())  # an idea is one line: a pasted line break is a space
        start, end = sorted(self.selection)
        room = (self.max_length or len(text) + len(self.value)) - (len(self.value) - (end - start))
        if len(text) > room:
            text = text[:max(0, room)]
            self.notify(self.CUT.format(limit=self.max_length), severity="warning", timeout=5)
        if text:
            self.replace(text, start, end)


class IdeaTextScreen(ModalScreen[str | None]):
    """An idea said aloud, typed in by the facilitator (it goes up on the room display at once)."""

    HELP_TITLE = "Typing an idea said aloud"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="type nothing (Enter adds the idea)")]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            title = Text("An idea said aloud: ", style="bold")
            title.append(self.question)
            yield Static(title, id="dialog-title")
            yield Static(f"Type it as it was said (at most {MAX_TEXT} characters, no names). It goes up on the "
                         "room display at once; H hides it again.", markup=False)
            yield IdeaInput(max_length=MAX_TEXT, id="idea-input")
            yield Static("Enter: add it  ·  Escape: cancel", classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class IdeaList(PointerList):
    """The ideas sent to the question, in the order they came; Enter shows the highlighted one."""

    BINDINGS = [Binding("enter", "select", "Show it", tooltip="show this idea on the room display")]


class IdeasScreen(OverStory):
    """The question in front of the room and every idea sent to it, as it arrives; the facilitator shows or
    hides each. Escape takes the question down (the room sees what it saw before)."""

    HELP_TITLE = "The room's ideas"
    HELP_NOTE = ("Ideas arrive here as the room sends them. None reaches the room display until you show it, "
                 "and a shown idea can be hidden again. Only shown ideas go into the debrief and the handouts; "
                 "nothing says which phone sent an idea.")
    BINDINGS = [
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="this help: the keys you can use now"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("s,S", "show_idea", "Show", show=False,
                tooltip="show the idea pointed at on the room display (Enter too)"),
        Binding("h,H", "hide_idea", "Hide", tooltip="hide the idea pointed at: the room display drops it"),
        Binding("a,A", "type_idea", "Type one", tooltip="type an idea said aloud (it goes up at once)"),
        Binding("r,R", "read", "Read them",
                tooltip="one screen: show the words of ideas not yet on the screen here too (blank the projector "
                        "first), or hide them again"),
        Binding("escape", "close", "Take it down",
                tooltip="take the question down: the phones' text box closes and the room sees what it saw "
                        "before (its ideas are kept)"),
    ]

    OVERLAY = IDEAS

    def __init__(self, context: WorkshopContext, room: Room, under: Shown):
        super().__init__(context, room)
        self.under = under
        """What the room saw before the question went up (it comes back when this screen goes)."""
        self.drawn: list[tuple[int, str, bool]] = []
        """(id, state, words hidden) of each idea as the list draws it now."""
        self._redraw: Timer | None = None
        self.reading = False
        """On one screen, the facilitator's R: the words of ideas not yet shown are on this screen too."""

    def compose(self) -> ComposeResult:
        yield Static(id="ideas-header")
        with VerticalScroll(id="ideas-body", can_focus=False):
            yield Static(id="ideas-question")
            yield IdeaList(id="idea-list")
            yield Static(id="ideas-empty")
        yield StatusLines(id="room-status")
        yield KeyBar()

    def on_mount(self) -> None:  # Textual then calls FollowingScreen.on_mount itself
        self.query_one(IdeaList).focus()

    def changed(self, kind: Change) -> None:
        """Ideas arriving in a burst are drawn together, a few times a second."""
        if kind == Change.IDEA:
            if self._redraw is None:
                self._redraw = self.set_timer(REDRAW, self._redrawn)
        elif kind in (Change.SHOWN, Change.ROUND):
            self.show()

    def _redrawn(self) -> None:
        self._redraw = None
        self.show()

    def show(self) -> None:
        workshop = self.room.workshop
        question = workshop.asking
        if question is None:
            return
        ideas = workshop.ideas.of(question.id)
        header = Text(workshop.scenario.title, style="bold", no_wrap=True, overflow="ellipsis")
        header.append("  ·  Asking the room")
        self.query_one("#ideas-header", Static).update(header)
        head = Text(question.text, style="bold")
        head.append(f"\n{question.where}", style="italic")
        if question.kind == ELSE:
            head.append(f"\n{ELSE_NOTE}", style="italic")
        counts = {state: sum(1 for i in ideas if i.state == state) for state in STATE_WORDS}
        head.append(f"\n\n{len(ideas)} idea{'s' if len(ideas) != 1 else ''}: {counts[NEW]} new, "
                    f"{counts[SHOWN]} on the screen, {counts[HIDDEN]} hidden. ", style="bold")
        phones = self.context.phones
        head.append("Phones send ideas from the vote page; A types one said aloud." if phones is not None
                    else "A types an idea said aloud.", style="italic")
        if not self.private:
            head.append("\nOne screen: the room sees this screen, so an idea's words show here only once it is on "
                        "the screen. R shows them here as well (blank the projector first)." if not self.reading
                        else "\nOne screen: every idea's words are on this screen (R hides the new and hidden "
                        "ones again).", style="bold")
        self.query_one("#ideas-question", Static).update(head)
        self.draw_ideas(ideas)
        self.query_one(IdeaList).display = bool(ideas)
        empty = self.query_one("#ideas-empty", Static)
        empty.display = not ideas
        empty.update(Text("No ideas yet. They arrive here as the room sends them.", style="italic"))
        self.query_one(StatusLines).show(self.context, workshop, panel=True)
        self.refresh_bindings()

    def draw_ideas(self, ideas: list[Idea]) -> None:
        """The list as it stands: new ideas added at the end and changed ones drawn again, never the whole list
        (a room of hundreds sends hundreds)."""
        listing = self.query_one(IdeaList)
        veiled = not self.private and not self.reading
        rows = [(idea.id, idea.state, veiled) for idea in ideas]
        if [r[0] for r in rows[:len(self.drawn)]] != [r[0] for r in self.drawn]:
            listing.set_prompts([])
            self.drawn = []
        for index, (was, now) in enumerate(zip(self.drawn, rows, strict=False)):
            if was != now:
                listing.replace_prompt(index, partial(self.row, ideas[index], veiled))
        fresh = ideas[len(self.drawn):]
        if fresh:
            listing.add_prompts([(partial(self.row, idea, veiled), f"i{idea.id}", False) for idea in fresh])
            if listing.highlighted is None:
                listing.highlighted = 0
        self.drawn = rows

    @property
    def private(self) -> bool:
        """The room does not see this console (a room display is open)."""
        return self.context.private

    @staticmethod
    def row(idea: Idea, veiled: bool, pointed: bool = False):
        mark, words = STATE_WORDS[idea.state]
        body = Text(f"[{words}] ", style="bold")
        if veiled and idea.state != SHOWN:
            body.append(f"(idea {idea.id}: its words are hidden, the room sees this screen)", style="italic")
        else:
            body.append(idea.text)
        return hanging(Text(mark, style="bold"), body, pointed)

    def _pointed(self) -> Idea | None:
        index = self.query_one(IdeaList).highlighted
        ideas = self.room.workshop.ideas.of(self.room.workshop.ideas.current or 0)
        return ideas[index] if index is not None and 0 <= index < len(ideas) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "read":
            return not self.private
        move = MOVES.get(action)
        return True if move is None else move in self.room.workshop.moves()

    @on(OptionList.OptionSelected, "#idea-list")
    def _selected(self) -> None:
        self.action_show_idea()

    def action_show_idea(self) -> None:
        idea = self._pointed()
        if idea is not None:
            attempt(self, lambda: self.room.workshop.show_idea(idea.id))

    def action_hide_idea(self) -> None:
        idea = self._pointed()
        if idea is not None:
            attempt(self, lambda: self.room.workshop.hide_idea(idea.id))

    def action_read(self) -> None:
        self.reading = not self.reading
        self.show()

    def action_type_idea(self) -> None:
        question = self.room.workshop.asking
        if question is not None:
            self.app.push_screen(IdeaTextScreen(question.text), callback=self._typed)

    def _typed(self, text: str | None) -> None:
        if text is not None and attempt(self, lambda: self.room.workshop.add_idea(text)):
            self.show()
            self.query_one(IdeaList).highlighted = len(self.drawn) - 1

    def action_close(self) -> None:
        """Take the question down (the screen goes when the workshop says the room no longer sees it)."""
        workshop = self.room.workshop
        if workshop.shown.overlay != IDEAS:
            self.dismiss(None)
        elif self.under.overlay == DEBRIEF:
            attempt(self, lambda: workshop.show_debrief(self.under.section))
        else:
            attempt(self, workshop.close_overlay)
