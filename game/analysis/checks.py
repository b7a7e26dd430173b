"""The deep checks behind `second-chance validate`: what no play can do, found by exploring.

The loader checks that a file makes sense line by line. These checks look at
the story as a whole: scenes and endings no play reaches, choices whose
condition never holds where they are offered, places where play gets stuck or
goes round for ever, text that never shows, meters, flags and advice declared
but never used, the game's promises about tactics and good faith (over every
path), the author's own expected playthroughs, and whether `minutes` fits a
typical play. Every finding is a Diagnostic with a stable SC1xx code, located
in the file like the loader's.

Every question is answered from one exploration (game.analysis.explore),
which runs on a Budget: no file can keep the checks busy for long, and when
the budget ends the walk early the findings say so (SC190).
"""

from __future__ import annotations

from pathlib import Path

from game.analysis.budget import Budget
from game.analysis.cast import findings as cast_findings
from game.analysis.conditions import conditions
from game.analysis.expected import check_expected
from game.analysis.explore import MAX_STEPS, Exploration, explore
from game.analysis.machine import Machine
from game.analysis.numbering import choice_in, example, ordinal, quoted
from game.analysis.promises import findings as promise_findings
from game.analysis.reading import DECIDE, FLOOR, PACE, SLACK, estimate
from game.diagnostics import ERROR, WARNING, Diagnostic, Related
from game.locate import Locator, locate
from game.model import AUTO_ENDING, Scenario

INFO = "info"

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
    "SC125": (ERROR, "a play that ignores no advice and takes no tactic can end hard or grim"),
    "SC126": (ERROR, "a play that takes a tactic can end hopeful, or together and warm"),
    "SC130": (ERROR, "an expected playthrough ends somewhere else"),
    "SC131": (ERROR, "an expected playthrough names a choice that is not open"),
    "SC140": (WARNING, "`minutes` is far from how long a typical play takes to read"),
    "SC150": (WARNING, "a cast member named in a choice or a message before the story has introduced them"),
    "SC151": (WARNING, "a cast member the story never names"),
    "SC190": (INFO, "the checks stopped before seeing every play (the budget); results are partial"),
}
"""Every deep-check code, its severity and what it means (docs/authoring.md explains each)."""

RETIRED = {
    "SC123": "a player who always follows the most advice can end badly (one greedy persona); "
             "replaced by SC125, which holds over every play",
    "SC124": "a player who always takes the manipulative tactic can end well (one greedy persona); "
             "replaced by SC126, which holds over every play",
}
"""Codes no longer given. Codes never change meaning, so these stay retired rather than reused."""


class _Report:
    """Builds located diagnostics for one scenario file (the source is scanned once, when first needed)."""

    def __init__(self, scenario: Scenario, source: str | None, file: str | None):
        self.file = file if file is not None else str(scenario.path) if scenario.path else "<scenario>"
        if source is None and scenario.path is not None:
            try:
                source = Path(scenario.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                source = ""
        self.text = (source or "").lstrip("\ufeff")
        self._positions: dict[tuple, tuple[int, int]] | None = None
        self._locator: Locator | None = None  # for a place inside a string, when a finding needs one
        self.found: list[Diagnostic] = []

    @property
    def positions(self) -> dict[tuple, tuple[int, int]]:
        if self._positions is None:
            self._positions = locate(self.text)
        return self._positions

    def has(self, path: tuple) -> bool:
        """Whether the file itself writes this key (the standard meters exist without it)."""
        return tuple(path) in self.positions

    def where(self, path: tuple) -> tuple[int, int]:
        """The line and column of `path`, or of its nearest ancestor the file writes."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return 1, 1

    def add(self, code: str, message: str, path: tuple = (), hint: str | None = None, severity: str | None = None,
            related: tuple[tuple[str, tuple], ...] = (), index: int | None = None) -> None:
        """A finding at `path` (at the `index`-th character of the string there, when given); `related` holds
        (what, path) of other places that explain it."""
        line, column = self.where(path)
        if index is not None:
            if self._locator is None:
                self._locator = Locator(self.text)
            line, column = self._locator.char_position(path, index) or (line, column)
        places = tuple(Related(what, *self.where(where)) for what, where in related)
        self.found.append(Diagnostic(code, message, self.file, line, column, severity or CODES[code][0], hint,
                                     places))

    def unseen(self, walk: Exploration, code: str, never: str, not_yet: str, path: tuple,
               hint: str | None = None) -> None:
        """A finding about what no play does: `never` when every play was seen; when the budget stopped the
        walk first it is not proven, so `not_yet` is said instead, as information (never a warning)."""
        if walk.exhaustive:
            self.add(code, never, path, hint)
        else:
            self.add(code, f"{not_yet}, in the plays explored before the budget ran out", path, hint, INFO)


def deep_check(scenario: Scenario, source: str | None = None, cap: int | None = None,
               personas: bool = True, file: str | None = None, *,
               budget: Budget | None = None) -> tuple[list[Diagnostic], Exploration]:
    """Run every deep check; returns the diagnostics (in file order) and the exploration behind them.

    `source` is the file's text (read from `scenario.path` when not given) and
    `file` the name diagnostics carry, for scenarios loaded from memory.
    `budget` bounds the work (a default Budget when not given); `cap` also
    limits the states explored. `personas=False` leaves out the checks of the
    game's promises (SC125, SC126), which once followed personas and now
    hold over every play.
    """
    budget = budget if budget is not None else Budget()
    budget.start()
    machine = Machine(scenario)
    walk = explore(scenario, cap=cap, budget=budget, machine=machine)
    report = _Report(scenario, source, file)
    _reachability(scenario, walk, report)
    _choices(scenario, walk, report)
    _text(scenario, walk, report)
    _declarations(scenario, walk, report)
    if personas:
        for code, message, path, hint, related in promise_findings(scenario, walk):
            report.add(code, message, path, hint, related=related)
    for code, message, path, hint, related, index in cast_findings(scenario, walk):
        report.add(code, message, path, hint, related=related, index=index)
    for problem in check_expected(scenario):
        report.add(problem.code, problem.message, problem.path, problem.hint)
    _minutes(scenario, budget, report)
    if not walk.exhaustive:
        _partial(walk, budget, report)
    found = sorted(report.found, key=lambda d: (d.line, d.column, d.code))
    return found, walk


def _partial(walk: Exploration, budget: Budget, report: _Report) -> None:
    how = f"stopped after {walk.states:,} states and {walk.seconds:.1f} s ({budget.why(walk.stopped)})"
    if walk.samples:
        how += f", then played {walk.samples:,} random games"
    report.add("SC190", f"{how}: results are partial, and what was not seen is reported as \"not ... yet\", as "
               "information, never as a warning",
               ("scenario",), "`--budget SECONDS` or `--max-states N` lets the checks go further; "
               "splitting the story, or letting fewer meters and flags decide things, makes it smaller")




def incoming(scenario: Scenario) -> dict[str, list[tuple[str, int]]]:
    """For each `goto` target: the (scene, choice index) of every choice that leads there."""
    found: dict[str, list[tuple[str, int]]] = {}
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            found.setdefault(choice.goto, []).append((scene.id, choice.index))
    return found


def never_reached_hint(scenario: Scenario, walk: Exploration, place: str,
                       leads: dict[str, list[tuple[str, int]]] | None = None) -> str:
    """Why no play reaches a scene or ending, for SC110, SC111 and `path` (`leads` is `incoming(scenario)`).

    Each reason is one the walk showed: said as "never" only when every play was seen, and as "not yet"
    when the budget stopped the walk first.
    """
    leads = incoming(scenario) if leads is None else leads
    proved = walk.exhaustive
    sources = leads.get(place, [])
    reasons = []
    unreached = [s for s in sources if s[0] not in walk.places]
    closed = [s for s in sources if s[0] in walk.places and s not in walk.open_choices]
    untaken = [s for s in sources if s in walk.open_choices]
    if unreached:
        reasons.append(("no play reaches the scenes of the choices that lead here: " if proved else
                        "no play explored has reached the scenes of the choices that lead here yet: ")
                       + _some_choices(unreached))
    if closed:
        reasons.append(("the choices that lead here are never open when their scene is reached: " if proved else
                        "the choices that lead here have not been open yet when their scene was reached: ")
                       + _some_choices(closed))
    if untaken:
        reasons.append("the choices that lead here were open, but the budget ran out before a play took one: "
                       + _some_choices(untaken))
    if place in scenario.endings:
        ending = scenario.endings[place]
        auto = AUTO_ENDING in leads
        if place in walk.when_held or (ending.when is None and auto and walk.picks):
            reasons.append("when the story picks an ending, one listed earlier always fits first: "
                           "move this one up, or narrow the `when` of those above it")
        elif ending.when is not None and auto and walk.picks:
            held = "never holds" if proved else "has not held yet"
            reasons.append(f"its `when` (`{ending.when.source}`) {held} when the story picks an ending "
                           "(`goto = \"@ending\"`): check the numbers against the meters' ranges and effects")
        elif auto and not walk.picks:
            reasons.append("no play " + ("takes" if proved else "explored has taken") + " a choice with "
                           "`goto = \"@ending\"`, where " + ("its `when` would be tested" if ending.when is not None
                                                            else "the story picks an ending"))
        elif not sources:
            reasons.append(f"no choice leads here: add a choice with `goto = \"{place}\"`, or one with "
                           "`goto = \"@ending\"` (the story then picks the first ending whose `when` holds)")
    elif not sources:
        reasons.append("no choice has `goto` this scene: link it from another scene, or remove it")
    return "; and ".join(reasons)


def _some_choices(sources: list[tuple[str, int]]) -> str:
    """Up to six choices by their place in the file, and how many more."""
    named = [choice_in(scene, index) for scene, index in sources[:6]]
    return ", ".join(named) + (f" and {len(sources) - 6} more" if len(sources) > 6 else "")


def _reachability(scenario: Scenario, walk: Exploration, report: _Report) -> None:
    leads = incoming(scenario)
    for scene_id in scenario.scenes:
        if scene_id not in walk.places:
            report.unseen(walk, "SC110", f"scene `{scene_id}` is never reached by any play",
                          f"scene `{scene_id}` was not reached yet", ("scenes", scene_id),
                          never_reached_hint(scenario, walk, scene_id, leads))
    auto = AUTO_ENDING in leads
    for ending in scenario.endings.values():
        if ending.id in walk.places:
            if ending.when is not None and walk.picks and ending.id not in walk.when_held:
                report.unseen(walk, "SC115", f"the `when` of ending `{ending.id}` never holds when the story "
                              "picks an ending", f"the `when` of ending `{ending.id}` has not held yet when the "
                              "story picks an ending", ("endings", ending.id, "when"),
                              "it is still reached by a direct `goto`; change the condition or remove it")
            continue
        direct = leads.get(ending.id)
        if ending.when is not None and auto and walk.picks and ending.id not in walk.when_held and not direct:
            report.unseen(walk, "SC115", f"ending `{ending.id}` can never be reached: its `when` "
                          f"(`{ending.when.source}`) never holds when the story picks an ending",
                          f"ending `{ending.id}` was not reached yet: its `when` (`{ending.when.source}`) has not "
                          "held when the story picked an ending", ("endings", ending.id, "when"),
                          "check the numbers against the meters' ranges and effects")
            continue
        report.unseen(walk, "SC111", f"ending `{ending.id}` is never reached by any play",
                      f"ending `{ending.id}` was not reached yet", ("endings", ending.id),
                      never_reached_hint(scenario, walk, ending.id, leads))
    for scene_id, ref in sorted(walk.stuck.items()):
        report.add("SC113", f"dead end: play can reach scene `{scene_id}` with no open choice "
                   f"(e.g. {example(walk, ref)})", ("scenes", scene_id, "choices"),
                   "add a choice without `if`, or make sure one of the conditions always holds here")
    for (scene_id, index), ref in sorted(walk.traps.items()):
        if index < 0:
            report.add("SC114", "no play can ever reach an ending: the story loops for ever", ("scenario", "start"),
                       "give the loop a choice that leads to an ending")
            continue
        text = scenario.scenes[scene_id].choices[index].text
        report.add("SC114", f"{choice_in(scene_id, index)} ({quoted(text)}) leads into a loop with no way out: "
                   f"no ending can be reached after it (e.g. {example(walk, ref)})",
                   ("scenes", scene_id, "choices", index, "goto"),
                   "give a scene in the loop a choice that leads on, or make a `once` choice of the way back")
    if walk.unproved_loops:
        steps = max(MAX_STEPS, len(scenario.scenes) + 1)
        report.add("SC114", f"{walk.unproved_loops:,} of {walk.samples:,} sampled plays went round a loop for "
                   f"{steps:,} steps without reaching an ending; no loop with no way out was found yet",
                   ("scenario", "start"), "if a loop should always let the player leave, check that one of its "
                   "choices leads on whatever the meters and flags say", INFO)


def _choices(scenario: Scenario, walk: Exploration, report: _Report) -> None:
    machine = walk.machine
    for rule in machine.rules:
        scene_id = machine.place_ids[rule.scene]
        choice = rule.choice
        if choice.condition is None or walk.held[rule.gid] or not walk.shown[rule.gid]:
            continue
        which = f"the condition of {choice_in(scene_id, choice.index)} ({quoted(choice.text)}), " \
                f"`{choice.condition.source}`,"
        report.unseen(walk, "SC112", f"{which} never holds when the scene is reached",
                      f"{which} has not held yet when the scene was reached",
                      ("scenes", scene_id, "choices", choice.index, "if"),
                      _range_hint(choice.condition, walk, rule.scene))


def _range_hint(condition, walk: Exploration, scene: int) -> str:
    """Where the meters a condition reads can be when play stands in its scene (the situations found there;
    after a budget stop, only those explored)."""
    reads = sorted(name for kind, name in condition.names() if kind == "meter")
    here = [node for node in walk.nodes if node[0] == scene]
    if reads and here:
        slot = walk.machine.meter_slot
        spans = ", ".join(f"{m} {'is' if walk.exhaustive else 'was'} "
                          f"{span(min(n[slot[m]] for n in here), max(n[slot[m]] for n in here))}" for m in reads)
        when = "when play reaches this scene" if walk.exhaustive else "in the situations explored here,"
        return f"{when} {spans}; loosen the test or change the effects before it"
    return "check which flags are set on the way here"


def span(low: int, high: int) -> str:
    """A range of values as a message says it: "2" when it is one value, "0..7" otherwise."""
    return str(low) if low == high else f"{low}..{high}"


def _text(scenario: Scenario, walk: Exploration, report: _Report) -> None:
    for kind, places in (("scenes", scenario.scenes), ("endings", scenario.endings)):
        for place in places.values():
            if place.id not in walk.places:
                continue
            for i, variant in enumerate(place.variants):
                if (place.id, i) in walk.variant_shown:
                    continue
                if (place.id, i) in walk.variant_held:
                    why = "an earlier variant always matches first"
                    hint = "put the narrower variant first"
                else:
                    why = f"its condition (`{variant.condition.source}`) never holds there"
                    hint = "check the condition against the plays that reach this place"
                report.unseen(walk, "SC116", f"the {ordinal(i + 1)} text variant of `{place.id}` never shows: "
                              f"{why}", f"the {ordinal(i + 1)} text variant of `{place.id}` has not shown yet",
                              (kind, place.id, "variants", i, "if"), hint)
    for scene in scenario.scenes.values():
        if scene.id not in walk.places:
            continue
        for i, message in enumerate(scene.messages):
            if message.condition is not None and (scene.id, i) not in walk.message_held:
                report.unseen(walk, "SC117", f"the {ordinal(i + 1)} message in `{scene.id}` never shows: its "
                              f"condition (`{message.condition.source}`) never holds there",
                              f"the {ordinal(i + 1)} message in `{scene.id}` has not shown yet",
                              ("scenes", scene.id, "messages", i, "if"), "check the condition, or remove the message")


def _declarations(scenario: Scenario, walk: Exploration, report: _Report) -> None:
    read = {name for c in conditions(scenario) for name in c.names()}
    changed: set[str] = set()
    set_flags: set[str] = set()
    advice_used: set[str] = set()
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            changed.update(m for m, delta in choice.effects if delta)
            set_flags.update(choice.set_flags)
            advice_used.update(choice.follows)
            advice_used.update(choice.ignores)
    for meter in scenario.meters:  # the file is scanned for positions only when a finding is likely
        where = ("meters", meter.id)
        unused = meter.id not in changed and ("meter", meter.id) not in read
        low, high = walk.low[meter.id], walk.high[meter.id]
        if not (unused or low > meter.min or high < meter.max) or not report.has(where):
            continue  # the standard meters need no declaration, so they are not flagged
        if unused:
            report.add("SC118", f"meter `{meter.id}` is declared but no choice moves it and no condition reads it",
                       where, "use it in `effects` or a condition, or remove [meters." + meter.id + "]")
            continue
        missed = []
        if low > meter.min and report.has((*where, "min")):
            missed.append(f"never goes below {low} (min is {meter.min})")
        if high < meter.max and report.has((*where, "max")):
            missed.append(f"never goes above {high} (max is {meter.max})")
        if missed:
            key = "min" if missed[0].startswith("never goes below") else "max"
            report.unseen(walk, "SC119", f"meter `{meter.id}` " + " and ".join(missed) + " in any play",
                          f"meter `{meter.id}` " + " and ".join(missed).replace("never goes", "has not gone")
                          + " yet", (*where, key), "narrow the range to what play reaches, or make the effects "
                          "larger")
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
        if advice_id not in advice_used and advice_id in report.text and report.has(where):
            report.add("SC122", f"advice `{advice_id}` is declared in this scenario but no choice follows or "
                       "ignores it", where, "name it in a choice's `follows` or `ignores`, or remove it")


def _minutes(scenario: Scenario, budget: Budget, report: _Report) -> None:
    """SC140: `minutes` against the words a typical play reads, at about 200 words a minute.

    It warns when the two differ by more than half of `minutes` and by more
    than two minutes (below that, opening the story and thinking at each
    choice matter as much as reading).
    """
    if not scenario.minutes or budget.stopped:
        return
    guess = estimate(scenario, budget)
    if guess is None:
        return
    said = scenario.minutes
    if abs(guess.minutes - said) <= max(said * SLACK, FLOOR):
        return
    report.add("SC140", f"`minutes = {said}`, but a typical play reads about {guess.words:,} words over "
               f"{guess.choices} choices, debrief included: about {guess.minutes:.0f} "
               f"minute{'s' if round(guess.minutes) != 1 else ''} at {PACE} words a minute and {DECIDE} "
               "seconds a choice",
               ("scenario", "minutes"), f"set `minutes = {max(1, round(guess.minutes))}`, or check that the "
               "story's length is what you meant")
