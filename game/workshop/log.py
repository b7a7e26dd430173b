"""The workshop's log: every decision, vote count, tie rule applied, branch and skip, with a schema version;
the questions put to the room with every idea and its state, and the room's predictions.

It is written after every decision, and while a vote is open with its counts
so far (game.workshop.openvote), so a session survives the laptop going to
sleep, the app closing or crashing, and `workshop --resume` picks it up
again. It is also where handouts come from (`workshop --report LOG.json`). It
holds no personal data: teams are labels the facilitator typed, a decision's
phone ballots are counts, the open vote's ballots are kept under keyed
digests of the phones' random tokens, never the tokens, and an idea is its
words and whether the room was shown it (never which phone sent it).

Every field is checked for its type and range before it is used
(game.workshop.logshape); a log that cannot be read is set aside (never
deleted) with a message.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import attrs

from game import crash, library, paths
from game.engine import fit_path
from game.loader import read_scenario
from game.model import Scenario
from game.safetext import PATH_LIMIT, printable, quote, surrogate_at
from game.session import Session
from game.storage import NotAFile, TooLarge, parse_json, present, read_text, safe_path, set_aside, write_atomic
from game.workshop import ideas, logshape, openvote, predictions
from game.workshop.room import GROUND_RULES, Workshop
from game.workshop.teams import Decision, WorkshopError
from game.workshop.timer import Timer

FORMAT = "second-chance-workshop"
VERSION = 1
MAX_BYTES = 4 * 1024 * 1024


class LogError(ValueError):
    """A log that cannot be used, with a sentence saying why."""


class MissingScenario(LogError):
    """The log is sound, but the scenario it was made with is not here (nothing to set aside)."""


def folder() -> Path:
    """Where workshop logs are kept: `workshops/` in the game's data folder."""
    return paths.data_dir() / "workshops"


def _counts(tally: dict[int, int]) -> dict[str, int]:
    return {str(k): v for k, v in tally.items()}


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "step": decision.step, "scene": decision.scene, "chosen": decision.chosen, "how": decision.how,
        "options": list(decision.options), "tallies": [_counts(t) for t in decision.tallies],
        "phones": [_counts(p) for p in decision.phones], "tied": list(decision.tied), "rule": decision.rule,
        "seed": decision.seed, "seen": decision.seen,
    }


def _file_name(scenario: Scenario) -> str | None:
    """The story's file, for finding it again; None for a name that is not text (a byte that is not UTF-8,
    which no log can hold: the story is then found by its id, or named with the log)."""
    if scenario.path is None:
        return None
    name = str(scenario.path)
    return name if surrogate_at(name) is None else None


def to_json(workshop: Workshop, server: dict[str, Any] | None = None, export: str | None = None) -> dict[str, Any]:
    """The log of a workshop; `server` (the port, join code and room display key, for picking it up again
    where phones will find it) and `export` (the handouts' folder) only in the workshop's own log, never in a
    handout."""
    scenario = workshop.scenario
    teams = []
    for team in workshop.teams:
        branches = [{"name": name, "path": [[s, c] for s, c in play.path],
                     "decisions": [decision_json(d) for d in team.decisions.get(name, [])[:len(play.steps)]]}
                    for name, play in team.session.branches.items()]
        teams.append({"name": team.name, "branch": team.session.branch, "branches": branches})
    return {
        "format": FORMAT, "version": VERSION, "id": workshop.ident,
        "scenario": {"id": scenario.id, "title": scenario.title, "digest": scenario.digest,
                     "file": _file_name(scenario)},
        "saved": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": {"tie_rule": workshop.tie_rule, "seed": workshop.seed, "mode": workshop.mode,
                     "timer": {"discussion": workshop.timer.discussion, "voting": workshop.timer.voting,
                               "bell": workshop.timer.bell},
                     "rules": workshop.rules, "hide_tally": workshop.hide_tally},
        "started": workshop.started,
        "current_team": workshop.current,
        "teams": teams,
        "open": openvote.to_json(workshop),
        "ideas": ideas.to_json(workshop.ideas),
        "predictions": predictions.to_json(workshop.predictions),
        **({"server": server} if server else {}),
        **({"export": export} if export and kept_export(export) else {}),
    }


def kept_export(folder: str) -> bool:
    """Whether a handouts' folder can be kept in a log (and so used again on --resume): text only, and no longer
    than the log's reader takes back whole."""
    return surrogate_at(folder) is None and len(folder) <= logshape.EXPORT_LIMIT


def dumps(workshop: Workshop, server: dict[str, Any] | None = None, export: str | None = None) -> str:
    return json.dumps(to_json(workshop, server, export), indent=2, ensure_ascii=False) + "\n"


def handout_json(workshop: Workshop) -> dict[str, Any]:
    """The log as it goes into the handouts: the story named by its id and title, never by a path on this
    laptop (`workshop --report` finds a built-in story by its id; name any other story's file with it), and
    without a vote still open (its phones' keys are the laptop's to keep, not the room's)."""
    data = to_json(workshop)
    data["scenario"] = {key: value for key, value in data["scenario"].items() if key != "file"}
    data["open"] = None
    data["ideas"] = ideas.to_json(workshop.ideas, shown_only=True)  # what the room was shown, never more
    return data


# -- reading a log back ---------------------------------------------------------------------------


def _need(condition: bool, why: str) -> None:
    if not condition:
        raise LogError(why)


def _int_keys(raw: dict[str, int]) -> dict[int, int]:
    return {int(key): value for key, value in raw.items()}


def decision_from(raw: dict[str, Any]) -> Decision:
    """A decision's record, from a table `logshape.check` has already read."""
    return Decision(raw["step"], raw["scene"], raw["chosen"], raw["how"], tuple(raw["options"]),
                    tuple(_int_keys(t) for t in raw["tallies"]), tuple(_int_keys(p) for p in raw["phones"]),
                    tuple(raw["tied"]), raw["rule"], raw["seed"], raw["seen"])


def scenario_for(data: dict, scenario: Scenario | None = None) -> Scenario:
    """The scenario a log was made with: given, or found by its file or its id; LogError when it cannot be."""
    head = data.get("scenario")
    _need(isinstance(head, dict) and isinstance(head.get("id"), str), "the log does not say which scenario it is")
    if scenario is not None:
        _need(scenario.id == head["id"], f"the log is for `{quote(head['id'])}`, not `{scenario.id}`")
        return scenario
    candidates: list[Path] = []
    if isinstance(head.get("file"), str):
        candidates.append(Path(head["file"]))
    try:
        candidates.append(library.find(head["id"]))
    except library.UnknownScenario:
        pass
    for path in candidates:
        result = read_scenario(path)
        if result.scenario is not None and result.scenario.id == head["id"]:
            return result.scenario
    raise MissingScenario(f"the scenario `{quote(head['id'])}` this log was made with cannot be found "
                          "(name its file with the log)")


def from_json(data: Any, scenario: Scenario | None = None) -> tuple[Workshop, list[str]]:
    """The workshop a log describes, and notes about anything that no longer fits an edited scenario.

    Every field is read by its row in game.workshop.logshape before it is used: a field of the wrong type
    or out of its range is a LogError naming it.
    """
    _need(isinstance(data, dict) and data.get("format") == FORMAT, "this is not a Second Chance workshop log")
    _need(type(data.get("version")) is int and data["version"] == VERSION,
          f"this log has format version {quote(data.get('version'))}; this game reads version {VERSION}")
    try:
        data = logshape.check(data)
    except logshape.Damaged as problem:
        raise LogError(str(problem)) from None
    scenario = scenario_for(data, scenario)
    settings = data["settings"]
    timer_raw = settings["timer"]
    timer = Timer(timer_raw["discussion"], timer_raw["voting"], timer_raw["bell"])
    raw_teams = data["teams"]
    notes: list[str] = []
    workshop = Workshop(scenario, [t["name"] for t in raw_teams], tie_rule=settings["tie_rule"],
                        seed=settings["seed"], mode=settings["mode"], timer=timer,
                        rules=settings["rules"] or GROUND_RULES, hide_tally=settings["hide_tally"])
    for team, raw in zip(workshop.teams, raw_teams, strict=True):
        plays = {}
        for i, branch in enumerate(raw["branches"]):
            where = f"team “{team.name}”, branch {i + 1}"
            play, why = fit_path(scenario, [(s, c) for s, c in branch["path"]])
            if why is not None:
                notes.append(f"{where}: the scenario has changed; kept the first {len(play.steps)} decisions ({why})")
            decisions = [decision_from(d) for d in branch["decisions"]]
            plays[branch["name"]] = play
            team.decisions[branch["name"]] = decisions[:len(play.steps)]
        current = raw["branch"] if raw["branch"] in plays else next(iter(plays))
        team.session = Session.restore(plays, current)
    workshop.current = data["current_team"]
    workshop.ident = data["id"] or logshape.fingerprint(data)
    workshop.resumed(data["started"])
    notes += openvote.restore(workshop, data["open"])
    # Ideas and predictions are checked entry by entry as they are read: a damaged one is left out with a
    # note, and the rest of the room's voice is kept (logshape leaves these two fields to their modules).
    workshop.ideas, found = ideas.from_json(data.get("ideas"), len(workshop.teams))
    notes += found
    workshop.predictions, found = predictions.from_json(data.get("predictions"), workshop.teams)
    notes += found
    return workshop, notes


def loads(text: str, scenario: Scenario | None = None) -> tuple[Workshop, list[str]]:
    try:
        data = parse_json(text, "the log")
    except ValueError as problem:
        raise LogError(str(problem)) from None
    return from_json(data, scenario)


def read(path: Path, scenario: Scenario | None = None) -> tuple[Workshop, list[str]]:
    """A workshop from a log file; LogError says why when it cannot be used (the file is left alone).

    The file is read like every file a stranger may have put there (game.storage): a regular file only,
    under MAX_BYTES, so a pipe or a device in its place is refused at once."""
    try:
        text = read_text(path, MAX_BYTES)
    except FileNotFoundError:
        raise LogError("there is no such file") from None
    except NotAFile as problem:
        raise LogError("it is a folder" if problem.folder else "it is not a regular file") from None
    except TooLarge:
        raise LogError("the file is too large to be a workshop log") from None
    except (OSError, UnicodeDecodeError) as problem:
        raise LogError(f"the log cannot be read ({quote(problem)})") from None
    return loads(text, scenario)


class LogStore:
    """The workshop's own file, written after every decision (and so on resume, picked up again)."""

    def __init__(self, workshop: Workshop, path: Path | None = None):
        self.workshop = workshop
        self.path = path or self.new_path(workshop.scenario.id)
        self.server: dict[str, Any] | None = None
        """Where the workshop's server listens and its codes, kept so a workshop picked up again is found."""
        self.export: str | None = None
        """The folder given with --export, as an absolute path, kept so a workshop picked up again writes its
        handouts there."""
        self._taken = self._written = 0
        self._lock = threading.Lock()

    @staticmethod
    def new_path(scenario_id: str, where: Path | None = None) -> Path:
        """A fresh log name: the scenario and the time, never an existing file."""
        base = where or folder()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(1000):
            candidate = safe_path(base, f"{scenario_id}-{stamp}" + (f"-{n + 1}" if n else ""), ".json")
            if not candidate.exists():
                return candidate
        raise WorkshopError("too many workshop logs started this second")  # pragma: no cover

    def save(self) -> None:
        """Write the log now (OSError is the caller's to report)."""
        self.write(self.snapshot())

    def snapshot(self) -> tuple[int, str]:
        """The log as the workshop stands now, numbered: taken where the workshop lives, written anywhere."""
        self._taken += 1
        return self._taken, dumps(self.workshop, self.server, self.export)

    def write(self, snapshot: tuple[int, str]) -> None:
        """Write a snapshot, from any thread; one older than what is on disk is dropped, so a slow write never
        puts back an earlier state over a later one (OSError is the caller's to report)."""
        number, text = snapshot
        with self._lock:
            if number > self._written:
                write_atomic(self.path, text)
                self._written = number


@attrs.frozen
class Kept:
    """What a workshop's own log keeps for picking it up where it was: where its server listened (with its
    codes) and the handouts' folder, each already checked as data; `export_note` says why a folder kept in
    the log is not used ("" when it is, or when none was kept)."""

    server: dict[str, Any] | None = None
    export: Path | None = None
    export_note: str = ""


def kept_by(path: Path, where: Path | None = None) -> Kept:
    """What a saved workshop's log keeps for picking it up (read once, by the log's own rows); nothing from a
    log that cannot be read.

    Both are data from a file: the codes and the handouts' folder are taken back only from a log in this
    computer's own folder of logs (`where`, else the game's), since a log from anywhere else may have been
    written by someone who knows the codes or wants handouts written elsewhere."""
    try:
        data = logshape.check(parse_json(read_text(path, MAX_BYTES), "the log"))
    except (OSError, ValueError, RecursionError):
        return Kept()
    own = _own(path, where)
    server = data["server"]
    if server is not None and not own:
        server = {key: value for key, value in server.items() if key not in ("code", "key")}
    return Kept(server, *_export(data["export"], own))


def _own(path: Path, where: Path | None = None) -> bool:
    """True when `path` is in this computer's own folder of logs (`where`, else the game's)."""
    try:
        return path.resolve().parent == (where or folder()).resolve()
    except OSError:
        return False


def _export(text: Any, own: bool) -> tuple[Path | None, str]:
    """The handouts' folder a log kept, if it may be used: only from the game's own logs, and only as an
    absolute path of plain text with no `..`, naming a folder or nothing yet; else None and why."""
    if not text:
        return None, ""
    if not own:
        return None, "This log is not in the game's own folder of logs, so the handouts' folder it names is not used."
    if text is logshape.TOO_LONG:
        return None, (f"The handouts' folder kept in the log is longer than {logshape.EXPORT_LIMIT:,} characters, "
                      "so it is not used.")
    kept = Path(text)
    if (printable(text) != text or surrogate_at(text) is not None or not kept.is_absolute()
            or ".." in kept.parts):
        return None, "The handouts' folder kept in the log is not a plain absolute path, so it is not used."
    try:
        usable = not os.path.lexists(kept) or kept.is_dir()
    except (OSError, ValueError):
        usable = False
    if not usable:
        return None, f"The handouts' folder kept in the log, {quote(text, PATH_LIMIT)}, is not a folder now."
    return kept, ""


def saved_time(path: Path) -> time.struct_time | None:
    """When a log was last saved (its own record, else the file's time), so a rebuilt handout keeps its date."""
    try:
        data = parse_json(read_text(path, MAX_BYTES), "the log")
        return time.strptime(str(data.get("saved", ""))[:19], "%Y-%m-%dT%H:%M:%S")
    except (OSError, ValueError, RecursionError, AttributeError, OverflowError):
        try:
            return time.localtime(path.stat().st_mtime)
        except (OSError, ValueError, OverflowError):
            return None


def latest(scenario_id: str | None = None, where: Path | None = None) -> Path | None:
    """The most recently saved workshop log (of one scenario, if given), or None."""
    base = where or folder()
    try:
        logs = [p for p in base.glob("*.json") if p.is_file() and ".unreadable-" not in p.name]
    except OSError:
        return None
    if scenario_id is not None:
        logs = [p for p in logs if p.name.startswith(f"{scenario_id}-")]
    return max(logs, key=lambda p: p.stat().st_mtime, default=None)


def resume(path: Path, scenario: Scenario | None = None,
           where: Path | None = None) -> tuple[Workshop | None, list[str], str | None]:
    """A saved workshop to go on with, with notes; or None and why.

    A damaged log in the game's own folder of logs (`where`, else the game's) is set aside, so `--resume`
    does not fall over it again; one the facilitator named anywhere else (a stick, a colleague's) is theirs,
    and is left where it is, as `--report` leaves it. The sentence names the log by its file name only: it
    is shown on a screen the room may see.
    """
    try:
        workshop, notes = read(path, scenario)
        return workshop, notes, None
    except MissingScenario as problem:
        return None, [], f"The workshop log {path.name} cannot be picked up again yet: {problem}."
    except LogError as problem:
        why = str(problem)
    except Exception as error:  # noqa: BLE001 - a log this game fails on is set aside too, never tried again
        kept_log = crash.write_log(error)
        why = "the game failed on it" + (f" (the details are in {kept_log.name})" if kept_log else "")
    if not _own(path, where):
        return None, [], f"The workshop log {path.name} could not be picked up again: {why}; it was left where it is."
    kept = set_aside(path) if present(path) else None
    said = f"; it was kept as {kept.name}" if kept else ""
    return None, [], f"The workshop log {path.name} could not be picked up again: {why}{said}."
