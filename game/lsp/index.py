"""What one version of a scenario document holds: its ids and names, and everywhere each is written.

The ids come from the parsed file when it is valid TOML, and from the
tolerant reading (`game.toml`) when it is not, so completion and hover keep
working while the author types. Where each is written always comes from the
tolerant reading, which records the offsets of every key and string:

- a scene or ending: its headers, a `goto`, `start`, `visits.ID` in a
  condition, an expected `ending`;
- advice: its own header, `follows` and `ignores`, `tactic.ID` in a condition;
- a flag: its line under [flags], `set` and `clear`, a condition;
- a meter: its [meters.ID], an `effects` key, a condition;
- a character of the cast: their [cast.ID], their `name` and `aka`, a
  message's `from`, and every place a text names them (found by the game's
  own rule, `game.cast`), an `[[expected]]` play's choice texts included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import tomli

from game.cast import Cast
from game.expr import KEYWORDS, TACTIC
from game.library import kind_of
from game.loader import STANDARD_METERS, load_catalog
from game.lsp.document import Lines
from game.model import Advice, Character
from game.toml import Reading, read

PLACES = ("scenes", "endings")
PROSE = frozenset({"text", "title", "summary", "reason", "discuss", "facilitator", "note", "disagreement", "stance"})
"""Keys whose strings are prose a reader reads, where the cast is named."""
EXPECTED_TEXTS = ("expected", "choices")
"""Where an `[[expected]]` play picks a choice by its exact text: a copy of the choice's text, so a name in it is
found, and renamed, with the choice's."""
_WORDS = re.compile(r"(?<![\w.-])([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)(?:\.([A-Za-z0-9_][A-Za-z0-9_-]*))?")
"""A name in a condition: an id, with hyphens too (`met-dev`, an id the loader refuses, still found to rename),
and what follows a dot (`visits.ID`, `tactic.ID`)."""


def looks_like_scenario(text: str) -> bool:
    """Whether a TOML document is (or is becoming) a scenario: editors attach the server to every .toml file,
    and a pyproject.toml or the advice catalog should hear nothing from it."""
    return kind_of(text) == "scenario"


@attrs.frozen
class Place:
    """A scene or an ending, as far as the text says."""

    id: str
    kind: str  # "scene" or "ending"
    title: str = ""
    text: str = ""
    tone: str = ""
    outcome: str = ""
    when: str = ""


@attrs.frozen
class MeterInfo:
    id: str
    label: str
    min: int
    max: int
    start: int = 0
    hidden: bool = True
    declared: bool = False


@attrs.frozen
class Occurrence:
    """One place an id or name is written. `role` says how: "header", "key", "goto", "start", "ending",
    "visits", "advice" (in follows/ignores), "tactic", "flag" (in set/clear), "condition", "effect", "name",
    "sender" or "mention" (a text naming a character)."""

    id: str
    kind: str  # "place" (a scene or ending), "advice", "flag", "meter", "cast", or "keyword" (`tactic`)
    role: str
    start: int
    end: int
    within: int = -1  # for a name in a text: where the text's string starts (its content, after the quote)


@attrs.frozen
class Symbols:
    """The ids a document declares, with what is known about each."""

    scenes: dict[str, Place]
    endings: dict[str, Place]
    meters: dict[str, MeterInfo]
    flags: dict[str, str]
    advice: dict[str, Advice]
    local_advice: frozenset[str]
    cast: dict[str, Character] = attrs.field(factory=dict)

    def place(self, place_id: str) -> Place | None:
        return self.scenes.get(place_id) or self.endings.get(place_id)


def _items(value: Any) -> Iterable[tuple[Any, Any]]:
    if isinstance(value, dict):
        return value.items()
    if isinstance(value, list):
        return enumerate(value)
    return ()


def _table(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _named(value: Any) -> list[tuple[str, Any]]:
    """The (id, body) pairs of a table of ids."""
    return [(k, v) for k, v in _table(value).items() if isinstance(k, str)]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def symbols_from(data: Mapping[str, Any], catalog: Mapping[str, Advice]) -> Symbols:
    """The ids in a parsed document (or the tolerant reading's tree of it)."""
    scenes = {sid: Place(sid, "scene", _text(_table(body).get("title")), _text(_table(body).get("text")))
              for sid, body in _named(data.get("scenes"))}
    endings = {}
    for eid, body in _named(data.get("endings")):
        body = _table(body)
        endings[eid] = Place(eid, "ending", _text(body.get("title")), _text(body.get("text")),
                             _text(body.get("tone")), _text(body.get("outcome")), _text(body.get("when")))
    meters = {m.id: MeterInfo(m.id, m.label, m.min, m.max, m.start) for m in STANDARD_METERS.values()}
    for mid, body in _named(data.get("meters")):
        body = _table(body)
        base = meters.get(mid)
        meters[mid] = MeterInfo(mid, _text(body.get("label")) or (base.label if base else mid.replace("_", " ")),
                                _int(body.get("min"), base.min if base else 0),
                                _int(body.get("max"), base.max if base else 10),
                                _int(body.get("start"), base.start if base else 0),
                                body.get("hidden") is not False, True)
    flags = {fid: _text(text) for fid, text in _named(data.get("flags"))}
    advice = dict(catalog)
    local = set()
    for aid, body in _named(data.get("advice")):
        body = _table(body)
        sources = tuple(s for _, s in _items(body.get("sources")) if isinstance(s, str))
        advice[aid] = Advice(aid, _text(body.get("title")), _text(body.get("text")), sources,
                             _text(body.get("disagreement")), _text(body.get("stance")),
                             _text(body.get("category")), body.get("manipulative") is True)
        local.add(aid)
    cast = {}
    for cid, body in _named(data.get("cast")):
        body = _table(body)
        aka = tuple(_text(a) for _, a in _items(body.get("aka")) if _text(a))
        if _text(body.get("name")):
            cast[cid] = Character(cid, _text(body.get("name")), aka, _text(body.get("note")))
    return Symbols(scenes, endings, meters, flags, advice, frozenset(local), cast)


def _declared(reading: Reading, found: list[Occurrence]) -> None:
    """Headers and keys that declare a scene, ending, advice, meter, flag or character."""
    kinds = {"scenes": "place", "endings": "place", "advice": "advice", "meters": "meter", "cast": "cast"}
    for key in reading.keys:
        names = key.names()
        if len(names) == 5 and names[0] == "scenes" and names[2:4] == ("choices", "effects"):
            effect = key.part_for(4)
            if effect is not None:
                found.append(Occurrence(effect.text, "meter", "effect", effect.start, effect.end))
        part = key.part_for(1) if len(names) >= 2 else None
        if part is None:
            continue
        role = "header" if key.header else "key"
        if names[0] in kinds:
            found.append(Occurrence(part.text, kinds[names[0]], role, part.start, part.end))
        elif names[0] == "flags" and len(names) == 2 and not key.header:
            found.append(Occurrence(part.text, "flag", "key", part.start, part.end))


def _condition(raw: str, at: int, symbols: Symbols, found: list[Occurrence]) -> None:
    """The names a condition reads, where it writes them."""
    for match in _WORDS.finditer(raw):
        head, dotted = match.group(1), match.group(2)
        if dotted is not None:
            if head in ("visits", "tactic"):
                start = at + match.start(2)
                kind, role = ("place", "visits") if head == "visits" else ("advice", "tactic")
                found.append(Occurrence(dotted, kind, role, start, start + len(dotted)))
            continue
        pieces = [(head, match.start(1))]
        if "-" in head and head not in symbols.meters and head not in symbols.flags:
            pieces = [(m.group(), match.start(1) + m.start()) for m in re.finditer(r"[A-Za-z_][A-Za-z0-9_]*", head)]
        for name, start in pieces:
            if name == TACTIC:
                found.append(Occurrence(TACTIC, "keyword", "condition", at + start, at + start + len(name)))
                continue
            if name in KEYWORDS:
                continue
            kind = "meter" if name in symbols.meters else "flag" if name in symbols.flags else None
            if kind:
                found.append(Occurrence(name, kind, "condition", at + start, at + start + len(name)))


def occurrences(reading: Reading, symbols: Symbols) -> list[Occurrence]:
    """Every place a scene, ending, advice, flag, meter or character is written, in file order."""
    found: list[Occurrence] = []
    text = reading.text
    _declared(reading, found)
    cast = Cast(symbols.cast)
    for string in reading.strings:
        names = string.names()
        if not names:
            continue
        raw = text[string.content_start:string.content_end]
        last = names[-1]
        if last in ("if", "when"):
            _condition(raw, string.content_start, symbols, found)
            continue
        own = names[0] == "cast" and last in ("name", "aka")
        if cast and (last in PROSE or own or names[0] == "flags" or names == EXPECTED_TEXTS):
            for start, end, cid in cast.mentions(raw):
                found.append(Occurrence(cid, "cast", "name" if own else "mention", string.content_start + start,
                                        string.content_start + end, string.content_start))
        if string.multiline or raw != string.value:
            continue  # an id written with escapes: too odd to point into
        role = kind = None
        ident = string.value
        if last == "goto" and names[0] == "scenes":
            role, kind = "goto", "place"
        elif names == ("scenario", "start"):
            role, kind = "start", "place"
        elif names == ("expected", "ending"):
            role, kind = "ending", "place"
        elif last in ("follows", "ignores") and names[0] == "scenes":
            role, kind = "advice", "advice"
        elif last in ("set", "clear") and names[0] == "scenes":
            role, kind = "flag", "flag"
        elif last == "from" and names[0] == "scenes" and cast.sender(string.value) is not None:
            role, kind, ident = "sender", "cast", cast.sender(string.value) or ""
        if role and kind:
            found.append(Occurrence(ident, kind, role, string.content_start, string.content_end))
    found.sort(key=lambda o: (o.start, o.end))
    return found


class Index:
    """One version of a document: its text, the tolerant reading, the parsed data if it parses, and its ids."""

    def __init__(self, text: str, encoding: str = "utf-16", catalog: Mapping[str, Advice] | None = None):
        self.text = text
        self.version: int | None = None  # the editor's version of the text, when it came from one
        self.promises: dict[str, tuple] = {}  # ending -> the `[[expected]]` block that reaches it (quick fixes)
        self.picks: Any = None  # what the last deep check found about `@ending` (`diagnostics.Picks`), for hover
        self.lines = Lines(text, encoding)
        self.reading = read(text, values=False)  # the parsed data comes from tomli
        try:
            self.data: dict | None = tomli.loads(text)
        except (tomli.TOMLDecodeError, ValueError, RecursionError):
            self.data = None
        if catalog is None:
            catalog, _ = load_catalog()
        self.scenario_like = looks_like_scenario(text)
        self.symbols = symbols_from(self.data if self.data is not None else self.reading.tree, catalog)
        self.occurrences = occurrences(self.reading, self.symbols)

    @property
    def parsed(self) -> bool:
        return self.data is not None

    def occurrence_at(self, offset: int) -> Occurrence | None:
        """The id or name the cursor is on (touching either end of it counts)."""
        for occurrence in self.occurrences:
            if occurrence.start <= offset <= occurrence.end:
                return occurrence
            if occurrence.start > offset:
                break
        return None

    def definition(self, kind: str, ident: str) -> Occurrence | None:
        """Where an id is declared: its own table header (`[scenes.ID]`), else the first header or key naming it."""
        first = None
        for occurrence in self.occurrences:
            if occurrence.kind != kind or occurrence.id != ident or occurrence.role not in ("header", "key"):
                continue
            if first is None:
                first = occurrence
            if self._is_own_header(occurrence):
                return occurrence
        return first

    def _is_own_header(self, occurrence: Occurrence) -> bool:
        for key in self.reading.keys:
            if key.header and len(key.names()) == 2 and key.parts[-1].start == occurrence.start:
                return True
        return False

    def uses(self, kind: str, ident: str) -> list[Occurrence]:
        return [o for o in self.occurrences if o.kind == kind and o.id == ident]
