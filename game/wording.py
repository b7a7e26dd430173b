"""The words the game puts around a story's own words: quotation marks, "choice 3".

Every screen, the plain player and the handouts quote what the player chose
and number their choices; doing it here means a reader meets the same words
everywhere, and a line the author already wrote in quotation marks is never
wrapped in a second pair (`““It was.””`).
"""

from __future__ import annotations

from game.model import Scenario

OPEN = "“"
CLOSE = "”"

QUOTE_MARKS = frozenset("\"'“”„‘’‚«»‹›「」『』")
"""Marks that already make a line read as spoken or written words."""


def is_quoted(text: str) -> bool:
    """True when a line already starts or ends with a quotation mark (a chat line, something said)."""
    text = text.strip()
    return bool(text) and (text[0] in QUOTE_MARKS or text[-1] in QUOTE_MARKS)


def quoted(text: str) -> str:
    """The text in quotation marks, unless the author already put it in some."""
    return text if is_quoted(text) else f"{OPEN}{text}{CLOSE}"


def choice_label(number: int) -> str:
    """How a decision is named to the player: "choice 3" (never "step 3")."""
    return f"choice {number}"


def scene_heading(scenario: Scenario, scene_id: str) -> str:
    """A scene's title, or its id made readable when it has none."""
    scene = scenario.scenes.get(scene_id)
    if scene is not None and scene.title:
        return scene.title
    return scene_id.replace("_", " ")
