"""The line-based player: plain text on stdin/stdout, for screen readers, scripts and tests.

It shows exactly what the full-screen game shows, one block at a time, and
reads a number per line. When input is not a terminal, each answer is echoed
after the prompt, so a piped run reads as a complete transcript.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from game import debrief as debriefs
from game import resources
from game.engine import EngineError, Playthrough
from game.model import Scenario
from game.safetext import printable
from game.session import Session
from game.wording import choice_label, quoted, scene_heading

HELP = "Type a number to choose. u = undo, h = history so far, q = quit, ? = this help."


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


def render_debrief(play: Playthrough) -> str:
    """The debrief in the full screen's words and order: the ending, a summary, then the detail."""
    report = debriefs.build(play)
    help_story = report.help_story
    ending = report.ending
    lines: list[str] = []
    titles = dict(debriefs.SECTIONS)
    if ending is not None:
        lines += [f"=== Ending: {ending.title} ({ending.tone}) ===", play.text(), ""]

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
    lines.append(debriefs.HELP_ADVICE_INTRO if help_story else debriefs.ADVICE_INTRO)
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
    for debate in report.debates:
        lines.append(f"  * {debate.title}: {debate.disagreement}")
        if debate.stance:
            lines.append(f"    {debriefs.STANCE} {debate.stance}")
    lines.append("")

    lines.append(titles["meters"])
    if help_story:
        lines.append(debriefs.HELP_METERS_NOTE)
    for meter in report.meters:
        lines.append("  " + debriefs.meter_summary(meter, report.series[meter.id]))
    point = report.turning_point
    if point is None:
        lines.append(debriefs.NO_TURN)
    else:
        lines.append(debriefs.turning_head(point))
        lines.append("  " + debriefs.tie_sentence(report.ties))
        lines += [f"    {move}" for move in debriefs.turning_moves(report)]
    cited = debriefs.cited_sources(report)
    if cited:
        lines += ["", f"{debriefs.SOURCES_TITLE}:"]
        lines += [f"  {source.key}: {source.heading}" for source in cited]
    if ending is not None and resources.shows_help(play.scenario, ending):
        lines += ["", resources.render_plain(resources.for_story(play.scenario))]
    return "\n".join(lines)


def render_history(play: Playthrough) -> str:
    """The choices so far in the full screen's words: "Choice 2 · 2:07 a.m.: “Send it.”"."""
    if not play.steps:
        return "No choices yet."
    return "\n".join(f"  {choice_label(s.number).capitalize()} · {scene_heading(play.scenario, s.scene)}: "
                     f"{quoted(s.choice_text)}" for s in play.steps)


def run(scenario: Scenario, stdin: TextIO, stdout: TextIO, reveal: bool = False,
        play: Playthrough | None = None, session: Session | None = None) -> Playthrough:
    """Play until an ending, `q`, or the end of input; returns the play as it stands.

    The play is a Session with no saves (plain mode keeps nothing between
    runs), unless one is passed in (a test play from a chosen scene).
    """
    echo = not stdin.isatty()
    session = session or Session(play or Playthrough.begin(scenario))

    def say(text: str = "") -> None:
        stdout.write(printable(text) + "\n")

    def answers() -> Iterator[str]:
        while True:
            stdout.write("> ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                return
            if echo:
                stdout.write(line if line.endswith("\n") else line + "\n")
            yield line.strip().lower()

    play = session.play
    if session.test:
        say(f"== {scenario.title} (a test play from `{play.state.at}`: nothing is saved) ==")
    elif not play.steps:
        say(f"== {scenario.title} ==")
        say(scenario.summary)
        if scenario.content_notes:
            say("Content notes: " + ", ".join(scenario.content_notes))
        say(HELP)
        say()
    stuck = "(No choice is open here. This is a problem in the scenario: run `second-chance validate`.)"
    say(render_scene(play, reveal))
    if play.stuck:
        say(stuck)
        return play
    for answer in answers():
        if answer in ("q", "quit"):
            say("You stepped away. (Nothing was saved in plain mode.)")
            return play
        if answer in ("?", "help"):
            say(HELP)
            continue
        if answer in ("h", "history"):
            say(render_history(play))
            continue
        if answer in ("u", "undo"):
            try:
                play = session.undo()
            except EngineError as problem:
                say(f"({problem})")
                continue
            say("(undone)")
            say(render_scene(play, reveal))
            continue
        if not answer:
            continue
        try:
            play = session.choose_number(int(answer))
        except ValueError:
            say(f"(\"{answer}\" is not a choice. {HELP})")
            continue
        except EngineError as problem:
            say(f"({problem}; pick one of the numbers shown)")
            continue
        say()
        if play.is_over:
            say(render_debrief(play))
            return play
        say(render_scene(play, reveal))
        if play.stuck:
            say(stuck)
            return play
    say()
    say("(Input ended before the story did.)")
    return play
