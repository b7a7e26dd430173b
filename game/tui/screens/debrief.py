"""The ending and what it meant: the debrief, where the hidden meters are finally shown.

Everything here comes from game.debrief.build(play), which derives the meaning
of a play from the advice each choice followed or ignored; this screen only
lays it out for someone who has never read the five articles. Ending text,
advice and choice text are all scenario data, so every piece of it is drawn as
plain text, never as markup.

The screen dismisses with a DebriefChoice: replay from the start, rewind to
just before an earlier choice (picked in the HistoryScreen), or back to the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import attrs
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from game import debrief as debriefs
from game.engine import Playthrough
from game.model import Advice
from game.tui.screens.history import HistoryScreen, signed
from game.tui.screens.resources import resources_text
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.meter_chart import TURN, ChartData, MeterChart, mark

OUTCOME_WORDS = {
    "together": "back together",
    "friends": "friends",
    "apart": "apart",
    "open": "still open",
}

HELP_NOTE = (
    "This story touches on warning signs in a relationship. If any of it feels close to "
    "home, these services can help. F2 opens this list from anywhere in the game."
)

TACTICS_NOTE = (
    "Some of the articles suggest these moves. The game counts them as manipulation: "
    "they work on the other person's feelings instead of being honest with them, "
    "and they never pay off in play."
)


@attrs.frozen
class DebriefChoice:
    """What the player chose to do after the debrief; for "rewind", how many steps to keep."""

    action: Literal["replay", "rewind", "list"]
    keep_steps: int = 0


def _steps_phrase(play: Playthrough, steps: Sequence[int]) -> Text:
    """"At choice 2: “Send it.”", one line per step, so the reader can find the moment."""
    text = Text()
    for i, number in enumerate(steps):
        if i:
            text.append("\n")
        text.append(f"At choice {number}: ", style="bold")
        if 1 <= number <= len(play.steps):
            text.append("“")
            text.append(play.steps[number - 1].choice_text)
            text.append("”")
    return text


def advice_text(play: Playthrough, use: debriefs.AdviceUse, marker: str) -> Text:
    """One piece of advice: its title with a mark in words' place, the steps, what it means, sources."""
    advice = use.advice
    text = Text()
    text.append(f"{marker} ", style="bold")
    text.append(advice.title, style="bold")
    text.append("\n")
    text.append_text(_steps_phrase(play, use.steps))
    text.append("\n")
    text.append(advice.text)
    if advice.sources:
        text.append("\n")
        text.append("Sources: ", style="italic")
        text.append("; ".join(advice.sources), style="italic")
    return text


def disagreement_text(advice: Advice) -> Text:
    text = Text()
    text.append(advice.title, style="bold")
    text.append("\n")
    text.append(advice.disagreement)
    if advice.stance:
        text.append("\n")
        text.append("The game's stance: ", style="bold")
        text.append(advice.stance)
    return text


class DebriefScreen(Screen[DebriefChoice]):
    """The ending, the advice behind it, the meters revealed, and the ways on."""

    CSS_PATH = "debrief.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    BINDINGS = [
        Binding("r", "replay", "Replay"),
        Binding("w", "rewind", "Rewind"),
        Binding("b", "list", "Back"),
        Binding("escape", "list", "Back to the list", show=False),
        Binding("pageup", "scroll(-1)", show=False),
        Binding("pagedown", "scroll(1)", show=False),
    ]

    def __init__(self, play: Playthrough, found: frozenset[str]):
        super().__init__()
        self.play = play
        self.report = debriefs.build(play)
        ending_ids = set(play.scenario.endings)
        mine = {play.ending.id} if play.ending is not None else set()
        self.found = frozenset((set(found) | mine) & ending_ids)

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.header_text(), id="debrief-header")
        with VerticalScroll(id="debrief-body"):
            yield from self.ending_part()
            yield from self.advice_part()
            yield from self.disagreement_part()
            yield from self.meters_part()
            yield from self.endings_part()
        with Horizontal(id="debrief-actions"):
            yield Button("Replay (r)", id="replay", compact=True)
            yield Button("Rewind (w)", id="rewind", compact=True)
            yield Button("Back to the list (b)", id="list", compact=True)
        yield KeyBar()

    def header_text(self) -> Text:
        text = Text()
        text.append(self.play.scenario.title, style="bold")
        text.append("  ·  The ending, and what it meant")
        return text

    def ending_part(self) -> ComposeResult:
        ending = self.report.ending
        if ending is None:
            yield Static("This play has not reached an ending.", classes="section-title", markup=False)
            return
        title = Text()
        title.append("Ending: ", style="bold")
        title.append(ending.title, style="bold")
        yield Static(title, id="ending-title", classes="section-title")
        tone = Text()
        tone.append("Tone: ")
        tone.append(ending.tone, style="italic")
        tone.append("  ·  Where you two stand: ")
        tone.append(OUTCOME_WORDS.get(ending.outcome, ending.outcome), style="italic")
        yield Static(tone, id="ending-tone")
        yield Static(Text(self.play.text()), id="ending-text")
        if ending.help or self.play.scenario.help:
            yield Static("Help and support", classes="section-title", markup=False)
            yield Static(HELP_NOTE, classes="intro", markup=False)
            yield Static(resources_text(), id="help-inline")

    def advice_part(self) -> ComposeResult:
        report = self.report
        yield Static("What your choices meant", classes="section-title", markup=False)
        yield Static(
            "Each choice in this story follows or ignores a piece of advice from five popular "
            "articles about winning back an ex. Here is the advice your choices touched, "
            "in the game's own words, with where each article says it.",
            classes="intro", markup=False,
        )
        groups = [
            ("Advice you followed", "✓ Followed:", report.followed),
            ("Advice you ignored", "✗ Ignored:", report.ignored),
        ]
        for heading, marker, uses in groups:
            yield Static(f"{heading} ({len(uses)})", classes="group-title", markup=False)
            if not uses:
                yield Static("None on this path.", classes="advice -empty", markup=False)
            for use in uses:
                yield Static(advice_text(self.play, use, marker), classes="advice")
        if report.tactics:
            yield Static(f"Tactics you tried ({len(report.tactics)})", classes="group-title",
                         markup=False)
            yield Static(TACTICS_NOTE, classes="intro", markup=False)
            for use in report.tactics:
                yield Static(advice_text(self.play, use, "! Tactic:"), classes="advice -tactic")

    def disagreement_part(self) -> ComposeResult:
        if not self.report.disagreements:
            return
        yield Static("Where the articles disagree", classes="section-title", markup=False)
        yield Static("The articles do not all agree on the advice below. This is what each says, "
                     "and the line the game takes.", classes="intro", markup=False)
        for advice in self.report.disagreements:
            yield Static(disagreement_text(advice), classes="advice -disagreement")

    def meters_part(self) -> ComposeResult:
        report = self.report
        scenario = self.play.scenario
        point = report.turning_point
        yield Static("The meters, revealed", classes="section-title", markup=False)
        yield Static("These moved with every choice and stayed hidden until now.",
                     classes="intro", markup=False)
        data = ChartData(scenario.meters, report.series, point.number if point else None)
        yield MeterChart(data, id="meter-chart")
        yield Static(self.turning_text(), id="turning-point")
        yield Static(self.finals_text(), id="meter-finals")

    def turning_text(self) -> Text:
        point = self.report.turning_point
        text = Text()
        if point is None:
            text.append("No single choice moved the meters: there was no turning point.")
            return text
        text.append(f"{TURN} Turning point: choice {point.number}, ", style="bold")
        text.append("“")
        text.append(point.choice_text)
        text.append("”")
        text.append("\n  No other choice moved the meters as much:")
        for meter in self.play.scenario.meters:
            delta = point.delta(meter.id)
            if delta:
                before, after = point.before.meters[meter.id], point.after.meters[meter.id]
                text.append(f"\n    {meter.label} {signed(delta)}  ({before} → {after})")
        return text

    def finals_text(self) -> Text:
        text = Text()
        for i, meter in enumerate(self.play.scenario.meters):
            values = self.report.series.get(meter.id, [])
            if not values:
                continue
            if i:
                text.append("\n")
            text.append(f"{mark(i)} ")
            text.append(meter.label, style="bold")
            text.append(f": started at {values[0]}, ended at {values[-1]} "
                        f"(on a scale of {meter.min} to {meter.max})")
        return text

    def endings_part(self) -> ComposeResult:
        endings = self.play.scenario.endings
        here = self.report.ending.id if self.report.ending else None
        yield Static(f"Endings found: {len(self.found)} of {len(endings)}", id="endings-title",
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

    def action_scroll(self, direction: int) -> None:
        body = self.query_one("#debrief-body", VerticalScroll)
        if direction < 0:
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)
