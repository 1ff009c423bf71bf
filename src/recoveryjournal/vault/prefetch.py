"""Read every sealed record in a worker thread while the passphrase is checked.

Argon2id releases the GIL, so reading tens of thousands of rows from SQLite,
and gathering their kind hints, costs little when done beside it. The rows are
ciphertext and masked hints: holding them early reveals nothing. Only reads
(the app, list, search, export) ask for this; a quick add never reads other
records.

(Reading only the hints beside the KDF, and the wanted rows after it, was
measured for list and search too: slower. Most of a read is SQLite walking the
file and Python making objects, and both happen either way.)
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Iterator

from . import crypto
from .errors import JournalError
from .kind_hints import HintColumn, read_hint_column
from .polite import Busy
from .store import Store


@dataclass
class Fetched:
    rows: list[tuple[str, bytes, object]]  # (id, sealed blob, stored hint)
    sealed_integrity: bytes | None
    hints: HintColumn  # gathered here too: the KDF leaves the time free
    sealed_summary: bytes | None = None  # the summary beside these rows
    blobs: bool = True  # False: every blob is b"" (read the chosen rows by id)


def fetch(store: Store, busy: Busy | None = None, blobs: bool = True) -> Fetched:
    """Every row, the accumulator and the summary, in one read transaction (they
    belong together; it works on a read-only file too). `busy`: see polite.py.
    blobs=False reads the ids and kind hints only, from the hint index: for reading
    some kinds only, which at ten times the benchmark journal is a quarter of the
    rows (a search reads 0.2 GB of entries rather than 1 GB of everything)."""
    with store.snapshot():
        rows = store.all_records(busy) if blobs else store.all_hints()
        sealed = store.meta("integrity")
        summary = store.meta("summary")
    return Fetched(rows, sealed, read_hint_column(list(map(itemgetter(0), rows)),
                                                  list(map(itemgetter(2), rows))), summary,
                   blobs)


class Prefetch:
    """Starts reading at once; `result()` waits for it (None if it failed)."""

    def __init__(self, path: Path, busy: Busy | None = None, blobs: bool = True):
        self._path = path
        self._busy = busy
        self._blobs = blobs
        self._fetched: Fetched | None = None
        self._thread = threading.Thread(target=self._run, name="prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._fetched = fetch_from(self._path, self._blobs, self._busy)

    @property
    def blobs(self) -> bool:
        """False when it reads the ids and kind hints only."""
        return self._blobs

    def result(self) -> Fetched | None:
        self._thread.join()
        return self._fetched


def fetch_from(path: Path, blobs: bool = True, busy: Busy | None = None) -> Fetched | None:
    """What a Prefetch reads, read in the calling thread through a connection of
    its own (None if it failed: the caller reads again and reports it properly).

    For a worker that decrypts the rows next: memory a thread frees goes back to
    the allocator arena of the thread that took it (glibc), so rows read in a
    second thread and opened in this one held ciphertext and plaintext in memory
    together, 60 MB more at the peak of the benchmark journal's load."""
    try:
        store = Store.open(path, crypto.FORMAT_VERSION)
    except JournalError:
        return None
    try:
        return fetch(store, busy, blobs)
    except Exception:  # noqa: BLE001 - any failure just means "read it again"
        return None
    finally:
        store.close()


# Rows read and opened at a time by a streamed full read: a few MB of ciphertext.
BATCH = 2048


@dataclass
class Streamed:
    """A full read in progress: the sealed accumulator, and the rows a batch at a
    time, all from one snapshot (the read transaction lasts until the end)."""

    sealed_integrity: bytes | None
    batches: Iterator[list[tuple[str, bytes, object]]]
    sealed_summary: bytes | None = None  # the summary beside these rows


@contextlib.contextmanager
def stream(store: Store, busy: Busy | None = None, size: int = BATCH) -> Iterator[Streamed]:
    """Every row of `store` a batch at a time, beside the accumulator, in one
    read transaction: what `fetch` reads, without holding all of it at once."""
    with store.snapshot():
        yield Streamed(store.meta("integrity"), store.record_batches(size, busy),
                       store.meta("summary"))


@contextlib.contextmanager
def stream_from(path: Path, busy: Busy | None = None,
                size: int = BATCH) -> Iterator[Streamed | None]:
    """`stream` through a connection of its own (None when the file will not open
    that way: the caller streams through its own connection), for a worker that
    opens the rows as they come (see `fetch_from` on why in the same thread)."""
    try:
        store = Store.open(path, crypto.FORMAT_VERSION)
    except JournalError:
        store = None
    if store is None:
        yield None
        return
    try:
        with stream(store, busy, size) as streamed:
            yield streamed
    finally:
        store.close()
