"""A workshop that ends badly loses nothing: a signal, a crash, and picking it up again with the phones.

The signal test runs the real command in a pseudo-terminal, as a facilitator
would: `workshop --resume LOG --vote` on a log whose vote was open, a phone
(an aiohttp websocket on loopback) votes, then the process gets SIGTERM or
SIGHUP. The terminal must be given back (the alternate screen and mouse
reporting switched off after they were last switched on), the phone told the
workshop is paused (it can be picked up again, so the page keeps trying to
come back), and the log must hold the phone's vote. Every wait has a
deadline; the process is killed if it outlives the test.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import pty
import re
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import aiohttp
import pytest

from game.loader import load_text
from game.tui.workshop.app import WorkshopApp
from game.tui.workshop.context import Room, WorkshopContext
from game.tui.workshop.screens.dialogs import NoticeScreen
from game.web.votes import CLOSE_PAUSED
from game.workshop import log as logs
from game.workshop.room import Workshop
from tests.helpers import ROOM
from tests.test_tui_workshop import FakeLink

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def open_vote_log(folder: Path) -> tuple[Path, Path]:
    """The room story on disk, and a log of it whose first vote is open with two hands counted."""
    story = folder / "room.toml"
    story.write_text(ROOM, encoding="utf-8")
    room = Workshop(load_text(ROOM, str(story), catalog={}), ["Red"])
    room.begin()
    room.set_hands(0, 2)
    store = logs.LogStore(room, folder / "room-test-20250101-100000.json")
    store.save()
    return story, store.path


class Terminal:
    """A process on a pseudo-terminal of 120x36, with everything it wrote kept."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                                        start_new_session=True)
        os.close(slave)
        os.set_blocking(self.master, False)
        self.output = b""

    def read(self) -> bytes:
        try:
            while chunk := os.read(self.master, 65536):
                self.output += chunk
        except (BlockingIOError, OSError):
            pass
        return self.output

    def text(self) -> str:
        return ANSI.sub(b"", self.read()).decode("utf-8", "replace")

    async def wait_for(self, pattern: str, timeout: float = 15.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text())
            if found:
                return found
            if self.process.poll() is not None:
                break
            await asyncio.sleep(0.05)
        raise AssertionError(f"never saw {pattern!r}; the screen said: {self.text()[-600:]!r}")

    async def exited(self, timeout: float = 15.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read()
            if self.process.poll() is not None:
                self.read()
                return self.process.returncode
            await asyncio.sleep(0.05)
        raise AssertionError("the workshop did not end")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self.master)


def last(output: bytes, sequence: bytes) -> int:
    return output.rfind(sequence)


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGHUP])
async def test_a_signal_pauses_the_workshop_as_quit_does(tmp_path: Path, sent: signal.Signals) -> None:
    story, log_path = open_vote_log(tmp_path)
    port = free_port()
    env = {**os.environ, "TERM": "xterm-256color", "SECOND_CHANCE_HOME": str(tmp_path / "home"),
           "COLUMNS": "120", "LINES": "36"}
    terminal = Terminal([sys.executable, "-m", "game", "workshop", str(story), "--resume", str(log_path), "--vote",
                         "--port", str(port)], env)
    try:
        code = (await terminal.wait_for(r"the code +([A-Z0-9]{6})")).group(1)
        await terminal.wait_for(r"Phones join at")  # the resumed workshop serves its phones, and says so
        origin = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
            phone = await http.ws_connect(f"{origin}/ws?code={code}", origin=origin)
            await phone.send_json({"type": "hello", "token": "phone-signal-aaaaaaaa"})
            seen: list[dict] = []
            state: dict = {}
            while not state.get("round") or state.get("phase") != "voting":
                message = json.loads((await phone.receive(timeout=10)).data)
                seen.append(message)
                state = message if message["type"] == "state" else state
            await phone.send_json({"type": "vote", "round": state["round"], "option": 1})
            while seen[-1]["type"] != "ack":
                seen.append(json.loads((await phone.receive(timeout=10)).data))
            terminal.process.send_signal(sent)
            while seen[-1]["type"] != "bye":
                message = await phone.receive(timeout=10)
                assert message.type == aiohttp.WSMsgType.TEXT, message
                seen.append(json.loads(message.data))
            assert seen[-1]["paused"] is True and "The workshop is paused" in seen[-1]["message"]
            closing = await phone.receive(timeout=10)  # it can be picked up again: the page keeps trying
            assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            assert phone.close_code == CLOSE_PAUSED
        assert await terminal.exited() == 0
        output = terminal.read()
        assert last(output, b"\x1b[?1049l") > last(output, b"\x1b[?1049h") >= 0  # the alternate screen left
        assert last(output, b"\x1b[?1000l") > last(output, b"\x1b[?1000h") >= 0  # the mouse let go
        said = terminal.text().replace("\r\n", " ")
        assert f"({sent.name}). It was saved as {log_path.name}" in said and "come back by themselves" in said
        saved = json.loads(log_path.read_text(encoding="utf-8"))
        assert saved["server"]["port"] == port and saved["server"]["code"] == code  # to be found there again
        vote = saved["open"]
        assert vote["phase"] == "voting" and vote["hands"] == {"0": 2} and list(vote["ballots"].values()) == [1]
    finally:
        terminal.close()


async def test_a_crash_saves_the_open_vote_and_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    room = Workshop(load_text(ROOM, "room.toml", catalog={}))
    store = logs.LogStore(room, tmp_path / "room-test-crash.json")
    link = FakeLink()
    app = WorkshopApp(WorkshopContext(room=Room(room, store), log_dir=tmp_path, server=lambda: link))
    with pytest.raises(ZeroDivisionError):  # run_test hands the app's failure on, once the app has ended
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(50):
                if link.running:
                    break
                await pilot.pause()
            room.begin()
            room.open_voting()
            room.ballot(room.round_id, "phone-crash-aaaaaaaaa", 3)
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
    assert app.crashed and app.crash_saved is not None and store.path.name in app.crash_saved
    assert link.stopped and link.paused  # saved: the phones and the room display wait for it to be picked up
    saved = json.loads(store.path.read_text(encoding="utf-8"))["open"]
    assert list(saved["ballots"].values()) == [3]


async def test_a_workshop_picked_up_again_listens_where_it_did_with_its_code_and_key() -> None:
    from game.web.server import WorkshopServer

    first = WorkshopServer(heartbeat=None)
    await first.start()
    earlier = first.rejoin
    await first.stop()
    again = WorkshopServer(heartbeat=None)
    again.reuse(earlier)
    await again.start()
    try:
        assert again.rejoin == earlier  # the phones' pages and the room display reconnect by themselves
        taken = WorkshopServer(heartbeat=None)
        taken.reuse(earlier)
        await taken.start()  # the port is in use now: any free one will do, with the same code
        assert taken.port != earlier["port"] and taken.code == earlier["code"]
        assert f"Port {earlier['port']} was taken, so the workshop moved to {taken.address}" in taken.moved_note
        assert "cannot reach it" in taken.moved_note and not again.moved_note  # found where it was: nothing to say
        await taken.stop()
    finally:
        await again.stop()
    port = free_port()
    asked = WorkshopServer(port=port, heartbeat=None)  # a port on the command line wins; odd codes are not taken
    asked.reuse({**earlier, "code": "bad!", "key": "<script>"})
    await asked.start()
    assert asked.port == port and asked.code != "bad!" and asked.key != "<script>" and not asked.moved_note
    await asked.stop()
    forgot = WorkshopServer(phones=False, heartbeat=None)  # picked up without --vote, after phones voted on the LAN
    forgot.reuse({**earlier, "phones": True, "network": True})
    assert forgot.phones_on and "--lan" in forgot.limit_note


async def test_a_workshop_that_moved_to_another_port_says_so_until_the_facilitator_has_read_it(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    link = FakeLink()
    link.moved_note = "Port 8000 was taken, so the workshop moved to http://192.0.2.5:8123/."
    room = Workshop(load_text(ROOM, "room.toml", catalog={}))
    app = WorkshopApp(WorkshopContext(room=Room(room, logs.LogStore(room, tmp_path / "moved.json")),
                                      log_dir=tmp_path, server=lambda: link))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            if isinstance(app.screen, NoticeScreen):
                break
            await pilot.pause()
        assert isinstance(app.screen, NoticeScreen) and link.moved_note in str(app.screen.words)
        assert not list(app._notifications)  # no toast lies over the notice while it is read
        await pilot.press("x")  # a key meant for the workshop does not close it unread
        assert isinstance(app.screen, NoticeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, NoticeScreen)
        assert any("room display is ready" in n.message for n in app._notifications)  # and then come back


async def test_ballots_and_counts_reach_the_log_as_they_come(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    room = Workshop(load_text(ROOM, "room.toml", catalog={}))
    store = logs.LogStore(room, tmp_path / "room-test-live.json")
    app = WorkshopApp(WorkshopContext(room=Room(room, store), log_dir=tmp_path))
    writes = []
    save = store.save
    monkeypatch.setattr(store, "save", lambda: (writes.append(1), save()))
    async with app.run_test(size=(100, 30)) as pilot:
        room.begin()
        room.open_voting()
        room.add_hands(0)
        for n in range(30):  # a burst of phones costs a few writes, not thirty
            room.ballot(room.round_id, f"phone-burst-{n:04d}-aaaa", n % 2)
        deadline = time.monotonic() + 5
        saved: dict = {}
        while time.monotonic() < deadline:
            await pilot.pause(0.05)
            saved = json.loads(store.path.read_text(encoding="utf-8")) if store.path.exists() else {}
            if saved.get("open") and len(saved["open"]["ballots"]) == 30:
                break
        assert saved["open"]["hands"] == {"0": 1} and len(saved["open"]["ballots"]) == 30
        assert app.is_running  # nobody quit: the open vote was saved as it filled
        assert len(writes) <= 2
