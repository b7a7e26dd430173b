"""Every built-in story, held to one set of rules; what is particular to each story is data.

One skeleton for all nine stories:

- every play a story promises in its own `[[expected]]` blocks reaches its
  ending and is kept as a transcript (a golden file per play, under
  `snapshots/stories/STORY/`); the promised plays cover every ending;
- the story's shape (size, tones, the endings that must be good, the advice it
  must use, its locked choices and workshop notes) is a `Facts` record;
- its lessons are `Moment`s (play these answers: you are here, and you read
  this), `Rule`s checked over every reachable state (these flags never reach
  that ending; this place always says that), and `LastChoice`s (the same last
  click ends differently because of the meters);
- help stories show help on every ending and never score the other person's
  trust; every tactic costs something where it is used; every variant and
  every chat message can be seen.

The ethics proofs over every path live in test_story_ethics.py.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import attrs
import pytest

from game import library, resources
from game.analysis.checks import deep_check
from game.engine import scene_text
from game.expr import Names, parse_condition
from game.loader import load_text, read_text
from game.model import Scenario
from game.sources import CITATION, citation_problem, step_problem
from tests.helpers import builtin, every_state, played, texts_shown, transcript


@attrs.frozen
class Moment:
    """Play `answers`: the play is then at `at`, its current text shows `here` and not `not_here`,
    and everything shown so far (the whole transcript) shows `seen` and never `unseen`."""

    answers: tuple[int, ...]
    at: str
    here: tuple[str, ...] = ()
    not_here: tuple[str, ...] = ()
    seen: tuple[str, ...] = ()
    unseen: tuple[str, ...] = ()


@attrs.frozen
class Rule:
    """Checked over every reachable state of the story.

    `at` is a place id, or "*" for every place. Where `when` holds there:
    `only` lists the endings a play may finish in (for "*"), `always` must hold
    too, and the text shown must contain `says` (or must not, if `present` is
    False).
    """

    when: str = "true"
    at: str = "*"
    only: tuple[str, ...] = ()
    always: str = ""
    says: str = ""
    present: bool = True


@attrs.frozen
class LastChoice:
    """The same last choice (scene, choice index) ends in each of these endings after these plays."""

    scene: str
    index: int
    plays: dict[str, tuple[int, ...]]


@attrs.frozen
class Facts:
    """One story's promises, as data."""

    scenes: int = 14
    endings: int = 4
    tones: frozenset[str] = frozenset()
    kinds: dict[str, tuple[str, str]] = attrs.Factory(dict)
    """Ending id -> (tone, outcome) for the endings whose kind is part of the lesson."""
    advice: frozenset[str] = frozenset()
    """Advice the story must use (followed or ignored)."""
    untagged: frozenset[str] = frozenset()
    """Advice the story must never tag."""
    struck: int = 1
    prompts: tuple[int, int] = (6, 12)
    """How many scenes, endings and choices carry questions for a room."""
    notes: int = 3
    help_topic: str | None = None
    """None: not a help story; "" or a topic: a help story showing that topic's list."""
    moments: tuple[Moment, ...] = ()
    rules: tuple[Rule, ...] = ()
    last: tuple[LastChoice, ...] = ()


def m(answers, at, **kw) -> Moment:
    return Moment(tuple(answers), at, **{k: tuple(v) if isinstance(v, (list, tuple)) else (v,) for k, v in kw.items()})


# -- each story's facts -------------------------------------------------------------------------------------

TRY_SLOWLY = (4, 2, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1)
OWN_COAT = (1, 3, 1, 2, 3, 1, 2, 1, 2, 1)
FIRST_COFFEE = Facts(
    tones=frozenset({"warm", "hopeful", "hard", "bittersweet"}),
    kinds={"your_own_coat": ("hopeful", "apart"), "sunday_friends": ("warm", "friends")},
    advice=frozenset({"first-light-text", "respect-their-new-partner", "somewhere-private-to-talk"}),
    prompts=(5, 12), notes=2,
    moments=(
        m(TRY_SLOWLY[:10], "the_moment", here=["He doesn't answer straight away.", '"Yes," he says. "Slowly.']),
        m(TRY_SLOWLY[:9], "his_side", here="I stopped last week", unseen="goes well with Jess"),
        m(OWN_COAT[:8], "his_side", here="I don't know what it is yet",
          seen="Tell him you hope it goes well with Jess. Mean it."),
        m((1, 1, 2, 2, 2, 2, 2, 1), "the_lisbon_fight", seen=["[unavailable]", "The speech has its own momentum now"]),
        m((1, 1, 2, 1, 1, 2, 3, 1, 1, 1, 1), "blurred", seen="Leave their new relationship alone"),
        m((2,) + (1,) * 11, "blurred", seen="Who moves first"),
        m((4, 3) + (1,) * 11, "blurred", seen="Who moves first"),
        m(TRY_SLOWLY, "try_again_slowly", seen="Who moves first"),
        m((1,), "sent", here="Delivered.", seen="Kofi, who introduced the two of you"),
        m((1, 1, 2, 1, 1), "catch_up", here="seven weeks is long enough for someone's coffee to change",
          unseen=["Treat it as a new relationship", "Treat it as new"]),
        m(TRY_SLOWLY, "try_again_slowly", not_here="counsellor"),
    ),
    rules=(
        Rule("kissed", only=("blurred", "left_on_delivered")),
        Rule("posted or went_silent or refought", only=("the_lisbon_fight", "your_own_coat", "left_on_delivered",
                                                         "sunday_friends", "blurred", "not_yet", "running_shoes")),
        Rule("posted", at="sunday_friends", says="running-shoe"),
        Rule("posted", at="running_shoes", says="photo was for him"),
        Rule("seeing_jess", at="blurred", says="told you about her before you"),
    ),
    last=(LastChoice("next_day", 0, {"try_again_slowly": TRY_SLOWLY,
                                     "sunday_friends": (4, 1, 1, 1, 1, 2, 1, 1, 2, 4, 1, 3, 1)}),),
)

FYO_THURSDAYS = (3, 1, 1, 2, 1, 1, 1, 2, 3, 1, 2, 1, 3)
FIVE_YEARS_ON = Facts(
    kinds={"nice_to_meet_you": ("hopeful", "open"), "thursdays": ("warm", "friends"),
           "someone_who_isnt_here": ("hard", "apart"), "five_years": ("bittersweet", "open"),
           "own_way": ("hopeful", "apart")},
    advice=frozenset({"treat-it-as-new", "say-you-miss-them", "wear-their-gift"}),
    struck=3,
    moments=(
        m((3, 1, 3, 1, 1, 1, 1, 2, 1), "night",
          here='"You said something this afternoon," she says. "By the high board. Before hello."'),
        m((3, 1, 1), "ceremony", seen="my business partner", unseen="Soren"),
        m((3, 1, 1, 2, 1, 1), "speeches", here="Kwame", not_here=["Soren", "married"]),
        m((3, 1, 1, 2, 1, 2), "speeches", here="You could ask me", not_here=["Soren", "married"]),
        m((3, 1, 1, 2, 1, 3), "speeches", here="I don't really do tables now", not_here=["Soren", "married"]),
        m((1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1), "thursdays", seen=["Keep mutual friends out of it"]),
        m((1, 1, 1, 1, 1, 1), "speeches", unseen=["Keep mutual friends out of it"]),
        m((3, 1, 2, 2, 2, 3, 1, 1, 2, 1, 1, 3), "someone_who_isnt_here", here="dryers warming the floor",
          unseen="no pension"),
        m((1,) * 12, "thursdays", here="You know what the watch cost", seen="Wear the thing they gave you"),
        m((1,) * 8, "ceilidh", here=["Eighteen months", "I want the stamp"]),
        m((1,) * 11, "weeks", unseen="Ring her and tell her plainly"),
        m((2, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1), "nice_to_meet_you",
          seen=["Tell them you've missed them", "A3's contact steps"]),
        m((3, 1, 2, 2, 1, 3, 1, 2, 2, 2, 2, 2, 2), "someone_who_isnt_here",
          seen=["[unavailable] Catch her eye and mouth it", "(She is looking very hard at the bride,",
                "(The words are right there. Your nerve is somewhere back by the buffet,"]),
        m((1,), "lido", seen="took the job in Rotterdam"),
    ),
    rules=(
        Rule("wore_watch", only=("thursdays", "five_years", "someone_who_isnt_here")),
        Rule(at="nice_to_meet_you",
             always="said_missed and not wore_watch and not chose_friends and not let_go and not brought_photos"),
        Rule(at="someone_who_isnt_here", always="trust <= 2 or refought"),
        Rule("wore_watch", at="thursdays", says="watch cost"),
        Rule("asked_coffee and not coffee_yes", at="weeks", says="Thursdays at the workshop", present=False),
        Rule("coffee_yes", at="weeks", says="Thursday"),
    ),
    last=(LastChoice("weeks", 2, {"thursdays": FYO_THURSDAYS,
                                  "five_years": (1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 2, 1),
                                  "someone_who_isnt_here": (3, 1, 2, 2, 1, 3, 1, 2, 2, 2, 2, 2, 1)}),),
)

FOURTH_TIME_LUCKY = Facts(
    endings=5,
    kinds={"fourth_time_lucky": ("hopeful", "apart"), "told_you": ("bittersweet", "together")},
    advice=frozenset({"break-the-cycle", "grey-zone-needs-help", "repeated-cheating", "forgive"}),
    untagged=frozenset({"leave-abuse"}),
    prompts=(6, 11),
    help_topic="relationships",
    moments=(
        m((1,), "doorstep", seen='-. [unavailable] "Not tonight, Kit. Go home." (Kit\'s face does the thing it does'),
        m((3, 2), "doorstep", seen='3. "Not tonight, Kit. Go home."'),
        m((1, 2, 1, 1), "week_eight", here="never said where your line was",
          seen="-. [unavailable] Keep going, eyes open"),
        m((2, 1, 2, 1, 1, 4, 1, 2), "still_fond", here="the photo of the two glasses", seen="Make them jealous"),
        m((3, 2, 3, 2), "the_talk", here="the bench by the boating lake", not_here="slept on your sofa"),
        m((3, 2, 3, 1, 1), "the_talk", not_here="slept on your sofa"),
        m((1, 2), "the_talk", here="slept on your sofa"),
        m((1, 2, 3), "the_end_talk", here="kitchen table", not_here=["bench", "pedalos"]),
        m((3, 1, 1, 1, 4, 1, 3), "fourth_time_lucky", seen="hold me to it at breakfast", unseen="at the market"),
        m((1, 1, 1, 2, 1), "round_five", seen=["Don't go through their phone", "A1 #17"],
          unseen="Speak up instead of going quiet"),
        m((1, 2, 1, 1, 2), "told_you", here="Forgiving an honest thing was not the mistake",
          seen="Be ready to forgive", unseen="Round Five"),
        m((1, 1, 1, 2, 1), "round_five",
          seen="Might have helped at choice 4: “Read the rest of the thread before the shower stops.”"),
        m((3, 2, 2, 1, 1, 1), "clear_line",
          seen=["A grey zone needs outside help: A1 argues with itself.", "Control and abuse are never a grey zone",
                "not one that frightens you"]),
        m((1, 1, 1, 1, 1), "round_five", seen=["What might have helped", "not a failure"],
          unseen=["Advice you ignored", "Their trust"]),
    ),
    rules=(
        Rule(at="fen", says="frightened"), Rule(at="fen", says="separately"),
        Rule(at="fen", says="doesn't make this good for you"),
        Rule(at="fourth_time_lucky", says="the fourth break-up is the one that stuck"),
        Rule(at="the_end_talk", says="Fourth time lucky, then."),
        Rule("kit_stayed", at="the_end_talk", says="boating lake", present=False),
        Rule("visits.not_tonight >= 1 and not kit_stayed", at="the_talk", says="sofa under the throw", present=False),
        Rule(at="told_you", says="Wednesday afternoon", present=False),
        Rule("posted_glasses", only=("still_fond", "the_middle", "clear_line", "round_five", "told_you")),
    ),
    last=(LastChoice("three_weeks_later", 1, {"fourth_time_lucky": (3, 1, 1, 1, 4, 1, 2),
                                              "still_fond": (1, 2, 1, 1, 1, 2, 2),
                                              "the_middle": (1, 1, 1, 1, 2, 1, 1, 2, 2)}),),
)

HAPPY_BIRTHDAY = Facts(
    scenes=5,
    prompts=(3, 12), notes=2,
    moments=(
        m((3, 1), "dee_reads", here="Who's wondering?"),
        m((2, 1, 1), "dee_reads", here="Oh, love."),
        m((1, 1, 1), "dee_reads", here="That is a very normal text."),
        m((4, 1), "dee_reads", here="Answer it like a"),
        m((3, 1, 1, 2), "quiet_night", here="the one who spent the day wondering was you"),
        m((1, 1, 2, 2), "quiet_night", not_here="the one who spent the day wondering was you"),
        m((3, 2, 1), "read_at_midnight", seen="Go silent so they'll miss you"),
        m((4,), "kitchen", seen="Dee, your flatmate", here="Dee has found the big pan"),
    ),
    rules=(Rule(at="read_at_midnight", always="sent_midnight and visits.evening >= 1"),),
)

LC_BLOCKED = (1, 1, 1, 2, 1, 1, 1, 2, 1)
LAST_CALL = Facts(
    kinds={"own_two_feet": ("hopeful", "apart"), "one_viewer": ("warm", "apart")},
    advice=frozenset({"no-drunk-texting", "accountability-friend", "real-apology"}),
    prompts=(5, 12),
    moments=(
        m((3, 1, 2, 1), "brunch", here="never even opened the chat", not_here="daylight"),
        m((3, 1, 2, 1, 2), "own_two_feet", not_here="daylight"),
        m((1, 1, 3, 1), "morning", here="letterbox", not_here="face down on the floor"),
        m((1, 1, 3, 1, 1, 3, 1), "apology",
          seen="[you, not sent] I'm sorry about last Thursday, and sorry it took me a week",
          unseen="[you, not sent] I'm sorry about last night."),
        m(LC_BLOCKED, "blocked", here="You block Cass", seen=["Apologise properly", "Don't text them drunk"]),
        m((1, 1, 3, 1, 1, 2, 2, 1), "blocked", here="After that, nothing from Cass"),
        m((1,), "draft",
          seen="-. [unavailable] Delete it, one letter at a time. (You can't make your thumbs do it. Three minutes"),
        m((2, 1), "draft", seen="4. Delete it, one letter at a time."),
        m((1, 2), "story_post", here='"Who was that for, love?" he says.', not_here="Marco"),
        m((1, 1, 2, 1), "walk_home", here="the woman from her salsa class"),
        m((), "bar", here="Her cousin Marco runs the karaoke"),
    ),
    rules=(
        Rule("posted_story", only=("one_viewer", "still_up", "blocked")),
        Rule("sorry_but", only=("own_two_feet", "one_viewer", "blocked", "still_up")),
        Rule("phone_with_priya", at="morning", says="on the floor", present=False),
        Rule("not phone_with_priya", at="walk_home", says="isn't in them", present=False),
        Rule("not phone_with_priya", at="morning", says="it isn't there", present=False),
    ),
    last=(LastChoice("weeks_later", 0, {"slow_thaw": (1, 3, 1, 1, 1, 2, 1, 1),
                                        "own_two_feet": (2, 1, 4, 1, 1, 1, 1, 1),
                                        "blocked": (1, 1, 1, 1, 1, 1, 1, 1, 2, 1),
                                        "still_up": (1, 1, 1, 1, 1, 1, 1, 2, 1, 1)}),),
)

FEED_AUDIENCE = (2, 1, 1, 1, 2, 1, 1, 3, 2, 1, 1, 1)
POSTS = ("thirst_trap", "lyric", "posted_photo", "old_photo")
TWO_POSTS = " or ".join(f"({a} and {b})" for i, a in enumerate(POSTS) for b in POSTS[i + 1:])
THE_FEED = Facts(
    kinds={"logged_off": ("hopeful", "apart"), "one_honest_sentence": ("warm", "friends")},
    advice=frozenset({"make-them-jealous", "staged-attention-posts", "dont-check-their-socials"}),
    prompts=(5, 12),
    moments=(
        m((1, 1, 2, 2, 1), "posted_again", here="An hour later.", seen="--- 2:34 a.m. ---"),
        m(FEED_AUDIENCE, "the_audience",
          seen=["his face arrives", "Lovely!! Is that the bathroom in the old flat?", "Make them jealous",
                "Post for their benefit", "[unavailable] Write him one honest sentence",
                "can't make your thumbs do it"]),
        m((3, 1, 2, 2), "the_photo", here="the woman with chalk on her jeans", unseen="Ada"),
        m((3, 1), "party", seen="his and Bisi's wedding"),
        m((3, 1, 2, 1, 1, 3), "escalate", here="the Lanterns song about leaving the porch light on",
          seen="[Theo] this post.", unseen="[Theo] the posts."),
        m((3, 1, 2, 1, 1, 3, 1), "the_audience", not_here="Femi"),
        m((3,), "thursday", here="Theo's flatmate for three years"),
    ),
    rules=(
        Rule("not (visits.the_zoom >= 1 or visits.ada_stories >= 1)", says="Biscuit", present=False),
        Rule("visits.his_story == 0", at="sunday", says="coffee cup", present=False),
        Rule(at="one_honest_sentence", always=f"visits.escalate == 0 and not ({TWO_POSTS})"),
        Rule(at="the_audience", always="visits.escalate >= 1"),
        Rule("not posted_photo", at="the_audience", says="Femi", present=False),
        Rule("performed", only=("off_stage", "muted", "blue_light", "one_honest_sentence", "the_audience")),
    ),
)

THE_GOOD_DAYS = Facts(
    scenes=8, endings=3,
    kinds={"staying_gone": ("hopeful", "apart"), "the_good_days": ("grim", "together")},
    advice=frozenset({"leave-abuse", "listen-to-friends"}),
    prompts=(3, 12),
    help_topic="",
    moments=(
        m((1, 1, 1), "staying_gone", seen="Lee's hold on you: 5 → 4 → 3 → 1"),
        m((2, 2, 2, 3), "the_good_days", seen=["Lee's hold on you: 5 → 6 → 7 → 8 → 10", "What might have helped"],
          unseen=["Advice you ignored", "Their trust"]),
        m((1, 2), "nell_side", seen="Your thumb finds the button and just rests there."),
        m((), "message", here=["Your sister Nell", "went into the canal"]),
        m((2, 2), "reply", seen="[you] I remember the wasp.", unseen="[you] I'm really glad"),
        m((2, 2, 2, 2), "on_a_string", here="I need to think about it", not_here="lovely for three weeks"),
        m((2, 2, 2, 1), "walk_out", not_here="slippers again"),
        m((2, 2, 2, 1, 1), "staying_gone", here=["at the first red light", "It floats"], not_here="answer neither"),
    ),
    rules=(
        Rule(at="the_good_days", says="pattern"), Rule(at="the_good_days", says="none of it is your fault"),
        Rule(at="the_good_days", says="trying harder"), Rule(at="on_a_string", says="never a test you were"),
        Rule("needs_time", only=("staying_gone", "on_a_string")),
        Rule("visits.nell_side == 0", says="rubber duck", present=False, at="on_a_string"),
        Rule("blocked_after", at="staying_gone", says="answer neither", present=False),
        *(Rule(at=ending, says=words) for ending in ("the_good_days", "on_a_string")
          for words in ("common", "not a failure", "might help")),
    ),
)

TALK_ALL_ONES = (1,) * 14
TALK_SOMEONE_KIND = (1, 1, 1, 3, 1, 2, 2, 1, 1, 2, 2, 1, 1)
TALK_FRIDAY = (1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 2, 1)
THE_TALK = Facts(
    tones=frozenset({"warm", "hopeful", "bittersweet", "hard"}),
    kinds={"tuesdays_at_six": ("warm", "together"), "same_fight": ("hard", "apart"),
           "friday": ("bittersweet", "open"), "kind_no": ("hopeful", "friends"),
           "someone_kind": ("warm", "friends"), "plot_14": ("warm", "apart")},
    advice=frozenset({"plan-for-conflict", "forgive", "show-dont-tell", "consider-counselling", "it-takes-two",
                      "accept-their-apology", "be-vulnerable", "compromise-and-commit", "make-sacrifices"}),
    struck=3, prompts=(6, 10),
    moments=(
        m(TALK_ALL_ONES[:-2], "the_answer", here='"I want to try,"'),
        m((1, 1, 1, 1, 1, 2, 2, 1, 1, 2, 1), "the_answer", here="I don't think I want to start again"),
        m(TALK_SOMEONE_KIND[:-2], "the_answer", here="I asked you here to finish us properly", not_here="Pilar"),
        m((1,) * 11 + (2,), "the_answer", here="you said we don't need anyone", unseen="Dinner on Friday"),
        m((1, 1, 1, 1, 2), "sorry_but", here="Everything before the 'but'"),
        m((1, 1, 1, 1, 2, 2, 3), "same_fight", seen=["Apologise properly", "Don't re-fight old fights"]),
        m((1, 1, 1), "her_side", here="at one in the morning"),
        m((1, 1, 1, 1), "apology", here="Nobody's asked me that"),
        m((1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2), "tuesdays_at_six", here="You stay.",
          unseen="Don't rush into physical intimacy"),
        m((1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 2), "too_soon", unseen="Don't rush into physical intimacy"),
        m((2, 1, 1, 2, 2), "same_fight",
          seen=["-. [unavailable] Say your first sentence to Dev out loud",
                "(You open your mouth and the sentence ducks behind your teeth.",
                "(You can hear yourself winning, and you can't find the brake."]),
        m((1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2, 3), "past_no", here="cost", seen="Make them jealous"),
        m((1, 1, 1, 3, 1, 2, 2, 1, 1, 2, 2, 4), "past_no", here="cost", seen="Make them jealous"),
        m(TALK_ALL_ONES[:10] + (2,), "counselling", here="I don't want your dad's plot"),
        m((1, 1), "doorstep", here="choir folder"),
        m((1, 1, 3), "the_cat", not_here="heron"),
    ),
    rules=(
        Rule(at="the_answer", always="visits.after_apology >= 1"),
        Rule(at="the_answer", says="Pilar", present=False),
        Rule(at="kind_no", says="Pilar"), Rule(at="someone_kind", says="Pilar"),
        Rule("mutual_no and trust >= 9", at="kind_no", says="Pilar"),
        Rule(at="tuesdays_at_six", says="Pilar"), Rule(at="friday", says="Pilar"),
        Rule("mentioned_sunny or invented_someone", only=("past_no",)),
        Rule(at="both_sides", says="heard all of this before", present=False),
    ),
    last=(LastChoice("the_door", 0, {"tuesdays_at_six": TALK_ALL_ONES, "friday": TALK_FRIDAY}),),
)

TD_NOBODY = (2, 1, 1, 1, 3, 3, 1, 2, 3, 2, 2, 2, 3, 1, 1)
TD_DAYLIGHT = (1, 1, 2, 2, 1, 1, 3, 1, 1, 2, 1, 2, 1, 1, 1)
TD_DAY_ONE_BY_METERS = (3, 2, 2, 1, 1, 1, 2, 2, 3, 1, 3, 2, 3, 3, 2, 1)
THIRTY_DAYS = Facts(
    kinds={"daylight": ("warm", "open"), "no_need": ("hopeful", "apart")},
    advice=frozenset({"work-on-yourself", "patience-with-a-limit", "no-contact-to-heal", "silence-to-confuse"}),
    prompts=(6, 10),
    moments=(
        m(TD_NOBODY, "nobody_wondering",
          seen=["[unavailable] Write Noor one calm line.", "Part of you would be writing to see what comes back"]),
        m(TD_DAY_ONE_BY_METERS, "day_one_again",
          seen=["[unavailable] Write Noor one calm line.",
                "[unavailable] Text Zainab: satsuma. (You never agreed a word with Zainab."],
          unseen="“Reply first"),
        m(TD_DAYLIGHT, "daylight",
          seen=["1. Write Noor one calm line.", "2. Text Zainab: satsuma.", "due any day now", "arrived safely"],
          unseen=["Has your sister", "let the chat end there"]),
        m((1, 1, 2, 3, 1, 1, 1, 1, 1, 1, 1, 2, 2), "still_waiting", here="It went on her, and she never asked for it.",
          seen="Go silent so they'll miss you"),
        m((1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 2, 2, 1, 2, 1, 1), "day_one_again",
          here=["The counter in your head is back at one", "It didn't."], seen="Don't chase them"),
        m((1, 1, 2, 2), "party", here=["charades", "housewarming", "upholstery class"], not_here=["quiz", "husband"]),
        m((1, 1, 2, 1, 1, 1, 1, 2, 3, 1, 3, 2, 2, 1), "still_waiting", unseen="“Send it: \"Happy birthday."),
    ),
    rules=(
        Rule("for_show", only=("nobody_wondering", "still_waiting", "day_one_again")),
        Rule(at="nobody_wondering", says="used the quiet for what it's for"),
        Rule(at="reveal", says="the quiet has been good for me"),
        Rule(at="balcony", says="housewarming"), Rule(at="party", says="husband", present=False),
    ),
    last=(LastChoice("day_31", 2, {"no_need": (1, 1, 2, 2, 1, 1, 3, 1, 1, 2, 1, 2, 2),
                                   "still_waiting": (1, 1, 4, 2, 2, 1, 3, 2, 2, 1, 3, 4, 2),
                                   "day_one_again": TD_DAY_ONE_BY_METERS}),),
)

STORIES: dict[str, Facts] = {
    "first-coffee": FIRST_COFFEE,
    "five-years-on": FIVE_YEARS_ON,
    "fourth-time-lucky": FOURTH_TIME_LUCKY,
    "happy-birthday": HAPPY_BIRTHDAY,
    "last-call": LAST_CALL,
    "the-feed": THE_FEED,
    "the-good-days": THE_GOOD_DAYS,
    "the-talk": THE_TALK,
    "thirty-days": THIRTY_DAYS,
}
NAMES = sorted(STORIES)
SNAPSHOTS = Path(__file__).parent / "snapshots" / "stories"


# -- helpers -----------------------------------------------------------------------------------------------


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def promised() -> list[tuple[str, str]]:
    return [(name, e.name) for name in NAMES for e in builtin(name).expected]


@functools.cache
def states(name: str) -> tuple:
    return tuple(every_state(builtin(name)))


def condition(scenario: Scenario, source: str):
    names = Names(meters=scenario.meter_ids, flags=tuple(scenario.flags), scenes=tuple(scenario.scenes))
    return parse_condition(source, names)


def shown_text(scenario: Scenario, state) -> str:
    node = scenario.scenes.get(state.at) or scenario.endings[state.at]
    env = state.env()
    messages = [msg.text for msg in getattr(node, "messages", ()) if msg.condition is None or msg.condition(env)]
    return "\n".join([scene_text(node, state), *messages])


def choices(scenario: Scenario):
    return [c for s in scenario.scenes.values() for c in s.choices]


# -- the skeleton: every story ------------------------------------------------------------------------------


def test_every_built_in_story_has_its_facts_here():
    assert NAMES == sorted(p.stem for p in library.builtin_scenarios())


@pytest.mark.parametrize(("name", "play"), promised())
def test_every_promised_play_is_kept_as_a_transcript(name, play, snapshot):
    scenario = builtin(name)
    expectation = next(e for e in scenario.expected if e.name == play)
    text, finished = transcript(scenario, list(expectation.choices))
    assert finished.ending is not None and finished.ending.id == expectation.ending
    assert ("Help and support" in text) == resources.shows_help(scenario, finished.ending)
    snapshot.snapshot_dir = SNAPSHOTS / name
    snapshot.assert_match(text, f"{slug(play)}.txt")


def test_no_transcript_is_left_from_a_play_no_story_promises():
    kept = {(p.parent.name, p.stem) for p in SNAPSHOTS.glob("*/*.txt")}
    assert kept == {(name, slug(play)) for name, play in promised()}


@pytest.mark.parametrize("name", NAMES)
def test_the_promised_plays_cover_every_ending(name):
    scenario = builtin(name)
    assert len(scenario.expected) >= 2
    assert {e.ending for e in scenario.expected} == set(scenario.endings)
    assert len({slug(e.name) for e in scenario.expected}) == len(scenario.expected)


@pytest.mark.parametrize("name", NAMES)
def test_the_story_has_its_shape(name):
    facts, scenario = STORIES[name], builtin(name)
    path = library.find(name)
    assert path is not None
    assert path.read_text(encoding="utf-8").splitlines()[0] == "#:schema ../game/schema/scenario.schema.json"
    assert len(scenario.scenes) >= facts.scenes and len(scenario.endings) >= facts.endings
    assert facts.tones <= {e.tone for e in scenario.endings.values()}
    for ending_id, kind in facts.kinds.items():
        ending = scenario.endings[ending_id]
        assert (ending.tone, ending.outcome) == kind, ending_id
    used = {a for c in choices(scenario) for a in (*c.follows, *c.ignores)}
    assert len(used) >= 10 if facts.scenes >= 14 else len(used) >= 5
    assert facts.advice <= used and not facts.untagged & used
    assert scenario.content_notes and scenario.minutes and scenario.author == "Second Chance"
    gated = [c for c in choices(scenario) if c.condition and {k for k, _ in c.condition.names()} & {"meter"}]
    struck = [c for c in gated if c.unavailable == "strike"]
    assert len(struck) >= facts.struck
    nodes = [*scenario.scenes.values(), *scenario.endings.values(), *choices(scenario)]
    low, high = facts.prompts
    assert low <= sum(bool(n.discuss) for n in nodes) <= high
    assert sum(bool(n.facilitator) for n in nodes) >= facts.notes


@pytest.mark.parametrize("name", NAMES)
def test_both_meters_move_both_ways(name):
    moves = {(meter, delta > 0) for c in choices(builtin(name)) for meter, delta in c.effects if delta}
    assert moves >= {("trust", True), ("trust", False), ("self_esteem", True), ("self_esteem", False)}


@pytest.mark.parametrize("name", NAMES)
def test_every_tactic_costs_something_where_it_is_used(name):
    scenario = builtin(name)
    tactics = {a for a, advice in scenario.advice.items() if advice.manipulative}
    for choice in choices(scenario):
        if tactics & set(choice.follows):
            assert sum(delta for _, delta in choice.effects) < 0, choice.text


@pytest.mark.parametrize("name", NAMES)
def test_every_variant_and_every_chat_message_can_be_seen(name):
    scenario = builtin(name)
    wanted = set()
    for place_id, node in [*scenario.scenes.items(), *scenario.endings.items()]:
        wanted |= {(place_id, "default")} | {(place_id, i) for i in range(len(node.variants))}
        wanted |= {(place_id, f"message {i}") for i in range(len(getattr(node, "messages", ())))}
    assert wanted - texts_shown(scenario, list(states(name))) == set()


@pytest.mark.parametrize("name", NAMES)
def test_a_help_story_shows_its_help_on_every_ending_and_never_scores_their_trust(name):
    facts, scenario = STORIES[name], builtin(name)
    assert scenario.help == (facts.help_topic is not None)
    if facts.help_topic is None:
        return
    assert scenario.help_topic == facts.help_topic
    assert all(resources.shows_help(scenario, ending) for ending in scenario.endings.values())
    trust = scenario.meter("trust")
    for expectation in scenario.expected:
        text, _ = transcript(scenario, list(expectation.choices))
        assert "What might have helped" in text or "What helped" in text, expectation.name
        assert "Advice you ignored" not in text and "Their trust" not in text, expectation.name
        assert (trust.label in text) == (trust.label != "Their trust"), expectation.name


# -- each story's own promises, from its facts --------------------------------------------------------------


MOMENTS = [(name, i) for name in NAMES for i in range(len(STORIES[name].moments))]


@pytest.mark.parametrize(("name", "index"), MOMENTS)
def test_moment(name, index):
    moment = STORIES[name].moments[index]
    text, play = transcript(builtin(name), list(moment.answers))
    assert play.state.at == moment.at, (play.state.at, moment)
    here = play.text()
    for words in moment.here:
        assert words in here, words
    for words in moment.not_here:
        assert words not in here, words
    for words in moment.seen:
        assert words in text, words
    for words in moment.unseen:
        assert words not in text, words


RULES = [(name, i) for name in NAMES for i in range(len(STORIES[name].rules))]


@pytest.mark.parametrize(("name", "index"), RULES)
def test_rule_over_every_reachable_state(name, index):
    rule, scenario = STORIES[name].rules[index], builtin(name)
    when = condition(scenario, rule.when) if rule.when != "true" else None
    always = condition(scenario, rule.always) if rule.always else None
    checked = 0
    for state in states(name):
        if rule.at != "*" and state.at != rule.at:
            continue
        if when is not None and not when(state.env()):
            continue
        checked += 1
        if rule.only and state.at in scenario.endings:
            assert state.at in rule.only, (state.at, sorted(state.flags))
        if always is not None:
            assert always(state.env()), (state.at, sorted(state.flags), dict(state.meters))
        if rule.says:
            assert (rule.says in shown_text(scenario, state)) == rule.present, (state.at, sorted(state.flags))
    assert checked, "the rule must apply to some reachable play, or it proves nothing"


LAST = [(name, i) for name in NAMES for i in range(len(STORIES[name].last))]


@pytest.mark.parametrize(("name", "index"), LAST)
def test_the_same_last_choice_ends_differently_because_of_the_meters(name, index):
    last, scenario = STORIES[name].last[index], builtin(name)
    assert len(last.plays) >= 2
    assert scenario.scenes[last.scene].choices[last.index].goto == "@ending"
    for ending, answers in last.plays.items():
        play = played(scenario, list(answers))
        assert play.path[-1] == (last.scene, last.index), ending
        assert play.ending is not None and play.ending.id == ending


def test_the_skeleton_can_fail():
    """A moment, a rule and a last choice that are false fail: the data is checked, not decorated."""
    bad = Facts(moments=(m((1,), "nowhere"),), rules=(Rule("kissed", only=("not_yet",)),),
                last=(LastChoice("next_day", 0, {"blurred": TRY_SLOWLY, "not_yet": TRY_SLOWLY}),))
    STORIES["first-coffee"], keep = bad, STORIES["first-coffee"]
    try:
        for test, index in ((test_moment, 0), (test_rule_over_every_reachable_state, 0),
                            (test_the_same_last_choice_ends_differently_because_of_the_meters, 0)):
            with pytest.raises(AssertionError):
                test("first-coffee", index)
    finally:
        STORIES["first-coffee"] = keep


# -- who the reader has met ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_story_declares_its_cast_and_names_nobody_the_reader_has_not_met(name):
    """Every built-in story declares its cast, each with a note for writers; no choice, struck reason or
    message names one of them before the story has introduced them on the way there (SC150), none is declared
    and never named (SC151), and every chat message comes from the cast or the player (SC104)."""
    path = library.find(name)
    assert path is not None
    text = path.read_text(encoding="utf-8")
    result = read_text(text)
    scenario = result.unwrap()
    assert scenario.cast and all(c.note.strip() for c in scenario.cast.values())
    assert [d.message for d in result.diagnostics if d.code == "SC104"] == []
    found, walk = deep_check(scenario, source=text)
    assert [d.message for d in found if d.code in ("SC150", "SC151")] == []
    assert walk.machine.met is not None  # some choice or message names the cast: the check had work to do


def test_the_cast_check_finds_a_name_met_too_early_in_a_built_in_story():
    """The Feed once offered "Text Mari: who is Ada?" at 12:38, before any text on that way had introduced
    Mari: put it back, and the check finds it, with a play that gets there."""
    path = library.find("the-feed")
    assert path is not None
    text = path.read_text(encoding="utf-8")
    old = text.replace('text = "Text his old flatmate: who is Ada?"', 'text = "Text Mari: who is Ada?"')
    assert old != text
    [early] = [d for d in deep_check(load_text(old), source=old)[0] if d.code == "SC150"]
    assert early.message.startswith("Mari is named in the 1st choice in `the_zoom`")
    assert "“Zoom in on the cup.”" in early.message


# -- citations ------------------------------------------------------------------------------------------------


def _everything_cited(scenario: Scenario) -> list[tuple[str, str]]:
    """(where, text) for every sentence of a story that may cite an article."""
    found = []
    for advice in scenario.advice.values():
        found += [(f"advice {advice.id}", advice.disagreement), (f"advice {advice.id}", advice.stance),
                  (f"advice {advice.id}", advice.text)]
    for node in [*scenario.scenes.values(), *scenario.endings.values(), *choices(scenario)]:
        found += [(getattr(node, "id", "a choice"), node.facilitator), *((getattr(node, "id", "a choice"), q)
                                                                         for q in node.discuss)]
    return found


@pytest.mark.parametrize("name", NAMES)
def test_every_citation_names_a_step_its_article_has(name):
    """Sources name a step or part that exists (A3 has fourteen headings), and so does every citation in a
    sentence; whether each says what its step says is for a reader with the articles open."""
    scenario = builtin(name)
    for advice in scenario.advice.values():
        for source in advice.sources:
            assert citation_problem(source) is None, (advice.id, source, citation_problem(source))
    for where, text in _everything_cited(scenario):
        for cited in CITATION.finditer(text or ""):
            assert step_problem(cited.group(0)) is None, (where, cited.group(0))


def test_the_citation_check_can_fail():
    assert citation_problem("A3 #15") and citation_problem("A3 #6 Set a Date") and citation_problem("A0 FAQ 7")
    assert citation_problem("A4 #4 Re-Establish Contact Slowly: Dinner") and citation_problem("A2 Epilogue")
    assert step_problem("A3 #15") and step_problem("A1 #24") and step_problem("A1 #23") is None
    assert citation_problem("A3 #14 Move On Alone or Forward Together") is None


def test_tactics_cite_only_the_articles_that_suggest_them():
    """Under "Some of the articles suggest these moves": the articles against a tactic are its disagreement."""
    catalog = builtin("last-call").advice
    assert catalog["make-them-jealous"].sources == ("A1 #11",)
    assert catalog["staged-attention-posts"].sources == ("A3 #5 Grab Their Attention",)
    for advice in catalog.values():
        if advice.manipulative:
            for against in ("A0 #4", "A2 #4", "A2 #8"):
                assert against not in advice.sources, (advice.id, against)
