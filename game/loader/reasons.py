"""A struck-through choice's `reason` is story, not machinery (SC103).

The player reads the reason next to a choice they cannot take ("You have
said enough for one night."). A reason that shows the game's workings (a
number, an id, a comparison, a meter's name: "Needs kind_goodbye (trust >=
3).") breaks the story and tells the player how to game it, so the loader
warns about it in every story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from game.model import Meter

_MACHINERY = re.compile(r"[^\s.,;:!?()]*\d[^\s.,;:!?()]*|[^\s.,;:!?()]*_[^\s.,;:!?()]*|[<>]=?|[=!]=")


def meter_words(meters: Iterable[Meter]) -> set[str]:
    """The ways a meter can be named in prose: its id, with spaces or hyphens, and its label."""
    words = set()
    for meter in meters:
        words |= {meter.id.lower(), meter.id.replace("_", " ").lower(), meter.id.replace("_", "-").lower(),
                  meter.label.lower()}
    return {w for w in words if w.strip()}


def reason_problem(reason: str, words: set[str]) -> str | None:
    """What in `reason` shows the game's workings (`words` from `meter_words`), or None."""
    machinery = _MACHINERY.search(reason)
    if machinery:
        token = machinery.group()
        what = "a number" if re.search(r"\d", token) else "an id" if "_" in token else "a comparison"
        return f"{what} (`{token}`)"
    lowered = reason.lower()
    for word in sorted(words, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            return f"the meter \"{word}\""
    return None
