"""The workshop's server when sockets run short: macOS's 256 open files, idle sockets, a crowd from one address.

The server runs in a child process started under `ulimit -n 256` (soft and
hard, so the limit cannot be raised), serving a workshop whose vote is open.
The test then floods it from 127.0.0.1 with 300 idle connections that never
send a request, and phones vote from other loopback addresses (127.0.0.2 and
up: all of 127.0.0.0/8 is this machine). Every phone is let in and counted,
the idle sockets are closed within the server's request timeout, and the
log can still be written. A second part fills the phones' share itself: a
phone past it is told the vote is full, none hangs. Loopback only; every
wait has a deadline; the child is killed if it outlives the test.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from game.web.gate import BUSY
from game.web.limits import Budget, budget
from game.web.votes import FULL

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import asyncio, json, sys
from pathlib import Path
from game.web.server import WorkshopServer
from game.workshop import log as logs
from game.workshop.room import Workshop
from tests.helpers import vote_story

async def main():
    room = Workshop(vote_story())
    room.begin()
    room.open_voting()
    server = WorkshopServer("127.0.0.1", 0, heartbeat=None, request_timeout=1.0)
    server.attach(room)
    await server.start()
    print(json.dumps({"port": server.port, "code": server.code, "round": room.round_id,
                      "files": server.door.budget.files, "phones": server.votes.max_connections,
                      "connections": server.door.gate.total, "note": server.limit_note}), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    logs.LogStore(room, Path(sys.argv[1])).save()
    gate = server.door.gate
    print(json.dumps({"ballots": len(room.round.ballots), "refused": gate.refused,
                      "most_from_one": gate.most_from_one, "per_address": gate.per_address}), flush=True)
    await server.stop()

asyncio.run(main())
"""


async def line_from(process: asyncio.subprocess.Process, timeout: float = 20.0) -> dict:
    assert process.stdout is not None
    raw = await asyncio.wait_for(process.stdout.readline(), timeout)
    assert raw, "the server said nothing"
    return json.loads(raw)


async def phone(origin: str, code: str, round_id: str, source: str, option: int) -> dict:
    """One phone from its own loopback address: hello, one vote, and the server's answer to it."""
    connector = aiohttp.TCPConnector(local_addr=(source, 0))
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10)) as http:
        async with http.ws_connect(f"{origin}/ws?code={code}", origin=origin) as ws:
            await ws.send_json({"type": "hello", "token": f"phone-{source.replace('.', '-')}-xxxxxxxx"})
            await ws.send_json({"type": "vote", "round": round_id, "option": option})
            while True:
                message = await ws.receive(timeout=8)
                if message.type != aiohttp.WSMsgType.TEXT:
                    return {"type": "closed"}
                data = json.loads(message.data)
                if data["type"] in ("ack", "error"):
                    return data


async def idle(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    try:
        return await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 2)
    except (OSError, asyncio.TimeoutError):
        return None


async def closed_by_server(reader: asyncio.StreamReader) -> bytes | None:
    """All the server sends, up to its closing: BUSY when it turned the socket away at the door, nothing when
    it let it in and closed it idle; None when it never closed it."""
    try:
        return await asyncio.wait_for(reader.read(), 5)
    except (OSError, asyncio.TimeoutError):
        return None


async def test_idle_sockets_under_256_files_cost_no_phone_and_no_log_write(tmp_path: Path) -> None:
    log_path = tmp_path / "flooded.json"
    process = await asyncio.create_subprocess_exec(
        "/bin/sh", "-c", f'ulimit -n 256 && exec "{sys.executable}" -c "$0" "$1"', CHILD, str(log_path),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT,
        env={**os.environ, "SECOND_CHANCE_HOME": str(tmp_path / "home")})
    flood: list = []
    try:
        started = await line_from(process)
        assert started["files"] == 256  # the hard limit is 256 too: nothing to raise
        assert started["phones"] < started["connections"] < 256 - 32 and "ulimit -Hn" in started["note"]
        origin = f"http://127.0.0.1:{started['port']}"
        flood = [c for c in await asyncio.gather(*(idle(started["port"]) for _ in range(300))) if c]
        began = time.monotonic()
        answers = await asyncio.gather(*(phone(origin, started["code"], started["round"], f"127.0.0.{n}", n % 2)
                                         for n in range(2, 22)))
        assert all(a["type"] == "ack" for a in answers), answers
        closings = await asyncio.gather(*(closed_by_server(reader) for reader, _ in flood))
        assert all(c is not None for c in closings) and time.monotonic() - began < 8
        turned_away = sum(1 for c in closings if c == BUSY)
        assert all(c in (BUSY, b"") for c in closings)  # refused at once, or let in and closed when idle
        process.stdin.write(b"save\n")
        await process.stdin.drain()
        finished = await line_from(process)
        assert finished["ballots"] == 20
        assert turned_away <= finished["refused"] <= turned_away + 300 - len(flood)  # a late accept is refused too
        # How many idle sockets got in depends on how long the flood took against the 1 s idle timeout, so
        # the cap is checked as it works: one address reached its share, never held more, and the rest waited.
        assert finished["most_from_one"] == finished["per_address"] and turned_away > 0
        assert await asyncio.wait_for(process.wait(), 10) == 0
        assert len(json.loads(log_path.read_text(encoding="utf-8"))["open"]["ballots"]) == 20
    finally:
        for _, writer in flood:
            writer.close()
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_phones_past_the_share_are_told_the_vote_is_full(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        "/bin/sh", "-c", f'ulimit -n 256 && exec "{sys.executable}" -c "$0" "$1"', CHILD, str(tmp_path / "l.json"),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT,
        env={**os.environ, "SECOND_CHANCE_HOME": str(tmp_path / "home")})
    try:
        started = await line_from(process)
        origin = f"http://127.0.0.1:{started['port']}"
        crowd = started["phones"] + 20
        sockets = []
        sessions = []
        for n in range(crowd):  # each phone stays connected, from an address of its own
            connector = aiohttp.TCPConnector(local_addr=(f"127.0.{1 + n // 250}.{2 + n % 250}", 0))
            session = aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10))
            sessions.append(session)
            sockets.append(await session.ws_connect(f"{origin}/ws?code={started['code']}", origin=origin))
        told = []
        for ws in sockets:
            await ws.send_json({"type": "hello", "token": f"phone-crowd-{len(told):06d}-xxxx"})
            message = await ws.receive(timeout=8)
            told.append(json.loads(message.data) if message.type == aiohttp.WSMsgType.TEXT else {"type": "closed"})
        welcomed = [t for t in told if t["type"] == "welcome"]
        full = [t for t in told if t.get("message") == FULL]
        assert len(welcomed) == started["phones"] and len(full) == 20  # nobody left hanging with no word
        for ws in sockets:
            await ws.close()
        for session in sessions:
            await session.close()
        process.stdin.write(b"done\n")
        await process.stdin.drain()
        assert (await line_from(process))["ballots"] == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@pytest.mark.parametrize(("files", "in_use", "phones"), [((256, 256), 30, 134), ((20000, 20000), 30, 1000),
                                                         ((64, 64), 40, 1)])
def test_the_phones_share_stays_below_the_open_file_limit(files, in_use, phones) -> None:
    share = budget(1000, files, in_use)
    assert share.phones == phones and share.phones < share.connections <= files[0] - in_use
    assert bool(share.note) == (phones < 1000)
    assert budget(1000, (-1, -1)) == Budget(-1, 2072, 1000)  # no limit at all (RLIM_INFINITY)
