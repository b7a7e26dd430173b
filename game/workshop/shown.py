"""What the room may see: the part of a workshop that has been released to the room, and nothing else.

A workshop has one state and three views of it: the facilitator's console,
the room display on the projector, and the phones. The console sees
everything (the scene coming next, the facilitator notes, the counts as they
arrive); the room display and the phones see only what the facilitator has
shown them. `Shown` is that line, kept by the Workshop and moved only by the
facilitator's steps:

- before Begin, the room sees the lobby (how to join, the content notes, the
  ground rules);
- Begin shows the first scene; a decision (or a skip) shows its result card,
  and the scene after it stays with the facilitator until they show it, so a
  scene can be skipped before anyone has seen it;
- an ending is shown from its card; going on, going back (forum theatre) or
  handing the decision to another team shows that team's scene;
- the comparison of every play and the room's debrief go up over whatever is
  shown, and come down again; so do a question put to the room (its phones
  then offer a text box) and a prediction of how a play ends;
- a long page turns only on the facilitator's key.

Facilitator notes and the counts of a vote not yet revealed are never part of
what is shown (game.workshop.view builds the views from this).
"""

from __future__ import annotations

import attrs

LOBBY, SCENE, CARD, ENDING = "lobby", "scene", "card", "ending"
"""Stages: before Begin; a scene being decided; the result of a decision; a team's ending."""
COMPARE, DEBRIEF = "compare", "debrief"
"""What can go up over a stage: every play side by side, and the room's debrief."""
IDEAS, PREDICT = "ideas", "predict"
"""Also over a stage: a question put to the room with the ideas shown so far (game.workshop.ideas), and the
room's prediction of how a play ends (game.workshop.predictions)."""

MAX_PAGE = 49
"""Pages turn one at a time; no view of a workshop is longer than this."""

SECTIONS = (
    ("endings", "How each play ended"),
    ("path", "The path and the votes"),
    ("meters", "The meters, revealed"),
    ("advice", "What the decisions meant"),
    ("disagree", "Where the articles disagree"),
    ("questions", "Questions to talk about"),
    ("stepout", "Stepping out of the story"),
    ("help", "Help and support"),
)
"""The room's debrief, section by section: the room sees one at a time (the console jumps with its number)."""


@attrs.frozen
class Shown:
    """What the room sees now.

    `team` and `step` say where: for a scene, the team deciding and the
    decision's number; for a card, the team and the decision it is the result
    of; for an ending, the team whose story ended. `seen` says whether the room
    saw the scene a card is about (a scene skipped before it was shown was
    not). `prompts` puts the scene's discussion questions up with it.
    """

    stage: str = LOBBY
    team: int = 0
    branch: str = "main"
    step: int = 0
    seen: bool = True
    overlay: str = ""
    section: int = 1
    page: int = 0
    prompts: bool = True

    @property
    def on_stage(self) -> str:
        """What is in front of the room: the overlay if one is up, else the stage."""
        return self.overlay or self.stage

    def over(self, overlay: str, section: int = 1) -> Shown:
        """The same stage with the comparison or the debrief (at `section`) over it, from its first page."""
        return attrs.evolve(self, overlay=overlay, section=max(1, min(len(SECTIONS), section)), page=0)

    def without_overlay(self) -> Shown:
        return attrs.evolve(self, overlay="", section=1, page=0)

    def turned(self, pages: int) -> Shown:
        return attrs.evolve(self, page=max(0, min(MAX_PAGE, self.page + pages)))
