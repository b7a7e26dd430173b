"""Hover: what an id stands for, in Markdown.

On an advice id (in `follows`, `ignores` or its own `[advice.ID]` header):
its title, its text, its sources, and where the articles disagree and what
the game makes of it. On a scene or ending id (a header, a `goto`, `start`,
`visits.ID`, an expected ending): its title and the first line of its text.
On a flag in `set` or `clear`: the sentence that describes it.

Scenario text is written by strangers, so every piece of it is escaped
before it becomes Markdown: a title cannot turn into a link, an image or
HTML in the author's editor.
"""

from __future__ import annotations

import re

from lsprotocol import types

from game.lsp.index import Index
from game.model import Advice
from game.safetext import printable

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:])")
"""Marks that could make Markdown of plain text: emphasis, links, HTML, headings, lists, tables, and the
`.` and `:` of a bare web address, which some editors turn into a link."""


def escape(text: str) -> str:
    """Text shown literally in Markdown: every ASCII punctuation mark that could mean something is escaped."""
    return _PUNCTUATION.sub(r"\\\1", printable(text))


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
    """The hover for the id at `offset`, or None when the cursor is on no id the file knows."""
    occurrence = index.occurrence_at(offset)
    if occurrence is None:
        return None
    symbols = index.symbols
    if occurrence.kind == "advice":
        advice = symbols.advice.get(occurrence.id)
        if advice is None:
            return None
        where = "this file" if advice.id in symbols.local_advice else "the shared catalog"
        value = advice_markdown(advice) + f"\n\n(from {where})"
    elif occurrence.kind == "place":
        place = symbols.place(occurrence.id)
        if place is None:
            return None
        what = "Scene" if place.kind == "scene" else "Ending"
        head = f"**{what} {escape(place.id)}**"
        if place.title:
            head += f": {escape(place.title)}"
        if place.kind == "ending" and place.tone:
            head += f" ({escape(place.tone)}{', ' + escape(place.outcome) if place.outcome else ''})"
        line = first_line(place.text)
        value = head + (f"\n\n{escape(line)}" if line else "")
    else:
        description = symbols.flags.get(occurrence.id)
        if not description:
            return None
        value = f"**Flag {escape(occurrence.id)}**\n\n{escape(description)}"
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value),
        range=index.lines.range(occurrence.start, occurrence.end),
    )
