"""`second-chance new NAME`: a commented starter scenario that validates clean.

A blank page is the hardest part of writing. The starter is a complete,
three-scene story with a cast of one, a flag, a condition, a text variant, a
chat message, endings picked by the meters and two expected playthroughs,
every key explained in a comment, so a new author edits rather than invents.

Its first line points editors at the format's JSON Schema by a path relative
to the story (`#:schema ./second-chance.schema.json`), and `create` writes
that schema beside the story when the folder has none. A path into the
installed package would break as soon as the story is mailed to a co-author
or committed to a shared folder; a schema that sits beside the story travels
with it.
"""

from __future__ import annotations

import contextlib
import errno
import re
from pathlib import Path

from game.loader.keys import SCENARIO_ID
from game.safetext import PATH_LIMIT, quote
from game.storage import write_atomic

TEMPLATE = Path(__file__).resolve().parent / "schema" / "starter.toml"
SCHEMA = Path(__file__).resolve().parent / "schema" / "scenario.schema.json"
SCHEMA_NAME = "second-chance.schema.json"
"""The schema's name beside a story: one per folder, shared by every story in it."""

ID_LIMIT = 64
"""The most characters an id may have (`SCENARIO_ID`): a longer name is cut to it at a hyphen when it can be."""


class StarterError(Exception):
    """Why a starter could not be written, in words for the author."""


def scenario_id(name: str) -> str:
    """The id for a name: `My First Story` becomes `my-first-story`; a long name is cut to the id's 64
    characters, at the last hyphen when there is one, so `validate` accepts what `new` writes."""
    stem = Path(name).name
    if stem.endswith(".toml"):
        stem = stem[:-5]
    made = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if len(made) > ID_LIMIT:
        cut = made[:ID_LIMIT + 1]
        made = cut.rsplit("-", 1)[0] if "-" in cut[ID_LIMIT // 2:] else cut[:ID_LIMIT]
    return made.strip("-")


def render(name: str) -> str:
    """The starter text for `name`."""
    sid = scenario_id(name)
    if not SCENARIO_ID.match(sid):
        raise StarterError(f"`{quote(name)}` has no letters or digits to make an id from; try e.g. `my-story`")
    title = " ".join(word.capitalize() for word in sid.split("-"))
    return (TEMPLATE.read_text(encoding="utf-8")
            .replace("{schema}", f"./{SCHEMA_NAME}")
            .replace("{file}", f"{sid}.toml")
            .replace("{id}", sid)
            .replace("{title}", title))


def create(name: str, folder: Path | None = None, force: bool = False) -> Path:
    """Write the starter as NAME.toml (or at NAME, if it ends in .toml); never overwrites unless told.

    The schema its first line names is written beside it if the folder has
    none yet; one already there (perhaps edited, or from another story) is kept.
    """
    target = Path(name) if name.endswith(".toml") else Path(f"{scenario_id(name) or name}.toml")
    if folder is not None and not target.is_absolute():
        target = folder / target
    text = render(name)
    try:  # files the author keeps: written whole, with the mode their other files get
        if target.exists() and not force:
            raise StarterError(f"`{quote(target, PATH_LIMIT)}` already exists; choose another name, or pass "
                               "--force to replace it")
        write_atomic(target, text, replace=force, private=False)
        schema = target.parent / SCHEMA_NAME
        if not schema.exists():
            with contextlib.suppress(FileExistsError):  # another one's, made meanwhile: kept
                write_atomic(schema, SCHEMA.read_bytes(), replace=False, private=False)
    except FileExistsError as problem:
        if not target.exists():  # a file where a folder on the way should be
            raise StarterError(f"cannot write `{quote(target, PATH_LIMIT)}`: {problem.strerror or problem}") from None
        raise StarterError(f"`{quote(target, PATH_LIMIT)}` was made while the story was being written; choose "
                           "another name, or pass --force to replace it") from None
    except OSError as problem:
        why = ("the name is too long for this file system; choose a shorter one" if problem.errno == errno.ENAMETOOLONG
               else problem.strerror or problem)
        raise StarterError(f"cannot write `{quote(target, PATH_LIMIT)}`: {why}") from None
    return target
