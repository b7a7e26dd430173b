"""`second-chance import STORY.twee|STORY.html [-o scenario.toml]`: a Twine story made into a scenario file.

Every diagnostic points into the Twine file (its line and column there), and
goes to the error stream, so the scenario itself can go to the output stream
when no `-o` is given. A file is written only where `-o` says, only when the
story could be made into a scenario (errors in reading it mean nothing is written; the deep checks' errors,
such as a loop with no way out, are about the story's shape, so the file is written for them to be fixed
there, and the exit status is 1), and never over an existing file unless
`--force` is given (and never over the story itself, nor over anything that is
not a regular file).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from game.cli.common import folders, ids_on_offer, say
from game.diagnostics import ERROR, WARNING, summary


def _target(args: argparse.Namespace) -> tuple[Path | None, str | None]:
    """The -o file, or why it cannot be written (checked before the story is read, and again at the write)."""
    if args.output is None:
        return None, None
    output = Path(args.output)
    story = Path(args.story)
    if output.suffix != ".toml":
        return None, f"`{output}` is not a .toml file: name the scenario file to write, e.g. `-o story.toml`"
    if not output.parent.is_dir():
        return None, f"the folder `{output.parent}` does not exist: make it first, or write elsewhere"
    if output.exists() or output.is_symlink():
        try:
            same = story.exists() and os.path.samefile(output, story)
        except OSError:
            same = False
        if same:
            return None, f"`{output}` is the story itself: write the scenario to another file"
        if not output.is_file() or output.is_symlink():
            return None, f"`{output}` exists and is not a regular file: it was left alone"
        if not args.force:
            return None, f"`{output}` already exists: choose another name, or pass --force to replace it"
    return output, None


def cmd_import(args: argparse.Namespace) -> int:
    from game.analysis.checks import deep_check
    from game.loader.twine import import_story, relocate
    from game.storage import write_atomic

    output, refused = _target(args)
    if refused:
        say(f"second-chance import: {refused}")
        return 2
    near = [output.parent] if output is not None else []
    taken = {story_id: name for story_id, (_, name) in ids_on_offer([*folders(args), *near]).items()}
    imported = import_story(args.story, args.story_name, taken)
    found = list(imported.diagnostics)
    if imported.scenario is not None and not args.no_deep:
        checked, _ = deep_check(imported.scenario, source=imported.text, file=args.story)
        found = sorted([*found, *relocate(checked, imported)], key=lambda d: (d.line, d.column, d.code))
    for diagnostic in found:
        say(diagnostic.format())
    counted = [d for d in found if d.severity in (ERROR, WARNING)]
    if imported.text is None:
        say(f"second-chance import: {summary(counted, 1)}; nothing was written (fix the errors in the story, "
            "then import it again)")
        return 1
    errors = sum(d.severity == ERROR for d in counted)
    if output is None:
        sys.stdout.write(imported.text)
        say(f"second-chance import: {summary(counted, 1)}")
        return 1 if errors else 0
    try:
        write_atomic(output, imported.text, replace=args.force, private=False)
    except FileExistsError:
        say(f"second-chance import: `{output}` was made while the story was read: it was left alone; "
            "pass --force to replace it")
        return 2
    except OSError as problem:
        say(f"second-chance import: cannot write `{output}`: {problem.strerror or problem}")
        return 1
    scenario = imported.scenario
    assert scenario is not None
    parts = [f"{len(scenario.scenes)} scene{'s' * (len(scenario.scenes) != 1)}",
             f"{len(scenario.endings)} ending{'s' * (len(scenario.endings) != 1)}"]
    for count, word in ((len(imported.meters), "meter"), (len(scenario.flags), "flag")):
        if count:
            parts.append(f"{count} {word}{'s' * (count != 1)}")
    todo = "fix the errors the checks found (the story's shape) and fill in what the warnings name" if errors \
        else "fill in what the warnings name"
    say(f"Wrote {output}: {', '.join(parts)} ({summary(counted, 1).rsplit(' in ', 1)[0]}). Next: {todo}, then "
        f"`second-chance validate {output}` and `second-chance play {output} --plain --reveal`.")
    return 1 if errors else 0


def add_commands(commands: argparse._SubParsersAction, scenarios_option: Callable) -> None:
    """Add `import` to the `second-chance` parser."""
    command = commands.add_parser(
        "import", help="bring a Twine story in (Twee, or Twine 2's HTML) as a scenario file",
        description="Reads a Twine story (a .twee file, or a story published or archived from Twine 2 as .html) "
                    "and writes it as a scenario: passages with links become scenes, links choices, passages "
                    "without links endings, number variables meters, true/false variables flags. Everything "
                    "that cannot come over is listed with its line in the story.")
    command.add_argument("story", help="the Twine story: a .twee file or a Twine 2 .html file")
    command.add_argument("-o", "--output", metavar="FILE",
                         help="write the scenario to this .toml file (without it, the scenario is printed)")
    command.add_argument("--force", action="store_true", help="replace the -o file if it exists")
    command.add_argument("--story", dest="story_name", metavar="NAME",
                         help="in an archive of several stories, the one to import (by its name in Twine)")
    command.add_argument("--no-deep", action="store_true",
                         help="skip the deep checks (reachability, dead ends, loops) of the imported story")
    scenarios_option(command)
    command.set_defaults(func=cmd_import)
