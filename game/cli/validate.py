"""`second-chance validate`: every problem in scenario files, folders and data files, located and coded.

A folder is checked with everything below it (like most linters), `--exclude`
leaves paths out, and a run that finds nothing to check says so and fails:
"ok" must never mean "looked at nothing".
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from game import library, paths
from game.cli.common import folders, ids_on_offer, say
from game.diagnostics import ERROR, WARNING, Diagnostic, summary
from game.safetext import PATH_LIMIT, printable, quote

if TYPE_CHECKING:
    from game.analysis.budget import Budget


def targets(args: argparse.Namespace) -> tuple[list[Path], list[library.Skipped], list[str]]:
    """The files to check, the files skipped on the way, and names that matched nothing."""
    files: list[Path] = []
    skipped: list[library.Skipped] = []
    unknown: list[str] = []
    roots: list[Path] = [paths.builtin_dir()] if args.builtin else []
    for name in args.paths:
        path = Path(name)
        if os.path.isdir(path):  # os.path never raises for a name too long to look up
            roots.append(path)
        elif os.path.lexists(path) or path.suffix == ".toml" or len(path.parts) > 1:
            files.append(path)  # a missing file is reported as SC001, in place
        else:
            try:
                files.append(library.find(name, folders(args)))
            except library.UnknownScenario:
                unknown.append(name)
    for root in roots:
        found, passed_over = library.scan_folder(root, recursive=not args.no_recurse, exclude=args.exclude)
        files += sorted(found, key=lambda p: (p.parent, p.name != "advice.toml", p.name))
        skipped += passed_over
    return files, skipped, unknown


def check_file(path: Path, deep: bool = True, budget: Budget | None = None,
               taken: dict[str, tuple[Path, str]] | None = None) -> list[Diagnostic]:
    """Every diagnostic for one file, checked as what it holds (whatever its name): the catalog, help
    resources, or a scenario (anything else is checked as a scenario, and told what one needs).

    `budget` (a game.analysis.budget.Budget) bounds the deep checks; a default one when not given.
    `taken` holds the story ids already on offer (`common.ids_on_offer`): a scenario with one of them is
    warned (SC105), and a scenario's own id joins it, for the files checked after it.
    It always reads the file itself, never the cache of checked stories: an author asks for a check.
    """
    from game.loader import load_catalog, read_scenario  # here, so building the parser stays light
    from game.loader.source import read_bytes

    text, _ = read_bytes(path, str(path))
    kind = library.kind_of(text) if text is not None else "scenario"
    if kind == "catalog":
        return list(load_catalog(path)[1])
    if kind == "resources" or library.same_file(path) == library.same_file(paths.resources_path()):
        from game import resources

        return resources.check(path)
    result = read_scenario(path)
    diagnostics = list(result.diagnostics)
    if result.scenario is not None and taken is not None:
        diagnostics += _shared_id(result.scenario, path, text or "", taken)
    if deep and result.scenario is not None:
        from game.analysis.checks import deep_check

        diagnostics += deep_check(result.scenario, budget=budget)[0]
    return diagnostics


def _shared_id(scenario, path: Path, text: str, taken: dict[str, tuple[Path, str]]) -> list[Diagnostic]:
    """SC105: the story's id is another story's on offer (they would share saves and endings found)."""
    from game.locate import locate

    owner = taken.setdefault(scenario.id, (path, f"“{scenario.title}” ({path})"))
    if library.same_file(owner[0]) == library.same_file(path):
        return []
    line, column = locate(text.lstrip("\ufeff")).get(("scenario", "id"), (1, 1))
    return [Diagnostic("SC105", f"scenario id `{scenario.id}` is already the id of {owner[1]}: the two would share "
                       "their saves and the endings found, so the list offers only the first", str(path), line,
                       column, WARNING, "give this story an `id` of its own under [scenario]")]


def budget_from(args: argparse.Namespace, command: str) -> Budget | None:
    """The Budget `--budget SECONDS` and `--max-states N` ask for, or None after saying what is wrong."""
    from game.analysis.budget import Budget

    seconds, states = getattr(args, "budget", None), getattr(args, "max_states", None)
    if seconds is not None and not 0 < seconds <= 86_400:
        say(f"second-chance {command}: --budget must be a number of seconds above 0 (at most a day)")
        return None
    if states is not None and states < 1:
        say(f"second-chance {command}: --max-states must be at least 1")
        return None
    return Budget.scaled(seconds, states)


def add_budget_options(parser: argparse.ArgumentParser, states: bool = True) -> None:
    """`--budget SECONDS` (and `--max-states N`): how far a command may go before it stops and says so."""
    from game.analysis.budget import DEFAULT_SECONDS, DEFAULT_STATES

    parser.add_argument("--budget", type=float, metavar="SECONDS",
                        help=f"how many seconds the analysis of a file may take before it stops and says its "
                             f"results are partial (default {DEFAULT_SECONDS:g})")
    if states:
        parser.add_argument("--max-states", type=int, metavar="N",
                            help=f"how many situations the exploration may keep (default {DEFAULT_STATES:,})")


def cmd_validate(args: argparse.Namespace) -> int:
    if not args.builtin and not args.paths:
        say("second-chance validate: name a scenario file or folder, or pass --builtin")
        return 2
    files, skipped, unknown = targets(args)
    for name in unknown:
        say(f"second-chance validate: `{quote(name, PATH_LIMIT)}` is neither a file, a folder nor a scenario's name")
    for item in skipped:
        say(f"second-chance validate: {item.format()}")
    if not files:
        say("second-chance validate: found no .toml file to check" + (", so nothing was validated" if not unknown
                                                                          else ""))
        return 2
    budget = budget_from(args, "validate")
    if budget is None:
        return 2
    report: list[dict] = []
    everything: list[Diagnostic] = []
    taken = ids_on_offer(folders(args))
    for path in files:
        diagnostics = check_file(path, deep=not args.no_deep, budget=budget.fresh(), taken=taken)
        if args.strict:
            diagnostics = [d._replace(severity=ERROR) if d.severity == WARNING else d for d in diagnostics]
        everything += diagnostics
        report.append({"file": str(path), "ok": not any(d.severity == ERROR for d in diagnostics),
                       "partial": any(d.code == "SC190" for d in diagnostics),
                       "diagnostics": [d.to_json() for d in diagnostics]})
        if args.format == "text":
            for diagnostic in diagnostics:
                print(diagnostic.format())
    everything = [d for d in everything if d.severity in (ERROR, WARNING)]  # notes are not counted
    errors = sum(d.severity == ERROR for d in everything)
    if args.format == "json":
        print(json.dumps({"files": report, "errors": errors, "warnings": len(everything) - errors,
                          "skipped": [{"file": str(s.path), "why": s.why} for s in skipped]}, indent=2))
    else:
        print(printable(("ok: " if not errors else "") + summary(everything, len(files))))
    if unknown:
        return 2
    return 1 if errors else 0


def add_commands(commands: argparse._SubParsersAction, scenarios_option: Callable) -> None:
    validate = commands.add_parser("validate", help="check scenario files and folders and report every problem")
    validate.add_argument("paths", nargs="*", help="scenario files, folders (checked with their sub-folders) or names")
    validate.add_argument("--builtin", action="store_true", help="check the built-in scenarios")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument("--no-deep", action="store_true",
                          help="skip the deep checks (reachability, dead ends, expected playthroughs)")
    validate.add_argument("--exclude", metavar="GLOB", action="append", default=[],
                          help="leave out files and folders matching this pattern (may be given more than once)")
    validate.add_argument("--no-recurse", action="store_true", help="check only the files directly in each folder")
    add_budget_options(validate)
    scenarios_option(validate)
    validate.set_defaults(func=cmd_validate)
