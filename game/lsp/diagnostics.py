"""The game's diagnostics as the editor shows them: the loader's at once, the deep checks after a pause.

`check` runs the same loader `second-chance validate` runs, on the text in
the editor (not the file on disk), and `deep` runs the deep checks on a
clean load. Each core Diagnostic (1-based line and column) becomes an LSP
diagnostic whose range covers the key and its value, the table header, or
the name inside a condition, with the SC code and the source
"second-chance".
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
from lsprotocol import types

from game.diagnostics import ERROR, WARNING, Diagnostic
from game.loader import read_text
from game.loader.source import decode
from game.lsp.document import Lines
from game.model import Scenario
from game.safetext import one_line

SOURCE = "second-chance"
_SEVERITY = {
    ERROR: types.DiagnosticSeverity.Error,
    WARNING: types.DiagnosticSeverity.Warning,
}
_WORD = re.compile(r"[A-Za-z0-9_.@-]+")


@attrs.frozen
class Checked:
    """What the loader made of one version of a document."""

    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...]  # this document's own
    elsewhere: tuple[Diagnostic, ...]  # about other files (the shared advice catalog)
    text: str = ""  # the text the loader read (without a byte-order mark)


def check(text: str, file: str, path: Path | None) -> Checked:
    """Load the text as `second-chance validate` would (size cap and encoding included)."""
    data = text.encode("utf-8", "surrogatepass")
    decoded, problems = decode(data, file)
    if decoded is None:
        return Checked(None, tuple(problems), ())
    result = read_text(decoded, file=file, path=path)
    own = tuple(d for d in result.diagnostics if d.file == file)
    elsewhere = tuple(d for d in result.diagnostics if d.file != file)
    return Checked(result.scenario, own, elsewhere, decoded)


@attrs.frozen
class Picks:
    """What the last deep check found about `goto = "@ending"`, for the hover: the endings each such choice
    picked, the endings whose `when` never held when the story picked one, and whether every play was seen
    (else these are the plays explored before the budget ran out)."""

    by_choice: dict[tuple[str, int], frozenset[str]]
    never: frozenset[str]
    proved: bool


def deep(scenario: Scenario, text: str, file: str) -> tuple[list[Diagnostic], Picks]:
    """The deep checks (reachability, dead ends, promises) on a scenario that loaded clean, and what they
    found about the endings `@ending` picks."""
    from game.analysis.checks import deep_check  # only when the author pauses, so starting the server stays quick

    found, walk = deep_check(scenario, source=text, file=file)
    never = frozenset(e.id for e in scenario.endings.values() if e.when is not None and walk.picks
                      and e.id not in walk.when_held)
    picks = Picks({where: frozenset(ids) for where, ids in walk.picked_by.items()}, never, walk.exhaustive)
    return [d for d in found if d.file == file], picks


def _closing(text: str, start: int, line_end: int) -> int:
    """The end of the token starting at `start`: a header, a string, a word, or one character."""
    ch = text[start] if start < line_end else ""
    if ch == "[":
        close = text.find("]", start, line_end)
        if close < 0:
            return line_end
        return close + (2 if text.startswith("]]", close) else 1)
    if ch in "\"'":
        if text.startswith(ch * 3, start):
            return line_end
        i = start + 1
        while i < line_end and text[i] != ch:
            i += 2 if ch == '"' and text[i] == "\\" else 1
        return min(i + 1, line_end)
    if ch in "{":
        close = text.rfind("}", start, line_end)
        return close + 1 if close >= 0 else line_end
    match = _WORD.match(text, start, line_end)
    if match:
        return match.end()
    return min(start + 1, line_end)


def extent(text: str, start: int) -> int:
    """Where a diagnostic's range ends: over a key and its value (`goto = "nowhere"`), else over one token."""
    line_end = text.find("\n", start)
    if line_end < 0:
        line_end = len(text)
    if text[line_end - 1:line_end] == "\r":
        line_end -= 1
    end = _closing(text, start, line_end)
    rest = text[end:line_end]
    stripped = rest.lstrip(" \t")
    if text[start:start + 1] not in "[{" and stripped.startswith("=") and not stripped.startswith("=="):
        value = end + (len(rest) - len(stripped)) + 1
        while value < line_end and text[value] in " \t":
            value += 1
        if value < line_end:
            end = _closing(text, value, line_end)
    return max(end, start)


@attrs.frozen
class Finding:
    """A diagnostic as the editor shows it, with its place as offsets into the text it was found in, so that
    it can be moved with the author's edits until a new check replaces it."""

    start: int
    end: int
    diagnostic: types.Diagnostic
    related: tuple[tuple[int, int, str], ...] = ()


def findings(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], lines: Lines) -> list[Finding]:
    """The loader's or the deep checks' diagnostics, placed in the text (ranges are filled by `render`)."""
    out = []
    text = lines.text
    bom = text.startswith("\ufeff")  # the loader reads the text without it, so line 1 moves by one

    def offset(line: int, column: int) -> int:
        return lines.offset_of(line, column + (1 if bom and line == 1 else 0))

    for diagnostic in diagnostics:
        start = offset(diagnostic.line, diagnostic.column)
        message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
        related = tuple((at, extent(text, at), one_line(r.message))
                        for r in diagnostic.related for at in [offset(r.line, r.column)])
        out.append(Finding(start, extent(text, start), types.Diagnostic(
            range=_NOWHERE,
            message=one_line(message),
            severity=_SEVERITY.get(diagnostic.severity, types.DiagnosticSeverity.Information),
            code=diagnostic.code,
            source=SOURCE,
        ), related))
    return out


_NOWHERE = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))


def render(found: list[Finding], lines: Lines, uri: str = "") -> list[types.Diagnostic]:
    """The LSP diagnostics for `found`, placed in the text `lines` holds."""
    out = []
    for finding in found:
        related = [types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=lines.range(start, end)), message=message)
            for start, end, message in finding.related] or None
        out.append(attrs.evolve(finding.diagnostic, range=lines.range(finding.start, finding.end),
                                related_information=related))
    return out


def to_lsp(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], lines: Lines,
           uri: str = "") -> list[types.Diagnostic]:
    """LSP diagnostics for the editor, in file order."""
    return render(findings(diagnostics, lines), lines, uri)


def common(old: str, new: str) -> tuple[int, int]:
    """The lengths of the longest common start and (not overlapping it) end of two texts."""
    low, high = 0, min(len(old), len(new))
    while low < high:  # halving on slices: the comparisons run at C speed even for long files
        mid = (low + high + 1) // 2
        if old[:mid] == new[:mid]:
            low = mid
        else:
            high = mid - 1
    prefix = low
    low, high = 0, min(len(old), len(new)) - prefix
    while low < high:
        mid = (low + high + 1) // 2
        if old[len(old) - mid:] == new[len(new) - mid:]:
            low = mid
        else:
            high = mid - 1
    return prefix, low


def carry(found: list[Finding], old: str, new: str) -> list[Finding]:
    """Findings about `old`, moved to where the same text stands in `new`.

    The edit is taken as one replaced stretch (what lies between the texts'
    common start and end). A finding before it stays, one after it moves by
    the change in length, one that touches it is stretched over it, and one
    wholly inside text that was replaced is dropped.
    """
    if old == new:
        return list(found)
    prefix, suffix = common(old, new)
    old_end, new_end = len(old) - suffix, len(new) - suffix
    delta = len(new) - len(old)

    def start_of(offset: int) -> int:
        return offset if offset < prefix else offset + delta if offset >= old_end else prefix

    def end_of(offset: int) -> int:
        return offset if offset <= prefix else offset + delta if offset >= old_end else new_end

    out = []
    for finding in found:
        if prefix <= finding.start and finding.end <= old_end and finding.start < old_end:
            continue
        related = tuple((start_of(s), max(start_of(s), end_of(e)), m) for s, e, m in finding.related)
        start = start_of(finding.start)
        out.append(attrs.evolve(finding, start=start, end=max(start, end_of(finding.end)), related=related))
    return out
