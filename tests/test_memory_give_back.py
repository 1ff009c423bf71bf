"""Freed memory goes back to the system where a session frees the most
(vault/memory.py): on the unlock screen, before the KDF's 64 MiB (at start and
after a lock, which dropped every record), and after the worker's decoding, its
word index and its summary check. Without it the freed batches stay resident
between the records (about 5 MB at the benchmark journal) and count again at
the next peak."""

from __future__ import annotations

import pytest

from helpers import PASSPHRASE
from helpers.tui import make_journal, unlock
from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, Urge
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens.unlock import UnlockScreen
from recoveryjournal.vault import memory


@pytest.fixture
def given_back(monkeypatch):
    calls = []
    real = memory.give_back

    def counted():
        calls.append(real())
        return calls[-1]

    monkeypatch.setattr(memory, "give_back", counted)
    return calls


def test_the_worker_hands_freed_memory_back(journal, journal_path, given_back):
    for n in range(30):
        journal.add(Entry(text=f"day {n}: a walk by the lighthouse"))
        journal.add(Urge(addiction="alcohol", intensity=5))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    reopened.load_in_background()
    reopened.verify()
    assert given_back == []
    reopened.decode_all(polite=True)
    assert given_back == [True], "the batches read on the way stay resident"
    reopened.build_search_index()
    assert given_back == [True] * 2
    reopened.check_summary()
    assert given_back == [True] * 3
    reopened.lock()


async def test_the_unlock_screen_hands_freed_memory_back(tmp_path, given_back):
    app = RecoveryJournalApp(make_journal(tmp_path / "j.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, UnlockScreen)
        assert given_back == [True], "start-up's garbage under the KDF"
        await unlock(pilot)
        given_back.clear()
        await app.action_lock()
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, UnlockScreen)
        assert given_back == [True], "the locked journal's records under the next KDF"


def test_giving_back_works_here():
    """On this (glibc Linux) test machine the function is found and called."""
    assert memory.give_back() is True
