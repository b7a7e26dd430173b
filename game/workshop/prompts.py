"""What the story says beside a scene for a workshop: questions for the room, and notes for the facilitator only.

Both come from the scene in front of the room (the scene itself and each
option shown, struck ones included) or from the ending reached. The questions
may go up on the room display; the notes never leave the console.
"""

from __future__ import annotations

import attrs

from game.engine import Playthrough
from game.wording import quoted

STRUCK = "✗"

STEP_OUT = ("Step out of the story for a moment: what would you say to a friend who was where the "
            "character was? You don't have to share anything about yourself.")
"""The step-out-of-role question the room's debrief ends with (the room may answer it from its phones)."""


@attrs.frozen
class Asides:
    """(about, words) for every question and every facilitator note of what is in front of the room.

    `about` is empty for the scene or ending itself, "Option 2" for an
    option, and the option's words (after ✗) for one that is struck through.
    """

    prompts: tuple[tuple[str, str], ...] = ()
    notes: tuple[tuple[str, str], ...] = ()


def at(play: Playthrough) -> Asides:
    """The questions and notes of the scene the play is in (its options' included), or of its ending."""
    prompts: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    ending = play.ending
    if ending is not None:
        prompts += [("", q) for q in ending.discuss]
        if ending.facilitator:
            notes.append(("", ending.facilitator))
        return Asides(tuple(prompts), tuple(notes))
    scene = play.scene
    if scene is None:
        return Asides()
    prompts += [("", q) for q in scene.discuss]
    if scene.facilitator:
        notes.append(("", scene.facilitator))
    for option in play.options():
        about = f"Option {option.number}" if option.number else f"{STRUCK} {quoted(option.choice.text)}"
        prompts += [(about, q) for q in option.choice.discuss]
        if option.choice.facilitator:
            notes.append((about, option.choice.facilitator))
    return Asides(tuple(prompts), tuple(notes))
