"""Pilot tests of the workshop screen: a whole session, resuming, a damaged log, struck options, notes, phones.

Each test writes its own small story (the built-in ones change freely), keeps
its logs and handouts in a temporary folder, and drives the timer with a clock
of its own, so a countdown runs out without anyone waiting. The golden
screens are plain text: update them with
`pytest tests/test_tui_workshop.py --snapshot-update` and read the diff.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console, RenderableType
from textual.app import App
from textual.binding import Binding
from textual.widgets import Input, Static

from game.__main__ import FULL_SCREEN
from game.cli.sharing import WorkshopOptions
from game.library import gather
from game.tui.screens.help import HERE, HelpScreen, screen_keys
from game.tui.screens.small import TooSmallScreen
from game.tui.workshop.app import WorkshopApp
from game.tui.workshop.context import Room, Settings, WorkshopContext
from game.tui.workshop.launch import build_context
from game.tui.workshop.messages import RunAction
from game.tui.workshop.screens import debrief
from game.tui.workshop.screens.card import DecidedScreen
from game.tui.workshop.screens.choose import ChooseScreen
from game.tui.workshop.screens.compare import CompareScreen
from game.tui.workshop.screens.debrief import RoomDebriefScreen
from game.tui.workshop.screens.decision import DecisionScreen
from game.tui.workshop.screens.dialogs import CountScreen, QuitScreen, SkipScreen
from game.tui.workshop.screens.goback import GoBackScreen
from game.tui.workshop.screens.setup import SetupScreen
from game.tui.workshop.widgets.bigcode import big_lines
from tests.tui_helpers import help_words, typed_at_once, until

STORY = '''\
[scenario]
id = "room-story"
title = "The Room Story"
summary = "A late message, a choice, and the morning after."
start = "evening"
content_notes = ["a break-up", "late-night texting"]
minutes = 4

[flags]
replied = "You replied that night."

[advice.sleep-on-it]
title = "Sleep on it"
text = "Wait until morning before answering anything that matters."
sources = ["A1 #4"]
disagreement = "One article says to answer at once so nothing festers."
stance = "The game sides with waiting: a rested answer is a kinder one."

[advice.be-plain]
title = "Say it plainly"
text = "Say what you mean in a few words, with nothing tacked on."
sources = ["A2 #8"]

[scenes.evening]
title = "Eleven at night"
text = "The kettle clicks off. Your phone lights up on the counter."
messages = [
  { from = "Sam", text = "are you still up?" },
  { from = "you", text = "yes. always, apparently", draft = true },
]
discuss = ["What is the character hoping for, right now?"]
facilitator = "Listen for who the room thinks is to blame."

[[scenes.evening.choices]]
text = "Reply straight away."
goto = "morning"
effects = { trust = 1 }
set = ["replied"]
ignores = ["sleep-on-it"]
discuss = ["Why does a quick reply feel safer?"]

[[scenes.evening.choices]]
text = "Call them now."
goto = "morning"
if = "trust >= 9"
unavailable = "strike"
reason = "It is far too late to ring anyone."

[[scenes.evening.choices]]
text = "Put the phone face down."
goto = "morning"
effects = { self_esteem = 1 }
follows = ["sleep-on-it"]

[scenes.morning]
title = "Morning"
text = "Grey light. The message is still there, waiting."

[[scenes.morning.choices]]
text = "Write back, plainly."
goto = "@ending"
effects = { trust = 1 }
follows = ["be-plain"]

[[scenes.morning.choices]]
text = "Leave it for today."
goto = "quiet"
follows = ["sleep-on-it"]

[endings.talking]
title = "Talking Again"
tone = "warm"
outcome = "open"
when = "trust >= 6"
text = "You talk for an hour. Nothing is decided, and that is fine."
discuss = ["Was this a good ending? For whom?"]

[endings.quiet]
title = "A Quiet Day"
tone = "hopeful"
outcome = "apart"
text = "You make breakfast. The message can wait a little longer."
help = true
facilitator = "Some rooms read this as giving up; ask what it cost."
'''

NOTE = "Listen for who the room thinks is to blame."
BIG, SMALL = (100, 30), (80, 24)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def context(tmp_path: Path, monkeypatch, *, start: bool = True, clock: Callable[[], float] | None = None,
            resume: str | None = None, story: str = STORY, **settings) -> WorkshopContext:
    """The workshop's context over the test's story, logs and handouts in tmp_path (run from there)."""
    monkeypatch.chdir(tmp_path)
    folder = Path("stories")
    folder.mkdir(exist_ok=True)
    (folder / "room-story.toml").write_text(story, encoding="utf-8")
    entries, _ = gather(builtin=False, folders=[folder])
    return WorkshopContext(offered=entries, start=entries[0] if start else None,
                           settings=Settings(**{"teams": ["Red", "Blue"], **settings}),
                           log_dir=tmp_path / "logs", export_dir=tmp_path / "handouts",
                           clock=clock or Clock(), resume=resume)


def screen_text(app: App) -> str:
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def rendered(renderable: RenderableType, width: int = 100) -> str:
    """What a Rich renderable says, as plain text."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def heard(app: App, monkeypatch) -> list[str]:
    """Every notification the app shows from now on, as text."""
    messages: list[str] = []
    show = app.notify

    def record(message: str, **options) -> None:
        messages.append(message)
        show(message, **options)

    monkeypatch.setattr(app, "notify", record)
    return messages


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await pilot.pause()


async def started(pilot) -> None:
    """Until the console's server (started just after the first screen) is up, when it has one."""
    context = pilot.app.context
    for _ in range(50):
        if context.server is None or context.link is not None:
            return
        await pilot.pause()
    raise AssertionError("the workshop's server did not start")


async def begin(pilot) -> DecisionScreen:
    await started(pilot)
    assert isinstance(pilot.app.screen, SetupScreen)
    await press(pilot, "ctrl+b")
    screen = pilot.app.screen
    assert isinstance(screen, DecisionScreen)
    return screen


# -- a whole session -------------------------------------------------------------------------------


async def test_a_whole_session_with_two_teams(tmp_path: Path, monkeypatch) -> None:
    clock = Clock()
    app = WorkshopApp(context(tmp_path, monkeypatch, tie_rule="runoff", discussion=30, voting=60, bell=True,
                              clock=clock))
    rang: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: rang.append(True))
    said = heard(app, monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        text = screen_text(app)
        assert "a break-up" in text and "You can pass" in text  # content notes and ground rules first
        screen = await begin(pilot)
        room = screen.room.workshop
        assert room.team.name == "Red" and "Team: Red" in screen_text(app)

        # The discussion timer runs out: it says so, rings, and decides nothing.
        await press(pilot, "t")
        assert "Discussion: 0:30 left" in screen_text(app)
        clock.now += 31
        screen.tick()
        await pilot.pause()
        assert "Time is up (discussion)" in screen_text(app) and rang == [True]
        assert room.round is not None and room.round.phase == "discussion" and not room.play.steps

        # Votes by key (a capital works as well); the tie goes to a runoff (the rule), which settles it.
        await press(pilot, "V", "plus", "plus", "2", "plus", "right")
        assert room.round.counts == {0: 2, 2: 2}
        await press(pilot, "l", "r")
        text = screen_text(app)
        assert "A tie between 1 and 2" in text and "O: hold the runoff" in text
        assert "2 votes" in text and "██" in text
        await press(pilot, "o", "1", "plus", "2", "plus", "plus", "minus", "plus", "r")
        assert "The room chose 2:" in screen_text(app)
        await press(pilot, "enter")
        card = app.screen
        assert isinstance(card, DecidedScreen)
        text = screen_text(app)
        assert "Put the phone face down." in text and "a runoff between the tied options" in text
        assert "The first vote" in text and "The runoff" in text  # both rounds
        assert "K: skip it" in text and "Morning" not in text  # on one screen the next scene stays hidden

        # The next scene is skipped before the room sees it: the dialog says which option the story takes
        # (by number only, since the room sees this screen), and it ends Red's story.
        await press(pilot, "k")
        text = screen_text(app)
        assert "The story takes option 1," in text and "Write back" not in text
        await press(pilot, "enter")
        assert "Skipped by the facilitator" in screen_text(app) and "reached its ending" in screen_text(app)
        await press(pilot, "enter")
        assert app.screen is screen and "Ending: Talking Again" in screen_text(app)

        # Forum theatre: back to the first decision, as a named branch, the other way.
        await press(pilot, "g")
        assert isinstance(app.screen, GoBackScreen)
        await press(pilot, "1")
        assert isinstance(app.screen, GoBackScreen)  # a number points; Enter goes back, as the dialog says
        await press(pilot, "enter", "ctrl+u", *"Quick", "enter")
        assert app.screen is screen and "Branch: Quick" in screen_text(app)
        await press(pilot, "v", "plus", "plus", "plus", "r", "enter", "enter")
        await press(pilot, "v", "2", "plus", "r", "enter", "enter")
        assert "Ending: A Quiet Day" in screen_text(app)

        # Blue's turn: skipped from the scene itself, taking another option than the story's first,
        # then a vote nobody casts, which the facilitator picks.
        await press(pilot, "enter")
        assert "Team: Blue" in screen_text(app) and "Blue: your turn." in said
        await press(pilot, "k")
        assert "The story takes option 1: “Reply straight away.”" in screen_text(app)
        await press(pilot, "2")
        assert isinstance(app.screen, SkipScreen) and not room.teams[1].record  # a number only points...
        assert "▸ Option 2" in screen_text(app)
        await press(pilot, "enter")  # ...and the Enter the dialog asks for skips, and no more
        assert isinstance(app.screen, DecidedScreen) and room.teams[1].record[0].chosen == 2
        assert room.shown.stage == "card" and room.shown.step == 1
        await press(pilot, "enter", "v", "r")
        assert "Nobody voted" in screen_text(app)
        await press(pilot, "2", "enter", "enter")
        text = screen_text(app)
        assert "Ending: A Quiet Day" in text and "Help and support" in text  # a help ending shows the resources
        assert room.finished

        # The debrief: paths with their splits, the skips said as skipped, the sections by key.
        await press(pilot, "enter")
        assert isinstance(app.screen, RoomDebriefScreen)
        text = screen_text(app)
        assert "Red: Talking Again" in text and "Red, Quick: A Quiet Day" in text and "Blue: A Quiet Day" in text
        assert "2. A scene skipped before the room saw it: not the room's decision." in text  # none of its words
        await press(pilot, "6")
        assert "Why does a quick reply feel safer?" in screen_text(app)
        await press(pilot, "4")
        text = screen_text(app)
        assert "A1 #4" in text and "4. What the decisions meant" in text and "Each choice in this story" in text
        # Red, Quick ignored the advice at decision 1 and followed it at 2: one entry, as a player's debrief has it.
        quick = rendered(debrief.advice_part(app.screen.report.lines[1]))
        assert quick.count("Wait until morning before answering") == 1
        assert "Advice you followed at one decision and ignored at another (1)" in quick
        assert "Ignored at decision 1: “Reply straight away.”" in quick
        assert "Followed at decision 2: “Leave it for today.”" in quick
        await press(pilot, "5")
        assert "The game's stance: The game sides with waiting" in screen_text(app)
        body, page, top = app.screen.query_one("#debrief-body"), room.shown.page, app.screen.query_one(
            "#debrief-body").scroll_y
        await press(pilot, "pagedown")  # the focused view scrolls, and the room display turns its page too
        assert room.shown.page == page + 1 and body.scroll_y > top
        await press(pilot, "b")
        text = screen_text(app)
        assert isinstance(app.screen, CompareScreen) and "Red, Quick" in text and "± Sleep on it" in text
        assert room.shown.page == 0
        await press(pilot, "pagedown")
        assert room.shown.page == 1
        assert any(row.keys == ["Page Down"] and "room display" in row.what for row in screen_keys(app.screen)[HERE])
        await press(pilot, "escape")

        # The handouts: written where --export says, and the room's vote split is in them.
        await press(pilot, "e")
        assert any(m.startswith("Handouts written to") and ".md" in m for m in said)
        written = sorted((tmp_path / "handouts").iterdir())
        assert sorted(p.suffix for p in written) == [".html", ".html", ".json", ".md", ".md"]
        markdown = next(p for p in written if p.suffix == ".md" and "take-home" not in p.name).read_text(
            encoding="utf-8")
        assert "Talking Again" in markdown and "A Quiet Day" in markdown
        assert "3 votes: 1. Reply straight away." in markdown and "Skipped by the facilitator" in markdown
    assert list((tmp_path / "logs").glob("room-story-*.json"))  # saved after every decision


async def test_keys_typed_together_reach_the_screens_they_were_typed_for(tmp_path: Path, monkeypatch) -> None:
    """A facilitator who types ahead (begin, open the vote, two votes, reveal, Enter for the card, Enter for the
    next scene, and the next vote) loses no key to the screens changing under them."""
    app = WorkshopApp(context(tmp_path, monkeypatch, teams=[]))
    async with app.run_test(size=BIG) as pilot:
        await started(pilot)
        typed_at_once(app, "ctrl+b", "v", "plus", "plus", "r", "enter", "enter", "v", "2", "plus", "r")

        def second_round_counted() -> bool:
            room = app.context.room
            return room is not None and len(room.workshop.play.steps) == 1 and room.workshop.round is not None \
                and room.workshop.round.phase == "revealed"

        await until(pilot, second_round_counted)
        assert isinstance(app.screen, DecisionScreen)
        room = app.context.room.workshop
        assert [step.choice_text for step in room.play.steps] == ["Reply straight away."]
        assert room.round is not None and room.round.counts == {0: 0, 1: 1} and "The room chose 2:" in screen_text(app)


# -- golden screens ---------------------------------------------------------------------------------


async def test_decision_screen_goldens(tmp_path: Path, monkeypatch, snapshot) -> None:
    for size, name in ((BIG, "decision_100x30.txt"), (SMALL, "decision_80x24.txt")):
        app = WorkshopApp(context(tmp_path, monkeypatch, tie_rule="runoff"))
        async with app.run_test(size=size) as pilot:
            await begin(pilot)
            await press(pilot, "v", "plus", "plus", "2", "plus", "plus", "r")
            snapshot.assert_match(screen_text(app) + "\n", name)


async def test_debrief_golden(tmp_path: Path, monkeypatch, snapshot) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch, teams=[]))
    async with app.run_test(size=BIG) as pilot:
        await begin(pilot)
        await press(pilot, "v", "plus", "plus", "plus", "2", "plus", "r", "enter", "k", "enter", "enter", "enter")
        assert isinstance(app.screen, RoomDebriefScreen)
        snapshot.assert_match(screen_text(app) + "\n", "debrief_100x30.txt")


# -- pausing and picking up ------------------------------------------------------------------------------


async def test_quitting_saves_and_resume_picks_it_up(tmp_path: Path, monkeypatch) -> None:
    link = FakeLink()
    ctx = context(tmp_path, monkeypatch)
    ctx.server = lambda: link
    app = WorkshopApp(ctx)
    async with app.run_test(size=BIG) as pilot:
        await begin(pilot)
        await press(pilot, "v", "plus", "r", "enter", "enter")
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, QuitScreen) and "is saved first" in screen_text(app)
        assert "told it is paused" in screen_text(app) and "E: end it for the room" in screen_text(app)
        await press(pilot, "n")
        assert isinstance(app.screen, DecisionScreen)  # staying is as easy as quitting
        await press(pilot, "ctrl+q", "y")
    assert app.return_value == 0 and link.stopped and link.paused  # the phones wait for it to be picked up
    resumed = context(tmp_path, monkeypatch, start=False, resume="latest")
    resumed.export_dir = None  # --resume without --export: the handouts go where they were to go
    again = WorkshopApp(resumed)
    async with again.run_test(size=BIG) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, DecisionScreen) and resumed.export_dir == tmp_path / "handouts"
        text = screen_text(again)
        assert "Team: Red" in text and "Decision 2" in text and "Morning" in text
        workshop = again.screen.workshop
        assert workshop.team.record[0].how == "vote" and workshop.teams[1].name == "Blue"


async def test_a_damaged_log_is_set_aside_with_a_message(tmp_path: Path, monkeypatch) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "room-story-20240101-090000.json").write_text('{"format": "second-chance-workshop", "vers',
                                                          encoding="utf-8")
    app = WorkshopApp(context(tmp_path, monkeypatch, start=False, resume="latest"))
    said = heard(app, monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)  # a new workshop can be set up at once
        assert any("could not be picked up again" in m and "kept as" in m for m in said)
    assert not (logs / "room-story-20240101-090000.json").exists()
    assert len(list(logs.glob("room-story-20240101-090000.unreadable-*.json"))) == 1


# -- what the room may and may not see ----------------------------------------------------------------


async def test_a_struck_option_refuses_votes(tmp_path: Path, monkeypatch) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch))
    said = heard(app, monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        screen = await begin(pilot)
        text = screen_text(app)
        assert "✗  Call them now." in text and "(not open now: It is far too late to ring anyone.)" in text
        await press(pilot, "down")  # the pointer can rest on it: it is shown, with its reason
        assert screen.selected == 1
        await press(pilot, "plus", "c")  # neither a vote nor a typed count: each says why
        assert said.count("“Call them now.” is not open: It is far too late to ring anyone.") == 2
        current = screen.workshop.round
        assert current is not None and current.phase == "discussion" and current.total == 0
        await press(pilot, "v", "plus")
        assert current.counts == {0: 0, 2: 0} and 1 not in current.hands
        await press(pilot, "2", "c", "1", "2", "enter")  # a count can be typed as a number too
        assert current.counts == {0: 0, 2: 12} and "12 votes" in screen_text(app)
        await press(pilot, "c", *"999999", "enter")  # a typo: said back, and the box stays to mend it
        assert said[-1] == "999,999 is more than any room holds: a count is 0 to 100,000."
        assert isinstance(app.screen, CountScreen) and app.screen.query_one(Input).value == "999999"
        await press(pilot, "escape")
        assert current.counts == {0: 0, 2: 12}


async def test_going_back_by_the_list_takes_the_highlighted_decision(tmp_path: Path, monkeypatch) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch, teams=[]))
    async with app.run_test(size=BIG) as pilot:
        screen = await begin(pilot)
        await press(pilot, "v", "plus", "r", "enter", "enter")  # decision 1, then the morning
        await press(pilot, "v", "2", "plus", "r", "enter", "enter")  # decision 2 ends the story
        team = screen.workshop.teams[0]
        assert len(team.play.steps) == 2
        await press(pilot, "g")
        assert isinstance(app.screen, GoBackScreen)
        await press(pilot, "up", "enter")  # the list opens on the last decision; one up is the first
        await press(pilot, "enter")  # the branch's name as offered
        assert team.session.branch == "Branch 2" and not team.play.steps


async def test_facilitator_notes_stay_hidden_until_toggled(tmp_path: Path, monkeypatch) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch, teams=[]))
    async with app.run_test(size=BIG) as pilot:
        await begin(pilot)
        text = screen_text(app)
        assert NOTE not in text and "What is the character hoping for" in text
        await press(pilot, "f")
        text = screen_text(app)
        assert NOTE in text and "FACILITATOR ONLY: not for the room" in text
        await press(pilot, "f", "p")
        text = screen_text(app)
        assert NOTE not in text and "What is the character hoping for" not in text  # prompts can be hidden too
        await press(pilot, "ctrl+p")
        assert "Open the vote" in screen_text(app) and "Lock the vote" not in screen_text(app)  # only what works now
        await press(pilot, "escape")
        await press(pilot, "v", "plus", "r", "enter", "enter", "d")
        assert NOTE not in screen_text(app)
        await press(pilot, "f")
        assert NOTE in screen_text(app) and "FOR THE FACILITATOR ONLY" in screen_text(app)


async def test_a_random_tie_shows_its_seed_and_side_by_side_teams_alternate(tmp_path: Path, monkeypatch) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch, tie_rule="random", seed=4321, mode="side-by-side"))
    async with app.run_test(size=BIG) as pilot:
        screen = await begin(pilot)
        assert app.theme == "high-contrast" and "If it ties: a random pick between them (seed 4321)" in \
            screen_text(app)
        app.post_message(RunAction("open_voting"))  # what the command palette sends
        await pilot.pause()
        current = screen.workshop.round
        assert current is not None and current.phase == "voting"
        await press(pilot, "plus", "2", "plus", "r")
        outcome = screen.workshop.outcome()
        assert outcome is not None and outcome.how == "random" and outcome.winner is not None
        picked = 1 if outcome.winner == 0 else 2
        assert f"settled by a random pick (seed 4321): {picked}" in screen_text(app)
        await press(pilot, "enter")
        text = screen_text(app)
        assert "a seeded random pick between the tied options (seed 4321)" in text and "Next: Blue, decision 1" in text
        await press(pilot, "enter")
        assert "Team: Blue" in screen_text(app) and "Decision 1" in screen_text(app)
        await press(pilot, "f3")
        assert app.theme != "high-contrast"


def test_a_save_that_fails_is_told_once(tmp_path: Path) -> None:
    from game.loader import load_text
    from game.workshop.log import LogStore
    from game.workshop.room import Workshop

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    workshop = Workshop(load_text(STORY, "room-story.toml", catalog={}))
    room = Room(workshop, LogStore(workshop, blocked / "log.json"))
    first = room.save()
    assert first is not None and "could not be saved" in first and "Play goes on" in first
    assert room.save() is None  # said once; play goes on quietly


# -- phones, keys, small windows, the command line -------------------------------------------------------


class FakeLink:
    """Stands in for the workshop's server: the join details and the room display, and nothing else."""

    url = "http://192.0.2.5:8123/?code=K7QPX2"
    address = "http://192.0.2.5:8123/"
    room_url = "http://127.0.0.1:8123/room?key=testkey"
    code = "K7QPX2"
    phones = 3
    displays = 0
    displays_here = 0
    pages = 0
    warning = ""
    limit_note = ""
    moved_note = ""
    phones_on = True
    running = False

    def __init__(self) -> None:
        self.shown: list[object] = []
        self.workshop = None

    def qr_lines(self, invert: bool = False) -> list[str]:
        return ["█▀▀▀█ ▄▀ █▀▀▀█", "█ ▀ █ ▀█ █ ▀ █"]

    def reuse(self, earlier: dict) -> None:
        self.reused = earlier

    @property
    def rejoin(self) -> dict:
        return {"port": 8123, "code": self.code, "key": "testkey-testkey-"}

    def observe(self, callback):
        self.told = callback
        return lambda: None

    def show_lobby(self, scenario, rules: str = "") -> None:
        self.shown.append(scenario.title if scenario is not None else None)

    def attach(self, workshop) -> None:
        self.workshop = workshop

    async def start(self) -> None:
        self.running = True

    @property
    def room_urls(self) -> list[str]:
        return [self.room_url]

    async def stop(self, paused: bool = False) -> None:
        self.running = False
        self.stopped = True
        self.paused = paused


async def test_phone_ballots_arrive_through_the_workshop_and_join_details_show(tmp_path: Path, monkeypatch) -> None:
    link = FakeLink()
    ctx = context(tmp_path, monkeypatch, teams=[])
    ctx.server = lambda: link
    app = WorkshopApp(ctx)
    async with app.run_test(size=BIG) as pilot:
        screen = await begin(pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "Vote by phone" in text and "K7QPX2" in text and "█▀▀▀█ ▄▀ █▀▀▀█" in text and "3 phones joined" in text
        assert set(link.shown) == {"The Room Story"} and link.workshop is screen.workshop  # the lobby, then the room
        room = screen.workshop
        await press(pilot, "v", "plus")
        room.ballot(room.round_id, "phone-a", 2)
        room.ballot(room.round_id, "phone-b", 2)
        await pilot.pause()
        assert "2 phone votes in, shown at the reveal" in screen_text(app)
        await press(pilot, "r")
        assert "2 votes · 2 by phone" in screen_text(app) and "The room chose 2:" in screen_text(app)
        await press(pilot, "ctrl+q", "y")
    assert link.stopped


async def test_every_key_has_a_description_and_help_lists_them(tmp_path: Path, monkeypatch) -> None:
    from game.tui.workshop.screens.choose import ScenarioList
    from game.tui.workshop.screens.dialogs import BranchNameScreen, CountScreen, SkipList, SkipScreen
    from game.tui.workshop.screens.goback import DecisionList

    for kind in (WorkshopApp, ChooseScreen, SetupScreen, DecisionScreen, DecidedScreen, GoBackScreen, CompareScreen,
                 RoomDebriefScreen, QuitScreen, CountScreen, SkipScreen, BranchNameScreen, HelpScreen, ScenarioList,
                 DecisionList, SkipList):
        bindings = list(Binding.make_bindings(kind.BINDINGS))
        ranges = {b.action.split("(")[0] for b in bindings if b.description and b.key_display}  # "1-9", "↑ ↓"
        for binding in bindings:
            rest_of_a_range = not binding.show and binding.action.split("(")[0] in ranges
            assert binding.description or rest_of_a_range, f"{kind.__name__}: {binding}"
    app = WorkshopApp(context(tmp_path, monkeypatch))
    async with app.run_test(size=BIG) as pilot:
        await begin(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Escape, ? or q closes this help." in screen_text(app)
        text = help_words(app)
        assert "A decision (and an ending)" in text and "Open the vote" in text and "▸ points at" in text
        anywhere = text.split("Anywhere")[1]
        for key in ("?, F1", "F2", "F3", "Ctrl+P", "Ctrl+Q"):
            assert key in anywhere, key
        assert "Take it" not in text  # Enter takes the decision only after the reveal
        await press(pilot, "escape")
        assert isinstance(app.screen, DecisionScreen)


async def test_a_small_window_asks_calmly_for_more_room(tmp_path: Path, monkeypatch) -> None:
    app = WorkshopApp(context(tmp_path, monkeypatch))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen) and "too small" in screen_text(app)
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)


async def test_the_command_line_hides_excluded_stories_with_their_note(tmp_path: Path, monkeypatch) -> None:
    assert FULL_SCREEN.workshop is not None
    context(tmp_path, monkeypatch)
    built = build_context(WorkshopOptions(folders=(Path("stories"),), exclude="texting", teams=("Red",),
                                          turns="side-by-side", tie="random", seed=7, discussion=60))
    assert isinstance(built, WorkshopContext)
    assert [(e.title, note) for e, note in built.hidden if e.title == "The Room Story"] == [
        ("The Room Story", "late-night texting")]
    assert all(e.title != "The Room Story" for e in built.offered)
    assert built.settings.mode == "side-by-side" and built.settings.seed == 7 and built.settings.discussion == 60
    app = WorkshopApp(built)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Hidden by --exclude texting" in text and "hidden by its note “late-night texting”" in text


def test_a_named_story_with_errors_is_refused_before_the_screen(tmp_path: Path, capsys) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[scenario]\nid = "broken"\n', encoding="utf-8")
    assert build_context(WorkshopOptions(path)) == 1
    assert "cannot be used until they are fixed" in capsys.readouterr().err


async def test_the_consoles_keys_are_the_cores_moves(tmp_path: Path, monkeypatch) -> None:
    """Every key of the decision screen and the card makes a move of the core's table, or is the console's own
    (help, notes, the phones' panel, handouts); and each works exactly when the core allows its move."""
    from game.tui.workshop.screens import card, decision

    own = {"app.help", "app.resources", "notes", "phones", "export", "last_debrief"}
    for kind, moves in ((DecisionScreen, decision.MOVES), (DecidedScreen, card.MOVES)):
        for binding in Binding.make_bindings(kind.BINDINGS):
            action = binding.action.split("(")[0]
            assert action in moves or action in own, f"{kind.__name__}: {action} is no move"
    app = WorkshopApp(context(tmp_path, monkeypatch, tie_rule="runoff", discussion=30))
    async with app.run_test(size=BIG) as pilot:
        screen = await begin(pilot)
        checked = 0
        for keys in ((), ("t",), ("v",), ("plus", "2", "plus", "l"), ("r",), ("o",), ("plus", "r"), ("enter",),
                     ("enter",), ("k", "enter")):
            await press(pilot, *keys)
            here = app.screen
            table = decision.MOVES if isinstance(here, DecisionScreen) else card.MOVES
            allowed = screen.workshop.moves()
            for action, move in table.items():
                works = bool(here.check_action(action, ()))
                if action in ("show_next", "see_ending"):
                    assert works <= (move in allowed), action
                else:
                    assert works == (move in allowed), f"after {keys}: {action}"
                checked += 1
        assert checked > 100


async def test_one_screen_hides_notes_at_each_scene_and_a_room_display_makes_the_console_private(
        tmp_path: Path, monkeypatch) -> None:
    link = FakeLink()
    ctx = context(tmp_path, monkeypatch, teams=[])
    ctx.server = lambda: link
    app = WorkshopApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.pause()
        text = screen_text(app)  # the lobby says the code at 80x24, in words and in large letters
        assert "Phones: http://192.0.2.5:8123/ with the code  K7QPX2 " in text
        assert all(line in text for line in big_lines("K7QPX2"))
        await press(pilot, "j")  # J works before Begin too: the panel, its words first
        text = screen_text(app)
        assert "Vote by phone" in text and "type the code K7QPX2" in text
        await press(pilot, "j")
        await begin(pilot)
        text = screen_text(app)
        assert NOTE not in text and "One screen: the room sees this screen" in text
        assert "K7QPX2" in text and "Vote by phone" not in text  # no room for the panel: the code in words
        await press(pilot, "J")
        text = screen_text(app)
        assert "Vote by phone" in text and "type the code K7QPX2" in text  # J shows the panel all the same...
        assert "with the code  K7QPX2 " in text  # ...and at 80x24 the status line keeps the code as well
        await press(pilot, "j", "F")
        assert NOTE in screen_text(app)
        await press(pilot, "v", "plus", "r", "enter", "enter")
        assert NOTE not in screen_text(app)  # hidden again at the next scene
        link.displays = 1  # a room display opens somewhere else: the key may have been read off this screen
        link.told(None)
        await pilot.pause()
        assert not ctx.private and "One screen: the room sees this screen" in screen_text(app)  # nothing turns on
        link.displays_here = 1  # the room display opens on this laptop: the room no longer sees this screen
        link.told(None)
        await pilot.pause()
        text = screen_text(app)
        assert "Room sees: Decision 2, Morning (discussion)" in text
        await press(pilot, "v", "2", "plus", "r", "enter", "enter")
        notes = app.screen.query_one(".notes", Static)
        assert notes.display and "Some rooms read this as giving up" in rendered(notes.content)  # private: at once


async def test_f4_opens_the_room_display_once_and_says_so_when_it_is_already_open(tmp_path: Path,
                                                                                  monkeypatch) -> None:
    import game.tui.workshop.app as console

    opened: list[str] = []
    monkeypatch.setattr(console, "open_in_browser", lambda url: opened.append(url) or True)
    link = FakeLink()
    link.running, link.displays_here = True, 1
    ctx = context(tmp_path, monkeypatch)
    ctx.server = lambda: link
    app = WorkshopApp(ctx)
    said = heard(app, monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        await started(pilot)
        await press(pilot, "f4")
        assert opened == [] and said[-1].startswith("The room display is already open in a browser on this laptop")
        link.displays_here = 0
        await press(pilot, "f4")
        assert opened == [link.room_url] and said[-1].startswith("Opening the room display in a browser")
        link.running = False
        await press(pilot, "f4")
        assert opened == [link.room_url] and "The console works on one screen, counting hands." in said[-1]


async def test_a_private_console_previews_the_ending_before_the_room_sees_it(tmp_path: Path, monkeypatch) -> None:
    """After the last decision the card shows, on a private console only, the ending the story reached: its
    title, tone, words and facilitator note, as it previews a next scene; one screen keeps it hidden."""
    from game.tui.workshop.widgets.scene import ScenePanel

    for here in (1, 0):
        link = FakeLink()
        link.displays_here = here  # a room display on this laptop: the room no longer sees the console
        ctx = context(tmp_path, monkeypatch, teams=[])
        ctx.server = lambda link=link: link
        app = WorkshopApp(ctx)
        async with app.run_test(size=BIG) as pilot:
            screen = await begin(pilot)
            link.told(None)
            await press(pilot, "v", "plus", "r", "enter", "enter", "v", "2", "plus", "r", "enter")
            card = app.screen
            assert isinstance(card, DecidedScreen) and screen.workshop.shown.stage != "ending"
            panel = card.query_one(ScenePanel)
            words = rendered(panel.query_one(".scene-text", Static).content)
            note = rendered(panel.query_one(".notes", Static).content)
            if here:
                assert ctx.private and panel.display
                assert "Coming next, not shown to the room yet: the ending" in screen_text(app)
                assert "Ending: A Quiet Day" in words and "You make breakfast." in words and "Tone: hopeful" in words
                assert "Some rooms read this as giving up" in note
            else:
                assert not ctx.private and not panel.display and "A Quiet Day" not in screen_text(app)
            await press(pilot, "enter")  # now the room sees it
            assert screen.workshop.shown.stage == "ending"


async def test_the_setup_screen_refuses_twin_teams_and_absurd_timers_and_seeds(tmp_path: Path, monkeypatch) -> None:
    from textual.widgets import Input

    app = WorkshopApp(context(tmp_path, monkeypatch))
    said = heard(app, monkeypatch)
    async with app.run_test(size=BIG) as pilot:
        await started(pilot)
        for field, value, words in (("teams", "Red, Blue, red", "two teams are called"),
                                    ("discussion", "-30", "is not a time"), ("voting", "2h", "is not a time"),
                                    ("voting", "61m", "at most 60 minutes"),
                                    ("seed", "9" * 40, "has 40 digits: a seed is a whole number of at most 18")):
            app.screen.query_one(f"#{field}", Input).value = value
            await press(pilot, "ctrl+b")
            assert isinstance(app.screen, SetupScreen) and words in said[-1], (field, said[-1:])
            assert app.focused is app.screen.query_one(f"#{field}", Input)  # the field to mend has the focus
            app.screen.query_one(f"#{field}", Input).value = {"teams": "Red, Blue", "seed": ""}.get(field, "off")
        await press(pilot, "ctrl+b")
        assert isinstance(app.screen, DecisionScreen)
