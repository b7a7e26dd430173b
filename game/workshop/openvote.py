"""The vote still open when a workshop's log is written: its counts so far, so a crash loses no vote.

The log is written after every decision, and while a vote is open within a
moment of every hand counted and every phone's ballot (and at once on quit,
on a signal or a crash). This module says what of the open round goes into
the log (`to_json`) and how a workshop picked up again gets it back
(`restore`): the phase, the hands, each phone's ballot, and a runoff's first
round. A phone's ballot is kept under its voter key (`Workshop.voter`, a
digest of the phone's random token under the workshop's own key), never the
token itself: a phone coming back after the crash is recognised and counted
once, and the file holds nothing a page could be impersonated with. Once the
decision is taken only its counts stay in the log.
"""

from __future__ import annotations

from typing import Any

from game.workshop.room import Workshop
from game.workshop.votes import DISCUSSION, LOCKED, REVEALED, VOTING, Round

STANDING = {DISCUSSION: "voting had not opened", VOTING: "voting is still open", LOCKED: "voting had closed",
            REVEALED: "the tally had been revealed"}


def _counts(tally: dict[int, int]) -> dict[str, int]:
    return {str(k): v for k, v in tally.items()}


def _ints(raw: dict[str, int]) -> dict[int, int]:
    return {int(k): v for k, v in raw.items()}


def to_json(workshop: Workshop) -> dict[str, Any] | None:
    """The open round of the current decision, as the log keeps it; None when no vote is open."""
    current = workshop.open_round
    if current is None:
        return None
    return {
        "team": workshop.current, "branch": workshop.team.session.branch, "step": current.number,
        "id": workshop.round_id, "phase": current.phase, "runoff_of": list(current.runoff_of),
        "hands": _counts(current.hands), "ballots": dict(current.ballots), "salt": workshop.voter_salt,
        "first": [{"counts": _counts(c), "phones": _counts(p)} for c, p in workshop.earlier_rounds],
    }


def restore(workshop: Workshop, raw: dict[str, Any] | None) -> list[str]:
    """Put the open round back into a workshop picked up from its log (fields already read by
    game.workshop.logshape); notes for the facilitator: what was picked up, or why it was not."""
    if raw is None:
        return []
    team = workshop.teams[raw["team"]] if raw["team"] < len(workshop.teams) else None
    play = team.play if team is not None else None
    if (team is None or raw["team"] != workshop.current or raw["branch"] != team.session.branch or play is None
            or play.is_over or raw["step"] != len(play.steps) + 1):
        return ["The vote that was open when the workshop was saved no longer fits where the story stands, so "
                "its counts were not picked up."]
    options = tuple(play.options())
    open_indexes = {o.choice.index for o in options if o.available}
    runoff_of = tuple(raw["runoff_of"])
    current = Round(options, raw["step"], runoff_of, raw["phase"], _ints(raw["hands"]), dict(raw["ballots"]))
    votable = set(current.votable)
    fits = (set(runoff_of) <= open_indexes and len(raw["first"]) == (1 if runoff_of else 0)
            and set(current.hands) <= votable and set(current.ballots.values()) <= votable)
    if not fits:
        return ["The vote that was open when the workshop was saved does not fit this scene's choices, so its "
                "counts were not picked up."]
    workshop.voter_salt = raw["salt"]
    workshop.reopen(current, raw["id"], [(_ints(f["counts"]), _ints(f["phones"])) for f in raw["first"]])
    phones = len(current.ballots)
    if not current.total and current.phase != VOTING:
        return []
    return [f"The vote on decision {current.number} was picked up as it stood: {current.total} "
            f"vote{'' if current.total == 1 else 's'} so far ({phones} from phones); {STANDING[current.phase]}."]
