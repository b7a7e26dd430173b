"""Command palette commands: play any scenario, toggle the theme, reveal the meters.

Kept apart from the app so Textual's palette machinery loads only when the
palette is first opened.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from game.tui.context import context_of
from game.tui.messages import OpenEntry, ToggleReveal, ToggleTheme


def plain_highlight(provider: Provider, query: str, candidate: str) -> tuple[float, Content]:
    """Fuzzy-match `candidate` and highlight it without ever reading it as markup.

    Textual's own `Matcher.highlight` parses the candidate as markup, and
    scenario titles are untrusted, so the highlighting is redone on plain Content.
    """
    matcher = provider.matcher(query)
    score, offsets = matcher.fuzzy_search.match(query, candidate)
    content = Content(candidate)
    if score and matcher.match_style is not None:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return score, content


Command = tuple[str, object, str]
"""A palette line: its name, the callable it runs, and one sentence of help."""


class ListedCommands(Provider):
    """A provider whose commands are a short list made afresh each time the palette asks.

    Subclasses say which commands exist now (`_commands`); finding and matching
    them, always as plain text, lives here once for every app.
    """

    def _commands(self) -> list[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(Content(name), command, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        for name, command, help_text in self._commands():
            score, display = plain_highlight(self, query, name)
            if score > 0:
                yield Hit(score, display, command, text=name, help=help_text)


class GameCommands(ListedCommands):
    """Palette commands: play any scenario, toggle the theme, reveal the meters."""

    def _commands(self) -> list[Command]:
        app = self.app
        commands: list[Command] = []
        for entry in context_of(app).entries:
            if not entry.broken:  # a story still being checked is offered under its file's name
                commands.append((f"Play: {entry.title}", partial(app.post_message, OpenEntry(entry)),
                                 "Open this scenario's content notes, then play"))
        commands.append(("Toggle theme (high contrast)", partial(app.post_message, ToggleTheme()),
                         "Switch between the standard and the high-contrast theme"))
        commands.append(("Reveal meters (author mode)", partial(app.post_message, ToggleReveal()),
                         "Show or hide the hidden meters while playing"))
        return commands
