"""The room predicts how the play in front of it ends: the tones it can still reach, voted on as a decision is.

The options, the counting and the words are the core's
(game.workshop.predictions, game.workshop.words); this screen points, counts
hands, reveals and takes the prediction down. Phones vote on it from their
page; on one screen their votes are counted but shown only at the reveal.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from game.tui.widgets.keybar import KeyBar
from game.tui.workshop.attempt import attempt
from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.screens.dialogs import CountScreen
from game.tui.workshop.screens.over import OverStory
from game.tui.workshop.widgets.status import StatusLines
from game.tui.workshop.widgets.tally import Drawn, Row, VoteTally
from game.workshop.moves import Move
from game.workshop.predictions import NOT_RECORDED, QUESTION, Prediction
from game.workshop.room import Change
from game.workshop.shown import PREDICT
from game.workshop.words import expects

MOVES = {"select": Move.PREDICT_COUNT, "move": Move.PREDICT_COUNT, "add": Move.PREDICT_COUNT,
         "count": Move.PREDICT_COUNT, "reveal": Move.PREDICT_REVEAL, "back": Move.CLOSE, "scroll": Move.PAGE}
"""Each of this screen's actions and the move it makes."""


class PredictScreen(OverStory):
    """How will this play end? The room votes between the tones it can still reach; R reveals and records it."""

    HELP_TITLE = "Predicting the ending"
    HELP_NOTE = ("The options are the tones the story can still reach from here. Count hands as for a decision "
                 "(phones vote from their page); R reveals the split and records it. The compare screen, the "
                 "ending, the debrief and the handouts set it beside the ending the play reaches.")
    BINDINGS = [
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="this help: the keys you can use now"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("1", "select(1)", "Tone", key_display="1-5", tooltip="point at the tone with that number"),
        *(Binding(str(n), f"select({n})", show=False) for n in range(2, 6)),
        Binding("up", "move(-1)", "Move", key_display="↑ ↓", show=False, tooltip="move the pointer"),
        Binding("down", "move(1)", show=False),
        Binding("plus,equals_sign,right", "add(1)", "Vote", key_display="+/→",
                tooltip="one more vote for the tone pointed at"),
        Binding("minus,left", "add(-1)", "Less", key_display="−/←", show=False, tooltip="one vote fewer"),
        Binding("c,C", "count", "Count", show=False, tooltip="type the room's count for the tone pointed at"),
        Binding("r,R", "reveal", "Reveal", tooltip="reveal the split: the prediction is recorded for this play"),
        Binding("escape", "back", "Back", tooltip="take the prediction down (before the reveal, its counts wait "
                                                  "for you to ask again)"),
    ]

    OVERLAY = PREDICT

    def __init__(self, context: WorkshopContext, room: Room):
        super().__init__(context, room)
        self.selected = 0

    @property
    def prediction(self) -> Prediction | None:
        return self.room.workshop.prediction

    def compose(self) -> ComposeResult:
        yield Static(id="predict-header")
        with VerticalScroll(id="predict-body", can_focus=False):
            yield Static(id="predict-question")
            yield VoteTally(id="predict-tally", classes="card-tally")
        yield StatusLines(id="room-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(VoteTally).follow(self.drawn)  # before FollowingScreen.on_mount, which Textual calls next

    def changed(self, kind: Change) -> None:
        if kind == Change.BALLOT:
            self.query_one(VoteTally).counted()
        else:
            self.show()

    def show(self) -> None:
        workshop = self.room.workshop
        found = self.prediction
        if found is None:
            return
        team = workshop.teams[found.team]
        header = Text(workshop.scenario.title, style="bold", no_wrap=True, overflow="ellipsis")
        if len(workshop.teams) > 1:
            header.append(f"  ·  Team: {team.name}")
        if found.branch != "main":
            header.append(f"  ·  Branch: {found.branch}")
        header.append("  ·  Predicting the ending")
        self.query_one("#predict-header", Static).update(header)
        words = Text(QUESTION, style="bold")
        words.append(f"\nAsked after decision {found.step}. " if found.step else "\nAsked before any decision. ",
                     style="italic")
        words.append("The options are the tones the story can still reach from here." if found.exhaustive else
                     "The story is too large to say which tones are still in reach: every tone it has is an "
                     "option.", style="italic")
        self.query_one("#predict-question", Static).update(words)
        tally = self.query_one(VoteTally)
        tally.border_title = "The prediction  ·  " + ("Revealed" if found.revealed else "Voting open")
        tally.follow(self.drawn)
        self.query_one(StatusLines).show(self.context, workshop, panel=True)
        self.refresh_bindings()

    def drawn(self) -> Drawn:
        """The tones with their counts (the phones' only from the reveal on one screen), and what comes next."""
        found = self.prediction
        if found is None:
            return [], False, Text()
        workshop = self.room.workshop
        show_phones = found.revealed or not workshop.hide_tally or self.context.private
        counts, phones = found.counts, found.phones
        leaders = found.leaders if found.revealed else ()
        rows = [Row(f"{n + 1}.", tone, counts[n] if show_phones else found.hands.get(n, 0),
                    phones.get(n, 0) if show_phones else 0, pointed=n == self.selected and not found.revealed,
                    chosen=len(leaders) == 1 and tone == leaders[0]) for n, tone in enumerate(found.tones)]
        footer = Text()
        if found.revealed:
            footer.append(expects(found), style="bold")
            if not found.total:
                footer.append(f" {NOT_RECORDED}")
            footer.append("   Escape: back to the story.", style="italic")
        else:
            ballots = len(found.ballots)
            if ballots and not show_phones:
                footer.append(f"{ballots} phone vote{'s' if ballots != 1 else ''} in, shown at the reveal. ")
            footer.append("+ and − change the pointed tone's count, C types it; R reveals and records it.",
                          style="italic")
        return rows, found.revealed, footer

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        move = MOVES.get(action)
        return True if move is None else move in self.room.workshop.moves()

    def action_select(self, number: int) -> None:
        found = self.prediction
        if found is None or not 1 <= number <= len(found.tones):
            self.notify(f"There is no tone {number} here.", timeout=3)
            return
        self.selected = number - 1
        self.query_one(VoteTally).counted()

    def action_move(self, step: int) -> None:
        found = self.prediction
        if found is not None and found.tones:
            self.selected = (self.selected + step) % len(found.tones)
            self.query_one(VoteTally).counted()

    def action_add(self, delta: int) -> None:
        index = self.selected
        attempt(self, lambda: self.room.workshop.add_prediction_hands(index, delta))

    def action_count(self) -> None:
        found = self.prediction
        if found is None or not 0 <= self.selected < len(found.tones):
            return
        index = self.selected
        self.app.push_screen(CountScreen(f"{index + 1}. {found.tones[index]}", found.hands.get(index, 0)),
                             callback=lambda count: count is None or attempt(
                                 self, lambda: self.room.workshop.predict_hands(index, count)))

    def action_reveal(self) -> None:
        attempt(self, self.room.workshop.reveal_prediction)

    def action_back(self) -> None:
        if self.room.workshop.shown.overlay == PREDICT:
            attempt(self, self.room.workshop.close_overlay)  # the screen goes when the workshop says so
        else:
            self.dismiss(None)
