"""The workshop's log: every decision, vote count, tie rule applied, branch and skip, with a schema version;
the questions put to the room with every idea and its state, and the room's predictions.

It is written after every decision, so a session survives the laptop going
to sleep or the app closing, and `workshop --resume` picks it up again. It is
also where handouts come from (`workshop --report LOG.json`). It holds no
personal data: teams are labels the facilitator typed, phone ballots are
counts, an idea is its words and whether the room was shown it (never which
phone sent it), and nothing else about anyone is kept.

A log that cannot be read is set aside (never deleted) with a message.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from game import library, paths
from game.engine import fit_path
from game.loader import read_scenario
from game.model import Scenario
from game.safetext import quote
from game.session import Session
from game.storage import safe_path, set_aside, write_atomic
from game.workshop import ideas, predictions
from game.workshop.room import GROUND_RULES, Workshop
from game.workshop.teams import MODES, Decision, WorkshopError
from game.workshop.timer import Timer
from game.workshop.votes import TIE_RULES

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
        "seed": decision.seed,
    }


def to_json(workshop: Workshop) -> dict[str, Any]:
    scenario = workshop.scenario
    teams = []
    for team in workshop.teams:
        branches = [{"name": name, "path": [[s, c] for s, c in play.path],
                     "decisions": [decision_json(d) for d in team.decisions.get(name, [])[:len(play.steps)]]}
                    for name, play in team.session.branches.items()]
        teams.append({"name": team.name, "branch": team.session.branch, "branches": branches})
    return {
        "format": FORMAT, "version": VERSION,
        "scenario": {"id": scenario.id, "title": scenario.title, "digest": scenario.digest,
                     "file": str(scenario.path) if scenario.path else None},
        "saved": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": {"tie_rule": workshop.tie_rule, "seed": workshop.seed, "mode": workshop.mode,
                     "timer": {"discussion": workshop.timer.discussion, "voting": workshop.timer.voting,
                               "bell": workshop.timer.bell},
                     "rules": workshop.rules, "hide_tally": workshop.hide_tally},
        "started": workshop.started,
        "current_team": workshop.current,
        "teams": teams,
        "ideas": ideas.to_json(workshop.ideas),
        "predictions": predictions.to_json(workshop.predictions),
    }


def dumps(workshop: Workshop) -> str:
    return json.dumps(to_json(workshop), indent=2, ensure_ascii=False) + "\n"


def handout_json(workshop: Workshop) -> dict[str, Any]:
    """The log as it goes into the handouts: the story named by its id and title, never by a path on this
    laptop (`workshop --report` finds a built-in story by its id; name any other story's file with it)."""
    data = to_json(workshop)
    data["scenario"] = {key: value for key, value in data["scenario"].items() if key != "file"}
    data["ideas"] = ideas.to_json(workshop.ideas, shown_only=True)  # what the room was shown, never more
    return data


# -- reading a log back ---------------------------------------------------------------------------


def _need(condition: bool, why: str) -> None:
    if not condition:
        raise LogError(why)


def _int_keys(raw: Any, where: str) -> dict[int, int]:
    _need(isinstance(raw, dict), f"{where} is not a table of counts")
    out = {}
    for key, value in raw.items():
        _need(isinstance(key, str) and key.isdigit() and len(key) < 6, f"{where} names an option oddly")
        _need(isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10_000_000,
              f"{where} has a count that is not a whole number")
        out[int(key)] = value
    return out


def _ints(raw: Any, where: str) -> tuple[int, ...]:
    _need(isinstance(raw, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in raw),
          f"{where} is not a list of whole numbers")
    return tuple(raw)


def decision_from(raw: Any, where: str) -> Decision:
    _need(isinstance(raw, dict), f"{where} is not a table")
    step, chosen = raw.get("step"), raw.get("chosen")
    _need(isinstance(step, int) and isinstance(chosen, int), f"{where} has no step or choice")
    seed = raw.get("seed")
    _need(seed is None or isinstance(seed, int), f"{where} has an odd seed")
    for key in ("scene", "how", "rule"):
        _need(isinstance(raw.get(key, ""), str), f"{where} has an odd `{key}`")
    tallies = raw.get("tallies", [])
    phones = raw.get("phones", [])
    _need(isinstance(tallies, list) and isinstance(phones, list), f"{where} has odd tallies")
    return Decision(step, raw.get("scene", ""), chosen, raw.get("how", ""), _ints(raw.get("options", []), where),
                    tuple(_int_keys(t, where) for t in tallies), tuple(_int_keys(p, where) for p in phones),
                    _ints(raw.get("tied", []), where), raw.get("rule", ""), seed)


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
    """The workshop a log describes, and notes about anything that no longer fits an edited scenario."""
    _need(isinstance(data, dict) and data.get("format") == FORMAT, "this is not a Second Chance workshop log")
    _need(data.get("version") == VERSION,
          f"this log has format version {quote(data.get('version'))}; this game reads version {VERSION}")
    scenario = scenario_for(data, scenario)
    settings = data.get("settings", {})
    _need(isinstance(settings, dict), "the log's settings are not a table")
    rule, mode = settings.get("tie_rule", "facilitator"), settings.get("mode", "turns")
    _need(rule in TIE_RULES and mode in MODES, "the log's tie rule or turn order is not one this game knows")
    timer_raw = settings.get("timer", {})
    _need(isinstance(timer_raw, dict), "the log's timer is not a table")
    timer = Timer(int(timer_raw.get("discussion", 0) or 0), int(timer_raw.get("voting", 0) or 0),
                  bool(timer_raw.get("bell", False)))
    rules = settings.get("rules", "")
    seed = settings.get("seed")
    _need(isinstance(rules, str) and (seed is None or isinstance(seed, int)), "the log's settings are damaged")
    raw_teams = data.get("teams")
    _need(isinstance(raw_teams, list) and 1 <= len(raw_teams) <= 12, "the log has no teams")
    notes: list[str] = []
    workshop = Workshop(scenario, [str(t.get("name", "")) if isinstance(t, dict) else "" for t in raw_teams],
                        tie_rule=rule, seed=seed, mode=mode, timer=timer, rules=rules or GROUND_RULES,
                        hide_tally=bool(settings.get("hide_tally", True)))
    for team, raw in zip(workshop.teams, raw_teams, strict=True):
        _need(isinstance(raw, dict) and isinstance(raw.get("branches"), list) and raw["branches"],
              f"team “{team.name}” has no branches")
        plays = {}
        for i, branch in enumerate(raw["branches"]):
            where = f"team “{team.name}”, branch {i + 1}"
            _need(isinstance(branch, dict) and isinstance(branch.get("name"), str), f"{where} has no name")
            path = branch.get("path")
            _need(isinstance(path, list) and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str)
                                                 and isinstance(p[1], int) for p in path), f"{where} has no path")
            play, why = fit_path(scenario, [(s, c) for s, c in path])
            if why is not None:
                notes.append(f"{where}: the scenario has changed; kept the first {len(play.steps)} decisions ({why})")
            decisions = [decision_from(d, f"{where}, decision {n}") for n, d in
                         enumerate(branch.get("decisions", []), 1)]
            plays[branch["name"]] = play
            team.decisions[branch["name"]] = decisions[:len(play.steps)]
        current = raw.get("branch") if raw.get("branch") in plays else next(iter(plays))
        team.session = Session.restore(plays, current)
    workshop.ideas, found = ideas.from_json(data.get("ideas"), len(workshop.teams))
    notes += found
    workshop.predictions, found = predictions.from_json(data.get("predictions"), workshop.teams)
    notes += found
    index = data.get("current_team", 0)
    workshop.current = index if isinstance(index, int) and 0 <= index < len(workshop.teams) else 0
    workshop.resumed(bool(data.get("started", True)))
    return workshop, notes


def loads(text: str, scenario: Scenario | None = None) -> tuple[Workshop, list[str]]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as problem:
        raise LogError(f"the log is not valid JSON ({problem})") from None
    return from_json(data, scenario)


def read(path: Path, scenario: Scenario | None = None) -> tuple[Workshop, list[str]]:
    """A workshop from a log file; LogError says why when it cannot be used (the file is left alone)."""
    try:
        if not path.is_file():
            raise LogError("there is no such file" if not path.exists() else "it is not a regular file")
        if path.stat().st_size > MAX_BYTES:
            raise LogError("the file is too large to be a workshop log")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise LogError(f"the log cannot be read ({problem})") from None
    return loads(text, scenario)


class LogStore:
    """The workshop's own file, written after every decision (and so on resume, picked up again)."""

    def __init__(self, workshop: Workshop, path: Path | None = None):
        self.workshop = workshop
        self.path = path or self.new_path(workshop.scenario.id)

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
        write_atomic(self.path, dumps(self.workshop))


def saved_time(path: Path) -> time.struct_time | None:
    """When a log was last saved (its own record, else the file's time), so a rebuilt handout keeps its date."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return time.strptime(str(data.get("saved", ""))[:19], "%Y-%m-%dT%H:%M:%S")
    except (OSError, ValueError, UnicodeDecodeError, RecursionError, AttributeError):
        try:
            return time.localtime(path.stat().st_mtime)
        except OSError:
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


def resume(path: Path, scenario: Scenario | None = None) -> tuple[Workshop | None, list[str], str | None]:
    """A saved workshop to go on with, with notes; or None and why, the damaged log set aside."""
    try:
        workshop, notes = read(path, scenario)
        return workshop, notes, None
    except MissingScenario as problem:
        return None, [], f"The workshop log {path.name} cannot be picked up again yet: {problem}."
    except LogError as problem:
        kept = set_aside(path) if path.is_file() else None
        where = f"; it was kept as {kept}" if kept else ""
        return None, [], f"The workshop log {path.name} could not be picked up again: {problem}{where}."
