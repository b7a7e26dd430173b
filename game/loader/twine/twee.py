"""Reading Twee 3, the text form of a Twine story (the Twee 3 specification, v3.0.2).

A Twee file is a list of passages, each a header line (`:: Name [tags]
{"position":"600,400"}`) and the lines after it up to the next header. Names
and tags escape their metacharacters with a backslash. Two special passages
hold the story's own data: `StoryTitle` (its name) and `StoryData` (JSON with
the start passage and the story format). Anything the specification leaves to
the reader's judgement (broken JSON, text before the first header, a header
without a name) becomes a warning at its line, and reading goes on.
"""

from __future__ import annotations

import re

from game.loader.twine.origin import Origin, Span
from game.loader.twine.story import Notes, Passage, Story
from game.safetext import quote
from game.storage import BadJSON, parse_json

_HEADER = re.compile(r"^::(.*)$", re.MULTILINE)
_TWEE2_POSITION = re.compile(r"\s*<\s*-?\d+(?:\.\d+)?\s*,\s*-?\d+(?:\.\d+)?\s*>\s*$")
"""Twee 2 wrote a passage's place on the map as `<600,400>` after its tags; it means nothing here."""


def _unescape(text: str) -> str:
    """Twee's escapes: a backslash gives the character after it (`\\[` is `[`, `\\q` is `q`)."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _until(text: str, stops: str) -> int:
    """The index of the first unescaped character of `stops` in `text`, or its length."""
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in stops:
            return i
        i += 1
    return len(text)


def _header(line: str, at: int, notes: Notes) -> tuple[str, tuple[str, ...], int] | None:
    """A header's name, tags and the offset of its name, from the text after `::` (at `at` in the file)."""
    line = line.rstrip("\r")
    stripped = line.lstrip(" \t")
    name_at = at + len(line) - len(stripped)
    end = _until(stripped, "[{")
    name = _unescape(stripped[:end]).strip()
    rest = stripped[end:]
    if not name:
        notes.add("SC210", "a passage header with no name: the passage was left out", at - 2,
                  "write the passage's name after `::`")
        return None
    tags: tuple[str, ...] = ()
    if rest.startswith("["):
        close = _until(rest, "]")
        if close == len(rest):
            notes.add("SC210", f"the tags of passage `{quote(name)}` are not closed with `]`: read to the line's end",
                      name_at + end, "close the tag list with `]`")
        tags = tuple(_unescape(tag) for tag in rest[1:close].split())
        rest = rest[close + 1:]
        end += close + 1
    rest = _TWEE2_POSITION.sub("", rest)
    metadata = rest.strip()
    if metadata:
        try:
            parse_json(metadata, "the metadata")
        except BadJSON as problem:
            notes.add("SC210", f"the metadata of passage `{quote(name)}` is not JSON ({problem.why}): it was left "
                      "out", name_at + end + len(rest) - len(rest.lstrip()) + (problem.pos or 0),
                      'metadata is a JSON object, e.g. {"position":"600,400"}')
    return name, tags, name_at


def read_twee(origin: Origin, notes: Notes) -> Story | None:
    """The story in a Twee file, or None after an error saying why there is none."""
    text = origin.text
    passages: list[Passage] = []
    headers = list(_HEADER.finditer(text))
    before = text[: headers[0].start()] if headers else text
    if before.strip():
        first = len(before) - len(before.lstrip())
        if headers:
            notes.add("SC212", "text before the first passage header was left out", first,
                      "every passage starts with a line `:: Name`")
        else:
            notes.error("SC200", "no passage header (`:: Name`) in this file, so it is no Twee story", first,
                        "a Twee file is passages, each starting with a line `:: Name`; for Twine's HTML, "
                        "name an .html file")
            return None
    for i, match in enumerate(headers):
        head = _header(match.group(1), match.start(1), notes)
        body_start = min(match.end() + 1, len(text))
        body_end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        if head is None:
            continue
        name, tags, name_at = head
        body = text[body_start:body_end].rstrip()
        passages.append(Passage(name, tags, Span.plain(body, body_start), origin.where(name_at)))
    return _story(passages, origin, notes)


def _story(passages: list[Passage], origin: Origin, notes: Notes) -> Story:
    """The story's own data from `StoryTitle` and `StoryData`; the passages as written."""
    title, title_at = "", (1, 1)
    start, start_at, story_format, version = "", (1, 1), "", ""
    for passage in passages:
        if passage.name == "StoryTitle":
            title, title_at = passage.text.strip(), passage.at
        elif passage.name == "StoryData":
            start_at = passage.at
            try:
                data = parse_json(passage.text, "StoryData")
            except BadJSON as problem:
                notes.add("SC210", f"StoryData is not JSON ({problem.why}): the start passage and story format "
                          "it names were not read", passage.span.offset(problem.pos or 0) if passage.text
                          else passage.at,
                          'StoryData is a JSON object, e.g. {"ifid": "...", "start": "Start", "format": "Harlowe"}')
                continue
            if not isinstance(data, dict):
                notes.add("SC210", "StoryData is not a JSON object: it was left out", passage.at)
                continue
            start = data.get("start") if isinstance(data.get("start"), str) else ""
            story_format = data.get("format") if isinstance(data.get("format"), str) else ""
            version = data.get("format-version") if isinstance(data.get("format-version"), str) else ""
    return Story(title, start, start_at, story_format.lower(), version, tuple(passages), title_at)
