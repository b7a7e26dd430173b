"""What each number variable can be in each passage, so `(set: $x to 3)` can become a step.

A scenario moves a meter by steps (`effects = { x = 2 }`), while Twine may set
a variable outright. Following every way through the story, this works out the
values a variable can hold on arrival at each passage (a small set of numbers,
or "many" once a loop makes it grow past what is worth listing). A choice that
sets `$x to 3` from a passage where `$x` is always 1 is then a step of +2;
setting it to the meter's lowest or highest value works from anywhere (the
meter stops at its ends); anything else cannot carry over, and the import says
so at the (set:) macro.

The walk is bounded: each passage's set of values only grows, and turns into
"many" after CAP values, so it ends after at most CAP + 1 changes per
passage and variable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from game.loader.twine.expressions import Assignment

CAP = 24
"""More distinct values than this in one passage count as "many" (the variable grows in a loop)."""
MANY = None

Change = tuple[str, int]  # ("add", step) or ("set", value)


def compose(assignments: Iterable[Assignment]) -> dict[str, Change]:
    """The net change to each number variable of assignments made one after another."""
    net: dict[str, Change] = {}
    for item in assignments:
        if item.kind == "flag":
            continue
        before = net.get(item.variable)
        if item.kind == "set" or before is None:
            net[item.variable] = (item.kind, int(item.value))
        else:
            net[item.variable] = (before[0], before[1] + int(item.value))
    return net


@attrs.frozen
class Edge:
    source: str
    target: str
    change: Mapping[str, Change]  # the choice's own changes, then the target's on arrival


@attrs.define
class Values:
    """Each number variable's values on arrival at each passage reached from the start."""

    at: dict[str, dict[str, frozenset[int] | None]]
    seen: dict[str, tuple[int, int]]  # the lowest and highest value each variable ever takes
    unbounded: set[str]

    def single(self, passage: str, variable: str) -> int | None:
        """The value a variable always has at a passage, if there is one."""
        found = self.at.get(passage, {}).get(variable)
        return next(iter(found)) if found is not None and len(found) == 1 else None


def _apply(values: frozenset[int] | None, change: Change | None) -> frozenset[int] | None:
    if change is None:
        return values
    kind, amount = change
    if kind == "set":
        return frozenset((amount,))
    return None if values is None else frozenset(v + amount for v in values)


def explore(variables: Sequence[str], start: str, initial: Mapping[str, int], arrival: Mapping[str, Change],
            edges: Sequence[Edge]) -> Values:
    """Follow every choice from the start; `arrival` is the start passage's own changes."""
    outgoing: dict[str, list[Edge]] = {}
    for edge in edges:
        outgoing.setdefault(edge.source, []).append(edge)
    first = {v: _apply(frozenset((initial.get(v, 0),)), arrival.get(v)) for v in variables}
    state: dict[str, dict[str, frozenset[int] | None]] = {start: first}
    seen: dict[str, tuple[int, int]] = {}
    unbounded: set[str] = set()

    def record(variable: str, values: frozenset[int] | None) -> None:
        if values:
            low, high = seen.get(variable, (min(values), max(values)))
            seen[variable] = (min(low, min(values)), max(high, max(values)))

    for variable, values in first.items():
        record(variable, values)
    work, waiting = [start], {start}
    while work:
        source = work.pop()
        waiting.discard(source)
        here = state[source]
        for edge in outgoing.get(source, ()):
            changed = edge.target not in state
            there = state.setdefault(edge.target, {})
            for variable in variables:
                new = _apply(here.get(variable), edge.change.get(variable))
                record(variable, new)
                if variable not in there:
                    there[variable] = new
                    changed = True
                    continue
                old = there[variable]
                if old is None:
                    continue
                merged = None if new is None else old | new
                if merged is not None and len(merged) > CAP:
                    merged = None
                if merged is None:
                    unbounded.add(variable)
                if merged != old:
                    there[variable] = merged
                    changed = True
            if changed and edge.target not in waiting:
                work.append(edge.target)
                waiting.add(edge.target)
    return Values(state, seen, unbounded)
