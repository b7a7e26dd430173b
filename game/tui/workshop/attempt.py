"""A facilitator's step made from any workshop screen: the core refuses what it does not allow, with a
sentence, and the screen shows that sentence as a notice instead of failing."""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode

from game.workshop.room import WorkshopError
from game.workshop.votes import VoteError


def attempt(node: DOMNode, act: Callable[[], object]) -> bool:
    """Make the step; True when the workshop took it, else the refusal is said and False."""
    try:
        act()
    except (VoteError, WorkshopError) as problem:
        node.notify(str(problem), severity="warning", timeout=5, markup=False)
        return False
    return True
