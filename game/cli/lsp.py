"""`second-chance lsp`: the language server, for editors (see "Live errors and completion in your editor"
in docs/authoring.md).

Editors start it and talk to it over standard input and output. `--tcp`
listens on a port instead, on this machine only unless another host is
named; the server reads whatever text a client sends it, so listening
beyond this machine earns a warning.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from collections.abc import Callable

from game.cli.common import say
from game.net import listens_on_loopback
from game.safetext import quote

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2087


def cmd_lsp(args: argparse.Namespace) -> int:
    if not args.tcp and (args.host is not None or args.port is not None):
        say("second-chance lsp: --host and --port go with --tcp; without it the server talks over stdin and stdout")
        return 2
    host = DEFAULT_HOST if args.host is None else args.host
    port = DEFAULT_PORT if args.port is None else args.port
    if args.tcp and not 1 <= port <= 65535:
        say(f"second-chance lsp: --port must be between 1 and 65535, not {port}")
        return 2
    if args.tcp and not listens_on_loopback(host):
        say(f"second-chance lsp: warning: listening on {quote(host)}:{port} lets other machines reach the server; "
            f"use --host {DEFAULT_HOST} unless that is what you want")
    if importlib.util.find_spec("pygls") is None:  # an install from before the server needed pygls
        say("second-chance lsp: the language server needs pygls; install it with `pip install 'pygls>=2.1'`")
        return 1
    from game.lsp.start import serve

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="second-chance lsp: %(message)s")
    try:
        serve(tcp=args.tcp, host=host, port=port, manual_clock=args.manual_clock)
    except (OSError, UnicodeError) as problem:  # UnicodeError: a host name no resolver can encode
        reason = problem.strerror if isinstance(problem, OSError) and problem.strerror else problem
        say(f"second-chance lsp: cannot listen on {quote(host)}:{port}: {quote(reason)}")
        return 1
    return 0


def add_commands(commands: argparse._SubParsersAction, scenarios_option: Callable) -> None:
    """Add `lsp` to the `second-chance` parser."""
    lsp = commands.add_parser("lsp", help="run the language server, for live errors and completion in an editor")
    lsp.add_argument("--stdio", action="store_true",
                     help="talk over standard input and output (the default; accepted because editors pass it)")
    lsp.add_argument("--tcp", action="store_true", help="listen on a TCP port instead of stdin and stdout")
    lsp.add_argument("--host", default=None, help=f"with --tcp: the address to listen on (default {DEFAULT_HOST})")
    lsp.add_argument("--port", type=int, default=None, help=f"with --tcp: the port (default {DEFAULT_PORT})")
    lsp.add_argument("--manual-clock", action="store_true", help=argparse.SUPPRESS)  # tests move time by hand
    lsp.set_defaults(func=cmd_lsp)
