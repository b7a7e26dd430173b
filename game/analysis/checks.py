"""The deep checks behind `second-chance validate`: what no play can do, found by exploring.

The loader checks that a file makes sense line by line. These checks look at
the story as a whole: scenes and endings no play reaches, choices whose
condition never holds where they are offered, places where play gets stuck or
goes round for ever, text that never shows, meters, flags and advice declared
but never used, and the author's own expected playthroughs. Every finding is a
Diagnostic with a stable SC1xx code, located in the file like the loader's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from game.analysis.expected import check_expected
from game.analysis.explore import STATE_CAP, Collector, Exploration, conditions, explore
from game.analysis.personas import PERSONAS, policy, relevant
from game.diagnostics import ERROR, WARNING, Diagnostic
from game.engine import Option, State
from game.expr import Env
from game.locate import Locator, locate
from game.model import AUTO_ENDING, Scenario

INFO = "info"
BAD_TONES = ("hard", "grim")
GOOD_TONES = ("hopeful", "warm")

CODES = {
    "SC110": (WARNING, "a scene no play can reach"),
    "SC111": (WARNING, "an ending no play can reach"),
    "SC112": (WARNING, "a choice whose condition never holds where it is offered"),
    "SC113": (ERROR, "a dead end: play can stand in a scene with no open choice"),
    "SC114": (ERROR, "a loop with no way out: no ending can be reached from it"),
    "SC115": (WARNING, "an ending whose `when` never holds when the story picks an ending"),
    "SC116": (WARNING, "a text variant that never shows"),
    "SC117": (WARNING, "a chat message whose `if` never holds"),
    "SC118": (WARNING, "a meter declared but never used"),
    "SC119": (WARNING, "a meter whose declared range is never reached"),
    "SC120": (WARNING, "a flag declared but never used"),
    "SC121": (WARNING, "a flag tested but never set"),
    "SC122": (WARNING, "scenario advice declared but never used"),
    "SC123": (WARNING, "a player who follows the advice can end badly"),
    "SC124": (WARNING, "a manipulative player can end well"),
    "SC130": (ERROR, "an expected playthrough ends somewhere else"),
    "SC131": (ERROR, "an expected playthrough names a choice that is not open"),
    "SC190": (INFO, "the story was too large to explore fully; sampled instead"),
}
"""Every deep-check code, its severity and what it means (docs/authoring.md explains each)."""


class _Facts(Collector):
    """Everything the checks need, gathered in one pass over the states."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.shown: set[tuple[str, int]] = set()
        self.held: set[tuple[str, int]] = set()
        self.variant_held: set[tuple[str, int]] = set()
        self.variant_shown: set[tuple[str, int]] = set()
        self.message_held: set[tuple[str, int]] = set()
        meters = scenario.meters
        self.low = {m.id: m.start for m in meters}
        self.high = {m.id: m.start for m in meters}
        self.picks = 0
        self.when_held: set[str] = set()
        self.picked: set[str] = set()

    def state(self, state: State, shown: list[Option]) -> None:
        env = state.env()
        for meter, value in state.meters.items():
            if value < self.low[meter]:
                self.low[meter] = value
            elif value > self.high[meter]:
                self.high[meter] = value
        place = self.scenario.scenes.get(state.at) or self.scenario.endings.get(state.at)
        first = None
        for i, variant in enumerate(place.variants):
            if variant.condition(env):
                self.variant_held.add((state.at, i))
                if first is None:
                    first = i
        if first is not None:
            self.variant_shown.add((state.at, first))
        scene = self.scenario.scenes.get(state.at)
        if scene is None:
            return
        for i, message in enumerate(scene.messages):
            if message.condition is not None and message.condition(env):
                self.message_held.add((state.at, i))
        for option in shown:
            if option.available:
                self.held.add((state.at, option.choice.index))
        for choice in scene.choices:  # hidden choices are not in `shown`, but were offered
            if choice.once and (state.at, choice.index) in state.taken:
                continue
            self.shown.add((state.at, choice.index))

    def pick(self, env: Env) -> None:
        self.picks += 1
        chosen = None
        for ending in self.scenario.endings.values():
            if ending.when is None or ending.when(env):
                if ending.when is not None:
                    self.when_held.add(ending.id)
                if chosen is None:
                    chosen = ending.id
        if chosen:
            self.picked.add(chosen)


class _Report:
    """Builds located diagnostics for one scenario file."""

    def __init__(self, scenario: Scenario, source: str | None):
        self.file = str(scenario.path) if scenario.path else "<scenario>"
        if source is None and scenario.path is not None:
            try:
                source = Path(scenario.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                source = ""
        text = (source or "").lstrip("\ufeff")
        self.locate = Locator(text)
        self.positions = locate(text)
        self.found: list[Diagnostic] = []

    def has(self, path: tuple) -> bool:
        """Whether the file itself writes this key (the standard meters exist without it)."""
        return tuple(path) in self.positions

    def add(self, code: str, message: str, path: tuple = (), hint: str | None = None) -> None:
        line, column = self.locate(path)
        self.found.append(Diagnostic(code, message, self.file, line, column, CODES[code][0], hint))


def _numbers(numbers: list[int]) -> str:
    return "choices " + ", ".join(map(str, numbers)) if numbers else "at the start"


def deep_check(scenario: Scenario, source: str | None = None, cap: int | None = None,
               personas: bool = True, file: str | None = None) -> tuple[list[Diagnostic], Exploration]:
    """Run every deep check; returns the diagnostics (in file order) and the exploration behind them.

    `source` is the file's text (read from `scenario.path` when not given) and
    `file` the name diagnostics carry, for scenarios loaded from memory.
    """
    cap = STATE_CAP if cap is None else cap
    facts = _Facts(scenario)
    walk = explore(scenario, facts, cap=cap)
    report = _Report(scenario, source)
    if file is not None:
        report.file = file
    _reachability(scenario, walk, facts, report)
    _choices(scenario, walk, facts, report)
    _text(scenario, walk, facts, report)
    _declarations(scenario, facts, report)
    if personas:
        _personas(scenario, report, cap)
    for problem in check_expected(scenario):
        report.add(problem.code, problem.message, problem.path, problem.hint)
    if not walk.exhaustive:
        report.add("SC190", f"explored {walk.states:,} states (the cap), then {walk.samples:,} random plays: "
                   "findings about what cannot happen are from sampling, not proof", ("scenario",),
                   "split the story, or use fewer meters and flags that conditions read")
    found = sorted(report.found, key=lambda d: (d.line, d.column, d.code))
    return found, walk


def _why(walk: Exploration) -> str:
    return "" if walk.exhaustive else " (in the states explored and plays sampled)"


def _reachability(scenario: Scenario, walk: Exploration, facts: _Facts, report: _Report) -> None:
    incoming: dict[str, list[str]] = {}
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            incoming.setdefault(choice.goto, []).append(scene.id)
    for scene_id in scenario.scenes:
        if scene_id in walk.places:
            continue
        sources = sorted(set(incoming.get(scene_id, ())))
        if not sources:
            hint = "no choice has `goto` this scene: link it from another scene, or remove it"
        else:
            hint = "the choices leading here are never open: " + ", ".join(f"`{s}`" for s in sources)
        report.add("SC110", f"scene `{scene_id}` is never reached by any play{_why(walk)}",
                   ("scenes", scene_id), hint)
    auto = any(c.goto == AUTO_ENDING for s in scenario.scenes.values() for c in s.choices)
    for ending in scenario.endings.values():
        if ending.id in walk.places:
            if ending.when is not None and facts.picks and ending.id not in facts.when_held:
                report.add("SC115", f"the `when` of ending `{ending.id}` never holds when the story picks "
                           f"an ending{_why(walk)}", ("endings", ending.id, "when"),
                           "it is still reached by a direct `goto`; change the condition or remove it")
            continue
        direct = sorted(set(incoming.get(ending.id, ())))
        if ending.when is not None and auto and facts.picks and ending.id not in facts.when_held and not direct:
            report.add("SC115", f"ending `{ending.id}` can never be reached: its `when` "
                       f"(`{ending.when.source}`) never holds when the story picks an ending{_why(walk)}",
                       ("endings", ending.id, "when"), "check the numbers against the meters' ranges and effects")
            continue
        if ending.id in facts.when_held or (ending.when is None and auto and facts.picks):
            hint = ("when the story picks an ending, one listed earlier always fits first: "
                    "move this one up, or narrow the `when` of those above it")
        elif direct:
            hint = "the choices leading here are never open: " + ", ".join(f"`{s}`" for s in direct)
        else:
            hint = "no choice leads here: add `goto = \"" + ending.id + "\"` or `goto = \"@ending\"` with a `when`"
        report.add("SC111", f"ending `{ending.id}` is never reached by any play{_why(walk)}",
                   ("endings", ending.id), hint)
    for scene_id, state_id in sorted(walk.stuck.items()):
        example = f" (e.g. after {_numbers(walk.example(state_id))})" if state_id >= 0 else ""
        report.add("SC113", f"dead end: play can reach scene `{scene_id}` with no open choice{example}",
                   ("scenes", scene_id, "choices"),
                   "add a choice without `if`, or make sure one of the conditions always holds here")
    for (scene_id, index), state_id in sorted(walk.traps.items()):
        if index < 0:
            report.add("SC114", "no play can ever reach an ending: the story loops for ever", ("scenario", "start"),
                       "give the loop a choice that leads to an ending")
            continue
        report.add("SC114", f"choice {index + 1} in `{scene_id}` leads into a loop with no way out: no ending "
                   f"can be reached after it (e.g. after {_numbers(walk.example(state_id))})",
                   ("scenes", scene_id, "choices", index, "goto"),
                   "give a scene in the loop a choice that leads on, or make a `once` choice of the way back")
    if not walk.exhaustive and walk.long_plays:
        report.add("SC114", f"{walk.long_plays} of {walk.samples} sampled plays went round for over 500 steps "
                   "without an ending", ("scenario", "start"), "look for a loop with no way out")


def _choices(scenario: Scenario, walk: Exploration, facts: _Facts, report: _Report) -> None:
    for scene in scenario.scenes.values():
        if scene.id not in walk.places:
            continue
        for choice in scene.choices:
            key = (scene.id, choice.index)
            if choice.condition is None or key in facts.held or key not in facts.shown:
                continue
            report.add("SC112", f"the condition of choice {choice.index + 1} in `{scene.id}` "
                       f"(`{choice.condition.source}`) never holds when the scene is reached{_why(walk)}",
                       ("scenes", scene.id, "choices", choice.index, "if"),
                       _range_hint(scenario, choice.condition, facts))


def _range_hint(scenario: Scenario, condition, facts: _Facts) -> str:
    reads = sorted(name for kind, name in condition.names() if kind == "meter")
    if reads:
        spans = ", ".join(f"{m} is {facts.low[m]}..{facts.high[m]}" for m in reads)
        return f"in reachable play {spans}; loosen the test or change the effects before it"
    return "check which flags are set on the way here"


def _text(scenario: Scenario, walk: Exploration, facts: _Facts, report: _Report) -> None:
    for kind, places in (("scenes", scenario.scenes), ("endings", scenario.endings)):
        for place in places.values():
            if place.id not in walk.places:
                continue
            for i, variant in enumerate(place.variants):
                if (place.id, i) in facts.variant_shown:
                    continue
                if (place.id, i) in facts.variant_held:
                    why = "an earlier variant always matches first"
                    hint = "put the narrower variant first"
                else:
                    why = f"its condition (`{variant.condition.source}`) never holds there"
                    hint = "check the condition against the plays that reach this place"
                report.add("SC116", f"text variant {i + 1} of `{place.id}` never shows: {why}{_why(walk)}",
                           (kind, place.id, "variants", i, "if"), hint)
    for scene in scenario.scenes.values():
        if scene.id not in walk.places:
            continue
        for i, message in enumerate(scene.messages):
            if message.condition is not None and (scene.id, i) not in facts.message_held:
                report.add("SC117", f"message {i + 1} in `{scene.id}` never shows: its condition "
                           f"(`{message.condition.source}`) never holds there{_why(walk)}",
                           ("scenes", scene.id, "messages", i, "if"), "check the condition, or remove the message")


def _declarations(scenario: Scenario, facts: _Facts, report: _Report) -> None:
    read = {name for c in conditions(scenario) for name in c.names()}
    changed: set[str] = set()
    set_flags: set[str] = set()
    cleared: set[str] = set()
    advice_used: set[str] = set()
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            changed.update(m for m, delta in choice.effects if delta)
            set_flags.update(choice.set_flags)
            cleared.update(choice.clear_flags)
            advice_used.update(choice.follows)
            advice_used.update(choice.ignores)
    for meter in scenario.meters:
        where = ("meters", meter.id)
        if not report.has(where):
            continue  # the standard meters need no declaration, so they are not flagged
        if meter.id not in changed and ("meter", meter.id) not in read:
            report.add("SC118", f"meter `{meter.id}` is declared but no choice moves it and no condition reads it",
                       where, "use it in `effects` or a condition, or remove [meters." + meter.id + "]")
            continue
        missed = []
        if report.has((*where, "min")) and facts.low[meter.id] > meter.min:
            missed.append(f"never goes below {facts.low[meter.id]} (min is {meter.min})")
        if report.has((*where, "max")) and facts.high[meter.id] < meter.max:
            missed.append(f"never goes above {facts.high[meter.id]} (max is {meter.max})")
        if missed:
            key = "min" if facts.low[meter.id] > meter.min else "max"
            report.add("SC119", f"meter `{meter.id}` " + " and ".join(missed) + " in any play",
                       (*where, key), "narrow the range to what play reaches, or make the effects larger")
    for flag in scenario.flags:
        tested = ("flag", flag) in read
        if flag not in set_flags and not tested:
            report.add("SC120", f"flag `{flag}` is declared but never set or tested", ("flags", flag),
                       f"set it with `set = [\"{flag}\"]` and test it in a condition, or remove it")
        elif tested and flag not in set_flags:
            report.add("SC121", f"flag `{flag}` is tested but no choice sets it, so it is always false",
                       ("flags", flag), f"add `set = [\"{flag}\"]` to the choice that makes it true")
    for advice_id in scenario.advice:
        where = ("advice", advice_id)
        if report.has(where) and advice_id not in advice_used:
            report.add("SC122", f"advice `{advice_id}` is declared in this scenario but no choice follows or "
                       "ignores it", where, "name it in a choice's `follows` or `ignores`, or remove it")


def _personas(scenario: Scenario, report: _Report, cap: int) -> None:
    for name, tones, code in (("follower", BAD_TONES, "SC123"), ("manipulator", GOOD_TONES, "SC124")):
        if not relevant(scenario, name):
            continue
        walk = explore(scenario, cap=cap, policy=policy(scenario, name))
        for ending in scenario.endings.values():
            if ending.id in walk.places and ending.tone in tones:
                state_id = walk.first_state[ending.id]
                report.add(code, f"{PERSONAS[name]} can reach `{ending.id}` ({ending.tone}), e.g. with "
                           f"{_numbers(walk.example(state_id))}{_why(walk)}", ("endings", ending.id),
                           "change the effects so this play ends differently, or check the tags "
                           "`follows` and `ignores`")


def codes_in(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """The codes found, in order (handy in tests)."""
    return [d.code for d in diagnostics]
