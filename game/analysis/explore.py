"""Walk every state a play can reach, with the real engine rules.

The checks ask questions like "can any play reach this ending?" and "does this
condition ever hold here?". Answering them by hand-written reasoning about
conditions would be a second idea of the rules that could drift from the game;
instead this module takes every open choice from every reachable state with
`game.engine.options` and `apply_choice`, the functions play itself uses.

States are told apart by what the rules can see. Two plays that stand in the
same place with the same meters, flags and once-only choices behave the same
from there on, unless a condition reads a visit count, so visit counts are kept
only for the scenes some condition reads, and only up to one more than the
largest number they are compared with (above that every comparison comes out
the same). Without this, a story with a scene you can come back to would have
endless states. The result is exact: nothing a play could do is merged away.

When even that space is larger than the cap, exploration stops adding states
and falls back to seeded random plays, and says so: its findings are then
"not seen", not "impossible".
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable, Sequence

import attrs

from game.engine import Option, State, apply_choice, initial_state, options
from game.expr import Condition, Env
from game.model import AUTO_ENDING, Scenario

STATE_CAP = 200_000
"""Exact exploration stops here; past it, sampling takes over."""

SAMPLES = 3_000
"""Random plays run after the cap is hit."""

MAX_STEPS = 500
"""A sampled play longer than this is taken to be going round in circles."""

Policy = Callable[[State, list[Option]], Sequence[Option]]
"""Narrows the open options to those a persona would take (all of them by default)."""


def conditions(scenario: Scenario) -> Iterable[Condition]:
    """Every condition in the scenario: choices, text variants, messages, endings."""
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.condition is not None:
                yield choice.condition
        for variant in scene.variants:
            yield variant.condition
        for message in scene.messages:
            if message.condition is not None:
                yield message.condition
    for ending in scenario.endings.values():
        if ending.when is not None:
            yield ending.when
        for variant in ending.variants:
            yield variant.condition


def _visit_caps(scenario: Scenario) -> dict[str, int | None]:
    """For each scene whose visits a condition reads: the count above which they stop mattering.

    None means the count is compared with something other than a plain number,
    so it is kept whole.
    """
    caps: dict[str, int | None] = {}

    def walk(node: tuple) -> None:
        tag = node[0]
        if tag == "visits":
            caps.setdefault(node[1], 0)
        elif tag == "cmp":
            left, right = node[2], node[3]
            for mine, other in ((left, right), (right, left)):
                if mine[0] == "visits":
                    if other[0] == "num" and caps.get(mine[1], 0) is not None:
                        caps[mine[1]] = max(caps.get(mine[1], 0) or 0, other[1] + 1)
                    elif other[0] != "num":
                        caps[mine[1]] = None
            walk(left)
            walk(right)
        else:
            for child in node[1:]:
                if isinstance(child, tuple):
                    walk(child)

    for condition in conditions(scenario):
        walk(condition.node)
    # a visits count compared with another one needs no cap beyond both being read
    return caps


def state_key(scenario: Scenario) -> Callable[[State], tuple]:
    """The part of a State the rules can see (see the module docstring)."""
    caps = sorted(_visit_caps(scenario).items())

    def key(state: State) -> tuple:
        visits = state.visits
        seen = tuple(
            visits.get(scene, 0) if cap is None else min(visits.get(scene, 0), cap) for scene, cap in caps
        )
        return state.at, tuple(state.meters.values()), state.flags, seen, state.taken

    return key


class Collector:
    """Receives what exploration sees; the checks subclass it to gather their facts."""

    def state(self, state: State, shown: list[Option]) -> None:
        """A state reached for the first time (or, when sampling, again)."""

    def pick(self, env: Env) -> None:
        """The story choosing an ending with `goto = "@ending"`, seeing this state."""


@attrs.define
class Exploration:
    """What a walk over the states found, and how sure it is.

    `exhaustive` is True when every reachable state was seen; otherwise the
    walk stopped at `cap` states and `samples` random plays filled in.
    """

    scenario: Scenario
    exhaustive: bool = True
    cap: int = STATE_CAP
    samples: int = 0
    long_plays: int = 0
    places: set[str] = attrs.field(factory=set)
    open_choices: set[tuple[str, int]] = attrs.field(factory=set)
    stuck: dict[str, int] = attrs.field(factory=dict)
    """scene -> id of one state stuck there (for an example path)."""
    traps: dict[tuple[str, int], int] = attrs.field(factory=dict)
    """(scene, choice index) leading into a loop no ending can be reached from -> the state it leads to."""
    parents: list[tuple[int, int]] = attrs.field(factory=list)
    """state id -> (parent id, option number taken); -1 for the start."""
    first_state: dict[str, int] = attrs.field(factory=dict)
    """place -> id of the first state found there (shortest path, as the walk is breadth first)."""

    @property
    def states(self) -> int:
        return len(self.parents)

    def example(self, state_id: int) -> list[int]:
        """The option numbers, as a player types them, that lead to a state."""
        numbers: list[int] = []
        while state_id > 0:
            state_id, number = self.parents[state_id]
            numbers.append(number)
        return numbers[::-1]


def explore(scenario: Scenario, collector: Collector | None = None, cap: int = STATE_CAP,
            policy: Policy | None = None, samples: int = SAMPLES, seed: int = 0) -> Exploration:
    """Visit every reachable state breadth first, up to `cap`, then sample.

    `policy` restricts which open options are taken (for personas); the checks
    still see every option shown.
    """
    collector = collector or Collector()
    key = state_key(scenario)
    result = Exploration(scenario, cap=cap)
    start = initial_state(scenario)
    ids: dict[tuple, int] = {key(start): 0}
    result.parents.append((-1, 0))
    result.first_state[start.at] = 0
    result.places.add(start.at)
    successors: list[list[tuple[int, int]]] = []
    terminal: list[bool] = []
    queue: deque[tuple[int, State]] = deque([(0, start)])
    while queue:
        state_id, state = queue.popleft()
        successors.extend([] for _ in range(state_id + 1 - len(successors)))
        terminal.extend(False for _ in range(state_id + 1 - len(terminal)))
        taken = _offer(scenario, state, collector, policy, result)
        if taken is None:
            terminal[state_id] = True
            continue
        edges = successors[state_id]
        for option in taken:
            nxt = _take(scenario, state, option, collector)
            nxt_key = key(nxt)
            nxt_id = ids.get(nxt_key)
            if nxt_id is None:
                if len(ids) >= cap:
                    result.exhaustive = False
                    continue
                nxt_id = ids[nxt_key] = len(ids)
                result.parents.append((state_id, option.number or 0))
                result.first_state.setdefault(nxt.at, nxt_id)
                result.places.add(nxt.at)
                queue.append((nxt_id, nxt))
            edges.append((option.choice.index, nxt_id))
        if not taken:
            result.stuck.setdefault(state.at, state_id)
    successors.extend([] for _ in range(len(ids) - len(successors)))
    terminal.extend(False for _ in range(len(ids) - len(terminal)))
    if result.exhaustive:
        _find_traps(result, successors, terminal)
    else:
        _sample(scenario, collector, policy, result, samples, seed)
    return result


def _offer(scenario: Scenario, state: State, collector: Collector, policy: Policy | None,
           result: Exploration) -> list[Option] | None:
    """Report a state and return the options to take from it (None at an ending)."""
    if state.at in scenario.endings:
        collector.state(state, [])
        return None
    shown = options(scenario, state)
    collector.state(state, shown)
    open_ = [o for o in shown if o.available]
    taken = policy(state, open_) if policy and open_ else open_
    for option in taken:
        result.open_choices.add((state.at, option.choice.index))
    return taken


def _take(scenario: Scenario, state: State, option: Option, collector: Collector) -> State:
    """The engine's next state, telling the collector when the story picks an ending."""
    nxt = apply_choice(scenario, state, option.choice)
    if option.choice.goto == AUTO_ENDING:
        collector.pick(Env(nxt.meters, nxt.flags, state.visits))
    return nxt


def _find_traps(result: Exploration, successors: list[list[tuple[int, int]]], terminal: list[bool]) -> None:
    """Find the choices that lead into loops from which no ending and no dead end can be reached."""
    count = len(successors)
    back: list[list[int]] = [[] for _ in range(count)]
    for source, edges in enumerate(successors):
        for _, target in edges:
            back[target].append(source)
    stuck_ids = set(result.stuck.values())
    stuck_ids |= {i for i in range(count) if not terminal[i] and not successors[i]}
    escapes = [False] * count
    queue = deque(i for i in range(count) if terminal[i] or i in stuck_ids)
    for i in queue:
        escapes[i] = True
    while queue:
        node = queue.popleft()
        for source in back[node]:
            if not escapes[source]:
                escapes[source] = True
                queue.append(source)
    scene_of = _scene_of(result)
    if not escapes[0]:
        result.traps.setdefault((result.scenario.start, -1), 0)
    for source, edges in enumerate(successors):
        if escapes[source]:
            for index, target in edges:
                if not escapes[target]:
                    result.traps.setdefault((scene_of(source), index), target)


def _scene_of(result: Exploration) -> Callable[[int], str]:
    """The place a state id stands in, found by replaying its example path (only needed for rare reports)."""
    from game.engine import Playthrough

    def scene(state_id: int) -> str:
        play = Playthrough.begin(result.scenario)
        for number in result.example(state_id):
            play = play.choose_number(number)
        return play.state.at

    return scene


def _sample(scenario: Scenario, collector: Collector, policy: Policy | None, result: Exploration,
            samples: int, seed: int) -> None:
    """Seeded random plays, for stories too large to explore state by state."""
    rng = random.Random(seed)
    result.samples = samples
    for _ in range(samples):
        state = initial_state(scenario)
        for _step_number in range(MAX_STEPS):
            taken = _offer(scenario, state, collector, policy, result)
            result.places.add(state.at)
            if taken is None:
                break
            if not taken:
                result.stuck.setdefault(state.at, -1)
                break
            state = _take(scenario, state, taken[rng.randrange(len(taken))], collector)
        else:
            result.long_plays += 1
