"""Reading TOML with positions, tolerantly: the one reader behind the locator and the language server.

The TOML parser the loader uses (tomli) says whether a file is valid and what
it means, but not where anything is. Diagnostics need the line of every key
("unknown scene" at the `goto`), and an editor needs the same of a file that
is half typed and does not parse. This package reads TOML the way TOML says,
records where every key, header and string is, and never raises: after a
problem it notes it and carries on.

- `read(text)` gives a `Reading`: every header, key and string with its path
  and offsets, where each key path is first written, the problems found, a
  rough tree of the values (for an editor, even when the file is broken) and,
  when there is no problem, the document exactly as TOML reads it;
- `context_at(text, offset)` says what a cursor at `offset` is in.

It agrees with tomli on what is valid and on every value (the tests run it
against a corpus of valid and invalid files and against every built-in
scenario), so a position it gives is the position of what the loader read.
"""

from __future__ import annotations

import functools
from typing import Any

import attrs

from game.toml.reader import MAX_NESTING, Reader
from game.toml.records import Context, Key, Part, Path, Problem, String, names_of

__all__ = ["MAX_NESTING", "Context", "Key", "Part", "Path", "Problem", "Reading", "String", "context_at",
           "names_of", "read"]


@attrs.frozen(slots=False)
class Reading:
    """Everything `read` found."""

    text: str
    keys: tuple[Key, ...]
    strings: tuple[String, ...]
    positions: dict[Path, int]
    """Each key path (array positions included) and the offset where it is first written; a table made
    only by a deeper header or a dotted key sits where that is written, the document at its first key."""
    problems: tuple[Problem, ...]
    value: dict | None
    """The document exactly as TOML reads it; None when there is a problem."""
    scalars: dict[Path, Any] = attrs.field(factory=dict, repr=False)

    @functools.cached_property
    def tree(self) -> dict:
        """A rough tree of the values, as far as they could be read (array positions as int keys): what an
        editor needs while the file does not parse (built when first asked)."""
        tree: dict = {}
        for key in self.keys:
            _put(tree, key.path, None)
        for path, value in self.scalars.items():
            _put(tree, path, value)
        for string in self.strings:
            _put(tree, string.path, string.value)
        return tree

    def strings_named(self, *names: str) -> list[String]:
        """Strings whose path ends with these names (array positions ignored)."""
        return [s for s in self.strings if s.names()[-len(names):] == names]

    def string_at(self, path: Path) -> String | None:
        """The string written at `path`, if there is one."""
        for string in self.strings:
            if string.path == path:
                return string
        return None


def read(text: str, values: bool = True) -> Reading:
    """Read the whole text, as well as it can be read. With `values=False`, only where things are: TOML's
    rules about tables are not applied, and `value` is None (the locator's use)."""
    reader = Reader(text, values=values)
    reader.run()
    problems = tuple(sorted(reader.problems, key=lambda p: p.offset))
    return Reading(text, tuple(reader.keys), tuple(reader.strings), reader.positions, problems,
                   None if problems or reader.document is None else reader.document.data, reader.scalars)


def context_at(text: str, offset: int) -> Context:
    """What the cursor at `offset` is in, reading only the text before it."""
    return Reader(text[:offset], cursor=True).run()


def _put(tree: dict, path: Path, value: Any) -> None:
    """Set `path` in a tree of dicts (array positions become int keys); a bare key makes an empty table."""
    node = tree
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    if not path:
        return
    if value is None:
        if not isinstance(node.get(path[-1]), dict):
            node.setdefault(path[-1], {})
    elif not isinstance(node.get(path[-1]), dict) or not node[path[-1]]:
        node[path[-1]] = value
