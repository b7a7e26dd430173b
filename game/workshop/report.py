"""What a workshop meant, for the room: derived from its plays and decisions, never written by hand.

The projector's debrief and every handout (Markdown, HTML, JSON) are drawn
from this one account: for each team and branch, the path as a list of
decisions with each vote split, the meters with what moved them, the advice
each path touched, where the articles disagree, the discussion prompts met on
the way, and a comparison of every ending reached.

What the advice means is game.debrief's to say, not this module's: each piece
of advice once with every decision that touched it, each debate between the
articles once, and a help story's framing (what might have helped, and no
abuser's trust shown as a score), so a room and a player who took the same
path read the same explanation. The room's one word of its own is
"decision" (`NOUN`) where the player reads "choice".
"""

from __future__ import annotations

import attrs

from game import debrief as debriefs
from game import resources
from game.engine import Playthrough, Step
from game.model import Ending, Meter, Scenario
from game.wording import DECISION, quoted, scene_heading
from game.workshop.room import SKIPPED, STEP_OUT, Decision, Workshop

NOUN = DECISION
"""What the room's debrief and handouts call one pick of the path: "decision 3"."""


@attrs.frozen
class Moment:
    """One decision on the path, as the room saw it."""

    number: int
    scene_title: str
    chosen_text: str
    decision: Decision | None
    options: tuple[tuple[int, str, int, int], ...]
    """(number shown, choice text, votes, phone votes) for every option that could take votes."""
    moved: tuple[tuple[str, int], ...]
    """(meter label, change) for each meter this step moved."""
    skipped: bool = False


@attrs.frozen
class Line:
    """One play of the story (a team's branch) and what it meant."""

    team: str
    branch: str
    play: Playthrough = attrs.field(repr=False, eq=False)
    moments: tuple[Moment, ...]
    meaning: debriefs.Debrief = attrs.field(repr=False, eq=False)
    prompts: tuple[tuple[str, str], ...]
    """(where, question) for every discussion prompt met on the way, the ending's included."""
    notes: tuple[tuple[str, str], ...]
    """(where, note) facilitator notes met on the way."""

    @property
    def ending(self) -> Ending | None:
        return self.play.ending

    @property
    def label(self) -> str:
        return self.team if self.branch == "main" else f"{self.team}, {self.branch}"

    @property
    def finals(self) -> dict[str, int]:
        return dict(self.play.state.meters)

    @property
    def skipped(self) -> tuple[Moment, ...]:
        return tuple(m for m in self.moments if m.skipped)

    def advice_lists(self) -> list[debriefs.AdviceList]:
        """The lists the player's debrief would show for this path, in its order and words (game.debrief)."""
        return debriefs.advice_lists(self.meaning, NOUN)

    def moments_of(self, entry: debriefs.AdviceEntry) -> list[tuple[str, str]]:
        """("Followed at decision 2", the chosen words, quoted) for each decision that touched the advice."""
        return debriefs.moment_lines(self.play, entry, self.meaning.help_story, NOUN)


@attrs.frozen
class RoomReport:
    scenario: Scenario = attrs.field(repr=False, eq=False)
    lines: tuple[Line, ...]
    tie_rule: str
    seed: int
    step_out: str = STEP_OUT

    @property
    def finished(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.ending is not None)

    @property
    def debates(self) -> tuple[debriefs.Debate, ...]:
        """Every disagreement any play raised, each once (merged by the player's debrief's rule)."""
        return debriefs.debates([e.advice for line in self.lines for e in line.meaning.entries])

    @property
    def help_story(self) -> bool:
        """A red-flag story: its advice is framed as what might have helped (game.debrief)."""
        return self.scenario.help

    @property
    def meters(self) -> tuple[Meter, ...]:
        """The meters the room is shown: a help story's unrenamed trust stays hidden (game.debrief)."""
        return debriefs.shown_meters(self.scenario)

    @property
    def needs_help(self) -> bool:
        return resources.shows_help(self.scenario, *(line.ending for line in self.lines))


def moment(play: Playthrough, step: Step, decision: Decision | None) -> Moment:
    scenario = play.scenario
    before = Playthrough(scenario, play.start, play.steps[: step.number - 1])
    shown = {o.choice.index: o for o in before.options()}
    options = []
    if decision is not None and decision.how != SKIPPED:
        tally = decision.tallies[-1] if decision.tallies else {}
        phones = decision.phones[-1] if decision.phones else {}
        for index in decision.options:
            option = shown.get(index)
            if option is not None:
                options.append((option.number or 0, option.choice.text, tally.get(index, 0), phones.get(index, 0)))
    moved = tuple((m.label, step.delta(m.id)) for m in debriefs.shown_meters(scenario) if step.delta(m.id))
    return Moment(step.number, scene_heading(scenario, step.scene), step.choice_text, decision,
                  tuple(options), moved, decision is not None and decision.how == SKIPPED)


def _prompts(play: Playthrough) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    scenario = play.scenario
    prompts: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    for step in play.steps:
        scene = scenario.scenes[step.scene]
        where = scene_heading(scenario, step.scene)
        prompts += [(where, q) for q in scene.discuss]
        if scene.facilitator:
            notes.append((where, scene.facilitator))
        choice = next((c for c in scene.choices if c.index == step.choice), None)
        if choice is not None:
            prompts += [(f"{where}: {quoted(choice.text)}", q) for q in choice.discuss]
            if choice.facilitator:
                notes.append((f"{where}: {quoted(choice.text)}", choice.facilitator))
    ending = play.ending
    if ending is not None:
        prompts += [(f"Ending: {ending.title}", q) for q in ending.discuss]
        if ending.facilitator:
            notes.append((f"Ending: {ending.title}", ending.facilitator))
    return tuple(dict.fromkeys(prompts)), tuple(dict.fromkeys(notes))


def line(team: str, branch: str, play: Playthrough, decisions: list[Decision]) -> Line:
    by_step = {d.step: d for d in decisions}
    moments = tuple(moment(play, step, by_step.get(step.number)) for step in play.steps)
    prompts, notes = _prompts(play)
    return Line(team, branch, play, moments, debriefs.build(play), prompts, notes)


def build(workshop: Workshop) -> RoomReport:
    """The room's debrief: every team's every branch, in the order they were played."""
    lines = []
    for team in workshop.teams:
        for name, play in team.session.branches.items():
            lines.append(line(team.name, name, play, team.decisions.get(name, [])))
    return RoomReport(workshop.scenario, tuple(lines), workshop.tie_rule, workshop.seed)
