"""Opening the rows of some kinds only, for a one-shot command (the CLI's search).

A search at ten times the benchmark journal (765,000 rows, 200,000 of them
entries) spent most of its time on Python objects it did not need: a tuple and
an id string for every row to learn the kinds, every entry's plaintext kept in
a dict, then grouped and indexed. Here:

- the ids and masked kind hints of all rows come back from SQLite as one
  string of ids per hint value (`group_concat ... GROUP BY hint` over the small
  hint index: at most 256 rows, no number parsed per row), read beside the KDF;
- after unlock one AES call gives every row's kind (kind_hints.py), and only
  the chosen rows are read, by id, a chunk at a time;
- each chunk is opened (every GCM tag checked) as it arrives and handed to
  `keep`, which says which plaintexts to hold on to; the rest are dropped with
  the chunk, so memory stays flat however large the journal is.

Rows whose hint is missing (format 1) or not a byte, or whose id is not 32
lower-case hex digits, are read whole and opened too: their kind is unknown
until then. Like `read_all(only_codes=...)`, this is a partial read: the set of
records (deleted, added, rolled back) is not checked, and a row whose hint was
changed outside the app may be missed; full reads catch both.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import Callable, Iterable

from . import crypto
from .errors import DamagedRecord, JournalError
from .store import Store


@dataclass
class HintScan:
    """Every row's id and stored hint, as read before the key is known."""

    ids: str = ""  # the 32-hex-digit ids of rows with a hint byte, back to back
    stored: bytes = b""  # their stored hints, one byte each, in the same order
    # (id, blob, hint) of every other row: read whole, their kind is decided later
    others: list[tuple[str, bytes, object]] = field(default_factory=list)


@dataclass
class KindRead:
    """What `open_kinds` found."""

    kept: list[tuple[str, bytes]] = field(default_factory=list)  # (id, plaintext) kept
    damaged: list[str] = field(default_factory=list)  # rows whose tag did not check
    opened: int = 0  # rows opened (kept or not)
    unhinted: list[tuple[str, int]] = field(default_factory=list)  # (id, kind code): no hint yet


def scan_hints(store: Store) -> HintScan:
    """The hint scan of `store` (one read transaction)."""
    return HintScan(*store.hint_scan())


class ScanAhead:
    """Reads the hint scan in a thread of its own, through a connection of its
    own, while Argon2id (which releases the GIL) runs; `result()` waits for it
    (None when it failed: the caller reads again and reports what is wrong)."""

    def __init__(self, path: Path):
        self._path = path
        self._scan: HintScan | None = None
        self._thread = threading.Thread(target=self._run, name="hint-scan", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            store = Store.open(self._path, crypto.FORMAT_VERSION)
        except JournalError:
            return
        try:
            self._scan = scan_hints(store)
        except Exception:  # noqa: BLE001 - any failure just means "read it again"
            self._scan = None
        finally:
            store.close()

    def result(self) -> HintScan | None:
        self._thread.join()
        return self._scan


def chosen_ids(cipher: crypto.RecordCipher, scan: HintScan,
               codes: frozenset[int]) -> list[str]:
    """The ids of the rows with a hint byte whose kind code is one of `codes`."""
    if not scan.stored:
        return []
    kinds = cipher.kind_codes(bytes.fromhex(scan.ids), scan.stored)
    table = bytes(1 if value in codes else 0 for value in range(256))
    ids = scan.ids
    # Sorted: SQLite then walks the table in order (in the order of the hint
    # index the same rows took half as long again to read at 10x).
    return sorted([ids[32 * p:32 * p + 32]
                   for p in compress(range(len(kinds)), kinds.translate(table))])


def wanted_others(cipher: crypto.RecordCipher, scan: HintScan,
                  codes: frozenset[int]) -> list[tuple[str, bytes, object]]:
    """The other rows (see HintScan) to open: those whose hint stands for one of
    `codes`, and every one whose hint is missing or not a byte."""
    wanted = []
    for row in scan.others:
        hint = row[2]
        if type(hint) is int and 0 <= hint <= 255 and type(row[0]) is str:
            if hint ^ cipher.hint(row[0], 0) not in codes:
                continue
        wanted.append(row)
    return wanted


CHUNK = 2000  # rows read and opened at a time (memory stays flat)


def open_rows(cipher: crypto.RecordCipher, store: Store, ids: list[str],
              others: list[tuple[str, bytes, object]],
              keep: Callable[[list[bytes]], Iterable[int]],
              code_of: Callable[[bytes], int | None] | None = None) -> KindRead:
    """Open the rows with these ids and the `others`; keep (id, plaintext) of
    those whose positions `keep(plaintexts)` gives, a chunk at a time. Every
    row's tag is checked before `keep` sees its plaintext; a row that does not
    open is listed as damaged. `code_of` tells the kind code of a plaintext, for
    the rows without a hint (`unhinted`).

    The chunks are read and opened in turn, in this thread. (Reading them in a
    second thread meanwhile was measured: SQLite lets go of the GIL for every
    row, so the two threads handed it back and forth; on the shared two-core
    machine, with a load of 4-5, that cost 0.2-0.5 s more CPU and 1 s more
    time at 10x than reading in turn; it gained ~0.7 s only on idle cores.)"""
    found = KindRead()
    for record_id, blob, hint in others:
        found.opened += 1
        try:
            plaintext = cipher.open(record_id, blob)
        except DamagedRecord:
            found.damaged.append(record_id)
            continue
        if hint is None and code_of is not None:  # from format 1: give it its hint
            code = code_of(plaintext)
            if code is not None:
                found.unhinted.append((record_id, code))
        if keep([plaintext]):
            found.kept.append((record_id, plaintext))
    for rows in store.records_by_id_in_chunks(ids, CHUNK):
        kept, damaged = cipher.open_keeping(rows, keep)
        found.kept += kept
        found.damaged += damaged
        found.opened += len(rows)
    return found
