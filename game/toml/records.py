"""What the reader records about a document: its keys, its strings, its problems, and where a cursor stands.

Offsets are indexes into the text (code points). A path is a key path with
the position of each element of an array (of tables, or of values) on the
way, as the positions of diagnostics name them: `("scenes", "bar", "choices",
0, "goto")`.
"""

from __future__ import annotations

import attrs

Path = tuple  # strings for keys, ints for places in an array


def names_of(path: Path) -> tuple[str, ...]:
    """A path without its array positions: the key path TOML itself names."""
    return tuple(p for p in path if isinstance(p, str))


@attrs.frozen
class Part:
    """One part of a key as written: its text and where it sits (inside the quotes, if quoted)."""

    text: str
    start: int
    end: int
    quoted: bool = False


@attrs.frozen
class Key:
    """A header (`[scenes.bar]`) or a key (`goto`), with the full path it names."""

    path: Path
    parts: tuple[Part, ...]
    header: bool
    start: int
    end: int

    def names(self) -> tuple[str, ...]:
        """The string parts of the path: the path without array positions."""
        return names_of(self.path)

    def part_for(self, index: int) -> Part | None:
        """The written part that is `names()[index]`, if this key writes it."""
        names = self.names()
        first = len(names) - len(self.parts)
        if first <= index < len(names):
            return self.parts[index - first]
        return None


@attrs.frozen
class String:
    """A string value: its path, its decoded value, and where its content sits in the text."""

    path: Path
    value: str
    start: int  # the opening quote
    end: int  # just after the closing quote (or where reading stopped)
    content_start: int  # just after the opening quote(s)
    content_end: int  # the closing quote(s), or where reading stopped
    multiline: bool
    quote: str = '"'
    body_start: int = 0  # where the value's text begins: after the quotes and a line break TOML trims

    def names(self) -> tuple[str, ...]:
        return names_of(self.path)


@attrs.frozen
class Problem:
    """Where the text breaks TOML's rules, and how (in the words of TOML parsers)."""

    offset: int
    message: str


@attrs.frozen
class Context:
    """What the cursor is in, for an editor's completion.

    kind is "key" (a key is expected or being typed), "value" (after `=`, or
    in an array, before any quote), "string" (inside a string), "header"
    (inside `[...]`) or "other" (a comment, a number, after a finished value).
    `names` is the key path without array positions: for "key", the table's
    path plus any dotted parts already typed; for "value" and "string", the
    path of the key the value belongs to. `prefix` is what is typed so far
    and `start` the offset where it begins.
    """

    kind: str
    names: tuple[str, ...] = ()
    path: Path = ()
    prefix: str = ""
    start: int = 0
    in_array: bool = False
    table: Path = ()
