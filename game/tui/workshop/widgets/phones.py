"""The place where phones join: the address, the join code, a QR code drawn in text, and who has joined.

It stays out of the way until phones vote (a workshop with hands only never
shows it), and the facilitator can hide it (J) when the room display shows the
code, or when the window is too small for it; the console's status line then
says the code in words. Ballots never pass through here: phones vote through
the Workshop, which tells the screen, so the tally already counts them. The
QR code is drawn dark on light (the code's own quiet zone included), which is
what phone cameras read best; everything else follows the theme. The code is
drawn in large letters too (game/tui/workshop/widgets/bigcode.py), for the
back of the room; the QR code shows only where all of it fits below the words.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from game.safetext import printable
from game.tui.workshop.context import ServerLink, WorkshopContext
from game.tui.workshop.widgets.bigcode import big_code

ROOMY = (100, 30)
"""From this size (columns, lines) the panel shows by itself; below it, J shows it."""


def roomy(width: int, height: int) -> bool:
    """A window with room for the phones' panel beside the scene (the panel shows by itself from this size)."""
    return width >= ROOMY[0] and height >= ROOMY[1]


def panel_wanted(context: WorkshopContext, width: int, height: int) -> bool:
    """Whether the phones' panel shows: the facilitator's choice (J), else only when the window has room
    for it and no room display shows the code already."""
    if context.phones is None:
        return False
    if context.panel is not None:
        return context.panel
    return roomy(width, height) and not context.private


def join_text(link: ServerLink) -> Text:
    """The join details in one line, the code standing out, for a console whose panel is hidden."""
    text = Text("Phones: ", style="bold")
    text.append(printable(link.address), style="bold")
    text.append(" with the code ")
    text.append(f" {printable(link.code)} ", style="bold reverse")
    text.append(f" · {link.phones} joined")
    return text


class PhonePanel(Vertical):
    """Join address, the join code in large letters, how many phones have joined, and the QR code when the
    panel is tall enough for all of it (the words come first: they are never cut off for the picture)."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._drawn: tuple = ()
        self._qr_height = 0

    def compose(self) -> ComposeResult:
        yield Static("Vote by phone", id="phones-title", markup=False)
        yield Static(id="phones-join")
        yield Static(id="phones-qr")
        yield Static(id="phones-no-qr", markup=False)

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
            self._qr_height = len(lines)
        self._drawn = key
        join = Text()
        join.append("Open ")
        join.append(printable(link.address), style="bold")
        join.append("\nand type the code ")
        join.append(printable(link.code), style="bold")
        join.append(":\n")
        join.append_text(big_code(link.code))
        count = link.phones
        join.append(f"\n{count} phone{'' if count == 1 else 's'} joined")
        join.append(f"  ·  {ballots} phone vote{'' if ballots == 1 else 's'} this round")
        if link.warning:
            join.append("\n! ", style="bold")
            join.append(printable(link.warning), style="italic")
        self.query_one("#phones-join", Static).update(join)
        self.call_after_refresh(self._fit_qr)

    def on_resize(self) -> None:
        self._fit_qr()

    def _fit_qr(self) -> None:
        """The QR code only where all of it fits under the words: a QR code cut short cannot be scanned."""
        if not self.is_mounted:
            return
        qr, note = self.query_one("#phones-qr", Static), self.query_one("#phones-no-qr", Static)
        used = sum(w.outer_size.height for w in (self.query_one("#phones-title"), self.query_one("#phones-join")))
        fits = bool(self._qr_height) and self.content_size.height - used >= self._qr_height + 1
        qr.display = fits
        note.display = bool(self._qr_height) and not fits
        note.update("The QR code needs a taller window: the address and the code above are enough to join.")
