"""The line-based player: plain text on stdin/stdout, for screen readers, scripts and tests.

It shows exactly what the full-screen game shows, one block at a time, and
reads a number per line. When input is not a terminal, each answer is echoed
after the prompt, so a piped run reads as a complete transcript.

It is the same game as the full screen, not a demo of it: the play is a
`Session` on the player's own home (`open_session`), so it is saved after
every choice, picked up again next time, and its endings are recorded as
found. `--no-save` (a Session with no home) keeps nothing, for scripts.

With `--watch` the story's file is looked at each time an answer comes: if
it was saved since, the story is read again and the choices replayed (the
Session's own reload, as in the full screen), the player is told, the scene is
shown again, and the answer typed against the old scene is set aside: the
player answers again. A file that no longer loads is reported, and play goes
on with the last version that did.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from game import debrief as debriefs
from game import resources
from game.crash import Crashed
from game.engine import EngineError, Playthrough
from game.home import Home
from game.model import Scenario
from game.safetext import printable, quote
from game.session import Change, Kind, Session
from game.wording import choice_label, quoted, scene_heading

HELP = ("Type a number to choose. u = undo, h = history so far, r = help and support resources, q = quit, "
        "? = this help.")
START_OVER = "n starts over (a saved play stays until your first new choice)."
LINE_LIMIT = 4096
"""Characters read of one line of input; the rest of a longer line is skipped (an answer is a number)."""


def open_session(scenario: Scenario, home: Home | None = None) -> tuple[Session, list[str]]:
    """The player's play of `scenario`: the saved one if there is one, else a fresh one, on their home.

    Returns the session and the sentences to say first (files that had to be
    set aside, a save that could not be resumed).
    """
    home = home or Home.open()
    notices = list(home.problems)
    session, problem = Session.resume(scenario, home.slots, home.progress)
    if problem:
        notices.append(problem)
    if session is None:
        session = Session.begin(scenario, home.slots, home.progress)
    return session, notices


def read_line(stdin: TextIO, limit: int = LINE_LIMIT) -> str | None:
    """One line of input, at most `limit` characters of it (the rest skipped); None at the end of input."""
    line = stdin.readline(limit)
    if not line:
        return None
    if not line.endswith("\n"):
        rest = line
        while len(rest) == limit and not rest.endswith("\n"):
            rest = stdin.readline(limit)
        line += "\n"
    return line


def _meter_label(play: Playthrough, meter_id: str) -> str:
    return play.scenario.meter(meter_id).label


def render_scene(play: Playthrough, reveal: bool = False) -> str:
    lines: list[str] = []
    scene = play.scene
    if scene is None:
        return ""
    heading = scene_heading(play.scenario, scene.id)
    lines += [f"--- {heading} ---", play.text(), ""]
    messages = play.messages()
    if messages:
        for message in messages:
            who = "you" if message.mine else message.sender
            state = ", not sent" if message.draft else ""
            lines.append(f"  [{who}{state}] {message.text}")
        lines.append("")
    if reveal:
        values = ", ".join(f"{_meter_label(play, m)} {v}" for m, v in play.state.meters.items())
        lines += [f"  (meters: {values})", ""]
    for option in play.options():
        if option.available:
            lines.append(f"  {option.number}. {option.choice.text}")
        else:
            lines.append(f"  -. [unavailable] {option.choice.text} ({option.reason})")
    return "\n".join(lines)


def render_help(scenario: Scenario) -> str:
    """The help under an ending: why it is there, the story's own list, and where the whole list is (`r`)."""
    return resources.render_plain(resources.for_story(scenario), key=resources.PLAIN,
                                  lead=debriefs.help_note(scenario))


def render_debrief(play: Playthrough) -> str:
    """The debrief in the full screen's words and order: the ending (and help under it), a summary, the detail."""
    report = debriefs.build(play)
    help_story = report.help_story
    ending = report.ending
    lines: list[str] = []
    titles = dict(debriefs.SECTIONS)
    if ending is not None:
        lines += [f"=== Ending: {ending.title} ({ending.tone}) ===", play.text(), ""]
        if resources.shows_help(play.scenario, ending):
            lines += [render_help(play.scenario), ""]

    lines.append(titles["summary"])
    if ending is not None:
        lines.append("  " + debriefs.ending_line(ending))
    lines.append("  " + debriefs.turning_summary(report))
    for meter in report.meters:
        values = report.series[meter.id]
        lines.append(f"  {meter.label}: " + " → ".join(map(str, values)))
    lines.append(f"  {debriefs.TOP_TITLE}:")
    lines += [f"  {debriefs.top_line(e, help_story)}" for e in report.top] or [f"  {debriefs.NO_ADVICE}"]
    lines.append("")

    lines.append(titles["advice"])
    lines.append(debriefs.advice_intro(help_story, report.help_topic))
    for shown in debriefs.advice_lists(report):
        lines.append(f"{shown.title} ({len(shown.entries)}):")
        lines += [f"  {note}" for note in shown.notes]
        for entry in shown.entries:
            lines.append(f"  {debriefs.mark(shown.group, help_story)} {entry.advice.title}")
            lines += [f"    {head}: {words}" for head, words in debriefs.moment_lines(play, entry, help_story)]
            lines.append(f"    {entry.advice.text}")
            if entry.advice.sources:
                lines.append(f"    {debriefs.sources_line(entry.advice)}")
    lines.append("")

    lines.append(titles["disagree"])
    if not report.debates:
        lines.append(f"  {debriefs.NO_DEBATE}")
    else:
        lines.append(debriefs.debate_intro(help_story, report.debates))
    for debate in report.debates:
        lines.append(f"  * {debate.title}: {debate.disagreement}")
        if debate.stance:
            lines.append("    " + " ".join(debriefs.stance_parts(debate.stance)))
    lines.append("")

    lines.append(titles["meters"])
    note = debriefs.meters_note(help_story, report.help_topic)
    if note:
        lines.append(note)
    for meter in report.meters:
        lines.append("  " + debriefs.meter_summary(meter, report.series[meter.id]))
    point = report.turning_point
    if point is None:
        lines.append(debriefs.no_turn(report))
    else:
        lines.append(debriefs.turning_head(point))
        lines.append("  " + debriefs.tie_sentence(report.ties))
        lines += [f"    {move}" for move in debriefs.turning_moves(report)]
    cited = debriefs.cited_sources(report)
    if cited:
        lines += ["", f"{debriefs.SOURCES_TITLE}:"]
        lines += [f"  {source.key}: {source.heading}" for source in cited]
    return "\n".join(lines)


def render_history(play: Playthrough) -> str:
    """The choices so far in the full screen's words: "Choice 2 · 2:07 a.m.: “Send it.”"."""
    if not play.steps:
        return "No choices yet."
    return "\n".join(f"  {choice_label(s.number).capitalize()} · {scene_heading(play.scenario, s.scene)}: "
                     f"{quoted(s.choice_text)}" for s in play.steps)


def run(scenario: Scenario, stdin: TextIO, stdout: TextIO, reveal: bool = False,
        play: Playthrough | None = None, session: Session | None = None, notices: Iterable[str] = (),
        watch: Path | None = None) -> Playthrough:
    """Play until an ending, `q`, or the end of input; returns the play as it stands.

    The play is the Session passed in (the player's own, from `open_session`,
    or a test play from a chosen scene); without one it is a Session that
    keeps nothing between runs.
    """
    lenient(stdin)
    player = _Player(session or Session(play or Playthrough.begin(scenario)), stdin, stdout, reveal, watch)
    try:
        return player.run(notices)
    except Exception as error:  # noqa: BLE001 - reported by the command line, with what was saved
        raise Crashed(player.session.saved_note()) from error
    finally:
        player.unobserve()


def lenient(stdin: TextIO) -> None:
    """Read a byte that is not UTF-8 (a terminal in another encoding, a file piped in) as U+FFFD, which the
    player is told is not an answer, instead of failing on it: a real stream is set so, a test's is left."""
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")


def _stamp(path: Path | None) -> tuple[int, int] | None:
    """When a file was last written, and its size (None when it cannot be read)."""
    try:
        info = os.stat(path) if path is not None else None
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size) if info is not None else None


STUCK = "(No choice is open here. This is a problem in the scenario: run `second-chance validate`.)"


class _Player:
    """One run of the line player: its session, its input and output."""

    def __init__(self, session: Session, stdin: TextIO, stdout: TextIO, reveal: bool, watch: Path | None = None):
        self.stdin, self.stdout, self.reveal = stdin, stdout, reveal
        self.echo = not stdin.isatty()
        self.session = session
        self.unobserve = session.observe(self.told)
        self.watch, self.stamp = watch, _stamp(watch)

    def say(self, text: str = "") -> None:
        self.stdout.write(printable(text) + "\n")

    def told(self, change: Change) -> None:
        if change.kind in (Kind.PROBLEM, Kind.RELOADED, Kind.BROKEN) and change.message:
            self.say(f"({change.message})")
        for problem in change.diagnostics[:3]:  # why an edited file no longer loads
            self.say("  " + problem.format())
        if change.kind == Kind.RELOADED:
            self.say()
            self.say(render_scene(self.session.play, self.reveal))

    def reloaded(self) -> bool:
        """With --watch: whether the story's file was saved since the last look, and has been read again."""
        stamp = _stamp(self.watch)
        if self.watch is None or stamp is None or stamp == self.stamp:
            return False
        self.stamp = stamp
        return self.session.reload_file(self.watch)

    def answers(self) -> Iterator[str]:
        while True:
            self.stdout.write("> ")
            self.stdout.flush()
            line = read_line(self.stdin)
            if line is None:
                return
            if self.echo:
                self.stdout.write(printable(line))
            if self.reloaded():
                continue  # typed against the scene as it read before: the player answers again
            yield line.strip().lower()

    def kept(self) -> str:
        """What stays of the play when the player leaves: one true sentence."""
        session = self.session
        if session.test:
            return "Nothing was saved: this was a test play."
        if session.slots is None:
            return "Nothing was saved."
        return session.saved_note() or "Nothing was saved: you had not made a choice yet."

    def opening(self, notices: Iterable[str]) -> None:
        session, play, say = self.session, self.session.play, self.say
        scenario = play.scenario
        for notice in notices:
            say(f"({notice})")
        if session.test:
            say(f"== {scenario.title} (a test play from `{play.state.at}`: nothing is saved) ==")
        elif not play.steps:
            say(f"== {scenario.title} ==")
            say(scenario.summary)
            if scenario.content_notes:
                say("Content notes: " + ", ".join(scenario.content_notes))
            if resources.offers_help(scenario):
                say(resources.PLAIN.opens())
            say(HELP)
            if session.slots is not None:
                say("Your play is saved after every choice, and picked up here next time. " + START_OVER)
            say()
        else:
            say(f"== {scenario.title} ==")
            say(f"Picking up your saved play after {choice_label(len(play.steps))}. n starts over instead "
                "(the saved play is replaced once you make your first choice).")
            if resources.offers_help(scenario):
                say(resources.PLAIN.opens())
            say()

    def start_over(self) -> None:
        if self.session.test:
            self.say("(This is a test play: run the command again to start it over.)")
            return
        had_save = self.session.saved_steps is not None
        self.unobserve()
        self.session = self.session.start_over()
        self.unobserve = self.session.observe(self.told)
        self.say("(Starting over." + (" Your saved play stays until your first choice, which replaces it.)"
                                      if had_save else ")"))
        self.say(render_scene(self.session.play, self.reveal))

    def run(self, notices: Iterable[str]) -> Playthrough:
        say = self.say
        self.opening(notices)
        say(render_scene(self.session.play, self.reveal))
        if self.session.play.stuck:
            say(STUCK)
            return self.session.play
        for answer in self.answers():
            session = self.session
            if answer in ("q", "quit"):
                session.leave()
                say(f"You stepped away. {self.kept()}")
                return session.play
            if answer in ("?", "help"):
                say(f"{HELP} {START_OVER}")
            elif answer in ("h", "history"):
                say(render_history(session.play))
            elif answer in ("r", "resources"):
                say(resources.render_all_plain(resources.topic_of(session.scenario)))
            elif answer in ("n", "new"):
                self.start_over()
            elif answer in ("u", "undo"):
                try:
                    play = session.undo()
                except EngineError as problem:
                    say(f"({problem})")
                    continue
                say("(undone)")
                say(render_scene(play, self.reveal))
            elif answer:
                if self.choose(answer):
                    return self.session.play
        say()
        say(f"(Input ended before the story did. {self.kept()})")
        return self.session.play

    def choose(self, answer: str) -> bool:
        """Take the choice typed; True when the play is over (an ending, or a scene with no way on)."""
        session, say = self.session, self.say
        try:
            play = session.choose_number(int(answer))
        except ValueError:
            say(f"(\"{quote(answer)}\" is not a choice. {HELP})")
            return False
        except EngineError as problem:
            say(f"({problem}; pick one of the numbers shown)")
            return False
        say()
        if play.is_over:
            say(render_debrief(play))
            if session.progress is not None:
                say(f"\nEndings found: {len(session.found)} of {len(play.scenario.endings)}")
            return True
        say(render_scene(play, self.reveal))
        if play.stuck:
            say(STUCK)
            return True
        return False
