"""Quick fixes: edits the editor offers on a diagnostic, or on an ending, for one keystroke.

- "did you mean": a diagnostic whose hint suggests a name replaces the misspelt
  one with it (an unknown key, scene, ending, flag, meter, advice id, value);
- a flag that is used but not declared gets a line under [flags] (made if
  the file has none); a meter, a [meters.ID] table;
- an id the loader refuses (`walk-home`) is renamed to the id it suggests, in
  its header and everywhere it is named;
- on an ending: the `[[expected]]` block that `second-chance path` prints,
  the shortest play there, added at the end of the file so `validate` keeps
  that route promised.
"""

from __future__ import annotations

import difflib
import re

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
    out = []
    if kind in ("flag", "name") and name not in index.symbols.flags:
        out.append(_action(f"Declare flag `{name}` under [flags]", uri, [_flag_line(index, name)], diagnostic))
    if kind in ("meter", "name") and name not in index.symbols.meters:
        label = name.replace("_", " ").capitalize()
        out.append(_action(f"Declare meter `{name}`", uri, [_before_scenes(
            index, f'[meters.{name}]\nlabel = "{label}"\nstart = 5\n\n')], diagnostic))
    return out


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


def _bad_id(index: Index, uri: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    call = _CALL_IT.search(diagnostic.message)
    named = _QUOTED.search(diagnostic.message)
    if diagnostic.code != "SC023" or call is None or named is None:
        return []
    old, new = named.group(1), call.group(1)
    uses = index.uses("place", old)
    if not uses or index.symbols.place(new) is not None:
        return []
    edits = [types.TextEdit(range=index.lines.range(o.start, o.end), new_text=new) for o in uses]
    return [_action(f"Rename `{old}` to `{new}` everywhere", uri, edits, diagnostic, preferred=True)]


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
