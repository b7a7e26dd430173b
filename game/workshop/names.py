"""The workshop's choices by name, with the words that describe them: how teams take turns, how a tie is settled.

The command line lists them in its help and checks them before a workshop
starts, and its options carry their defaults, so they live apart from the
rules that use them (`teams`, `votes`): building the parser, and starting
the game, load nothing more than this.
"""

from __future__ import annotations

TURNS, SIDE_BY_SIDE = "turns", "side-by-side"
MODES = {
    TURNS: "each team plays the whole story in turn",
    SIDE_BY_SIDE: "the teams take one decision each, in turn, each in its own story",
}

FACILITATOR, RUNOFF, RANDOM = "facilitator", "runoff", "random"
TIE_RULES = {
    FACILITATOR: "the facilitator decides between the tied options",
    RUNOFF: "a second vote between the tied options only (if that ties too, the facilitator decides)",
    RANDOM: "a random pick between the tied options, from a seed shown on screen and kept in the log",
}
