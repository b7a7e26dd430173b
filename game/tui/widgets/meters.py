"""The hidden meters, drawn only in author mode (`--reveal`) while playing.

Each meter is a labelled bar with its number, so the value reads in words and
digits, not by colour.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from game.engine import Playthrough

BAR = 10


def meters_text(play: Playthrough) -> Text:
    text = Text()
    for i, meter in enumerate(play.scenario.meters):
        value = play.state.meters[meter.id]
        span = max(1, meter.max - meter.min)
        filled = round(BAR * (value - meter.min) / span)
        if i:
            text.append("   ")
        text.append(f"{meter.label} ", style="bold")
        text.append("█" * filled + "░" * (BAR - filled))
        text.append(f" {value}/{meter.max}")
    return text


class MeterStrip(Static):
    """One line: every meter of the scenario, as bar and number."""

    def show(self, play: Playthrough) -> None:
        self.update(meters_text(play))
