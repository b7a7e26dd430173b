"""The key bar: the keys that work on this screen, each with its description, on one line.

It reads the screen's active bindings the way Textual's Footer does, but draws
them as a single line of text instead of a widget per key. The Footer rebuilds
its widgets whenever focus or the screen stack changes, which made up about a
fifth of the game's start-up time; this bar costs one render. A key is shown
only while its action is available, so "Resume" appears only with a save.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

KEY_STYLE = "bold $footer-key-foreground"
DESCRIPTION_STYLE = "$footer-description-foreground"


class KeyBar(Widget):
    """One line at the bottom of a screen: ` key description  key description ...  ^p palette`."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def keys(self) -> list[tuple[str, str, str]]:
        """(key as shown, description, key) for every binding shown and enabled here, first of each action."""
        shown: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or not binding.description:
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            shown.append((self.app.get_key_display(binding), binding.description, binding.key))
        return shown

    def render(self) -> Content:
        parts = []
        self._spans: list[tuple[int, int, str]] = []
        offset = 0
        for shown, description, key in self.keys():
            part = Content.assemble((f" {shown} ", KEY_STYLE), (description, DESCRIPTION_STYLE))
            self._spans.append((offset, offset + part.cell_length, key))
            offset += part.cell_length + 1
            parts.append(part)
        line = Content(" ").join(parts)
        width = self.size.width
        if self.app.ENABLE_COMMAND_PALETTE:
            palette = Content.assemble((" ^p ", KEY_STYLE), ("palette ", DESCRIPTION_STYLE))
            room = width - palette.cell_length
            if line.cell_length <= room:  # the palette hint only when every key fits beside it
                self._spans.append((room, width, self.app.COMMAND_PALETTE_BINDING))
                return line.pad_right(room - line.cell_length) + palette
        if line.cell_length > width:
            line = line.truncate(max(0, width - 1), ellipsis=True)
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a key does what pressing it does, as with Textual's own footer."""
        for start, end, key in getattr(self, "_spans", []):
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
