"""The room's own voice with no screen: questions and ideas, predictions, the moves they need, their log, their
words in the debrief and handouts, and ideas sent from phones through the real server with a vote's checks.

The workshop's server runs on 127.0.0.1 (a free port) in the test's event loop, as in
tests/test_vote_server.py, whose phones these tests reuse. Clocks are the tests' own, so the limit on how often a
phone sends an idea is checked without waiting.
"""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest

from game import library
from game.analysis.budget import Budget
from game.analysis.explore import explore
from game.analysis.reach import endings_from
from game.engine import initial_state
from game.loader import load_scenario, load_text
from game.web.server import WorkshopServer
from game.workshop import blocks, handout, ideas, takehome, view
from game.workshop import log as logs
from game.workshop import report as reports
from game.workshop.ideas import CLOSED, ELSE_NOTE, HIDDEN, NEW, SHOWN, IdeaError, clean
from game.workshop.moves import Move, allowed, offers_predict
from game.workshop.room import Workshop, WorkshopError
from game.workshop.shown import IDEAS, PREDICT
from game.workshop.votes import VoteError
from tests.helpers import ROOM
from tests.test_vote_server import WAIT, Phone, opened, token
from tests.test_workshop import ATTEMPTS, BEGUN, DECIDED, ENDED, STATES, built

TOKENS = [f"phone-{n:02d}-" + "x" * 16 for n in range(9)]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def room(clock: Clock | None = None, **options) -> Workshop:
    workshop = Workshop(load_text(ROOM, "room.toml", catalog={}), ["Red", "Blue"], seed=5, **options)
    workshop.ideas.clock = clock or Clock()
    workshop.begin()
    return workshop


def texts(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


# -- ideas: cleaned, limited, shown only when the facilitator shows them --------------------------------


@pytest.mark.parametrize(("sent", "kept"), [
    ("  Call a friend\n first  ", "Call a friend first"),
    ("Tab\there\r\nand there", "Tab here and there"),
    ("rea\u202edaer", "readaer"),  # a bidi override is removed, as from story text
    ("é" * 200, "é" * 200),
    ("<b>bold</b> & [link](x)", "<b>bold</b> & [link](x)"),  # plain text: the pages and handouts escape it
    ("Z" + "".join(map(chr, range(0x301, 0x363))), "Z\u0301\u0302\u0303\u0304"),  # a hundred accents: four stay
    ("Tie\u0302\u0301ng Vie\u0323\u0302t", "Tie\u0302\u0301ng Vie\u0323\u0302t"),  # a script's own marks stay
    ("a\ufeffb\ufff9c\ufffbd\u200be\u00adf", "abcdef"),  # invisible format characters go
    *[(kept, kept) for kept in ("👨\u200d👩\u200d👧 and 🏴\U000e0067\U000e0062\U000e007f",)],  # joiners and tags stay
])
def test_an_idea_is_cleaned_as_story_text_is(sent: str, kept: str) -> None:
    assert clean(sent) == kept


@pytest.mark.parametrize(("sent", "why"), [
    ("", "Write your idea first"), ("   \n ", "Write your idea first"), (None, "Write your idea first"),
    *[(filler, "Write your idea first") for filler in ("\u3164\u3164\u3164", "\u2800\u2800", "\u115f\u1160 \uffa0",
                                                       "\u200b\u2060\ufe0f\U000e0041")],  # draws nothing
    ("x" * 201, "at most 200 characters; this one has 201"),
    ("bad \x1b[31m red", "cannot be shown"), ("nul \x00", "cannot be shown"), ("csi \x9b2J", "cannot be shown"),
])
def test_an_idea_that_cannot_be_shown_is_refused_with_a_sentence(sent: object, why: str) -> None:
    with pytest.raises(IdeaError, match=why.replace("(", r"\(")):
        clean(sent)  # type: ignore[arg-type]


def test_a_question_goes_up_and_the_room_sees_an_idea_only_once_it_is_shown() -> None:
    workshop = room()
    offered = workshop.questions()
    assert [q.kind for q in offered] == ["else", "prompt", "prompt", "stepout"]
    assert [q.where for q in offered[:2]] == ["Decision 1 (Red): Evening", "Evening"]
    asked = workshop.ask(0)
    assert workshop.shown.overlay == IDEAS and workshop.asking == asked
    phone_a = workshop.send_idea(asked.id, TOKENS[0], "Ring a friend first")
    workshop.add_idea("Go for a walk")  # said aloud, typed in: the facilitator's own choice, so shown
    shown = view.room(workshop)
    phone = view.phone(shown)
    assert shown["ideas"] == ["Go for a walk"] and shown["sent"] == 2 and phone["ask"]["ideas"] == ["Go for a walk"]
    assert "Ring a friend" not in texts(shown) + texts(phone)  # new: the console sees it, the room does not
    assert phone["phase"] == "ideas" and phone["ask"]["question"] == ideas.ELSE_TEXT
    workshop.show_idea(phone_a.id)
    assert view.room(workshop)["ideas"] == ["Ring a friend first", "Go for a walk"]
    workshop.hide_idea(phone_a.id)
    assert "Ring a friend" not in texts(view.room(workshop)) and phone_a.state == HIDDEN
    workshop.close_overlay()  # taken down: the question closes, its ideas stay
    with pytest.raises(IdeaError, match=CLOSED):
        workshop.send_idea(asked.id, TOKENS[1], "Too late")
    assert workshop.ask(0).id == asked.id and len(workshop.ideas.of(asked.id)) == 2  # asked again: they come back
    for act in (lambda: workshop.show_idea(99), lambda: workshop.ask(9)):
        with pytest.raises(WorkshopError):
            act()


def test_one_phone_sends_a_few_ideas_a_question_and_one_at_a_time(monkeypatch) -> None:
    clock = Clock()
    workshop = room(clock)
    asked = workshop.ask(3)  # the step-out question
    for n in range(ideas.PER_PHONE):
        workshop.send_idea(asked.id, TOKENS[0], f"Idea {n}")
        if n < ideas.PER_PHONE - 1:
            with pytest.raises(IdeaError, match="wait a moment"):
                workshop.send_idea(asked.id, TOKENS[0], "A flood")
        clock.now += ideas.GAP
    with pytest.raises(IdeaError, match="the most one phone can send"):
        workshop.send_idea(asked.id, TOKENS[0], "One more")
    assert workshop.ideas.left(asked.id, TOKENS[0]) == 0 and workshop.ideas.left(asked.id, TOKENS[1]) == 3
    for act in (lambda: workshop.send_idea(asked.id + 1, TOKENS[1], "Another question"),
                lambda: workshop.send_idea(asked.id, TOKENS[1], "bad \x07 bell")):
        with pytest.raises(IdeaError):
            act()
    monkeypatch.setattr(ideas, "MAX_PER_QUESTION", 4)
    workshop.send_idea(asked.id, TOKENS[1], "The fourth")
    with pytest.raises(IdeaError, match="all the ideas it can take"):
        workshop.send_idea(asked.id, TOKENS[2], "The fifth")
    assert [i.state for i in workshop.ideas.ideas] == [NEW] * 4


# -- the moves table, with the room's voice -----------------------------------------------------------------

VOICE = {
    Move.ASK: lambda w: w.ask(0),
    Move.ADD_IDEA: lambda w: w.add_idea("Said aloud"),
    Move.MODERATE: lambda w: w.show_idea(w.ideas.ideas[0].id if w.ideas.ideas else 1),
    Move.PREDICT: lambda w: w.predict(),
    Move.PREDICT_COUNT: lambda w: w.predict_hands(0, 2),
    Move.PREDICT_REVEAL: lambda w: w.reveal_prediction(),
}
ASKED = [*BEGUN, lambda w: w.ask(0)]
PREDICTING = [*BEGUN, lambda w: w.predict()]
VOICE_STATES = {
    **STATES,
    "a question in front of the room": ({}, ASKED),
    "a question with an idea": ({}, [*ASKED, lambda w: w.send_idea(w.ideas.current, TOKENS[0], "An idea")]),
    "an idea kept after its question came down": ({}, [*ASKED, lambda w: w.add_idea("Kept"), lambda w:
                                                        w.close_overlay()]),
    "the step-out question over the debrief": ({}, [*ENDED, lambda w: w.show_debrief(7), lambda w: w.ask(0)]),
    "a prediction taking votes": ({}, PREDICTING),
    "a prediction revealed": ({}, [*PREDICTING, lambda w: w.predict_hands(1, 1), lambda w: w.reveal_prediction()]),
    "a play whose prediction is in": ({}, [*PREDICTING, lambda w: w.predict_hands(1, 1), lambda w:
                                           w.reveal_prediction(), lambda w: w.close_overlay()]),
    "a prediction nobody voted in, revealed and put down": ({}, [*PREDICTING, lambda w: w.reveal_prediction(),
                                                                 lambda w: w.close_overlay()]),
    "a prediction put down before its reveal": ({}, [*PREDICTING, lambda w: w.close_overlay()]),
    "a card, a prediction in": ({}, [*PREDICTING, lambda w: w.predict_hands(1, 1), lambda w: w.reveal_prediction(),
                                     lambda w: w.close_overlay(), *DECIDED[1:]]),
}


@pytest.mark.parametrize("state", list(VOICE_STATES))
def test_every_move_of_the_rooms_voice_is_allowed_exactly_when_the_workshop_takes_it(state: str) -> None:
    settings, script = VOICE_STATES[state]
    allowed = built(settings, script).moves()
    for move, attempt in {**ATTEMPTS, **VOICE}.items():
        workshop = built(settings, script)
        try:
            attempt(workshop)
            took = True
        except (WorkshopError, VoteError):
            took = False
        assert took == (move in allowed), f"{state}: {move.value} is {'' if move in allowed else 'not '}allowed"


# -- predictions ---------------------------------------------------------------------------------------------

FORK = ROOM.replace('''[[scenes.second.choices]]
text = "Leave it there."
goto = "apart"''', '''[[scenes.second.choices]]
text = "Leave it there."
goto = "apart"

[[scenes.first.choices]]
text = "Block their number."
goto = "alone"

[scenes.alone]
title = "Alone"
text = "The phone stays dark."

[[scenes.alone.choices]]
text = "Go to bed."
goto = "hard"

[endings.hard]
title = "Dark Morning"
tone = "hard"
outcome = "apart"
text = "Nothing comes."''')


def test_a_prediction_offers_the_tones_still_in_reach_and_is_set_beside_the_ending() -> None:
    workshop = Workshop(load_text(FORK, "fork.toml", catalog={}), ["Red"], seed=5)
    workshop.begin()
    assert workshop.predict().tones == ("hopeful", "warm", "hard")  # from the start: every ending
    workshop.predict_hands(2, 1)
    workshop.close_overlay()  # put down before its reveal: it waits, counts and all
    assert workshop.predict().counts == {0: 0, 1: 0, 2: 1}
    workshop.close_overlay()
    workshop.set_hands(4, 1)  # "Block their number."
    workshop.reveal()
    workshop.decide()
    workshop.show()
    prediction = workshop.predict()
    assert prediction.tones == ("hard",) and prediction.step == 1  # the only tone left in reach
    workshop.close_overlay()
    workshop.branch(0, "Kinder")
    prediction = workshop.predict()
    assert prediction.tones == ("hopeful", "warm", "hard") and workshop.shown.overlay == PREDICT
    workshop.predict_hands(0, 2)
    workshop.ballot(prediction.id, TOKENS[0], 0)
    workshop.ballot(prediction.id, TOKENS[1], 1)
    workshop.ballot(prediction.id, TOKENS[1], 2)  # a phone changes its mind, as on a decision
    assert view.room(workshop)["tally"] is None and view.room(workshop)["votes"] == 4
    assert view.phone(view.room(workshop))["options"][2]["text"] == "hard"
    assert workshop.ballot_of(prediction.id, TOKENS[1]) == 2
    workshop.reveal_prediction()
    assert prediction.ballots == {} and prediction.phones == {0: 1, 2: 1}  # counts kept, phones forgotten
    assert view.room(workshop)["outcome"] == "The room expects hopeful (3 of 4 votes)."
    with pytest.raises(VoteError):
        workshop.ballot(prediction.id, TOKENS[2], 0)
    workshop.close_overlay()
    assert offers_predict(workshop) and Move.PREDICT not in allowed(workshop)  # offered, to say why not
    with pytest.raises(WorkshopError, match="once per play"):
        workshop.predict()
    workshop.set_hands(0, 1)  # "Answer kindly.", then "Leave it there.": a warm ending
    workshop.reveal()
    workshop.decide()
    workshop.show()
    workshop.set_hands(1, 1)
    workshop.reveal()
    workshop.decide()
    workshop.show()
    said = "The room expected hopeful; it ended warm."
    assert view.room(workshop)["expected"] == said and view.phone(view.room(workshop))["expected"] == said
    report = reports.build(workshop)
    assert [line.prediction is not None for line in report.lines] == [False, True]
    assert blocks.compare(report)["plays"][1]["expected"] == said
    for page in (handout.markdown(report), handout.html_page(report), takehome.markdown(report),
                 takehome.html_page(report)):
        assert said in page


def test_a_prediction_nobody_voted_in_is_shown_but_does_not_use_up_the_plays_one_prediction() -> None:
    workshop = Workshop(load_text(FORK, "fork.toml", catalog={}), ["Red"], seed=5)
    assert not offers_predict(workshop)
    workshop.begin()
    assert offers_predict(workshop)
    workshop.predict()
    assert not offers_predict(workshop)  # the prediction is up: X is not offered over it
    workshop.reveal_prediction()  # a slip: R before the hands were counted
    assert view.room(workshop)["outcome"] == "Nobody predicted how it ends." and not workshop.predicted
    workshop.close_overlay()
    again = workshop.predict()  # the room is asked again, from nothing
    assert not again.revealed and again.total == 0
    workshop.predict_hands(0, 3)
    workshop.reveal_prediction()
    assert workshop.predicted and workshop.prediction_of(0, "main") is again
    workshop.close_overlay()
    assert offers_predict(workshop) and Move.PREDICT not in allowed(workshop)  # offered, to say why not
    with pytest.raises(WorkshopError, match="once per play"):
        workshop.predict()


def test_a_reach_is_the_explorations_own_and_a_large_story_offers_every_tone() -> None:
    for name in ("last-call", "the-good-days", "first-coffee"):
        scenario = load_scenario(library.find(name))
        walk = explore(scenario)
        reach = endings_from(scenario, initial_state(scenario))
        assert reach.exhaustive and set(reach.endings) == set(scenario.endings) & walk.places, name
    scenario = load_scenario(library.find("thirty-days"))
    cut = endings_from(scenario, initial_state(scenario), Budget(states=50))
    assert not cut.exhaustive and cut.states <= 50


# -- the log: every idea with its state, and the predictions; a damaged entry is left out ------------------


def spoken(tmp_path: Path) -> tuple[Workshop, Path]:
    workshop = room()
    asked = workshop.ask(0)
    for n, (words, state) in enumerate((("Shown one", SHOWN), ("Hidden one", HIDDEN), ("New one", NEW))):
        idea = workshop.send_idea(asked.id, TOKENS[n], words)
        if state != NEW:
            (workshop.show_idea if state == SHOWN else workshop.hide_idea)(idea.id)
    workshop.close_overlay()
    workshop.predict()
    workshop.predict_hands(1, 3)
    workshop.reveal_prediction()
    workshop.close_overlay()
    store = logs.LogStore(workshop, tmp_path / "voice.json")
    store.save()
    return workshop, store.path


def test_a_resumed_workshop_has_every_idea_with_its_state_and_its_predictions(tmp_path: Path) -> None:
    workshop, path = spoken(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert not any(t in text for t in TOKENS)  # nothing that identifies a phone
    again, notes, problem = logs.resume(path, workshop.scenario)
    assert problem is None and notes == [] and again is not None
    assert [(i.text, i.state) for i in again.ideas.ideas] == [("Shown one", SHOWN), ("Hidden one", HIDDEN),
                                                             ("New one", NEW)]
    assert again.prediction_of(0, "main").counts == {0: 0, 1: 3} and again.predicted
    assert again.ask(0).id == 1 and len(again.ideas.of(1)) == 3  # the question asked again: its ideas are back
    shared = logs.handout_json(workshop)
    assert [i["text"] for i in shared["ideas"]["ideas"]] == ["Shown one"]  # a handout holds the shown ones only


DAMAGE = [
    ("ideas", "a string", "ideas from the room are damaged"),
    ("ideas", {"questions": [{"id": 1, "kind": "shout", "text": "?"}], "ideas": []}, "question 1"),
    ("ideas", {"questions": [{"id": 1, "kind": "else", "text": "?", "team": 7}], "ideas": []}, "question 1"),
    ("ideas", {"questions": [{"id": 1, "kind": "else", "text": "?", "path": [[1, "x"]]}], "ideas": []},
     "question 1"),
    ("idea", {"id": 4, "question": 1, "text": "bad \x1b]0;owned\x07", "state": "shown"}, "idea 4"),
    ("idea", {"id": 4, "question": 99, "text": "Lost", "state": "shown"}, "idea 4"),
    ("idea", {"id": 4, "question": 1, "text": "x" * 500, "state": "shown"}, "idea 4"),
    ("idea", {"id": 1, "question": 1, "text": "Twice", "state": "shown"}, "idea 4"),
    ("idea", {"id": 4, "question": 1, "text": "Odd", "state": "famous"}, "idea 4"),
    ("idea", ["not", "a", "table"], "idea 4"),
    ("predictions", {"team": 0}, "predictions are damaged"),
    ("predictions", [{"team": True, "branch": "main", "tones": ["hopeful"]}], "prediction 1"),
    ("predictions", [{"team": 0, "branch": "nowhere", "tones": ["hopeful"]}], "prediction 1"),
    ("predictions", [{"team": 0, "branch": "main", "tones": ["joyful"]}], "prediction 1"),
    ("predictions", [{"team": 0, "branch": "main", "tones": ["hopeful"], "hands": {"3": 1}}], "prediction 1"),
]


@pytest.mark.parametrize(("field", "value", "note"), DAMAGE, ids=[f"{f}-{n}" for n, (f, _, _) in enumerate(DAMAGE)])
def test_a_damaged_idea_or_prediction_in_the_log_is_left_out_and_the_workshop_resumes(
        tmp_path: Path, field: str, value: object, note: str) -> None:
    workshop, path = spoken(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if field == "idea":
        data["ideas"]["ideas"].append(value)
    else:
        data[field] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    again, notes, problem = logs.resume(path, workshop.scenario)
    assert problem is None and again is not None and any(note in n for n in notes), notes
    assert path.exists() and again.teams[0].play.path == workshop.teams[0].play.path


# -- what the debrief and the handouts say ----------------------------------------------------------------------


def test_shown_ideas_go_beside_the_split_and_the_story_says_it_could_not_play_them() -> None:
    workshop = room()
    workshop.ask(0)  # something else? at decision 1
    workshop.add_idea("Phone their sister")
    hidden = workshop.send_idea(workshop.ideas.current, TOKENS[0], "Something unkind")
    workshop.hide_idea(hidden.id)
    workshop.send_idea(workshop.ideas.current, TOKENS[1], "Never moderated")
    workshop.close_overlay()
    workshop.ask(1)  # the scene's question for the room
    workshop.add_idea("That they still care")
    workshop.close_overlay()
    workshop.set_hands(0, 2)
    workshop.reveal()
    workshop.decide()
    assert view.room(workshop)["ideas"] == ["Phone their sister"] and view.room(workshop)["note"] == ELSE_NOTE
    workshop.show()
    workshop.show_debrief(7)
    workshop.ask(0)
    workshop.add_idea("Be kind to yourself")
    workshop.add_idea("<b>Shout</b> [here](javascript:alert(1))")  # a stranger's words: inert in every handout
    report = reports.build(workshop)
    assert report.lines[0].moments[0].ideas == ("Phone their sister",)
    path = texts(blocks.debrief(report, 2))
    assert ELSE_NOTE in path and "“Phone their sister”" in path
    assert "From the room: “That they still care”" in texts(blocks.debrief(report, 6))
    assert "“Be kind to yourself”" in texts(blocks.debrief(report, 7))
    pages = [handout.markdown(report), handout.html_page(report), takehome.markdown(report),
             takehome.html_page(report)]
    for page in pages:
        for shown in ("Phone their sister", "That they still care", "Be kind to yourself", "could not play"):
            assert shown in page
        assert "Something unkind" not in page and "Never moderated" not in page
        if page.startswith("<!DOCTYPE"):  # a stranger's markup, shown as text: no element, no link
            assert "<b>Shout</b>" not in page and "&lt;b&gt;Shout&lt;/b&gt;" in page
        else:
            assert "[here](javascript" not in page and "\\<b\\>Shout" in page


# -- ideas from phones, through the server, with the checks of a vote -----------------------------------------


async def answer(phone: Phone) -> dict:
    """A phone's next answer to an idea: taken, or refused."""
    while (data := await phone.next())["type"] not in ("idea-ack", "error"):
        pass
    return data


async def until(ws: aiohttp.ClientWebSocketResponse, test) -> dict:
    """Read a room display's states until one passes `test`; the ones before it are returned under "before"."""
    before = []
    while True:
        state = json.loads((await ws.receive(timeout=WAIT)).data)
        if state["type"] == "state" and test(state):
            return {**state, "before": before}
        before.append(state)


async def test_a_phones_idea_passes_a_votes_checks_and_reaches_the_room_display_once_shown() -> None:
    server, here, http = await opened(votes_per_second=50)
    try:
        workshop = here.workshop
        workshop.ideas.clock = Clock()
        workshop.begin()
        display = await http.ws_connect(f"{here.origin}/room/ws?key={server.key}", origin=here.origin)
        stranger = await here.phone()  # no hello yet: no token, no idea
        await stranger.ws.send_json({"type": "idea", "question": 1, "text": "Hi"})
        assert (await stranger.next("error"))["message"] == "That idea was not understood: try sending it again."
        phone = await here.phone(1)
        await phone.ws.send_json({"type": "idea", "question": 1, "text": "Too soon"})
        assert (await phone.next("error"))["message"] == CLOSED
        asked = workshop.ask(0)
        for text, why in (("x" * 201, "at most 200"), ("\x1b[2J", "cannot be shown"), ("", "Write your idea"),
                          ("\ud800", "cannot be shown")):  # JSON spells a lone surrogate; no log could keep it
            await phone.ws.send_json({"type": "idea", "question": asked.id, "text": text})
            refused = await phone.next("error")
            assert why in refused["message"] and refused["idea"] is True
        for bad in ({"type": "idea", "question": "1", "text": "x"}, {"type": "idea", "question": True, "text": "x"},
                    {"type": "idea", "question": asked.id, "text": ["x"]}):
            await phone.ws.send_json(bad)
            assert (await phone.next("error"))["idea"] is True
        await phone.ws.send_json({"type": "idea", "question": asked.id, "text": "Ask <b>Priya</b> first"})
        ack = await phone.next("idea-ack")
        assert ack["left"] == 2 and ack["message"].startswith("Sent.")
        await phone.ws.send_json({"type": "idea", "question": asked.id, "text": "Again, at once"})
        assert "One idea every 10 seconds" in (await phone.next("error"))["message"]
        (idea,) = workshop.ideas.ideas
        assert idea.text == "Ask <b>Priya</b> first" and idea.state == NEW
        arrived = await until(display, lambda s: s.get("sent") == 1)  # the room display hears one came...
        assert "Priya" not in json.dumps(arrived)  # ...and not what it says
        workshop.show_idea(idea.id)
        shown = await until(display, lambda s: s.get("ideas"))
        assert shown["ideas"] == [idea.text] and "Priya" not in json.dumps(shown["before"])
        await display.close()
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(here.ws_url(), origin="http://evil.example")  # another site's page: refused
    finally:
        await http.close()
        await server.stop()


async def test_too_many_ideas_or_an_oversized_one_from_a_phone_are_refused_as_votes_are() -> None:
    server, here, http = await opened(devices_per_address=1)  # five messages a second per phone, 1 KiB a message
    try:
        here.workshop.begin()
        asked = here.workshop.ask(1)  # the step-out question
        big, fine = await here.phone(1), await here.phone(2)
        page = {"ensure_ascii": False}  # as the phone page sends it (JSON.stringify): UTF-8, not escapes
        await big.ws.send_str(json.dumps({"type": "idea", "question": asked.id, "text": "é" * 600}, **page))
        closing = await big.ws.receive(timeout=WAIT)
        while closing.type == aiohttp.WSMsgType.TEXT:
            closing = await big.ws.receive(timeout=WAIT)
        assert big.ws.close_code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
        for _ in range(8):  # a flood: the first is taken, the rest refused by the socket's rate or the core's gap
            await fine.ws.send_str(json.dumps({"type": "idea", "question": asked.id, "text": "é" * 200}, **page))
        replies = [await answer(fine) for _ in range(8)]
        assert [r["type"] for r in replies].count("idea-ack") == 1 and replies[0]["left"] == 2
        assert any(r.get("code") == "slow" for r in replies)  # the socket's own rate limit, as for votes
        assert [i.text for i in here.workshop.ideas.ideas] == ["é" * 200] and server.phones == 1
        another = await here.phone(3)  # a second phone from the same network address, past its limit
        await another.ws.send_json({"type": "idea", "question": asked.id, "text": "Me too"})
        assert "Too many phones" in (await answer(another))["message"]
    finally:
        await http.close()
        await server.stop()


def test_a_phone_is_told_its_own_prediction_vote_when_it_comes_back() -> None:
    workshop = room()
    prediction = workshop.predict()
    workshop.ballot(prediction.id, token(1), 1)
    server = WorkshopServer("127.0.0.1", 0)
    server.attach(workshop)
    assert server.votes._mine(token(1), prediction.id)["option"] == 1
    assert server.votes._mine(token(2), prediction.id)["option"] is None

