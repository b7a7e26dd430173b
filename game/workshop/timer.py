"""The optional discussion and voting timer: it counts down and signals, and never decides.

Off by default. When set, a decision can have discussion time first, then
voting time. When time runs out the timer only says so (the screen changes and,
if the facilitator wants, the terminal bell rings); the room still decides,
and the facilitator still locks the vote. The clock is passed in, so tests and
a paused laptop behave the same way.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import attrs

from game.safetext import quote

PRESETS = (30, 60, 120)
"""The durations offered on the setup screen, in seconds (any whole number works)."""

MAX_SECONDS = 3600
"""An hour: the longest discussion or vote a timer counts (a longer one is a typo)."""

TIME = re.compile(r"([0-9]+)\s*(s|secs?|seconds?|m|mins?|minutes?)?\Z")


def check_seconds(seconds: Any) -> int:
    """A timer's length in whole seconds, 0 (off) to MAX_SECONDS; ValueError says the range otherwise.

    The one rule for a timer's length, wherever it comes from: the command line, the setup screen, a log.
    """
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        raise ValueError("a timer is a whole number of seconds")
    if seconds < 0:
        raise ValueError("a timer cannot run for less than no time")
    if seconds > MAX_SECONDS:
        raise ValueError(f"a timer can run for at most {MAX_SECONDS // 60} minutes")
    return seconds


def parse_seconds(text: str) -> int:
    """`60`, `90s`, `2m` or `off` as seconds (0 is off); ValueError says what is accepted."""
    text = text.strip().lower()
    if text in ("", "off", "0", "none"):
        return 0
    found = TIME.match(text)
    if found is None:
        raise ValueError(f"`{quote(text)}` is not a time: use seconds (60), minutes (2m) or off")
    number, unit = found.groups()
    if len(number.lstrip("0")) > len(str(MAX_SECONDS)):  # never read as a number: the typo is said back as typed
        raise ValueError(f"`{quote(text)}` is longer than a timer runs: at most {MAX_SECONDS // 60} minutes")
    return check_seconds(int(number) * (60 if unit and unit.startswith("m") else 1))


@attrs.define
class Countdown:
    """One running period (discussion or voting): how long, and when it started."""

    seconds: int
    started: float
    clock: Callable[[], float] = attrs.field(default=time.monotonic, eq=False, repr=False)
    paused_at: float | None = None

    def remaining(self) -> int:
        now = self.paused_at if self.paused_at is not None else self.clock()
        return max(0, int(round(self.seconds - (now - self.started) + 0.499)))

    @property
    def expired(self) -> bool:
        return self.remaining() == 0

    def pause(self) -> None:
        if self.paused_at is None:
            self.paused_at = self.clock()

    def resume(self) -> None:
        if self.paused_at is not None:
            self.started += self.clock() - self.paused_at
            self.paused_at = None


@attrs.define
class Timer:
    """The workshop's timer settings and the countdown running now, if any."""

    discussion: int = attrs.field(default=0, converter=check_seconds)
    voting: int = attrs.field(default=0, converter=check_seconds)
    bell: bool = False
    clock: Callable[[], float] = attrs.field(default=time.monotonic, eq=False, repr=False)
    running: Countdown | None = None
    period: str = ""
    """"discussion" or "voting" while a countdown runs."""

    @property
    def enabled(self) -> bool:
        return bool(self.discussion or self.voting)

    def start(self, period: str) -> bool:
        """Start the discussion or voting countdown (if one is set); True when one started."""
        seconds = self.discussion if period == "discussion" else self.voting
        self.stop()
        if not seconds:
            return False
        self.running = Countdown(seconds, self.clock(), self.clock)
        self.period = period
        return True

    def stop(self) -> None:
        self.running = None
        self.period = ""

    def remaining(self) -> int | None:
        return self.running.remaining() if self.running else None

    @property
    def expired(self) -> bool:
        return self.running is not None and self.running.expired


def clock_face(seconds: int) -> str:
    """`1:05`: minutes and seconds, as a countdown shows them."""
    return f"{seconds // 60}:{seconds % 60:02d}"
