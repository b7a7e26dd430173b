"""The `second-chance` command: a thin list of subcommands, each in a module of its own.

Only `play` without `--plain` loads the full-screen game (and with it Textual);
every other command stays in the plain core so it starts fast and runs where
no terminal UI can. Subcommand modules import their heavy parts inside the
command, so building the parser costs next to nothing.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from game import __version__
from game.cli.options import FullScreen

MODULES = ("play", "validate", "authoring", "path", "workshop", "serve", "lsp", "importing", "cache")
"""Each module of game.cli named here adds its subcommands to the parser; a new command is a
module here. They are imported when the parser is built, not with this package, so a front end
that needs one helper (game.cli.common) does not load every command."""
EPILOG = ("Run with no command to open the game. `second-chance play NAME --plain` plays in plain text; "
          "`second-chance COMMAND --help` explains a command.")


def add_scenarios_option(parser: argparse.ArgumentParser, dest: str = "scenarios") -> None:
    parser.add_argument("--scenarios", metavar="DIR", action="append", default=[], dest=dest,
                        help="also offer the scenarios in this folder (may be given more than once)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="second-chance",
        description="A game about trying to win back an ex, and what the advice really does.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"second-chance {__version__}")
    add_scenarios_option(parser, dest="scenarios_before")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in MODULES:
        importlib.import_module(f"game.cli.{name}").add_commands(commands, add_scenarios_option)
    return parser


def main(argv: Sequence[str] | None = None, full_screen: FullScreen | None = None) -> int:
    """Run a command; `full_screen` holds the full-screen front ends (the entry point, game.__main__, plugs them in).

    A failure anywhere in a command, from reading its arguments to its last
    line, is logged to a file and ends with status 70 and one sentence
    (`game.crash`), never a raw traceback.
    """
    try:
        return _run(argv, full_screen)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # noqa: BLE001 - every command's failures end the same way
        from game.crash import report

        return report(error)


def _run(argv: Sequence[str] | None, full_screen: FullScreen | None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    if not any(a in commands or a in ("-h", "--help", "--version") for a in argv):
        argv = ["play", *argv]  # `second-chance`, `second-chance NAME`, `second-chance --scenarios DIR`
    args = parser.parse_args(argv)
    args.scenarios = [*getattr(args, "scenarios_before", []), *(getattr(args, "scenarios", None) or [])]
    args.full_screen = full_screen or FullScreen()
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
