"""The debrief's policy in the core: what mattered most, ties, each advice and disagreement once,
help stories, the five sources. The full screen and the plain player both say what these build."""

from __future__ import annotations

import pytest

from game import debrief as debriefs
from game import plain
from game.engine import Playthrough
from game.loader import load_text
from game.model import Advice
from game.sources import BY_KEY, SOURCES, citations, key_of
from tests.helpers import builtin, expected_plays

STORY = '''\
[scenario]
id = "stairs"
title = "The Stairs"
summary = "A short story for the debrief's rules."
start = "one"

[advice.slow-down]
title = "Slow down"
text = "Take it one day at a time."
sources = ["A1 #19"]

[advice.say-it]
title = "Say it plainly"
text = "One honest sentence."
sources = ["A2 #8"]

[advice.check-in]
title = "Check in with a friend"
text = "Ask someone you trust."
sources = ["A1 #22"]

[advice.shout]
title = "Shout about it"
text = "The tactic: make a scene so they notice."
sources = ["A4 #2"]
manipulative = true

[scenes.one]
text = "The first stair."

[[scenes.one.choices]]
text = "Wait a day."
goto = "two"
effects = { trust = 1 }
follows = ["slow-down"]

[[scenes.one.choices]]
text = "\\"Now or never.\\""
goto = "two"
effects = { trust = -2, self_esteem = -1 }
ignores = ["slow-down"]
follows = ["shout"]

[scenes.two]
text = "The second stair."

[[scenes.two.choices]]
text = "Rush it."
goto = "three"
effects = { self_esteem = -1 }
ignores = ["slow-down", "check-in"]

[[scenes.two.choices]]
text = "Say it."
goto = "three"
effects = { trust = 3 }
follows = ["say-it"]

[scenes.three]
text = "The top."

[[scenes.three.choices]]
text = "Go in."
goto = "@ending"
effects = { trust = 1, self_esteem = 2 }
follows = ["say-it"]

[[scenes.three.choices]]
text = "Go home."
goto = "@ending"

[endings.done]
title = "Done"
tone = "hopeful"
outcome = "apart"
text = "That was that."
'''


def stairs(*numbers: int, help_story: bool = False) -> Playthrough:
    source = STORY.replace('start = "one"', 'start = "one"\nhelp = true') if help_story else STORY
    play = Playthrough.begin(load_text(source, "stairs.toml", catalog={}))
    for number in numbers:
        play = play.choose_number(number)
    return play


# -- each piece of advice once -------------------------------------------------------------


def test_advice_followed_then_ignored_is_one_entry_saying_both():
    report = debriefs.build(stairs(1, 1, 2))
    slow = [e for e in report.entries if e.advice.id == "slow-down"]
    assert len(slow) == 1
    (entry,) = slow
    assert entry.group == "both" and entry.followed == (1,) and entry.ignored == (2,)
    assert debriefs.when_words(entry, False) == "followed at choice 1, ignored at choice 2"
    assert entry.moments() == [(1, True), (2, False)]
    text = plain.render_debrief(stairs(1, 1, 2))
    assert text.count("Take it one day at a time.") == 1
    assert "Followed at choice 1: “Wait a day.”" in text and "Ignored at choice 2: “Rush it.”" in text
    assert "Advice you followed at one choice and ignored at another (1):" in text


def test_a_tactic_is_never_listed_as_advice_followed():
    report = debriefs.build(stairs(2, 2, 1))
    assert [e.advice.id for e in report.group("tactic")] == ["shout"]
    assert "shout" not in [e.advice.id for e in report.group("followed")]
    assert debriefs.top_line(report.group("tactic")[0], False) == "! Shout about it (tried at choice 1)"


def test_quotes_inside_a_choice_are_not_doubled():
    text = plain.render_debrief(stairs(2, 2, 1))
    assert "“Now or never.”" in text and "“\"Now" not in text


# -- what mattered most ----------------------------------------------------------------------


def test_the_summary_leads_with_the_advice_whose_choices_moved_the_meters_most():
    report = debriefs.build(stairs(2, 2, 1))
    # choice 1 moved 3 (slow-down ignored, shout tried); choice 2 moved 3 and choice 3 moved 3
    # (say-it, twice: 6); check-in was never touched on this path.
    weights = {e.advice.id: e.weight for e in report.entries}
    assert weights == {"slow-down": 3, "shout": 3, "say-it": 6}
    # shout and slow-down are one thing said twice (choice 1 tried the one and ignored the other): the
    # path met shout first, and it stands for both
    assert [e.advice.id for e in report.top] == ["say-it", "shout"]


def test_an_advice_and_its_opposite_touched_by_the_same_choices_count_once():
    """The Feed: five choices try "Make them jealous" and ignore "Don't try to make them jealous"; the
    summary says so once and gives its other lines to other advice."""
    path = (("midnight", 2), ("thursday", 2), ("saturday_home", 2), ("sunday", 2), ("mari_refuses", 1),
            ("sunday_night", 2), ("escalate", 2))
    report = debriefs.build(Playthrough.replay(builtin("the-feed"), path))
    jealousy = {"make-them-jealous", "no-jealousy-games"}
    assert jealousy <= {e.advice.id for e in report.entries}
    top = [e.advice.id for e in report.top]
    assert len(top) == debriefs.TOP and len(jealousy & set(top)) == 1, top
    assert not any(a.mirrors(b) for i, a in enumerate(report.top) for b in report.top[i + 1:])


def test_mattered_most_breaks_ties_by_the_first_choice_and_keeps_still_advice_last():
    advice = {n: Advice(n, n.title(), "", ()) for n in "abcd"}
    entries = [debriefs.AdviceEntry(advice["a"], (3,), (), 0),
               debriefs.AdviceEntry(advice["b"], (), (2,), 4),
               debriefs.AdviceEntry(advice["c"], (1,), (), 4),
               debriefs.AdviceEntry(advice["d"], (), (4,), 1)]
    assert [e.advice.id for e in debriefs.mattered_most(entries)] == ["c", "b", "d"]
    assert [e.advice.id for e in debriefs.mattered_most(entries, 4)][-1] == "a"


def test_on_an_ending_that_turned_what_mattered_most_says_what_turned_it():
    """Three ✓ over a hard ending would hide why it went badly: the last gives way to what was ignored."""
    advice = {n: Advice(n, n.title(), "", ()) for n in "abcde"}
    entries = [debriefs.AdviceEntry(advice["a"], (1,), (), 5),
               debriefs.AdviceEntry(advice["b"], (2,), (), 4),
               debriefs.AdviceEntry(advice["c"], (3,), (), 4),
               debriefs.AdviceEntry(advice["d"], (), (4,), 1),
               debriefs.AdviceEntry(advice["e"], (), (5,), 2)]
    assert [e.advice.id for e in debriefs.mattered_most(entries)] == ["a", "b", "c"]
    assert [e.advice.id for e in debriefs.mattered_most(entries, turned=True)] == ["a", "b", "e"]
    only_followed = entries[:3]
    assert debriefs.mattered_most(only_followed, turned=True) == debriefs.mattered_most(only_followed)
    already = [entries[0], entries[3], entries[1]]
    assert debriefs.mattered_most(already, turned=True) == debriefs.mattered_most(already)


def test_every_built_in_ending_that_turned_names_what_turned_it():
    for play in expected_plays():
        report = debriefs.build(play)
        assert play.ending is not None
        turned = [e for e in report.entries if e.group != "followed"]
        if play.ending.tone not in ("hopeful", "warm") and turned:
            assert any(e.group != "followed" for e in report.top), (play.scenario.id, play.path)


# -- the turning point --------------------------------------------------------------------------


def test_a_tie_for_the_turning_point_is_said():
    report = debriefs.build(stairs(2, 2, 2))  # choices 1 and 2 each moved the meters by 3, choice 3 by none
    assert report.turning_point is not None and report.turning_point.number == 1
    assert report.ties == (2,)
    assert debriefs.turning_summary(report) == "Turning point: choice 1, “Now or never.” (tied with choice 2)"
    assert debriefs.tie_sentence((2, 3)) == "Tied with choices 2 and 3, which each moved the meters just as much."
    text = plain.render_debrief(stairs(2, 2, 2))
    assert "No other choice moved the meters as much" not in text and "Tied with choice 2, which moved" in text


def test_when_every_choice_moved_the_meters_alike_none_is_the_turning_point():
    """Naming the first of three equal choices "the turning point, tied with the other two" points at nothing."""
    report = debriefs.build(stairs(2, 2, 1))  # 3, 3 and 3
    assert report.turning_point is None and report.even and report.ties == ()
    assert debriefs.turning_summary(report) == debriefs.EVEN_TURN
    assert debriefs.EVEN_TURN in plain.render_debrief(stairs(2, 2, 1))
    assert not debriefs.build(stairs(1, 2, 2)).even  # 1, 3 and 0: choice 2 turned it


def test_a_clear_turning_point_says_no_other_choice_moved_as_much():
    report = debriefs.build(stairs(1, 2, 2))
    assert report.turning_point is not None and report.turning_point.number == 2 and report.ties == ()
    assert debriefs.tie_sentence(()) == "No other choice moved the meters as much."
    assert "Turning point: choice 2, “Say it.”\n  No other choice" in plain.render_debrief(stairs(1, 2, 2))


def test_the_words_say_choice_not_step():
    for play in (stairs(1, 1, 2), stairs(2, 2, 1), stairs(1, 2, 2)):
        text = plain.render_debrief(play)
        assert "step " not in text.lower()
        assert "choice 1" in text


def test_a_help_story_turns_on_what_the_player_is_shown():
    """The other person's trust is hidden in a help story, so it decides neither the turning point nor
    what mattered most: choice 2 moved only that trust, choice 3 moved the self-esteem the player sees."""
    report = debriefs.build(stairs(2, 2, 1, help_story=True))
    assert [m.id for m in report.meters] == ["self_esteem"]
    assert report.turning_point is not None and report.turning_point.number == 3 and report.ties == ()
    assert debriefs.turning_moves(report) == ["Your self-esteem +2  (4 → 6)"]
    assert {e.advice.id: e.weight for e in report.entries} == {"slow-down": 1, "shout": 1, "say-it": 2}
    hidden_only = debriefs.build(stairs(1, 2, 2, help_story=True))  # only the hidden trust ever moved
    assert hidden_only.turning_point is None
    assert debriefs.NO_TURN in plain.render_debrief(stairs(1, 2, 2, help_story=True))


def test_every_built_in_turning_point_moved_a_meter_the_player_sees():
    for play in expected_plays():
        report = debriefs.build(play)
        if report.turning_point is not None:
            assert debriefs.turning_moves(report), (play.scenario.id, play.path)


def test_the_good_days_tie_is_named():
    scenario = builtin("the-good-days")
    play = Playthrough.begin(scenario)
    for number in (2, 2, 2, 3):
        play = play.choose_number(number)
    report = debriefs.build(play)
    assert report.turning_point is not None and report.ties
    assert "tied with choice" in debriefs.turning_summary(report)


# -- each disagreement once ----------------------------------------------------------------------


def test_the_jealousy_debate_told_three_ways_is_shown_once():
    catalog = builtin("last-call").advice
    jealousy = [catalog[a] for a in ("see-your-friends", "no-jealousy-games", "make-them-jealous")]
    (debate,) = debriefs.debates(jealousy)
    assert set(debate.advice) == set(jealousy)
    assert debate.disagreement in {a.disagreement for a in jealousy}
    assert "A2 #4" in debate.disagreement  # the fullest wording: it names all three articles
    who_first = [catalog["answer-naturally"], catalog["first-light-text"]]
    assert len(debriefs.debates(who_first)) == 1
    separate = [catalog["casual-first-meeting"], catalog["patience-with-a-limit"], catalog["make-them-jealous"]]
    assert len(debriefs.debates(separate)) == 3


def test_every_expected_play_shows_each_disagreement_once():
    plays = expected_plays()
    assert len(plays) >= 30
    for play in plays:
        report = debriefs.build(play)
        texts = [d.disagreement for d in report.debates]
        assert len(texts) == len(set(texts)), play.scenario.id
        text = plain.render_debrief(play)
        for debate in report.debates:
            assert text.count(debate.disagreement) == 1, (play.scenario.id, debate.title)
        for entry in report.entries:
            assert text.count(entry.advice.text) == 1, (play.scenario.id, entry.advice.id)


# -- help stories -----------------------------------------------------------------------------------


def test_a_help_story_frames_the_list_as_what_might_have_helped():
    text = plain.render_debrief(stairs(1, 1, 2, help_story=True))
    assert "What might have helped (1):" in text
    assert "going back to someone who hurt you is common, and it is not a failure" in text.lower()
    assert "Advice you ignored" not in text and "Ignored at" not in text
    assert "○ Check in with a friend" in text and "✗" not in text
    assert "Might have helped at choice 2: “Rush it.”" in text


def test_a_help_story_hides_an_unrelabelled_trust_meter_and_keeps_a_relabelled_one():
    report = debriefs.build(stairs(1, 1, 2, help_story=True))
    assert [m.id for m in report.meters] == ["self_esteem"]
    text = plain.render_debrief(stairs(1, 1, 2, help_story=True))
    assert "Their trust" not in text and "not a score to win" in text
    assert [m.id for m in debriefs.build(stairs(1, 1, 2)).meters] == ["trust", "self_esteem"]
    good_days = builtin("the-good-days")
    assert [m.label for m in debriefs.shown_meters(good_days)][0] == "Lee's hold on you"


def test_the_good_days_debrief_does_not_judge_going_back():
    play = Playthrough.begin(builtin("the-good-days"))
    for number in (2, 2, 2, 3):
        play = play.choose_number(number)
    text = plain.render_debrief(play)
    assert "What might have helped" in text and "not a failure" in text
    assert "What helped (0)" not in text and "Advice you ignored" not in text
    assert "Their trust" not in text


def test_a_help_story_is_framed_for_its_kind_of_help():
    """Fourth Time Lucky is about a loop that is unhealthy, not abusive: its debrief never names a harm done
    to the player or someone who hurts them. The Good Days keeps the words for abuse, and its meter,
    relabelled "Lee's hold on you", is never called trust."""
    plays = expected_plays()
    loop = [plain.render_debrief(p) for p in plays if p.scenario.id == "fourth-time-lucky"]
    abuse = [plain.render_debrief(p) for p in plays if p.scenario.id == "the-good-days"]
    assert loop and abuse
    for text in loop:
        assert "not a failure" in text and "not a score" in text and "unhealthy, though not abusive" in text
        for words in ("someone who hurt you", "someone who hurts you", "the harm is never", "warning signs"):
            assert words not in text, words
    for text in abuse:
        assert "the harm is never the fault of the person it is done to" in text and "warning signs" in text
        assert "trusts you" not in text


def test_each_kind_of_help_has_its_own_words_and_an_unknown_one_claims_nothing():
    abuse, loop, other = (debriefs.help_words(t) for t in ("abuse", "relationships", "grief"))
    assert other is debriefs.OTHER_HELP and len({abuse, loop, other}) == 3
    for words in (other.advice_intro, other.meters_note, other.help_note):
        assert "hurt" not in words and "abus" not in words
    assert debriefs.advice_intro(False, "relationships") == debriefs.ADVICE_INTRO
    assert debriefs.meters_note(False, "abuse") == ""
    assert debriefs.build(stairs(1, 1, 2, help_story=True)).help_topic == "abuse"  # a help story naming none


def test_a_stance_that_labels_itself_is_labelled_once():
    assert debriefs.stance_parts("The game's line: unhealthy is not abusive.") == (
        "The game's line:", "unhealthy is not abusive.")
    assert debriefs.stance_parts("The game rewards quiet.") == (debriefs.STANCE, "The game rewards quiet.")
    texts = [plain.render_debrief(p) for p in expected_plays()]
    assert any("The game's line: unhealthy is not the same as abusive" in text for text in texts)
    assert not any("The game's stance: The game's line" in text for text in texts)


NOT_THE_GAME_SCORING = ("keeps no score", "not a score", "keeping score")
"""Where a help story's debrief may say "score": saying it keeps none, and advice about grudges."""


def test_a_help_story_never_says_a_choice_is_rewarded_or_scored():
    """A help story keeps no score, and nothing in its debrief speaks as if a choice earned one: the game's
    lines say what it sides with, in every story."""
    debated = [p for p in expected_plays() if debriefs.build(p).debates]
    for help_story in (True, False):
        plays = [p for p in debated if p.scenario.help == help_story]
        assert plays
        intro = debriefs.HELP_DEBATE_INTRO if help_story else debriefs.DEBATE_INTRO
        assert all(intro in plain.render_debrief(p) for p in plays)
    helping = [p for p in expected_plays() if p.scenario.help]
    assert {p.scenario.help_topic or "abuse" for p in helping} == {"abuse", "relationships"}
    for play in helping:
        text = plain.render_debrief(play)
        for allowed in NOT_THE_GAME_SCORING:
            text = text.replace(allowed, "")
        assert not debriefs.EARNING.search(text), (play.scenario.id, debriefs.EARNING.search(text))
    assert debriefs.debate_intro(True) == debriefs.HELP_DEBATE_INTRO + "."


def test_a_writers_own_line_that_speaks_of_rewards_is_read_as_what_helps_in_a_help_story():
    rewarding = [debriefs.Debate(advice=(), disagreement="", stance="The game rewards quiet.")]
    assert debriefs.debate_intro(True, rewarding) == debriefs.HELP_DEBATE_INTRO + debriefs.REWARDS_READING + "."
    assert debriefs.debate_intro(False, rewarding) == debriefs.DEBATE_INTRO
    for word in ("reward", "score"):
        assert word not in debriefs.REWARDS_READING


# -- the five sources ------------------------------------------------------------------------------------


def test_five_sources_each_with_a_title_and_what_it_is():
    assert [s.key for s in SOURCES] == ["A0", "A1", "A2", "A3", "A4"]
    assert all(s.title and len(s.about) > 60 and s.numbering for s in SOURCES)
    assert BY_KEY["A1"].title == "How To Get Your Ex Back"


def test_every_citation_in_the_catalog_names_one_of_the_five():
    catalog = builtin("last-call").advice
    for advice in catalog.values():
        for source in advice.sources:
            assert key_of(source) in BY_KEY, (advice.id, source)


def test_citations_are_found_inside_sentences():
    found = citations("A1 #6 says one thing; A3 (Should You...) another, and A0 #4 a third. A12 is none.")
    assert [(key, text) for _, _, key in found for text in [None]] == [("A1", None), ("A3", None), ("A0", None)]
    assert key_of("A4 #2 Give Your Ex Space") == "A4" and key_of("nothing here") is None


def test_the_plain_debrief_names_the_articles_it_cites():
    text = plain.render_debrief(stairs(2, 2, 1))
    tail = text.split(debriefs.SOURCES_TITLE + ":")[1]
    assert "A1: How To Get Your Ex Back" in tail and "A2:" in tail and "A4:" in tail
    assert "A0:" not in tail and "A3:" not in tail


@pytest.mark.parametrize("key", ["A0", "A1", "A2", "A3", "A4"])
def test_the_docs_list_each_source(key):
    from pathlib import Path
    docs = (Path(__file__).parent.parent / "docs" / "playing.md").read_text(encoding="utf-8")
    section = docs.split("## Where the advice comes from")[1]
    assert f"**{key}**" in section and BY_KEY[key].title in section
