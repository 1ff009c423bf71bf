"""The guard holds against what it can see: after lock-down a process cannot open a
network socket through ctypes, an adopted descriptor or an AF_UNIX connection, and
cannot start programs, while what the app needs (asyncio's socket pair, plotext's
drawing kernel, `netguard.run_program`) still works. Where the kernel has
Landlock's network rules, TCP is refused by the kernel itself.

Each probe runs in its own process: lock-down cannot be undone, and the test
runner must keep starting programs. Servers a probe might reach are opened inside
the probe before lock-down, as a socket handed down to the app would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers.processes import DEADLINE_S, cli_env
from recoveryjournal.vault import kernelguard

KERNEL_ABI = kernelguard.abi_version()
NEEDS_LANDLOCK = pytest.mark.skipif(
    KERNEL_ABI < kernelguard.NETWORK_ABI,
    reason=f"this kernel ({os.uname().release}) has Landlock ABI {KERNEL_ABI}; network "
           f"rules need ABI {kernelguard.NETWORK_ABI} (Linux 6.7+) with Landlock enabled")

PRELUDE = r"""
import json, os, socket, sys
from recoveryjournal.vault import netguard
results = {}
def attempt(name, action):
    try:
        outcome = action()
    except netguard.GuardRefused as exc:
        results[name] = "refused: " + type(exc).__name__
    except Exception as exc:
        results[name] = "error: " + repr(exc)
    else:
        results[name] = "allowed" if outcome is None else "allowed: " + str(outcome)
def pending(server):
    # a connection waiting on a listening server: whether anything reached it
    server.setblocking(False)
    try:
        server.accept()[0].close()
        return True
    except BlockingIOError:
        return False
"""


def run_probe(tmp_path: Path, body: str) -> dict[str, str]:
    script = PRELUDE + textwrap.dedent(body) + "\nprint(json.dumps(results))\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=DEADLINE_S, env=cli_env(tmp_path / "home"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_native_calls_through_ctypes_are_refused(tmp_path):
    """ctypes calling libc socket(AF_INET) directly: the audit hook sees the library
    being opened or the function looked up, and refuses. The one function the app
    found before the lock-down (malloc_trim) is still called, and nothing can be
    allowed after it (not getpid, found before too)."""
    results = run_probe(tmp_path, """
        import ctypes, _ctypes
        libc_before = ctypes.CDLL(None)  # opened before lock-down, as a dependency might
        getpid = _ctypes.dlsym(_ctypes.dlopen(None), "getpid")  # an address found before
        from recoveryjournal.vault import memory
        memory.prepare()  # as the CLI's entry point does: malloc_trim, allowed
        netguard.lock_down()
        attempt("malloc_trim, found before", memory.give_back)
        attempt("allowing another call after", lambda: netguard.allow_native_call(getpid))
        attempt("libc socket via CDLL(None)", lambda: ctypes.CDLL(None).socket(2, 1, 0))
        attempt("libc socket via a handle opened before", lambda: libc_before.socket(2, 1, 0))
        attempt("CDLL libc.so.6", lambda: ctypes.CDLL("libc.so.6"))
        attempt("pythonapi", lambda: ctypes.pythonapi.PyRun_SimpleString)
        attempt("_ctypes.dlsym", lambda: _ctypes.dlsym(_ctypes.dlopen(None), "socket"))
        attempt("_ctypes.call_function", lambda: _ctypes.call_function(getpid, ()))
        attempt("raw memory", lambda: ctypes.c_char.from_address(id(results)))
        """)
    assert results == {
        "libc socket via CDLL(None)": "refused: NativeCodeRefused",
        "libc socket via a handle opened before": "refused: NativeCodeRefused",
        "CDLL libc.so.6": "refused: NativeCodeRefused",
        "pythonapi": "refused: NativeCodeRefused",
        "_ctypes.dlsym": "refused: NativeCodeRefused",
        "_ctypes.call_function": "refused: NativeCodeRefused",
        "raw memory": "refused: NativeCodeRefused",
        "malloc_trim, found before": "allowed: True",
        "allowing another call after": "allowed: False",
    }


def test_starting_programs_is_refused(tmp_path):
    marker = tmp_path / "ran"
    results = run_probe(tmp_path, f"""
        marker = {str(marker)!r}
        os.environ["BROWSER"] = "touch " + marker  # a browser that would leave a mark
        import subprocess, webbrowser, pty
        netguard.lock_down()
        touch = [sys.executable, "-c", "open(" + repr(marker) + ", 'w')"]
        attempt("os.system", lambda: os.system("touch " + marker))
        attempt("subprocess.run", lambda: subprocess.run(touch))
        attempt("os.popen", lambda: os.popen("touch " + marker).read())
        attempt("os.posix_spawn", lambda: os.posix_spawn(sys.executable, touch, os.environ))
        attempt("os.spawnv", lambda: os.spawnv(os.P_WAIT, sys.executable, touch))
        attempt("os.fork", lambda: os.fork())
        attempt("pty.fork", lambda: pty.fork())
        attempt("webbrowser", lambda: webbrowser.open("http://127.0.0.1:9/"))
        import multiprocessing, _posixsubprocess
        spawn = multiprocessing.get_context("spawn")
        attempt("multiprocessing spawn", lambda: spawn.Process(target=os.getpid).start())
        attempt("_posixsubprocess.fork_exec", lambda: _posixsubprocess.fork_exec(touch, [b""]))
        attempt("os.execv", lambda: os.execv(sys.executable, touch))
        """)
    assert results == {
        "os.system": "refused: ProgramRefused",
        "subprocess.run": "refused: ProgramRefused",
        "os.popen": "refused: ProgramRefused",
        "os.posix_spawn": "refused: ProgramRefused",
        "os.spawnv": "refused: ProgramRefused",
        "os.fork": "refused: ProgramRefused",
        "pty.fork": "refused: ProgramRefused",
        "webbrowser": "allowed: False",  # no browser could be started, and no crash
        "multiprocessing spawn": "refused: ProgramRefused",
        "_posixsubprocess.fork_exec": "refused: ProgramRefused",
        "os.execv": "refused: ProgramRefused",  # had it run, this process would be gone
    }
    assert not marker.exists()


def test_an_adopted_descriptor_is_judged_by_its_real_family(tmp_path):
    """`socket.socket(AF_UNIX, fileno=<an AF_INET fd>)`: the audit event carries the
    family asked for, AF_UNIX; the guard asks the kernel and refuses."""
    results = run_probe(tmp_path, """
        server = socket.create_server(("127.0.0.1", 0))
        socket.create_connection(server.getsockname())  # waits to be accepted
        inet_fd = os.dup(server.fileno())
        udp_fd = socket.socket(socket.AF_INET, socket.SOCK_DGRAM).detach()
        pair_fd = socket.socketpair()[0].detach()
        netguard.lock_down()
        attempt("real family of an AF_INET fd", lambda: netguard._real_family(inet_fd))
        attempt("real family of a socketpair fd", lambda: netguard._real_family(pair_fd))
        attempt("the probed fd stays open", lambda: os.fstat(inet_fd) and None)
        attempt("AF_UNIX over an AF_INET fd",
                lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, 0, fileno=inet_fd))
        attempt("AF_UNIX over a UDP fd",
                lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM, 0, fileno=udp_fd))
        attempt("fromfd", lambda: socket.fromfd(inet_fd, socket.AF_UNIX, socket.SOCK_STREAM))
        attempt("an AF_UNIX fd adopted outside socketpair",
                lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, 0, fileno=pair_fd))
        attempt("accept on a socket made before", lambda: server.accept())
        """)
    assert results == {
        "real family of an AF_INET fd": "allowed: 2",
        "real family of a socketpair fd": "allowed: 1",
        "the probed fd stays open": "allowed",
        "AF_UNIX over an AF_INET fd": "refused: NetworkRefused",
        "AF_UNIX over a UDP fd": "refused: NetworkRefused",
        "fromfd": "refused: NetworkRefused",
        "an AF_UNIX fd adopted outside socketpair": "refused: NetworkRefused",
        "accept on a socket made before": "refused: NetworkRefused",
    }


def test_af_unix_connections_are_refused_whatever_the_path(tmp_path):
    """A Unix socket may lead anywhere (a proxy, a browser, a desktop bus): no
    connect, bind or send to an address, even on a socket made before the guard."""
    results = run_probe(tmp_path, """
        path = os.path.join(os.getcwd(), "s")
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen()
        client = socket.socket(socket.AF_UNIX)
        datagram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        netguard.install()  # the network part alone already refuses these
        attempt("new AF_UNIX socket", lambda: socket.socket(socket.AF_UNIX))
        attempt("connect to a path", lambda: client.connect(path))
        attempt("connect to an abstract name", lambda: client.connect("\\0rj-test"))
        attempt("bind", lambda: datagram.bind(path + "2"))
        attempt("sendto a path", lambda: datagram.sendto(b"x", path))
        attempt("sendmsg to a path", lambda: datagram.sendmsg([b"x"], [], 0, path))
        attempt("anything reached the server", lambda: pending(server))
        """)
    assert results == {
        "new AF_UNIX socket": "refused: NetworkRefused",
        "connect to a path": "refused: NetworkRefused",
        "connect to an abstract name": "refused: NetworkRefused",
        "bind": "refused: NetworkRefused",
        "sendto a path": "refused: NetworkRefused",
        "sendmsg to a path": "refused: NetworkRefused",
        "anything reached the server": "allowed: False",
    }


def test_what_the_app_needs_still_works_after_lock_down(tmp_path):
    """asyncio's socket pair (Textual's event loop), plotext's C kernel (every chart),
    and the one door for the app's own program."""
    results = run_probe(tmp_path, """
        import asyncio, subprocess
        from datetime import date, timedelta
        netguard.lock_down()
        def pair():
            a, b = socket.socketpair()
            a.sendall(b"x")
            b.sendmsg([b"y"])
            return a.recv(1) + b.recv(1)
        attempt("socketpair", lambda: pair().decode())
        attempt("asyncio loop", lambda: asyncio.run(asyncio.sleep(0)))
        from recoveryjournal import charts
        weeks = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(5)]
        chart = lambda: charts.urges_per_week(charts.Weekly(weeks, {"alcohol": [1, 2, 3, 0, 1]}))
        attempt("a chart drawn by plotext", lambda: "Urges per week" in chart())
        echo = [sys.executable, "-c", "print('hello from the editor')"]
        attempt("run_program", lambda: netguard.run_program(echo, capture_output=True,
                                                             text=True).stdout.strip())
        attempt("subprocess again after run_program", lambda: subprocess.run(echo))
        attempt("run_program of a missing program",
                lambda: netguard.run_program(["no-such-editor-rj"]))
        """)
    assert results == {
        "socketpair": "allowed: yx",
        "asyncio loop": "allowed",
        "a chart drawn by plotext": "allowed: True",
        "run_program": "allowed: hello from the editor",
        "subprocess again after run_program": "refused: ProgramRefused",
        "run_program of a missing program": "error: FileNotFoundError('no-such-editor-rj')",
    }


def test_plotext_allowance_does_not_open_other_libraries(tmp_path):
    """plotext may use its own kernel; that is no door to libc or to raw memory for
    anyone else, even once plotext has loaded."""
    results = run_probe(tmp_path, """
        import ctypes
        netguard.lock_down()
        import plotext
        from plotext._kernel import tools
        attempt("plotext's kernel loaded", lambda: tools.kernel._name.endswith("kernel.so"))
        attempt("libc through plotext's kernel handle, asked by others",
                lambda: tools.kernel.socket)
        attempt("raw memory from outside plotext", lambda: ctypes.c_int.from_address(id(results)))
        """)
    assert results == {
        "plotext's kernel loaded": "allowed: True",
        "libc through plotext's kernel handle, asked by others": "refused: NativeCodeRefused",
        "raw memory from outside plotext": "refused: NativeCodeRefused",
    }


@NEEDS_LANDLOCK
def test_landlock_refuses_tcp_even_without_the_audit_hook(tmp_path):
    """Landlock alone (no audit hook, no seccomp): Python's own socket calls reach
    the kernel and are refused there, as native code's would be, and programs
    started later inherit it. UDP is not covered by Landlock (ABI 4 to 7)."""
    results = run_probe(tmp_path, """
        import subprocess
        from recoveryjournal.vault import kernelguard
        server = socket.create_server(("127.0.0.1", 0))
        port = server.getsockname()[1]
        functions = kernelguard._libc_functions()
        kernelguard._no_new_privileges(functions)
        attempt("restrict", lambda: kernelguard._landlock(functions, kernelguard._numbers()) >= 4)
        attempt("connect", lambda: socket.create_connection(("127.0.0.1", port)))
        attempt("bind", lambda: socket.socket().bind(("127.0.0.1", 0)))
        attempt("UDP, which Landlock does not cover",
                lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close())
        child = ("import socket\\ntry:\\n    socket.create_connection(('127.0.0.1', %d))\\n"
                 "except PermissionError:\\n    print('refused')" % port)
        attempt("a program started afterwards",
                lambda: subprocess.run([sys.executable, "-c", child], capture_output=True,
                                       text=True).stdout.strip())
        attempt("anything reached the server", lambda: pending(server))
        """)
    assert results == {
        "restrict": "allowed: True",
        "connect": "error: PermissionError(13, 'Permission denied')",
        "bind": "error: PermissionError(13, 'Permission denied')",
        "UDP, which Landlock does not cover": "allowed",
        "a program started afterwards": "allowed: refused",
        "anything reached the server": "allowed: False",
    }


def test_seccomp_refuses_every_socket_but_af_unix_without_the_audit_hook(tmp_path):
    """The seccomp filter alone: no UDP, TCP, IPv6, netlink or packet socket can be
    made, by any code in the process or any program it starts; Unix sockets and
    asyncio's socket pair still can."""
    results = run_probe(tmp_path, """
        import asyncio, subprocess
        from recoveryjournal.vault import kernelguard
        numbers = kernelguard._numbers()
        functions = kernelguard._libc_functions() if numbers else None
        if not functions or not kernelguard._no_new_privileges(functions):
            results["skip"] = "no seccomp for this system"
        elif not kernelguard._seccomp(functions, numbers):
            results["skip"] = "the kernel refused the seccomp filter"
        else:
            for family, kind in [("AF_INET", "SOCK_DGRAM"), ("AF_INET", "SOCK_STREAM"),
                                 ("AF_INET6", "SOCK_DGRAM"), ("AF_NETLINK", "SOCK_RAW"),
                                 ("AF_PACKET", "SOCK_RAW")]:
                attempt(family + " " + kind, lambda: socket.socket(
                    getattr(socket, family), getattr(socket, kind)).close())
            attempt("AF_UNIX", lambda: socket.socket(socket.AF_UNIX).close())
            attempt("socketpair and the asyncio loop", lambda: asyncio.run(asyncio.sleep(0)))
            child = ("import socket\\ntry:\\n    socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\\n"
                     "except PermissionError:\\n    print('refused')")
            attempt("a program started afterwards",
                    lambda: subprocess.run([sys.executable, "-c", child], capture_output=True,
                                           text=True).stdout.strip())
        """)
    if "skip" in results:
        pytest.skip(results["skip"])
    denied = "error: PermissionError(13, 'Permission denied')"
    assert results == {
        "AF_INET SOCK_DGRAM": denied,
        "AF_INET SOCK_STREAM": denied,
        "AF_INET6 SOCK_DGRAM": denied,
        "AF_NETLINK SOCK_RAW": denied,
        "AF_PACKET SOCK_RAW": denied,
        "AF_UNIX": "allowed",
        "socketpair and the asyncio loop": "allowed",
        "a program started afterwards": "allowed: refused",
    }


def test_the_seccomp_program_is_what_the_comments_say():
    """Read back instruction by instruction: a wrong jump would let a socket through
    or, worse, refuse every system call."""
    numbers = (444, 446, 41, 425, 0xC000003E)
    program = kernelguard.seccomp_program(numbers)
    rows = [(int.from_bytes(program[i:i + 2], "little"), program[i + 2], program[i + 3],
             int.from_bytes(program[i + 4:i + 8], "little")) for i in range(0, len(program), 8)]
    allow, deny = 8, 9
    # each jump lands on ALLOW or DENY or falls through to the next instruction
    assert rows[1][2] + 2 == deny                 # another architecture
    assert rows[3][1] + 4 == deny                 # x32
    assert rows[4][1] + 5 == deny and rows[4][3] == 425
    assert rows[5][2] + 6 == allow and rows[5][3] == 41
    assert rows[6] == (0x20, 0, 0, 16)            # socket()'s first argument
    assert rows[7][1] + 8 == allow and rows[7][2] + 8 == deny and rows[7][3] == 1
    assert rows[allow] == (0x06, 0, 0, 0x7FFF0000)
    assert rows[deny] == (0x06, 0, 0, 0x00050000 | 13)


def test_without_kernel_layers_the_guard_alone_holds_and_says_so(tmp_path):
    """The fallback: a kernel or machine without Landlock or seccomp leaves the
    audit hook in charge, and the app says only that."""
    results = run_probe(tmp_path, """
        from recoveryjournal.vault import kernelguard
        kernelguard._SYSCALLS.clear()  # as on an architecture the app does not know
        attempt("abi", lambda: kernelguard.abi_version())
        netguard.lock_down()
        attempt("protection", lambda: netguard.protection())
        attempt("said", lambda: netguard.describe())
        attempt("socket", lambda: socket.socket())
        attempt("os.system", lambda: os.system("true"))
        """)
    assert results == {
        "abi": "allowed: 0",
        "protection": "allowed: guard only",
        "said": "allowed: Network: blocked by the app's guard only (the system offers no "
                "kernel layer here).",
        "socket": "refused: NetworkRefused",
        "os.system": "refused: ProgramRefused",
    }


def test_the_abi_probe_gives_a_number_and_changes_nothing():
    assert isinstance(KERNEL_ABI, int) and KERNEL_ABI >= 0
    assert kernelguard.abi_version() == KERNEL_ABI  # asking twice: nothing was restricted


def test_version_says_which_protection_is_active(tmp_path):
    """The installed program, as a person runs it: the real entry point locks the
    process down, and --version names the layers truthfully for this kernel."""
    script = Path(sys.executable).parent / "recoveryjournal"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "recoveryjournal"]
    result = subprocess.run([*command, "--version"], capture_output=True, text=True,
                            timeout=DEADLINE_S, env=cli_env(tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("recoveryjournal ")
    if KERNEL_ABI >= kernelguard.NETWORK_ABI:
        assert lines[1].startswith("Network: blocked by the kernel (Landlock")
        assert lines[1].endswith(" and by the app's guard.")
    elif kernelguard._numbers() is None:
        assert lines[1].startswith("Network: blocked by the app's guard only")


def test_version_in_swedish(tmp_path):
    result = subprocess.run([sys.executable, "-m", "recoveryjournal", "--version"],
                            capture_output=True, text=True, timeout=DEADLINE_S,
                            env=cli_env(tmp_path / "home", LANG="sv_SE.UTF-8"))
    assert result.returncode == 0, result.stderr
    assert "Network" not in result.stdout and "Nätverk" in result.stdout


def test_textual_runs_the_app_under_lock_down(tmp_path):
    """The whole app, headless, in a locked-down process: first-run screen drawn,
    keys handled, a clean exit (asyncio's socket pair, Textual's threads and
    timers all pass the guard)."""
    results = run_probe(tmp_path, """
        import asyncio
        from pathlib import Path
        netguard.lock_down()
        from recoveryjournal.tui.app import RecoveryJournalApp
        async def session():
            app = RecoveryJournalApp(Path("new.db"))
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                name = type(app.screen).__name__
                await pilot.press("ctrl+q")
            return name
        attempt("screen", lambda: asyncio.run(session()))
        attempt("locked down", lambda: netguard.is_locked_down())
        """)
    assert results == {"screen": "allowed: FirstRunScreen", "locked down": "allowed: True"}


def test_the_entry_point_locks_down_before_anything_runs(monkeypatch):
    from recoveryjournal import cli
    from recoveryjournal.vault import netguard

    calls = []
    monkeypatch.setattr(netguard, "lock_down", lambda: calls.append("lock down"))
    monkeypatch.setattr(cli, "main", lambda: calls.append("main") or 0)
    monkeypatch.setattr(cli, "_one_shot", False)
    with pytest.raises(SystemExit):
        cli.run()
    assert calls == ["lock down", "main"]
