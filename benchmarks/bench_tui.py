"""How the full-screen game feels: start-up, response to a key, memory.

Prints figures and ratios measured in the same run (machines are noisy, so the
baseline is always taken alongside); nothing is asserted. Run:
    python benchmarks/bench_tui.py [--runs 9] [--rounds 10] [--stories 100]

1. Cold start to the first frame of the picker (made, and turned into the
   bytes a terminal is sent), in a fresh interpreter each time, started as a
   player starts it (`second-chance --scenarios DIR`: the command line, then
   the game), against a minimal Textual "hello" app started the same way, in
   turns (hello, game, hello, game...): the ratio is taken pair by pair and
   its median printed. Both start from compiled bytecode, as an installed
   game does (a warm-up run writes it to a temporary folder). Four
   cases: the nine built-ins and a `--scenarios` folder of generated stories,
   each with the cache of checked stories warm (filled by one `list` run
   first, as any earlier start fills it) and cold (a new data folder for
   every run, as on the very first start). Aims: <= 1.2 with the built-ins,
   <= 1.3 with the folder.
2. Keypress to the frame that shows the next scene, into and out of the
   longest scene of each built-in story (a test play started just before it,
   as `play --from SCENE` does), at 80x24 and at 200x50: the median and the
   90th percentile over every key, and the same until the screen settles (a
   key that reaches an ending shows the ending, then the debrief opens over
   it). Frames are timed as Textual finishes them, turned into a terminal's
   bytes; a frame that redraws what is already shown does not count. Aims:
   median < 20 ms, p90 < 50 ms.
3. Peak memory of a full playthrough (tracemalloc, Python allocations) and the
   process's peak resident size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories  # noqa: E402

PRELUDE = f"""
import os
import sys
sys.path.insert(0, {str(ROOT)!r})
import textual.app
_display = textual.app.App._display
def first_frame(self, screen, renderable):
    # The first frame is made and turned into a terminal's bytes: that is the moment measured.
    _display(self, screen, renderable)
    render = getattr(renderable, "render_segments", None)
    if render is not None:
        render(self.console)
        sys.stdout.flush()
        os._exit(0)
textual.app.App._display = first_frame
"""

GAME = PRELUDE + """
run = textual.app.App.run
textual.app.App.run = lambda self, *a, **k: run(self, *a, **{**k, "headless": True})
from game.__main__ import main
main([f"--scenarios={folder}" for folder in sys.argv[1:]])
"""

HELLO = PRELUDE + """
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("Hello")
Hello().run(headless=True)
"""

SCENARIO = "last-call"
SIZES = ((80, 24), (200, 50))


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The wall time of a command and the CPU time (user + system) it used, as the operating system counts it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def first_frame_case(label: str, runs: int, env: dict[str, str], folders: list[str], warm: bool, aim: float) -> None:
    """Hello and the game in turns; the ratio of each pair (wall time and CPU time), and their medians.

    The wall time is what a player waits; the CPU time is the work done, which
    other programs on a busy machine disturb much less.
    """
    game = [sys.executable, "-c", GAME, *folders]
    hello = [sys.executable, "-c", HELLO]
    homes = tempfile.TemporaryDirectory()
    case_env = dict(env, SECOND_CHANCE_HOME=os.path.join(homes.name, "warm"))
    if warm:  # any earlier start fills the cache; `list` does it for every story at once
        subprocess.run([sys.executable, "-m", "game", "list", *(f"--scenarios={f}" for f in folders)],
                       env=case_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    timed(hello, case_env)
    timed(game, case_env)
    walls: list[float] = []
    cpus: list[float] = []
    games: list[float] = []
    hellos: list[float] = []
    for run in range(runs):
        if not warm:
            case_env["SECOND_CHANCE_HOME"] = os.path.join(homes.name, f"cold-{run}")
        h_wall, h_cpu = timed(hello, case_env)
        g_wall, g_cpu = timed(game, case_env)
        hellos.append(h_wall)
        games.append(g_wall)
        walls.append(g_wall / h_wall)
        cpus.append(g_cpu / h_cpu)
    homes.cleanup()
    print(f"  {label:<42} wall ratio median {statistics.median(walls):.2f} (runs {min(walls):.2f} to "
          f"{max(walls):.2f}), CPU ratio median {statistics.median(cpus):.2f} (aim <= {aim}); "
          f"game median {statistics.median(games) * 1000:.0f} ms, hello {statistics.median(hellos) * 1000:.0f} ms",
          flush=True)


def bench_first_frame(runs: int, count: int, env: dict[str, str]) -> None:
    print(f"first frame of the picker / first frame of a bare Textual app, {runs} pairs each "
          f"(load average {load_average()}):", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = stories.library(Path(tmp) / "stories", count)
        first_frame_case("nine built-ins, cache warm", runs, env, [], True, 1.2)
        first_frame_case("nine built-ins, first start (cache cold)", runs, env, [], False, 1.2)
        first_frame_case(f"+ {count} stories in --scenarios, cache warm", runs, env, [str(folder)], True, 1.3)
        first_frame_case(f"+ {count} stories in --scenarios, cache cold", runs, env, [str(folder)], False, 1.3)


# --- keypress --------------------------------------------------------------------------------

QUIET = 0.05
"""A response is over when no frame has been drawn for this long (the wait is not timed)."""
GIVE_UP = 10.0
"""Seconds after which a key that changed nothing stops the benchmark (every loop here ends by itself)."""


class Frames:
    """When the app finished each frame that changed what a terminal shows.

    Headless, Textual makes each screen update but skips writing it; the hook
    does that last step too (as a terminal needs it), notes the time, and
    applies the bytes to a model of the terminal's cells, so a frame that
    redraws what is already shown (Textual often makes a second, identical
    one after a layout) does not count as the end of the response.
    """

    CODE = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[([0-9;]*)m|\x1b\[[^a-zA-Z]*[a-zA-Z]|([^\x1b\n]+)")

    def __init__(self, app) -> None:
        self.times: list[float] = []
        self.cells: dict[tuple[int, int], tuple[str, str]] = {}
        console = app.console
        display = app._display

        def timed_display(screen, renderable) -> None:
            display(screen, renderable)
            render = getattr(renderable, "render_segments", None)
            if render is not None:
                data = render(console)
                done = time.perf_counter()
                if self.apply(data):
                    self.times.append(done)

        app._display = timed_display

    def apply(self, data: str) -> bool:
        """Write a frame's bytes into the model of the terminal; whether any cell changed."""
        changed = False
        row = col = 0
        style = ""
        cells = self.cells
        for match in self.CODE.finditer(data):
            moved, sgr, text = match.group(1), match.group(3), match.group(4)
            if moved:
                row, col = int(moved), int(match.group(2))
            elif sgr is not None:
                style = sgr
            elif text:
                for char in text:
                    cell = (char, style)
                    if cells.get((row, col)) != cell:
                        cells[(row, col)] = cell
                        changed = True
                    col += 1
        return changed

    async def response(self, app, screen, before, key: str) -> tuple[float, float]:
        """Press `key`; the time to the first frame that changed what the terminal shows, and to the last.

        The first shows the next scene (or the ending); the last is when the
        screen has settled (after an ending, the debrief that opens over it).
        """
        from textual import events

        self.times.clear()
        start = time.perf_counter()
        app.post_message(events.Key(key, key))
        while screen.play is before:
            if time.perf_counter() - start > GIVE_UP:
                raise RuntimeError(f"the key {key} changed nothing in {GIVE_UP} s")
            await asyncio.sleep(0)
        while True:
            seen = len(self.times)
            await asyncio.sleep(QUIET)
            if len(self.times) == seen and seen or time.perf_counter() - start > GIVE_UP:
                if not self.times:
                    return GIVE_UP, GIVE_UP
                return self.times[0] - start, self.times[-1] - start


def longest_scene(scenario) -> str:
    """The scene with the most words on screen: its text, its chat and its choices."""
    def size(scene) -> int:
        return (len(scene.text) + sum(len(v.text) for v in scene.variants) + sum(len(m.text) for m in scene.messages)
                + sum(len(c.text) + len(c.reason) for c in scene.choices))
    return max(scenario.scenes.values(), key=size).id


def number_to(play, goto: str | None) -> str | None:
    """The number of the first open choice to `goto` (None: to another scene if any, else any open choice)."""
    options = [o for o in play.options() if o.available]
    if goto is not None:
        return next((str(o.number) for o in options if o.choice.goto == goto), None)
    onward = [o for o in options if o.choice.goto in play.scenario.scenes]
    return str((onward or options)[0].number)


def way_in(scenario, target: str) -> str | None:
    """A scene with an open choice (at the story's starting meters) that leads to `target`."""
    from game.session import Session

    for scene_id in scenario.scenes:
        if scene_id != target and number_to(Session.test_play(scenario, scene_id).play, target):
            return scene_id
    return None


async def keys_on_longest_scene(entry, size: tuple[int, int], rounds: int) -> list[tuple[float, float]]:
    """Press the key that opens the story's longest scene, then one that leaves it; `rounds` times.

    A test play starts on a scene leading to the longest one (as
    `play --from SCENE` does); after each round it is rewound to that scene.
    """
    from game.session import Session
    from game.tui.app import SecondChanceApp

    scenario = entry.scenario
    longest = longest_scene(scenario)
    before_it = way_in(scenario, longest)
    session = Session.test_play(scenario, before_it or longest)
    app = SecondChanceApp([entry], test_session=session)
    timings: list[tuple[float, float]] = []
    async with app.run_test(size=size) as pilot:
        frames = Frames(app)
        await pilot.pause()
        screen = app.screen
        for _ in range(rounds):
            for goto in ((longest, None) if before_it else (None,)):
                before = screen.play
                key = number_to(before, goto)
                timings.append(await frames.response(app, screen, before, key))
                while app.screen is not screen:  # an ending opens the debrief on top
                    app.pop_screen()
                    await pilot.pause()
            screen.session.rewind(0)
            await pilot.pause()
            await asyncio.sleep(QUIET)
    return timings


def _summary(timings: list[float]) -> str:
    ms = sorted(t * 1000 for t in timings)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    return f"median {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, max {ms[-1]:.1f} ms"


def bench_keypress(rounds: int) -> None:
    from game.library import gather

    entries = [e for e in gather(builtin=True)[0] if e.scenario is not None]
    print(f"keypress, into and out of the longest scene of each of the {len(entries)} built-ins, {rounds} rounds "
          f"each (aims: median < 20 ms, p90 < 50 ms to the frame that shows the next scene; load average "
          f"{load_average()}):", flush=True)
    for size in SIZES:
        first: list[float] = []
        last: list[float] = []
        worst = ("", 0.0)
        for entry in entries:
            timings = asyncio.run(keys_on_longest_scene(entry, size, rounds))
            first += [f for f, _ in timings]
            last += [la for _, la in timings]
            p90 = sorted(f for f, _ in timings)[int(0.9 * (len(timings) - 1))]
            if p90 > worst[1]:
                worst = (entry.path.stem, p90)
        print(f"  {size[0]}x{size[1]}, {len(first)} keys: to the next scene drawn: {_summary(first)}; "
              f"slowest story {worst[0]} (p90 {worst[1] * 1000:.1f} ms)", flush=True)
        print(f"  {' ' * len(f'{size[0]}x{size[1]}')}  until the screen settles (a debrief opened over an ending "
              f"included): {_summary(last)}", flush=True)


# --- memory ----------------------------------------------------------------------------------


async def _drawn(screen, before) -> None:
    """Wait until the screen holds the next play and a refresh has drawn it."""
    while screen.play is before:
        await asyncio.sleep(0)
    drawn = asyncio.Event()
    screen.call_after_refresh(drawn.set)
    await drawn.wait()


async def scripted_play(rounds: int) -> int:
    """Play the scenario `rounds` times by pressing 1; returns the endings reached."""
    from textual import events

    from game.library import find, gather
    from game.tui.app import SecondChanceApp
    from game.tui.screens.play import PlayScreen

    entries, _ = gather(builtin=False, files=[find(SCENARIO)])
    app = SecondChanceApp(entries, start=entries[0])
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
                app.post_message(events.Key("1", "1"))
                await _drawn(screen, before)
            endings += 1
            await pilot.pause()
            while app.screen is not screen:
                app.pop_screen()
                await pilot.pause()
            screen.session.restart()
            await pilot.pause()
    return endings


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
    parser.add_argument("--runs", type=int, default=9, help="pairs of cold starts in each case")
    parser.add_argument("--rounds", type=int, default=10, help="keys timed on each story at each size")
    parser.add_argument("--stories", type=int, default=100, help="generated stories in the --scenarios folder")
    parser.add_argument("--only", choices=("start", "keys", "memory"), help="run one part only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as bytecode:
        os.environ["SECOND_CHANCE_HOME"] = home  # never touch the player's saves
        os.environ["TEXTUAL_ANIMATIONS"] = "none"
        env = dict(os.environ)
        # Start the way an installed game starts: from compiled bytecode (pip writes it at
        # install time). The warm-up runs write it here, outside the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = bytecode
        print(f"Python {sys.version.split()[0]}, Textual {__import__('textual').__version__}, "
              f"{os.cpu_count()} CPUs", flush=True)
        if args.only in (None, "start"):
            bench_first_frame(args.runs, args.stories, env)
        if args.only in (None, "keys"):
            bench_keypress(args.rounds)
        if args.only in (None, "memory"):
            bench_memory()
        print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
