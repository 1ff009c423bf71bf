"""The unlocked journal: a typed API over sealed records, with an in-memory index.

The CLI, the TUI and the exporters all talk to `Journal`; none of them touches
SQLite. Writes go straight to the vault (one record, one transaction), so a
quick add never decrypts the rest. Reads build the index on first use by
decrypting every record into plain Python objects, which lives in memory only
and is dropped by `lock()`.

The first screens do not wait for that: `summary()` gives the sealed summary
(summary.py), kept in the transaction of every write, so the dashboard and
`list -n N` read a constant number of rows whatever the journal's size. The app
then loads everything in a worker (`load(background=True)`), checks the summary
against the records (`check_summary`) and rebuilds it when it is missing or
stale (a journal from before it, or written by an older version).
"""

from __future__ import annotations

import dataclasses
import gc
import os
import re
import threading
import unicodedata
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from . import records
from . import summary as summaries
from .i18n import N_, _
from .record_index import (RecordIndex, _text_fields, fold, kind_of,
                           may_hold_among, searchable_text)
from .records import Addiction, Draft, Entry, Record, Settings
from .safetext import one_line
from .summary import Summary
from .vault import polite
from .vault.errors import DamagedRecord, JournalError, JournalLocked, JournalReplaced
from .vault.packed_ids import PackedIds
from .vault.polite import Busy
from .vault.vault import ReadResult, Vault

R = TypeVar("R", bound=Record)

SETTINGS_ID = "settings"  # one per journal; a fixed id says nothing about its content


class ProblemLine:
    """A problem found while reading, translated when it is shown (the language may
    change after unlock), and safe to show anywhere: record ids come from the file,
    and an id edited outside the app may hold ESC sequences or bidirectional overrides."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, **values: object):
        self.template = template  # an English message marked with N_()
        self.values = values

    def __str__(self) -> str:
        return one_line(_(self.template).format(**self.values))


# What the vault reports about the set of records (vault/vault.py, check_integrity),
# said in the person's language.
_SET_CHANGES = {
    "the integrity check itself is damaged":
        N_("The journal was changed outside the app: the integrity check itself is damaged."),
    "a record was replaced by an older or foreign copy":
        N_("The journal was changed outside the app: a record was replaced by an older or "
           "foreign copy."),
}
# Entries' texts read back at a time (hold_entry_texts): one query each, and the
# journal's lock held for tens of milliseconds, not seconds.
_TEXTS_AT_A_TIME = 2000
_FEW_TEXTS = 64  # fewer texts than this are read one by one, as they are asked for
# Bytes of entries' text the app's worker holds as it reads the journal; the texts
# read after that wait on disk from the start (RecordColumns.read_texts_up_to).
# Every text of the benchmark journal fits (10.6 MB), so a journal of that size
# searches from memory until its word index is built; at ten times it, holding
# all of them (106 MB) until then was the session's highest point.
_TEXTS_HELD_WHILE_READING = 16 * 2**20
# A streamed read of texts (`with_texts_streamed`, an export of everything) reads
# this many at a time, and holds at most so many records while it gathers them
# (the urges and the rest between them wait with them): smaller windows than the
# bulk reads' keep an export of ten times the benchmark journal within a few MB
# of what the session held before it, at no cost in time (bench/NOTES.md).
_TEXTS_STREAMED_AT_A_TIME = 500
_RECORDS_HELD_AT_MOST = 2000
_COUNT_CHANGE = re.compile(r"the journal should hold (\d+) records but holds (\d+)")


def _skipped(record_id: str) -> ProblemLine:
    """A record that did not open (damaged, or changed outside the app)."""
    return ProblemLine(N_("Record {id} is damaged or was changed outside the app; it was "
                          "skipped."), id=record_id)


# What a load hands over (`load_handing_over`): a batch's (id, plaintext) pairs, and
# where to say that one of them cannot be read (its id, why).
HandOver = Callable[[list[tuple[str, bytes]], Callable[[str, object], None]], None]
# The index's own words for a record it cannot decode (record_index.py).
_UNREADABLE = N_("Record {id} could not be read ({reason}); it was left as it is.")


def _holding_text(entry: Entry, read: dict[str, Entry]) -> Entry:
    """A copy of `entry` holding the text of its row just read back (`read`, by
    id), when that row is the same version (its `updated`): a copy is never a
    mix of two. Else `entry` itself (its text read on its own when asked)."""
    fresh = read.get(entry.id)
    if fresh is not None and fresh.updated == entry.updated:
        return dataclasses.replace(entry, text=fresh.text)
    return entry


class _HandedKinds:
    """The kind of each record a load handed over (`load_handing_over`), in the
    order they were read, for the check of the kind hints: ids 16 bytes each
    (vault/packed_ids.py) and a kind a byte. A dict of id strings to kinds was
    90 MB at ten times the benchmark journal, for an export of every kind."""

    def __init__(self) -> None:
        self._ids = PackedIds()
        self._kinds = bytearray()
        self._names: list[str] = []  # the kinds, by the byte that stands for them

    def add(self, record_id: str, kind: str) -> None:
        if kind not in self._names:
            self._names.append(kind)
        self._ids.append(record_id)
        self._kinds.append(self._names.index(kind))

    def __len__(self) -> int:
        return len(self._ids)

    def ids(self) -> list[str]:
        return list(self._ids)

    def of(self, record_ids: Iterable[str]) -> dict[str, str]:
        """The kinds of those of `record_ids` that were handed over (a few)."""
        wanted = set(record_ids)
        return {record_id: self._names[self._kinds[at]]
                for at, record_id in enumerate(self._ids) if record_id in wanted}

    def walk(self, passed_over: Iterable[str]) -> "_HandedWalk":
        """Kinds asked for in the order read (`_HandedWalk.kind`), leaving out the
        records whose ids are in `passed_over` (rows the reading order skips)."""
        return _HandedWalk(self, frozenset(passed_over))


class _HandedWalk:
    """Goes along the handed-over records as the rows are gone through in the
    order read: `kind(id)` is the record's kind when it is the next one handed
    over, else None. `finished` says whether every one was met."""

    def __init__(self, handed: _HandedKinds, passed_over: frozenset[str]):
        self._handed, self._passed_over = handed, passed_over
        self._at = -1
        self._next: str | None = None
        self._advance()

    def _advance(self) -> None:
        handed = self._handed
        self._at += 1
        while self._at < len(handed) and handed._ids[self._at] in self._passed_over:
            self._at += 1
        self._next = handed._ids[self._at] if self._at < len(handed) else None

    def kind(self, record_id: str) -> str | None:
        if record_id != self._next:
            return None
        handed = self._handed
        found = handed._names[handed._kinds[self._at]]
        self._advance()
        return found

    @property
    def finished(self) -> bool:
        return self._next is None


def _hand_over(pairs: list[tuple[str, bytes]], kinds: frozenset[str], handed: _HandedKinds,
               give: HandOver, unreadable: Callable[[str, object], None]
               ) -> list[tuple[str, bytes]]:
    """Give `give` this batch's records of `kinds` (noting each one's kind in
    `handed`, for the check of the kind hints); return the others, for the index.
    A plaintext whose kind is not at its start is decoded to learn it, as the
    index does, and comes first, as the index then holds it before the rest."""
    given: list[tuple[str, bytes]] = []
    odd: list[tuple[str, bytes]] = []
    kept: list[tuple[str, bytes]] = []
    for pair in pairs:
        record_id, payload = pair
        kind = kind_of(payload)
        if kind in kinds:
            given.append(pair)
            handed.add(record_id, kind)
        elif kind is None:
            try:
                kind = records.from_json(record_id, payload).kind
            except (ValueError, KeyError, TypeError):
                kept.append(pair)  # the index says it cannot be read
                continue
            if kind in kinds:
                odd.append(pair)
                handed.add(record_id, kind)
            else:
                kept.append(pair)
        else:
            kept.append(pair)
    if odd or given:
        give(odd + given, unreadable)
    return kept


def _outside_change(what: str) -> ProblemLine:
    """One set-level change the vault found, as a line in the person's language."""
    if what in _SET_CHANGES:
        return ProblemLine(_SET_CHANGES[what])
    counted = _COUNT_CHANGE.fullmatch(what)
    if counted:
        return ProblemLine(N_("The journal was changed outside the app: it should hold "
                              "{expected} records but holds {count}."),
                           expected=int(counted.group(1)), count=int(counted.group(2)))
    return ProblemLine(N_("The journal was changed outside the app: {what}."), what=what)


def saved_ago(saved, now=None) -> str:
    """ "last saved 2 days ago" in words, from the sealed time of the last write."""
    from datetime import datetime, timezone

    from .i18n import ngettext

    if saved is None:
        return _("not yet saved by this version")
    seconds = max(0, int(((now or datetime.now(timezone.utc)) - saved).total_seconds()))
    if seconds < 120:
        return _("last saved just now")
    if seconds < 7200:
        n = seconds // 60
        return ngettext("last saved {n} minute ago", "last saved {n} minutes ago", n).format(n=n)
    if seconds < 2 * 86400:
        n = seconds // 3600
        return ngettext("last saved {n} hour ago", "last saved {n} hours ago", n).format(n=n)
    n = seconds // 86400
    return ngettext("last saved {n} day ago", "last saved {n} days ago", n).format(n=n)


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
        self._problems: list[ProblemLine] = []
        self._outside_changes: list[ProblemLine] = []  # the set-level part of _problems
        self._unverified = None  # a ReadResult whose integrity check is still to run
        self._only_kinds: frozenset[str] | None = None  # set by a partial load
        self._wrong_hints: list[tuple[str, int]] = []  # (id, kind code), fixed by accept_changes
        self._journal_id = ""  # set by check_rollback: lock() then updates the high-water mark
        self.rollback_warning: str | None = None  # what check_rollback found
        vault.summarize = summaries.apply  # kept in the transaction of every write
        self._summary: Summary | None = None  # the last one read, while it is current
        # Writes and the index's bookkeeping take turns (the app loads in a worker);
        # one load at a time; what is written while a load runs is laid over it.
        self._lock = threading.RLock()
        self._load_mutex = threading.Lock()
        # The app's worker will read or is reading every record (still_opening).
        self._reading_in_background = False
        self._meanwhile: dict[str, Record | None] | None = None
        self._count_differs = False  # set by quick_check
        self._search_index_asked = False  # set by build_search_index: the app keeps one
        self._text_stand_in: records.TextOnDisk | None = None  # leave_entry_texts_on_disk

    # ---- opening and closing -----------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, passphrase: str, addictions: Iterable[str] = ()
    ) -> tuple["Journal", str]:
        """A new journal; returns it and the recovery code to show once."""
        vault, code = Vault.create(Path(path), passphrase)
        journal = cls(vault)
        journal._start_summary()
        settings = Settings(id=SETTINGS_ID)
        settings.addictions = [
            Addiction(name=records.normalise_addiction(name), tracked_since=records.now().date())
            for name in addictions
        ]
        journal._write(settings)
        return journal, code

    @classmethod
    def open(cls, path: Path, passphrase: str, preload: bool | str = False) -> "Journal":
        """Unlock. preload=True reads every sealed record while the passphrase is
        checked, for a caller that reads everything next and can hold the whole
        journal's ciphertext at once (no command does now: an export reads a batch
        at a time, `load(decode=...)`); preload="hints" reads only which row is
        which kind, for callers that read some kinds next (`load(kinds=...)` then
        reads only those rows); preload="kinds" the same for `find_entries`."""
        return cls(Vault.open(Path(path), passphrase, preload=preload))

    @classmethod
    def open_with_recovery_code(cls, path: Path, code: str) -> "Journal":
        return cls(Vault.open_with_recovery_code(Path(path), code))

    @property
    def path(self) -> Path:
        return self._live_vault().path

    @property
    def read_only(self) -> bool:
        """True on read-only media (or a read-only file): it reads and exports, but
        every write would fail."""
        return self._live_vault().read_only

    def same_journal_as(self, other: "Journal") -> bool:
        """True if `other` is a copy of this journal, whatever passphrase either has
        now: the same random journal id in the sealed state (kept across key
        rotations), or, for a file without one, the same data key."""
        import hmac

        mine, theirs = self._live_vault().saved_state(), other._live_vault().saved_state()
        if mine is not None and theirs is not None and mine.journal and theirs.journal:
            return hmac.compare_digest(mine.journal, theirs.journal)
        return hmac.compare_digest(self._live_vault().key_fingerprint(),
                                   other._live_vault().key_fingerprint())

    @property
    def is_locked(self) -> bool:
        return self._vault is None

    def change_passphrase(self, new_passphrase: str, recovery_code: str | None = None
                          ) -> str | None:
        """Set a new passphrase and retire the old one: the data key is replaced and
        every record sealed again (vault.rotate). Pass the recovery code when it was
        just used to unlock. Returns a new recovery code when one had to be issued
        (a journal made before format 3 whose code is not known here), else None."""
        return self._live_vault().rotate(new_passphrase, recovery_code)

    @staticmethod
    def new_recovery_code() -> str:
        """A fresh recovery code, to show (and have typed back) before it is set."""
        from .vault.crypto import new_recovery_code

        return new_recovery_code()

    def check_passphrase(self, passphrase: str) -> None:
        """WrongSecret unless `passphrase` is the journal's passphrase now."""
        self._live_vault().check_passphrase(passphrase)

    def replace_recovery_code(self, passphrase: str, code: str) -> None:
        """Make `code` the recovery code and retire the old one (a new data key).
        `passphrase` must be the current one: it is checked, then kept."""
        vault = self._live_vault()
        vault.check_passphrase(passphrase)
        vault.rotate(passphrase, code)

    def last_saved(self):
        """(number of writes, time of the last write in UTC or None) from the
        sealed state, or None when it does not open."""
        state = self._live_vault().saved_state()
        return None if state is None else (state.writes, state.saved)

    def backup(self, destination: Path) -> None:
        """Write an encrypted, consistent copy of the journal file to `destination`
        (which must not exist). It opens with the same passphrase and recovery code."""
        self._live_vault().backup_to(Path(destination))

    def check_rollback(self) -> str | None:
        """A warning (to show, never to block) when this journal has had fewer writes
        than when this computer last saw it, i.e. the file was put back to an older
        copy; else None. The person is told once: the mark then follows the file."""
        from .vault import highwater

        state = self._live_vault().saved_state()
        if state is None or not state.journal:
            return None  # a damaged state is reported by the full read
        self._journal_id = state.journal
        seen = highwater.last_seen(state.journal)
        if state.writes != seen:
            highwater.remember(state.journal, state.writes)
        if state.writes >= seen:
            return None
        self.rollback_warning = _(
            "This journal is older than the one last opened on this computer: it "
            "has {missing} fewer saves ({ago}). It may have been replaced by an older "
            "copy, such as a backup. If you restored one, all is well; otherwise "
            "look for the newer file.").format(missing=seen - state.writes,
                                                ago=saved_ago(state.saved))
        return self.rollback_warning

    def forget_newer_copies(self) -> None:
        """Make this journal's present state the high-water mark, for when an older
        copy is put back on purpose (a restore)."""
        from .vault import highwater

        state = self._live_vault().saved_state()
        if state is not None and state.journal:
            highwater.remember(state.journal, state.writes)

    def _raise_high_water(self) -> None:
        """At lock: note this session's writes in the high-water mark (once
        `check_rollback` has run, so the journal's id is known)."""
        if self._vault is None or not self._journal_id or self._vault.is_locked:
            return
        from .vault import highwater

        try:
            state = self._vault.saved_state()
        except JournalError:
            return  # the file went away meanwhile: nothing to note
        if state is not None and state.writes > highwater.last_seen(self._journal_id):
            highwater.remember(self._journal_id, state.writes)

    def lock(self) -> None:
        """Drop the keys and every decrypted record."""
        self._raise_high_water()
        with self._lock:  # a worker's load installs its index under this lock
            if self._vault is not None:
                self._vault.lock()
            self._vault = None
            self._index_ = None
            self._unverified = None
            self._summary = None
            records.forget_shared_labels()  # what people wrote: not kept past the lock
        # decode_all froze what was alive then (the records, and whatever else the
        # process held): let the cycle collector see it all again.
        gc.unfreeze()

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
        with self._lock:
            self.refresh()
            removed = self._live_vault().delete(record_id)
            if self._index_ is not None:
                self._index_.remove(record_id)
            if self._meanwhile is not None:
                self._meanwhile[record_id] = None
        return removed

    def _write(self, record: Record) -> None:
        records.check_id(record.id, record.kind)
        with self._lock:
            self.refresh()  # what others wrote is in the index before this write joins it
            self._live_vault().write(record.id, records.to_json(record),
                                     records.KIND_CODES.get(record.kind))
            if self._index_ is not None:
                self._index_.put(record)
            if self._meanwhile is not None:
                self._meanwhile[record.id] = record

    # ---- reading -----------------------------------------------------------------

    def load(self, verify: bool = True, check_later: bool = True,
             kinds: Iterable[str] | None = None, background: bool = False,
             decode: Iterable[str] = ()) -> None:
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

        `background=True`: for a worker thread while the app goes on writing; the
        rows are read through a connection of their own, and what is written
        meanwhile is laid over what the read found.

        `decode`: kinds whose records are decoded as each batch opens (a
        background load decodes every kind so), for a caller that reads them all
        next, such as an export: their plaintext is then never all held beside
        their records. The other kinds wait, as ever, to be asked for.
        """
        with self._load_mutex:
            self._load(verify, check_later, kinds, background, decode=frozenset(decode))

    def load_handing_over(self, kinds: Iterable[str], hand_over: HandOver) -> None:
        """Read every record once, checked as `load()` checks them, handing the
        records of `kinds` over instead of keeping them: for a one-shot export of
        every record of some kinds, which turns each into its text as its batch
        opens (export/rows_to_markdown.py) and needs no record objects.

        `hand_over(pairs, unreadable)` gets a batch's (id, plaintext) pairs of
        those kinds as they open; it calls `unreadable(id, reason)` for a record
        it cannot read, which then shows in `problems` as the index would say it.
        The journal keeps no copy of them: reading one of those kinds afterwards
        (`records(...)`) reads the whole journal again."""
        with self._load_mutex:
            self._load(True, False, None, False, hand_over=(frozenset(kinds), hand_over))

    def load_in_background(self, busy: Busy | None = None) -> None:
        """For the app's worker after the dashboard shows: read every record unless
        that is done (`verify()` then checks the set). While `busy()` returns true
        (the person is typing) reading and opening wait, a few milliseconds of
        work at most after it turns true (vault/polite.py)."""
        self._reading_in_background = True
        try:
            with self._load_mutex:
                if self._index_ is None or self._only_kinds is not None:
                    self._load(False, True, None, True, busy)
        finally:
            self._reading_in_background = False

    def _load(self, verify: bool, check_later: bool, kinds: Iterable[str] | None,
              background: bool, busy: Busy | None = None,
              decode: frozenset[str] = frozenset(),
              hand_over: tuple[frozenset[str], HandOver] | None = None) -> None:
        only = frozenset(kinds) if kinds is not None else None
        codes = None
        if only is not None:
            codes = frozenset(records.KIND_CODES[k] for k in only if k in records.KIND_CODES)
            verify = check_later = False
        with self._lock:
            self._meanwhile = {}
        try:
            problems: list[ProblemLine] = []  # what the index could not decode goes here
            index = RecordIndex({}, report=lambda message, **values: problems.append(
                ProblemLine(message, **values)))
            if background:  # the app's worker: entries go into columns as they open
                index.texts_held_at_most = _TEXTS_HELD_WHILE_READING
                index.text_stand_in = self._stand_in_for_texts()
            handed = _HandedKinds()  # the kind of each record handed over

            def unreadable(record_id: str, reason: object) -> None:
                problems.append(ProblemLine(_UNREADABLE, id=record_id, reason=reason))

            # A full read hands the records over a batch at a time as they open
            # (never the whole journal's ciphertext or plaintext at once); a
            # background load decodes them as they come, as the app wants them all.
            def take(pairs: list[tuple[str, bytes]]) -> None:
                if hand_over is not None:
                    pairs = _hand_over(pairs, hand_over[0], handed, hand_over[1], unreadable)
                index.take(pairs, decode=background, busy=busy)
                index.decode_kinds(decode)  # this batch's records of those kinds

            result = self._live_vault().read_all(
                verify=verify, only_codes=codes, own_connection=background, busy=busy,
                take=None if only is not None else take)
            plaintexts, result.plaintexts = result.plaintexts, {}  # the index owns them now
            index.take(plaintexts.items())  # a read of some kinds: gathered first
            del plaintexts
            changes = [_outside_change(t) for t in result.tampering]
            problems[:0] = [_skipped(rid) for rid in result.damaged] + changes
            with self._lock:
                if self._vault is None:
                    raise JournalLocked()  # locked meanwhile: keep no plaintext
                for record_id, record in (self._meanwhile or {}).items():
                    if record is None:
                        index.remove(record_id)
                    else:
                        index.put(record)
                self._only_kinds = only
                if hand_over is not None:  # the index holds none of them
                    self._only_kinds = frozenset(records.KINDS) - hand_over[0]
                self._problems = problems
                self._outside_changes = changes
                if index.entry_texts_wait():
                    index.texts_on_disk = True  # read past texts_held_at_most
                self._index_ = index
                self._meanwhile = None
                self._add_missing_hints(result.unhinted, handed)
        finally:
            with self._lock:
                self._meanwhile = None
        result.unhinted = []
        if verify:
            found = self._check_hints(result, handed=handed)
            changes += found
            problems += found
        if not check_later:
            result.rows = []
            result.kind_codes = b""
        self._unverified = result if not verify and check_later else None

    def _add_missing_hints(self, unhinted: list[str], handed: _HandedKinds | None = None
                           ) -> None:
        """Give rows from format 1 their kind hint, once, now that their kind is known
        (`handed`: the kinds of records a load handed over rather than kept)."""
        if not unhinted:
            return
        assert self._index_ is not None
        hints = []
        handed_kinds = handed.of(unhinted) if handed else {}
        for record_id in unhinted:
            kind = self._index_.kind(record_id) or handed_kinds.get(record_id)
            code = records.KIND_CODES.get(kind or "")
            if code is not None:
                hints.append((record_id, code))
        self._live_vault().set_hints(hints)

    def _check_hints(self, result: ReadResult, busy: Busy | None = None,
                     handed: _HandedKinds | None = None) -> list[str]:
        """Problems with rows whose stored kind hint does not match the record:
        the file was edited outside the app (only this app writes hints).
        `handed`: the kinds of the records a load handed over rather than kept,
        met in the order read."""
        wrong = self._hints_not_matching(result, busy, handed)
        if wrong is None:
            # The handed-over records were not all met in the order read (never
            # expected): each is looked up instead, so no hint goes unchecked.
            assert handed is not None
            wrong = self._hints_not_matching(result, busy, handed.of(handed.ids()))
        assert wrong is not None
        if not wrong:
            return []
        self._wrong_hints = wrong
        ids = [record_id for record_id, _code in wrong]
        return [ProblemLine(N_("The journal was changed outside the app: the kind marker of "
                               "{count} record(s) was changed ({ids})."), count=len(ids),
                            ids=", ".join(ids[:3]) + (", …" if len(ids) > 3 else ""))]

    def _hints_not_matching(self, result: ReadResult, busy: Busy | None,
                            handed: _HandedKinds | dict[str, str] | None
                            ) -> list[tuple[str, int]] | None:
        """(id, the right kind code) of each row whose hint says another kind; None
        when `handed` (in the order read) was not all met."""
        assert self._index_ is not None
        index_kind, holds = self._index_.kind, self._index_.holds
        codes = records.KIND_CODES
        kinds = {code: kind for kind, code in codes.items()}
        walk = handed.walk(result.unhinted) if isinstance(handed, _HandedKinds) else None
        kind_handed = (walk.kind if walk is not None  # (rows without a hint are not met)
                       else handed.get if handed else None)  # type: ignore[union-attr]
        wrong = []
        for position, (record_id, code) in enumerate(result.stored_kind_codes()):
            if busy is not None and position % polite.EVERY == polite.EVERY - 1:
                polite.give_way(busy)
            handed_kind = kind_handed(record_id) if kind_handed is not None else None
            claimed = kinds.get(code)  # nearly always right: one lookup
            if claimed is not None and (handed_kind == claimed if handed_kind is not None
                                        else holds(claimed, record_id)):
                continue
            expected = codes.get(handed_kind or index_kind(record_id) or "")
            if expected is not None and code != expected:
                wrong.append((record_id, expected))
        if walk is not None and not walk.finished:
            return None
        return wrong

    @property
    def problems(self) -> list[str]:
        """What reading found wrong: damaged records, signs of tampering, in the
        current language."""
        if self._index_ is None:
            self.load()
        return [str(problem) for problem in self._problems]

    @property
    def problems_found(self) -> list[str]:
        """What reading has found wrong so far, without reading more (a command that
        read a few rows through the summary has read nothing else)."""
        return [str(problem) for problem in self._problems]

    @property
    def outside_changes(self) -> list[str]:
        """The problems that are about the set of records (deleted, added, rolled
        back or relabelled outside the app), which `accept_changes` settles;
        damaged records stay listed in `problems` until they are restored."""
        if self._index_ is None:
            self.load()
        return [str(problem) for problem in self._outside_changes]

    def verify(self, busy: Busy | None = None) -> list[str]:
        """Finish a `load(verify=False)`: the problems found now (also added to
        `problems`). Safe to call from a worker thread: it does not touch the journal
        file (only the check's memory in the cache folder, vault/checked.py).
        While `busy()` returns true the check waits (vault/polite.py)."""
        pending, self._unverified = self._unverified, None
        if pending is None:
            return []
        found = [_outside_change(t)
                 for t in self._live_vault().check_integrity(pending, busy)]
        found += self._check_hints(pending, busy)
        pending.rows = []  # the ciphertext copies are no longer needed
        pending.kind_codes = b""
        self._problems.extend(found)
        self._outside_changes.extend(found)
        return [str(problem) for problem in found]

    def refresh(self) -> bool:
        """Take in what other processes (the CLI, a second app) saved since the
        records were read; True when anything changed. Only the changed rows are
        read and decrypted, and when nothing changed it costs one PRAGMA, so the
        app calls it on a timer, on focus and before every write.

        Raises KeyChanged when another process gave the journal a new key, and
        JournalReplaced when it put another file in its place (a restore)."""
        vault = self._live_vault()
        if vault.store.replaced():
            raise JournalReplaced()
        if self._index_ is None or self._only_kinds is not None:
            return False
        with self._lock:
            return self._take_in_changes(vault)

    def _take_in_changes(self, vault: Vault) -> bool:
        if self._index_ is None:
            return False
        if not vault.changed_elsewhere():
            return False
        changes = vault.read_changes()
        index = self._index_
        for record_id in changes.deleted:
            index.remove(record_id)
        for record_id, payload in changes.plaintexts.items():
            try:
                index.put(records.from_json(record_id, payload))
            except (ValueError, KeyError, TypeError):
                changes.damaged.append(record_id)
        for record_id in changes.damaged:
            index.remove(record_id)
            self._problems.append(_skipped(record_id))
        return bool(changes.deleted or changes.plaintexts or changes.damaged)

    def quick_check(self) -> list[str]:
        """Problems found without reading every record: a record deleted or added
        outside the app shows as a wrong count (one `count(*)`)."""
        found = self._live_vault().count_problem()
        # Rows added or deleted outside the app: the summary no longer speaks for
        # the file, so reads go to the rows themselves (and name what is odd).
        self._count_differs = bool(found)
        return [str(_outside_change(found))] if found else []

    def _index(self, kind: str | None = None) -> RecordIndex:
        """The index, loading everything first when it is missing or when a
        partial load (`load(kinds=...)`) left out `kind`; a load already running
        (the app's worker) is waited for rather than run twice."""
        def missing() -> bool:
            return self._index_ is None or (
                self._only_kinds is not None and (kind is None or kind not in self._only_kinds))

        if missing():
            with self._load_mutex:
                if missing():
                    self._load(True, True, None, False)
        assert self._index_ is not None
        return self._index_

    def get(self, record_id: str) -> Record | None:
        """One record by id. Before the records are in memory (the first screens
        after unlock) only its row is read and opened."""
        if self._index_ is None or self._only_kinds is not None:
            return self._read_one(record_id)
        return self._index().get(record_id)

    def _read_one(self, record_id: str) -> Record | None:
        try:
            payload = self._live_vault().read(record_id)
        except DamagedRecord:
            return None
        if payload is None:
            return None
        try:
            return records.from_json(record_id, payload.rstrip(b" "))
        except (ValueError, KeyError, TypeError):
            return None

    def records(self, kind: type[R]) -> list[R]:
        """Every record of a kind, oldest first by `when` (a cached list: do not mutate)."""
        return self._index(kind.kind).sorted_by_when(kind.kind)  # type: ignore[return-value]

    def count(self, kind: type[Record]) -> int:
        return self._index(kind.kind).count(kind.kind)

    def entries(self, newest_first: bool = True) -> Sequence[Entry]:
        """Every entry, newest first (or oldest first). Entries the app holds as
        columns (record_columns.py) come as a list built as it is read, so the
        journal list's newest 300 build only those."""
        found = self.records(Entry)
        if not isinstance(found, list):
            return found[::-1] if newest_first else found  # type: ignore[return-value]
        return list(reversed(found)) if newest_first else list(found)

    def search(self, query: str, kind: type[R] = Entry) -> list[R]:  # type: ignore[assignment]
        """Records whose text holds every word of `query` (case-insensitive), newest first."""
        index = self._index(kind.kind)
        words = fold(query).split()
        if kind is Entry and index.texts_on_disk and not index.has_words:
            for _attempt in range(3):
                if not index.entries_as_columns:
                    break
                # The texts that wait on disk are read back a window at a time and
                # tested there; none is kept (all of them at once were the
                # session's highest point at ten times the benchmark journal).
                # Should more come to wait meanwhile (the worker lets go of the
                # rest), they are read again.
                waiting, mark = index.entries_waiting()
                found = index.search(kind.kind, words, (
                    self._entries_matching_on_disk(waiting, words), mark))
                if found is not None:
                    return found
            self.hold_entry_texts()  # a scan of every text: read them in bulk, not one by one
        return index.search(kind.kind, words)  # type: ignore[return-value]

    def _entries_matching_on_disk(self, record_ids: list[str], words: list[str]
                                  ) -> dict[str, object]:
        """Of these entries (whose text waits on disk), those whose row, read now,
        holds every word: id -> `updated` of the version read. Read 2,000 rows at
        a time under the journal's lock, as writes are; a row's JSON that cannot
        hold every word is not decoded (`may_hold_among`; not for a word with a
        quote or backslash, which JSON escapes). A row that does not open is
        left out, as `_entries_read_back` leaves it."""
        among = None if any('"' in w or "\\" in w for w in words) else may_hold_among(words)
        found: dict[str, object] = {}
        for start in range(0, len(record_ids), _TEXTS_AT_A_TIME):
            with self._lock:
                opened = self._live_vault().read_these(record_ids[start:start + _TEXTS_AT_A_TIME])
            payloads = [payload for _record_id, payload in opened]
            positions = range(len(opened)) if among is None else among(payloads)
            for position in positions:
                record_id, payload = opened[position]
                try:
                    record = records.from_json(record_id, payload.rstrip(b" "))
                except (ValueError, KeyError, TypeError):
                    continue
                if isinstance(record, Entry) and all(
                        word in searchable_text(record) for word in words):
                    found[record_id] = record.updated
        return found

    def find_entries(self, query: str) -> list[Entry]:
        """The entries `search(query)` finds, newest first, for a one-shot command
        (the CLI's search): only the entries' rows are read and opened (by their
        kind hints), each is dropped unless its JSON may hold every word, and
        only those are decoded. Nothing is kept for later reads (call `search`
        for that). A row that does not open is named in `problems_found`; the
        set of records is not checked (see vault/kind_read.py)."""
        words = fold(query).split()
        found = self._live_vault().open_kinds(
            frozenset({records.KIND_CODES[Entry.kind]}), may_hold_among(words),
            lambda plaintext: records.KIND_CODES.get(kind_of(plaintext) or ""))
        self._problems += [_skipped(rid) for rid in found.damaged]
        matches = []
        for record_id, payload in found.kept:
            try:
                record = records.from_json(record_id, payload.rstrip(b" "))
            except (ValueError, KeyError, TypeError):
                continue  # as `search` before a full read: reported by the next full read
            if isinstance(record, Entry) and all(w in searchable_text(record) for w in words):
                matches.append(record)
        return sorted(matches, key=lambda r: r.when, reverse=True)

    def accept_changes(self) -> None:
        """Carry on with the journal as it is now, after the person has been shown
        what changed outside the app: the integrity check is rebuilt to match the
        records present, so new writes are accepted again."""
        vault = self._live_vault()
        vault.reseal_integrity()
        wrong, self._wrong_hints = self._wrong_hints, []
        vault.set_hints(wrong)
        self.load()
        self.rebuild_summary()

    def decode_all(self, polite: bool = False, busy=None) -> None:
        """Decode every kind now; for a worker thread once the first screen shows
        (polite=True: give the UI thread the GIL now and then, a chunk at a time,
        and wait while `busy()` says the person is typing)."""
        self._index().decode_all(polite, busy)

    def build_search_index(self, busy: Busy | None = None) -> bool:
        """Build the word index search uses (word_index.py): for the app's worker,
        after `decode_all`. Politely: it hands the GIL over every few hundred
        entries and waits while `busy()` says the person is typing. Abandoned when
        the journal locks meanwhile. True when the index is in place. It indexes
        what is read and never reads the journal itself (False before a full load)."""
        self._search_index_asked = True
        index = self._index_
        if index is None or self._only_kinds is not None:
            return False
        if index.texts_on_disk and index.entries_as_columns:
            # Texts already wait on disk (more than the worker holds while it
            # reads): the index reads those back in bulk, so it may as well read
            # them all; holding the rest while it is built was the session's
            # highest point at ten times the benchmark journal.
            index.leave_texts_on_disk(self._stand_in_for_texts(), busy, before_words=True)
        return index.build_words(
            Entry.kind, busy, stop=lambda: self._index_ is not index or self._vault is None,
            read_texts=self.with_texts)

    def leave_entry_texts_on_disk(self, busy: Busy | None = None) -> int:
        """Let go of the decoded entries' texts (records.TextOnDisk), for the app's
        worker once the word index is built: they are most of a decoded journal's
        memory (116 MB at ten times the benchmark journal) and, with the index
        answering searches, only a few are read at a time (a list's titles, the
        entry opened, an export), each from its row. Nothing happens without the
        index. How many entries let go of their text."""
        index = self._index_
        if index is None or self._only_kinds is not None:
            return 0
        return index.leave_texts_on_disk(self._stand_in_for_texts(), busy)

    def _stand_in_for_texts(self) -> records.TextOnDisk:
        """The one stand-in of every entry whose text waits on disk."""
        if self._text_stand_in is None:
            self._text_stand_in = records.TextOnDisk(self._text_from_disk)
        return self._text_stand_in

    def hold_entry_texts(self) -> None:
        """Read back, in bulk, the entries' texts left on disk: before work that
        reads every text (a search without the word index, an import comparing
        texts, an export of many entries), which would otherwise read each row
        on its own. A chunk at a time under the journal's lock, as writes are."""
        index = self._index_
        if index is None or not index.texts_on_disk:
            return
        for read in self._entries_read_back(index.entries_without_text()):
            index.hold_texts(read.values())
        index.texts_on_disk = False

    def with_texts(self, chosen: list[R]) -> list[R]:
        """These records, the entries whose text waits on disk as copies holding it,
        read in bulk (one query per two thousand): for an export or an import
        that reads many texts, without keeping them once it is done. A copy
        shares everything but its text with the journal's entry."""
        index = self._index_
        if index is None or not index.texts_on_disk:
            return chosen
        waiting = [position for position, record in enumerate(chosen)
                   if record.__class__ is Entry
                   and records.text_waits_on_disk(record)]  # type: ignore[arg-type]
        if len(waiting) < _FEW_TEXTS:
            return chosen  # each read on its own when asked
        found = list(chosen)
        parts = [waiting[start:start + _TEXTS_AT_A_TIME]
                 for start in range(0, len(waiting), _TEXTS_AT_A_TIME)]
        reads = self._entries_read_back([chosen[position].id for position in waiting])
        for part, read in zip(parts, reads):
            for position in part:
                found[position] = _holding_text(chosen[position], read)  # type: ignore[arg-type]
        return found

    def with_texts_streamed(self, chosen: Iterable[R]) -> Iterator[R]:
        """`with_texts`, one record at a time and in the same order, for an export
        that streams: the entries whose text waits on disk are read in bulk a
        window at a time (one query per 500 texts or 2,000 records), so no more
        than one window's texts, and the records between them, are ever held.
        Records before the first entry waiting on disk pass straight through.
        Each record is looked at as it comes: the app's worker may let go of the
        texts while an export is under way."""
        window: list[R] = []
        waiting: list[int] = []  # positions in `window`
        for record in chosen:
            if record.__class__ is Entry and records.text_waits_on_disk(record):  # type: ignore[arg-type]
                waiting.append(len(window))
            elif not window:
                yield record  # nothing held before it: no need to wait
                continue
            window.append(record)
            if len(waiting) >= _TEXTS_STREAMED_AT_A_TIME or len(window) >= _RECORDS_HELD_AT_MOST:
                yield from self._window_with_texts(window, waiting)
                window, waiting = [], []
        if window:
            yield from self._window_with_texts(window, waiting)

    def _window_with_texts(self, window: list[R], waiting: list[int]) -> list[R]:
        """`window` with the entries at `waiting` as copies holding their text,
        read in one query (`_entries_read_back` reads up to 2,000 in one)."""
        if not waiting:
            return window
        read: dict[str, Entry] = {}
        for part in self._entries_read_back([window[position].id for position in waiting]):
            read.update(part)
        for position in waiting:
            window[position] = _holding_text(window[position], read)  # type: ignore[arg-type]
        return window

    def _entries_read_back(self, record_ids: list[str]) -> Iterator[dict[str, Entry]]:
        """The entries with these ids as stored now, by id, one query per 2,000
        (each under the journal's lock, between writes). A row that does not
        open, or is not an entry, is left out: read on its own if asked, and
        named by the full reads."""
        for start in range(0, len(record_ids), _TEXTS_AT_A_TIME):
            with self._lock:
                opened = self._live_vault().read_these(record_ids[start:start + _TEXTS_AT_A_TIME])
            found: dict[str, Entry] = {}
            for record_id, payload in opened:
                try:
                    record = records.from_json(record_id, payload.rstrip(b" "))
                except (ValueError, KeyError, TypeError):
                    continue
                if isinstance(record, Entry):
                    found[record_id] = record
            yield found

    def _text_from_disk(self, entry_id: str) -> str:
        """An entry's text read from its row (records.TextOnDisk). Empty when the
        row cannot be read (deleted or damaged by another program, the journal
        locked): an entry cannot be saved empty, so nothing is written from it.
        Without the journal's lock, as `get` before the records are read: a text
        may be read under the index's lock (a search), and a write takes the
        journal's lock, then the index's."""
        try:
            record = self._read_one(entry_id)
        except JournalError:
            return ""
        return record.text if isinstance(record, Entry) else ""

    def rows_read_back(self, record_ids: list[str]) -> Iterator[dict[str, bytes]]:
        """The plaintexts of the rows with these ids, of any kind, as stored now
        (padding stripped), by id: one query per 2,000, each under the journal's
        lock (between writes). For an export of whole kinds that let go of what
        it read first and reads it back in its order (export/rows_to_markdown.py);
        a row gone or no longer opening is left out, for the caller to say."""
        for start in range(0, len(record_ids), _TEXTS_AT_A_TIME):
            with self._lock:
                opened = self._live_vault().read_these(record_ids[start:start + _TEXTS_AT_A_TIME])
            yield {record_id: payload.rstrip(b" ") for record_id, payload in opened}
            del opened

    @property
    def search_is_quick(self) -> bool:
        """The word index is in place: `search` answers in milliseconds. Before the
        app's worker has built it, search scans every entry (most of a second on
        a journal of many years), so the app runs it in a thread."""
        index = self._index_
        return index is not None and index.has_words

    @property
    def search_index_wanted(self) -> bool:
        """True when the app built the word index once and it is gone now (dropped as
        stale after many writes, or the records were read again): the app's worker
        builds it again."""
        index = self._index_
        return (self._search_index_asked and index is not None and self._only_kinds is None
                and index.words_missing)

    # ---- the summary --------------------------------------------------------------

    def summary(self) -> Summary | None:
        """The sealed summary of the journal as it is in the file now (what other
        processes wrote included), or None when there is none that is current:
        callers then read the records. Two small rows when nothing changed since the
        last call; the summary itself (at most a few hundred KiB) when it did."""
        vault = self._live_vault()
        state = vault.saved_state()
        if state is None:
            return None
        known = self._summary
        if known is not None and known.writes == state.writes:
            return known
        try:
            payload, state = vault.read_summary()
            # Lazily: the day and week tables only when a screen asks for them.
            found = Summary.from_json(payload, lazy=True) if payload is not None else None
        except (DamagedRecord, ValueError):
            found = None
        if found is None or state is None or found.writes != state.writes or sum(
                found.kinds.values()) != state.count:
            self._summary = None
            return None
        self._summary = found
        return found

    def summary_if_trusted(self) -> Summary | None:
        """`summary()`, or None when the quick check at unlock found rows added or
        deleted outside the app (the summary then no longer speaks for the file)."""
        return None if self._count_differs else self.summary()

    def _start_summary(self) -> None:
        """A new journal's summary (of no records), before its first write."""
        state = self._live_vault().saved_state()
        if state is not None:
            self._live_vault().store_summary(summaries.build([], state.writes).to_json(),
                                             state.writes)

    def _summary_from_records(self) -> Summary:
        self._index()
        return summaries.build(self._all_records())

    def _all_records(self) -> Iterable[Record]:
        """Every record in memory, to go through once: the lists of each kind, taken
        at once (cheap under the lock; urges held as columns are built one at a
        time as they are read, never all at once). Load first (`_index()`)
        outside `_lock`: a load in a worker takes `_lock` to install what it
        read, so waiting for it while holding `_lock` would deadlock."""
        index = self._index_
        if index is None or self._only_kinds is not None:
            raise JournalLocked()
        return chain.from_iterable([index.sorted_by_when(kind) for kind in records.KINDS])

    def rebuild_summary(self) -> bool:
        """Build the summary again from the records and store it (not a write: the
        write count stays). False when it could not be stored (read-only, or a
        write came in meanwhile: the next check rebuilds it)."""
        self._index()
        with self._lock:
            self.refresh()
            state = self._live_vault().saved_state()
            if state is None:
                return False
            taken = self._all_records()
        # Built outside the lock (a second or so at ten times the benchmark journal):
        # a write meanwhile changes `writes`, and the store below then declines.
        rebuilt = summaries.build(taken)
        rebuilt.writes = state.writes
        self._summary = None
        try:
            payload = rebuilt.to_json()
        except (TypeError, ValueError):
            return False  # sums beyond what it can hold: the records are read instead
        return self._live_vault().store_summary(payload, state.writes)

    def check_summary(self) -> list[str]:
        """Compare the stored summary with the records (the app's worker, after
        decoding everything): one that does not open or says other than the
        records is reported like any change made outside the app, and settled by
        `accept_changes`; one that is missing or stale (a journal from before it,
        a write by an older version) or has lost places in its "most recent" lists
        is rebuilt quietly. Returns the problems found (also in `problems`)."""
        self._index()
        with self._lock:
            self.refresh()
            vault = self._live_vault()
            try:
                payload, state = vault.read_summary()
            except DamagedRecord:
                return self._summary_problem(N_(
                    "The journal was changed outside the app: its summary does not open."))
            if state is None:
                return []  # a damaged integrity state is reported by the full read
            try:
                kept = Summary.from_json(payload) if payload is not None else None
            except ValueError:
                kept = None
            if kept is None or kept.writes != state.writes:
                stale = True
            else:
                stale = False
                taken = self._all_records()
        if stale:
            self.rebuild_summary()
            return []
        # Compared outside the lock, with the records as they were beside that summary.
        rebuilt = summaries.build(taken)
        if not kept.agrees_with(rebuilt) or sum(kept.kinds.values()) != state.count:
            if self._damaged_count():
                return []  # damaged records are reported one by one already
            # Screens change a record in memory before they save it (the urge
            # screen, step by step): before saying anything, compare with the
            # records as stored, read again in one snapshot with the summary.
            if self._summary_matches_the_file():
                return []
            return self._summary_problem(N_(
                "The journal was changed outside the app: its summary does not match "
                "the records."))
        if any(len(kept.recent.get(kind, [])) < len(rebuilt.recent.get(kind, []))
               for kind in summaries.RECENT) or (
                   not kept.keeps_words() and rebuilt.keeps_words()) or (
                   kept.version < summaries.VERSION):  # stored again as this version
            self.rebuild_summary()
        return []

    def _summary_matches_the_file(self) -> bool:
        """The stored summary against every record as stored, in one snapshot (a
        second full read: only when the summary seemed to disagree)."""
        try:
            with self._live_vault().everything_as_stored() as (batches, payload, state):
                if payload is None or state is None:
                    return True  # nothing to compare: rebuilt at the next check
                try:
                    kept = Summary.from_json(payload)
                except ValueError:
                    return True
                if kept.writes != state.writes:
                    return True  # stale by now: rebuilt at the next check
                try:
                    # Decoded a batch at a time into the rebuild: never a second copy
                    # of every record beside the ones in memory.
                    rebuilt = summaries.build(
                        records.from_json(record_id, plaintext)
                        for batch in batches for record_id, plaintext in batch)
                except (ValueError, KeyError, TypeError):
                    return True  # a damaged record is reported on its own
        except DamagedRecord:
            return True  # the file could not be read again: the full read reports it
        return kept.agrees_with(rebuilt) and sum(kept.kinds.values()) == state.count

    def _damaged_count(self) -> int:
        return sum(1 for problem in self._problems
                   if problem.template.startswith("Record {id} is damaged"))

    def _summary_problem(self, message: str) -> list[str]:
        problem = ProblemLine(message)
        self._problems.append(problem)
        self._outside_changes.append(problem)
        return [str(problem)]

    def recent_entries(self, n: int) -> list[Entry]:
        """The `n` most recent entries, newest first: from the summary, reading only
        their rows, when it knows them; else from the entries (a partial load when
        nothing is in memory yet)."""
        if self._index_ is None:
            found = self.recent_entries_from_summary(n)
            if found is not None:
                return found
            self.load(verify=False, check_later=False, kinds=("entry",))
        return self.entries()[:n]

    def recent_entries_from_summary(self, n: int) -> list[Entry] | None:
        """The `n` most recent entries, newest first, reading only their rows, or None
        when the summary does not know them (then only a read of every entry can
        tell). Never waits for the app's worker to finish reading the journal."""
        found = None if self._count_differs else self.summary()
        ids = found.recent_ids("entry", n) if found is not None else None
        if ids is None:
            return None
        entries = [self._read_one(record_id) for record_id in ids]
        if all(isinstance(entry, Entry) for entry in entries):
            return entries  # type: ignore[return-value]
        return None

    def expect_background_read(self) -> None:
        """The app says its worker will read every record (`load_in_background`),
        as soon as the dashboard is drawn and the person stops typing: from now
        until that read ends, `still_opening` is true."""
        self._reading_in_background = True

    def still_opening(self, kind: type[Record]) -> bool:
        """The app's worker will read or is reading the journal after unlock
        (`expect_background_read`, `load_in_background`) and the records of
        `kind` are not in memory yet: `records`, `entries` and `search` would wait
        for it, many seconds on a journal of many years. A screen asks first and
        shows what the summary knows meanwhile."""
        return self._reading_in_background and not (self._index_ is not None and (
            self._only_kinds is None or kind.kind in self._only_kinds))

    def draft_purposes(self) -> list[str]:
        """What each waiting draft is for (e.g. "entry:new"), oldest first."""
        if self._index_ is None:
            found = self.summary()
            if found is not None:
                return found.draft_purposes()
        return [d.purpose for d in sorted(self.records(Draft), key=lambda d: d.updated)]

    # ---- settings and addictions -------------------------------------------------

    def settings(self) -> Settings:
        """The settings record, read on its own so the CLI need not load everything."""
        if self._index_ is not None:
            self.refresh()  # another process may have changed them (track, goal)
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

