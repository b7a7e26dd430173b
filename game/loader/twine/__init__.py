"""Bringing a Twine story in: Twee 3 or Twine 2's HTML read into a scenario file.

The reader is the standard library's (no maintained Python library reads
Twine's formats), in small parts along the way a story travels:

- `twee` and `archive` read the two file formats into one `Story`;
- `harlowe` and `sugarcube` read a passage's markup into shared `nodes`, and
  `expressions` reads the formats' conditions and assignments;
- `passages` and `prose` turn one passage into a scene's text, variants and
  choices; `values` follows the variables through the story so a value set
  outright can become a step; `names` makes ids;
- `translate` and `scenario` make the plain dict a scenario file holds, with
  the place in the Twine file each key came from;
- `writer` writes it as a commented scenario file.

The dict goes through game.loader.build like any scenario, so an imported
story gets every check a hand-written one gets, and `relocate` moves the deep
checks' findings on the written file (game.analysis, a layer up, runs them)
to where they came from. Every diagnostic points into the original `.twee` or
`.html` file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import attrs

from game.diagnostics import ERROR, Diagnostic
from game.loader.build import build, clean
from game.loader.catalog import load_catalog
from game.loader.reporter import Reporter
from game.loader.source import read_bytes
from game.loader.twine.archive import read_html
from game.loader.twine.origin import Origin
from game.loader.twine.scenario import Draft, Positions
from game.loader.twine.story import Notes, Story
from game.loader.twine.translate import translate
from game.loader.twine.twee import read_twee
from game.loader.twine.writer import write
from game.locate import locate
from game.model import Scenario

HTML_SUFFIXES = (".html", ".htm")
_EMPTY = "in Twine 2, open the story and use Build, Export as Twee (or Publish to File for HTML)"


@attrs.frozen
class Imported:
    """What an import gives: the scenario file's text (None when it could not be made) and every diagnostic."""

    text: str | None
    diagnostics: tuple[Diagnostic, ...]
    scenario: Scenario | None = None
    positions: Positions | None = None  # where each key of the scenario came from in the Twine file
    meters: tuple[str, ...] = ()  # the meters the story's number variables became

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == ERROR)


def _is_html(path: Path, text: str) -> bool:
    """Whether a story file is Twine's HTML, by what it holds (Twee saved as `.html` is Twee, and HTML saved
    as `.twee` is HTML); only a file that shows neither is taken by its name."""
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    if head.startswith("::") or _TWEE_HEADER.search(text) and "<tw-storydata" not in text.lower():
        return False
    if head.startswith("<") or "<tw-storydata" in text.lower():
        return True
    return path.suffix.lower() in HTML_SUFFIXES


_TWEE_HEADER = re.compile(r"^::[ \t]*\S", re.M)


def read_story(text: str, file: str, html: bool, wanted: str | None = None) -> tuple[Story | None, Notes]:
    """The Story in a file's text, with the notes reading it gave."""
    origin = Origin(text, file)
    notes = Notes(origin)
    story = read_html(origin, notes, wanted) if html else read_twee(origin, notes)
    return story, notes


def import_text(text: str, file: str = "story.twee", html: bool | None = None,
                wanted: str | None = None, taken: Mapping[str, str] | None = None) -> Imported:
    """Import a story from its text; `html` None means: tell by what the text holds (and the file's name);
    `taken` maps story ids already on offer to the story that has each (the new id is none of them)."""
    if html is None:
        html = _is_html(Path(file), text)
    story, notes = read_story(text, file, html, wanted)
    if story is None:
        return Imported(None, _ordered(notes.found))
    draft = translate(story, notes, Path(file).stem, taken)
    if draft is None or notes.has_errors():
        return Imported(None, _ordered(notes.found))
    draft.data["scenario"]["content_notes"] = []
    draft.todo[("scenario", "content_notes")] = 'topics a player may want warning of, e.g. ["alcohol"]'
    positions = Positions(draft.positions)
    reader = Reporter(file, positions)
    catalog, _ = load_catalog()
    scenario = build(reader, clean(reader, draft.data), catalog)
    found = [*notes.found, *reader.diagnostics]
    if scenario is None:
        return Imported(None, _ordered(found))
    return Imported(write(draft, _header(story, Path(file).name, html)), _ordered(found), scenario, positions,
                    tuple(draft.data.get("meters", {})))


def import_story(path: str | Path, wanted: str | None = None, taken: Mapping[str, str] | None = None) -> Imported:
    """Import the story in a file; never raises for a bad file (every problem is a located diagnostic)."""
    path = Path(path)
    text, problems = read_bytes(path, str(path), kind="a .twee or .html file")
    if text is None:
        return Imported(None, tuple(d._replace(hint=_EMPTY) if d.code == "SC003" else d for d in problems))
    return import_text(text, str(path), None, wanted, taken)


def _ordered(found: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(found, key=lambda d: (d.line, d.column, d.code)))


def relocate(found: list[Diagnostic], imported: Imported) -> list[Diagnostic]:
    """Diagnostics about the written scenario (the deep checks'), moved to the place in the Twine file they are about.

    Each diagnostic points at a key of the scenario file; the key's path is
    looked up in that file, and the path's place in the Twine file is where
    the passage, link or macro it came from is written.
    """
    if imported.text is None or imported.positions is None:
        return list(found)
    paths: dict[tuple[int, int], tuple] = {}
    for path, where in sorted(locate(imported.text).items(), key=lambda item: len(item[0])):
        paths[where] = path  # the longest path at a place is the most precise
    moved = []
    for diagnostic in found:
        line, column = imported.positions(paths.get((diagnostic.line, diagnostic.column), ()))
        moved.append(diagnostic._replace(line=line, column=column))
    return moved


def _header(story: Story, name: str, html: bool) -> list[str]:
    kind = {"harlowe": "Harlowe", "sugarcube": "SugarCube"}.get(story.format.split()[0] if story.format else "",
                                                                story.format or "Twine")
    version = f" {story.format_version}" if story.format_version and story.format else ""
    return [
        f"Brought in from Twine by `second-chance import`: {name} ({'Twine 2 HTML' if html else 'Twee'}, "
        f"{kind}{version}).",
        "",
        "The passages with links are the scenes, and their links the choices; the passages",
        "without links are the endings. The story's number variables are meters, its",
        "true/false ones flags. The import listed what could not come over, each with its",
        f"line in {name}.",
        "",
        "Before a group plays it (docs/authoring.md, \"Bringing a Twine story in\"):",
        "  1. write the summary and the content notes below;",
        "  2. give each ending its tone and outcome (each is marked TO DO);",
        "  3. tag choices with the advice they follow or ignore (`follows`, `ignores`);",
        "  4. check the meters and flags made from the story's variables.",
        "Then check it with `second-chance validate FILE`, and play it with",
        "`second-chance play FILE --plain --reveal`.",
    ]


__all__ = ["Draft", "Imported", "import_story", "import_text", "read_story", "relocate"]
