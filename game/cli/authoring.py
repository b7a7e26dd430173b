"""The authoring subcommands: `simulate`, `graph` and `new`.

None of them loads the full-screen game, and each imports its tools only
when it runs, so building the command line stays quick.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from game.analysis.personas import PERSONAS
from game.cli.common import folders, load, say
from game.cli.validate import add_budget_options, budget_from
from game.safetext import PATH_LIMIT, printable, quote

MAX_RUNS = 10_000_000


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.analysis.simulate import simulate

    if not 1 <= args.runs <= MAX_RUNS:
        say(f"second-chance simulate: --runs must be between 1 and {MAX_RUNS:,}")
        return 2
    budget = budget_from(args, "simulate")
    if budget is None:
        return 2
    scenario, code = load(args.scenario, "simulate", folders(args))
    if scenario is None:
        return code
    report = simulate(scenario, args.runs, args.seed, args.persona, budget=budget)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(printable(report.format()))
    say(f"simulate: {report.plays:,} plays in {report.seconds:.2f} s")  # on stderr: the report stays the same
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    from game.graph import render

    scenario, code = load(args.scenario, "graph", folders(args))
    if scenario is None:
        return code
    print(render(scenario, args.format), end="")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from game.starter import StarterError, create

    where = folders(args)
    try:
        path = create(args.name, folder=where[0] if where else None, force=args.force)
    except StarterError as problem:
        say(f"second-chance new: {problem}")
        return 1
    shown = quote(path, PATH_LIMIT)
    print(printable(f"Wrote {shown}. Next: `second-chance validate {shown}`, then "
                    f"`second-chance play {shown} --plain --reveal`."))
    return 0


def add_commands(commands: argparse._SubParsersAction, scenarios_option: Callable) -> None:
    """Add `simulate`, `graph` and `new` to the `second-chance` parser."""
    sim = commands.add_parser("simulate", help="play a scenario many times at random and report what happened")
    sim.add_argument("scenario", help="a scenario's name or a .toml file")
    sim.add_argument("--runs", type=int, default=10_000, help="how many plays (default 10000)")
    sim.add_argument("--seed", type=int, default=1, help="the random seed; the same seed gives the same report")
    sim.add_argument("--persona", choices=list(PERSONAS), default="random",
                     help="how the simulated player leans: " + "; ".join(f"{k}: {v}" for k, v in PERSONAS.items()))
    sim.add_argument("--format", choices=["text", "json"], default="text")
    add_budget_options(sim, states=False)
    scenarios_option(sim)
    sim.set_defaults(func=cmd_simulate)

    graph = commands.add_parser("graph", help="print the branching map (Mermaid or Graphviz DOT)")
    graph.add_argument("scenario", help="a scenario's name or a .toml file")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    scenarios_option(graph)
    graph.set_defaults(func=cmd_graph)

    new = commands.add_parser("new", help="write a commented starter scenario to edit")
    new.add_argument("name", help="the new scenario's name, e.g. `my-story` (writes my-story.toml)")
    new.add_argument("--force", action="store_true", help="replace the file if it exists")
    new.add_argument("--scenarios", metavar="DIR", action="append", default=[],
                     help="write it into this folder of scenarios (made if missing), where the game will offer it")
    new.set_defaults(func=cmd_new)
