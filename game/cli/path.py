"""`second-chance path SCENARIO --to ENDING_OR_SCENE`: the shortest play that gets there.

Authors ask "how do I reach this ending?" while writing, and again when they
want to promise a route in `[[expected]]`. The answer comes from the same
exhaustive exploration as the deep checks, so it is the shortest play there
is, or a proof that none reaches it, with the reason.

Exit status: 0 found, 1 unreachable (or not found within the budget), 2 bad
arguments (an unknown scenario or id, a bad budget).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from game.cli.common import folders, load, say
from game.cli.validate import add_budget_options, budget_from
from game.safetext import one_line, printable, quote
from game.wording import quoted


def cmd_path(args: argparse.Namespace) -> int:
    from game.analysis.checks import never_reached_hint
    from game.analysis.expected import expected_block
    from game.analysis.explore import explore
    from game.expr import suggest

    budget = budget_from(args, "path")
    if budget is None:
        return 2
    scenario, code = load(args.scenario, "path", folders(args))
    if scenario is None:
        return code
    target = args.to.strip()
    places = [*scenario.scenes, *scenario.endings]
    if target not in places:
        hint = suggest(target, places)
        say(f"second-chance path: `{quote(target)}` is no scene or ending of `{scenario.id}`"
            + (f" ({hint})" if hint else f"; its endings are {', '.join(scenario.endings)}"))
        return 2
    walk = explore(scenario, budget=budget)
    ending = scenario.endings.get(target)
    what = f"ending `{target}` ({ending.tone}, {ending.outcome})" if ending else f"scene `{target}`"
    if target not in walk.first_state:
        if walk.exhaustive:
            say(f"{what} is never reached by any play: {never_reached_hint(scenario, walk, target)}")
        else:
            say(f"{what} was not reached in the {walk.states:,} situations and {walk.samples:,} random plays "
                f"explored before the budget ran out ({budget.why(walk.stopped)}), so it may still be "
                "reachable: `--budget SECONDS` or `--max-states N` lets the search go further")
        return 1
    ref = walk.first_state[target]
    moves = walk.play(ref)
    shortest = "the shortest play" if ref >= 0 else "a play (the budget stopped the search for the shortest)"
    count = f"{len(moves)} choice{'' if len(moves) == 1 else 's'}"
    if moves:
        out = [f"{shortest.capitalize()} to {what} in {scenario.id}: {count}.", ""]
    else:
        out = [f"The story {scenario.id} starts in {what}: no choice is needed."]
    for step, move in enumerate(moves, 1):
        out.append(f"  {step}. in `{move.scene}` type {move.number}: {quoted(one_line(move.text))}")
    if ending is not None:
        out += ["", "To keep this play promised, paste it into the scenario (`validate` replays it):", "",
                expected_block(f"shortest play to {target}", moves, target)]
    else:
        out += ["", "An `[[expected]]` play must end at an ending; to promise one through this scene, "
                f"`second-chance path {args.scenario} --to ENDING` finds the way on."]
    print(printable("\n".join(out)))
    return 0


def add_commands(commands: argparse._SubParsersAction, scenarios_option: Callable) -> None:
    """Add `path` to the `second-chance` parser."""
    path = commands.add_parser("path", help="the shortest play that reaches an ending or scene")
    path.add_argument("scenario", help="a scenario's name or a .toml file")
    path.add_argument("--to", required=True, metavar="ENDING_OR_SCENE", help="the ending or scene to reach")
    add_budget_options(path)
    scenarios_option(path)
    path.set_defaults(func=cmd_path)
