"""What a finished play meant, derived from its history: each advice once, the debates, the turning point.

Nothing here is written per ending: every choice names the advice it follows
or ignores, so the meaning of any path, including ones no author foresaw, is
assembled from the steps taken (see the package's docstring for the rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import attrs

from game.engine import Playthrough, Step
from game.model import GOOD_TONES, STANDARD_METERS, Advice, Ending, Meter, Scenario
from game.resources import topic_of
from game.sources import CITATION

TOP = 3
"""How many advice entries the summary leads with."""

Group = Literal["followed", "both", "ignored", "tactic"]
GROUPS: tuple[Group, ...] = ("followed", "both", "ignored", "tactic")


@attrs.frozen
class AdviceEntry:
    """One piece of advice as the debrief explains it: once, with every choice that touched it.

    `weight` is how much the meters moved, in total, at those choices: the
    measure of how much this advice mattered on this path.
    """

    advice: Advice
    followed: tuple[int, ...]
    ignored: tuple[int, ...]
    weight: int = 0

    @property
    def group(self) -> Group:
        if self.advice.manipulative and self.followed:
            return "tactic"
        if self.followed and self.ignored:
            return "both"
        return "followed" if self.followed else "ignored"

    @property
    def first(self) -> int:
        return min((*self.followed, *self.ignored))

    def moments(self) -> list[tuple[int, bool]]:
        """(choice number, followed?) in the order the choices were made."""
        return sorted([(n, True) for n in self.followed] + [(n, False) for n in self.ignored])

    def mirrors(self, other: AdviceEntry) -> bool:
        """Whether `other` is this advice's opposite on this path: ignored at exactly the choices that
        followed this one, and followed at exactly those that ignored it ("Make them jealous" and "Don't
        try to make them jealous", both touched by the same five choices). The two say one thing about the
        path, so the summary counts them once."""
        return set(self.followed) == set(other.ignored) and set(self.ignored) == set(other.followed)


@attrs.frozen
class Debate:
    """One disagreement between the articles, and the advice on this path that raised it."""

    advice: tuple[Advice, ...]
    disagreement: str
    stance: str

    @property
    def title(self) -> str:
        return " · ".join(a.title for a in self.advice)


@attrs.frozen
class Debrief:
    """The meaning of a play.

    Every screen and handout (the player's and the workshop room's) explains
    `entries`, each piece of advice once; a tactic the player acted on is in a
    group of its own, so a debrief never lists it as good advice taken.
    """

    ending: Ending | None
    debates: tuple[Debate, ...]
    series: dict[str, list[int]]
    turning_point: Step | None
    steps: int
    entries: tuple[AdviceEntry, ...] = ()
    ties: tuple[int, ...] = ()
    """Other choices that moved the meters exactly as much as the turning point."""
    even: bool = False
    """Every choice moved the meters shown by the same amount, so no one of them is the turning point."""
    help_story: bool = False
    help_topic: str = ""
    """In a help story, the kind of help it is about (`resources.topic_of`): the debrief's framing is
    worded for it (an abusive relationship, or one that is unhealthy but not abusive)."""
    meters: tuple[Meter, ...] = ()
    """The meters the debrief shows (see `shown_meters`): the turning point and the weights are theirs."""

    @property
    def final(self) -> dict[str, int]:
        return {meter: values[-1] for meter, values in self.series.items()}

    @property
    def disagreements(self) -> tuple[Advice, ...]:
        """One advice per debate, the one whose disagreement is shown."""
        return tuple(debate.advice[0] for debate in self.debates)

    def group(self, name: Group) -> tuple[AdviceEntry, ...]:
        return tuple(e for e in self.entries if e.group == name)

    def groups(self) -> list[tuple[Group, tuple[AdviceEntry, ...]]]:
        """The lists to show, in order. An empty list of followed or ignored advice still shows
        ("None on this path") except in a help story, where an empty "What helped" would read as
        a verdict on the person who went back."""
        shown = []
        for name in GROUPS:
            items = self.group(name)
            if items or (name in ("followed", "ignored") and not self.help_story):
                shown.append((name, items))
        return shown

    @property
    def top(self) -> tuple[AdviceEntry, ...]:
        return mattered_most(self.entries, turned=self.ending is not None and self.ending.tone not in GOOD_TONES)


def move_size(play: Playthrough, step: Step) -> int:
    """How far one choice moved the meters the debrief shows (`shown_meters`), all of them added up.

    A meter the player is never shown (a help story's other person's trust)
    decides nothing the player reads: a turning point or a weight measured on
    it would name a choice whose only visible change is as small as any other's.
    """
    return sum(abs(step.delta(m.id)) for m in shown_meters(play.scenario))


def turning_point(play: Playthrough) -> Step | None:
    """The step that moved the meters most in total (the earliest on a tie).

    None if none moved, and None if every choice moved them by as much as
    every other (`evenly_moved`): naming the first of eight equal choices
    "the turning point, tied with the other seven" would point at nothing.
    """
    if evenly_moved(play):
        return None
    best, best_size = None, 0
    for step in play.steps:
        size = move_size(play, step)
        if size > best_size:
            best, best_size = step, size
    return best


def evenly_moved(play: Playthrough) -> bool:
    """Whether every choice (two or more) moved the meters shown, each by the same amount."""
    sizes = {move_size(play, step) for step in play.steps}
    return len(play.steps) > 1 and len(sizes) == 1 and sizes != {0}


def ties(play: Playthrough, point: Step | None) -> tuple[int, ...]:
    """The later choices that moved the meters exactly as much as the turning point."""
    if point is None:
        return ()
    size = move_size(play, point)
    return tuple(s.number for s in play.steps if s.number != point.number and move_size(play, s) == size)


def entries(play: Playthrough) -> tuple[AdviceEntry, ...]:
    """Each piece of advice the path touched, once, in the order the path first touched it."""
    followed: dict[str, list[int]] = {}
    ignored: dict[str, list[int]] = {}
    order: list[str] = []
    weight: dict[str, int] = {}
    for step in play.steps:
        size = move_size(play, step)
        for target, ids in ((followed, step.follows), (ignored, step.ignores)):
            for advice_id in ids:
                if advice_id not in weight:
                    order.append(advice_id)
                    weight[advice_id] = 0
                target.setdefault(advice_id, []).append(step.number)
                weight[advice_id] += size
    return tuple(AdviceEntry(play.scenario.advice[a], tuple(followed.get(a, ())), tuple(ignored.get(a, ())),
                             weight[a]) for a in order)


def mattered_most(items: Sequence[AdviceEntry], count: int = TOP, turned: bool = False) -> tuple[AdviceEntry, ...]:
    """The advice that mattered most on this path, for the summary.

    The rule: the entries whose choices moved the meters most, added up over
    every choice that followed or ignored them (`weight`); on a tie, the one
    the path touched first. Advice whose choices moved nothing comes last, in
    the order it was met, so a path where little moved still gets a summary.

    When the play `turned` (its ending is not a good one), the summary must say
    why: if none of the leading entries was ignored or a tactic, the last of
    them gives way to the weightiest entry that was. Three ✓ over a hard ending
    would hide the one thing that turned it.

    An advice and its opposite touched by the same choices (`mirrors`) count
    once: the one ranked first stands for both, and the summary's other lines
    go to other advice.
    """
    ranked: list[AdviceEntry] = []
    for _, entry in sorted(enumerate(items), key=lambda pair: (-pair[1].weight, pair[1].first, pair[0])):
        if not any(entry.mirrors(kept) for kept in ranked):
            ranked.append(entry)
    top = ranked[:count]
    if turned and top and all(entry.group == "followed" for entry in top):
        turner = next((entry for entry in ranked[count:] if entry.group != "followed"), None)
        if turner is not None:
            top[-1] = turner
    return tuple(top)


def _cited(text: str) -> frozenset[str]:
    return frozenset(m.group(0) for m in CITATION.finditer(text))


def same_debate(a: Advice, b: Advice) -> bool:
    """Whether two disagreements are one argument between the articles, told twice.

    The same words are the same debate; so is a disagreement that cites no
    article step the other does not also cite (the jealousy debate, worded
    three ways across three pieces of advice, names A1 #11 and A0 #4 each time).
    """
    if a.disagreement == b.disagreement:
        return True
    mine, theirs = _cited(a.disagreement), _cited(b.disagreement)
    return bool(mine) and bool(theirs) and (mine <= theirs or theirs <= mine)


def debates(touched: Sequence[Advice]) -> tuple[Debate, ...]:
    """Each disagreement once, in the order the path raised it, told in its fullest wording."""
    groups: list[list[Advice]] = []
    for advice in touched:
        if not advice.disagreement:
            continue
        home = next((g for g in groups if any(same_debate(advice, other) for other in g)), None)
        if home is None:
            groups.append([advice])
        elif advice not in home:
            home.append(advice)
    result = []
    for group in groups:
        fullest = max(group, key=lambda a: (len(_cited(a.disagreement)), -group.index(a)))
        ordered = (fullest, *(a for a in group if a is not fullest))
        result.append(Debate(ordered, fullest.disagreement, fullest.stance))
    return tuple(result)


def shown_meters(scenario: Scenario) -> tuple[Meter, ...]:
    """The meters a debrief shows.

    In a help story the ex may be the one doing harm, so "their trust" going
    up is not a win. Such a story shows its trust meter only when it has
    relabelled it to say what it measures ("Lee's hold on you"); under the
    standard label it is left out.
    """
    if not scenario.help:
        return scenario.meters
    standard = STANDARD_METERS["trust"].label
    return tuple(m for m in scenario.meters if not (m.id == "trust" and m.label == standard))


def build(play: Playthrough) -> Debrief:
    all_entries = entries(play)
    point = turning_point(play)
    return Debrief(
        ending=play.ending,
        debates=debates([e.advice for e in all_entries]),
        series={m: play.meter_series(m) for m in play.scenario.meter_ids},
        turning_point=point,
        steps=len(play.steps),
        entries=all_entries,
        ties=ties(play, point),
        even=evenly_moved(play),
        help_story=play.scenario.help,
        help_topic=topic_of(play.scenario) if play.scenario.help else "",
        meters=shown_meters(play.scenario),
    )
