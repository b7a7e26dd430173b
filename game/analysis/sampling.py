"""Seeded random plays for a story too large to explore situation by situation, and proofs of loops.

When the walk (`game.analysis.explore`) runs out of room for new situations,
random plays fill in what they can: places reached, dead ends, ways to
finish, names met too early, each kept with the play that showed it. A random
play proves what it shows, never what it does not; so a play that goes on
and on is only evidence of a loop, and the loop is reported as having no way
out (SC114) only once `_Proofs` has seen every situation that can follow one
the play came back to, and none is an ending or a dead end.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable

from game.analysis.budget import CHECK_EVERY, Budget
from game.analysis.exploration import Exploration
from game.analysis.machine import Machine, Rule

MAX_STEPS = 500
"""A sampled play is stopped after this many steps, or after one more than the story has scenes if that is
more: a play that long has come back to a scene it left, so it has gone round a loop (whether the loop has
a way out is only said once `_Proofs` has proved it has none)."""

PROOF_STATES = 20_000
"""The most situations one attempt to prove a loop has no way out may look at."""

PROOFS = 20
"""The most such attempts in one walk (a loop proved once is not proved again)."""


def is_cyclic(machine: Machine) -> bool:
    """Whether any scene can lead back to itself (otherwise no play can go round, and no loop can trap one)."""
    succ = [set() for _ in range(machine.n_scenes)]
    for rule in machine.rules:
        if 0 <= rule.target < machine.n_scenes:
            succ[rule.scene].add(rule.target)
    colour = [0] * machine.n_scenes
    for root in range(machine.n_scenes):
        if colour[root]:
            continue
        stack = [(root, iter(succ[root]))]
        colour[root] = 1
        while stack:
            node, it = stack[-1]
            for nxt in it:
                if colour[nxt] == 1:
                    return True
                if colour[nxt] == 0:
                    colour[nxt] = 1
                    stack.append((nxt, iter(succ[nxt])))
                    break
            else:
                colour[node] = 2
                stack.pop()
    return False


def sample(machine: Machine, result: Exploration, budget: Budget, samples: int, seed: int) -> None:
    """Seeded random plays, for stories too large to explore state by state (within what is left).

    A play that shows something new (a place, a dead end, a way to finish) is
    kept, up to that point, as the example for it. A play is stopped once it
    has taken more steps than the story has scenes (and at least MAX_STEPS),
    so a long story with no loop is always played to its end; a play stopped
    there went round a loop, and the loop is reported as having no way out
    only when `_trapped` proves it from a situation the play came back to.
    """
    rng = random.Random(seed)
    place_ids = machine.place_ids
    n_scenes = machine.n_scenes
    bits_slot = machine.bits_slot
    cyclic = is_cyclic(machine)
    steps = max(MAX_STEPS, n_scenes + 1)
    proofs = _Proofs()

    def keep(path: list[int]) -> int:
        result.sampled.append(list(path))
        return -len(result.sampled)

    for play in range(samples):
        if not budget.charge(0):
            break
        result.samples = play + 1
        state = machine.start
        path: list[int] = []
        seen: dict[tuple[int, ...], int] | None = {} if cyclic else None
        again: tuple[tuple[int, ...], int] | None = None
        for _ in range(steps):
            at = state[0]
            if seen is not None:
                if state in proofs.trapped:  # a loop already proved to have no way out: no need to go round
                    result.long_plays += 1
                    proofs.explained += 1
                    break
                if state in seen:
                    again = state, len(path)
                else:
                    seen[state] = len(path)
            spent = _observe(machine, result, state)
            if machine.met is not None and at < n_scenes:
                for kind, index, bits in machine.met.visit(state, machine.taken_slot)[1]:
                    for character in machine.met.characters(bits):
                        if (kind, place_ids[at], index, character) not in result.named_early:
                            result.named_early[kind, place_ids[at], index, character] = keep(path)
            if place_ids[at] not in result.places:
                result.places.add(place_ids[at])
                result.first_state[place_ids[at]] = keep(path)
            if at >= n_scenes:
                if (place_ids[at], state[bits_slot]) not in result.finishes:
                    result.finishes[place_ids[at], state[bits_slot]] = keep(path)
                break
            open_ = machine.open_rules(state)
            for rule in open_:
                result.held[rule.gid] = 1
            if not open_:
                if place_ids[at] not in result.stuck:
                    result.stuck[place_ids[at]] = keep(path)
                break
            rule = open_[rng.randrange(len(open_))]
            path.append(rule.gid)
            if rule.target < 0:
                result.picks += 1
                _note_pick(machine, result, state, rule)
            state = machine.step(state, rule)
            if not budget.charge(spent):
                break
        else:
            result.long_plays += 1
            if again is not None and not proofs.known(again[0]):
                if proofs.prove(machine, again[0], budget) is not None:
                    _sampled_trap(machine, result, path[:again[1]], proofs, budget, keep)
        if budget.stopped:
            result.stopped = budget.stopped
            break
    result.unproved_loops = result.long_plays - proofs.explained


class _Proofs:
    """What the attempts to prove a loop has no way out found: the situations proved trapped, and those from
    which an ending or a dead end was found (so no play that comes back to them is tried again)."""

    def __init__(self) -> None:
        self.trapped: set[tuple[int, ...]] = set()
        self.free: set[tuple[int, ...]] = set()
        self.tries = 0
        self.explained = 0

    def known(self, state: tuple[int, ...]) -> bool:
        if state in self.trapped:
            self.explained += 1
            return True
        return state in self.free or self.tries >= PROOFS

    def prove(self, machine: Machine, state: tuple[int, ...], budget: Budget,
              counted: bool = True) -> set[tuple[int, ...]] | None:
        """Every situation reachable from `state`, when none of them is an ending or a dead end (proof that
        a play there can never end); None when a way out is found or the search is cut short. `counted`:
        whether this attempt counts against PROOFS and explains a play."""
        self.tries += counted
        found = {state}
        queue = deque([state])
        spent = 0
        while queue:
            here = queue.popleft()
            open_ = machine.open_rules(here)
            if not open_:  # an ending, or a dead end: a way out of the loop (SC113 reports dead ends)
                self.free.add(state)
                return None
            spent += machine.scene_cost[here[0]]
            if spent >= CHECK_EVERY:
                if not budget.charge(spent):
                    return None
                spent = 0
            for rule in open_:
                there = machine.step(here, rule)
                if there not in found and there not in self.trapped:
                    if len(found) >= PROOF_STATES:
                        budget.charge(spent)
                        return None
                    found.add(there)
                    queue.append(there)
        budget.charge(spent)
        self.trapped |= found
        self.explained += counted
        return found


def _sampled_trap(machine: Machine, result: Exploration, path: list[int], proofs: _Proofs, budget: Budget,
                  keep: Callable[[list[int]], int]) -> None:
    """Record the choice by which the sampled play `path` entered a proved trap; the example kept is the whole
    of `path`, which comes back to a situation it has been in.

    The proof started where the play came back to; the trap may begin earlier on the play's way, so each
    situation before it is tried in turn, back to the first from which an ending can still be reached.
    """
    rules = machine.rules
    states = [machine.start]
    for gid in path:
        states.append(machine.step(states[-1], rules[gid]))
    entry = next(i for i, state in enumerate(states) if state in proofs.trapped)
    while entry > 0 and (states[entry - 1] in proofs.trapped
                         or proofs.prove(machine, states[entry - 1], budget, counted=False) is not None):
        entry -= 1
    if entry == 0:
        result.traps.setdefault((result.scenario.start, -1), keep(path))
        return
    rule = rules[path[entry - 1]]
    where = (machine.place_ids[rule.scene], rule.index)
    if where not in result.traps:
        result.traps[where] = keep(path)


def _observe(machine: Machine, result: Exploration, state: tuple[int, ...]) -> int:
    """Record the facts of one situation met by a sampled play; returns the work it took."""
    at = state[0]
    pid = machine.place_ids[at]
    found = -1
    for k, (test, _) in enumerate(machine.variants[at]):
        if test(state):
            result.variant_held.add((pid, k))
            if found < 0:
                found = k
    if found >= 0:
        result.variant_shown.add((pid, found))
    for meter, slot in machine.meter_slot.items():
        value = state[slot]
        low, high = result.sampled_range.get(meter, (value, value))
        result.sampled_range[meter] = (min(low, value), max(high, value))
    if at >= machine.n_scenes:
        return 1
    for k, test in machine.messages[at]:
        if test is not None and test(state):
            result.message_held.add((pid, k))
    taken = state[machine.taken_slot]
    for rule in machine.rows[at]:
        if not (rule.once and taken & rule.once):
            result.shown[rule.gid] = 1
    return machine.scene_cost[at]


def _note_pick(machine: Machine, result: Exploration, state: tuple[int, ...], rule: Rule) -> None:
    """What `@ending` sees after `rule` in `state`: every `when` that holds, and the ending picked."""
    values = list(state)
    for slot, delta, low, high in rule.effects:
        value = values[slot] + delta
        values[slot] = low if value < low else high if value > high else value
    values[machine.flag_slot] = (values[machine.flag_slot] | rule.set_bits) & rule.keep_bits
    chosen = None
    for place, when, _ in machine.endings:
        if when is None or when(values):
            if when is not None:
                result.when_held.add(machine.place_ids[place])
            chosen = chosen or machine.place_ids[place]
    result.picked.add(chosen)
    result.picked_by.setdefault((machine.place_ids[rule.scene], rule.index), set()).add(chosen)
