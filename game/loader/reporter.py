"""Where the loader's findings go: one file's located diagnostics, and what reading a file gives.

Every part of the loader (and an importer of another format) reports through
a `Reporter`: a coded problem at a key path, placed in the source by the
`Positions` it was given (the TOML locator, or an importer's own), collected
rather than raised, and given back in file order. `LoadResult` is what
reading a file comes to: the scenario when nothing was an error, and every
diagnostic either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import attrs

from game.diagnostics import ERROR, Diagnostic, ScenarioError
from game.expr import Condition, ConditionError, Names, parse_condition, suggest
from game.loader.keys import BOOL, ID_TABLES, TABLE, TABLES, Field, describe, longest, type_ok
from game.model import Scenario
from game.safetext import blank, quote


class Positions(Protocol):
    """Where key paths sit in the source: 1-based (line, column) of a key, and where its value starts."""

    def __call__(self, path: tuple) -> tuple[int, int]: ...

    def value_column(self, path: tuple) -> tuple[int, int]: ...

    def char_position(self, path: tuple, index: int) -> tuple[int, int] | None: ...


class Nowhere:
    """Positions for a dict with no source text: everything is at 1:1."""

    def __call__(self, path: tuple) -> tuple[int, int]:
        return 1, 1

    def value_column(self, path: tuple) -> tuple[int, int]:
        return 1, 0

    def char_position(self, path: tuple, index: int) -> tuple[int, int] | None:
        return None


@attrs.frozen
class LoadResult:
    """What reading a file gives: the scenario when it has no errors, and every diagnostic."""

    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == ERROR)

    def unwrap(self) -> Scenario:
        """The scenario, or ScenarioError carrying every diagnostic (a failed load always has one)."""
        if self.scenario is None:
            raise ScenarioError(self.diagnostics)
        return self.scenario


class Reporter:
    """Collects one file's diagnostics, each placed by the source's positions."""

    def __init__(self, file: str, positions: Positions | None = None):
        self.file = file
        self.locate: Positions = positions or Nowhere()
        self.diagnostics: list[Diagnostic] = []
        self.conditions: dict[str, Condition] = {}

    def report(self, code: str, message: str, path: tuple = (), hint: str | None = None,
               severity: str = ERROR, column: int | None = None) -> None:
        line, col = self.locate(path)
        if column is not None:
            inside = self.locate.char_position(path, column)
            if inside is not None:
                line, col = inside
            else:
                line, start = self.locate.value_column(path)
                col = start + 1 + column  # skip the opening quote
        self.diagnostics.append(Diagnostic(code, message, self.file, line, col, severity, hint))

    def has_errors(self) -> bool:
        return any(d.severity == ERROR for d in self.diagnostics)

    def ordered(self) -> tuple[Diagnostic, ...]:
        """File order reads best: an author fixes from the top down."""
        return tuple(sorted(self.diagnostics, key=lambda d: (d.file, d.line, d.column)))

    def table(self, obj: Any, path: tuple, spec: Mapping[str, Field], what: str) -> dict[str, Any]:
        """Check keys and value types against `spec`; returns only the values that are sound."""
        if not isinstance(obj, dict):
            self.report("SC022", f"{what} must be a table, not {describe(obj)}", path,
                        f"write it as [{quote('.'.join(map(str, path)))}] with keys below it")
            return {}
        good: dict[str, Any] = {}
        for key, value in obj.items():
            field = spec.get(key)
            if field is None:
                self.report("SC020", f"unknown key `{quote(key)}` in {what}", (*path, key),
                            suggest(key, spec) or f"allowed keys: {', '.join(spec)}")
                continue
            if not type_ok(value, field.kind):
                kind = field.kind if field.kind == BOOL else f"a {field.kind}"
                self.report("SC022", f"`{quote(key)}` in {what} must be {kind}, not {describe(value)}",
                            (*path, key))
                continue
            if field.limit is not None and longest(value) > field.limit:
                self.report("SC023", f"`{quote(key)}` in {what} is {longest(value):,} characters long; it may have "
                            f"at most {field.limit:,}", (*path, key), "shorten it: lists, menus and headings show it")
                continue
            if field.limit is not None and any(map(blank, [value] if isinstance(value, str) else value)):
                self.report("SC023", f"`{quote(key)}` in {what} shows nothing", (*path, key),
                            "write what it should say, or remove the key")
                continue
            good[key] = value
        for key, field in spec.items():
            if field.required and key not in obj:
                table = ".".join(map(str, path))
                if field.kind == TABLES:
                    hint = f"add [[{quote(table)}.{quote(key)}]]"
                elif field.kind == TABLE and not path:
                    hint = f"add one [{key}.ID] table per {key.removesuffix('s')}" if key in ID_TABLES else \
                        f"add a [{key}] table"
                else:
                    hint = f"add `{quote(key)} = ...`"
                self.report("SC021", f"{what} is missing required key `{quote(key)}`", path, hint)
        return good

    def text_value(self, value: str, path: tuple, what: str) -> str:
        """Prose without the blank lines that TOML's multi-line strings leave at each end."""
        if blank(value):  # spaces, or characters that draw nothing (Hangul fillers, a blank braille cell)
            self.report("SC023", f"{what} is empty", path, "write something for the player to read")
        return value.strip()

    def condition(self, source: str, path: tuple, names: Names) -> Condition | None:
        """Parse a condition; identical ones share one compiled test (stories repeat them a lot)."""
        known = self.conditions.get(source)
        if known is not None:
            return known
        try:
            condition = self.conditions[source] = parse_condition(source, names)
            return condition
        except ConditionError as problem:
            self.report(problem.code, f"in condition `{quote(source)}`: {problem.message}", path,
                        problem.hint, column=problem.column)
            return None
