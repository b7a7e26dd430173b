"""Ids for passages and variables: the Twine name where it is a valid id, a close, readable one where not.

A scenario's ids follow one pattern (game.loader.keys.ID: a letter or `_`, then letters, digits and `_`),
while a Twine passage may be called anything ("Call her?", "2. The bar").
A name that is a valid id is kept as it is, so the author recognises every
scene; the others are renamed the same way every time (accents dropped,
other characters turned into `_`, a number added when two names meet), so
importing a story twice gives the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from game.loader.keys import ID, plain_letters


def readable_id(name: str, fallback: str) -> str:
    """A valid id made from `name`: `Call her?` becomes `Call_her`, `2. The bar` becomes `p2_The_bar`."""
    ascii_name = plain_letters(name)
    made = re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_")
    if not made:
        made = fallback
    if made[0].isdigit():
        made = f"{fallback[0]}{made}"
    return made[:64].rstrip("_") or fallback


def assign(names: Iterable[str], fallback: str, taken: Iterable[str] = (),
           reserved: Iterable[str] = ()) -> dict[str, str]:
    """An id for each name, in order: valid names keep theirs first, then the others get the nearest free one."""
    names = list(dict.fromkeys(names))
    blocked = set(reserved)
    used = set(taken)
    ids: dict[str, str] = {}
    for name in names:
        if ID.match(name) and name not in used and name not in blocked:
            ids[name] = name
            used.add(name)
    for name in names:
        if name in ids:
            continue
        base = readable_id(name, fallback)
        made, n = base, 1
        while made in used or made in blocked:
            n += 1
            suffix = f"_{n}"
            made = base[: 64 - len(suffix)] + suffix
        ids[name] = made
        used.add(made)
    return {name: ids[name] for name in names}
