"""How fast scenarios load and validate, and how that grows with size.

Prints figures and ratios measured in the same run; never pass/fail, because
machines are noisy. Run: python benchmarks/bench_load.py

Everything runs from compiled bytecode, as an installed game does: the script
compiles the game into a temporary folder and runs itself again from there
(benchmarks/compiled.py), and the commands it times read the same bytecode.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import compiled

if __name__ == "__main__" and (code := compiled.relaunch(__file__)) is not None:
    sys.exit(code)

sys.path.insert(0, str(compiled.ROOT))

from game.loader import read_scenario  # noqa: E402


def generate(scenes: int) -> str:
    """A chain of scenes with two choices each, conditions, effects, flags and meter-driven endings."""
    out = [
        "[scenario]",
        f'id = "bench-{scenes}"',
        'title = "Benchmark"',
        'summary = "Generated."',
        'start = "s0"',
        "[flags]",
        'f = "A flag."',
    ]
    for i in range(scenes):
        nxt = f"s{i + 1}" if i + 1 < scenes else "@ending"
        skip = f"s{i + 2}" if i + 2 < scenes else "@ending"
        out += [
            f"[scenes.s{i}]",
            f'text = "Scene {i}."',
            f'variants = [{{ if = "trust >= {i % 10}", text = "Warmer {i}." }}]',
            f"[[scenes.s{i}.choices]]",
            'text = "On."',
            f'goto = "{nxt}"',
            "effects = { trust = 1 }",
            f"[[scenes.s{i}.choices]]",
            'text = "Skip."',
            f'goto = "{skip}"',
            'if = "self_esteem > 2 or f"',
            "effects = { self_esteem = -1 }",
            'set = ["f"]',
        ]
    out += [
        "[endings.good]", 'title = "Good"', 'tone = "hopeful"', 'when = "trust >= 5"', 'text = "Good."',
        "[endings.other]", 'title = "Other"', 'tone = "hard"', 'text = "Other."',
    ]
    return "\n".join(out) + "\n"


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def command_time(args: list[str], runs: int = 5) -> float:
    """The median wall time of a command, after one warm-up run (which also writes its bytecode)."""
    env = dict(os.environ)  # the child's environment: bytecode on, in the temporary folder
    subprocess.run(args, check=False, capture_output=True, env=env, cwd=compiled.ROOT)
    return statistics.median(
        best_of(1, lambda: subprocess.run(args, check=False, capture_output=True, env=env, cwd=compiled.ROOT))
        for _ in range(runs)
    )


def main() -> None:
    print(compiled.header())
    folder = Path(tempfile.mkdtemp())
    results = {}
    for scenes in (1_000, 10_000, 20_000):
        path = folder / f"bench-{scenes}.toml"
        path.write_text(generate(scenes), encoding="utf-8")

        def load(path=path, scenes=scenes):
            result = read_scenario(path)
            assert result.scenario is not None and len(result.scenario.scenes) == scenes, result.errors[:3]

        results[scenes] = best_of(5, load)
        size = path.stat().st_size // 1024
        print(f"load + validate {scenes:>6} scenes ({size:>5} KiB): {results[scenes] * 1000:8.1f} ms")
    print(f"ratio 20k/10k: {results[20_000] / results[10_000]:.2f} (linear is 2.0; aim <= 2.3)")
    print(f"10k scenes under one second: {'yes' if results[10_000] < 1 else 'no'}")

    python = sys.executable
    bare = command_time([python, "-c", "import tomli"])
    libraries = command_time([python, "-c", "import tomli, attrs"])
    validate = command_time([python, "-m", "game", "validate", "--builtin", "--no-deep"])
    deep = command_time([python, "-m", "game", "validate", "--builtin"])
    print(f"python + import tomli (the parser): {bare * 1000:8.1f} ms")
    print(f"validate --builtin --no-deep:       {validate * 1000:8.1f} ms  (load and check every built-in file)")
    print(f"validate --builtin (deep checks):   {deep * 1000:8.1f} ms  (also explores every play)")
    print(f"python + import tomli and attrs:    {libraries * 1000:8.1f} ms")
    print(f"ratio validate / (python + tomli):  {validate / bare:.2f}")
    print(f"ratio validate / (python + tomli + attrs): {validate / libraries:.2f}")


if __name__ == "__main__":
    main()
