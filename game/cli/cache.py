"""`second-chance cache`: where the checked stories are kept, how much room they take, and clearing them.

The cache only ever saves time (see `game/story_cache.py`): clearing it loses
nothing, and the next start checks each story again and keeps it again.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from game.safetext import printable


def cmd_cache(args: argparse.Namespace) -> int:
    from game.story_cache import StoryCache

    cache = StoryCache()
    if args.clear:
        removed = cache.clear()
        print(printable(f"Cleared {cache.folder}: {removed} file{'s' if removed != 1 else ''} removed. "
                        "Each story is checked again the next time it is offered."))
        return 0
    stories, size = cache.usage()
    print(printable(f"Checked stories are kept in {cache.folder}"))
    print(f"{stories} stor{'ies' if stories != 1 else 'y'}, {size / (1024 * 1024):.1f} MiB "
          f"(at most {cache.max_stories} stories and {cache.max_bytes // (1024 * 1024)} MiB; the oldest go first).")
    print("`second-chance cache --clear` removes them; nothing is lost but the time to check each story again.")
    return 0


def add_commands(commands: argparse._SubParsersAction, scenarios_option: Callable) -> None:
    cache = commands.add_parser(
        "cache", help="where checked stories are kept, and clearing them",
        description="The game keeps each story it has checked, so the next start need not check it again. "
                    "This says where, and how much room it takes; --clear removes it (it only ever saves time).")
    cache.add_argument("--clear", action="store_true", help="remove every checked story kept")
    cache.set_defaults(func=cmd_cache)
