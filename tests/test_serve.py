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

@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_hosts_print_no_warning(host):
    assert serve.is_loopback(host)
    assert serve.exposure_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5"])
def test_other_hosts_warn_in_one_line(host):
    warning = serve.exposure_warning(host)
    assert warning is not None and "\n" not in warning
    assert "anyone who can reach it can play" in warning and "not encrypted" in warning
    assert ("every network address" in warning) == serve.is_wildcard(host)


def test_wildcard_host_gives_the_lan_address_never_the_wildcard(monkeypatch):
    server = serve.GameServer(host="0.0.0.0", port=8000)
    monkeypatch.setattr(serve, "lan_address", lambda: "192.168.1.20")
    assert server.address_to_open(8000) == "http://192.168.1.20:8000/"
    monkeypatch.setattr(serve, "lan_address", lambda: None)
    assert server.address_to_open(8000) == "http://127.0.0.1:8000/"
    assert serve.GameServer(host="::1").address_to_open(9) == "http://[::1]:9/"


def test_lan_address_sends_nothing_and_falls_back(monkeypatch):
    found = serve.lan_address()  # a UDP connect: picks a route, sends no packet
    if found is not None:
        assert found != "0.0.0.0" and not found.startswith("127.")

    class NoRoute:
        def __init__(self, *args):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def connect(self, address):
            raise OSError("Network is unreachable")

    monkeypatch.setattr(serve.socket, "socket", NoRoute)
    assert serve.lan_address() is None


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

    def __init__(self, home: Path, scenarios: Path) -> None:
        self.home = home
        self.process = subprocess.Popen(
            [sys.executable, "-m", "game", "serve", "--port", "0", "--scenarios", str(scenarios)],
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
    shown = wait_for_text(page, "Scenarios")
    assert "Tiny" in shown  # the --scenarios folder reached the tab's game
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
        assert sorted(p.name for p in (home / "saves").iterdir()) == ["tiny.json"]
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
