"""Walk every situation a play can reach, once, and gather every fact the checks ask about.

The checks ask questions like "can any play reach this ending?", "does this
condition ever hold here?" and "can a play that took a tactic end hopeful?".
Answering them by hand-written reasoning about conditions would be a second
idea of the rules that could drift from the game; instead every open choice is
taken from every reachable situation, breadth first, with the rules of
`game.engine` compiled onto tuples (`game.analysis.machine`; tests compare the
two). One walk answers every question: the deep checks, `path` and the tests
all read the same Exploration (`game.analysis.exploration`).

Situations are told apart only by what the rules can still see (see
`game.analysis.machine`), so a story with scenes you come back to has finitely
many, and the answers are exact: nothing a play could do is merged away.

Every walk runs on a Budget (`game.analysis.budget`). When the budget's
limit on states is reached, the walk stops adding situations and plays seeded
random games with what is left; when time or work runs out it stops at once.
Either way `exhaustive` is False, `stopped` says why, and findings about what
never happens mean "not seen", not "impossible".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from game.analysis.budget import Budget
from game.analysis.conditions import conditions, visit_caps
from game.analysis.exploration import STATE_CAP, Collector, Exploration, Move
from game.analysis.machine import Machine, paused_gc
from game.analysis.sampling import MAX_STEPS, is_cyclic, sample
from game.engine import State
from game.model import Scenario

__all__ = ["MAX_STEPS", "SAMPLES", "STATE_CAP", "Collector", "Exploration", "Move", "conditions", "explore",
           "state_key"]

SAMPLES = 3_000
"""Random plays run after the state limit is hit."""

def state_key(scenario: Scenario) -> Callable[[State], tuple]:
    """The part of an engine State the rules can see: the place, meters, flags, once-only choices taken,
    and visit counts only where a condition reads them (capped where more would compare the same)."""
    caps = sorted(visit_caps(scenario).items())
    read = sorted({advice for c in conditions(scenario) for kind, advice in c.names() if kind == "tactic"})

    def key(state: State) -> tuple:
        visits = state.visits
        seen = tuple(
            visits.get(scene, 0) if cap is None else min(visits.get(scene, 0), cap) for scene, cap in caps
        )
        tactics = tuple(bool(state.tactics) if not advice else advice in state.tactics for advice in read)
        return state.at, tuple(state.meters.values()), state.flags, seen, state.taken, tactics

    return key


def explore(scenario: Scenario, collector: Collector | None = None, cap: int | None = None, *,
            budget: Budget | None = None, machine: Machine | None = None, samples: int = SAMPLES,
            seed: int = 0) -> Exploration:
    """Visit every reachable situation breadth first, within the budget, then sample if states ran out.

    `cap` limits the states (as `budget.states` does; the smaller wins). With
    a `collector`, every situation is also handed over as a real engine State,
    and nothing is merged (so each combination of flags and once-only choices
    is its own State, as tests expect).
    """
    budget = budget if budget is not None else Budget()
    budget.start()
    began = budget.elapsed
    if machine is None:
        full = collector is not None
        machine = Machine(scenario, merge=not full, ethics=not full)
    limit = budget.states if cap is None else min(cap, budget.states)
    result = Exploration(scenario, machine, budget, cap=limit)
    with paused_gc():
        _walk(machine, result, budget, limit)
        if result.stopped == "states":
            sample(machine, result, budget, samples, seed)
        _close(machine, result)
    result.seconds = budget.elapsed - began
    if collector is not None:
        for state, shown in result.engine_states():
            collector.state(state, shown)
    return result


def _walk(machine: Machine, result: Exploration, budget: Budget, limit: int) -> None:
    """The breadth-first walk (the hot loop: everything it needs is a local name)."""
    rows, variants, messages = machine.fast_rows, machine.variants, machine.messages
    scene_cost = machine.scene_cost
    endings = machine.endings
    n_scenes = machine.n_scenes
    flag_slot, taken_slot, bits_slot = machine.flag_slot, machine.taken_slot, machine.bits_slot
    visit_of = [machine.visit_slot.get(pid, 0) for pid in machine.place_ids]
    visit_cap = machine.visit_cap
    canon = machine.canon
    place_ids = machine.place_ids
    nodes, parent, via = result.nodes, result.parent, result.via
    shown = result.shown = bytearray(len(machine.rules))
    held = result.held = bytearray(len(machine.rules))
    first: dict[int, int] = {}
    reached = bytearray(len(machine.place_ids))
    finishes: dict[tuple[int, int], int] = {}
    stuck: dict[int, int] = {}
    variant_held, variant_shown = result.variant_held, result.variant_shown
    variants_left = [len(v) for v in variants]
    messages_left = [sum(1 for _, t in m if t is not None) for m in messages]
    message_held = result.message_held
    when_held = bytearray(len(endings))
    picked = bytearray(len(place_ids))
    picked_by: dict[int, set[int]] = {}
    picks = 0
    cyclic = is_cyclic(machine)
    edges: list[list[int]] | None = [] if cyclic else None
    met = machine.met
    met_slot = met.slot if met is not None else 0
    met_keep = met.keep if met is not None else []
    named_early = result.named_early
    intro = 0

    start = machine.start
    ids = {start: 0}
    nodes.append(start)
    parent.append(-1)
    via.append(-1)
    first[start[0]] = 0
    reached[start[0]] = 1
    spent = 0
    allowance = budget.allowance()
    i = 0
    full = False
    while i < len(nodes):
        state = nodes[i]
        at = state[0]
        if spent >= allowance:
            if not budget.charge(spent):
                result.stopped = budget.stopped
                result.exhaustive = False
                break
            spent = 0
            allowance = budget.allowance()
        if variants_left[at]:
            found = -1
            for k, (test, _) in enumerate(variants[at]):
                if test(state):
                    variant_held.add((place_ids[at], k))
                    if found < 0:
                        found = k
            if found >= 0 and (place_ids[at], found) not in variant_shown:
                variant_shown.add((place_ids[at], found))
                variants_left[at] -= 1
        if at >= n_scenes:
            finishes.setdefault((at, state[bits_slot]), i)
            if edges is not None:
                edges.append([])
            i += 1
            continue
        spent += scene_cost[at]
        if met is not None:
            intro, early = met.visit(state, taken_slot)
            for kind, index, bits in early:
                for character in met.characters(bits):
                    named_early.setdefault((kind, place_ids[at], index, character), i)
        if messages_left[at]:
            for k, test in messages[at]:
                if test is not None and (place_ids[at], k) not in message_held and test(state):
                    message_held.add((place_ids[at], k))
                    messages_left[at] -= 1
        taken = state[taken_slot]
        out = [] if edges is not None else None
        opened = 0
        for (gid, test, once, effects, set_bits, flag_keep, taken_keep, bits, bits_keep, target, slot, cap,
             dead) in rows[at]:
            if once and taken & once:
                continue
            shown[gid] = 1
            if test is not None and not test(state):
                continue
            opened += 1
            held[gid] = 1
            values = list(state)
            for meter, delta, low, high in effects:
                value = values[meter] + delta
                values[meter] = low if value < low else high if value > high else value
            values[flag_slot] = (values[flag_slot] | set_bits) & flag_keep
            values[taken_slot] = (taken | once) & taken_keep
            values[bits_slot] = (values[bits_slot] | bits) & bits_keep
            if target < 0:
                picks += 1
                for k, (place, when, _) in enumerate(endings):
                    if target >= 0:
                        if when is not None and not when_held[k] and when(values):
                            when_held[k] = 1
                    elif when is None:
                        target = place
                    elif when(values):
                        when_held[k] = 1
                        target = place
                picked[target] = 1
                chosen = picked_by.get(gid)
                if chosen is None:
                    picked_by[gid] = {target}
                else:
                    chosen.add(target)
                slot = visit_of[target]
                cap = visit_cap.get(slot)
                keep = canon[target]
                if keep is not None:
                    dead, flag_keep, taken_keep, bits_keep = keep
                    values[flag_slot] &= flag_keep
                    values[taken_slot] &= taken_keep
                    values[bits_slot] &= bits_keep
            if slot:
                count = values[slot] + 1
                values[slot] = count if cap is None or count < cap else cap
            for dead_slot in dead:
                values[dead_slot] = 0
            if met is not None:
                values[met_slot] = intro & met_keep[target]
            values[0] = target
            nxt = tuple(values)
            j = ids.get(nxt)
            if j is None:
                if len(nodes) >= limit:
                    full = True
                    continue
                j = ids[nxt] = len(nodes)
                nodes.append(nxt)
                parent.append(i)
                via.append(gid)
                if not reached[target]:
                    reached[target] = 1
                    first[target] = j
            if out is not None:
                out.append(j)
        if not opened and at not in stuck:
            stuck[at] = i
        if edges is not None:
            edges.append(out)
        i += 1
    budget.charge(spent)
    if full:
        result.exhaustive = False
        result.stopped = result.stopped or "states"
    result.places.update(place_ids[p] for p in first)
    result.first_state.update((place_ids[p], ref) for p, ref in first.items())
    result.finishes.update(((place_ids[p], bits), ref) for (p, bits), ref in finishes.items())
    result.stuck.update((place_ids[p], ref) for p, ref in stuck.items())
    result.picks = picks
    result.when_held.update(place_ids[p] for k, (p, _, _) in enumerate(endings) if when_held[k])
    result.picked.update(place_ids[p] for p in range(len(place_ids)) if picked[p])
    rules = machine.rules
    for gid, places in picked_by.items():
        result.picked_by.setdefault((place_ids[rules[gid].scene], rules[gid].index), set()).update(
            place_ids[p] for p in places)
    if edges is not None and result.exhaustive:
        _find_traps(machine, result, edges, set(stuck.values()))


def _find_traps(machine: Machine, result: Exploration, edges: list[list[int]], stuck_ids: set[int]) -> None:
    """Find the choices that lead into loops from which no ending and no dead end can be reached."""
    count = len(edges)
    back: list[list[int]] = [[] for _ in range(count)]
    for source, targets in enumerate(edges):
        for target in targets:
            back[target].append(source)
    n_scenes = machine.n_scenes
    nodes = result.nodes
    escapes = bytearray(count)
    queue = deque(i for i in range(count) if nodes[i][0] >= n_scenes or i in stuck_ids or not edges[i])
    for i in queue:
        escapes[i] = 1
    while queue:
        node = queue.popleft()
        for source in back[node]:
            if not escapes[source]:
                escapes[source] = 1
                queue.append(source)
    if not escapes[0]:
        result.traps.setdefault((result.scenario.start, -1), 0)
    for source, targets in enumerate(edges):
        if not escapes[source] or all(escapes[t] for t in targets):
            continue
        state = nodes[source]
        for rule, target in zip(machine.open_rules(state), targets, strict=True):
            if not escapes[target]:
                result.traps.setdefault((machine.place_ids[state[0]], rule.index), target)


def _close(machine: Machine, result: Exploration) -> None:
    """The facts every check reads, in the scenario's own terms."""
    for rule in machine.rules:
        if result.held[rule.gid]:
            result.open_choices.add((machine.place_ids[rule.scene], rule.index))

