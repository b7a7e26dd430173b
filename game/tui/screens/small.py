"""What shows when the terminal is too small to play in: a calm request, not a broken layout."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

MESSAGE = "The window is too small for the story. Make it a little larger to carry on.\n\nNothing is lost."


class TooSmallScreen(ModalScreen[None]):
    """Covers everything until the window is large enough again; the app removes it then."""

    def compose(self) -> ComposeResult:
        yield Static(MESSAGE, id="too-small", markup=False)
