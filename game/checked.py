"""What checking one story file found: its card for the list, every diagnostic, and the story once built.

The list of scenarios needs a story's title, length, endings and content
notes, not the story itself; a `Card` holds just that, small enough to keep
for a hundred stories and to read back from the cache at every start. A
`Checked` adds the diagnostics (a broken file is still listed, with where it
goes wrong) and builds or reads back the scenario only when something asks for
it. Cards and diagnostics travel as plain data (`to_plain`, `from_plain`) and
are checked again when read, like everything the cache holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from game.diagnostics import ERROR, WARNING, Diagnostic
from game.plaindata import Unexpected, items, number, one_of, text, texts, truth
from game.storage import SAFE_STEM

if TYPE_CHECKING:
    from game.loader import LoadResult
    from game.model import Scenario

SEVERITIES = (ERROR, WARNING)
CODE_CHARS = frozenset("SC0123456789")


class Card(NamedTuple):
    """What the list of scenarios shows about a playable story, known without building it.

    A named tuple: it is made before the list's first frame, where defining an attrs class would cost more
    than reading every card (see "Speed" in docs/architecture.md).
    """

    id: str
    title: str
    summary: str
    minutes: int
    scenes: int
    endings: tuple[tuple[str, str], ...]
    """Each ending's id and title, in file order (the list counts the ones this player has found)."""
    content_notes: tuple[str, ...] = ()
    order: int = 0
    help: bool = False

    @classmethod
    def of(cls, scenario: Scenario) -> Card:
        return cls(scenario.id, scenario.title, scenario.summary, scenario.minutes, len(scenario.scenes),
                   tuple((e.id, e.title) for e in scenario.endings.values()), scenario.content_notes,
                   scenario.order, scenario.help)

    def to_plain(self) -> list:
        return [self.id, self.title, self.summary, self.minutes, self.scenes, [list(e) for e in self.endings],
                list(self.content_notes), self.order, self.help]

    @classmethod
    def from_plain(cls, raw: Any) -> Card:
        scenario_id, title, summary, minutes, scenes, endings, notes, order, help_story = items(raw, 9)
        if type(scenario_id) is not str or not SAFE_STEM.match(scenario_id):
            raise Unexpected("a story id is not a plain name")
        return cls(scenario_id, text(title), text(summary), number(minutes, 0, 10**6), number(scenes, 1, 10**7),
                   tuple((text(e), text(t)) for e, t in (items(pair, 2) for pair in items(endings))),
                   texts(notes), number(order, 0, 10**6), truth(help_story))


def diagnostic_to_plain(diagnostic: Diagnostic, file: str) -> list:
    here = None if diagnostic.file == file else diagnostic.file
    return [diagnostic.code, diagnostic.message, here, diagnostic.line, diagnostic.column, diagnostic.severity,
            diagnostic.hint]


def diagnostic_from_plain(raw: Any, file: str) -> Diagnostic:
    code, message, where, line, column, severity, hint = items(raw, 7)
    if type(code) is not str or not 2 < len(code) < 9 or not set(code) <= CODE_CHARS:
        raise Unexpected("a diagnostic code is not one")
    return Diagnostic(code, text(message), file if where is None else text(where), number(line, 1, 10**8),
                      number(column, 0, 10**8), one_of(severity, SEVERITIES), None if hint is None else text(hint))


def found_from_plain(card_raw: Any, diagnostics_raw: Any, file: str) -> tuple[Card | None, tuple[Diagnostic, ...]]:
    """A card and its diagnostics read back (from a cache entry or the list's index), checked as they are read.

    Raises Unexpected for anything the game does not write, and for a story
    that cannot be played without an error saying why.
    """
    card = None if card_raw is None else Card.from_plain(card_raw)
    found = tuple(diagnostic_from_plain(d, file) for d in items(diagnostics_raw))
    if card is None and not any(d.severity == ERROR for d in found):
        raise Unexpected("a story that cannot be played says why")
    return card, found


def found_to_plain(checked: Checked, file: str) -> list:
    """The card and diagnostics as plain data (`found_from_plain` reads them back)."""
    return [checked.card.to_plain() if checked.card is not None else None,
            [diagnostic_to_plain(d, file) for d in checked.diagnostics]]


class Checked:
    """What checking one story file found: its card (None when it cannot be played) and every diagnostic.

    The scenario itself is built (or read back from the cache) the first time
    it is asked for, so a list of a hundred stories costs a hundred cards.
    """

    __slots__ = ("card", "diagnostics", "_scenario", "_load")

    def __init__(self, card: Card | None, diagnostics: tuple[Diagnostic, ...],
                 scenario: Scenario | None = None, load: Callable[[], LoadResult] | None = None):
        self.card = card
        self.diagnostics = diagnostics
        self._scenario = scenario
        self._load = load

    @classmethod
    def of(cls, result: LoadResult) -> Checked:
        scenario = result.scenario
        return cls(Card.of(scenario) if scenario is not None else None, result.diagnostics, scenario)

    @property
    def scenario(self) -> Scenario | None:
        """The story, built on first use; None when it cannot be played."""
        if self._scenario is None and self.card is not None and self._load is not None:
            load, self._load = self._load, None
            result = load()
            if result.scenario is None or Card.of(result.scenario) != self.card:
                # the stored story was lost and the file says something else now: take what it says
                self.card, self.diagnostics = (Card.of(result.scenario) if result.scenario else None,
                                               result.diagnostics)
            self._scenario = result.scenario
        return self._scenario
