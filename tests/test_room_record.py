"""What the record of a room's decisions keeps, and what every view of it may show: the room's ideas under the
vote they were asked at, a scene skipped before the room saw it, the branch in "what the room sees", and the
date a rebuilt handout carries. All through the core, with no screen.
"""

from __future__ import annotations

import json

from game.loader import load_text
from game.workshop import blocks, handout, takehome, view
from game.workshop import log as logs
from game.workshop.report import UNSEEN, build
from game.workshop.room import Workshop
from game.workshop.words import room_sees
from tests.helpers import ROOM


def scenario():
    return load_text(ROOM, "room.toml", catalog={})


def everything(room: Workshop) -> str:
    """Every view and handout the room may read of this workshop, as one text."""
    report = build(room)
    parts = [handout.markdown(report), handout.html_page(report), takehome.markdown(report),
             takehome.html_page(report), json.dumps(blocks.compare(report), ensure_ascii=False),
             json.dumps(logs.handout_json(room), ensure_ascii=False)]
    parts += [json.dumps(blocks.debrief(report, section), ensure_ascii=False) for section in range(1, 9)]
    return "\n".join(parts)


def test_ideas_stay_under_the_vote_they_were_asked_at_not_a_branchs_vote_at_that_step() -> None:
    room = Workshop(scenario(), ["Red"], seed=5)
    room.begin()
    asked = room.ask(0)  # "Something else?" at Red's decision 1
    room.show_idea(room.send_idea(asked.id, "phone-one-" + "x" * 10, "Ring a friend first").id)
    room.close_overlay()
    room.set_hands(0, 3)
    room.reveal()
    room.decide()
    assert view.room(room)["ideas"] == ["Ring a friend first"]  # on its own result card
    room.show()
    branch = room.branch(0, "Quick")  # forum theatre: decision 1 again, a vote of its own
    assert "branch “Quick”" in room.questions()[0].where and room.ask(0).id != asked.id  # a new question
    room.close_overlay()
    room.set_hands(1, 2)
    room.reveal()
    room.decide()
    assert view.room(room)["ideas"] == []  # the branch's card: not the first vote's ideas
    main, quick = build(room).lines
    assert (quick.branch, main.moments[0].ideas, quick.moments[0].ideas) == (branch, ("Ring a friend first",), ())
    again, _ = logs.from_json(json.loads(logs.dumps(room)), scenario())
    assert [m.ideas for line in build(again).lines for m in line.moments[:1]] == [("Ring a friend first",), ()]


def test_a_scene_skipped_before_the_room_saw_it_shows_none_of_its_words_anywhere() -> None:
    room = Workshop(scenario(), ["Red", "Blue"], seed=5)
    room.begin()
    room.set_hands(0, 3)
    room.reveal()
    room.decide()
    room.skip(1)  # Red's "Later", from the card, before anyone saw it: the story takes "Leave it there."
    assert not room.teams[0].record[1].seen and room_sees(room) == "that decision 2 (Red) was skipped"
    room.show()  # Red's ending
    text = everything(room)
    assert "Leave it there" not in text and "Later" not in text and UNSEEN in text
    room.go_on()
    room.skip(0)  # Blue's first scene, in front of the room: it saw the options, so the words may show
    assert room.teams[1].record[0].seen
    assert "“Answer kindly.”" in handout.markdown(build(room))
    again, _ = logs.from_json(json.loads(logs.dumps(room)), scenario())  # the log keeps which was seen
    assert "Leave it there" not in everything(again)
    old = json.loads(logs.dumps(room))
    for decision in old["teams"][0]["branches"][0]["decisions"]:
        del decision["seen"]  # a log from before this was kept: a skip may not have been seen, so no words
    before, _ = logs.from_json(old, scenario())
    assert "Leave it there" not in everything(before)


def test_what_the_room_sees_names_the_branch() -> None:
    room = Workshop(scenario(), ["Red", "Blue"], seed=5)
    room.begin()
    room.set_hands(0, 3)
    room.reveal()
    room.decide()
    room.show()
    room.branch(0, "Quick")
    assert room_sees(room) == "Decision 1 (Red, branch “Quick”), Evening (discussion)"
    room.set_hands(1, 2)
    room.reveal()
    room.decide()
    assert room_sees(room) == "the result of decision 1 (Red, branch “Quick”)"


def test_a_handout_numbers_nothing_the_room_never_saw_and_links_nothing_an_idea_says() -> None:
    from markdown_it import MarkdownIt

    room = Workshop(scenario(), ["Red"], seed=5)
    room.begin()
    first = room.ask(0)  # "Something else?": its only idea is hidden
    room.hide_idea(room.send_idea(first.id, "phone-zero-" + "x" * 9, "Something unkind").id)
    room.close_overlay()
    asked = room.ask(len(room.questions()) - 1)  # the step-out question
    sent = [room.send_idea(asked.id, f"phone-{n}-" + "x" * 12, words) for n, words in enumerate(
        ("Be kind to yourself", "Another unkind one", "See http://evil.example, www.evil.example or me@evil.example"))]
    for idea, state in zip(sent, ("show", "hide", "show"), strict=True):
        (room.show_idea if state == "show" else room.hide_idea)(idea.id)
    room.close_overlay()
    kept = logs.handout_json(room)["ideas"]
    assert [(i["id"], i["question"]) for i in kept["ideas"]] == [(1, 1), (2, 1)]  # no gap tells of a hidden one
    assert [q["id"] for q in kept["questions"]] == [1] and "unkind" not in json.dumps(kept)
    page = MarkdownIt("gfm-like").render(handout.markdown(build(room)))
    assert "http://evil.example" in page and "www.evil.example" in page and "<a " not in page
