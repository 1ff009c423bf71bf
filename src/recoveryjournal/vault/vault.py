"""The unlocked vault: the data key in memory, sealing and opening records.

Every write is one transaction that stores the sealed record and updates the
sealed integrity accumulator (an XOR of per-record MACs plus a count), so a
write costs the same however large the journal is, and a record deleted,
added or rolled back outside the app is noticed at the next full read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import crypto
from .errors import DamagedRecord, JournalLocked, TamperedJournal
from .store import Store

PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"
PAD_TO = 64  # plaintext is padded with spaces so sizes reveal less about content


@dataclass
class ReadResult:
    """Everything a full read found: the plaintexts, and what was wrong."""

    plaintexts: dict[str, bytes]
    damaged: list[str] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)
    # (id, nonce + tag) of every row and the sealed accumulator, for check_integrity
    rows: list[tuple[str, bytes]] = field(default_factory=list)
    sealed_integrity: bytes | None = None


class Vault:
    """Holds the data key; drop it with `lock()`."""

    def __init__(self, store: Store, data_key: bytes):
        self.store = store
        self._data_key: bytes | None = data_key
        self._cipher: crypto.RecordCipher | None = crypto.RecordCipher(data_key)
        self._prefetch = None  # a Prefetch started while the KDF ran, if asked for

    @property
    def path(self) -> Path:
        return self.store.path

    # ---- creating and unlocking --------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str) -> tuple["Vault", str]:
        """A new journal file; returns the vault and the recovery code (shown once)."""
        store = Store.create(Path(path), crypto.FORMAT_VERSION)
        data_key = crypto.new_data_key()
        recovery_code = crypto.new_recovery_code()
        vault = cls(store, data_key)
        with store.transaction():
            store.set_slot(PASSPHRASE_SLOT, *crypto.wrap_data_key(data_key, passphrase, PASSPHRASE_SLOT))
            store.set_slot(RECOVERY_SLOT, *crypto.wrap_data_key(data_key, recovery_code, RECOVERY_SLOT))
            store.set_meta("integrity", vault._seal_integrity(0, 0))
        return vault, recovery_code

    @classmethod
    def open(cls, path: Path, passphrase: str, preload: bool = False) -> "Vault":
        """Unlock with the passphrase; raises WrongSecret if it does not match.

        preload=True starts reading every sealed record while the KDF runs, for
        callers that will call `read_all` next."""
        return cls._open_slot(path, PASSPHRASE_SLOT, passphrase, preload)

    @classmethod
    def open_with_recovery_code(cls, path: Path, code: str) -> "Vault":
        return cls._open_slot(path, RECOVERY_SLOT, crypto.normalise_recovery_code(code))

    @classmethod
    def _open_slot(cls, path: Path, name: str, secret: str, preload: bool = False) -> "Vault":
        store = Store.open(Path(path), crypto.FORMAT_VERSION)
        prefetch = None
        try:
            slot = store.slot(name)
            if slot is None:
                raise TamperedJournal(f"the {name} key slot is missing")
            if preload:
                from .prefetch import Prefetch

                prefetch = Prefetch(Path(path))
            data_key = crypto.unwrap_data_key(secret, name, *slot)
        except BaseException:
            store.close()
            if prefetch is not None:
                prefetch.result()  # let the reader finish and close its connection
            raise
        vault = cls(store, data_key)
        vault._prefetch = prefetch
        return vault

    def change_passphrase(self, new_passphrase: str) -> None:
        """Re-wrap the data key only; no record is touched."""
        slot = crypto.wrap_data_key(self._key(), new_passphrase, PASSPHRASE_SLOT)
        with self.store.transaction():
            self.store.set_slot(PASSPHRASE_SLOT, *slot)

    def backup_to(self, destination: Path) -> None:
        """Copy the encrypted file; the copy opens with the same passphrase."""
        self._cipher_or_raise()
        self.store.backup_to(destination)

    def lock(self) -> None:
        """Forget the keys and close the file."""
        self._data_key = None
        self._cipher = None
        self.store.close()

    @property
    def is_locked(self) -> bool:
        return self._cipher is None

    # ---- records -----------------------------------------------------------------

    def write(self, record_id: str, plaintext: bytes) -> None:
        """Seal and store one record (new or replacing), in one transaction."""
        cipher = self._cipher_or_raise()
        padded = plaintext + b" " * (-len(plaintext) % PAD_TO)
        blob = cipher.seal(record_id, padded)
        with self.store.transaction():
            acc, count = self._integrity_for_writing()
            old = self.store.record(record_id)
            if old is None:
                count += 1
            else:
                acc ^= _mac_int(cipher, record_id, old)
            acc ^= _mac_int(cipher, record_id, blob)
            self.store.put_record(record_id, blob)
            self.store.set_meta("integrity", self._seal_integrity(acc, count))

    def delete(self, record_id: str) -> bool:
        """Remove one record; False when it was not there."""
        cipher = self._cipher_or_raise()
        with self.store.transaction():
            old = self.store.record(record_id)
            if old is None:
                return False
            acc, count = self._integrity_for_writing()
            acc ^= _mac_int(cipher, record_id, old)
            self.store.delete_record(record_id)
            self.store.set_meta("integrity", self._seal_integrity(acc, count - 1))
        return True

    def read(self, record_id: str) -> bytes | None:
        blob = self.store.record(record_id)
        if blob is None:
            return None
        return self._cipher_or_raise().open(record_id, blob)

    def read_all(self, verify: bool = True) -> ReadResult:
        """Open every record; damaged ones are listed, never fatal.

        With verify=False the set-level check (records deleted, added or rolled
        back) is left for `check_integrity(result)`, which needs no file access
        and may run in a worker thread after the dashboard is shown: each record
        returned here is already authenticated by its own GCM tag.
        """
        cipher = self._cipher_or_raise()
        rows, sealed = self._rows_and_integrity()
        result = ReadResult(plaintexts={})
        result.sealed_integrity = sealed
        result.plaintexts, result.damaged, result.rows = cipher.open_many(rows)
        if verify:
            result.tampering = self.check_integrity(result)
        return result

    def _rows_and_integrity(self) -> tuple[list[tuple[str, bytes]], bytes | None]:
        """Every row and the sealed accumulator, read together. A prefetch is used
        when nothing was written since (any write re-seals the accumulator with a
        fresh nonce, so equal bytes mean the same records)."""
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None:
            fetched = prefetch.result()
            if fetched is not None and fetched.sealed_integrity == self.store.meta("integrity"):
                return fetched.rows, fetched.sealed_integrity
        conn = self.store.conn
        conn.execute("BEGIN")  # a read snapshot; works on a read-only file too
        try:
            return self.store.all_records(), self.store.meta("integrity")
        finally:
            conn.execute("COMMIT")

    def check_integrity(self, result: ReadResult) -> list[str]:
        """What is wrong with the set of records `read_all` saw, or [] when nothing."""
        cipher = self._cipher_or_raise()
        acc = 0
        for record_id, blob in result.rows:
            acc ^= int.from_bytes(cipher.record_mac(record_id, blob), "big")
        try:
            if result.sealed_integrity is None:
                raise TamperedJournal("the integrity check is missing")
            expected_acc, expected_count = self._open_integrity(result.sealed_integrity)
        except (DamagedRecord, TamperedJournal):
            return ["the integrity check itself is damaged"]
        count = len(result.rows)
        if expected_count != count:
            return [f"the journal should hold {expected_count} records but holds {count}"]
        if expected_acc != acc:
            return ["a record was replaced by an older or foreign copy"]
        return []

    def reseal_integrity(self) -> None:
        """Make the integrity check match the records as they are now.

        For after the person has been told what `read_all` found (a damaged or
        missing integrity check, a record deleted or rolled back outside the app)
        and chose to carry on with the journal as it is. Until then writes refuse
        when the check itself is damaged, so a tampered file is never silently
        blessed by the next quick add.
        """
        cipher = self._cipher_or_raise()
        with self.store.transaction():
            rows = self.store.all_records()
            acc = 0
            for record_id, blob in rows:
                acc ^= _mac_int(cipher, record_id, blob)
            self.store.set_meta("integrity", self._seal_integrity(acc, len(rows)))

    # ---- internals ---------------------------------------------------------------

    def _key(self) -> bytes:
        if self._data_key is None:
            raise JournalLocked()
        return self._data_key

    def _cipher_or_raise(self) -> crypto.RecordCipher:
        if self._cipher is None:
            raise JournalLocked()
        return self._cipher

    def _seal_integrity(self, acc: int, count: int) -> bytes:
        payload = json.dumps({"acc": f"{acc:064x}", "count": count}).encode()
        return self._cipher_or_raise().seal_integrity(payload)

    def _read_integrity(self) -> tuple[int, int]:
        blob = self.store.meta("integrity")
        if blob is None:
            raise TamperedJournal("the integrity check is missing")
        return self._open_integrity(blob)

    def _open_integrity(self, blob: bytes) -> tuple[int, int]:
        try:
            payload = json.loads(self._cipher_or_raise().open_integrity(blob))
            return int(payload["acc"], 16), int(payload["count"])
        except (ValueError, KeyError, TypeError) as exc:
            raise TamperedJournal("the integrity check is unreadable") from exc

    def _integrity_for_writing(self) -> tuple[int, int]:
        """The accumulator to update, or a clear refusal when it was tampered with:
        rebuilding it here would hide whatever else was changed."""
        try:
            return self._read_integrity()
        except (DamagedRecord, TamperedJournal) as exc:
            raise TamperedJournal(
                "its integrity check is damaged or missing, so nothing new was saved; "
                "everything already saved still opens. Open the journal to see what "
                "changed and confirm you want to carry on"
            ) from exc


def _mac_int(cipher: crypto.RecordCipher, record_id: str, blob: bytes) -> int:
    return int.from_bytes(cipher.record_mac(record_id, blob), "big")
