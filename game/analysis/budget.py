"""How much work the deep checks and the simulator may do before they stop and say so.

Scenario files come from strangers, and a small file can describe an enormous
number of situations (wide meters, hundreds of flags, choices with long
conditions). The state cap alone limits how many situations are explored, not
what each one costs, so every run carries one Budget with three limits:

- `seconds`: wall time, the limit a person feels;
- `states`: distinct situations kept in memory (the memory bound);
- `work`: conditions evaluated, each weighted by its size (so a file cannot hide
  its cost in long conditions; the same file always stops at the same point).

Whichever runs out first ends the run, and the result says "partial" and why
(SC190 in `validate`, a line in `simulate`'s report, `partial` in JSON). The
command line raises the limits with `--budget SECONDS` and `--max-states N`; a
caller such as an editor's language server passes its own Budget.

A Budget counts everything charged to it from its first use, so one Budget
shared by several calls is one allowance for all of them; `fresh()` gives a new
one with the same limits.
"""

from __future__ import annotations

import time
from collections.abc import Callable

DEFAULT_SECONDS = 5.0
"""Wall time for one file's deep checks, or one `simulate` run."""

DEFAULT_STATES = 500_000
"""Distinct situations explored (about 100 MB at the most)."""

DEFAULT_WORK = 10_000_000
"""Condition steps evaluated (a condition costs one step per word in it, a choice without one costs one)."""

CHECK_EVERY = 20_000
"""How much work may pass between two looks at the clock."""

CLOCK: Callable[[], float] = time.perf_counter
"""The clock a Budget reads unless it is given one (tests swap in a fake)."""


class Budget:
    """Limits on one run, and what has been spent against them."""

    __slots__ = ("seconds", "states", "work", "clock", "spent", "started", "stopped")

    def __init__(self, seconds: float = DEFAULT_SECONDS, states: int = DEFAULT_STATES, work: int = DEFAULT_WORK,
                 clock: Callable[[], float] | None = None):
        if seconds <= 0 or states < 1 or work < 1:
            raise ValueError("a budget needs some time, at least one state and some work")
        self.seconds = float(seconds)
        self.states = int(states)
        self.work = int(work)
        self.clock = clock or CLOCK
        self.spent = 0
        self.started: float | None = None
        self.stopped: str = ""
        """Empty while time and work last; then which ran out: "time" or "work" (the states limit is the
        caller's to apply, since running out of room for new states need not stop the run)."""

    @classmethod
    def scaled(cls, seconds: float | None = None, states: int | None = None) -> Budget:
        """A budget from the command line's `--budget SECONDS` and `--max-states N`.

        Raising the time raises the work allowance in proportion, so that
        `--budget 60` really can use a minute.
        """
        chosen = DEFAULT_SECONDS if seconds is None else seconds
        work = max(DEFAULT_WORK, int(DEFAULT_WORK * chosen / DEFAULT_SECONDS))
        return cls(chosen, DEFAULT_STATES if states is None else states, work)

    def fresh(self) -> Budget:
        """The same limits, nothing spent."""
        return Budget(self.seconds, self.states, self.work, self.clock)

    def start(self) -> None:
        """Start the clock, if nothing has started it yet."""
        if self.started is None:
            self.started = self.clock()

    @property
    def elapsed(self) -> float:
        return 0.0 if self.started is None else self.clock() - self.started

    def allowance(self) -> int:
        """How much work may pass before the next call to `charge` (never more than CHECK_EVERY)."""
        return max(1, min(CHECK_EVERY, self.work - self.spent + 1))

    def charge(self, work: int) -> bool:
        """Count `work` more steps; False once any limit has run out (and `stopped` says which)."""
        if self.stopped:
            return False
        self.spent += work
        if self.spent > self.work:
            self.stopped = "work"
        elif self.elapsed > self.seconds:
            self.stopped = "time"
        return not self.stopped

    def why(self, reason: str | None = None) -> str:
        """A limit in words: `reason` ("time", "states" or "work"), or the one that stopped the run."""
        return {
            "time": f"the {self.seconds:g} s time limit",
            "states": f"the limit of {self.states:,} states",
            "work": f"the limit of {self.work:,} condition steps",
        }.get(reason or self.stopped, "")

    def to_json(self) -> dict:
        return {"seconds": self.seconds, "states": self.states, "work": self.work, "spent": self.spent,
                "stopped": self.stopped or None}

    def __repr__(self) -> str:
        return (f"Budget(seconds={self.seconds:g}, states={self.states}, work={self.work}, spent={self.spent}, "
                f"stopped={self.stopped!r})")
