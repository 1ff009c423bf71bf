"""The offline guard: the app cannot reach the network, start programs or call
native code behind its own back.

Two layers, both set up first thing at start-up:

1. On Linux, the kernel (kernelguard.py) takes the network away from the whole
   process, native code included, for good: a seccomp filter refuses every socket
   but AF_UNIX, and Landlock (6.7+) refuses every TCP bind and connect.
2. An audit hook (`sys.addaudithook`, which cannot be removed) sees what Python
   code asks for and refuses:
   - every name lookup, and every socket except the AF_UNIX pairs that
     `socket.socketpair()` makes (asyncio, and so Textual, wakes its event loop
     through one). An adopted file descriptor (`socket.socket(fileno=...)`) is
     judged by the family the kernel reports (SO_DOMAIN), not the one asked for;
     no socket may connect, bind or send to an address, AF_UNIX included;
   - once the whole process is locked down (`lock_down()`, from the CLI's entry
     point): starting programs (`subprocess`, `os.system`, `os.exec*`,
     `os.posix_spawn*`, `os.spawn*`, `os.fork`, `os.forkpty`, multiprocessing;
     so `webbrowser` finds no browser) except through `run_program()`, and ctypes (loading
     libraries, finding functions, calling them, reading raw memory) except plotext's own
     drawing kernel, which plotext 6 reaches through ctypes, and the one C function
     the app found before the lock-down (glibc's malloc_trim, memory.py).

The hook sees only what raises an audit event; docs/SECURITY.md lists what it
cannot see. Test processes that call `cli.main()` in-process get the network part
only: the test runner must still start programs.
"""

from __future__ import annotations

import os
import sys
from _thread import get_ident

# From the C module: `import socket` costs every command a few milliseconds.
from _socket import AF_UNIX, SOL_SOCKET

try:
    from _socket import SO_DOMAIN
except ImportError:  # not Linux: the family the C module finds through getsockname
    SO_DOMAIN = None

from ..i18n import N_, _

KERNEL_AND_GUARD = "kernel and guard"
GUARD_ONLY = "guard only"
NOT_INSTALLED = "not installed"
# What `--version` and Settings say, by protection().
_DESCRIPTIONS = {
    KERNEL_AND_GUARD: N_("Network: blocked by the kernel ({layers}) and by the app's guard."),
    GUARD_ONLY: N_("Network: blocked by the app's guard only (the system offers no "
                   "kernel layer here)."),
    NOT_INSTALLED: N_("Network: the app's guard is not installed in this process."),
}

_installed = False
_locked_down = False
_kernel_abi = 0  # the Landlock ABI in force, 0 for none
_kernel_filter = False  # whether the seccomp filter is in force

# Events whose very occurrence means a network lookup or connection.
_ALWAYS_REFUSED = frozenset({
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
    "socket.sethostname",
    "socket.connect",  # AF_UNIX too: a path or abstract name may lead to a proxy
    "socket.bind",
    "socket.sendto",  # always carries an address
})
# Every way Python starts another program (CPython 3.11+ audit events). os.spawn*
# are fork + exec on POSIX, and so raise os.fork / os.exec. webbrowser starts the
# browser through these, and treats the refusal as "no browser": refusing its own
# event would raise out of a click on a link instead.
_PROGRAM_EVENTS = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
    "os.fork", "os.forkpty", "os.startfile",
})


class GuardRefused(PermissionError):
    """Raised inside any code that tries what the guard forbids. A PermissionError,
    so libraries that try something optional and handle OSError carry on."""


class NetworkRefused(GuardRefused):
    """Raised inside any code that tries to reach the network."""


class ProgramRefused(GuardRefused):
    """Raised inside any code that tries to start another program."""


class NativeCodeRefused(GuardRefused):
    """Raised inside any code that tries to load or call native code through ctypes."""


# --- sockets ---------------------------------------------------------------

_socketpair_codes: tuple | None = None  # (socket.__init__, socket.socketpair) code objects
_probing_threads: set[int] = set()  # threads inside _real_family, whose probe may pass


def _socketpair_codes_now() -> tuple | None:
    global _socketpair_codes
    if _socketpair_codes is None:
        module = sys.modules.get("socket")
        pair = getattr(module, "socketpair", None)
        if module is None or getattr(pair, "__code__", None) is None:
            return None
        _socketpair_codes = (module.socket.__init__.__code__, pair.__code__)
    return _socketpair_codes


def _real_family(fileno: int) -> int | None:
    """The family the kernel gives the socket `fileno`, without taking it over."""
    import _socket

    _probing_threads.add(get_ident())
    try:
        probe = _socket.socket(fileno=fileno)  # family found by the C module itself
    except OSError:
        return None
    finally:
        _probing_threads.discard(get_ident())
    try:
        if SO_DOMAIN is not None:
            return probe.getsockopt(SOL_SOCKET, SO_DOMAIN)
        return probe.family
    except OSError:
        return None
    finally:
        probe.detach()  # the descriptor stays with its owner, open


def _check_new_socket(args: tuple) -> None:
    """`socket.__new__`: allowed only inside `socket.socketpair()`, for a pair the
    kernel says is AF_UNIX. Anything else (a new socket of any family, an adopted
    descriptor, an accepted connection) is refused."""
    if get_ident() in _probing_threads:
        return  # the guard's own look at a descriptor, just below
    codes = _socketpair_codes_now()
    caller = sys._getframe(2)  # this check, the hook, then the Python caller
    family = args[1] if len(args) > 1 else None
    if (codes is not None and family == AF_UNIX and caller.f_code is codes[0]
            and caller.f_back is not None and caller.f_back.f_code is codes[1]):
        fileno = caller.f_locals.get("fileno")
        if isinstance(fileno, int) and _real_family(fileno) == AF_UNIX:
            return
    raise NetworkRefused("recoveryjournal works offline; refused a socket")


def _check_send(args: tuple) -> None:
    """`socket.sendmsg`: only without an address, on a socket that is really AF_UNIX."""
    sock, address = args[0], args[1] if len(args) > 1 else None
    if address is None:
        try:
            if SO_DOMAIN is None or sock.getsockopt(SOL_SOCKET, SO_DOMAIN) == AF_UNIX:
                return
        except OSError:
            pass
    raise NetworkRefused("recoveryjournal works offline; refused socket.sendmsg")


# --- programs --------------------------------------------------------------

_program_permit: tuple[int, str] | None = None  # (thread, resolved executable)


def run_program(argv: list[str], **options):
    """Run one program and wait for it: the only door the app has to start a
    program once the process is locked down (an editor for `write`, say).

    `argv[0]` is found on PATH now; only that executable, started by this thread,
    during this call, gets through. It inherits the kernel layers (no network
    socket, no TCP) but not the audit hook. Returns the
    `subprocess.CompletedProcess`; raises FileNotFoundError when the program is
    not there."""
    global _program_permit
    import shutil
    import subprocess

    executable = shutil.which(argv[0])
    if executable is None:
        raise FileNotFoundError(argv[0])
    executable = os.path.realpath(executable)
    _program_permit = (get_ident(), executable)
    try:
        return subprocess.run([executable, *argv[1:]], **options)
    finally:
        _program_permit = None


def _program_path(event: str, args: tuple) -> str | None:
    """The executable an event is about to start, where the event names it."""
    if event == "subprocess.Popen":  # (executable, args, cwd, env)
        executable, arguments = args[0], args[1]
        if executable is None and isinstance(arguments, (list, tuple)) and arguments:
            executable = arguments[0]
        return os.fsdecode(executable) if executable is not None else None
    if event in ("os.posix_spawn", "os.exec"):  # (path, argv, env)
        return os.fsdecode(args[0])
    return None


def _check_program(event: str, args: tuple) -> None:
    permit = _program_permit
    if permit is not None and permit[0] == get_ident():
        path = _program_path(event, args)
        if path is not None and os.path.realpath(path) == permit[1]:
            return
    raise ProgramRefused(f"recoveryjournal starts no other program; refused {event}")


def _guard_fork_exec() -> None:
    """`_posixsubprocess.fork_exec`, under `subprocess` and multiprocessing's
    "spawn", raises no audit event of its own, and multiprocessing calls it
    directly: put the same permit check in front of it, where both look it up."""
    try:
        import _posixsubprocess
    except ImportError:  # not POSIX
        return
    unguarded = _posixsubprocess.fork_exec

    def fork_exec(*args, **options):
        permit = _program_permit
        executables = args[1] if len(args) > 1 and isinstance(args[1], (list, tuple)) else ()
        if permit is None or permit[0] != get_ident() or not any(
                os.path.realpath(os.fsdecode(path)) == permit[1] for path in executables):
            raise ProgramRefused("recoveryjournal starts no other program; refused fork_exec")
        return unguarded(*args, **options)

    _posixsubprocess.fork_exec = fork_exec


# --- native code (ctypes) --------------------------------------------------

_plotext_folder: str | None = None
# Raw memory access: plotext reads every chart's cells this way, tens of thousands
# of times a chart, so the files of plotext's already allowed here are kept.
_RAW_MEMORY = frozenset({"ctypes.cdata", "ctypes.cdata/buffer"})
_plotext_files: set[str] = set()
# Native functions the app itself found before the lock-down and may call after it
# (addresses): memory.py's malloc_trim, nothing else.
_allowed_calls: set[int] = set()


def allow_native_call(address: int) -> bool:
    """Let the app call the native function at `address` after the lock-down. Only
    before it: once locked down nothing more can be allowed (False)."""
    if _locked_down:
        return False
    _allowed_calls.add(address)
    return True


def _plotext_prefix() -> str | None:
    """plotext's package folder, once plotext is being imported (lazily, for charts)."""
    global _plotext_folder
    if _plotext_folder is None:
        module = sys.modules.get("plotext")
        paths = getattr(module, "__path__", None)
        if not paths:
            return None
        _plotext_folder = os.path.join(list(paths)[0], "")
    return _plotext_folder


def _plotext_kernel() -> str | None:
    prefix = _plotext_prefix()
    return os.path.realpath(os.path.join(prefix, "_kernel", "cpp", "kernel.so")) if prefix else None


def _caller_outside_ctypes() -> str:
    """The file of the nearest Python code that is not ctypes' own."""
    frame = sys._getframe(3)  # this helper, the check, the hook, then the caller
    ctypes_folder = os.sep + "ctypes" + os.sep
    while frame is not None and ctypes_folder in frame.f_code.co_filename:
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else ""


def _check_native(event: str, args: tuple) -> None:
    """ctypes after lock-down: only plotext, and only its own kernel library.

    `import ctypes` opens the program itself (dlopen(None)), which reaches nothing
    without a later dlsym; dlsym is allowed only on plotext's kernel, asked by
    plotext; raw memory access (cdata) only from plotext's own code."""
    if event == "ctypes.dlopen":
        name = args[0] if args else None
        if name is None:
            return
        kernel = _plotext_kernel()
        if kernel is not None and isinstance(name, str) and os.path.realpath(name) == kernel:
            return
    elif event == "ctypes.dlsym":
        library = getattr(args[0], "_name", None) if args else None
        kernel = _plotext_kernel()
        if (kernel is not None and isinstance(library, str) and os.path.realpath(library) == kernel
                and _caller_outside_ctypes().startswith(_plotext_prefix())):
            return
    elif event == "ctypes.call_function":
        if args and args[0] in _allowed_calls:
            return
    elif event in _RAW_MEMORY:
        prefix = _plotext_prefix()
        filename = sys._getframe(2).f_code.co_filename
        if prefix is not None and filename.startswith(prefix):
            _plotext_files.add(filename)  # the hook's fast path from now on
            return
    raise NativeCodeRefused(f"recoveryjournal calls no native code through ctypes; refused {event}")


# --- the hook --------------------------------------------------------------


def _hook(event: str, args: tuple) -> None:
    if event.startswith("socket."):
        if event in _ALWAYS_REFUSED:
            raise NetworkRefused(f"recoveryjournal works offline; refused {event}")
        if event == "socket.__new__":
            _check_new_socket(args)
        elif event == "socket.sendmsg":
            _check_send(args)
    elif _locked_down:
        if event.startswith("ctypes."):
            if event in _RAW_MEMORY and sys._getframe(1).f_code.co_filename in _plotext_files:
                return
            _check_native(event, args)
        elif event in _PROGRAM_EVENTS:
            _check_program(event, args)


def install() -> None:
    """Install the audit hook once per process (network refusals). Audit hooks
    cannot be removed."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def lock_down() -> None:
    """The whole process, for good: the kernel layers where Linux has them, then
    the audit hook with programs and ctypes refused too. For the app's own process
    only (the CLI entry point), first thing, before any thread starts: the kernel
    restricts the calling thread and what it starts later."""
    global _locked_down, _kernel_abi, _kernel_filter
    if _locked_down:
        return
    if sys.platform == "linux":
        from . import kernelguard

        _kernel_abi, _kernel_filter = kernelguard.restrict_network()
    install()
    _guard_fork_exec()
    _locked_down = True


def is_installed() -> bool:
    return _installed


def is_locked_down() -> bool:
    return _locked_down


def kernel_layers() -> list[str]:
    """The kernel features restricting this process's network: "Landlock" (TCP
    bind and connect), "seccomp" (every socket but AF_UNIX); empty for none."""
    return [name for name, active in (("Landlock", _kernel_abi), ("seccomp", _kernel_filter))
            if active]


def protection() -> str:
    """Which layers guard this process: KERNEL_AND_GUARD, GUARD_ONLY or NOT_INSTALLED."""
    if not _installed:
        return NOT_INSTALLED
    return KERNEL_AND_GUARD if kernel_layers() else GUARD_ONLY


def describe() -> str:
    """One translated sentence saying which layers keep the network out."""
    layers = ", ".join(kernel_layers()) or "Landlock, seccomp"  # tests may pin protection()
    return _(_DESCRIPTIONS[protection()]).format(layers=layers)
