"""Every play side by side (each team, each forum-theatre branch): path, ending, meters, advice.

One column per play, so the room can read across: where the paths parted,
which ending each reached, in what tone, where the two people stand, the
meters at the end, and the advice each touched, in the player's debrief's
lists (game.debrief: advice followed at one decision and ignored at another
is one row, not two; a red-flag story's are what helped and what might have).
Marks and words carry the meaning (✓ followed, ± both, ✗ ignored, ○ might
have helped, ! tactic), never colour alone.
"""

from __future__ import annotations

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from game import debrief as debriefs
from game.tui.widgets.keybar import KeyBar
from game.tui.workshop.attempt import attempt
from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.handouts import export_handouts
from game.tui.workshop.layout import hanging_list
from game.workshop import report as reports
from game.workshop.report import NOUN, Line, RoomReport
from game.workshop.shown import DEBRIEF, Shown
from game.workshop.words import compared

OUTCOME_WORDS = debriefs.OUTCOME_WORDS


def path_text(line: Line) -> RenderableType:
    if not line.moments:
        return Text("(no decisions yet)", style="italic")
    width = len(str(len(line.moments))) + 2
    return hanging_list((Text(f"{moment.number}.".ljust(width), style="bold"),
                         Text("(skipped)", style="italic") if moment.skipped else Text(moment.chosen_text))
                        for moment in line.moments)


def advice_list(line: Line, group: debriefs.Group) -> Text:
    text = Text()
    entries = line.meaning.group(group)
    for i, entry in enumerate(entries):
        if i:
            text.append("\n")
        text.append(f"{debriefs.mark(group, line.meaning.help_story)} ", style="bold")
        text.append(entry.advice.title)
        if entry.advice.sources:
            text.append(f" ({'; '.join(entry.advice.sources)})", style="italic")
    if not entries:
        text.append("none", style="italic")
    return text


def compare_table(report: RoomReport) -> Table:
    """One column per play, one row per thing to compare."""
    grid = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=True, padding=(0, 1))
    grid.add_column("", style="bold", max_width=22)  # a list's title wraps; the plays keep the width
    for n, line in enumerate(report.lines, 1):
        grid.add_column(Text(f"{n}. {line.label}", style="bold"), ratio=1)
    endings, tones, stands = [], [], []
    for line in report.lines:
        ending = line.ending
        if ending is None:
            endings.append(Text(f"not finished ({len(line.play.steps)} decisions)", style="italic"))
            tones.append(Text(""))
            stands.append(Text(""))
        else:
            endings.append(Text(ending.title, style="bold"))
            tones.append(Text(ending.tone))
            stands.append(Text(OUTCOME_WORDS.get(ending.outcome, ending.outcome)))
    grid.add_row("Path", *(path_text(line) for line in report.lines))
    grid.add_row("Ending", *endings)
    grid.add_row("Tone", *tones)
    grid.add_row("Where they stand", *stands)
    if any(line.prediction is not None for line in report.lines):
        grid.add_row("The room expected", *(Text(compared(line.prediction, line.ending), style="italic")
                                            if line.prediction is not None else Text("not asked", style="italic")
                                            for line in report.lines))
    for meter in report.meters:
        grid.add_row(Text(meter.label), *(Text(f"{line.play.meter_series(meter.id)[0]} → {line.finals[meter.id]}")
                                          for line in report.lines))
    shown = dict.fromkeys(group for line in report.lines for group, _ in line.meaning.groups())
    for group in debriefs.GROUPS:
        if group in shown:
            grid.add_row(Text(debriefs.group_title(group, report.help_story, NOUN)),
                         *(advice_list(line, group) for line in report.lines))
    return grid


class CompareScreen(Screen[bool]):
    """Every play side by side, on the room display too; a number goes on with that play (dismissed with
    True when it did). Going back puts up again what the room saw before."""

    HELP_TITLE = "Every play side by side"
    BINDINGS = [
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="this help: the keys you can use now"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("escape", "back", "Back", tooltip="back to where you were"),
        Binding("1", "go_on(1)", "Go on with that play", key_display="1-9",
                tooltip="go on with the play in that column (its team and its branch)"),
        *(Binding(str(n), f"go_on({n})", show=False) for n in range(2, 10)),
        Binding("e,E", "export", "Handouts",
                tooltip="write the handouts (Markdown, HTML, the one-page take-home, JSON) into the export folder"),
        # Priority: the focused scroll view has page keys of its own, which would keep these from the room display.
        Binding("pageup", "scroll(-1)", "Page up", show=False, priority=True,
                tooltip="a page back, here and on the room display"),
        Binding("pagedown", "scroll(1)", "Page down", show=False, priority=True,
                tooltip="the next page, here and on the room display"),
    ]

    def __init__(self, context: WorkshopContext, room: Room):
        super().__init__()
        self.context = context
        self.room = room
        self.report = reports.build(room.workshop)
        self.targets = [(i, name) for i, team in enumerate(room.workshop.teams) for name in team.session.branches]
        """(team, branch) for each column, in the report's order."""
        self.under: Shown = room.workshop.shown
        """What the room saw before the comparison went up (it comes back when this screen goes)."""

    def compose(self) -> ComposeResult:
        title = Text(self.room.workshop.scenario.title, style="bold")
        title.append("  ·  Every play side by side")
        yield Static(title, id="compare-header")
        with VerticalScroll(id="compare-body"):
            yield Static(compare_table(self.report), id="compare-table")
            yield Static("1-9: go on with that play (its team and branch)  ·  E: write the handouts  ·  "
                         "Escape: back", id="compare-keys", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#compare-body").focus()
        attempt(self, self.room.workshop.show_compare)

    def action_back(self) -> None:
        workshop = self.room.workshop
        if self.under.overlay == DEBRIEF:
            attempt(self, lambda: workshop.show_debrief(self.under.section))
        elif workshop.shown.overlay:
            attempt(self, workshop.close_overlay)
        self.dismiss(False)

    def action_go_on(self, number: int) -> None:
        if not 1 <= number <= len(self.targets):
            self.notify(f"There is no play {number} here.", timeout=3)
            return
        index, branch = self.targets[number - 1]
        if attempt(self, lambda: self.room.workshop.go_to(index, branch)):
            self.dismiss(True)

    def action_export(self) -> None:
        export_handouts(self, self.context, self.room)

    def action_scroll(self, direction: int) -> None:
        attempt(self, lambda: self.room.workshop.turn_page(direction))
        body = self.query_one("#compare-body", VerticalScroll)
        if direction < 0:
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)
