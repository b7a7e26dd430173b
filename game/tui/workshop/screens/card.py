"""The card after a decision: what was chosen and how, while the room waits for what comes next.

The room sees this result (on the room display, the phones, and on one screen
this screen) until the facilitator shows it the next scene or the ending
(Enter), so a scene can be skipped before anyone has seen it (K). On a
private console (a room display is open) the next scene, or the ending the
story reached, is previewed here with its facilitator notes; on one screen it
stays hidden. The screen goes
away by itself when the room is shown something else.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from game.tui.widgets.keybar import KeyBar
from game.tui.workshop.attempt import attempt
from game.tui.workshop.messages import RoomChanged
from game.tui.workshop.screens.dialogs import SkipScreen
from game.tui.workshop.screens.following import FollowingScreen
from game.tui.workshop.widgets.scene import ScenePanel
from game.tui.workshop.widgets.status import PAGE_BINDINGS, StatusLines, ending_heading, header_text
from game.tui.workshop.widgets.tally import VoteTally, moment_rows, round_rows
from game.wording import DECISION, heading_label
from game.workshop import prompts
from game.workshop import report as reports
from game.workshop.moves import Move
from game.workshop.room import Change
from game.workshop.shown import CARD
from game.workshop.words import how_sentence

MOVES = {"show_next": Move.SHOW, "see_ending": Move.SHOW, "skip": Move.SKIP, "undo": Move.UNDO, "scroll": Move.PAGE}
"""Each of this screen's actions and the move it makes (Enter says "the next scene" or "the ending")."""


class DecidedScreen(FollowingScreen):
    """The result card of the decision the room sees, and (privately) a preview of the scene or ending after it."""

    HELP_TITLE = "The card after a decision"
    HELP_NOTE = ("The room sees this result until you show it the next scene. K skips the next scene before "
                 "anyone sees it; the debrief says it was skipped. With a room display open, the next scene (or the "
                 "ending) is previewed here, notes and all.")
    BINDINGS = [
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="this help: the keys you can use now"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("enter", "show_next", "Show the next scene", tooltip="show the room the next scene"),
        Binding("enter", "see_ending", "See the ending", tooltip="show the room the ending this team's story reached"),
        Binding("k,K", "skip", "Skip the next scene",
                tooltip="move past the next scene before anyone sees it: says which option the story takes, and "
                        "you may pick another (recorded as skipped)"),
        Binding("u,U", "undo", "Undo", show=False, tooltip="take this decision back (a slip of the key)"),
        *PAGE_BINDINGS,
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card-box", can_focus=False):
            yield Static(id="card-head")
            yield VoteTally(id="card-first", classes="card-tally")
            yield VoteTally(id="card-tally", classes="card-tally")
            yield Static(id="card-next")
            yield Static(id="preview-head")
            yield ScenePanel(id="preview")
            yield VoteTally(id="preview-options", classes="card-tally")
        yield StatusLines(id="room-status")
        yield KeyBar()

    @on(RoomChanged)
    def _changed(self, message: RoomChanged) -> None:
        if message.kind == Change.BALLOT:
            return
        if self.room.workshop.shown.stage != CARD:
            self.dismiss(None)
            return
        self.show()

    @property
    def ended(self) -> bool:
        """The card's team's story has ended: what comes next is its ending."""
        workshop = self.room.workshop
        return workshop.teams[workshop.shown.team].play.is_over

    def show(self) -> None:
        workshop = self.room.workshop
        shown = workshop.shown
        team = workshop.teams[shown.team]
        decisions = team.decisions.get(shown.branch, [])
        decision = decisions[shown.step - 1] if 0 < shown.step <= len(decisions) else None
        private = self.context.private
        head = Text()
        head.append(f"{team.name}  ·  " if len(workshop.teams) > 1 else "", style="bold")
        head.append(heading_label(shown.step, DECISION), style="bold")
        if shown.branch != "main":
            head.append(f"  ·  Branch: {shown.branch}")
        head.append("\n\n")
        first, last = self.query_one("#card-first", VoteTally), self.query_one("#card-tally", VoteTally)
        first.display = last.display = False
        play = team.session.branches.get(shown.branch, team.play)
        if decision is not None and decision.skipped:
            head.append(how_sentence(decision), style="bold")
            if not shown.seen:
                head.append(" The room did not see the scene.")
            if private or shown.seen:
                head.append("\nThe story went on with: ")
                head.append(play.steps[shown.step - 1].choice_text, style="bold")
        elif decision is not None and 0 < shown.step <= len(play.steps):
            step = play.steps[shown.step - 1]
            moment = reports.moment(play, step, decision)
            head.append("The choice: ", style="bold")
            head.append(step.choice_text, style="bold")
            head.append(f"\n{how_sentence(decision)}")
            for tally, rows, title in zip((first, last)[-len(moment.rounds):], moment.rounds,
                                          ("The first vote", "The runoff")[-len(moment.rounds):], strict=True):
                tally.display = True
                tally.border_title = title if len(moment.rounds) > 1 else "The vote"
                tally.show(moment_rows(rows, step.choice_text if rows is moment.rounds[-1] else None), True, Text())
        self.query_one("#card-head", Static).update(head)
        self.query_one("#card-next", Static).update(self.next_text())
        self.show_preview(private)
        self.query_one(StatusLines).show(self.context, workshop, panel=True)
        self.refresh_bindings()

    def next_text(self) -> Text:
        workshop = self.room.workshop
        text = Text()
        if self.ended:
            ended = workshop.teams[workshop.shown.team]
            text.append(f"{ended.name}'s story has reached its ending." if len(workshop.teams) > 1
                        else "The story has reached its ending.", style="bold")
            text.append("\n\nEnter: show the room the ending", style="italic")
            return text
        label = heading_label(len(workshop.play.steps) + 1, DECISION)
        text.append(f"Next: {workshop.team.name}, {label.lower()}." if len(workshop.teams) > 1
                    else f"Next: {label.lower()}.", style="bold")
        text.append("\n\nEnter: show the room the next scene  ·  K: skip it", style="italic")
        return text

    def show_preview(self, private: bool) -> None:
        """The next scene, or the ending the story reached, with its notes, on a private console only (not yet
        shown to the room): the facilitator reads what comes before the room does, whichever it is."""
        workshop = self.room.workshop
        current = workshop.round
        ending = workshop.teams[workshop.shown.team].play if self.ended else None
        wanted = private and (ending is not None or current is not None)
        for widget in (self.query_one("#preview-head"), self.query_one(ScenePanel)):
            widget.display = wanted
        self.query_one("#preview-options").display = wanted and ending is None
        if ending is not None and ending.ending is not None and wanted:
            self.query_one("#preview-head", Static).update(Text("Coming next, not shown to the room yet: "
                                                                "the ending", style="bold"))
            words = ending_heading(ending.ending)
            words.append(f"\n\n{ending.text()}")
            self.query_one(ScenePanel).show(ending, words, prompts.at(ending), prompts_title="Its questions",
                                            prompts_on=True, notes_on=True, help_on=False)
            return
        if not wanted or current is None:
            return
        play = workshop.play
        head = Text("Coming next, not shown to the room yet: ", style="bold")
        head.append(header_text(workshop, workshop.team, play).plain.split("  ·  ", 1)[-1])
        self.query_one("#preview-head", Static).update(head)
        self.query_one(ScenePanel).show(play, Text(play.text()), prompts.at(play), prompts_title="Its questions",
                                        prompts_on=True, notes_on=True, help_on=False)
        self.query_one("#preview-options", VoteTally).show(round_rows(current, None, None, False), False, Text())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        move = MOVES.get(action)
        if move is None:
            return True
        allowed = move in self.room.workshop.moves()
        if action in ("show_next", "see_ending"):
            return allowed and self.ended == (action == "see_ending")
        return allowed

    def action_show_next(self) -> None:
        attempt(self, self.room.workshop.show)

    def action_see_ending(self) -> None:
        attempt(self, self.room.workshop.show)

    def action_undo(self) -> None:
        attempt(self, self.room.workshop.undo)

    def action_scroll(self, direction: int) -> None:
        """The room display's next or last page (the room's ideas for this decision are on the second)."""
        attempt(self, lambda: self.room.workshop.turn_page(direction))

    def action_skip(self) -> None:
        self.app.push_screen(SkipScreen(self.room.workshop, unseen=not self.context.private), callback=self._skipped)

    def _skipped(self, pick: int | None) -> None:
        if pick is not None:
            attempt(self, lambda: self.room.workshop.skip(pick))
