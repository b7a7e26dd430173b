"""Personas: simulated players who lean one way, for `simulate`'s odds.

A persona is a leaning, not a proof. It keeps the open options with the best
score for its leaning and picks among those at random, so `simulate --persona
follower` says how often a player who always takes the most advice reaches
each ending. Whether any play at all can break the game's promises (a tactic
that pays off, good faith that ends badly) is not a question for a persona:
`validate` answers it over every path (SC125, SC126).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser reads the names below: building it loads no model
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
