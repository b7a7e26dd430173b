"""What one walk over a story's situations found, and how to read it back as plays.

The walk itself is `game.analysis.explore` (its hot loop fills these fields);
the checks, `path` and the tests read the result through here: each meter's
range, the choices held open, the places reached and, for any finding, an
example play as the numbers a player types.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from game.analysis.budget import DEFAULT_STATES, Budget
from game.analysis.machine import Machine, Rule
from game.engine import Option, State, apply_choice, initial_state, options
from game.model import Scenario

STATE_CAP = DEFAULT_STATES
"""Exact exploration stops here unless a budget says otherwise; past it, sampling takes over."""


class Collector:
    """Receives every reachable engine State (one per situation the rules can tell apart), for tests."""

    def state(self, state: State, shown: list[Option]) -> None:
        """A situation reached, with the options shown there."""


@attrs.frozen
class Move:
    """One step of an example play: the number the player types, where, and the choice's text."""

    number: int
    scene: str
    index: int
    text: str


@attrs.define(eq=False)
class Exploration:
    """What one walk over the situations found, and how sure it is.

    `exhaustive` is True when every reachable situation was seen. Example
    plays are references (`Ref`): a situation's id, or a negative number for
    one of the sampled plays; `example` and `play` turn them into choices.
    """

    scenario: Scenario
    machine: Machine = attrs.field(repr=False)
    budget: Budget = attrs.field(repr=False)
    exhaustive: bool = True
    cap: int = STATE_CAP
    stopped: str = ""
    """Empty, or which budget limit ended the walk: "states", "time" or "work"."""
    samples: int = 0
    long_plays: int = 0
    """Sampled plays stopped for going on too long: each came back to a scene it had left (a loop)."""
    unproved_loops: int = 0
    """Of those, the plays whose loop was not proved to have no way out (within the budget)."""
    seconds: float = 0.0
    places: set[str] = attrs.field(factory=set)
    open_choices: set[tuple[str, int]] = attrs.field(factory=set)
    stuck: dict[str, int] = attrs.field(factory=dict)
    """scene -> a situation (or sampled play) stuck there."""
    traps: dict[tuple[str, int], int] = attrs.field(factory=dict)
    """(scene, choice index) leading into a loop no ending can be reached from -> the situation it leads to;
    (start, -1) when no play can ever end."""
    first_state: dict[str, int] = attrs.field(factory=dict)
    """place -> the first situation found there (the shortest play, as the walk is breadth first)."""
    finishes: dict[tuple[str, int], int] = attrs.field(factory=dict)
    """(ending, ethics bits) -> the first play found that ends there with those bits."""
    named_early: dict[tuple[str, str, int, str], int] = attrs.field(factory=dict)
    """("choice" or "message", scene, its index, character) -> the first situation found where that text
    names the character before the play has met them (SC150)."""
    nodes: list[tuple[int, ...]] = attrs.field(factory=list, repr=False)
    parent: list[int] = attrs.field(factory=list, repr=False)
    via: list[int] = attrs.field(factory=list, repr=False)
    sampled: list[list[int]] = attrs.field(factory=list, repr=False)
    # facts, by rule (gid), variant, message and ending number
    shown: bytearray = attrs.field(factory=bytearray, repr=False)
    held: bytearray = attrs.field(factory=bytearray, repr=False)
    variant_held: set[tuple[str, int]] = attrs.field(factory=set, repr=False)
    variant_shown: set[tuple[str, int]] = attrs.field(factory=set, repr=False)
    message_held: set[tuple[str, int]] = attrs.field(factory=set, repr=False)
    picks: int = 0
    when_held: set[str] = attrs.field(factory=set, repr=False)
    picked: set[str] = attrs.field(factory=set, repr=False)
    picked_by: dict[tuple[str, int], set[str]] = attrs.field(factory=dict, repr=False)
    """(scene, choice index) of a choice with `goto = "@ending"` -> the endings it picked in the plays found."""
    sampled_range: dict[str, tuple[int, int]] = attrs.field(factory=dict, repr=False)
    _range: dict[str, tuple[int, int]] | None = attrs.field(default=None, repr=False)

    def _ranges(self) -> dict[str, tuple[int, int]]:
        """Each meter's lowest and highest value in any situation found (worked out when first asked)."""
        if self._range is None:
            found = {}
            for meter, slot in self.machine.meter_slot.items():
                values = [node[slot] for node in self.nodes]
                low, high = min(values), max(values)
                more = self.sampled_range.get(meter)
                if more:
                    low, high = min(low, more[0]), max(high, more[1])
                found[meter] = (low, high)
            self._range = found
        return self._range

    @property
    def low(self) -> dict[str, int]:
        return {meter: span[0] for meter, span in self._ranges().items()}

    @property
    def high(self) -> dict[str, int]:
        return {meter: span[1] for meter, span in self._ranges().items()}

    @property
    def states(self) -> int:
        return len(self.nodes)

    def rules_to(self, ref: int) -> list[Rule]:
        """The choices (compiled rules) of the example play `ref`, from the start."""
        rules = self.machine.rules
        if ref < 0:
            return [rules[g] for g in self.sampled[-ref - 1]]
        gids: list[int] = []
        while ref > 0:
            gids.append(self.via[ref])
            ref = self.parent[ref]
        return [rules[g] for g in reversed(gids)]

    def play(self, ref: int) -> list[Move]:
        """The example play `ref` as the player makes it: each choice's typed number, scene and text."""
        machine = self.machine
        state = machine.start
        moves = []
        for rule in self.rules_to(ref):
            number = machine.open_rules(state).index(rule) + 1
            moves.append(Move(number, machine.place_ids[rule.scene], rule.index, rule.choice.text))
            state = machine.step(state, rule)
        return moves

    def example(self, ref: int) -> list[int]:
        """The option numbers, as a player types them, of the example play `ref`."""
        return [move.number for move in self.play(ref)]

    def engine_states(self) -> Iterator[tuple[State, list[Option]]]:
        """Each situation found as a real engine State (reached by the first play found), with its options."""
        scenario = self.scenario
        states: list[State] = []
        for i in range(len(self.nodes)):
            if i == 0:
                state = initial_state(scenario)
            else:
                state = apply_choice(scenario, states[self.parent[i]], self.machine.rules[self.via[i]].choice)
            states.append(state)
            yield state, options(scenario, state)
