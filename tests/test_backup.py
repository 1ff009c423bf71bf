"""Encrypted backups: consistent while writing, restored only when every record
reads, the old journal kept aside, daily rotation of seven."""

from __future__ import annotations

import os
import stat
import threading
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from helpers import PASSPHRASE
from recoveryjournal.export import backup
from recoveryjournal.journal import Journal
from recoveryjournal.records import Checkin, Entry, Urge


def fill(journal: Journal, n: int = 3) -> None:
    for number in range(n):
        journal.add(Entry(text=f"entry {number}"))
    journal.add(Urge(addiction="alcohol", intensity=4))
    journal.add(Checkin(items=[1, 2, 3, 4, 5]))


def ids_in(path, passphrase=PASSPHRASE) -> set[str]:
    with Journal.open(path, passphrase) as opened:
        opened.load()
        assert opened.problems == []
        return {r.id for r in opened.records(Entry)}


def test_backup_goes_to_the_backups_folder_encrypted_and_private(journal):
    fill(journal)
    made = backup.make_backup(journal)
    assert made.parent == journal.path.parent / "backups"
    assert made.name.startswith("journal-") and made.suffix == ".db"
    assert stat.S_IMODE(os.stat(made).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(made.parent).st_mode) == 0o700
    assert b"entry 0" not in made.read_bytes()
    assert len(ids_in(made)) == 3


def test_backup_refuses_to_replace_a_file(journal, tmp_path):
    target = tmp_path / "b.db"
    target.write_text("precious")
    with pytest.raises(backup.BackupFailed, match="already exists"):
        backup.make_backup(journal, target)
    assert target.read_text() == "precious"


def test_backup_taken_while_another_thread_writes_restores_every_committed_record(
        journal, tmp_path):
    committed: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    enough = threading.Event()
    failures: list[BaseException] = []

    def writer():
        try:
            with Journal.open(journal.path, PASSPHRASE) as other:
                number = 0
                while not stop.is_set() and number < 5000:
                    entry = other.add(Entry(text=f"written during backup {number}"))
                    with lock:
                        committed.append(entry.id)
                    number += 1
                    if number == 30:
                        enough.set()
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
            enough.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert enough.wait(30)
    with lock:
        before = set(committed)
    made = backup.make_backup(journal, tmp_path / "during.db")
    with lock:
        after = set(committed)
    stop.set()
    thread.join(30)
    assert not failures
    restored_path = tmp_path / "restored" / "j.db"
    report = backup.restore(restored_path, made, PASSPHRASE)
    restored = ids_in(restored_path)
    assert before <= restored <= set(committed)
    assert report.counts["entry"] == len(restored)
    assert len(after) >= len(before) >= 30


def test_restore_keeps_the_current_journal_aside_and_says_what_it_restored(journal, tmp_path):
    fill(journal, 2)
    made = backup.make_backup(journal, tmp_path / "b.db")
    journal.add(Entry(text="written after the backup"))
    path = journal.path
    journal.lock()
    moment = datetime(2026, 11, 25, 9, 30, 0)
    report = backup.restore(path, made, PASSPHRASE, moment=moment)
    assert report.counts == Counter({"entry": 2, "urge": 1, "checkin": 1, "settings": 1})
    assert "2 × Journal entry" in report.summary()
    assert report.kept_aside == path.with_name("j-before-restore-2026-11-25-093000.db")
    with Journal.open(report.kept_aside, PASSPHRASE) as old:
        assert "written after the backup" in [e.text for e in old.records(Entry)]
    with Journal.open(path, PASSPHRASE) as now:
        assert "written after the backup" not in [e.text for e in now.records(Entry)]
        assert now.problems == []
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".restore-")]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_restore_keeps_records_still_in_the_old_write_ahead_log(journal, tmp_path):
    fill(journal, 1)
    made = backup.make_backup(journal, tmp_path / "b.db")
    late = journal.add(Entry(text="written after the backup, still in the log"))
    path = journal.path
    wal = path.with_name(path.name + "-wal")
    # Hold a reader open so the late write stays in the write-ahead log, not the file.
    assert wal.exists() and wal.stat().st_size > 0
    journal.lock()
    report = backup.restore(path, made, PASSPHRASE)
    # A log left at the journal's name would be replayed onto the restored file.
    assert not wal.exists() or wal.stat().st_size == 0
    assert late.id not in ids_in(path)
    assert late.id in ids_in(report.kept_aside)  # the kept journal lost nothing


def snapshot_folder(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_restore_with_the_wrong_passphrase_changes_nothing(journal, journal_path, tmp_path):
    fill(journal)
    made = backup.make_backup(journal, tmp_path / "b.db")
    journal.lock()
    before = snapshot_folder(journal_path.parent)
    backup_bytes = made.read_bytes()
    with pytest.raises(backup.RestoreRefused, match="does not open.*Nothing was changed"):
        backup.restore(journal_path, made, "not the passphrase")
    assert snapshot_folder(journal_path.parent) == before
    assert made.read_bytes() == backup_bytes


@pytest.mark.parametrize("damage", ["garbage", "truncate", "flip-record"])
def test_restore_of_a_damaged_backup_changes_nothing(journal, journal_path, tmp_path, damage):
    fill(journal)
    made = backup.make_backup(journal, tmp_path / "b.db")
    journal.lock()
    data = bytearray(made.read_bytes())
    if damage == "garbage":
        data = bytearray(b"this is not a journal" * 100)
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:
        # Change one byte inside a sealed record: it no longer opens.
        with Journal.open(made, PASSPHRASE) as opened:
            blob = opened._vault.store.record(opened.records(Entry)[0].id)
        index = bytes(data).find(blob)
        assert index > 0
        data[index + 20] ^= 0xFF
    made.write_bytes(bytes(data))
    before = snapshot_folder(journal_path.parent)
    with pytest.raises(Exception) as raised:
        backup.restore(journal_path, made, PASSPHRASE)
    assert "Nothing was changed" in str(raised.value)
    assert snapshot_folder(journal_path.parent) == before


def test_daily_backup_once_a_day_keeping_the_last_seven(journal, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "journal-2026-01-01-101010.db").write_text("a manual backup")
    start = date(2026, 11, 1)
    for offset in range(10):
        assert backup.daily_backup(journal, folder, start + timedelta(days=offset)) is not None
    assert backup.daily_backup(journal, folder, start + timedelta(days=9)) is None
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["daily-2026-11-%02d.db" % d for d in range(4, 11)] + [
        "journal-2026-01-01-101010.db"]
    assert len(ids_in(folder / "daily-2026-11-10.db")) == 0
