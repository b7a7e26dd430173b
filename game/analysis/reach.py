"""Which endings a play can still reach from where it stands, within a budget.

A workshop asks this before a forum-theatre branch ends: the room predicts how
it will end, choosing among the endings the story can still reach from here.
The walk is the exploration's own (game.analysis.machine: the engine's rules
compiled onto tuples, situations told apart only by what the rules can still
see), started from the play's current State instead of the story's start, so
what it says can be reached is what a play can reach.

Every walk has a Budget. When it runs out before every situation has been
seen, `exhaustive` is False and the endings found are only those seen: a
caller that needs every possibility (a prediction must not leave out the
ending that comes) falls back to every ending of the story.
"""

from __future__ import annotations

from collections import deque

import attrs

from game.analysis.budget import Budget
from game.analysis.machine import Machine, paused_gc
from game.engine import State
from game.model import Scenario

STATES = 20_000
"""Situations a reach may visit: more than any built-in story has from its start, and quick to walk."""
SECONDS = 1.0
"""A reach is asked while a room waits: it never takes longer than this."""


@attrs.frozen
class Reach:
    """The endings a walk from one situation found, and whether it saw every situation."""

    endings: tuple[str, ...]
    """Ending ids, in the story's own order."""
    exhaustive: bool
    states: int


def situation(machine: Machine, state: State) -> tuple[int, ...]:
    """An engine State as the machine's tuple (game.analysis.machine's layout, what the place cannot tell
    apart forgotten)."""
    values = [0] * machine.width
    values[0] = machine.place[state.at]
    for meter, slot in machine.meter_slot.items():
        values[slot] = state.meters.get(meter, 0)
    flags = 0
    for flag in state.flags:
        flags |= machine.flag_bit.get(flag, 0)
    values[machine.flag_slot] = flags
    for scene, slot in machine.visit_slot.items():
        count = state.visits.get(scene, 0)
        cap = machine.visit_cap[slot]
        values[slot] = count if cap is None or count < cap else cap
    taken = 0
    for rule in machine.rules:
        if rule.once and (machine.place_ids[rule.scene], rule.index) in state.taken:
            taken |= rule.once
    values[machine.taken_slot] = taken
    return machine.canonical(values)


def endings_from(scenario: Scenario, state: State, budget: Budget | None = None) -> Reach:
    """Every ending reachable from `state` (itself, if it is one), breadth first, within the budget."""
    budget = budget or Budget(seconds=SECONDS, states=STATES)
    budget.start()
    machine = Machine(scenario, merge=True, ethics=False)
    start = situation(machine, state)
    seen = {start}
    queue = deque([start])
    found: set[int] = set()
    exhaustive = True
    with paused_gc():
        while queue:
            here = queue.popleft()
            if here[0] >= machine.n_scenes:
                found.add(here[0])
                continue
            if not budget.charge(machine.scene_cost[here[0]] or 1):
                exhaustive = False
                break
            for rule in machine.open_rules(here):
                after = machine.step(here, rule)
                if after in seen:
                    continue
                if len(seen) >= budget.states:
                    exhaustive = False
                    queue.clear()
                    break
                seen.add(after)
                queue.append(after)
    names = {machine.place_ids[p] for p in found}
    return Reach(tuple(e for e in scenario.endings if e in names), exhaustive, len(seen))
