"""Figures for the authoring tools (printed, not asserted).

    /work/venv/bin/python benchmarks/bench_authoring.py

1. 10,000 seeded random plays of each built-in scenario (aim: under a second each).
2. Deep validation of each built-in scenario: time and states explored.
3. Deep validation of a generated 2,000-scene scenario: time and states explored.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game import (
    library,  # noqa: E402
)
from game.analysis import deep_check  # noqa: E402
from game.analysis.simulate import simulate  # noqa: E402
from game.loader import load_scenario, load_text  # noqa: E402


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


def main() -> None:
    print("10,000 random plays per built-in scenario (seed 1):")
    for path in library.builtin_scenarios():
        scenario = load_scenario(path)
        report = simulate(scenario, runs=10_000, seed=1)
        print(f"  {path.stem:<16} {len(scenario.scenes):>3} scenes  {report.seconds:6.3f} s  "
              f"({len(report.endings)} endings reached)")
    print("\nDeep validation of the built-in scenarios:")
    for path in library.builtin_scenarios():
        scenario = load_scenario(path)
        began = time.perf_counter()
        found, walk = deep_check(scenario)
        print(f"  {path.stem:<16} {time.perf_counter() - began:6.3f} s  {walk.states:>8,} states"
              f"  {'exhaustive' if walk.exhaustive else 'sampled'}  {len(found)} findings")
    text = generated()
    began = time.perf_counter()
    scenario = load_text(text, "generated.toml")
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    found, walk = deep_check(scenario, source=text, file="generated.toml")
    took = time.perf_counter() - began
    how = "every reachable state" if walk.exhaustive else f"cap reached, then {walk.samples:,} sampled plays"
    print(f"\nGenerated scenario: {len(scenario.scenes):,} scenes, {scenario.choice_count():,} choices "
          f"(loaded in {loaded:.2f} s)")
    print(f"  deep validation: {took:.2f} s, {walk.states:,} states explored ({how}), {len(found)} findings")
    report = simulate(scenario, runs=10_000, seed=1)
    print(f"  10,000 random plays: {report.seconds:.2f} s")


if __name__ == "__main__":
    main()
