"""`second-chance serve`: the full game in a web browser, one game per tab.

The server itself (textual-serve, which brings Rich and Textual) belongs to
the full-screen side, so the entry point plugs it in (`full_screen["serve"]`)
and it is imported only when the command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from game.cli.common import check_folders, folders, host_argument, say
from game.cli.sharing import ServeOptions


def cmd_serve(args: argparse.Namespace) -> int:
    where = folders(args)
    if not check_folders(where):
        return 2
    run = args.full_screen.serve
    if run is None:
        say("second-chance serve: the full-screen game is not available here")
        return 2
    return run(ServeOptions(args.host, args.port, args.max_tabs, where, tuple(args.allow_host)))


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535; 0 picks a free one)")
    return port


MAX_TABS = 8
"""Games at once by default: each tab runs its own game process (about 50 MiB), so a page
reloaded in a loop, or a room sharing one address, cannot exhaust the machine."""


def tab_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of tabs (1 to 1000)")
    return count


def add_commands(commands: argparse._SubParsersAction, scenarios_option: Callable) -> None:
    serve = commands.add_parser(
        "serve", help="play in a web browser: each tab gets its own game and saves",
        description="Serve the game to web browsers. Each browser tab plays its own game with its own saves. "
                    "Only this machine can connect unless --host says otherwise.")
    serve.add_argument("--host", default="127.0.0.1", type=host_argument,
                       help="the address to listen on (default 127.0.0.1, this machine only; "
                            "0.0.0.0 is every address, so others on the network can play)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME", type=host_argument,
                       help="with --host: another name browsers may use to reach this machine (a name of your "
                            "network's, say); its own names and addresses are always allowed, any other is "
                            "refused, so no web page elsewhere can reach the games through a name of its own")
    serve.add_argument("--port", type=port_number, default=8000,
                       help="the port to listen on (default 8000; 0 picks a free one)")
    serve.add_argument("--max-tabs", type=tab_count, default=MAX_TABS, metavar="N",
                       help=f"how many browser tabs may play at once (default {MAX_TABS}); each runs its own game, "
                            "and a tab beyond the limit is told so")
    scenarios_option(serve)
    serve.set_defaults(func=cmd_serve)
