"""What a finished play meant: derived from the history, never written per ending.

Every choice names the advice it follows or ignores, so the debrief for any
path, including ones no author foresaw, is assembled from the steps taken.
"""

from __future__ import annotations

import attrs

from game.engine import Playthrough, Step
from game.model import Advice, Ending


@attrs.frozen
class AdviceUse:
    """A piece of advice and the steps (1-based) at which the player followed or ignored it."""

    advice: Advice
    steps: tuple[int, ...]


@attrs.frozen
class Debrief:
    """The meaning of a play.

    `tactics` holds the manipulative advice the player acted on; it is kept out
    of `followed` so that a debrief never lists a tactic as good advice taken.
    """

    ending: Ending | None
    followed: tuple[AdviceUse, ...]
    ignored: tuple[AdviceUse, ...]
    tactics: tuple[AdviceUse, ...]
    disagreements: tuple[Advice, ...]
    series: dict[str, list[int]]
    turning_point: Step | None
    steps: int

    @property
    def final(self) -> dict[str, int]:
        return {meter: values[-1] for meter, values in self.series.items()}


def _uses(play: Playthrough, attribute: str) -> tuple[AdviceUse, ...]:
    order: dict[str, list[int]] = {}
    for step in play.steps:
        for advice_id in getattr(step, attribute):
            order.setdefault(advice_id, []).append(step.number)
    return tuple(AdviceUse(play.scenario.advice[a], tuple(s)) for a, s in order.items())


def turning_point(play: Playthrough) -> Step | None:
    """The step that moved the meters most in total (the earliest on a tie); None if none moved."""
    best, best_size = None, 0
    for step in play.steps:
        size = sum(abs(step.delta(m)) for m in play.scenario.meter_ids)
        if size > best_size:
            best, best_size = step, size
    return best


def build(play: Playthrough) -> Debrief:
    acted_on = _uses(play, "follows")
    followed = tuple(u for u in acted_on if not u.advice.manipulative)
    tactics = tuple(u for u in acted_on if u.advice.manipulative)
    ignored = _uses(play, "ignores")
    touched: dict[str, Advice] = {}
    for use in (*followed, *tactics, *ignored):
        if use.advice.disagreement:
            touched.setdefault(use.advice.id, use.advice)
    return Debrief(
        ending=play.ending,
        followed=followed,
        ignored=ignored,
        tactics=tactics,
        disagreements=tuple(touched.values()),
        series={m: play.meter_series(m) for m in play.scenario.meter_ids},
        turning_point=turning_point(play),
        steps=len(play.steps),
    )
