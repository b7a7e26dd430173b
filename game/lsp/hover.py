"""Hover: what an id stands for, in Markdown.

On an advice id (in `follows`, `ignores`, `tactic.ID` or its own
`[advice.ID]` header): its title, its text, its sources, and where the
articles disagree and what the game makes of it. On a scene or ending id (a
header, a `goto`, `start`, `visits.ID`, an expected ending): its title and
the first line of its text. On `goto = "@ending"`: which ending the story
picks, in order, and when. On a flag: the sentence that describes it, and how
many choices set it and conditions test it. On a meter: its label, range,
start, and how many choices move it and conditions read it. On a
character's name, in any text: who they are (their note) and their other
names.

Scenario text is written by strangers, so every piece of it is escaped
before it becomes Markdown: a title cannot turn into a link, an image or
HTML in the author's editor.
"""

from __future__ import annotations

import re

from lsprotocol import types

from game.lsp.index import Index, Occurrence
from game.model import AUTO_ENDING, Advice
from game.safetext import printable

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:])")
"""Marks that could make Markdown of plain text: emphasis, links, HTML, headings, lists, tables, and the
`.` and `:` of a bare web address, which some editors turn into a link."""


def escape(text: str) -> str:
    """Text shown literally in Markdown: every ASCII punctuation mark that could mean something is escaped."""
    return _PUNCTUATION.sub(r"\\\1", printable(text))


def code(text: str) -> str:
    """Text shown as code in Markdown (where escapes are not read): printable, without backquotes."""
    return "`" + printable(text).replace("`", "'") + "`"


def first_line(text: str) -> str:
    """The first line of a text that is not blank."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def advice_markdown(advice: Advice, heading: bool = True) -> str:
    parts = []
    if heading:
        parts.append(f"**{escape(advice.title or advice.id)}** (advice {escape(advice.id)})")
    if advice.manipulative:
        parts.append("*A manipulative tactic: the game never rewards it.*")
    if advice.text:
        parts.append(escape(advice.text))
    if advice.sources:
        parts.append("Sources: " + ", ".join(escape(s) for s in advice.sources))
    if advice.disagreement:
        parts.append("Where the articles disagree: " + escape(advice.disagreement))
    if advice.stance:
        parts.append("The game's stance: " + escape(advice.stance))
    return "\n\n".join(parts)


def hover(index: Index, offset: int) -> types.Hover | None:
    """The hover for the id or name at `offset`, or None when the cursor is on nothing the file knows."""
    occurrence = index.occurrence_at(offset)
    if occurrence is None:
        return None
    value = {"advice": _advice, "place": _place, "flag": _flag, "meter": _meter, "cast": _character,
             "keyword": _tactic}[occurrence.kind](index, occurrence)
    if not value:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value),
        range=index.lines.range(occurrence.start, occurrence.end),
    )


def _advice(index: Index, occurrence: Occurrence) -> str:
    symbols = index.symbols
    advice = symbols.advice.get(occurrence.id)
    if advice is None:
        return ""
    where = "this file" if advice.id in symbols.local_advice else "the shared catalog"
    used = "" if occurrence.role != "tactic" else "\n\n" + code(f"tactic.{advice.id}") + " holds once the play " \
        "has taken a choice that follows it."
    return advice_markdown(advice) + f"\n\n(from {where})" + used


def _place(index: Index, occurrence: Occurrence) -> str:
    if occurrence.id == AUTO_ENDING:
        return _auto_ending(index, occurrence)
    place = index.symbols.place(occurrence.id)
    if place is None:
        return ""
    what = "Scene" if place.kind == "scene" else "Ending"
    head = f"**{what} {escape(place.id)}**"
    if place.title:
        head += f": {escape(place.title)}"
    if place.kind == "ending" and place.tone:
        head += f" ({escape(place.tone)}{', ' + escape(place.outcome) if place.outcome else ''})"
    line = first_line(place.text)
    return head + (f"\n\n{escape(line)}" if line else "")


def _auto_ending(index: Index, occurrence: Occurrence) -> str:
    """`goto = "@ending"`: which ending the story picks, and when; with the last deep check's findings, which
    this choice picks, and which no play picks (there, or at all)."""
    lines = ["**@ending**: the first ending, in file order, whose `when` holds once this choice's effects and "
             "flags are applied:", ""]
    picks = index.picks
    here = _choice_at(index, occurrence.start)
    picked = picks.by_choice.get(here) if picks is not None and here is not None else None
    seen = "in any play" if picks is not None and picks.proved else "in the plays the last check explored"
    fallback = None
    for number, ending in enumerate(index.symbols.endings.values(), 1):
        title = f" ({escape(ending.title)})" if ending.title else ""
        if ending.when:
            line = f"{number}. {code(ending.id)}{title} when {code(ending.when)}"
            if picks is not None and ending.id in picks.never:
                line += f": never picked {seen} (its `when` never holds when the story picks an ending, SC115)"
            elif picked is not None and ending.id not in picked:
                line += f": never picked here {seen}"
        elif fallback is None:
            fallback = ending.id
            line = f"{number}. {code(ending.id)}{title}: no `when`, so it is picked whenever none above holds"
            if picked is not None and ending.id not in picked:
                line += f"; never picked here {seen}"
        else:
            line = f"{number}. {code(ending.id)}{title}: never picked (an ending above it has no `when`)"
        lines.append(line)
    if fallback is None:
        lines.append("\nEvery ending has a `when`: give the last one none, so that a play always ends (SC037).")
    effects = _effects_at(index, occurrence.start)
    if effects:
        lines.append(f"\nThis choice moves {code(effects)} first.")
    if picked:
        names = " or ".join(code(e) for e in index.symbols.endings if e in picked)
        lines.append(f"\nFrom this choice, {'every play ends' if len(picked) == 1 else 'plays end'} at {names} "
                     f"({'every play checked' if picks.proved else 'in the plays the last check explored'}).")
    elif picks is None:
        lines.append("\nWhich of them this choice picks is shown after the checks that run when you pause.")
    return "\n".join(lines)


def _choice_at(index: Index, offset: int) -> tuple[str, int] | None:
    """The (scene, choice index) whose `goto` is written at `offset`."""
    for string in index.reading.strings:
        if string.content_start <= offset <= string.content_end:
            path = string.path
            if len(path) == 5 and path[0] == "scenes" and path[2] == "choices" and isinstance(path[3], int):
                return str(path[1]), path[3]
            return None
    return None


def _tactic(index: Index, occurrence: Occurrence) -> str:
    """`tactic` in a condition: what it means, and the tactics this story knows."""
    tactics = [a for a in index.symbols.advice.values() if a.manipulative]
    known = ", ".join(code(f"tactic.{a.id}") for a in tactics[:8]) + (" and more" if len(tactics) > 8 else "")
    return ("**tactic**: true once the play has taken a choice that follows advice marked `manipulative` (a "
            "tactic); `not tactic` holds for a play that has taken none." + (
                f"\n\nTo ask about one tactic: {known}." if tactics else ""))


def _effects_at(index: Index, offset: int) -> str:
    """The effects of the choice whose `goto` is at `offset`, in words (`trust -1, nerve +1`)."""
    for string in index.reading.strings:
        if string.content_start <= offset <= string.content_end:
            table = string.path[:-1]
            node: object = index.reading.tree
            for part in table:
                node = node.get(part) if isinstance(node, dict) else None
            effects = node.get("effects") if isinstance(node, dict) else None
            if isinstance(effects, dict):
                return ", ".join(f"{m} {v:+d}" for m, v in effects.items() if isinstance(v, int))
    return ""


def _flag(index: Index, occurrence: Occurrence) -> str:
    if occurrence.id not in index.symbols.flags:
        return ""
    uses = index.uses("flag", occurrence.id)
    sets = sum(1 for o in uses if o.role == "flag" and _key_of(index, o) == "set")
    tests = sum(1 for o in uses if o.role == "condition")
    description = index.symbols.flags[occurrence.id]
    return (f"**Flag {escape(occurrence.id)}**" + (f"\n\n{escape(description)}" if description else "")
            + f"\n\nSet by {_count(sets, 'choice')}; tested by {_count(tests, 'condition')}.")


def _key_of(index: Index, occurrence: Occurrence) -> str:
    for string in index.reading.strings:
        if string.content_start == occurrence.start:
            names = string.names()
            return names[-1] if names else ""
    return ""


def _meter(index: Index, occurrence: Occurrence) -> str:
    meter = index.symbols.meters.get(occurrence.id)
    if meter is None:
        return ""
    uses = index.uses("meter", occurrence.id)
    moves = sum(1 for o in uses if o.role == "effect")
    reads = sum(1 for o in uses if o.role == "condition")
    kind = "built in" if meter.id in ("trust", "self_esteem") and not meter.declared else "declared here"
    shown = "hidden during play" if meter.hidden else "shown during play"
    return (f"**Meter {escape(meter.id)}**: {escape(meter.label)}\n\n"
            f"From {meter.min} to {meter.max}, starting at {meter.start}; {shown} ({kind}).\n\n"
            f"Moved by {_count(moves, 'choice')}; read by {_count(reads, 'condition')}.")


def _character(index: Index, occurrence: Occurrence) -> str:
    character = index.symbols.cast.get(occurrence.id)
    if character is None:
        return ""
    value = f"**{escape(character.name)}**"
    if character.aka:
        value += " (also " + ", ".join(escape(a) for a in character.aka) + ")"
    value += f" · cast {code(character.id)}"
    if character.note:
        value += f"\n\n{escape(character.note)}"
    return value


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}" if n else f"no {what}"
