"""Quick fixes: edits the editor offers on a diagnostic, or on an ending, for one keystroke.

- "did you mean": a diagnostic whose hint suggests a name replaces the misspelt
  one with it (an unknown key, scene, ending, flag, meter, advice id, value);
- a flag that is used but not declared gets a line under [flags] (made if
  the file has none); a meter, a [meters.ID] table after the others (a name
  a condition tests alone is offered as a flag, one it compares as a meter);
- an id the loader refuses (`walk-home`, `met-dev`: a scene, ending, flag,
  meter or character) is renamed to the id it suggests, in its header or key
  and everywhere it is named;
- on an ending: the `[[expected]]` block that `second-chance path` prints,
  the shortest play there, added at the end of the file so `validate` keeps
  that route promised.
"""

from __future__ import annotations

import difflib
import re

import tomli
from lsprotocol import types
from pygls import uris

from game.lsp import diagnostics
from game.lsp.index import Index
from game.lsp.symbols import Spans

_SUGGESTED = re.compile(r"did you mean `([^`]+)`\?")
_CALL_IT = re.compile(r"call it `([^`]+)`")
_QUOTED = re.compile(r"`([^`]+)`")
_UNDECLARED = re.compile(r"unknown (flag|meter|name) `([A-Za-z_][A-Za-z0-9_]*)`")
PROMISE_SECONDS = 2.0
"""How long the search for the shortest play to an ending may take, for the quick fix that promises it."""


def _action(title: str, uri: str, edits: list[types.TextEdit], found: types.Diagnostic | None = None,
            preferred: bool = False) -> types.CodeAction:
    return types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix,
                            diagnostics=[found] if found is not None else None, is_preferred=preferred or None,
                            edit=types.WorkspaceEdit(changes={uri: edits}))


def fixes(index: Index, uri: str, where: types.Range, found: list[types.Diagnostic]) -> list[types.CodeAction]:
    """The quick fixes for the diagnostics the editor sends (those under the cursor) and for where it is."""
    out: list[types.CodeAction] = []
    for diagnostic in found:
        if diagnostic.source != diagnostics.SOURCE:
            continue
        out += _did_you_mean(index, uri, diagnostic)
        out += _declare(index, uri, diagnostic)
        out += _bad_id(index, uri, diagnostic)
    out += _promise(index, uri, where)
    return out


def _did_you_mean(index: Index, uri: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    suggested = _SUGGESTED.search(diagnostic.message)
    if suggested is None:
        return []
    better = suggested.group(1)
    lines = index.lines
    start = lines.offset(diagnostic.range.start.line, diagnostic.range.start.character)
    end = lines.offset(diagnostic.range.end.line, diagnostic.range.end.character)
    written = index.text[start:end]
    candidates = [w for w in _QUOTED.findall(diagnostic.message[:suggested.start()]) if w != better and w in written]
    if not candidates:
        return []
    wrong = max(candidates, key=lambda w: difflib.SequenceMatcher(None, w, better).ratio())
    at = start + _find_word(written, wrong)
    edit = types.TextEdit(range=lines.range(at, at + len(wrong)), new_text=better)
    return [_action(f"Change `{wrong}` to `{better}`", uri, [edit], diagnostic, preferred=True)]


def _find_word(text: str, word: str) -> int:
    """Where `word` stands alone in `text` (not inside a longer id), else its first place."""
    match = re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w-])", text)
    return match.start() if match else text.find(word)


def _declare(index: Index, uri: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    found = _UNDECLARED.search(diagnostic.message)
    if found is None or diagnostic.code not in ("SC031", "SC032", "SC042"):
        return []
    kind, name = found.groups()
    if kind == "name":  # in a condition: a flag where it is tested alone, a meter where it is compared
        kind = _read_as(index, diagnostic, name)
    out = []
    if kind == "flag" and name not in index.symbols.flags:
        out.append(_action(f"Declare flag `{name}` under [flags]", uri, [_flag_line(index, name)], diagnostic))
    if kind == "meter" and name not in index.symbols.meters:
        label = name.replace("_", " ").capitalize()
        out.append(_action(f"Declare meter `{name}`", uri, [_meter_table(index, name, label)], diagnostic))
    return out


_COMPARED_AFTER = re.compile(r"\s*(?:[<>]=?|[=!]=)")
_COMPARED_BEFORE = re.compile(r"(?:[<>]=?|[=!]=)\s*\Z")


def _read_as(index: Index, diagnostic: types.Diagnostic, name: str) -> str:
    """How a condition uses an unknown name: "meter" when it is compared with something, else "flag"."""
    at = index.lines.offset(diagnostic.range.start.line, diagnostic.range.start.character)
    if index.text[at:at + len(name)] != name:
        return "flag"
    line_start = index.text.rfind("\n", 0, at) + 1
    compared = _COMPARED_AFTER.match(index.text, at + len(name)) or _COMPARED_BEFORE.search(index.text[line_start:at])
    return "meter" if compared else "flag"


def _meter_table(index: Index, name: str, label: str) -> types.TextEdit:
    """A [meters.ID] table after the last meter the file declares (else before the first scene or ending)."""
    table = f'[meters.{name}]\nlabel = "{label}"\nstart = 5\n'
    span = Spans(index).span(("meters",))
    if span is None:
        return _before_scenes(index, table + "\n")
    at = span[1]
    return types.TextEdit(range=index.lines.range(at, at), new_text=f"\n\n{table.rstrip()}")


def _flag_line(index: Index, name: str) -> types.TextEdit:
    line = f'{name} = "What happened, in one sentence."'
    span = Spans(index).span(("flags",))
    if span is None:
        return _before_scenes(index, f"[flags]\n{line}\n\n")
    at = span[1]
    return types.TextEdit(range=index.lines.range(at, at), new_text=f"\n{line}")


def _before_scenes(index: Index, text: str) -> types.TextEdit:
    """An insertion before the first scene or ending (or at the end of the file)."""
    first = [k.start for k in index.reading.keys if k.header and k.names()[:1] in (("scenes",), ("endings",))]
    at = min(first) if first else len(index.text)
    if not first and index.text and not index.text.endswith("\n"):
        text = "\n" + text
    return types.TextEdit(range=index.lines.range(at, at), new_text=text)


_KIND = {"scene": "place", "ending": "place", "flag": "flag", "meter": "meter", "cast": "cast"}
_BAD_ID = re.compile(r"^(scene|ending|flag|meter|cast) id `([^`]+)`")


def _bad_id(index: Index, uri: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    """An id the loader refuses (`met-dev`), renamed to the id it suggests wherever it is written: its header
    or key, and every `goto`, `set`, `clear`, effect, condition or `from` that names it. Offered only when the
    renamed file still reads as TOML (it may join tables already written under the new id)."""
    call = _CALL_IT.search(diagnostic.message)
    named = _BAD_ID.search(diagnostic.message)
    if diagnostic.code != "SC023" or call is None or named is None:
        return []
    kind, old, new = _KIND[named.group(1)], named.group(2), call.group(1)
    uses = [o for o in index.uses(kind, old) if kind != "cast" or index.text[o.start:o.end] == old]
    if not uses:
        return []
    edits = sorted({(o.start, o.end) for o in uses})
    renamed, last = [], 0
    for start, end in edits:
        renamed += [index.text[last:start], new]
        last = end
    try:
        tomli.loads("".join(renamed) + index.text[last:])
    except (tomli.TOMLDecodeError, RecursionError):  # deep nesting runs out of stack
        return []
    changes = [types.TextEdit(range=index.lines.range(start, end), new_text=new) for start, end in edits]
    return [_action(f"Rename `{old}` to `{new}` everywhere", uri, changes, diagnostic, preferred=True)]


def _promise(index: Index, uri: str, where: types.Range) -> list[types.CodeAction]:
    """On an ending: promise the shortest play there with an `[[expected]]` block."""
    offset = index.lines.offset(where.start.line, where.start.character)
    occurrence = index.occurrence_at(offset)
    if occurrence is None or occurrence.kind != "place" or occurrence.id not in index.symbols.endings:
        return []
    if not index.parsed:
        return []
    cached = index.promises.get(occurrence.id)
    if cached is None:
        cached = index.promises[occurrence.id] = _shortest_block(index, uri, occurrence.id)
    if not cached:
        return []
    block, count = cached
    at = len(index.text)
    lead = "" if index.text.endswith("\n\n") else "\n" if index.text.endswith("\n") else "\n\n"
    edit = types.TextEdit(range=index.lines.range(at, at), new_text=f"{lead}{block}\n")
    return [_action(f"Promise the shortest play to `{occurrence.id}` ([[expected]], {count} "
                    f"choice{'' if count == 1 else 's'})", uri, [edit])]


def _shortest_block(index: Index, uri: str, ending: str) -> tuple[str, int] | tuple[()]:
    from game.analysis.budget import Budget
    from game.analysis.expected import expected_block
    from game.analysis.explore import explore

    path = uris.to_fs_path(uri) if uri.startswith("file:") else None
    checked = diagnostics.check(index.text, path or uri, None)
    if checked.scenario is None:
        return ()
    walk = explore(checked.scenario, budget=Budget(seconds=PROMISE_SECONDS))
    ref = walk.first_state.get(ending)
    if ref is None:
        return ()
    moves = walk.play(ref)
    return expected_block(f"shortest play to {ending}", moves, ending), len(moves)
