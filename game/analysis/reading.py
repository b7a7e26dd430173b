"""How long a typical play takes to read, for comparing with a scenario's `minutes`.

A few hundred seeded random plays (the simulator, on the real rules) give the
words a player reads in each: the text of every scene visited (its chat
messages and the choices offered included), the ending, and the debrief's
entries for the advice the play followed, ignored or used as a tactic. The
median play read at about 200 words a minute, with ten seconds to decide each
choice and half a minute to open and close the story, is the estimate.
"""

from __future__ import annotations

import random
import statistics

import attrs

from game.analysis.budget import Budget
from game.model import Scenario

PACE = 200
"""Words read in a minute: a relaxed reading pace for fiction on a screen."""

DECIDE = 10
"""Seconds a player takes over each choice, beyond reading it."""

AROUND = 30
"""Seconds to open a story (title, content notes) and close it."""

PLAYS = 200
"""Random plays behind one estimate."""

SLACK = 0.5
"""`minutes` may be off by this share of itself before SC140 warns..."""

FLOOR = 2.0
"""...and by at least this many minutes (a short story's minute is mostly opening it and deciding)."""


@attrs.frozen
class Estimate:
    words: int
    choices: int
    plays: int

    @property
    def minutes(self) -> float:
        return self.words / PACE + (self.choices * DECIDE + AROUND) / 60


def _words(text: str) -> int:
    return len(text.split())


def estimate(scenario: Scenario, budget: Budget | None = None, plays: int = PLAYS, seed: int = 1) -> Estimate | None:
    """The median play's words and choices; None when too few plays finished within the budget."""
    from game.analysis.simulate import Simulator

    budget = budget if budget is not None else Budget()
    simulator = Simulator(scenario)
    words = {scene.id: _words(scene.text) + sum(_words(m.text) for m in scene.messages)
             + sum(_words(c.text) for c in scene.choices) for scene in scenario.scenes.values()}
    words.update((e.id, _words(e.text)) for e in scenario.endings.values())
    debrief = {a.id: _words(a.title) + _words(a.text) + (_words(a.disagreement) + _words(a.stance)
                                                          if a.disagreement else 0)
               for a in scenario.advice.values()}
    rng = random.Random(seed)
    read: list[int] = []
    steps: list[int] = []
    for _ in range(plays):
        path: list[int] = []
        where, _meters, visits = simulator.run(rng, path, budget)
        if where is None:
            break
        if where not in scenario.endings:
            continue
        advice = {a for gid in path for a in (*simulator.follows[gid], *simulator.ignores[gid])}
        read.append(sum(words[p] * n for p, n in visits.items()) + sum(debrief.get(a, 0) for a in advice))
        steps.append(len(path))
    if len(read) < 20:
        return None
    return Estimate(int(statistics.median(read)), int(statistics.median(steps)), len(read))
