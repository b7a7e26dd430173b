"""The Workshop's line between what the room sees and what only the facilitator does (game.workshop.shown).

A base of game.workshop.room.Workshop: it keeps `shown` (the stage the room
display and the phones show, an overlay over it, its page), the endings the
room has been shown, and the observers told of every change; and it holds the
facilitator's steps that move the line without touching the story: showing
what comes next from a card, the questions, the comparison, the debrief, and
a page. Every step here is refused when the moves table does not allow it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

import attrs

from game.engine import Playthrough
from game.observers import Observers
from game.workshop import moves as table
from game.workshop.moves import REFUSED, Move
from game.workshop.shown import COMPARE, DEBRIEF, ENDING, LOBBY, SCENE, Shown
from game.workshop.teams import Team, WorkshopError


class Change(Enum):
    """What observers are told changed (a kind, never a string to compare)."""

    BALLOT = "ballot"
    """A phone's ballot: only the counts of the round in front of the room changed."""
    ROUND = "round"
    """The round changed: hands, the phase, a runoff, the timer, or the team deciding."""
    DECIDED = "decided"
    ENDED = "ended"
    """A decision ended a team's story."""
    BRANCHED = "branched"
    """A branch was made or switched to."""
    UNDONE = "undone"
    SHOWN = "shown"
    """What the room sees changed (and nothing else did)."""
    IDEA = "idea"
    """An idea from the room arrived, or the facilitator showed or hid one."""
    PREDICTED = "predicted"
    """The room's prediction of how a play ends was revealed (and recorded)."""


Observer = Callable[[Change], None]


class Showing:
    """What the room sees of a workshop, and the observers of every change to it."""

    teams: list[Team]
    current: int

    def __init__(self) -> None:
        self.shown = Shown()
        self.endings_shown: list[tuple[int, str]] = []
        """(team, branch) of every ending the room has been shown, in the order shown."""
        self._observers: Observers[Change] = Observers()

    @property
    def started(self) -> bool:
        return self.shown.stage != LOBBY

    @property
    def _here(self) -> Playthrough:
        return self.teams[self.current].play

    def moves(self) -> frozenset[Move]:
        """The moves allowed now (game.workshop.moves)."""
        return table.allowed(self)  # type: ignore[arg-type]  # a Workshop is what the table reads

    def _require(self, move: Move) -> None:
        if move not in self.moves():
            raise WorkshopError(REFUSED[move])

    def observe(self, callback: Observer) -> Callable[[], None]:
        """Call `callback` with each Change; returns an unsubscribe."""
        return self._observers.add(callback)

    def _tell(self, kind: Change) -> None:
        self._observers.tell(kind)

    # -- what the room sees ---------------------------------------------------------------------------

    def _show_here(self) -> None:
        """Show the room the current team's scene, or its ending, from the first page."""
        if self._here.is_over:
            self._show_ending(self.current)
            return
        team = self.teams[self.current]
        self.shown = Shown(SCENE, self.current, team.session.branch, len(team.play.steps) + 1)

    def _show_ending(self, index: int) -> None:
        team = self.teams[index]
        self.shown = Shown(ENDING, index, team.session.branch, len(team.play.steps))
        if (index, team.session.branch) not in self.endings_shown:
            self.endings_shown.append((index, team.session.branch))

    def begin(self) -> None:
        """Past the content notes and ground rules: the first decision goes up in front of the room."""
        self._require(Move.BEGIN)
        self._show_here()
        self._tell(Change.ROUND)

    def resumed(self, started: bool) -> None:
        """A workshop picked up from its log: the room sees the current team's scene (or ending) again, and
        the endings reached before count as shown."""
        if not started:
            return
        self.endings_shown = [(i, name) for i, team in enumerate(self.teams)
                              for name, play in team.session.branches.items() if play.is_over]
        self._show_here()

    def show(self) -> None:
        """From a card: show the room what comes next (the ending of the card's team, else the next scene)."""
        self._require(Move.SHOW)
        card = self.shown.team
        if self.teams[card].play.is_over:
            self._show_ending(card)
        else:
            self._show_here()
        self._tell(Change.SHOWN)

    def toggle_prompts(self) -> None:
        """Put the questions for the room up on the room display, or take them down."""
        self._require(Move.PROMPTS)
        self.shown = attrs.evolve(self.shown, prompts=not self.shown.prompts)
        self._tell(Change.SHOWN)

    def show_compare(self) -> None:
        self._require(Move.COMPARE)
        self.shown = self.shown.over(COMPARE)
        self._tell(Change.SHOWN)

    def show_debrief(self, section: int = 1) -> None:
        """The room's debrief goes up, at `section` (game.workshop.blocks numbers them from 1)."""
        self._require(Move.DEBRIEF)
        self.shown = self.shown.over(DEBRIEF, section)
        self._tell(Change.SHOWN)

    def close_overlay(self) -> None:
        """Take the comparison or the debrief down: the room sees what it saw before."""
        self._require(Move.CLOSE)
        self.shown = self.shown.without_overlay()
        self._tell(Change.SHOWN)

    def turn_page(self, pages: int = 1) -> None:
        self._require(Move.PAGE)
        turned = self.shown.turned(pages)
        if turned != self.shown:
            self.shown = turned
            self._tell(Change.SHOWN)
