"""How a workshop holds up with a lecture hall: 300 phones voting, the console and the room display open.

Prints figures and a ratio against a baseline measured in the same run
(machines are noisy, so the baseline is always taken alongside); nothing is
asserted. Run:
    python benchmarks/bench_votes.py [--phones 300] [--rounds 5]

The real workshop runs in a process of its own, from compiled bytecode as an
installed game does: the facilitator's console (the Textual app, headless
through `run_test`, its keys pressed as a facilitator presses them) with the
workshop's server on loopback. The room display is open in Debian's Chromium
(Playwright, this process), so the console is private and shows the counts as
they arrive. The phones are aiohttp websocket clients in this process, sending
the Origin a browser would.

Each round the console opens the vote (V), every phone votes once at a random
moment within one second, the console reveals it (R) and takes it (Enter), and
shows the next scene (Enter). The k-th vote sent in a round counts as visible
on a screen from the moment that screen shows a count of k or more (votes reach
the server in the order they are sent, a microsecond apart at most). Printed:

(a) vote sent to count visible on the phone that sent it;
(b) vote sent to count visible in the console (its tally drawn);
(c) the reveal key pressed to the bars visible on the room display;
and, for reference, (a) against the bare server alone (no console, no room
display), with the ratio of the medians. Aim for (a) and (b), every vote
counted: median under 100 ms, p95 under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent

STORY = '''
[scenario]
id = "bench-votes"
title = "Bench"
summary = "One decision, voted on again and again."
start = "s"
[scenes.s]
title = "The decision"
text = "What now?"
[[scenes.s.choices]]
text = "One."
goto = "s"
[[scenes.s.choices]]
text = "Two."
goto = "s"
[[scenes.s.choices]]
text = "Three."
goto = "s"
[endings.end]
title = "End"
tone = "warm"
outcome = "apart"
text = "Done."
'''

CONSOLE = """
import asyncio, json, os, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from game import library
from game.tui.workshop.app import WorkshopApp
from game.tui.workshop.context import Settings, WorkshopContext
from game.tui.workshop.widgets import tally
from game.web.server import WorkshopServer

DRAWN = []
render = tally.VoteTally.render
def drawn(self):
    out = render(self)
    rows = self.drawn[0]
    DRAWN.append((time.time(), sum(r.count or 0 for r in rows)))
    return out
tally.VoteTally.render = drawn

path = Path(sys.argv[2])
entries, _ = library.gather(builtin=False, files=[path])
server = lambda: WorkshopServer("127.0.0.1", 0, phones=True, max_connections=10_000, per_address=10_000,
                                devices_per_address=10_000)
context = WorkshopContext(offered=entries, start=entries[0], settings=Settings(tie_rule="random", seed=1),
                          server=server, log_dir=path.parent / "logs")

async def main():
    app = WorkshopApp(context)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        link = context.link
        print(json.dumps({"port": link.port, "code": link.code, "room": link.room_url,
                          "cached": os.path.exists(tally.__cached__)}), flush=True)
        loop = asyncio.get_running_loop()
        while True:
            line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
            if line in ("", "quit"):
                break
            pressed = time.time()
            if line == "begin":
                await pilot.press("ctrl+b")
            elif line == "open":
                await pilot.press("v")
            elif line == "reveal":
                await pilot.press("r")
            elif line == "next":
                await pilot.press("enter")
                await pilot.pause()
                await pilot.press("enter")
            await pilot.pause()
            room = context.room
            current = room.workshop.round if room else None
            print(json.dumps({"pressed": pressed, "private": context.private, "phones": link.phones,
                              "ballots": len(current.ballots) if current else 0,
                              "total": current.total if current else 0,
                              "drawn": DRAWN[-20000:]}), flush=True)
            DRAWN.clear()
        await link.stop()

asyncio.run(main())
"""

BARE = """
import asyncio, json, os, sys
sys.path.insert(0, sys.argv[1])
from game.loader import load_text
from game.web import server as served
from game.web.server import WorkshopServer
from game.workshop.room import Workshop

async def main():
    workshop = Workshop(load_text(open(sys.argv[2]).read(), "bench.toml", catalog={}), tie_rule="random", seed=1)
    server = WorkshopServer("127.0.0.1", 0, phones=True, max_connections=10_000, per_address=10_000,
                            devices_per_address=10_000)
    server.attach(workshop)
    await server.start()
    workshop.begin()
    print(json.dumps({"port": server.port, "code": server.code, "cached": os.path.exists(served.__cached__)}),
          flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line in ("", "quit"):
            break
        if line == "open":
            workshop.open_voting()
        elif line == "reveal":
            workshop.reveal()
        elif line == "next":
            workshop.decide()
            workshop.show()
        current = workshop.round
        print(json.dumps({"ballots": len(current.ballots), "total": current.total}), flush=True)
    await server.stop()

asyncio.run(main())
"""

REVEALED = """() => new Promise((resolve) => {
  const room = document.getElementById("room");
  const done = () => room.dataset.phase === "revealed" && document.querySelector("#flow .tally");
  if (done()) { resolve(Date.now()); return; }
  const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); resolve(Date.now()); } });
  watch.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
})"""
"""When the room display first shows the revealed bars (its own clock: the same wall clock as ours)."""


class Process:
    """A workshop process: commands on its stdin, one JSON line back for each."""

    def __init__(self, script: str, args: list[str], env: dict[str, str]):
        self.process = subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=env)
        self.hello = self.read()

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the workshop process ended")
        return json.loads(line)

    async def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return await asyncio.get_running_loop().run_in_executor(None, self.read)

    def close(self) -> None:
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


class Phone:
    """One simulated phone: a socket, and every state it was shown with the moment it arrived."""

    def __init__(self, n: int):
        self.token = f"bench-phone-{n:05d}-token"
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.state: dict = {}
        self.seen: list[tuple[float, int, str | None]] = []
        self.changed = asyncio.Event()
        self.reader: asyncio.Task | None = None

    async def join(self, http: aiohttp.ClientSession, base: str, code: str) -> None:
        self.ws = await http.ws_connect(f"{base}/ws?code={code}", origin=base)
        self.reader = asyncio.create_task(self.read())
        await self.ws.send_str(json.dumps({"type": "hello", "token": self.token}))

    async def read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if data.get("type") == "state":
                self.state = data
                self.seen.append((time.time(), data.get("votes", 0), data.get("round")))
                self.changed.set()

    async def until(self, test, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not test(self.state):
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"phone {self.token} waited {timeout}s; it shows {self.state}")
            await asyncio.wait_for(self.changed.wait(), left)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()


def figures(values: list[float]) -> str:
    ordered = sorted(v * 1000 for v in values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms   worst {ordered[-1]:6.1f} ms"


def visible(sends: list[tuple[float, Phone]], shown: list[tuple[float, int]]) -> list[float]:
    """For the k-th vote sent, how long until `shown` (moments and counts) first shows k or more."""
    shown = sorted(shown)
    out = []
    for rank, (sent, _) in enumerate(sorted(sends, key=lambda s: s[0]), 1):
        first = next((t for t, count in shown if count >= rank and t >= sent), None)
        if first is not None:
            out.append(first - sent)
    return out


async def voting(phones: list[Phone], last: str | None) -> None:
    """Until every phone shows a new round open for votes."""
    await asyncio.gather(*(p.until(lambda s: s.get("phase") == "voting" and s.get("round") != last)
                           for p in phones))


async def all_shown(phones: list[Phone], votes: int) -> None:
    """Until every phone shows `votes` votes in the round."""
    await asyncio.gather(*(p.until(lambda s: s.get("votes") == votes) for p in phones))


async def vote_round(phones: list[Phone], rng: random.Random) -> list[tuple[float, Phone]]:
    """Every phone votes once, at a random moment within one second; (moment sent, phone) for each."""
    sends: list[tuple[float, Phone]] = []

    async def one(phone: Phone) -> None:
        await asyncio.sleep(rng.random())
        option = rng.choice([o["index"] for o in phone.state["options"] if o["open"]])
        sends.append((time.time(), phone))
        await phone.ws.send_str(json.dumps({"type": "vote", "round": phone.state["round"], "option": option}))

    await asyncio.gather(*(one(p) for p in phones))
    return sends


def on_phones(sends: list[tuple[float, Phone]], round_id: str) -> list[float]:
    """(a): each vote, on the phone that sent it."""
    ranked = sorted(sends, key=lambda s: s[0])
    out = []
    for rank, (sent, phone) in enumerate(ranked, 1):
        first = next((t for t, votes, rid in phone.seen if rid == round_id and votes >= rank and t >= sent), None)
        if first is not None:
            out.append(first - sent)
    return out


async def workshop_run(args: argparse.Namespace, env: dict[str, str], story: Path) -> dict:
    from playwright.async_api import async_playwright

    console = Process(CONSOLE, [str(ROOT), str(story)], env)
    rng = random.Random(7)
    a: list[float] = []
    b: list[float] = []
    c: list[float] = []
    counted = cast = 0
    try:
        base = f"http://127.0.0.1:{console.hello['port']}"
        async with async_playwright() as playwright, aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=60)) as http:
            browser = await playwright.chromium.launch(executable_path=args.chromium, headless=True,
                                                       args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = await browser.new_page(viewport={"width": 1280, "height": 720})
            await page.goto(console.hello["room"])
            phones = [Phone(n) for n in range(args.phones)]
            await asyncio.gather(*(p.join(http, base, console.hello["code"]) for p in phones))
            status = await console.ask("begin")
            while not status["private"]:
                await asyncio.sleep(0.05)
                status = await console.ask("status")
            print(f"   the console loaded its code from compiled bytecode: {console.hello['cached']}; "
                  f"{status['phones']} phones joined; the room display is open", flush=True)
            round_id = None
            for number in range(args.rounds):
                await console.ask("open")
                await voting(phones, round_id)
                round_id = phones[0].state["round"]
                drawn: list[tuple[float, int]] = []
                sends = await vote_round(phones, rng)
                await all_shown(phones, len(sends))
                for _ in range(200):
                    status = await console.ask("status")
                    drawn += [tuple(d) for d in status["drawn"]]
                    if drawn and drawn[-1][1] == len(sends):
                        break
                    await asyncio.sleep(0.02)
                counted += status["ballots"]
                cast += len(sends)
                a += on_phones(sends, round_id)
                b += visible(sends, drawn)
                seen = asyncio.ensure_future(page.evaluate(REVEALED))
                status = await console.ask("reveal")
                c.append((await seen) / 1000 - status["pressed"])
                await console.ask("next")
                print(f"   round {number + 1}: {len(sends)} votes cast, {status['ballots']} counted", flush=True)
            for phone in phones:
                await phone.close()
            await browser.close()
    finally:
        console.close()
    return {"a": a, "b": b, "c": c, "counted": counted, "cast": cast}


async def bare_run(args: argparse.Namespace, env: dict[str, str], story: Path) -> list[float]:
    server = Process(BARE, [str(ROOT), str(story)], env)
    rng = random.Random(7)
    a: list[float] = []
    try:
        base = f"http://127.0.0.1:{server.hello['port']}"
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                         timeout=aiohttp.ClientTimeout(total=60)) as http:
            phones = [Phone(n) for n in range(args.phones)]
            await asyncio.gather(*(p.join(http, base, server.hello["code"]) for p in phones))
            round_id = None
            for _ in range(args.rounds):
                await server.ask("open")
                await voting(phones, round_id)
                round_id = phones[0].state["round"]
                sends = await vote_round(phones, rng)
                await all_shown(phones, len(sends))
                a += on_phones(sends, round_id)
                await server.ask("reveal")
                await server.ask("next")
            for phone in phones:
                await phone.close()
    finally:
        server.close()
    return a


async def run(args: argparse.Namespace, env: dict[str, str], story: Path) -> None:
    load = os.getloadavg()
    print(f"{args.phones} phones, {args.rounds} rounds, each phone voting once a round within one second; "
          f"load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} on {os.cpu_count()} CPUs", flush=True)
    print("the workshop: the console (headless) and its server, the room display open in Chromium", flush=True)
    full = await workshop_run(args, env, story)
    print("the bare server alone, for reference", flush=True)
    bare = await bare_run(args, env, story)
    load = os.getloadavg()
    print(f"\nevery vote counted: {'yes' if full['counted'] == full['cast'] else 'NO'} "
          f"({full['counted']} of {full['cast']})")
    print(f"(a) vote sent to count on its phone      {figures(full['a'])}")
    print(f"(b) vote sent to count in the console    {figures(full['b'])}")
    print(f"(c) reveal key to bars on room display   {figures(full['c'])}")
    print(f"    bare server: vote to count on phone  {figures(bare)}")
    print(f"    ratio of the medians, (a) against the bare server: "
          f"{statistics.median(full['a']) / statistics.median(bare):.2f}")
    print(f"(aim for (a) and (b): median < 100 ms, p95 < 200 ms; load average at the end {load[0]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chromium", default=os.environ.get("SECOND_CHANCE_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as bytecode:
        env = dict(os.environ)
        env["SECOND_CHANCE_HOME"] = home  # never touch a real home
        env["TEXTUAL_ANIMATIONS"] = "none"
        # Run the workshop the way an installed game runs: from compiled bytecode (pip compiles at install
        # time). This environment sets PYTHONDONTWRITEBYTECODE, so compile first, outside the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = bytecode
        sys.pycache_prefix = bytecode
        compileall.compile_dir(str(ROOT / "game"), quiet=1)
        import aiohttp as client_library
        import textual
        for library in (client_library, textual):
            compileall.compile_dir(str(Path(library.__file__).parent), quiet=1)
        story = Path(home) / "bench-votes.toml"
        story.write_text(STORY, encoding="utf-8")
        print(f"Python {sys.version.split()[0]}, aiohttp {client_library.__version__}, Textual "
              f"{textual.__version__}; the game compiled to bytecode in a temporary folder first", flush=True)
        asyncio.run(run(args, env, story))


if __name__ == "__main__":
    main()
