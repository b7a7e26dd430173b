"""Playing a scenario: the scene, any chat, the choices; undo, history, save and leave.

The screen draws a Session and asks it for every change (a choice, undo, a
rewind, a restart); the Session owns the rules about saves and endings. The
session tells the screen what changed through an observer, which this screen
turns into a PlayChanged message, and the handler redraws.

With `--watch`, the scenario file is polled about twice a second; when it is
saved, the session reloads it and keeps as much of the play as still fits. A
file that no longer loads shows its diagnostics here, and play carries on with
the last version that did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual._arrange import DockArrangeResult
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Static

from game import debrief as debriefs
from game import resources
from game.diagnostics import Diagnostic
from game.engine import EngineError, Playthrough
from game.library import read_entry
from game.model import Scenario
from game.session import Change, Kind, Session
from game.tui.context import GameContext
from game.tui.messages import PlayChanged, RevealChanged
from game.tui.screens.debrief import DebriefChoice, DebriefScreen
from game.tui.screens.history import HistoryScreen
from game.tui.styles import add_styles
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.meters import MeterStrip
from game.tui.widgets.phone import PhoneConversation
from game.wording import choice_label, scene_heading

STYLES = Path(__file__).with_name("play.tcss")
POLL_SECONDS = 0.5


class AtEnding(Enum):
    """What the list offers in place of choices once the story has ended."""

    DEBRIEF = "What your choices meant"
    REPLAY = "Play again from the start"
    LIST = "Back to the list of scenarios"


def diagnostics_text(diagnostics: Sequence[Diagnostic]) -> Text:
    text = Text()
    text.append("The scenario file no longer loads. Still playing the last version that did.\n",
                style="bold")
    for diagnostic in diagnostics:
        text.append(f"  {diagnostic.format()}\n")
    text.append("Fix the file and save it: it reloads by itself.", style="italic")
    return text


class SceneScroll(VerticalScroll):
    """The scene's text and messages: as tall as they are, up to the room the choices leave.

    Its scrollbar's room is always kept (a stable gutter), and its height is
    measured at the width left beside it, so the height and the text's wrapping
    agree whether or not the previous scene needed the scrollbar; otherwise a
    scene that just fits would wrap one line more and scroll by it.
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        gutter = self.styles.scrollbar_size_vertical
        return super().get_content_height(container, viewport, max(1, width - gutter))

    keep_end = False
    """Show the end of the scene: set for each new scene and new size, cleared by any other scroll."""

    def keep_end_in_view(self) -> None:
        """Show the end of the scene (its newest message, just above the choices) from the frame that draws it."""
        self.keep_end = True
        self.refresh(layout=True)

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        """Lay out the scene, scrolled to its end while the layout is made when `keep_end` is set.

        Scrolling to the end after a refresh (`scroll_end`) draws a new scene
        twice, top first and then the end, and keeps the player waiting a frame
        longer; Textual's anchor scrolls while laying out, but by the height
        the container had before, so a scene taller than the last one showed
        one line off for a frame. Here the scroll is taken from `size`, the
        height being laid out.
        """
        result = super().arrange(size, optimal)
        if optimal:
            return result
        content = result.spatial_map.total_region.bottom
        # The scrollbar too is decided here, from the height being laid out: Textual decides it
        # from the height of the last layout, and a scene shorter than the last one kept the
        # last one's scrollbar for a frame.
        needed = content > size.height and self.styles.overflow_y == "auto"
        self.set_reactive(Widget.show_vertical_scrollbar, needed)
        if needed:
            bar = self.vertical_scrollbar
            bar.window_virtual_size = content
            bar.window_size = size.height
        if self.keep_end:
            end = max(0, content - size.height)
            self.set_reactive(Widget.scroll_y, end)
            self.set_reactive(Widget.scroll_target_y, end)
            if needed:
                self.vertical_scrollbar.set_reactive(ScrollBar.position, end)
        return result

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Any scroll but the one made while laying out (the player's, Page Up, a click) lets go of the end."""
        super().watch_scroll_y(old, new)
        self.keep_end = False


class PlayScreen(Screen[None]):
    """One play of one scenario."""

    BINDINGS = [
        Binding("1", "pick(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("u", "undo", "Undo"),
        Binding("h", "history", "History"),
        Binding("s", "leave", "Save & leave"),
        Binding("escape", "leave", "Save & leave", show=False),
        # Priority: the focused choice list would otherwise take these to move its cursor.
        Binding("pageup", "scroll_story(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_story(1)", "Scroll down", show=False, priority=True),
    ]

    screen_change_due = False
    """The ending is shown and the debrief opens once it is drawn: keys typed meanwhile wait for the debrief."""

    def __init__(self, session: Session | None, context: GameContext, watch: Path | None = None):
        super().__init__()
        add_styles(self.app, STYLES)
        self.session = session
        self.context = context
        self.watch_path = watch
        self._mtime: float | None = None
        self._stop_observing: Callable[[], None] | None = None

    # -- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="where")
        with Vertical(id="column"):
            with SceneScroll(id="story"):
                yield Static(id="scene-text")
                yield PhoneConversation(id="phone")
            with Vertical(id="below"):
                yield Static(id="problems")
                yield MeterStrip(id="meters")
                yield ChoiceList(id="choices")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#problems").display = False
        if self.session is not None:
            self._observe(self.session)
        if self.watch_path is not None:
            self._mtime = self._stat()
            self.set_interval(POLL_SECONDS, self.check_file)
            if self.session is None:
                self.reload()
        self.show()
        self.query_one(ChoiceList).focus()

    def on_resize(self, event: events.Resize) -> None:
        """A new size wraps the scene anew: keep its newest message in view above the choices."""
        self.query_one("#story", SceneScroll).keep_end_in_view()

    def on_unmount(self) -> None:
        if self._stop_observing is not None:
            self._stop_observing()

    def _observe(self, session: Session) -> None:
        if self._stop_observing is not None:
            self._stop_observing()
        self._stop_observing = session.observe(lambda change: self.post_message(PlayChanged(change)))

    @property
    def play(self) -> Playthrough | None:
        return self.session.play if self.session else None

    @property
    def scenario(self) -> Scenario | None:
        return self.session.scenario if self.session else None

    @property
    def help_topic(self) -> str:
        """Which help list F2 puts first over this screen: the story's."""
        return resources.topic_of(self.scenario)

    def show(self) -> None:
        """Draw the play as it stands: the scene (or ending), its messages and its choices."""
        where = self.query_one("#where", Static)
        scene_text = self.query_one("#scene-text", Static)
        phone = self.query_one(PhoneConversation)
        choices = self.query_one(ChoiceList)
        meters = self.query_one(MeterStrip)
        play = self.play
        if play is None:
            where.update(Text(f"Waiting for {self.watch_path} to load", style="bold"))
            scene_text.update(Text("Nothing to play until the file loads."))
            phone.show(())
            choices.show_actions(())
            meters.display = False
            return
        meters.display = self.context.reveal
        if meters.display:
            meters.show(play)
        heading = Text(no_wrap=True, overflow="ellipsis")
        heading.append(play.scenario.title, style="bold")
        if play.is_over:
            ending = play.ending
            assert ending is not None
            heading.append("  ·  Ending: ")
            heading.append(ending.title)
            heading.append(f" ({ending.tone})", style="italic")
            body = Text(play.text())
            if resources.shows_help(play.scenario, ending):
                body.append("\n\n" + resources.render_plain(resources.for_story(play.scenario), resources.FULL_SCREEN,
                                                             debriefs.help_note(play.scenario)))
            scene_text.update(body)
            phone.show(())
            choices.show_actions([(action, action.value) for action in AtEnding])
        else:
            scene = play.scene
            assert scene is not None
            heading.append("  ·  ")
            heading.append(scene_heading(play.scenario, scene.id))
            heading.append(f"  ·  {choice_label(len(play.steps) + 1)}", style="italic")
            if self.session is not None and self.session.test:
                heading.append("  ·  test play: nothing is saved", style="italic")
            scene_text.update(Text(play.text()))
            phone.show(play.messages())
            choices.show(play.options())
            if play.stuck:
                self.notify("No choice is open here: this is a problem in the scenario. "
                            "Press U to undo.", severity="warning")
        where.update(heading)
        # The newest message is the one the choices answer: a scene opens at its end, just
        # above them, and what came before scrolls off the top (Page Up shows it).
        self.query_one("#story", SceneScroll).keep_end_in_view()

    @on(RevealChanged)
    def _reveal_changed(self) -> None:
        if self.is_mounted:
            self.show()

    @on(PlayChanged)
    def _play_changed(self, message: PlayChanged) -> None:
        change: Change = message.change
        if change.kind == Kind.PROBLEM:
            self.notify(change.message, severity="warning", markup=False)
            return
        problems = self.query_one("#problems", Static)
        if change.kind == Kind.BROKEN:
            problems.update(diagnostics_text(change.diagnostics))
            problems.display = True
        elif change.kind == Kind.RELOADED:
            problems.display = False
            self.notify(change.message, severity="warning" if change.warning else "information",
                        timeout=8 if change.warning else 3, markup=False)
        self.show()
        if change.kind == Kind.ENDED:
            self.debrief_once_drawn()

    # -- choosing --------------------------------------------------------------

    def action_pick(self, number: int) -> None:
        if self.session is None:
            return
        if self.session.play.is_over:
            action = self.query_one(ChoiceList).action_at(number)
            if isinstance(action, AtEnding):
                self.at_ending(action)
            return
        try:
            self.session.choose_number(number)
        except EngineError:
            self.notify(f"There is no open {choice_label(number)} here.", severity="warning", timeout=3)

    @on(ChoiceList.Chosen, "#choices")
    def _chosen(self, message: ChoiceList.Chosen) -> None:
        if self.session is None or self.session.play.is_over:
            return
        try:
            self.session.choose(message.index)
        except EngineError:
            return

    @on(ChoiceList.Acted, "#choices")
    def _acted(self, message: ChoiceList.Acted) -> None:
        if isinstance(message.action, AtEnding):
            self.at_ending(message.action)

    def at_ending(self, action: AtEnding) -> None:
        if action is AtEnding.REPLAY and self.session is not None:
            self.session.restart()
        elif action is AtEnding.LIST:
            self.app.pop_screen()
        elif action is AtEnding.DEBRIEF:
            self.open_debrief()

    # -- the ending ----------------------------------------------------------------

    def debrief_once_drawn(self) -> None:
        """Open the debrief as soon as the frame that shows the ending is drawn.

        The ending answers the key in one frame; the debrief, a much larger
        screen to lay out, opens over it right after, instead of keeping the
        player waiting for both before anything moves. (A second of grace
        opens it even if no new layout comes.)
        """
        def drawn(_screen: Screen | None = None) -> None:
            self.screen_layout_refresh_signal.unsubscribe(self)
            self.screen_change_due = False
            if timer is not None:
                timer.stop()
            if self.is_current:  # not when the player has already moved on, to the debrief or away
                self.call_later(self.open_debrief)

        timer = None
        self.screen_change_due = True  # keys typed meanwhile are for the debrief (game/tui/typeahead.py)
        self.screen_layout_refresh_signal.subscribe(self, drawn)
        timer = self.set_timer(1.0, drawn)

    def open_debrief(self) -> None:
        session = self.session
        if session is None or session.ending is None:
            return
        self.app.push_screen(DebriefScreen(session.play, session.found), callback=self.after_debrief)

    def after_debrief(self, choice: DebriefChoice | None) -> None:
        """What the player picked on the debrief, carried out by the session."""
        if self.session is None or choice is None:
            return  # closed without a choice: stay on the ending, which offers the same ways on
        if choice.action == "replay":
            self.session.restart()
        elif choice.action == "rewind":
            self._rewind(choice.keep_steps)
        elif choice.action == "list":
            self.app.pop_screen()

    # -- undo, history, leaving -------------------------------------------------

    def action_undo(self) -> None:
        if self.session is None:
            return
        if not self.session.play.steps:
            self.notify("Nothing to undo: this is the start of the story.", timeout=3)
            return
        self.session.undo()

    def action_history(self) -> None:
        if self.session is None:
            return
        screen = HistoryScreen(self.session.play, allow_rewind=True, reveal=self.context.reveal)
        self.app.push_screen(screen, callback=self.after_history)

    def after_history(self, keep: int | None) -> None:
        if keep is not None:
            self._rewind(keep)

    def _rewind(self, keep: int) -> None:
        if self.session is None:
            return
        try:
            self.session.rewind(keep)
        except EngineError as problem:
            self.notify(str(problem), severity="warning", markup=False)

    def action_leave(self) -> None:
        self.leave_quietly()
        play = self.play
        if play is not None and play.steps and not play.is_over:
            self.notify("Saved. Pick the scenario again to resume.", timeout=4)
        self.app.pop_screen()

    def leave_quietly(self) -> None:
        """Save the play as it stands (the app calls this before quitting)."""
        if self.session is not None:
            self.session.leave()

    def action_scroll_story(self, direction: int) -> None:
        story = self.query_one("#story", SceneScroll)
        if direction < 0:
            story.scroll_page_up(animate=False)
        else:
            story.scroll_page_down(animate=False)

    # -- watching the file -------------------------------------------------------

    def _stat(self) -> float | None:
        try:
            return self.watch_path.stat().st_mtime_ns if self.watch_path else None
        except OSError:
            return None

    def check_file(self) -> None:
        mtime = self._stat()
        if mtime is not None and mtime != self._mtime:
            self._mtime = mtime
            self.reload()

    def reload(self) -> None:
        """Read the watched file again: the session replays the choices so far, or says why it cannot."""
        if self.watch_path is None:
            return
        if self.session is not None:
            self.session.reload_file(self.watch_path)
            return
        entry = read_entry(self.watch_path)  # nothing has loaded yet: start once the file does
        if entry.scenario is None:
            problems = self.query_one("#problems", Static)
            problems.update(diagnostics_text([d for d in entry.diagnostics if d.severity == "error"]
                                             or entry.diagnostics))
            problems.display = True
            self.show()
            return
        home = self.context.home
        self.session = Session.begin(entry.scenario, home.slots, home.progress)
        self._observe(self.session)
        self.query_one("#problems", Static).display = False
        self.show()
