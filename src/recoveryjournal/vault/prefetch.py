"""Read every sealed record in a worker thread while the passphrase is checked.

Argon2id releases the GIL, so the ~0.1 s of reading tens of thousands of rows
from SQLite, and gathering their kind hints, costs nothing when done beside it. The rows are ciphertext: holding
them early reveals nothing. Only full reads (the TUI, list, search) ask for
this; a quick add never reads other records.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from . import crypto
from .errors import JournalError
from .hints import HintColumn, read_hint_column
from .store import Store


@dataclass
class Fetched:
    rows: list[tuple[str, bytes, object]]
    sealed_integrity: bytes | None
    hints: HintColumn  # gathered here too: the KDF leaves the time free


class Prefetch:
    """Starts reading at once; `result()` waits for it (None if it failed)."""

    def __init__(self, path: Path):
        self._path = path
        self._fetched: Fetched | None = None
        self._thread = threading.Thread(target=self._run, name="prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            store = Store.open(self._path, crypto.FORMAT_VERSION)
        except JournalError:
            return  # the main thread reads again and reports it properly
        try:
            # One read transaction: the rows and the accumulator belong together.
            store.conn.execute("BEGIN")
            rows = store.all_records()
            sealed = store.meta("integrity")
            store.conn.execute("COMMIT")
            self._fetched = Fetched(rows, sealed, read_hint_column(rows))
        except Exception:  # noqa: BLE001 - any failure just means "read it again"
            self._fetched = None
        finally:
            store.close()

    def result(self) -> Fetched | None:
        self._thread.join()
        return self._fetched
