"""`second-chance workshop`: run a scenario for a room; or `--report LOG.json` to rebuild its handouts."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from game.cli.common import check_folders, find, folders, host_argument, load, say
from game.cli.sharing import WorkshopOptions
from game.safetext import PATH_LIMIT, printable, quote
from game.storage import read_text
from game.workshop.names import MODES, TIE_RULES

RULES_BYTES = 64 * 1024
"""Ground rules are a paragraph or two: a larger file is refused before it is read."""


def cmd_workshop(args: argparse.Namespace) -> int:
    where = folders(args)
    if not check_folders(where):
        return 2
    if args.report:
        return report(args)
    # here: building the parser (and so starting the game) never loads the workshop's rules
    from game.workshop.logshape import EXPORT_LIMIT
    from game.workshop.teams import RULES_CHARS, WorkshopError, team_names
    from game.workshop.timer import parse_seconds
    from game.workshop.votes import parse_seed

    try:
        teams = team_names(args.teams or "")
        discussion, voting = parse_seconds(args.discussion), parse_seconds(args.voting)
        seed = parse_seed(args.seed)
    except (WorkshopError, ValueError) as problem:
        say(f"second-chance workshop: {problem}")
        return 2
    if not 0 <= args.port <= 65535:
        say("second-chance workshop: --port is between 0 and 65535 (0 picks a free one)")
        return 2
    rules = None
    if args.rules is not None:
        try:  # like a scenario: a regular file of a sane size, its text made safe to show
            rules = printable(read_text(Path(args.rules), RULES_BYTES))[:RULES_CHARS]
        except (OSError, UnicodeDecodeError) as problem:
            say(f"second-chance workshop: the ground rules in `{quote(args.rules, PATH_LIMIT)}` cannot be read "
                f"({quote(problem, PATH_LIMIT)})")
            return 2
    story = None
    if args.scenario:
        story = find(args.scenario, where)
        if story is None:
            return 2
    export = Path(args.export) if args.export else None
    if export is not None and os.path.lexists(export) and not os.path.isdir(export):
        say(f"second-chance workshop: `{quote(export, PATH_LIMIT)}` is not a folder to write handouts into")
        return 2
    if export is not None and len(os.path.abspath(export)) > EXPORT_LIMIT:
        say(f"second-chance workshop: the handouts' folder `{quote(export, PATH_LIMIT)}` is longer than "
            f"{EXPORT_LIMIT:,} characters: name a shorter one")
        return 2
    launch = args.full_screen.workshop
    if launch is None:
        say("second-chance workshop: the full-screen game is not available here")
        return 2
    return launch(WorkshopOptions(
        story, where, exclude=args.exclude, teams=tuple(teams), turns=args.turns, tie=args.tie, seed=seed,
        discussion=discussion, voting=voting, bell=args.bell, rules=rules, export=export, resume=args.resume,
        lan=args.lan, host=args.host, port=args.port, vote=bool(args.vote or args.lan or args.host)))


def report(args: argparse.Namespace) -> int:
    """Rebuild the Markdown, HTML, take-home and JSON handouts from a saved log, with no screen at all.

    A handout's JSON names its story by id; a story that is not built in is named on the command line too.
    """
    from game.workshop import handout
    from game.workshop.log import LogError

    scenario = None
    if args.scenario:
        scenario, code = load(args.scenario, "workshop", folders(args))
        if scenario is None:
            return code
    folder = Path(args.export or ".")
    try:
        written, notes = handout.from_log(Path(args.report), folder, scenario)
    except LogError as problem:
        say(f"second-chance workshop --report: `{quote(args.report, PATH_LIMIT)}` cannot be used: "
            f"{quote(problem, PATH_LIMIT)}")
        return 1
    except OSError as problem:
        say(f"second-chance workshop --report: the handouts cannot be written to `{quote(folder, PATH_LIMIT)}`: "
            f"{quote(problem, PATH_LIMIT)}")
        return 1
    for note in notes:
        say(f"note: {note}")
    for path in written:
        print(printable(f"Wrote {path}"))
    return 0


def add_commands(commands: argparse._SubParsersAction, scenarios_option: Callable) -> None:
    workshop = commands.add_parser(
        "workshop", help="run a scenario for a room: content notes, votes, ties, teams, rewinds, a debrief",
        description="Run a scenario for a group: the facilitator's console in this terminal, the room display in a "
                    "browser on the projector (F4; or, with one screen, the console itself), and with --vote the "
                    "room's phones. The room votes on each decision; the facilitator keeps control of every step. "
                    "See docs/facilitator-guide.md.")
    workshop.add_argument("scenario", nargs="?", help="a scenario's name or a .toml file (or pick one on screen)")
    workshop.add_argument("--teams", metavar="NAMES", help='teams taking turns, e.g. "Red,Blue" (labels, no names)')
    workshop.add_argument("--turns", choices=list(MODES), default="turns",
                          help="; ".join(f"{k}: {v}" for k, v in MODES.items()))
    workshop.add_argument("--exclude", metavar="NOTES", default="",
                          help="hide scenarios whose content notes mention these, e.g. alcohol,abuse")
    workshop.add_argument("--tie", choices=list(TIE_RULES), default="facilitator",
                          help="how a tied vote is settled: " + "; ".join(f"{k}: {v}" for k, v in TIE_RULES.items()))
    workshop.add_argument("--seed", metavar="N", help="the seed for random tie-breaks (shown and logged)")
    workshop.add_argument("--discussion", default="off", metavar="TIME",
                          help="discussion time before each vote: off (default), 30, 60, 120 or any number, or 2m")
    workshop.add_argument("--voting", default="off", metavar="TIME", help="voting time, like --discussion")
    workshop.add_argument("--bell", action="store_true", help="ring the terminal bell when a timer runs out")
    workshop.add_argument("--rules", metavar="FILE", help="ground rules to show before play, from a text file")
    workshop.add_argument("--export", metavar="DIR",
                          help="write the handouts (Markdown and HTML, the one-page take-home in both, and the JSON "
                               "log) into this folder")
    workshop.add_argument("--report", metavar="LOG", help="rebuild the handouts from a saved workshop log and exit")
    workshop.add_argument("--resume", nargs="?", const="latest", metavar="LOG",
                          help="pick up a saved workshop (the latest, or this log file)")
    phones = workshop.add_argument_group("phones", "let the room vote from their phones (see docs/phones.md)")
    phones.add_argument("--vote", action="store_true", help="start the vote server: phones join with a code")
    phones.add_argument("--lan", action="store_true",
                        help="let phones on this network join (the default is this machine only, 127.0.0.1)")
    phones.add_argument("--host", metavar="ADDRESS", type=host_argument,
                        help="listen on this address instead (implies --vote)")
    phones.add_argument("--port", type=int, default=0, metavar="PORT",
                        help="the port to listen on (default: a free one)")
    scenarios_option(workshop)
    workshop.set_defaults(func=cmd_workshop)
