"""Going to where an id is declared, finding everywhere it is used, and renaming it everywhere it is written.

Go to definition works on every id the index knows (a scene or ending, a
flag, a meter, a character, advice) and lands on its declaration; advice from
the shared catalog opens the catalog at its entry.

Rename changes a scene or ending id, a flag or a meter everywhere it is
written (see `game.lsp.index`), or a character's name (the one under the
cursor: their name or one of their other names) in every text of the file,
the `[[expected]]` plays' choice texts included. It is only offered on a file that reads as TOML, and before answering
it checks its own work: the renamed text must parse to exactly the old
document with the one name changed. If it would not, it refuses rather than
damage the story.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import tomli
from lsprotocol import types
from pygls import uris
from pygls.exceptions import JsonRpcException

from game import paths
from game.cast import Cast
from game.expr import RESERVED
from game.loader import ID, STANDARD_METERS
from game.loader.keys import ID_RULE
from game.lsp.index import EXPECTED_TEXTS, PLACES, PROSE, Index, Occurrence
from game.model import Character

REQUEST_FAILED = -32803  # the LSP's code for a request that was understood but cannot be done
_NO_ID = ("Put the cursor on a scene or ending id, a flag, a meter, or a character's name to rename it: in its "
          "declaration, a `goto`, a condition, `set`, `effects`, or a text that names the character.")
_WHAT = {"place": "scene or ending", "flag": "flag", "meter": "meter", "cast": "character", "advice": "advice"}


class Refused(JsonRpcException):
    """A request the server understood and will not carry out, with the reason for the author."""

    CODE = REQUEST_FAILED

    def __init__(self, message: str):
        super().__init__(message, REQUEST_FAILED)


def definition(index: Index, uri: str, offset: int) -> types.Location | None:
    occurrence = index.occurrence_at(offset)
    if occurrence is None:
        return None
    target = index.definition(occurrence.kind, occurrence.id)
    if target is not None:
        return types.Location(uri=uri, range=index.lines.range(target.start, target.end))
    if occurrence.kind == "advice" and occurrence.id in index.symbols.advice:
        return catalog_location(occurrence.id)
    return None


def catalog_location(advice_id: str) -> types.Location | None:
    """Where the shared catalog declares `advice_id`: its `[advice.ID]` header."""
    from game.locate import Locator

    path = paths.catalog_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    line, column = Locator(text)(("advice", advice_id))
    start = types.Position(line=line - 1, character=column - 1)
    end = types.Position(line=line - 1, character=column - 1 + len(f"[advice.{advice_id}]"))
    return types.Location(uri=uris.from_fs_path(str(path)) or path.as_uri(), range=types.Range(start=start, end=end))


def references(index: Index, uri: str, offset: int, declaration: bool) -> list[types.Location]:
    """Everywhere the id under the cursor is written (its declarations too, when asked)."""
    occurrence = index.occurrence_at(offset)
    if occurrence is None:
        return []
    return [types.Location(uri=uri, range=index.lines.range(o.start, o.end))
            for o in index.uses(occurrence.kind, occurrence.id)
            if declaration or o.role not in ("header", "key", "name")]


# --- rename ---------------------------------------------------------------------------------------------


def _renamable(index: Index, offset: int) -> Occurrence:
    if not index.parsed:
        raise Refused("The file does not read as TOML yet, so renaming could damage it: "
                      "fix the syntax error (SC010) first.")
    occurrence = index.occurrence_at(offset)
    if occurrence is None or occurrence.kind in ("advice", "keyword"):
        raise Refused(_NO_ID)
    symbols = index.symbols
    known = {"place": symbols.place(occurrence.id), "flag": occurrence.id in symbols.flags or None,
             "meter": symbols.meters.get(occurrence.id), "cast": symbols.cast.get(occurrence.id)}[occurrence.kind]
    if not known:
        raise Refused(f"There is no {_WHAT[occurrence.kind]} `{occurrence.id}` in this file to rename.")
    if occurrence.kind == "meter" and occurrence.id in STANDARD_METERS:
        raise Refused(f"`{occurrence.id}` is one of the game's own meters (trust and self_esteem): it cannot be "
                      "renamed, only relabelled with `label` under [meters." + occurrence.id + "].")
    return occurrence


def prepare_rename(index: Index, offset: int) -> types.PrepareRenamePlaceholder:
    occurrence = _renamable(index, offset)
    if occurrence.kind == "cast":
        return types.PrepareRenamePlaceholder(range=index.lines.range(occurrence.start, occurrence.end),
                                              placeholder=_name_at(index, occurrence))
    return types.PrepareRenamePlaceholder(range=index.lines.range(occurrence.start, occurrence.end),
                                          placeholder=occurrence.id)


def _name_at(index: Index, occurrence: Occurrence) -> str:
    """Which of a character's names the cursor is on: one of their other names (`aka`) where that is what is
    written, else their name (on their id, or a message `from` their id)."""
    character = index.symbols.cast[occurrence.id]
    written = index.text[occurrence.start:occurrence.end]
    for name in character.aka:
        one = Cast({character.id: Character(character.id, name)})
        if any((start, end) == (0, len(written)) for start, end, _ in one.mentions(written)) \
                or written.strip().casefold() == name.casefold():
            return name
    return character.name


def check_new_id(index: Index, kind: str, old: str, new: str) -> None:
    """Refuse an id the loader would refuse, or one already taken."""
    what = _WHAT[kind]
    if not ID.match(new):
        raise Refused(f"`{new}` cannot be a {what} id: an id must {ID_RULE} (e.g. `walk_home`).")
    if kind in ("flag", "meter") and new in RESERVED:
        raise Refused(f"`{new}` cannot be a {what} id: it is a word conditions keep for themselves.")
    symbols = index.symbols
    if new == old:
        return
    if kind == "place" and (new in symbols.scenes or new in symbols.endings):
        taken = "scene" if new in symbols.scenes else "ending"
        raise Refused(f"`{new}` is already a{'n' if taken == 'ending' else ''} {taken} in this file; "
                      "scenes and endings share one set of ids.")
    if kind in ("flag", "meter") and (new in symbols.flags or new in symbols.meters):
        taken = "flag" if new in symbols.flags else "meter"
        raise Refused(f"`{new}` is already a {taken} in this file; conditions could not tell the two apart.")


def check_new_name(index: Index, character: Character, old: str, new: str) -> None:
    if any(ch in new for ch in "\"'\\\n\r\t") or not new.isprintable() or new != new.strip():
        raise Refused("A character's name is plain words: no quotes, backslashes, line breaks, or spaces around "
                      "it.")
    for other in index.symbols.cast.values():
        names = other.names if other.id != character.id else [n for n in other.names if n != old]
        if new.casefold() in (n.casefold() for n in names):
            whose = f"`{other.id}`" if other.id != character.id else "this character"
            raise Refused(f"\"{new}\" is already a name of {whose} in the cast.")


def rename(index: Index, uri: str, offset: int, new: str) -> types.WorkspaceEdit:
    if not isinstance(new, str):
        raise Refused("The new name must be text.")
    occurrence = _renamable(index, offset)
    kind, old = occurrence.kind, occurrence.id
    if not new.strip():
        raise Refused("Give the new name: it cannot be empty.")
    if kind == "cast":
        return _rename_character(index, uri, occurrence, new)
    check_new_id(index, kind, old, new)
    if new == old:
        return types.WorkspaceEdit(changes={uri: []})
    spans = sorted({(o.start, o.end) for o in index.uses(kind, old)})
    return _checked(index, uri, [(start, end, new) for start, end in spans], _renamed(index.data, kind, old, new),
                    old)


def _rename_character(index: Index, uri: str, occurrence: Occurrence, new: str) -> types.WorkspaceEdit:
    """One of a character's names (the one the cursor is on: their name, or one of their other names) changed
    in every text of the file that names them by it, the `[[expected]]` plays' choice texts included, and in
    the messages `from` them under it. Their other names stay."""
    character = index.symbols.cast[occurrence.id]
    old = _name_at(index, occurrence)
    check_new_name(index, character, old, new)
    if new == old:
        return types.WorkspaceEdit(changes={uri: []})
    alone = Cast({character.id: Character(character.id, old)})
    edits = []
    for o in index.uses("cast", character.id):
        written = index.text[o.start:o.end]
        if o.role == "sender":
            if written.strip().casefold() == old.casefold():
                edits.append((o.start, o.end, new))
        elif o.role == "name":  # their own `name` or `aka`: the new name as given
            if alone.mentions(written):
                edits.append((o.start, o.end, new))
        elif alone.mentions(written):
            before = index.text[o.within:o.start] if o.within >= 0 else ""
            edits.append((o.start, o.end, as_written(new, old, written, before)))
    return _checked(index, uri, edits, _renamed_character(index.data, alone, old, new), old)


def as_written(new: str, old: str, written: str, before: str) -> str:
    """The new name in the place of `written` (the old name as the text has it, after `before` in the same
    text): with a capital where the old name, all lower case, was given one, or where a sentence starts."""
    if new[:1].islower() and (written[:1] != old[:1] and written[:1].isupper() or _SENTENCE.search(before)):
        return new[:1].upper() + new[1:]
    return new


_SENTENCE = re.compile(r"(?:\A|[.!?…][\"'”’)\]]*)\s*\Z")
"""The end of a text that puts the next word at the start of a sentence (or of the text)."""


def _checked(index: Index, uri: str, edits: list[tuple[int, int, str]], wanted: Any, old: str) -> types.WorkspaceEdit:
    """The edits, once they are shown to turn the document into exactly `wanted`."""
    renamed = _apply(index.text, edits)
    try:
        after = tomli.loads(renamed)
    except (tomli.TOMLDecodeError, RecursionError):  # deep nesting runs out of stack
        after = None
    if after != wanted:
        raise Refused(f"`{old}` is written somewhere this server cannot rename safely (an escaped or "
                      "quoted form, perhaps); nothing was changed.")
    return types.WorkspaceEdit(changes={uri: [types.TextEdit(range=index.lines.range(start, end), new_text=text)
                                              for start, end, text in edits]})


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, new in sorted(edits):
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def _walk(data: Any, change: Callable[[Any, tuple[str, ...]], Any], key: Callable[[str, tuple[str, ...]], str]) -> Any:
    """A copy of parsed data with every value put through `change` and every key through `key`."""
    def walk(value: Any, names: tuple[str, ...]) -> Any:
        if isinstance(value, dict):
            return {key(k, names): walk(item, (*names, k)) for k, item in value.items()}
        if isinstance(value, list):
            return [walk(item, names) for item in value]
        return change(value, names)
    return walk(data, ())


def _renamed(data: Any, kind: str, old: str, new: str) -> Any:
    """The parsed document as it should read after renaming `old` (a place, flag or meter) to `new`."""
    if kind == "place":
        word = re.compile(rf"(?<![A-Za-z0-9_.])visits\.{re.escape(old)}(?![A-Za-z0-9_])")
        replacement = f"visits.{new}"
    else:
        word = re.compile(rf"(?<![A-Za-z0-9_.]){re.escape(old)}(?![A-Za-z0-9_.])")
        replacement = new
    table = {"place": PLACES, "flag": ("flags",), "meter": ("meters",)}[kind]

    def key(name: str, names: tuple[str, ...]) -> str:
        if name == old and len(names) == 1 and names[0] in table:
            return new
        if name == old and kind == "meter" and names[-1:] == ("effects",) and names[0] == "scenes":
            return new
        return name

    def change(value: Any, names: tuple[str, ...]) -> Any:
        if not isinstance(value, str) or not names:
            return value
        last = names[-1]
        if last in ("if", "when"):
            return word.sub(replacement, value)
        if value != old:
            return value
        if kind == "place" and ((last == "goto" and names[0] == "scenes") or names == ("scenario", "start")
                                or names == ("expected", "ending")):
            return new
        if kind == "flag" and last in ("set", "clear") and names[0] == "scenes":
            return new
        return value

    return _walk(data, change, key)


def _renamed_character(data: Any, alone: Cast, old: str, new: str) -> Any:
    def change(value: Any, names: tuple[str, ...]) -> Any:
        if not isinstance(value, str) or not names:
            return value
        last = names[-1]
        if last == "from" and names[0] == "scenes":
            return new if value.strip().casefold() == old.casefold() else value
        own = names[0] == "cast" and last in ("name", "aka")
        if last in PROSE or names[0] == "flags" or own or names == EXPECTED_TEXTS:
            out, at = [], 0
            for start, end, _ in alone.mentions(value):
                out += [value[at:start], new if own else as_written(new, old, value[start:end], value[:start])]
                at = end
            return "".join(out) + value[at:]
        return value

    return _walk(data, change, lambda name, names: name)
