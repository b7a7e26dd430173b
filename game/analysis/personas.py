"""Personas: players who lean one way, so an author can test the story's promises.

A story should not punish the player who takes the advice, and must never
reward manipulation. A persona is a rule for picking among the open options:
it keeps the options with the best score for its leaning and picks among those
at random (simulate) or takes all of them (validate's exploration).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from game.engine import Option, State
from game.model import Choice, Scenario

PERSONAS = {
    "random": "a player who picks at random",
    "follower": "a player who always follows the most advice",
    "ignorer": "a player who always ignores the most advice",
    "manipulator": "a player who always takes the manipulative tactic",
}
"""Persona names for `--persona`, with how reports describe them."""


def scorer(scenario: Scenario, name: str) -> Callable[[Choice], int]:
    """How much a persona likes a choice; ties are broken at random."""
    advice = scenario.advice

    def good_follows(choice: Choice) -> int:
        return sum(1 for a in choice.follows if not advice[a].manipulative)

    def tactics(choice: Choice) -> int:
        return sum(1 for a in choice.follows if advice[a].manipulative)

    if name == "follower":
        return lambda c: good_follows(c) - len(c.ignores) - 10 * tactics(c)
    if name == "ignorer":
        return lambda c: len(c.ignores) - good_follows(c)
    if name == "manipulator":
        return lambda c: 10 * tactics(c) + len(c.ignores) - good_follows(c)
    if name == "random":
        return lambda c: 0
    raise ValueError(f"unknown persona {name!r}")


def best(choices: Sequence[Choice], score: Callable[[Choice], int]) -> list[int]:
    """Positions of the choices with the top score."""
    scores = [score(c) for c in choices]
    top = max(scores)
    return [i for i, s in enumerate(scores) if s == top]


def policy(scenario: Scenario, name: str) -> Callable[[State, list[Option]], list[Option]]:
    """The options a persona might take, for exploring every play it could make."""
    score = scorer(scenario, name)

    def keep(state: State, open_: list[Option]) -> list[Option]:
        return [open_[i] for i in best([o.choice for o in open_], score)]

    return keep


def relevant(scenario: Scenario, name: str) -> bool:
    """Whether the story tags any choice the persona cares about (else its test says nothing)."""
    choices = [c for s in scenario.scenes.values() for c in s.choices]
    if name == "manipulator":
        return any(scenario.advice[a].manipulative for c in choices for a in c.follows)
    if name in ("follower", "ignorer"):
        return any(c.follows or c.ignores for c in choices)
    return True
