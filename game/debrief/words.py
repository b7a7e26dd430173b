"""The debrief's words: headings, intros, marks, and how each line is put.

Every debrief says these (the full screen, the plain player, the workshop's
room debrief and handouts), so a room reading a projector and a person using
a screen reader hear the same debrief. A workshop passes `noun="decision"`
where a player reads "choice".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from game.debrief.meaning import AdviceEntry, Debate, Debrief, Group
from game.engine import Playthrough, Step
from game.model import Advice, Ending, Meter, Scenario
from game.resources import topic_of
from game.sources import CITATION, SOURCES, Source
from game.wording import CHOICE, choice_label, quoted

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
NO_TURN = "No choice moved the meters shown here: there was no turning point."
EVEN_TURN = "Every choice moved the meters shown here by the same amount: no single one was the turning point."
NO_DEBATE = "None of the advice on this path is disputed between the articles."
NO_ENTRIES = "None on this path."
"""What an empty list of advice says."""
STANCE = "The game's stance:"
"""The words before the line the game takes in a debate (unless the line opens with a label of its own)."""
SOURCES_TITLE = "Where the advice comes from"

ADVICE_INTRO = (
    "Each choice in this story follows or ignores a piece of advice from five popular "
    "articles about winning back an ex. Here is the advice your choices touched, "
    "in the game's own words, with where each article says it."
)
TACTICS_NOTE = (
    "Some of the articles suggest these moves. The game counts them as manipulation: "
    "they work on the other person's feelings instead of being honest with them, "
    "and they never pay off in play."
)
DEBATE_INTRO = ("The articles do not all agree on the advice below. This is what each says, "
                "and the line the game takes.")
HELP_DEBATE_INTRO = (
    "The articles do not all agree on the advice below. This is what each says, and the line the game "
    "takes across its stories. This story keeps no score"
)
REWARDS_READING = ": where a line below speaks as if a choice earned something, read it as what tends to help"
"""Said in a help story when a line the game takes speaks of rewarding or scoring a choice. The game's own
catalog never does (it says what the game sides with); a writer's own line in a help story still might."""
EARNING = re.compile(r"\breward|\bscor(?:e|es|ed|ing)\b", re.IGNORECASE)
"""Words that speak of a choice earning something: a help story keeps no score."""
METERS_INTRO = "These moved with every choice and stayed hidden until now."

NOT_A_SCORE = ("What follows is not a score. It is what might have helped, here or another time, "
               "with where each article says it.")
METERS_NOT_A_SCORE = "In this story the meters are not a score to win: a number going up is not always good news"


@attrs.frozen
class HelpWords:
    """What a help story's debrief says around the advice, worded for the kind of help the story is about.

    A story about abuse and a story about a relationship that is unhealthy
    but not abusive need different words: telling someone in an on-off loop
    that "the harm is never the fault of the person it is done to" names a
    harm the story never showed, and calls the other person an abuser.
    """

    advice_intro: str
    """Before the lists of advice: going back is not a failure, and what follows is not a score."""
    meters_note: str
    """Before the meters: why a number going up is not a win here."""
    help_note: str
    """Before the help resources under the ending: why they are there."""


HELP_WORDS: dict[str, HelpWords] = {
    "abuse": HelpWords(
        advice_intro=("Going back to someone who hurt you is common, and it is not a failure: many people leave "
                      "and return more than once before they leave for good, and the harm is never the fault of "
                      "the person it is done to. " + NOT_A_SCORE),
        meters_note=(METERS_NOT_A_SCORE + ", and nothing someone who hurts you feels about you, or holds over "
                     "you, is a thing to aim for."),
        help_note=("This story touches on warning signs in a relationship. If any of it feels close to home, "
                   "these services can help."),
    ),
    "relationships": HelpWords(
        advice_intro=("Going back, even more than once, is common, and it is not a failure: a loop like this is "
                      "hard to step off for everyone inside it, and the pull of it says nothing bad about you. "
                      + NOT_A_SCORE),
        meters_note=(METERS_NOT_A_SCORE + ", and being wanted back is not the same as a relationship that is "
                     "good for you both."),
        help_note=("This story is about a relationship that is unhealthy, though not abusive. If any of it "
                   "feels close to home, talking it through with someone can help."),
    ),
}
"""The words for each kind of help a story can name (`help_topic`, see game.resources)."""

OTHER_HELP = HelpWords(
    advice_intro=NOT_A_SCORE,
    meters_note=METERS_NOT_A_SCORE + ".",
    help_note="If any of this story feels close to home, these services can help.",
)
"""For a kind of help the game has no words of its own for (a facilitator's own topic): nothing it cannot
know is claimed, neither abuse nor its absence."""


def help_words(topic: str) -> HelpWords:
    """The help framing for a kind of help (`resources.topic_of` of the story)."""
    return HELP_WORDS.get(topic, OTHER_HELP)


def help_note(scenario: Scenario) -> str:
    """Why help is shown under one of the story's endings, in the words for its kind of help."""
    return help_words(topic_of(scenario)).help_note


def advice_intro(help_story: bool, topic: str = "") -> str:
    """What the debrief says before the advice: the articles, or in a help story what might have helped."""
    return help_words(topic).advice_intro if help_story else ADVICE_INTRO


def debate_intro(help_story: bool, debates: Sequence[Debate] = ()) -> str:
    """What the debrief says before the debates; a help story keeps no score, and says how to read a line
    a writer gave it that speaks of rewards or scores anyway."""
    if not help_story:
        return DEBATE_INTRO
    earning = any(EARNING.search(debate.stance) for debate in debates)
    return HELP_DEBATE_INTRO + (REWARDS_READING if earning else "") + "."


def meters_note(help_story: bool, topic: str = "") -> str:
    """In a help story, why the meters are not a score ("" in any other story)."""
    return help_words(topic).meters_note if help_story else ""


_OWN_LABEL = re.compile(r"^(The game's [a-z]+:)\s*")


def stance_parts(stance: str) -> tuple[str, str]:
    """The label before the game's line in a debate, and the line.

    "The game's stance:" goes first, unless the line opens with a label of its
    own ("The game's line: unhealthy is not..."), which is then said once.
    """
    own = _OWN_LABEL.match(stance)
    if own:
        return own.group(1), stance[own.end():]
    return STANCE, stance

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


def no_turn(report: Debrief) -> str:
    """Why a play has no turning point: nothing moved, or everything moved alike."""
    return EVEN_TURN if report.even else NO_TURN


def turning_summary(report: Debrief) -> str:
    """The summary's one line: "Turning point: choice 1, “…” (tied with choice 4)"."""
    point = report.turning_point
    if point is None:
        return no_turn(report)
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
