"""The place where phones join: the address, the join code, a QR code drawn in text, and who has joined.

It stays out of the way until phones vote (a workshop with hands only never
shows it), and the facilitator can hide it (J) when the room display shows the
code, or when the window is too small for it; the console's status line then
says the code in words. Ballots never pass through here: phones vote through
the Workshop, which tells the screen, so the tally already counts them. The
QR code is drawn dark on light (the code's own quiet zone included), which is
what phone cameras read best; everything else follows the theme.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from game.safetext import printable
from game.tui.workshop.context import ServerLink, WorkshopContext

ROOMY = (100, 30)
"""From this size (columns, lines) the panel shows by itself; below it, J shows it."""


def panel_wanted(context: WorkshopContext, width: int, height: int) -> bool:
    """Whether the phones' panel shows: the facilitator's choice (J), else only when the window has room
    for it and no room display shows the code already."""
    if context.phones is None:
        return False
    if context.panel is not None:
        return context.panel
    return width >= ROOMY[0] and height >= ROOMY[1] and not context.private


def join_words(link: ServerLink) -> str:
    """The join details in one line, for a console whose panel is hidden."""
    joined = link.phones
    return (f"Phones: {printable(link.address)} code {printable(link.code)} · "
            f"{joined} joined")


class PhonePanel(Vertical):
    """Join address, join code, QR code, and how many phones have joined."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._drawn: tuple = ()

    def compose(self) -> ComposeResult:
        yield Static("Vote by phone", id="phones-title", markup=False)
        yield Static(id="phones-qr")
        yield Static(id="phones-join")

    def show(self, link: ServerLink | None, ballots: int = 0, wanted: bool = True) -> None:
        """Draw the link (or hide the panel); `ballots` is the phone votes in this round."""
        self.display = link is not None and wanted
        if link is None or not wanted or not self.is_mounted:
            return
        key = (link.url, link.phones, ballots, link.warning)
        if key == self._drawn:
            return
        qr = self.query_one("#phones-qr", Static)
        if not self._drawn or self._drawn[0] != link.url:
            try:
                lines = link.qr_lines()
            except ValueError:  # an address too long to draw still leaves the address and the code
                lines = []
            qr.update(Text("\n".join(lines), no_wrap=True, overflow="crop"))
            qr.display = bool(lines)
        self._drawn = key
        join = Text()
        join.append("Open ", style="")
        join.append(printable(link.address), style="bold")
        join.append("\nCode: ")
        join.append(printable(link.code), style="bold")
        count = link.phones
        join.append(f"\n{count} phone{'' if count == 1 else 's'} joined")
        join.append(f"\n{ballots} phone vote{'' if ballots == 1 else 's'} this round")
        if link.warning:
            join.append("\n! ", style="bold")
            join.append(printable(link.warning), style="italic")
        self.query_one("#phones-join", Static).update(join)
