"""Help resources shown with the endings of help stories, read from a data file, and when they are shown.

The list lives in `scenarios/resources.toml` (or the file named by
SECOND_CHANCE_RESOURCES), so a facilitator can put their own country's services
first without touching code. A missing or broken file falls back to one line
that is true everywhere, never to nothing.

The services are grouped by topic, because different stories need different
help: a story about abuse needs the domestic abuse lines, and a story about a
relationship that is unhealthy but not abusive needs counselling and listening
lines, with an introduction that fits. Each topic has a title and an intro
(`[topics.abuse]`), each service names the topics it is for (`topics = [...]`;
a service that names none, such as the emergency number, is for every topic),
and a story names its topic with `help_topic` (the abuse lines when it names
none). A file written before topics existed (one `intro`, no `topics`) reads
as it always did.

Each entry may carry `checked = "YYYY-MM-DD"`, the day someone last confirmed its
number and address against the service itself; it is shown with the entry so a
reader can judge how fresh it is.

The file is input from whoever set the variable, so it is read like a
scenario: a regular file only (a pipe or /dev/zero in its place is refused at
once), under a size cap, and every string passes through `safetext.printable`
once, here, before any screen, page or handout shows it: an escape sequence is
shown as text, never obeyed. `second-chance validate FILE` says where.

This module is also the one home of the rule for when help is shown
(`shows_help`) and which list a story shows (`for_story`): the player's
screen, the plain player and the workshop's room all ask it. The sentences
that point to the whole list name each front end's own key (`HelpKey`: F2 on
the full screen, `r` in plain mode), so no player is told of a key they do
not have; the file's own text names none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
import tomli as tomllib

from game import paths
from game.diagnostics import Diagnostic
from game.model import Ending, Scenario
from game.safetext import needs_care, printable, quote, scan
from game.storage import read_text

FALLBACK = "If you are in danger now, call your local emergency number."
DEFAULT_TOPIC = "abuse"
"""The topic of a help story that names none: the lines for someone who is frightened, controlled or hurt."""
MAX_BYTES = 256 * 1024
"""A list of help lines is a few kilobytes; a larger file is refused before it is parsed."""
MAX_ITEMS = 100
"""More services than anyone could read in a crisis: the rest are left out (and said)."""
MAX_TOPICS = 20
"""More kinds of help than any file needs: the rest are left out (and said)."""
MAX_FIELD = 2000
"""Characters kept of one field."""
FIELDS = ("name", "region", "contact", "about", "checked")


@attrs.frozen
class Resource:
    name: str
    region: str
    contact: str
    about: str = ""
    checked: str = ""
    """When the entry was last confirmed against the service (YYYY-MM-DD), or "" if never."""
    topics: tuple[str, ...] = ()
    """The topics it is listed under; none means every topic."""

    def serves(self, topic: str) -> bool:
        return not self.topics or topic in self.topics


@attrs.frozen
class Topic:
    """One kind of help: its id (what a story's `help_topic` names), a heading, and what to say first."""

    id: str
    title: str = ""
    intro: str = ""


@attrs.frozen
class Resources:
    intro: str
    items: tuple[Resource, ...]
    problem: str = ""
    topics: tuple[Topic, ...] = ()
    title: str = ""
    """The heading of this list when it is one topic's ("" for the whole file)."""
    partial: bool = False
    """Whether the file holds services this list leaves out (they are for other kinds of help)."""

    def topic(self, topic_id: str) -> Resources:
        """The list for one kind of help: its intro, and the services for it or for everyone.

        A topic the file does not know (a facilitator's copy may have only the
        abuse lines) gets the whole list: shown help is never less than the file holds.
        """
        known = next((t for t in self.topics if t.id == topic_id), None)
        if known is None and topic_id != DEFAULT_TOPIC:
            return self
        intro = (known.intro if known and known.intro else self.intro)
        items = tuple(r for r in self.items if r.serves(topic_id))
        return Resources(intro, items, self.problem, self.topics, known.title if known else "",
                         partial=len(items) < len(self.items))

    def sections(self, first: str = DEFAULT_TOPIC) -> list[Resources]:
        """The whole file, one list per topic, `first` first, with no service shown twice (for F2)."""
        order = [first, *(t.id for t in self.topics if t.id != first)]
        shown: set[Resource] = set()
        sections = []
        for topic_id in dict.fromkeys(order):
            part = self.topic(topic_id)
            items = tuple(r for r in part.items if r not in shown)
            shown.update(items)
            if items or not sections:
                sections.append(attrs.evolve(part, items=items))
        return sections


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TypeError("`topics` must be a list of topic names")


def load(path: Path | None = None) -> Resources:
    """The help resources, every string made safe to show; the fallback line (and why) when the file fails."""
    path = Path(path or paths.resources_path())
    try:
        data = tomllib.loads(read_text(path, MAX_BYTES))
        entries = data.get("resources", [])
        declared = data.get("topics", {})
        if not isinstance(entries, list):
            raise TypeError("`resources` must be a list of [[resources]] tables")
        if not all(_has(entry, "name") and _has(entry, "contact") for entry in entries):
            raise TypeError("each [[resources]] table needs a `name` and a `contact`")
        if not isinstance(declared, dict) or not all(isinstance(t, dict) for t in declared.values()):
            raise TypeError("`topics` must hold [topics.NAME] tables")
        kept = entries[:MAX_ITEMS]
        items = tuple(Resource(*(_field(entry.get(key, "")) for key in FIELDS),
                               topics=tuple(_field(t) for t in _strings(entry.get("topics", []))))
                      for entry in kept)
        named = list(declared.items())[:MAX_TOPICS]
        topics = tuple(Topic(_field(name), _field(t.get("title", "")), _field(t.get("intro", "")))
                       for name, t in named)
        default = next((t.intro for t in topics if t.id == DEFAULT_TOPIC and t.intro), FALLBACK)
        intro = data.get("intro", default)
        if not isinstance(intro, str):
            raise TypeError("`intro` must be text")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, TypeError, ValueError) as problem:
        return Resources(FALLBACK, (), f"help resources could not be read from {quote(path, 200)}: "
                                       f"{quote(problem, 200)}")
    notes = []
    if len(kept) < len(entries):
        notes.append(f"only the first {MAX_ITEMS} of its {len(entries)} entries are shown")
    if len(named) < len(declared):
        notes.append(f"only the first {MAX_TOPICS} of its {len(declared)} topics are used")
    raw = (intro, *(str(entry.get(key, "")) for entry in kept for key in FIELDS),
           *(str(value) for name, t in named for value in (name, t.get("title", ""), t.get("intro", ""))))
    if any(needs_care(text) for text in raw):
        notes.append("some of its text has control characters, shown as escapes "
                     f"(`second-chance validate {quote(path, 200)}` says where)")
    problem = f"help resources from {quote(path, 200)}: " + "; ".join(notes) if notes else ""
    return Resources(_field(intro), items, problem, topics=topics)


def _has(entry: object, key: str) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get(key), str) and bool(entry[key].strip())


def _field(value: object) -> str:
    """One field as it may be shown anywhere: text, printable, of a readable length."""
    text = printable(value if isinstance(value, str) else str(value))
    return text if len(text) <= MAX_FIELD else text[:MAX_FIELD] + "…"


# -- when help is shown, and which --------------------------------------------------------


def shows_help(scenario: Scenario, *endings: Ending | None) -> bool:
    """Whether help resources are shown: the one rule, for a player's ending and for a room's.

    Every ending of a help story (`help = true`) shows them, and so does any
    ending marked `help` in another story. A room's debrief passes the endings
    its teams reached; a help story's room is shown them whatever was reached.
    """
    return scenario.help or any(ending is not None and ending.help for ending in endings)


def offers_help(scenario: Scenario) -> bool:
    """Whether any ending of the story shows help (`shows_help`): such a story says where help is before
    it begins, on the notes screen and at the plain player's start."""
    return shows_help(scenario, *scenario.endings.values())


def topic_of(scenario: Scenario | None) -> str:
    """Which kind of help a story lists first: its `help_topic`, or the abuse lines if it names none (or there
    is no story)."""
    return (scenario.help_topic if scenario is not None else "") or DEFAULT_TOPIC


def for_story(scenario: Scenario, data: Resources | None = None) -> Resources:
    """The list a story shows: the one for its topic (`topic_of`)."""
    return (data or load()).topic(topic_of(scenario))


@attrs.frozen
class HelpKey:
    """How one front end opens the whole help list: its key, and where the key works."""

    key: str
    where: str

    def opens(self) -> str:
        """Said before a help story is played: "F2 opens help and support resources from anywhere in the game"."""
        return f"{self.key} opens help and support resources {self.where}."

    def more(self, data: Resources) -> str:
        """Said under one list's intro: where the whole list is, or that this is it."""
        if data.partial:
            return f"{self.key} shows the whole list, every kind of help, {self.where}."
        return f"{self.key} opens this list again {self.where}."


FULL_SCREEN = HelpKey("F2", "from anywhere in the game")
"""The full-screen game's help key (its binding is `f2`)."""
PLAIN = HelpKey("r", "at any prompt")
"""The plain player's help key, for screen-reader players: a letter typed at the prompt."""


def render_plain(data: Resources | None = None, key: HelpKey | None = None, lead: str = "") -> str:
    """One list as plain text, after `lead` (why it is shown); with the front end's `key`, a line under the
    intro saying where the rest is."""
    data = data or load()
    lines = ["Help and support", *([lead] if lead else []), *([data.title] if data.title else []), data.intro,
             *([key.more(data)] if key is not None else [])]
    lines += _plain_items(data)
    if data.problem:
        lines.append(f"  ({data.problem})")
    return "\n".join(lines)


def render_all_plain(first: str = DEFAULT_TOPIC, data: Resources | None = None) -> str:
    """The whole file as plain text, every kind of help under its heading, `first` first (as F2 shows it)."""
    sections = (data or load()).sections(first)
    lines = ["Help and support"]
    for section in sections:
        lines += ["", *([section.title] if section.title else []), section.intro, *_plain_items(section)]
    if sections and sections[0].problem:
        lines += ["", f"  ({sections[0].problem})"]
    return "\n".join(lines)


def _plain_items(data: Resources) -> list[str]:
    lines = []
    for item in data.items:
        region = f" ({item.region})" if item.region else ""
        lines.append(f"  * {item.name}{region}: {item.contact}")
        if item.about:
            lines.append(f"    {item.about}")
        if item.checked:
            lines.append(f"    checked {item.checked}")
    return lines


RESOURCE_KEYS = {"name", "region", "contact", "about", "checked", "topics"}
TOPIC_KEYS = {"title", "intro"}
TOP_KEYS = {"intro", "topics", "resources"}


def check(path: Path) -> list[Diagnostic]:
    """The help-resources file checked as what it is, with located diagnostics like a scenario's."""
    from game.loader.source import parse_toml, read_bytes
    from game.locate import Locator

    file = str(path)
    text, problems = read_bytes(Path(path), file)
    if text is None:
        return problems
    data, problems = parse_toml(text, file)
    if data is None:
        return problems
    locate = Locator(text)
    found: list[Diagnostic] = []

    def report(code: str, message: str, where: tuple, hint: str | None = None) -> None:
        line, column = locate(where)
        found.append(Diagnostic(code, message, file, line, column, hint=hint))

    def text_ok(value: object, where: tuple, what: str) -> None:
        if not isinstance(value, str):
            report("SC022", f"{what} must be text", where)
        elif scan(value):
            report("SC025", f"{what} contains a control character or bidi override", where,
                   "only printable text and line breaks are allowed")

    for key in data:
        if key not in TOP_KEYS:
            report("SC020", f"unknown key `{quote(key)}` in the help resources", (key,),
                   "the file holds `intro`, [topics.NAME] tables and [[resources]] tables")
    if "intro" in data:
        text_ok(data["intro"], ("intro",), "`intro`")
    topics = data.get("topics", {})
    if not isinstance(topics, dict) or not all(isinstance(t, dict) for t in topics.values()):
        report("SC022", "`topics` must hold [topics.NAME] tables", ("topics",))
        topics = {}
    for name, topic in topics.items():
        for key in topic:
            if key not in TOPIC_KEYS:
                report("SC020", f"unknown key `{quote(key)}` in topic `{quote(name)}`", ("topics", name, key),
                       f"allowed keys: {', '.join(sorted(TOPIC_KEYS))}")
            else:
                text_ok(topic[key], ("topics", name, key), f"`{key}`")
    known = {*topics, DEFAULT_TOPIC}
    items = data.get("resources", [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        report("SC022", "`resources` must be a list of [[resources]] tables", ("resources",))
        return found
    if not items:
        report("SC021", "the file lists no help resources", ("resources",), "add a [[resources]] table")
    for i, item in enumerate(items):
        where = ("resources", i)
        for key in item:
            if key not in RESOURCE_KEYS:
                report("SC020", f"unknown key `{quote(key)}` in a help resource", (*where, key),
                       f"allowed keys: {', '.join(sorted(RESOURCE_KEYS))}")
            elif key == "topics":
                _check_topics(item[key], (*where, key), known, report)
            else:
                text_ok(item[key], (*where, key), f"`{key}`")
        for key in ("name", "contact"):
            if key not in item:
                report("SC021", f"help resource {i + 1} is missing required key `{key}`", where, f"add `{key} = ...`")
    return found


def _check_topics(value: object, where: tuple, known: set[str], report: Callable[..., None]) -> None:
    """A service's `topics`: a list of topic names the file declares (or the default, `abuse`)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report("SC022", "`topics` must be a list of topic names, e.g. [\"relationships\"]", where)
        return
    for name in value:
        if name not in known:
            report("SC023", f"topic `{quote(name)}` is not declared", where,
                   f"declare [topics.{quote(name)}] with a title and an intro, or use one of: "
                   f"{', '.join(sorted(known))}")
