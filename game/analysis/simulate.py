"""Seeded random play-tests: thousands of plays a second, identical to the engine's rules.

The engine builds a new immutable State for every step, which is right for
play (undo, saves, side-by-side branches) but slow for ten thousand plays. The
simulator keeps one mutable set of meters, flags and visits per play and
precomputes each scene's choices, following exactly the rules of
`game.engine.options` and `apply_choice` (tests replay simulated paths through
the engine and compare). The same seed always gives the same report, byte for
byte (the time a run took is not part of it).

Every batch runs on a Budget (game.analysis.budget), so no file can keep it
busy for long: a batch the budget stops says so, and its report counts only the
plays that finished.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter

import attrs

from game.analysis.budget import Budget
from game.analysis.conditions import node_size
from game.analysis.machine import paused_gc
from game.analysis.numbering import choice_in, quoted
from game.analysis.personas import PERSONAS, scorer
from game.expr import Env
from game.model import AUTO_ENDING, Scenario

MAX_STEPS = 1_000
"""A play is stopped after this many steps, or one more than the story has scenes if that is more, and counted
as going round in circles: a play that long has come back to a scene it left, so it did go round."""


def step_limit(scenario: Scenario) -> int:
    """How many steps a simulated play may take (a story of 5,000 scenes in a line is played to its end)."""
    return max(MAX_STEPS, len(scenario.scenes) + 1)


@attrs.define
class Report:
    """What a batch of plays found; `to_json` and `format` present it.

    `runs` is how many plays were asked for and `plays` how many finished
    before the budget ran out (`stopped` says which limit, if one did).
    `seconds` is how long the batch took; it is kept out of the report, so two
    reports from one seed are identical.
    """

    scenario: Scenario
    runs: int
    seed: int
    persona: str
    seconds: float = 0.0
    plays: int = 0
    stopped: str = ""
    why: str = ""
    endings: Counter = attrs.field(factory=Counter)
    stuck: Counter = attrs.field(factory=Counter)
    circling: int = 0
    scenes: Counter = attrs.field(factory=Counter)
    choices: Counter = attrs.field(factory=Counter)
    finals: dict[str, list[int]] = attrs.field(factory=dict)
    ignored: Counter = attrs.field(factory=Counter)
    ignored_runs: Counter = attrs.field(factory=Counter)
    followed: Counter = attrs.field(factory=Counter)
    steps: list[int] = attrs.field(factory=list)

    def never_visited(self) -> list[str]:
        return [s for s in self.scenario.scenes if not self.scenes[s]]

    def never_taken(self) -> list[tuple[str, int, str]]:
        return [(s.id, c.index, c.text) for s in self.scenario.scenes.values() for c in s.choices
                if not self.choices[(s.id, c.index)]]

    def most_ignored(self) -> list[tuple[str, int, int]]:
        """(advice, times ignored, plays that ignored it), the largest share of plays first."""
        return sorted(((a, n, self.ignored_runs[a]) for a, n in self.ignored.items()),
                      key=lambda item: (-item[2], -item[1], item[0]))

    def spread(self, meter: str) -> dict[str, float]:
        values = sorted(self.finals[meter])
        if not values:
            return {}
        quart = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
        return {"min": values[0], "p25": quart[0], "median": quart[1], "p75": quart[2], "max": values[-1],
                "mean": round(statistics.fmean(values), 2)}

    def histogram(self, meter: str) -> dict[int, int]:
        return dict(sorted(Counter(self.finals[meter]).items()))

    def to_json(self) -> dict:
        s = self.scenario
        plays = self.plays or 1
        return {
            "scenario": s.id, "runs": self.runs, "plays": self.plays, "seed": self.seed, "persona": self.persona,
            "partial": {"stopped": self.stopped, "why": self.why} if self.stopped else None,
            "endings": {e.id: {"count": self.endings[e.id], "share": self.endings[e.id] / plays,
                               "tone": e.tone, "outcome": e.outcome, "title": e.title}
                        for e in s.endings.values()},
            "stuck": dict(self.stuck), "circling": self.circling,
            "scenes_never_visited": self.never_visited(),
            "choices_never_taken": [{"scene": sid, "choice": i + 1, "text": t} for sid, i, t in self.never_taken()],
            "scene_coverage": _share(len(s.scenes) - len(self.never_visited()), len(s.scenes)),
            "choice_coverage": _share(s.choice_count() - len(self.never_taken()), s.choice_count()),
            "meters": {m: {"spread": self.spread(m), "histogram": {str(k): v for k, v in self.histogram(m).items()}}
                       for m in self.finals},
            "advice_ignored": [{"advice": a, "times": n, "plays": p, "share_of_plays": p / plays}
                               for a, n, p in self.most_ignored()],
            "advice_followed": [{"advice": a, "times": n}
                                for a, n in sorted(self.followed.items(), key=lambda item: (-item[1], item[0]))],
            "mean_steps": round(statistics.fmean(self.steps), 2) if self.steps else 0,
        }

    def format(self, top: int = 5) -> str:
        s = self.scenario
        plays = self.plays or 1
        lines = [f"{s.title} ({s.id}): {self.plays:,} plays, seed {self.seed}, {PERSONAS[self.persona]}"]
        if self.persona != "random":
            lines.append("(A persona is a leaning, not a proof: `validate` checks the game's promises over every "
                         "play.)")
        if self.stopped:
            lines.append(f"Stopped after {self.plays:,} of {self.runs:,} plays ({self.why}): results are partial; "
                         "`--budget SECONDS` raises the limit.")
        lines += ["", "Endings:"]
        width = max((len(e) for e in s.endings), default=0)
        for ending in sorted(s.endings.values(), key=lambda e: -self.endings[e.id]):
            n = self.endings[ending.id]
            lines.append(f"  {ending.id:<{width}}  {n:>7,}  {100 * n / plays:5.1f}%  {ending.tone}, "
                         f"{ending.outcome}")
        for scene, n in sorted(self.stuck.items()):
            lines.append(f"  stuck in `{scene}`: {n:,} plays (a dead end)")
        if self.circling:
            lines.append(f"  going round in circles: {self.circling:,} plays stopped after "
                         f"{step_limit(self.scenario):,} steps")
        scenes, choices = len(s.scenes), s.choice_count()
        lines += ["", f"Scenes visited: {scenes - len(self.never_visited())} of {scenes}"
                  + (f"; never: {', '.join(self.never_visited())}" if self.never_visited() else "")]
        lines.append(f"Choices taken: {choices - len(self.never_taken())} of {choices}")
        for scene_id, index, text in self.never_taken():
            lines.append(f"  never taken: {choice_in(scene_id, index)}, {quoted(text, 50)}")
        lines += ["", "Final meters (min / 25% / median / 75% / max, mean):"]
        for meter in self.finals:
            sp = self.spread(meter)
            if not sp:
                lines.append(f"  {meter:<12} (no play finished)")
                continue
            lines.append(f"  {meter:<12} {sp['min']:g} / {sp['p25']:g} / {sp['median']:g} / {sp['p75']:g} / "
                         f"{sp['max']:g}, mean {sp['mean']:g}")
        lines += ["", "Advice most often ignored (share of plays):"]
        if not self.ignored:
            lines.append("  none")
        for advice_id, n, runs in self.most_ignored()[:top]:
            title = s.advice[advice_id].title if advice_id in s.advice else advice_id
            lines.append(f"  {advice_id}: ignored in {100 * runs / plays:.1f}% of plays ({n:,} times) - {title}")
        return "\n".join(lines)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


class Simulator:
    """Precomputed choices for one scenario and persona; `run` plays once, `batch` many times.

    Each choice becomes a plain tuple with a number (`gid`) so the hot loop
    counts with list indexing, and conditions are called through their
    compiled test directly. Building it takes time in proportion to the story.
    """

    def __init__(self, scenario: Scenario, persona: str = "random"):
        if persona not in PERSONAS:
            raise ValueError(f"unknown persona `{persona}`; choose one of {', '.join(PERSONAS)}")
        self.scenario = scenario
        self.persona = persona
        self.steps = step_limit(scenario)
        with paused_gc():
            self._build(scenario, persona)

    def _build(self, scenario: Scenario, persona: str) -> None:
        score = scorer(scenario, persona)
        ranges = {m.id: (m.min, m.max) for m in scenario.meters}
        self.start = {m.id: m.start for m in scenario.meters}
        self.endings = [(e.id, e.when.test if e.when else None) for e in scenario.endings.values()]
        self.table: dict[str, list[tuple]] = {}
        self.cost: dict[str, int] = {}
        self.keys: list[tuple[str, int]] = []
        self.ignores: list[tuple[str, ...]] = []
        self.follows: list[tuple[str, ...]] = []
        for scene in scenario.scenes.values():
            row = []
            cost = 0
            for c in scene.choices:
                gid = len(self.keys)
                self.keys.append((scene.id, c.index))
                self.ignores.append(c.ignores)
                self.follows.append(c.follows)
                row.append((gid, c.index, c.condition.test if c.condition else None, c.once,
                            tuple((m, d, *ranges[m]) for m, d in c.effects),
                            frozenset(c.set_flags), frozenset(c.clear_flags), c.goto, score(c),
                            frozenset(a for a in c.follows if scenario.advice[a].manipulative)))
                cost += 1 + (node_size(c.condition.node) if c.condition else 0)
            self.table[scene.id] = row
            self.cost[scene.id] = cost

    def run(self, rng: random.Random, path: list[int], budget: Budget | None = None
            ) -> tuple[str | None, dict[str, int], dict[str, int]]:
        """One play, appending each choice's gid to `path`.

        Returns where it stopped ("" when it went round too long, None when the
        budget ran out during the play), the final meters and the visit
        counts. Follows `game.engine.options` and `apply_choice` rule for rule.
        """
        endings = self.scenario.endings
        table = self.table
        cost = self.cost
        meters = dict(self.start)
        flags: set[str] = set()
        at = self.scenario.start
        visits = {at: 1}
        taken: set[tuple[str, int]] = set()
        tactics: set[str] = set()
        env = Env(meters, flags, visits, tactics)
        uniform = self.persona == "random"
        random_ = rng.random
        spent = 0
        allowance = budget.allowance() if budget is not None else 1 << 62
        for _ in range(self.steps):
            if at in endings:
                break
            spent += cost[at]
            if spent >= allowance and budget is not None:
                if not budget.charge(spent):
                    return None, meters, visits
                spent = 0
                allowance = budget.allowance()
            open_ = [c for c in table[at] if (c[2] is None or c[2](env)) and not (c[3] and (at, c[1]) in taken)]
            count = len(open_)
            if not count:
                break
            if count == 1:
                choice = open_[0]
            elif uniform:
                choice = open_[int(random_() * count)]
            else:
                top = max(c[8] for c in open_)
                leaders = [c for c in open_ if c[8] == top]
                choice = leaders[int(random_() * len(leaders))] if len(leaders) > 1 else leaders[0]
            gid, index, _, once, effects, set_flags, clear_flags, target, _, used = choice
            path.append(gid)
            for meter, delta, low, high in effects:
                value = meters[meter] + delta
                meters[meter] = low if value < low else high if value > high else value
            if set_flags:
                flags |= set_flags
            if clear_flags:
                flags -= clear_flags
            if once:
                taken.add((at, index))
            if used:
                tactics |= used
            if target == AUTO_ENDING:
                target = next(eid for eid, when in self.endings if when is None or when(env))
            visits[target] = visits.get(target, 0) + 1
            at = target
        else:
            at = ""
        if budget is not None and not budget.charge(spent):
            return None, meters, visits
        return at, meters, visits

    def batch(self, runs: int, seed: int, budget: Budget | None = None) -> Report:
        """`runs` plays from one seed; the report is the same every time for the same inputs.

        The budget (a default one when not given) may stop the batch early;
        the report then counts the plays that finished and says why it stopped.
        """
        budget = budget if budget is not None else Budget()
        budget.start()
        rng = random.Random(seed)
        report = Report(self.scenario, runs, seed, self.persona)
        finals = report.finals = {m: [] for m in self.start}
        endings = self.scenario.endings
        taken_counts = [0] * len(self.keys)
        ignores = self.ignores
        began = time.perf_counter()
        for _ in range(runs):
            path: list[int] = []
            where, meters, visits = self.run(rng, path, budget)
            if where is None:
                report.stopped = budget.stopped
                report.why = budget.why()
                break
            report.plays += 1
            if where in endings:
                report.endings[where] += 1
            elif where:
                report.stuck[where] += 1
            else:
                report.circling += 1
            for meter, value in meters.items():
                finals[meter].append(value)
            report.scenes.update(visits.keys())
            seen_ignored: set[str] = set()
            for gid in path:
                taken_counts[gid] += 1
                if ignores[gid]:
                    seen_ignored.update(ignores[gid])
            report.ignored_runs.update(seen_ignored)
            report.steps.append(len(path))
        for gid, n in enumerate(taken_counts):
            if n:
                report.choices[self.keys[gid]] = n
                for advice_id in ignores[gid]:
                    report.ignored[advice_id] += n
                for advice_id in self.follows[gid]:
                    report.followed[advice_id] += n
        report.seconds = time.perf_counter() - began
        return report


def simulate(scenario: Scenario, runs: int = 10_000, seed: int = 1, persona: str = "random",
             budget: Budget | None = None) -> Report:
    """Play a scenario `runs` times at random (or leaning as `persona` does) and report what happened."""
    return Simulator(scenario, persona).batch(runs, seed, budget)


def simulated_path(scenario: Scenario, seed: int, persona: str = "random") -> tuple[str, dict[str, int], list]:
    """One simulated play as (scene, choice index) pairs, for comparing with the engine's replay."""
    simulator = Simulator(scenario, persona)
    path: list[int] = []
    where, meters, _ = simulator.run(random.Random(seed), path)
    return where, dict(meters), [simulator.keys[gid] for gid in path]
