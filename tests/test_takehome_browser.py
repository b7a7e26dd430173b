"""The handouts in a real browser: the take-home prints on one page of A4 and of US Letter from Chromium and reads
on a phone, and both HTML handouts pass axe-core with no violation.

A workshop of `last-call` is played through the core as a room would play it: two teams, each to its ending, then a
forum-theatre branch with the room's prediction, ideas shown (and one hidden) at a decision and at the step-out
question. Counts come from a seeded generator, so the pages are the same every run. Chromium is launched as
tests/browser.py launches it.
"""

# ruff: noqa: F811  (the `chromium` fixture comes from tests/browser.py)
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from game import library
from game.loader import load_scenario
from game.workshop import handout, takehome
from game.workshop.names import RUNOFF
from game.workshop.report import build
from game.workshop.room import Workshop
from game.workshop.shown import CARD, ENDING
from tests.browser import chromium  # noqa: F401

WHEN = "Workshop of 7 December 2026"
PAGE_BREAKS = re.compile(rb"/Type\s*/Page\b")
"""A page object of a PDF (not /Pages, the tree that holds them)."""


def to_the_end(workshop: Workshop, rng: random.Random) -> None:
    """Vote every decision of the play in front of the room until the room sees its ending."""
    while workshop.shown.stage != ENDING:
        if workshop.shown.stage == CARD:
            workshop.show()
            continue
        for index in workshop.round.votable:
            workshop.set_hands(index, rng.randint(0, 9))
        workshop.reveal()
        outcome = workshop.outcome()
        if outcome.how == "runoff":
            workshop.start_runoff()
            continue
        workshop.decide(outcome.tied[0] if outcome.picking else None)


@pytest.fixture(scope="module")
def session() -> Workshop:
    rng = random.Random(3)
    workshop = Workshop(load_scenario(library.find("last-call")), ["Red", "Blue"], seed=5, tie_rule=RUNOFF)
    workshop.begin()
    asked = workshop.ask(0)  # something else? at decision 1
    for n, words in enumerate(("Call a friend first and say it out loud", "Write it in your notes, not to Cass",
                               "Go home and sleep", "Something unkind about Cass")):
        idea = workshop.send_idea(asked.id, f"phone-{n:02d}-" + "x" * 16, words)
        (workshop.hide_idea if "unkind" in words else workshop.show_idea)(idea.id)
    workshop.add_idea("Ask the bartender for a glass of water")
    workshop.close_overlay()
    to_the_end(workshop, rng)
    workshop.go_on()
    to_the_end(workshop, rng)
    workshop.go_to(0)
    workshop.branch(2, "Phone away")  # forum theatre: Red goes back to decision 3
    workshop.predict()
    workshop.predict_hands(0, 6)
    workshop.predict_hands(len(workshop.prediction.tones) - 1, 4)
    workshop.reveal_prediction()
    workshop.close_overlay()
    to_the_end(workshop, rng)
    workshop.show_debrief(7)
    workshop.ask(0)
    workshop.add_idea("One message at 2 a.m. is not the whole friendship")
    workshop.close_overlay()
    return workshop


def test_the_take_home_prints_on_one_page_of_a4_or_letter_and_reads_on_a_phone(session: Workshop, chromium,
                                                                  tmp_path: Path) -> None:
    report = build(session)
    assert [line.label for line in report.lines] == ["Red", "Red, Phone away", "Blue"]
    page_file = tmp_path / "take-home.html"
    page_file.write_text(takehome.html_page(report, WHEN), encoding="utf-8")
    page = chromium.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri())
    body = page.inner_text("body")
    for said in ("The room expected", "Call a friend first", "glass of water", "not the whole friendship",
                 "the story could not play these", "Help and support", "(from decision 3)", "runoff"):
        assert said in body, said
    assert "Something unkind" not in body
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper)
        assert len(PAGE_BREAKS.findall(pdf)) == 1, f"the take-home must print on one {paper} page"
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    shown = page.evaluate("""() => ({
        wide: document.documentElement.scrollWidth - innerWidth,
        font: parseFloat(getComputedStyle(document.querySelector('ol.path')).fontSize)})""")
    assert shown["wide"] <= 0 and shown["font"] >= 16
    assert requests == [page_file.as_uri()]
    page.close()


def test_the_longest_built_in_story_fits_one_page_of_a4_and_of_letter(chromium, tmp_path: Path) -> None:
    """thirty-days takes the most decisions: two teams and a branch from decision 3 still print on one page,
    whichever paper the printer holds (Letter is the shorter)."""
    rng = random.Random(3)
    workshop = Workshop(load_scenario(library.find("thirty-days")), ["Red", "Blue"], seed=5, tie_rule=RUNOFF)
    workshop.begin()
    to_the_end(workshop, rng)
    workshop.go_on()
    to_the_end(workshop, rng)
    workshop.go_to(0)
    workshop.branch(2, "Phone away")
    to_the_end(workshop, rng)
    report = build(workshop)
    assert sum(len(line.moments) for line in report.lines) > 40
    page_file = tmp_path / "take-home.html"
    page_file.write_text(takehome.html_page(report, WHEN), encoding="utf-8")
    page = chromium.new_page()
    page.goto(page_file.as_uri())
    for paper in ("A4", "Letter"):
        assert len(PAGE_BREAKS.findall(page.pdf(format=paper))) == 1, paper
    page.close()


def test_both_html_handouts_pass_axe_core(session: Workshop, chromium, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    report = build(session)
    axe = Axe()
    for name, html in (("handout", handout.html_page(report, WHEN)), ("take-home", takehome.html_page(report, WHEN))):
        page_file = tmp_path / f"{name}.html"
        page_file.write_text(html, encoding="utf-8")
        page = chromium.new_page()
        page.goto(page_file.as_uri())
        results = axe.run(page)  # every rule axe-core has, its best practices (landmarks, regions) included
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"
        page.close()
