"""Which of the facilitator's moves the workshop allows now: one table, read by every front end.

The Workshop refuses a move this table does not allow (with the sentence in
`REFUSED`), and the console only reads the table: its `check_action` shows a
key exactly when its move is allowed, so the two can never disagree. The
table is a function of the workshop's state alone: the stage the room sees,
the phase of the vote in front of it, what the vote decided, and the teams.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Protocol

from game.engine import Playthrough
from game.workshop import prompts
from game.workshop.shown import CARD, DEBRIEF, ENDING, IDEAS, PREDICT, SCENE, Shown
from game.workshop.teams import Team, next_unfinished
from game.workshop.timer import Timer
from game.workshop.votes import DISCUSSION, LOCKED, REVEALED, VOTING, How, Outcome, Round


class Workshop(Protocol):
    """What the table reads of a workshop (game.workshop.room.Workshop)."""

    @property
    def shown(self) -> Shown: ...

    @property
    def started(self) -> bool: ...

    @property
    def finished(self) -> bool: ...

    @property
    def round(self) -> Round | None: ...

    @property
    def play(self) -> Playthrough: ...

    @property
    def timer(self) -> Timer: ...

    @property
    def teams(self) -> Sequence[Team]: ...

    def outcome(self) -> Outcome | None: ...

    @property
    def has_ideas(self) -> bool: ...

    @property
    def predicting(self) -> bool: ...

    @property
    def predicted(self) -> bool: ...


class Move(str, Enum):
    """One step the facilitator can take."""

    BEGIN = "begin"
    """Past the content notes and ground rules: the first scene goes up."""
    POINT = "point"
    """Point at an option: the one counts go to, or the pick after a tie (the console keeps the pointer)."""
    COUNT = "count"
    """Count hands for an option (this opens the vote if it was still discussion)."""
    OPEN = "open"
    TIMER = "timer"
    """Start the discussion countdown."""
    LOCK = "lock"
    REVEAL = "reveal"
    DECIDE = "decide"
    """Take what the revealed vote decided (or the facilitator's pick where it leaves it open)."""
    RUNOFF = "runoff"
    SKIP = "skip"
    """Move past a scene without a vote: before its vote opens, or from the card before it is shown."""
    SHOW = "show"
    """From a card: show the room what comes next (the next scene, or the ending)."""
    GO_ON = "go_on"
    """From an ending: the next team whose story is still going."""
    NEXT_TEAM = "next_team"
    UNDO = "undo"
    GO_BACK = "go_back"
    """Forum theatre: back to an earlier decision, as a new branch."""
    PROMPTS = "prompts"
    """Put the discussion questions up on the room display, or take them down."""
    PLAY = "play"
    """Go on with any team's play, on any of its branches."""
    COMPARE = "compare"
    DEBRIEF = "debrief"
    CLOSE = "close"
    """Take the comparison or the debrief down again."""
    PAGE = "page"
    """Turn the room display's page."""
    ASK = "ask"
    """Put a question to the room (something else?, a scene's question, the step-out question): the phones
    offer a text box while the room sees it (game.workshop.ideas)."""
    ADD_IDEA = "add_idea"
    """Type an idea said aloud into the question the room sees."""
    MODERATE = "moderate"
    """Show the room an idea, or hide one again."""
    PREDICT = "predict"
    """Ask the room how the play in front of it ends, among the tones it can still reach
    (game.workshop.predictions)."""
    PREDICT_COUNT = "predict_count"
    """Count hands for a tone in the prediction."""
    PREDICT_REVEAL = "predict_reveal"
    """Reveal the prediction's split, which records it."""


REFUSED = {
    Move.BEGIN: "the workshop has already begun",
    Move.POINT: "there is nothing to point at here",
    Move.COUNT: "votes are counted while the scene is in front of the room, until the vote is locked",
    Move.OPEN: "the vote opens during the discussion of the scene in front of the room",
    Move.TIMER: "the discussion timer is not set, or it is already running",
    Move.LOCK: "only an open vote can be locked",
    Move.REVEAL: "open the vote and count first",
    Move.DECIDE: "reveal the vote first",
    Move.RUNOFF: "a runoff follows a revealed vote that tied, under the runoff rule",
    Move.SKIP: "a scene is skipped before its vote opens, or from the card before it is shown",
    Move.SHOW: "there is nothing new to show the room",
    Move.GO_ON: "every team's story has ended",
    Move.NEXT_TEAM: "no other team's story is still going",
    Move.UNDO: "there is no decision to take back here",
    Move.GO_BACK: "there is no decision to go back to",
    Move.PROMPTS: "there are no questions for the room here",
    Move.PLAY: "the workshop has not begun",
    Move.COMPARE: "the workshop has not begun",
    Move.DEBRIEF: "the workshop has not begun",
    Move.CLOSE: "nothing is up over the story",
    Move.PAGE: "the workshop has not begun",
    Move.ASK: "a question goes to the room once the workshop has begun, with nothing else over the story",
    Move.ADD_IDEA: "an idea is typed in while its question is in front of the room",
    Move.MODERATE: "there is no idea from the room to show or hide",
    Move.PREDICT: "the room predicts how a play ends once per play, before its ending, with nothing else over "
                  "the story (a prediction nobody voted in does not count)",
    Move.PREDICT_COUNT: "counts go to a prediction in front of the room, until it is revealed",
    Move.PREDICT_REVEAL: "there is no prediction in front of the room to reveal",
}
"""Why each move is refused when the table does not allow it (the Workshop says it)."""

OVER_ANYTHING = frozenset({Move.PLAY, Move.COMPARE, Move.DEBRIEF, Move.PAGE})
"""What works whatever the room sees, once begun."""


def allowed(workshop: Workshop) -> frozenset[Move]:
    """Every move the workshop allows now."""
    shown = workshop.shown
    if not workshop.started:
        return frozenset({Move.BEGIN})
    moves = set(OVER_ANYTHING)
    if workshop.has_ideas:
        moves.add(Move.MODERATE)
    if shown.overlay:
        return frozenset(moves | _over(workshop))
    moves.add(Move.ASK)
    if shown.stage == SCENE:
        moves |= _scene(workshop)
    elif shown.stage == CARD:
        moves |= _card(workshop)
    elif shown.stage == ENDING:
        moves |= _ending(workshop)
    if next_unfinished(workshop.teams, shown.team) not in (None, shown.team) and shown.stage in (SCENE, ENDING):
        moves.add(Move.NEXT_TEAM)
    return frozenset(moves)


def offers_predict(workshop: Workshop) -> bool:
    """Whether the console offers the predict key: whenever the story is in front of the room, nothing over it.
    Where the move itself is refused (this play's prediction is in, or an ending is up), the key then says why
    instead of doing nothing."""
    return workshop.started and not workshop.shown.overlay


def _scene(workshop: Workshop) -> set[Move]:
    moves: set[Move] = set()
    current = workshop.round
    if current is None:  # pragma: no cover - a scene in front of the room always has a round
        return moves
    phase = current.phase
    if phase in (DISCUSSION, VOTING):
        moves |= {Move.POINT, Move.COUNT}
    if phase == DISCUSSION:
        moves |= {Move.OPEN, Move.SKIP}
        timer = workshop.timer
        if timer.discussion and timer.period != "discussion":
            moves.add(Move.TIMER)
    if phase == VOTING:
        moves.add(Move.LOCK)
    if phase in (VOTING, LOCKED):
        moves.add(Move.REVEAL)
    if phase == REVEALED:
        outcome = workshop.outcome()
        if outcome is not None and outcome.how == How.RUNOFF:
            moves.add(Move.RUNOFF)
        elif outcome is not None:
            moves.add(Move.DECIDE)
            if outcome.picking:
                moves.add(Move.POINT)
    if workshop.play.steps:
        moves |= {Move.UNDO, Move.GO_BACK}
    if prompts.at(workshop.play).prompts:
        moves.add(Move.PROMPTS)
    if not workshop.predicted:
        moves.add(Move.PREDICT)
    return moves


def _over(workshop: Workshop) -> set[Move]:
    """What can be done while something is up over the story: take it down, and what belongs to it."""
    overlay = workshop.shown.overlay
    moves = {Move.CLOSE}
    if overlay == DEBRIEF:
        moves.add(Move.ASK)  # the step-out question, from the debrief
    elif overlay == IDEAS:
        moves.add(Move.ADD_IDEA)
    elif overlay == PREDICT and workshop.predicting:
        moves |= {Move.PREDICT_COUNT, Move.PREDICT_REVEAL}
    return moves


def _card(workshop: Workshop) -> set[Move]:
    shown = workshop.shown
    moves = {Move.SHOW}
    team = workshop.teams[shown.team]
    if not team.play.is_over and workshop.round is not None:
        moves.add(Move.SKIP)
    if team.session.branch == shown.branch and len(team.play.steps) == shown.step:
        moves.add(Move.UNDO)
    return moves


def _ending(workshop: Workshop) -> set[Move]:
    team = workshop.teams[workshop.shown.team]
    moves: set[Move] = set()
    if not workshop.finished:
        moves.add(Move.GO_ON)
    if team.play.steps:
        moves.add(Move.GO_BACK)
    if prompts.at(team.play).prompts:
        moves.add(Move.PROMPTS)
    return moves
