"""The Second Chance app: screens, keys, themes and the command palette.

The app holds the game's context (the scenarios on offer, the player's saves,
endings found and settings) and hands it down to each screen it makes. Screens
post messages up when something should happen (open a scenario, start a play);
the app never touches game rules, and a play's rules live in its Session.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.messages import ExitApp
from textual.screen import Screen
from textual.worker import get_current_worker

from game.home import Home
from game.library import Entry, Skipped, check_rest, one_per_id
from game.tui.context import GameContext
from game.tui.crash import CrashLog
from game.tui.messages import OpenEntry, RevealChanged, StartPlay, StoriesChecked, ToggleReveal, ToggleTheme
from game.tui.notices import PlainNotices
from game.tui.screens.picker import PickerScreen
from game.tui.signals import on_signals
from game.tui.styles import add_styles
from game.tui.themes import DEFAULT_THEME, HIGH_CONTRAST
from game.tui.typeahead import TypeAhead

if TYPE_CHECKING:
    from game.session import Session
    from game.story_cache import StoryCache

# The picker is the first screen drawn; every other screen (play, notes, help,
# resources, the debrief and history behind play, the too-small notice) is
# imported the first time it opens, so start-up pays only for what the first
# frame shows.

MIN_WIDTH = 40
MIN_HEIGHT = 12
"""Below this the screens cannot show a scene and its choices; a calm message shows instead."""

SCREEN_STYLES = Path(__file__).parent / "screens"
"""Where the rules of the help screen and the too-small notice are (`help.tcss`, `small.tcss`): the list's
first frame shows neither, so they join the stylesheet when one first opens (`game.tui.styles`)."""

CHECKED_EVERY = 0.1
"""Seconds between updates of the list while stories are checked after the first frame."""


def resume_gc() -> None:
    """Turn garbage collection back on after start-up (launch pauses it), start-up objects frozen."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def game_commands() -> type:
    """The palette's provider, imported only when the palette first opens (it keeps start-up quick)."""
    from game.tui.commands import GameCommands

    return GameCommands


class SecondChanceApp(CrashLog, PlainNotices, TypeAhead, App[int]):
    """The full-screen game."""

    TITLE = "Second Chance"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {game_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="the keys of the screen you are on"),
        Binding("f1", "help", "Help", show=False),
        Binding("f2", "resources", "Get help", tooltip="help and support resources (phone lines, services)"),
        Binding("f3", "toggle_theme", "High contrast", show=False,
                tooltip="switch to or from the high-contrast theme (remembered for next time)"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, priority=True,
                tooltip="command palette: play a scenario, change the theme, reveal the meters"),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="quit (your play is saved first)"),
    ]

    def __init__(self, entries: list[Entry], start: Entry | None = None, reveal: bool = False,
                 watch: bool = False, data_dir: Path | None = None, skipped: list[Skipped] | None = None,
                 test_session: Session | None = None, cache: StoryCache | None = None):
        super().__init__()
        self.test_session = test_session
        self.cache = cache
        """The cache `library.offer` used: its writes and the stories left unchecked wait for the first frame."""
        home = Home.open(data_dir)
        if reveal:
            home.settings.reveal = True
        self.context = GameContext(entries, home, list(skipped or []),
                                   watch=start.path if watch and start is not None else None)
        self.start_entry = start
        self._too_small = False
        self._started = False
        self._drawn = False
        self._quit_waiting = False

    # -- start up --------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The picker is the bottom of the screen stack: every way back ends there."""
        return PickerScreen(self.context)

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        saved_theme = self.context.home.settings.theme
        self.theme = saved_theme if saved_theme in self.available_themes else DEFAULT_THEME
        for problem in self.context.home.problems:
            self.notify(problem, severity="warning", timeout=12, markup=False)
        for item in self.context.skipped:
            self.notify(item.format(), severity="warning", timeout=8, markup=False)
        if self.test_session is not None:
            from game.tui.screens.play import PlayScreen

            self.push_screen(PlayScreen(self.test_session, self.context))
        elif self.start_entry is not None:
            self.open_entry(self.start_entry)
        self._started = True  # from here on, the too-small notice can go on top of every screen
        self._check_size(self.size.width, self.size.height)
        self.call_after_refresh(self._first_drawn)
        on_signals(lambda name: self.call_next(self.action_quit))  # SIGTERM, SIGHUP: quit as ^Q does

    def _first_drawn(self) -> None:
        resume_gc()
        self._drawn = True
        if self._quit_waiting:
            self.exit(0)
            return
        if self.cache is not None:
            self.run_worker(self._check_the_rest, thread=True, group="check", name="check stories",
                            exit_on_error=False)

    def on_exit_app(self, message: ExitApp) -> None:
        """A quit from outside (a browser tab closed, a signal) before the first screen is drawn waits for it:
        the screens are still being built, and tearing them down mid-build would be a crash, not a quit."""
        if not self._drawn and not self._quit_waiting:
            self._quit_waiting = True
            message.prevent_default()

    # -- stories left unchecked at start ----------------------------------------------

    def _check_the_rest(self) -> None:
        """Check the stories the list shows unchecked, in a thread, telling the app every tenth of a second."""
        assert self.cache is not None
        worker = get_current_worker()
        entries = list(self.context.entries)
        batch: list[Entry] = []
        checked_any = False
        last = time.monotonic()
        for entry in check_rest(entries, self.cache):
            batch.append(entry)
            checked_any = True
            if worker.is_cancelled:
                return
            if time.monotonic() - last >= CHECKED_EVERY:
                self.post_message(StoriesChecked(batch, done=False))
                batch, last = [], time.monotonic()
        if checked_any:
            self.post_message(StoriesChecked(batch, done=True))

    @on(StoriesChecked)
    def _stories_checked(self, message: StoriesChecked) -> None:
        """Redraw the list's rows; once every story is checked, put the list in its final order."""
        if message.done:
            entries, twins = one_per_id([e for e in self.context.entries if e.story])
            self.context.entries[:] = sorted(entries, key=lambda e: e.rank)
            for item in twins:
                self.notify(item.format(), severity="warning", timeout=12, markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, PickerScreen):
                screen.refresh_list(reordered=message.done)

    @on(OpenEntry)
    def _open_entry(self, message: OpenEntry) -> None:
        self.open_entry(message.entry)

    def open_entry(self, entry: Entry) -> None:
        """Go to a scenario's before-play screen (or, for a file being watched and broken, to play)."""
        if not isinstance(self.screen, PickerScreen):
            self.autosave_all()
        while len(self.screen_stack) > 1 and not isinstance(self.screen, PickerScreen):
            self.pop_screen()
        if isinstance(self.screen, PickerScreen):
            self.screen.select(entry)
        if entry.scenario is None:
            watched = self.context.watch_path_for(entry)
            if watched is not None:
                from game.tui.screens.play import PlayScreen

                self.push_screen(PlayScreen(None, self.context, watch=watched))
                return
            self.notify(f"This scenario cannot be played yet: {entry.first_error}",
                        severity="error", timeout=10, markup=False)
            return
        from game.tui.screens.notes import NotesScreen

        self.push_screen(NotesScreen(entry, self.context))

    @on(StartPlay)
    def _start_play(self, message: StartPlay) -> None:
        from game.tui.screens.play import PlayScreen

        entry_path = message.session.scenario.path
        watch = self.context.watch if entry_path is not None and entry_path == self.context.watch else None
        self.switch_screen(PlayScreen(message.session, self.context, watch=watch))

    # -- keys that work everywhere -------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._too_small and action in ("help", "resources", "command_palette"):
            return False
        return True

    def action_help(self) -> None:
        """The keys of the screen on top, read from it before the help covers it."""
        from game.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            add_styles(self, SCREEN_STYLES / "help.tcss")
            self.push_screen(HelpScreen(self.screen))

    def action_resources(self) -> None:
        from game.tui.screens.resources import ResourcesScreen, topic_over

        if not isinstance(self.screen, ResourcesScreen):
            self.push_screen(ResourcesScreen(topic_over(self.screen_stack)))  # the story's help first

    @on(ToggleTheme)
    def action_toggle_theme(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name
        self._remember()

    @on(ToggleReveal)
    def action_toggle_reveal(self) -> None:
        settings = self.context.home.settings
        settings.reveal = not settings.reveal
        self._remember()
        self.notify("Meters shown while playing (author mode)." if settings.reveal
                    else "Meters hidden again.")
        for screen in self.screen_stack:
            screen.post_message(RevealChanged(settings.reveal))

    def _remember(self) -> None:
        """Keep the theme and the reveal setting for next time (a preference that cannot be kept is no error)."""
        settings = self.context.home.settings
        settings.theme = self.theme
        try:
            settings.save()
        except OSError:
            pass

    async def action_quit(self) -> None:
        """Quit, saving any play in progress first."""
        self.autosave_all()
        self.exit(0)

    def saved_note(self) -> str | None:
        """After a crash: what each play on the stack has on disk, in its session's own words."""
        notes = []
        for screen in self.screen_stack:
            session = getattr(screen, "session", None)
            note = session.saved_note() if session is not None else None
            if note:
                notes.append(note)
        return " ".join(notes) or None

    def autosave_all(self) -> None:
        """Save every play on the stack (a play screen is the one kind that has `leave_quietly`)."""
        for screen in self.screen_stack:
            leave = getattr(screen, "leave_quietly", None)
            if callable(leave):
                leave()

    # -- small terminals -------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self._started:
            self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small == self._too_small:
            return
        self._too_small = small
        from game.tui.screens.small import TooSmallScreen  # a window of a good size never loads it

        if small:
            add_styles(self, SCREEN_STYLES / "small.tcss")
            self.push_screen(TooSmallScreen())
        elif isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

