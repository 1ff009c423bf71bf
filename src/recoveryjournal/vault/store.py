"""The journal file: one SQLite database holding key slots and sealed records.

Nothing here sees plaintext. The file holds three tables (see docs/FORMAT.md):
`vault` (format marker and the sealed integrity accumulator), `key_slots` and
`records` (id, sealed blob, masked kind hint). sqlite-utils creates the schema; the hot path (one insert per quick
add) uses the sqlite3 connection directly so a quick add does not pay for
importing sqlite-utils.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sqlite3
import threading
from operator import itemgetter
from pathlib import Path
from typing import Iterator

from . import polite
from .errors import (
    BackupFailed,
    CannotOpenJournal,
    JournalExists,
    NewerFormat,
    NoJournal,
    NotAJournal,
    StorageError,
)
from .polite import Busy

MAGIC = "recoveryjournal"
BUSY_TIMEOUT_MS = 15000
# Format 3: ordered by the random id, so the order on disk says nothing about when a
# record was written or last edited (a rowid table keeps insertion order).
RECORDS_TABLE = "CREATE TABLE {name} (id TEXT PRIMARY KEY, blob BLOB, hint INTEGER) WITHOUT ROWID"
# An index of the (masked, random-looking) kind hints: it holds nothing the table
# does not, and lets SQLite count the rows without reading every sealed blob.
HINT_INDEX = "records_hint"
CREATE_HINT_INDEX = f"CREATE INDEX IF NOT EXISTS {HINT_INDEX} ON records(hint)"
# The write-ahead log is cut back to this after each checkpoint, so old frames
# (sealed records, old key slots) do not sit in a large log for long.
JOURNAL_SIZE_LIMIT = 1024 * 1024


class Store:
    """An open journal file. Use `create` or `open`, never the constructor."""

    def __init__(self, path: Path, conn: sqlite3.Connection, format_version: int):
        self.path = path
        self.conn = conn
        self._identity = _identity(path)  # to notice the file being replaced (a restore)
        # Format 1 files have no `hint` column until `upgrade` adds it; reads then
        # see every hint as NULL ("unknown: decrypt to learn the kind").
        self.format_version = format_version
        # The app's UI thread and its worker share this connection. A transaction
        # belongs to the connection, not the thread: the worker's read snapshot
        # (the summary check) and the screen's own (the dashboard reading the
        # summary) once met, and the second BEGIN failed ("cannot start a
        # transaction within a transaction"). Each transaction takes its turn.
        self._turn = threading.RLock()

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
            if format_version >= 3:
                conn.execute(RECORDS_TABLE.format(name="records"))
                conn.execute(CREATE_HINT_INDEX)
            else:
                db["records"].create({"id": str, "blob": bytes, "hint": int}, pk="id")
            conn.execute("INSERT INTO vault VALUES ('magic', ?)", (MAGIC.encode(),))
            conn.execute(
                "INSERT INTO vault VALUES ('format', ?)", (str(format_version).encode(),)
            )
        return cls(path, conn, format_version)

    @classmethod
    def open(cls, path: Path, supported_format: int) -> "Store":
        """Open an existing journal, refusing anything that is not one."""
        path = Path(path)
        if not path.exists():
            raise NoJournal(path)
        if path.is_dir():
            raise NotAJournal(f"{path} is a folder, not a file")
        # The file is only ever read through SQLite: this process may already hold
        # a connection to it (the prefetch thread, the app), and closing any other
        # descriptor of the file would drop all of the process's POSIX locks on it,
        # letting another process delete the write-ahead log under us. SQLite
        # itself refuses a file that is not a database ("file is not a database").
        if not os.access(path, os.R_OK):
            raise NotAJournal(f"{path} cannot be read (permission denied)")
        try:
            conn, rows = _connect_and_read_marker(path)
        except sqlite3.DatabaseError as exc:
            if _is_about_the_disk(exc):
                raise CannotOpenJournal(path, _explain(exc)) from exc
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF == SQLITE_CORRUPT:
                raise NotAJournal(f"{path} ({exc})") from exc
            # Not a database, or a database without our tables.
            raise NotAJournal(f"{path} is not a journal file") from exc
        if rows.get("magic") != MAGIC.encode():
            conn.close()
            raise NotAJournal(f"{path} is not a journal file")
        try:
            version = int(rows.get("format", b"0"))
        except (ValueError, TypeError) as exc:
            conn.close()
            raise NotAJournal("the format version is unreadable") from exc
        if version > supported_format:
            conn.close()
            raise NewerFormat(version, supported_format)
        _use_wal(conn)  # a backup copy is in rollback mode until first opened
        return cls(path, conn, version)

    def upgrade(self, to_version: int) -> None:
        """Bring a format 1 file to `to_version` (2: add the kind hint column).

        Called only after the passphrase was checked, so a wrong guess changes
        nothing. One transaction; another process may have upgraded meanwhile, so
        the version is read again inside it. A read-only file stays as it is and
        is read as format 1."""
        if self.format_version >= to_version:
            return
        try:
            with self._turn, _immediate(self.conn):
                row = self.conn.execute("SELECT value FROM vault WHERE key = 'format'").fetchone()
                if int(_as_bytes(row[0])) < 2:
                    columns = {c[1] for c in self.conn.execute("PRAGMA table_info(records)")}
                    if "hint" not in columns:
                        self.conn.execute("ALTER TABLE records ADD COLUMN hint INTEGER")
                    self.conn.execute("UPDATE vault SET value = ? WHERE key = 'format'",
                                      (str(to_version).encode(),))
        except sqlite3.Error:
            return  # read-only media or a busy file: it still reads as format 1
        self.format_version = to_version

    def ensure_hint_index(self) -> None:
        """Give a format 3 file the index on `hint` (docs/FORMAT.md): `count(*)`,
        run at every command, then reads the small index instead of every sealed
        row (3 ms instead of 0.1 s at 76,500 records). Made once, after a secret
        opened the file; read-only media go without."""
        if self.format_version < 3:
            return
        with _reading(self.path):
            found = self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                (HINT_INDEX,)).fetchone()
        if found is not None:
            return
        try:
            with self._turn, _immediate(self.conn):
                self.conn.execute(CREATE_HINT_INDEX)
        except sqlite3.Error:
            pass  # read-only or busy: counting reads the table, as before

    @property
    def read_only(self) -> bool:
        """True when nothing can be written: read-only media, a read-only file, or
        a read-only folder where SQLite cannot make its write-ahead log. Asked of the
        file system by name only (never by opening the file: closing any handle of it
        drops SQLite's locks; docs/ARCHITECTURE.md, "Storage")."""
        if not os.access(self.path, os.W_OK):
            return True
        log = self.path.with_name(self.path.name + "-wal")
        return not os.access(self.path.parent, os.W_OK | os.X_OK) and not os.access(
            log, os.W_OK)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def replaced(self) -> bool:
        """True when the path now names another file than the one opened (a restore
        in another process moved a backup into its place). Uses stat, never a
        descriptor of the file."""
        return _identity(self.path) != self._identity

    # ---- reading -----------------------------------------------------------------

    def meta(self, key: str) -> bytes | None:
        with _reading(self.path):
            row = self.conn.execute("SELECT value FROM vault WHERE key = ?", (key,)).fetchone()
        return _as_bytes(row[0]) if row else None

    def slot(self, name: str) -> tuple[str, bytes] | None:
        with _reading(self.path):
            row = self.conn.execute(
                "SELECT kdf, wrapped FROM key_slots WHERE name = ?", (name,)
            ).fetchone()
        if row is None:
            return None
        # A value of the wrong type (edited by hand) must fail as "damaged", not crash.
        kdf = row[0] if isinstance(row[0], str) else repr(row[0])
        return kdf, _as_bytes(row[1])

    def record(self, record_id: str) -> bytes | None:
        with _reading(self.path):
            row = self.conn.execute(
                "SELECT blob FROM records WHERE id = ?", (record_id,)
            ).fetchone()
        return _as_bytes(row[0]) if row else None

    def all_records(self, busy: Busy | None = None) -> list[tuple[str, bytes, object]]:
        """Every (id, sealed blob, stored kind hint or None); values of the wrong
        type come back as bytes that will not open, so one bad row is reported,
        not fatal. The hint is returned as stored: the vault checks it.

        `busy` (a background worker): read `polite.EVERY` rows at a time, waiting
        in between while it says the person is typing (inside the caller's
        transaction, if any: the rows still come from one snapshot)."""
        hint = "hint" if self.format_version >= 2 else "NULL"
        with _reading(self.path):
            cursor = self.conn.execute(f"SELECT id, blob, {hint} FROM records")
            if busy is None:
                rows = cursor.fetchall()
            else:
                rows = []
                while chunk := cursor.fetchmany(polite.EVERY):
                    rows += chunk
                    polite.give_way(busy)
        return _well_typed(rows)

    def record_batches(self, size: int, busy: Busy | None = None
                       ) -> Iterator[list[tuple[str, bytes, object]]]:
        """Every (id, sealed blob, stored kind hint or None), `size` rows at a time
        from one cursor, as `all_records` gives them, for a full read that opens
        each batch before it reads the next: the journal's ciphertext is then
        never all in memory (a gigabyte at ten times the benchmark journal).
        Inside the caller's transaction the batches come from one snapshot.
        `busy`: waited for between batches (polite.py)."""
        hint = "hint" if self.format_version >= 2 else "NULL"
        with _reading(self.path):
            cursor = self.conn.execute(f"SELECT id, blob, {hint} FROM records")
            while chunk := cursor.fetchmany(size):
                yield _well_typed(chunk)
                polite.give_way(busy)

    def all_hints(self) -> list[tuple[str, bytes, object]]:
        """Every (id, b"", stored kind hint or None): the rows without their sealed
        blobs, read from the small index on `hint` where there is one, for reads
        of some kinds only (`records_by_id` then reads the chosen rows)."""
        hint = "hint" if self.format_version >= 2 else "NULL"
        with _reading(self.path):
            rows = self.conn.execute(f"SELECT id, X'', {hint} FROM records").fetchall()
        return _well_typed(rows)

    def records_by_id(self, ids: list[str]) -> list[tuple[str, bytes, object]]:
        """The (id, sealed blob, stored hint) of the rows with these ids that exist,
        in id order. The ids go in as one JSON array: no limit on their number,
        and no Python call per row."""
        import json

        hint = "hint" if self.format_version >= 2 else "NULL"
        with _reading(self.path):
            try:
                rows = self.conn.execute(
                    f"SELECT id, blob, {hint} FROM records WHERE id IN "
                    "(SELECT value FROM json_each(?))", (json.dumps(ids),)).fetchall()
            except sqlite3.DatabaseError:  # an SQLite built without JSON (or refusing it)
                rows = []
                for start in range(0, len(ids), 500):
                    part = ids[start:start + 500]
                    rows += self.conn.execute(
                        f"SELECT id, blob, {hint} FROM records WHERE id IN "
                        f"({','.join('?' * len(part))})", part).fetchall()
        return _well_typed(rows)

    def hint_scan(self) -> tuple[str, bytes, list[tuple[str, bytes, object]]]:
        """The ids and stored kind hints of every row whose id is 32 lower-case hex
        digits and whose hint is a byte: the ids back to back in one string
        built inside SQLite, the hints one byte each in the same order; and
        (id, blob, hint) of every other row (one read transaction).

        At ten times the benchmark journal a tuple and an id string per row cost
        about as much as reading the index itself (kind_read.py)."""
        hint = "hint" if self.format_version >= 2 else "NULL"
        plain = (f"typeof(id) = 'text' AND length(id) = 32 "
                 f"AND typeof({hint}) = 'integer' AND {hint} BETWEEN 0 AND 255")
        with _reading(self.path), self.snapshot():
            # Nearly always every row but the settings record's is plain: read
            # them without a test per row, then check the result as a whole.
            # One group per hint value (at most 256, in the order of the hint
            # index, so nothing is sorted): the hints need no parsing row by
            # row, which at 10x cost as much as the read itself (the scan
            # 0.48 -> 0.24 s of CPU, beside the KDF but holding the GIL).
            fast = None
            try:
                groups = self.conn.execute(
                    f"SELECT {hint}, count(*), group_concat(id, '') FROM records "
                    f"WHERE id != 'settings' GROUP BY {hint}").fetchall()
                fast = _plain_groups(groups)
            except (ValueError, sqlite3.DataError, sqlite3.OperationalError):
                pass  # a value SQLite cannot give as UTF-8 text
            if fast is not None:
                others = self.conn.execute(
                    f"SELECT id, blob, {hint} FROM records WHERE id = 'settings'").fetchall()
                return fast[0], fast[1], _well_typed(others)
            # Rows from format 1 or edited by hand: the exact test, row by row.
            plain += " AND id NOT GLOB '*[^0-9a-f]*'"
            ids, hints, others = self._hint_scan(hint, plain)
        # char(n) is the character U+00nn: one byte each in Latin-1.
        return ids, hints.encode("latin-1"), _well_typed(others)

    def _hint_scan(self, hint: str, plain: str) -> tuple[str, str, list]:
        # Both aggregates take the rows in the same order, one row at a time.
        total, ids, hints = self.conn.execute(
            f"SELECT count(*), group_concat(CASE WHEN {plain} THEN id END, ''), "
            f"group_concat(CASE WHEN {plain} THEN char({hint}) END, '') "
            "FROM records").fetchone()
        ids, hints = ids or "", hints or ""
        others: list = []
        if total != len(hints):
            # Found in the hint index (a whole-table scan would read every blob),
            # then read by id; a format 1 file, where no row has a hint, at once.
            keys = self.conn.execute(
                f"SELECT id FROM records WHERE NOT ({plain})").fetchall()
            if len(keys) > 1000:
                return ids, hints, self.conn.execute(
                    f"SELECT id, blob, {hint} FROM records WHERE NOT ({plain})").fetchall()
            for (key,) in keys:
                others += self.conn.execute(
                    f"SELECT id, blob, {hint} FROM records WHERE id = ?", (key,)).fetchall()
        return ids, hints, others

    def records_by_id_in_chunks(self, ids: list[str], chunk: int
                                ) -> Iterator[list[tuple[str, bytes, object]]]:
        """The (id, sealed blob, stored hint) of the rows with these ids that
        exist, `chunk` rows at a time, in id order (whatever the order of `ids`):
        one ordered walk of the table rather than a B-tree search per row.

        (Memory-mapping the file for the walk was measured at 10x: a third less
        CPU in the walk, but every page it touched counted in the process's
        resident memory, 155 MB -> 1.25 GB; unmapping after each chunk cost
        more system time than the mapping saved.)"""
        hint = "hint" if self.format_version >= 2 else "NULL"
        with _reading(self.path):
            try:
                cursor = self.conn.execute(
                    f"SELECT id, blob, {hint} FROM records WHERE id IN "
                    "(SELECT value FROM json_each(?))", (_json_strings(ids),))
            except sqlite3.DatabaseError:  # an SQLite built without JSON (or refusing it)
                yield self.records_named(ids)
                return
            while rows := cursor.fetchmany(chunk):
                yield _well_typed(rows)
            cursor.close()

    def count(self) -> int:
        with _reading(self.path):
            return self.conn.execute("SELECT count(*) FROM records").fetchone()[0]

    def data_version(self) -> int:
        """SQLite's counter of commits made by *other* connections (another process,
        or another connection of this one); a cheap poll for "written elsewhere"."""
        with _reading(self.path):
            return self.conn.execute("PRAGMA data_version").fetchone()[0]

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: every read inside sees the same committed state."""
        with self._turn:
            self.conn.execute("BEGIN")
            try:
                yield
            finally:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("COMMIT")

    def versions(self, nonce_size: int) -> dict[str, bytes]:
        """Each row's nonce by id. A write always seals with a fresh nonce, so the
        nonce names the version of a row without reading the whole blob."""
        with _reading(self.path):
            rows = self.conn.execute(
                "SELECT id, substr(blob, 1, ?) FROM records", (nonce_size,)).fetchall()
        found = dict(rows)  # in C: this runs whenever another process wrote
        if len(found) != len(rows) or not set(map(type, found)) <= {str} or not set(
                map(type, found.values())) <= {bytes}:
            # Values of the wrong type (edited by hand), named as all_records names them.
            found = {record_id if type(record_id) is str else repr(record_id): _as_bytes(nonce)
                     for record_id, nonce in rows}
        return found

    def records_named(self, record_ids: list[str]) -> list[tuple[str, bytes, object]]:
        """(id, blob, hint) of these rows, in batches SQLite's parameter limit allows."""
        hint = "hint" if self.format_version >= 2 else "NULL"
        found: list = []
        with _reading(self.path):
            for start in range(0, len(record_ids), 500):
                batch = record_ids[start:start + 500]
                marks = ",".join("?" * len(batch))
                found += self.conn.execute(
                    f"SELECT id, blob, {hint} FROM records WHERE id IN ({marks})", batch
                ).fetchall()
        return _well_typed(found)

    def backup_to(self, destination: Path) -> None:
        """A consistent copy of the (still encrypted) file, safe while others write.

        Uses SQLite's online backup API into a hidden file beside the destination
        (0600 before any byte lands), fsyncs it, then moves it into place, so a
        backup cut short by a crash or a full disk never leaves a half file under
        the name the person chose. Refuses to replace an existing file.
        """
        destination = Path(destination)
        if destination.exists():
            raise JournalExists(destination)
        partial = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.partial")
        try:
            fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            target = sqlite3.connect(partial, isolation_level=None)
            source = self._copy_source()
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                target.close()
                if source is not self.conn:
                    source.close()
            with open(partial, "rb") as handle:
                os.fsync(handle.fileno())
            _move_into_place(partial, destination)
        except (OSError, sqlite3.Error) as exc:
            for leftover in (partial, partial.with_name(partial.name + "-journal")):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            if isinstance(exc, FileExistsError):
                raise JournalExists(destination) from exc
            if isinstance(exc, OSError):
                detail = exc.strerror or str(exc)
            else:
                detail = _explain(exc)
            raise BackupFailed(destination, detail) from exc

    def _copy_source(self) -> sqlite3.Connection:
        """A connection of its own for a backup, so one can run in a worker thread
        while this one reads and writes elsewhere (SQLite shares the file's locks
        between a process's connections; this never opens the file outside SQLite).
        Read-only media, opened immutable, keep the connection that works there."""
        source = None
        try:
            # mode=rw: never create an empty file should the journal be gone meanwhile.
            source = sqlite3.connect(self.path.resolve().as_uri() + "?mode=rw", uri=True,
                                     isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            source.execute("SELECT count(*) FROM vault").fetchone()
        except sqlite3.Error:
            if source is not None:
                source.close()
            return self.conn
        return source

    # ---- writing (only inside `transaction`) -------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; BEGIN IMMEDIATE so two processes take turns."""
        try:
            with self._turn, _immediate(self.conn):
                yield
        except sqlite3.OperationalError as exc:
            # Full disk, read-only file, file size limit, lock held too long.
            raise StorageError(_explain(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise NotAJournal(f"the file is damaged ({exc}); nothing was written") from exc

    def set_meta(self, key: str, value: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO vault VALUES (?, ?)", (key, value))

    def set_slot(self, name: str, kdf: str, wrapped: bytes) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO key_slots VALUES (?, ?, ?)", (name, kdf, wrapped)
        )

    def put_record(self, record_id: str, blob: bytes, hint: int | None,
                   exists: bool = False) -> None:
        """Store a record; `exists`: update the row in place (INSERT OR REPLACE would
        delete and re-add it, and in a rowid table move it to the end)."""
        if exists:
            if self.format_version >= 2:
                self.conn.execute("UPDATE records SET blob = ?, hint = ? WHERE id = ?",
                                  (blob, hint, record_id))
            else:
                self.conn.execute("UPDATE records SET blob = ? WHERE id = ?", (blob, record_id))
        elif self.format_version >= 2:
            self.conn.execute("INSERT OR REPLACE INTO records (id, blob, hint) VALUES (?, ?, ?)",
                              (record_id, blob, hint))
        else:
            self.conn.execute("INSERT OR REPLACE INTO records (id, blob) VALUES (?, ?)",
                              (record_id, blob))

    def set_hints(self, hints: list[tuple[int, str]]) -> None:
        """Store (hint, id) pairs: a row's hint depends on its id and kind only."""
        if self.format_version >= 2:
            self.conn.executemany("UPDATE records SET hint = ? WHERE id = ?", hints)

    def delete_record(self, record_id: str) -> None:
        self.conn.execute("DELETE FROM records WHERE id = ?", (record_id,))

    def delete_slot(self, name: str) -> None:
        self.conn.execute("DELETE FROM key_slots WHERE name = ?", (name,))

    def delete_meta(self, key: str) -> None:
        self.conn.execute("DELETE FROM vault WHERE key = ?", (key,))

    def rewrite_records(self, rewrite) -> None:
        """Inside a transaction: pass every (id, blob, hint) row, a chunk at a time
        in id order, through `rewrite` and store what it returns. A format 3 table is
        updated in place (same buckets, so the file does not grow); an older one is
        copied into a new WITHOUT ROWID table that replaces it, filled in id order
        so its pages are full. Never all in memory at once; freed pages are zeroed
        (secure_delete)."""
        in_place = self.format_version >= 3
        hint = "hint" if self.format_version >= 2 else "NULL"
        if not in_place:
            self.conn.execute("DROP TABLE IF EXISTS records_new")
            self.conn.execute(RECORDS_TABLE.format(name="records_new"))
        # Ids that are not text (edited by hand) first, in one go: keyset paging
        # by text below would skip them, and a migration would lose them.
        odd = self.conn.execute(
            f"SELECT id, blob, {hint} FROM records WHERE typeof(id) != 'text'").fetchall()
        last = ""
        while chunk := odd or self.conn.execute(
                f"SELECT id, blob, {hint} FROM records WHERE typeof(id) = 'text' AND id > ? "
                "ORDER BY id LIMIT 2048", (last,)).fetchall():
            if odd:
                odd = []
            else:
                last = chunk[-1][0]
            rows = rewrite(_well_typed(chunk))
            if in_place:
                self.conn.executemany("UPDATE records SET blob = ?, hint = ? WHERE id = ?",
                                      [(blob, hint_, rid) for rid, blob, hint_ in rows])
            else:
                self.conn.executemany("INSERT INTO records_new VALUES (?, ?, ?)", rows)
        if not in_place:
            self.conn.execute("DROP TABLE records")
            self.conn.execute("ALTER TABLE records_new RENAME TO records")
            self.conn.execute(CREATE_HINT_INDEX)

    def compact(self) -> None:
        """VACUUM: give back the pages a format migration freed (best effort)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("VACUUM")

    def truncate_write_ahead_log(self) -> None:
        """Fold the write-ahead log into the file and cut it to nothing, so frames
        from before a key change (old key slots) do not linger in it. Best effort:
        a reader in another process can keep older frames in use until it ends."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _json_strings(values: list[str]) -> str:
    """`json.dumps(values)`; for ids of ASCII letters and digits only (every id
    the app makes) a join, which takes half the time (200,000 ids: 0.07 -> 0.04 s)."""
    joined = '","'.join(values)
    # ASCII letters and digits only (bytes.isalnum: str.isalnum looks up every
    # character in the Unicode tables, 60 ms at 10x).
    if joined.isascii() and "".join(values).encode().isalnum():
        return f'["{joined}"]'
    import json

    return json.dumps(values)


def _plain_groups(groups: list) -> tuple[str, bytes] | None:
    """The ids back to back and their hints, one byte each, from (hint, count,
    ids) groups; None unless every hint is a whole number that fits in a byte
    (none NULL, text or real) and every id is 32 lower-case hex digits. (The
    column's INTEGER affinity stores 12.0 as 12, so a real number here is never
    whole, and GROUP BY never puts one in the group of a whole number.)"""
    total = 0
    for hint, count, ids in groups:
        if type(hint) is not int or not 0 <= hint <= 255 or type(ids) is not str:
            return None
        total += count
    ids = "".join([group[2] for group in groups])
    if not _hex_ids(ids, total):
        return None
    return ids, b"".join([bytes((hint,)) * count for hint, count, _ids in groups])


def _hex_ids(ids: str, count: int) -> bool:
    """Whether `ids` is `count` ids of 32 lower-case hex digits back to back."""
    if len(ids) != 32 * count or not ids.isascii():
        return False
    try:
        raw = bytes.fromhex(ids)
    except ValueError:
        return False
    # fromhex also takes upper case and skips whitespace; neither makes an id.
    # (Searched for, not compared with ids.lower(): no second copy of 24 MB at
    # 10x while the KDF holds its own memory.)
    return len(raw) == 16 * count and not any(letter in ids for letter in "ABCDEF")


def _well_typed(rows: list) -> list[tuple[str, bytes, object]]:
    """Rows as (str id, bytes blob, hint); values of the wrong type (edited by
    hand) become bytes that will not open, so one bad row is reported, not fatal."""
    # The common case checked in C (map, set), not row by row in Python: this
    # runs beside the KDF at every unlock and its time is the unlock's.
    if set(map(type, map(itemgetter(0), rows))) <= {str} and set(
            map(type, map(itemgetter(1), rows))) <= {bytes}:
        return rows
    return [
        row if type(row[0]) is str and type(row[1]) is bytes
        else (row[0] if isinstance(row[0], str) else repr(row[0]), _as_bytes(row[1]), row[2])
        for row in rows
    ]


_READ_MARKER = "SELECT key, value FROM vault WHERE key IN ('magic', 'format')"


def _connect_and_read_marker(path: Path) -> tuple[sqlite3.Connection, dict]:
    """Connect and read the format marker (`magic`, `format`) from the `vault`
    table, nothing else: the rest of it (the sealed summary, 262 KB at the
    benchmark's 76,500 records) is read after the passphrase is checked. Read here,
    it stayed in SQLite's page cache and the allocator's heap through the KDF's
    64 MiB, the session's peak (issue 18). A journal on read-only media (file and
    folder both read-only, so SQLite cannot make its -shm index) is opened
    read-only and immutable instead, so it can still be read and exported;
    writes then fail with a clear "read-only" StorageError."""
    conn = None
    try:
        conn = _connect(path, wal=False)
        return conn, dict(conn.execute(_READ_MARKER).fetchall())
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        wal = path.with_name(path.name + "-wal")
        # Only when no write-ahead log holds changes the immutable view would miss.
        if code not in (8, 14) or os.access(path, os.W_OK) or (
            wal.exists() and wal.stat().st_size
        ):
            raise
    conn = _connect(path, read_only=True)
    try:
        return conn, dict(conn.execute(_READ_MARKER).fetchall())
    except sqlite3.DatabaseError:
        conn.close()
        raise


def _use_wal(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass  # a read-only file can still be opened and read


def _connect(path: Path, read_only: bool = False, wal: bool = True) -> sqlite3.Connection:
    """`wal=False` until the file is known to be a journal: switching a foreign
    SQLite file to WAL would rewrite its header, and a refused file stays untouched."""
    if read_only:
        uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA temp_store = MEMORY")
        return conn
    # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
    # check_same_thread=False: the TUI unlocks in a worker thread and then writes
    # from the UI thread; one thread uses the connection at a time.
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if wal:
        _use_wal(conn)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
    return conn


@contextlib.contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # After SQLITE_FULL or an I/O error SQLite may already have rolled back;
        # a failing ROLLBACK must not hide the error that says what happened.
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def _reading(path: Path | None = None) -> Iterator[None]:
    """A file that was cut short or edited by hand fails with a message, not a traceback;
    so does a disk that fails under it, without calling the journal damaged."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if _is_about_the_disk(exc):
            raise CannotOpenJournal(path or "the journal", _explain(exc)) from exc
        raise NotAJournal(f"the file is damaged or incomplete ({exc})") from exc


# Result codes that describe the disk or other processes, not the file's content:
# PERM, BUSY, LOCKED, NOMEM, READONLY, IOERR, FULL, CANTOPEN.
_DISK_CODES = {3, 5, 6, 7, 8, 10, 13, 14}


SQLITE_IOERR_SHORT_READ = 522  # a file cut short: its content, not the disk
SQLITE_CORRUPT = 11  # a journal whose pages are damaged


def _is_about_the_disk(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return (
        isinstance(code, int)
        and (code & 0xFF) in _DISK_CODES
        and code != SQLITE_IOERR_SHORT_READ
    )


# SQLite's primary result codes (the low byte of the extended code).
_PLAIN_WORDS = {
    5: "another copy of recoveryjournal kept the file busy for too long; please try again",
    6: "another copy of recoveryjournal kept the file busy for too long; please try again",
    8: "the file or its folder is read-only",
    10: "the disk refused the write; it may be full, removed or failing",
    13: "the disk is full",
    14: "the file could not be opened for writing",
}


def _explain(exc: sqlite3.Error) -> str:
    """SQLite's terse error in words a person can act on, keeping the original."""
    code = getattr(exc, "sqlite_errorcode", None)
    words = _PLAIN_WORDS.get(code & 0xFF) if isinstance(code, int) else None
    return f"{words} ({exc})" if words else str(exc)


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return repr(value).encode()


def _move_into_place(partial: Path, destination: Path) -> None:
    """Atomically give `partial` its final name without replacing anything there,
    then fsync the folder so the new name survives a power cut."""
    try:
        os.link(partial, destination)  # fails if the destination appeared meanwhile
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # No hard links (FAT or exFAT USB sticks): a checked rename is the best left.
        if destination.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(destination)) from exc
        os.rename(partial, destination)
    else:
        os.unlink(partial)
    with contextlib.suppress(OSError):
        folder = os.open(destination.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


# SQLite's lock bytes on the database file (os_unix.c): every open connection to
# a journal in WAL mode holds a read lock on the SHARED range.
_SHARED_FIRST = 0x40000000 + 2
_SHARED_SIZE = 510


def open_elsewhere(path: Path) -> bool:
    """True when another process has the journal open (the app, a CLI command).

    Asks the kernel whether anyone holds SQLite's shared lock on the file. Only
    for a process that has no SQLite connection to `path` itself: closing the
    descriptor used here would drop that connection's locks."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        probe = fcntl.fcntl(fd, fcntl.F_GETLK, _flock(fcntl.F_WRLCK, _SHARED_FIRST, _SHARED_SIZE))
        return _flock_type(probe) != fcntl.F_UNLCK
    except OSError:
        return False  # no POSIX locks on this file system: nothing to learn
    finally:
        os.close(fd)


def _flock(kind: int, start: int, length: int) -> bytes:
    """A struct flock for F_GETLK: l_type, l_whence (short), l_start, l_len (off_t), l_pid."""
    import struct

    return struct.pack("hhqqi", kind, os.SEEK_SET, start, length, 0) + b"\0" * 4


def _flock_type(packed: bytes) -> int:
    import struct

    return struct.unpack("hhqqi", packed[:struct.calcsize("hhqqi")])[0]


def fold_write_ahead_log(path: Path) -> None:
    """Checkpoint the journal's write-ahead log into the file itself, so the file
    alone holds every committed record (before it is copied, linked or replaced)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError:
        pass  # not in WAL mode, or not a database: nothing to fold
    finally:
        conn.close()
