"""How fast a Twine story imports, against loading the scenario it becomes.

Prints figures and ratios measured in the same run; never pass/fail, because
machines are noisy. Run: python benchmarks/bench_import.py [--runs 5] [--sizes 500,2000,5000]

Everything runs from compiled bytecode, as an installed game does
(benchmarks/compiled.py).

For each size, a generated Twee 3 story in Harlowe (every passage has prose, a
`(set:)` on a number variable, an `(if:)` hook and two links on, the last
tenth are endings) is imported in this process the way `second-chance import
--no-deep` does (read, parse, translate, build and check the scenario), in
turns with loading the scenario file that import wrote, from its TOML, as
`validate --no-deep` or a first start does. The ratio is taken pair by pair
and its median printed: what importing costs over reading the same story
once it is a scenario. Then one import with the deep checks (`import`
without `--no-deep`), timed once per size, against the same scenario's own
deep check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import compiled

if __name__ == "__main__" and (code := compiled.relaunch(__file__)) is not None:
    sys.exit(code)

sys.path.insert(0, str(compiled.ROOT))

from game.analysis.checks import deep_check  # noqa: E402
from game.loader import read_scenario  # noqa: E402
from game.loader.twine import import_story  # noqa: E402


def twee(passages: int) -> str:
    """A Harlowe story of `passages` passages that import turns into a scenario with no errors."""
    endings = max(2, passages // 10)
    middle = passages - endings
    parts = [
        ":: StoryTitle\nA generated story\n",
        ':: StoryData\n{"ifid": "0F6C1A2E-7B3D-4C59-9E1A-3B2C4D5E6F70", "format": "Harlowe", '
        '"format-version": "3.3.8", "start": "p0"}\n',
        ":: p0\n(set: $trust to 0)You wake to a message from an old friend.\n[[Reply->p1]]\n[[Wait->p2]]\n",
    ]
    for i in range(1, middle):
        on = [min(i + 1, middle - 1) if i + 1 < middle else middle, middle + (i % endings)]
        parts.append(
            f":: p{i}\n(set: $trust to it + {i % 3 - 1})Scene {i}: you weigh what to say next, and what it "
            f"would cost to say nothing.\n(if: $trust > 2)[They seem to be listening.]\n"
            f"[[Say it->p{on[0]}]]\n[[Let it go->p{on[1]}]]\n")
    for j in range(endings):
        parts.append(f":: p{middle + j}\nEnding {j}: the evening closes, and you go home with what you chose.\n")
    return "\n".join(parts)


def timed(action, *args, **kwargs) -> float:
    """The CPU time of one call, in milliseconds."""
    start = time.process_time()
    action(*args, **kwargs)
    return (time.process_time() - start) * 1000


def imported_deep(source: Path) -> None:
    """What `second-chance import` does without --no-deep."""
    done = import_story(source)
    deep_check(done.scenario, source=done.text, file=str(source))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="pairs of timings for each size")
    parser.add_argument("--sizes", default="500,2000,5000", help="passage counts, separated by commas")
    args = parser.parse_args()
    print(compiled.header())
    with tempfile.TemporaryDirectory(prefix="second-chance-import-") as tmp:
        folder = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            source = folder / f"story-{size}.twee"
            source.write_text(twee(size), encoding="utf-8")
            first = import_story(source)
            if first.text is None or first.errors:
                print(f"  {size} passages: the generated story did not import ({len(first.errors)} errors)")
                continue
            target = folder / f"story-{size}.toml"
            target.write_text(first.text, encoding="utf-8")
            imports, loads, ratios = [], [], []
            for _ in range(args.runs):
                imports.append(timed(import_story, source))
                loads.append(timed(read_scenario, target))
                ratios.append(imports[-1] / loads[-1])
            kib = source.stat().st_size / 1024
            print(f"  {size:>5} passages ({kib:,.0f} KiB): import --no-deep median "
                  f"{statistics.median(imports):,.0f} ms CPU, loading the scenario it wrote "
                  f"{statistics.median(loads):,.0f} ms; ratio median "
                  f"{statistics.median(ratios):.2f} (runs {min(ratios):.2f} to {max(ratios):.2f})")
            whole = timed(imported_deep, source)
            deep = timed(deep_check, first.scenario, source=first.text, file=str(target))
            print(f"        with the deep checks: import {whole:,.0f} ms CPU; the scenario's own deep check "
                  f"takes {deep:,.0f} ms (ratio {whole / deep:.2f})")


if __name__ == "__main__":
    main()
