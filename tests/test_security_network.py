"""Offline by construction: the real CLI and TUI make no network system call, and
the audit-hook guard refuses a socket even when a dependency asks for one.

Sessions run under `strace -f -e trace=network`. asyncio (and so Textual) wakes
its loop through an AF_UNIX socketpair; that is the only kind allowed. Every
`socket`, `connect`, `bind`, `sendto`, `sendmsg`, `listen` and `accept` call
counts as a failure, whatever its family.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import PASSPHRASE
from helpers.journals import Template
from helpers.processes import DEADLINE_S, cli_env, run_cli

STRACE = shutil.which("strace")
FORBIDDEN = ("socket", "connect", "bind", "sendto", "sendmsg", "sendmmsg", "listen",
             "accept", "accept4")
_CALL = re.compile(r"^\d+\s+([a-z0-9_]+)\((.*)")  # "PID name(args" as written by -f -o


def strace_prefix(log: Path) -> list[str]:
    return [STRACE, "-f", "-qq", "-e", "trace=network", "-o", str(log)]


@pytest.fixture(scope="module")
def strace_works(tmp_path_factory):
    """Skip, with the reason, where strace is missing or may not trace (ptrace
    restricted in some containers); fail nowhere for that."""
    if STRACE is None:
        pytest.skip("strace is not installed (apt-get install strace)")
    log = tmp_path_factory.mktemp("strace") / "probe.log"
    probe = subprocess.run([*strace_prefix(log), "true"], capture_output=True, text=True,
                           timeout=DEADLINE_S)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here: {probe.stderr.strip()[:200]}")
    return True


def network_calls(log: Path) -> tuple[list[str], int, int]:
    """(forbidden calls, AF_UNIX socketpairs, sends on those pairs) in an strace log.

    asyncio wakes its loop by sending one byte over its socketpair (`sendto(fd,
    "\\0", 1, 0, NULL, 0)`): a send with no address on a socketpair's own fd is
    allowed; any other send, and every socket/connect/bind/listen/accept, is not."""
    forbidden, socketpairs, wakeups = [], 0, 0
    pair_fds: set[str] = set()
    for line in log.read_text().splitlines():
        match = _CALL.match(line)
        if not match:
            continue
        name, args = match.groups()
        if name == "socketpair":
            if args.startswith("AF_UNIX"):
                socketpairs += 1
                pair_fds.update(re.findall(r"\d+", args.rsplit("[", 1)[-1]))
            else:
                forbidden.append(line)
        elif name in ("sendto", "sendmsg", "sendmmsg"):
            fd = args.split(",", 1)[0]
            no_address = re.search(r"NULL, 0(\)\s*=| <unfinished)", args)
            if name == "sendto" and fd in pair_fds and no_address:
                wakeups += 1
            else:
                forbidden.append(line)
        elif name in FORBIDDEN:
            forbidden.append(line)
    return forbidden, socketpairs, wakeups


def test_the_log_parser_sees_a_real_connection_attempt(strace_works, tmp_path):
    """The counting can fail: an unguarded socket to loopback is seen."""
    log = tmp_path / "unguarded.log"
    code = ("import socket\ns = socket.socket()\ntry:\n    s.connect(('127.0.0.1', 9))\n"
            "except OSError:\n    pass\nsocket.socketpair()")
    subprocess.run([*strace_prefix(log), sys.executable, "-c", code], check=True,
                   timeout=DEADLINE_S)
    forbidden, socketpairs, _wakeups = network_calls(log)
    assert any("AF_INET" in line and "socket(" in line for line in forbidden)
    assert any("connect(" in line for line in forbidden)
    assert socketpairs == 1


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return Template(tmp_path_factory.mktemp("net-template"), PASSPHRASE, ["an old entry"])


def test_a_full_cli_session_makes_no_network_call(strace_works, tmp_path):
    env = cli_env(tmp_path / "home")
    path = tmp_path / "journal" / "j.db"
    new = "a different passphrase"
    steps = [
        (["init", "--track", "alcohol"], f"{PASSPHRASE}\n{PASSPHRASE}\n"),
        (["write", "called my sponsor today"], f"{PASSPHRASE}\n"),
        (["list"], f"{PASSPHRASE}\n"),
        (["search", "sponsor"], f"{PASSPHRASE}\n"),
        (["passwd"], f"{PASSPHRASE}\n{new}\n{new}\n"),
        (["list"], f"{new}\n"),
    ]
    total_forbidden, total_pairs = [], 0
    for number, (args, stdin) in enumerate(steps):
        log = tmp_path / f"step{number}.log"
        result = run_cli(args, path, env, stdin=stdin, prefix=strace_prefix(log))
        assert result.returncode == 0, result.stderr.decode()
        forbidden, pairs, _wakeups = network_calls(log)
        total_forbidden += forbidden
        total_pairs += pairs
    print(f"\n[network] CLI session ({len(steps)} commands): "
          f"{len(total_forbidden)} network calls, {total_pairs} AF_UNIX socketpairs")
    assert total_forbidden == []


def test_a_tui_session_in_a_terminal_makes_no_network_call(strace_works, template, tmp_path):
    ptyprocess = pytest.importorskip("ptyprocess")
    pyte = pytest.importorskip("pyte")
    path = template.copy_to(tmp_path / "journal" / "j.db")
    log = tmp_path / "tui.log"
    env = cli_env(tmp_path / "home", TERM="xterm-256color")
    process = ptyprocess.PtyProcess.spawn(
        [*strace_prefix(log), sys.executable, "-m", "recoveryjournal", "--journal", str(path)],
        env=env, dimensions=(24, 80),
    )
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)

    def pump(until: float) -> bool:
        """Feed output to the screen; False once the app has ended."""
        if _readable(process.fd, max(until - time.monotonic(), 0)):
            try:
                stream.feed(process.read(65536))
            except EOFError:
                return False
        return True

    def wait_for(condition, what: str) -> None:
        until = time.monotonic() + DEADLINE_S
        while not condition("\n".join(screen.display)):
            if time.monotonic() > until or not pump(until):
                pytest.fail(f"the TUI did not show {what}; screen:\n" + "\n".join(screen.display))

    try:
        wait_for(lambda text: "Your journal is locked" in text and "Passphrase" in text,
                 "the unlock screen")
        process.write(f"{PASSPHRASE}\r".encode())
        wait_for(lambda text: "Your journal is locked" not in text and text.strip(),
                 "the unlocked journal")
        process.write(b"\x11")  # ctrl+q: save any draft, lock and quit
        until = time.monotonic() + DEADLINE_S
        while pump(until):
            if time.monotonic() > until:
                pytest.fail("ctrl+q did not end the app; screen:\n" + "\n".join(screen.display))
    finally:
        if process.isalive():
            process.terminate(force=True)
    forbidden, pairs, wakeups = network_calls(log)
    print(f"\n[network] TUI session (unlock, first screen, quit): {len(forbidden)} network "
          f"calls, {pairs} AF_UNIX socketpairs, {wakeups} loop wake-ups on them")
    assert forbidden == []
    assert pairs >= 1  # the event loop ran: the log really covers the TUI


def _readable(fd: int, timeout: float) -> bool:
    import select

    ready, _, _ = select.select([fd], [], [], max(timeout, 0))
    return bool(ready)


GUARD_PROBE = r"""
import json, socket, urllib.request, urllib.error, asyncio
from recoveryjournal.vault import netguard
netguard.install()
results = {}
def attempt(name, action):
    try:
        action()
    except netguard.NetworkRefused:
        results[name] = "refused"
    except urllib.error.URLError as exc:
        results[name] = "refused" if isinstance(exc.reason, netguard.NetworkRefused) else repr(exc)
    except Exception as exc:
        results[name] = repr(exc)
    else:
        results[name] = "allowed"
attempt("create_connection", lambda: socket.create_connection(("127.0.0.1", 9), timeout=1))
attempt("urllib", lambda: urllib.request.urlopen("http://127.0.0.1:9/", timeout=1))
attempt("getaddrinfo", lambda: socket.getaddrinfo("localhost", 80))
attempt("gethostbyname", lambda: socket.gethostbyname("localhost"))
attempt("socket AF_INET", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
attempt("socket AF_INET6", lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM))
attempt("socket AF_NETLINK", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW))
attempt("asyncio open_connection", lambda: asyncio.run(asyncio.open_connection("127.0.0.1", 9)))
attempt("socketpair", lambda: socket.socketpair()[0].close())
attempt("asyncio loop", lambda: asyncio.run(asyncio.sleep(0)))
print(json.dumps(results))
"""


def test_the_guard_refuses_every_way_a_dependency_might_connect(tmp_path):
    use_strace = STRACE is not None and subprocess.run(
        [*strace_prefix(tmp_path / "probe.log"), "true"], capture_output=True).returncode == 0
    log = tmp_path / "guard.log"
    prefix = strace_prefix(log) if use_strace else []
    result = subprocess.run([*prefix, sys.executable, "-c", GUARD_PROBE], capture_output=True,
                            text=True, timeout=DEADLINE_S, env=cli_env(tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)
    local = {"socketpair", "asyncio loop"}
    refused = {name for name, outcome in results.items() if outcome == "refused"}
    assert refused == set(results) - local, results
    assert all(results[name] == "allowed" for name in local), results
    if use_strace:
        forbidden, _pairs, _wakeups = network_calls(log)
        assert forbidden == [], forbidden  # refused before any system call
    print(f"\n[network] guard: {len(refused)} attempts refused "
          f"({'checked under strace' if use_strace else 'strace unavailable'})")
