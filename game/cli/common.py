"""What the subcommands share: finding the scenario a user named, and saying why not on stderr."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from game import library
from game.safetext import PATH_LIMIT, printable, quote

if TYPE_CHECKING:
    from game.model import Scenario


def say(message: str) -> None:
    """A message for the user on stderr, made safe to print whatever it quotes."""
    print(printable(message), file=sys.stderr)


def host_argument(text: str) -> str:
    """`--host` and `--allow-host`: a network address or a machine's name, or argparse's error in words."""
    from game.net import typed_host

    try:
        return typed_host(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def folders(args: argparse.Namespace) -> tuple[Path, ...]:
    """The folders given with `--scenarios`, before or after the command (`game.cli.main` joins both)."""
    return tuple(Path(f) for f in args.scenarios)


def find(name: str, where: Sequence[Path]) -> Path | None:
    """The file for a scenario name or path (built in, or in one of `where`), or None after saying what there is."""
    try:
        return library.find(name, where)
    except library.UnknownScenario as problem:
        say(f"second-chance: {problem}")
        return None


def load(name: str, command: str, where: Sequence[Path]) -> tuple[Scenario | None, int]:
    """The named scenario, or None with the exit code after saying why (2: no such name, 1: it has errors)."""
    from game.loader import read_scenario  # here: the full-screen game starts without the loader

    path = find(name, where)
    if path is None:
        return None, 2
    result = read_scenario(path)
    if result.scenario is None:
        for diagnostic in result.diagnostics:
            say(diagnostic.format())
        doing = "played" if command == "play" else "used"
        shown = quote(path, PATH_LIMIT)
        say(f"second-chance {command}: `{shown}` has errors, so it cannot be {doing} until they are fixed "
            f"(`second-chance validate {shown}` checks it again).")
        return None, 1
    return result.scenario, 0


def check_folders(where: Sequence[Path]) -> bool:
    """Every `--scenarios` folder exists; otherwise say which does not."""
    for folder in where:
        if not os.path.isdir(folder):  # False, never an error, for a name the system cannot even look up
            say(f"second-chance: `{quote(folder, PATH_LIMIT)}` is not a folder of scenarios.")
            return False
    return True


def ids_on_offer(where: Sequence[Path], builtin: bool = True) -> dict[str, tuple[Path, str]]:
    """The story ids on offer (the built-in stories, and those in `where`), each with the file of the story
    that has it and how a message names that story."""
    entries, _ = library.gather(builtin=builtin, folders=[f for f in where if os.path.isdir(f)])
    return {entry.card.id: (entry.path, library.named(entry)) for entry in entries if entry.card is not None}
