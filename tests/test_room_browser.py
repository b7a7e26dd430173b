"""The room display in a real browser: Debian's Chromium through Playwright, as the projector shows it.

The workshop's server runs in a background thread's event loop (as it runs in
the console's), and every workshop step is handed to that loop (the console
itself beside the browser is tests/test_room_console_browser.py). Chromium is
launched as tests/browser.py launches it (skipped when it is missing, failed
instead under SECOND_CHANCE_REQUIRE_BROWSER=1).
Screenshots of the longest scene are written to SECOND_CHANCE_SCREENSHOTS (the
docs keep them) or to the test's own folder. Every wait has a deadline.
"""

# ruff: noqa: F811  (the `browser` fixture comes from tests/browser.py)
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from game import library
from game.engine import Playthrough
from game.loader import load_text
from game.model import Scenario, Scene
from game.session import Session
from game.wording import scene_heading
from game.workshop.room import Workshop
from tests.browser import browser  # noqa: F401
from tests.helpers import VOTE_STORY, vote_story
from tests.served import Served

SIZES = ((1280, 720), (1920, 1080))
MIN_TEXT = 28
"""The smallest text the room display may have at 1280x720, in CSS pixels; it grows with the window."""

AXE = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
       "rules": {"color-contrast-enhanced": {"enabled": True}}}
"""Every WCAG 2.1 A and AA rule axe-core has, and its 7:1 contrast rule (AAA) as well."""

MEASURE = """(min) => {
  const root = document.documentElement;
  const out = {font: parseFloat(getComputedStyle(root).fontSize), small: [], overflow: [],
               scroll: [root.scrollWidth - innerWidth, root.scrollHeight - innerHeight]};
  for (const node of document.querySelectorAll("body *")) {
    if (node.closest("[hidden]") || node.closest(".visually-hidden")) continue;
    const own = Array.from(node.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (own && parseFloat(getComputedStyle(node).fontSize) < min) out.small.push(node.textContent.slice(0, 40));
  }
  for (const node of document.querySelectorAll(".bar, .option, .message, .box, .join-box")) {
    if (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1) {
      out.overflow.push(node.className + ": " + node.textContent.slice(0, 40));
    }
  }
  return out;
}"""


@pytest.fixture
def served() -> Iterator[Served]:
    here = Served(debounce=0.0)
    try:
        yield here
    finally:
        here.close()


def projector(browser, url: str, size: tuple[int, int] = SIZES[0]):
    """A page on the room display that stops anything aimed off the server before it leaves.

    It is drawn at half the pixels (the layout, and every size it measures, is the projector's own), so a
    screenshot of it is small enough for the docs to keep."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, device_scale_factor=0.5)
    page.set_default_timeout(8_000)
    origin = url.split("/room")[0]
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.route("**/*", lambda route: route.fallback() if route.request.url.startswith(origin + "/")
               else route.abort())
    page.goto(url)
    return page, asked


def shots(tmp_path: Path) -> Path:
    """Where screenshots go: SECOND_CHANCE_SCREENSHOTS (docs/images keeps them), else the test's folder."""
    return Path(os.environ.get("SECOND_CHANCE_SCREENSHOTS") or tmp_path)


def test_the_lobby_shows_the_code_the_qr_code_and_who_has_joined(served: Served, browser, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    story = next(e.scenario for e in library.gather(builtin=True)[0] if e.scenario and e.scenario.id == "first-coffee")
    served.call(lambda: served.server.show_lobby(story))
    page, asked = projector(browser, served.server.room_url)
    expect(page.get_by_role("heading", name=story.title)).to_be_visible()
    expect(page.locator("#flow")).to_contain_text(" · ".join(story.content_notes))
    expect(page.locator(".code")).to_have_text(served.server.code)
    qr = page.get_by_role("img", name="A QR code: point your phone's camera at it to join the vote.")
    expect(qr).to_be_visible()
    page.wait_for_function("() => document.querySelector('.qr').naturalWidth > 0")
    assert qr.bounding_box()["width"] >= 250  # large enough to scan from a few rows back
    expect(page.locator("#joined")).to_have_text("0 phones joined")
    for part in (".qr", ".code", "#joined"):  # the way in, together at the left of the first page
        box = page.locator(part).bounding_box()
        assert box["x"] + box["width"] <= 1280 / 2 and box["y"] + box["height"] <= 720, part
    phone = browser.new_page()
    phone.goto(served.server.url)
    expect(page.locator("#joined")).to_have_text("1 phone joined")  # live, as the room joins
    assert all(url.startswith(served.server.room_url.split("/room")[0]) for url in asked)
    page.screenshot(path=str(shots(tmp_path) / "room-display-lobby.png"))
    phone.close()
    page.close()


def longest(scenario: Scenario) -> Scene:
    """The scene with the most words to show: its text (or longest variant), its messages and its options."""
    def size(scene: Scene) -> int:
        return (max([len(scene.text), *(len(v.text) for v in scene.variants)]) + sum(len(m.text) for m in
                scene.messages) + sum(len(c.text) for c in scene.choices))
    return max(scenario.scenes.values(), key=size)


def at_scene(scenario: Scenario, scene: Scene) -> Workshop:
    """A workshop of `scenario` whose room is in front of `scene`, its vote revealed (bars and the outcome)."""
    workshop = Workshop(scenario, ["Red", "Blue"], seed=3)
    workshop.teams[0].session = Session.restore({"main": Playthrough.begin_at(scenario, scene.id)}, "main")
    workshop.begin()
    for n, index in enumerate(workshop.round.votable):
        workshop.set_hands(index, 3 + n)
    workshop.reveal()
    return workshop


def test_every_built_in_storys_longest_scene_is_readable_without_scrolling(served: Served, browser,
                                                                            tmp_path: Path) -> None:
    folder = shots(tmp_path)
    entries, _ = library.gather(builtin=True)
    stories = [e.scenario for e in entries if e.scenario is not None]
    page, _ = projector(browser, served.server.room_url)
    for scenario in stories:
        scene = longest(scenario)
        workshop = served.call(lambda s=scenario, c=scene: at_scene(s, c))
        served.call(lambda w=workshop: served.server.attach(w))
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_function("(heading) => document.querySelector('#where').textContent.includes(heading)",
                                   arg=scene_heading(scenario, scene.id))
            page.wait_for_function("() => document.querySelector('#room').dataset.phase === 'revealed'")
            shown = page.evaluate(MEASURE, MIN_TEXT * width / 1280)
            where = f"{scenario.id} at {width}x{height}, scene `{scene.id}`"
            assert shown["font"] >= MIN_TEXT * width / 1280 - 0.5, where
            assert shown["small"] == [] and shown["overflow"] == [], (where, shown)
            assert shown["scroll"] == [0, 0], where
            if scenario.id == "first-coffee":
                page.screenshot(path=str(folder / f"room-display-{width}x{height}.png"))
    page.close()
    assert 10_000 < (folder / "room-display-1280x720.png").stat().st_size < 200_000


def test_a_scene_longer_than_the_screen_pages_on_the_facilitators_key(served: Served, browser) -> None:
    from playwright.sync_api import expect

    text = "\n\n".join(f"Paragraph {n}: " + "the evening goes on, and on, and the phone stays dark. " * 4
                        for n in range(1, 13))  # a scene much longer than one screen
    scenario = load_text(VOTE_STORY.replace('text = "Your phone lights up."', f'text = """{text}"""'), "long.toml",
                         catalog={})
    workshop = served.call(lambda: Workshop(scenario, seed=3))
    served.call(lambda: (served.server.attach(workshop), workshop.begin()))
    page, _ = projector(browser, served.server.room_url)
    expect(page.locator("#pageno")).to_have_text(re.compile(r"Page 1 of [2-9]"))
    pages = int(page.locator("#pageno").inner_text().split(" of ")[1])
    for _ in range(50):
        if served.server.pages == pages:
            break
        page.wait_for_timeout(20)
    assert served.server.pages == pages  # the console can say "page 1 of 3"
    last = page.locator("#flow > *").last
    assert last.bounding_box()["x"] > 1280  # on a later page, not clipped or scrolled to
    served.call(lambda: workshop.turn_page(pages - 1))
    expect(page.locator("#pageno")).to_have_text(f"Page {pages} of {pages}")
    box = last.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 1280
    assert page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]") \
        == [1280, 720]
    page.close()


def test_the_room_display_and_the_phone_page_meet_wcag_21_aa_and_7_to_1_contrast(served: Served, browser) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    workshop = Workshop(vote_story(), ["Red", "Blue"], seed=3)
    served.call(lambda: served.server.show_lobby(vote_story()))
    page, _ = projector(browser, served.server.room_url)
    phone = browser.new_page()
    phone.goto(served.server.url)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("the lobby", lambda: None),
        ("a revealed vote", lambda: (served.server.attach(workshop), workshop.begin(), workshop.set_hands(0, 2),
                                     workshop.set_hands(1, 1), workshop.reveal())),
        ("a result card", workshop.decide),
        ("an ending with help", lambda: (workshop.show(), workshop.set_hands(1, 1), workshop.reveal(),
                                         workshop.decide(), workshop.show())),
        ("the debrief", lambda: workshop.show_debrief(2)),
    ]
    for name, step in steps:
        served.call(step)
        page.wait_for_function("(stage) => document.querySelector('#room').dataset.stage === stage",
                               arg={"the lobby": "lobby", "a revealed vote": "scene", "a result card": "card",
                                    "an ending with help": "ending", "the debrief": "debrief"}[name])
        for target in (page, phone) if name in ("the lobby", "a revealed vote") else (page,):
            results = axe.run(target, options=AXE)
            assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    page.close()
    phone.close()


UNBROKEN = """() => {
  const split = [];
  for (const node of document.querySelectorAll('#flow li, #flow h2')) {
    const parts = node.getClientRects();
    const next = node.tagName === 'H2' ? node.nextElementSibling?.getClientRects()[0] : null;
    const apart = next && (next.left >= parts[0].right || next.right <= parts[0].left);  // another column
    if (parts.length > 1 || apart) split.push(node.textContent.slice(0, 40));
  }
  return split;
}"""
"""The lobby's list items cut across two columns, and headings left at a column's foot without what they head."""


def test_the_lobbys_ground_rules_never_run_on_into_the_next_column(served: Served, browser) -> None:
    rules = "\n".join(f"Rule {n}: " + "we listen to each other and keep what we hear to ourselves. " * (1 + n % 3)
                      for n in range(1, 8))  # a facilitator's own rules, longer than the room's three columns
    served.call(lambda: served.server.show_lobby(vote_story(), rules))
    page, _ = projector(browser, served.server.room_url)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function("() => document.querySelector('#flow').textContent.includes('Rule 7')")
        assert page.evaluate(UNBROKEN) == [], f"at {width}x{height}"
    page.close()


def test_every_vote_bar_in_a_list_is_as_wide_as_the_others(served: Served, browser) -> None:
    """One vote's bar is a twelfth of twelve votes' bar, whatever the counts' words leave beside them."""
    workshop = Workshop(vote_story(), ["Red"], seed=3)
    served.call(lambda: (served.server.attach(workshop), workshop.begin(), workshop.set_hands(0, 1),
                         workshop.set_hands(1, 12), workshop.reveal()))
    page, _ = projector(browser, served.server.room_url)
    page.wait_for_function("() => document.querySelector('#room').dataset.phase === 'revealed'")
    tracks = page.evaluate("() => Array.from(document.querySelectorAll('.bar-track'), b => b.clientWidth)")
    fills = page.evaluate("() => Array.from(document.querySelectorAll('.bar-fill'), b => b.clientWidth)")
    assert len(tracks) >= 2 and len(set(tracks)) == 1 and tracks[0] > 0, tracks
    assert abs(fills[1] - 12 * fills[0]) <= 12, fills
    assert page.locator("#join").inner_text() == f"The room chose 2: “Reply <b>at once</b> & loudly.” · code " \
        f"{served.server.code}"  # what it decided, and the code for latecomers
    page.close()


@pytest.mark.parametrize("phones", [True, False], ids=["phones", "hands"])
def test_every_play_side_by_side_puts_two_plays_a_page_and_never_splits_one_across_columns(phones: bool, browser,
                                                                                          tmp_path: Path) -> None:
    """A built-in story played twice (forum theatre), each play longer than the screen: at both projector
    sizes, page 1 holds plays 1 and 2 next to each other, every box ends above the footer, and a play's
    rest goes on in its own place on page 2, and page 2 is counted (at 1920x1080 play 1's rest is one column
    of the two: half a page). Without phones the footer has nothing to say until the plays are cut into
    pages, so the page is open before the plays are shown side by side."""
    from playwright.sync_api import expect

    scenario = next(e.scenario for e in library.gather(builtin=True, folders=[])[0]
                    if e.scenario is not None and e.scenario.id == "happy-birthday")

    def play_on(workshop: Workshop, pick: int) -> None:
        while not workshop.play.is_over:
            votable = workshop.round.votable
            workshop.set_hands(votable[pick % len(votable)], 1)
            workshop.reveal()
            workshop.decide()
            workshop.show()

    def played() -> Workshop:
        workshop = Workshop(scenario, seed=3)
        workshop.begin()
        play_on(workshop, 0)
        workshop.branch(0, "Sent it")
        play_on(workshop, 1)
        if phones:
            workshop.show_compare()
        return workshop

    served = Served(debounce=0.0, phones=phones)
    try:
        workshop = served.call(played)
        served.call(lambda: served.server.attach(workshop))
        for width, height in SIZES:
            page, _ = projector(browser, served.server.room_url, (width, height))
            if not phones and width == SIZES[0][0]:
                expect(page.locator("#flow h1")).to_contain_text("Ending")
                served.call(workshop.show_compare)
            expect(page.locator("#pageno")).to_have_text("Page 1 of 2")
            boxes = [(b.locator("h2").inner_text(), b.bounding_box()) for b in page.locator("#flow > .play").all()]
            foot = page.locator("footer").bounding_box()
            (first, one), (second, two) = boxes[:2]
            assert first.startswith("1. ") and second.startswith("2. The room, Sent it"), (width, boxes)
            assert one["x"] + one["width"] <= width / 2 < two["x"] and two["x"] + two["width"] <= width
            assert all(box["y"] + box["height"] <= foot["y"] + 1 for _, box in boxes), (width, foot, boxes)
            assert any(title.endswith("(continued)") and box["x"] >= width for title, box in boxes)
            assert all(box["x"] + box["width"] <= 2 * width for _, box in boxes), (width, boxes)  # none past page 2
            page.screenshot(path=str(shots(tmp_path) / f"compare-{width}x{height}.png"))
            page.close()
    finally:
        served.close()
