"""Freed memory goes back to the system at the points where a session frees the
most (vault/memory.py): before the KDF's 64 MiB, after the worker's decoding, its
word index and its summary check, and at the lock. Without it the freed batches
stay resident between the records (about 4-6 MB at the benchmark journal) and
count again at the next peak."""

from __future__ import annotations

import pytest

from helpers import PASSPHRASE
from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, Urge
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


def test_the_session_hands_freed_memory_back(journal, journal_path, given_back):
    for n in range(30):
        journal.add(Entry(text=f"day {n}: a walk by the lighthouse"))
        journal.add(Urge(addiction="alcohol", intensity=5))
    journal.lock()
    assert len(given_back) == 1, "the lock keeps the freed records' pages"

    reopened = Journal.open(journal_path, PASSPHRASE)
    assert len(given_back) == 2, "the KDF lands on top of freed memory"
    reopened.load_in_background()
    reopened.verify()
    reopened.decode_all(polite=True)
    assert len(given_back) == 3, "the batches read on the way stay resident"
    reopened.build_search_index()
    assert len(given_back) == 4
    reopened.check_summary()
    assert len(given_back) == 5
    reopened.lock()
    assert len(given_back) == 6


def test_giving_back_works_here():
    """On this (glibc Linux) test machine the function is found and called."""
    assert memory.give_back() is True
