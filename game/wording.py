"""The words the game puts around a story's own words: quotation marks, "choice 3", a scene's heading.

Every screen, the plain player and the handouts quote what the player chose
and number their choices; doing it here means a reader meets the same words
everywhere, and a line the author already wrote in quotation marks is never
wrapped in a second pair (`““It was.””`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the words need no model: the picker and the command line say them without loading it
    from game.model import Scenario

OPEN = "“"
CLOSE = "”"

DOUBLE = frozenset('"“”„')
"""Double quotation marks: the ones a line put in the game's own quotes must not repeat."""

_STRAIGHT_PAIR = re.compile(r'"([^"]*)"')


def _nested(text: str) -> str:
    """Double quotation marks inside a quoted line become single ones, as typesetters nest them."""
    text = _STRAIGHT_PAIR.sub(lambda m: f"‘{m.group(1)}’", text)
    return text.replace("“", "‘").replace("„", "‘").replace("”", "’")


def quoted(text: str) -> str:
    """The text in the game's quotation marks, once.

    A line that is one quotation already (`"It was."`, `“It was.”`) keeps a
    single pair; a line that quotes someone inside it (`"Of course." Grab your
    coat.`) is wrapped, and its own marks become single ones, so nothing reads
    as a quotation mark doubled (`““It was.””`).
    """
    text = text.strip()
    inner = text[1:-1]
    if len(text) >= 2 and text[0] in DOUBLE and text[-1] in DOUBLE and not DOUBLE & set(inner):
        return f"{OPEN}{inner}{CLOSE}"
    return f"{OPEN}{_nested(text)}{CLOSE}"


CHOICE = "choice"
"""What one player's pick is called: "choice 3" (never "step 3")."""
DECISION = "decision"
"""What a workshop room's pick is called: the room talks, votes and takes a decision."""


def choice_label(number: int, noun: str = CHOICE) -> str:
    """How a decision is named: "choice 3" to a player, "decision 3" to a workshop room (never "step 3")."""
    return f"{noun} {number}"


def heading_label(number: int, noun: str = CHOICE) -> str:
    """The same name at the head of a line or a screen: "Decision 3", "Choice 3"."""
    label = choice_label(number, noun)
    return label[:1].upper() + label[1:]


def scene_heading(scenario: Scenario, scene_id: str) -> str:
    """A scene's title, or its id made readable when it has none."""
    scene = scenario.scenes.get(scene_id)
    if scene is not None and scene.title:
        return scene.title
    return scene_id.replace("_", " ")


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def choice_in(scene: str, index: int) -> str:
    """A choice by its place in the file: "the 2nd choice in `bar`" (`index` is 0-based)."""
    return f"the {ordinal(index + 1)} choice in `{scene}`"
