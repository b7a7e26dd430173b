"""A scenario compiled for exploring: each situation a flat tuple of small whole numbers.

The engine's State (dicts of meters and visits, frozensets of flags) is right
for play, where there is one of it at a time. Exploring every play of a story
makes hundreds of thousands of them, so the deep checks run on this compiled
form instead: one tuple per situation,

    (place, meter..., flags, visit count..., once-only choices taken, ethics bits)

where `place` numbers the scenes and then the endings, flags and once-only
choices are bits of one number each, and visit counts are kept only for the
scenes some condition reads (up to one more than the largest number they are
compared with: above that every comparison comes out the same). The ethics bits
record whether the play so far has taken a tactic (TACTIC) or ignored advice
(IGNORED), so the checks can ask about every path to an ending, not one.

Conditions are compiled again from their parsed trees into tests on the tuple
(`game.analysis.conditions`), and `Machine.step` follows `game.engine.apply_choice` rule for rule (effects
clamped, then flags set and cleared, once-only choices marked, `@ending`
judged on the meters and flags after the effects and the visits before, then
the visit counted). Tests compare what it reaches with a naive walk through
the engine.

With `merge=True` (the deep checks), each place also forgets what nothing
after it can tell apart: a flag, visit count, once-only mark or ethics bit that
no condition or check at that place or anywhere reachable from it reads is
zeroed. Two situations that differ only there behave the same from then on, so
every fact the checks ask about (what is reached, what holds where, what gets
stuck or loops, which ending follows which kind of play) comes out exactly as
without merging, from fewer situations. Meters are always kept whole, since the
checks report the range each one really reaches.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from game.analysis.cast import MetRules
from game.analysis.conditions import Test, compile_test, conditions, node_size, reads, tactic_flag, visit_caps
from game.expr import Node
from game.model import AUTO_ENDING, Choice, Scenario

TACTIC = 1
"""Ethics bit: the play has taken a choice that follows advice marked `manipulative`."""

IGNORED = 2
"""Ethics bit: the play has taken a choice that ignores advice (a tactic it turns down does not count)."""

GOOD_FOR_TACTIC = ("hopeful",)
"""Tones no play that took a tactic may end on (and `warm` with outcome `together`)."""

BAD_TONES = ("hard", "grim")
"""Tones no play that ignored nothing and took no tactic may end on."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: building and exploring make many small objects and no cycles,
    and a collector that keeps rescanning a growing heap turns linear work quadratic."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def rewards_tactic(ending) -> bool:
    """Whether reaching this ending after a tactic would reward it (hopeful, or together and warm)."""
    return ending.tone in GOOD_FOR_TACTIC or (ending.outcome == "together" and ending.tone == "warm")


class Rule:
    """One choice, compiled: what it needs, what it does, where it goes."""

    __slots__ = ("gid", "scene", "index", "choice", "test", "cost", "once", "effects", "set_bits", "keep_bits",
                 "target", "bits")

    def __init__(self, gid: int, scene: int, choice: Choice):
        self.gid = gid
        self.scene = scene
        self.index = choice.index
        self.choice = choice
        self.test: Test | None = None
        self.cost = 1
        self.once = 0
        self.effects: tuple[tuple[int, int, int, int], ...] = ()
        self.set_bits = 0
        self.keep_bits = -1
        self.target = -1
        self.bits = 0


class Machine:
    """The compiled scenario: places, slots, rules, and how to step from one situation to the next."""

    def __init__(self, scenario: Scenario, merge: bool = True, ethics: bool = True, cast: bool | None = None):
        with paused_gc():
            self._build_machine(scenario, merge, ethics, ethics if cast is None else cast)

    def _build_machine(self, scenario: Scenario, merge: bool, ethics: bool, cast: bool) -> None:
        self.scenario = scenario
        self.merge = merge
        self.ethics = ethics
        self.place_ids: list[str] = [*scenario.scenes, *scenario.endings]
        self.place = {pid: i for i, pid in enumerate(self.place_ids)}
        self.n_scenes = len(scenario.scenes)
        meters = scenario.meters
        self.meter_slot = {m.id: 1 + i for i, m in enumerate(meters)}
        self.meter_range = [(m.min, m.max) for m in meters]
        self.flag_slot = 1 + len(meters)
        self.flag_bit = {f: 1 << i for i, f in enumerate(scenario.flags)}
        for name in sorted({tactic_flag(advice) for c in conditions(scenario) for kind, advice in c.names()
                            if kind == "tactic"}):  # `tactic` in a condition: a flag the tactic's choices set
            self.flag_bit[name] = 1 << len(self.flag_bit)
        caps = visit_caps(scenario)
        self.visit_slot: dict[str, int] = {}
        self.visit_cap: dict[int, int | None] = {}
        for k, (scene_id, cap) in enumerate(sorted(caps.items())):
            slot = self.flag_slot + 1 + k
            self.visit_slot[scene_id] = slot
            self.visit_cap[slot] = cap
        self.taken_slot = self.flag_slot + 1 + len(caps)
        self.bits_slot = self.taken_slot + 1
        self.width = self.bits_slot + 1
        self._compiled: dict[Node, Test] = {}

        self.rules: list[Rule] = []
        self.rows: list[list[Rule]] = []
        once = 0
        advice = scenario.advice
        for s, scene in enumerate(scenario.scenes.values()):
            row = []
            for choice in scene.choices:
                rule = Rule(len(self.rules), s, choice)
                if choice.condition is not None:
                    rule.test = self.compile(choice.condition.node)
                    rule.cost = 1 + node_size(choice.condition.node)
                if choice.once:
                    rule.once = 1 << once
                    once += 1
                rule.effects = tuple((self.meter_slot[m], d, *self.meter_range[self.meter_slot[m] - 1])
                                     for m, d in choice.effects)
                for flag in choice.set_flags:
                    rule.set_bits |= self.flag_bit[flag]
                for used in (a for a in choice.follows if advice[a].manipulative):
                    rule.set_bits |= self.flag_bit.get(tactic_flag(used), 0) | self.flag_bit.get(tactic_flag(""), 0)
                for flag in choice.clear_flags:
                    rule.keep_bits &= ~self.flag_bit[flag]
                rule.target = -1 if choice.goto == AUTO_ENDING else self.place[choice.goto]
                if ethics:
                    if any(advice[a].manipulative for a in choice.follows if a in advice):
                        rule.bits |= TACTIC
                    if any(not advice[a].manipulative for a in choice.ignores if a in advice):
                        rule.bits |= IGNORED
                self.rules.append(rule)
                row.append(rule)
            self.rows.append(row)
        self.endings: list[tuple[int, Test | None, int]] = [
            (self.place[e.id], self.compile(e.when.node) if e.when else None,
             node_size(e.when.node) if e.when else 0)
            for e in scenario.endings.values()]
        self.variants: list[list[tuple[Test, int]]] = []
        for pid in self.place_ids:
            place = scenario.scenes.get(pid) or scenario.endings[pid]
            self.variants.append([(self.compile(v.condition.node), node_size(v.condition.node))
                                  for v in place.variants])
        self.messages: list[list[tuple[int, Test | None]]] = [
            [(i, self.compile(m.condition.node) if m.condition else None) for i, m in enumerate(scene.messages)]
            for scene in scenario.scenes.values()]
        self.scene_cost = [sum(r.cost for r in row) + sum(c for _, c in self.variants[s])
                           + sum(1 for _, t in self.messages[s] if t is not None)
                           for s, row in enumerate(self.rows)]

        self.canon: list[tuple | None] = [None] * len(self.place_ids)
        if merge:
            self._liveness()
        self.met: MetRules | None = None
        if cast and scenario.cast:
            rules = MetRules(scenario, self.place_ids, self.n_scenes, self.rows, self.variants, self.messages,
                             self.successors(), self.width)
            if rules.needed:
                self.met = rules
                self.width += 1
        self.fast_rows = [[self._fast(rule) for rule in row] for row in self.rows]
        start = [0] * self.width
        start[0] = self.place[scenario.start]
        for meter in meters:
            start[self.meter_slot[meter.id]] = meter.start
        slot = self.visit_slot.get(scenario.start)
        if slot is not None:
            cap = self.visit_cap[slot]
            start[slot] = 1 if cap is None else min(1, cap)
        self.start = self.canonical(start)

    # -- conditions ------------------------------------------------------------------

    def compile(self, node: Node) -> Test:
        """A test on a situation tuple, equal to the condition's own test on the engine's Env."""
        found = self._compiled.get(node)
        if found is None:
            found = self._compiled[node] = compile_test(node, self.meter_slot, self.visit_slot, self.flag_slot,
                                                        self.flag_bit)
        return found

    def slots_read(self, node: Node) -> tuple[set[int], int]:
        """The meter and visit slots, and the flag bits, a condition reads."""
        slots: set[int] = set()
        flags = 0
        for kind, name in reads(node, set()):
            if kind == "meter":
                slots.add(self.meter_slot[name])
            elif kind == "visits":
                slots.add(self.visit_slot[name])
            else:
                flags |= self.flag_bit[name]
        return slots, flags

    # -- what later play can tell apart ---------------------------------------------

    def _liveness(self) -> None:
        """For each place, zero what no condition or check at it or after it reads (see the module docstring)."""
        scenario = self.scenario
        count = len(self.place_ids)
        slots: list[set[int]] = [set() for _ in range(count)]
        flags = [0] * count
        taken = [0] * count
        bits = [0] * count
        succ: list[set[int]] = [set() for _ in range(count)]
        ending_places = [p for p, _, _ in self.endings]
        when_slots: set[int] = set()
        when_flags = 0
        for ending in scenario.endings.values():
            if ending.when is not None:
                more, more_flags = self.slots_read(ending.when.node)
                when_slots |= more
                when_flags |= more_flags
        for s, scene in enumerate(scenario.scenes.values()):
            nodes = [c.condition.node for c in scene.choices if c.condition]
            nodes += [v.condition.node for v in scene.variants]
            nodes += [m.condition.node for m in scene.messages if m.condition]
            for rule in self.rows[s]:
                taken[s] |= rule.once
                if rule.target < 0:
                    succ[s].update(ending_places)
                    slots[s] |= when_slots
                    flags[s] |= when_flags
                else:
                    succ[s].add(rule.target)
            for node in nodes:
                more, more_flags = self.slots_read(node)
                slots[s] |= more
                flags[s] |= more_flags
        for ending in scenario.endings.values():
            p = self.place[ending.id]
            for variant in ending.variants:
                more, more_flags = self.slots_read(variant.condition.node)
                slots[p] |= more
                flags[p] |= more_flags
            if self.ethics:
                if rewards_tactic(ending):
                    bits[p] |= TACTIC
                if ending.tone in BAD_TONES:
                    bits[p] |= TACTIC | IGNORED
        preds: list[list[int]] = [[] for _ in range(count)]
        for p, targets in enumerate(succ):
            for t in targets:
                preds[t].append(p)
        work = list(range(count))
        queued = [True] * count
        while work:
            t = work.pop()
            queued[t] = False
            for p in preds[t]:
                grown = False
                if not slots[t] <= slots[p]:
                    slots[p] |= slots[t]
                    grown = True
                for mine, theirs in ((flags, flags[t]), (taken, taken[t]), (bits, bits[t])):
                    if theirs & ~mine[p]:
                        mine[p] |= theirs
                        grown = True
                if grown and not queued[p]:
                    queued[p] = True
                    work.append(p)
        all_visits = set(self.visit_slot.values())
        all_flags = (1 << len(self.flag_bit)) - 1
        all_taken = (1 << sum(1 for r in self.rules if r.once)) - 1
        for p in range(count):
            dead_visits = tuple(sorted(all_visits - slots[p]))
            keep = (dead_visits, flags[p] if flags[p] != all_flags else -1,
                    taken[p] if taken[p] != all_taken else -1, bits[p] if bits[p] != TACTIC | IGNORED else -1)
            if dead_visits or keep[1] != -1 or keep[2] != -1 or keep[3] != -1:
                self.canon[p] = keep

    def _fast(self, rule: Rule) -> tuple:
        """A rule as one flat tuple for the exploration's hot loop, with its target's forgetting folded in:

        (gid, test, once, effects, set_bits, flag_keep, taken_keep, bits, bits_keep, target, visit_slot,
        visit_cap, dead_slots). For `@ending` (target -1) the masks keep everything; the loop applies the
        picked ending's own after the pick.
        """
        flag_keep, taken_keep, bits_keep, dead, slot, cap = rule.keep_bits, -1, -1, (), 0, None
        if rule.target >= 0:
            keep = self.canon[rule.target]
            if keep is not None:
                dead, flags, taken_keep, bits_keep = keep
                flag_keep &= flags
            slot = self.visit_slot.get(self.place_ids[rule.target], 0)
            cap = self.visit_cap.get(slot)
        return (rule.gid, rule.test, rule.once, rule.effects, rule.set_bits, flag_keep, taken_keep, rule.bits,
                bits_keep, rule.target, slot, cap, dead)

    def kept_bits(self, place_id: str) -> int:
        """The ethics bits a place keeps (all of them unless merging drops what no check there reads)."""
        keep = self.canon[self.place[place_id]]
        return TACTIC | IGNORED if keep is None or keep[3] == -1 else keep[3]

    def successors(self) -> list[set[int]]:
        """For each place, the places a choice there can lead to (`@ending`: every ending)."""
        endings = {p for p, _, _ in self.endings}
        succ: list[set[int]] = [set() for _ in self.place_ids]
        for rule in self.rules:
            succ[rule.scene] |= endings if rule.target < 0 else {rule.target}
        return succ

    def canonical(self, values: list[int]) -> tuple[int, ...]:
        """The situation as kept: what its place cannot tell apart zeroed."""
        if self.met is not None:
            values[self.met.slot] &= self.met.keep[values[0]]
        keep = self.canon[values[0]]
        if keep is not None:
            dead, flag_keep, taken_keep, bits_keep = keep
            for slot in dead:
                values[slot] = 0
            values[self.flag_slot] &= flag_keep
            values[self.taken_slot] &= taken_keep
            values[self.bits_slot] &= bits_keep
        return tuple(values)

    # -- moving ----------------------------------------------------------------------

    def pick(self, values) -> int:
        """The ending `@ending` picks in this situation (the first whose `when` holds)."""
        for place, test, _ in self.endings:
            if test is None or test(values):
                return place
        raise AssertionError("no ending's condition holds")  # pragma: no cover - the loader prevents it

    def step(self, state: tuple[int, ...], rule: Rule) -> tuple[int, ...]:
        """The situation after taking `rule` in `state`: `game.engine.apply_choice` on tuples."""
        values = list(state)
        if self.met is not None:
            values[self.met.slot] = self.met.visit(state, self.taken_slot)[0]
        for slot, delta, low, high in rule.effects:
            value = values[slot] + delta
            values[slot] = low if value < low else high if value > high else value
        if rule.set_bits or rule.keep_bits != -1:
            values[self.flag_slot] = (values[self.flag_slot] | rule.set_bits) & rule.keep_bits
        values[self.taken_slot] |= rule.once
        values[self.bits_slot] |= rule.bits
        target = rule.target if rule.target >= 0 else self.pick(values)
        slot = self.visit_slot.get(self.place_ids[target])
        if slot is not None:
            count = values[slot] + 1
            cap = self.visit_cap[slot]
            values[slot] = count if cap is None or count < cap else cap
        values[0] = target
        return self.canonical(values)

    def open_rules(self, state: tuple[int, ...]) -> list[Rule]:
        """The choices open in `state`, in file order (their positions are the numbers a player types)."""
        if state[0] >= self.n_scenes:
            return []
        taken = state[self.taken_slot]
        return [r for r in self.rows[state[0]] if not (r.once and taken & r.once) and (r.test is None or r.test(state))]


