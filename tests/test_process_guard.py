"""The offline guard and the process hardening every command starts with.

(The layers themselves are checked from the source in test_layers.py.)"""

from __future__ import annotations

import subprocess
import sys

import pytest

GUARD_PROBE = """
import socket, sys, urllib.request
from recoveryjournal.vault import netguard
netguard.install()
results = []
for name, attempt in [
    ("create_connection", lambda: socket.create_connection(("127.0.0.1", 9), timeout=1)),
    ("getaddrinfo", lambda: socket.getaddrinfo("localhost", 80)),
    ("urlopen", lambda: urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)),
    ("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM)),
    ("ipv6", lambda: socket.socket(socket.AF_INET6)),
]:
    try:
        attempt()
        results.append(name + ":allowed")
    except PermissionError:
        results.append(name + ":refused")
    except Exception as exc:
        # urllib wraps the refusal in URLError; anything else means the guard missed it
        refused = isinstance(getattr(exc, "reason", None), PermissionError)
        results.append(name + ":" + ("refused" if refused else type(exc).__name__))
a, b = socket.socketpair()  # asyncio needs a local pair; that stays allowed
results.append("socketpair:" + ("ok" if a.family == socket.AF_UNIX else "bad"))
print(" ".join(results))
"""


def test_guard_refuses_every_network_socket_but_allows_local_pairs():
    result = subprocess.run([sys.executable, "-c", GUARD_PROBE], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "create_connection:refused", "getaddrinfo:refused", "urlopen:refused",
        "udp:refused", "ipv6:refused", "socketpair:ok"]


def test_cli_installs_the_guard_before_anything_else():
    code = ("import sys\n"
            "from recoveryjournal import cli\n"
            "try:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
            "from recoveryjournal.vault import netguard\n"
            "print(netguard.is_installed())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("True")


def test_cli_process_cannot_leave_a_core_dump():
    code = ("import resource\n"
            "from recoveryjournal import cli\n"
            "try:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(resource.getrlimit(resource.RLIMIT_CORE))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("(0, 0)")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_cli_process_cannot_be_read_by_another_program_of_the_same_user():
    """PR_SET_DUMPABLE 0: no ptrace attach or /proc/PID/mem read without root."""
    code = ("import ctypes\n"
            "from recoveryjournal import cli\n"
            "try:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))")  # PR_GET_DUMPABLE
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("0"), result.stderr
