"""The card after a decision: what was chosen and how, before the next scene is shown.

The next scene stays hidden behind this card, so the facilitator can skip a
scene the room should not see before anyone has seen it (K). A skip is
recorded, and the debrief says the scene was skipped. When a decision ends a
team's story, the card says so, and Enter shows the ending.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from game.tui.widgets.keybar import KeyBar
from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.widgets.tally import VoteTally, moment_rows
from game.tui.workshop.words import how_words
from game.workshop import report as reports
from game.workshop.room import SKIPPED, WorkshopError


class DecidedScreen(Screen[int | None]):
    """Dismissed with the team whose ending should be shown next, or None to show the next scene."""

    HELP_TITLE = "The card after a decision"
    HELP_NOTE = ("The next scene stays hidden behind this card. K skips it before anyone sees it; the debrief "
                 "says it was skipped.")
    BINDINGS = [
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="this help: the keys you can use now"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("enter", "next", "Next scene", tooltip="show the next scene to the room"),
        Binding("enter", "see_ending", "See the ending", tooltip="show the ending this team's story reached"),
        Binding("k", "skip", "Skip the next scene",
                tooltip="move past the next scene before anyone sees it (recorded; the debrief says it was skipped)"),
    ]

    def __init__(self, context: WorkshopContext, room: Room, team: int):
        super().__init__()
        self.context = context
        self.room = room
        self.team = team
        self.ended: int | None = team if room.workshop.teams[team].play.is_over else None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card-box", can_focus=False):
            yield Static(id="card-head")
            yield VoteTally(id="card-tally")
            yield Static(id="card-next")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        workshop = self.room.workshop
        team = workshop.teams[self.team]
        play = team.play
        head = Text()
        many = len(workshop.teams) > 1
        decision = team.record[-1] if team.record else None
        number = decision.step if decision is not None else len(play.steps)
        head.append(f"{team.name}  ·  " if many else "", style="bold")
        head.append(f"Decision {number}", style="bold")
        if team.session.branch != "main":
            head.append(f"  ·  Branch: {team.session.branch}")
        head.append("\n\n")
        tally = self.query_one(VoteTally)
        if decision is None or not play.steps:
            tally.display = False
        elif decision.how == SKIPPED:
            head.append("Skipped. ", style="bold")
            head.append("The room did not see this scene; the story went on with its first open option. "
                        "The debrief will say it was skipped.")
            tally.display = False
        else:
            step = play.steps[decision.step - 1]
            moment = reports.moment(play, step, decision)
            head.append("The choice: ", style="bold")
            head.append(step.choice_text, style="bold")
            head.append("\nDecided by ")
            head.append(how_words(decision))
            head.append(".")
            if len(decision.tallies) > 1:
                head.append(" The runoff's count:")
            tally.display = bool(moment.options)
            tally.show(moment_rows(moment), True, Text())
        self.query_one("#card-head", Static).update(head)
        self.query_one("#card-next", Static).update(self.next_text())
        self.refresh_bindings()

    def next_text(self) -> Text:
        workshop = self.room.workshop
        text = Text()
        if self.ended is not None:
            ended = workshop.teams[self.ended]
            text.append(f"{ended.name}'s story has reached its ending." if len(workshop.teams) > 1
                        else "The story has reached its ending.", style="bold")
            text.append("\n\nEnter: see the ending", style="italic")
            return text
        play = workshop.play
        if len(workshop.teams) > 1:
            text.append(f"Next: {workshop.team.name}, decision {len(play.steps) + 1}.", style="bold")
        else:
            text.append(f"Next: decision {len(play.steps) + 1}.", style="bold")
        text.append("\n\nEnter: next scene  ·  K: skip the next scene", style="italic")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next", "skip"):
            return self.ended is None
        if action == "see_ending":
            return self.ended is not None
        return True

    def action_next(self) -> None:
        self.dismiss(None)

    def action_see_ending(self) -> None:
        self.dismiss(self.ended)

    def action_skip(self) -> None:
        workshop = self.room.workshop
        index = workshop.current
        try:
            workshop.skip()
        except WorkshopError as problem:
            self.notify(str(problem), severity="warning", timeout=5, markup=False)
            return
        self.team = index
        if workshop.teams[index].play.is_over:
            self.ended = index
        self.show()
