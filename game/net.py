"""Network exposure, decided once: which addresses reach only this machine, which names a server answers to,
and the address to give people.

Three servers listen on the network: the phones' vote server (`game/web/`),
`serve` (the game in a browser, `game/tui/serve.py`) and the language server's
`--tcp`. They all bind 127.0.0.1 unless the user names another address, say
so when it is not loopback, and give people an address they can reach (never
0.0.0.0). Those rules live here, so the three never drift apart.

Two questions look alike and must not be confused:

- *Where does the server listen?* (`listens_on_loopback`) The user typed the
  address, so a name is looked up: `--host my-laptop` that resolves to
  127.0.1.1 is still this machine only.
- *Which name did a request use?* (`is_loopback`, `host_allowed`) The Host
  header comes from a stranger's browser and is never looked up: a page on
  another site can point a name of its own at 127.0.0.1 (DNS rebinding), so
  only literal addresses and the machine's own names count.

Finding the LAN address sends nothing: connecting a UDP socket only asks the
operating system which interface it would use for a private address; no
packet leaves the machine.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection, Iterable

from game.safetext import needs_care, quote

LOOPBACK = "127.0.0.1"
EVERYWHERE = "0.0.0.0"
WILDCARDS = frozenset({"", "*", "0.0.0.0", "::"})
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")
"""Private addresses whose route names the LAN interface; nothing is ever sent to them."""


def bare(host: str) -> str:
    """A host without spaces, IPv6 brackets or a trailing dot, in lower case: how names are compared."""
    return host.strip().strip("[]").rstrip(".").lower()


def typed_host(text: str) -> str:
    """A host the user typed (`--host`, `--allow-host`), when it could name an address: one word of printable
    text. ValueError with a sentence otherwise: a byte that is not UTF-8 on the command line, a control
    character or a space would only fail later, deep in the system's resolver."""
    host = text.strip()
    if not host or needs_care(host) or any(c.isspace() for c in host) or len(host) > 255:
        raise ValueError(f"`{quote(text)}` is not a network address or a machine's name "
                         "(such as 192.168.1.20 or my-laptop.local)")
    return host


def bind_host(lan: bool = False, host: str | None = None) -> str:
    """The address to listen on: `--host H` as given, `--lan` every interface, else this machine only."""
    if host:
        return host.strip()
    return EVERYWHERE if lan else LOOPBACK


def is_wildcard(host: str) -> bool:
    """True for an address that means every interface of this machine (0.0.0.0, ::, *, or nothing)."""
    return host.strip().strip("[]") in WILDCARDS


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(bare(host).split("%")[0])
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """True when `host`, as written, names only this machine: 127.0.0.0/8, ::1 or a loopback name.

    Never looks a name up, so it is safe for a Host header a stranger sent.
    """
    name = bare(host)
    if name in LOOPBACK_NAMES:
        return True
    ip = _ip(name)
    return ip is not None and ip.is_loopback


def listens_on_loopback(host: str, lookup: Callable[[str], Iterable[str]] | None = None) -> bool:
    """True when a server bound to `host` can be reached from this machine only.

    The user typed `host`, so a name is looked up: every address it resolves
    to must be loopback. A wildcard, or a name that does not resolve, is not.
    """
    if is_loopback(host):
        return True
    name = bare(host)
    if is_wildcard(name) or _ip(name) is not None:
        return False
    try:
        found = set((lookup or _resolve)(name))
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(is_loopback(address) for address in found)


def _resolve(name: str) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(name, None)]


def _route_address(probe: str) -> str | None:
    """The local address the system would send from to reach `probe` (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect((probe, 9))
            address = sock.getsockname()[0]
        except OSError:
            return None
    return address


def _host_addresses() -> list[str]:
    try:
        return socket.gethostbyname_ex(socket.gethostname())[2]
    except (OSError, UnicodeError):
        return []


def _usable(address: str | None) -> bool:
    if not address:
        return False
    ip = _ip(address)
    return ip is not None and not (ip.is_loopback or ip.is_unspecified or ip.is_link_local or ip.is_multicast)


def lan_address(route: Callable[[str], str | None] = _route_address,
                host_addresses: Callable[[], Iterable[str]] = _host_addresses) -> str | None:
    """This machine's address on the local network, or None when it has none that another device could use."""
    for probe in PROBES:
        address = route(probe)
        if _usable(address):
            return address
    for address in host_addresses():
        if _usable(address):
            return address
    return None


def join_host(bound: str, find: Callable[[], str | None] = lan_address) -> tuple[str, str]:
    """The host for the address people are given, and a note when it had to fall back.

    Listening on one address: that address. On every interface: the LAN
    address (or, when there is none, 127.0.0.1 and a note saying other
    devices cannot reach it).
    """
    if not is_wildcard(bound):
        return bound.strip(), ""
    found = find()
    if found:
        return found, ""
    return LOOPBACK, "no network address was found: other devices cannot reach this machine (is Wi-Fi connected?)"


def url_host(host: str) -> str:
    """A host as it goes in a URL: an IPv6 address in brackets."""
    host = host.strip()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def url_for(host: str, port: int, path: str = "/") -> str:
    """`http://host:port/path`, with an IPv6 address in brackets; a wildcard becomes 127.0.0.1."""
    host = LOOPBACK if is_wildcard(host) else host
    return f"http://{url_host(host)}:{port}{path}"


def own_names(bound: str, extra: Iterable[str] = (), find_lan: Callable[[], str | None] = lan_address,
              host_addresses: Callable[[], Iterable[str]] = _host_addresses) -> frozenset[str]:
    """The names and addresses a server bound to `bound` answers to in a request's Host header.

    Loopback names and addresses always; the address it is bound to; on every
    interface, this machine's own names (its host name, with and without its
    domain and `.local`) and the addresses found for it; and any the user
    added (`--allow-host`). Anything else (a name a stranger pointed at this
    machine) is refused.
    """
    names = set(LOOPBACK_NAMES)
    if not is_wildcard(bound):
        names.add(bare(bound))
    else:
        try:
            host = socket.gethostname()
            fqdn = socket.getfqdn()
        except (OSError, UnicodeError):  # pragma: no cover - the host name is always there
            host = fqdn = ""
        for name in (host, fqdn):
            if name and not is_loopback(name):
                names |= {bare(name), bare(name.split(".")[0]), bare(name.split(".")[0]) + ".local"}
        lan = find_lan()
        names |= {bare(a) for a in (lan, *host_addresses()) if a}
    names |= {bare(name) for name in extra if bare(name)}
    return frozenset(names)


def host_allowed(host: str, allowed: Collection[str], arrived_at: str | None = None) -> bool:
    """True when a request's Host names this server: a loopback address or name, one of `allowed`, or the
    very address the connection arrived at (`arrived_at`, from the socket: by definition one of this
    machine's own). The header is never looked up."""
    name = bare(host)
    if not name:
        return False
    if is_loopback(name) or name in allowed:
        return True
    if arrived_at is not None:
        here, there = _ip(name), _ip(arrived_at)
        return here is not None and here == there
    return False
