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


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def render_debrief(play: Playthrough) -> str:
    report = debriefs.build(play)
    ending = report.ending
    lines: list[str] = []
    if ending is not None:
        lines += [f"=== Ending: {ending.title} ({ending.tone}) ===", play.text(), ""]
    lines.append("What your choices meant")

    def uses(title: str, items: tuple[debriefs.AdviceUse, ...], empty: str) -> None:
        lines.append(f"{title}:")
        if not items:
            lines.append(f"  {empty}")
        for use in items:
            steps = ", ".join(map(str, use.steps))
            lines.append(f"  * {use.advice.title} [{'; '.join(use.advice.sources)}] (step {steps})")
            lines.append(f"    {use.advice.text}")

    uses("Advice you followed", report.followed, "none on this path")
    uses("Advice you ignored", report.ignored, "none on this path")
    if report.tactics:
        uses("Tactics you tried (the game treats these as manipulative)", report.tactics, "")
    if report.disagreements:
        lines.append("Where the articles disagree:")
        for advice in report.disagreements:
            lines.append(f"  * {advice.title}: {advice.disagreement}")
            if advice.stance:
                lines.append(f"    The game's reading: {advice.stance}")
    lines.append("The meters, revealed:")
    for meter_id, values in report.series.items():
        trail = " > ".join(map(str, values))
        lines.append(f"  {_meter_label(play, meter_id)}: {trail}")
    point = report.turning_point
    if point is not None:
        moved = ", ".join(
            f"{_meter_label(play, m)} {_signed(point.delta(m))}"
            for m in play.scenario.meter_ids if point.delta(m)
        )
        lines.append(f"Turning point: step {point.number}, “{point.choice_text}” ({moved})")
    if ending is not None and (ending.help or play.scenario.help):
        lines += ["", resources.render_plain()]
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
