"""One decision put to a room: the options, the votes for each, locking, revealing, and ties.

The facilitator keeps control of every step. Votes come as hands counted in
the room (typed in by the facilitator) and, with phones, as one ballot per
device; the two are added together. A round moves from discussion to voting
to locked to revealed, only when the facilitator says so, and once locked no
count can change. Struck-through options (a choice the story shows but will
not let the character take) can never take a vote.

A tie is settled by the rule chosen before the session: the facilitator
decides, a runoff between the tied options, or a seeded random pick whose
seed is shown and logged. A round with no votes at all decides nothing: the
facilitator picks. What a vote decided is a typed `Outcome` (its `How`), and
game.workshop.words is the one place that puts it into words for every view.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING

import attrs

from game.safetext import quote
from game.workshop.names import RANDOM, RUNOFF

if TYPE_CHECKING:  # the command line reads the tie rules: it loads no rules to build its parser
    from game.engine import Option


DISCUSSION, VOTING, LOCKED, REVEALED = "discussion", "voting", "locked", "revealed"
PHASES = (DISCUSSION, VOTING, LOCKED, REVEALED)

MAX_COUNT = 100_000
"""No room is bigger; a count above it is a typo."""

MAX_SEED = 10**18 - 1
"""The largest seed for random tie-breaks (eighteen digits: a seed is read off a screen and typed again)."""


def parse_seed(text: str | None) -> int | None:
    """A seed as typed (empty: none, one is chosen); ValueError says what a seed is otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    digits, most = text.removeprefix("-"), len(str(MAX_SEED))
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"a seed is a whole number of at most {most} digits")
    if len(digits) > most:  # said back by its length, never read as a number
        raise ValueError(f"`{quote(text)}` has {len(digits):,} digits: a seed is a whole number of at most {most}")
    return int(text)


class VoteError(ValueError):
    """A vote the round cannot take, with a sentence saying why."""


def check_count(count: int) -> int:
    """A room's count for one option (a vote's or a prediction's), 0 to MAX_COUNT; VoteError says the number
    back, as a person reads it, otherwise. The one rule for a count, wherever it is typed or sent."""
    if not 0 <= count <= MAX_COUNT:
        raise VoteError(f"{count:,} is {'more than any room holds' if count > 0 else 'fewer than none'}: "
                        f"a count is 0 to {MAX_COUNT:,}")
    return count


class How(str, Enum):
    """How a vote came out, and how a decision was taken (the log keeps the values)."""

    VOTE = "vote"
    """A clear winner."""
    RUNOFF_VOTE = "runoff-vote"
    """A clear winner of the runoff between the tied options."""
    RANDOM = "random"
    """A tie settled by the seeded random pick."""
    RUNOFF = "runoff"
    """A tie under the runoff rule: the runoff comes next (never a decision)."""
    FACILITATOR = "facilitator"
    """A tie the facilitator settles by picking one of the tied options."""
    NO_VOTES = "no votes"
    """Nobody voted: the facilitator picks any open option."""
    SKIPPED = "skipped"
    """The facilitator moved past the scene: not the room's decision (never an outcome)."""


@attrs.frozen
class Outcome:
    """What the votes decided: a winner, or the options still tied, or nothing (no votes)."""

    winner: int | None
    tied: tuple[int, ...] = ()
    how: How = How.VOTE

    @property
    def picking(self) -> bool:
        """The facilitator must pick, from `tied` (a tie left to them, or nobody voted: every open option)."""
        return self.winner is None and self.how in (How.FACILITATOR, How.NO_VOTES)


@attrs.define
class Round:
    """The votes for one decision. Options are keyed by the choice's index in its scene."""

    options: tuple[Option, ...]
    number: int = 1
    runoff_of: tuple[int, ...] = ()
    """When this is a runoff: the tied options it is between (nothing else can take votes)."""
    phase: str = DISCUSSION
    hands: dict[int, int] = attrs.field(factory=dict)
    ballots: dict[str, int] = attrs.field(factory=dict)
    """Phone ballots: a device's key (Workshop.voter: a digest of its random token) -> the option it voted for
    (a new vote replaces the old)."""

    # -- what can be voted for ----------------------------------------------------------

    @property
    def votable(self) -> tuple[int, ...]:
        """The choice indexes that can take votes, in the order shown."""
        return tuple(o.choice.index for o in self.options
                     if o.available and (not self.runoff_of or o.choice.index in self.runoff_of))

    def option(self, index: int) -> Option:
        for option in self.options:
            if option.choice.index == index:
                return option
        raise VoteError(f"there is no option {index + 1} here" if 0 <= index < 1000 else
                        "that option is not on offer")

    def check_votable(self, index: int) -> None:
        option = self.option(index)
        if not option.available:
            raise VoteError(f"“{option.choice.text}” is not open: {option.reason or 'it is struck through'}")
        if self.runoff_of and index not in self.runoff_of:
            raise VoteError("this is a runoff: only the tied options can take votes")

    # -- counting ----------------------------------------------------------------------------

    @property
    def phones(self) -> dict[int, int]:
        return dict(Counter(self.ballots.values()))

    def count(self, index: int) -> int:
        """Hands and phones together for one option."""
        return self.hands.get(index, 0) + sum(1 for v in self.ballots.values() if v == index)

    @property
    def counts(self) -> dict[int, int]:
        """Every votable option's total, zeros included, in the order shown."""
        phones = self.phones
        return {i: self.hands.get(i, 0) + phones.get(i, 0) for i in self.votable}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def _check_open(self) -> None:
        if self.phase in (LOCKED, REVEALED):
            raise VoteError("the vote is locked: counts can no longer change")

    def set_hands(self, index: int, count: int) -> None:
        """The room's count of hands (or cards) for an option, as the facilitator types it."""
        self._check_open()
        self.check_votable(index)
        self.hands[index] = check_count(count)
        self.phase = VOTING

    def add_hands(self, index: int, delta: int = 1) -> None:
        """One more hand (or, with a negative delta, one fewer; never below zero)."""
        self.set_hands(index, max(0, min(MAX_COUNT, self.hands.get(index, 0) + delta)))

    def ballot(self, voter: str, index: int) -> None:
        """A phone's vote: only while voting is open, only for an open option; a new vote replaces its last."""
        if self.phase != VOTING:
            raise VoteError("voting is not open" if self.phase == DISCUSSION else "voting has closed")
        self.check_votable(index)
        self.ballots[voter] = index

    # -- the facilitator's steps -----------------------------------------------------------------

    def open(self) -> None:
        """Open voting (phones can vote from now on)."""
        self._check_open()
        self.phase = VOTING

    def lock(self) -> None:
        """Close voting: nothing can change after this (a vote that never opened cannot be locked)."""
        if self.phase == DISCUSSION:
            raise VoteError("voting has not opened yet: there is nothing to lock")
        if self.phase == VOTING:
            self.phase = LOCKED

    def reveal(self) -> None:
        """Show the tally (locking it first); a vote that never opened has nothing to reveal."""
        if self.phase == DISCUSSION:
            raise VoteError("voting has not opened yet: open it, count, then reveal")
        self.phase = REVEALED

    def outcome(self, rule: str, seed: int = 0, salt: str = "") -> Outcome:
        """What the locked vote decides under `rule`; the random pick depends only on the seed and `salt`."""
        counts = self.counts
        if not counts or not any(counts.values()):
            return Outcome(None, tuple(counts), How.NO_VOTES)
        best = max(counts.values())
        leaders = tuple(i for i, c in counts.items() if c == best)
        if len(leaders) == 1:
            return Outcome(leaders[0], how=How.RUNOFF_VOTE if self.runoff_of else How.VOTE)
        if rule == RANDOM:
            rng = random.Random(f"{seed}:{salt}:{self.number}:{','.join(map(str, leaders))}")
            return Outcome(rng.choice(leaders), leaders, How.RANDOM)
        if rule == RUNOFF and not self.runoff_of:
            return Outcome(None, leaders, How.RUNOFF)
        return Outcome(None, leaders, How.FACILITATOR)

    def runoff(self, tied: Iterable[int]) -> Round:
        """A new round between the tied options only, its counts starting from zero."""
        return Round(self.options, self.number, tuple(tied))

