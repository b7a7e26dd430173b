"""The `second-chance` command.

Only `play` without `--plain` loads the full-screen game (and with it Textual);
every other command stays in the plain core so it starts fast and runs where
no terminal UI can.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

from game import __version__, paths
from game.diagnostics import ERROR, WARNING, Diagnostic, summary
from game.loader import load_catalog, read_scenario

COMMANDS = ("play", "validate", "list", "simulate", "graph", "new")
PLAY_HELP = "Run with no command to open the game; `second-chance play NAME --plain` plays in plain text."


def _targets(args: argparse.Namespace) -> list[Path]:
    targets: list[Path] = []
    if args.builtin:
        targets.append(paths.builtin_dir())
    targets += [Path(p) for p in args.paths]
    return targets


def _expand(target: Path) -> list[Path]:
    if target.is_dir():
        found = paths.scenario_files(target)
        catalog = target / "advice.toml"
        return ([catalog] if catalog.is_file() else []) + found
    if not target.exists():
        named = paths.find_scenario(str(target))
        if named:
            return [named]
    return [target]


def check_file(path: Path, deep: bool = True) -> list[Diagnostic]:
    """Every diagnostic for one file: the catalog's own checks, or the scenario's (deep ones after a clean load)."""
    if path.name == "advice.toml":
        _, problems = load_catalog(path)
        return list(problems)
    result = read_scenario(path)
    diagnostics = list(result.diagnostics)
    if deep and result.scenario is not None:
        from game.analysis import deep_check

        diagnostics += deep_check(result.scenario)[0]
    return diagnostics


def cmd_validate(args: argparse.Namespace) -> int:
    targets = _targets(args)
    if not targets:
        print("second-chance validate: name a scenario file or folder, or pass --builtin", file=sys.stderr)
        return 2
    files = [f for t in targets for f in _expand(t)]
    report: list[dict] = []
    everything: list[Diagnostic] = []
    for path in files:
        diagnostics = check_file(path, deep=not args.no_deep)
        if args.strict:
            diagnostics = [attrs.evolve(d, severity=ERROR) if d.severity == WARNING else d for d in diagnostics]
        everything += diagnostics
        report.append({"file": str(path), "ok": not any(d.severity == ERROR for d in diagnostics),
                       "diagnostics": [d.to_json() for d in diagnostics]})
        if args.format == "text":
            for diagnostic in diagnostics:
                print(diagnostic.format())
    everything = [d for d in everything if d.severity in (ERROR, WARNING)]  # notes are not counted
    errors = sum(d.severity == ERROR for d in everything)
    if args.format == "json":
        print(json.dumps({"files": report, "errors": errors, "warnings": len(everything) - errors}, indent=2))
    else:
        print(("ok: " if not errors else "") + summary(everything, len(files)))
    return 1 if errors else 0


def cmd_list(args: argparse.Namespace) -> int:
    for path in paths.builtin_scenarios():
        result = read_scenario(path)
        if result.scenario:
            s = result.scenario
            notes = f" [content: {', '.join(s.content_notes)}]" if s.content_notes else ""
            print(f"{path.stem:<22} {s.title}: {s.summary}{notes}")
        else:
            print(f"{path.stem:<22} (broken: {result.errors[0].format()})")
    return 0


def _resolve(name: str) -> Path | None:
    found = paths.find_scenario(name)
    if found is None:
        known = ", ".join(p.stem for p in paths.builtin_scenarios())
        print(f"second-chance: no scenario called `{name}`. Built-in scenarios: {known}. "
              "You can also give the path of a .toml file.", file=sys.stderr)
    return found


def cmd_play(args: argparse.Namespace) -> int:
    if args.plain:
        if not args.scenario:
            print("second-chance play --plain: name a scenario, e.g. `second-chance play last-call --plain`",
                  file=sys.stderr)
            return 2
        path = _resolve(args.scenario)
        if path is None:
            return 2
        result = read_scenario(path)
        if result.scenario is None:
            for diagnostic in result.diagnostics:
                print(diagnostic.format(), file=sys.stderr)
            print(f"second-chance: `{path}` cannot be played until these are fixed.", file=sys.stderr)
            return 1
        from game import plain

        plain.run(result.scenario, sys.stdin, sys.stdout, reveal=args.reveal)
        return 0
    return _run_tui(args)


def _run_tui(args: argparse.Namespace) -> int:
    from game.tui.launch import launch

    return launch(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="second-chance",
        description="A game about trying to win back an ex, and what the advice really does.",
        epilog=PLAY_HELP,
    )
    parser.add_argument("--version", action="version", version=f"second-chance {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser("play", help="play a scenario (full screen, or --plain)")
    play.add_argument("scenario", nargs="?", help="a built-in scenario's name or a .toml file")
    play.add_argument("--plain", action="store_true", help="line-based play on stdin/stdout, no full screen")
    play.add_argument("--reveal", action="store_true", help="author mode: show the hidden meters while playing")
    play.add_argument("--watch", action="store_true",
                      help="reload the scenario file whenever it is saved, replaying the choices so far")
    play.add_argument("--scenarios", metavar="DIR", action="append", default=[],
                      help="also list the scenarios in this folder")
    play.set_defaults(func=cmd_play)

    validate = commands.add_parser("validate", help="check scenario files and report every problem")
    validate.add_argument("paths", nargs="*", help="scenario files or folders")
    validate.add_argument("--builtin", action="store_true", help="check the built-in scenarios")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument("--no-deep", action="store_true",
                          help="skip the deep checks (reachability, dead ends, expected playthroughs)")
    validate.set_defaults(func=cmd_validate)

    from game.analysis.commands import add_commands

    add_commands(commands)

    listing = commands.add_parser("list", help="list the built-in scenarios")
    listing.set_defaults(func=cmd_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv = ["play", *argv]
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
