"""Finding the cast's names in a story's text: the one rule the check, the editor and a rename share.

A name is found as a whole word: "Sam" is in "Sam's phone" and "ask Sam.",
not in "Samira" or "Samuel". Case counts, because "Rose" the person is not
"rose" the flower; a name written all in lower case ("your sister") is also
found with a capital first letter, as at the start of a sentence. Spaces in a
name match any run of spaces or line breaks, so a name split across two lines
of a scene's text is still found.

A message is from a character when its `from` is one of their names, or
their id, in any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from game.model import Character


def _pattern(name: str) -> str:
    words = [re.escape(word) for word in name.split()]
    if name[:1].islower():
        first = words[0]
        words[0] = f"[{re.escape(name[0])}{re.escape(name[0].upper())}]{first[len(re.escape(name[0])):]}"
    return r"(?<![\w])" + r"\s+".join(words) + r"(?![\w])"


class Cast:
    """A story's cast, ready to find in text."""

    def __init__(self, cast: Mapping[str, Character]):
        self.characters = dict(cast)
        self.order = list(self.characters)
        self._find = {cid: re.compile("|".join(_pattern(n) for n in sorted(c.names, key=len, reverse=True)
                                               if n.strip()))
                      for cid, c in self.characters.items() if any(n.strip() for n in c.names)}
        self._senders = {n.strip().casefold(): cid for cid, c in self.characters.items()
                         for n in (*c.names, cid) if n.strip()}

    def __bool__(self) -> bool:
        return bool(self.characters)

    def named(self, text: str) -> list[str]:
        """The ids of the characters `text` names, in cast order."""
        return [cid for cid, found in self._find.items() if found.search(text)]

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """Every place `text` names a character: (start, end, character id), in text order."""
        found = [(m.start(), m.end(), cid) for cid, pattern in self._find.items() for m in pattern.finditer(text)]
        return sorted(found)

    def sender(self, name: str) -> str | None:
        """The character a message's `from` names, if any."""
        return self._senders.get(name.strip().casefold())

    def known_senders(self) -> Iterable[str]:
        return self._senders
