"""What one version of a scenario document holds: its ids, their titles, and where each id is written.

The ids come from the parsed file when it is valid TOML, and from the
tolerant reading (`game.lsp.document`) when it is not, so completion and
hover keep working while the author types. Where each id is written (a
table header, a `goto`, `start`, `visits.ID` inside a condition, an expected
ending, an advice id in `follows`) always comes from the tolerant reading,
which records the offsets of every key and string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import tomli

from game.loader import STANDARD_METERS, load_catalog
from game.lsp.document import Lines
from game.model import Advice
from game.toml import Reading, read

PLACES = ("scenes", "endings")
_SCENARIO_LIKE = re.compile(r"^[ \t]*\[\[?[ \t]*(?:scenario|scenes|endings)[ \t]*[\].]|^#:schema[ \t]+\S*"
                            r"(?:second-chance|scenario\.schema)", re.M)


def looks_like_scenario(text: str) -> bool:
    """Whether a TOML document is (or is becoming) a scenario: editors attach the server to every
    .toml file, and a pyproject.toml or the advice catalog should hear nothing from it."""
    return not text.strip() or _SCENARIO_LIKE.search(text) is not None
_VISITS = re.compile(r"(?<![A-Za-z0-9_.])visits\.([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])")


@attrs.frozen
class Place:
    """A scene or an ending, as far as the text says."""

    id: str
    kind: str  # "scene" or "ending"
    title: str = ""
    text: str = ""
    tone: str = ""
    outcome: str = ""


@attrs.frozen
class MeterInfo:
    id: str
    label: str
    min: int
    max: int


@attrs.frozen
class Occurrence:
    """One place an id is written. `role` says how: "header", "key", "goto", "start", "ending",
    "visits" (in a condition), "advice" (in follows/ignores) or "flag" (in set/clear)."""

    id: str
    kind: str  # "place" (a scene or ending), "advice" or "flag"
    role: str
    start: int
    end: int


@attrs.frozen
class Symbols:
    """The ids a document declares, with what is known about each."""

    scenes: dict[str, Place]
    endings: dict[str, Place]
    meters: dict[str, MeterInfo]
    flags: dict[str, str]
    advice: dict[str, Advice]
    local_advice: frozenset[str]

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
                             _text(body.get("tone")), _text(body.get("outcome")))
    meters = {m.id: MeterInfo(m.id, m.label, m.min, m.max) for m in STANDARD_METERS.values()}
    for mid, body in _named(data.get("meters")):
        body = _table(body)
        base = meters.get(mid)
        meters[mid] = MeterInfo(mid, _text(body.get("label")) or (base.label if base else mid.replace("_", " ")),
                                _int(body.get("min"), base.min if base else 0),
                                _int(body.get("max"), base.max if base else 10))
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
    return Symbols(scenes, endings, meters, flags, advice, frozenset(local))


def occurrences(reading: Reading) -> list[Occurrence]:
    """Every place a scene, ending, advice or flag id is written, in file order."""
    found: list[Occurrence] = []
    text = reading.text
    for key in reading.keys:
        names = key.names()
        if len(names) < 2 or names[0] not in (*PLACES, "advice"):
            continue
        part = key.part_for(1)
        if part is None:
            continue
        kind = "advice" if names[0] == "advice" else "place"
        role = "header" if key.header else "key"
        found.append(Occurrence(part.text, kind, role, part.start, part.end))
    for string in reading.strings:
        names = string.names()
        raw = text[string.content_start:string.content_end]
        if not names:
            continue
        last = names[-1]
        if last in ("if", "when"):
            for match in _VISITS.finditer(raw):
                start = string.content_start + match.start(1)
                found.append(Occurrence(match.group(1), "place", "visits", start, start + len(match.group(1))))
            continue
        if string.multiline or raw != string.value:
            continue  # an id written with escapes: too odd to point into
        role = None
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
        if role:
            found.append(Occurrence(string.value, kind, role, string.content_start, string.content_end))
    found.sort(key=lambda o: o.start)
    return found


class Index:
    """One version of a document: its text, the tolerant reading, the parsed data if it parses, and its ids."""

    def __init__(self, text: str, encoding: str = "utf-16", catalog: Mapping[str, Advice] | None = None):
        self.text = text
        self.version: int | None = None  # the editor's version of the text, when it came from one
        self.lines = Lines(text, encoding)
        self.reading = read(text)
        try:
            self.data: dict | None = tomli.loads(text)
        except (tomli.TOMLDecodeError, RecursionError):
            self.data = None
        if catalog is None:
            catalog, _ = load_catalog()
        self.scenario_like = looks_like_scenario(text)
        self.symbols = symbols_from(self.data if self.data is not None else self.reading.tree, catalog)
        self.occurrences = occurrences(self.reading)

    @property
    def parsed(self) -> bool:
        return self.data is not None

    def occurrence_at(self, offset: int) -> Occurrence | None:
        """The id the cursor is on (touching either end of it counts)."""
        for occurrence in self.occurrences:
            if occurrence.start <= offset <= occurrence.end:
                return occurrence
            if occurrence.start > offset:
                break
        return None

    def definition(self, kind: str, ident: str) -> Occurrence | None:
        """Where an id is declared: its own table header (`[scenes.ID]`), else the first header naming it."""
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
