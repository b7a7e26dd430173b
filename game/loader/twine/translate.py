"""From a Story to a Draft: which passages are the story, in which format, starting where, with which ids.

Before any passage is read, the story is sorted: the special passages
(`StoryTitle`, `StoryData`), the code (JavaScript and stylesheets), the page
furniture (`StoryCaption`, header and footer passages) and the passages that
only set starting values (SugarCube's `StoryInit`, Harlowe's `startup` tag)
are set apart, a second passage of the same name is reported and left out,
and characters a scenario may not hold (control characters, bidi overrides)
are reported where they stand. What is left is read passage by passage in
the story's format and handed to the Assembler.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from game.loader.keys import ID_RULE
from game.loader.twine.harlowe import HarloweReader
from game.loader.twine.names import assign
from game.loader.twine.nodes import PlainReader, Reader
from game.loader.twine.passages import PassagePlan, Walker
from game.loader.twine.scenario import Assembler, Draft
from game.loader.twine.story import (
    FURNITURE_TAGS,
    INFO,
    INIT_PASSAGES,
    SCRIPT_TAGS,
    SPECIAL_PASSAGES,
    STARTUP_TAGS,
    Notes,
    Passage,
    Story,
)
from game.loader.twine.sugarcube import SugarCubeReader
from game.safetext import char_name, quote, scan

READERS: dict[str, type[Reader]] = {"harlowe": HarloweReader, "sugarcube": SugarCubeReader, "links": PlainReader}
_SUGARCUBE_LOOK = re.compile(r"<<(?:set|if|link|goto|print|include|button|run)\b")
_HARLOWE_LOOK = re.compile(r"\((?:set|if|link|link-goto|goto|print|put|display|else):")


def story_format(story: Story, notes: Notes) -> str:
    """Which reader the passages need: the format the file names, or a guess from what the passages hold."""
    named = story.format
    if named.startswith("harlowe"):
        return "harlowe"
    if named.startswith("sugarcube"):
        return "sugarcube"
    if named:
        notes.add("SC214", f"the story format `{quote(named, 30)}` is not one this import reads: its links and text "
                  "came over, and its macros were kept as text", story.start_at,
                  "Harlowe and SugarCube stories carry over their variables and conditions too")
        return "links"
    sugarcube = sum(len(_SUGARCUBE_LOOK.findall(p.text)) for p in story.passages)
    harlowe = sum(len(_HARLOWE_LOOK.findall(p.text)) for p in story.passages)
    guess = "sugarcube" if sugarcube > harlowe else "harlowe"
    notes.add("SC214", f"the file does not name its story format: it was read as "
              f"{'SugarCube' if guess == 'sugarcube' else 'Harlowe'}, whose macros it holds"
              + ("" if sugarcube or harlowe else " (it holds none)"), story.start_at,
              'name it in StoryData: "format": "Harlowe" or "SugarCube"', INFO)
    return guess


def _unsafe(passage: Passage, notes: Notes) -> None:
    """Control characters and bidi overrides in a passage, each kind reported once where it first stands."""
    found = scan(passage.text)
    controls = [(offset, char) for offset, char, kind in found if kind == "control"]
    overrides = [offset for offset, _, kind in found if kind == "bidi"]
    if controls:
        names = ", ".join(dict.fromkeys(char_name(c) for _, c in controls))
        notes.add("SC226", f"passage `{quote(passage.name, 40)}` holds {len(controls)} control "
                  f"character{'s' if len(controls) > 1 else ''} ({quote(names, 80)}), which a terminal would obey: "
                  "removed", passage.span.offset(controls[0][0]), "delete them in Twine: they are invisible there")
    if overrides:
        notes.add("SC102", f"passage `{quote(passage.name, 40)}` holds a bidirectional override, which makes text "
                  "read differently from what it says: removed", passage.span.offset(overrides[0]),
                  "delete it; right-to-left text needs no override")


def _unsafe_names(story: Story, passages: list[Passage], notes: Notes) -> None:
    """Control characters in the story's title or a passage's name (which become the scenario's title, an
    ending's title, an id): removed, and said, as in a passage's text."""
    named = [("the story's title", story.title, story.title_at),
             *((f"the name of passage `{quote(p.name, 40)}`", p.name, p.at) for p in passages)]
    for what, text, where in named:
        controls = [char for _, char, kind in scan(text) if kind == "control"]
        if controls:
            names = ", ".join(dict.fromkeys(char_name(c) for c in controls))
            notes.add("SC226", f"{what} holds {len(controls)} control character{'s' if len(controls) > 1 else ''} "
                      f"({quote(names, 80)}), which a terminal would obey: removed", where,
                      "delete them in Twine: they are invisible there")


def _sort(story: Story, notes: Notes, story_kind: str) -> tuple[list[Passage], list[Passage]]:
    """The story's passages, and the passages that set starting values; the rest are reported."""
    playable: list[Passage] = []
    startup: list[Passage] = []
    seen: dict[str, Passage] = {}
    for passage in story.passages:
        first = seen.setdefault(passage.name, passage)
        if first is not passage:
            notes.add("SC211", f"a second passage named `{quote(passage.name, 40)}`: the first, at line "
                      f"{first.at[0]}, was kept and this one left out", passage.at, "give each passage its own name")
            continue
        tags = set(passage.tags)
        code = next((SCRIPT_TAGS[t] for t in passage.tags if t in SCRIPT_TAGS), None)
        if passage.name in ("StoryTitle", "StoryData"):
            continue
        if code is not None:
            if passage.text.strip():
                notes.add("SC213", f"passage `{quote(passage.name, 40)}` is {code}, which has no equivalent in a "
                          "scenario: it was left out", passage.at, "a scenario's meters, flags and conditions may "
                          "do what it did")
        elif (story_kind == "sugarcube" and passage.name in INIT_PASSAGES) or (
                story_kind == "harlowe" and tags & STARTUP_TAGS):
            startup.append(passage)
        elif passage.name in SPECIAL_PASSAGES or tags & FURNITURE_TAGS:
            if passage.text.strip():
                notes.add("SC213", f"passage `{quote(passage.name, 40)}` is part of the page around the story "
                          "(a special passage or tag), which a scenario does not have: it was left out", passage.at,
                          None)
        else:
            playable.append(passage)
    for what, at in story.code:
        notes.add("SC213", f"{what} has no equivalent in a scenario: it was left out", at,
                  "a scenario's meters, flags and conditions may do what it did")
    return playable, startup


def _start(story: Story, playable: list[Passage], notes: Notes) -> str:
    names = {p.name for p in playable}
    if story.start in names:
        return story.start
    if story.start:
        why = f"names `{quote(story.start, 40)}` as its start, which is no passage of the story"
    elif story.start_missing:
        why = f"starts at {story.start_missing}, which is not in the file"
    elif "Start" in names:
        return "Start"  # the Twee 3 specification's default
    else:
        why = "names no start passage"
    notes.add("SC215", f"the story {why}: it starts at the first passage, `{quote(playable[0].name, 40)}`",
              story.start_at, "name the start in StoryData (\"start\") or in Twine (the rocket)")
    return playable[0].name


def _plan(passage: Passage, story_kind: str, notes: Notes) -> PassagePlan:
    reader = READERS[story_kind](passage.text)
    nodes = reader.parse()
    for code, message, at, hint in reader.notes:
        notes.add(code, message, passage.span.offset(at), hint)

    def note(code: str, message: str, at: int, hint: str | None = None) -> None:
        notes.add(code, message, passage.span.offset(at), hint)

    return Walker(passage, story_kind == "harlowe", note).walk(nodes)


def translate(story: Story, notes: Notes, stem: str, taken: Mapping[str, str] | None = None) -> Draft | None:
    """The draft scenario for a story, or None after an error saying why there is none; `taken` maps the story
    ids already on offer to the story that has each, so the new story's id is none of them."""
    story_kind = story_format(story, notes)
    playable, startup = _sort(story, notes, story_kind)
    if not playable:
        notes.error("SC201", "the story has no passages to play" + (" (only special passages)" if story.passages
                                                                   else ""), story.title_at,
                    "a Twine story needs at least a passage with a link and the passage it leads to")
        return None
    for passage in playable:
        _unsafe(passage, notes)
    _unsafe_names(story, playable, notes)
    plans = [_plan(p, story_kind, notes) for p in playable]
    before = [_plan(p, story_kind, notes) for p in startup]  # StoryInit, or Harlowe's `startup` passages
    initial = [a for plan in before for a in plan.arrival]
    start = _start(story, playable, notes)
    ids = assign([p.name for p in playable], "p")
    for passage in playable:
        if ids[passage.name] != passage.name:
            notes.add("SC250", f"passage `{quote(passage.name, 40)}` is `{ids[passage.name]}` in the scenario (an id "
                      f"must {ID_RULE})", passage.at, None, INFO)
    draft = Assembler(story, plans, notes, start, initial, stem, taken,
                      [u for plan in before for u in plan.unset]).build(ids)
    where = story.title_at
    notes.add("SC241", "no choice says which advice it follows or ignores yet, so the debrief will have nothing to "
              "explain", where, "tag choices with `follows` and `ignores`: docs/authoring.md, step 8")
    notes.add("SC242", "the scenario's one-line `summary` and its `content_notes` are for you to write", where,
              "write both under [scenario]; content notes name topics a player may want warning of")
    return draft
