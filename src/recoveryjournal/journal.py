"""The unlocked journal: a typed API over sealed records, with an in-memory index.

The CLI, the TUI and the exporters all talk to `Journal`; none of them touches
SQLite. Writes go straight to the vault (one record, one transaction), so a
quick add never decrypts the rest. Reads build the index on first use by
decrypting every record into plain Python objects, which lives in memory only
and is dropped by `lock()`.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Iterable, TypeVar

from . import records
from .record_index import RecordIndex, _text_fields, fold
from .records import Addiction, Draft, Entry, Record, Settings
from .safetext import one_line
from .vault.errors import JournalLocked
from .vault.vault import ReadResult, Vault

R = TypeVar("R", bound=Record)

SETTINGS_ID = "settings"  # one per journal; a fixed id says nothing about its content


def _problem(line: str) -> str:
    """A problem line, safe to show anywhere: record ids come from the file, and an
    id edited outside the app may hold ESC sequences or bidirectional overrides."""
    return one_line(line)


def _normalise_text(record: Record) -> None:
    """Every text field in Unicode NFC on the way in: the same words typed on two
    keyboards (one "é", or "e" and a combining accent) are stored alike."""
    for name, is_list in _text_fields(type(record)):
        value = getattr(record, name)
        if is_list:
            setattr(record, name, [unicodedata.normalize("NFC", v) if isinstance(v, str) else v
                                   for v in value])
        elif isinstance(value, str) and not value.isascii():
            setattr(record, name, unicodedata.normalize("NFC", value))


def default_path() -> Path:
    """`RECOVERYJOURNAL_PATH`, or journal.db in the user's data folder."""
    env = os.environ.get("RECOVERYJOURNAL_PATH")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("recoveryjournal") / "journal.db"


class Journal:
    """One unlocked journal. Create with `create`, `open` or `open_with_recovery_code`."""

    def __init__(self, vault: Vault):
        self._vault: Vault | None = vault
        self._index_: RecordIndex | None = None
        self._problems: list[str] = []
        self._outside_changes: list[str] = []  # the set-level part of _problems
        self._unverified = None  # a ReadResult whose integrity check is still to run
        self._only_kinds: frozenset[str] | None = None  # set by a partial load
        self._wrong_hints: list[tuple[str, int]] = []  # (id, kind code), fixed by accept_changes

    # ---- opening and closing -----------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, passphrase: str, addictions: Iterable[str] = ()
    ) -> tuple["Journal", str]:
        """A new journal; returns it and the recovery code to show once."""
        vault, code = Vault.create(Path(path), passphrase)
        journal = cls(vault)
        settings = Settings(id=SETTINGS_ID)
        settings.addictions = [
            Addiction(name=records.normalise_addiction(name), tracked_since=records.now().date())
            for name in addictions
        ]
        journal._write(settings)
        return journal, code

    @classmethod
    def open(cls, path: Path, passphrase: str, preload: bool = False) -> "Journal":
        """Unlock. preload=True reads the sealed records while the passphrase is
        checked, for callers that read next (the TUI, list, search, export)."""
        return cls(Vault.open(Path(path), passphrase, preload=preload))

    @classmethod
    def open_with_recovery_code(cls, path: Path, code: str) -> "Journal":
        return cls(Vault.open_with_recovery_code(Path(path), code))

    @property
    def path(self) -> Path:
        return self._live_vault().path

    @property
    def is_locked(self) -> bool:
        return self._vault is None

    def change_passphrase(self, new_passphrase: str) -> None:
        """Re-wrap the data key with a new passphrase; records are not rewritten."""
        self._live_vault().change_passphrase(new_passphrase)

    def backup(self, destination: Path) -> None:
        """Write an encrypted, consistent copy of the journal file to `destination`
        (which must not exist). It opens with the same passphrase and recovery code."""
        self._live_vault().backup_to(Path(destination))

    def lock(self) -> None:
        """Drop the keys and every decrypted record."""
        if self._vault is not None:
            self._vault.lock()
        self._vault = None
        self._index_ = None
        self._unverified = None

    close = lock

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc) -> None:
        self.lock()

    # ---- writing -----------------------------------------------------------------

    def add(self, record: R) -> R:
        """Validate and save a new record."""
        _normalise_text(record)
        record.validate()
        record.created = record.updated = records.now()
        self._write(record)
        return record

    def update(self, record: R) -> R:
        """Validate and save a changed record."""
        _normalise_text(record)
        record.validate()
        record.updated = records.now()
        self._write(record)
        return record

    def import_record(self, record: R) -> R:
        """Save a record exactly as given (id, created and updated kept), for
        importing an export. Drafts are taken as they are; the rest is validated."""
        if record.kind != "draft":
            record.validate()
        self._write(record)
        return record

    def delete(self, record: Record | str) -> bool:
        """Delete a record for good (secure_delete overwrites it on disk)."""
        record_id = record if isinstance(record, str) else record.id
        removed = self._live_vault().delete(record_id)
        if self._index_ is not None:
            self._index_.remove(record_id)
        return removed

    def _write(self, record: Record) -> None:
        self._live_vault().write(record.id, records.to_json(record),
                                 records.KIND_CODES.get(record.kind))
        if self._index_ is not None:
            self._index_.put(record)

    # ---- reading -----------------------------------------------------------------

    def load(self, verify: bool = True, check_later: bool = True,
             kinds: Iterable[str] | None = None) -> None:
        """Decrypt every record into memory (done once, on first read).

        Records are decoded by kind on first use (see record_index.py). Every
        record is authenticated by its own tag either way; `verify` is about the
        whole set (records deleted, added or rolled back outside the app):
        - verify=True: check it now;
        - verify=False: check it in `verify()`, e.g. in a worker thread once the
          dashboard shows (the ciphertext is kept until then);
        - verify=False, check_later=False: do not check (read-only CLI commands).

        `kinds` decrypts only the records of those kinds (found by their kind
        hints), for read-only commands such as search; asking later for another
        kind loads everything. Such a load is never verified.
        """
        only = frozenset(kinds) if kinds is not None else None
        codes = None
        if only is not None:
            codes = frozenset(records.KIND_CODES[k] for k in only if k in records.KIND_CODES)
            verify = check_later = False
        result = self._live_vault().read_all(verify=verify, only_codes=codes)
        plaintexts, result.plaintexts = result.plaintexts, {}  # the index owns them now
        self._only_kinds = only
        problems = [_problem(f"Record {rid} is damaged or was changed outside the app; "
                             "it was skipped.") for rid in result.damaged]
        changes = [_problem(f"The journal was changed outside the app: {t}.")
                   for t in result.tampering]
        problems += changes
        self._problems = problems
        self._outside_changes = changes
        self._index_ = RecordIndex(plaintexts, report=lambda line: problems.append(_problem(line)))
        del plaintexts
        self._add_missing_hints(result.unhinted)
        result.unhinted = []
        if verify:
            found = self._check_hints(result)
            changes += found
            problems += found
        if not check_later:
            result.rows = []
            result.kind_codes = b""
        self._unverified = result if not verify and check_later else None

    def _add_missing_hints(self, unhinted: list[str]) -> None:
        """Give rows from format 1 their kind hint, once, now that their kind is known."""
        if not unhinted:
            return
        assert self._index_ is not None
        hints = []
        for record_id in unhinted:
            code = records.KIND_CODES.get(self._index_.kind(record_id) or "")
            if code is not None:
                hints.append((record_id, code))
        self._live_vault().set_hints(hints)

    def _check_hints(self, result: ReadResult) -> list[str]:
        """Problems with rows whose stored kind hint does not match the record:
        the file was edited outside the app (only this app writes hints)."""
        assert self._index_ is not None
        wrong = []
        kind_of = self._index_.kind
        codes = records.KIND_CODES
        for record_id, code in result.stored_kind_codes():
            expected = codes.get(kind_of(record_id) or "")
            if expected is not None and code != expected:
                wrong.append(record_id)
        if not wrong:
            return []
        self._wrong_hints = [(rid, codes[kind_of(rid) or ""]) for rid in wrong]
        return [_problem(f"The journal was changed outside the app: the kind marker of "
                         f"{len(wrong)} record(s) was changed ({', '.join(wrong[:3])}"
                         f"{', …' if len(wrong) > 3 else ''}).")]

    @property
    def problems(self) -> list[str]:
        """What reading found wrong: damaged records, signs of tampering."""
        if self._index_ is None:
            self.load()
        return self._problems

    @property
    def outside_changes(self) -> list[str]:
        """The problems that are about the set of records (deleted, added, rolled
        back or relabelled outside the app), which `accept_changes` settles;
        damaged records stay listed in `problems` until they are restored."""
        if self._index_ is None:
            self.load()
        return self._outside_changes

    def verify(self) -> list[str]:
        """Finish a `load(verify=False)`: the problems found now (also added to
        `problems`). Safe to call from a worker thread: it touches no file."""
        pending, self._unverified = self._unverified, None
        if pending is None:
            return []
        found = [_problem(f"The journal was changed outside the app: {t}.")
                 for t in self._live_vault().check_integrity(pending)]
        found += self._check_hints(pending)
        pending.rows = []  # the ciphertext copies are no longer needed
        pending.kind_codes = b""
        self._problems.extend(found)
        self._outside_changes.extend(found)
        return found

    def _index(self, kind: str | None = None) -> RecordIndex:
        """The index, loading everything first when it is missing or when a
        partial load (`load(kinds=...)`) left out `kind`."""
        if self._index_ is None or (
            self._only_kinds is not None and (kind is None or kind not in self._only_kinds)
        ):
            self.load()
        assert self._index_ is not None
        return self._index_

    def get(self, record_id: str) -> Record | None:
        return self._index().get(record_id)

    def records(self, kind: type[R]) -> list[R]:
        """Every record of a kind, oldest first by `when` (a cached list: do not mutate)."""
        return self._index(kind.kind).sorted_by_when(kind.kind)  # type: ignore[return-value]

    def count(self, kind: type[Record]) -> int:
        return self._index(kind.kind).count(kind.kind)

    def entries(self, newest_first: bool = True) -> list[Entry]:
        found = self.records(Entry)
        return list(reversed(found)) if newest_first else list(found)

    def search(self, query: str, kind: type[R] = Entry) -> list[R]:  # type: ignore[assignment]
        """Records whose text holds every word of `query` (case-insensitive), newest first."""
        return self._index(kind.kind).search(kind.kind, fold(query).split())

    def accept_changes(self) -> None:
        """Carry on with the journal as it is now, after the person has been shown
        what changed outside the app: the integrity check is rebuilt to match the
        records present, so new writes are accepted again."""
        vault = self._live_vault()
        vault.reseal_integrity()
        wrong, self._wrong_hints = self._wrong_hints, []
        vault.set_hints(wrong)
        self.load()

    def decode_all(self, polite: bool = False) -> None:
        """Decode every kind now; for a worker thread once the first screen shows
        (polite=True: give the UI thread the GIL now and then)."""
        self._index().decode_all(polite)

    # ---- settings and addictions -------------------------------------------------

    def settings(self) -> Settings:
        """The settings record, read on its own so the CLI need not load everything."""
        if self._index_ is not None:
            found = self._index_.get(SETTINGS_ID)
            if found is not None:
                return found  # type: ignore[return-value]
        payload = self._live_vault().read(SETTINGS_ID)
        if payload is None:
            return Settings(id=SETTINGS_ID)
        record = records.from_json(SETTINGS_ID, payload)
        assert isinstance(record, Settings)
        return record

    def save_settings(self, settings: Settings) -> Settings:
        settings.id = SETTINGS_ID
        return self.update(settings)

    def tracked_addictions(self) -> list[str]:
        return [a.name for a in self.settings().addictions]

    def track(self, name: str) -> bool:
        """Start tracking an addiction; False when it was tracked already."""
        settings = self.settings()
        if settings.addiction(name) is not None:
            return False
        addiction = Addiction(name=records.normalise_addiction(name),
                              tracked_since=records.now().date())
        addiction.validate()
        settings.addictions.append(addiction)
        self.save_settings(settings)
        return True

    # ---- drafts ------------------------------------------------------------------

    def draft(self, purpose: str) -> Draft | None:
        """The saved draft for `purpose` (e.g. "entry:new"), if any."""
        return next((d for d in self.records(Draft) if d.purpose == purpose), None)

    def save_draft(self, purpose: str, content: dict) -> Draft:
        """Keep unsaved work sealed on disk; one draft per purpose."""
        draft = self.draft(purpose) or Draft(purpose=purpose)
        draft.content = dict(content)
        draft.updated = records.now()
        self._write(draft)
        return draft

    def discard_draft(self, purpose: str) -> None:
        draft = self.draft(purpose)
        if draft is not None:
            self.delete(draft)

    # ---- internals ---------------------------------------------------------------

    def _live_vault(self) -> Vault:
        if self._vault is None:
            raise JournalLocked()
        return self._vault

