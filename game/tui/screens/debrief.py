"""The ending and what it meant: the debrief, where the hidden meters are finally shown.

It opens on the ending itself, the moment the player earned, with the help
resources under it when the story shows them; then a summary that fits one
80x24 screen (the ending in a line, the turning point, a small chart of the
meters, the three pieces of advice that mattered most), then the full detail.
Keys 1 to 6 jump to each section and `a` opens the five articles (so does a
click on any citation such as "A1 #6").

What the debrief says, and in which words, comes from game.debrief (the plain
player says the same); this screen only lays it out for someone who has never
read the five articles. Ending text, advice and choice text are all scenario
data, so every piece of it is drawn as plain text, never as markup.

The screen dismisses with a DebriefChoice: replay from the start, rewind to
just before an earlier choice (picked in the HistoryScreen), or back to the list.
"""

from __future__ import annotations

from typing import Literal

import attrs
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Static

from game import debrief as debriefs
from game import resources
from game.engine import Playthrough
from game.sources import citations
from game.tui.screens.history import HistoryScreen
from game.tui.screens.resources import resources_text
from game.tui.screens.sources import SourcesScreen
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.meter_chart import MAX_ROWS, TURN, ChartData, MeterChart, mark

SUMMARY_ROWS = 5
"""The summary chart's height at most, so the summary fits 80x24: one row per value the play reached
(a play whose values span more shows them as lines of numbers)."""

SECTION_KEYS = "1 ending  2 summary  3 advice  4 debates  5 meters  6 endings  a sources"
"""The summary's last line: the key for every section (the help screen names each in full)."""
UNDO_HINT = "The story has ended, so there is nothing to undo here: w rewinds to any earlier choice."
HINT_SECONDS = 6
"""How long the heading says what `u` cannot do, before it names the screen again."""

@attrs.frozen
class DebriefChoice:
    """What the player chose to do after the debrief; for "rewind", how many steps to keep."""

    action: Literal["replay", "rewind", "list"]
    keep_steps: int = 0


def linked(text: str, style: str = "") -> Text:
    """`text` as plain text, with every citation ("A1 #6") a link that opens the sources on its article.

    The link is an action in the style's meta, made here from the citation's
    key alone: nothing in the scenario's words can name another action.
    """
    out = Text()
    cursor = 0
    for start, end, key in citations(text):
        out.append(text[cursor:start], style=style)
        link = Style(meta={"@click": ("screen.sources", (key,))})
        out.append(text[start:end], style=Style.parse(style or "none") + link)
        cursor = end
    out.append(text[cursor:], style=style)
    return out


def advice_text(play: Playthrough, entry: debriefs.AdviceEntry, help_story: bool) -> Text:
    """One piece of advice, once: its mark and title, each choice that touched it, what it means, sources."""
    advice = entry.advice
    text = Text()
    text.append(f"{debriefs.mark(entry.group, help_story)} ", style="bold")
    text.append(advice.title, style="bold")
    for head, words in debriefs.moment_lines(play, entry, help_story):
        text.append("\n")
        text.append(f"{head}: ", style="bold")
        text.append(words)
    text.append("\n")
    text.append(advice.text)
    if advice.sources:
        text.append("\n")
        text.append_text(linked(debriefs.sources_line(advice), "italic"))
    return text


def disagreement_text(debate: debriefs.Debate) -> Text:
    text = Text()
    text.append(debate.title, style="bold")
    text.append("\n")
    text.append_text(linked(debate.disagreement))
    if debate.stance:
        label, line = debriefs.stance_parts(debate.stance)
        text.append("\n")
        text.append(f"{label} ", style="bold")
        text.append_text(linked(line))
    return text


class DebriefScreen(Screen[DebriefChoice]):
    """The ending, the advice behind it, the meters revealed, and the ways on."""

    CSS_PATH = "debrief.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    BINDINGS = [
        Binding("r", "replay", "Replay"),
        Binding("w", "rewind", "Rewind"),
        Binding("b", "list", "Back", tooltip="back to the list of stories"),
        Binding("a", "sources", "Sources"),
        Binding("u", "undo", "Undo", show=False, tooltip="the story has ended: w rewinds instead"),
        *(Binding(str(i), f"section('{name}')", f"Go to: {title}", show=False)
          for i, (name, title) in enumerate(debriefs.SECTIONS, start=1)),
        Binding("escape", "list", "Back", show=False, tooltip="back to the list of stories"),
        Binding("pageup", "scroll(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll(1)", "Scroll down", show=False),
    ]

    def __init__(self, play: Playthrough, found: frozenset[str]):
        super().__init__()
        self.play = play
        self.report = debriefs.build(play)
        ending_ids = set(play.scenario.endings)
        mine = {play.ending.id} if play.ending is not None else set()
        self.found = frozenset((set(found) | mine) & ending_ids)
        self._hint_timer: Timer | None = None

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.header_text(), id="debrief-header")
        with VerticalScroll(id="debrief-body"):
            yield from self.ending_part()
            yield from self.summary_part()
            yield from self.advice_part()
            yield from self.disagreement_part()
            yield from self.meters_part()
            yield from self.endings_part()
        with Horizontal(id="debrief-actions"):
            yield Button("Replay (r)", id="replay", compact=True)
            yield Button("Rewind (w)", id="rewind", compact=True)
            yield Button("Back to the list (b)", id="list", compact=True)
            yield Button("Sources (a)", id="sources", compact=True)
        yield KeyBar()

    def header_text(self, hint: str = "") -> Text:
        """The story's title and what this screen is; or, for a moment, a hint in place of the latter."""
        text = Text()
        text.append(self.play.scenario.title, style="bold")
        if hint:
            text.append("  ·  ")
            text.append(hint, style="bold reverse")
        else:
            text.append("  ·  The ending, and what it meant")
        return text

    def section_title(self, name: str) -> Static:
        return Static(dict(debriefs.SECTIONS)[name], id=f"sec-{name}", classes="section-title", markup=False)

    def summary_part(self) -> ComposeResult:
        """One screen: the ending in a line, the turning point, the meters, what mattered most, the keys."""
        report = self.report
        yield self.section_title("summary")
        ending = Text()
        if report.ending is None:
            ending.append("This play has not reached an ending.", style="bold")
        else:
            ending.append(debriefs.ending_line(report.ending), style="bold")
        yield Static(ending, id="summary-ending")
        turn = Text()
        if report.turning_point is not None:
            turn.append(f"{TURN} ", style="bold")
        turn.append(debriefs.turning_summary(report))
        yield Static(turn, id="summary-turn")
        yield MeterChart(self.chart_data(SUMMARY_ROWS, caption=False, fit=True), id="summary-chart")
        top = Text()
        top.append(debriefs.TOP_TITLE, style="bold")
        for entry in report.top:
            top.append("\n")
            top.append(debriefs.top_line(entry, report.help_story))
        if not report.top:
            top.append("\n" + debriefs.NO_ADVICE)
        yield Static(top, id="summary-top")
        yield Static(SECTION_KEYS, id="summary-keys", markup=False)

    def chart_data(self, rows: int, caption: bool = True, fit: bool = False) -> ChartData:
        point = self.report.turning_point
        return ChartData(self.report.meters, self.report.series, point.number if point else None,
                         max_rows=rows, caption=caption, fit=fit)

    def ending_part(self) -> ComposeResult:
        yield self.section_title("ending")
        ending = self.report.ending
        if ending is None:
            yield Static("This play has not reached an ending.", markup=False)
            return
        yield Static(Text(ending.title, style="bold"), id="ending-title")
        tone = Text()
        tone.append("Tone: ")
        tone.append(ending.tone, style="italic")
        tone.append("  ·  Where you two stand: ")
        tone.append(debriefs.OUTCOME_WORDS.get(ending.outcome, ending.outcome), style="italic")
        yield Static(tone, id="ending-tone")
        yield Static(Text(self.play.text()), id="ending-text")
        if resources.shows_help(self.play.scenario, ending):
            yield Static("Help and support", id="help-title", classes="group-title", markup=False)
            yield Static(debriefs.help_note(self.play.scenario), classes="intro", markup=False)
            yield Static(resources_text(resources.for_story(self.play.scenario), more=True), id="help-inline")

    def advice_part(self) -> ComposeResult:
        report = self.report
        yield self.section_title("advice")
        yield Static(debriefs.advice_intro(report.help_story, report.help_topic), classes="intro", markup=False)
        for shown in debriefs.advice_lists(report):
            yield Static(f"{shown.title} ({len(shown.entries)})", classes="group-title", markup=False)
            for note in shown.notes:  # a list with no entries says so; a list of tactics warns first
                yield Static(note, classes="intro" if shown.entries else "advice -empty", markup=False)
            for entry in shown.entries:
                yield Static(advice_text(self.play, entry, report.help_story), classes=f"advice -{shown.group}")

    def disagreement_part(self) -> ComposeResult:
        yield self.section_title("disagree")
        if not self.report.debates:
            yield Static(debriefs.NO_DEBATE, classes="intro", markup=False)
            return
        yield Static(debriefs.debate_intro(self.report.help_story, self.report.debates), classes="intro", markup=False)
        for debate in self.report.debates:
            yield Static(disagreement_text(debate), classes="advice -disagreement")

    def meters_part(self) -> ComposeResult:
        yield self.section_title("meters")
        yield Static(debriefs.METERS_INTRO, classes="intro", markup=False)
        note = debriefs.meters_note(self.report.help_story, self.report.help_topic)
        if note:
            yield Static(note, classes="intro", markup=False)
        yield MeterChart(self.chart_data(MAX_ROWS), id="meter-chart")
        yield Static(self.turning_text(), id="turning-point")
        yield Static(self.finals_text(), id="meter-finals")

    def turning_text(self) -> Text:
        point = self.report.turning_point
        text = Text()
        if point is None:
            text.append(debriefs.no_turn(self.report))
            return text
        text.append(f"{TURN} {debriefs.turning_head(point)}", style="bold")
        text.append("\n  " + debriefs.tie_sentence(self.report.ties))
        for move in debriefs.turning_moves(self.report):
            text.append(f"\n    {move}")
        return text

    def finals_text(self) -> Text:
        text = Text()
        for i, meter in enumerate(self.report.meters):
            values = self.report.series.get(meter.id, [])
            if not values:
                continue
            if i:
                text.append("\n")
            text.append(f"{mark(i)} ")
            text.append(debriefs.meter_summary(meter, values))
        return text

    def endings_part(self) -> ComposeResult:
        endings = self.play.scenario.endings
        here = self.report.ending.id if self.report.ending else None
        yield Static(f"Endings found: {len(self.found)} of {len(endings)}", id="sec-endings",
                     classes="section-title", markup=False)
        text = Text()
        for i, ending in enumerate(endings.values()):
            if i:
                text.append("\n")
            if ending.id in self.found:
                text.append("✓ ")
                text.append(ending.title)
                text.append(f"  ({ending.tone}", style="italic")
                text.append(", this ending)" if ending.id == here else ")", style="italic")
            else:
                text.append("? ???  (not found yet)")
        yield Static(text, id="endings-list")

    def on_mount(self) -> None:
        self.query_one("#debrief-body", VerticalScroll).focus()

    # -- the ways on ---------------------------------------------------------------------

    @on(Button.Pressed, "#replay")
    def action_replay(self) -> None:
        self.dismiss(DebriefChoice("replay"))

    @on(Button.Pressed, "#list")
    def action_list(self) -> None:
        self.dismiss(DebriefChoice("list"))

    @on(Button.Pressed, "#rewind")
    def action_rewind(self) -> None:
        if not self.play.steps:
            self.notify("There are no choices to go back to.", timeout=3)
            return
        self.app.push_screen(HistoryScreen(self.play, allow_rewind=True), callback=self._rewound)

    def _rewound(self, keep: int | None) -> None:
        if keep is not None:
            self.dismiss(DebriefChoice("rewind", keep))

    def action_undo(self) -> None:
        """Undo belongs to play; here the way back is rewinding, so say so instead of doing nothing.

        The heading says it, for a few seconds: a notice in the corner would
        cover the first lines of the summary, the ones a player is reading.
        """
        header = self.query_one("#debrief-header", Static)
        header.update(self.header_text(UNDO_HINT))
        if self._hint_timer is not None:
            self._hint_timer.stop()
        self._hint_timer = self.set_timer(HINT_SECONDS, lambda: header.update(self.header_text()))

    @property
    def help_topic(self) -> str:
        """Which help list F2 puts first over this screen: the story's."""
        return resources.topic_of(self.play.scenario)

    @on(Button.Pressed, "#sources")
    def action_sources(self, key: str = "") -> None:
        """The five articles; from a citation's link, opened on that article."""
        self.app.push_screen(SourcesScreen(key or None))

    def action_section(self, name: str) -> None:
        """Scroll so the section's heading is the first line of the body."""
        body = self.query_one("#debrief-body", VerticalScroll)
        target = self.query_one(f"#sec-{name}")
        body.scroll_to_widget(target, top=True, animate=False)

    def action_scroll(self, direction: int) -> None:
        body = self.query_one("#debrief-body", VerticalScroll)
        if direction < 0:
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)
