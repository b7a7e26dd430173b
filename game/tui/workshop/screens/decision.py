"""The facilitator's console for a decision: the scene, its asides, the vote as it fills; or a team's ending.

The screen draws the Workshop and passes the facilitator's keys to it. Every
rule is the core's: which keys work now is game.workshop.moves's table (each
action names its move in `MOVES`, and `check_action` only reads the table),
what the room sees is game.workshop.shown, and the words are
game.workshop.words's. The Workshop tells the screen what changed (phone
ballots included) through an observer, which this screen turns into a
RoomChanged message: a ballot redraws the tally alone, anything else the
screen. After a decision the result card goes up (DecidedScreen) until the
facilitator shows the room what comes next.

Whether the console is private (a room display is open) decides what it
shows beyond the room's view: the facilitator notes, the counts as they
arrive and the questions whether or not they are up on the room display. On
one screen, notes are hidden at every new scene until F shows them.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer as Ticker
from textual.widgets import Static

from game.tui.widgets.keybar import KeyBar
from game.tui.workshop.attempt import attempt
from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.handouts import export_handouts
from game.tui.workshop.messages import LinkChanged, RoomChanged
from game.tui.workshop.screens.asking import ask_the_room
from game.tui.workshop.screens.card import DecidedScreen
from game.tui.workshop.screens.compare import CompareScreen
from game.tui.workshop.screens.debrief import RoomDebriefScreen
from game.tui.workshop.screens.dialogs import CountScreen, SkipScreen
from game.tui.workshop.screens.goback import GoBackScreen
from game.tui.workshop.screens.predict import PredictScreen
from game.tui.workshop.widgets.phones import PhonePanel, panel_wanted
from game.tui.workshop.widgets.scene import ScenePanel
from game.tui.workshop.widgets.status import StatusLines, ending_text, header_text, prompts_title
from game.tui.workshop.widgets.tally import Drawn, VoteTally, live_rows, pointer
from game.workshop import prompts, view
from game.workshop.moves import Move, offers_predict
from game.workshop.room import Change, Workshop
from game.workshop.shown import CARD, ENDING
from game.workshop.words import PHASE_WORDS

MOVES = {
    "select": Move.POINT, "move": Move.POINT, "add": Move.COUNT, "count": Move.COUNT, "open_voting": Move.OPEN,
    "discussion_timer": Move.TIMER, "lock": Move.LOCK, "reveal": Move.REVEAL, "decide": Move.DECIDE,
    "runoff": Move.RUNOFF, "skip": Move.SKIP, "go_on": Move.GO_ON, "undo": Move.UNDO, "go_back": Move.GO_BACK,
    "next_team": Move.NEXT_TEAM, "prompts": Move.PROMPTS, "compare": Move.COMPARE, "debrief": Move.DEBRIEF,
    "scroll": Move.PAGE, "ask": Move.ASK, "predict": Move.PREDICT,
}
"""Each of this screen's actions and the move it makes: a key works exactly when the core allows its move."""

class DecisionScreen(Screen[None]):
    """The decision in front of the room, or the ending a team has reached."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (27, "-tall")]
    HELP_TITLE = "A decision (and an ending)"
    HELP_NOTE = (
        "▸ points at the option the counts go to. ✗ marks an option the story shows but does not open: it "
        "cannot take votes, and its reason is written under it. Nothing moves on by itself: the timer only "
        "signals when time is up; the facilitator locks, reveals and decides. Letter keys work in capitals "
        "too (Shift or Caps Lock).")
    BINDINGS = [
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="this help: the keys you can use now"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("v,V", "open_voting", "Open vote",
                tooltip="open the vote (phones can vote from now on; the voting timer starts, if there is one)"),
        Binding("t,T", "discussion_timer", "Timer",
                tooltip="start the discussion timer (when it runs out it only says so)"),
        Binding("1", "select(1)", "Option", key_display="1-9",
                tooltip="point at the option with that number (counts go to it; after a tie you decide, only a tied "
                        "option can be pointed at, and it is the pick)"),
        *(Binding(str(n), f"select({n})", show=False) for n in range(2, 10)),
        Binding("up", "move(-1)", "Move", key_display="↑ ↓", show=False,
                tooltip="move the pointer between the options (struck-through ones too; after a tie you decide, "
                        "the tied ones only)"),
        Binding("down", "move(1)", show=False),
        Binding("plus,equals_sign,right", "add(1)", "Vote", key_display="+/→",
                tooltip="one more vote for the option pointed at (this opens the vote if it was still discussion)"),
        Binding("minus,left", "add(-1)", "Less", key_display="−/←", show=False,
                tooltip="one vote fewer (never below zero)"),
        Binding("c,C", "count", "Count", show=False, tooltip="type the room's count for the option pointed at"),
        Binding("l,L", "lock", "Lock", tooltip="lock the vote: no count can change after this"),
        Binding("r,R", "reveal", "Reveal",
                tooltip="reveal the tally (locking it first) and what it decides under the tie rule"),
        Binding("enter", "decide", "Take it",
                tooltip="after the reveal: take the room's choice (on a tie, or with no votes: the option pointed at)"),
        Binding("o,O", "runoff", "Runoff",
                tooltip="after a tie under the runoff rule: a second vote between the tied options only"),
        Binding("enter", "go_on", "Go on", tooltip="at an ending: the next team's turn"),
        Binding("enter", "last_debrief", "Debrief", tooltip="at the last ending: the room's debrief"),
        Binding("k,K", "skip", "Skip",
                tooltip="move past this scene without a vote: it says which option the story takes, and you may "
                        "pick another (recorded as skipped, not the room's decision)"),
        Binding("p,P", "prompts", "Prompts",
                tooltip="put the questions for the room up on its screen, or take them down"),
        Binding("f,F", "notes", "Notes", tooltip="show or hide the facilitator notes (marked: not for the room)"),
        Binding("a,A", "ask", "Ask the room", show=False,
                tooltip="put a question to the room (something else?, the scene's questions, the step-out "
                        "question): phones send ideas, you choose which the room display shows"),
        Binding("x,X", "predict", "Predict", show=False,
                tooltip="the room predicts how this play ends, among the tones it can still reach (once per play; a "
                        "prediction nobody voted in does not count)"),
        Binding("j,J", "phones", "Phones", show=False,
                tooltip="show or hide the phones' panel (the status line says the code when it is hidden)"),
        Binding("g,G", "go_back", "Go back", show=False,
                tooltip="forum theatre: go back to any decision so far and play on as a new, named branch"),
        Binding("b,B", "compare", "Compare", show=False, tooltip="every play side by side, on the room's screen too"),
        Binding("d,D", "debrief", "Debrief", show=False, tooltip="the room's debrief, at any time"),
        Binding("e,E", "export", "Handouts", show=False,
                tooltip="write the handouts (Markdown, HTML, the one-page take-home, JSON) into the export folder"),
        Binding("u,U", "undo", "Undo", show=False, tooltip="take back this team's last decision (a slip of the key)"),
        Binding("n,N", "next_team", "Next team", show=False, tooltip="hand the decision to the next team"),
        Binding("pageup", "scroll(-1)", "Page up", show=False,
                tooltip="a page back: on the room display, and in a long scene here"),
        Binding("pagedown", "scroll(1)", "Page down", show=False,
                tooltip="the next page: on the room display, and in a long scene here"),
    ]

    def __init__(self, context: WorkshopContext, room: Room):
        super().__init__()
        self.context = context
        self.room = room
        self.selected: int | None = None
        self.notes_shown: bool | None = None
        """The facilitator's F for the scene in front of the room; None: as the console's privacy says."""
        self._signalled: object | None = None
        self._ticker: Ticker | None = None
        self._stop_observing: Callable[[], None] | None = None
        self._scene_key: tuple | None = None
        self._known: frozenset[Move] | None = None
        """The moves allowed, as last asked of the core (forgotten the moment the workshop changes)."""

    @property
    def workshop(self) -> Workshop:
        return self.room.workshop

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="room-header")
        with Horizontal(id="room-body"):
            with Vertical(id="room-main"):
                yield ScenePanel(id="scene")
                yield VoteTally(id="tally")
            yield PhonePanel(id="phones")
        yield StatusLines(id="room-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._stop_observing = self.workshop.observe(self._observed)
        self._ticker = self.set_interval(1.0, self.tick, pause=True)
        self.query_one(VoteTally).follow(self.drawn_tally)
        self.show()

    def on_unmount(self) -> None:
        if self._stop_observing is not None:
            self._stop_observing()

    def _observed(self, kind: Change) -> None:
        """Told by the workshop, at once: the next key is checked against the moves allowed now."""
        if kind != Change.BALLOT:
            self._known = None
        self.post_message(RoomChanged(kind))

    @property
    def _moves(self) -> frozenset[Move]:
        if self._known is None:
            self._known = self.workshop.moves()
        return self._known

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.show()

    @on(RoomChanged)
    def _room_changed(self, message: RoomChanged) -> None:
        if message.kind == Change.BALLOT:
            self.counted()
            return
        if message.kind == Change.IDEA:  # the ideas screen shows them; here only the keys may change
            self.refresh_bindings()
            return
        if self.workshop.shown.stage == CARD and not isinstance(self.app.screen, DecidedScreen):
            self.app.push_screen(DecidedScreen(self.context, self.room))
        self.show()

    @on(LinkChanged)
    def _link_changed(self) -> None:
        self.show()

    def on_resize(self) -> None:
        self.draw_phones()

    # -- what is on screen -------------------------------------------------------------

    @property
    def shown_play(self):
        """The play in front of the room: the current team's scene, or the ending it is shown."""
        return self.workshop.teams[self.workshop.shown.team].play

    def notes_on(self) -> bool:
        return self.notes_shown if self.notes_shown is not None else self.context.private

    def show(self) -> None:
        """Draw the workshop as it stands."""
        workshop = self.workshop
        self._known = None
        shown = workshop.shown
        team = workshop.teams[shown.team]
        play = team.play
        key = (shown.stage, shown.team, team.session.branch, len(play.steps), workshop.round_id)
        if key != self._scene_key:
            self._scene_key = key
            self.notes_shown = None
            self.query_one(ScenePanel).scroll_home(animate=False)
        current = workshop.round if shown.stage != ENDING else None
        self.selected = pointer(workshop, current, self.selected)
        self.query_one("#room-header", Static).update(header_text(workshop, team, play))
        at_ending = shown.stage == ENDING
        private = self.context.private
        self.query_one(ScenePanel).show(
            play, ending_text(workshop, self._moves) if at_ending else Text(play.text()), prompts.at(play),
            prompts_title=prompts_title(private, shown.prompts), prompts_on=private or shown.prompts,
            notes_on=self.notes_on(), help_on=at_ending and view.needs_help(workshop, shown.team))
        tally = self.query_one(VoteTally)
        tally.display = current is not None
        if current is not None:
            title = "The vote" + (": runoff between the tied options" if current.runoff_of else "")
            tally.border_title = f"{title}  ·  {PHASE_WORDS[current.phase]}"
            tally.follow(self.drawn_tally)
        self.draw_phones()
        self.query_one(StatusLines).show(self.context, workshop, panel=self._panel())
        self._run_ticker()
        self.refresh_bindings()

    def counted(self) -> None:
        """A phone's ballot: the tally and the phones' count, nothing else."""
        self.query_one(VoteTally).counted()
        self.draw_phones()

    def _panel(self) -> bool:
        return panel_wanted(self.context, self.size.width, self.size.height)

    def draw_phones(self) -> None:
        current = self.workshop.round
        self.query_one(PhonePanel).show(self.context.phones, len(current.ballots) if current else 0, self._panel())

    def drawn_tally(self) -> Drawn:
        """The rows of the vote in front of the room, and the line under them (asked each time it draws)."""
        return live_rows(self.workshop, self.selected, self.context.private)

    # -- the timer -------------------------------------------------------------------------

    def _run_ticker(self) -> None:
        timer = self.workshop.timer
        if self._ticker is not None:
            if timer.running is not None and not timer.expired:
                self._ticker.resume()
            else:
                self._ticker.pause()

    def tick(self) -> None:
        """Once a second while a countdown runs: redraw it, and signal once when it runs out."""
        timer = self.workshop.timer
        running = timer.running
        if running is not None and timer.expired and self._signalled is not running:
            self._signalled = running
            if timer.bell:
                self.app.bell()
            self.notify(f"Time is up for the {timer.period}. Nothing is locked: the room still decides.",
                        title="Timer", timeout=6)
        self.query_one(StatusLines).show(self.context, self.workshop, panel=self._panel())
        self._run_ticker()

    # -- which keys work now: the core's table, and the console's own few ------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        move = MOVES.get(action)
        if action == "predict":
            return self._check_predict()
        if action == "last_debrief":  # Enter, once every team's story has ended
            return self.workshop.finished and self.workshop.shown.stage == ENDING and not self.workshop.shown.overlay
        if move is not None:
            return move in self._moves
        if action == "notes":
            return bool(prompts.at(self.shown_play).notes)
        if action == "phones":
            return self.context.phones is not None
        return True

    def _check_predict(self) -> bool:
        return offers_predict(self.workshop)

    # -- counting votes -----------------------------------------------------------------------

    def action_select(self, number: int) -> None:
        current = self.workshop.round
        option = next((o for o in current.options if o.number == number), None) if current else None
        if option is None:
            self.notify(f"There is no option {number} here.", timeout=3)
            return
        index = option.choice.index
        if attempt(self, lambda: self.workshop.point(index)):
            self.selected = index
            self.show()

    def action_move(self, step: int) -> None:
        indexes = list(self.workshop.pointable())
        if not indexes:
            return
        at = indexes.index(self.selected) if self.selected in indexes else -step
        self.selected = indexes[(at + step) % len(indexes)]
        self.show()

    def action_add(self, delta: int) -> None:
        if self.selected is not None:
            index = self.selected
            attempt(self, lambda: self.workshop.add_hands(index, delta))

    def action_count(self) -> None:
        current = self.workshop.round
        if current is None or self.selected is None:
            return
        index = self.selected
        if not attempt(self, lambda: current.check_votable(index)):
            return
        option = current.option(index)
        self.app.push_screen(CountScreen(f"{option.number}. {option.choice.text}", current.hands.get(index, 0)),
                             callback=lambda count: count is None or attempt(self,
                                 lambda: self.workshop.set_hands(index, count)))

    # -- the facilitator's steps --------------------------------------------------------------

    def action_open_voting(self) -> None:
        attempt(self, self.workshop.open_voting)

    def action_discussion_timer(self) -> None:
        attempt(self, self.workshop.start_timer)

    def action_lock(self) -> None:
        attempt(self, self.workshop.lock)

    def action_reveal(self) -> None:
        attempt(self, self.workshop.reveal)

    def action_runoff(self) -> None:
        attempt(self, self.workshop.start_runoff)

    def action_decide(self) -> None:
        outcome = self.workshop.outcome()
        pick = self.selected if outcome is not None and outcome.winner is None else None
        attempt(self, lambda: self.workshop.decide(pick))

    def action_skip(self) -> None:
        self.app.push_screen(SkipScreen(self.workshop), callback=self._skipped)

    def _skipped(self, pick: int | None) -> None:
        if pick is not None:
            attempt(self, lambda: self.workshop.skip(pick))

    def action_go_on(self) -> None:
        if attempt(self, self.workshop.go_on):
            self.notify(f"{self.workshop.team.name}: your turn.", timeout=4, markup=False)

    def action_next_team(self) -> None:
        if attempt(self, self.workshop.next_team):
            self.notify(f"{self.workshop.team.name}: your turn.", timeout=4, markup=False)

    def action_undo(self) -> None:
        attempt(self, self.workshop.undo)

    def action_prompts(self) -> None:
        attempt(self, self.workshop.toggle_prompts)

    def action_notes(self) -> None:
        self.notes_shown = not self.notes_on()
        self.show()
        if self.notes_shown:
            scene = self.query_one(ScenePanel)
            self.call_after_refresh(lambda: scene.scroll_to_widget(scene.query_one(".notes"), animate=False))

    def action_phones(self) -> None:
        self.context.panel = not self._panel()
        self.show()

    def action_scroll(self, direction: int) -> None:
        attempt(self, lambda: self.workshop.turn_page(direction))
        scene = self.query_one(ScenePanel)
        if direction < 0:
            scene.scroll_page_up(animate=False)
        else:
            scene.scroll_page_down(animate=False)

    # -- forum theatre, comparing, the debrief, handouts -----------------------------------------------

    def action_go_back(self) -> None:
        self.app.push_screen(GoBackScreen(self.room, self.workshop.shown.team))

    def action_compare(self) -> None:
        self.app.push_screen(CompareScreen(self.context, self.room))

    def action_debrief(self) -> None:
        self.app.push_screen(RoomDebriefScreen(self.context, self.room))

    def action_last_debrief(self) -> None:
        self.action_debrief()

    def action_export(self) -> None:
        export_handouts(self, self.context, self.room)

    # -- the room's own voice: questions, ideas, predictions ---------------------------------------------

    def action_ask(self) -> None:
        ask_the_room(self, self.context, self.room)

    def action_predict(self) -> None:
        if attempt(self, self.workshop.predict):
            self.app.push_screen(PredictScreen(self.context, self.room))
