"""How the phone vote holds up with a lecture hall: 300 phones on loopback.

Prints figures and ratios measured in the same run (machines are noisy, so the
baseline is always taken alongside); nothing is asserted. Run:
    python benchmarks/bench_votes.py [--phones 300] [--rounds 5] [--seconds 3]

The vote server runs in a process of its own (so its memory is its own), from
compiled bytecode as an installed game does: the game is compiled into a
temporary bytecode folder first. The phones are aiohttp websocket clients in
this process, sending the Origin a browser would.

1. The room joins and votes within one second: each phone connects at a random
   moment in that second, says hello, and votes as soon as it sees the round.
   Then, for `--rounds` more rounds, every connected phone votes at a random
   moment within one second. For each round: is every vote counted, and how
   long after the last vote is cast until every phone's screen shows the
   tally's count equal to the votes cast (median and worst over all phones);
   also the server's own CPU time for the round and the longest stretch its
   loop was too busy to answer (both less blurred by other load on the
   machine than the times the phones see). Aim: every vote counted, every
   phone current within 200 ms.
2. A vote's round trip (sent to "Vote received") against the same clients'
   round trip through a bare aiohttp echo websocket.
3. Votes per second sustained: every phone changes its vote again and again
   (each waiting for its answer; the per-phone rate limit lifted for this),
   against the same clients echoing through the bare websocket; the ratio.
4. The server process's resident memory with every phone connected, against
   the echo server's with the same connections.
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
ROUND_TRIPS = []

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
goto = "end"
[[scenes.s.choices]]
text = "Two."
goto = "end"
[[scenes.s.choices]]
text = "Three."
goto = "end"
[endings.end]
title = "End"
tone = "warm"
outcome = "apart"
text = "Done."
'''

SERVER = """
import asyncio, json, os, resource, sys
sys.path.insert(0, sys.argv[1])
from game.loader import load_text
from game.web import votes
from game.web.votes import VoteServer
from game.workshop.room import Workshop

def memory():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": usage.ru_utime + usage.ru_stime, **{k: int(fields[k].split()[0]) for k in ("VmRSS", "VmHWM")}}

STALL = [0.0]

async def watch_loop():  # how late a 10 ms sleep wakes: the longest the loop could answer nothing
    loop = asyncio.get_running_loop()
    while True:
        start = loop.time()
        await asyncio.sleep(0.01)
        STALL[0] = max(STALL[0], loop.time() - start - 0.01)

async def main():
    watcher = asyncio.create_task(watch_loop())
    workshop = Workshop(load_text(sys.argv[3], "bench.toml", catalog={}))
    server = VoteServer(workshop, "127.0.0.1", 0, max_connections=10_000, per_address=10_000,
                        devices_per_address=10_000, votes_per_second=float(sys.argv[2]))
    await server.start()
    workshop.begin()
    compiled = os.path.exists(votes.__cached__)
    print(json.dumps({"port": server.port, "code": server.code, "cached": compiled}), flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line in ("", "quit"):
            break
        if line == "open":
            workshop.open_voting()
        elif line == "again":  # a fresh round on the same decision
            workshop.skip()
            workshop.undo()
        current = workshop.round
        print(json.dumps({"round": workshop.round_id, "phase": current.phase, "total": current.total,
                          "ballots": len(current.ballots), "phones": server.phones, "stall": STALL[0],
                          **memory()}), flush=True)
        STALL[0] = 0.0
    await server.stop()

asyncio.run(main())
"""

ECHO = """
import asyncio, json, sys
from aiohttp import web, WSMsgType

def memory():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return {k: int(fields[k].split()[0]) for k in ("VmRSS", "VmHWM")}

async def echo(request):
    ws = web.WebSocketResponse(max_msg_size=1024, compress=False)
    await ws.prepare(request)
    async for message in ws:
        if message.type == WSMsgType.TEXT:
            await ws.send_str(message.data)
    return ws

async def main():
    app = web.Application()
    app.router.add_get("/ws", echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(json.dumps({"port": runner.addresses[0][1]}), flush=True)
    loop = asyncio.get_running_loop()
    while (await loop.run_in_executor(None, sys.stdin.readline)).strip() not in ("", "quit"):
        print(json.dumps(memory()), flush=True)
    await runner.cleanup()

asyncio.run(main())
"""


class Process:
    """A server in its own interpreter, driven by lines on stdin, answering JSON lines on stdout."""

    def __init__(self, code: str, args: list[str], env: dict[str, str]):
        self.process = subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=env)
        self.hello = self.read()

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the server process ended")
        return json.loads(line)

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


class Phone:
    """One simulated phone: a socket, a reader that keeps the latest state, and events to wait on."""

    def __init__(self, n: int):
        self.token = f"bench-phone-{n:05d}-token"
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.state: dict = {}
        self.answers: asyncio.Queue = asyncio.Queue()
        self.changed = asyncio.Event()
        self.reader: asyncio.Task | None = None

    async def join(self, http: aiohttp.ClientSession, url: str, origin: str) -> None:
        self.ws = await http.ws_connect(url, origin=origin)
        self.reader = asyncio.create_task(self.read())
        await self.ws.send_str(json.dumps({"type": "hello", "token": self.token}))

    async def read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            kind = data.get("type")
            if kind == "state":
                self.state = data
                self.changed.set()
            elif kind in ("ack", "error", "echo"):
                self.answers.put_nowait((time.perf_counter(), data))

    async def until(self, test, timeout: float = 10.0) -> float:
        """Wait until the latest state passes `test`; the moment it first did."""
        deadline = time.perf_counter() + timeout
        while not test(self.state):
            self.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"phone {self.token} waited {timeout}s; it shows {self.state}")
            await asyncio.wait_for(self.changed.wait(), left)
        return time.perf_counter()

    async def vote(self, round_id: str, option: int) -> tuple[float, float, dict]:
        sent = time.perf_counter()
        await self.ws.send_str(json.dumps({"type": "vote", "round": round_id, "option": option}))
        answered, data = await asyncio.wait_for(self.answers.get(), 10)
        return sent, answered, data

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()


def ms(values: list[float]) -> str:
    ordered = sorted(v * 1000 for v in values)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return f"median {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms, worst {ordered[-1]:.1f} ms"


def session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=30))


async def vote_rounds(server: Process, phones: list[Phone], rounds: int) -> tuple[list[float], list[float], dict]:
    """Round 1: phones join and vote within a second; then `rounds` more, every phone voting within a second."""
    port, code = server.hello["port"], server.hello["code"]
    origin, url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}/ws?code={code}"
    server.ask("open")
    current_after_last: list[float] = []
    round_trips: list[float] = []
    memory: dict = {}
    stalls: list[float] = []
    rng = random.Random(7)
    async with session() as http:
        for number in range(rounds + 1):
            status = server.ask("status")
            round_id, cpu = status["round"], status["cpu"]
            sends: list[float] = []
            refused: list[dict] = []

            async def one(phone: Phone, delay: float, joining: bool, round_id: str = round_id,
                          sends: list[float] = sends, refused: list[dict] = refused) -> None:
                await asyncio.sleep(delay)
                if joining:
                    await phone.join(http, url, origin)
                await phone.until(lambda s: s.get("round") == round_id and s.get("phase") == "voting")
                sent, answered, data = await phone.vote(round_id, rng.choice((0, 1, 2)))
                sends.append(sent)
                round_trips.append(answered - sent)
                if data["type"] != "ack":
                    refused.append(data)

            start = time.perf_counter()
            await asyncio.gather(*(one(p, rng.random(), number == 0) for p in phones))
            cast = len(phones) - len(refused)
            def current(s: dict, round_id: str = round_id, cast: int = cast) -> bool:
                return s.get("round") == round_id and s.get("votes") == cast

            seen = await asyncio.gather(*(p.until(current) for p in phones))
            last = max(sends)
            ROUND_TRIPS.append(list(round_trips))
            lags = [t - last for t in seen]
            current_after_last += lags
            status = server.ask("status")
            counted = status["ballots"] == cast == status["total"]
            what = "joined and voted" if number == 0 else "voted"
            stalls.append(status["stall"])
            print(f"  round {number + 1}: {len(phones)} phones {what} in {last - start:.2f} s; "
                  f"{cast} votes cast, {status['ballots']} counted ({'every vote counted' if counted else 'MISSING'}"
                  f"{', ' + str(len(refused)) + ' refused' if refused else ''}); every phone current "
                  f"{max(lags) * 1000:.0f} ms after the last vote (median {statistics.median(lags) * 1000:.0f} ms); "
                  f"vote round trips {ms(round_trips[-len(sends):])}; the server's loop busiest for "
                  f"{status['stall'] * 1000:.0f} ms at a time, its CPU {status['cpu'] - cpu:.2f} s for the round",
                  flush=True)
            memory = status
            if number < rounds:
                server.ask("again")
                server.ask("open")
    return current_after_last, round_trips, memory


async def sustained(phones: list[Phone], seconds: float, round_id: str | None) -> int:
    """Every phone sends again as soon as it is answered, for `seconds`; how many answers came back."""
    done = 0
    stop = time.perf_counter() + seconds

    async def loop(phone: Phone, n: int) -> None:
        nonlocal done
        option = n % 3
        while time.perf_counter() < stop:
            option = (option + 1) % 3
            if round_id is None:
                await phone.ws.send_str(json.dumps({"type": "echo", "n": option}))
                await asyncio.wait_for(phone.answers.get(), 10)
            else:
                await phone.vote(round_id, option)
            done += 1

    await asyncio.gather(*(loop(p, n) for n, p in enumerate(phones)))
    return done


async def echo_baseline(echo: Process, count: int, seconds: float) -> tuple[list[float], float, dict]:
    url, origin = f"http://127.0.0.1:{echo.hello['port']}/ws", f"http://127.0.0.1:{echo.hello['port']}"
    phones = [Phone(n) for n in range(count)]
    async with session() as http:
        for phone in phones:
            phone.ws = await http.ws_connect(url, origin=origin)
            phone.reader = asyncio.create_task(phone.read())
        trips: list[float] = []
        rng = random.Random(7)

        async def one(phone: Phone) -> None:
            await asyncio.sleep(rng.random())
            sent = time.perf_counter()
            await phone.ws.send_str(json.dumps({"type": "echo", "round": "r", "option": 1}))
            answered, _ = await asyncio.wait_for(phone.answers.get(), 10)
            trips.append(answered - sent)

        await asyncio.gather(*(one(p) for p in phones))
        memory = echo.ask("memory")
        done = await sustained(phones, seconds, None)
        for phone in phones:
            await phone.close()
    return trips, done / seconds, memory


async def run(args: argparse.Namespace, env: dict[str, str]) -> None:
    server = Process(SERVER, [str(ROOT), "5", STORY], env)
    echo = Process(ECHO, [], env)
    try:
        print(f"the vote server loaded its code from compiled bytecode: {server.hello['cached']}", flush=True)
        phones = [Phone(n) for n in range(args.phones)]
        print(f"1. {args.phones} phones join and vote within one second, then {args.rounds} more rounds "
              "(rate limit: 5 votes a second per phone, as shipped):", flush=True)
        lags, trips, memory = await vote_rounds(server, phones, args.rounds)
        print(f"   every phone current after the last vote: {ms(lags)} over {len(lags)} phone-rounds "
              "(aim: worst < 200 ms)")
        for phone in phones:
            await phone.close()
        server.close()
        echo_trips, echo_rate, echo_memory = await echo_baseline(echo, args.phones, args.seconds)
        print(f"2. a vote's round trip (sent to 'Vote received'): {ms(trips)}")
        print(f"   the same clients through a bare aiohttp echo websocket: {ms(echo_trips)}")
        print(f"   ratio of the medians: {statistics.median(trips) / statistics.median(echo_trips):.2f} (a vote "
              "also sets off a push of the new count to every phone)")

        server = Process(SERVER, [str(ROOT), "100000", STORY], env)
        phones = [Phone(n) for n in range(args.phones)]
        port, code = server.hello["port"], server.hello["code"]
        async with session() as http:
            for phone in phones:
                await phone.join(http, f"http://127.0.0.1:{port}/ws?code={code}", f"http://127.0.0.1:{port}")
            round_id = server.ask("open")["round"]
            await asyncio.gather(*(p.until(lambda s: s.get("phase") == "voting") for p in phones))
            done = await sustained(phones, args.seconds, round_id)
            status = server.ask("status")
            for phone in phones:
                await phone.close()
        rate = done / args.seconds
        print(f"3. votes sustained, {args.phones} phones each voting again as soon as answered "
              f"(rate limit lifted), {args.seconds:.0f} s: {rate:,.0f} votes/s, with every phone kept current; "
              f"{status['ballots']} phones' last votes held")
        print(f"   the same clients through the bare echo websocket: {echo_rate:,.0f} messages/s; "
              f"ratio {rate / echo_rate:.2f}")
        mib = 1024
        print(f"4. vote server resident memory with {args.phones} phones: {memory['VmRSS'] / mib:.1f} MiB "
              f"(peak {memory['VmHWM'] / mib:.1f} MiB; the server of the sustained run peaked at "
              f"{status['VmHWM'] / mib:.1f} MiB)")
        print(f"   bare echo server with the same connections: {echo_memory['VmRSS'] / mib:.1f} MiB "
              f"(peak {echo_memory['VmHWM'] / mib:.1f} MiB); ratio {memory['VmRSS'] / echo_memory['VmRSS']:.2f}")
    finally:
        server.close()
        echo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5, help="rounds after the first (joining) one")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of the sustained run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as bytecode:
        env = dict(os.environ)
        env["SECOND_CHANCE_HOME"] = home  # never touch a real home
        # Run the server the way an installed game runs: from compiled bytecode (pip compiles at install
        # time). This environment sets PYTHONDONTWRITEBYTECODE, so compile first, outside the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = bytecode
        sys.pycache_prefix = bytecode
        compileall.compile_dir(str(ROOT / "game"), quiet=1)
        import aiohttp as client_library
        compileall.compile_dir(str(Path(client_library.__file__).parent), quiet=1)
        print(f"Python {sys.version.split()[0]}, aiohttp {client_library.__version__}; the game compiled to "
              f"bytecode in a temporary folder first, and the servers run from it", flush=True)
        asyncio.run(run(args, env))


if __name__ == "__main__":
    main()
