"""Handouts: a workshop written out as Markdown, as one self-contained HTML page, as a one-page take-home in
both (game.workshop.takehome), and as its JSON log.

A facilitator hands these to the room or keeps them for the next session.
They come from the same room report as the projector's debrief, and say what
the advice meant in the player's debrief's words (game.debrief): each piece of
advice once with its decisions, each debate once with the game's stance, and
a red-flag story framed as what might have helped. The HTML page
makes no outside request of any kind (inline CSS, system fonts, no scripts or
images) and prints cleanly on A4 and Letter. Every piece of scenario text is
escaped for the format it goes into, so a story cannot add markup, links or
scripts to a handout.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from game import debrief as debriefs
from game import resources
from game.debrief import AdviceEntry, Debate, signed
from game.model import OUTCOMES, Scenario
from game.storage import parse_json, present, read_text, safe_path, write_atomic
from game.wording import quoted
from game.workshop import log as logs
from game.workshop import takehome
from game.workshop.ideas import ELSE_NOTE
from game.workshop.markup import cell, h, md
from game.workshop.names import TIE_RULES
from game.workshop.report import Line, Moment, RoomReport, Row, build
from game.workshop.room import Workshop
from game.workshop.words import compared, how_sentence

OUTCOME_WORDS = debriefs.OUTCOME_WORDS
assert set(OUTCOME_WORDS) == set(OUTCOMES)
SKIPPED_NOTE = "The facilitator skipped these scenes, so they are not the room's decisions: "
FROM_ROOM = "From the room"


def skipped_name(moment: Moment) -> str:
    """A skipped scene in the list of them: its title, or for one the room never saw, only that."""
    return moment.scene_title if moment.seen else "one before the room saw it"


def _how(moment: Moment) -> str:
    return how_sentence(moment.decision)


def _rounds(moment: Moment) -> list[tuple[str, tuple[Row, ...]]]:
    """Each vote held with its heading: one vote has none; a runoff's are the first vote and the runoff."""
    if len(moment.rounds) <= 1:
        return [("", rows) for rows in moment.rounds]
    return [("The first vote" if n == 0 else "The runoff between the tied options", rows)
            for n, rows in enumerate(moment.rounds)]


def _decisions(count: int) -> str:
    return f"{count} decision{'s' if count != 1 else ''}"


def _bar(share: float, width: int = 20) -> str:
    filled = round(share * width)
    return "█" * filled + "·" * (width - filled)


def _meters_line(line: Line) -> list[tuple[str, list[int]]]:
    return [(m.label, line.play.meter_series(m.id)) for m in line.meaning.meters]


def _framing(report: RoomReport) -> list[str]:
    """What the advice lists are (and, in a help story, are not), as the player's debrief says it."""
    intro = debriefs.advice_intro(report.help_story, report.help_topic)
    note = debriefs.meters_note(report.help_story, report.help_topic)
    return [intro, note] if note else [intro]


# -- Markdown -------------------------------------------------------------------------------------------


def markdown(report: RoomReport, when: str | None = None) -> str:
    scenario = report.scenario
    out: list[str] = [f"# {md(scenario.title)}: workshop handout", ""]
    out += [md(scenario.summary), ""]
    if when:
        out += [f"*{md(when)}*", ""]
    if scenario.content_notes:
        out += ["**Content notes:** " + ", ".join(md(n) for n in scenario.content_notes), ""]
    out += [f"**Ties were settled by:** {md(TIE_RULES[report.tie_rule])}"
            + (f" (seed {report.seed})" if report.tie_rule == "random" else ""), ""]
    for paragraph in _framing(report):
        out += [md(paragraph), ""]
    out += ["## How each play ended", "", "| play | ending | tone | where they stand | " +
            " | ".join(cell(m.label) for m in report.meters) + " |",
            "|---|---|---|---|" + "---|" * len(report.meters)]
    for line in report.lines:
        ending = line.ending
        finals = " | ".join(str(line.finals[m.id]) for m in report.meters)
        if ending is None:
            out.append(f"| {cell(line.label)} | not finished ({_decisions(len(line.play.steps))}) | | | {finals} |")
        else:
            out.append(f"| {cell(line.label)} | {cell(ending.title)} | {ending.tone} | "
                       f"{OUTCOME_WORDS[ending.outcome]} | {finals} |")
    out.append("")
    for line in report.lines:
        out += _markdown_line(line)
    if report.debates:
        out += ["## Where the articles disagree", "", md(debriefs.debate_intro(report.help_story, report.debates)), ""]
        out += [line for debate in report.debates for line in _markdown_debate(debate)]
        out.append("")
    prompts = dict.fromkeys(p for line in report.lines for p in line.prompts)
    if prompts:
        out += ["## Questions to talk about", ""]
        for where, question in prompts:
            out.append(f"- {md(question)} *({md(where)})*")
            out += [f"  - {FROM_ROOM}: {md(quoted(idea))}" for idea in report.ideas_for(question)]
        out.append("")
    out += ["## Stepping out of the story", "", md(report.step_out), ""]
    said = report.ideas_for(report.step_out)
    if said:
        out += [f"*{FROM_ROOM}:*", "", *(f"- {md(quoted(idea))}" for idea in said), ""]
    if report.needs_help:
        note = debriefs.help_note(scenario)
        out += ["## Help and support", "", md(resources.render_plain(resources.for_story(scenario), lead=note)), ""]
    return "\n".join(out).rstrip() + "\n"


def _markdown_line(line: Line) -> list[str]:
    out = [f"## {md(line.label)}", ""]
    ending = line.ending
    if ending is not None:
        out += [f"**Ending: {md(ending.title)}** ({ending.tone}, {OUTCOME_WORDS[ending.outcome]})", ""]
        if line.prediction is not None:
            out += [f"*{md(compared(line.prediction, ending))}*", ""]
        out += [md(line.play.text()), ""]
    else:
        out += ["*This play had not reached an ending.*", ""]
    out += ["### The decisions", ""]
    for moment in line.moments:
        out.append(f"{moment.number}. **{md(moment.scene_title)}**"
                   + (f": {md(quoted(moment.chosen_text))}" if moment.seen else ""))
        out.append(f"   {_how(moment)}")
        for heading, rows in _rounds(moment):
            if heading:
                out.append(f"   {heading}:")
            total = sum(votes for _, _, votes, _ in rows) or 1
            for number, text, votes, phones in rows:
                phone_note = f", {phones} by phone" if phones else ""
                out.append(f"   - `{_bar(votes / total, 10)}` {votes} vote{'s' if votes != 1 else ''}"
                           f"{phone_note}: {number}. {md(text)}")
        if moment.moved:
            out.append("   Moved: " + ", ".join(f"{md(label)} {signed(delta)}" for label, delta in moment.moved))
        if moment.ideas:
            out.append(f"   *{md(ELSE_NOTE)}*")
            out += [f"   - {md(quoted(idea))}" for idea in moment.ideas]
    out.append("")
    if line.skipped:
        out += [f"*{md(SKIPPED_NOTE)}" + "; ".join(md(skipped_name(m)) for m in line.skipped) + "*", ""]
    out += ["### The meters, revealed", ""]
    out += [f"- {md(label)}: " + " → ".join(map(str, series)) for label, series in _meters_line(line)]
    out.append("")
    for shown in line.advice_lists():
        out += [f"### {md(shown.title)}", ""]
        for note in shown.notes:
            out += [md(note), ""]
        if shown.entries:
            out += [row for entry in shown.entries for row in _markdown_entry(line, entry)] + [""]
    return out


def _markdown_entry(line: Line, entry: AdviceEntry) -> list[str]:
    """One piece of advice, once: its mark and title, each decision that touched it, what it says, sources."""
    advice = entry.advice
    out = [f"- {debriefs.mark(entry.group, line.meaning.help_story)} **{md(advice.title)}**  "]
    out += [f"  {md(head)}: {md(words)}  " for head, words in line.moments_of(entry)]
    out.append(f"  {md(advice.text)}" + ("  " if advice.sources else ""))
    if advice.sources:
        out.append(f"  {md(debriefs.sources_line(advice))}")
    return out


def _markdown_debate(debate: Debate) -> list[str]:
    out = [f"- **{md(debate.title)}**: {md(debate.disagreement)}"]
    if debate.stance:
        out[-1] += "  "
        label, line = debriefs.stance_parts(debate.stance)
        out.append(f"  *{md(label)}* {md(line)}")
    return out


# -- HTML ---------------------------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       line-height: 1.45; max-width: 46em; margin: 2em auto; padding: 0 1em; color: #111; background: #fff;
       overflow-wrap: anywhere; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #333; padding-bottom: .15em; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin-bottom: .3em; }
table { border-collapse: collapse; width: 100%; font-size: .95em; }
th, td { border: 1px solid #555; padding: .3em .45em; text-align: left; vertical-align: top; }
th { background: #eee; }
ol.decisions > li { margin-bottom: .7em; }
.bar { display: inline-block; height: .8em; background: #333; vertical-align: middle; }
.votes { list-style: none; padding-left: 0; margin: .25em 0; }
.votes li { margin: .1em 0; }
.count { display: inline-block; min-width: 5.5em; font-variant-numeric: tabular-nums; }
.note { font-style: italic; }
.moved { color: #333; font-size: .92em; }
section.play { page-break-inside: auto; }
section.play > h2 { page-break-after: avoid; }
li, tr { page-break-inside: avoid; }
@page { margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  h2 { page-break-after: avoid; }
}
"""


def html_page(report: RoomReport, when: str | None = None) -> str:
    scenario = report.scenario
    parts: list[str] = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{h(scenario.title)}: workshop handout</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        "<main>", f"<h1>{h(scenario.title)}: workshop handout</h1>", f"<p>{h(scenario.summary)}</p>",
    ]
    if when:
        parts.append(f'<p class="note">{h(when)}</p>')
    if scenario.content_notes:
        parts.append("<p><strong>Content notes:</strong> " + ", ".join(h(n) for n in scenario.content_notes) + "</p>")
    seed = f" (seed {report.seed})" if report.tie_rule == "random" else ""
    parts.append(f"<p><strong>Ties were settled by:</strong> {h(TIE_RULES[report.tie_rule])}{seed}</p>")
    parts += [f"<p>{h(paragraph)}</p>" for paragraph in _framing(report)]
    parts += ["<h2>How each play ended</h2>", "<table>", "<tr><th>play</th><th>ending</th><th>tone</th>"
              "<th>where they stand</th>" + "".join(f"<th>{h(m.label)}</th>" for m in report.meters) + "</tr>"]
    for line in report.lines:
        ending = line.ending
        finals = "".join(f"<td>{line.finals[m.id]}</td>" for m in report.meters)
        if ending is None:
            parts.append(f"<tr><td>{h(line.label)}</td><td>not finished ({_decisions(len(line.play.steps))})</td>"
                         f"<td></td><td></td>{finals}</tr>")
        else:
            parts.append(f"<tr><td>{h(line.label)}</td><td>{h(ending.title)}</td><td>{ending.tone}</td>"
                         f"<td>{OUTCOME_WORDS[ending.outcome]}</td>{finals}</tr>")
    parts.append("</table>")
    for number, line in enumerate(report.lines, 1):
        parts += _html_line(line, number)
    if report.debates:
        intro = debriefs.debate_intro(report.help_story, report.debates)
        parts.append(f"<h2>Where the articles disagree</h2><p>{h(intro)}</p><ul>")
        for debate in report.debates:
            label, line = debriefs.stance_parts(debate.stance)
            stance = f"<br><em>{h(label)}</em> {h(line)}" if debate.stance else ""
            parts.append(f"<li><strong>{h(debate.title)}</strong>: {h(debate.disagreement)}{stance}</li>")
        parts.append("</ul>")
    prompts = dict.fromkeys(p for line in report.lines for p in line.prompts)
    if prompts:
        parts.append("<h2>Questions to talk about</h2><ul>")
        parts += [f'<li>{h(q)} <span class="note">({h(where)})</span>{_html_ideas(report.ideas_for(q))}</li>'
                  for where, q in prompts]
        parts.append("</ul>")
    parts += ["<h2>Stepping out of the story</h2>", f"<p>{h(report.step_out)}</p>"]
    said = report.ideas_for(report.step_out)
    if said:
        parts.append(f'<p class="note">{FROM_ROOM}:</p>{_html_ideas(said, label=False)}')
    if report.needs_help:
        data = resources.for_story(scenario)
        note = debriefs.help_note(scenario)
        parts += ["<h2>Help and support</h2>", f"<p>{h(note)}</p>", f"<p>{h(data.intro)}</p>", "<ul>"]
        for item in data.items:
            region = f" ({h(item.region)})" if item.region else ""
            about = f"<br><span class=\"note\">{h(item.about)}</span>" if item.about else ""
            parts.append(f"<li><strong>{h(item.name)}</strong>{region}: {h(item.contact)}{about}</li>")
        parts.append("</ul>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _html_ideas(ideas: tuple[str, ...], label: bool = True) -> str:
    """The room's shown ideas as a list (headed "From the room:" when `label`)."""
    if not ideas:
        return ""
    head = f'<br><span class="note">{FROM_ROOM}:</span>' if label else ""
    return head + '<ul class="ideas">' + "".join(f"<li>{h(quoted(idea))}</li>" for idea in ideas) + "</ul>"


def _html_line(line: Line, number: int = 1) -> list[str]:
    parts = [f'<section class="play" aria-labelledby="play-{number}">', f'<h2 id="play-{number}">{h(line.label)}</h2>']
    ending = line.ending
    if ending is not None:
        parts.append(f"<p><strong>Ending: {h(ending.title)}</strong> ({ending.tone}, "
                     f"{OUTCOME_WORDS[ending.outcome]})</p>")
        if line.prediction is not None:
            parts.append(f'<p class="note">{h(compared(line.prediction, ending))}</p>')
        parts += [f"<p>{h(paragraph)}</p>" for paragraph in line.play.text().split("\n\n")]
    else:
        parts.append('<p class="note">This play had not reached an ending.</p>')
    parts.append('<h3>The decisions</h3><ol class="decisions">')
    for moment in line.moments:
        item = [f"<li><strong>{h(moment.scene_title)}</strong>"
                + (f": {h(quoted(moment.chosen_text))}" if moment.seen else ""),
                f"<br>{h(_how(moment))}"]
        for heading, rows in _rounds(moment):
            if heading:
                item.append(f'<br><span class="note">{h(heading)}:</span>')
            total = sum(votes for _, _, votes, _ in rows) or 1
            item.append('<ul class="votes">')
            for number, text, votes, phones in rows:
                width = round(100 * votes / total)
                phone_note = f", {phones} by phone" if phones else ""
                item.append(f'<li><span class="count">{votes} vote{"s" if votes != 1 else ""}{phone_note}</span> '
                            f'<span class="bar" style="width:{width * 0.6:.0f}%"></span> {number}. {h(text)}</li>')
            item.append("</ul>")
        if moment.moved:
            item.append('<br><span class="moved">Moved: ' +
                        ", ".join(f"{h(label)} {signed(delta)}" for label, delta in moment.moved) + "</span>")
        if moment.ideas:
            item.append(f'<br><span class="note">{h(ELSE_NOTE)}</span>{_html_ideas(moment.ideas, label=False)}')
        parts.append("".join(item) + "</li>")
    parts.append("</ol>")
    if line.skipped:
        skipped = "; ".join(skipped_name(m) for m in line.skipped)
        parts.append(f'<p class="note">{h(SKIPPED_NOTE + skipped)}</p>')
    parts.append("<h3>The meters, revealed</h3><ul>")
    parts += [f"<li>{h(label)}: " + " → ".join(map(str, series)) + "</li>" for label, series in _meters_line(line)]
    parts.append("</ul>")
    for shown in line.advice_lists():
        parts.append(f"<h3>{h(shown.title)}</h3>")
        parts += [f"<p>{h(note)}</p>" for note in shown.notes]
        if shown.entries:
            parts += ["<ul>", *(_html_entry(line, entry) for entry in shown.entries), "</ul>"]
    parts.append("</section>")
    return parts


def _html_entry(line: Line, entry: AdviceEntry) -> str:
    """One piece of advice, once, as the Markdown handout has it."""
    advice = entry.advice
    item = [f"<li><strong>{debriefs.mark(entry.group, line.meaning.help_story)} {h(advice.title)}</strong>"]
    item += [f"<br>{h(head)}: {h(words)}" for head, words in line.moments_of(entry)]
    item.append(f"<br>{h(advice.text)}")
    if advice.sources:
        item.append(f'<br><span class="note">{h(debriefs.sources_line(advice))}</span>')
    return "".join(item) + "</li>"


# -- writing them out -------------------------------------------------------------------------------------------

WRITERS: dict[str, tuple[str, Callable[[RoomReport, str | None], str]]] = {
    "markdown": (".md", markdown),
    "html": (".html", html_page),
    "take-home markdown": ("-take-home.md", takehome.markdown),
    "take-home html": ("-take-home.html", takehome.html_page),
}


def day(moment: time.struct_time) -> str:
    """"7 December 2026": a date as a handout says it."""
    return f"{moment.tm_mday} {time.strftime('%B %Y', moment)}"


def export(workshop: Workshop, folder: Path, stem: str | None = None,
           when: time.struct_time | None = None, rebuilt: time.struct_time | None = None) -> list[Path]:
    """Write the Markdown, HTML, take-home and JSON handouts into `folder`; returns the files written.

    The names are made from the scenario's id, the minute and the workshop's own identity (never from
    anything else a story says), so two workshops exported in the same minute never share a name; an
    existing handout is replaced only by the same workshop's newer one (any other's name gets a number).
    `when` is the workshop's own time (now, or for handouts rebuilt from a log the time it was last saved):
    the handouts are a record of that session, so their names and their heading carry its date, and a
    rebuild replaces the session's own earlier ones. Rebuilt handouts say when they were rebuilt (`rebuilt`)
    beside it.
    """
    report = build(workshop)
    moment = when or time.localtime()
    heading = f"Workshop of {day(moment)}" + (f" (rebuilt from its log on {day(rebuilt)})" if rebuilt else "")
    folder = Path(folder)
    stem = stem or free_stem(folder, f"{workshop.scenario.id}-workshop-{time.strftime('%Y%m%d-%H%M', moment)}-"
                                     f"{workshop.ident}", workshop.ident)
    written = []
    for _, (suffix, writer) in WRITERS.items():
        path = safe_path(folder, stem, suffix)
        write_atomic(path, writer(report, heading), private=False)
        written.append(path)
    path = safe_path(folder, stem, ".json")
    write_atomic(path, json.dumps(logs.handout_json(workshop), indent=2, ensure_ascii=False) + "\n", private=False)
    written.append(path)
    return written


def free_stem(folder: Path, base: str, ident: str) -> str:
    """`base`, or `base-2` and so on: the first name whose handouts are absent or this workshop's own."""
    for n in range(1, 1000):
        stem = base if n == 1 else f"{base}-{n}"
        taken = [safe_path(folder, stem, suffix) for suffix, _ in WRITERS.values()] + [safe_path(folder, stem, ".json")]
        if not any(present(p) for p in taken) or _written_by(taken[-1]) == ident:
            return stem
    raise OSError(f"too many handouts named {base} in {folder}")  # pragma: no cover - a thousand in a minute


def _written_by(path: Path) -> str | None:
    """The identity of the workshop whose handout JSON this is (None when it cannot tell)."""
    try:
        data = parse_json(read_text(path, logs.MAX_BYTES), "the handout")
    except (OSError, ValueError, RecursionError):
        return None
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None


def from_log(log_path: Path, folder: Path, scenario: Scenario | None = None) -> tuple[list[Path], list[str]]:
    """Rebuild the handouts from a saved workshop log or an exported JSON (`workshop --report LOG.json`), with
    any notes; `scenario` is the story when it cannot be found by its id. LogError says why a log cannot be
    used."""
    workshop, notes = logs.read(Path(log_path), scenario)
    return export(workshop, folder, when=logs.saved_time(Path(log_path)), rebuilt=time.localtime()), notes
