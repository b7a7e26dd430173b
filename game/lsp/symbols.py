"""The document outline: the story's parts, as an editor's outline view and "go to symbol" show them.

The scenario, its meters, flags, cast and own advice, every scene with its
choices (numbered as in the file, each with where it goes), every ending
with its tone, and the expected playthroughs. Each part spans its tables in
the file (a scene's span runs from its header to the end of its last
choice), and selecting one selects its id. It is read from the tolerant
reading, so the outline stays while the file is half typed.
"""

from __future__ import annotations

from lsprotocol import types

from game.analysis.numbering import short
from game.lsp.index import Index
from game.toml import Key

Kind = types.SymbolKind
_GROUPS = {"meters": ("Meters", Kind.Variable), "flags": ("Flags", Kind.Boolean),
           "cast": ("Cast", Kind.Struct), "advice": ("Advice", Kind.Interface)}


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


class Spans:
    """Where each table's section of the file ends: at the next header (less the blank lines before it)."""

    def __init__(self, index: Index):
        self.text = index.text
        self.headers = sorted((k for k in index.reading.keys if k.header), key=lambda k: k.start)
        self.ends: dict[int, int] = {}
        for i, key in enumerate(self.headers):
            end = self.headers[i + 1].start if i + 1 < len(self.headers) else len(self.text)
            while end > key.end and self.text[end - 1] in " \t\r\n":
                end -= 1
            self.ends[key.start] = max(end, key.end)

    def under(self, names: tuple[str, ...]) -> list[Key]:
        return [k for k in self.headers if k.names()[:len(names)] == names]

    def span(self, names: tuple[str, ...]) -> tuple[int, int] | None:
        keys = self.under(names)
        if not keys:
            return None
        return min(k.start for k in keys), max(self.ends[k.start] for k in keys)


def _symbol(index: Index, name: str, kind: types.SymbolKind, span: tuple[int, int], selection: tuple[int, int],
            detail: str = "", children: list[types.DocumentSymbol] | None = None) -> types.DocumentSymbol:
    start, end = span
    sel_start, sel_end = max(start, min(selection[0], end)), max(start, min(selection[1], end))
    return types.DocumentSymbol(name=name or "?", kind=kind, range=index.lines.range(start, end),
                                selection_range=index.lines.range(sel_start, sel_end), detail=detail or None,
                                children=children or None)


def outline(index: Index) -> list[types.DocumentSymbol]:
    """The outline of the document, in file order."""
    spans = Spans(index)
    symbols = index.symbols
    reading = index.reading
    out: list[types.DocumentSymbol] = []
    head = spans.span(("scenario",))
    if head:
        title = reading.tree.get("scenario", {}).get("title") if isinstance(reading.tree.get("scenario"), dict) \
            else None
        key = spans.under(("scenario",))[0]
        out.append(_symbol(index, "scenario", Kind.Module, head, (key.start, key.end),
                           title if isinstance(title, str) else ""))
    for group, (label, kind) in _GROUPS.items():
        children = []
        for key in (k for k in reading.keys if k.names()[:1] == (group,) and len(k.names()) == 2):
            part = key.part_for(1)
            if part is None or any(c.name == part.text for c in children):
                continue
            span = spans.span((group, part.text)) or (key.start, _line_end(index.text, key.start))
            detail = {"meters": lambda i: symbols.meters[i].label if i in symbols.meters else "",
                      "flags": lambda i: symbols.flags.get(i, ""),
                      "cast": lambda i: symbols.cast[i].note if i in symbols.cast else "",
                      "advice": lambda i: symbols.advice[i].title if i in symbols.advice else ""}[group](part.text)
            children.append(_symbol(index, part.text, kind, span, (part.start, part.end), short(detail, 60)))
        if children:
            whole = (children[0].range, children[-1].range)
            start = index.lines.offset(whole[0].start.line, whole[0].start.character)
            end = index.lines.offset(whole[1].end.line, whole[1].end.character)
            group_key = next(k for k in reading.keys if k.names()[:1] == (group,))
            out.append(_symbol(index, label, Kind.Namespace, (min(start, group_key.start), end),
                               (group_key.start, group_key.start), children=children))
    for scene_id, scene in symbols.scenes.items():
        found = _place(index, spans, "scenes", scene_id, Kind.Class, scene.title, _choices(index, spans, scene_id))
        out += [found] if found else []
    for ending_id, ending in symbols.endings.items():
        detail = ", ".join(x for x in (ending.tone, ending.outcome) if x)
        found = _place(index, spans, "endings", ending_id, Kind.Event,
                       f"{detail}{': ' if detail and ending.title else ''}{ending.title}")
        out += [found] if found else []
    for key in spans.under(("expected",)):
        names = [s.value for s in reading.strings if s.path == (*key.path, "name")]
        ending = [s.value for s in reading.strings if s.path == (*key.path, "ending")]
        out.append(_symbol(index, names[0] if names else f"expected play {key.path[-1] + 1}", Kind.EnumMember,
                           (key.start, spans.ends[key.start]), (key.start, key.end),
                           f"→ {ending[0]}" if ending else ""))
    out.sort(key=lambda s: (s.range.start.line, s.range.start.character))
    return out


def _place(index: Index, spans: Spans, table: str, ident: str, kind: types.SymbolKind, detail: str,
           children: list[types.DocumentSymbol] | None = None) -> types.DocumentSymbol | None:
    """A scene or an ending, spanning its tables, its id selected."""
    span = spans.span((table, ident))
    key = next(iter(spans.under((table, ident))), None)
    if span is None or key is None:
        return None
    part = key.part_for(1)
    return _symbol(index, ident, kind, span, (part.start, part.end) if part else span, detail, children)


def _choices(index: Index, spans: Spans, scene_id: str) -> list[types.DocumentSymbol]:
    """A scene's choices, numbered as in the file, each with where it goes."""
    out = []
    for key in spans.under(("scenes", scene_id, "choices")):
        if len(key.path) != 4:
            continue
        number = key.path[3] + 1
        text = next((s.value for s in index.reading.strings if s.path == (*key.path, "text")), "")
        goto = next((s.value for s in index.reading.strings if s.path == (*key.path, "goto")), "")
        out.append(_symbol(index, f"{number}. {short(text, 50)}", Kind.Method, (key.start, spans.ends[key.start]),
                           (key.start, key.end), f"→ {goto}" if goto else ""))
    return out
