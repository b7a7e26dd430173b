"""What a workshop meant, for the room: derived from its plays and decisions, never written by hand.

The projector's debrief and every handout (Markdown, HTML, JSON) are drawn
from this one account: for each team and branch, the path as a list of
decisions with each vote split, the meters with what moved them, the advice
followed and ignored with sources, where the articles disagree, the
discussion prompts met on the way, and a comparison of every ending reached.
"""

from __future__ import annotations

import attrs

from game import debrief as debriefs
from game.engine import Playthrough, Step
from game.model import Ending, Scenario
from game.wording import quoted
from game.workshop.room import SKIPPED, STEP_OUT, Decision, Workshop


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
    def disagreements(self) -> tuple:
        """Every disagreement any line touched, each once."""
        seen: dict[str, object] = {}
        for line in self.lines:
            for advice in line.meaning.disagreements:
                seen.setdefault(advice.disagreement, advice)
        return tuple(seen.values())

    @property
    def needs_help(self) -> bool:
        return self.scenario.help or any(line.ending is not None and line.ending.help for line in self.lines)


def _heading(scenario: Scenario, scene_id: str) -> str:
    scene = scenario.scenes.get(scene_id)
    return (scene.title if scene is not None and scene.title else scene_id.replace("_", " "))


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
    moved = tuple((m.label, step.delta(m.id)) for m in scenario.meters if step.delta(m.id))
    return Moment(step.number, _heading(scenario, step.scene), step.choice_text, decision,
                  tuple(options), moved, decision is not None and decision.how == SKIPPED)


def _prompts(play: Playthrough) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    scenario = play.scenario
    prompts: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    for step in play.steps:
        scene = scenario.scenes[step.scene]
        where = _heading(scenario, step.scene)
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
