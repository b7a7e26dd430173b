"""How the full-screen game feels: start-up, response to a key, memory.

Prints figures and ratios measured in the same run (machines are noisy, so the
baseline is always taken alongside); nothing is asserted. Run:
    python benchmarks/bench_tui.py [--runs 7] [--rounds 5]

1. Cold start to the first interactive frame of the picker, in a fresh
   interpreter each time, against a minimal Textual "hello" app started the
   same way. Both start from compiled bytecode, as an installed game does
   (a warm-up run writes it to a temporary folder). Aim: ratio <= 1.3.
2. Keypress to the next scene drawn, headless, over scripted playthroughs of a
   built-in scenario: the median and the 90th percentile. Aim: median < 50 ms.
3. Peak memory of a full playthrough (tracemalloc, Python allocations) and the
   process's peak resident size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PRELUDE = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()
"""

GAME = PRELUDE + """
import argparse
from game import library
from game.tui.launch import build_app
app = build_app(argparse.Namespace(scenario=None, scenarios=[], reveal=False, watch=False))
app.run(headless=True, auto_pilot=first_frame)
"""

HELLO = PRELUDE + """
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("Hello")
Hello().run(headless=True, auto_pilot=first_frame)
"""

SCENARIO = "last-call"


def cold_start(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_cold_start(runs: int, env: dict[str, str]) -> None:
    cold_start(HELLO, env)  # warm the disk cache and the bytecode for both
    cold_start(GAME, env)
    game: list[float] = []
    hello: list[float] = []
    for _ in range(runs):  # interleaved, so drift in the machine hits both alike
        hello.append(cold_start(HELLO, env))
        game.append(cold_start(GAME, env))
    g, h = statistics.median(game), statistics.median(hello)
    print(f"cold start to first picker frame: median {g * 1000:.0f} ms over {runs} runs "
          f"(min {min(game) * 1000:.0f} ms)")
    print(f"minimal Textual hello app:        median {h * 1000:.0f} ms over {runs} runs "
          f"(min {min(hello) * 1000:.0f} ms)")
    print(f"ratio game / hello: {g / h:.2f} of the medians, {min(game) / min(hello):.2f} of the fastest runs "
          "(aim <= 1.3)")


async def _drawn(app, screen, before) -> None:
    """Wait until the screen holds the next play and a refresh has drawn it."""
    while screen.play is before:
        await asyncio.sleep(0)
    drawn = asyncio.Event()
    screen.call_after_refresh(drawn.set)
    await drawn.wait()


async def scripted_play(rounds: int, through_pilot: bool = False) -> tuple[list[float], int]:
    """Play the scenario `rounds` times by pressing 1; time each key until the next scene is drawn.

    The key goes straight to the app's event queue, as a terminal's would.
    Pilot's own `press` and `pause` wait for the process to look idle, which
    adds tens of milliseconds of waiting; `through_pilot` measures that way too,
    to show the difference.
    """
    from textual import events

    from game.library import find, gather
    from game.tui.app import SecondChanceApp
    from game.tui.screens.play import PlayScreen

    path = find(SCENARIO)
    assert path is not None, f"no built-in scenario {SCENARIO}"
    entries, _ = gather(builtin=False, files=[path])
    app = SecondChanceApp(entries, start=entries[0])
    timings: list[float] = []
    endings = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the content notes: Enter begins
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.play is not None
        for _ in range(rounds):
            while not screen.play.is_over:
                before = screen.play
                start = time.perf_counter()
                if through_pilot:
                    await pilot.press("1")
                    await pilot.pause()
                else:
                    app.post_message(events.Key("1", "1"))
                    await _drawn(app, screen, before)
                timings.append(time.perf_counter() - start)
            endings += 1
            await pilot.pause()
            while app.screen is not screen:
                app.pop_screen()
                await pilot.pause()
            screen.session.restart()
            await pilot.pause()
    return timings, endings


def _summary(timings: list[float]) -> str:
    ms = sorted(t * 1000 for t in timings)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    return f"median {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, max {ms[-1]:.1f} ms"


def bench_keypress(rounds: int) -> None:
    timings, endings = asyncio.run(scripted_play(rounds))
    print(f"keypress to next scene drawn ({SCENARIO}, headless, {len(timings)} keys, {endings} endings): "
          f"{_summary(timings)} (aim: median < 50 ms)")
    timings, _ = asyncio.run(scripted_play(1, through_pilot=True))
    print(f"  the same through Pilot's press() and pause(), which wait for idle: {_summary(timings)}")


def bench_memory() -> None:
    tracemalloc.start()
    asyncio.run(scripted_play(1))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024
    print(f"peak memory of a full playthrough: {peak / 1024 / 1024:.1f} MiB traced by tracemalloc; "
          f"process peak resident size {rss_mb:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold starts of each app")
    parser.add_argument("--rounds", type=int, default=5, help="scripted playthroughs to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as bytecode:
        os.environ["SECOND_CHANCE_HOME"] = home  # never touch the player's saves
        os.environ["TEXTUAL_ANIMATIONS"] = "none"
        env = dict(os.environ)
        # Start the way an installed game starts: from compiled bytecode (pip writes it at
        # install time). The warm-up runs write it here, outside the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = bytecode
        print(f"Python {sys.version.split()[0]}, Textual {__import__('textual').__version__}", flush=True)
        bench_cold_start(args.runs, env)
        bench_keypress(args.rounds)
        bench_memory()


if __name__ == "__main__":
    main()
