"""The teams of a workshop: their labels, their plays, the record of each decision, and whose turn is next.

A team is a label the facilitator typed (never a person's name) and a core
Session; `decisions` keeps, for each of its branches, how the room took each
step. `next_unfinished` is the one rule for whose turn comes next: the
workshop's own turn-taking, going on from an ending and handing the decision
to the next team all ask it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from game.safetext import blank, printable

if TYPE_CHECKING:  # the command line reads the turn orders: it loads no rules to build its parser
    from game.engine import Playthrough
    from game.session import Session



MAX_TEAMS = 12
MAX_TEAM_NAME = 30
RULES_CHARS = 4000
"""Characters of ground rules kept, wherever they come from (the command line, the setup screen, a log)."""
ONE_ROOM = "The room"
"""The label of the one team a workshop without teams has."""


class WorkshopError(ValueError):
    """A request the workshop cannot honour, with a sentence for the facilitator."""


def team_names(text: str) -> list[str]:
    """`"Red, Blue"` as clean, distinct labels; WorkshopError when they cannot be used."""
    names: list[str] = []
    for raw in text.split(","):
        name = " ".join(printable(raw).split())
        if blank(name):
            continue
        if len(name) > MAX_TEAM_NAME:
            raise WorkshopError(f"a team name can be at most {MAX_TEAM_NAME} characters (“{name[:40]}…”)")
        if name.lower() in (n.lower() for n in names):
            raise WorkshopError(f"two teams are called “{name}”")
        names.append(name)
    if len(names) > MAX_TEAMS:
        raise WorkshopError(f"at most {MAX_TEAMS} teams")
    return names


def labels(teams: Sequence[str]) -> list[str]:
    """Labels as a workshop keeps them: printable, one line, cut to length, one team ("The room") if none."""
    cut = [" ".join(printable(str(n)).split())[:MAX_TEAM_NAME] for n in teams][:MAX_TEAMS] or [ONE_ROOM]
    return [label if not blank(label) else f"Team {i}" for i, label in enumerate(cut, 1)]


@attrs.frozen
class Decision:
    """How the room took one step: the votes, any tie and how it was settled, and the choice taken."""

    step: int
    scene: str
    chosen: int
    how: str
    """A game.workshop.votes.How value: vote, runoff-vote, random, facilitator, no votes or skipped."""
    options: tuple[int, ...] = ()
    """The options that could take votes, in the order shown (choice indexes)."""
    tallies: tuple[dict[int, int], ...] = ()
    """The counts of each round held (a runoff adds a second), hands and phones together."""
    phones: tuple[dict[int, int], ...] = ()
    """The phone ballots within those counts, per round."""
    tied: tuple[int, ...] = ()
    rule: str = ""
    seed: int | None = None
    seen: bool = True
    """Whether the room saw the scene: false only for a scene skipped from the card before it was shown, whose
    title and options nothing the room reads may show (game.workshop.report's Moment keeps that rule)."""

    @property
    def skipped(self) -> bool:
        return self.how == "skipped"


@attrs.define
class Team:
    """A named group and its play; `decisions` holds, for each branch, one record per step."""

    name: str
    session: Session
    decisions: dict[str, list[Decision]] = attrs.field(factory=dict)

    @property
    def play(self) -> Playthrough:
        return self.session.play

    @property
    def record(self) -> list[Decision]:
        """The decisions of the branch being played, step by step."""
        return self.decisions.setdefault(self.session.branch, [])


def next_unfinished(teams: Sequence[Team], after: int) -> int | None:
    """The first team after `after` (going round) whose story is still going; `after` itself comes last."""
    for step in range(1, len(teams) + 1):
        candidate = (after + step) % len(teams)
        if not teams[candidate].play.is_over:
            return candidate
    return None
