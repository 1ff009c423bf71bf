"""The offline guard: an audit hook that refuses every network socket.

Installed first thing at start-up, so no dependency, present or future, can
open a connection or even resolve a name. Local AF_UNIX socket pairs stay
allowed: asyncio (and so Textual) wakes its event loop through one.
"""

from __future__ import annotations

import sys

# From the C module: `import socket` costs every command a few milliseconds.
from _socket import AF_UNIX

_installed = False

# Events whose very occurrence means a network lookup or connection.
_ALWAYS_REFUSED = {
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
    "socket.sethostname",
}
# Events on an existing socket object; refused unless it is a local AF_UNIX socket.
_REFUSED_ON_NETWORK_SOCKET = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"}


class NetworkRefused(PermissionError):
    """Raised inside any code that tries to reach the network."""


def _family_of(sock) -> int | None:
    try:
        return sock.family
    except Exception:  # a half-made socket; refuse to be safe
        return None


def _hook(event: str, args: tuple) -> None:
    if not event.startswith("socket."):
        return
    if event in _ALWAYS_REFUSED:
        raise NetworkRefused(f"recoveryjournal works offline; refused {event}")
    if event == "socket.__new__":
        family = args[1] if len(args) > 1 else None
        if family != AF_UNIX:
            raise NetworkRefused("recoveryjournal works offline; refused a network socket")
    elif event in _REFUSED_ON_NETWORK_SOCKET:
        if _family_of(args[0]) != AF_UNIX:
            raise NetworkRefused(f"recoveryjournal works offline; refused {event}")


def install() -> None:
    """Install the guard once per process. Audit hooks cannot be removed."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def is_installed() -> bool:
    return _installed
