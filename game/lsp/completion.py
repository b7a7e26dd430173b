"""Completion: the ids and keys a scenario expects where the cursor is.

- `goto = "` offers the scenes, the endings and "@ending"; `start` the scenes;
  an expected `ending` the endings;
- inside an `if` or `when` condition: the meters, the flags, `visits.SCENE`,
  `tactic` and `tactic.ADVICE_ID`, `and`, `or`, `not`, `true`, `false`;
- in `follows` and `ignores`: advice ids (the shared catalog and the file's own
  [advice.ID]), each with its title; in `set` and `clear`: the flags;
- in `effects = { `: the meters;
- where a key is expected: the keys the current table allows (from the loader's
  own tables), less those already written; in a `[header]`: the tables;
- `tone`, `outcome`, `unavailable` and an advice `category`: their few values.

Everything works from the text before the cursor, so a half-typed file
completes as well as a finished one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lsprotocol import types

from game.expr import KEYWORDS
from game.loader import keys as spec
from game.lsp.hover import advice_markdown, escape, first_line
from game.lsp.index import Index
from game.model import ADVICE_CATEGORIES, AUTO_ENDING, OUTCOMES, TONES, UNAVAILABLE
from game.safetext import one_line
from game.toml import Context, context_at

Kind = types.CompletionItemKind
_WORD = re.compile(r"[A-Za-z0-9_.-]*\Z")


def _ok(ident: str) -> bool:
    """Whether an id may be offered: never one the loader refuses (`met-dev`), which its own error renames."""
    return spec.ID.match(ident) is not None


def table_keys(names: tuple[str, ...]) -> tuple[str, Mapping[str, spec.Field]] | None:
    """The schema name and key table for a table's path (array positions left out), if the format has one."""
    n = len(names)
    root = names[0] if names else ""
    if n == 0:
        return "top", spec.TOP_KEYS
    if names == ("scenario",):
        return "scenario", spec.SCENARIO_KEYS
    if names == ("expected",):
        return "expected", spec.EXPECTED_KEYS
    if n == 2 and root == "meters":
        return "meter", spec.METER_KEYS
    if n == 2 and root == "advice":
        return "advice", spec.ADVICE_KEYS
    if n == 2 and root == "cast":
        return "cast", spec.CAST_KEYS
    if n == 2 and root == "scenes":
        return "scene", spec.SCENE_KEYS
    if n == 2 and root == "endings":
        return "ending", spec.ENDING_KEYS
    if n == 3 and root == "scenes" and names[2] == "choices":
        return "choice", spec.CHOICE_KEYS
    if n == 3 and root in ("scenes", "endings") and names[2] == "variants":
        return "variant", spec.VARIANT_KEYS
    if n == 3 and root == "scenes" and names[2] == "messages":
        return "message", spec.MESSAGE_KEYS
    return None


def _edit(index: Index, start: int, end: int, label: str, kind: types.CompletionItemKind, detail: str = "",
          doc: str = "", insert: str | None = None, sort: str = "") -> types.CompletionItem:
    return types.CompletionItem(
        label=label,
        kind=kind,
        detail=one_line(detail) if detail else None,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=doc) if doc else None,
        text_edit=types.TextEdit(range=index.lines.range(start, end), new_text=label if insert is None else insert),
        filter_text=label,
        sort_text=sort or None,
    )


def _id_values(index: Index, names: tuple[str, ...]) -> list[tuple[str, types.CompletionItemKind, str, str]]:
    """(value, kind, detail, documentation) for the ids a string at `names` may hold."""
    symbols = index.symbols
    last = names[-1] if names else ""
    root = names[0] if names else ""
    scenes = [(s.id, Kind.Class, f"scene{': ' + s.title if s.title else ''}", escape(first_line(s.text)))
              for s in symbols.scenes.values() if _ok(s.id)]
    endings = [(e.id, Kind.Event, f"ending ({e.tone or 'no tone yet'}){': ' + e.title if e.title else ''}",
                escape(first_line(e.text))) for e in symbols.endings.values() if _ok(e.id)]
    if last == "goto" and root == "scenes":
        auto = (AUTO_ENDING, Kind.Keyword, "the first ending whose `when` holds", "")
        return [*scenes, *endings, auto]
    if names == ("scenario", "start"):
        return scenes
    if names == ("expected", "ending"):
        return endings
    if last in ("follows", "ignores") and root == "scenes":
        return [(a.id, Kind.Reference, a.title, advice_markdown(a, heading=False))
                for a in sorted(symbols.advice.values(), key=lambda a: (a.id not in symbols.local_advice, a.id))]
    if last in ("set", "clear") and root == "scenes":
        return [(f, Kind.Constant, text or "flag", "") for f, text in symbols.flags.items() if _ok(f)]
    choices: tuple[str, ...] = ()
    if last == "tone" and root == "endings":
        choices = TONES
    elif last == "outcome" and root == "endings":
        choices = OUTCOMES
    elif last == "unavailable" and root == "scenes":
        choices = UNAVAILABLE
    elif last == "category" and root == "advice":
        choices = ADVICE_CATEGORIES
    return [(c, Kind.EnumMember, "", "") for c in choices]


def _condition(index: Index, context: Context, offset: int) -> list[types.CompletionItem]:
    word = _WORD.search(context.prefix).group()
    start = offset - len(word)
    symbols = index.symbols
    items = [_edit(index, start, offset, m.id, Kind.Variable, f"meter: {m.label} ({m.min} to {m.max})", sort=f"1{m.id}")
             for m in symbols.meters.values() if _ok(m.id)]
    items += [_edit(index, start, offset, f, Kind.Constant, text or "flag", sort=f"2{f}")
              for f, text in symbols.flags.items() if _ok(f)]
    items += [_edit(index, start, offset, f"visits.{s.id}", Kind.Field,
                    f"how many times the play has been in scene {s.id}", sort=f"3{s.id}")
              for s in symbols.scenes.values() if _ok(s.id)]
    items += [_edit(index, start, offset, "tactic", Kind.Keyword, "true once the play has used a tactic",
                    sort="4tactic")]
    items += [_edit(index, start, offset, f"tactic.{a.id}", Kind.Reference, f"true once the play has used: {a.title}",
                    sort=f"5{a.id}") for a in symbols.advice.values() if a.manipulative]
    items += [_edit(index, start, offset, k, Kind.Keyword, sort=f"6{k}") for k in sorted(KEYWORDS)]
    return items


def _keys(index: Index, context: Context, offset: int) -> list[types.CompletionItem]:
    names = context.names
    start = context.start
    if len(names) == 4 and names[0] == "scenes" and names[2:] == ("choices", "effects"):
        written = _present(index, context)  # a meter moved twice in one table is a TOML error
        return [_edit(index, start, offset, m.id, Kind.Variable, f"meter: {m.label} ({m.min} to {m.max})",
                      insert=f"{m.id} = ") for m in index.symbols.meters.values() if _ok(m.id) and m.id not in written]
    found = table_keys(names)
    if found is None:
        return []
    schema_name, table = found
    present = _present(index, context)
    if schema_name == "top":  # the file's top level is written as tables
        headers = ["[scenario]", "[meters.", "[flags]", "[cast.", "[advice.", "[scenes.", "[endings.", "[[expected]]"]
        return [_edit(index, start, offset, header, Kind.Module, sort=f"{i}")
                for i, header in enumerate(headers) if header.strip("[].") not in present
                or header.endswith(".") or header.startswith("[[")]
    from game.schema import DESCRIPTIONS  # the same words the editor's JSON Schema shows

    items = []
    for key, field in table.items():
        if key in present:
            continue
        items.append(_edit(index, start, offset, key, Kind.Property,
                           f"{field.kind}{', required' if field.required else ''}",
                           DESCRIPTIONS.get(schema_name, {}).get(key, ""), insert=f"{key} = ",
                           sort=f"{0 if field.required else 1}{key}"))
    return items


def _present(index: Index, context: Context) -> set[str]:
    """The keys already written in the table the cursor is in (the one being typed aside)."""
    table = context.path
    typed = context.names[len([p for p in table if isinstance(p, str)]):]
    table = (*table, *typed)
    out = set()
    for key in index.reading.keys:
        if len(key.path) > len(table) and key.path[:len(table)] == table and key.start != context.start:
            out.add(key.path[len(table)])
    return out


def _headers(index: Index, context: Context, offset: int) -> list[types.CompletionItem]:
    names = context.names
    symbols = index.symbols
    if not names:
        tops = {"scenario": "scenario", "meters": "meters.", "flags": "flags", "cast": "cast.", "advice": "advice.",
                "scenes": "scenes.", "endings": "endings.", "expected": "expected"}
        return [_edit(index, context.start, offset, label, Kind.Module, insert=insert)
                for label, insert in tops.items()]
    if names == ("scenes",):
        return [_edit(index, context.start, offset, s, Kind.Class, "scene") for s in symbols.scenes if _ok(s)]
    if names == ("endings",):
        return [_edit(index, context.start, offset, e, Kind.Event, "ending") for e in symbols.endings if _ok(e)]
    if names == ("meters",):
        return [_edit(index, context.start, offset, m, Kind.Variable, "meter") for m in symbols.meters if _ok(m)]
    if len(names) == 2 and names[0] == "scenes":
        return [_edit(index, context.start, offset, k, Kind.Module) for k in ("choices", "variants", "messages")]
    if len(names) == 2 and names[0] == "endings":
        return [_edit(index, context.start, offset, "variants", Kind.Module)]
    return []


def complete(index: Index, offset: int) -> list[types.CompletionItem]:
    """The completion items at `offset` in the document."""
    if not index.scenario_like:
        return []
    context = context_at(index.text, offset)
    names = context.names
    if context.kind == "key":
        return _keys(index, context, offset)
    if context.kind == "header":
        return _headers(index, context, offset)
    if context.kind not in ("string", "value") or not names:
        return []
    if names[-1] in ("if", "when"):
        return _condition(index, context, offset) if context.kind == "string" else []
    values = _id_values(index, names)
    quote = '"' if context.kind == "value" else ""
    if context.kind == "value" and (context.prefix.strip() or not values):
        return []  # a number or `true` being typed, not a string
    return [_edit(index, context.start, offset, value, kind, detail, doc, insert=f"{quote}{value}{quote}",
                  sort=f"{i:04d}")
            for i, (value, kind, detail, doc) in enumerate(values)]
