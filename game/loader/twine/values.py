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

from game.loader.twine.expressions import LIMIT, Assignment, Expr

CAP = 24
"""More distinct values than this in one passage count as "many" (the variable grows in a loop)."""
MAX_STATES = 20_000
"""The exact walk (every flag and value together, guards obeyed) gives up after this many situations."""

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
    steps: tuple[Assignment, ...] = ()  # the same, one assignment at a time (flags too)
    guard: Expr | None = None  # when the choice is offered


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


def explore(variables: Sequence[str], start: str, first: Sequence[Assignment], edges: Sequence[Edge]) -> Values:
    """Each number variable's values on arrival at each passage; `first` is what is set before the start shows.

    The exact walk follows every choice as a player can make it (flags and
    conditions included) while the situations stay few; a story whose
    numbers grow in a loop has too many, and then each variable is followed
    on its own, ignoring conditions, which may find values no play reaches.
    """
    exact = _exact(variables, start, first, edges)
    if exact is not None:
        return exact
    start_values = compose(first)
    initial = {v: change[1] for v, change in start_values.items()}
    found = _each(variables, start, initial, {}, edges)
    spans = _spans(variables, start, initial, edges)
    if spans is not None:  # no loop: nothing grows without end, and the lowest and highest values are exact
        found.seen = spans
        found.unbounded = set()
    return found


def _spans(variables: Sequence[str], start: str, initial: Mapping[str, int],
           edges: Sequence[Edge]) -> dict[str, tuple[int, int]] | None:
    """Each variable's lowest and highest value over every play, when no passage reached from the start can
    lead back to itself (None when one can): followed passage by passage in an order where every passage
    comes after all the passages that lead to it, keeping only each variable's lowest and highest value."""
    outgoing: dict[str, list[Edge]] = {}
    for edge in edges:
        outgoing.setdefault(edge.source, []).append(edge)
    reached, work = {start}, [start]
    while work:
        for edge in outgoing.get(work.pop(), ()):
            if edge.target not in reached:
                reached.add(edge.target)
                work.append(edge.target)
    leading_in = dict.fromkeys(reached, 0)
    for passage in reached:
        for edge in outgoing.get(passage, ()):
            leading_in[edge.target] += 1
    if leading_in[start]:
        return None
    span: dict[str, dict[str, tuple[int, int]]] = {start: {v: (initial.get(v, 0),) * 2 for v in variables}}
    ready, done = [start], 0
    while ready:
        source = ready.pop()
        done += 1
        here = span[source]
        for edge in outgoing.get(source, ()):
            there = span.setdefault(edge.target, {})
            for variable in variables:
                low, high = here[variable]
                kind, amount = edge.change.get(variable, ("add", 0))
                low, high = (amount, amount) if kind == "set" else (low + amount, high + amount)
                before = there.get(variable)
                there[variable] = (low, high) if before is None else (min(before[0], low), max(before[1], high))
            leading_in[edge.target] -= 1
            if not leading_in[edge.target]:
                ready.append(edge.target)
    if done < len(reached):
        return None
    return {v: (min(s[v][0] for s in span.values()), max(s[v][1] for s in span.values())) for v in variables}


def _holds(tree: Expr, numbers: Mapping[str, int], flags: frozenset[str]) -> int | bool:
    """A condition's value in one situation (number variables from `numbers`, the rest are flags)."""
    kind = tree[0]
    if kind == "var":
        return numbers[tree[1]] if tree[1] in numbers else tree[1] in flags
    if kind in ("num", "bool"):
        return tree[1]
    if kind == "not":
        return not _holds(tree[1], numbers, flags)
    if kind == "and":
        return bool(_holds(tree[1], numbers, flags)) and bool(_holds(tree[2], numbers, flags))
    if kind == "or":
        return bool(_holds(tree[1], numbers, flags)) or bool(_holds(tree[2], numbers, flags))
    _, op, left, right, _ = tree
    a, b = int(_holds(left, numbers, flags)), int(_holds(right, numbers, flags))
    return {"==": a == b, "!=": a != b, ">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]


def _step(numbers: dict[str, int], flags: set[str], item: Assignment) -> None:
    if item.kind == "flag":
        (flags.add if item.value else flags.discard)(item.variable)
    elif item.variable in numbers:
        numbers[item.variable] = int(item.value) + (numbers[item.variable] if item.kind == "add" else 0)


def _exact(variables: Sequence[str], start: str, first: Sequence[Assignment], edges: Sequence[Edge]) -> Values | None:
    """Every situation a play can reach, or None when there are more than MAX_STATES."""
    outgoing: dict[str, list[Edge]] = {}
    for edge in edges:
        outgoing.setdefault(edge.source, []).append(edge)
    numbers = {v: 0 for v in variables}
    flags: set[str] = set()
    for item in first:
        _step(numbers, flags, item)
    begin = (start, tuple(numbers[v] for v in variables), frozenset(flags))
    seen_states = {begin}
    work = [begin]
    while work:
        passage, values, on = work.pop()
        here = dict(zip(variables, values, strict=True))
        for edge in outgoing.get(passage, ()):
            if edge.guard is not None and not _holds(edge.guard, here, on):
                continue
            numbers, flags = dict(here), set(on)
            for item in edge.steps:
                _step(numbers, flags, item)
            state = (edge.target, tuple(numbers[v] for v in variables), frozenset(flags))
            if state not in seen_states:
                if len(seen_states) >= MAX_STATES or any(abs(n) > 10 * LIMIT for n in numbers.values()):
                    return None
                seen_states.add(state)
                work.append(state)
    at: dict[str, dict[str, frozenset[int] | None]] = {}
    for passage, values, _ in seen_states:
        there = at.setdefault(passage, {})
        for variable, value in zip(variables, values, strict=True):
            there[variable] = (there.get(variable) or frozenset()) | {value}
    seen = {}
    for k, variable in enumerate(variables):
        every = [values[k] for _, values, _ in seen_states]
        seen[variable] = (min(every), max(every))
    return Values(at, seen, set())


def _each(variables: Sequence[str], start: str, initial: Mapping[str, int], arrival: Mapping[str, Change],
          edges: Sequence[Edge]) -> Values:
    """Each variable followed on its own through every choice, conditions ignored; `arrival`: the start's changes."""
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
