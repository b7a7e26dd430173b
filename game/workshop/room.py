"""A workshop: one scenario played by a room, decision by decision, with votes, teams and branches.

The workshop is another front end of the same play: each team's play is a
core Session (so undo, branches and the rules are the same as everywhere), and
this module adds what a room needs on top: a Round of votes for each decision,
the tie rule chosen before the session, skipping a scene the room should not
see, teams taking turns, forum-theatre branches ("stop, go back, try the other
way"), and a record of every decision with its vote split for the debrief and
the handout.

It also keeps what the room may see (`shown`, from its base in
game.workshop.showing): the room display and the phones show only what the
facilitator has released, while the console sees everything. Its other bases
put questions to the room and take its ideas (game.workshop.ideas), and ask
it how a play ends (game.workshop.predictions). Which moves are
allowed now is game.workshop.moves's table, and every move here is refused
when the table does not allow it.

Nothing here moves by itself: every step is the facilitator's (or, for a
phone's ballot, the room's). Observers (the console, the server of the room
display and the phones) are told what changed after each step.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Callable, Sequence

from game.engine import EngineError, Playthrough
from game.model import Scenario
from game.safetext import blank, printable
from game.session import Session
from game.workshop.ideas import Asking
from game.workshop.moves import Move
from game.workshop.names import FACILITATOR, MODES, RANDOM, RUNOFF, SIDE_BY_SIDE, TIE_RULES, TURNS
from game.workshop.predictions import Predicting
from game.workshop.prompts import STEP_OUT
from game.workshop.showing import Change, Showing
from game.workshop.shown import CARD, SCENE, Shown
from game.workshop.teams import (
    MAX_TEAM_NAME,
    RULES_CHARS,
    Decision,
    Team,
    WorkshopError,
    labels,
    next_unfinished,
    team_names,
)
from game.workshop.timer import Timer
from game.workshop.votes import MAX_SEED, How, Outcome, Round, VoteError

GROUND_RULES = """\
You can pass: nobody has to vote, speak, or say why.
Talk about the character, not about yourselves or anyone in the room.
What is said here stays here, unless someone's safety is at risk.
Help is on F2 at any time, and the facilitator is around afterwards."""


class Workshop(Asking, Predicting, Showing):
    """A scenario run for a room by a facilitator."""

    def __init__(self, scenario: Scenario, teams: Sequence[str] = (), *, tie_rule: str = FACILITATOR,
                 seed: int | None = None, mode: str = TURNS, timer: Timer | None = None,
                 rules: str = GROUND_RULES, hide_tally: bool = True):
        if tie_rule not in TIE_RULES:
            raise WorkshopError(f"the tie rule is one of {', '.join(TIE_RULES)}")
        if mode not in MODES:
            raise WorkshopError(f"the way teams take turns is one of {', '.join(MODES)}")
        if seed is not None and not -MAX_SEED <= seed <= MAX_SEED:
            raise WorkshopError(f"a seed has at most {len(str(MAX_SEED))} digits")
        names = labels(teams)
        if len({n.lower() for n in names}) < len(names):
            raise WorkshopError("two teams have the same name: give each team a name of its own")
        self.scenario = scenario
        self.teams = [Team(name, Session.begin(scenario)) for name in names]
        self.tie_rule = tie_rule
        self.seed = seed if seed is not None else random.SystemRandom().randrange(1000, 10_000)
        self.mode = mode
        self.timer = timer or Timer()
        self.rules = printable(rules)[:RULES_CHARS]
        """The ground rules as the room reads them (typed on the setup screen, from a file, or a log)."""
        self.hide_tally = hide_tally
        self.current = 0
        self.round_id = secrets.token_hex(4)
        self.voter_salt = secrets.token_hex(16)
        """The key of `voter`: new each workshop, kept in its log while a vote is open."""
        self.ident = secrets.token_hex(4)
        """This workshop among all others (kept in its log): its handouts are named with it, so two workshops
        never write over each other's."""
        self._round: Round | None = None
        self._first_tallies: list[tuple[dict[int, int], dict[int, int]]] = []
        super().__init__()

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
    def resumable(self) -> bool:
        """Whether a stop now only pauses the room: the workshop has begun and a story is still going, so
        `--resume` picks it up and the phones and the room display wait for it. Once every story has ended the
        workshop is over, and a stop ends it for the room."""
        return self.started and not self.finished

    @property
    def round(self) -> Round | None:
        """The votes for the current team's decision (None at an ending)."""
        if self.play.is_over:
            return None
        if self._round is None:
            self._round = Round(tuple(self.play.options()), len(self.play.steps) + 1)
            self.round_id = secrets.token_hex(4)
        return self._round

    @property
    def open_round(self) -> Round | None:
        """The current decision's round as it stands, if it has been opened (the log keeps its counts)."""
        return None if self.play.is_over else self._round

    @property
    def earlier_rounds(self) -> tuple[tuple[dict[int, int], dict[int, int]], ...]:
        """In a runoff, the first vote's counts and its phones' share of them."""
        return tuple(self._first_tallies)

    def reopen(self, current: Round, round_id: str, earlier: Sequence[tuple[dict[int, int], dict[int, int]]]) -> None:
        """Put back the round that was open when the log was written (game.workshop.openvote checks it fits)."""
        self._round, self.round_id, self._first_tallies = current, round_id, list(earlier)

    def voter(self, token: str) -> str:
        """A phone's key in the round's ballots: a digest of its random token under this workshop's own key, so
        a log never holds a token a page could be impersonated with, and the same phone counts once."""
        return hashlib.blake2s(token.encode("utf-8", "replace"), key=bytes.fromhex(self.voter_salt),
                               digest_size=8).hexdigest()

    @property
    def first_round(self) -> dict[int, int] | None:
        """In a runoff, the first vote's counts (hands and phones); None otherwise."""
        return self._first_tallies[-1][0] if self._first_tallies else None

    @property
    def skip_pick(self) -> int | None:
        """The option the story takes when the room skips the current team's scene: the first open one."""
        current = self.round
        if current is None:
            return None
        open_ = [o.choice.index for o in current.options if o.available]
        return open_[0] if open_ else None

    # -- the round ---------------------------------------------------------------------------------------

    def _live_round(self) -> Round:
        current = self.round
        if current is None:
            raise WorkshopError("this team's story has ended: there is nothing to vote on")
        return current

    def set_hands(self, index: int, count: int) -> None:
        """The room's count of hands for an option, as the facilitator types it (opening the vote if needed)."""
        self._count(lambda current: current.set_hands(index, count), index)

    def add_hands(self, index: int, delta: int = 1) -> None:
        """One more hand for an option, or with a negative delta one fewer (opening the vote if needed)."""
        self._count(lambda current: current.add_hands(index, delta), index)

    def _count(self, act: Callable[[Round], None], index: int) -> None:
        self._require(Move.COUNT)
        current = self._live_round()
        current.check_votable(index)  # a struck option is refused before the vote opens
        if current.phase == "discussion":
            self.open_voting()
        act(current)
        self._tell(Change.ROUND)

    def ballot(self, round_id: str, token: str, index: int) -> None:
        """A phone's vote for the round it was shown; VoteError for an old round, a closed vote or a struck option."""
        if self.prediction is not None and round_id == self.prediction.id:
            self.prediction_ballot(self.voter(token), index)  # the room's prediction of how the play ends
            return
        if round_id != self.round_id or self._round is None or self.shown.on_stage != SCENE:
            raise VoteError("that vote is over; the current one is on your screen now")
        self._round.ballot(self.voter(token), index)
        self._tell(Change.BALLOT)

    def open_voting(self) -> None:
        self._require(Move.OPEN)
        self._live_round().open()
        self.timer.start("voting")
        self._tell(Change.ROUND)

    def start_timer(self) -> None:
        """Start the discussion countdown (it only ever signals)."""
        self._require(Move.TIMER)
        self.timer.start("discussion")
        self._tell(Change.ROUND)

    def lock(self) -> None:
        self._require(Move.LOCK)
        self._live_round().lock()
        self.timer.stop()
        self._tell(Change.ROUND)

    def reveal(self) -> Outcome:
        """Lock and show the tally; what it decides under the tie rule (a runoff round starts here)."""
        self._require(Move.REVEAL)
        current = self._live_round()
        current.reveal()
        self.timer.stop()
        self._tell(Change.ROUND)
        return self._outcome(current)

    def _outcome(self, current: Round) -> Outcome:
        return current.outcome(self.tie_rule, self.seed, f"{self.team.name}:{self.team.session.branch}")

    def outcome(self) -> Outcome | None:
        """What the revealed vote decides (None before the reveal)."""
        current = self.round
        if current is None or current.phase != "revealed":
            return None
        return self._outcome(current)

    def start_runoff(self) -> None:
        """A second vote between the options the first left tied (only under the runoff rule)."""
        self._require(Move.RUNOFF)
        outcome = self.outcome()
        assert outcome is not None
        current = self._live_round()
        self._first_tallies.append((current.counts, current.phones))
        self._round = current.runoff(outcome.tied)
        self.round_id = secrets.token_hex(4)
        self._tell(Change.ROUND)

    # -- deciding -----------------------------------------------------------------------------------------

    def decide(self, pick: int | None = None) -> Playthrough:
        """Take the revealed vote's choice; `pick` is the facilitator's choice where the vote leaves it to them.

        With a clear winner (or a seeded random pick) the vote decides and
        `pick` must be None or agree. On a tie under the facilitator rule, or a
        runoff that tied again, the facilitator picks one of the tied options;
        with no votes at all, any open option. The room then sees the result
        card, and the next scene waits for the facilitator to show it.
        """
        outcome = self.outcome()
        if outcome is not None and outcome.how == How.RUNOFF:
            raise WorkshopError("the vote tied: hold the runoff first")
        self._require(Move.DECIDE)
        assert outcome is not None
        if outcome.winner is not None:
            if pick is not None and pick != outcome.winner:
                raise WorkshopError("the vote has decided; the facilitator picks only when it leaves it open")
            return self._take(outcome.winner, outcome.how, outcome.tied, seen=True)
        self.point(pick)
        assert pick is not None
        return self._take(pick, outcome.how, outcome.tied if outcome.how == How.FACILITATOR else (), seen=True)

    def pointable(self) -> tuple[int, ...]:
        """The options the facilitator's pointer may rest on now: after a reveal that leaves the pick to them,
        only the ones they may pick (the tied options, or every open one when nobody voted); otherwise any."""
        current = self.round
        if current is None:
            return ()
        outcome = self.outcome()
        if outcome is not None and outcome.picking:
            return outcome.tied
        return tuple(o.choice.index for o in current.options)

    def point(self, index: int | None) -> None:
        """Check the facilitator may point at this option now; WorkshopError names the ones they may."""
        self._require(Move.POINT)
        current = self._live_round()
        allowed = self.pointable()
        if index in allowed:
            return
        outcome = self.outcome()
        names = [str(current.option(i).number) for i in allowed]  # tied and open options all have numbers
        if not names:
            raise WorkshopError("no option is open here")
        numbers = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        if outcome is not None and outcome.how == How.FACILITATOR:
            raise WorkshopError(f"only the tied options can be picked: {numbers}")
        raise WorkshopError(f"nobody voted: pick one of the open options, {numbers}")

    def skip(self, pick: int | None = None) -> Playthrough:
        """Move past a scene without a vote, taking `pick` (`skip_pick`, the first open option, by default).

        From the scene in front of the room (before its vote opens), or from a
        card, the scene after it before anyone has seen it. It is recorded as
        skipped: not the room's decision.
        """
        self._require(Move.SKIP)
        current = self._live_round()
        open_ = tuple(o.choice.index for o in current.options if o.available)
        chosen = self.skip_pick if pick is None else pick
        if chosen is None or chosen not in open_:
            raise WorkshopError("that option is not open" if open_ else "no option is open here")
        return self._take(chosen, How.SKIPPED, (), seen=self.shown.stage == SCENE)

    def _take(self, index: int, how: How, tied: tuple[int, ...], seen: bool) -> Playthrough:
        team = self.team
        current = self._live_round()
        before = len(team.play.steps)
        try:
            play = team.session.choose(index)
        except EngineError as problem:
            raise WorkshopError(str(problem)) from None
        tallies = [t for t, _ in self._first_tallies]
        phones = [p for _, p in self._first_tallies]
        if how != How.SKIPPED:
            tallies.append(current.counts)
            phones.append(current.phones)
        rule = self.tie_rule if tied else ""
        record = team.record
        del record[before:]
        record.append(Decision(before + 1, play.steps[-1].scene, index, how.value, current.votable, tuple(tallies),
                               tuple(phones), tied, rule, self.seed if rule == RANDOM else None, seen))
        self.shown = Shown(CARD, self.current, team.session.branch, before + 1, seen=seen)
        self._next_round()
        self._tell(Change.ENDED if play.is_over else Change.DECIDED)
        if self.mode == SIDE_BY_SIDE or play.is_over:
            self._next_team()
        return play

    def _next_round(self) -> None:
        self._round = None
        self._first_tallies = []
        self.timer.stop()

    def _next_team(self) -> None:
        """The next team whose story is still going takes the next decision (the room sees it when shown)."""
        candidate = next_unfinished(self.teams, self.current)
        if candidate is not None and candidate != self.current:
            self.current = candidate
            self._next_round()
            self._tell(Change.ROUND)

    # -- whose play ----------------------------------------------------------------------------------

    def _hand_to(self, index: int) -> None:
        self.current = index
        self._next_round()
        self._show_here()
        self._tell(Change.ROUND)

    def go_on(self) -> None:
        """From an ending: the team whose turn it is (the next one still going) takes the next decision."""
        self._require(Move.GO_ON)
        ended = self.shown.team
        if self.current != ended and not self.play.is_over:
            self._hand_to(self.current)
            return
        candidate = next_unfinished(self.teams, ended)
        assert candidate is not None  # the table allows going on only while a story is still going
        self._hand_to(candidate)

    def next_team(self) -> None:
        """Hand the decision to the next team whose story is still going."""
        self._require(Move.NEXT_TEAM)
        candidate = next_unfinished(self.teams, self.shown.team)
        assert candidate is not None
        self._hand_to(candidate)

    def go_to(self, index: int, branch: str | None = None) -> None:
        """Go on with team `index`'s play (on `branch`, if given): the room sees where it stands."""
        self._require(Move.PLAY)
        if not 0 <= index < len(self.teams):
            raise WorkshopError(f"there is no team {index + 1}")
        if branch is not None:
            try:
                self.teams[index].session.switch(branch)
            except EngineError as problem:
                raise WorkshopError(str(problem)) from None
        self._hand_to(index)
        if branch is not None:
            self._tell(Change.BRANCHED)

    def undo(self) -> Playthrough:
        """Take back a decision (a slip of the key): the scene's, or from its card the one just taken."""
        self._require(Move.UNDO)
        if self.shown.stage == CARD:
            self.current = self.shown.team
        team = self.team
        try:
            play = team.session.undo()
        except EngineError as problem:
            raise WorkshopError(str(problem)) from None
        del team.record[len(play.steps):]
        self._next_round()
        self._show_here()
        self._tell(Change.UNDONE)
        return play

    # -- forum theatre ---------------------------------------------------------------------------------

    def branch(self, steps_kept: int, name: str | None = None) -> str:
        """Stop, go back to just before decision `steps_kept + 1` of the play in front of the room, and play
        on from there as a new branch (the play as it was is kept beside it)."""
        self._require(Move.GO_BACK)
        self.current = self.shown.team
        chosen = self.team
        parent = list(chosen.record)
        if name is not None:
            name = " ".join(printable(name).split())[:MAX_TEAM_NAME]
            name = None if blank(name) else name
        try:
            new = chosen.session.fork(steps_kept, name)
        except EngineError as problem:
            raise WorkshopError(str(problem)) from None
        chosen.decisions[new] = parent[:steps_kept]
        self._next_round()
        self._show_here()
        self._tell(Change.BRANCHED)
        return new


__all__ = [
    "FACILITATOR", "GROUND_RULES", "MODES", "RANDOM", "RUNOFF", "SIDE_BY_SIDE", "STEP_OUT", "TURNS", "Change",
    "Decision", "Team", "Workshop", "WorkshopError", "team_names",
]
