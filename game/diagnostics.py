"""Problems found in a scenario, each with a stable code and a place in the file.

Authors fix what they can find: every diagnostic names the file, line and column
and, where it helps, how to fix it. Codes never change meaning once published
(docs/diagnostics.md lists them), so tools and people can rely on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from game.safetext import one_line

ERROR = "error"
WARNING = "warning"

# Diagnostics are read back from the cache of checked stories before the list's first frame, so they
# are named tuples, which cost next to nothing to define (see "Speed" in docs/architecture.md).


class Related(NamedTuple):
    """Another place a diagnostic is about (the choice that made the difference), and what it is."""

    message: str
    line: int
    column: int


class Diagnostic(NamedTuple):
    """One problem: its code, its words and its place; `_replace` gives one changed (a warning made an error)."""

    code: str
    message: str
    file: str = "<scenario>"
    line: int = 1
    column: int = 1
    severity: str = ERROR
    hint: str | None = None
    related: tuple[Related, ...] = ()
    """Places in the same file that explain it (an editor links them; `--format json` lists them)."""

    def format(self) -> str:
        """The one-line form: `file:line:col: CODE message (hint)`, safe to print whatever it quotes."""
        label = "" if self.severity == ERROR else f"{self.severity}: "
        text = f"{self.file}:{self.line}:{self.column}: {self.code} {label}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return one_line(text)

    def to_json(self) -> dict:
        found = self._asdict()
        if self.related:
            found["related"] = [r._asdict() for r in self.related]
        else:
            del found["related"]
        return found


class ScenarioError(Exception):
    """Raised when a scenario cannot be played; carries every problem found, not just one."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        first = self.diagnostics[0].format() if self.diagnostics else "invalid scenario"
        more = len(self.diagnostics) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == ERROR)


def summary(diagnostics: Iterable[Diagnostic], files: int) -> str:
    """The closing line of a report, e.g. `2 errors, 1 warning in 3 files`."""
    items = list(diagnostics)
    errors = sum(d.severity == ERROR for d in items)
    warnings = len(items) - errors

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{count(errors, 'error')}, {count(warnings, 'warning')} in {count(files, 'file')}"
