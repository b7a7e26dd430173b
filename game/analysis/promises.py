"""The game's promises, checked over every play the deep checks found: SC125 and SC126.

Good faith never ends hard or grim: a play that ignores no advice and takes
no tactic must not reach such an ending. A tactic never pays off: a play that
took one must not reach a hopeful ending, nor a warm one together. Both are
asked of every way to every ending (the ethics bits the exploration carries,
`game.analysis.machine`), and each finding comes with the shortest example
play, its steps linked in the file, and the meters it ends with.
"""

from __future__ import annotations

from game.analysis.exploration import Exploration
from game.analysis.machine import BAD_TONES, TACTIC, rewards_tactic
from game.analysis.numbering import example, quoted
from game.model import Scenario


def _tags_advice(scenario: Scenario) -> bool:
    return any(c.follows or c.ignores for s in scenario.scenes.values() for c in s.choices)


def findings(scenario: Scenario, walk: Exploration) -> list[tuple[str, str, tuple, str, tuple]]:
    """SC125 and SC126 as (code, message, path, hint, related places), over every play the walk found.

    Each finding is a real play (its example proves it), so these hold even
    when the exploration was partial; only "no such play" needs it whole.
    """
    if not _tags_advice(scenario):
        return []  # with nothing tagged, every play would count as good faith
    out = []
    clean: dict[str, int] = {}
    tactic: dict[str, int] = {}
    for (ending_id, bits), ref in walk.finishes.items():
        ending = scenario.endings[ending_id]
        if bits == 0 and ending.tone in BAD_TONES:
            clean[ending_id] = _shorter(walk, clean.get(ending_id), ref)
        if bits & TACTIC and rewards_tactic(ending):
            tactic[ending_id] = _shorter(walk, tactic.get(ending_id), ref)
    for ending_id, ref in clean.items():
        ending = scenario.endings[ending_id]
        rules = walk.rules_to(ref)
        cause = [("the choice that leads here, in the example play", _choice_path(walk, rules[-1]))] if rules else []
        out.append(("SC125", f"a play that ignores no advice and takes no tactic can reach `{ending_id}` "
                   f"({ending.tone}, {ending.outcome}), e.g. {example(walk, ref)}{_meters_at_end(walk, ref)}",
                   ("endings", ending_id), "good faith must never end hard or grim: change this route's effects or "
                   "ending, or tag the advice it goes against with `ignores`",
                   (*cause, *_steps(walk, ref))))
    for ending_id, ref in tactic.items():
        ending = scenario.endings[ending_id]
        rules = walk.rules_to(ref)
        taken = [rule for rule in rules if any(scenario.advice[a].manipulative for a in rule.choice.follows)]
        used = sorted({a for rule in taken for a in rule.choice.follows if scenario.advice[a].manipulative})
        names = ", ".join(f"`{a}`" for a in used)
        cause = [(f"the tactic ({', '.join(a for a in rule.choice.follows if scenario.advice[a].manipulative)}), "
                  "in the example play", _choice_path(walk, rule)) for rule in taken[:3]]
        out.append(("SC126", f"a play that takes a tactic ({names}) can reach `{ending_id}` ({ending.tone}, "
                   f"{ending.outcome}), e.g. {example(walk, ref)}{_meters_at_end(walk, ref)}",
                   ("endings", ending_id),
                   "a tactic must never pay off: after one, a play may end warm (and not together) only if the "
                   "ending's text names what the tactic cost; change this route's effects, or lead it to "
                   "another ending", (*cause, *_steps(walk, ref))))
    return out


def _choice_path(walk: Exploration, rule) -> tuple:
    return ("scenes", walk.machine.place_ids[rule.scene], "choices", rule.index)


def _steps(walk: Exploration, ref: int, most: int = 12) -> list[tuple[str, tuple]]:
    """Each choice of an example play, as a place in the file (for an editor to link)."""
    return [(f"step {step} of the example: {move.number} {quoted(move.text)}",
             ("scenes", move.scene, "choices", move.index)) for step, move in enumerate(walk.play(ref)[:most], 1)]


def _meters_at_end(walk: Exploration, ref: int) -> str:
    """The meters when the example play ends: `, ending with trust 2, self_esteem 3`."""
    machine = walk.machine
    state = machine.start
    for rule in walk.rules_to(ref):
        state = machine.step(state, rule)
    values = ", ".join(f"{meter} {state[slot]}" for meter, slot in machine.meter_slot.items())
    return f", ending with {values}" if values else ""


def _shorter(walk: Exploration, old: int | None, new: int) -> int:
    """Of two example plays, the shorter (the first found when the walk was breadth first)."""
    if old is None:
        return new
    return min(old, new, key=lambda ref: (len(walk.rules_to(ref)), ref < 0, abs(ref)))
