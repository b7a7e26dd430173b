"""The take-home: one page a participant keeps, beside the full handout the facilitator keeps.

It says what the room did and where to find help, and nothing more: the
story, how each play ended (each team and each branch) with what the room
predicted, each decision's vote split on one line (a runoff's two rounds
both), the ideas the facilitator showed the room, the step-out question, and
the help list the story shows. A branch lists only the decisions after it
parted from the play it came from. It is drawn from the same room report as
the debrief and the full handout (game.workshop.report), in the same words.

The HTML page prints on one page, A4 or US Letter (the shorter), from the
browser for a session of one story with two teams and a forum-theatre branch,
even the longest built-in story (its print styles make the type small, 7.4
points, and run the help list on as one paragraph), reads on a phone (one column,
full-size type), makes no outside request, and meets WCAG 2.1 AA with its
landmarks. Every piece of text is escaped for the format it goes into
(game.workshop.markup).
"""

from __future__ import annotations

from game import resources
from game.model import Scenario
from game.wording import quoted
from game.workshop.ideas import ELSE, ELSE_NOTE, STEPOUT
from game.workshop.markup import cell, h, md
from game.workshop.report import Line, Moment, RoomReport
from game.workshop.votes import How
from game.workshop.words import compared, decided_by, joined

TITLE = "what the room decided"
SKIPPED = "skipped by the facilitator, not the room's decision"


def _votes(count: int) -> str:
    return f"{count} vote{'s' if count != 1 else ''}"


def split_line(moment: Moment) -> str:
    """One decision on one line: what the story took, its share of the deciding vote, every vote's split
    ("“Send it.”: 6 of 11 votes (6 · 4 · 1)"), and how a tie was settled."""
    if moment.skipped:
        return SKIPPED
    chosen = quoted(moment.chosen_text)
    if not moment.rounds:
        return chosen
    last = moment.rounds[-1]
    total = sum(votes for _, _, votes, _ in last)
    got = next((votes for _, text, votes, _ in last if text == moment.chosen_text), 0)
    share = f"{got} of {_votes(total)}" + (" in the runoff" if len(moment.rounds) > 1 else "")
    splits = [" · ".join(str(votes) for _, _, votes, _ in rows) for rows in moment.rounds]
    if len(splits) > 1:
        splits = [f"first vote {splits[0]}", f"runoff {splits[1]}"]
    how = moment.decision.how if moment.decision is not None else How.VOTE.value
    by = "" if how in (How.VOTE.value, How.RUNOFF_VOTE.value) else f", by {decided_by(moment.decision)}"
    return f"{chosen}: {share} ({'; '.join(splits)}){by}"


def expected(line: Line) -> str:
    """The tone the room expected for a play ("" when it was not asked)."""
    prediction = line.prediction
    if prediction is None:
        return ""
    leaders = prediction.leaders
    return joined(list(leaders), "or") if leaders else "nobody voted"


def since(start: int, line: Line) -> str:
    """Where a branch's own decisions begin ("" for a team's first play)."""
    if not start:
        return ""
    return f"from decision {start + 1}" if start < len(line.moments) else "the same decisions as before"


def parted(report: RoomReport, line: Line) -> int:
    """How many decisions a branch shares with an earlier play of its team (0 for a team's first play)."""
    if line.branch == "main":
        return 0
    path = line.play.path
    shared = 0
    for other in report.lines:
        if other is line:
            break
        if other.team == line.team:
            common = 0
            while common < min(len(path), len(other.play.path)) and path[common] == other.play.path[common]:
                common += 1
            shared = max(shared, common)
    return shared


def _help(scenario: Scenario) -> resources.Resources:
    return resources.for_story(scenario)


def _head(report: RoomReport, when: str | None) -> tuple[str, str]:
    scenario = report.scenario
    return f"{scenario.title}: {TITLE}", " · ".join(part for part in (when or "", scenario.summary) if part)


# -- Markdown -------------------------------------------------------------------------------------------


def markdown(report: RoomReport, when: str | None = None) -> str:
    title, under = _head(report, when)
    out = [f"# {md(title)}", "", f"*{md(under)}*", "", "## How it ended", "",
           "| play | ending | tone | the room expected |", "|---|---|---|---|"]
    for line in report.lines:
        ending = line.ending
        out.append(f"| {cell(line.label)} | {cell(ending.title) if ending else 'not finished'} | "
                   f"{ending.tone if ending else ''} | {cell(expected(line))} |")
    out += ["", "## Each decision, and the room's vote", ""]
    for line in report.lines:
        start = parted(report, line)
        out += [f"**{md(line.label)}**" + (f" ({since(start, line)})" if start else ""), ""]
        out += [f"{m.number}\\. {md(m.scene_title)}: {md(split_line(m))}  " for m in line.moments[start:]]
        if line.prediction is not None:
            out.append(f"*{md(compared(line.prediction, line.ending))}*")
        out.append("")
    asked = [(q, shown) for q, shown in report.ideas if q.kind != STEPOUT]
    if asked:
        out += ["## The room's own ideas", ""]
        for question, shown in asked:
            note = f" {ELSE_NOTE}" if question.kind == ELSE else ""
            out += [f"**{md(question.text)}** *({md(question.where)}){md(note)}*", ""]
            out += [f"- {md(quoted(idea))}" for idea in shown] + [""]
    out += ["## To take with you", "", md(report.step_out), ""]
    out += [f"- {md(quoted(idea))}" for idea in report.ideas_for(report.step_out)] + [""]
    data = _help(report.scenario)
    out += ["## Help and support", "", md(data.intro), ""]
    for item in data.items:
        region = f" ({md(item.region)})" if item.region else ""
        out.append(f"- **{md(item.name)}**{region}: {md(item.contact)}")
    return "\n".join(out).rstrip() + "\n"


# -- HTML --------------------------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       line-height: 1.45; max-width: 44em; margin: 1.2em auto; padding: 0 1em; color: #111; background: #fff;
       overflow-wrap: break-word; }
h1 { font-size: 1.45em; margin: 0 0 .15em; }
h2 { font-size: 1.12em; border-bottom: 2px solid #333; padding-bottom: .1em; margin: 1.1em 0 .35em; }
h3 { font-size: 1em; margin: .7em 0 .15em; }
p, ul, ol { margin: .2em 0 .45em; }
.under, .note { font-style: italic; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #555; padding: .2em .4em; text-align: left; vertical-align: top; }
th { background: #eee; }
ol.path { padding-left: 2em; }
ol.path li, ul.ideas li, ul.help li { margin: .1em 0; }
ul.ideas, ul.help { padding-left: 1.2em; }
@page { margin: 8mm 10mm; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 7.4pt; line-height: 1.13; }
  h1 { font-size: 12pt; }
  h2 { font-size: 9.5pt; margin: .4em 0 .1em; break-after: avoid; }
  h3 { font-size: 8.5pt; margin: .35em 0 0; break-after: avoid; }
  p, ul, ol { margin: .1em 0 .2em; }
  th, td { padding: 0 .35em; }
  ol.path li, ul.ideas li, ul.help li { margin: 0; }
  ul.ideas { columns: 2; column-gap: 2em; }
  ul.help { padding: 0; font-size: 6.5pt; line-height: 1.15; }
  ul.help li { display: inline; }
  ul.help li + li::before { content: " · "; }
}
"""


def html_page(report: RoomReport, when: str | None = None) -> str:
    title, under = _head(report, when)
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{h(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        "<header>", f"<h1>{h(title)}</h1>", f'<p class="under">{h(under)}</p>', "</header>", "<main>",
        '<section aria-labelledby="ended">', '<h2 id="ended">How it ended</h2>',
        "<table><tr><th>play</th><th>ending</th><th>tone</th><th>the room expected</th></tr>",
    ]
    for line in report.lines:
        ending = line.ending
        parts.append(f"<tr><td>{h(line.label)}</td><td>{h(ending.title) if ending else 'not finished'}</td>"
                     f"<td>{h(ending.tone) if ending else ''}</td><td>{h(expected(line))}</td></tr>")
    parts += ["</table>", "</section>", '<section aria-labelledby="decisions">',
              "<h2 id=\"decisions\">Each decision, and the room's vote</h2>"]
    for line in report.lines:
        start = parted(report, line)
        parts.append(f"<h3>{h(line.label)}" + (f' <span class="note">({since(start, line)})</span>' if start else "")
                     + "</h3>")
        moments = line.moments[start:]
        if moments:
            parts.append(f'<ol class="path" start="{moments[0].number}">' + "".join(
                f"<li>{h(m.scene_title)}: {h(split_line(m))}</li>" for m in moments) + "</ol>")
        if line.prediction is not None:
            parts.append(f'<p class="note">{h(compared(line.prediction, line.ending))}</p>')
    parts.append("</section>")
    asked = [(q, shown) for q, shown in report.ideas if q.kind != STEPOUT]
    if asked:
        parts += ['<section aria-labelledby="ideas">', "<h2 id=\"ideas\">The room's own ideas</h2>"]
        for question, shown in asked:
            note = f" {ELSE_NOTE}" if question.kind == ELSE else ""
            parts.append(f'<p><strong>{h(question.text)}</strong> <span class="note">({h(question.where)})'
                         f"{h(note)}</span></p>")
            parts.append('<ul class="ideas">' + "".join(f"<li>{h(quoted(i))}</li>" for i in shown) + "</ul>")
        parts.append("</section>")
    said = report.ideas_for(report.step_out)
    parts += ['<section aria-labelledby="takeaway">', '<h2 id="takeaway">To take with you</h2>',
              f"<p>{h(report.step_out)}</p>"]
    if said:
        parts.append('<p class="note">The room said:</p><ul class="ideas">'
                     + "".join(f"<li>{h(quoted(i))}</li>" for i in said) + "</ul>")
    parts.append("</section>")
    data = _help(report.scenario)
    parts += ['<section aria-labelledby="help">', '<h2 id="help">Help and support</h2>', f"<p>{h(data.intro)}</p>",
              '<ul class="help">']
    for item in data.items:
        region = f" ({h(item.region)})" if item.region else ""
        parts.append(f"<li><strong>{h(item.name)}</strong>{region}: {h(item.contact)}</li>")
    parts += ["</ul>", "</section>", "</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
