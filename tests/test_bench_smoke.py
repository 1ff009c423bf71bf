"""The benchmark journal generator works, at a very small scale (bench/make_journal.py)."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def make_journal():
    sys.path.insert(0, str(BENCH))
    try:
        import make_journal

        yield make_journal
    finally:
        sys.path.remove(str(BENCH))


END = date(2026, 1, 31)


def test_small_benchmark_journal_opens_with_every_kind(make_journal, tmp_path):
    from recoveryjournal.journal import Journal
    from recoveryjournal.records import (
        Checkin, Entry, ExerciseResponse, Meeting, Settings, Urge, Use,
    )

    counts = make_journal.counts_for_total(400)
    assert sum(counts.values()) == 400
    path = tmp_path / "bench.db"
    make_journal.build(path, counts, seed=7, end=END)

    with Journal.open(path, make_journal.PASSPHRASE) as journal:
        assert journal.problems == []
        found = {cls.kind: journal.count(cls)
                 for cls in (Entry, Urge, Use, Checkin, Meeting, ExerciseResponse)}
        assert found == counts
        assert journal.count(Settings) == 1
        assert sorted(journal.tracked_addictions()) == sorted(make_journal.ADDICTIONS)
        assert journal.settings().onboarded  # the app opens on the dashboard
        entries = journal.entries(newest_first=False)
        assert 400 <= sum(len(e.text) for e in entries) / len(entries) <= 640
        first, last = entries[0].when.date(), entries[-1].when.date()
        assert last < END and first >= END - timedelta(days=365 * make_journal.YEARS)


def test_same_seed_same_contents_other_seed_other_contents(make_journal):
    counts = make_journal.counts_for_total(200)

    def contents(seed):
        return [(r.id, r.kind, r.when, getattr(r, "text", None), getattr(r, "intensity", None))
                for r in make_journal.generate(counts, seed, END)]

    assert contents(3) == contents(3)
    assert contents(3) != contents(4)


def test_search_word_is_in_a_small_share_of_entries(make_journal):
    texts = [text for _id, _when, text, _mood, _tags in
             make_journal.entry_texts(make_journal.SEED, 2000, END)]
    share = sum(make_journal.SEARCH_WORD in t for t in texts) / len(texts)
    assert 0.005 < share < 0.05  # a search prints a page of hits, not half the journal


def test_scale_multiplies_every_kind(make_journal):
    one, ten = make_journal.counts_for(1), make_journal.counts_for(10)
    assert one == make_journal.BASE_COUNTS
    assert one["entry"] == 20_000 and one["urge"] == 50_000
    assert all(ten[k] == 10 * one[k] for k in one)
