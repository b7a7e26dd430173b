"""Figures for the authoring tools (printed, never asserted: machines are noisy).

    python benchmarks/bench_authoring.py [--quick]

Runs from compiled bytecode, as an installed game does (see benchmarks/compiled.py),
and prints each figure beside a baseline measured in the same run:

1. Deep checks of all the built-in scenarios together, against loading them
   (aim: under 0.4 s together), with the states each explores.
2. Deep checks of a generated 2,000-scene scenario (aim: under 5 s, every state
   explored), against loading it; the findings are counted by code and hashed,
   so two runs (before and after a change) can be compared.
3. Building the simulator for 1,000 and 10,000 scenes (aim: linear, a ratio near 10).
4. 10,000 seeded random plays of each built-in scenario.
5. A hostile file (meters from -1000 to 1000, 400 self-looping choices with long
   conditions): `validate` and `simulate --runs 50` as commands, each stopped after
   60 s if it has not finished (aim: the default budget ends them in a few seconds).
"""

from __future__ import annotations

import gc
import hashlib
import inspect
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import compiled

if __name__ == "__main__" and (code := compiled.relaunch(__file__)) is not None:
    sys.exit(code)

sys.path.insert(0, str(compiled.ROOT))

from game import library  # noqa: E402
from game.analysis.checks import deep_check  # noqa: E402
from game.analysis.simulate import Simulator, simulate  # noqa: E402
from game.loader import load_scenario, load_text, read_scenario  # noqa: E402
from tests.helpers import hostile  # noqa: E402


def generated(scenes: int = 2_000, width: int = 10, seed: int = 1) -> str:
    """A layered story: `scenes` scenes in rows of `width`, two or three choices each, meters and flags moving."""
    rng = random.Random(seed)
    rows = scenes // width
    out = ['[scenario]\nid = "generated"\ntitle = "Generated"\nsummary = "A large generated story."\n'
           'start = "s0_0"\n\n[flags]\nbrave = "You were brave once."\nslipped = "You slipped once."\n']
    for row in range(rows):
        for col in range(width):
            out.append(f'[scenes.s{row}_{col}]\ntext = "Scene {row}.{col}."\n')
            if col % 7 == 0:
                out.append('variants = [{ if = "trust >= 7", text = "A brighter version." }]\n')
            for k in range(2 + (col % 2)):
                target = f"s{row + 1}_{rng.randrange(width)}" if row + 1 < rows else "@ending"
                meter = rng.choice(["trust", "self_esteem"])
                out.append(f'[[scenes.s{row}_{col}.choices]]\ntext = "Option {k + 1}."\ngoto = "{target}"\n'
                           f'effects = {{ {meter} = {rng.choice([-1, 1])} }}\n')
                if k == 2:
                    out.append('if = "self_esteem >= 4 or brave"\n')
                if rng.random() < 0.02:
                    out.append(f'set = ["{rng.choice(["brave", "slipped"])}"]\n')
    out.append('[endings.bright]\ntitle = "Bright"\ntone = "hopeful"\nwhen = "self_esteem >= 7"\ntext = "x"\n'
               '[endings.cold]\ntitle = "Cold"\ntone = "hard"\nwhen = "trust <= 2"\ntext = "y"\n'
               '[endings.open]\ntitle = "Open"\ntone = "bittersweet"\ntext = "z"\n')
    return "".join(out)


ROOMY = {}
"""Keyword arguments for a deep check allowed to run to the end (a budget, where the code has one)."""
if "budget" in inspect.signature(deep_check).parameters:
    from game.analysis.budget import Budget  # noqa: E402

    ROOMY = {"budget": Budget(seconds=600, states=5_000_000, work=10**12)}


def deep(scenario, **kw):
    if "budget" in ROOMY:
        kw["budget"] = ROOMY["budget"].fresh()
    return deep_check(scenario, **kw)


def best_of(runs: int, fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return min(times), result


def fingerprint(found) -> tuple[str, str]:
    """Findings by code, and a short hash of (code, line, column) that ignores wording."""
    codes = Counter(d.code for d in found)
    places = sorted((d.code, d.line, d.column) for d in found)
    digest = hashlib.sha256(repr(places).encode()).hexdigest()[:12]
    return ", ".join(f"{c} x{n}" for c, n in sorted(codes.items())) or "none", digest


def bench_builtin(runs: int) -> None:
    paths = library.builtin_scenarios()
    load, scenarios = best_of(runs, lambda: [load_scenario(p) for p in paths])
    checked, results = best_of(runs, lambda: [deep(s) for s in scenarios])
    print("1. Deep checks of the built-in scenarios together")
    for path, (found, walk) in zip(paths, results, strict=True):
        print(f"   {path.stem:<16} {walk.states:>8,} states  {'exhaustive' if walk.exhaustive else 'partial'}  "
              f"{len(found)} findings")
    print(f"   load all {len(paths)}:         {load * 1000:8.1f} ms (baseline)")
    print(f"   deep-check all {len(paths)}:   {checked * 1000:8.1f} ms (best of {runs}; aim < 400 ms)")
    print(f"   ratio deep / load:    {checked / load:8.2f}")


def bench_generated() -> None:
    text = generated()
    load, scenario = best_of(1, lambda: load_text(text, "generated.toml"))
    took, (found, walk) = best_of(1, lambda: deep(scenario, source=text, file="generated.toml"))
    codes, digest = fingerprint(found)
    how = "every reachable state" if walk.exhaustive else f"partial, then {walk.samples:,} sampled plays"
    print(f"\n2. Generated scenario: {len(scenario.scenes):,} scenes, {scenario.choice_count():,} choices")
    print(f"   load:        {load:6.2f} s (baseline)")
    print(f"   deep checks: {took:6.2f} s (aim < 5 s), {walk.states:,} states ({how})")
    print(f"   ratio deep / load: {took / load:.1f}")
    print(f"   findings: {codes}; places hash {digest}")


def bench_simulator_build(runs: int) -> None:
    sizes = (1_000, 10_000)
    built = {}
    for scenes in sizes:
        scenario = read_scenario_text(generated(scenes))
        built[scenes], _ = best_of(runs, lambda s=scenario: Simulator(s))
    print("\n3. Building the simulator")
    for scenes in sizes:
        print(f"   {scenes:>6,} scenes: {built[scenes] * 1000:8.1f} ms")
    print(f"   ratio 10,000 / 1,000: {built[10_000] / built[1_000]:.1f} (linear is 10)")


def read_scenario_text(text: str):
    folder = Path(tempfile.mkdtemp())
    path = folder / "generated.toml"
    path.write_text(text, encoding="utf-8")
    result = read_scenario(path)
    assert result.scenario is not None
    return result.scenario


def bench_simulate() -> None:
    print("\n4. 10,000 random plays per built-in scenario (seed 1)")
    for path in library.builtin_scenarios():
        scenario = load_scenario(path)
        took, report = best_of(1, lambda s=scenario: simulate(s, runs=10_000, seed=1))
        print(f"   {path.stem:<16} {len(scenario.scenes):>3} scenes  {took:6.3f} s  "
              f"({sum(1 for n in report.endings.values() if n)} endings reached)")


def bench_hostile(limit: float = 60) -> None:
    folder = Path(tempfile.mkdtemp())
    path = folder / "hostile.toml"
    path.write_text(hostile(), encoding="utf-8")
    print(f"\n5. Hostile file ({path.stat().st_size // 1024} KiB)")
    for label, args in (("validate", ["validate", str(path)]),
                        ("simulate --runs 50", ["simulate", str(path), "--runs", "50"])):
        began = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True,
                                  timeout=limit, cwd=compiled.ROOT)
            took = time.perf_counter() - began
            last = (done.stdout.strip().splitlines() or [""])[-1][:90]
            partial = "SC190" in done.stdout or "partial" in done.stdout
            print(f"   {label:<20} {took:6.2f} s  exit {done.returncode}  {'partial' if partial else ''}  {last}")
        except subprocess.TimeoutExpired:
            print(f"   {label:<20} > {limit:.0f} s (stopped)")


def main() -> None:
    quick = "--quick" in sys.argv
    print(compiled.header())
    bench_builtin(3 if quick else 5)
    bench_generated()
    bench_simulator_build(1 if quick else 3)
    if not quick:
        bench_simulate()
    bench_hostile(20 if quick else 60)


if __name__ == "__main__":
    main()
