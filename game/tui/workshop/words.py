"""The console's styling of the workshop's words: game.workshop.words says them, this adds weight and the key.

Every sentence about a vote, a decision or the timer is the core's, so the
console, the room display, the phones and the handouts say the same thing;
the console only makes the sentence bold and adds what to press next.
"""

from __future__ import annotations

from rich.text import Text

from game.workshop.votes import How, Outcome, Round
from game.workshop.words import joined, option_name, outcome_sentence


def next_key(current: Round, outcome: Outcome) -> str:
    """What the facilitator presses after a reveal."""
    if outcome.how == How.RUNOFF:
        return "O: hold the runoff."
    if outcome.how == How.FACILITATOR:
        tied = joined([option_name(current, i) for i in outcome.tied], "or")
        return f"Pick {tied} with its number, then Enter."
    if outcome.how == How.NO_VOTES:
        return "Pick an option with its number, then Enter."
    return "Enter: take it."


def outcome_text(current: Round, outcome: Outcome, seed: int) -> Text:
    """What the revealed vote decides (the core's sentence, in bold) and the key for what comes next."""
    text = Text(outcome_sentence(current, outcome, seed), style="bold")
    text.append("   " + next_key(current, outcome), style="italic")
    return text
