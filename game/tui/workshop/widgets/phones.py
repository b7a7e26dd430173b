"""The place where phones join: the address, the join code and a QR code drawn in text lines.

It stays out of the way until a vote server is running (a workshop with hands
only never shows it). Ballots never pass through here: phones vote through the
Workshop, which tells the screen, so the tally already counts them. The QR
code is drawn dark on light (the code's own quiet zone included), which is
what phone cameras read best; everything else follows the theme.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from game.safetext import printable
from game.tui.workshop.context import PhoneLink


class PhonePanel(Vertical):
    """Join address, join code, QR code, and how many phones are connected."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.link: PhoneLink | None = None

    def compose(self) -> ComposeResult:
        yield Static("Vote by phone", id="phones-title", markup=False)
        yield Static(id="phones-qr")
        yield Static(id="phones-join")

    def show(self, link: PhoneLink | None, ballots: int = 0) -> None:
        """Draw the link (or hide the panel when there is none); `ballots` is the phone votes in this round."""
        self.link = link
        self.display = link is not None
        if link is None or not self.is_mounted:
            return
        qr = self.query_one("#phones-qr", Static)
        try:
            lines = link.qr_lines()
        except ValueError:  # an address too long to draw still leaves the address and the code
            lines = []
        qr.update(Text("\n".join(lines), no_wrap=True, overflow="crop"))
        qr.display = bool(lines)
        join = Text()
        join.append("Open ", style="")
        join.append(printable(link.address), style="bold")
        join.append("\nCode: ")
        join.append(printable(link.code), style="bold")
        count = link.phones
        join.append(f"\n{count} phone{'' if count == 1 else 's'} connected")
        join.append(f"\n{ballots} phone vote{'' if ballots == 1 else 's'} this round")
        if link.warning:
            join.append("\n! ", style="bold")
            join.append(printable(link.warning), style="italic")
        self.query_one("#phones-join", Static).update(join)
