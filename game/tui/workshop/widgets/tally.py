"""The vote as the room sees it: every option numbered, the counts written out, bars once revealed.

A row's meaning never rests on colour: the facilitator's pointer is ▸, a
struck-through option starts with ✗ and says "not open now" with its reason,
an option outside a runoff says so, and the option the vote chose says
"chosen" in words. Option text is scenario text and goes in as plain Text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from game.tui.workshop.words import outcome_text
from game.workshop.report import Row as MomentRow
from game.workshop.room import Workshop
from game.workshop.votes import DISCUSSION, REVEALED, VOTING, How, Outcome, Round

CLOSED_MARK = "✗"
POINTER = "▸"
FULL, EMPTY = "█", "·"


@attrs.frozen
class Row:
    """One option in the tally."""

    mark: str
    """"1." for an open option, ✗ for a struck one, – for one outside a runoff."""
    text: str
    count: int | None = None
    """None: no count is shown (the discussion, or an option that cannot take votes)."""
    phones: int = 0
    note: str = ""
    pointed: bool = False
    struck: bool = False
    chosen: bool = False


def bar(share: float, width: int) -> str:
    filled = round(max(0.0, min(1.0, share)) * width)
    return FULL * filled + EMPTY * (width - filled)


def votes_words(count: int, phones: int = 0) -> str:
    words = f"{count} vote{'' if count == 1 else 's'}"
    return words + (f" · {phones} by phone" if phones else "")


WIDE = 64
"""From this width a row's bar and count sit beside its words; below it, on the line under them."""


def _count_text(row: Row) -> Text:
    if row.count is None:
        return Text("")
    count = Text(votes_words(row.count, row.phones), style="bold")
    if row.chosen:
        count.append("  ✓ chosen", style="bold")
    return count


def _head(row: Row) -> Text:
    head = Text(POINTER if row.pointed else " ", style="bold")
    head.append(" ")
    head.append(row.mark, style="bold")
    return head


def _words(row: Row) -> Text:
    words = Text(row.text, style="strike" if row.struck else "")
    if row.note:
        words.append("\n" if row.struck else "  ")
        words.append(f"({row.note})", style="italic")
    return words


def table(rows: Sequence[Row], width: int, bars: bool) -> Table:
    """The rows as a grid: pointer and number, the words (wrapping under themselves), a bar, the count.

    On a narrow screen the bar and the count go on the line under the words,
    so the words keep the width they need.
    """
    wide = width >= WIDE
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, width=4)
    bar_width = max(6, min(20, width // 6))
    total = sum(r.count or 0 for r in rows)

    def bar_text(row: Row) -> Text:
        if not bars or row.count is None:
            return Text("")
        return Text(bar(row.count / total if total else 0.0, bar_width))

    if wide:
        grid.add_column(ratio=1, min_width=20)
        if bars:
            grid.add_column(no_wrap=True, width=bar_width)
        grid.add_column(no_wrap=True)
        for row in rows:
            cells: list[RenderableType] = [_head(row), _words(row)]
            if bars:
                cells.append(bar_text(row))
            cells.append(_count_text(row))
            grid.add_row(*cells)
        return grid
    grid.add_column(ratio=1)
    for row in rows:
        words = _words(row)
        under = bar_text(row)
        if under.plain:
            under.append(" ")
        under.append_text(_count_text(row))
        if under.plain.strip():
            words.append("\n")
            words.append_text(under)
        grid.add_row(_head(row), words)
    return grid


def round_rows(current: Round, pointed: int | None, outcome: Outcome | None, show_phones: bool) -> list[Row]:
    """The rows for the round in front of the room: counts from the first vote on, phones when allowed."""
    votable = set(current.votable)
    counting = current.phase != "discussion" or current.total > 0
    counts = current.counts
    phones = current.phones
    rows = []
    for option in current.options:
        index = option.choice.index
        pointed_here = index == pointed
        if not option.available:
            rows.append(Row(CLOSED_MARK, option.choice.text, None, note="not open now" + (
                f": {option.reason}" if option.reason else ""), pointed=pointed_here, struck=True))
            continue
        mark = f"{option.number}."
        if index not in votable:
            rows.append(Row("–", option.choice.text, None, note="not in the runoff", pointed=pointed_here))
            continue
        note = ""
        if outcome is not None and outcome.how != How.NO_VOTES and index in outcome.tied:
            note = "tied"
        count = counts.get(index, 0) if show_phones else current.hands.get(index, 0)
        rows.append(Row(mark, option.choice.text, count if counting else None,
                        phones.get(index, 0) if show_phones else 0, note, pointed_here,
                        chosen=outcome is not None and outcome.winner == index))
    return rows


def moment_rows(rows: Sequence[MomentRow], chosen: str | None) -> list[Row]:
    """The rows of one vote of a decision already taken (the card after it, the debrief)."""
    return [Row(f"{number}.", text, votes, phones, chosen=text == chosen) for number, text, votes, phones in rows]


Drawn = tuple[Sequence[Row], bool, Text]
"""What the tally draws: its rows, whether it draws bars, and the line under them."""


def pointer(workshop: Workshop, current: Round | None, pointed: int | None) -> int | None:
    """Where the facilitator's pointer rests (`current` is the round on the console, None at an ending): after a
    reveal, on the option the vote chose; else where it was, if the core lets it rest there (`pointable`), or on
    the first such option still open."""
    if current is None:
        return None
    outcome = workshop.outcome()
    if outcome is not None and outcome.winner is not None:
        return outcome.winner
    allowed = workshop.pointable()
    if pointed in allowed:
        return pointed
    votable = [index for index in current.votable if index in allowed]
    return (votable or [*allowed, None])[0]


def live_rows(workshop: Workshop, pointed: int | None, private: bool) -> Drawn:
    """The vote in front of the room as the console draws it: the counts as they arrive on a private console
    (on one screen, the phones' only from the reveal, unless the workshop shows them as they fill), bars
    and the outcome once revealed, and what the facilitator can press next."""
    current = workshop.round
    if current is None:
        return [], False, Text()
    revealed = current.phase == REVEALED
    outcome = workshop.outcome() if revealed else None
    show_phones = revealed or not workshop.hide_tally or private
    rows = round_rows(current, pointed, outcome, show_phones)
    footer = Text()
    if outcome is not None:
        footer = outcome_text(current, outcome, workshop.seed)
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
    return rows, revealed, footer


class VoteTally(Widget):
    """The options and their votes, with one line under them saying where the vote stands.

    Given a source (`follow`), it asks for its rows when it draws, so a burst
    of phone ballots costs one drawing per frame, and only of the tally:
    `counted` marks it for redrawing without laying the screen out again.
    """

    DEFAULT_CSS = """
    VoteTally {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.drawn: Drawn = ([], False, Text())
        self.source: Callable[[], Drawn] | None = None

    def show(self, rows: Sequence[Row], bars: bool, footer: Text) -> None:
        """Draw these rows (a decision already taken)."""
        self.source = None
        self.drawn = (list(rows), bars, footer)
        self.refresh(layout=True)

    def follow(self, source: Callable[[], Drawn]) -> None:
        """Draw whatever `source` says each time (the round in front of the room); lays out again."""
        self.source = source
        self.refresh(layout=True)

    def counted(self) -> None:
        """Votes came in: draw the counts again, in place."""
        self.refresh()

    def render(self) -> RenderableType:
        if self.source is not None:
            self.drawn = self.source()
        rows, bars, footer = self.drawn
        width = max(20, self.content_region.width or self.size.width)
        parts: list[RenderableType] = [table(rows, width, bars)]
        if footer.plain:
            parts.append(footer)
        return Group(*parts)
