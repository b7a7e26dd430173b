"""The room's debrief: every play's path with its vote splits, the meters, the advice, and the questions.

Everything here comes from game.workshop.report (the same account the
handouts are written from), and what the advice meant is said in the player's
debrief's words (game.debrief): each piece of advice once with the decisions
that touched it, each debate once with the game's stance, a red-flag story
framed as what might have helped. Sections are reachable by number keys, so a
facilitator can jump to the questions or the step-out-of-role question while
the room talks. Facilitator notes stay hidden until F shows them, marked as
not for the room. Every piece of scenario text is drawn as plain text.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from game import debrief as debriefs
from game import resources
from game.debrief import signed
from game.tui.widgets.keybar import KeyBar
from game.tui.workshop.attempt import attempt
from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.handouts import export_handouts
from game.tui.workshop.layout import hang, hanging_list
from game.tui.workshop.screens.asking import ask_the_room
from game.tui.workshop.screens.compare import CompareScreen
from game.tui.workshop.widgets.tally import moment_rows, table
from game.wording import quoted
from game.workshop import report as reports
from game.workshop.ideas import ELSE_NOTE
from game.workshop.moves import Move
from game.workshop.names import TIE_RULES
from game.workshop.report import Line, RoomReport
from game.workshop.shown import DEBRIEF, IDEAS, SECTIONS
from game.workshop.words import compared, decided_by

OUTCOME_WORDS = debriefs.OUTCOME_WORDS
NOTES_TITLE = "Facilitator notes: FOR THE FACILITATOR ONLY, not for the room (F hides them)"


def endings_part(report: RoomReport) -> Text:
    text = Text()
    for i, line in enumerate(report.lines):
        if i:
            text.append("\n")
        text.append(f"{line.label}: ", style="bold")
        ending = line.ending
        if ending is None:
            text.append(f"not finished ({len(line.play.steps)} decisions so far)", style="italic")
            continue
        text.append(ending.title, style="bold")
        text.append(f"  ({ending.tone}; where they stand: {OUTCOME_WORDS.get(ending.outcome, ending.outcome)})")
        if line.prediction is not None:
            text.append(f"\n  {compared(line.prediction, ending)}", style="italic")
    text.append("\n\nTies were settled by: ", style="italic")
    text.append(TIE_RULES[report.tie_rule] + (f" (seed {report.seed})" if report.tie_rule == "random" else ""),
                style="italic")
    return text


def path_part(line: Line, width: int) -> Group:
    parts: list[RenderableType] = [Text(line.label, style="bold underline")]
    if not line.moments:
        parts.append(Text("No decisions yet.", style="italic"))
    for moment in line.moments:
        body = Text()
        body.append(moment.scene_title, style="bold")
        body.append(": ")
        number = Text(f"{moment.number}. ", style="bold")
        if moment.skipped:
            body.append("skipped by the facilitator: not the room's decision." if moment.seen
                        else "not the room's decision.", style="italic")
            parts.append(hang(number, body))
            continue
        body.append(quoted(moment.chosen_text))
        body.append(", by ")
        body.append(decided_by(moment.decision))
        parts.append(hang(number, body))
        for n, rows in enumerate(moment.rounds):
            if len(moment.rounds) > 1:
                parts.append(Padding(Text("The first vote:" if n == 0 else "The runoff:", style="italic"),
                                     (0, 0, 0, 3)))
            chosen = moment.chosen_text if n == len(moment.rounds) - 1 else None
            parts.append(Padding(table(moment_rows(rows, chosen), max(20, width - 4), True), (0, 0, 0, 3)))
        if moment.ideas:
            parts.append(Padding(ideas_text(moment.ideas, ELSE_NOTE), (0, 0, 0, 3)))
    if line.ending is not None:
        parts.append(Text(f"Ending: {line.ending.title}", style="italic"))
    parts.append(Text(""))
    return Group(*parts)


def ideas_text(ideas: tuple[str, ...], note: str) -> Text:
    """The room's shown ideas under a heading note (the story could not play a decision's own)."""
    text = Text(note, style="italic")
    for idea in ideas:
        text.append("\n• ")
        text.append(quoted(idea))
    return text


def step_out_part(report: RoomReport) -> Text:
    text = Text(report.step_out, style="bold")
    said = report.ideas_for(report.step_out)
    if said:
        text.append("\n")
        text.append_text(ideas_text(said, "From the room:"))
    text.append("\nA: put this question to the room (phones send their answers; you choose which are shown)",
                style="italic")
    return text


def meters_part(line: Line) -> Group:
    parts: list[RenderableType] = [Text(line.label, style="bold underline")]
    for meter in line.meaning.meters:
        series = line.play.meter_series(meter.id)
        body = Text(f"{series[0]} → {series[-1]}  (on a scale of {meter.min} to {meter.max}; step by step: "
                    + " → ".join(map(str, series)) + ")")
        parts.append(hang(Text(f"{meter.label}: ", style="bold"), body))
    moved = [m for m in line.moments if m.moved]
    if moved:
        parts.append(Text("What moved them:", style="italic"))
        rows = []
        for moment in moved:
            body = Text(moment.taken)
            if moment.skipped and moment.seen:
                body.append(" (a skipped scene)", style="italic")
            body.append(": " + ", ".join(f"{label} {signed(delta)}" for label, delta in moment.moved))
            rows.append((Text(f"{moment.number}. "), body))
        parts.append(hanging_list(rows, indent=2))
    else:
        parts.append(Text("Nothing moved them.", style="italic"))
    parts.append(Text(""))
    return Group(*parts)


def entry_text(line: Line, entry: debriefs.AdviceEntry) -> RenderableType:
    """One piece of advice, once: its title, each decision that touched it, what it says, its sources."""
    advice = entry.advice
    body = Text()
    body.append(advice.title, style="bold")
    for head, words in line.moments_of(entry):
        body.append("\n")
        body.append(f"{head}: ", style="bold")
        body.append(words)
    body.append("\n")
    body.append(advice.text)
    if advice.sources:
        body.append("\n" + debriefs.sources_line(advice), style="italic")
    return hang(Text(f"{debriefs.mark(entry.group, line.meaning.help_story)} ", style="bold"), body, indent=2)


def advice_part(line: Line) -> Group:
    parts: list[RenderableType] = [Text(line.label, style="bold underline")]
    for shown in line.advice_lists():
        parts.append(Text(f"{shown.title} ({len(shown.entries)})", style="bold"))
        parts += [Text(f"  {note}", style="italic") for note in shown.notes]
        parts += [entry_text(line, entry) for entry in shown.entries]
    parts.append(Text(""))
    return Group(*parts)


def advice_intro(report: RoomReport) -> Text:
    """What the lists are, as the player's debrief says it; a help story's says they are not a score."""
    return Text(debriefs.advice_intro(report.help_story, report.help_topic), style="italic")


def disagreements_part(report: RoomReport) -> Text:
    text = Text()
    if not report.debates:
        text.append("The articles agree on the advice these plays touched.", style="italic")
        return text
    text.append(debriefs.debate_intro(report.help_story, report.debates), style="italic")
    for debate in report.debates:
        text.append("\n\n")
        text.append(debate.title, style="bold")
        sources = list(dict.fromkeys(source for advice in debate.advice for source in advice.sources))
        if sources:
            text.append(f"  ({'; '.join(sources)})", style="italic")
        text.append("\n")
        text.append(debate.disagreement)
        if debate.stance:
            label, stance = debriefs.stance_parts(debate.stance)
            text.append(f"\n{label} ", style="bold")
            text.append(stance)
    return text


def _where_list(items: list[tuple[str, str]], empty: str) -> RenderableType:
    if not items:
        return Text(empty, style="italic")
    rows = []
    for where, words in items:
        body = Text(words)
        body.append(f"  ({where})", style="italic")
        rows.append((Text("• "), body))
    return hanging_list(rows)


def questions_part(report: RoomReport) -> RenderableType:
    prompts = list(dict.fromkeys(p for line in report.lines for p in line.prompts))
    return _where_list([(where, question + "".join(f"\n  From the room: {quoted(idea)}"
                                                   for idea in report.ideas_for(question)))
                        for where, question in prompts],
                       "This story has no questions of its own; the step-out question below works for any story.")


def notes_part(report: RoomReport) -> RenderableType:
    notes = list(dict.fromkeys(n for line in report.lines for n in line.notes))
    return _where_list(notes, "The story has no facilitator notes on these paths.")


class RoomDebriefScreen(Screen[None]):
    """The room's debrief, in sections reachable by number keys; the room display shows the section jumped to."""

    HELP_TITLE = "The room's debrief"
    HELP_NOTE = ("The room display shows the section you jump to, a page at a time. Facilitator notes stay hidden "
                 "until F shows them, and never reach the room display.")
    BINDINGS = [
        Binding("question_mark", "app.help", "Keys", key_display="?", tooltip="this help: the keys you can use now"),
        Binding("f2", "app.resources", "Get help", tooltip="help and support resources, from anywhere"),
        Binding("escape", "back", "Back", tooltip="back to the story"),
        Binding("1", "section(1)", "Section", key_display=f"1-{len(SECTIONS)}",
                tooltip="jump to that section: " + "; ".join(f"{n} {t.lower()}" for n, (_, t) in
                                                           enumerate(SECTIONS, 1))),
        *(Binding(str(n), f"section({n})", show=False) for n in range(2, len(SECTIONS) + 1)),
        Binding("e,E", "export", "Handouts",
                tooltip="write the handouts (Markdown, HTML, the one-page take-home, JSON) into the export folder"),
        Binding("b,B", "compare", "Compare", tooltip="every play side by side"),
        Binding("f,F", "notes", "Notes", tooltip="show or hide the facilitator notes (marked: not for the room)"),
        Binding("a,A", "ask", "Ask the room", show=False,
                tooltip="put the step-out question to the room: phones send ideas, you choose which are shown"),
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

    def compose(self) -> ComposeResult:
        header = Text(self.report.scenario.title, style="bold")
        header.append("  ·  The room's debrief")
        yield Static(header, id="debrief-header")
        with VerticalScroll(id="debrief-body"):
            contents = Text("Sections: ", style="italic")
            contents.append("  ·  ".join(f"{n} {title}" for n, (_, title) in enumerate(SECTIONS, 1)), style="italic")
            yield Static(contents, id="debrief-contents")
            for n, (key, title) in enumerate(SECTIONS, 1):
                yield Static(f"{n}. {title}", id=f"sec-{key}", classes="section-title", markup=False)
                yield from self.section(key)
            yield Static(NOTES_TITLE, id="sec-notes", classes="section-title -facilitator", markup=False)
            yield Static(notes_part(self.report), id="debrief-notes", classes="-facilitator")
        yield KeyBar()

    def section(self, key: str) -> ComposeResult:
        report = self.report
        if key == "endings":
            yield Static(endings_part(report))
        elif key == "path":
            yield PathStatic(report)
        elif key == "meters":
            note = debriefs.meters_note(report.help_story, report.help_topic)
            if note:
                yield Static(note, markup=False)
            yield Static(Group(*(meters_part(line) for line in report.lines)))
        elif key == "advice":
            yield Static(advice_intro(report))
            yield Static(Group(*(advice_part(line) for line in report.lines)))
        elif key == "disagree":
            yield Static(disagreements_part(report))
        elif key == "questions":
            yield Static(questions_part(report))
        elif key == "stepout":
            yield Static(step_out_part(report), id="debrief-stepout")
        elif key == "help":
            if report.needs_help:
                yield Static(Text(resources.render_plain(resources.for_story(report.scenario), resources.FULL_SCREEN,
                                                         debriefs.help_note(report.scenario))), id="debrief-help")
            else:
                yield Static("F2 opens help and support resources at any time.", markup=False)

    def on_mount(self) -> None:
        self.set_notes(False)
        self.query_one("#debrief-body").focus()
        attempt(self, lambda: self.room.workshop.show_debrief(1))

    def on_screen_resume(self) -> None:
        if self.room.workshop.shown.overlay not in (DEBRIEF, IDEAS):  # back from the comparison: up again
            attempt(self, lambda: self.room.workshop.show_debrief(self.room.workshop.shown.section))
        self.report = reports.build(self.room.workshop)  # back from asking the room: its ideas are in
        self.query_one("#debrief-stepout", Static).update(step_out_part(self.report))

    def set_notes(self, shown: bool) -> None:
        for widget in self.query(".-facilitator"):
            widget.display = shown

    def action_back(self) -> None:
        if self.room.workshop.shown.overlay:
            attempt(self, self.room.workshop.close_overlay)
        self.dismiss(None)

    def action_section(self, number: int) -> None:
        if 1 <= number <= len(SECTIONS):
            attempt(self, lambda: self.room.workshop.show_debrief(number))
            key = SECTIONS[number - 1][0]
            body = self.query_one("#debrief-body", VerticalScroll)
            body.scroll_to_widget(self.query_one(f"#sec-{key}"), animate=False, top=True)

    def action_notes(self) -> None:
        notes = self.query_one("#sec-notes")
        self.set_notes(not notes.display)
        if notes.display:
            self.call_after_refresh(lambda: self.query_one("#debrief-body", VerticalScroll).scroll_to_widget(
                notes, animate=False, top=True))

    def action_export(self) -> None:
        export_handouts(self, self.context, self.room)

    def action_compare(self) -> None:
        self.app.push_screen(CompareScreen(self.context, self.room))

    def action_ask(self) -> None:
        ask_the_room(self, self.context, self.room)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return Move.ASK in self.room.workshop.moves() if action == "ask" else True

    def action_scroll(self, direction: int) -> None:
        attempt(self, lambda: self.room.workshop.turn_page(direction))
        body = self.query_one("#debrief-body", VerticalScroll)
        if direction < 0:
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)


class PathStatic(Static):
    """Each play's decisions with their vote bars, drawn at the width the screen has."""

    def __init__(self, report: RoomReport):
        super().__init__()
        self.report = report

    def render(self) -> RenderableType:
        width = max(20, self.content_region.width or self.size.width or 80)
        return Group(*(path_part(line, width) for line in self.report.lines))
