"""The incremental integrity check (vault/checked.py): an unlock MACs again only the
rows in groups that changed since the last check, yet every change made outside
the app that the whole-set check catches is still caught at the next unlock."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, Urge
from recoveryjournal.vault import checked

from helpers import PASSPHRASE
from helpers.tamper import sql

RECORDS = 48




def blob_of(path: Path, record_id: str) -> bytes:
    return sql(path, "SELECT blob FROM records WHERE id=?", record_id)[0][0]


def unlock_and_check(path: Path) -> tuple[list[str], int]:
    """Open as a person would and read everything: (problems, rows MACed)."""
    journal = Journal.open(path, PASSPHRASE)
    try:
        problems = journal.problems
        return problems, journal._vault.rows_maced
    finally:
        journal.lock()


@pytest.fixture
def checked_once(journal, journal_path):
    """A journal of some fifty records, unlocked and checked once (so the check
    remembers every group), then locked. Returns (path, the records by id)."""
    kept = {}
    for number in range(RECORDS // 2):
        for record in (Entry(text=f"a private entry, day {number}"),
                       Urge(addiction="alcohol", intensity=number % 11)):
            kept[journal.add(record).id] = record
    journal.lock()
    problems, maced = unlock_and_check(journal_path)
    assert problems == [] and maced == RECORDS + 1  # the first check MACs every row
    return journal_path, kept


def test_a_second_unlock_macs_only_the_groups_written_since(checked_once):
    path, kept = checked_once
    with Journal.open(path, PASSPHRASE) as journal:
        journal.add(Entry(text="written between the two unlocks"))
    problems, maced = unlock_and_check(path)
    assert problems == []
    # The new row's group, and one group in sixteen checked again in turn.
    assert 1 <= maced <= RECORDS // 4


def test_every_row_is_maced_again_within_sixteen_checks(checked_once, monkeypatch):
    path, _kept = checked_once
    journal = Journal.open(path, PASSPHRASE)
    cipher = journal._vault._cipher
    real = cipher.record_mac
    maced: set[str] = set()

    def counting(record_id, fingerprint):
        maced.add(record_id)
        return real(record_id, fingerprint)

    monkeypatch.setattr(cipher, "record_mac", counting)
    for _check in range(checked.RECHECK_EVERY):
        assert journal._vault.read_all(verify=True).tampering == []
    assert len(maced) == RECORDS + 1
    journal.lock()


def test_a_remembered_check_that_lies_cannot_hide_a_change(checked_once):
    """The file outside the journal is sealed: edited, it is simply not used."""
    path, kept = checked_once
    folder = Path(checked._folder())
    (remembered,) = folder.iterdir()
    raw = bytearray(remembered.read_bytes())
    raw[40] ^= 1
    remembered.write_bytes(bytes(raw))
    problems, maced = unlock_and_check(path)
    assert problems == [] and maced == RECORDS + 1


# Each way of tampering does what the app would do first (writes, a backup), and
# returns the attack, made after the app has checked (and remembered) that state,
# and a phrase of the problem it must cause.

def _delete_one(path, kept, tmp_path):
    return lambda: sql(path, "DELETE FROM records WHERE id=?", sorted(kept)[0]), "should hold"


def _older_version_of_a_row(path, kept, tmp_path):
    record_id = sorted(kept)[3]
    older = blob_of(path, record_id)
    with Journal.open(path, PASSPHRASE) as journal:
        record = journal.get(record_id)
        record.when = record.when.replace(year=record.when.year - 1)
        journal.update(record)
    return (lambda: sql(path, "UPDATE records SET blob=? WHERE id=?", older, record_id),
            "older or foreign copy")


def _older_version_and_its_integrity_check(path, kept, tmp_path):
    record_id = sorted(kept)[5]
    older = blob_of(path, record_id)
    integrity = sql(path, "SELECT value FROM vault WHERE key='integrity'")[0][0]
    with Journal.open(path, PASSPHRASE) as journal:
        journal.update(journal.get(record_id))
        journal.add(Entry(text="written after"))

    def attack():
        sql(path, "UPDATE records SET blob=? WHERE id=?", older, record_id)
        sql(path, "UPDATE vault SET value=? WHERE key='integrity'", integrity)
    return attack, "changed outside the app"


def _changed_in_place(path, kept, tmp_path):
    record_id = sorted(kept)[7]
    blob = bytearray(blob_of(path, record_id))
    blob[40] ^= 0x01
    return (lambda: sql(path, "UPDATE records SET blob=? WHERE id=?", bytes(blob), record_id),
            "damaged")


def _rows_swapped_between_ids(path, kept, tmp_path):
    first, second = sorted(kept)[:2]
    blob_1, blob_2 = blob_of(path, first), blob_of(path, second)

    def attack():
        sql(path, "UPDATE records SET blob=? WHERE id=?", blob_2, first)
        sql(path, "UPDATE records SET blob=? WHERE id=?", blob_1, second)
    return attack, "damaged"


def _a_row_from_another_journal(path, kept, tmp_path):
    other_path = tmp_path / "other.db"
    other, _code = Journal.create(other_path, PASSPHRASE)
    foreign = other.add(Entry(text="from another journal"))
    other.lock()

    def attack():
        sql(path, "DELETE FROM records WHERE id=?", sorted(kept)[0])  # the count stays right
        sql(path, "INSERT INTO records (id, blob, hint) VALUES (?, ?, ?)", foreign.id,
            blob_of(other_path, foreign.id), 0)
    return attack, "older or foreign copy"


def _rows_of_an_older_backup_pasted_in(path, kept, tmp_path):
    """A backup's copy of a row deleted since put back, another row deleted to
    keep the count right."""
    backup = tmp_path / "backup.db"
    shutil.copyfile(path, backup)
    gone = sorted(kept)[9]
    with Journal.open(path, PASSPHRASE) as journal:
        journal.delete(gone)

    def attack():
        sql(path, "DELETE FROM records WHERE id=?", sorted(kept)[10])
        conn = sqlite3.connect(path)
        conn.execute("ATTACH DATABASE ? AS b", (str(backup),))
        conn.execute("INSERT INTO records (id, blob, hint) SELECT id, blob, hint "
                     "FROM b.records WHERE id=?", (gone,))
        conn.commit()
        conn.close()
    return attack, "older or foreign copy"


@pytest.mark.parametrize("tamper", [
    _delete_one, _older_version_of_a_row, _older_version_and_its_integrity_check,
    _changed_in_place, _rows_swapped_between_ids, _a_row_from_another_journal,
    _rows_of_an_older_backup_pasted_in,
])
def test_a_change_made_outside_the_app_after_a_check_is_reported_at_the_next_unlock(
        checked_once, tmp_path, tamper):
    path, kept = checked_once
    attack, expected = tamper(path, kept, tmp_path)
    assert unlock_and_check(path)[0] == []  # checked, and remembered, as it is now
    attack()
    problems, _maced = unlock_and_check(path)
    assert any(expected in problem for problem in problems), problems


def test_the_memory_says_nothing_by_its_name_mode_or_size(checked_once, journal_path):
    """One file per journal, 0600, the same size for a journal of two records as
    for one of fifty: it does not tell how large the journal is."""
    (remembered,) = Path(checked._folder()).iterdir()
    assert remembered.stat().st_mode & 0o777 == 0o600
    small_path = journal_path.parent / "small.db"
    small, _code = Journal.create(small_path, PASSPHRASE)
    small.add(Entry(text="one"))
    small.lock()
    assert unlock_and_check(small_path)[0] == []
    sizes = {path.stat().st_size for path in Path(checked._folder()).iterdir()}
    assert len(sizes) == 1
    assert b"private entry" not in remembered.read_bytes()


def test_after_a_new_passphrase_everything_is_checked_again_and_still_agrees(checked_once):
    path, _kept = checked_once
    with Journal.open(path, PASSPHRASE) as journal:
        journal.change_passphrase(PASSPHRASE + " and more")
    journal = Journal.open(path, PASSPHRASE + " and more")
    try:
        assert journal.problems == []
        assert journal._vault.rows_maced == RECORDS + 1  # a new key: nothing remembered holds
    finally:
        journal.lock()
