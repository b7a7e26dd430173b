"""`second-chance play` (full screen or `--plain`) and `second-chance list`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from game import library
from game.cli.common import check_folders, find, folders, load, say
from game.cli.options import PlayOptions
from game.safetext import printable, quote

if TYPE_CHECKING:
    from game.model import Scenario
    from game.session import Session


def parse_settings(scenario: Scenario, values: list[str]) -> tuple[dict[str, int], list[str]]:
    """`--set trust=3 --set texted=true` as meters and flags; ValueError names what is wrong."""
    from game.expr import suggest  # here: building the parser never loads the condition language

    meters: dict[str, int] = {}
    flags: list[str] = []
    for item in values:
        name, equals, value = item.partition("=")
        name, value = name.strip(), value.strip().lower()
        if not equals or not name:
            raise ValueError(f"`{quote(item)}` is not NAME=VALUE (e.g. trust=3 or texted=true)")
        if name in scenario.meter_ids:
            try:
                meters[name] = int(value)
            except ValueError:
                raise ValueError(f"meter `{name}` needs a whole number, not `{quote(value)}`") from None
        elif name in scenario.flags:
            if value not in ("true", "false"):
                raise ValueError(f"flag `{name}` is true or false, not `{quote(value)}`")
            if value == "true":
                flags.append(name)
        else:
            known = [*scenario.meter_ids, *scenario.flags]
            raise ValueError(f"`{quote(name)}` is no meter or flag of this scenario ("
                             + (suggest(name, known) or f"there are: {', '.join(known)}") + ")")
    return meters, flags


def test_session(args: argparse.Namespace, scenario: Scenario) -> Session | None:
    """The test play asked for with --from and --set, or None after saying why it cannot start."""
    from game.engine import EngineError  # here: building the parser never loads the rules

    try:
        meters, flags = parse_settings(scenario, args.set)
        from game.session import Session

        return Session.test_play(scenario, args.start_at, meters, flags)
    except (ValueError, EngineError) as problem:
        say(f"second-chance play --from: {problem}")
        return None


def cmd_play(args: argparse.Namespace) -> int:
    where = folders(args)
    if not check_folders(where):
        return 2
    if args.no_save and not args.plain:
        say("second-chance play: --no-save goes with --plain (the full-screen game saves after every choice)")
        return 2
    if args.set and not args.start_at:
        say("second-chance play: --set goes with --from SCENE (a test play from a chosen scene)")
        return 2
    if args.start_at and not args.scenario:
        say("second-chance play --from: name the scenario too, e.g. `second-chance play my-story.toml --from bar`")
        return 2
    story, session = None, None
    if args.plain or args.start_at:
        if not args.scenario:
            say("second-chance play --plain: name a scenario, e.g. `second-chance play last-call --plain`")
            return 2
        scenario, code = load(args.scenario, "play", where)
        if scenario is None:
            return code
        story = scenario.path
        session = test_session(args, scenario) if args.start_at else None
        if args.start_at and session is None:
            return 2
        if args.plain:
            from game import plain

            notices: list[str] = []
            if session is None and not args.no_save:
                session, notices = plain.open_session(scenario)
            plain.run(scenario, sys.stdin, sys.stdout, reveal=args.reveal, session=session, notices=notices,
                      watch=scenario.path if args.watch else None)
            return 0
    elif args.scenario:
        story = find(args.scenario, where)
        if story is None:
            return 2
    elif args.watch:
        say("second-chance play --watch: name the scenario file to watch, "
            "e.g. `second-chance play my-story.toml --watch`")
        return 2
    launch = args.full_screen.play
    if launch is None:
        say("second-chance play: the full-screen game is not available here; add --plain to play in plain text")
        return 2
    return launch(PlayOptions(story, where, reveal=args.reveal, watch=args.watch, test_session=session))


def cmd_list(args: argparse.Namespace) -> int:
    where = folders(args)
    if not check_folders(where):
        return 2
    entries, skipped = library.gather(folders=list(where))
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
    play.add_argument("--plain", action="store_true",
                      help="line-based play on stdin/stdout, no full screen (for screen readers): the same game, "
                           "saved after every choice and picked up next time, its endings recorded")
    play.add_argument("--no-save", action="store_true",
                      help="with --plain: keep nothing (no save, no endings recorded), for scripts")
    play.add_argument("--reveal", action="store_true", help="author mode: show the hidden meters while playing")
    play.add_argument("--watch", action="store_true",
                      help="reload the scenario file whenever it is saved, replaying the choices so far")
    play.add_argument("--from", dest="start_at", metavar="SCENE",
                      help="a test play that starts at this scene (saves nothing, records no ending)")
    play.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                      help="with --from: a meter's value or a flag, e.g. --set trust=3 --set texted=true")
    scenarios_option(play)
    play.set_defaults(func=cmd_play)

    listing = commands.add_parser("list", help="list the scenarios on offer")
    scenarios_option(listing)
    listing.set_defaults(func=cmd_list)
