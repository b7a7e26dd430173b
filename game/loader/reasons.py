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
    """Everything in `reason` that shows the game's workings (`words` from `meter_words`), in the order it is
    written ("an id (`met_dev`), the meter \"courage\", a comparison (`>=`) and a number (`2`)"), or None."""
    lowered = reason.lower()
    found: list[tuple[int, int, str]] = []
    for word in sorted(words, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            if not any(start < match.end() and match.start() < end for start, end, _ in found):
                found.append((match.start(), match.end(), f"the meter \"{word}\""))
    for match in _MACHINERY.finditer(reason):
        if any(start < match.end() and match.start() < end for start, end, _ in found):
            continue  # a meter's own id (`self_esteem`): said as the meter
        token = match.group()
        what = "a number" if re.search(r"\d", token) else "an id" if "_" in token else "a comparison"
        found.append((match.start(), match.end(), f"{what} (`{token}`)"))
    said = list(dict.fromkeys(what for _, _, what in sorted(found)))
    if not said:
        return None
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
