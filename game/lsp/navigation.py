"""Going to where an id is declared, and renaming a scene or an ending everywhere it is written.

Go to definition works from a `goto`, `start`, an expected `ending`,
`visits.ID` inside a condition, or an advice id in `follows`/`ignores`
(when the file declares that advice itself), and lands on the table header.

Rename changes a scene or ending id in its table headers
(`[scenes.ID]`, `[[scenes.ID.choices]]`, `[scenes.ID.variants]`...), every
`goto`, `start`, `visits.ID` in conditions and expected `ending`. It is only
offered on a file that reads as TOML, and before answering it checks its own
work: the renamed text must parse to exactly the old document with the one
id changed. If it would not, it refuses rather than damage the story.
"""

from __future__ import annotations

import re
from typing import Any

import tomli
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from game.loader import ID
from game.lsp.index import PLACES, Index, Occurrence

REQUEST_FAILED = -32803  # the LSP's code for a request that was understood but cannot be done
_NO_ID = ("Only a scene or ending id can be renamed: put the cursor on one, in its [scenes.ID] or "
          "[endings.ID] header, a `goto`, `start`, `visits.ID` in a condition, or an expected `ending`.")


class Refused(JsonRpcException):
    """A request the server understood and will not carry out, with the reason for the author."""

    CODE = REQUEST_FAILED

    def __init__(self, message: str):
        super().__init__(message, REQUEST_FAILED)


def definition(index: Index, uri: str, offset: int) -> types.Location | None:
    occurrence = index.occurrence_at(offset)
    if occurrence is None or occurrence.kind not in ("place", "advice"):
        return None
    target = index.definition(occurrence.kind, occurrence.id)
    if target is None:
        return None
    return types.Location(uri=uri, range=index.lines.range(target.start, target.end))


def _renamable(index: Index, offset: int) -> Occurrence:
    if not index.parsed:
        raise Refused("The file does not read as TOML yet, so renaming could damage it: "
                      "fix the syntax error (SC010) first.")
    occurrence = index.occurrence_at(offset)
    if occurrence is None or occurrence.kind != "place":
        raise Refused(_NO_ID)
    if index.symbols.place(occurrence.id) is None:
        raise Refused(f"There is no scene or ending `{occurrence.id}` in this file to rename.")
    return occurrence


def prepare_rename(index: Index, offset: int) -> types.PrepareRenamePlaceholder:
    occurrence = _renamable(index, offset)
    return types.PrepareRenamePlaceholder(range=index.lines.range(occurrence.start, occurrence.end),
                                          placeholder=occurrence.id)


def check_new_id(index: Index, old: str, new: str) -> None:
    """Refuse an id the loader would refuse, or one already taken."""
    if not ID.match(new):
        raise Refused(f"`{new}` cannot be a scene or ending id: use letters, digits and underscores, "
                      "starting with a letter or an underscore (e.g. `walk_home`).")
    symbols = index.symbols
    if new != old and (new in symbols.scenes or new in symbols.endings):
        what = "scene" if new in symbols.scenes else "ending"
        raise Refused(f"`{new}` is already a{'n' if what == 'ending' else ''} {what} in this file; "
                      "scenes and endings share one set of ids.")


def rename(index: Index, uri: str, offset: int, new: str) -> types.WorkspaceEdit:
    occurrence = _renamable(index, offset)
    old = occurrence.id
    check_new_id(index, old, new)
    if new == old:
        return types.WorkspaceEdit(changes={uri: []})
    spans = sorted({(o.start, o.end) for o in index.uses("place", old)})
    renamed = _apply(index.text, spans, new)
    try:
        after = tomli.loads(renamed)
    except tomli.TOMLDecodeError:
        after = None
    if after != _renamed(index.data, old, new):
        raise Refused(f"`{old}` is written somewhere this server cannot rename safely (an escaped or "
                      "quoted form, perhaps); nothing was changed.")
    edits = [types.TextEdit(range=index.lines.range(start, end), new_text=new) for start, end in spans]
    return types.WorkspaceEdit(changes={uri: edits})


def _apply(text: str, spans: list[tuple[int, int]], new: str) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def _renamed(data: Any, old: str, new: str) -> Any:
    """The parsed document as it should read after renaming scene or ending `old` to `new`."""
    visits = re.compile(rf"(?<![A-Za-z0-9_.])visits\.{re.escape(old)}(?![A-Za-z0-9_])")

    def walk(value: Any, names: tuple[str, ...]) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                inner = walk(item, (*names, key))
                if len(names) == 1 and names[0] in PLACES and key == old:
                    key = new
                out[key] = inner
            return out
        if isinstance(value, list):
            return [walk(item, names) for item in value]
        if isinstance(value, str) and names:
            last = names[-1]
            if last in ("if", "when"):
                return visits.sub(f"visits.{new}", value)
            if value == old and (
                (last == "goto" and names[0] == "scenes") or names == ("scenario", "start")
                or names == ("expected", "ending")
            ):
                return new
        return value

    return walk(data, ())


def references(index: Index, uri: str, offset: int, declaration: bool) -> list[types.Location]:
    return []
