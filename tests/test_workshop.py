"""Workshop rules with no screen: votes, locking, every tie rule, skips, teams, branches, what the room may see,
which moves are allowed, the log and the report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine import Playthrough
from game.loader import load_text
from game.workshop import log as logs
from game.workshop import report as reports
from game.workshop import view
from game.workshop.moves import Move
from game.workshop.names import FACILITATOR, RANDOM, RUNOFF, SIDE_BY_SIDE
from game.workshop.room import Change, Workshop, WorkshopError, team_names
from game.workshop.shown import CARD, COMPARE, ENDING, SCENE
from game.workshop.teams import labels, next_unfinished
from game.workshop.timer import Countdown, Timer, clock_face, parse_seconds
from game.workshop.votes import How, Round, VoteError
from game.workshop.words import outcome_sentence
from tests.helpers import ROOM, stairs_room, write


def scenario():
    return load_text(ROOM, "room.toml", catalog={})


def first_round() -> Round:
    return Round(tuple(Playthrough.begin(scenario()).options()))


# -- votes -------------------------------------------------------------------------------------


def test_counts_add_hands_and_phones_and_a_changed_phone_vote_replaces_the_first() -> None:
    vote = first_round()
    assert vote.votable == (0, 1, 3)  # option 2 (index 2) is struck through
    vote.set_hands(0, 5)
    vote.add_hands(1)
    vote.add_hands(1, -3)  # never below zero
    vote.ballot("phone-a", 0)
    vote.ballot("phone-b", 3)
    vote.ballot("phone-b", 1)  # changed: replaces
    assert vote.counts == {0: 6, 1: 1, 3: 0} and vote.phones == {0: 1, 1: 1} and vote.total == 7


def test_struck_options_take_no_votes_and_counts_are_sane() -> None:
    vote = first_round()
    vote.open()
    for act in (lambda: vote.set_hands(2, 1), lambda: vote.ballot("p", 2), lambda: vote.set_hands(9, 1),
                lambda: vote.set_hands(0, -1), lambda: vote.set_hands(0, 10**9)):
        with pytest.raises(VoteError):
            act()
    with pytest.raises(VoteError, match="Not at this hour"):
        vote.ballot("p", 2)


def test_phones_vote_only_while_voting_is_open_and_nothing_changes_after_lock() -> None:
    vote = first_round()
    with pytest.raises(VoteError, match="not open"):
        vote.ballot("p", 0)
    vote.open()
    vote.ballot("p", 0)
    vote.lock()
    for act in (lambda: vote.ballot("p", 1), lambda: vote.set_hands(0, 3), lambda: vote.add_hands(1), vote.open):
        with pytest.raises(VoteError):
            act()
    vote.reveal()
    assert vote.counts == {0: 1, 1: 0, 3: 0}


def test_a_clear_winner_decides_under_every_rule() -> None:
    for rule in (FACILITATOR, RUNOFF, RANDOM):
        vote = first_round()
        vote.set_hands(1, 4)
        vote.set_hands(0, 3)
        vote.reveal()
        outcome = vote.outcome(rule, seed=7)
        assert outcome.winner == 1 and outcome.tied == ()


def test_ties_under_each_rule() -> None:
    vote = first_round()
    vote.set_hands(0, 3)
    vote.set_hands(3, 3)
    vote.reveal()
    assert vote.outcome(FACILITATOR).how == "facilitator" and vote.outcome(FACILITATOR).tied == (0, 3)
    runoff = vote.outcome(RUNOFF)
    assert runoff.how == "runoff" and runoff.winner is None
    picks = {vote.outcome(RANDOM, seed=s).winner for s in range(40)}
    assert picks == {0, 3}  # a fair pick between the tied two, never another option
    assert vote.outcome(RANDOM, seed=11) == vote.outcome(RANDOM, seed=11)  # the seed decides, reproducibly
    second = vote.runoff(runoff.tied)
    assert second.votable == (0, 3)
    with pytest.raises(VoteError, match="runoff"):
        second.set_hands(1, 1)
    second.set_hands(0, 2)
    second.set_hands(3, 2)
    second.reveal()
    assert second.outcome(RUNOFF).how == "facilitator"  # a runoff that ties again: the facilitator decides


def test_a_vote_with_no_votes_decides_nothing_and_one_never_opened_cannot_close() -> None:
    vote = first_round()
    for act in (vote.lock, vote.reveal):
        with pytest.raises(VoteError, match="not opened"):
            act()
    vote.open()
    vote.reveal()
    outcome = vote.outcome(RANDOM, seed=1)
    assert outcome.winner is None and outcome.how == How.NO_VOTES and outcome.picking


# -- the timer ----------------------------------------------------------------------------------


def test_the_timer_counts_down_signals_and_decides_nothing() -> None:
    now = [100.0]
    timer = Timer(discussion=30, voting=60, clock=lambda: now[0])
    assert timer.start("discussion") and timer.remaining() == 30
    now[0] += 29.2
    assert timer.remaining() == 1 and not timer.expired
    now[0] += 5
    assert timer.expired and timer.remaining() == 0
    assert not Timer().start("voting") and not Timer().enabled
    countdown = Countdown(10, 0.0, lambda: now[0])
    now[0] = 4.0
    countdown.pause()
    now[0] = 50.0
    assert countdown.remaining() == 6
    countdown.resume()
    assert countdown.remaining() == 6
    assert [parse_seconds(t) for t in ("off", "30", "2m", "90s")] == [0, 30, 120, 90]
    with pytest.raises(ValueError):
        parse_seconds("soon")
    assert clock_face(65) == "1:05"


def test_a_huge_number_typed_is_said_back_as_typed_never_as_not_a_number() -> None:
    """A time, a seed or a count far too large is the facilitator's typo: the message shows the number (cut
    when it is very long) and the largest allowed, and never reads a thousand digits as a number."""
    from game.workshop.votes import VoteError, check_count, parse_seed

    with pytest.raises(ValueError, match=r"^`9{29}` is longer than a timer runs: at most 60 minutes$"):
        parse_seconds("9" * 29)
    with pytest.raises(ValueError, match=r"^`9{60}… \(4,940 more characters\)` is longer than a timer runs"):
        parse_seconds("9" * 5000)  # past Python's limit for reading digits as a number
    assert parse_seconds("0000090s") == 90
    with pytest.raises(ValueError, match=r"^`9{29}` has 29 digits: a seed is a whole number of at most 18$"):
        parse_seed("9" * 29)
    with pytest.raises(VoteError, match=r"^999,999 is more than any room holds: a count is 0 to 100,000$"):
        check_count(999_999)
    assert check_count(100_000) == 100_000


# -- the workshop ------------------------------------------------------------------------------------


def test_team_names_are_clean_labels() -> None:
    assert team_names(" Red , Blue,,\x1b]0;x\x07Green") == ["Red", "Blue", "\\x1b]0;x\\x07Green"]
    assert team_names("Red,\u3164\u3164,\u2800") == ["Red"]  # a name that draws nothing is no name
    assert labels(["Red", "\u3164\u3164"]) == ["Red", "Team 2"]
    with pytest.raises(WorkshopError):
        team_names("Red,red")
    with pytest.raises(WorkshopError):
        team_names("x" * 40)


def test_a_whole_decision_from_votes_to_the_next_scene() -> None:
    room = Workshop(scenario(), tie_rule=FACILITATOR)
    heard: list[Change] = []
    room.observe(heard.append)
    room.begin()
    room.open_voting()
    room.set_hands(0, 4)
    room.ballot(room.round_id, "phone", 1)
    with pytest.raises(VoteError, match="over"):
        room.ballot("an-old-round", "phone", 1)
    for index in (-1, 10**900):  # a phone can send any number: never "option 0", never 900 digits back
        with pytest.raises(VoteError, match="^that option is not on offer$"):
            room.ballot(room.round_id, "phone", index)
    room.lock()
    outcome = room.reveal()
    assert outcome.winner == 0
    with pytest.raises(WorkshopError):
        room.decide(pick=1)  # the vote decided; the facilitator cannot overrule it
    room.decide()
    assert room.play.state.at == "second" and Change.DECIDED in heard and Change.BALLOT in heard
    decision = room.team.record[0]
    assert decision.how == "vote" and decision.tallies == ({0: 4, 1: 1, 3: 0},) and decision.phones == ({1: 1},)


def test_a_tie_left_to_the_facilitator_and_a_vote_with_none() -> None:
    room = Workshop(scenario(), tie_rule=FACILITATOR)
    room.begin()
    room.set_hands(0, 2)
    room.set_hands(1, 2)
    with pytest.raises(WorkshopError, match="reveal"):
        room.decide(0)
    room.reveal()
    with pytest.raises(WorkshopError, match="tied"):
        room.decide(3)
    with pytest.raises(WorkshopError, match="^only the tied options can be picked: 1 or 2$"):
        room.point(3)  # option 3 may not even be pointed at
    assert room.pointable() == (0, 1)
    room.decide(1)
    assert room.team.record[0].how == "facilitator" and room.team.record[0].tied == (0, 1)
    room.show()
    room.open_voting()
    room.reveal()  # nobody votes at the second decision
    with pytest.raises(WorkshopError, match="^nobody voted: pick one of the open options"):
        room.decide()
    room.decide(1)
    assert room.play.ending is not None and room.team.record[1].how == "no votes"


def test_a_runoff_then_a_random_tie_is_logged_with_its_seed() -> None:
    room = Workshop(scenario(), tie_rule=RUNOFF)
    room.begin()
    room.set_hands(0, 3)
    room.set_hands(3, 3)
    assert room.reveal().how == "runoff"
    with pytest.raises(WorkshopError, match="runoff"):
        room.decide()
    room.start_runoff()
    room.set_hands(3, 5)
    room.reveal()
    room.decide()
    decision = room.team.record[0]
    assert decision.chosen == 3 and decision.how == "runoff-vote"
    assert decision.tallies == ({0: 3, 1: 0, 3: 3}, {0: 0, 3: 5})
    chance = Workshop(scenario(), tie_rule=RANDOM, seed=4321)
    chance.begin()
    chance.set_hands(0, 1)
    chance.set_hands(1, 1)
    chance.reveal()
    chance.decide()
    assert chance.team.record[0].how == "random" and chance.team.record[0].seed == 4321


def test_a_skip_says_which_option_the_story_takes_and_the_facilitator_may_pick_another() -> None:
    room = Workshop(scenario())
    room.begin()
    assert room.skip_pick == 0  # the first open option ("Answer kindly."), said before anything happens
    with pytest.raises(WorkshopError, match="not open"):
        room.skip(pick=2)  # struck through
    room.skip(pick=3)
    assert room.team.record[0].how == How.SKIPPED and room.team.record[0].chosen == 3
    assert room.shown.stage == CARD and room.shown.seen  # the room saw the scene it was skipped from


def test_teams_take_turns_or_go_side_by_side_and_one_rule_says_whose_turn_is_next() -> None:
    room = Workshop(scenario(), ["Red", "Blue"], mode=SIDE_BY_SIDE)
    room.begin()
    room.skip()
    assert room.team.name == "Blue" and room.shown.team == 0  # the room still sees Red's result
    room.skip(pick=3)  # Blue's first scene, skipped from the card before anyone saw it
    assert room.team.name == "Red" and room.play.state.at == "second"
    assert room.shown.stage == CARD and room.shown.team == 1 and not room.shown.seen
    turns = Workshop(scenario(), ["Red", "Blue"])
    turns.begin()
    turns.skip()
    assert turns.team.name == "Red"
    turns.skip()
    assert turns.team.name == "Blue" and turns.teams[0].play.is_over
    turns.show()
    assert turns.shown.stage == ENDING and turns.shown.team == 0  # Red's ending, though it is Blue's turn
    turns.go_on()
    assert turns.shown.stage == SCENE and turns.shown.team == 1
    assert next_unfinished(turns.teams, 1) == 1 and next_unfinished(turns.teams, 0) == 1


def test_forum_theatre_branches_compare_side_by_side() -> None:
    room = Workshop(scenario(), ["Red"])
    room.begin()
    room.set_hands(0, 1)
    room.reveal()
    room.decide()
    room.show()
    room.set_hands(0, 1)
    room.reveal()
    room.decide()
    room.show()
    assert room.finished and room.play.ending is not None and room.play.ending.id == "coffee"
    name = room.branch(1, "What if we leave it")
    assert room.shown.stage == SCENE and room.shown.branch == name
    room.set_hands(1, 9)
    room.reveal()
    room.decide()
    endings = {n: p.ending.id for n, p in room.team.session.branches.items() if p.ending}
    assert endings == {"main": "coffee", name: "apart"}
    assert [d.step for d in room.team.decisions[name]] == [1, 2]  # the shared first decision is kept


def test_undo_takes_back_a_slip_with_its_record() -> None:
    room = Workshop(scenario())
    room.begin()
    room.skip()
    room.undo()  # from the card, straight after the slip
    assert not room.play.steps and room.team.record == [] and room.shown.stage == SCENE
    with pytest.raises(WorkshopError):
        room.undo()


# -- the log ---------------------------------------------------------------------------------------


def played(tmp_path: Path) -> tuple[Workshop, Path]:
    path = write(tmp_path, ROOM, "room.toml")
    room = Workshop(load_text(ROOM, str(path), catalog={}), ["Red", "Blue"], tie_rule=RANDOM, seed=99)
    room.scenario = load_text(ROOM, str(path), catalog={})
    room.begin()
    room.set_hands(0, 2)
    room.set_hands(1, 2)
    room.reveal()
    room.decide()
    room.skip()
    return room, path


def test_the_log_round_trips_and_holds_no_personal_data(tmp_path: Path) -> None:
    room, _ = played(tmp_path)
    data = logs.to_json(room)
    assert data["format"] == "second-chance-workshop" and data["version"] == 1
    assert data["settings"]["tie_rule"] == "random" and data["settings"]["seed"] == 99
    again, notes = logs.from_json(json.loads(json.dumps(data)), room.scenario)
    assert notes == [] and logs.to_json(again)["teams"] == data["teams"]
    text = json.dumps(data)
    assert "phone" not in text.replace("phones", "")  # ballots are counts, never tokens


def test_a_log_is_saved_and_resumed_and_a_damaged_one_set_aside(tmp_path: Path) -> None:
    room, _ = played(tmp_path)
    store = logs.LogStore(room, logs.LogStore.new_path(room.scenario.id, tmp_path / "logs"))
    store.save()
    again, notes, problem = logs.resume(store.path, room.scenario)
    assert problem is None and again is not None and again.teams[0].play.path == room.teams[0].play.path
    store.path.write_text('{"format": "second-chance-workshop", "version": 1, "teams": 3}', encoding="utf-8")
    none, _, problem = logs.resume(store.path, room.scenario, tmp_path / "logs")
    assert none is None and problem is not None and "kept as" in problem
    assert not store.path.exists() and list((tmp_path / "logs").glob("*.unreadable-*.json"))


@pytest.mark.parametrize("text", ["", "[", "null", "{}", '{"format": "second-chance-workshop", "version": 9}',
                                  '{"format": "second-chance-workshop", "version": 1, "scenario": {"id": 4}}'])
def test_damaged_logs_give_sentences(text: str) -> None:
    with pytest.raises(logs.LogError):
        logs.loads(text, scenario())


def test_a_log_for_a_missing_scenario_is_not_set_aside(tmp_path: Path) -> None:
    room, path = played(tmp_path)
    store = logs.LogStore(room, tmp_path / "kept.json")
    store.save()
    path.unlink()
    data = json.loads(store.path.read_text())
    data["scenario"]["id"] = "nowhere-story"
    store.path.write_text(json.dumps(data), encoding="utf-8")
    none, _, problem = logs.resume(store.path)
    assert none is None and "cannot be found" in problem and store.path.exists()


# -- the room's debrief ------------------------------------------------------------------------------


def test_the_report_lists_decisions_with_their_split_prompts_and_skips(tmp_path: Path) -> None:
    room, _ = played(tmp_path)
    report = reports.build(room)
    red = report.lines[0]
    assert red.team == "Red" and red.ending is not None
    first, second = red.moments
    assert first.decision is not None and first.decision.how == "random"
    assert [(n, votes) for n, _, votes, _ in first.options] == [(1, 2), (2, 2), (3, 0)]
    assert second.skipped and red.skipped == (second,)
    assert ("Evening", "What is the character hoping for?") in red.prompts
    kind = first.chosen_text == "Answer kindly."
    assert any(q == "Why does kindness feel risky here?" for _, q in red.prompts) == kind
    assert ("Evening", "Listen for who the room thinks is to blame.") in red.notes
    assert report.lines[1].team == "Blue" and report.lines[1].ending is None


def test_the_report_explains_the_advice_as_the_players_debrief_does() -> None:
    report = reports.build(stairs_room())
    (red,) = report.lines
    slow = [e for e in red.meaning.entries if e.advice.id == "slow-down"]
    assert len(slow) == 1 and slow[0].group == "both"
    assert red.moments_of(slow[0]) == [("Followed at decision 1", "“Wait a day.”"),
                                       ("Ignored at decision 2", "“Rush it.”")]
    (debate,) = report.debates  # two pieces of advice, one argument between the articles
    assert debate.title == "Slow down · Take your time" and debate.stance.startswith("The game sides")
    assert [m.id for m in report.meters] == ["trust", "self_esteem"]
    helped = reports.build(stairs_room(help_story=True))
    assert helped.help_story and [m.id for m in helped.meters] == ["self_esteem"]
    assert helped.lines[0].moments_of(slow[0])[1] == ("Might have helped at decision 2", "“Rush it.”")
    assert all(label != "Their trust" for m in helped.lines[0].moments for label, _ in m.moved)


# -- which moves are allowed: one table, and every move agrees with it ----------------------------------

Script = list[Callable[[Workshop], object]]


def _pick(room: Workshop) -> int | None:
    outcome = room.outcome()
    return outcome.tied[0] if outcome is not None and outcome.picking else None


ATTEMPTS: dict[Move, Callable[[Workshop], object]] = {
    Move.BEGIN: lambda w: w.begin(),
    Move.POINT: lambda w: w.point((w.pointable() or (0,))[0]),
    Move.COUNT: lambda w: w.add_hands(w.round.votable[0] if w.round else 0),
    Move.OPEN: lambda w: w.open_voting(),
    Move.TIMER: lambda w: w.start_timer(),
    Move.LOCK: lambda w: w.lock(),
    Move.REVEAL: lambda w: w.reveal(),
    Move.DECIDE: lambda w: w.decide(_pick(w)),
    Move.RUNOFF: lambda w: w.start_runoff(),
    Move.SKIP: lambda w: w.skip(),
    Move.SHOW: lambda w: w.show(),
    Move.GO_ON: lambda w: w.go_on(),
    Move.NEXT_TEAM: lambda w: w.next_team(),
    Move.UNDO: lambda w: w.undo(),
    Move.GO_BACK: lambda w: w.branch(0, "Again"),
    Move.PROMPTS: lambda w: w.toggle_prompts(),
    Move.PLAY: lambda w: w.go_to(0),
    Move.COMPARE: lambda w: w.show_compare(),
    Move.DEBRIEF: lambda w: w.show_debrief(2),
    Move.CLOSE: lambda w: w.close_overlay(),
    Move.PAGE: lambda w: w.turn_page(1),
}
"""How the core makes each move (pointing only checks: the console keeps the pointer)."""

BEGUN: Script = [Workshop.begin]
VOTING: Script = [*BEGUN, lambda w: w.add_hands(0)]
DECIDED: Script = [*VOTING, Workshop.reveal, lambda w: w.decide()]
ENDED: Script = [*DECIDED, Workshop.show, lambda w: w.add_hands(1), Workshop.reveal, lambda w: w.decide(),
                 Workshop.show]
STATES: dict[str, tuple[dict, Script]] = {
    "the lobby": ({}, []),
    "discussion": ({}, BEGUN),
    "discussion, its timer running": ({}, [*BEGUN, Workshop.start_timer]),
    "voting": ({}, VOTING),
    "locked": ({}, [*VOTING, Workshop.lock]),
    "revealed, a winner": ({}, [*VOTING, Workshop.reveal]),
    "revealed, a tie for a runoff": ({"tie_rule": RUNOFF}, [*VOTING, lambda w: w.add_hands(1), Workshop.reveal]),
    "a runoff's discussion": ({"tie_rule": RUNOFF}, [*VOTING, lambda w: w.add_hands(1), Workshop.reveal,
                                                    Workshop.start_runoff]),
    "revealed, a tie the facilitator settles": ({}, [*VOTING, lambda w: w.add_hands(1), Workshop.reveal]),
    "revealed, nobody voted": ({}, [*BEGUN, Workshop.open_voting, Workshop.reveal]),
    "a card, the next scene unseen": ({}, DECIDED),
    "a card of a skip": ({}, [*BEGUN, lambda w: w.skip()]),
    "a card that ends a story": ({}, [*DECIDED, Workshop.show, lambda w: w.skip()]),
    "an ending, another team still going": ({}, ENDED),
    "the last ending": ({"teams": ["Red"]}, ENDED),
    "side by side, the next team's scene": ({"mode": SIDE_BY_SIDE}, [*DECIDED, Workshop.show]),
    "the comparison over a scene": ({}, [*BEGUN, Workshop.show_compare]),
    "the debrief over an ending": ({}, [*ENDED, lambda w: w.show_debrief(3)]),
    "a branch": ({}, [*ENDED, lambda w: w.branch(1, "Other")]),
}


def built(settings: dict, script: Script) -> Workshop:
    options = {"teams": ["Red", "Blue"], "seed": 5, "timer": Timer(discussion=30), **settings}
    room = Workshop(scenario(), options.pop("teams"), **options)
    for step in script:
        step(room)
    return room


@pytest.mark.parametrize("state", list(STATES))
def test_every_move_is_allowed_exactly_when_the_workshop_takes_it(state: str) -> None:
    settings, script = STATES[state]
    allowed = built(settings, script).moves()
    for move, attempt in ATTEMPTS.items():
        room = built(settings, script)
        try:
            attempt(room)
            took = True
        except (WorkshopError, VoteError):
            took = False
        assert took == (move in allowed), f"{state}: {move.value} is {'' if move in allowed else 'not '}allowed"
    room = built(settings, script)
    outcome = room.outcome()
    picking = Move.DECIDE in allowed and outcome is not None and outcome.picking
    assert (Move.POINT in allowed) == (Move.COUNT in allowed or picking), state


# -- what the room may see ------------------------------------------------------------------------------


def texts(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


def test_the_room_sees_only_what_the_facilitator_has_shown() -> None:
    room = Workshop(scenario(), ["Red", "Blue"], seed=5)
    lobby = texts(view.room(room))
    assert "The Room Test" in lobby and "You can pass" in lobby and "A message arrives." not in lobby
    room.begin()
    first = texts(view.room(room))
    assert "A message arrives." in first and "Answer kindly." in first
    assert "Listen for who the room thinks is to blame." not in first  # a facilitator note, never
    room.add_hands(0, 3)
    room.ballot(room.round_id, "phone-1", 1)
    during = view.room(room)
    assert during["tally"] is None and during["votes"] == 4  # how many, never the split, before the reveal
    room.reveal()
    room.decide()
    card = view.room(room)
    assert card["stage"] == CARD and "They reply." not in texts(card)  # the next scene waits for the facilitator
    assert "They reply." in texts(room.play.text())
    with pytest.raises(WorkshopError):
        room.add_hands(0)  # no vote on a scene the room has not seen
    with pytest.raises(VoteError):
        room.ballot(room.round_id, "phone-1", 0)
    assert view.phone(card)["round"] is None and view.phone(card)["phase"] == "decided"
    room.show()
    assert "They reply." in texts(view.room(room))
    room.show_compare()
    assert view.room(room)["stage"] == COMPARE and view.phone(view.room(room))["round"] is None
    room.close_overlay()
    assert view.room(room)["stage"] == SCENE and room.shown.stage == SCENE


def test_the_phones_see_the_room_displays_vote_and_nothing_more() -> None:
    room = Workshop(scenario(), seed=5)
    room.begin()
    room.open_voting()
    shown = view.room(room)
    phone = view.phone(shown)
    assert phone["options"] == shown["options"] and phone["round"] == shown["round"]
    assert "A message arrives." not in texts(phone)  # the phones vote; the story is read on the projector
    assert set(texts(phone)) <= set(texts(shown)) | set(texts({"type": "state"}))


def test_a_runoff_shows_both_rounds_on_the_card_and_in_the_report() -> None:
    room = Workshop(scenario(), tie_rule=RUNOFF, seed=5)
    room.begin()
    room.set_hands(0, 2)
    room.set_hands(1, 2)
    room.reveal()
    room.start_runoff()
    assert view.room(room)["first"] == [{"index": 0, "count": 2}, {"index": 1, "count": 2},
                                        {"index": 3, "count": 0}]
    room.set_hands(1, 3)
    room.reveal()
    room.decide()
    card = view.room(room)
    assert [r["title"] for r in card["rounds"]] == ["The first vote", "The runoff"]
    assert [[row["count"] for row in r["rows"]] for r in card["rounds"]] == [[2, 2, 0], [0, 3]]
    (moment,) = reports.build(room).lines[0].moments
    assert len(moment.rounds) == 2 and moment.options == moment.rounds[-1]


def test_one_sentence_words_each_outcome_for_every_view() -> None:
    vote = first_round()
    vote.set_hands(0, 2)
    vote.set_hands(3, 2)
    vote.reveal()
    assert outcome_sentence(vote, vote.outcome(FACILITATOR), 7) == \
        "A tie between 1 and 3: the facilitator decides between them."
    picked = vote.outcome(RANDOM, seed=7)
    sentence = outcome_sentence(vote, picked, 7)
    assert sentence.startswith("A tie between 1 and 3, settled by a random pick (seed 7): ")
    room = Workshop(scenario(), seed=5)
    room.begin()
    room.set_hands(1, 1)
    room.reveal()
    assert view.room(room)["outcome"] == "The room chose 2: “Say it first.”"


def test_a_skipped_decision_is_not_the_rooms_in_what_the_decisions_meant() -> None:
    story = ROOM.replace('text = "Meet for coffee."', 'text = "Meet for coffee."\nfollows = ["plain"]').replace(
        '[scenes.first]', '[advice.plain]\ntitle = "Say it plainly"\ntext = "Few words."\nsources = ["A2 #8"]\n\n'
        '[scenes.first]').replace('title = "Later"', 'title = "Later"\ndiscuss = ["Who is waiting for whom?"]')
    room = Workshop(load_text(story, "room.toml", catalog={}), seed=5)
    room.begin()
    room.set_hands(0, 1)
    room.reveal()
    room.decide()
    room.skip(pick=0)  # "Meet for coffee.", which follows the advice, taken by the facilitator
    (line,) = reports.build(room).lines
    assert [m.skipped for m in line.moments] == [False, True]
    assert line.meaning.entries == ()  # the advice the skipped choice followed is not the room's
    assert all(q != "Who is waiting for whom?" for _, q in line.prompts)  # nor its scene's question
    assert line.play.steps[1].follows == ("plain",)  # though the story went on through it
