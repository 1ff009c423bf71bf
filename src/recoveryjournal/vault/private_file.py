"""A small file of the app's own outside the journal (the cache folder), replaced whole.

The rollback high-water mark (highwater.py) and the integrity check's memory
(checked.py) each keep a few sealed bytes per journal in the user's cache
folder. Both write them the same way: a 0600 file in a 0700 folder, written
under a temporary name and renamed over the old one, so a reader sees the old
bytes or the new, never a mix; and both treat the write as best effort (a
read-only home must not stop a journal from opening).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def replace_private_file(folder: Path, name: str, data: bytes, *, durable: bool) -> None:
    """Make `folder/name` hold `data`. durable=True also flushes the file and the
    folder to disk (the high-water mark must survive a power cut; a cache need not).
    An OSError leaves the old file as it was and no temporary file behind."""
    partial = folder / f".{name}.{os.urandom(4).hex()}"
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, folder / name)
        if durable:
            directory = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
    with contextlib.suppress(OSError):
        partial.unlink()
