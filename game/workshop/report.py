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

A scene the facilitator skipped is marked as skipped everywhere and is not
the room's: its choice moves the meters (the story went on through it), but
it is left out of what the decisions meant, the advice lists and the
questions to talk about.
"""

from __future__ import annotations

import attrs

from game import debrief as debriefs
from game import resources
from game.engine import Playthrough, Step
from game.model import Ending, Meter, Scenario
from game.wording import DECISION, quoted, scene_heading
from game.workshop import ideas as room_ideas
from game.workshop.ideas import Question
from game.workshop.predictions import Prediction
from game.workshop.room import STEP_OUT, Workshop
from game.workshop.teams import Decision

NOUN = DECISION
"""What the room's debrief and handouts call one pick of the path: "decision 3"."""
UNSEEN = "A scene skipped before the room saw it"
"""The title of a scene the facilitator skipped from the card, before the room saw it."""


Row = tuple[int, str, int, int]
"""(number shown, choice text, votes, phone votes) for one option of one vote."""


@attrs.frozen
class Moment:
    """One decision on the path, as the room saw it."""

    number: int
    scene_title: str
    chosen_text: str
    decision: Decision | None
    rounds: tuple[tuple[Row, ...], ...]
    """Each vote held, in order (a runoff adds a second, between the tied options), every option that could
    take votes in it."""
    moved: tuple[tuple[str, int], ...]
    """(meter label, change) for each meter this step moved."""
    skipped: bool = False
    ideas: tuple[str, ...] = ()
    """The room's own "something else" ideas the facilitator showed at this decision (game.workshop.ideas)."""
    seen: bool = True
    """Whether the room saw the scene. One skipped before it was shown keeps its title and its option's words
    from everything the room reads (UNSEEN stands for the title, the words are empty): the room display, the
    phones, the comparison, the debrief and every handout are drawn from this, so none can tell."""

    @property
    def options(self) -> tuple[Row, ...]:
        """The last vote's rows: the one that decided."""
        return self.rounds[-1] if self.rounds else ()

    @property
    def taken(self) -> str:
        """The option the story took, quoted, as the room may read it; for a scene it did not see, UNSEEN."""
        return quoted(self.chosen_text) if self.seen else UNSEEN


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
    prediction: Prediction | None = attrs.field(default=None, eq=False)
    """How the room predicted this play would end, if it was asked (game.workshop.predictions)."""

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
    ideas: tuple[tuple[Question, tuple[str, ...]], ...] = ()
    """Each question put to the room with the ideas the facilitator showed (never a hidden or new one)."""

    def ideas_for(self, question: str) -> tuple[str, ...]:
        """The shown ideas for a question for the room, or the step-out question, wherever it was asked."""
        return tuple(text for q, shown in self.ideas if q.kind != room_ideas.ELSE and q.text == question
                     for text in shown)

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
    def help_topic(self) -> str:
        """The kind of help a help story is about, which words its framing (game.debrief.help_words)."""
        return resources.topic_of(self.scenario)

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
    rounds = []
    if decision is not None and not decision.skipped:
        for n, tally in enumerate(decision.tallies):
            phones = decision.phones[n] if n < len(decision.phones) else {}
            rows = [(shown[i].number or 0, shown[i].choice.text, tally.get(i, 0), phones.get(i, 0))
                    for i in (tally or dict.fromkeys(decision.options)) if i in shown]
            rounds.append(tuple(rows))
    moved = tuple((m.label, step.delta(m.id)) for m in debriefs.shown_meters(scenario) if step.delta(m.id))
    skipped = decision is not None and decision.skipped
    seen = not skipped or decision is None or decision.seen
    return Moment(step.number, scene_heading(scenario, step.scene) if seen else UNSEEN,
                  step.choice_text if seen else "", decision, tuple(rounds), moved, skipped, seen=seen)


def _prompts(play: Playthrough, skipped: set[int]) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The questions met on the room's own decisions (a skipped scene's are not the room's), and the notes."""
    scenario = play.scenario
    prompts: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    for step in play.steps:
        scene = scenario.scenes[step.scene]
        where = scene_heading(scenario, step.scene)
        own = step.number not in skipped
        prompts += [(where, q) for q in scene.discuss if own]
        if scene.facilitator:
            notes.append((where, scene.facilitator))
        choice = next((c for c in scene.choices if c.index == step.choice), None)
        if choice is not None:
            prompts += [(f"{where}: {quoted(choice.text)}", q) for q in choice.discuss if own]
            if choice.facilitator:
                notes.append((f"{where}: {quoted(choice.text)}", choice.facilitator))
    ending = play.ending
    if ending is not None:
        prompts += [(f"Ending: {ending.title}", q) for q in ending.discuss]
        if ending.facilitator:
            notes.append((f"Ending: {ending.title}", ending.facilitator))
    return tuple(dict.fromkeys(prompts)), tuple(dict.fromkeys(notes))


def meaning(play: Playthrough, skipped: set[int]) -> debriefs.Debrief:
    """What the room's decisions meant: the player's debrief of the path, its advice drawn from the steps the
    room took (a skipped scene's choice moved the meters, but it was not the room's)."""
    full = debriefs.build(play)
    if not skipped:
        return full
    own = attrs.evolve(play, steps=tuple(s for s in play.steps if s.number not in skipped))
    entries = debriefs.entries(own)
    return attrs.evolve(full, entries=entries, debates=debriefs.debates([e.advice for e in entries]))


def line(team: str, branch: str, play: Playthrough, decisions: list[Decision]) -> Line:
    by_step = {d.step: d for d in decisions}
    moments = tuple(moment(play, step, by_step.get(step.number)) for step in play.steps)
    skipped = {m.number for m in moments if m.skipped}
    prompts, notes = _prompts(play, skipped)
    return Line(team, branch, play, moments, meaning(play, skipped), prompts, notes)


def build(workshop: Workshop) -> RoomReport:
    """The room's debrief: every team's every branch, in the order they were played."""
    lines = []
    box = workshop.ideas
    for index, team in enumerate(workshop.teams):
        for name, play in team.session.branches.items():
            found = line(team.name, name, play, team.decisions.get(name, []))
            moments = tuple(attrs.evolve(m, ideas=room_ideas.for_decision(box, index, name, play, m.number))
                            for m in found.moments)
            lines.append(attrs.evolve(found, moments=moments, prediction=workshop.prediction_of(index, name)))
    return RoomReport(workshop.scenario, tuple(lines), workshop.tie_rule, workshop.seed,
                      ideas=tuple(room_ideas.shown_by_question(box)))
