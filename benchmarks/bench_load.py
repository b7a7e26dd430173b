"""How fast scenarios load, cold (checked from the TOML) and warm (read back from the cache), against inkjs.

Prints figures and ratios measured in the same run; never pass/fail, because
machines are noisy. Run: python benchmarks/bench_load.py [--runs 9]

Everything runs from compiled bytecode, as an installed game does: the script
compiles the game into a temporary folder and runs itself again from there
(benchmarks/compiled.py), and the commands it times read the same bytecode.

1. In one process: a generated story of 1,000, 10,000 and 20,000 scenes
   checked from its TOML (cold: what the first start, `validate` or an edited
   file costs) and read back from a warm cache of checked stories (what every
   later start costs). Cold should grow linearly (20k/10k about 2).
2. Against inkjs, as whole processes: the CPU time (user + system) of
   starting Python and loading the 10,000-scene story from a warm cache,
   against starting Node and loading the same story, compiled by inkjs's own
   compiler to its JSON, with inkjs's `Story` (the way an ink game loads),
   in turns, pair by pair; the median ratio. Aim: <= 0.5.
   inkjs is found through INKJS_DIR (a folder where `npm install inkjs` was
   run, or the inkjs package folder itself), else wherever Node resolves it
   from the current folder; without it this part says so and is skipped.
3. `validate --builtin` against Python starting with the libraries it needs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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

from stories import generate  # noqa: E402

from game.loader import read_scenario  # noqa: E402

try:
    from game.story_cache import StoryCache
except ImportError:  # a version of the game from before the cache: every load is a check
    StoryCache = None

SIZES = (1_000, 10_000, 20_000)
INK_SCENES = 10_000

WARM_LOAD = """
import sys
from pathlib import Path
try:
    from game.story_cache import StoryCache
    scenario = StoryCache(Path(sys.argv[2])).check(Path(sys.argv[1])).scenario
except ImportError:
    from game.loader import read_scenario
    scenario = read_scenario(Path(sys.argv[1])).scenario
assert scenario is not None and len(scenario.scenes) == int(sys.argv[3])
"""

INK_LOAD = """
const fs = require("fs");
const { Story } = require(process.argv[2]);
const story = new Story(fs.readFileSync(process.argv[3], "utf8").replace(/^\\uFEFF/, ""));
story.Continue();
if (story.currentChoices.length !== 2) { throw new Error("the story did not load"); }
"""


def ink_story(scenes: int) -> str:
    """The generated story in ink: the same scenes, variants, conditions, effects, flag and endings."""
    out = ["VAR trust = 5", "VAR self_esteem = 5", "VAR f = false", "-> s0"]
    for i in range(scenes):
        nxt = f"s{i + 1}" if i + 1 < scenes else "ending"
        skip = f"s{i + 2}" if i + 2 < scenes else "ending"
        out += [f"=== s{i} ===", f"{{trust >= {i % 10}: Warmer {i}.|Scene {i}.}}",
                "+ [On.]", "  ~ trust = trust + 1", f"  -> {nxt}",
                "+ {self_esteem > 2 or f} [Skip.]", "  ~ self_esteem = self_esteem - 1", "  ~ f = true",
                f"  -> {skip}"]
    out += ["=== ending ===", "{trust >= 5: Good.|Other.}", "-> END"]
    return "\n".join(out) + "\n"


def best_and_median(runs: int, fn) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def child_cpu(args: list[str], cwd: Path | None = None) -> float:
    """The CPU seconds (user + system) a command used, as the operating system counts them."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, check=True, capture_output=True, cwd=cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_in_process(folder: Path, runs: int) -> None:
    print("in one process (best and median of each):")
    cold: dict[int, float] = {}
    for scenes in SIZES:
        path = folder / f"bench-{scenes}.toml"
        path.write_text(generate(scenes), encoding="utf-8")
        size = path.stat().st_size // 1024

        def check(path=path, scenes=scenes) -> None:
            result = read_scenario(path)
            assert result.scenario is not None and len(result.scenario.scenes) == scenes, result.errors[:3]

        cold_best, cold_median = best_and_median(max(3, runs // 3), check)
        cold[scenes] = cold_best
        line = (f"  {scenes:>6} scenes ({size:>5} KiB): cold (check the TOML) {cold_best * 1000:7.1f} ms, "
                f"median {cold_median * 1000:7.1f}")
        if StoryCache is not None:
            StoryCache(folder / "cache").check(path)  # fills the cache

            def warm(path=path, scenes=scenes) -> None:
                scenario = StoryCache(folder / "cache").check(path).scenario
                assert scenario is not None and len(scenario.scenes) == scenes

            warm_best, warm_median = best_and_median(max(3, runs // 3), warm)
            line += (f"; warm (from the cache) {warm_best * 1000:7.1f} ms, median {warm_median * 1000:7.1f}; "
                     f"warm/cold {warm_median / cold_median:.2f}")
        else:
            line += "; this version has no cache of checked stories"
        print(line, flush=True)
    print(f"  cold 20k/10k: {cold[20_000] / cold[10_000]:.2f} (linear is 2.0)")


def find_inkjs() -> tuple[Path | None, str]:
    """The inkjs package folder, and how it was found (or why not)."""
    given = os.environ.get("INKJS_DIR")
    if given:
        for candidate in (Path(given) / "node_modules" / "inkjs", Path(given)):
            if (candidate / "package.json").is_file() and '"name": "inkjs"' in (
                    candidate / "package.json").read_text(encoding="utf-8"):
                return candidate, f"found through INKJS_DIR at {candidate}"
        return None, f"INKJS_DIR={given} holds no inkjs package"
    if shutil.which("node") is None:
        return None, "Node is not installed"
    found = subprocess.run(["node", "-e", "console.log(require.resolve('inkjs/package.json'))"],
                           capture_output=True, text=True, check=False)
    if found.returncode == 0 and found.stdout.strip():
        return Path(found.stdout.strip()).parent, f"found by Node's own lookup at {Path(found.stdout.strip()).parent}"
    return None, "not found (set INKJS_DIR to a folder where `npm install inkjs` was run)"


def bench_inkjs(folder: Path, runs: int) -> None:
    inkjs, how = find_inkjs()
    print(f"against inkjs ({INK_SCENES:,} scenes, whole processes, CPU time, {runs} pairs): inkjs {how}")
    if inkjs is None:
        print("  skipped: the figures above stand on their own")
        return
    version = json.loads((inkjs / "package.json").read_text(encoding="utf-8")).get("version", "?")
    ink = folder / "story.ink"
    ink.write_text(ink_story(INK_SCENES), encoding="utf-8")
    compiled_json = folder / "story.json"
    compiler = inkjs / "bin" / "inkjs-compiler.js"
    subprocess.run(["node", str(compiler), "-o", str(compiled_json), str(ink)], check=True, capture_output=True)
    loader = folder / "load.js"
    loader.write_text(INK_LOAD, encoding="utf-8")
    toml = folder / f"bench-{INK_SCENES}.toml"
    cache = folder / "cache"
    python = [sys.executable, "-c", WARM_LOAD, str(toml), str(cache), str(INK_SCENES)]
    node = ["node", str(loader), str(inkjs), str(compiled_json)]
    child_cpu(python, compiled.ROOT)  # warm-up: the disk cache (the cache of checked stories is full already)
    child_cpu(node)
    ratios, ours, theirs = [], [], []
    for _ in range(runs):
        ours.append(child_cpu(python, compiled.ROOT))
        theirs.append(child_cpu(node))
        ratios.append(ours[-1] / theirs[-1])
    print(f"  inkjs {version}: Node + inkjs loading its compiled JSON ({compiled_json.stat().st_size // 1024} KiB): "
          f"median {statistics.median(theirs) * 1000:.0f} ms CPU")
    how_we_load = "from a warm cache" if StoryCache is not None else "checking its TOML (no cache in this version)"
    print(f"  Python + the game loading the story {how_we_load}: median {statistics.median(ours) * 1000:.0f} ms CPU")
    print(f"  ratio game / inkjs: median {statistics.median(ratios):.2f} (pairs {min(ratios):.2f} to "
          f"{max(ratios):.2f}; aim <= 0.5)")


def command_time(args: list[str], runs: int) -> float:
    """The median wall time of a command, after one warm-up run (which also writes its bytecode)."""
    env = dict(os.environ)  # the child's environment: bytecode on, in the temporary folder
    subprocess.run(args, check=False, capture_output=True, env=env, cwd=compiled.ROOT)
    return statistics.median(
        best_and_median(1, lambda: subprocess.run(args, check=False, capture_output=True, env=env,
                                                  cwd=compiled.ROOT))[0]
        for _ in range(runs)
    )


def bench_validate(runs: int) -> None:
    python = sys.executable
    bare = command_time([python, "-c", "import tomli, attrs"], runs)
    validate = command_time([python, "-m", "game", "validate", "--builtin", "--no-deep"], runs)
    deep = command_time([python, "-m", "game", "validate", "--builtin"], runs)
    print(f"validate --builtin --no-deep: {validate * 1000:7.1f} ms (load and check every built-in file), "
          f"{validate / bare:.2f}x Python starting with tomli and attrs ({bare * 1000:.1f} ms)")
    print(f"validate --builtin:           {deep * 1000:7.1f} ms (also explores every play)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="pairs against inkjs, and runs of each command")
    args = parser.parse_args()
    print(compiled.header())
    folder = Path(tempfile.mkdtemp(prefix="second-chance-load-"))
    try:
        bench_in_process(folder, args.runs)
        bench_inkjs(folder, args.runs)
        bench_validate(args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
