"""What the room display and the phones are sent: the part of the workshop that has been shown, as plain data.

`room` is everything the room display shows now, built only from what the
facilitator has released (game.workshop.shown): the lobby, the scene in front
of the room with its options and the state of its vote, the result card, an
ending, the comparison of every play or a section of the debrief. `phone` is
the phones' share of the same view, so a phone never knows more than the
projector. Facilitator notes are never in either, nor the counts of a vote not
yet revealed (unless the workshop shows the tally as it fills).

Everything here is plain data that goes out as JSON, and the pages put every
piece in as text, never as markup. Scenario text passes through `printable`
on the way, so nothing a story file holds can act on a page.
"""

from __future__ import annotations

from typing import Any

from game import debrief as debriefs
from game import resources
from game.model import Scenario
from game.safetext import blank, printable
from game.wording import DECISION, heading_label, quoted, scene_heading
from game.workshop import blocks, ideas, predictions, prompts
from game.workshop import report as reports
from game.workshop.room import Workshop
from game.workshop.shown import CARD, COMPARE, DEBRIEF, ENDING, IDEAS, LOBBY, PREDICT, SCENE
from game.workshop.votes import REVEALED, VOTING, Round
from game.workshop.words import STATUS, compared, expects, how_sentence, outcome_sentence, tie_rule_text

NOT_IN_RUNOFF = "Not in the runoff: only the tied choices are on the ballot."
DECIDED, WAITING, ENDED = "decided", "waiting", "ended"
"""The phones' phases beyond a round's own: a result card, the lobby, an ending."""


def paragraphs(text: str) -> list[str]:
    return [printable(p.strip()) for p in text.split("\n\n") if p.strip()]


def lobby(scenario: Scenario | None, rules: str) -> dict[str, Any]:
    """Before Begin: the story's title and summary, its content notes and the ground rules (if a story is
    chosen), for the room to read while it joins."""
    view: dict[str, Any] = {"stage": LOBBY, "title": "", "team": "", "page": 0, "help": False, "summary": "",
                            "notes": [], "rules": [], "endings": [], "finished": False}
    if scenario is not None:
        view.update({
            "title": printable(scenario.title), "summary": printable(scenario.summary),
            "notes": [printable(note) for note in scenario.content_notes],
            "rules": [printable(line.strip()) for line in rules.splitlines() if not blank(line)],
        })
    return view


def room(workshop: Workshop) -> dict[str, Any]:
    """Everything the room display shows now."""
    shown = workshop.shown
    if not workshop.started:
        return lobby(workshop.scenario, workshop.rules)
    team = workshop.teams[shown.team]
    view: dict[str, Any] = {
        "stage": shown.on_stage, "title": printable(workshop.scenario.title),
        "team": printable(team.name) if len(workshop.teams) > 1 else "", "page": shown.page, "help": False,
        "endings": endings(workshop), "finished": workshop.finished,
    }
    if shown.overlay == COMPARE:
        view.update(blocks.compare(reports.build(workshop)))
    elif shown.overlay == DEBRIEF:
        view.update(blocks.debrief(reports.build(workshop), shown.section))
    elif shown.overlay == IDEAS:
        view.update(ideas.room_view(workshop.ideas))
    elif shown.overlay == PREDICT:
        view.update(prediction(workshop))
    elif shown.stage == SCENE:
        view.update(scene(workshop))
    elif shown.stage == CARD:
        view.update(card(workshop))
    elif shown.stage == ENDING:
        view.update(ending(workshop))
    return view


def endings(workshop: Workshop) -> list[dict[str, str]]:
    """Every ending the room has been shown, each team's and each branch's."""
    found = []
    for index, branch in workshop.endings_shown:
        team = workshop.teams[index]
        play = team.session.branches.get(branch)
        if play is not None and play.ending is not None:
            label = team.name if branch == "main" else f"{team.name}, {branch}"
            found.append({"team": printable(label), "title": printable(play.ending.title)})
    return found


def options(current: Round) -> list[dict[str, Any]]:
    """Every option shown, in order: open ones with their number, struck ones with their reason."""
    votable = set(current.votable)
    shown = []
    for option in current.options:
        index = option.choice.index
        reason = printable(option.reason) if not option.available else ("" if index in votable else NOT_IN_RUNOFF)
        shown.append({"index": index, "number": option.number, "text": printable(option.choice.text),
                      "open": index in votable, "struck": not option.available, "reason": reason})
    return shown


def _timer(workshop: Workshop) -> dict[str, Any] | None:
    running = workshop.timer.running
    if running is None:
        return None
    return {"period": workshop.timer.period, "remaining": running.remaining(), "paused": running.paused_at is not None}


def timer_signature(workshop: Workshop) -> tuple:
    """What changes when the timer starts, stops, pauses or resumes (not as it merely counts down)."""
    running = workshop.timer.running
    if running is None:
        return ()
    return (workshop.timer.period, running.seconds, running.started, running.paused_at is not None,
            running.expired)


def scene(workshop: Workshop) -> dict[str, Any]:
    """The scene in front of the room, its options and where its vote stands."""
    play = workshop.play
    current = workshop.round
    assert current is not None and play.scene is not None  # a scene in front of the room has a round
    counts = current.counts
    revealed = current.phase == REVEALED
    discussing = current.phase == "discussion"
    shown_prompts = prompts.at(play).prompts if workshop.shown.prompts and discussing else ()
    first = workshop.first_round
    view: dict[str, Any] = {
        "round": workshop.round_id, "step": current.number, "label": heading_label(current.number, DECISION),
        "heading": printable(scene_heading(workshop.scenario, play.scene.id)), "text": paragraphs(play.text()),
        "messages": [{"from": "You" if m.mine else printable(m.sender), "text": printable(m.text),
                      "mine": m.mine, "draft": m.draft} for m in play.messages()],
        "options": options(current), "phase": current.phase, "status": STATUS[current.phase],
        "runoff": bool(current.runoff_of), "votes": sum(counts.values()), "tally": None,
        "first": [{"index": i, "count": c} for i, c in first.items()] if first is not None else None,
        "outcome": "", "winner": None, "timer": _timer(workshop),
        "tie": tie_rule_text(workshop.tie_rule, workshop.seed, bool(current.runoff_of)),
        "prompts": [{"about": printable(about), "text": printable(q)} for about, q in shown_prompts],
    }
    if revealed or not workshop.hide_tally:
        view["tally"] = [{"index": i, "count": c} for i, c in counts.items()]
    if revealed:
        outcome = workshop.outcome()
        if outcome is not None:
            view["outcome"] = printable(outcome_sentence(current, outcome, workshop.seed))
            view["winner"] = outcome.winner
    return view


def card(workshop: Workshop) -> dict[str, Any]:
    """The result of a decision: what the story took and how; each vote's bars (a runoff's two)."""
    shown = workshop.shown
    team = workshop.teams[shown.team]
    play = team.session.branches.get(shown.branch, team.play)
    decisions = team.decisions.get(shown.branch, [])
    decision = decisions[shown.step - 1] if 0 < shown.step <= len(decisions) else None
    view: dict[str, Any] = {"step": shown.step, "label": heading_label(shown.step, DECISION), "heading": "",
                            "chosen": "", "skipped": bool(decision and decision.skipped),
                            "how": how_sentence(decision), "rounds": [], "ideas": [], "note": ""}
    moment = reports.moment(play, play.steps[shown.step - 1], decision) if 0 < shown.step <= len(play.steps) \
        else None
    if moment is not None and moment.seen:  # a scene skipped before the room saw it shows none of its words
        view["heading"] = printable(moment.scene_title)
        view["chosen"] = printable(quoted(moment.chosen_text))
        view["rounds"] = blocks.bars(moment)
        view["ideas"] = [printable(t) for t in ideas.for_decision(workshop.ideas, shown.team, shown.branch, play,
                                                                  shown.step)]
        view["note"] = ideas.ELSE_NOTE if view["ideas"] else ""
    return view


def ending(workshop: Workshop) -> dict[str, Any]:
    """A team's ending: its title, its tone, where the two people stand, its words, and help where it shows it."""
    shown = workshop.shown
    team = workshop.teams[shown.team]
    play = team.play
    found = play.ending
    assert found is not None  # the room is shown an ending only once the story has reached it
    shown_prompts = prompts.at(play).prompts if shown.prompts else ()
    predicted = workshop.prediction_of(shown.team, team.session.branch)
    return {
        "ending": printable(found.title), "tone": printable(found.tone),
        "expected": compared(predicted, found) if predicted is not None else "",
        "stand": debriefs.OUTCOME_WORDS.get(found.outcome, found.outcome), "text": paragraphs(play.text()),
        "help": needs_help(workshop, shown.team),
        "prompts": [{"about": "", "text": printable(q)} for _, q in shown_prompts],
    }


def prediction(workshop: Workshop) -> dict[str, Any]:
    """The room's prediction of how the play in front of it ends, as the room display shows it (the phones
    vote on it as on a decision: its tones are the options)."""
    found = workshop.prediction
    assert found is not None  # the room sees PREDICT only once a prediction is asked
    team = workshop.teams[found.team]
    whose = team.name if len(workshop.teams) > 1 else ""
    if found.branch != "main":
        whose = f"{whose}, branch “{found.branch}”" if whose else f"Branch “{found.branch}”"
    phase = REVEALED if found.revealed else VOTING
    counts = found.counts
    leaders = found.leaders
    return {
        "round": found.id, "label": predictions.QUESTION, "heading": printable(whose), "phase": phase,
        "status": STATUS[phase], "runoff": False, "first": None, "timer": None, "votes": found.total,
        "options": [{"index": i, "number": i + 1, "text": tone, "open": True, "struck": False, "reason": ""}
                    for i, tone in enumerate(found.tones)],
        "tally": [{"index": i, "count": c} for i, c in counts.items()] if found.revealed or not workshop.hide_tally
        else None,
        "outcome": expects(found) if found.revealed else "",
        "winner": found.tones.index(leaders[0]) if found.revealed and len(leaders) == 1 else None,
        "every": not found.exhaustive,
    }


def needs_help(workshop: Workshop, index: int) -> bool:
    """Whether the help resources are shown with team `index`'s play as it stands (game.resources's rule)."""
    return resources.shows_help(workshop.scenario, workshop.teams[index].play.ending)


def welcome(scenario: Scenario | None, rules: str, data: resources.Resources | None = None) -> dict[str, Any]:
    """What a page is told when it joins (and again when the story changes): the story's title, the ground
    rules, and the help list the story shows (game.resources)."""
    if data is None:
        data = resources.for_story(scenario) if scenario is not None else resources.load()
    return {
        "type": "welcome", "title": printable(scenario.title) if scenario is not None else "",
        "rules": [printable(line).replace("on F2", "at the foot of this page")
                  for line in rules.splitlines() if not blank(line)],
        "help": {"intro": printable(data.intro),
                 "items": [{"name": printable(r.name), "region": printable(r.region), "contact": printable(r.contact),
                            "about": printable(r.about)} for r in data.items]},
    }


def phone(view: dict[str, Any]) -> dict[str, Any]:
    """The phones' share of the room display's view: the vote, its options and its result, never more."""
    stage = view["stage"]
    out: dict[str, Any] = {
        "type": "state", "stage": stage, "title": view.get("title", ""), "team": view.get("team", ""),
        "round": None, "step": None, "scene": "", "phase": WAITING, "status": "", "runoff": False, "options": [],
        "votes": 0, "tally": None, "first": None, "outcome": "", "timer": None, "ending": "",
        "endings": view.get("endings", []), "finished": view.get("finished", False), "rules": [],
        "label": "", "ask": None, "expected": "",
    }
    if stage == LOBBY:
        out["rules"] = view.get("rules", [])
    elif stage == SCENE:
        out.update({key: view[key] for key in ("round", "step", "phase", "status", "runoff", "options", "votes",
                                               "tally", "first", "outcome", "timer")})
        out["scene"] = view["heading"]
    elif stage == PREDICT:  # voted on as a decision is, its tones for options
        out.update({key: view[key] for key in ("round", "phase", "status", "options", "votes", "tally", "outcome")})
        out.update({"scene": view["label"], "label": view["heading"] or "Predict the ending"})
    elif stage == IDEAS:
        out.update({"phase": IDEAS, "ask": {key: view[key] for key in ("ask", "question", "where", "limit", "each",
                                                                        "ideas", "note")}})
    elif stage == CARD:
        last = view["rounds"][-1]["rows"] if view["rounds"] else []
        out.update({"phase": DECIDED, "step": view["step"], "scene": view["heading"], "outcome": view["how"],
                    "status": view["chosen"] and f"The story goes on with {view['chosen']}"})
        out["options"] = [{"index": n, "number": row["number"], "text": row["text"], "open": True, "struck": False,
                           "reason": ""} for n, row in enumerate(last)]
        out["tally"] = [{"index": n, "count": row["count"]} for n, row in enumerate(last)] if last else None
    elif stage == ENDING:
        out.update({"phase": ENDED, "ending": view["ending"], "expected": view["expected"]})
    else:
        out["phase"] = stage  # the comparison or the debrief is on the screen at the front
        out["status"] = ("Every play side by side is on the screen." if stage == COMPARE
                         else "The room's debrief is on the screen.")
    return out
