"""The journal file: one SQLite database holding key slots and sealed records.

Nothing here sees plaintext. The file holds three tables (see docs/FORMAT.md):
`vault` (format marker and the sealed integrity accumulator), `key_slots` and
`records`. sqlite-utils creates the schema; the hot path (one insert per quick
add) uses the sqlite3 connection directly so a quick add does not pay for
importing sqlite-utils.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Iterator

from .errors import JournalExists, NewerFormat, NoJournal, NotAJournal, StorageError

MAGIC = "recoveryjournal"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15000


class Store:
    """An open journal file. Use `create` or `open`, never the constructor."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn

    # ---- opening -----------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, format_version: int) -> "Store":
        """Create a new, empty journal file (0600) in a folder that is 0700 if we made it."""
        import sqlite_utils

        path = Path(path)
        if path.exists():
            raise JournalExists(path)
        folder = path.parent
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            os.chmod(folder, 0o700)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError as exc:
            raise JournalExists(path) from exc
        except OSError as exc:
            raise StorageError(f"{path}: {exc.strerror}") from exc
        os.close(fd)
        os.chmod(path, 0o600)
        conn = _connect(path)
        db = sqlite_utils.Database(conn)
        with _immediate(conn):
            db["vault"].create({"key": str, "value": bytes}, pk="key")
            db["key_slots"].create({"name": str, "kdf": str, "wrapped": bytes}, pk="name")
            db["records"].create({"id": str, "blob": bytes}, pk="id")
            conn.execute("INSERT INTO vault VALUES ('magic', ?)", (MAGIC.encode(),))
            conn.execute(
                "INSERT INTO vault VALUES ('format', ?)", (str(format_version).encode(),)
            )
        return cls(path, conn)

    @classmethod
    def open(cls, path: Path, supported_format: int) -> "Store":
        """Open an existing journal, refusing anything that is not one."""
        path = Path(path)
        if not path.exists():
            raise NoJournal(path)
        if path.is_dir():
            raise NotAJournal(f"{path} is a folder, not a file")
        try:
            with open(path, "rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise NotAJournal(f"{path} cannot be read ({exc.strerror})") from exc
        if header != SQLITE_HEADER:
            raise NotAJournal(f"{path} is not a journal file")
        try:
            conn = _connect(path)
            rows = dict(conn.execute("SELECT key, value FROM vault").fetchall())
        except sqlite3.DatabaseError as exc:
            raise NotAJournal(f"{path} ({exc})") from exc
        if rows.get("magic") != MAGIC.encode():
            conn.close()
            raise NotAJournal(f"{path} is not a journal file")
        try:
            version = int(rows.get("format", b"0"))
        except ValueError as exc:
            conn.close()
            raise NotAJournal("the format version is unreadable") from exc
        if version > supported_format:
            conn.close()
            raise NewerFormat(version, supported_format)
        return cls(path, conn)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    # ---- reading -----------------------------------------------------------------

    def meta(self, key: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM vault WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def slot(self, name: str) -> tuple[str, bytes] | None:
        row = self.conn.execute(
            "SELECT kdf, wrapped FROM key_slots WHERE name = ?", (name,)
        ).fetchone()
        return (row[0], bytes(row[1])) if row else None

    def record(self, record_id: str) -> bytes | None:
        row = self.conn.execute("SELECT blob FROM records WHERE id = ?", (record_id,)).fetchone()
        return bytes(row[0]) if row else None

    def all_records(self) -> list[tuple[str, bytes]]:
        return self.conn.execute("SELECT id, blob FROM records").fetchall()

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM records").fetchone()[0]

    def backup_to(self, destination: Path) -> None:
        """A consistent copy of the (still encrypted) file, safe while others write.

        Uses SQLite's online backup API; the copy is made 0600 before any byte lands.
        """
        destination = Path(destination)
        fd = os.open(destination, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        target = sqlite3.connect(destination, isolation_level=None)
        try:
            self.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            target.close()
        with open(destination, "rb") as handle:
            os.fsync(handle.fileno())

    # ---- writing (only inside `transaction`) -------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; BEGIN IMMEDIATE so two processes take turns."""
        try:
            with _immediate(self.conn):
                yield
        except sqlite3.OperationalError as exc:
            raise StorageError(str(exc)) from exc

    def set_meta(self, key: str, value: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO vault VALUES (?, ?)", (key, value))

    def set_slot(self, name: str, kdf: str, wrapped: bytes) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO key_slots VALUES (?, ?, ?)", (name, kdf, wrapped)
        )

    def put_record(self, record_id: str, blob: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO records VALUES (?, ?)", (record_id, blob))

    def delete_record(self, record_id: str) -> None:
        self.conn.execute("DELETE FROM records WHERE id = ?", (record_id,))


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass  # a read-only file can still be opened and read
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
