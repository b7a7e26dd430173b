"""A decision in front of the room: the scene, its prompts, the options and the vote; or a team's ending.

The screen draws the Workshop and passes the facilitator's keys to it; every
rule (what can take votes, when counts can change, what a tie means) is the
Workshop's. The Workshop tells the screen what changed (phone ballots
included) through an observer, which this screen turns into a RoomChanged
message, and the handler redraws. Nothing advances by itself: an opted-in
timer counts down, and when it runs out it only says so.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer as Ticker
from textual.widgets import Static

from game import resources
from game.engine import Playthrough
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.phone import PhoneConversation
from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.handouts import export_handouts
from game.tui.workshop.layout import hanging_list
from game.tui.workshop.messages import RoomChanged
from game.tui.workshop.screens.card import DecidedScreen
from game.tui.workshop.screens.compare import CompareScreen
from game.tui.workshop.screens.debrief import RoomDebriefScreen
from game.tui.workshop.screens.dialogs import CountScreen
from game.tui.workshop.screens.goback import GoBackScreen
from game.tui.workshop.widgets.phones import PhonePanel
from game.tui.workshop.widgets.tally import VoteTally, round_rows
from game.tui.workshop.words import OUTCOME_WORDS, PHASE_WORDS, outcome_text, tie_rule_text, timer_text
from game.wording import quoted
from game.workshop.room import BRANCHED, Team, Workshop, WorkshopError
from game.workshop.votes import DISCUSSION, LOCKED, REVEALED, VOTING, Round, VoteError

SCENE, ENDING = "scene", "ending"

NOTES_TITLE = "FACILITATOR ONLY: not for the room (F hides this)"
PROMPTS_TITLE = "For the room to talk about (P hides this)"


class DecisionScreen(Screen[None]):
    """The decision in front of the room, or the ending a team has reached."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (27, "-tall")]
    HELP_TITLE = "A decision (and an ending)"
    HELP_NOTE = (
        "▸ points at the option the counts go to. ✗ marks an option the story shows but does not open: it "
        "cannot take votes, and its reason is written under it. Nothing moves on by itself: the timer only "
        "signals when time is up; the facilitator locks, reveals and decides.")
    BINDINGS = [
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="this help: the keys you can use now"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("v", "open_voting", "Open vote",
                tooltip="open the vote (phones can vote from now on; the voting timer starts, if there is one)"),
        Binding("t", "discussion_timer", "Timer",
                tooltip="start the discussion timer (when it runs out it only says so)"),
        Binding("1", "select(1)", "Option", key_display="1-9",
                tooltip="point at the option with that number (counts go to it; after a tie, it is the pick)"),
        *(Binding(str(n), f"select({n})", show=False) for n in range(2, 10)),
        Binding("up", "move(-1)", "Move", key_display="↑ ↓", show=False,
                tooltip="move the pointer between the options (struck-through ones too)"),
        Binding("down", "move(1)", show=False),
        Binding("plus,equals_sign,right", "add(1)", "Vote", key_display="+/→",
                tooltip="one more vote for the option pointed at (this opens the vote if it was still discussion)"),
        Binding("minus,left", "add(-1)", "Less", key_display="−/←", show=False,
                tooltip="one vote fewer (never below zero)"),
        Binding("c", "count", "Count", show=False, tooltip="type the room's count for the option pointed at"),
        Binding("l", "lock", "Lock", tooltip="lock the vote: no count can change after this"),
        Binding("r", "reveal", "Reveal",
                tooltip="reveal the tally (locking it first) and what it decides under the tie rule"),
        Binding("enter", "decide", "Take it",
                tooltip="after the reveal: take the room's choice (on a tie, or with no votes: the option pointed at)"),
        Binding("o", "runoff", "Runoff",
                tooltip="after a tie under the runoff rule: a second vote between the tied options only"),
        Binding("enter", "go_on", "Go on",
                tooltip="at an ending: the next team's turn, or the debrief once every team has finished"),
        Binding("k", "skip", "Skip",
                tooltip="move past this scene without a vote (it is recorded; the debrief says it was skipped)"),
        Binding("p", "prompts", "Prompts", tooltip="show or hide the discussion prompts for the room"),
        Binding("f", "notes", "Notes", tooltip="show or hide the facilitator notes (marked: not for the room)"),
        Binding("g", "go_back", "Go back", show=False,
                tooltip="forum theatre: go back to any decision so far and play on as a new, named branch"),
        Binding("b", "compare", "Compare", show=False, tooltip="every play side by side: teams and branches"),
        Binding("d", "debrief", "Debrief", show=False, tooltip="the room's debrief, at any time"),
        Binding("e", "export", "Handouts", show=False,
                tooltip="write the handouts (Markdown, HTML and JSON) into the export folder"),
        Binding("u", "undo", "Undo", show=False, tooltip="take back this team's last decision (a slip of the key)"),
        Binding("n", "next_team", "Next team", show=False, tooltip="hand the decision to the next team"),
        Binding("pageup", "scroll(-1)", "Scroll up", show=False, tooltip="scroll a long scene up"),
        Binding("pagedown", "scroll(1)", "Scroll down", show=False, tooltip="scroll a long scene down"),
    ]

    def __init__(self, context: WorkshopContext, room: Room):
        super().__init__()
        self.context = context
        self.room = room
        self.selected: int | None = None
        self.show_prompts = True
        self.show_notes = False
        self.ending_of: int | None = None
        """A team whose ending is on screen (the workshop may already have moved on to the next team)."""
        self._signalled: object | None = None
        self._ticker: Ticker | None = None
        self._stop_observing: Callable[[], None] | None = None
        self._round_key: tuple | None = None

    @property
    def workshop(self) -> Workshop:
        return self.room.workshop

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="room-header")
        with Horizontal(id="room-body"):
            with Vertical(id="room-main"):
                with VerticalScroll(id="scene", can_focus=False):
                    yield Static(id="scene-text")
                    yield PhoneConversation(id="chat")
                    yield Static(id="help-inline")
                    yield Static(id="prompts")
                    yield Static(id="notes")
                yield VoteTally(id="tally")
            yield PhonePanel(id="phones")
        yield Static(id="room-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#prompts").border_title = PROMPTS_TITLE
        self.query_one("#notes").border_title = NOTES_TITLE
        self.query_one("#help-inline").border_title = "Help and support"
        self._stop_observing = self.workshop.observe(lambda kind: self.post_message(RoomChanged(kind)))
        self._ticker = self.set_interval(1.0, self.tick, pause=True)
        self.show()

    def on_unmount(self) -> None:
        if self._stop_observing is not None:
            self._stop_observing()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.show()

    @on(RoomChanged)
    def _room_changed(self, message: RoomChanged) -> None:
        if message.kind == BRANCHED:
            self.ending_of = None  # another play was taken up (from here or from the comparison)
        self.show()

    # -- what is on screen -------------------------------------------------------------

    @property
    def view(self) -> str:
        return ENDING if self.shown_team.play.is_over else SCENE

    @property
    def shown_index(self) -> int:
        return self.ending_of if self.ending_of is not None else self.workshop.current

    @property
    def shown_team(self) -> Team:
        return self.workshop.teams[self.shown_index]

    @property
    def live_round(self) -> Round | None:
        return self.workshop.round if self.view == SCENE else None

    def show(self) -> None:
        """Draw the workshop as it stands."""
        team = self.shown_team
        play = team.play
        current = self.live_round
        self._keep_selection(current)
        self.query_one("#room-header", Static).update(self.header_text(team, play))
        scene_text = self.query_one("#scene-text", Static)
        chat = self.query_one(PhoneConversation)
        tally = self.query_one(VoteTally)
        help_inline = self.query_one("#help-inline", Static)
        if play.is_over:
            scene_text.update(self.ending_text(team, play))
            chat.show(())
            tally.display = False
            help_inline.display = bool((play.ending is not None and play.ending.help) or play.scenario.help)
            if help_inline.display:
                help_inline.update(Text(resources.render_plain()))
        else:
            scene = play.scene
            assert scene is not None
            scene_text.update(Text(play.text()))
            chat.show(play.messages())
            help_inline.display = False
            tally.display = True
            if current is not None:
                self.draw_tally(current)
        self.draw_prompts(play)
        self.query_one(PhonePanel).show(self.room.phones, len(current.ballots) if current else 0)
        self.draw_status()
        key = (self.shown_index, team.session.branch, len(play.steps), current.runoff_of if current else ())
        if key != self._round_key:
            self._round_key = key
            self.query_one("#scene", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    def header_text(self, team: Team, play: Playthrough) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(play.scenario.title, style="bold")
        if len(self.workshop.teams) > 1 or team.name != "The room":
            text.append("  ·  Team: ")
            text.append(team.name, style="bold")
        if team.session.branch != "main":
            text.append("  ·  Branch: ")
            text.append(team.session.branch, style="bold")
        if play.is_over:
            text.append("  ·  The ending")
            return text
        scene = play.scene
        assert scene is not None
        text.append("  ·  ")
        text.append(scene.title or scene.id.replace("_", " "))
        text.append(f"  ·  Decision {len(play.steps) + 1}")
        return text

    def ending_text(self, team: Team, play: Playthrough) -> Text:
        ending = play.ending
        assert ending is not None
        text = Text()
        text.append("Ending: ", style="bold")
        text.append(ending.title, style="bold")
        text.append(f"\nTone: {ending.tone}  ·  Where they stand: {OUTCOME_WORDS.get(ending.outcome, ending.outcome)}",
                    style="italic")
        text.append("\n\n")
        text.append(play.text())
        text.append("\n\n")
        ways = []
        if not self.workshop.finished:
            ways.append("Enter: go on with the next team" if self.ending_of is not None
                        and self.workshop.current != self.ending_of else "Enter: go on")
        else:
            ways.append("Enter: the room's debrief")
        ways += ["G: go back to a decision and try another way", "B: compare every play", "D: the debrief",
                 "E: write the handouts"]
        text.append("\n".join(ways), style="italic")
        return text

    def draw_tally(self, current: Round) -> None:
        tally = self.query_one(VoteTally)
        revealed = current.phase == REVEALED
        outcome = self.workshop.outcome() if revealed else None
        show_phones = revealed or not self.workshop.hide_tally
        rows = round_rows(current, self.selected, outcome, show_phones)
        footer = Text()
        if outcome is not None:
            footer = outcome_text(current, outcome, self.workshop.seed)
        elif current.phase == DISCUSSION:
            footer.append("Talk it over. ", style="bold")
            footer.append("When the room is ready, V opens the vote.", style="italic")
        else:
            footer.append(f"{current.total if show_phones else sum(current.hands.values())} counted so far. ",
                          style="bold")
            phones = len(current.ballots)
            if phones and not show_phones:
                footer.append(f"{phones} phone vote{'s' if phones != 1 else ''} in, shown at the reveal. ")
            footer.append("+ and − change the pointed option's count, C types it; L locks the vote, R reveals it."
                          if current.phase == VOTING else "R reveals the vote.", style="italic")
        tally.show(rows, revealed, footer)
        title = "The vote" + (": runoff between the tied options" if current.runoff_of else "")
        tally.border_title = f"{title}  ·  {PHASE_WORDS[current.phase]}"

    def _prompts_and_notes(self, play: Playthrough) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(about, text) for every prompt and facilitator note of what is on screen."""
        prompts: list[tuple[str, str]] = []
        notes: list[tuple[str, str]] = []
        if play.is_over:
            ending = play.ending
            assert ending is not None
            prompts += [("", q) for q in ending.discuss]
            if ending.facilitator:
                notes.append(("", ending.facilitator))
            return prompts, notes
        scene = play.scene
        assert scene is not None
        prompts += [("", q) for q in scene.discuss]
        if scene.facilitator:
            notes.append(("", scene.facilitator))
        for option in play.options():
            about = f"Option {option.number}" if option.number else f"✗ {quoted(option.choice.text)}"
            prompts += [(about, q) for q in option.choice.discuss]
            if option.choice.facilitator:
                notes.append((about, option.choice.facilitator))
        return prompts, notes

    def draw_prompts(self, play: Playthrough) -> None:
        prompts, notes = self._prompts_and_notes(play)
        panel = self.query_one("#prompts", Static)
        panel.display = bool(prompts) and self.show_prompts
        panel.update(self._bullets(prompts))
        box = self.query_one("#notes", Static)
        box.display = bool(notes) and self.show_notes
        box.update(self._bullets(notes))

    @staticmethod
    def _bullets(items: list[tuple[str, str]]) -> Group:
        rows = []
        for about, words in items:
            body = Text()
            if about:
                body.append(f"{about}: ", style="italic")
            body.append(words)
            rows.append((Text("• "), body))
        return hanging_list(rows)

    def draw_status(self) -> None:
        status = self.query_one("#room-status", Static)
        words, expired = timer_text(self.workshop)
        text = Text(no_wrap=True, overflow="ellipsis")
        if words:
            text.append(words, style="bold")
            text.append("  ·  ")
        text.append(tie_rule_text(self.workshop))
        if len(self.workshop.teams) > 1:
            order = "  ·  Teams take turns" if self.workshop.mode == "turns" else "  ·  Teams side by side"
            text.append(order)
        status.update(text)
        status.set_class(expired, "-expired")
        running = self.workshop.timer.running is not None and not expired
        if self._ticker is not None:
            if running:
                self._ticker.resume()
            else:
                self._ticker.pause()

    def _keep_selection(self, current: Round | None) -> None:
        """Keep the pointer on an option that exists; after a reveal, on the option the vote chose."""
        if current is None:
            self.selected = None
            return
        indexes = [o.choice.index for o in current.options]
        outcome = self.workshop.outcome()
        if outcome is not None and outcome.winner is not None:
            self.selected = outcome.winner
        elif outcome is not None and outcome.tied and outcome.how == "facilitator":
            if self.selected not in outcome.tied:
                self.selected = outcome.tied[0]
        elif self.selected not in indexes:
            votable = current.votable
            self.selected = votable[0] if votable else (indexes[0] if indexes else None)

    # -- the timer -------------------------------------------------------------------------

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
        self.draw_status()

    # -- which keys work now ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        workshop = self.workshop
        current = self.live_round
        phase = current.phase if current is not None else None
        outcome = workshop.outcome() if phase == REVEALED else None
        picking = outcome is not None and outcome.winner is None and outcome.how in ("facilitator", "none")
        if action in ("select", "move"):
            return phase in (DISCUSSION, VOTING) or picking
        if action in ("add", "count"):
            return phase in (DISCUSSION, VOTING)
        if action == "open_voting":
            return phase == DISCUSSION
        if action == "discussion_timer":
            return phase == DISCUSSION and bool(workshop.timer.discussion) and workshop.timer.period != "discussion"
        if action == "lock":
            return phase == VOTING
        if action == "reveal":
            return phase in (VOTING, LOCKED)
        if action == "decide":
            return outcome is not None and outcome.how != "runoff"
        if action == "runoff":
            return outcome is not None and outcome.how == "runoff"
        if action == "go_on":
            return self.view == ENDING
        if action == "skip":
            return phase == DISCUSSION
        if action in ("prompts", "notes"):
            prompts, notes = self._prompts_and_notes(self.shown_team.play)
            return bool(prompts if action == "prompts" else notes)
        if action == "undo":
            return self.view == SCENE and bool(workshop.play.steps)
        if action == "go_back":
            return bool(self.shown_team.play.steps)
        if action == "next_team":
            return len(workshop.teams) > 1 and any(not t.play.is_over for i, t in enumerate(workshop.teams)
                                                   if i != self.shown_index)
        return True

    # -- counting votes -----------------------------------------------------------------------

    def action_select(self, number: int) -> None:
        current = self.live_round
        if current is None:
            return
        option = next((o for o in current.options if o.number == number), None)
        if option is None:
            self.notify(f"There is no option {number} here.", timeout=3)
            return
        self.selected = option.choice.index
        self.show()

    def action_move(self, step: int) -> None:
        current = self.live_round
        if current is None or not current.options:
            return
        indexes = [o.choice.index for o in current.options]
        if self.selected not in indexes:
            self.selected = indexes[0]
        else:
            self.selected = indexes[(indexes.index(self.selected) + step) % len(indexes)]
        self.show()

    def _problem(self, problem: Exception) -> None:
        self.notify(str(problem), severity="warning", timeout=5, markup=False)

    def action_add(self, delta: int) -> None:
        current = self.live_round
        index = self.selected
        if current is None or index is None:
            return
        try:
            self._vote(lambda: self.workshop.add_hands(index, delta))
        except (VoteError, WorkshopError) as problem:
            self._problem(problem)

    def _vote(self, act: Callable[[], None]) -> None:
        """Count a vote, opening the vote first if the room was still in discussion."""
        current = self.live_round
        if current is not None and current.phase == DISCUSSION:
            self._check_can_vote(current)
            self.workshop.open_voting()
        act()

    def _check_can_vote(self, current: Round) -> None:
        if self.selected is not None and self.selected not in current.votable:
            option = current.option(self.selected)
            raise VoteError(f"“{option.choice.text}” is not open: {option.reason or 'it cannot take votes'}")

    def action_count(self) -> None:
        current = self.live_round
        if current is None or self.selected is None:
            return
        option = current.option(self.selected)
        if self.selected not in current.votable:
            self._problem(VoteError(f"“{option.choice.text}” cannot take votes"
                                    + (f": {option.reason}" if option.reason else "")))
            return
        label = f"{option.number}. {option.choice.text}"
        self.app.push_screen(CountScreen(label, current.hands.get(self.selected, 0)), callback=self._counted)

    def _counted(self, count: int | None) -> None:
        if count is None or self.selected is None:
            return
        index = self.selected
        try:
            self._vote(lambda: self.workshop.set_hands(index, count))
        except (VoteError, WorkshopError) as problem:
            self._problem(problem)

    # -- the facilitator's steps --------------------------------------------------------------

    def action_open_voting(self) -> None:
        try:
            self.workshop.open_voting()
        except (VoteError, WorkshopError) as problem:
            self._problem(problem)

    def action_discussion_timer(self) -> None:
        if self.workshop.timer.start("discussion"):
            self.show()

    def action_lock(self) -> None:
        try:
            self.workshop.lock()
        except (VoteError, WorkshopError) as problem:
            self._problem(problem)

    def action_reveal(self) -> None:
        try:
            self.workshop.reveal()
        except (VoteError, WorkshopError) as problem:
            self._problem(problem)

    def action_runoff(self) -> None:
        try:
            self.workshop.start_runoff()
        except (VoteError, WorkshopError) as problem:
            self._problem(problem)

    def action_decide(self) -> None:
        workshop = self.workshop
        outcome = workshop.outcome()
        if outcome is None:
            return
        if outcome.how == "runoff":
            self.action_runoff()
            return
        team = workshop.current
        pick = self.selected if outcome.winner is None else None
        try:
            workshop.decide(pick)
        except (VoteError, WorkshopError) as problem:
            self._problem(problem)
            return
        self.open_card(team)

    def action_skip(self) -> None:
        team = self.workshop.current
        try:
            self.workshop.skip()
        except WorkshopError as problem:
            self._problem(problem)
            return
        self.open_card(team)

    def open_card(self, team: int) -> None:
        self.app.push_screen(DecidedScreen(self.context, self.room, team), callback=self._after_card)

    def _after_card(self, ended: int | None) -> None:
        self.ending_of = ended
        self.show()

    def action_go_on(self) -> None:
        """From an ending: the next team's turn, or, when every team has finished, the debrief."""
        workshop = self.workshop
        if workshop.finished:
            self.action_debrief()
            return
        shown = self.shown_index
        self.ending_of = None
        if workshop.team.play.is_over or workshop.current == shown:
            for step in range(1, len(workshop.teams) + 1):
                candidate = (shown + step) % len(workshop.teams)
                if not workshop.teams[candidate].play.is_over:
                    workshop.go_to_team(candidate)
                    break
        self.notify(f"{workshop.team.name}: your turn.", timeout=4, markup=False)
        self.show()

    def action_next_team(self) -> None:
        workshop = self.workshop
        shown = self.shown_index
        for step in range(1, len(workshop.teams) + 1):
            candidate = (shown + step) % len(workshop.teams)
            if not workshop.teams[candidate].play.is_over:
                self.ending_of = None
                workshop.go_to_team(candidate)
                self.notify(f"{workshop.team.name}: your turn.", timeout=4, markup=False)
                return

    def action_undo(self) -> None:
        try:
            self.workshop.undo()
        except WorkshopError as problem:
            self._problem(problem)

    def action_prompts(self) -> None:
        self.show_prompts = not self.show_prompts
        self.show()

    def action_notes(self) -> None:
        self.show_notes = not self.show_notes
        self.show()
        if self.show_notes:
            self.query_one("#scene", VerticalScroll).scroll_to_widget(self.query_one("#notes"), animate=False)

    def action_scroll(self, direction: int) -> None:
        scene = self.query_one("#scene", VerticalScroll)
        if direction < 0:
            scene.scroll_page_up(animate=False)
        else:
            scene.scroll_page_down(animate=False)

    # -- forum theatre, comparing, the debrief, handouts -----------------------------------------------

    def action_go_back(self) -> None:
        self.app.push_screen(GoBackScreen(self.room, self.shown_index), callback=self._went_back)

    def _went_back(self, branched: bool | None) -> None:
        if branched:
            self.ending_of = None
            self.show()

    def action_compare(self) -> None:
        self.app.push_screen(CompareScreen(self.context, self.room), callback=self._compared)

    def _compared(self, went_on: bool | None) -> None:
        if went_on:
            self.ending_of = None
            self.show()

    def action_debrief(self) -> None:
        self.app.push_screen(RoomDebriefScreen(self.context, self.room))

    def action_export(self) -> None:
        export_handouts(self, self.context, self.room)
