"""The Second Chance app: screens, keys, themes and the command palette.

The app holds what every screen shares (the scenarios on offer, the save slots,
the record of endings found, author mode) and the keys that work everywhere.
Screens ask the engine for each next state; the app never touches game rules.
"""

from __future__ import annotations

import gc
import importlib
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from game import paths
from game.library import Entry
from game.progress import Progress
from game.saves import SaveSlots
from game.tui.themes import DEFAULT_THEME, HIGH_CONTRAST

MIN_WIDTH = 40
MIN_HEIGHT = 12
"""Below this the screens cannot show a scene and its choices; a calm message shows instead."""


def optional_screen(module: str, name: str) -> type | None:
    """A screen class from a module that may not be installed yet (the debrief family)."""
    try:
        return getattr(importlib.import_module(f"game.tui.screens.{module}"), name)
    except (ImportError, AttributeError):
        return None


def resume_gc() -> None:
    """Turn garbage collection back on after start-up (launch pauses it), start-up objects frozen."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def game_commands() -> type:
    """The palette's provider, imported only when the palette first opens (it keeps start-up quick)."""
    from game.tui.commands import GameCommands

    return GameCommands


class SecondChanceApp(App[int]):
    """The full-screen game."""

    TITLE = "Second Chance"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {game_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),
        Binding("f2", "resources", "Get help"),
        Binding("f3", "toggle_theme", "High contrast", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, entries: list[Entry], start: Entry | None = None, reveal: bool = False,
                 watch: bool = False, data_dir: Path | None = None):
        super().__init__()
        self.entries = entries
        self.start_entry = start
        self.reveal = reveal
        self.watch_file = watch
        home = Path(data_dir) if data_dir is not None else paths.data_dir()
        self.slots = SaveSlots(home / "saves")
        self.progress, self._progress_problem = Progress.load(home / "progress.json")
        self._too_small = False
        self._started = False

    # -- start up --------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The picker is the bottom of the screen stack: every way back ends there."""
        from game.tui.screens.picker import PickerScreen

        return PickerScreen()

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = DEFAULT_THEME
        if self._progress_problem:
            self.notify(self._progress_problem, severity="warning", timeout=12, markup=False)
        if self.start_entry is not None:
            self.open_entry(self.start_entry)
        self._started = True  # from here on, the too-small notice can go on top of every screen
        self._check_size(self.size.width, self.size.height)
        self.call_after_refresh(resume_gc)

    def open_entry(self, entry: Entry) -> None:
        """Go to a scenario's before-play screen (or, for a file being watched and broken, to play)."""
        from game.tui.screens.picker import PickerScreen

        if not isinstance(self.screen, PickerScreen):
            self.autosave_all()
        while len(self.screen_stack) > 1 and not isinstance(self.screen, PickerScreen):
            self.pop_screen()
        if isinstance(self.screen, PickerScreen):
            self.screen.select(entry)
        if entry.scenario is None:
            if self.watch_file and entry is self.start_entry:
                from game.tui.screens.play import PlayScreen

                self.push_screen(PlayScreen(None, watch=entry.path))
                return
            self.notify(f"This scenario cannot be played yet: {entry.first_error}",
                        severity="error", timeout=10, markup=False)
            return
        from game.tui.screens.notes import NotesScreen

        self.push_screen(NotesScreen(entry))

    def watch_path_for(self, entry: Entry) -> Path | None:
        """The file to watch for this entry: only the one named on the command line with --watch."""
        if self.watch_file and self.start_entry is not None and entry.path == self.start_entry.path:
            return entry.path
        return None

    # -- keys that work everywhere -------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._too_small and action in ("help", "resources", "command_palette"):
            return False
        return True

    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_resources(self) -> None:
        screen = optional_screen("resources", "ResourcesScreen")
        if screen is None:
            from game import resources

            self.notify(resources.render_plain(), title="Help and support", timeout=20, markup=False)
            return
        if not isinstance(self.screen, screen):
            self.push_screen(screen())

    def action_toggle_theme(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def action_toggle_reveal(self) -> None:
        self.reveal = not self.reveal
        self.notify("Meters shown while playing (author mode)." if self.reveal
                    else "Meters hidden again.")
        for screen in self.screen_stack:
            refresh = getattr(screen, "reveal_changed", None)
            if refresh is not None:
                refresh()

    async def action_quit(self) -> None:
        """Quit, saving any play in progress first."""
        self.autosave_all()
        self.exit(0)

    def autosave_all(self) -> None:
        for screen in self.screen_stack:
            save = getattr(screen, "autosave", None)
            if save is not None:
                save()

    # -- small terminals -------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self._started:
            self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        from game.tui.screens.small import TooSmallScreen

        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small == self._too_small:
            return
        self._too_small = small
        if small:
            self.push_screen(TooSmallScreen())
        elif isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
