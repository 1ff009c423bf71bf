"""The unlocked vault: the data key in memory, sealing and opening records.

Every write is one transaction that stores the sealed record and updates the
sealed integrity accumulator (an XOR of per-record MACs plus a count), so a
write costs the same however large the journal is, and a record deleted,
added or rolled back outside the app is noticed at the next full read.

Each row also carries a kind hint: the record's kind code XOR a secret mask
(see crypto.RecordCipher.kind_codes), so a reader that needs one kind (the
CLI's search) decrypts only those rows. The vault does not know what the codes
mean; the journal checks them against the decrypted records at every full read.

A new passphrase or recovery code rotates the data key (`rotate`): every record,
the integrity state and the hints are sealed again under a fresh key in one
transaction, so an old key slot, copied back or kept in a backup, opens nothing
written since. The recovery code unlocks a recovery key pair and the data key is
sealed to its public half, so a rotation needs the code only when it replaces it.

Beside the integrity state the vault keeps a sealed summary (`summary`): figures
the journal derives from the records (summary.py) so the dashboard need not read
them all. The vault does not know what it says; in the transaction of every write
it hands the summary, the record's old and new plaintext to the journal's hook
(`summarize`) and seals what comes back, marked with the write count it belongs
to, so a summary left behind by a write that did not update it is known stale.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from . import checked, crypto, kind_read, polite
from .checked import FingerprintRows
from .errors import (DamagedRecord, JournalError, JournalLocked, KeyChanged,
                     RetiredSecret, TamperedJournal)
from .kind_hints import positions_of, read_hint_column
from .packed_ids import PackedIds, packed_id
from .polite import Busy
from .prefetch import BATCH, Fetched, Prefetch, Streamed, fetch, fetch_from, stream, stream_from
from .store import Store

PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"  # before format 3, and until the next rotation: wraps the data key
RECOVERY_KEY_SLOT = "recovery-key"  # format 3: wraps the recovery private key
RECOVERY_SEAL = "recovery_seal"  # vault row: the data key sealed to the recovery public key
SUMMARY = "summary"  # vault row: the sealed summary (docs/FORMAT.md, "The summary")


@dataclass
class SealedState:
    """What the sealed integrity blob holds (docs/FORMAT.md, "The integrity state")."""

    acc: int = 0
    count: int = 0
    writes: int = 0  # every write, delete and rotation adds one; 0 before format 3
    saved: datetime | None = None  # when the last of them happened (UTC)
    journal: str = ""  # a random id of this journal, kept across rotations
    recovery: bytes = b""  # the recovery public key, when the journal has one

    def touched(self) -> "SealedState":
        self.writes += 1
        self.saved = datetime.now(timezone.utc).replace(microsecond=0)
        return self

    def to_json(self) -> bytes:
        return json.dumps({
            "acc": f"{self.acc:064x}", "count": self.count, "writes": self.writes,
            "saved": self.saved.strftime("%Y-%m-%dT%H:%M:%SZ") if self.saved else None,
            "journal": self.journal, "recovery": self.recovery.hex(),
        }).encode()

    @classmethod
    def from_json(cls, payload: bytes) -> "SealedState":
        raw = json.loads(payload)
        saved = raw.get("saved")
        state = cls(acc=int(raw["acc"], 16), count=int(raw["count"]),
                    writes=int(raw.get("writes", 0)), journal=str(raw.get("journal", "")),
                    recovery=bytes.fromhex(raw.get("recovery", "")),
                    saved=datetime.strptime(saved, "%Y-%m-%dT%H:%M:%SZ").replace(
                        tzinfo=timezone.utc) if saved else None)
        if state.count < 0 or state.writes < 0:
            raise ValueError("negative count")
        return state


@dataclass
class ReadResult:
    """Everything a full read found: the plaintexts, and what was wrong."""

    plaintexts: dict[str, bytes]
    damaged: list[str] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)
    # (id, nonce + tag) of every row and the sealed accumulator, for check_integrity
    # (a FingerprintRows after a streamed read)
    rows: list[tuple[str, bytes]] | FingerprintRows = field(default_factory=list)
    sealed_integrity: bytes | None = None
    # The kind code each row's hint stands for, in the order of `rows` (full reads
    # only), the rows whose hint is not a byte, and the ids of rows without a
    # hint yet (written by format 1).
    kind_codes: bytes = b""
    odd_hints: list[int] = field(default_factory=list)
    missing_hints: list[int] = field(default_factory=list)
    unhinted: list[str] = field(default_factory=list)
    # False when only some kinds were asked for: no set-level check is possible.
    complete: bool = True

    def stored_kind_codes(self) -> Iterator[tuple[str, int | None]]:
        """(id, the kind code its hint stands for, or None for a hint that is not
        a byte) of every row that has a hint; for a complete read with `rows`."""
        missing, odd = set(self.missing_hints), set(self.odd_hints)
        rows = self.rows
        ids = rows.ids if isinstance(rows, FingerprintRows) else [row[0] for row in rows]
        for position, (record_id, code) in enumerate(zip(ids, self.kind_codes)):
            if position not in missing:
                yield record_id, None if position in odd else code


@dataclass
class Changes:
    """What other processes wrote since this vault last read the records."""

    plaintexts: dict[str, bytes] = field(default_factory=dict)  # new or changed rows
    deleted: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)


class Versions:
    """Each row's version (its nonce) by id, as of the last full read or look at
    what changed: what `read_changes` compares the file with. Held flat: the ids
    as 16 bytes each and the nonces in two byte strings. A dict of bytes cost ~90
    bytes a row for the whole session (70 MB at ten times the benchmark journal),
    and a list of the ids' strings kept half a million of them alive (40 MB)
    once the journal holds its urges as columns (record_columns.py), without
    their strings. This vault's own writes since are laid over it."""

    __slots__ = ("_ids", "_other_ids", "_nonces", "_size", "_since")

    def __init__(self, ids: Sequence[str], nonces: bytes, size: int,
                 short: dict[int, bytes] | None = None):
        """`nonces`: `size` bytes a row, in the order of `ids`; `short`: the rows
        (by position) whose nonce is shorter, cut short outside the app."""
        self._ids, self._other_ids = _packed_ids(ids)
        self._nonces, self._size = nonces, size
        self._since: dict[str, bytes | None] = {
            ids[position]: nonce for position, nonce in (short or {}).items()}

    @classmethod
    def of(cls, versions: dict[str, bytes], size: int) -> "Versions":
        short = {position: nonce for position, nonce in enumerate(versions.values())
                 if len(nonce) != size}
        return cls(list(versions), b"".join(
            nonce if len(nonce) == size else bytes(size) for nonce in versions.values()),
            size, short)

    def note(self, record_id: str, nonce: bytes | None) -> None:
        """A write of this vault's (None: the row was deleted)."""
        self._since[record_id] = nonce

    def as_dict(self) -> dict[str, bytes]:
        """Every row's nonce by id (made for the moment of a comparison)."""
        flat, size = self._nonces, self._size
        digits = self._ids.hex()
        ids = [digits[start:start + 32] for start in range(0, len(digits), 32)]
        for position, record_id in self._other_ids.items():
            ids[position] = record_id
        found = dict(zip(ids, [flat[start:start + size] for start in range(0, len(flat), size)]))
        for record_id, nonce in self._since.items():
            if nonce is None:
                found.pop(record_id, None)
            else:
                found[record_id] = nonce
        return found


def _packed_ids(ids: Sequence[str]) -> tuple[bytes, dict[int, str]]:
    """The ids as 16 bytes each (this app's ids are 32 lower-case hex digits),
    and any other id (the settings record's, or one edited by hand) by its
    position, its 16 bytes left zero."""
    if isinstance(ids, PackedIds):
        return ids.packed()  # a full read's, packed as it came
    other = {position: record_id for position, record_id in enumerate(ids)
             if len(record_id) != 32}
    digits = "".join(ids) if not other else "".join(
        "0" * 32 if len(record_id) != 32 else record_id for record_id in ids)
    try:
        packed = bytes.fromhex(digits)
        if packed.hex() == digits:
            return packed, other
    except ValueError:
        pass
    parts = []  # a hex digit that is not lower-case, or not hex at all: one by one
    for position, record_id in enumerate(ids):
        one = packed_id(record_id)
        if one is None:
            other[position] = record_id
            one = bytes(16)
        parts.append(one)
    return b"".join(parts), other


class Vault:
    """Holds the data key; drop it with `lock()`."""

    def __init__(self, store: Store, data_key: bytes):
        self.store = store
        self._data_key: bytes | None = data_key
        self._cipher: crypto.RecordCipher | None = crypto.RecordCipher(data_key)
        self._prefetch = None  # a Prefetch started while the KDF ran, if asked for
        # The version (nonce) of every row as of the last full read, kept up to date
        # with this vault's own writes; None until a full read. Comparing it with
        # the file finds what other processes wrote (see `read_changes`).
        self._known: Versions | None = None
        self._seen_version = 0  # PRAGMA data_version when `_known` was taken
        # While a full read runs in a worker (after the dashboard shows), this
        # vault's own writes are noted here too and laid over what the read found:
        # a row read before such a write would otherwise look unchanged for good.
        self._meanwhile: dict[str, bytes | None] | None = None
        self._known_lock = threading.Lock()
        self._passphrase_slot: bytes | None = None  # as seen at unlock: changed means rotated
        self.rows_maced = 0  # rows the last integrity check MACed (the rest it remembered)
        # The journal's summary hook (summary.apply): (summary, id, old plaintext or
        # None, new plaintext or None, writes before, writes after) -> the new
        # summary, or None to leave it as it is (stale from then on).
        self.summarize = None

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def key_fingerprint(self) -> bytes:
        """Tells copies of this journal from other journals (see crypto.key_fingerprint)."""
        return crypto.key_fingerprint(self._key())

    # ---- creating and unlocking --------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str) -> tuple["Vault", str]:
        """A new journal file; returns the vault and the recovery code (shown once)."""
        store = Store.create(Path(path), crypto.FORMAT_VERSION)
        data_key = crypto.new_data_key()
        recovery_code = crypto.new_recovery_code()
        private, public = crypto.new_recovery_key()
        vault = cls(store, data_key)
        passphrase_slot = crypto.wrap_data_key(data_key, passphrase, PASSPHRASE_SLOT)
        with store.transaction():
            store.set_slot(PASSPHRASE_SLOT, *passphrase_slot)
            store.set_slot(RECOVERY_KEY_SLOT, *crypto.wrap_data_key(private, recovery_code,
                                                                     RECOVERY_KEY_SLOT))
            store.set_meta(RECOVERY_SEAL, crypto.seal_for_recovery(public, data_key))
            store.set_meta("integrity", vault._seal_integrity(SealedState(
                journal=os.urandom(16).hex(), recovery=public).touched()))
        vault._passphrase_slot = passphrase_slot[1]
        return vault, recovery_code

    @classmethod
    def open(cls, path: Path, passphrase: str, preload: bool | str = False) -> "Vault":
        """Unlock with the passphrase; raises WrongSecret if it does not match.

        preload=True starts reading every sealed record while the KDF runs, for
        callers that will call `read_all` next; preload="hints" reads only the
        ids and kind hints, for callers that read some kinds only next;
        preload="kinds" the same for `open_kinds` (kind_read.py)."""
        return cls._open_slot(path, PASSPHRASE_SLOT, passphrase, preload)

    @classmethod
    def open_with_recovery_code(cls, path: Path, code: str) -> "Vault":
        return cls._open_slot(path, RECOVERY_SLOT, crypto.normalise_recovery_code(code))

    @classmethod
    def _open_slot(cls, path: Path, name: str, secret: str,
                   preload: bool | str = False) -> "Vault":
        store = Store.open(Path(path), crypto.FORMAT_VERSION)
        prefetch = None
        try:
            if name == RECOVERY_SLOT and store.slot(RECOVERY_KEY_SLOT) is not None:
                name = RECOVERY_KEY_SLOT
            slot = store.slot(name)
            if slot is None:
                raise TamperedJournal(f"the {name} key slot is missing")
            if preload == "kinds":
                prefetch = kind_read.ScanAhead(Path(path))
            elif preload:
                prefetch = Prefetch(Path(path), blobs=preload != "hints")
            data_key = crypto.unwrap_data_key(secret, name, *slot)
            if name == RECOVERY_KEY_SLOT:
                sealed = store.meta(RECOVERY_SEAL)
                if sealed is None:
                    raise TamperedJournal("the recovery key slot is missing")
                data_key = crypto.open_recovery_seal(data_key, sealed)
            vault = cls(store, data_key)
            vault._check_not_retired(name)
            store.upgrade(2)  # after the secret matched, never before
            vault._migrate()
            store.ensure_hint_index()
        except BaseException:
            store.close()
            if prefetch is not None:
                prefetch.result()  # let the reader finish and close its connection
            raise
        vault._prefetch = prefetch
        return vault

    def _check_not_retired(self, slot: str) -> None:
        """Refuse a key that opens a slot but not the journal: a slot copied back
        from before a rotation. The integrity blob decides; a file whose integrity
        blob alone was damaged still opens (its settings record does) and the
        damage is reported by the full read."""
        cipher = self._cipher_or_raise()
        found = self.store.slot(PASSPHRASE_SLOT)
        self._passphrase_slot = found[1] if found else None
        integrity, settings = self.store.meta("integrity"), self.store.record("settings")
        if integrity is None and settings is None:
            return  # nothing to tell by: the full read reports what is missing
        for opens in (lambda: cipher.open_integrity(integrity or b""),
                      lambda: cipher.open("settings", settings or b"")):
            try:
                opens()
                return
            except DamagedRecord:
                continue
        raise RetiredSecret(slot)

    def _migrate(self) -> None:
        """Bring a format 1 or 2 file to format 3 (pad to buckets, WITHOUT ROWID)
        once a secret has opened it. Read-only media, a busy file or a damaged
        integrity check leave it as it is; it still reads as before."""
        if self.store.format_version >= crypto.FORMAT_VERSION:
            return
        try:
            self._rewrite(self._key())
        except JournalError:
            return
        self.store.compact()  # the old table's pages, zeroed, would double the file

    def rotate(self, passphrase: str, recovery_code: str | None = None) -> str | None:
        """Replace the data key: every record, the integrity state and the hints are
        sealed again under a new key, with new key slots, in one transaction, and
        the write-ahead log is truncated so the old slots do not linger in it.

        `passphrase` is the passphrase from now on. With `recovery_code` the
        recovery slot is made anew for that code (a new code, or the one just
        used to recover); without it the recovery code stays as it is, unless the
        journal predates recovery key pairs, in which case a new code is issued.
        Returns the recovery code issued, or None."""
        state = self._integrity_for_writing()  # refuses, in words, when it is damaged
        issued = None
        if recovery_code is None and not (
                state.recovery and self.store.slot(RECOVERY_KEY_SLOT) is not None):
            issued = recovery_code = crypto.new_recovery_code()
        data_key = crypto.new_data_key()
        slots = {PASSPHRASE_SLOT: crypto.wrap_data_key(data_key, passphrase, PASSPHRASE_SLOT)}
        public = state.recovery
        if recovery_code is not None:
            private, public = crypto.new_recovery_key()
            slots[RECOVERY_KEY_SLOT] = crypto.wrap_data_key(
                private, crypto.normalise_recovery_code(recovery_code), RECOVERY_KEY_SLOT)
        self._rewrite(data_key, slots, public)
        return issued

    def check_passphrase(self, passphrase: str) -> None:
        """WrongSecret unless `passphrase` opens this journal's passphrase slot now."""
        slot = self.store.slot(PASSPHRASE_SLOT)
        if slot is None:
            raise TamperedJournal("the passphrase key slot is missing")
        if not hmac.compare_digest(
                crypto.unwrap_data_key(passphrase, PASSPHRASE_SLOT, *slot), self._key()):
            raise RetiredSecret(PASSPHRASE_SLOT)

    def _rewrite(self, data_key: bytes, slots: dict | None = None,
                 recovery_public: bytes | None = None) -> None:
        """Seal every record, the hints and the integrity state again under
        `data_key` (the same key for a format migration), padded to format 3's
        buckets into a WITHOUT ROWID table, with `slots`, in one transaction."""
        old = self._cipher_or_raise()
        new = crypto.RecordCipher(data_key)
        store = self.store
        migrating = not slots
        with store.transaction():
            if migrating and int(store.meta("format") or b"0") >= crypto.FORMAT_VERSION:
                store.format_version = crypto.FORMAT_VERSION  # another process did it
                return
            state = self._integrity_for_writing()
            macs = [0, 0]  # the XOR of every row's MAC before and after

            def reseal(chunk: list) -> list:
                column = read_hint_column([row[0] for row in chunk], [row[2] for row in chunk])
                hints = new.kind_codes(column.blocks, old.kind_codes(column.blocks, column.stored))
                unknown = {*column.missing, *column.odd}
                out = []
                for position, (record_id, blob, _hint) in enumerate(chunk):
                    macs[0] ^= _mac_int(old, record_id, blob)
                    try:
                        plaintext = old.open(record_id, blob).rstrip(b" ")
                        blob = new.seal(record_id, crypto.pad(plaintext, record_id))
                    except DamagedRecord:
                        pass  # kept as it is: it did not open before either
                    macs[1] ^= _mac_int(new, record_id, blob)
                    out.append((record_id, blob, None if position in unknown else hints[position]))
                return out

            store.rewrite_records(reseal)
            store.format_version = crypto.FORMAT_VERSION
            store.set_meta("format", str(crypto.FORMAT_VERSION).encode())
            # A difference found before (a record rolled back outside the app) is
            # carried over, not blessed: the XOR of old and new sums keeps it.
            state.acc ^= macs[0] ^ macs[1]
            if not state.journal:
                state.journal = os.urandom(16).hex()
            if recovery_public is not None:
                state.recovery = recovery_public
            writes_before = state.writes
            store.set_meta("integrity", new.seal_integrity(state.touched().to_json()))
            self._reseal_summary(old, new, writes_before, state)
            for name, (kdf, wrapped) in (slots or {}).items():
                store.set_slot(name, kdf, wrapped)
            if slots:
                if state.recovery:
                    store.set_meta(RECOVERY_SEAL, crypto.seal_for_recovery(state.recovery, data_key))
                if RECOVERY_KEY_SLOT in slots or store.slot(RECOVERY_KEY_SLOT) is not None:
                    store.delete_slot(RECOVERY_SLOT)  # the old code's slot: retired
        self._data_key, self._cipher = data_key, new
        if slots:
            self._passphrase_slot = slots[PASSPHRASE_SLOT][1]
        store.truncate_write_ahead_log()

    def _reseal_summary(self, old: crypto.RecordCipher, new: crypto.RecordCipher,
                        writes_before: int, state: SealedState) -> None:
        """In a rotation's transaction: the summary sealed again under the new key,
        marked with the new write count (the records did not change). A stale one
        is dropped (the next full read rebuilds it); one that does not open is kept
        as it is, so the journal's check still reports it."""
        sealed = self.store.meta(SUMMARY)
        if sealed is None:
            return
        try:
            document = json.loads(old.open_summary(sealed))
        except DamagedRecord:
            return  # reported as damaged by the journal's check, under any key
        except ValueError:
            document = None
        if not isinstance(document, dict) or document.get("writes") != writes_before:
            self.store.delete_meta(SUMMARY)  # stale: the next full read rebuilds it
            return
        document["writes"] = state.writes
        payload = json.dumps(document, ensure_ascii=False, separators=(",", ":"),
                             sort_keys=True).encode("utf-8")
        self.store.set_meta(SUMMARY, new.seal_summary(
            payload + b" " * (crypto.summary_size(len(payload), state.count) - len(payload))))

    def saved_state(self) -> SealedState | None:
        """The sealed state as it is in the file now (None if it does not open)."""
        try:
            return self._read_integrity()
        except (DamagedRecord, TamperedJournal):
            return None

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

    def write(self, record_id: str, plaintext: bytes, kind_code: int | None = None) -> None:
        """Seal and store one record (new or replacing), in one transaction.
        `kind_code` (0..255) is stored masked as the row's kind hint."""
        cipher = self._cipher_or_raise()
        padded = crypto.pad(plaintext, record_id) if self.store.format_version >= 3 else (
            plaintext + b" " * (-len(plaintext) % 64))  # a file left at format 2
        blob = cipher.seal(record_id, padded)
        hint = None if kind_code is None else cipher.hint(record_id, kind_code)
        with self.store.transaction():
            state = self._integrity_for_writing()
            old = self.store.record(record_id)
            if old is None:
                state.count += 1
            else:
                state.acc ^= _mac_int(cipher, record_id, old)
            state.acc ^= _mac_int(cipher, record_id, blob)
            self.store.put_record(record_id, blob, hint, exists=old is not None)
            self.store.set_meta("integrity", self._seal_integrity(state.touched()))
            self._keep_summary(state, record_id, old, plaintext)
        self._note_version(record_id, blob[:crypto.NONCE_SIZE])

    def delete(self, record_id: str) -> bool:
        """Remove one record; False when it was not there."""
        cipher = self._cipher_or_raise()
        with self.store.transaction():
            old = self.store.record(record_id)
            if old is None:
                return False
            state = self._integrity_for_writing()
            state.acc ^= _mac_int(cipher, record_id, old)
            state.count -= 1
            self.store.delete_record(record_id)
            self.store.set_meta("integrity", self._seal_integrity(state.touched()))
            self._keep_summary(state, record_id, old, None)
        self._note_version(record_id, None)
        return True

    def _note_version(self, record_id: str, nonce: bytes | None) -> None:
        """This vault's own write of a row (nonce None: deleted), for `_known`."""
        with self._known_lock:
            if self._known is not None:
                self._known.note(record_id, nonce)
            if self._meanwhile is not None:
                self._meanwhile[record_id] = nonce

    def read(self, record_id: str) -> bytes | None:
        blob = self.store.record(record_id)
        if blob is None:
            return None
        return self._cipher_or_raise().open(record_id, blob)

    def read_these(self, record_ids: list[str]) -> list[tuple[str, bytes]]:
        """(id, plaintext) of the rows with these ids that exist and open (one
        query, in id order): for reading back a few thousand records the journal
        let go of (entries' texts). A row that does not open is left out; the full
        reads name it."""
        rows = self.store.records_by_id(record_ids)
        opened, _damaged = self._cipher_or_raise().open_keeping(
            rows, lambda plaintexts: range(len(plaintexts)))
        return opened

    def read_all(self, verify: bool = True, only_codes: frozenset[int] | None = None,
                 own_connection: bool = False, busy: Busy | None = None,
                 take: Callable[[list[tuple[str, bytes]]], None] | None = None) -> ReadResult:
        """Open every record; damaged ones are listed, never fatal.

        With verify=False the set-level check (records deleted, added or rolled
        back) is left for `check_integrity(result)`, which needs no access to the
        journal file and may run in a worker thread after the dashboard is shown
        (it reads and writes only its memory, checked.py): each record
        returned here is already authenticated by its own GCM tag.

        `only_codes` opens just the rows whose hint stands for one of these kind
        codes, plus every row without a hint; such a partial read is never
        verified (`complete` is False), and a row whose hint was tampered with
        may be missed by it. Full reads catch that (the journal compares
        `kind_codes` with what each record turned out to be).

        `own_connection`: read through a connection of its own, for a worker
        thread while the app's thread may write through this vault's.

        `busy`: for a background worker, reading and opening wait while it returns
        true (the person is typing; see polite.py).

        `take` (a full read): the rows are read and opened a batch at a time
        (prefetch.BATCH) and each batch's (id, plaintext) pairs, padding
        stripped, are handed to `take` as it opens, instead of being gathered in
        `plaintexts`: the journal's ciphertext and plaintext are then never all
        in memory, only one batch of them. Every check is the same.
        """
        cipher = self._cipher_or_raise()
        self._check_key_is_current()
        with self._known_lock:
            self._meanwhile = {}
        try:
            if only_codes is None and take is not None:
                return self._read_streamed(cipher, verify, own_connection, busy, take)
            return self._read_all(cipher, verify, only_codes, own_connection, busy)
        finally:
            with self._known_lock:
                self._meanwhile = None

    def _read_all(self, cipher: crypto.RecordCipher, verify: bool,
                  only_codes: frozenset[int] | None, own_connection: bool,
                  busy: Busy | None = None) -> ReadResult:
        # A read of some kinds reads the ids and hints, then only the rows chosen.
        blobs = only_codes is None or own_connection
        fetched = self._fetched(own_connection, busy, blobs)
        result = ReadResult(plaintexts={})
        result.sealed_integrity = fetched.sealed_integrity
        column = fetched.hints
        codes = cipher.kind_codes(column.blocks, column.stored)
        rows = fetched.rows
        result.unhinted = [rows[i][0] for i in column.missing]
        if only_codes is None:
            result.kind_codes, result.odd_hints = codes, column.odd
            result.missing_hints = column.missing
        else:
            # Rows without a readable hint are opened too: their kind is unknown.
            chosen = sorted({*positions_of(codes, only_codes), *column.missing, *column.odd})
            if fetched.blobs:
                rows = [rows[i] for i in chosen]
            else:
                wanted = [rows[i][0] for i in chosen]
                rows = fetched.rows = []  # every row's id and hint: not needed beside the blobs
                rows = self.store.records_by_id(wanted)
                del wanted
            result.complete = False
        del fetched
        result.plaintexts, result.damaged, result.rows = cipher.open_many(rows, busy)
        if result.complete:
            self._remember_versions(result)
        if verify and result.complete:
            result.tampering = self.check_integrity(result, busy)
        return result

    def _read_streamed(self, cipher: crypto.RecordCipher, verify: bool, own_connection: bool,
                       busy: Busy | None, take: Callable[[list[tuple[str, bytes]]], None]
                       ) -> ReadResult:
        """A full read a batch at a time (see `read_all`): the same result, with
        `plaintexts` empty (they went to `take`) and the fingerprints held flat."""
        result = ReadResult(plaintexts={})
        fingerprints = FingerprintRows()
        codes = bytearray()
        with self._row_stream(own_connection, busy) as streamed:
            result.sealed_integrity = streamed.sealed_integrity
            for batch in streamed.batches:
                start = len(fingerprints)
                ids = [row[0] for row in batch]
                column = read_hint_column(ids, [row[2] for row in batch])
                codes += cipher.kind_codes(column.blocks, column.stored)
                result.missing_hints += [start + position for position in column.missing]
                result.odd_hints += [start + position for position in column.odd]
                result.unhinted += [ids[position] for position in column.missing]
                del ids, column
                opened, damaged = cipher.open_batch(batch, fingerprints)
                del batch
                result.damaged += damaged
                take(opened)
                del opened
        result.rows, result.kind_codes = fingerprints, bytes(codes)
        self._remember_versions(result)
        if verify:
            result.tampering = self.check_integrity(result, busy)
        return result

    @contextlib.contextmanager
    def _row_stream(self, own_connection: bool, busy: Busy | None) -> Iterator[Streamed]:
        """Where a streamed read takes its rows from, in one snapshot with the
        accumulator: a prefetch that read every blob while the KDF ran (when
        nothing was written since), else a cursor, through a connection of its
        own for a worker thread (see `_fetched`)."""
        prefetch, self._prefetch = self._prefetch, None
        if isinstance(prefetch, kind_read.ScanAhead):
            prefetch.result()  # for open_kinds, not this: let it finish, then read
            prefetch = None
        # A worker looks at `busy` between two batches: a few ms of opening apart.
        size = BATCH if busy is None else polite.EVERY
        # Taken before the rows are read: a commit made elsewhere after this line
        # shows as a change at the next poll, never as nothing.
        self._seen_version = self.store.data_version()
        fetched = prefetch.result() if prefetch is not None and prefetch.blobs else None
        if prefetch is not None and not prefetch.blobs:
            prefetch.result()  # ids and hints only: let it finish, read the rows
        if fetched is not None and fetched.sealed_integrity == self.store.meta("integrity"):
            rows, fetched.rows = fetched.rows, []
            yield Streamed(fetched.sealed_integrity, _batches_of(rows, size, busy))
            return
        del fetched
        if own_connection:
            with stream_from(self.path, busy, size) as streamed:
                if streamed is not None:
                    yield streamed
                    return
        with stream(self.store, busy, size) as streamed:
            yield streamed

    def _remember_versions(self, result: ReadResult) -> None:
        """Each row's version (its nonce) as this complete read saw it, with this
        vault's writes made meanwhile laid over: what `read_changes` compares with."""
        rows = result.rows
        if isinstance(rows, FingerprintRows):
            nonces, short = rows.nonces(crypto.NONCE_SIZE)
            known = Versions(rows.ids, nonces, crypto.NONCE_SIZE, short)
        else:
            known = Versions.of({record_id: fingerprint[:crypto.NONCE_SIZE]
                                 for record_id, fingerprint in rows}, crypto.NONCE_SIZE)
        with self._known_lock:
            for record_id, nonce in (self._meanwhile or {}).items():
                known.note(record_id, nonce)
            self._known = known

    def open_kinds(self, only_codes: frozenset[int],
                   keep: Callable[[list[bytes]], Iterable[int]],
                   code_of: Callable[[bytes], int | None] | None = None) -> kind_read.KindRead:
        """Open the rows whose hint stands for one of `only_codes` (and those
        without a readable hint), keeping only the plaintexts whose positions
        `keep(plaintexts)` gives (it sees a chunk at a time):
        for one-shot commands that look for a few records among many (the
        CLI's search). Every row opened is checked by its own tag; the set of
        records is not (see kind_read.py). The ids come from the preload="kinds"
        scan when there is one: a record another process adds while the
        passphrase is checked is not looked at, as if it came after the read.
        `code_of` gives a plaintext's kind code: rows from format 1, which have
        no hint yet, are given theirs (as `read_all` does)."""
        cipher = self._cipher_or_raise()
        self._check_key_is_current()
        prefetch, self._prefetch = self._prefetch, None
        scan = prefetch.result() if prefetch is not None else None
        if not isinstance(scan, kind_read.HintScan):
            scan = kind_read.scan_hints(self.store)
        ids = kind_read.chosen_ids(cipher, scan, only_codes)
        others = kind_read.wanted_others(cipher, scan, only_codes)
        del scan
        found = kind_read.open_rows(cipher, self.store, ids, others, keep, code_of)
        self.set_hints(found.unhinted)
        return found

    def set_hints(self, hints: list[tuple[str, int]]) -> None:
        """Store the kind hint of these (id, kind code) rows, which had none (or a
        wrong one), in one transaction. A read-only file is left as it is."""
        cipher = self._cipher_or_raise()
        if not hints or self.store.format_version < 2:
            return
        values = [(cipher.hint(record_id, code), record_id) for record_id, code in hints]
        try:
            with self.store.transaction():
                self.store.set_hints(values)
        except JournalError:
            pass  # read-only media: the rows are simply read the slow way

    def _fetched(self, own_connection: bool = False, busy: Busy | None = None,
                 blobs: bool = True) -> Fetched:
        """Every row, the sealed accumulator and the hint column, read together
        (blobs=False: the rows without their blobs will do). A prefetch is used
        when nothing was written since (any write re-seals the accumulator with
        a fresh nonce, so equal bytes mean the same records) and it read enough."""
        prefetch, self._prefetch = self._prefetch, None
        if isinstance(prefetch, kind_read.ScanAhead):
            prefetch.result()  # for open_kinds, not this: let it finish, then read
            prefetch = None
        if prefetch is not None and blobs and not prefetch.blobs:
            prefetch.result()  # ids and hints only: read again, with the blobs
            prefetch = None
        # Taken before the rows are compared or read: a commit made elsewhere after
        # this line shows as a change at the next poll, never as nothing.
        self._seen_version = self.store.data_version()
        if own_connection:
            # A preload from before the read began may miss a write made since;
            # writes made from now on are in `_meanwhile`.
            fetched = prefetch.result() if prefetch is not None else None
            if fetched is None or fetched.sealed_integrity != self.store.meta("integrity"):
                fetched = fetch_from(self.path, blobs, busy)
            if fetched is not None:
                return fetched  # one snapshot: rows and accumulator belong together
            return fetch(self.store, busy, blobs)
        if prefetch is not None:
            fetched = prefetch.result()
            if fetched is not None and fetched.sealed_integrity == self.store.meta("integrity"):
                return fetched
        return fetch(self.store, busy, blobs)

    # ---- other processes' writes -------------------------------------------------

    def changed_elsewhere(self) -> bool:
        """True when another connection (the CLI, a second app) committed since the
        records were last read; one PRAGMA, cheap enough to poll."""
        return self._known is not None and self.store.data_version() != self._seen_version

    def read_changes(self) -> Changes:
        """The rows other processes added, changed or deleted since the last read
        (full or of changes), opened; only those rows are read and decrypted.

        Raises KeyChanged when the data key was replaced elsewhere (a new
        passphrase or recovery code): nothing this vault holds can read or write
        the journal any more, and the caller must unlock again."""
        cipher = self._cipher_or_raise()
        if self._known is None:
            raise ValueError("read every record once before asking what changed")
        version = self.store.data_version()
        with self.store.snapshot():
            self._check_key_is_current()
            now = self.store.versions(crypto.NONCE_SIZE)
            known = self._known.as_dict()
            # Set operations on the dicts' views run in C: most rows are unchanged.
            changed = [rid for rid, _nonce in now.items() - known.items()]
            rows = self.store.records_named(changed) if changed else []
        changes = Changes(deleted=list(known.keys() - now.keys()))
        changes.plaintexts, changes.damaged, _fingerprints = cipher.open_many(rows)
        found = set(changes.plaintexts) | set(changes.damaged)
        changes.damaged += [rid for rid in changed if rid not in found]
        self._known, self._seen_version = Versions.of(now, crypto.NONCE_SIZE), version
        return changes

    def count_problem(self) -> str | None:
        """A record deleted or added outside the app, found with one count: the
        sealed record count against the rows in the file. For every command, even
        those that read a single record (a full check needs every row)."""
        with self.store.snapshot():
            sealed, rows = self.store.meta("integrity"), self.store.count()
        try:
            if sealed is None:
                return "the integrity check is missing"
            expected = self._open_integrity(sealed).count
        except (DamagedRecord, TamperedJournal):
            # Writes refuse with their own explanation, full reads report it: a
            # second line here would only repeat them.
            self._check_key_is_current()
            return None
        if expected != rows:
            return f"the journal should hold {expected} records but holds {rows}"
        return None

    def check_integrity(self, result: ReadResult, busy: Busy | None = None) -> list[str]:
        """What is wrong with the set of records `read_all` saw, or [] when nothing.
        `busy`: for a background worker, see polite.py."""
        if not result.complete:
            raise ValueError("a partial read cannot be checked as a whole")
        cipher = self._cipher_or_raise()
        try:
            if result.sealed_integrity is None:
                raise TamperedJournal("the integrity check is missing")
            expected = self._open_integrity(result.sealed_integrity)
        except (DamagedRecord, TamperedJournal):
            return ["the integrity check itself is damaged"]
        count = len(result.rows)
        if expected.count != count:
            return [f"the journal should hold {expected.count} records but holds {count}"]
        # The accumulator, MACing again only the groups of rows that changed since
        # the last check (checked.py): the same verdict as MACing every row.
        journal_id = expected.journal
        remembered = checked.recall(
            journal_id, lambda blob: cipher.open_checked(journal_id, blob))
        acc, now, self.rows_maced = checked.accumulate(
            result.rows, lambda record_id, fingerprint: _mac_int(cipher, record_id, fingerprint),
            remembered, busy)
        checked.remember(journal_id, cipher.seal_checked(journal_id, now.to_json()))
        if expected.acc != acc:
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
            for record_id, blob, _hint in rows:
                acc ^= _mac_int(cipher, record_id, blob)
            # Keep what can be kept (journal id, recovery key, write count).
            state = self.saved_state() or SealedState(journal=os.urandom(16).hex())
            state.acc, state.count = acc, len(rows)
            self.store.set_meta("integrity", self._seal_integrity(state.touched()))

    # ---- the summary -------------------------------------------------------------

    def _keep_summary(self, state: SealedState, record_id: str, old_blob: bytes | None,
                      new_plaintext: bytes | None) -> None:
        """Inside a write's transaction: update the sealed summary with this change.
        A summary that does not open, or is stale, or an old record that does not
        open, leaves the summary as it is (stale from now on: rebuilt later; a
        damaged one is reported by the journal's check first)."""
        if self.summarize is None:
            return
        sealed = self.store.meta(SUMMARY)
        if sealed is None:
            return
        cipher = self._cipher_or_raise()
        try:
            payload = cipher.open_summary(sealed)
            old = None if old_blob is None else cipher.open(record_id, old_blob)
        except DamagedRecord:
            return
        try:
            updated = self.summarize(payload, record_id, old, new_plaintext,
                                     state.writes - 1, state.writes)
        except Exception:  # noqa: BLE001 - the record matters, the summary is rebuilt
            return
        if updated is not None:
            self.store.set_meta(SUMMARY, self._seal_summary(updated, state.count))

    def _seal_summary(self, payload: bytes, count: int) -> bytes:
        size = crypto.summary_size(len(payload), count)
        return self._cipher_or_raise().seal_summary(payload + b" " * (size - len(payload)))

    def open_summary(self, sealed: bytes | None) -> bytes | None:
        """The plaintext of a sealed summary (padding stripped); None when there is
        none. Raises DamagedRecord when it does not open (changed outside the app)."""
        if sealed is None:
            return None
        return self._cipher_or_raise().open_summary(sealed).rstrip(b" ")

    def read_summary(self) -> tuple[bytes | None, SealedState | None]:
        """The summary as stored now and the sealed state beside it, read together
        (two rows: unlock's whole cost beyond the KDF). The plaintext is None when
        there is no summary; DamagedRecord when it does not open."""
        with self.store.snapshot():
            sealed, integrity = self.store.meta(SUMMARY), self.store.meta("integrity")
        try:
            state = None if integrity is None else self._open_integrity(integrity)
        except (DamagedRecord, TamperedJournal):
            state = None
        return self.open_summary(sealed), state

    @contextlib.contextmanager
    def everything_as_stored(self, busy: Busy | None = None) -> Iterator[tuple[
            Iterator[list[tuple[str, bytes]]], bytes | None, SealedState | None]]:
        """Every record's plaintext as stored, a batch of (id, plaintext) pairs at a
        time (records that do not open are left out), with the summary and the
        sealed state of the same snapshot, read through a connection of its own
        (for a worker). For checking the summary against the records on disk
        rather than against records in memory, which screens change before they
        save them. A batch at a time: this second full read must not hold a
        second copy of the journal. DamagedRecord when the file will not open."""
        cipher = self._cipher_or_raise()
        with stream_from(self.path, busy, BATCH if busy is None else polite.EVERY) as streamed:
            if streamed is None:
                raise DamagedRecord("the journal could not be read again")
            try:
                state = None if streamed.sealed_integrity is None else self._open_integrity(
                    streamed.sealed_integrity)
            except (DamagedRecord, TamperedJournal):
                state = None
            opened = (cipher.open_batch(batch)[0] for batch in streamed.batches)
            yield opened, self.open_summary(streamed.sealed_summary), state

    def store_summary(self, payload: bytes, writes: int) -> bool:
        """Store a summary rebuilt from the records as of `writes`, unless another
        write came in meanwhile (then False: it would be stale at once). Does not
        count as a write. A read-only file is left as it is."""
        try:
            with self.store.transaction():
                state = self._read_integrity()
                if state.writes != writes:
                    return False
                self.store.set_meta(SUMMARY, self._seal_summary(payload, state.count))
        except (JournalError, DamagedRecord):
            return False
        return True

    # ---- internals ---------------------------------------------------------------

    def _key(self) -> bytes:
        if self._data_key is None:
            raise JournalLocked()
        return self._data_key

    def _cipher_or_raise(self) -> crypto.RecordCipher:
        if self._cipher is None:
            raise JournalLocked()
        return self._cipher

    def _seal_integrity(self, state: SealedState) -> bytes:
        return self._cipher_or_raise().seal_integrity(state.to_json())

    def _read_integrity(self) -> SealedState:
        blob = self.store.meta("integrity")
        if blob is None:
            raise TamperedJournal("the integrity check is missing")
        return self._open_integrity(blob)

    def _open_integrity(self, blob: bytes) -> SealedState:
        try:
            return SealedState.from_json(self._cipher_or_raise().open_integrity(blob))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise TamperedJournal("the integrity check is unreadable") from exc

    def _check_key_is_current(self) -> None:
        """KeyChanged when another process rotated the key since unlock:
        every record would otherwise look damaged under the old key."""
        if self._passphrase_slot is None:
            return
        slot = self.store.slot(PASSPHRASE_SLOT)
        if slot is not None and slot[1] != self._passphrase_slot:
            raise KeyChanged()

    def _integrity_for_writing(self) -> SealedState:
        """The state to update, or a clear refusal when it was tampered with:
        rebuilding it here would hide whatever else was changed."""
        try:
            return self._read_integrity()
        except (DamagedRecord, TamperedJournal) as exc:
            self._check_key_is_current()
            raise TamperedJournal(
                "its integrity check is damaged or missing, so nothing new was saved; "
                "everything already saved still opens. Open the journal to see what "
                "changed and confirm you want to carry on"
            ) from exc


def _batches_of(rows: list, size: int, busy: Busy | None = None) -> Iterator[list]:
    """`rows` (read beforehand) a batch at a time, each let go of in `rows` as it
    is handed out, so what is opened can be freed as it goes."""
    for start in range(0, len(rows), size):
        if start:
            polite.give_way(busy)
        batch = rows[start:start + size]
        rows[start:start + size] = [None] * len(batch)
        yield batch
    rows.clear()


def _mac_int(cipher: crypto.RecordCipher, record_id: str, blob: bytes) -> int:
    return int.from_bytes(cipher.record_mac(record_id, blob), "big")
