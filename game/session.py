"""One play's life, owned in one place: every front end drives a Session and redraws when told.

The engine's Playthrough is the rules; the Session is the policy around one
play of one scenario: beginning or resuming from a save, choosing, undo,
rewinding to any step, starting over, reaching an ending (recording it as
found and clearing the save), saving after every choice, reloading an edited
file while keeping as much of the play as still fits, and named branches kept
side by side (a workshop's "stop, go back, try the other way").

A front end (the full-screen play screen, the plain player, a workshop screen,
a vote server, a browser page) calls `choose`, `undo`, `rewind` and so on, and
subscribes with `observe` to hear what changed. None of them keeps its own copy
of these rules.

Saves: a play resumed from its save owns that save. A fresh play owns none
until its first choice, so "start over" followed by leaving at once keeps the
old save (and its first choice replaces it). Each save carries the owner
token of the session that wrote it, and a session only ever writes over or
removes a save that is still its own: a second window playing the same
scenario keeps a save of its own beside the first's (`game/saves.py`), so
neither window loses its play to the other.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from enum import Enum, auto
from pathlib import Path

import attrs

from game.diagnostics import Diagnostic
from game.engine import EngineError, Playthrough, fit_path
from game.model import Ending, Scenario
from game.observers import Observers
from game.progress import Progress
from game.saves import SaveSlots
from game.storage import UnsafeName
from game.wording import choice_label


class Kind(Enum):
    """What happened to a session: the kind of every Change its observers are told."""

    MOVED = auto()
    """The play moved: a choice, undo, rewind, restart, or another branch."""
    ENDED = auto()
    """A choice reached an ending; it is recorded as found and the save is cleared."""
    RELOADED = auto()
    """The scenario was read again from its file; `message` says how much of the play was kept."""
    BROKEN = auto()
    """The file no longer loads; `diagnostics` say why, and play goes on with the last version that did."""
    PROBLEM = auto()
    """Something the player should know but that does not stop play (a save that could not be written)."""


@attrs.frozen
class Change:
    """What just happened to a session, for its observers."""

    kind: Kind
    session: Session = attrs.field(repr=False, eq=False)
    message: str = ""
    warning: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()


Observer = Callable[[Change], None]


class Session:
    """One play of one scenario, with its saves, its record of endings and its branches."""

    MAIN = "main"

    def __init__(self, play: Playthrough, *, slots: SaveSlots | None = None, progress: Progress | None = None,
                 owns_save: bool = False, save_owner: str = "", test: bool = False, replaces: str | None = None):
        self._branches: dict[str, Playthrough] = {self.MAIN: play}
        self._branch = self.MAIN
        self.slots = None if test else slots
        self.progress = None if test else progress
        self.test = test
        self.token = secrets.token_hex(8)
        self._owns_save = owns_save
        self._replaces = replaces
        """The owner of the save a "start over" replaces at its first choice, even one that ends the story."""
        self._disk_owner = save_owner if owns_save else (replaces if replaces is not None else self.token)
        self._observers: Observers[Change] = Observers()
        self._save_problem_told = False
        self._save_note_told = False
        self.saved_steps: int | None = len(play.steps) if owns_save and self.slots is not None else None
        """How many choices the play's save on disk holds, as far as this session knows (None: no save)."""
        self.save_failed = False
        """True when the last try to save this play failed."""

    # -- starting ---------------------------------------------------------------------

    @classmethod
    def begin(cls, scenario: Scenario, slots: SaveSlots | None = None,
              progress: Progress | None = None) -> Session:
        """A fresh play; an older save of this scenario stays until the first choice."""
        return cls(Playthrough.begin(scenario), slots=slots, progress=progress)

    @classmethod
    def resume(cls, scenario: Scenario, slots: SaveSlots,
               progress: Progress | None = None) -> tuple[Session | None, str | None]:
        """The saved play, or None; the message says when a save had to be set aside."""
        play, owner, problem = slots.load_owned(scenario)
        if play is None or play.is_over:
            return None, problem
        return cls(play, slots=slots, progress=progress, owns_save=True, save_owner=owner), problem

    def start_over(self) -> Session:
        """A fresh play of this scenario that replaces this one's save at its first choice (not before)."""
        return Session(Playthrough.begin(self.scenario), slots=self.slots, progress=self.progress,
                       replaces=self._disk_owner if self._owns_save else None)

    @classmethod
    def restore(cls, branches: Mapping[str, Playthrough], current: str) -> Session:
        """A session with several branches and no save slot (a workshop picked up again from its own file)."""
        if not branches or current not in branches:
            raise EngineError("a session needs the branch it goes on with")
        plays = list(branches.items())
        session = cls(plays[0][1])
        session._branches = dict(plays)
        session._branch = current
        return session

    @classmethod
    def test_play(cls, scenario: Scenario, scene: str, meters: Mapping[str, int] | None = None,
                  flags: Sequence[str] = ()) -> Session:
        """A play from `scene` in a chosen state, for an author: it saves nothing and records no ending."""
        return cls(Playthrough.begin_at(scenario, scene, meters, flags), test=True)

    # -- what there is ------------------------------------------------------------------

    @property
    def play(self) -> Playthrough:
        return self._branches[self._branch]

    @property
    def scenario(self) -> Scenario:
        return self.play.scenario

    @property
    def ending(self) -> Ending | None:
        return self.play.ending

    @property
    def found(self) -> frozenset[str]:
        """The endings of this scenario found so far, this play's included."""
        found = self.progress.found(self.scenario.id) if self.progress is not None else frozenset()
        here = {self.ending.id} if self.ending is not None else set()
        return frozenset(found | here) & frozenset(self.scenario.endings)

    @property
    def branch(self) -> str:
        return self._branch

    @property
    def branches(self) -> dict[str, Playthrough]:
        """Every branch by name, in the order they were made."""
        return dict(self._branches)

    # -- observers ------------------------------------------------------------------------

    def observe(self, callback: Observer) -> Callable[[], None]:
        """Call `callback` with a Change after everything that changes the session; returns an unsubscribe."""
        return self._observers.add(callback)

    def _tell(self, kind: Kind, message: str = "", warning: bool = False,
              diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        self._observers.tell(Change(kind, self, message, warning, diagnostics))

    # -- moving ---------------------------------------------------------------------------

    def choose(self, choice_index: int) -> Playthrough:
        """Take the choice at its place in the scene; EngineError when it is not open."""
        return self._advance(self.play.choose(choice_index))

    def choose_number(self, number: int) -> Playthrough:
        """Take the open option shown as `number`, as a player types it; EngineError when there is none."""
        return self._advance(self.play.choose_number(number))

    def undo(self, count: int = 1) -> Playthrough:
        """Take back the last `count` choices; EngineError at the start of the story."""
        return self._move(self.play.undo(count))

    def rewind(self, steps_kept: int) -> Playthrough:
        """Back to just after step `steps_kept` (0 is the very start)."""
        return self._move(self.play.rewind(steps_kept))

    def restart(self) -> Playthrough:
        """From the start again, on this branch."""
        return self._move(Playthrough.begin(self.scenario))

    def _advance(self, play: Playthrough) -> Playthrough:
        self._set(play)
        if play.is_over:
            self._finish()
            self._tell(Kind.ENDED)
        else:
            self._autosave()
            self._tell(Kind.MOVED)
        return play

    def _move(self, play: Playthrough) -> Playthrough:
        self._set(play)
        self._autosave()
        self._tell(Kind.MOVED)
        return play

    def _set(self, play: Playthrough) -> None:
        self._branches[self._branch] = play

    # -- branches ---------------------------------------------------------------------------

    def fork(self, steps_kept: int, name: str | None = None) -> str:
        """Keep this branch as it is and go on in a new one from just after step `steps_kept`.

        Returns the new branch's name ("Branch 2" and so on unless named).
        """
        play = self.play.rewind(steps_kept)
        name = name or self._new_name()
        if name in self._branches:
            raise EngineError(f"there is already a branch called “{name}”")
        self._branches[name] = play
        self._branch = name
        self._autosave()
        self._tell(Kind.MOVED)
        return name

    def switch(self, name: str) -> Playthrough:
        """Go on with another branch, just where it was left."""
        if name not in self._branches:
            raise EngineError(f"there is no branch called “{name}”")
        self._branch = name
        self._autosave()
        self._tell(Kind.MOVED)
        return self.play

    def _new_name(self) -> str:
        number = len(self._branches) + 1
        while f"Branch {number}" in self._branches:
            number += 1
        return f"Branch {number}"

    # -- the ending and the save ------------------------------------------------------------

    def _finish(self) -> None:
        """Record the ending as found and clear this play's save (a test play does neither)."""
        play = self.play
        assert play.ending is not None
        if self.progress is not None:
            try:
                self.progress.record(self.scenario.id, play.ending.id)
            except OSError as problem:
                self._tell(Kind.PROBLEM, f"The ending could not be recorded: {problem}", warning=True)
        self._clear_save()

    def _clear_save(self) -> None:
        if self.slots is None or not (self._owns_save or (self._replaces is not None and self.play.is_over)):
            return
        try:
            self.slots.clear(self.scenario.id, owner=self._disk_owner)
        except OSError:
            pass
        self._owns_save = False
        self.saved_steps = None

    def _autosave(self) -> None:
        """Save the play (an unstarted one leaves no save, and removes its own old one)."""
        if self.slots is None or self.play.is_over:
            return
        try:
            if self.play.steps:
                saved = self.slots.save(self.play, owner=self.token, previous=self._disk_owner)
                self._owns_save = True
                self._disk_owner = self.token
                self._replaces = None
                self.saved_steps = len(self.play.steps)
                self.save_failed = False
                if saved.note and (saved.warning or not self._save_note_told):
                    self._save_note_told = True
                    self._tell(Kind.PROBLEM, saved.note, warning=saved.warning)
            elif self._owns_save:
                self._clear_save()
        except (OSError, UnsafeName) as problem:
            self.save_failed = True
            if not self._save_problem_told:
                self._save_problem_told = True
                self._tell(Kind.PROBLEM, f"Your play could not be saved: {problem}", warning=True)

    def saved_note(self) -> str | None:
        """One true sentence about this play's save, for a player leaving in a hurry (None: nothing to say)."""
        if self.slots is None or self.play.is_over:
            return None
        if self.save_failed:
            return "Your latest choices could not be saved."
        if self.saved_steps:
            return f"Your play was saved after {choice_label(self.saved_steps)}."
        return None

    def leave(self) -> None:
        """The player stops here: the play as it stands is saved (it already is after every choice)."""
        self._autosave()

    # -- reloading ----------------------------------------------------------------------------

    def reload(self, scenario: Scenario) -> Playthrough:
        """Go on with an edited scenario, keeping the longest part of every branch that still fits.

        A reload that lands on an ending is not a new ending found.
        """
        kept = []
        for name, old in list(self._branches.items()):
            play, why = fit_path(scenario, old.path)
            self._branches[name] = play
            if name == self._branch:
                kept = [len(old.path), len(play.steps), why]
        total, now, why = kept
        if why is None:
            message = f"Reloaded; replayed {total} choice{'s' if total != 1 else ''}."
        else:
            message = f"Reloaded. Kept the first {now} of {total} choices: {why}."
        self._autosave()
        self._tell(Kind.RELOADED, message, warning=why is not None)
        return self.play

    def reload_file(self, path: Path) -> bool:
        """Read `path` again and reload from it; when it no longer loads, say why and keep playing."""
        from game.loader import read_scenario  # here: a play starts from a story already loaded

        result = read_scenario(path)
        if result.scenario is None:
            self._tell(Kind.BROKEN, "The scenario file no longer loads.", True, result.errors or result.diagnostics)
            return False
        self.reload(result.scenario)
        return True
