"""The workshop's own words, said the same way on the console, the room display, the phones and the handouts.

A vote's outcome is a typed value (game.workshop.votes.Outcome); this module
is the one place that words it, and the one place that says how a decision
was taken, where the vote stands, how ties are settled, how long the timer
has left, and what the room sees now. The console adds its key hints and its
styles around these sentences; nothing else words them again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.model import Ending
from game.wording import DECISION, heading_label, quoted, scene_heading
from game.workshop.names import FACILITATOR, RANDOM, RUNOFF
from game.workshop.predictions import Prediction
from game.workshop.shown import CARD, COMPARE, DEBRIEF, IDEAS, LOBBY, PREDICT, SCENE, SECTIONS
from game.workshop.teams import Decision
from game.workshop.timer import Timer, clock_face
from game.workshop.votes import DISCUSSION, LOCKED, REVEALED, VOTING, How, Outcome, Round

if TYPE_CHECKING:
    from game.workshop.room import Workshop

PHASE_WORDS = {
    DISCUSSION: "Discussion",
    VOTING: "Voting open",
    LOCKED: "Vote locked",
    REVEALED: "Vote revealed",
}
"""Where a vote stands, as a short label (the console's tally, the room display's badge)."""

STATUS = {
    DISCUSSION: "Discussion: voting has not opened yet.",
    VOTING: "Voting is open.",
    LOCKED: "Voting has closed. The tally comes next.",
    REVEALED: "The votes are in.",
}
"""Where a vote stands, as a sentence for the room."""

TIE_WORDS = {
    FACILITATOR: "the facilitator decides",
    RUNOFF: "a runoff between the tied options",
    RANDOM: "a random pick between them",
}

HOW_WORDS = {
    How.VOTE: "the room's vote",
    How.RUNOFF_VOTE: "a runoff between the tied options",
    How.RANDOM: "a seeded random pick between the tied options",
    How.FACILITATOR: "the facilitator, between the tied options",
    How.NO_VOTES: "the facilitator (nobody voted)",
    How.SKIPPED: "the facilitator, who skipped the scene: not the room's decision",
}
"""How a decision was taken, as a phrase after "by"."""

SKIPPED_WORDS = "Skipped by the facilitator: not the room's decision."


def tie_rule_text(rule: str, seed: int, runoff: bool = False) -> str:
    """"If it ties: ..." as the console's status line and the room display say it; a random rule names its seed,
    and a runoff says what settles it when it ties again (the facilitator)."""
    if runoff and rule == RUNOFF:
        return f"If the runoff ties: {TIE_WORDS[FACILITATOR]}"
    words = TIE_WORDS[rule]
    if rule == RANDOM:
        words += f" (seed {seed})"
    return f"If it ties: {words}"


def option_name(current: Round, index: int | None) -> str:
    """An option as the room sees it: its number, or its words when it has none."""
    if index is None:
        return "?"
    option = current.option(index)
    return str(option.number) if option.number is not None else quoted(option.choice.text)


def joined(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def _with_words(current: Round, index: int | None) -> str:
    """"2: “Put the phone face down.”": an option's number with its words."""
    if index is None:
        return "?"
    option = current.option(index)
    return f"{option_name(current, index)}: {quoted(option.choice.text)}" if option.number is not None \
        else quoted(option.choice.text)


def outcome_sentence(current: Round, outcome: Outcome, seed: int) -> str:
    """What a revealed vote decides, in one sentence, for every view."""
    tied = joined([option_name(current, i) for i in outcome.tied]) if outcome.tied else ""
    if outcome.how in (How.VOTE, How.RUNOFF_VOTE):
        return f"The room chose {_with_words(current, outcome.winner)}"
    if outcome.how == How.RANDOM:
        return f"A tie between {tied}, settled by a random pick (seed {seed}): {_with_words(current, outcome.winner)}"
    if outcome.how == How.RUNOFF:
        return f"A tie between {tied}: a second vote between them comes next."
    if outcome.how == How.FACILITATOR:
        return f"A tie between {tied}: the facilitator decides between them."
    return "Nobody voted: the facilitator picks."


def decided_by(decision: Decision | None) -> str:
    """How a decision was taken, as a phrase after "by" (a random pick names its seed)."""
    if decision is None:
        return "nobody: it was not recorded"
    try:
        how = How(decision.how)
    except ValueError:
        return decision.how
    words = HOW_WORDS[how]
    if how == How.RANDOM and decision.seed is not None:
        words += f" (seed {decision.seed})"
    return words


def how_sentence(decision: Decision | None) -> str:
    """"Decided by the room's vote." or the skip's own sentence."""
    if decision is None:
        return "Not recorded."
    if decision.skipped:
        return SKIPPED_WORDS
    return f"Decided by {decided_by(decision)}."


def timer_text(timer: Timer) -> tuple[str, bool]:
    """The timer as the console's status line shows it, and whether it has run out (only ever a signal)."""
    if not timer.enabled:
        return "", False
    remaining = timer.remaining()
    if remaining is None:
        parts = []
        if timer.discussion:
            parts.append(f"talk {clock_face(timer.discussion)}")
        if timer.voting:
            parts.append(f"vote {clock_face(timer.voting)}")
        return "Timer: " + ", ".join(parts), False
    if remaining == 0:
        return f"⏰ Time is up ({timer.period}): the room still decides", True
    return f"{timer.period.capitalize()}: {clock_face(remaining)} left", False


def room_sees(workshop: Workshop) -> str:
    """What the room sees now, in one line for the console ("the result of decision 2 (Red, branch “Quick”)"):
    the team when there are several, and the branch when it is not the first play."""
    shown = workshop.shown
    team = workshop.teams[shown.team]
    branch = shown.branch if shown.stage == CARD else team.session.branch
    parts = [team.name] if len(workshop.teams) > 1 else []
    parts += [f"branch “{branch}”"] if branch != "main" else []
    whose = f" ({', '.join(parts)})" if parts else ""
    if shown.overlay == COMPARE:
        return "every play side by side"
    if shown.overlay == DEBRIEF:
        return f"the debrief, {shown.section}. {SECTIONS[shown.section - 1][1]}"
    if shown.overlay == IDEAS:
        asked = workshop.asking
        return f"the question “{asked.text if asked is not None else ''}” and the ideas you show"
    if shown.overlay == PREDICT:
        return f"how the play{whose} will end: the room predicts"
    if shown.stage == LOBBY:
        return "the lobby: how to join, the content notes and the ground rules"
    if shown.stage == SCENE:
        current = workshop.round
        phase = f" ({PHASE_WORDS[current.phase].lower()})" if current is not None else ""
        heading = scene_heading(workshop.scenario, team.play.state.at)
        return f"{heading_label(shown.step, DECISION)}{whose}, {heading}{phase}"
    if shown.stage == CARD:
        if not shown.seen:
            return f"that {heading_label(shown.step, DECISION).lower()}{whose} was skipped"
        return f"the result of {heading_label(shown.step, DECISION).lower()}{whose}"
    ending = team.play.ending
    return f"the ending{whose}: {ending.title if ending is not None else ''}"


def expects(prediction: Prediction) -> str:
    """What the room expects, before the ending: "The room expects hopeful (4 of 7 votes)."."""
    leaders = prediction.leaders
    if not leaders:
        return "Nobody predicted how it ends."
    if len(leaders) > 1:
        return f"The room is split between {joined(list(leaders))}."
    total = prediction.total
    return f"The room expects {leaders[0]} ({max(prediction.counts.values())} of {total} vote{'s' * (total != 1)})."


def compared(prediction: Prediction, ending: Ending | None) -> str:
    """The prediction beside the ending: "The room expected hopeful; it ended hard." (before the ending, what
    the room expects)."""
    if ending is None:
        return expects(prediction)
    leaders, tone = prediction.leaders, ending.tone
    if not leaders:
        return f"Nobody predicted how it would end; it ended {tone}."
    if len(leaders) > 1:
        return f"The room was split between {joined(list(leaders))}; it ended {tone}."
    if leaders[0] == tone:
        return f"The room expected {tone}, and it ended {tone}."
    return f"The room expected {leaders[0]}; it ended {tone}."
