"""The console's header and status lines: where the story is, the timer and the tie rule, and what the room
sees now (or, on one screen, that the room sees this screen), with the join code when the phones' panel is
hidden.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from game.debrief import OUTCOME_WORDS
from game.engine import Playthrough
from game.model import Ending
from game.tui.workshop.context import WorkshopContext
from game.tui.workshop.widgets.phones import join_text, roomy
from game.wording import DECISION, heading_label, scene_heading
from game.workshop.moves import Move
from game.workshop.names import TURNS
from game.workshop.room import Workshop
from game.workshop.teams import ONE_ROOM, Team
from game.workshop.words import compared, room_sees, tie_rule_text, timer_text

PAGE_BINDINGS = [
    Binding("pageup", "scroll(-1)", "Page up", show=False, priority=True, tooltip="a page back on the room display"),
    Binding("pagedown", "scroll(1)", "Page down", show=False, priority=True,
            tooltip="the next page on the room display"),
]
"""The room display's page keys, on every screen whose status line can say "page 1 of 2 (PgDn)" (before a
list's own paging: the status line promises them)."""


def page_words(page: int, pages: int) -> str:
    """Where the room display's pages stand, and the key that turns to the rest ("" for a view of one page)."""
    if pages < 2:
        return ""
    at = min(page, pages - 1) + 1
    return f"page {at} of {pages} ({'PgDn' if at < pages else 'PgUp'})"


ENDING_KEYS = ("G: go back to a decision and try another way", "B: compare every play", "D: the debrief",
               "E: write the handouts")
ONE_SCREEN = "One screen: the room sees this screen (F4: the room display)"


def header_text(workshop: Workshop, team: Team, play: Playthrough) -> Text:
    """The story, the team and branch, and the scene and decision in front of the room, on one line."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(workshop.scenario.title, style="bold")
    if len(workshop.teams) > 1 or team.name != ONE_ROOM:
        text.append("  ·  Team: ")
        text.append(team.name, style="bold")
    if team.session.branch != "main":
        text.append("  ·  Branch: ")
        text.append(team.session.branch, style="bold")
    if play.is_over:
        text.append("  ·  The ending")
        return text
    text.append("  ·  ")
    text.append(scene_heading(workshop.scenario, play.state.at))
    text.append(f"  ·  {heading_label(len(play.steps) + 1, DECISION)}")
    return text


def ending_heading(ending: Ending) -> Text:
    """An ending's title, its tone and where the two people stand (the console's, shown or previewed)."""
    text = Text()
    text.append("Ending: ", style="bold")
    text.append(ending.title, style="bold")
    stand = OUTCOME_WORDS.get(ending.outcome, ending.outcome)
    text.append(f"\nTone: {ending.tone}  ·  Where they stand: {stand}", style="italic")
    return text


def ending_text(workshop: Workshop, moves: frozenset[Move]) -> Text:
    """An ending in front of the room, its tone and where the two people stand, and the ways on from it."""
    shown = workshop.shown
    play = workshop.teams[shown.team].play
    ending = play.ending
    assert ending is not None
    text = ending_heading(ending)
    predicted = workshop.prediction_of(shown.team, workshop.teams[shown.team].session.branch)
    if predicted is not None:
        text.append(f"\n{compared(predicted, ending)}", style="bold")
    text.append(f"\n\n{play.text()}\n\n")
    ways = []
    if Move.GO_ON in moves:
        ways.append("Enter: go on with the next team" if workshop.current != shown.team
                    or not workshop.play.is_over else "Enter: go on")
    elif workshop.finished:
        ways.append("Enter: the room's debrief")
    text.append("\n".join([*ways, *ENDING_KEYS]), style="italic")
    return text


def prompts_title(private: bool, up: bool) -> str:
    """The questions' border: on one screen P hides them; with a room display, P puts them up there."""
    if not private:
        return "For the room to talk about (P hides this)"
    return "For the room to talk about: " + ("on the room display while the room talks (P takes them down)" if up
                                             else "not on the room display (P puts them up)")


class StatusLines(Static):
    """Two lines above the key bar: the timer, tie rule and turn order; then what the room sees."""

    DEFAULT_CSS = """
    StatusLines {
        height: auto;
        max-height: 3;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def show(self, context: WorkshopContext, workshop: Workshop, *, panel: bool) -> None:
        words, expired = timer_text(workshop.timer)
        text = Text(no_wrap=True, overflow="ellipsis")
        if words:
            text.append(words, style="bold")
            text.append("  ·  ")
        current = workshop.round
        text.append(tie_rule_text(workshop.tie_rule, workshop.seed, bool(current and current.runoff_of)))
        if len(workshop.teams) > 1:
            text.append("  ·  Teams take turns" if workshop.mode == TURNS else "  ·  Teams side by side")
        text.append("\n")
        link = context.link
        if context.private and link is not None:
            if link.pages > 1:  # first: a long "what the room sees" must not push it off the line
                text.append(f"Room display {page_words(workshop.shown.page, link.pages)}  ·  ", style="bold")
            text.append("Room sees: ", style="bold")
            text.append(room_sees(workshop))
        else:
            text.append(ONE_SCREEN if link is not None else ONE_SCREEN.split(" (")[0], style="italic")
        phones = context.phones
        if phones is not None and (not panel or not roomy(self.screen.size.width, self.screen.size.height)):
            text.append("\n")  # in a small window the words stay beside the panel: it may not hold them all
            text.append_text(join_text(phones))
        self.update(text)
        self.set_class(expired, "-expired")
