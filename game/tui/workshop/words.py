"""The workshop's sentences for the room: phases, tie rules, what a vote decided, how a decision was made."""

from __future__ import annotations

from rich.text import Text

from game.wording import quoted
from game.workshop.handout import HOW_WORDS, OUTCOME_WORDS
from game.workshop.room import Decision, Workshop
from game.workshop.timer import clock_face
from game.workshop.votes import DISCUSSION, FACILITATOR, LOCKED, RANDOM, REVEALED, RUNOFF, VOTING, Outcome, Round

PHASE_WORDS = {
    DISCUSSION: "Discussion",
    VOTING: "Voting open",
    LOCKED: "Vote locked",
    REVEALED: "Vote revealed",
}

TIE_WORDS = {
    FACILITATOR: "the facilitator decides",
    RUNOFF: "a runoff between the tied options",
    RANDOM: "a random pick between them",
}

__all__ = ["HOW_WORDS", "OUTCOME_WORDS", "PHASE_WORDS", "TIE_WORDS", "how_words", "number_of", "outcome_text",
           "tie_rule_text", "timer_text"]


def tie_rule_text(workshop: Workshop) -> str:
    """"If a vote ties: ..." as the status line says it; a random rule names its seed."""
    words = TIE_WORDS[workshop.tie_rule]
    if workshop.tie_rule == RANDOM:
        words += f" (seed {workshop.seed})"
    return f"If it ties: {words}"


def number_of(current: Round, index: int | None) -> str:
    """The option as the room sees it: its number, or its words when it has no number."""
    if index is None:
        return "?"
    option = current.option(index)
    return str(option.number) if option.number is not None else quoted(option.choice.text)


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(text: Text, words: str) -> None:
    """Append scenario words as the end of a sentence: a full stop only if they do not end with one."""
    text.append(words)
    if not words.rstrip().endswith((".", "!", "?", "…", "”", '"', "'")):
        text.append(".")


def outcome_text(current: Round, outcome: Outcome, seed: int) -> Text:
    """What the revealed vote decides and what the facilitator can do now, in words."""
    text = Text()
    tied = _joined([number_of(current, i) for i in outcome.tied]) if outcome.tied else ""
    if outcome.how in ("vote", "runoff-vote"):
        option = current.option(outcome.winner) if outcome.winner is not None else None
        text.append("The room chose ", style="bold")
        text.append(f"{number_of(current, outcome.winner)}: ", style="bold")
        if option is not None:
            _sentence(text, option.choice.text)
        text.append("   Enter: take it.", style="italic")
    elif outcome.how == "random":
        option = current.option(outcome.winner) if outcome.winner is not None else None
        text.append(f"A tie between {tied}. ", style="bold")
        text.append(f"The rule is a random pick; seed {seed} picked {number_of(current, outcome.winner)}")
        if option is not None:
            text.append(": ")
            _sentence(text, option.choice.text)
        else:
            text.append(".")
        text.append("   Enter: take it.", style="italic")
    elif outcome.how == "runoff":
        text.append(f"A tie between {tied}. ", style="bold")
        text.append("The rule is a second vote between them.")
        text.append("   O: hold the runoff.", style="italic")
    elif outcome.how == "facilitator":
        text.append(f"A tie between {tied}. ", style="bold")
        text.append("The facilitator decides between them.")
        text.append(f"   Pick {tied.replace(' and ', ' or ')} with its number, then Enter.", style="italic")
    else:
        text.append("Nobody voted. ", style="bold")
        text.append("The facilitator picks.")
        text.append("   Pick an option with its number, then Enter.", style="italic")
    return text


def how_words(decision: Decision | None) -> str:
    if decision is None:
        return "not recorded"
    words = HOW_WORDS.get(decision.how, decision.how)
    if decision.how == "random" and decision.seed is not None:
        words += f" (seed {decision.seed})"
    return words


def timer_text(workshop: Workshop) -> tuple[str, bool]:
    """The timer as the status line shows it, and whether it has run out (which is only ever a signal)."""
    timer = workshop.timer
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
