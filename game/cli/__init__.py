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

COMMANDS = {
    "play": "play", "list": "play", "validate": "validate", "simulate": "authoring", "graph": "authoring",
    "new": "authoring", "path": "path", "workshop": "workshop", "serve": "serve", "lsp": "lsp",
    "import": "importing", "cache": "cache",
}
"""Each command, and the module of game.cli that adds it to the parser (a new command is a line
here; `tests/test_cli.py` holds this table to what the modules add). They are imported when the
parser is built, not with this package, so a front end that needs one helper (game.cli.common)
does not load every command, and a command run builds only its own part of the parser."""
MODULES = tuple(dict.fromkeys(COMMANDS.values()))
EPILOG = ("Run with no command to open the game. `second-chance play NAME --plain` plays in plain text; "
          "`second-chance COMMAND --help` explains a command.")


def add_scenarios_option(parser: argparse.ArgumentParser, dest: str = "scenarios") -> None:
    parser.add_argument("--scenarios", metavar="DIR", action="append", default=[], dest=dest,
                        help="also offer the scenarios in this folder (may be given more than once)")


def build_parser(modules: Sequence[str] = MODULES) -> argparse.ArgumentParser:
    """The parser with the commands `modules` add (all of them unless told; `_run` asks for the one it runs)."""
    parser = argparse.ArgumentParser(
        prog="second-chance",
        description="A game about trying to win back an ex, and what the advice really does.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"second-chance {__version__}")
    add_scenarios_option(parser, dest="scenarios_before")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
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
    argv = list(sys.argv[1:] if argv is None else argv)
    asked = _asked(argv)
    if asked is None:
        argv, asked = ["play", *argv], "play"  # `second-chance`, `second-chance NAME`, `--scenarios DIR`
    # the command's own module only (starting the game builds no other command); help lists them all
    parser = build_parser((COMMANDS[asked],) if asked in COMMANDS else MODULES)
    args = parser.parse_args(argv)
    args.scenarios = [*getattr(args, "scenarios_before", []), *(getattr(args, "scenarios", None) or [])]
    args.full_screen = full_screen or FullScreen()
    if not getattr(args, "func", None):
        build_parser().print_help()
        return 2
    return args.func(args)


def _asked(argv: Sequence[str]) -> str | None:
    """The command `argv` names, or the help or version asked for before one; None when it names neither
    (`second-chance`, `second-chance NAME`, `second-chance --scenarios DIR`: the game)."""
    value = False
    for word in argv:
        if value:
            value = False
        elif word == "--scenarios":
            value = True
        elif not word.startswith("--scenarios="):
            return word if word in COMMANDS or word in ("-h", "--help", "--version") else None
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

