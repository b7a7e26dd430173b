"""Reading Twine 2's HTML: a published story, or an archive of a whole library (Twine 2 HTML Output v1.0.2).

A story is a `<tw-storydata>` element whose attributes name it, its start
passage (`startnode`, a passage's `pid`) and its story format; each passage is
a `<tw-passagedata>` element holding its text, written with HTML entities. A
published story also holds the story format's own engine in `<script>`
elements; the standard library's HTML parser reads those as opaque text, so
nothing in them is taken for a passage. An archive holds several stories: the
import takes the one asked for by name, or the first.

The parser is used only to find the elements and where they start; the text
of a passage is then cut from the file between its tags and decoded here, so
every character keeps its place in the file for the diagnostics.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import attrs

from game.loader.twine.origin import Origin, Span
from game.loader.twine.story import Notes, Passage, Story
from game.safetext import quote

_CODE_TYPES = {"text/twine-javascript": "the story's JavaScript", "text/twine-css": "the story's stylesheet"}


@attrs.define
class _Found:
    """One <tw-storydata> as the parser meets it."""

    attrs: dict[str, str]
    at: int
    tag: str
    passages: list[tuple[dict[str, str], int, str, int, int]] = attrs.Factory(list)  # attrs, at, tag, start, end
    code: list[tuple[str, int, int, int]] = attrs.Factory(list)  # what, at, start, end


class _Reader(HTMLParser):
    def __init__(self, origin: Origin):
        super().__init__(convert_charrefs=False)
        self.origin = origin
        self.stories: list[_Found] = []
        self.open: tuple[str, dict[str, str], int, str, int] | None = None  # kind, attrs, at, tag, content start
        self.in_story = False

    def _here(self) -> int:
        return self.origin.offset(*self.getpos())

    def _close_open(self, end: int) -> None:
        if self.open is None or not self.stories:
            self.open = None
            return
        kind, found_attrs, at, tag, start = self.open
        if kind == "passage":
            self.stories[-1].passages.append((found_attrs, at, tag, start, max(start, end)))
        else:
            self.stories[-1].code.append((kind, at, start, max(start, end)))
        self.open = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attributes}
        at = self._here()
        raw = self.get_starttag_text() or ""
        if tag == "tw-storydata":
            self._close_open(at)
            self.stories.append(_Found(found, at, raw))
            self.in_story = True
        elif not self.in_story:
            return
        elif tag == "tw-passagedata":
            self._close_open(at)  # the one before was never closed: it ends where this one starts
            self.open = ("passage", found, at, raw, at + len(raw))
        elif tag in ("script", "style") and found.get("type", "").lower() in _CODE_TYPES:
            self._close_open(at)
            self.open = (_CODE_TYPES[found["type"].lower()], found, at, raw, at + len(raw))

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attributes)
        if tag == "tw-passagedata" and self.open is not None:
            self._close_open(self.open[4])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("tw-passagedata", "script", "style"):
            self._close_open(self._here())
        elif tag == "tw-storydata":
            self._close_open(self._here())
            self.in_story = False


def _attribute_at(tag: str, at: int, name: str) -> int:
    """The offset of an attribute's value inside a start tag written at `at` (the tag's start if absent)."""
    match = re.search(rf"\s{re.escape(name)}\s*=\s*[\"']?", tag, re.IGNORECASE)
    return at + match.end() if match else at


def read_html(origin: Origin, notes: Notes, wanted: str | None = None) -> Story | None:
    """The story (the one named `wanted`, or the first) in Twine 2's HTML, or None after an error."""
    reader = _Reader(origin)
    try:
        reader.feed(origin.text)
        reader.close()
    except AssertionError as problem:  # html.parser gives up on some malformed declarations this way
        notes.error("SC200", f"the HTML cannot be read here: {quote(problem)}", reader._here(),
                    "open the story in Twine and publish it to a file again")
        return None
    reader._close_open(len(origin.text))
    if not reader.stories:
        twine1 = re.search(r"<div[^>]*\stiddler\s*=", origin.text)
        hint = ("this looks like a Twine 1 story: open it in Twine 2 (Library, Import) and publish it again"
                if twine1 else "publish the story from Twine 2 (Build, Publish to File) or export it as Twee")
        notes.error("SC200", "no Twine 2 story in this HTML file (no <tw-storydata> element)", 0, hint)
        return None
    names = [s.attrs.get("name", "") for s in reader.stories]
    chosen = reader.stories[0]
    if wanted is not None:
        matching = [s for s in reader.stories if s.attrs.get("name", "") == wanted]
        if not matching:
            notes.error("SC200", f"no story named `{quote(wanted)}` in this file", reader.stories[0].at,
                        "the stories here: " + ", ".join(f"`{quote(n, 40)}`" for n in names))
            return None
        chosen = matching[0]
    elif len(reader.stories) > 1:
        notes.add("SC216", f"this archive holds {len(reader.stories)} stories; only the first, "
                  f"`{quote(names[0], 40)}`, was imported", chosen.at,
                  "name another with --story: " + ", ".join(f"`{quote(n, 40)}`" for n in names[1:6]))
    return _story(chosen, origin, notes)


def _story(found: _Found, origin: Origin, notes: Notes) -> Story:
    passages = []
    start = ""
    startnode = found.attrs.get("startnode", "")
    for passage_attrs, at, tag, begin, end in found.passages:
        name = passage_attrs.get("name", "")
        if not name.strip():
            notes.add("SC210", "a passage with no name was left out", at, "give it a name in Twine")
            continue
        tags = tuple(passage_attrs.get("tags", "").split())
        span = Span.entities(origin.text[begin:end], begin)
        passages.append(Passage(name, tags, span, origin.where(_attribute_at(tag, at, "name"))))
        if startnode and passage_attrs.get("pid") == startnode:
            start = name
    missing = f"passage number {quote(startnode, 20)}" if startnode and not start else ""
    code = tuple((what, origin.where(at)) for what, at, begin, end in found.code if origin.text[begin:end].strip())
    return Story(found.attrs.get("name", "").strip(), start, origin.where(_attribute_at(found.tag, found.at,
                                                                                         "startnode")),
                 found.attrs.get("format", "").strip().lower(), found.attrs.get("format-version", "").strip(),
                 tuple(passages), origin.where(_attribute_at(found.tag, found.at, "name")), code, missing)
