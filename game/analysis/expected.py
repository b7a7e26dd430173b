"""Expected playthroughs: the plays an author promises, checked on every validate.

An `[[expected]]` entry lists choices (option numbers as the player types
them, or the exact text of a choice) and the ending they must reach. They are
played with the real engine, so a later edit that breaks a promised route is
caught the moment the file is validated.
"""

from __future__ import annotations

import attrs

from game.analysis.numbering import short
from game.engine import EngineError, Playthrough
from game.expr import suggest
from game.model import Expectation, Scenario
from game.safetext import one_line


@attrs.frozen
class Problem:
    code: str
    message: str
    path: tuple
    hint: str | None = None


def play_expected(scenario: Scenario, expectation: Expectation) -> tuple[Playthrough, Problem | None, int]:
    """Play one expectation; returns the play so far, any problem, and the step it stopped at."""
    play = Playthrough.begin(scenario)
    for step, wanted in enumerate(expectation.choices):
        open_ = [o for o in play.options() if o.available]
        if play.is_over:
            return play, Problem("SC131", f"expected play `{expectation.name}`: step {step + 1} comes after the "
                                 f"story has already ended at `{play.state.at}`", (step,),
                                 "remove the extra steps"), step
        if isinstance(wanted, int):
            if not 1 <= wanted <= len(open_):
                shown = f"options 1 to {len(open_)} are open" if open_ else "no option is open"
                return play, Problem("SC131", f"expected play `{expectation.name}`: step {step + 1} picks option "
                                     f"{wanted} in `{play.state.at}`, but {shown}", (step,),
                                     _listing(open_)), step
            play = play.choose_number(wanted)
            continue
        match = [o for o in open_ if o.choice.text == wanted.strip()]
        if not match:
            texts = [o.choice.text for o in open_]
            hint = suggest(wanted, texts) or _listing(open_)
            return play, Problem("SC131", f"expected play `{expectation.name}`: step {step + 1} picks "
                                 f"\"{wanted}\", which is not open in `{play.state.at}`", (step,), hint), step
        try:
            play = play.choose(match[0].choice.index)
        except EngineError as problem:  # pragma: no cover - open options can always be chosen
            return play, Problem("SC131", str(problem), (step,)), step
    return play, None, len(expectation.choices)


def _listing(open_) -> str:
    if not open_:
        return "play is stuck here"
    return "open now: " + "; ".join(f"{o.number}. {short(o.choice.text)}" for o in open_)


def check_expected(scenario: Scenario) -> list[Problem]:
    """Every broken promise among the scenario's expected playthroughs."""
    problems = []
    for i, expectation in enumerate(scenario.expected):
        play, problem, _ = play_expected(scenario, expectation)
        if problem is not None:
            problems.append(attrs.evolve(problem, path=("expected", i, "choices", *problem.path)))
            continue
        if not play.is_over:
            problems.append(Problem("SC130", f"expected play `{expectation.name}` stops in scene `{play.state.at}`, "
                                    f"not at ending `{expectation.ending}`", ("expected", i, "choices"),
                                    "add the remaining choices"))
        elif play.state.at != expectation.ending:
            problems.append(Problem("SC130", f"expected play `{expectation.name}` reaches `{play.state.at}`, not "
                                    f"`{expectation.ending}`", ("expected", i, "ending"),
                                    "check the choices and effects along the way, or update the expected ending"))
    return problems


def expected_block(name: str, moves, ending: str) -> str:
    """A ready `[[expected]]` entry: the numbers the player types, each with its choice's text as a comment
    (`path` prints it; the editor's quick fix inserts it)."""
    lines = ["[[expected]]", f"name = {_toml_string(name)}"]
    if moves:
        lines.append("choices = [")
        lines += [f"  {move.number},  # {one_line(move.text)}" for move in moves]
        lines.append("]")
    else:
        lines.append("choices = []")
    lines.append(f"ending = {_toml_string(ending)}")
    return "\n".join(lines)


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'
