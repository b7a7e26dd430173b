"""The shape of a workshop log: every field, its type and its range, in one table.

A log is read back by `workshop --resume` and `--report`, and a log is a file
a stranger may have put there, or that a laptop dying mid-write left behind.
So before anything in it is used, `check` walks the table below and either
returns the log with every field known to be of its type and in its range
(and the optional ones filled in), or raises `Damaged` naming the first field
that is not, in words: "`settings.timer.discussion` is a text, not a whole
number from 0 to 3600". Nothing downstream converts, guesses or trusts.

A field added to the log is one row here. Text a screen or a page will show
(team labels, branch names, the ground rules) is made printable and cut to
length as it is read, like every other text from a stranger. Before any row,
every text in the log (every key too, in every part, the room's ideas
included) is checked to be text at all: JSON can spell a lone surrogate
(`"\\ud800"`), which no file can hold, so a log holding one is refused with
the place named, never read and then found unwritable at the next save.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from game.loader.keys import describe
from game.safetext import QUOTE_LIMIT, char_name, printable, surrogate_at
from game.workshop.names import MODES, TIE_RULES
from game.workshop.teams import MAX_TEAM_NAME, MAX_TEAMS, RULES_CHARS
from game.workshop.timer import MAX_SECONDS
from game.workshop.votes import MAX_COUNT, MAX_SEED, PHASES, How

MAX_BRANCHES = 1000
"""Branches of one team's play (forum theatre makes one each time the room goes back)."""
MAX_STEPS = 10_000
"""Decisions in one branch; no story is that long."""
MAX_STEPS_IN_ALL = 50_000
"""Decisions replayed for the whole log: picking a workshop up again stays quick, whatever the file says."""
MAX_OPTIONS = 1000
"""Choice indexes in a scene (a scene has a handful; this is only a bound)."""
MAX_PHONES = 100_000
"""Ballots in one open round."""
MAX_TALLY = 10_000_000
"""One option's count in a decision's record: hands and phones together."""

ROUND_ID = re.compile(r"[0-9a-f]{8}\Z")
IDENT = re.compile(r"[0-9a-f]{8}\Z")
VOTER = re.compile(r"[0-9a-f]{16}\Z")
SALT = re.compile(r"[0-9a-f]{32}\Z")
OPTION_KEY = re.compile(r"[0-9]{1,5}\Z")


class Damaged(ValueError):
    """A log with a field of the wrong type or out of its range, with a sentence naming the field."""


def kind_of(value: Any) -> str:
    """What a JSON value is, in the words a facilitator reads (the loader's words, and JSON's own oddities)."""
    if value is None:
        return "empty (null)"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN (not a number at all)" if math.isnan(value) else "infinite"
    return describe(value)


# -- what a field may be -----------------------------------------------------------------------------------


class Spec:
    """One kind of field: `read` returns the value to keep, or raises Damaged saying what it is instead."""

    words = "a value"

    def read(self, value: Any, where: str) -> Any:
        raise NotImplementedError

    def wrong(self, value: Any, where: str, what: str | None = None) -> Damaged:
        return Damaged(f"`{where}` is {what or kind_of(value)}, not {self.words}")


@attrs.frozen
class Whole(Spec):
    """A whole number from `low` to `high` (never true/false, a fraction, NaN or infinity)."""

    low: int
    high: int

    @property
    def words(self) -> str:  # type: ignore[override]
        return f"a whole number from {self.low:,} to {self.high:,}"

    def read(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.wrong(value, where)
        if not self.low <= value <= self.high:
            shown = f"{value:,}" if abs(value) < 10**15 else "a number too large to be one"
            raise self.wrong(value, where, shown)
        return value


@attrs.frozen
class Text(Spec):
    """A text of at most `limit` characters; `choices` or `pattern` restrict it; `shown` text is made
    printable (one line unless `lines`) as it is read."""

    limit: int = 200
    least: int = 0
    choices: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    shown: bool = False
    lines: bool = False

    @property
    def words(self) -> str:  # type: ignore[override]
        if self.choices:
            return "one of " + ", ".join(f"“{c}”" for c in self.choices)
        return f"a text of at most {self.limit:,} characters" + (" in the expected form" if self.pattern else "")

    def read(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.wrong(value, where)
        if self.choices and value not in self.choices:
            raise self.wrong(value, where, f"“{printable(value[:QUOTE_LIMIT])}”")
        if len(value) > self.limit * 4 or (self.pattern is not None and not self.pattern.match(value)):
            raise self.wrong(value, where, f"a text of {len(value):,} characters" if len(value) > self.limit * 4
                             else "a text in another form")
        if self.shown:
            value = printable(value)
            value = value if self.lines else " ".join(value.split())
        if len(value) < self.least:
            raise self.wrong(value, where, "an empty text")
        return value[: self.limit]


@attrs.frozen
class Flag(Spec):
    words = "true or false"

    def read(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.wrong(value, where)
        return value


@attrs.frozen
class Table(Spec):
    """A table (a JSON object); its fields have rows of their own."""

    words = "a table"

    def read(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.wrong(value, where)
        return value


@attrs.frozen
class Items(Spec):
    """A list of `low` to `high` items; each item has a row of its own (`path[]`)."""

    low: int = 0
    high: int = MAX_STEPS

    @property
    def words(self) -> str:  # type: ignore[override]
        return f"a list of {self.low:,} to {self.high:,} items"

    def read(self, value: Any, where: str) -> list:
        if not isinstance(value, list):
            raise self.wrong(value, where)
        if not self.low <= len(value) <= self.high:
            raise self.wrong(value, where, f"a list of {len(value):,} items")
        return value


@attrs.frozen
class Keyed(Spec):
    """A table of at most `high` entries, each key matching `key`, each value read by `value`."""

    key: re.Pattern[str]
    value: Spec
    high: int = MAX_OPTIONS

    words = "a table of counts"

    def read(self, raw: Any, where: str) -> dict:
        if not isinstance(raw, dict):
            raise self.wrong(raw, where)
        if len(raw) > self.high:
            raise self.wrong(raw, where, f"a table of {len(raw):,} entries")
        out = {}
        for key, value in raw.items():
            if not self.key.match(key):
                raise Damaged(f"`{where}` has an entry named in another form")
            out[key] = self.value.read(value, f"{where}.{printable(key[:QUOTE_LIMIT])}")
        return out


@attrs.frozen
class Pair(Spec):
    """A list of exactly two items, read by `first` and `second`."""

    first: Spec
    second: Spec

    words = "a pair"

    def read(self, value: Any, where: str) -> list:
        if not isinstance(value, list) or len(value) != 2:
            raise self.wrong(value, where, f"a list of {len(value):,} items" if isinstance(value, list) else None)
        return [self.first.read(value[0], f"{where}[0]"), self.second.read(value[1], f"{where}[1]")]


@attrs.frozen
class Maybe(Spec):
    """Empty (null) or what `spec` reads."""

    spec: Spec

    @property
    def words(self) -> str:  # type: ignore[override]
        return f"{self.spec.words}, or empty"

    def read(self, value: Any, where: str) -> Any:
        return None if value is None else self.spec.read(value, where)


@attrs.frozen
class Uncut(Text):
    """A text kept only whole: a longer one is TOO_LONG, never cut (to name another place) nor a damaged log."""

    def read(self, value: Any, where: str) -> Any:
        return TOO_LONG if isinstance(value, str) and len(value) > self.limit else Text.read(self, value, where)


TOO_LONG = object()  # what `Uncut` reads from a text longer than its limit
EXPORT_LIMIT = 4096  # the longest handouts' folder a log keeps (the longest path Linux opens); its writer too

REQUIRED = object()
"""A row's default when the field must be there."""


@attrs.frozen
class Row:
    """One field: where it sits (`a.b[].c`: `[]` is every item of a list), what it may be, and its value
    when it is missing (REQUIRED: it may not be)."""

    path: str
    spec: Spec
    default: Any = REQUIRED


# -- the log, field by field --------------------------------------------------------------------------------

COUNTS = Keyed(OPTION_KEY, Whole(0, MAX_TALLY))
OPTION = Whole(0, MAX_OPTIONS)
SEED = Whole(-MAX_SEED, MAX_SEED)
BRANCH = Text(MAX_TEAM_NAME * 2, least=1, shown=True)

ROWS: tuple[Row, ...] = (
    Row("id", Maybe(Text(8, pattern=IDENT)), None),
    Row("scenario", Table()),
    Row("scenario.id", Text(64, pattern=re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z"))),
    Row("scenario.title", Text(500, shown=True), ""),
    Row("scenario.digest", Text(200), ""),
    Row("scenario.file", Maybe(Text(4096)), None),
    Row("saved", Text(40), ""),
    Row("settings", Table(), {}),
    Row("settings.tie_rule", Text(choices=tuple(TIE_RULES)), "facilitator"),
    Row("settings.seed", Maybe(SEED), None),
    Row("settings.mode", Text(choices=tuple(MODES)), "turns"),
    Row("settings.timer", Table(), {}),
    Row("settings.timer.discussion", Whole(0, MAX_SECONDS), 0),
    Row("settings.timer.voting", Whole(0, MAX_SECONDS), 0),
    Row("settings.timer.bell", Flag(), False),
    Row("settings.rules", Text(RULES_CHARS, shown=True, lines=True), ""),
    Row("settings.hide_tally", Flag(), True),
    Row("started", Flag(), True),
    Row("current_team", Whole(0, MAX_TEAMS - 1), 0),
    Row("teams", Items(1, MAX_TEAMS)),
    Row("teams[]", Table()),
    Row("teams[].name", Text(MAX_TEAM_NAME, shown=True), ""),
    Row("teams[].branch", Maybe(BRANCH), None),
    Row("teams[].branches", Items(1, MAX_BRANCHES)),
    Row("teams[].branches[]", Table()),
    Row("teams[].branches[].name", BRANCH),
    Row("teams[].branches[].path", Items(0, MAX_STEPS)),
    Row("teams[].branches[].path[]", Pair(Text(64), OPTION)),
    Row("teams[].branches[].decisions", Items(0, MAX_STEPS), []),
    Row("teams[].branches[].decisions[]", Table()),
    Row("teams[].branches[].decisions[].step", Whole(1, MAX_STEPS)),
    Row("teams[].branches[].decisions[].chosen", OPTION),
    Row("teams[].branches[].decisions[].scene", Text(64), ""),
    Row("teams[].branches[].decisions[].how", Text(choices=tuple(h.value for h in How)), How.VOTE.value),
    Row("teams[].branches[].decisions[].options", Items(0, MAX_OPTIONS), []),
    Row("teams[].branches[].decisions[].options[]", OPTION),
    Row("teams[].branches[].decisions[].tallies", Items(0, 2), []),
    Row("teams[].branches[].decisions[].tallies[]", COUNTS),
    Row("teams[].branches[].decisions[].phones", Items(0, 2), []),
    Row("teams[].branches[].decisions[].phones[]", COUNTS),
    Row("teams[].branches[].decisions[].tied", Items(0, MAX_OPTIONS), []),
    Row("teams[].branches[].decisions[].tied[]", OPTION),
    Row("teams[].branches[].decisions[].rule", Text(choices=("", *TIE_RULES)), ""),
    Row("teams[].branches[].decisions[].seed", Maybe(SEED), None),
    # whether the room saw the scene (a skip from the card before it was shown: no); a log from before this was
    # kept shows no words of a skipped scene, which may not have been seen
    Row("teams[].branches[].decisions[].seen", Flag(), False),
    # the vote open when the log was written: its counts so far, so a crash loses no vote
    Row("open", Maybe(Table()), None),
    Row("open.team", Whole(0, MAX_TEAMS - 1)),
    Row("open.branch", BRANCH),
    Row("open.step", Whole(1, MAX_STEPS)),
    Row("open.id", Text(8, pattern=ROUND_ID)),
    Row("open.phase", Text(choices=PHASES)),
    Row("open.runoff_of", Items(0, MAX_OPTIONS), []),
    Row("open.runoff_of[]", OPTION),
    Row("open.hands", Keyed(OPTION_KEY, Whole(0, MAX_COUNT)), {}),
    Row("open.ballots", Keyed(VOTER, OPTION, MAX_PHONES), {}),
    Row("open.salt", Text(32, pattern=SALT)),
    Row("open.first", Items(0, 1), []),
    Row("open.first[]", Table()),
    Row("open.first[].counts", COUNTS),
    Row("open.first[].phones", COUNTS),
    # the questions put to the room with their ideas, and the room's predictions, are read entry by entry by
    # game.workshop.ideas and game.workshop.predictions: a damaged idea is left out with a note, never the log
    # where the workshop's server was, so phones and the room display find a workshop picked up again
    Row("server", Maybe(Table()), None),
    Row("server.port", Whole(1, 65535)),
    Row("server.code", Text(6, pattern=re.compile(r"[A-Z2-9]{6}\Z"))),
    Row("server.key", Text(16, pattern=re.compile(r"[A-Za-z0-9_-]{16}\Z"))),
    Row("server.phones", Flag(), False),
    Row("server.network", Flag(), False),
    # the folder given with --export, so a workshop picked up again writes its handouts there (game.workshop.log
    # checks it as a path from data before it is used: `kept_by`)
    Row("export", Maybe(Uncut(EXPORT_LIMIT)), None),
)
"""Every field of a log (after `format` and `version`, which say whether it is a log at all)."""


# -- fields that must agree with each other -------------------------------------------------------------------


def _distinct_teams(data: dict) -> str | None:
    names = [t["name"].lower() for t in data["teams"] if t["name"]]
    return "two teams have the same name" if len(names) != len(set(names)) else None


def _distinct_branches(data: dict) -> str | None:
    for n, team in enumerate(data["teams"]):
        names = [b["name"] for b in team["branches"]]
        if len(names) != len(set(names)):
            return f"`teams[{n}].branches` has two branches with the same name"
    return None


def _current_team(data: dict) -> str | None:
    if data["current_team"] >= len(data["teams"]):
        return f"`current_team` is {data['current_team']}, but the log has {len(data['teams'])} teams"
    return None


def _steps_in_all(data: dict) -> str | None:
    total = sum(len(b["path"]) for t in data["teams"] for b in t["branches"])
    return f"the log holds {total:,} decisions in all, over {MAX_STEPS_IN_ALL:,}" if total > MAX_STEPS_IN_ALL else None


AGREEMENTS: tuple[Callable[[dict], str | None], ...] = (_distinct_teams, _distinct_branches, _current_team,
                                                        _steps_in_all)


def fingerprint(data: dict) -> str:
    """An identity for a log written before workshops had one: the same log always gets the same one."""
    same = json.dumps([data["scenario"]["id"], data["settings"], data["teams"]], sort_keys=True, default=str)
    return hashlib.sha256(same.encode("utf-8", "replace")).hexdigest()[:8]


# -- reading -----------------------------------------------------------------------------------------------------


def _split(path: str) -> list[str]:
    return [part for part in re.split(r"\.|(?=\[\])", path) if part]


def _places(data: Any, parts: list[str], where: str = "") -> Iterator[tuple[Any, str | int, str]]:
    """(container, key, where) for every place the row at `parts` names in `data`."""
    head, rest = parts[0], parts[1:]
    if head == "[]":
        if not isinstance(data, list):
            return
        for i in range(len(data)):
            if rest:
                yield from _places(data[i], rest, f"{where}[{i}]")
            else:
                yield data, i, f"{where}[{i}]"
        return
    if not isinstance(data, dict):
        return  # an optional table that is empty: its fields are not there to check
    label = f"{where}.{head}" if where else head
    if rest:
        if head in data:
            yield from _places(data[head], rest, label)
    else:
        yield data, head, label


def not_text(raw: Any) -> str | None:
    """The first place in a JSON tree (`ideas.ideas[2].text`) holding a lone surrogate, with the character
    named; None when every text and every key is text. Walked without recursion, so any depth is safe."""
    stack: list[tuple[Any, str]] = [(raw, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                name = printable(f"{where}.{key}" if where else str(key))[: QUOTE_LIMIT * 2]
                if isinstance(key, str) and surrogate_at(key) is not None:
                    return f"`{name}` is named with {char_name(key[surrogate_at(key) or 0])}, which no file can keep"
                stack.append((item, name))
        elif isinstance(value, list):
            stack += [(item, f"{where}[{n}]") for n, item in reversed(list(enumerate(value)))]
        elif isinstance(value, str) and (at := surrogate_at(value)) is not None:
            return f"`{where or 'the log'}` holds {char_name(value[at])}, which no file can keep"
    return None


def check(raw: dict, rows: tuple[Row, ...] = ROWS) -> dict:
    """The log with every field read by its row (a copy; defaults filled in), or Damaged naming what is wrong."""
    problem = not_text(raw)
    if problem:
        raise Damaged(problem)
    data = copy.deepcopy(raw)
    for row in rows:
        for container, key, where in list(_places(data, _split(row.path))):
            if isinstance(container, dict) and key not in container:
                if row.default is REQUIRED:
                    raise Damaged(f"`{where}` is missing")
                container[key] = copy.deepcopy(row.default)
                continue
            container[key] = row.spec.read(container[key], where)
    for agreement in AGREEMENTS:
        problem = agreement(data)
        if problem:
            raise Damaged(problem)
    return data
