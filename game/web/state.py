"""What a phone shows, taken from the workshop: the round, its options, the phase, the timer, any ending.

Everything here is plain data (it goes to the phones as JSON, and the page
puts every piece of it in as text, never as markup). Scenario text is passed
through `printable` on the way, so nothing a story file holds can act on a
page. The tally goes out only once the facilitator reveals it, unless the
workshop shows it as it fills. A phone's own vote is never in this snapshot
(it is the same for every phone): each phone is told its own vote alone.
"""

from __future__ import annotations

from typing import Any

from game.resources import Resources
from game.safetext import printable
from game.workshop.room import Workshop
from game.workshop.votes import REVEALED, Outcome, Round

WAITING, ENDED = "waiting", "ended"
"""Phases beyond a round's own: the facilitator has not begun yet; the story in front of the room has ended."""

NOT_IN_RUNOFF = "Not in the runoff: only the tied choices are on the ballot."


def _option_number(current: Round, index: int) -> int | None:
    return next((o.number for o in current.options if o.choice.index == index), None)


def options(current: Round) -> list[dict[str, Any]]:
    """Every option shown, in order: open ones with their number, struck ones with their reason."""
    votable = set(current.votable)
    shown = []
    for option in current.options:
        index = option.choice.index
        reason = printable(option.reason) if not option.available else ("" if index in votable else NOT_IN_RUNOFF)
        shown.append({"index": index, "number": option.number, "text": printable(option.choice.text),
                      "open": index in votable, "struck": not option.available, "reason": reason})
    return shown


def outcome_text(current: Round, outcome: Outcome | None) -> str:
    """What the revealed vote decided, in a sentence for the room."""
    if outcome is None:
        return ""

    def named(index: int | None) -> str:
        number = None if index is None else _option_number(current, index)
        return f"choice {number}" if number is not None else "a choice"

    if outcome.how in ("vote", "runoff-vote"):
        return f"The room chose {named(outcome.winner)}."
    if outcome.how == "random":
        return f"A tie, settled by a random pick: {named(outcome.winner)}."
    tied = " and ".join(named(i) for i in outcome.tied)
    if outcome.how == "runoff":
        return f"A tie between {tied}: a second vote between them comes next."
    if outcome.how == "facilitator":
        return f"A tie between {tied}: the facilitator decides."
    return "Nobody voted: the facilitator picks."


def _timer(workshop: Workshop) -> dict[str, Any] | None:
    running = workshop.timer.running
    if running is None:
        return None
    return {"period": workshop.timer.period, "remaining": running.remaining(), "paused": running.paused_at is not None}


def timer_signature(workshop: Workshop) -> tuple:
    """What changes when the timer starts, stops, pauses or resumes (not as it merely counts down)."""
    running = workshop.timer.running
    if running is None:
        return ()
    return (workshop.timer.period, running.seconds, running.started, running.paused_at is not None,
            running.expired)


def snapshot(workshop: Workshop) -> dict[str, Any]:
    """The state every phone shows now (the same for all of them)."""
    play = workshop.play
    ending = play.ending
    endings = [{"team": printable(t.name), "title": printable(t.play.ending.title)}
               for t in workshop.teams if t.play.ending is not None]
    data: dict[str, Any] = {
        "type": "state",
        "team": printable(workshop.team.name) if len(workshop.teams) > 1 else "",
        "round": None, "step": len(play.steps) + 1, "scene": "", "phase": WAITING, "runoff": False,
        "options": [], "votes": 0, "tally": None, "outcome": "", "timer": None,
        "ending": printable(ending.title) if ending is not None else "",
        "endings": endings, "finished": workshop.finished,
    }
    if ending is not None:
        data["phase"] = ENDED
        return data
    if not workshop.started:
        return data  # nothing of the story before the facilitator begins (content notes come first)
    current = workshop.round
    assert current is not None  # a play that is not over has a round
    scene = play.scene
    counts = current.counts
    data.update({
        "round": workshop.round_id, "phase": current.phase, "step": current.number,
        "scene": printable(scene.title) if scene is not None else "", "runoff": bool(current.runoff_of),
        "options": options(current), "votes": sum(counts.values()), "timer": _timer(workshop),
    })
    if current.phase == REVEALED or not workshop.hide_tally:
        data["tally"] = [{"index": i, "count": c} for i, c in counts.items()]
    if current.phase == REVEALED:
        data["outcome"] = outcome_text(current, workshop.outcome())
    return data


def welcome(workshop: Workshop, help_resources: Resources) -> dict[str, Any]:
    """What a phone is told once, when it joins: the story's title, the ground rules, the help resources."""
    return {
        "type": "welcome",
        "title": printable(workshop.scenario.title),
        "rules": [printable(line).replace("on F2", "at the foot of this page")
                  for line in workshop.rules.splitlines() if line.strip()],
        "help": {
            "intro": printable(help_resources.intro),
            "items": [{"name": printable(r.name), "region": printable(r.region), "contact": printable(r.contact),
                       "about": printable(r.about)} for r in help_resources.items],
        },
    }
