"""A journal put back to an older copy is noticed: the sealed state counts writes,
and a high-water mark outside the journal remembers the most this computer saw."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone

from recoveryjournal.export import backup as backups
from recoveryjournal.journal import Journal, saved_ago
from recoveryjournal.records import Entry

from helpers import PASSPHRASE


def _open(path):
    journal = Journal.open(path, PASSPHRASE)
    return journal, journal.check_rollback()


def _replace_with(older, path):
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(older, path)


def test_a_journal_put_back_to_an_older_copy_warns_once(journal_path, tmp_path):
    journal, _code = Journal.create(journal_path, PASSPHRASE)
    journal.lock()
    first, warning = _open(journal_path)
    assert warning is None
    older = tmp_path / "older.db"
    first.backup(older)
    for n in range(3):
        first.add(Entry(text=f"written after the copy {n}"))
    first.lock()

    _replace_with(older, journal_path)  # what a sync tool or an attacker could do
    rolled_back, warning = _open(journal_path)
    assert warning and "older than the one last opened on this computer" in warning
    assert "3 fewer saves" in warning
    assert rolled_back.entries() == []  # it still opens: the warning never blocks
    rolled_back.lock()
    # Told once: the mark now follows the file as it is.
    again, warning = _open(journal_path)
    assert warning is None
    again.lock()


def test_restoring_a_backup_on_purpose_does_not_warn(journal_path, tmp_path):
    journal, _code = Journal.create(journal_path, PASSPHRASE)
    journal.lock()
    opened, _warning = _open(journal_path)
    older = tmp_path / "older.db"
    opened.backup(older)
    opened.add(Entry(text="after the backup"))
    opened.lock()
    backups.restore(journal_path, older, PASSPHRASE)
    restored, warning = _open(journal_path)
    assert warning is None
    restored.lock()


def test_the_high_water_file_reveals_nothing(journal_path, private_home):
    journal, _code = Journal.create(journal_path, PASSPHRASE)
    journal.add(Entry(text="something"))
    journal.lock()
    opened, _warning = _open(journal_path)
    state = opened._vault.saved_state()
    opened.lock()
    files = list((private_home / ".config" / "recoveryjournal" / "seen").iterdir())
    assert len(files) == 1
    marker = files[0]
    assert marker.stat().st_mode & 0o777 == 0o600
    content = marker.read_bytes()
    assert len(content) == 12 + 8 + 16  # nonce, sealed count, tag: the same for every journal
    assert state.journal not in marker.name and state.journal.encode() not in content
    assert str(journal_path) not in marker.name
    assert state.writes.to_bytes(8, "big") not in content


def test_last_saved_in_words():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
    assert saved_ago(now - timedelta(days=2, hours=3), now) == "last saved 2 days ago"
    assert saved_ago(now - timedelta(hours=5), now) == "last saved 5 hours ago"
    assert saved_ago(now - timedelta(seconds=30), now) == "last saved just now"


async def test_the_app_warns_at_unlock_when_the_journal_went_back(journal_path, tmp_path):
    from recoveryjournal.tui.app import RecoveryJournalApp
    from helpers.tui import fixed_clock, make_journal, unlock

    make_journal(journal_path)
    opened, _warning = _open(journal_path)  # this computer sees it once
    older = tmp_path / "older.db"
    opened.backup(older)
    opened.add(Entry(text="written after the copy"))
    opened.lock()
    _replace_with(older, journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        told = [str(n.message) for n in app._notifications]
        assert any("older than the one last opened on this computer" in m for m in told)
        assert app.journal is not None  # it opened all the same


async def test_the_app_says_when_the_journal_was_last_saved_if_not_today(journal_path,
                                                                         monkeypatch):
    from recoveryjournal.tui.app import RecoveryJournalApp
    from recoveryjournal.vault import vault as vault_module
    from helpers.tui import fixed_clock, make_journal, unlock

    make_journal(journal_path)
    twelve_days_ago = datetime.now(timezone.utc) - timedelta(days=12, hours=1)
    real_touched = vault_module.SealedState.touched

    def touched_long_ago(self):
        real_touched(self)
        self.saved = twelve_days_ago.replace(microsecond=0)
        return self

    monkeypatch.setattr(vault_module.SealedState, "touched", touched_long_ago)
    with Journal.open(journal_path, PASSPHRASE) as journal:
        journal.add(Entry(text="the last thing saved"))
    monkeypatch.setattr(vault_module.SealedState, "touched", real_touched)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        told = [str(n.message) for n in app._notifications]
        assert "Journal last saved 12 days ago." in told
