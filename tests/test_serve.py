"""`second-chance serve`: the game in a browser, each tab its own game and saves, nothing fetched from outside.

The server runs as a real subprocess on 127.0.0.1 (a free port), with
SECOND_CHANCE_HOME pointing at a temporary folder and a folder of one small
scenario passed with --scenarios. The browser tests drive Debian's Chromium
through Playwright (see tests/browser.py) and read the game's screen from the
page's terminal. Every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from game.__main__ import main
from game.tui import serve
from tests.browser import REQUIRE, chromium, find_chromium, open_terminal, press, unavailable, wait_for_text  # noqa: F401
from tests.helpers import MINIMAL

ROOT = Path(__file__).resolve().parents[1]


# -- without a browser ---------------------------------------------------------

def test_each_tab_runs_this_python_and_this_game(tmp_path):
    command = serve.game_command([tmp_path / "a", Path("relative")])
    assert command[:4] == [sys.executable, "-m", "game", "play"]
    assert command[4:] == ["--scenarios", str((tmp_path / "a").resolve()),
                           "--scenarios", str(Path("relative").resolve())]


def test_serve_refuses_a_missing_scenarios_folder(tmp_path, capsys):
    assert main(["serve", "--scenarios", str(tmp_path / "gone")]) == 2
    assert "is not a folder of scenarios" in capsys.readouterr().err


def test_serve_rejects_a_bad_port(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--port", "70000"])
    assert "not a port number" in capsys.readouterr().err


def test_wildcard_host_warns_then_says_why_it_cannot_listen(tmp_path, capsys):
    """The warning comes before binding: shown here with a port already taken, so nothing is exposed."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["serve", "--host", "0.0.0.0", "--port", str(port)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("second-chance serve: warning: listening on every network address of this machine: ")
    assert "anyone who can reach it can play" in lines[0] and "not encrypted" in lines[0]
    assert lines[1].startswith(f"second-chance serve: cannot listen on 0.0.0.0 port {port}: ")
    assert len(lines) == 2
    assert not (tmp_path / "home" / "browser").exists()


def test_a_missing_browser_skips_here_and_fails_where_it_is_required(monkeypatch, tmp_path):
    monkeypatch.setenv("SECOND_CHANCE_CHROMIUM", str(tmp_path / "no-chromium"))
    assert find_chromium() is None
    monkeypatch.delenv(REQUIRE, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium"):
        unavailable("no Chromium")
    monkeypatch.setenv(REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE}=1, but no Chromium"):
        unavailable("no Chromium")


# -- the server ----------------------------------------------------------------

class Served:
    """`python -m game serve` on 127.0.0.1, its output collected line by line."""

    def __init__(self, home: Path, scenarios: Path, *extra: str) -> None:
        self.home = home
        self.process = subprocess.Popen(
            [sys.executable, "-m", "game", "serve", "--port", "0", "--scenarios", str(scenarios), *extra],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
            env={**os.environ, "SECOND_CHANCE_HOME": str(home), "TEXTUAL_ANIMATIONS": "none"})
        self.out: queue.Queue[str] = queue.Queue()
        self.lines: list[str] = []
        self.errors: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.out.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.errors.append), daemon=True).start()
        self.url, self.port = "", 0

    def ready(self) -> Served:
        """Wait for the address the server prints first."""
        if not self.url:
            first = self.next_line(timeout=30)
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
            assert found, f"serve printed {first!r}; stderr: {self.errors}"
            self.url, self.port = found.group(0), int(found.group(1))
        return self

    @staticmethod
    def _read(stream, put) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def next_line(self, timeout: float) -> str:
        line = self.out.get(timeout=timeout)
        self.lines.append(line)
        return line

    def tab_homes(self, count: int, timeout: float = 20) -> list[Path]:
        """The saves folders of the next `count` tabs, as the server announces them."""
        homes: list[Path] = []
        deadline = time.monotonic() + timeout
        while len(homes) < count:
            line = self.next_line(timeout=max(0.1, deadline - time.monotonic()))
            if "its saves go to " in line:
                homes.append(Path(line.split("its saves go to ", 1)[1]))
        return homes

    def stop(self, timeout: float = 20) -> int:
        """Ctrl+C, as a terminal sends it: SIGINT to the server's whole process group."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=timeout)


@pytest.fixture(scope="module")
def starting(tmp_path_factory):
    """The server, started: it gets ready while Chromium starts."""
    home = tmp_path_factory.mktemp("serve-home")
    stories = tmp_path_factory.mktemp("serve-stories")
    (stories / "tiny.toml").write_text(MINIMAL, encoding="utf-8")
    server = Served(home, stories)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)


@pytest.fixture
def served(starting, chromium) -> Served:  # noqa: F811
    return starting.ready()


def open_tiny_and_knock(page) -> None:
    """From the list to the first choice of the scenario passed with --scenarios, by keys alone."""
    wait_for_text(page, "Tiny")  # the --scenarios folder reached the tab's game, and its story is checked
    press(page, "End", "Enter")  # the last in the list, then its content notes
    wait_for_text(page, "Begin")
    press(page, "Enter")  # Begin: no save is waiting
    wait_for_text(page, "A door.")
    press(page, "1")  # Knock.
    wait_for_text(page, "A hall.")


def saved_choices(home: Path) -> list:
    return json.loads((home / "saves" / "tiny.json").read_text(encoding="utf-8"))["path"]


def test_a_tab_plays_from_the_list_by_keys_and_saves_in_its_own_folder(served, chromium, tmp_path):  # noqa: F811
    page, recorder = open_terminal(chromium, served.url + "?ping=http://127.0.0.9:9/elsewhere")
    [home] = served.tab_homes(1)
    assert home.parent == served.home / "browser"
    open_tiny_and_knock(page)
    page.screenshot(path=str(tmp_path / "tab.png"))
    assert saved_choices(home) == [["door", 0]]
    assert recorder.requests[0].startswith(served.url)
    assert any("/static/fonts/RobotoMono" in u for u in recorder.requests)  # the font, from here
    assert [urlsplit(u)[:3] for u in recorder.websockets] == [("ws", f"127.0.0.1:{served.port}", "/ws")]
    assert recorder.foreign() == []  # not the `ping` address, no font host, nothing
    assert recorder.console_errors == []  # nor anything the page's security policy had to refuse
    page.close()


def test_two_tabs_play_two_games_with_separate_saves(served, chromium):  # noqa: F811
    first, _ = open_terminal(chromium, served.url)
    second, _ = open_terminal(chromium, served.url)
    homes = served.tab_homes(2)
    assert len(set(homes)) == 2
    open_tiny_and_knock(first)
    open_tiny_and_knock(second)
    for home in homes:
        assert sorted(p.name for p in (home / "saves").iterdir() if not p.name.startswith(".")) == ["tiny.json"]
        assert saved_choices(home) == [["door", 0]]
    first.close()
    second.close()


def request(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_only_its_own_page_can_start_a_game(starting):
    served = starting.ready()
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    here = f"127.0.0.1:{served.port}"
    assert request(served.port, "/", {"Host": here}) == 200
    assert request(served.port, "/ws", {**upgrade, "Host": here, "Origin": "http://elsewhere.example"}) == 403
    assert request(served.port, "/", {"Host": f"rebound.example:{served.port}"}) == 403
    assert request(served.port, "/ws", {**upgrade, "Host": f"rebound.example:{served.port}",
                                        "Origin": f"http://rebound.example:{served.port}"}) == 403


def test_the_page_names_no_other_host_and_forbids_loading_from_one(starting):
    served = starting.ready()
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        page = response.read().decode("utf-8")
        policy = response.getheader("Content-Security-Policy") or ""
    finally:
        connection.close()
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert "static/js/textual.js" in addresses and "static/fonts/RobotoMono-VariableFont_wght.ttf" in addresses
    assert [a for a in addresses if "//" in a or ":" in a.replace("data:,", "")] == []
    assert "fonts.googleapis" not in page
    for rule in ("default-src 'none'", "connect-src 'self'", "font-src 'self'", "frame-ancestors 'none'"):
        assert rule in policy


def test_ctrl_c_ends_the_server_and_every_game_without_a_traceback(served, chromium):  # noqa: F811
    page, _ = open_terminal(chromium, served.url)
    served.tab_homes(1)  # its game has started
    games = [int(p) for p in Path(f"/proc/{served.process.pid}/task/{served.process.pid}/children")
             .read_text().split()]
    assert games, "the tab's game should be a child of the server"
    assert served.stop() == 0
    rest = []
    while "Stopped." not in rest:
        rest.append(served.next_line(timeout=5))
    assert "Traceback" not in "\n".join(served.errors), "\n".join(served.errors)
    for pid in games:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    page.close()


def test_a_tab_beyond_the_limit_is_told_so_and_a_freed_slot_is_given_again(tmp_path, monkeypatch):
    """Each tab runs a game process, so their number is bounded; the limit says what to do."""
    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request

    def run(coroutine):  # on a thread of its own: the browser tests' driver may hold this thread's loop
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, coroutine).result(timeout=10)

    server = serve.GameServer(port=0, home=tmp_path, max_tabs=2)
    upgrade = {"Host": "127.0.0.1:8000", "Connection": "Upgrade", "Upgrade": "websocket",
               "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    server.in_use = 2  # two tabs are playing
    with pytest.raises(web.HTTPServiceUnavailable) as refused:
        run(server.handle_websocket(make_mocked_request("GET", "/ws", headers=upgrade)))
    assert "All 2 games" in refused.value.text and "--max-tabs" in refused.value.text
    assert server.in_use == 2  # a refusal takes no slot

    class Failing(Exception):
        pass

    seen: list[int] = []

    async def fail_prepare(self, request):
        seen.append(server.in_use)  # the slot is held while the tab starts
        raise Failing()

    server.in_use = 1  # one slot free: it is taken, and given back when the tab ends (here, at once)
    monkeypatch.setattr(web.WebSocketResponse, "prepare", fail_prepare)
    run(server.handle_websocket(make_mocked_request("GET", "/ws", headers=upgrade)))
    assert seen == [2] and server.in_use == 1


def test_max_tabs_must_be_a_sensible_number(capsys):
    from game.cli import main

    for bad in ("0", "-3", "many"):
        with pytest.raises(SystemExit):
            main(["serve", "--max-tabs", bad])
        assert "is not a number of tabs" in capsys.readouterr().err


# -- what anyone who can reach the server may send ------------------------------------

def games_of(server: Served) -> list[int]:
    """The server's game processes still running (a zombie has exited)."""
    pid = server.process.pid
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            if "zombie" not in Path(f"/proc/{child}/status").read_text():
                found.append(int(child))
        except OSError:
            pass
    return found


def wait_until_no_games(server: Served, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while games_of(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert games_of(server) == [], "a tab's game outlived its tab"


def in_thread(coroutine):
    """Run a client on a thread of its own: the browser tests' driver may hold this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=120)


UPGRADE = ("GET /ws?width=120&height=40 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: Upgrade\r\n"
           "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")


def frame(text: str) -> bytes:
    """A masked text frame, as a browser sends one (the mask of zeros leaves the bytes as they are)."""
    data = text.encode("utf-8")
    size = bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0xFE]) + len(data).to_bytes(2, "big")
    return b"\x81" + size + b"\0\0\0\0" + data


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A server that offers two games at once, for the attacks below."""
    home = tmp_path_factory.mktemp("guarded-home")
    stories = tmp_path_factory.mktemp("guarded-stories")
    (stories / "tiny.toml").write_text(MINIMAL, encoding="utf-8")
    server = Served(home, stories, "--max-tabs", "2")
    try:
        yield server.ready()
    finally:
        for game in games_of(server) if server.process.poll() is None else []:
            os.kill(game, signal.SIGKILL)  # a game that outlived its tab (a failed test) is not left running
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)


def test_a_reload_loop_never_runs_more_games_than_the_limit(guarded):
    """A slot is given back when the tab's game has exited, not when its page went away."""
    import aiohttp

    async def reload_loop() -> tuple[int, int, int]:
        most, opened, refused = 0, 0, 0
        async with aiohttp.ClientSession() as client:
            for _ in range(12):
                try:
                    socket_ = await client.ws_connect(f"{guarded.url}ws?width=80&height=24")
                    opened += 1
                    await asyncio.sleep(0.1)
                    await socket_.close()
                except aiohttp.WSServerHandshakeError as refusal:
                    assert refusal.status == 503
                    refused += 1
                most = max(most, len(games_of(guarded)))
        return most, opened, refused

    most, opened, refused = in_thread(reload_loop())
    assert opened >= 2 and refused >= 1 and most <= 2
    wait_until_no_games(guarded)
    assert list((guarded.home / "browser").iterdir()) == []  # tabs that saved nothing leave no folder


def test_a_tab_closed_at_once_ends_its_game_cleanly(guarded):
    """Closed within 10 ms of opening: the game quits as a player would (no crash log, no folder left)."""
    import aiohttp

    async def open_and_close() -> None:
        async with aiohttp.ClientSession() as client:
            for _ in range(2):
                socket_ = await client.ws_connect(f"{guarded.url}ws")
                await asyncio.sleep(0.01)
                await socket_.close()

    in_thread(open_and_close())
    wait_until_no_games(guarded)
    assert list((guarded.home / "browser").iterdir()) == []
    assert not any("error" in line for line in guarded.errors), guarded.errors


def test_a_page_that_never_reads_does_not_keep_its_game(guarded):
    """It sends (a stream of resizes and keys, each making the game draw) and never reads; then it goes."""
    import struct

    with socket.socket() as raw:
        raw.settimeout(10)
        raw.connect(("127.0.0.1", guarded.port))
        raw.sendall(UPGRADE.format(port=guarded.port).encode("ascii"))
        deadline = time.monotonic() + 20
        while not games_of(guarded) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert games_of(guarded), "the tab's game should have started"
        for step in range(400):
            raw.sendall(frame(json.dumps(["resize", {"width": 200 + step % 50, "height": 60 + step % 20}])))
            raw.sendall(frame(json.dumps(["stdin", "\x1b[B"])))
            time.sleep(0.01)
        time.sleep(3)  # the game draws on; what it writes fills every buffer between it and the page
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # gone, as a dead phone is
    wait_until_no_games(guarded, timeout=30)


def test_the_static_folder_is_served_but_never_listed(guarded):
    served = guarded
    here = {"Host": f"127.0.0.1:{served.port}"}
    assert request(served.port, "/static/fonts/RobotoMono-VariableFont_wght.ttf", here) == 200
    for folder in ("/static/", "/static/fonts/", "/static/js", "/static/../"):
        assert request(served.port, folder, here) in (403, 404), folder
    assert request(served.port, "/download/anything", here) == 404  # the game offers no downloads


@pytest.mark.parametrize(("message", "expected"), [
    ('["stdin", "1"]', ("stdin", "1")),
    ('["resize", {"width": 120, "height": 40}]', ("resize", (120, 40))),
    ('["resize", {"width": 10000, "height": 10000}]', ("resize", (500, 300))),
    ('["resize", {"width": -5, "height": 0}]', ("resize", (10, 5))),
    ('["resize", {"width": 1e308, "height": 80.7}]', ("resize", (500, 80))),
    ('["ping", "1700000000000"]', ("ping", "1700000000000")),
    ('["focus"]', ("focus", None)),
    ('["blur", 3]', ("blur", None)),
    ("not json", None), ("[]", None), ("{}", None), ('"stdin"', None), ("[3, 4]", None),
    ('["stdin", 5]', None), ('["stdin", ["a"]]', None), ('["stdin"]', None),
    ('["resize", 3]', None), ('["resize", {"width": "80", "height": 24}]', None),
    ('["resize", {"width": true, "height": 24}]', None), ('["resize", {"width": NaN, "height": 24}]', None),
    ('["resize", {"width": Infinity, "height": 24}]', None), ('["resize", {"width": 80}]', None),
    ('["ping", {"a": 1}]', None), ('["ping", "' + "9" * 100 + '"]', None),
    ('["quit"]', None), ('["open_url", {"url": "http://elsewhere"}]', None), ("[" * 100_000, None),
])
def test_every_message_a_page_can_send_is_checked_and_sizes_are_clamped(message, expected):
    from game.tui.tabs import read_message

    assert read_message(message) == expected


def test_the_game_is_told_a_clamped_size_whoever_asks(tmp_path):
    """The size reaches the game clamped from the handler, the address, or any other caller."""
    from game.tui.tabs import TabGame

    written: list[bytes] = []

    class Pipe:
        transport = type("T", (), {"get_write_buffer_size": staticmethod(lambda: 0)})()

        def is_closing(self) -> bool:
            return False

        def write(self, data: bytes) -> None:
            written.append(data)

        async def drain(self) -> None:
            pass

    async def resize() -> None:
        tab = TabGame(["x"], tmp_path, write_bytes=_nothing, write_str=_nothing, close=_nothing,
                      download_manager=None)
        tab._stdin = Pipe()
        await tab.set_terminal_size(10_000, 10_000)

    in_thread(resize())
    meta = json.loads(written[0][5:])
    assert (meta["width"], meta["height"]) == (500, 300)


async def _nothing(*args) -> None:
    pass


def test_a_browser_that_stops_taking_output_is_let_go(tmp_path):
    """Every send to the page is bounded: past the limit the tab stops sending and drops the connection."""
    from game.tui.tabs import TabGame

    dropped: list[bool] = []

    async def never(*args) -> None:
        await asyncio.sleep(3600)

    async def send() -> tuple[bool, float]:
        tab = TabGame(["x"], tmp_path, write_bytes=never, write_str=never, close=never,
                      abandon=lambda: dropped.append(True), download_manager=None)
        tab.send_timeout = 0.25  # room for a loaded machine: the check is that the second send never waits it
        await tab.on_data(b"a frame")
        started = time.monotonic()
        await tab.on_data(b"another")  # no longer waits for the page at all
        await tab.remote_close()
        return tab.browser_gone, time.monotonic() - started

    gone, later = in_thread(send())
    assert gone and dropped == [True] and later < 0.25


def test_input_a_game_does_not_take_is_dropped_not_waited_on(tmp_path):
    from game.tui.tabs import MAX_PENDING, TabGame

    class StuckPipe:
        def __init__(self) -> None:
            self.pending = 0
            self.transport = self

        def get_write_buffer_size(self) -> int:
            return self.pending

        def is_closing(self) -> bool:
            return False

        def write(self, data: bytes) -> None:
            self.pending += len(data)

        async def drain(self) -> None:
            await asyncio.sleep(3600)

    async def type_into_a_stuck_game() -> tuple[bool, bool, float]:
        tab = TabGame(["x"], tmp_path, write_bytes=_nothing, write_str=_nothing, close=_nothing,
                      download_manager=None)
        tab.stdin_timeout = 0.25
        tab._stdin = pipe = StuckPipe()
        first = await tab.send_bytes(b"1")
        pipe.pending = MAX_PENDING + 1
        started = time.monotonic()
        second = await tab.send_bytes(b"2")
        return first, second, time.monotonic() - started

    first, second, waited = in_thread(type_into_a_stuck_game())
    assert first is False and second is False and waited < 0.25


def test_a_game_that_will_not_quit_is_ended_and_its_slot_freed_only_then(tmp_path):
    """stop() asks, then SIGTERM, then SIGKILL; it returns once the process has exited, and only then does the
    server give the tab's slot to another."""
    from game.tui.tabs import TabGame

    stubborn = [sys.executable, "-c", "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                "print('__GANGLION__', flush=True); sys.stdout.buffer.write(b'D\\x00\\x00\\x00\\x01x'); "
                "sys.stdout.flush(); time.sleep(60)"]

    async def scenario() -> tuple[int | None, int, list[tuple[bool, int]]]:
        server = serve.GameServer(port=0, home=tmp_path, max_tabs=1)
        tab = TabGame(stubborn, tmp_path / "tab", write_bytes=_nothing, write_str=_nothing, close=_nothing,
                      download_manager=server.download_manager)
        tab.quit_timeout = tab.term_timeout = 0.2
        await tab.start(80, 24)
        await asyncio.wait_for(tab.drawn.wait(), 20)
        server.in_use = 1
        seen: list[tuple[bool, int]] = []  # (has the game exited?, slots in use)
        retiring = asyncio.ensure_future(server._retire(tab, _Closed()))
        while not retiring.done():
            seen.append((tab.exit_code is not None, server.in_use))
            await asyncio.sleep(0.02)
        return tab.exit_code, server.in_use, seen

    code, in_use, seen = in_thread(scenario())
    assert code is not None and code < 0  # ended by a signal, after a quit it ignored
    assert in_use == 0 and (False, 1) in seen and (False, 0) not in seen


class _Closed:
    closed = True


def test_a_wildcard_server_answers_only_its_own_names(tmp_path):
    from aiohttp.test_utils import make_mocked_request

    server = serve.GameServer(host="0.0.0.0", port=0, home=tmp_path, allow_hosts=["game.lan"])

    class Transport:
        def get_extra_info(self, name, default=None):
            return ("192.168.77.7", 8000) if name == "sockname" else default

    def allowed(host: str) -> bool:
        return server.host_allowed(make_mocked_request("GET", "/", headers={"Host": host}, transport=Transport()))

    assert allowed("127.0.0.1:8000") and allowed("localhost:8000") and allowed("192.168.77.7:8000")
    assert allowed("game.lan:8000") and allowed(f"{socket.gethostname()}:8000")
    assert not allowed("rebound.example:8000") and not allowed("192.168.77.8:8000") and not allowed("")
