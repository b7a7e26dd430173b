"""A Twine story as its two file formats both describe it: a title, a start, a format, passages.

The Twee reader and the HTML reader each produce a `Story`; everything after
(the macros, the links, the scenario) works on it alone, so both formats get
the same translation and the same diagnostics.
"""

from __future__ import annotations

import attrs

from game.diagnostics import ERROR, WARNING, Diagnostic
from game.loader.twine.origin import Origin, Position, Span

INFO = "info"

SCRIPT_TAGS = {"script": "JavaScript", "stylesheet": "a stylesheet (CSS)"}
"""Passage tags whose passage is code, not story (the Twee 3 specification's special tags)."""
STARTUP_TAGS = {"startup"}
"""Harlowe runs a passage with this tag before the story starts: its (set:) macros give starting values."""
INIT_PASSAGES = {"StoryInit"}
"""SugarCube runs this passage before the story starts: its <<set>> macros give starting values."""
SPECIAL_PASSAGES = {
    "StoryTitle", "StoryData", "StoryInit", "StoryCaption", "StoryMenu", "StoryBanner", "StorySubtitle",
    "StoryAuthor", "StoryShare", "StoryInterface", "PassageReady", "PassageDone", "PassageHeader",
    "PassageFooter",
}
"""Passages the story formats treat as settings or page furniture, never as a place in the story."""
FURNITURE_TAGS = {"header", "footer", "debug-header", "debug-footer", "debug-startup", "widget", "Twine.private"}
"""Passage tags that make a passage page furniture (shown around every passage) or a helper."""


@attrs.frozen
class Passage:
    name: str
    tags: tuple[str, ...]
    span: Span  # the passage's text, and where each character of it sits in the file
    at: Position  # where its name is written

    @property
    def text(self) -> str:
        return self.span.text


@attrs.frozen
class Story:
    title: str
    start: str  # the start passage's name as the file gives it ("" when the file names none)
    start_at: Position
    format: str  # lower-case: "harlowe", "sugarcube", ..., or "" when the file does not say
    format_version: str
    passages: tuple[Passage, ...]
    title_at: Position = (1, 1)
    code: tuple[tuple[str, Position], ...] = ()  # the story's JavaScript and stylesheet: (what, where), when not empty
    start_missing: str = ""  # the start the file names when it names one that is not there ("passage number 7")


class Notes:
    """The diagnostics of one import, each located in the original file."""

    def __init__(self, origin: Origin):
        self.origin = origin
        self.found: list[Diagnostic] = []

    def add(self, code: str, message: str, at: Position | int, hint: str | None = None,
            severity: str = WARNING) -> None:
        line, column = self.origin.where(at) if isinstance(at, int) else at
        self.found.append(Diagnostic(code, message, self.origin.file, line, column, severity, hint))

    def error(self, code: str, message: str, at: Position | int, hint: str | None = None) -> None:
        self.add(code, message, at, hint, ERROR)

    def has_errors(self) -> bool:
        return any(d.severity == ERROR for d in self.found)
