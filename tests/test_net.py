"""Network exposure, decided in one place (`game/net.py`) for the vote server, `serve` and the language server.

The class under test: which addresses reach only this machine, which names a
request may use, and the address people are given. No test here sends a
packet: the LAN address is found with a UDP `connect`, which sends nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import game
from game import net
from game.tui import serve

RULES = {"is_loopback", "listens_on_loopback", "is_wildcard", "lan_address", "join_host", "url_host", "url_for",
         "own_names", "host_allowed", "bind_host"}


def test_each_network_rule_has_one_home() -> None:
    """No module but game/net.py defines one of its rules (a method may call one), and no module passes them on
    under names of its own: the workshop's server imports game.net, as `serve` does."""
    root = Path(game.__file__).resolve().parent
    elsewhere = []
    for path in root.rglob("*.py"):
        if path == root / "net.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name in RULES:
                elsewhere.append(f"{path.relative_to(root)}:{node.lineno} {node.name}")
    assert elsewhere == []
    assert not (root / "web" / "net.py").exists()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST.",
                                  "ip6-localhost"])
def test_loopback_addresses_and_names(host: str) -> None:
    assert net.is_loopback(host) and net.listens_on_loopback(host)
    assert serve.exposure_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "*", "192.168.1.20", "10.0.0.5", "fe80::1"])
def test_other_addresses_reach_the_network_and_warn_in_one_line(host: str) -> None:
    assert not net.is_loopback(host) and not net.listens_on_loopback(host, lookup=lambda name: ["127.0.0.1"])
    warning = serve.exposure_warning(host)
    assert warning is not None and "\n" not in warning
    assert "anyone who can reach it can play" in warning and "not encrypted" in warning
    assert ("every network address" in warning) == net.is_wildcard(host)


def test_a_name_the_user_typed_is_looked_up_but_a_name_a_request_sent_never_is() -> None:
    """`--host my-laptop` resolving to 127.0.1.1 listens on loopback; a Host header naming a stranger's site
    that resolves to 127.0.0.1 (DNS rebinding) is still a stranger's name."""
    asked: list[str] = []

    def lookup(name: str) -> list[str]:
        asked.append(name)
        return {"my-laptop": ["127.0.1.1", "::1"], "half": ["127.0.0.1", "192.168.1.2"]}.get(name, [])

    assert net.listens_on_loopback("my-laptop", lookup)
    assert not net.listens_on_loopback("half", lookup)  # one address on the network is enough to warn
    assert not net.listens_on_loopback("nowhere.invalid", lookup)
    assert asked == ["my-laptop", "half", "nowhere.invalid"]
    assert not net.is_loopback("rebound.example")  # never looked up
    assert not net.host_allowed("rebound.example", net.own_names("127.0.0.1"))


def test_the_names_a_server_answers_to() -> None:
    def lan() -> str:
        return "192.168.4.4"

    def addresses() -> list[str]:
        return ["127.0.1.1", "10.1.2.3"]

    everywhere = net.own_names("0.0.0.0", ["Game.Lan."], find_lan=lan, host_addresses=addresses)
    assert {"localhost", "192.168.4.4", "10.1.2.3", "game.lan"} <= everywhere
    assert net.host_allowed("127.0.0.1", everywhere) and net.host_allowed("[::1]", everywhere)
    one = net.own_names("192.168.4.4", find_lan=lan, host_addresses=addresses)
    assert "192.168.4.4" in one and "10.1.2.3" not in one
    assert net.own_names("127.0.0.1") == net.LOOPBACK_NAMES | {"127.0.0.1"}


@pytest.mark.parametrize(("host", "arrived", "allowed"), [
    ("127.0.0.1", "127.0.0.1", True),
    ("[::1]", "::1", True),
    ("localhost", "127.0.0.1", True),
    ("192.168.4.4", "192.168.4.4", True),     # the address the connection arrived at is this machine's own
    ("192.168.4.5", "192.168.4.4", False),    # another address in the header
    ("game.lan", "192.168.4.4", True),        # added with --allow-host
    ("GAME.LAN.", "192.168.4.4", True),
    ("rebound.example", "192.168.4.4", False),
    ("", "192.168.4.4", False),
    ("192.168.4.4.nip.io", "192.168.4.4", False),
])
def test_a_request_must_name_this_server(host: str, arrived: str, allowed: bool) -> None:
    assert net.host_allowed(host, frozenset({"game.lan"}), arrived) is allowed


def test_the_address_given_to_people_is_never_a_wildcard() -> None:
    assert net.join_host("0.0.0.0", lambda: "192.168.1.20") == ("192.168.1.20", "")
    host, note = net.join_host("::", lambda: None)
    assert host == "127.0.0.1" and "cannot reach" in note
    assert net.join_host("10.1.2.3") == ("10.1.2.3", "")
    assert net.url_for("::1", 9) == "http://[::1]:9/" and net.url_for("0.0.0.0", 80, "/x") == "http://127.0.0.1:80/x"
    assert net.url_host("fe80::1") == "[fe80::1]" and net.url_host("[::1]") == "[::1]"
    assert serve.GameServer(host="::1").address_to_open(9) == "http://[::1]:9/"


def test_the_lan_address_is_found_without_sending_and_never_loopback(monkeypatch) -> None:
    found = net.lan_address()  # the real one: a UDP connect picks a route and sends nothing
    assert found is None or (not net.is_loopback(found) and not net.is_wildcard(found))

    class NoRoute:
        def __init__(self, *args: object) -> None:
            pass

        def __enter__(self) -> NoRoute:
            return self

        def __exit__(self, *args: object) -> bool:
            return False

        def connect(self, address: object) -> None:
            raise OSError("Network is unreachable")

    monkeypatch.setattr(net.socket, "socket", NoRoute)
    assert net.lan_address(host_addresses=lambda: ["127.0.1.1"]) is None
