"""The Journal API: search, settings, drafts, ordering, concurrency."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, InvalidRecord, Urge, now

from helpers import PASSPHRASE


def test_search_finds_every_word_in_any_order_and_case(journal):
    journal.add(Entry(text="Called my Sponsor after the meeting"))
    journal.add(Entry(text="Long walk by the sea", tags=["Walk"]))
    journal.add(Entry(text="Meeting went well"))
    assert [e.text for e in journal.search("sponsor MEETING")] == [
        "Called my Sponsor after the meeting"]
    assert len(journal.search("meeting")) == 2
    assert [e.text for e in journal.search("walk")] == ["Long walk by the sea"]
    assert journal.search("nothing-like-this") == []


def test_search_sees_edits_and_deletes_at_once(journal):
    entry = journal.add(Entry(text="old words"))
    assert journal.search("old")
    entry.text = "new words"
    journal.update(entry)
    assert journal.search("old") == []
    assert journal.search("new") == [entry]
    journal.delete(entry)
    assert journal.search("new") == []


def test_entries_are_newest_first_by_when(journal):
    yesterday = journal.add(Entry(text="yesterday", when=now() - timedelta(days=1)))
    today = journal.add(Entry(text="today"))
    last_week = journal.add(Entry(text="last week", when=now() - timedelta(days=7)))
    assert journal.entries() == [today, yesterday, last_week]


def test_invalid_values_are_refused_with_a_reason(journal):
    with pytest.raises(InvalidRecord, match="intensity"):
        journal.add(Urge(addiction="alcohol", intensity=11))
    with pytest.raises(InvalidRecord, match="future"):
        journal.add(Urge(addiction="alcohol", intensity=3, when=now() + timedelta(days=2)))
    with pytest.raises(InvalidRecord, match="text"):
        journal.add(Entry(text="   "))
    assert journal.count(Urge) == 0


def test_tracking_a_new_addiction_is_kept_encrypted(journal, journal_path):
    assert journal.tracked_addictions() == ["alcohol", "gambling"]
    assert journal.track("  Nicotine ") is True
    assert journal.track("nicotine") is False
    journal.lock()
    assert Journal.open(journal_path, PASSPHRASE).tracked_addictions() == [
        "alcohol", "gambling", "nicotine"]


def test_settings_read_without_loading_everything(journal, journal_path):
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    assert reopened.settings().idle_minutes == 5
    assert reopened._index_ is None  # the quick path did not decrypt the rest


def test_drafts_survive_a_lock(journal, journal_path):
    journal.save_draft("entry:new", {"text": "half a thought"})
    journal.save_draft("entry:new", {"text": "half a thought, finished"})
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    assert reopened.draft("entry:new").content == {"text": "half a thought, finished"}
    reopened.discard_draft("entry:new")
    assert reopened.draft("entry:new") is None


def test_locked_journal_refuses_reads_and_writes(journal):
    from recoveryjournal.vault.errors import JournalLocked

    journal.lock()
    with pytest.raises(JournalLocked):
        journal.add(Entry(text="x"))
    with pytest.raises(JournalLocked):
        journal.entries()


def test_two_processes_writing_at_once_lose_nothing(journal_path):
    journal, _ = Journal.create(journal_path, PASSPHRASE)
    journal.lock()
    writer = textwrap.dedent(f"""
        import sys
        from recoveryjournal.vault import crypto
        crypto.KDF_FLOOR = crypto.KdfParams(salt=b"", memory_kib=64, iterations=1, lanes=1)
        from recoveryjournal.journal import Journal
        from recoveryjournal.records import Entry
        j = Journal.open(sys.argv[1], {PASSPHRASE!r})
        for n in range(60):
            j.add(Entry(text=f"{{sys.argv[2]}} {{n}}"))
        print("done")
    """)
    procs = [subprocess.Popen([sys.executable, "-c", writer, str(journal_path), name],
                              stdout=subprocess.PIPE, text=True)
             for name in ("first", "second")]
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.strip() == "done"
    reopened = Journal.open(journal_path, PASSPHRASE)
    texts = {e.text for e in reopened.entries()}
    assert texts == {f"{name} {n}" for name in ("first", "second") for n in range(60)}
    assert reopened.problems == []
