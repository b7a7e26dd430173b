"""The room's prediction of how a play ends, set beside the ending it reached.

Before a forum-theatre branch (or any play) reaches its ending, the
facilitator can ask the room how it will end. The options are the ending
tones the story can still reach from where the play stands (game.analysis.
reach walks the story from there, within a budget; when the budget runs out
the options are every tone the story has, so the ending that comes is never
missing). Phones and hands vote as on a decision: hands typed in, one ballot
per phone, a new ballot replacing the last; revealing locks it and records it
for that play, once per play (a reveal with no votes records nothing, so the
room can be asked again). A phone's token is forgotten at the reveal: the record keeps
counts only.

game.workshop.words words it once for every view: the compare screen, the
room display, the phones and the handouts say "The room expected hopeful; it
ended hard." The Workshop's steps (`Predicting`, a base of
game.workshop.room.Workshop) are refused when game.workshop.moves's table
does not allow them.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable
from typing import Any

import attrs

from game.analysis.reach import endings_from
from game.model import TONES
from game.workshop.moves import Move
from game.workshop.showing import Change
from game.workshop.shown import PREDICT, Shown
from game.workshop.teams import Team
from game.workshop.votes import MAX_COUNT, VoteError, check_count

QUESTION = "How will this play end?"
NOT_RECORDED = "With no votes, nothing is recorded: the room can be asked again for this play."
"""The facilitator's line under a prediction revealed with no votes (never the room's)."""
OVER = "That prediction is over; what is in front of the room is on your screen now."


@attrs.define
class Prediction:
    """The room's votes on how one play (a team's branch) ends, among `tones`, asked after `step` decisions."""

    id: str
    team: int
    branch: str
    step: int
    tones: tuple[str, ...]
    exhaustive: bool = True
    """False when the walk ran out of budget: the tones are then every tone the story has."""
    hands: dict[int, int] = attrs.field(factory=dict)
    ballots: dict[str, int] = attrs.field(factory=dict)
    """A phone's token -> the tone it voted for: in memory only, and forgotten at the reveal."""
    phone_counts: dict[int, int] = attrs.field(factory=dict)
    revealed: bool = False

    @property
    def phones(self) -> dict[int, int]:
        return dict(self.phone_counts) if self.revealed else dict(Counter(self.ballots.values()))

    @property
    def counts(self) -> dict[int, int]:
        phones = self.phones
        return {i: self.hands.get(i, 0) + phones.get(i, 0) for i in range(len(self.tones))}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def leaders(self) -> tuple[str, ...]:
        """The tone (or tones, on a tie) most of the room expects; none when nobody voted."""
        counts = self.counts
        best = max(counts.values(), default=0)
        return tuple(self.tones[i] for i, c in counts.items() if c == best) if best else ()

    def _check(self, index: int) -> None:
        if self.revealed:
            raise VoteError("the prediction is revealed: counts can no longer change")
        if not 0 <= index < len(self.tones):
            raise VoteError(f"there is no option {index + 1} here")

    def set_hands(self, index: int, count: int) -> None:
        self._check(index)
        self.hands[index] = check_count(count)

    def ballot(self, token: str, index: int) -> None:
        self._check(index)
        self.ballots[token] = index

    def reveal(self) -> None:
        self.phone_counts = self.phones
        self.ballots = {}
        self.revealed = True


# -- the Workshop's steps -------------------------------------------------------------------------------


class Predicting:
    """The Workshop's steps for asking the room how a play ends (a base of game.workshop.room.Workshop)."""

    shown: Shown
    teams: list[Team]
    round_id: str
    round: Any
    _require: Callable[[Move], None]
    _tell: Callable[[Change], None]

    def __init__(self) -> None:
        self.predictions: dict[tuple[int, str], Prediction] = {}
        """(team, branch) -> the room's revealed prediction of how that play ends."""
        self.prediction: Prediction | None = None
        """The prediction asked last: in front of the room while it sees PREDICT."""
        super().__init__()

    def _in_front(self) -> tuple[int, str]:
        return self.shown.team, self.teams[self.shown.team].session.branch

    @property
    def predicting(self) -> bool:
        """A prediction is in front of the room, still taking votes."""
        found = self.prediction
        return self.shown.overlay == PREDICT and found is not None and not found.revealed

    @property
    def predicted(self) -> bool:
        """The play in front of the room has its prediction already."""
        return self._in_front() in self.predictions

    def prediction_of(self, team: int, branch: str) -> Prediction | None:
        return self.predictions.get((team, branch))

    def predict(self) -> Prediction:
        """Ask the room how the play in front of it ends: the tones it can still reach go up as options (the
        same prediction comes back, counts and all, if it was put down before its reveal and the play has not
        moved since)."""
        self._require(Move.PREDICT)
        team, branch = self._in_front()
        pending = self.prediction
        play = self.teams[team].play
        if pending is None or pending.revealed or (pending.team, pending.branch, pending.step) != \
                (team, branch, len(play.steps)):
            scenario = play.scenario
            reach = endings_from(scenario, play.state)
            endings = reach.endings if reach.exhaustive else tuple(scenario.endings)
            tones = tuple(t for t in TONES if any(scenario.endings[e].tone == t for e in endings))
            pending = Prediction(secrets.token_hex(4), team, branch, len(play.steps), tones, reach.exhaustive)
            self.prediction = pending
        self.shown = self.shown.over(PREDICT)
        self._tell(Change.SHOWN)
        return pending

    def _counting(self) -> Prediction:
        self._require(Move.PREDICT_COUNT)
        assert self.prediction is not None
        return self.prediction

    def predict_hands(self, index: int, count: int) -> None:
        """The room's count of hands for a tone, as the facilitator types it."""
        self._counting().set_hands(index, count)
        self._tell(Change.ROUND)

    def add_prediction_hands(self, index: int, delta: int = 1) -> None:
        prediction = self._counting()
        prediction.set_hands(index, max(0, min(MAX_COUNT, prediction.hands.get(index, 0) + delta)))
        self._tell(Change.ROUND)

    def prediction_ballot(self, voter: str, index: int) -> None:
        """A phone's vote on how the play ends, under its keyed digest (VoteError once revealed or put down)."""
        if not self.predicting or self.prediction is None:
            raise VoteError(OVER)
        self.prediction.ballot(voter, index)
        self._tell(Change.BALLOT)

    def reveal_prediction(self) -> Prediction:
        """Lock and show the split: the prediction is recorded for the play in front of the room, once per play.
        One nobody voted in is shown ("Nobody predicted how it ends") but not recorded: a reveal pressed before
        the hands were counted must not use up the play's one prediction, so the room can be asked again."""
        self._require(Move.PREDICT_REVEAL)
        prediction = self.prediction
        assert prediction is not None
        prediction.reveal()
        if prediction.total:
            self.predictions[(prediction.team, prediction.branch)] = prediction
        self._tell(Change.PREDICTED)
        return prediction

    def ballot_of(self, round_id: str | None, token: str) -> int | None:
        """This phone's vote in the round (or prediction) with this id, if it has one."""
        voter = self.voter(token)
        found = self.prediction
        if found is not None and round_id == found.id:
            return found.ballots.get(voter)
        current = self.round if round_id == self.round_id else None
        return current.ballots.get(voter) if current is not None else None


# -- the log --------------------------------------------------------------------------------------------


def _counts(raw: Any, size: int) -> dict[int, int] | None:
    if not isinstance(raw, dict):
        return None
    out = {}
    for key, value in raw.items():
        if not (isinstance(key, str) and key.isdigit() and int(key) < size and isinstance(value, int)
                and not isinstance(value, bool) and 0 <= value <= MAX_COUNT):
            return None
        out[int(key)] = value
    return out


def to_json(predictions: dict[tuple[int, str], Prediction]) -> list[dict[str, Any]]:
    """Every revealed prediction: its play, when it was asked, its options and counts (never a phone)."""
    return [{"team": p.team, "branch": p.branch, "step": p.step, "tones": list(p.tones),
             "hands": {str(i): n for i, n in p.hands.items()}, "phones": {str(i): n for i, n in p.phones.items()},
             "exhaustive": p.exhaustive} for p in predictions.values()]


def from_json(raw: Any, teams: list[Team]) -> tuple[dict[tuple[int, str], Prediction], list[str]]:
    """The predictions a log keeps, each checked as it is read; a damaged one is left out with a note."""
    found: dict[tuple[int, str], Prediction] = {}
    if raw is None:
        return found, []
    if not isinstance(raw, list):
        return found, ["the log's predictions are damaged; they were left out"]
    notes = []
    for n, item in enumerate(raw[:1000], 1):
        prediction = _prediction(item, teams)
        if prediction is None or (prediction.team, prediction.branch) in found:
            notes.append(f"prediction {n} is damaged in the log; it was left out")
        else:
            found[(prediction.team, prediction.branch)] = prediction
    return found, notes


def _prediction(raw: Any, teams: list[Team]) -> Prediction | None:
    if not isinstance(raw, dict):
        return None
    team, branch, step, tones = raw.get("team"), raw.get("branch"), raw.get("step", 0), raw.get("tones")
    if not (isinstance(team, int) and not isinstance(team, bool) and 0 <= team < len(teams)
            and isinstance(branch, str) and branch in teams[team].session.branches
            and isinstance(step, int) and not isinstance(step, bool) and 0 <= step <= 100_000
            and isinstance(tones, list) and 0 < len(tones) == len(set(tones)) <= len(TONES)
            and all(t in TONES for t in tones)):
        return None
    hands, phones = _counts(raw.get("hands", {}), len(tones)), _counts(raw.get("phones", {}), len(tones))
    if hands is None or phones is None:
        return None
    return Prediction(secrets.token_hex(4), team, branch, step, tuple(tones), raw.get("exhaustive") is not False,
                      hands, {}, phones, True)
