"""The workshop app: the facilitator's console, with the room display and the phones served beside it.

The app holds the workshop's context and hands it down to each screen it
makes; screens post messages up (a story chosen, a room begun). When it opens
it starts the workshop's server (game.web.server: on this machine only unless
--lan or --host say otherwise), whose room display F4 opens in the browser
for the projector; phones vote through it with --vote. It saves the
workshop's log after every decision and within a moment of every count and
ballot of the open vote (a save that fails is reported once, and play goes
on), asks before quitting and saves then too, ends as quitting does on
SIGTERM or SIGHUP, saves on a crash, and picks a saved workshop up again with
`--resume`, where its phones and room display find it: a stop in the middle
of the story (a quit, a signal, a crash) tells them the workshop is paused,
and they keep trying to come back; a workshop that is over, or that the
facilitator ends from the quit box, tells them it has ended. High contrast is the default theme (a
projector washes colours out; F3 switches), and animations are off: nothing on
screen moves unless an opted-in timer counts down.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from game import resources
from game.tui.crash import CrashLog
from game.tui.messages import ToggleTheme
from game.tui.notices import PlainNotices
from game.tui.screens.help import HelpScreen
from game.tui.screens.resources import ResourcesScreen, topic_over
from game.tui.screens.small import TooSmallScreen
from game.tui.signals import on_signals
from game.tui.themes import DEFAULT_THEME, HIGH_CONTRAST
from game.tui.typeahead import TypeAhead
from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.messages import BeginRoom, ChooseScenario, LinkChanged, RunAction
from game.tui.workshop.screens.choose import ChooseScreen
from game.tui.workshop.screens.decision import DecisionScreen
from game.tui.workshop.screens.dialogs import END, NoticeScreen, QuitScreen
from game.tui.workshop.screens.display import RoomDisplayScreen, open_in_browser
from game.tui.workshop.screens.setup import SetupScreen
from game.workshop import log as logs
from game.workshop.room import Change

MIN_WIDTH = 60
MIN_HEIGHT = 16
"""Below this a decision and its vote cannot both be read; a calm message shows instead."""

SAVED_ON = (Change.DECIDED, Change.ENDED, Change.BRANCHED, Change.UNDONE, Change.PREDICTED)
SAVED_SOON = (Change.BALLOT, Change.ROUND, Change.IDEA)
"""A count or a ballot in the open vote, or an idea from the room: saved within SAVE_SOON seconds, so a burst of
phones costs a few writes."""
SAVE_SOON = 0.25
KEY_NAMES = {"enter": "Enter", "escape": "Esc", "question_mark": "?", "pageup": "PgUp", "pagedown": "PgDn",
             "tab": "Tab"}


def workshop_commands() -> type:
    """The palette's provider, imported only when the palette first opens."""
    from game.tui.workshop.commands import WorkshopCommands

    return WorkshopCommands


class WorkshopApp(CrashLog, PlainNotices, TypeAhead, App[int]):
    """The full-screen workshop."""

    TITLE = "Second Chance: workshop"
    CSS_PATH = "workshop.tcss"
    COMMANDS = App.COMMANDS | {workshop_commands}
    BINDINGS = [
        Binding("question_mark", "help", "Keys", key_display="?", tooltip="the keys of the screen in front of you"),
        Binding("f1", "help", "Keys", show=False, tooltip="the keys of the screen in front of you"),
        Binding("f2", "resources", "Get help", tooltip="help and support resources (phone lines, services)"),
        Binding("f3", "toggle_theme", "Theme", show=False,
                tooltip="switch between high contrast (the default) and the standard theme"),
        Binding("f4", "room_display", "Room display", show=False,
                tooltip="open the room display in the browser, for the projector (its address is on the status line)"),
        Binding("ctrl+p", "command_palette", "Palette", show=False,
                tooltip="the command palette: the workshop's main actions by name"),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="quit (asks first; the workshop is saved)"),
    ]

    def __init__(self, context: WorkshopContext):
        super().__init__()
        self.context = context
        self.animation_level = "none"
        self._too_small = False
        self._started = False
        self._notes: list[tuple[str, bool]] = []
        """Messages from start-up (a resumed log, a damaged one set aside), shown once the screen is up."""
        self._stop_observing: Callable[[], None] | None = None
        self._stop_signals: Callable[[], None] | None = None
        self._save_pending: Room | None = None
        self.ended_by: str | None = None
        """The signal that ended the workshop (SIGTERM, SIGHUP), if one did."""
        self.ended_note: str | None = None
        """What to say once the terminal is back, when a signal ended the workshop."""
        self.ending = False
        """The facilitator ended the workshop for the room (the quit box's E): the phones are told it has ended,
        not that it is paused."""
        self._earlier_server: dict | None = None
        """A picked-up workshop's port and codes, so its phones and room display find it again."""
        self._resume()

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the room's sentences name them: V, K, Enter, F2, ^Q."""
        if binding.key_display:
            return binding.key_display
        key = binding.key.split(",")[0].strip()
        if key in KEY_NAMES:
            return KEY_NAMES[key]
        if key.startswith("ctrl+") and len(key) == 6:
            return "^" + key[5:].upper()
        if len(key) == 1 or (key[0] == "f" and key[1:].isdigit()):
            return key.upper()
        return super().get_key_display(binding)

    # -- start up -------------------------------------------------------------------

    def _resume(self) -> None:
        """`--resume`: pick up the latest saved workshop (or the named log); a damaged log in the game's folder
        of logs is set aside, one named from anywhere else is left where it is."""
        context = self.context
        if not context.resume:
            return
        scenario = context.start.scenario if context.start is not None else None
        if context.resume == "latest":
            path = logs.latest(scenario.id if scenario is not None else None, context.log_dir)
            if path is None:
                self._notes.append(("No saved workshop was found to pick up; set up a new one.", True))
                return
        else:
            path = Path(context.resume)
        workshop, notes, problem = logs.resume(path, scenario, context.log_dir)
        if workshop is None:
            self._notes.append((problem or f"The workshop log {path.name} could not be picked up again.", True))
            return
        workshop.timer.clock = context.clock
        context.room = Room(workshop, logs.LogStore(workshop, path))
        kept = logs.kept_by(path, context.log_dir)
        self._earlier_server = kept.server
        self._notes.append((f"Picked up the workshop saved as {path.name}.", False))
        self._notes += [(note, True) for note in notes]
        if context.export_dir is None:  # --export given again wins; else the folder given when it began
            context.export_dir = kept.export
            if kept.export_note:
                self._notes.append((f"{kept.export_note} Handouts go to the current folder (--export names "
                                    "another).", True))
            elif context.export_dir is not None:
                self._notes.append((f"Handouts go to {context.export_dir}, as when the workshop began.", False))

    def first_screen(self) -> Screen:
        """A picked-up workshop, the setup of the story named on the command line, or the list of stories."""
        context = self.context
        if context.room is not None:
            return DecisionScreen(context, context.room)
        if context.start is not None and context.start.scenario is not None:
            return SetupScreen(context, context.start)
        return ChooseScreen(context)

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name
        if self.context.room is not None:
            self._run(self.context.room)
        self.push_screen(self.first_screen())
        self.call_after_refresh(self._start_server)  # the first screen comes first; the server a moment later
        self._stop_signals = on_signals(self._signalled)
        self._show_notes()
        self._started = True
        self._check_size(self.size.width, self.size.height)

    def _show_notes(self) -> None:
        """What starting found (stories skipped, a workshop picked up, where handouts go), as toasts."""
        for item in self.context.skipped:
            self.notify(item.format(), severity="warning", timeout=8, markup=False)
        for message, warning in self._notes:
            self.notify(message, severity="warning" if warning else "information", timeout=15 if warning else 6,
                        markup=False)

    # -- the room ---------------------------------------------------------------------

    @on(ChooseScenario)
    def _choose(self, message: ChooseScenario) -> None:
        if message.entry.scenario is not None:
            self.push_screen(SetupScreen(self.context, message.entry))

    @on(BeginRoom)
    async def _begin(self, message: BeginRoom) -> None:
        self.context.room = message.room
        self._run(message.room)
        self._save(message.room)
        await self.switch_screen(DecisionScreen(self.context, message.room))

    def _run(self, room: Room) -> None:
        """Serve the room to the room display and the phones; save the log after every decision, branch, undo,
        and within a moment of every count and ballot of the open vote."""
        if self._stop_observing is not None:
            self._stop_observing()
        self._stop_observing = room.workshop.observe(lambda kind: self._changed(room, kind))
        export = self.context.export_dir
        room.store.export = os.path.abspath(export) if export is not None else None  # for --resume
        link = self.context.link
        if link is not None and link.running:
            link.attach(room.workshop)
            room.store.server = link.rejoin

    def _changed(self, room: Room, kind: Change) -> None:
        if kind in SAVED_ON:
            self._save(room)
        elif kind in SAVED_SOON and self._save_pending is None:
            self._save_pending = room
            self.set_timer(SAVE_SOON, self._save_soon)

    async def _save_soon(self) -> None:
        """The open vote's counts, saved a moment after they came (the file written off the event loop)."""
        room, self._save_pending = self._save_pending, None
        if room is not None:
            problem = await room.save_aside()
            if problem:
                self.notify(problem, title="Not saved", severity="error", timeout=15, markup=False)

    def _save(self, room: Room) -> None:
        if self._save_pending is room:
            self._save_pending = None  # this save holds what the pending one would have
        problem = room.save()
        if problem:
            self.notify(problem, title="Not saved", severity="error", timeout=15, markup=False)

    def saved_note(self) -> str | None:
        """After a crash: the workshop is saved as it stood (its open vote too), and said, when the save works."""
        room = self.context.room
        if room is None or room.write() is not None:
            return None
        return f"The workshop was saved as {room.store.path.name}: `second-chance workshop --resume` picks it up."

    # -- when the system asks the workshop to end --------------------------------------------------------

    def _signalled(self, name: str) -> None:
        """SIGTERM or SIGHUP: end as quit does (a second one: at once)."""
        if self.ended_by is not None:
            self.exit(0)
            return
        self.ended_by = name
        self.call_next(self._end_by_signal, name)

    async def _end_by_signal(self, name: str) -> None:
        """Save, tell the phones and the room display the workshop has ended, and give the terminal back."""
        room = self.context.room
        note = f"The workshop stopped when the system asked it to ({name})."
        if room is not None:
            problem = room.write()
            note += (f" It was saved as {room.store.path.name}: `second-chance workshop --resume` picks it up"
                     + (", and the phones and the room display come back by themselves." if self.pausing else ".")
                     if problem is None else f" It could not be saved ({problem}).")
        self.ended_note = note
        await self._stop_link()
        self.exit(0)

    @property
    def pausing(self) -> bool:
        """Whether stopping now only pauses the room: a workshop begun, not over, that can be picked up again
        (the core says which, `Workshop.resumable`), unless the facilitator chose to end it. The phones and the
        room display are then told it is paused and keep trying to come back; otherwise that it has ended."""
        room = self.context.room
        return room is not None and room.workshop.resumable and not self.ending

    async def _stop_link(self) -> None:
        if self.context.link is not None:
            await self.context.link.stop(paused=self.pausing)

    async def _start_server(self) -> None:
        """Start the workshop's server (the room display, and the phones with --vote); the console works
        without it, on one screen, counting hands."""
        context = self.context
        if context.server is None or context.link is not None:
            return
        link = context.server()
        if self._earlier_server is not None:
            link.reuse(self._earlier_server)
        try:
            await link.start()
        except (OSError, RuntimeError) as problem:
            self.notify(f"The room display and the phones cannot start: {problem}. The console works on one "
                        "screen, counting hands.", severity="warning", timeout=15, markup=False)
            return
        context.link = link
        link.observe(lambda _: self._link_changed())
        if context.room is not None:
            link.attach(context.room.workshop)
            context.room.store.server = link.rejoin
            self._save(context.room)  # a crash from here on is picked up again where the phones are
        where = "The room display is ready: F4 opens it in a browser on this laptop."
        if link.phones_on:
            where += f" Phones join at {link.address} with the code {link.code}."
        if link.warning:
            where += f" {link.warning}"
        if link.limit_note:
            where += f" {link.limit_note}"
        warn = bool(link.warning or link.limit_note)

        def ready(_: object = None) -> None:
            self.notify(where, severity="warning" if warn else "information", timeout=15 if warn else 8,
                        markup=False)

        if link.moved_note:  # every page open on the old address is lost: this must be read, not missed
            self.clear_notifications()  # no toast covers it; they come back once it is read
            self.push_screen(NoticeScreen("The address has changed", link.moved_note),
                             lambda _: (self._show_notes(), ready()))
        else:
            ready()
        self._link_changed()

    def _link_changed(self) -> None:
        for screen in self.screen_stack:
            screen.post_message(LinkChanged())

    @on(RunAction)
    async def _run_action(self, message: RunAction) -> None:
        await self.screen.run_action(message.action)

    # -- keys that work everywhere ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._too_small and action in ("help", "resources", "command_palette"):
            return False
        return True

    def action_help(self) -> None:
        """The keys of the screen in front of the facilitator, read from it before the help covers it."""
        if not isinstance(self.screen, (HelpScreen, QuitScreen)):
            self.push_screen(HelpScreen(self.screen, about=""))

    def action_resources(self) -> None:
        """The help list, the running story's kind of help first (the one being set up before the room begins)."""
        if not isinstance(self.screen, ResourcesScreen):
            room = self.context.room
            topic = resources.topic_of(room.workshop.scenario) if room is not None else topic_over(self.screen_stack)
            self.push_screen(ResourcesScreen(topic))

    async def on_unmount(self) -> None:
        """However the console ends, the last counts are saved, the pages are told and the server stops."""
        if self._stop_signals is not None:
            self._stop_signals()
        if self._save_pending is not None:
            self._save(self._save_pending)
        await self._stop_link()  # a crash too: the workshop was saved, so the pages wait for it

    def action_room_display(self) -> None:
        """Open the room display in a browser on this laptop (then make it full screen on the projector); where
        no browser can be opened, the room display's box says how (its address, with its key, only when asked:
        this console may be on the projector)."""
        link = self.context.link
        if link is None or not link.running:
            self.notify("There is no room display: the workshop's server did not start (its message said why). "
                        "The console works on one screen, counting hands.", severity="warning", timeout=8)
            return
        if isinstance(self.screen, RoomDisplayScreen):
            return
        if link.displays_here:  # a second window would only be one more to close (and the server allows two)
            self.notify("The room display is already open in a browser on this laptop: look for it on the "
                        "projector. To open another, use the palette's “The room display”.", title="Room display",
                        timeout=10, markup=False)
            return
        if open_in_browser(link.room_url):
            self.notify("Opening the room display in a browser on this laptop: drag it to the projector and make "
                        "it full screen (F11 in most browsers). The palette's “The room display” shows its address "
                        "and what the projector shows.", title="Room display", timeout=10, markup=False)
            return
        self.push_screen(RoomDisplayScreen(self.context, no_browser=True))

    def action_room_display_box(self) -> None:
        """The room display's box: open it, its address (when asked), what the projector shows."""
        if not isinstance(self.screen, RoomDisplayScreen):
            self.push_screen(RoomDisplayScreen(self.context))

    @on(ToggleTheme)
    def action_toggle_theme(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    async def action_quit(self) -> None:
        """Ask first; then save the workshop, tell the phones it is paused (or has ended), and quit."""
        if isinstance(self.screen, QuitScreen):
            return
        room = self.context.room
        self.push_screen(QuitScreen(room.store.path.name if room is not None else "",
                                    resumable=room is not None and room.workshop.resumable),
                         callback=self._quit_answer)

    async def _quit_answer(self, answer: str | None) -> None:
        if not answer:
            return
        self.ending = answer == END
        room = self.context.room
        if room is not None:
            self._save(room)
        await self._stop_link()
        self.exit(0)

    # -- small terminals -----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self._started:
            self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small == self._too_small:
            return
        self._too_small = small
        if small:
            self.push_screen(TooSmallScreen())
        elif isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
