"""Where the vote server listens, and the address phones in the room should use to reach it.

By default the server listens on this machine only (127.0.0.1): useful for a
rehearsal, or a phone plugged into the laptop. With `--lan` it listens on every
interface, and the join address is the machine's own address on the local
network: never 0.0.0.0, which a phone cannot reach. Finding that address sends
nothing: connecting a UDP socket only asks the operating system which
interface it would use for a private address; no packet leaves the machine.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

LOOPBACK = "127.0.0.1"
EVERYWHERE = "0.0.0.0"
WILDCARDS = {"", "0.0.0.0", "::", "*"}

PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")
"""Private addresses whose route names the LAN interface; nothing is ever sent to them."""


def bind_host(lan: bool = False, host: str | None = None) -> str:
    """The address to listen on: `--host H` as given, `--lan` every interface, else this machine only."""
    if host:
        return host.strip()
    return EVERYWHERE if lan else LOOPBACK


def is_wildcard(host: str) -> bool:
    return host.strip() in WILDCARDS


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
    except OSError:
        return []


def _usable(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_link_local or ip.is_multicast)


def lan_address(route: Callable[[str], str | None] = _route_address,
                host_addresses: Callable[[], Iterable[str]] = _host_addresses) -> str | None:
    """This machine's address on the local network, or None when it has none that a phone could use."""
    for probe in PROBES:
        address = route(probe)
        if _usable(address):
            return address
    for address in host_addresses():
        if _usable(address):
            return address
    return None


def join_host(bound: str, find: Callable[[], str | None] = lan_address) -> tuple[str, str]:
    """The host for the join address, and a note when it had to fall back.

    Listening on one address: that address. On every interface: the LAN
    address (or, when there is none, 127.0.0.1 and a note saying phones
    cannot reach it).
    """
    if not is_wildcard(bound):
        return bound, ""
    found = find()
    if found:
        return found, ""
    return LOOPBACK, "no network address was found: phones cannot reach this machine (is Wi-Fi connected?)"


def url_host(host: str) -> str:
    """A host as it goes in a URL: an IPv6 address in brackets."""
    host = host.strip()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
