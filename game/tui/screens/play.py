"""Playing a scenario: the scene, any chat, the choices; undo, history, save and leave.

The screen keeps one immutable Playthrough and swaps it for the next one the
engine gives back; it never changes game state itself. The play is saved after
every choice, so quitting at any moment loses nothing.

With `--watch`, the scenario file is polled about twice a second; when it is
saved, the scenario is reloaded and the choices made so far are replayed. A
file that no longer loads shows its diagnostics here, and play carries on with
the last version that did.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static

from game import resources
from game.diagnostics import Diagnostic
from game.engine import EngineError, Playthrough
from game.loader import read_scenario
from game.model import Scenario
from game.tui.app import optional_screen
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.keybar import KeyBar
from game.tui.widgets.meters import MeterStrip
from game.tui.widgets.phone import PhoneConversation

POLL_SECONDS = 0.5


def fit_path(scenario: Scenario, path: Sequence[tuple[str, int]]) -> tuple[Playthrough, str | None]:
    """Replay `path` in `scenario`; when it no longer fits, the longest prefix that does and why."""
    try:
        return Playthrough.replay(scenario, path), None
    except EngineError as problem:
        why = str(problem)
    play = Playthrough.begin(scenario)
    for scene_id, index in path:
        if play.state.at != scene_id:
            break
        try:
            play = play.choose(index)
        except EngineError:
            break
    return play, why


def diagnostics_text(diagnostics: Sequence[Diagnostic]) -> Text:
    text = Text()
    text.append("The scenario file no longer loads. Still playing the last version that did.\n",
                style="bold")
    for diagnostic in diagnostics:
        text.append(f"  {diagnostic.format()}\n")
    text.append("Fix the file and save it: it reloads by itself.", style="italic")
    return text


class PlayScreen(Screen[None]):
    """One play of one scenario."""

    BINDINGS = [
        Binding("1", "pick(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("u", "undo", "Undo"),
        Binding("h", "history", "History"),
        Binding("s", "leave", "Save & leave"),
        Binding("escape", "leave", "Save & leave", show=False),
        Binding("pageup", "scroll_story(-1)", show=False),
        Binding("pagedown", "scroll_story(1)", show=False),
    ]

    def __init__(self, play: Playthrough | None, watch: Path | None = None):
        super().__init__()
        self.play = play
        self.watch_path = watch
        self._mtime: float | None = None
        self._save_problem_shown = False
        self._ended_recorded = False
        # A play resumed from its save owns that save; a fresh start does not
        # until its first choice, so "Start over" and leaving at once keeps the old save.
        self._owns_save = bool(play and play.steps)

    # -- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="where")
        with VerticalScroll(id="story"):
            yield Static(id="scene-text")
            yield PhoneConversation(id="phone")
        yield Static(id="problems")
        yield MeterStrip(id="meters")
        yield ChoiceList(id="choices")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#problems").display = False
        if self.watch_path is not None:
            self._mtime = self._stat()
            self.set_interval(POLL_SECONDS, self.check_file)
            if self.play is None:
                self.reload()
        self.show()
        self.query_one(ChoiceList).focus()

    @property
    def scenario(self) -> Scenario | None:
        return self.play.scenario if self.play else None

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
        meters.display = bool(self.app.reveal)  # type: ignore[attr-defined]
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
            if ending.help or play.scenario.help:
                body.append("\n\n" + resources.render_plain())
            scene_text.update(body)
            phone.show(())
            actions = [("act-replay", "Play again from the start"),
                       ("act-list", "Back to the list of scenarios")]
            if optional_screen("debrief", "DebriefScreen") is not None:
                actions.insert(0, ("act-debrief", "What your choices meant"))
            choices.show_actions(actions)
        else:
            scene = play.scene
            assert scene is not None
            heading.append("  ·  ")
            heading.append(scene.title or scene.id.replace("_", " "))
            heading.append(f"  ·  choice {len(play.steps) + 1}", style="italic")
            scene_text.update(Text(play.text()))
            phone.show(play.messages())
            choices.show(play.options())
            if play.stuck:
                self.notify("No choice is open here: this is a problem in the scenario. "
                            "Press U to undo.", severity="warning")
        where.update(heading)
        self.query_one("#story", VerticalScroll).scroll_home(animate=False)

    def reveal_changed(self) -> None:
        if self.is_mounted:
            self.show()

    # -- choosing --------------------------------------------------------------

    def action_pick(self, number: int) -> None:
        if self.play is None:
            return
        if self.play.is_over:
            choices = self.query_one(ChoiceList)
            if 1 <= number <= choices.option_count:
                self.run_action_id(choices.get_option_at_index(number - 1).id or "")
            return
        try:
            nxt = self.play.choose_number(number)
        except EngineError:
            self.notify(f"There is no open choice {number} here.", severity="warning", timeout=3)
            return
        self.advance(nxt)

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("act-"):
            self.run_action_id(option_id)
            return
        if self.play is None or self.play.is_over:
            return
        try:
            nxt = self.play.choose(int(option_id[1:]))
        except (EngineError, ValueError):
            return
        self.advance(nxt)

    def advance(self, play: Playthrough) -> None:
        self.play = play
        self._ended_recorded = False
        if play.is_over:
            self.finish()
        else:
            self.autosave()
            self.show()

    def run_action_id(self, action_id: str) -> None:
        if action_id == "act-replay":
            self.restart(Playthrough.begin(self.play.scenario) if self.play else None)
        elif action_id == "act-list":
            self.app.pop_screen()
        elif action_id == "act-debrief":
            self.open_debrief()

    def restart(self, play: Playthrough | None) -> None:
        if play is None:
            return
        self.play = play
        self._ended_recorded = False
        self.autosave()
        self.show()

    # -- the ending ----------------------------------------------------------------

    def finish(self) -> None:
        """Record the ending, clear the autosave, and open the debrief (or show the ending here)."""
        play = self.play
        assert play is not None and play.ending is not None
        app = self.app
        found = frozenset({play.ending.id})
        if not self._ended_recorded:
            self._ended_recorded = True
            try:
                found = app.progress.record(play.scenario.id, play.ending.id)  # type: ignore[attr-defined]
            except OSError as problem:
                found = app.progress.found(play.scenario.id) | found  # type: ignore[attr-defined]
                self.notify(f"The ending could not be recorded: {problem}", severity="warning",
                            markup=False)
            try:
                app.slots.clear(play.scenario.id)  # type: ignore[attr-defined]
            except OSError:
                pass
        self.show()
        self.open_debrief(found)

    def open_debrief(self, found: frozenset[str] | None = None) -> None:
        debrief = optional_screen("debrief", "DebriefScreen")
        play = self.play
        if debrief is None or play is None or play.ending is None:
            return
        if found is None:
            found = self.app.progress.found(play.scenario.id) | {play.ending.id}  # type: ignore[attr-defined]
        self.app.push_screen(debrief(play, frozenset(found)), callback=self.after_debrief)

    def after_debrief(self, choice: object) -> None:
        action = getattr(choice, "action", None)
        if self.play is None:
            return
        if action == "replay":
            self.restart(Playthrough.begin(self.play.scenario))
        elif action == "rewind":
            keep = int(getattr(choice, "keep_steps", 0))
            try:
                self.restart(self.play.rewind(keep))
            except EngineError as problem:
                self.notify(str(problem), severity="warning", markup=False)
        elif action == "list":
            self.app.pop_screen()
        # None (closed without a choice): stay on the ending, which offers the same three ways on.

    # -- undo, history, leaving -------------------------------------------------

    def action_undo(self) -> None:
        if self.play is None:
            return
        if not self.play.steps:
            self.notify("Nothing to undo: this is the start of the story.", timeout=3)
            return
        self.restart(self.play.undo())

    def action_history(self) -> None:
        history = optional_screen("history", "HistoryScreen")
        if self.play is None:
            return
        if history is None:
            lines = [f"{s.number}. {s.choice_text}" for s in self.play.steps] or ["No choices yet."]
            self.notify("\n".join(lines), title="The story so far", timeout=10, markup=False)
            return
        reveal = {"reveal": True} if self.app.reveal else {}  # type: ignore[attr-defined]
        screen = history(self.play, allow_rewind=True, **reveal)
        self.app.push_screen(screen, callback=self.after_history)

    def after_history(self, keep: int | None) -> None:
        if keep is None or self.play is None:
            return
        try:
            self.restart(self.play.rewind(keep))
        except EngineError as problem:
            self.notify(str(problem), severity="warning", markup=False)

    def action_leave(self) -> None:
        self.autosave()
        if self.play is not None and self.play.steps and not self.play.is_over:
            self.notify("Saved. Pick the scenario again to resume.", timeout=4)
        self.app.pop_screen()

    def action_scroll_story(self, direction: int) -> None:
        story = self.query_one("#story", VerticalScroll)
        if direction < 0:
            story.scroll_page_up()
        else:
            story.scroll_page_down()

    def autosave(self) -> None:
        """Save the play in its slot (an unstarted or finished play leaves no save)."""
        play = self.play
        if play is None:
            return
        slots = self.app.slots  # type: ignore[attr-defined]
        try:
            if play.is_over:
                return
            if play.steps:
                slots.save(play)
                self._owns_save = True
            elif self._owns_save:
                slots.clear(play.scenario.id)
        except OSError as problem:
            if not self._save_problem_shown:
                self._save_problem_shown = True
                self.notify(f"Your play could not be saved: {problem}", severity="error", markup=False)

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
        """Read the watched file again; replay the choices so far, or show why it cannot load."""
        if self.watch_path is None:
            return
        result = read_scenario(self.watch_path)
        problems = self.query_one("#problems", Static)
        if result.scenario is None:
            problems.update(diagnostics_text(result.errors or result.diagnostics))
            problems.display = True
            self.show()
            return
        problems.display = False
        old_path = self.play.path if self.play else ()
        play, why = fit_path(result.scenario, old_path)
        self.play = play
        if play.is_over:
            self._ended_recorded = True  # a reload into an ending is not a new ending found
        if why is None:
            self.notify(f"Reloaded; replayed {len(old_path)} choice{'s' if len(old_path) != 1 else ''}.",
                        timeout=3)
        else:
            self.notify(f"Reloaded. Kept the first {len(play.steps)} of {len(old_path)} choices: {why}.",
                        severity="warning", timeout=8, markup=False)
        self.autosave()
        self.show()
