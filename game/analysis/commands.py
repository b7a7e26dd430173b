"""The authoring subcommands: `simulate`, `graph` and `new` (wired into game.cli).

They live here so the command-line module stays a thin list of commands, and
so none of them loads the full-screen game.
"""

from __future__ import annotations

import argparse
import json
import sys

from game.analysis.personas import PERSONAS
from game.loader import read_scenario
from game.model import Scenario

MAX_RUNS = 10_000_000


def _load(name: str, command: str) -> Scenario | None:
    """The named scenario, or None after saying why on stderr (never a traceback)."""
    from game.cli import _resolve

    path = _resolve(name)
    if path is None:
        return None
    result = read_scenario(path)
    if result.scenario is None:
        for diagnostic in result.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print(f"second-chance {command}: `{path}` has errors; fix them first "
              f"(`second-chance validate {path}`).", file=sys.stderr)
    return result.scenario


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.analysis.simulate import simulate

    if not 1 <= args.runs <= MAX_RUNS:
        print(f"second-chance simulate: --runs must be between 1 and {MAX_RUNS:,}", file=sys.stderr)
        return 2
    scenario = _load(args.scenario, "simulate")
    if scenario is None:
        return 1 if _exists(args.scenario) else 2
    report = simulate(scenario, args.runs, args.seed, args.persona)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(report.format())
    return 0


def _exists(name: str) -> bool:
    from game import paths

    return paths.find_scenario(name) is not None


def cmd_graph(args: argparse.Namespace) -> int:
    from game.graph import render

    scenario = _load(args.scenario, "graph")
    if scenario is None:
        return 1 if _exists(args.scenario) else 2
    print(render(scenario, args.format), end="")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from game.starter import StarterError, create

    try:
        path = create(args.name, force=args.force)
    except StarterError as problem:
        print(f"second-chance new: {problem}", file=sys.stderr)
        return 1
    print(f"Wrote {path}. Next: `second-chance validate {path}`, then "
          f"`second-chance play {path} --plain --reveal`.")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add `simulate`, `graph` and `new` to the `second-chance` parser."""
    sim = commands.add_parser("simulate", help="play a scenario many times at random and report what happened")
    sim.add_argument("scenario", help="a built-in scenario's name or a .toml file")
    sim.add_argument("--runs", type=int, default=10_000, help="how many plays (default 10000)")
    sim.add_argument("--seed", type=int, default=1, help="the random seed; the same seed gives the same report")
    sim.add_argument("--persona", choices=list(PERSONAS), default="random",
                     help="how the simulated player leans: " + "; ".join(f"{k}: {v}" for k, v in PERSONAS.items()))
    sim.add_argument("--format", choices=["text", "json"], default="text")
    sim.set_defaults(func=cmd_simulate)

    graph = commands.add_parser("graph", help="print the branching map (Mermaid or Graphviz DOT)")
    graph.add_argument("scenario", help="a built-in scenario's name or a .toml file")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    graph.set_defaults(func=cmd_graph)

    new = commands.add_parser("new", help="write a commented starter scenario to edit")
    new.add_argument("name", help="the new scenario's name, e.g. `my-story` (writes my-story.toml)")
    new.add_argument("--force", action="store_true", help="replace the file if it exists")
    new.set_defaults(func=cmd_new)
