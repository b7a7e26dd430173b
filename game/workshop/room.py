"""A workshop: one scenario played by a room, decision by decision, with votes, teams and branches.

The workshop is another front end of the same play: each team's play is a
core Session (so undo, branches and the rules are the same as everywhere), and
this module adds what a room needs on top: a Round of votes for each decision,
the tie rule chosen before the session, skipping a scene the room should not
see, teams taking turns, forum-theatre branches ("stop, go back, try the other
way"), and a record of every decision with its vote split for the debrief and
the handout.

Nothing here moves by itself: every step is the facilitator's (or, for a
phone's ballot, the room's). Observers (the projector screen, the vote server)
are told after each change and redraw.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Sequence

import attrs

from game.engine import EngineError, Playthrough
from game.model import Scenario
from game.observers import Observers
from game.safetext import printable
from game.session import Session
from game.workshop.timer import Timer
from game.workshop.votes import FACILITATOR, RANDOM, RUNOFF, TIE_RULES, Outcome, Round, VoteError

TURNS, SIDE_BY_SIDE = "turns", "side-by-side"
MODES = {
    TURNS: "each team plays the whole story in turn",
    SIDE_BY_SIDE: "the teams take one decision each, in turn, each in its own story",
}

MAX_TEAMS = 12
MAX_TEAM_NAME = 30

VOTED, TIED_BY_FACILITATOR, NO_VOTES, SKIPPED = "vote", "facilitator", "no votes", "skipped"

ROUND, DECIDED, ENDED, BRANCHED, UNDONE = "round", "decided", "ended", "branched", "undone"
"""What observers are told: a round changed (votes, lock, reveal, runoff), a decision was taken, a team's
play ended, a branch was made or switched to, the last decision was taken back."""

STEP_OUT = ("Step out of the story for a moment: what would you say to a friend who was where the "
            "character was? You don't have to share anything about yourself.")
"""The step-out-of-role question the room's debrief ends with."""

GROUND_RULES = """\
You can pass: nobody has to vote, speak, or say why.
Talk about the character, not about yourselves or anyone in the room.
What is said here stays here, unless someone's safety is at risk.
Help is on F2 at any time, and the facilitator is around afterwards."""


class WorkshopError(ValueError):
    """A request the workshop cannot honour, with a sentence for the facilitator."""


def team_names(text: str) -> list[str]:
    """`"Red, Blue"` as clean, distinct labels; WorkshopError when they cannot be used."""
    names: list[str] = []
    for raw in text.split(","):
        name = " ".join(printable(raw).split())
        if not name:
            continue
        if len(name) > MAX_TEAM_NAME:
            raise WorkshopError(f"a team name can be at most {MAX_TEAM_NAME} characters (“{name[:40]}…”)")
        if name.lower() in (n.lower() for n in names):
            raise WorkshopError(f"two teams are called “{name}”")
        names.append(name)
    if len(names) > MAX_TEAMS:
        raise WorkshopError(f"at most {MAX_TEAMS} teams")
    return names


@attrs.frozen
class Decision:
    """How the room took one step: the votes, any tie and how it was settled, and the choice taken."""

    step: int
    scene: str
    chosen: int
    how: str
    options: tuple[int, ...] = ()
    """The options that could take votes, in the order shown (choice indexes)."""
    tallies: tuple[dict[int, int], ...] = ()
    """The counts of each round held (a runoff adds a second), hands and phones together."""
    phones: tuple[dict[int, int], ...] = ()
    """The phone ballots within those counts, per round."""
    tied: tuple[int, ...] = ()
    rule: str = ""
    seed: int | None = None


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


Observer = Callable[[str], None]


class Workshop:
    """A scenario run for a room by a facilitator."""

    def __init__(self, scenario: Scenario, teams: Sequence[str] = (), *, tie_rule: str = FACILITATOR,
                 seed: int | None = None, mode: str = TURNS, timer: Timer | None = None,
                 rules: str = GROUND_RULES, hide_tally: bool = True):
        if tie_rule not in TIE_RULES:
            raise WorkshopError(f"the tie rule is one of {', '.join(TIE_RULES)}")
        if mode not in MODES:
            raise WorkshopError(f"the way teams take turns is one of {', '.join(MODES)}")
        self.scenario = scenario
        labels = [" ".join(printable(str(n)).split())[:MAX_TEAM_NAME] for n in teams][:MAX_TEAMS] or ["The room"]
        labels = [label or f"Team {i}" for i, label in enumerate(labels, 1)]
        self.teams = [Team(name, Session.begin(scenario)) for name in labels]
        self.tie_rule = tie_rule
        self.seed = seed if seed is not None else random.SystemRandom().randrange(1000, 10_000)
        self.mode = mode
        self.timer = timer or Timer()
        self.rules = rules
        self.hide_tally = hide_tally
        self.current = 0
        self.started = False
        self.round_id = secrets.token_hex(4)
        self._round: Round | None = None
        self._first_tallies: list[tuple[dict[int, int], dict[int, int]]] = []
        self._observers: Observers[str] = Observers()

    # -- what there is --------------------------------------------------------------------------

    @property
    def team(self) -> Team:
        return self.teams[self.current]

    @property
    def play(self) -> Playthrough:
        return self.team.play

    @property
    def finished(self) -> bool:
        """Every team's current branch has reached an ending."""
        return all(t.play.is_over for t in self.teams)

    @property
    def round(self) -> Round | None:
        """The votes for the decision in front of the room (None at an ending)."""
        if self.play.is_over:
            return None
        if self._round is None:
            self._round = Round(tuple(self.play.options()), len(self.play.steps) + 1)
            self.round_id = secrets.token_hex(4)
        return self._round

    # -- observers ----------------------------------------------------------------------------------

    def observe(self, callback: Observer) -> Callable[[], None]:
        """Call `callback` with what changed (ROUND, DECIDED, ENDED, BRANCHED, UNDONE); returns an unsubscribe."""
        return self._observers.add(callback)

    def _tell(self, kind: str) -> None:
        self._observers.tell(kind)

    # -- the round ---------------------------------------------------------------------------------------

    def begin(self) -> None:
        """Past the content notes and ground rules: the first decision is in front of the room."""
        self.started = True
        self._tell(ROUND)

    def _live_round(self) -> Round:
        current = self.round
        if current is None:
            raise WorkshopError("this team's story has ended: there is nothing to vote on")
        return current

    def set_hands(self, index: int, count: int) -> None:
        self._live_round().set_hands(index, count)
        self._tell(ROUND)

    def add_hands(self, index: int, delta: int = 1) -> None:
        self._live_round().add_hands(index, delta)
        self._tell(ROUND)

    def ballot(self, round_id: str, token: str, index: int) -> None:
        """A phone's vote for the round it was shown; VoteError for an old round, a closed vote or a struck option."""
        if round_id != self.round_id or self._round is None:
            raise VoteError("that vote is over; the current one is on your screen now")
        self._round.ballot(token, index)
        self._tell(ROUND)

    def open_voting(self) -> None:
        self._live_round().open()
        self.timer.start("voting")
        self._tell(ROUND)

    def lock(self) -> None:
        self._live_round().lock()
        self.timer.stop()
        self._tell(ROUND)

    def reveal(self) -> Outcome:
        """Lock and show the tally; what it decides under the tie rule (a runoff round starts here)."""
        current = self._live_round()
        current.reveal()
        self.timer.stop()
        outcome = current.outcome(self.tie_rule, self.seed, f"{self.team.name}:{self.team.session.branch}")
        self._tell(ROUND)
        return outcome

    def outcome(self) -> Outcome | None:
        """What the revealed vote decides (None before the reveal)."""
        current = self.round
        if current is None or current.phase != "revealed":
            return None
        return current.outcome(self.tie_rule, self.seed, f"{self.team.name}:{self.team.session.branch}")

    def start_runoff(self) -> None:
        """A second vote between the options the first left tied (only under the runoff rule)."""
        outcome = self.outcome()
        if outcome is None or outcome.how != "runoff":
            raise WorkshopError("a runoff follows a revealed vote that tied, under the runoff rule")
        current = self._live_round()
        self._first_tallies.append((current.counts, current.phones))
        self._round = current.runoff(outcome.tied)
        self.round_id = secrets.token_hex(4)
        self._tell(ROUND)

    # -- deciding -----------------------------------------------------------------------------------------

    def decide(self, pick: int | None = None) -> Playthrough:
        """Take the revealed vote's choice; `pick` is the facilitator's choice where the vote leaves it to them.

        With a clear winner (or a seeded random pick) the vote decides and
        `pick` must be None or agree. On a tie under the facilitator rule, or a
        runoff that tied again, the facilitator picks one of the tied options;
        with no votes at all, any open option.
        """
        outcome = self.outcome()
        if outcome is None:
            raise WorkshopError("reveal the vote first")
        if outcome.how == "runoff":
            raise WorkshopError("the vote tied: hold the runoff first")
        if outcome.winner is not None:
            if pick is not None and pick != outcome.winner:
                raise WorkshopError("the vote has decided; the facilitator picks only when it leaves it open")
            return self._take(outcome.winner, outcome.how, outcome.tied)
        allowed = outcome.tied if outcome.how == "facilitator" else self._live_round().votable
        if pick is None or pick not in allowed:
            raise WorkshopError("pick one of the " + ("tied options" if outcome.how == "facilitator"
                                                         else "open options: nobody voted"))
        return self._take(pick, TIED_BY_FACILITATOR if outcome.how == "facilitator" else NO_VOTES, outcome.tied)

    def skip(self, pick: int | None = None) -> Playthrough:
        """Move past a scene the room should not see, taking `pick` (the first open option by default).

        It is recorded, and the debrief says the scene was skipped.
        """
        current = self._live_round()
        votable = current.votable or tuple(o.choice.index for o in current.options if o.available)
        if not votable:
            raise WorkshopError("no option is open here")
        chosen = votable[0] if pick is None else pick
        if chosen not in votable:
            raise WorkshopError("that option is not open")
        return self._take(chosen, SKIPPED, ())

    def _take(self, index: int, how: str, tied: tuple[int, ...]) -> Playthrough:
        team = self.team
        current = self._live_round()
        before = len(team.play.steps)
        try:
            play = team.session.choose(index)
        except EngineError as problem:
            raise WorkshopError(str(problem)) from None
        tallies = [t for t, _ in self._first_tallies]
        phones = [p for _, p in self._first_tallies]
        if how != SKIPPED:
            tallies.append(current.counts)
            phones.append(current.phones)
        rule = self.tie_rule if tied else ""
        record = team.record
        del record[before:]
        record.append(Decision(before + 1, play.steps[-1].scene, index, how, current.votable, tuple(tallies),
                               tuple(phones), tied, rule, self.seed if rule == RANDOM else None))
        self._next_round()
        self._tell(ENDED if play.is_over else DECIDED)
        if self.mode == SIDE_BY_SIDE or play.is_over:
            self._next_team()
        return play

    def _next_round(self) -> None:
        self._round = None
        self._first_tallies = []
        self.timer.stop()

    def _next_team(self) -> None:
        """The next team whose story is still going (in side-by-side play, after every decision)."""
        for step in range(1, len(self.teams) + 1):
            candidate = (self.current + step) % len(self.teams)
            if not self.teams[candidate].play.is_over:
                if candidate != self.current:
                    self.current = candidate
                    self._next_round()
                    self._tell(ROUND)
                return

    def go_to_team(self, index: int) -> None:
        """The facilitator hands the decision to another team."""
        if not 0 <= index < len(self.teams):
            raise WorkshopError(f"there is no team {index + 1}")
        self.current = index
        self._next_round()
        self._tell(ROUND)

    def undo(self) -> Playthrough:
        """Take back the team's last decision (a slip of the key); its record goes too."""
        team = self.team
        try:
            play = team.session.undo()
        except EngineError as problem:
            raise WorkshopError(str(problem)) from None
        del team.record[len(play.steps):]
        self._next_round()
        self._tell(UNDONE)
        return play

    # -- forum theatre ---------------------------------------------------------------------------------

    def branch(self, steps_kept: int, name: str | None = None, team: int | None = None) -> str:
        """Stop, go back to just before decision `steps_kept + 1`, and play on from there as a new branch."""
        if team is not None:
            self.go_to_team(team)
        chosen = self.team
        parent = list(chosen.record)
        if name is not None:
            name = " ".join(printable(name).split())[:MAX_TEAM_NAME] or None
        try:
            new = chosen.session.fork(steps_kept, name)
        except EngineError as problem:
            raise WorkshopError(str(problem)) from None
        chosen.decisions[new] = parent[:steps_kept]
        self._next_round()
        self._tell(BRANCHED)
        return new

    def switch_branch(self, name: str) -> None:
        try:
            self.team.session.switch(name)
        except EngineError as problem:
            raise WorkshopError(str(problem)) from None
        self._next_round()
        self._tell(BRANCHED)


__all__ = [
    "FACILITATOR", "GROUND_RULES", "MODES", "RANDOM", "RUNOFF", "SIDE_BY_SIDE", "STEP_OUT", "TURNS", "Decision",
    "Team", "Workshop", "WorkshopError", "team_names",
]
