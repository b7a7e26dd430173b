"""Playing a scenario: pure state in, new state out.

A Playthrough is an immutable value: `choose` returns a new one with one more
Step, and `undo`/`rewind` return a shorter one. Each Step keeps the state
before and after it, so undo costs nothing, two branches from the same
decision can be compared side by side, and a group's play can be replayed
from its path alone. No screen ever changes game state; it asks for the next
Playthrough and draws it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from game.expr import Env, suggest
from game.model import AUTO_ENDING, Choice, Ending, Message, Scenario, Scene
from game.safetext import quote


class EngineError(Exception):
    """A request the current state cannot honour (an unavailable choice, undo past the start)."""


@attrs.frozen
class State:
    """Everything the rules can see: where you are, the meters, the flags, what you have done."""

    at: str
    meters: Mapping[str, int]
    flags: frozenset[str] = frozenset()
    visits: Mapping[str, int] = attrs.field(factory=dict)
    taken: frozenset[tuple[str, int]] = frozenset()
    tactics: frozenset[str] = frozenset()
    """The manipulative advice the play has followed (what the condition `tactic` reads)."""

    def env(self) -> Env:
        return Env(self.meters, self.flags, self.visits, self.tactics)

    def key(self) -> tuple:
        """A hashable form, for the static checks that explore states."""
        return (self.at, tuple(sorted(self.meters.items())), self.flags,
                tuple(sorted(self.visits.items())), self.taken, self.tactics)


@attrs.frozen
class Option:
    """A choice as the player sees it now: open, or struck through with its reason."""

    choice: Choice
    available: bool
    number: int | None  # 1-based among the open options; None when struck through

    @property
    def reason(self) -> str:
        return "" if self.available else self.choice.reason


@attrs.frozen
class Step:
    """One decision in the history, with everything a debrief or a replay needs."""

    number: int
    scene: str
    choice: int
    choice_text: str
    before: State
    after: State
    follows: tuple[str, ...] = ()
    ignores: tuple[str, ...] = ()

    def delta(self, meter: str) -> int:
        """How far the choice really moved a meter (after clamping to its range)."""
        return self.after.meters[meter] - self.before.meters[meter]

    @property
    def flags_set(self) -> frozenset[str]:
        return self.after.flags - self.before.flags

    @property
    def flags_cleared(self) -> frozenset[str]:
        return self.before.flags - self.after.flags


def initial_state(scenario: Scenario) -> State:
    return State(
        at=scenario.start,
        meters={m.id: m.start for m in scenario.meters},
        visits={scenario.start: 1},
    )


def _first_ending(scenario: Scenario, env: Env) -> Ending:
    for ending in scenario.endings.values():
        if ending.when is None or ending.when(env):
            return ending
    raise EngineError("no ending's condition holds")  # pragma: no cover - the loader prevents it


def apply_choice(scenario: Scenario, state: State, choice: Choice) -> State:
    """The state after taking `choice` in `state`, with effects clamped to each meter's range.

    Play, the deep checks and saves all step through here, so it builds exactly
    one new State; `@ending` is judged on the meters and flags after the effects.
    """
    meters = dict(state.meters)
    for meter_id, delta in choice.effects:
        meters[meter_id] = scenario.meter(meter_id).clamp(meters[meter_id] + delta)
    flags = state.flags
    if choice.set_flags or choice.clear_flags:
        flags = (flags | set(choice.set_flags)) - set(choice.clear_flags)
    taken = state.taken | {(state.at, choice.index)} if choice.once else state.taken
    tactics = state.tactics
    used = [a for a in choice.follows if a in scenario.advice and scenario.advice[a].manipulative]
    if used:
        tactics = tactics | set(used)
    target = choice.goto
    if target == AUTO_ENDING:
        target = _first_ending(scenario, Env(meters, flags, state.visits, tactics)).id
    visits = dict(state.visits)
    visits[target] = visits.get(target, 0) + 1
    return State(target, meters, frozenset(flags), visits, taken, frozenset(tactics))


def options(scenario: Scenario, state: State) -> list[Option]:
    """The choices shown in `state`: open ones numbered, struck ones with reasons, hidden ones left out."""
    scene = scenario.scenes.get(state.at)
    if scene is None:
        return []
    env = state.env()
    shown: list[Option] = []
    number = 0
    for choice in scene.choices:
        if choice.once and (scene.id, choice.index) in state.taken:
            continue
        if choice.condition is None or choice.condition(env):
            number += 1
            shown.append(Option(choice, True, number))
        elif choice.unavailable == "strike":
            shown.append(Option(choice, False, None))
    return shown


def scene_text(scene: Scene | Ending, state: State) -> str:
    env = state.env()
    for variant in scene.variants:
        if variant.condition(env):
            return variant.text
    return scene.text


@attrs.frozen
class Playthrough:
    """One play of a scenario: the state now and every step that led here."""

    scenario: Scenario = attrs.field(repr=lambda s: s.id)
    start: State
    steps: tuple[Step, ...] = ()

    @classmethod
    def begin(cls, scenario: Scenario) -> Playthrough:
        return cls(scenario, initial_state(scenario))

    @classmethod
    def begin_at(cls, scenario: Scenario, scene: str, meters: Mapping[str, int] | None = None,
                 flags: Sequence[str] = ()) -> Playthrough:
        """A play that starts in `scene` with the meters and flags given (an author testing a late scene).

        Meters not given keep their start; values are clamped to each meter's
        range. EngineError names what does not exist.
        """
        if scene not in scenario.scenes:
            hint = suggest(scene, scenario.scenes) or (
                "that is an ending; start from a scene before it" if scene in scenario.endings else
                f"its scenes are {', '.join(list(scenario.scenes)[:12])}{', ...' if len(scenario.scenes) > 12 else ''}")
            raise EngineError(f"there is no scene `{quote(scene)}` to start from ({hint})")
        start = initial_state(scenario)
        values = dict(start.meters)
        for meter_id, value in (meters or {}).items():
            if meter_id not in values:
                raise EngineError(f"there is no meter `{quote(meter_id)}`"
                                  + (f" ({hint})" if (hint := suggest(meter_id, values)) else ""))
            values[meter_id] = scenario.meter(meter_id).clamp(value)
        for flag in flags:
            if flag not in scenario.flags:
                raise EngineError(f"there is no flag `{quote(flag)}`"
                                  + (f" ({hint})" if (hint := suggest(flag, scenario.flags)) else ""))
        return cls(scenario, State(scene, values, frozenset(flags), {scene: 1}))

    # -- where we are --------------------------------------------------------

    @property
    def state(self) -> State:
        return self.steps[-1].after if self.steps else self.start

    @property
    def scene(self) -> Scene | None:
        return self.scenario.scenes.get(self.state.at)

    @property
    def ending(self) -> Ending | None:
        return self.scenario.endings.get(self.state.at)

    @property
    def is_over(self) -> bool:
        return self.ending is not None

    @property
    def stuck(self) -> bool:
        """True in a scene where no choice is open: a scenario bug the checks warn about."""
        return not self.is_over and not any(o.available for o in self.options())

    def text(self) -> str:
        """The scene's or ending's text, with the first matching variant applied."""
        here = self.scene or self.ending
        return scene_text(here, self.state) if here else ""

    def messages(self) -> list[Message]:
        scene = self.scene
        if scene is None:
            return []
        env = self.state.env()
        return [m for m in scene.messages if m.condition is None or m.condition(env)]

    def options(self) -> list[Option]:
        return options(self.scenario, self.state)

    # -- moving ----------------------------------------------------------------

    def choose(self, choice_index: int) -> Playthrough:
        """Take the choice at `choice_index` in the scene (its place in the file)."""
        for option in self.options():
            if option.choice.index == choice_index:
                if not option.available:
                    raise EngineError(f"that choice is not open now: {option.reason}")
                return self._take(option.choice)
        raise EngineError(f"no choice {choice_index} here")

    def choose_number(self, number: int) -> Playthrough:
        """Take the open option shown as `number` (1-based), as a player types it."""
        for option in self.options():
            if option.number == number:
                return self._take(option.choice)
        raise EngineError(f"there is no option {number}")

    def _take(self, choice: Choice) -> Playthrough:
        if self.is_over:
            raise EngineError("the story has ended")
        before = self.state
        after = apply_choice(self.scenario, before, choice)
        step = Step(len(self.steps) + 1, before.at, choice.index, choice.text, before, after,
                    choice.follows, choice.ignores)
        return attrs.evolve(self, steps=(*self.steps, step))

    def undo(self, count: int = 1) -> Playthrough:
        if count > len(self.steps):
            raise EngineError("nothing to undo" if not self.steps else "cannot undo past the start")
        return self.rewind(len(self.steps) - count)

    def rewind(self, steps_kept: int) -> Playthrough:
        """Back to just after step `steps_kept` (0 is the very start)."""
        if not 0 <= steps_kept <= len(self.steps):
            raise EngineError(f"no step {steps_kept} to go back to")
        return attrs.evolve(self, steps=self.steps[:steps_kept])

    # -- the record --------------------------------------------------------------

    @property
    def path(self) -> tuple[tuple[str, int], ...]:
        """The decisions alone: (scene, choice index) pairs; enough to replay the play."""
        return tuple((s.scene, s.choice) for s in self.steps)

    def meter_series(self, meter: str) -> list[int]:
        """A meter's value at the start and after each step."""
        return [self.start.meters[meter], *(s.after.meters[meter] for s in self.steps)]

    @classmethod
    def replay(cls, scenario: Scenario, path: Sequence[Sequence]) -> Playthrough:
        """Play `path` again from the start; EngineError names the first step that no longer fits."""
        play = cls.begin(scenario)
        for number, item in enumerate(path, 1):
            if not isinstance(item, (list, tuple)) or len(item) != 2:
                raise EngineError(f"step {number} is not a (scene, choice) pair")
            scene_id, index = item
            if play.state.at != scene_id:
                raise EngineError(f"step {number} was made in `{scene_id}`, but the story is now at "
                                  f"`{play.state.at}`")
            if not isinstance(index, int) or isinstance(index, bool):
                raise EngineError(f"step {number} has no choice number")
            try:
                play = play.choose(index)
            except EngineError as problem:
                raise EngineError(f"step {number} in `{scene_id}`: {problem}") from None
        return play


def fit_path(scenario: Scenario, path: Sequence[tuple[str, int]]) -> tuple[Playthrough, str | None]:
    """Replay `path` in `scenario`; when it no longer fits, the longest prefix that does and why.

    An edited scenario (a reload under `--watch`, a save made before an edit)
    keeps as much of a play as the new rules allow, and says where it stopped.
    """
    try:
        return Playthrough.replay(scenario, path), None
    except EngineError as problem:
        why = str(problem)
    play = Playthrough.begin(scenario)
    for scene_id, index in path:
        if play.state.at != scene_id:
            break
        try:
            play = play.choose(index)
        except EngineError:
            break
    return play, why
