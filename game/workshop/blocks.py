"""The comparison of every play and the room's debrief, as plain blocks the room display lays out.

Both come from the room report (game.workshop.report), the same account the
console's screens and the handouts are drawn from, in game.debrief's words.
A block is a heading, a paragraph, a list or a vote's bars, so the room
display needs no knowledge of what a debrief is. Facilitator notes are never
in a block: the room display only ever gets what the room may see.
"""

from __future__ import annotations

from typing import Any

from game import debrief as debriefs
from game.debrief import signed
from game.safetext import printable
from game.wording import quoted
from game.workshop.ideas import ELSE_NOTE
from game.workshop.names import TIE_RULES
from game.workshop.report import Line, Moment, RoomReport
from game.workshop.shown import SECTIONS
from game.workshop.words import compared, decided_by

NO_HELP_HERE = "Help and support is at the foot of the vote page, and the facilitator has the list."

Block = dict[str, Any]


def heading(text: str) -> Block:
    return {"kind": "h", "text": printable(text)}


def para(text: str, em: bool = False) -> Block:
    return {"kind": "p", "text": printable(text), "em": em}


def items(rows: list[tuple[str, str, list[str]]]) -> Block:
    """A list: (mark, words, lines under them) for each item."""
    return {"kind": "list", "items": [{"mark": printable(mark), "text": printable(text),
                                       "sub": [printable(s) for s in sub]} for mark, text, sub in rows]}


def bars(moment: Moment) -> list[Block]:
    """Each vote of a decision as bars (a runoff: the first vote, then the runoff)."""
    out = []
    for n, rows in enumerate(moment.rounds):
        title = ("The first vote" if n == 0 else "The runoff") if len(moment.rounds) > 1 else ""
        last = n == len(moment.rounds) - 1
        out.append({"kind": "bars", "title": title, "rows": [
            {"number": number, "text": printable(text), "count": votes, "phones": phones,
             "chosen": last and text == moment.chosen_text} for number, text, votes, phones in rows]})
    return out


def where_they_stand(line: Line) -> tuple[str, str, str]:
    """(ending title, tone, where they stand) of a play, or a note that it has not finished."""
    ending = line.ending
    if ending is None:
        return f"not finished ({len(line.play.steps)} decisions so far)", "", ""
    return ending.title, ending.tone, debriefs.OUTCOME_WORDS.get(ending.outcome, ending.outcome)


def compare(report: RoomReport) -> dict[str, Any]:
    """Every play side by side: its path, its ending, where the two people stand, the meters, the advice."""
    plays = []
    for line in report.lines:
        title, tone, stand = where_they_stand(line)
        advice = [{"mark": debriefs.mark(e.group, line.meaning.help_story), "title": printable(e.advice.title)}
                  for group, entries in line.meaning.groups() for e in entries]
        plays.append({
            "label": printable(line.label), "ending": printable(title), "tone": printable(tone), "stand": stand,
            "meters": [{"label": printable(m.label), "start": line.play.meter_series(m.id)[0],
                        "end": line.finals[m.id]} for m in report.meters],
            "path": [{"number": m.number, "text": "" if m.skipped else printable(m.chosen_text),
                      "skipped": m.skipped} for m in line.moments],
            "advice": advice,
            "expected": compared(line.prediction, line.ending) if line.prediction is not None else "",
        })
    return {"plays": plays}


def debrief(report: RoomReport, section: int) -> dict[str, Any]:
    """One section of the room's debrief (numbered from 1), as blocks."""
    number = max(1, min(len(SECTIONS), section))
    key, title = SECTIONS[number - 1]
    return {"section": number, "sections": [t for _, t in SECTIONS], "heading": title,
            "blocks": BUILDERS[key](report), "help": key == "help" and report.needs_help}


def _endings(report: RoomReport) -> list[Block]:
    rows = []
    for line in report.lines:
        title, tone, stand = where_they_stand(line)
        sub = [f"{tone}; where they stand: {stand}"] if tone else []
        if line.prediction is not None:
            sub.append(compared(line.prediction, line.ending))
        rows.append(("", f"{line.label}: {title}", sub))
    seed = f" (seed {report.seed})" if report.tie_rule == "random" else ""
    return [items(rows), para(f"Ties were settled by: {TIE_RULES[report.tie_rule]}{seed}.", em=True)]


def _path(report: RoomReport) -> list[Block]:
    out: list[Block] = []
    for line in report.lines:
        out.append(heading(line.label))
        if not line.moments:
            out.append(para("No decisions yet.", em=True))
        for moment in line.moments:
            if moment.skipped:
                out.append(para(f"{moment.number}. {moment.scene_title}: skipped by the facilitator, "
                                "not the room's decision." if moment.seen else
                                f"{moment.number}. {moment.scene_title}: not the room's decision.", em=True))
                continue
            out.append(para(f"{moment.number}. {moment.scene_title}: {quoted(moment.chosen_text)}, "
                            f"by {decided_by(moment.decision)}."))
            out += bars(moment) + ideas_said(moment.ideas)
    return out


def ideas_said(ideas: tuple[str, ...]) -> list[Block]:
    """A decision's shown "something else" ideas, beside its vote, saying plainly the story could not play them."""
    if not ideas:
        return []
    return [para(ELSE_NOTE, em=True), items([("•", quoted(idea), []) for idea in ideas])]


def _meters(report: RoomReport) -> list[Block]:
    note = debriefs.meters_note(report.help_story, report.help_topic)
    out: list[Block] = [para(note, em=True)] if note else []
    for line in report.lines:
        out.append(heading(line.label))
        rows = []
        for meter in line.meaning.meters:
            series = line.play.meter_series(meter.id)
            rows.append(("", f"{meter.label}: {series[0]} → {series[-1]}",
                         [f"on a scale of {meter.min} to {meter.max}; step by step " + " → ".join(map(str, series))]))
        moved = [(f"{m.number}.", m.taken + (" (a skipped scene)" if m.skipped and m.seen else ""),
                  [", ".join(f"{label} {signed(delta)}" for label, delta in m.moved)]) for m in line.moments if m.moved]
        out.append(items(rows))
        if moved:
            out += [para("What moved them:", em=True), items(moved)]
    return out


def _advice(report: RoomReport) -> list[Block]:
    out: list[Block] = [para(debriefs.advice_intro(report.help_story, report.help_topic), em=True)]
    for line in report.lines:
        out.append(heading(line.label))
        for shown in line.advice_lists():
            out.append(para(f"{shown.title} ({len(shown.entries)})"))
            out += [para(note, em=True) for note in shown.notes]
            rows = []
            for entry in shown.entries:
                sub = [f"{head}: {words}" for head, words in line.moments_of(entry)] + [entry.advice.text]
                if entry.advice.sources:
                    sub.append(debriefs.sources_line(entry.advice))
                rows.append((debriefs.mark(entry.group, line.meaning.help_story), entry.advice.title, sub))
            if rows:
                out.append(items(rows))
    return out


def _disagree(report: RoomReport) -> list[Block]:
    if not report.debates:
        return [para("The articles agree on the advice these plays touched.", em=True)]
    rows = [("", debate.title, [debate.disagreement] + ([" ".join(debriefs.stance_parts(debate.stance))]
                                                        if debate.stance else [])) for debate in report.debates]
    return [para(debriefs.debate_intro(report.help_story, report.debates), em=True), items(rows)]


def _questions(report: RoomReport) -> list[Block]:
    prompts = list(dict.fromkeys(p for line in report.lines for p in line.prompts))
    if not prompts:
        return [para("This story has no questions of its own; the step-out question works for any story.", em=True)]
    return [items([("•", question, [where, *(f"From the room: {quoted(idea)}" for idea in report.ideas_for(question))])
                   for where, question in prompts])]


def _step_out(report: RoomReport) -> list[Block]:
    said = report.ideas_for(report.step_out)
    return [para(report.step_out)] + ([para("From the room:", em=True), items([("•", quoted(i), []) for i in said])]
                                      if said else [])


def _help(report: RoomReport) -> list[Block]:
    return [] if report.needs_help else [para(NO_HELP_HERE, em=True)]


BUILDERS = {"endings": _endings, "path": _path, "meters": _meters, "advice": _advice, "disagree": _disagree,
            "questions": _questions, "stepout": _step_out, "help": _help}
assert [key for key, _ in SECTIONS] == list(BUILDERS)
__all__ = ["SECTIONS", "compare", "debrief"]
