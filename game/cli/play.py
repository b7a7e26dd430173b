"""`second-chance play` (full screen or `--plain`) and `second-chance list`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from game import library
from game.cli.common import check_folders, folders, load, say
from game.safetext import printable


def cmd_play(args: argparse.Namespace) -> int:
    if not check_folders(args):
        return 2
    if args.plain:
        if not args.scenario:
            say("second-chance play --plain: name a scenario, e.g. `second-chance play last-call --plain`")
            return 2
        scenario, code = load(args.scenario, "play", args)
        if scenario is None:
            return code
        from game import plain

        plain.run(scenario, sys.stdin, sys.stdout, reveal=args.reveal)
        return 0
    from game.tui.launch import launch

    return launch(args)


def cmd_list(args: argparse.Namespace) -> int:
    if not check_folders(args):
        return 2
    entries, skipped = library.gather(folders=folders(args))
    for entry in entries:
        s = entry.scenario
        if s is not None:
            notes = f" [content: {', '.join(s.content_notes)}]" if s.content_notes else ""
            print(printable(f"{entry.path.stem:<22} {s.title}: {s.summary}{notes}"))
        else:
            print(printable(f"{entry.path.stem:<22} (broken: {entry.first_error})"))
    for item in skipped:
        say(item.format())
    return 0


def add_commands(commands: argparse._SubParsersAction, scenarios_option: Callable) -> None:
    play = commands.add_parser("play", help="play a scenario (full screen, or --plain)")
    play.add_argument("scenario", nargs="?", help="a scenario's name or a .toml file")
    play.add_argument("--plain", action="store_true", help="line-based play on stdin/stdout, no full screen")
    play.add_argument("--reveal", action="store_true", help="author mode: show the hidden meters while playing")
    play.add_argument("--watch", action="store_true",
                      help="reload the scenario file whenever it is saved, replaying the choices so far")
    scenarios_option(play)
    play.set_defaults(func=cmd_play)

    listing = commands.add_parser("list", help="list the scenarios on offer")
    scenarios_option(listing)
    listing.set_defaults(func=cmd_list)
