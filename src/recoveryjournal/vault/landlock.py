"""Take away the whole process's TCP in the kernel, with Landlock (Linux 6.7+).

Landlock's network rules (ABI 4) decide which TCP ports a process may bind and
connect to. A ruleset that handles both rights and allows no port takes TCP away
from this process and every thread and program it later starts, in the kernel,
whatever code asks: Python, a native extension, a library's own C. It cannot be
undone. Where the kernel's Landlock is ABI 6 or newer, the same ruleset also
scopes abstract Unix sockets, so the process cannot connect to one that a
process outside it listens on.

What it does not cover, so the audit hook in netguard.py still matters: UDP
(DNS, QUIC), raw and packet sockets, Unix sockets bound to a path, and every other
address family. The kernel offers no Landlock rule for those.

Three system calls, made through `_ctypes` (the C half of ctypes: importing the
whole of ctypes costs several milliseconds of every command, this half under one).
This runs before netguard closes ctypes; afterwards nothing in the process may
reach these functions again. The PyPI wrappers (a 2021 release and a development
release) would be a dependency for about forty lines, so there is none.
"""

from __future__ import annotations

import os
import sys

# Syscall numbers are shared by the architectures that joined after Linux 5.1;
# only these two are known to run the app. Elsewhere: the audit hook alone.
_SYSCALLS = {"x86_64": (444, 446), "aarch64": (444, 446)}
_CREATE_RULESET_VERSION = 1 << 0  # flag: return the ABI version, create nothing
_ACCESS_NET_BIND_TCP = 1 << 0
_ACCESS_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
_PR_SET_NO_NEW_PRIVS = 38
NETWORK_ABI = 4  # the first ABI with network rules (Linux 6.7)
_SCOPE_ABI = 6   # the first ABI with scopes (Linux 6.12)


def _libc_functions():
    """(syscall, prctl) as raw addresses, or None where they cannot be had."""
    try:
        import _ctypes

        libc = _ctypes.dlopen(None)
        return _ctypes.call_function, _ctypes.dlsym(libc, "syscall"), _ctypes.dlsym(libc, "prctl")
    except (ImportError, OSError, AttributeError):
        return None


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 where there is none (not Linux, an
    unknown architecture, Landlock not built in or not enabled at boot)."""
    numbers = _SYSCALLS.get(os.uname().machine) if sys.platform == "linux" else None
    functions = _libc_functions() if numbers else None
    if not functions:
        return 0
    call, syscall, _prctl = functions
    version = call(syscall, (numbers[0], None, 0, _CREATE_RULESET_VERSION))
    return max(version, 0)


def restrict_network() -> int:
    """Deny every TCP bind and connect to this process and all it starts, for good.

    Returns the Landlock ABI version in force (4 or more) once done, or 0 when the
    kernel cannot do it (then nothing was changed except no-new-privileges, which
    only stops a started program from gaining privileges through setuid)."""
    abi = abi_version()
    if abi < NETWORK_ABI:
        return 0
    call, syscall, prctl = _libc_functions()
    create, restrict_self = _SYSCALLS[os.uname().machine]
    # struct landlock_ruleset_attr {u64 handled_access_fs, handled_access_net, scoped}
    fields = [0, _ACCESS_NET_BIND_TCP | _ACCESS_NET_CONNECT_TCP]
    if abi >= _SCOPE_ABI:
        fields.append(_SCOPE_ABSTRACT_UNIX_SOCKET)
    attr = b"".join(field.to_bytes(8, sys.byteorder) for field in fields)
    ruleset = call(syscall, (create, attr, len(attr), 0))
    if ruleset < 0:
        return 0
    try:
        # The kernel requires this before an unprivileged process restricts itself.
        if call(prctl, (_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) != 0:
            return 0
        if call(syscall, (restrict_self, ruleset, 0)) != 0:
            return 0
    finally:
        os.close(ruleset)
    return abi
