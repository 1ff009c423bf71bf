"""Hand the memory the app has freed back to the system (glibc's `malloc_trim`).

Python frees its larger objects into the C allocator, which keeps freed space in
the middle of its heaps (one per thread that allocated) for reuse rather than
returning it. Unlock and the app's worker read the journal a batch at a time
(ciphertext, then plaintext, then records), so the freed batches lie between the
records that stay: several MB resident that nothing uses, and counted again at the
next peak (the next unlock's 64 MiB KDF lands on top of them). `malloc_trim(0)`
returns every whole free page; a few milliseconds.

netguard's lock-down refuses ctypes, so the function is found before it
(`prepare`, from the CLI's entry point) and netguard allows calling this one
function and nothing else (`netguard.allow_native_call`). Where there is no glibc
(musl, macOS) or no ctypes, `give_back` does nothing.
"""

from __future__ import annotations

import sys
import threading

_function: tuple | None = None  # (call_function, address of malloc_trim) once found
_looked = False
_lock = threading.Lock()


def prepare() -> bool:
    """Find malloc_trim (before netguard's lock-down) and tell netguard it may be
    called. True when it was found. Calling it again does nothing."""
    global _function, _looked
    with _lock:
        if _looked:
            return _function is not None
        _looked = True
        if sys.platform != "linux":
            return False
        try:
            import _ctypes

            address = _ctypes.dlsym(_ctypes.dlopen(None), "malloc_trim")
        except (ImportError, OSError, AttributeError):
            return False  # not glibc (musl has no malloc_trim), or no ctypes
        from . import netguard

        if not netguard.allow_native_call(address):
            return False  # locked down already: it would be refused
        _function = (_ctypes.call_function, address)
        return True


def give_back() -> bool:
    """Return the allocator's free pages to the system. True when it was done."""
    if not prepare():
        return False
    call, address = _function
    call(address, (0,))  # 1 if pages were returned, 0 if there were none to return
    return True
