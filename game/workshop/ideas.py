"""The room's own voice: questions the facilitator puts to the room, and the ideas the room sends back.

In forum theatre the audience does not only choose between the author's
options: someone stops the scene and proposes another way. Here the
facilitator opens a question to the room (`offered` lists what can be asked
now): "something else?" at a decision, one of the scene's (or ending's)
questions for the room, or the debrief's step-out question. While the room
sees it, the phones offer a text box and the facilitator can type an idea
said aloud.

The rules are all here, so every front end keeps them alike:

- an idea is anonymous plain text: nothing that identifies a phone is kept
  with it, or anywhere on disk (a phone's token lives in memory only, for the
  limits below, and is forgotten when the workshop ends);
- it is cleaned as story text is (game.safetext: a control character is
  refused, a bidi override removed), tamed (at most a few combining marks on
  a character, so "Z" with a hundred accents cannot spill over the lines of
  the room display; no invisible format character such as a byte order
  mark), put on one line, and at most `MAX_TEXT` characters;
- one phone sends at most `PER_PHONE` ideas to one question, and one every
  `GAP` seconds; a question takes at most `MAX_PER_QUESTION`, a workshop
  `MAX_IDEAS`;
- nothing reaches the room display or the phones until the facilitator shows
  it, and a shown idea can be hidden again. Only shown ideas go into the
  debrief and the handouts, never hidden or new ones.

The Workshop's steps that use them (`Asking`, a base of
game.workshop.room.Workshop) are refused when game.workshop.moves's table
does not allow them, like every other step. The log keeps every question and
idea with its state (`to_json`, `from_json`), so a resumed workshop has them;
a damaged entry in a log is left out with a note, never a crash.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from game.engine import Playthrough
from game.safetext import BIDI, blank, printable, scan, tame
from game.wording import DECISION, heading_label, scene_heading
from game.workshop import prompts
from game.workshop.moves import Move
from game.workshop.showing import Change
from game.workshop.shown import CARD, DEBRIEF, ENDING, IDEAS, SCENE, Shown
from game.workshop.teams import Team, WorkshopError

NEW, SHOWN, HIDDEN = "new", "shown", "hidden"
STATES = (NEW, SHOWN, HIDDEN)
"""An idea is new until the facilitator shows it (the room sees it) or hides it (the room never does)."""
ELSE, PROMPT, STEPOUT = "else", "prompt", "stepout"
KINDS = (ELSE, PROMPT, STEPOUT)

MAX_TEXT = 200
"""The longest idea, in characters: a sentence or two, read from the back of a room."""
PER_PHONE = 3
"""Ideas one phone may send to one question."""
GAP = 10.0
"""Seconds between two ideas from one phone."""
MAX_PER_QUESTION = 300
MAX_IDEAS = 2000
MAX_QUESTIONS = 200
MAX_WHERE = 200
"""Characters kept of a question's text or where it was asked, read back from a log."""

ELSE_TEXT = "Something else? What would you do instead?"
ELSE_NOTE = ("The room's own ideas: the story could not play these, because it has only the choices its author "
             "wrote.")
STEP_OUT_WHERE = "The debrief"

TOO_LONG = "An idea can be at most {limit} characters; this one has {length}."
EMPTY = "Write your idea first."
UNSHOWABLE = "That has a character that cannot be shown: take it out, then send it again."
CLOSED = "That question has closed: the facilitator may ask another."
TOO_MANY = "You have sent {limit} ideas to this question, the most one phone can send. Thank you!"
TOO_SOON = "One idea every {gap:g} seconds: wait a moment, then send it again."
FULL = "This question has all the ideas it can take."


class IdeaError(WorkshopError):
    """An idea the workshop cannot take, with a sentence for whoever sent it."""


def clean(text: str) -> str:
    """An idea as the room may see it: story text's rules (no control character; a bidi override removed),
    at most MAX_MARKS combining marks on a character and no stray format character, on one line with single
    spaces, at most MAX_TEXT characters; IdeaError says what is wrong."""
    if not isinstance(text, str):
        raise IdeaError(EMPTY)
    text = text.replace("\r\n", "\n")
    if any(kind == "control" for _, _, kind in scan(text)):
        raise IdeaError(UNSHOWABLE)
    text = " ".join(tame(BIDI.sub("", text)).split())
    if blank(text):
        raise IdeaError(EMPTY)
    if len(text) > MAX_TEXT:
        raise IdeaError(TOO_LONG.format(limit=MAX_TEXT, length=len(text)))
    return printable(text)


@attrs.frozen
class Question:
    """A question put to the room, and where: `team`, `branch`, `path` and `scene` say which decision
    ("something else?") or which scene or ending (a scene's question) it was asked at. Its ideas stay with
    that vote: a forum-theatre branch that takes the same decision again votes again, and its own "something
    else?" is a question of its own."""

    id: int
    kind: str
    text: str
    where: str
    team: int = 0
    path: tuple[tuple[str, int], ...] = ()
    scene: str = ""
    branch: str = ""
    """The branch it was asked in ("" in a log from before branches were kept: then the path alone says)."""

    def same(self, other: Question) -> bool:
        return (self.kind, self.text, self.team, self.branch, self.path, self.scene) == \
            (other.kind, other.text, other.team, other.branch, other.path, other.scene)

    def at(self, team: int, branch: str, play: Playthrough, number: int) -> bool:
        """Whether this is "something else?" asked at decision `number` of `team`'s branch `branch` (whose
        play is `play`): the vote it was asked at, not another branch's vote at the same step."""
        return (self.kind == ELSE and self.team == team and self.branch in ("", branch)
                and len(self.path) == number - 1 and tuple(play.path[:number - 1]) == self.path
                and number <= len(play.steps) and play.steps[number - 1].scene == self.scene)


@attrs.define
class Idea:
    """One idea from the room: its words and whether the room has been shown it. Nothing about who sent it."""

    id: int
    question: int
    text: str
    state: str = NEW


class IdeaBox:
    """Every question asked and every idea sent, with the limits on what one phone may send."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.questions: list[Question] = []
        self.ideas: list[Idea] = []
        self.current: int | None = None
        """The question asked last: open while the room sees it (game.workshop.shown's IDEAS)."""
        self.clock = clock
        self._sent: dict[tuple[int, str], int] = {}
        self._last: dict[str, float] = {}
        """A phone's token -> when its last idea came (both only for ideas taken: no more than MAX_IDEAS)."""

    def question(self, question_id: int | None) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def of(self, question_id: int, state: str | None = None) -> list[Idea]:
        """The ideas sent to one question (in one state, if given), in the order they came."""
        return [i for i in self.ideas if i.question == question_id and (state is None or i.state == state)]

    def idea(self, idea_id: int) -> Idea:
        found = next((i for i in self.ideas if i.id == idea_id), None)
        if found is None:
            raise IdeaError(f"there is no idea {idea_id}")
        return found

    def shown_at(self, question: Question) -> tuple[str, ...]:
        return tuple(i.text for i in self.of(question.id, SHOWN))

    def asked(self, draft: Question) -> Question:
        """The question as kept: the same one asked before (its ideas come back), else a new one."""
        for question in self.questions:
            if question.same(draft):
                return question
        if len(self.questions) >= MAX_QUESTIONS:
            raise IdeaError("this workshop has asked all the questions it can keep")
        kept = attrs.evolve(draft, id=max((q.id for q in self.questions), default=0) + 1)
        self.questions.append(kept)
        return kept

    def _add(self, question_id: int, text: str, state: str) -> Idea:
        if len(self.of(question_id)) >= MAX_PER_QUESTION or len(self.ideas) >= MAX_IDEAS:
            raise IdeaError(FULL)
        idea = Idea(max((i.id for i in self.ideas), default=0) + 1, question_id, text, state)
        self.ideas.append(idea)
        return idea

    def receive(self, question_id: int, token: str, text: str) -> Idea:
        """A phone's idea for the open question: cleaned, within the phone's limits, new (not shown)."""
        if question_id != self.current:
            raise IdeaError(CLOSED)
        words = clean(text)
        sent = self._sent.get((question_id, token), 0)
        if sent >= PER_PHONE:
            raise IdeaError(TOO_MANY.format(limit=PER_PHONE))
        now = self.clock()
        if now - self._last.get(token, -GAP) < GAP:
            raise IdeaError(TOO_SOON.format(gap=GAP))
        idea = self._add(question_id, words, NEW)
        self._sent[(question_id, token)] = sent + 1
        self._last[token] = now
        return idea

    def left(self, question_id: int, token: str) -> int:
        """How many more ideas this phone may send to this question."""
        return max(0, PER_PHONE - self._sent.get((question_id, token), 0))


def offered(shown: Shown, teams: Sequence[Team]) -> list[Question]:
    """The questions the facilitator may put to the room now (ids not yet given): "something else?" at the
    decision in front of the room, the questions of its scene or ending, and the step-out question."""
    found: list[Question] = []
    if shown.overlay not in ("", DEBRIEF) or shown.stage not in (SCENE, CARD, ENDING):
        return found
    team = teams[shown.team]
    branch = team.session.branch
    named = ([team.name] if len(teams) > 1 else []) + ([f"branch “{branch}”"] if branch != "main" else [])
    whose = f" ({', '.join(named)})" if named else ""
    if not shown.overlay and shown.stage in (SCENE, ENDING):
        play = team.play
        scenario = play.scenario
        if shown.stage == SCENE and play.scene is not None:
            heading = scene_heading(scenario, play.scene.id)
            where = f"{heading_label(len(play.steps) + 1, DECISION)}{whose}: {heading}"
            found.append(Question(0, ELSE, ELSE_TEXT, where, shown.team, tuple(play.path), play.scene.id,
                                  branch))
            place = play.scene.id
        else:
            ending = play.ending
            assert ending is not None
            heading, place = f"Ending{whose}: {ending.title}", ending.id
        for about, text in prompts.at(play).prompts:
            where = f"{heading}: {about}" if about else heading
            found.append(Question(0, PROMPT, text, where, shown.team, (), place))
    found.append(Question(0, STEPOUT, prompts.STEP_OUT, STEP_OUT_WHERE))
    return found


class Asking:
    """The Workshop's steps for putting questions to the room and moderating its ideas (a base of
    game.workshop.room.Workshop)."""

    shown: Shown
    teams: list[Team]
    _require: Callable[[Move], None]
    _tell: Callable[[Change], None]

    def __init__(self) -> None:
        self.ideas = IdeaBox()
        super().__init__()

    @property
    def has_ideas(self) -> bool:
        return bool(self.ideas.ideas)

    @property
    def asking(self) -> Question | None:
        """The question the room sees now (the phones offer a text box for it), or None."""
        return self.ideas.question(self.ideas.current) if self.shown.overlay == IDEAS else None

    def questions(self) -> list[Question]:
        """What can be asked now, in the order the console lists it."""
        return offered(self.shown, self.teams)

    def ask(self, number: int) -> Question:
        """Put question `number` of `questions()` to the room: it goes up on the room display, and the phones
        offer a text box. Asking the same question again brings back its ideas."""
        self._require(Move.ASK)
        on_offer = self.questions()
        if not 0 <= number < len(on_offer):
            raise IdeaError("that question is not on offer here")
        question = self.ideas.asked(on_offer[number])
        self.ideas.current = question.id
        self.shown = self.shown.over(IDEAS)
        self._tell(Change.SHOWN)
        return question

    def send_idea(self, question_id: int, token: str, text: str) -> Idea:
        """A phone's idea (IdeaError says why one is refused); the facilitator sees it, the room does not yet."""
        if self.asking is None:
            raise IdeaError(CLOSED)
        idea = self.ideas.receive(question_id, token, text)
        self._tell(Change.IDEA)
        return idea

    def add_idea(self, text: str) -> Idea:
        """An idea said aloud, typed in by the facilitator: it goes up at once (they chose it)."""
        self._require(Move.ADD_IDEA)
        assert self.ideas.current is not None
        idea = self.ideas._add(self.ideas.current, clean(text), SHOWN)
        self._tell(Change.IDEA)
        return idea

    def show_idea(self, idea_id: int) -> None:
        self._moderate(idea_id, SHOWN)

    def hide_idea(self, idea_id: int) -> None:
        self._moderate(idea_id, HIDDEN)

    def _moderate(self, idea_id: int, state: str) -> None:
        self._require(Move.MODERATE)
        idea = self.ideas.idea(idea_id)
        if idea.state != state:
            idea.state = state
            self._tell(Change.IDEA)


# -- what the room sees of them -----------------------------------------------------------------------


def room_view(box: IdeaBox) -> dict[str, Any]:
    """The question in front of the room and the ideas shown for it (never a new or hidden one)."""
    question = box.question(box.current)
    if question is None:  # pragma: no cover - the room sees IDEAS only once a question is asked
        return {"question": "", "where": "", "kind": "", "ask": None, "ideas": [], "sent": 0}
    return {"question": printable(question.text), "where": printable(question.where), "kind": question.kind,
            "ask": question.id, "ideas": [printable(t) for t in box.shown_at(question)],
            "sent": len(box.of(question.id)), "limit": MAX_TEXT, "each": PER_PHONE,
            "note": ELSE_NOTE if question.kind == ELSE else ""}


def shown_by_question(box: IdeaBox) -> list[tuple[Question, tuple[str, ...]]]:
    """Each question with the ideas the room was shown, in the order asked (questions without any left out)."""
    return [(q, shown) for q in box.questions if (shown := box.shown_at(q))]


def for_decision(box: IdeaBox, team: int, branch: str, play: Playthrough, number: int) -> tuple[str, ...]:
    """The shown "something else?" ideas of decision `number` of a team's branch: asked at that vote."""
    return tuple(text for q in box.questions if q.at(team, branch, play, number) for text in box.shown_at(q))


# -- the log --------------------------------------------------------------------------------------------


def to_json(box: IdeaBox, shown_only: bool = False) -> dict[str, Any]:
    """Every question and idea with its state (a handout's copy: the shown ideas only, numbered afresh from 1,
    so no gap in the numbers tells of an idea or a question the room never saw). No phone is named."""
    ideas = [i for i in box.ideas if not shown_only or i.state == SHOWN]
    asked = {i.question for i in ideas}
    questions = [q for q in box.questions if not shown_only or q.id in asked]
    question_id = {q.id: (n if shown_only else q.id) for n, q in enumerate(questions, 1)}
    return {
        "questions": [{"id": question_id[q.id], "kind": q.kind, "text": q.text, "where": q.where, "team": q.team,
                       "branch": q.branch, "path": [[s, c] for s, c in q.path], "scene": q.scene}
                      for q in questions],
        "ideas": [{"id": n if shown_only else i.id, "question": question_id[i.question], "text": i.text,
                   "state": i.state} for n, i in enumerate(ideas, 1)],
    }


def _whole(value: Any, low: int = 0, high: int = 10**9) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _question(raw: Any, teams: int) -> Question | None:
    if not isinstance(raw, dict) or not _whole(raw.get("id"), 1) or raw.get("kind") not in KINDS:
        return None
    text, where, scene, path = raw.get("text"), raw.get("where", ""), raw.get("scene", ""), raw.get("path", [])
    branch = raw.get("branch", "")
    if not (isinstance(text, str) and not blank(text) and isinstance(where, str) and isinstance(scene, str)
            and isinstance(branch, str) and len(branch) <= MAX_WHERE
            and _whole(raw.get("team", 0), 0, teams - 1) and isinstance(path, list) and len(path) <= 10_000
            and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and _whole(p[1])
                    for p in path)):
        return None
    return Question(raw["id"], raw["kind"], " ".join(printable(text).split())[:MAX_WHERE],
                    " ".join(printable(where).split())[:MAX_WHERE], raw.get("team", 0),
                    tuple((s, c) for s, c in path), scene[:MAX_WHERE], branch)


def from_json(raw: Any, teams: int) -> tuple[IdeaBox, list[str]]:
    """The questions and ideas a log keeps, each checked as it is read; a damaged one is left out with a
    note, and a log written before ideas existed has none."""
    box = IdeaBox()
    if raw is None:
        return box, []
    if not isinstance(raw, dict) or not isinstance(raw.get("questions", []), list) \
            or not isinstance(raw.get("ideas", []), list):
        return box, ["the log's ideas from the room are damaged; they were left out"]
    notes: list[str] = []
    for n, item in enumerate(raw.get("questions", [])[:MAX_QUESTIONS], 1):
        question = _question(item, teams)
        if question is None or box.question(question.id) is not None:
            notes.append(f"question {n} put to the room is damaged in the log; it was left out with its ideas")
        else:
            box.questions.append(question)
    seen: set[int] = set()
    for n, item in enumerate(raw.get("ideas", [])[:MAX_IDEAS], 1):
        try:
            if not (isinstance(item, dict) and _whole(item.get("id"), 1) and item["id"] not in seen
                    and box.question(item.get("question")) is not None and item.get("state") in STATES):
                raise IdeaError("damaged")
            box.ideas.append(Idea(item["id"], item["question"], clean(item.get("text")), item["state"]))
            seen.add(item["id"])
        except IdeaError:
            notes.append(f"idea {n} from the room is damaged in the log; it was left out")
    return box, notes
