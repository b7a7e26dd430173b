"""A story's `[cast]`: who the reader may meet, checked like every other table.

Each character is `[cast.ID]` with a `name` (as the story introduces them),
`aka` (other names the text calls them) and a one-line `note` for the author.
A name may belong to one character only, or the check of who the reader has
met (SC150) could not tell them apart. When a story declares a cast, a chat
message from someone outside it is most likely a typo (SC104).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.cast import Cast
from game.diagnostics import WARNING
from game.expr import suggest
from game.loader.keys import CAST_KEYS, ID, ID_RULE, suggested_id
from game.model import Character, Scene
from game.safetext import quote


def cast_table(reader: Any, raw: Any) -> dict[str, Character]:
    """The characters `[cast.ID]` tables declare, each problem reported to `reader` (a loader Reporter)."""
    found: dict[str, Character] = {}
    if not isinstance(raw, dict):
        reader.report("SC022", "[cast] must be a table of characters", ("cast",), "write [cast.ID] for each one")
        return found
    owner: dict[str, str] = {}
    for cid, body in raw.items():
        where = ("cast", cid)
        if not ID.match(cid):
            reader.report("SC023", f"cast id `{quote(cid)}` must {ID_RULE}",
                          where, f"call it `{quote(suggested_id(cid))}`, here and in a message `from` it")
            continue
        fields = reader.table(body, where, CAST_KEYS, f"cast member `{quote(cid)}`")
        if "name" not in fields:
            continue
        name = reader.text_value(fields["name"], (*where, "name"), "a cast member's name")
        aka = tuple(reader.text_value(other, (*where, "aka", i), "another name")
                    for i, other in enumerate(fields.get("aka", [])))
        note = reader.text_value(fields["note"], (*where, "note"), "a cast member's note") if "note" in fields else ""
        if "\n" in note:
            reader.report("SC023", f"the note on `{quote(cid)}` runs over several lines", (*where, "note"),
                          "keep it to one line: it is what the editor shows on hover")
        for i, each in enumerate((name, *aka)):
            key = each.casefold()
            if key and key in owner:
                path = (*where, "name") if i == 0 else (*where, "aka", i - 1)
                other = owner[key]
                reader.report("SC034", f"the name \"{quote(each)}\" is used twice in the cast"
                              + (f" (by `{quote(other)}` too)" if other != cid else ""), path,
                              "give each character names of their own, or the check of who the reader has met "
                              "cannot tell them apart")
            owner.setdefault(key, cid)
        found[cid] = Character(cid, name, aka, note)
    return found


def check_senders(reader: Any, cast: Mapping[str, Character], scenes: Mapping[str, Scene]) -> None:
    """SC104: with a cast declared, chat messages from someone who is not in it (nor the player), said once
    for each such name, at its first message."""
    if not cast:
        return
    known = Cast(cast)
    names = [c.name for c in cast.values()]
    strangers: dict[str, list[tuple[str, int]]] = {}
    for scene in scenes.values():
        for i, message in enumerate(scene.messages):
            if not message.mine and known.sender(message.sender) is None:
                strangers.setdefault(message.sender, []).append((scene.id, i))
    for sender, where in strangers.items():
        scene_id, i = where[0]
        more = f" (and {len(where) - 1} more message{'s' if len(where) > 2 else ''})" if len(where) > 1 else ""
        reader.report("SC104", f"a message in `{quote(scene_id)}` is from \"{quote(sender)}\", who is not in the "
                      f"cast{more}", ("scenes", scene_id, "messages", i, "from"),
                      suggest(sender, names) or "add them under [cast], or write \"you\" for the player's own "
                      "messages", WARNING)
