"""What a finished play meant: derived from the history, never written per ending.

Every choice names the advice it follows or ignores, so the debrief for any
path, including ones no author foresaw, is assembled from the steps taken.

This module is also the one home of the debrief's policy and its words, so the
full-screen debrief, the plain player, and a workshop's room debrief and
handouts (game.workshop.report, which calls a pick "decision 3" where a player
reads "choice 3") say the same things the same way:

- each piece of advice is explained once, with every choice that followed or
  ignored it (`AdviceEntry`), never once per list;
- each disagreement between the articles is shown once (`Debate`), however
  many pieces of advice on the path raise it;
- the summary leads with the three entries that mattered most (`top`, rule in
  `mattered_most`), and on an ending that is not a good one at least one of
  them says what turned it; the turning point says when another choice tied;
- in a story with `help = true` (a red-flag story) the list is framed as what
  might have helped, going back is named as common and not a failure, and an
  abuser's trust is never shown as a score to win (`shown_meters`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import attrs

from game.engine import Playthrough, Step
from game.model import GOOD_TONES, STANDARD_METERS, Advice, Ending, Meter, Scenario
from game.sources import CITATION, SOURCES, Source
from game.wording import CHOICE, choice_label, quoted

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
    help_story: bool = False
    meters: tuple[Meter, ...] = ()
    """The meters the debrief shows (see `shown_meters`)."""

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
    """How far one choice moved the meters, all of them added up."""
    return sum(abs(step.delta(m)) for m in play.scenario.meter_ids)


def turning_point(play: Playthrough) -> Step | None:
    """The step that moved the meters most in total (the earliest on a tie); None if none moved."""
    best, best_size = None, 0
    for step in play.steps:
        size = move_size(play, step)
        if size > best_size:
            best, best_size = step, size
    return best


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
    """
    ranked = [entry for _, entry in sorted(enumerate(items), key=lambda pair: (-pair[1].weight, pair[1].first,
                                                                               pair[0]))]
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
        help_story=play.scenario.help,
        meters=shown_meters(play.scenario),
    )


# -- the words ---------------------------------------------------------------------------
# Both front ends (the full screen and the plain player) say these, so a room
# reading a projector and a person using a screen reader hear the same debrief.

OUTCOME_WORDS = {
    "together": "back together",
    "friends": "friends",
    "apart": "apart",
    "open": "still open",
}

SECTIONS: tuple[tuple[str, str], ...] = (
    ("ending", "The ending"),
    ("summary", "In short"),
    ("advice", "What your choices meant"),
    ("disagree", "Where the articles disagree"),
    ("meters", "The meters, revealed"),
    ("endings", "Endings found"),
)
"""The debrief's sections in order, with their headings; the full screen gives each a key 1..6.

The ending comes first: the moment the player earned is what they should meet
first, and the summary of why follows it.
"""

TOP_TITLE = "What mattered most"
NO_ADVICE = "None of your choices on this path touched the advice."
NO_TURN = "No single choice moved the meters: there was no turning point."
NO_DEBATE = "None of the advice on this path is disputed between the articles."
NO_ENTRIES = "None on this path."
"""What an empty list of advice says."""
STANCE = "The game's stance:"
"""The words before the line the game takes in a debate."""
SOURCES_TITLE = "Where the advice comes from"

ADVICE_INTRO = (
    "Each choice in this story follows or ignores a piece of advice from five popular "
    "articles about winning back an ex. Here is the advice your choices touched, "
    "in the game's own words, with where each article says it."
)
HELP_ADVICE_INTRO = (
    "Going back to someone who hurt you is common, and it is not a failure: many people leave "
    "and return more than once before they leave for good, and the harm is never the fault of "
    "the person it is done to. What follows is not a score. It is what might have helped, "
    "here or another time, with where each article says it."
)
TACTICS_NOTE = (
    "Some of the articles suggest these moves. The game counts them as manipulation: "
    "they work on the other person's feelings instead of being honest with them, "
    "and they never pay off in play."
)
DEBATE_INTRO = ("The articles do not all agree on the advice below. This is what each says, "
                "and the line the game takes.")
METERS_INTRO = "These moved with every choice and stayed hidden until now."
HELP_METERS_NOTE = (
    "In this story the meters are not a score to win: a number going up is not always good news, "
    "and how much someone who hurts you trusts you is nothing to aim for."
)
HELP_NOTE = (
    "This story touches on warning signs in a relationship. If any of it feels close to "
    "home, these services can help. F2 opens this list from anywhere in the game."
)

_MARKS: dict[bool, dict[Group, str]] = {
    False: {"followed": "✓", "both": "±", "ignored": "✗", "tactic": "!"},
    True: {"followed": "✓", "both": "±", "ignored": "○", "tactic": "!"},
}
"""A mark in front of each entry; in a help story what might have helped gets an open circle, not a cross."""


def mark(group: Group, help_story: bool) -> str:
    return _MARKS[help_story][group]

_TITLES: dict[bool, dict[Group, str]] = {
    False: {
        "followed": "Advice you followed",
        "both": "Advice you followed at one {noun} and ignored at another",
        "ignored": "Advice you ignored",
        "tactic": "Tactics you tried",
    },
    True: {
        "followed": "What helped",
        "both": "What helped at one moment, and might have helped at another",
        "ignored": "What might have helped",
        "tactic": "Tactics you tried",
    },
}
_VERBS: dict[bool, dict[tuple[bool, bool], str]] = {
    # (help story?) -> (tactic?, followed?) -> the verb before "at choice N"
    False: {(False, True): "Followed", (False, False): "Ignored", (True, True): "Tried",
            (True, False): "Passed up"},
    True: {(False, True): "Did this", (False, False): "Might have helped", (True, True): "Tried",
           (True, False): "Passed up"},
}


def group_title(name: Group, help_story: bool, noun: str = CHOICE) -> str:
    """A list's heading; `noun` is what a pick is called ("choice", or "decision" for a workshop room)."""
    return _TITLES[help_story][name].format(noun=noun)


def choices_words(numbers: Sequence[int], noun: str = CHOICE) -> str:
    """"choice 2", "choices 2 and 5", "choices 1, 2 and 5": the words for the steps everywhere."""
    if len(numbers) == 1:
        return choice_label(numbers[0], noun)
    return f"{noun}s " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def moment_label(entry: AdviceEntry, followed: bool, help_story: bool) -> str:
    """"Followed", "Ignored", "Might have helped": what the player did with the advice at one choice."""
    return _VERBS[help_story][(entry.advice.manipulative, followed)]


def moment_head(entry: AdviceEntry, number: int, followed: bool, help_story: bool, noun: str = CHOICE) -> str:
    """"Followed at choice 2", "Might have helped at decision 1": the start of one moment's line."""
    return f"{moment_label(entry, followed, help_story)} at {choice_label(number, noun)}"


@attrs.frozen
class AdviceList:
    """One of a play's lists of advice as every debrief shows it: its heading, what it says first, its entries."""

    group: Group
    title: str
    notes: tuple[str, ...]
    """Sentences before the entries: the tactics' warning, or that the list is empty."""
    entries: tuple[AdviceEntry, ...]


def advice_lists(report: Debrief, noun: str = CHOICE) -> list[AdviceList]:
    """The lists to show, in order, with their titles and the sentences that go before their entries."""
    lists = []
    for group, items in report.groups():
        notes = (TACTICS_NOTE,) if group == "tactic" else ()
        notes += () if items else (NO_ENTRIES,)
        lists.append(AdviceList(group, group_title(group, report.help_story, noun), notes, items))
    return lists


def moment_lines(play: Playthrough, entry: AdviceEntry, help_story: bool,
                 noun: str = CHOICE) -> list[tuple[str, str]]:
    """("Followed at choice 2", the chosen words, quoted) for each choice that touched the advice."""
    return [(moment_head(entry, number, followed, help_story, noun), quoted(play.steps[number - 1].choice_text))
            for number, followed in entry.moments() if 1 <= number <= len(play.steps)]


def when_words(entry: AdviceEntry, help_story: bool, noun: str = CHOICE) -> str:
    """"ignored at choice 1", or "followed at choice 2, ignored at choices 4 and 5" for mixed advice."""
    parts = []
    for numbers, followed in ((entry.followed, True), (entry.ignored, False)):
        if numbers:
            verb = moment_label(entry, followed, help_story).lower()
            parts.append(f"{verb} at {choices_words(numbers, noun)}")
    return ", ".join(parts)


def top_line(entry: AdviceEntry, help_story: bool) -> str:
    """One line of the summary: "✗ Don't chase them (ignored at choice 2)"."""
    return f"{mark(entry.group, help_story)} {entry.advice.title} ({when_words(entry, help_story)})"


def turning_head(point: Step) -> str:
    return f"Turning point: {choice_label(point.number)}, {quoted(point.choice_text.strip())}"


def tie_clause(tied: Sequence[int]) -> str:
    return f"tied with {choices_words(tied)}"


def tie_sentence(tied: Sequence[int]) -> str:
    """What the turning point says about the other choices: none as big, or which ones tied."""
    if not tied:
        return "No other choice moved the meters as much."
    verb = "moved" if len(tied) == 1 else "each moved"
    return f"Tied with {choices_words(tied)}, which {verb} the meters just as much."


def turning_summary(report: Debrief) -> str:
    """The summary's one line: "Turning point: choice 1, “…” (tied with choice 4)"."""
    point = report.turning_point
    if point is None:
        return NO_TURN
    line = turning_head(point)
    return f"{line} ({tie_clause(report.ties)})" if report.ties else line


def ending_line(ending: Ending) -> str:
    """"Ending: Cold Coffee (hard; where you two stand: apart)"."""
    stand = OUTCOME_WORDS.get(ending.outcome, ending.outcome)
    return f"Ending: {ending.title} ({ending.tone}; where you two stand: {stand})"


def signed(n: int) -> str:
    """"+2", "−3" (a real minus sign), "±0"."""
    return f"+{n}" if n > 0 else f"−{-n}" if n < 0 else "±0"


def turning_moves(report: Debrief) -> list[str]:
    """"Their trust −3  (5 → 2)", one per shown meter the turning point moved."""
    point = report.turning_point
    if point is None:
        return []
    return [f"{m.label} {signed(point.delta(m.id))}  ({point.before.meters[m.id]} → {point.after.meters[m.id]})"
            for m in report.meters if point.delta(m.id)]


def meter_summary(meter: Meter, values: Sequence[int]) -> str:
    """"Their trust: started at 5, ended at 2 (on a scale of 0 to 10)"."""
    return (f"{meter.label}: started at {values[0]}, ended at {values[-1]} "
            f"(on a scale of {meter.min} to {meter.max})")


def sources_line(advice: Advice) -> str:
    return "Sources: " + "; ".join(advice.sources) if advice.sources else ""


def cited_sources(report: Debrief) -> list[Source]:
    """The articles this debrief cites, A0 to A4, for a short list of what each key is."""
    text = " ".join([*("; ".join(e.advice.sources) for e in report.entries),
                     *(d.disagreement + " " + d.stance for d in report.debates)])
    keys = {m.group(0)[:2] for m in CITATION.finditer(text)}
    return [source for source in SOURCES if source.key in keys]
