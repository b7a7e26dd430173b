"""TOML's rules about tables: which may be opened, extended or written twice, and the values they make.

A key may be written once; a table declared with `[a]` once; a table an
inline table or an array made is closed for good; a dotted key (`a.b = 1`)
makes tables that a later `[a]` may not declare; `[[a]]` starts a new element
whose sub-tables are free again. These rules are kept here as marks on key
paths (without array positions, as TOML names them), and every breach comes
back as a message for the reader to place. The values built are the document
exactly as a TOML parser returns it.
"""

from __future__ import annotations

from typing import Any

FROZEN = 1
"""An inline table or array (everything below it included): nothing may be added to it."""
DECLARED = 2
"""A table `[a]` declared, or one made by a dotted key: `[a]` may not declare it (again)."""


class _Mark:
    __slots__ = ("own", "deep", "below")

    def __init__(self) -> None:
        self.own = 0
        self.deep = 0  # marks that hold for everything below too
        self.below: dict[str, _Mark] = {}


class Conflict(Exception):
    """A value in the way of a table."""


class Marks:
    """Marks on key paths."""

    def __init__(self) -> None:
        self.root: dict[str, _Mark] = {}
        self.pending: list[tuple[tuple[str, ...], int]] = []

    def has(self, key: tuple[str, ...], mark: int) -> bool:
        if not key:
            return False  # the document itself has no marks
        below = self.root
        for part in key[:-1]:
            node = below.get(part)
            if node is None:
                return False
            if node.deep & mark:
                return True
            below = node.below
        node = below.get(key[-1])
        return node is not None and bool((node.own | node.deep) & mark)

    def set(self, key: tuple[str, ...], mark: int, deep: bool = False) -> None:
        below = self.root
        node = None
        for part in key:
            node = below.get(part)
            if node is None:
                node = below[part] = _Mark()
            below = node.below
        if node is not None:
            if deep:
                node.deep |= mark
            else:
                node.own |= mark

    def clear(self, key: tuple[str, ...]) -> None:
        """Forget every mark on `key` and below it (a new element of an array of tables)."""
        below = self.root
        for part in key[:-1]:
            node = below.get(part)
            if node is None:
                return
            below = node.below
        below.pop(key[-1], None)

    def settle(self) -> None:
        """Marks waiting for the end of a table section take effect (a new header begins)."""
        for key, mark in self.pending:
            self.set(key, mark)
        self.pending.clear()


def nest(data: dict, key: tuple[str, ...], into_lists: bool = True) -> dict:
    """The table at `key`, made where missing; in an array of tables, its last element. Conflict when a value
    other than a table is in the way."""
    here: Any = data
    for part in key:
        if part not in here:
            here[part] = {}
        here = here[part]
        if into_lists and isinstance(here, list):
            here = here[-1] if here else None
        if not isinstance(here, dict):
            raise Conflict
    return here


class Document:
    """The document as a TOML parser builds it, one statement at a time."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.marks = Marks()

    def table(self, key: tuple[str, ...]) -> str | None:
        """`[key]`: what is wrong with declaring it, or None."""
        self.marks.settle()
        if self.marks.has(key, DECLARED) or self.marks.has(key, FROZEN):
            return f"Cannot declare {key} twice"
        self.marks.set(key, DECLARED)
        try:
            nest(self.data, key)
        except Conflict:
            return "Cannot overwrite a value"
        return None

    def array_table(self, key: tuple[str, ...]) -> str | None:
        """`[[key]]`: a new element of an array of tables."""
        self.marks.settle()
        if self.marks.has(key, FROZEN):
            return f"Cannot mutate immutable namespace {key}"
        self.marks.clear(key)
        self.marks.set(key, DECLARED)
        try:
            parent = nest(self.data, key[:-1])
        except Conflict:
            return "Cannot overwrite a value"
        found = parent.get(key[-1])
        if found is None:
            parent[key[-1]] = [{}]
        elif isinstance(found, list):
            found.append({})
        else:
            return "Cannot overwrite a value"
        return None

    def put(self, table: tuple[str, ...], key: tuple[str, ...], value: Any) -> str | None:
        """`key = value` in the section of `[table]`."""
        for end in range(1, len(key)):
            made = table + key[:end]
            if self.marks.has(made, DECLARED):
                return f"Cannot redefine namespace {made}"
            self.marks.pending.append((made, DECLARED))
        parent = table + key[:-1]
        if self.marks.has(parent, FROZEN):
            return f"Cannot mutate immutable namespace {parent}"
        try:
            here = nest(self.data, parent)
        except Conflict:
            return "Cannot overwrite a value"
        if key[-1] in here:
            return "Cannot overwrite a value"
        if isinstance(value, (dict, list)):
            self.marks.set(table + key, FROZEN, deep=True)
        here[key[-1]] = value
        return None


class Inline:
    """An inline table `{ ... }` as it is read, with the same rules inside it."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.marks = Marks()

    def put(self, key: tuple[str, ...], value: Any) -> str | None:
        if self.marks.has(key, FROZEN):
            return f"Cannot mutate immutable namespace {key}"
        try:
            here = nest(self.data, key[:-1], into_lists=False)
        except Conflict:
            return "Cannot overwrite a value"
        if key[-1] in here:
            return f"Duplicate inline table key {key[-1]!r}"
        here[key[-1]] = value
        if isinstance(value, (dict, list)):
            self.marks.set(key, FROZEN, deep=True)
        return None
