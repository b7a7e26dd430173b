"""Helpers for tests that play scenarios: scripted plain-player runs and small files."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from game import library, plain
from game.engine import Playthrough
from game.loader import load_scenario, load_text
from game.model import Scenario


class _Piped(io.StringIO):
    def isatty(self) -> bool:  # a script, not a person: answers are echoed into the transcript
        return False


def builtin(name: str) -> Scenario:
    path = library.find(name)
    assert path is not None, f"no built-in scenario {name}"
    return load_scenario(path)


def transcript(scenario: Scenario, answers: list[str | int], reveal: bool = False) -> tuple[str, Playthrough]:
    """Play `answers` (option numbers as typed, or commands like "u") through the plain player."""
    stdin = _Piped("".join(f"{a}\n" for a in answers))
    stdout = io.StringIO()
    play = plain.run(scenario, stdin, stdout, reveal=reveal)
    return stdout.getvalue(), play


@functools.cache
def expected_plays() -> tuple[Playthrough, ...]:
    """Every built-in story's `[[expected]]` plays, played to their endings."""
    plays = []
    for path in library.builtin_scenarios():
        scenario = load_scenario(path)
        for expectation in scenario.expected:
            play = Playthrough.begin(scenario)
            for number in expectation.choices:
                play = play.choose_number(number)
            plays.append(play)
    return tuple(plays)


def write(tmp_path: Path, text: str, name: str = "story.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = '''\
[scenario]
id = "tiny"
title = "Tiny"
summary = "A two-scene test story."
start = "door"

[flags]
knocked = "You knocked."

[scenes.door]
text = "A door."

[[scenes.door.choices]]
text = "Knock."
goto = "hall"
effects = { trust = 1 }
set = ["knocked"]

[[scenes.door.choices]]
text = "Leave."
goto = "left"
effects = { self_esteem = 1 }

[scenes.hall]
text = "A hall."

[[scenes.hall.choices]]
text = "Wait."
goto = "@ending"

[endings.warm]
title = "Warm"
tone = "warm"
when = "trust >= 6"
text = "They open the door."

[endings.left]
title = "Left"
tone = "hopeful"
outcome = "apart"
text = "You walk home."
'''


def chain(scenes: int) -> str:
    """The scenes of a story in a line, from `a` to an ending `done` the caller adds: each scene's two choices
    lead to the next, one raising trust and one lowering it (far more situations than scenes, and no loop)."""
    name = ["a", *(f"s{i}" for i in range(1, scenes)), "done"]
    parts = []
    for i in range(scenes):
        here, nxt = name[i], name[i + 1]
        parts.append(f'[scenes.{here}]\ntext = "Step {i}."\n'
                     f'[[scenes.{here}.choices]]\ntext = "On."\ngoto = "{nxt}"\neffects = {{ trust = 1 }}\n'
                     f'[[scenes.{here}.choices]]\ntext = "Onward."\ngoto = "{nxt}"\neffects = {{ trust = -1 }}\n')
    return "\n".join(parts)


def tiny() -> Scenario:
    return load_text(MINIMAL, "tiny.toml", catalog={})


def roomy(states: int = 200_000):
    """A budget that only the number of states can end: tests must not depend on the machine's speed."""
    from game.analysis.budget import Budget

    return Budget(seconds=3_600, states=states, work=10**12)


def explore(scenario: Scenario, limit: int = 200_000) -> tuple[set[str], set[tuple[str, int]], set[str]]:
    """Every reachable place, every choice that can be open, and every place where play gets stuck.

    Exhaustive over the real engine rules (meters, flags, visits, once-only), so
    a story test that uses it proves reachability rather than sampling it. A thin
    call into game.analysis, so the tests and `validate` share one exploration.
    """
    from game.analysis.explore import explore as walk

    found = walk(scenario, budget=roomy(limit))
    assert found.exhaustive, "state space too large to explore in a test"
    return found.places, found.open_choices, set(found.stuck)


def every_state(scenario: Scenario, limit: int = 200_000) -> list:
    """Every distinct reachable State, endings included, from the same exhaustive walk as `explore`.

    Nothing is merged here: each combination of meters, flags and once-only
    choices a play can reach is its own State (reached by the first play found).
    """
    from game.analysis.explore import Collector
    from game.analysis.explore import explore as walk

    class Gather(Collector):
        def __init__(self) -> None:
            self.states: list = []

        def state(self, state, shown) -> None:
            self.states.append(state)

    gather = Gather()
    assert walk(scenario, gather, budget=roomy(limit)).exhaustive, "state space too large to explore in a test"
    return gather.states


def texts_shown(scenario: Scenario, states: list) -> set[tuple[str, object]]:
    """What a player can be shown: (place, variant index or "default") and (place, "message N")."""
    shown: set[tuple[str, object]] = set()
    for state in states:
        node = scenario.scenes.get(state.at) or scenario.endings[state.at]
        env = state.env()
        shown.add((state.at, next((i for i, v in enumerate(node.variants) if v.condition(env)), "default")))
        for i, message in enumerate(getattr(node, "messages", ())):
            if message.condition is None or message.condition(env):
                shown.add((state.at, f"message {i}"))
    return shown


RICH = '''\
[scenario]
id = "rich"
title = "Rich"
summary = "Exercises every engine rule."
start = "room"

[meters.trust]
start = 9

[flags]
called = "You called."

[advice.call-less]
title = "Call less"
text = "Fewer calls."
sources = ["A1 #6"]
disagreement = "A3 says to reach out first."
stance = "We side with patience."

[advice.be-honest]
title = "Be honest"
text = "Say it plainly."
sources = ["A2 #8"]

[scenes.room]
text = "A room."
variants = [{ if = "trust >= 10", text = "A warm room." }, { if = "called", text = "A loud room." }]
messages = [{ from = "you", text = "hi", draft = true }, { from = "Ana", text = "hey", if = "called" }]

[[scenes.room.choices]]
text = "Call."
goto = "room"
once = true
effects = { trust = 5, self_esteem = -7 }
set = ["called"]
ignores = ["call-less"]

[[scenes.room.choices]]
text = "Talk."
if = "trust >= 10"
unavailable = "strike"
reason = "Not warm enough."
goto = "@ending"
follows = ["be-honest"]

[[scenes.room.choices]]
text = "Whisper."
if = "called and visits.room >= 2"
goto = "@ending"

[[scenes.room.choices]]
text = "Leave."
goto = "gone"
clear = ["called"]
follows = ["call-less"]

[endings.close]
title = "Close"
tone = "warm"
outcome = "together"
when = "trust >= 10"
text = "Close."

[endings.gone]
title = "Gone"
tone = "hopeful"
outcome = "apart"
text = "Gone."
variants = [{ if = "self_esteem <= 0", text = "Gone, and tired." }]
'''


# A short story for workshop tests: four options (one struck), two decisions, prompts and a note.
ROOM = '''\
[scenario]
id = "room-test"
title = "The Room Test"
summary = "Three options, one struck, two steps."
start = "first"

[flags]
bold = "You said it first."

[scenes.first]
title = "Evening"
text = "A message arrives."
discuss = ["What is the character hoping for?"]
facilitator = "Listen for who the room thinks is to blame."

[[scenes.first.choices]]
text = "Answer kindly."
goto = "second"
effects = { trust = 1 }
discuss = ["Why does kindness feel risky here?"]

[[scenes.first.choices]]
text = "Say it first."
goto = "second"
effects = { self_esteem = -1 }
set = ["bold"]

[[scenes.first.choices]]
text = "Call them."
goto = "second"
if = "trust >= 9"
unavailable = "strike"
reason = "Not at this hour."

[[scenes.first.choices]]
text = "Wait until morning."
goto = "second"

[scenes.second]
title = "Later"
text = "They reply."

[[scenes.second.choices]]
text = "Meet for coffee."
goto = "coffee"

[[scenes.second.choices]]
text = "Leave it there."
goto = "apart"

[endings.coffee]
title = "Coffee"
tone = "hopeful"
outcome = "open"
text = "You meet."
discuss = ["Was this a good ending? For whom?"]

[endings.apart]
title = "Apart"
tone = "warm"
outcome = "apart"
text = "You let it be."
'''


STAIRS = '''\
[scenario]
id = "stairs-room"
title = "The Stairs"
summary = "Two stairs, and one piece of advice met on both."
start = "one"

[advice.slow-down]
title = "Slow down"
text = "Take it one day at a time."
sources = ["A1 #19"]
disagreement = "One article says to act while the feeling is fresh."
stance = "The game sides with taking time: a rested answer is a kinder one."

[advice.take-time]
title = "Take your time"
text = "Nothing has to be settled tonight."
sources = ["A1 #19"]
disagreement = "One article says to act while the feeling is fresh."
stance = "The game sides with taking time: a rested answer is a kinder one."

[advice.check-in]
title = "Check in with a friend"
text = "Ask someone you trust."
sources = ["A1 #22"]

[scenes.one]
title = "The first stair"
text = "A message waits."

[[scenes.one.choices]]
text = "Wait a day."
goto = "two"
effects = { trust = 1 }
follows = ["slow-down", "take-time"]

[[scenes.one.choices]]
text = "Answer at once."
goto = "two"
ignores = ["slow-down"]

[scenes.two]
title = "The second stair"
text = "Another message."

[[scenes.two.choices]]
text = "Rush it."
goto = "@ending"
effects = { self_esteem = -1 }
ignores = ["slow-down", "check-in"]

[endings.done]
title = "Done"
tone = "hopeful"
outcome = "apart"
text = "That was that."
'''
"""A story whose one path follows a piece of advice and then ignores it, with one debate raised twice."""


def stairs_room(help_story: bool = False):
    """A workshop of STAIRS (a red-flag story when `help_story`), walked by one team: follow, then ignore."""
    from game.workshop.room import Workshop  # only the workshop tests need the workshop

    source = STAIRS.replace('start = "one"', 'start = "one"\nhelp = true') if help_story else STAIRS
    room = Workshop(load_text(source, "stairs.toml", catalog={}), ["Red"])
    room.begin()
    for index in (0, 0):
        room.set_hands(index, 2)
        room.reveal()
        room.decide()
        room.show()
    return room

@functools.cache
def crafted() -> Scenario:
    """`hostile()` loaded once for every test that needs it (loading 250 KB of long conditions takes a moment)."""
    return load_text(hostile(), "hostile.toml", catalog={})


def hostile(choices: int = 400) -> str:
    """A file made to be slow (about 250 KB): meters from -1000 to 1000, one scene of `choices`
    self-looping choices, each with a long condition and a flag of its own, and one way out."""
    out = ['[scenario]\nid = "hostile"\ntitle = "Hostile"\nsummary = "Made to be slow."\nstart = "loop"\n']
    for m in range(4):
        out.append(f"[meters.m{m}]\nstart = 0\nmin = -1000\nmax = 1000\n")
    out.append("[flags]\n" + "".join(f'f{i} = "Flag {i}."\n' for i in range(choices)))
    out.append('[scenes.loop]\ntext = "Round and round."\n')
    for i in range(choices):
        parts, k = [], 0
        while sum(len(p) + 5 for p in parts) < 470:
            parts.append(f"(m{k % 4} > {-900 + k} or f{(i + k) % choices})")
            k += 1
        out.append(f'[[scenes.loop.choices]]\ntext = "Choice {i}."\ngoto = "loop"\nif = "{" and ".join(parts)}"\n'
                   f'effects = {{ m{i % 4} = {1 + i % 3} }}\nset = ["f{i}"]\n')
    out.append('[[scenes.loop.choices]]\ntext = "Leave."\ngoto = "out"\n'
               '[endings.out]\ntitle = "Out"\ntone = "hopeful"\noutcome = "apart"\ntext = "Out at last."\n')
    return "".join(out)


VOTE_STORY = '''\
[scenario]
id = "phone-vote-test"
title = "The Phone Vote Test"
summary = "Two decisions, one struck option, an ending with help."
start = "first"

[scenes.first]
title = "A late message"
text = "Your phone lights up."

[[scenes.first.choices]]
text = "Reply kindly."
goto = "second"
effects = { trust = 1 }

[[scenes.first.choices]]
text = "Reply <b>at once</b> & loudly."
goto = "second"

[[scenes.first.choices]]
text = "Call them now."
goto = "second"
if = "trust >= 9"
unavailable = "strike"
reason = "Not at this hour."

[[scenes.first.choices]]
text = "Sleep on it."
goto = "second"

[scenes.second]
title = "The next morning"
text = "A reply waits."

[[scenes.second.choices]]
text = "Meet for coffee."
goto = "coffee"

[[scenes.second.choices]]
text = "Let it rest."
goto = "rest"

[endings.coffee]
title = "Coffee, and a careful start"
tone = "hopeful"
outcome = "open"
text = "You meet."

[endings.rest]
title = "Letting it rest"
tone = "warm"
outcome = "apart"
text = "You let it be."
help = true
'''


def vote_story() -> Scenario:
    """A two-decision story for the vote server and the phone page: a struck option, markup-like text, help."""
    return load_text(VOTE_STORY, "phone-vote-test.toml", catalog={})


def played(scenario: Scenario, answers: list[int]) -> Playthrough:
    """A play of `answers` (open-choice numbers, as a player types them), straight through the engine."""
    play = Playthrough.begin(scenario)
    for number in answers:
        play = play.choose_number(number)
    return play


def assert_golden(scenario: Scenario, paths: dict[str, tuple[list[int], str]], name: str, snapshot) -> None:
    """The named path reaches its ending, and its plain transcript matches the golden file."""
    answers, ending = paths[name]
    text, play = transcript(scenario, answers)
    assert play.ending is not None and play.ending.id == ending
    snapshot.assert_match(text, f"{name}.txt")


def assert_expected_among(scenario: Scenario, paths: dict[str, tuple[list[int], str]]) -> None:
    """The file's own `[[expected]]` plays (at least two) are all among the tested paths."""
    promised = {(tuple(e.choices), e.ending) for e in scenario.expected}
    scripted = {(tuple(answers), ending) for answers, ending in paths.values()}
    assert len(promised) >= 2
    assert promised <= scripted


RESOURCE_TOPICS = '''\
[topics.abuse]
title = "If someone frightens you"
intro = "Abuse intro."

[topics.relationships]
title = "When it is unhealthy"
intro = "Relationships intro."

[[resources]]
name = "Everyone line"
contact = "call 111"
checked = "2026-11-23"

[[resources]]
name = "Abuse line"
contact = "call 222"
topics = ["abuse"]

[[resources]]
name = "Counselling line"
contact = "call 333"
checked = "2026-12-07"
topics = ["relationships"]
'''
"""A help-resources file with two topics: a service for everyone, one for each topic."""
