"""Take the network away from the whole process in the kernel, on Linux.

Two kernel features, each optional, both irreversible and inherited by every
thread and program the process starts later, whatever code asks (Python, a
native extension, a library's own C):

- **seccomp**: a small filter makes `socket()` fail with EACCES for every family
  but AF_UNIX (so no UDP, TCP, raw, packet or netlink socket can be made), and
  refuses io_uring (whose own socket operations a filter cannot see) and system
  calls of another architecture (an x86_64 process reaching the 32-bit table).
- **Landlock** network rules (ABI 4, Linux 6.7+): a ruleset that handles TCP bind
  and connect and allows no port, so even a TCP socket the process was handed
  cannot connect. From ABI 6 (Linux 6.12) it also scopes abstract Unix sockets:
  no connecting to one a process outside listens on.

What neither covers, so the audit hook in netguard.py still matters: Unix sockets
(bound to a path, or abstract before ABI 6), and sending on a socket that was
already connected when the process started.

The system calls are made through `_ctypes` (the C half of ctypes: importing the
whole of ctypes costs several milliseconds of every command, this half under one),
before netguard closes ctypes. The PyPI wrappers for Landlock and seccomp (a
development release and a 2021 release) would be dependencies for these few
lines, so there are none.
"""

from __future__ import annotations

import os
import sys

# (landlock_create_ruleset, landlock_restrict_self, socket, io_uring_setup, AUDIT_ARCH)
# for the architectures known to run the app. Elsewhere: the audit hook alone.
_SYSCALLS = {
    "x86_64": (444, 446, 41, 425, 0xC000003E),
    "aarch64": (444, 446, 198, 425, 0xC00000B7),
}
_CREATE_RULESET_VERSION = 1 << 0  # flag: return the ABI version, create nothing
_ACCESS_NET_BIND_TCP = 1 << 0
_ACCESS_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
NETWORK_ABI = 4  # the first Landlock ABI with network rules (Linux 6.7)
_SCOPE_ABI = 6   # the first with scopes (Linux 6.12)
_AF_UNIX = 1
_EACCES = 13


def _numbers():
    if sys.platform != "linux":
        return None
    return _SYSCALLS.get(os.uname().machine)


def _libc_functions():
    """(call_function, syscall, prctl, _ctypes), or None where they cannot be had."""
    try:
        import _ctypes

        libc = _ctypes.dlopen(None)
        return (_ctypes.call_function, _ctypes.dlsym(libc, "syscall"),
                _ctypes.dlsym(libc, "prctl"), _ctypes)
    except (ImportError, OSError, AttributeError):
        return None


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 where there is none (not Linux, an
    unknown architecture, Landlock not built in or not enabled at boot)."""
    numbers = _numbers()
    functions = _libc_functions() if numbers else None
    if not functions:
        return 0
    call, syscall = functions[0], functions[1]
    return max(call(syscall, (numbers[0], None, 0, _CREATE_RULESET_VERSION)), 0)


_PR_SET_DUMPABLE = 4


def not_dumpable() -> bool:
    """PR_SET_DUMPABLE 0: no core file, and no other process of the same user may
    read this one's memory (ptrace, /proc/PID/mem); root still can. Linux only."""
    functions = _libc_functions() if sys.platform == "linux" else None
    if not functions:
        return False
    call, _syscall, prctl, _ = functions
    return call(prctl, (_PR_SET_DUMPABLE, 0, 0, 0, 0)) == 0


def _no_new_privileges(functions) -> bool:
    """Required by the kernel before an unprivileged process restricts itself; it
    also means a program started later gains nothing through setuid."""
    call, _syscall, prctl, _ = functions
    return call(prctl, (_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) == 0


def _landlock(functions, numbers) -> int:
    call, syscall = functions[0], functions[1]
    abi = max(call(syscall, (numbers[0], None, 0, _CREATE_RULESET_VERSION)), 0)
    if abi < NETWORK_ABI:
        return 0
    # struct landlock_ruleset_attr {u64 handled_access_fs, handled_access_net, scoped}
    fields = [0, _ACCESS_NET_BIND_TCP | _ACCESS_NET_CONNECT_TCP]
    if abi >= _SCOPE_ABI:
        fields.append(_SCOPE_ABSTRACT_UNIX_SOCKET)
    attr = b"".join(field.to_bytes(8, sys.byteorder) for field in fields)
    ruleset = call(syscall, (numbers[0], attr, len(attr), 0))
    if ruleset < 0:
        return 0
    try:
        return abi if call(syscall, (numbers[1], ruleset, 0)) == 0 else 0
    finally:
        os.close(ruleset)


def _instruction(code: int, jump_true: int, jump_false: int, value: int) -> bytes:
    # struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}
    return (code.to_bytes(2, sys.byteorder) + bytes((jump_true, jump_false))
            + value.to_bytes(4, sys.byteorder))


def seccomp_program(numbers) -> bytes:
    """The filter, as classic BPF over struct seccomp_data {int nr; u32 arch;
    u64 ip; u64 args[6]} (little-endian: args[0]'s low half at offset 16)."""
    _create, _restrict, socket_call, io_uring_setup, arch = numbers
    load, equal, at_least, give = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, JEQ, JGE, RET
    allow, deny = 0x7FFF0000, 0x00050000 | _EACCES       # SECCOMP_RET_ALLOW, RET_ERRNO
    # jumps count instructions skipped: ALLOW is instruction 8, DENY 9
    return b"".join([
        _instruction(load, 0, 0, 4),                    # 0: the architecture
        _instruction(equal, 0, 7, arch),                # 1: another one: deny
        _instruction(load, 0, 0, 0),                    # 2: the system call number
        _instruction(at_least, 5, 0, 0x40000000),       # 3: x32's table: deny
        _instruction(equal, 4, 0, io_uring_setup),      # 4: io_uring: deny
        _instruction(equal, 0, 2, socket_call),         # 5: not socket(): allow
        _instruction(load, 0, 0, 16),                   # 6: socket()'s family
        _instruction(equal, 0, 1, _AF_UNIX),            # 7: AF_UNIX: allow, else deny
        _instruction(give, 0, 0, allow),                # 8
        _instruction(give, 0, 0, deny),                 # 9
    ])


def _seccomp(functions, numbers) -> bool:
    if sys.byteorder != "little":
        return False  # the offsets above are little-endian
    call, _syscall, prctl, _ctypes = functions

    class Pointer(_ctypes._SimpleCData):
        _type_ = "P"

    class Text(_ctypes._SimpleCData):
        _type_ = "z"

    program = seccomp_program(numbers)
    text = Text(program)  # holds `program` and points at its bytes
    address = Pointer.from_buffer(text).value
    # struct sock_fprog {unsigned short len; struct sock_filter *filter} (padded to 8)
    fprog = (len(program) // 8).to_bytes(2, sys.byteorder) + bytes(6) + address.to_bytes(8, sys.byteorder)
    done = call(prctl, (_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, fprog, 0, 0)) == 0
    del text
    return done


def restrict_network() -> tuple[int, bool]:
    """Apply both, where the kernel can, to this process and all it starts, for good.

    Call before any other thread starts: both bind the calling thread and what it
    creates afterwards. Returns (the Landlock ABI in force, or 0; whether the
    seccomp filter is in force)."""
    numbers = _numbers()
    functions = _libc_functions() if numbers else None
    if not functions or not _no_new_privileges(functions):
        return 0, False
    return _landlock(functions, numbers), _seccomp(functions, numbers)
