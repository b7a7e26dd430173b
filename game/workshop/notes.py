"""`--exclude alcohol,abuse`: which scenarios a facilitator hides because of their content notes.

Content notes are written freely by authors ("drinking at a wedding",
"a controlling partner"), so a facilitator's word is matched against the
words of each note and a few close words that mean the same thing for a room
(asking to avoid "alcohol" also hides "drunk texting"). The picker says which
scenarios were hidden and which note hid each, so nothing disappears silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from game.model import Scenario

RELATED = {
    "alcohol": ("alcohol", "drink", "drunk", "hangover", "bar", "pub", "wine", "beer"),
    "abuse": ("abuse", "abusive", "control", "coercive", "coercion", "violence", "violent", "threat", "red flag",
              "red-flag"),
    "cheating": ("cheat", "affair", "unfaithful", "infidelity"),
    "death": ("death", "died", "dying", "funeral", "grief", "bereave"),
    "sex": ("sex", "intimacy", "intimate", "going home together", "kiss", "stay the night", "night together",
            "going up"),
    "hospital": ("hospital", "a&e", "emergency room", "ambulance"),
    "self-harm": ("self-harm", "self harm", "suicid"),
}
"""A facilitator's word -> stems that count as the same thing in a content note."""


def terms(text: str) -> list[str]:
    """`"alcohol, abuse"` as lower-case terms."""
    return [t.strip().lower() for t in text.split(",") if t.strip()]


def matching_note(scenario: Scenario, words: Sequence[str]) -> str | None:
    """The first content note that one of `words` (or a word related to it) matches, or None."""
    for note in scenario.content_notes:
        lowered = note.lower()
        for word in words:
            stems = RELATED.get(word, (word,))
            if any(re.search(r"(?<![a-z])" + re.escape(stem), lowered) for stem in stems):
                return note
    return None


def split(scenarios: Iterable[Scenario], words: Sequence[str]) -> tuple[list[Scenario], list[tuple[Scenario, str]]]:
    """The scenarios to offer, and those hidden with the note that hid each."""
    offered, hidden = [], []
    for scenario in scenarios:
        note = matching_note(scenario, words) if words else None
        if note is None:
            offered.append(scenario)
        else:
            hidden.append((scenario, note))
    return offered, hidden
