"""The shared advice catalog: it loads cleanly, covers all five articles, and stays coherent.

Scenario files refer to these ids, and the debrief shows the disagreements and stances,
so a regression here shows up as wrong or missing lessons at the end of a story.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from game import paths
from game.loader import load_catalog
from game.model import Advice

CATEGORIES = {
    "healing", "contact", "reconnecting", "meeting",
    "repair", "self-respect", "red-flags", "moving-on",
}
ARTICLES = ("A0", "A1", "A2", "A3", "A4")
# Highest step number each article can be cited with
# (A3: headed steps in order; A4: top-level sections).
LAST_STEP = {"A0": 13, "A1": 23, "A2": 9, "A3": 14, "A4": 5}
STEP = re.compile(r"(A[0-4])(?: #(\d+))?")

# Ids the scenario writers rely on; renaming one breaks their files.
REQUIRED_IDS = {
    "no-contact-to-heal", "silence-to-confuse", "dont-chase", "no-drunk-texting",
    "no-jealousy-games", "make-them-jealous", "staged-attention-posts",
    "dont-check-their-socials", "accountability-friend", "work-on-yourself",
    "understand-why-it-ended", "own-your-part", "real-apology", "first-light-text",
    "ask-plainly", "casual-first-meeting", "listen-first", "i-statements",
    "dont-refight-old-fights", "no-intimacy-too-soon", "end-on-a-good-note", "respect-their-no",
    "respect-their-new-partner", "set-boundaries", "patience-with-a-limit", "leave-abuse",
    "repeated-cheating", "listen-to-friends", "accept-and-move-on", "friends-as-an-outcome",
    "speak-up-dont-sulk",
}

# Each disagreement named in the articles README, as citations that must appear together
# in one entry's `disagreement`.
README_DISAGREEMENTS = {
    "jealousy": ("A0 #4", "A1 #11"),
    "no contact: healing or tactic": ("A1 #4", "A4 #2"),
    "no contact ends with attention posts": ("A3 #5", "A2 #4"),
    "who moves first": ("A1 #6", "A3 #6", "A2 #8"),
    "first meeting": ("A2 #6", "A1 #12", "A3 #9", "A4 #4"),
    "deadline": ("A2", "A0 #10"),
}


@pytest.fixture(scope="module")
def catalog() -> dict[str, Advice]:
    advice, problems = load_catalog(paths.catalog_path())
    assert problems == (), [str(p) for p in problems]
    return advice


def citation_counts(catalog: dict[str, Advice]) -> Counter:
    return Counter(source[:2] for advice in catalog.values() for source in advice.sources)


def coherence_problems(catalog: dict[str, Advice]) -> list[str]:
    """Everything wrong with a catalog that the loader itself does not check."""
    problems = []
    titles = Counter(advice.title for advice in catalog.values())
    problems += [f"title used twice: {title}" for title, n in titles.items() if n > 1]
    for advice in catalog.values():
        if advice.category not in CATEGORIES:
            problems.append(f"{advice.id}: category {advice.category!r}")
        if advice.disagreement and not advice.stance:
            problems.append(f"{advice.id}: disagreement without stance")
        if advice.manipulative and not advice.stance:
            problems.append(f"{advice.id}: manipulative without stance")
        for source in advice.sources:
            match = STEP.match(source)
            if match and match[2] and not 1 <= int(match[2]) <= LAST_STEP[match[1]]:
                problems.append(f"{advice.id}: no step {source}")
    return problems


def test_catalog_loads_without_diagnostics(catalog):
    assert catalog


def test_catalog_has_at_least_32_entries(catalog):
    assert len(catalog) >= 32


@pytest.mark.parametrize("key", ARTICLES)
def test_every_article_cited_at_least_five_times(catalog, key):
    assert citation_counts(catalog)[key] >= 5


def test_catalog_is_coherent(catalog):
    assert coherence_problems(catalog) == []


def test_required_ids_exist(catalog):
    assert REQUIRED_IDS - catalog.keys() == set()


def test_manipulative_tactics_are_marked(catalog):
    marked = {advice.id for advice in catalog.values() if advice.manipulative}
    assert {"make-them-jealous", "silence-to-confuse", "staged-attention-posts"} <= marked
    assert "no-jealousy-games" not in marked and "no-contact-to-heal" not in marked


@pytest.mark.parametrize("topic", sorted(README_DISAGREEMENTS))
def test_every_readme_disagreement_is_recorded(catalog, topic):
    needed = README_DISAGREEMENTS[topic]
    recorded = [advice.id for advice in catalog.values()
                if all(cite in advice.disagreement for cite in needed)]
    assert recorded, topic


def test_checks_catch_a_broken_catalog():
    """The coherence checks must be able to fail, or the test above proves nothing."""
    broken = {
        "a": Advice("a", "Same", "t", ("A1 #4",), disagreement="x", category="healing"),
        "b": Advice("b", "Same", "t", ("A4 #9",), category="feelings"),
        "c": Advice("c", "Other", "t", ("A0 #1",), category="contact", manipulative=True),
    }
    problems = coherence_problems(broken)
    assert len(problems) == 5, problems
    assert citation_counts(broken)["A2"] == 0


def test_broken_catalog_file_reports_diagnostics(tmp_path: Path):
    path = tmp_path / "advice.toml"
    text = '[advice.Bad_Id]\ntitle = "x"\ntext = "y"\nsources = ["chapter 4"]\n'
    path.write_text(text, encoding="utf-8")
    _, problems = load_catalog(path)
    assert {p.code for p in problems} >= {"SC023", "SC050"}


# --- citations checked against the articles themselves ---------------------------------


def cites(advice: Advice, article: str) -> bool:
    return any(source == article or source.startswith(article + " ") for source in advice.sources)


def test_a3_is_not_cited_as_agreeing_to_listen_to_friends(catalog):
    """A3 says not to be swayed by other people: that is a disagreement, not a source."""
    entry = catalog["listen-to-friends"]
    assert not any(source.startswith("A3") for source in entry.sources)
    assert "A1 #22" in entry.sources
    assert "A3" in entry.disagreement and "A1 #22" in entry.disagreement
    assert entry.stance


def test_answering_naturally_does_not_cite_the_attention_step(catalog):
    assert not cites(catalog["answer-naturally"], "A3 #5")
    assert "A1 #6" in catalog["answer-naturally"].sources


def test_who_moves_first_reaches_both_sides_word_for_word(catalog):
    """The ex moving first (answer-naturally) and you moving first (first-light-text) show one debate."""
    theirs, yours = catalog["answer-naturally"], catalog["first-light-text"]
    assert theirs.disagreement == yours.disagreement
    assert theirs.stance == yours.stance and theirs.stance
    assert all(cite in yours.disagreement for cite in README_DISAGREEMENTS["who moves first"])


def test_accountability_friend_cites_only_what_says_so(catalog):
    """A2 #1 hands the phone to an accountability partner; A3 #3 and A1 #22 say other things."""
    entry = catalog["accountability-friend"]
    assert entry.sources == ("A2 #1",)
    assert "phone" in entry.text


def test_a1_11_is_credited_with_friends_not_with_someone_new(catalog):
    """A1 #11 is about being seen out with friends of all genders, never with a new partner."""
    for advice in catalog.values():
        for sentence in re.split(r"(?<=[.;])\s+", advice.disagreement):
            if "A1 #11" in sentence:
                before_next_citation = sentence.split("A1 #11", 1)[1].split(";")[0]
                assert "someone new" not in before_next_citation, advice.id
                assert "new partner" not in before_next_citation, advice.id
    assert "friends of all genders" in catalog["make-them-jealous"].disagreement


def test_the_first_meeting_does_not_list_a3_as_a_source(catalog):
    entry = catalog["casual-first-meeting"]
    assert not cites(entry, "A3 #9")
    assert "A3 #9" in entry.disagreement


def test_red_flag_entries_say_what_the_articles_and_services_say(catalog):
    assert "sex" in catalog["leave-abuse"].text  # A1 #21 names sexual coercion
    counselling = catalog["consider-counselling"].text
    assert "abuse" in counselling and "not advised" in counselling


def test_citation_helpers_can_fail():
    entry = Advice("x", "X", "t", ("A3 #5 Grab Their Attention", "A1 #6"))
    assert cites(entry, "A3 #5") and cites(entry, "A1 #6") and not cites(entry, "A3 #6")
