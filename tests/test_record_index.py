"""Lazy decoding by kind: the dashboard and search decode only what they need."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from recoveryjournal.journal import Journal
from recoveryjournal.record_index import _raw_candidates, kind_of
from recoveryjournal.records import Entry, Urge, to_json

from helpers import PASSPHRASE


def test_kind_is_read_from_the_start_of_the_document():
    assert kind_of(to_json(Urge(addiction="alcohol", intensity=4))) == "urge"
    assert kind_of(b'{"schema":1,"kind":"entry"}') is None


def test_searching_entries_does_not_decode_urges(journal, journal_path):
    journal.add(Entry(text="walked by the sea"))
    for n in range(5):
        journal.add(Urge(addiction="alcohol", intensity=n))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    assert [e.text for e in reopened.search("sea")] == ["walked by the sea"]
    index = reopened._index()
    assert "urge" in index._pending  # still sealed in its raw form, not decoded
    assert reopened.count(Urge) == 5
    assert [u.intensity for u in reopened.records(Urge)] == [0, 1, 2, 3, 4]
    assert "urge" not in index._pending


def test_writes_before_a_kind_is_decoded_are_not_lost(journal, journal_path):
    first = journal.add(Urge(addiction="alcohol", intensity=2))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    reopened.entries()  # load the index, urges still pending
    first.intensity_after = 1
    reopened.update(first)
    reopened.add(Urge(addiction="gambling", intensity=6))
    assert sorted((u.addiction, u.intensity_after) for u in reopened.records(Urge)) == [
        ("alcohol", 1), ("gambling", None)]
    reopened.delete(first.id)
    assert [u.addiction for u in reopened.records(Urge)] == ["gambling"]
    assert reopened.get(first.id) is None


def test_search_before_and_after_decoding_gives_the_same_answer(journal, journal_path):
    texts = ['Said "no" to the pub', "Pubben var full", "Walked PAST the pub", "tea at home",
             'a \\ backslash and "quotes"']
    for text in texts:
        journal.add(Entry(text=text, tags=["kväll"]))
    journal.add(Urge(addiction="alcohol", intensity=3, trigger_note="the pub"))
    journal.lock()
    queries = ["pub", "PUB walked", '"no"', "\\", "kväll", "KVÄLL tea", "text", "mood", "nothing"]
    fresh = {}
    for query in queries:
        with Journal.open(journal_path, PASSPHRASE) as cold:  # entries still undecoded
            fresh[query] = [e.text for e in cold.search(query)]
    with Journal.open(journal_path, PASSPHRASE) as warm:
        warm.entries()  # decode everything first
        for query in queries:
            assert [e.text for e in warm.search(query)] == fresh[query], query
    assert set(fresh["pub"]) == {'Said "no" to the pub', "Pubben var full", "Walked PAST the pub"}
    assert fresh['"no"'] == ['Said "no" to the pub']
    assert fresh["text"] == [] and fresh["mood"] == []  # JSON keys are not content
    assert fresh["KVÄLL tea"] == ["tea at home"]


# ---- the raw prefilter of search ---------------------------------------------------

_LETTERS = "aAbBsSßåÅkK\u212a "  # ASCII, letters that casefold to ASCII, and others


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(alphabet=_LETTERS, max_size=12), max_size=8),
       query=st.text(alphabet=_LETTERS, max_size=6))
def test_the_raw_prefilter_finds_exactly_the_records_holding_every_word(texts, query):
    """Batch scan of ASCII records and casefold of the others together must agree
    with the plain definition: every casefolded word is in the casefolded JSON."""
    pending = [(f"id{i}", to_json(Entry(text=text)))
               for i, text in enumerate(texts)]
    words = query.casefold().split()
    expected = {rid for rid, payload in pending
                if all(w in payload.decode().casefold() for w in words)}
    assert {rid for rid, _ in _raw_candidates(pending, words)} == expected


@pytest.mark.parametrize("text, word", [
    ("line\n\u0301x", "\u0301x"),  # in the JSON "\\n" then the accent folds to "\\ń"
    ("odd\x01byte", "odd\x01byte"),  # JSON writes the control character as an escape
    ('said "no"', '"no"'),
])
def test_the_raw_prefilter_never_drops_a_record_that_holds_the_words(text, word):
    """A search before the journal is decoded finds what one after it finds, also for
    words that the JSON writes differently from the text."""
    from recoveryjournal.record_index import searchable_text
    from recoveryjournal.records import from_json

    pending = [("id0", to_json(Entry(text=text))), ("id1", to_json(Entry(text="other")))]
    words = [word.casefold()]
    holding = {rid for rid, payload in pending
               if all(w in searchable_text(from_json(rid, payload)) for w in words)}
    assert holding == {"id0"}
    assert holding <= {rid for rid, _ in _raw_candidates(pending, words)}


def test_a_polite_worker_waits_while_the_person_types_and_decodes_a_chunk_at_a_time(
        journal, journal_path, monkeypatch):
    from recoveryjournal import record_index

    monkeypatch.setattr(record_index, "_CHUNK", 3)
    monkeypatch.setattr(record_index, "_PAUSE", 0)
    for n in range(8):
        journal.add(Entry(text=f"walked by the sea, day {n}"))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    index = reopened._index()
    typing = [True, True]
    asked = []

    def busy() -> bool:
        asked.append(len(index._by_kind.get("entry", {})))
        return bool(typing) and typing.pop()

    reopened.decode_all(polite=True, busy=busy)
    assert asked[:3] == [0, 0, 0]  # nothing decoded while the person typed
    assert len(asked) >= 5  # asked again between chunks of three
    assert reopened.count(Entry) == 8 and "entry" not in index._pending


def test_search_finds_records_of_a_kind_the_worker_decoded_in_part(journal, journal_path,
                                                                  monkeypatch):
    from recoveryjournal import record_index

    for n in range(6):
        journal.add(Entry(text=f"walked by the sea, day {n}"))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    index = reopened._index()
    monkeypatch.setattr(record_index, "_CHUNK", 2)
    calls = []

    def stop_after_one_chunk() -> bool:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # leave the kind decoded in part
        return False

    try:
        index.decode_all(polite=True, busy=stop_after_one_chunk)
    except KeyboardInterrupt:
        pass
    assert index._pending["entry"] and index._by_kind["entry"]
    assert len(reopened.search("sea")) == 6


# ---- the worker sorts each kind in pieces (record_index._sort_politely) ----------


def _index_of(urges: list[Urge]):
    from recoveryjournal.record_index import RecordIndex

    return RecordIndex({u.id: to_json(u) for u in urges}, report=lambda *a, **k: None)


_ZONES = [timezone.utc, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5))]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3), st.sampled_from(_ZONES)),
                min_size=0, max_size=60),
       st.integers(1, 7))
def test_the_worker_sorts_each_kind_in_pieces_into_the_order_a_reader_would(
        times, piece):
    """Many urges at the same moment (written in other offsets too) and the same
    creation time: the pieces merged give exactly the order of one stable sort."""
    import recoveryjournal.record_index as record_index
    import recoveryjournal.urge_columns as urge_columns

    start = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    urges = [Urge(addiction="alcohol", intensity=n % 11,
                  when=(start + timedelta(hours=hour)).astimezone(zone),
                  created=start + timedelta(days=made), updated=start + timedelta(days=made))
             for n, (hour, made, zone) in enumerate(times)]
    expected = [u.id for u in _index_of(urges).sorted_by_when("urge")]
    index = _index_of(urges)
    old_piece, record_index._SORT_PIECE = record_index._SORT_PIECE, piece
    urge_columns._SORT_PIECE = piece  # the worker holds urges as columns (urge_columns.py)
    try:
        index.decode_all(polite=True)
    finally:
        record_index._SORT_PIECE = urge_columns._SORT_PIECE = old_piece
    held = index._by_kind.get("urge")
    sorted_by_worker = held is not None and held._order is not None  # not on demand
    assert sorted_by_worker == bool(urges)
    assert [u.id for u in index.sorted_by_when("urge")] == expected


def test_a_sort_made_while_an_urge_is_saved_is_not_used():
    from recoveryjournal.record_index import RecordIndex

    at = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    urges = [Urge(addiction="alcohol", intensity=n, when=at + timedelta(minutes=n))
             for n in range(20)]
    index = RecordIndex({u.id: to_json(u) for u in urges}, report=lambda *a, **k: None)
    index.decode_all()
    late = Urge(addiction="alcohol", intensity=9, when=at - timedelta(days=1))

    def person_saves_meanwhile() -> bool:
        if late.id not in index._by_kind["urge"]:
            index.put(late)  # the screen saves while the worker sorts
        return False

    index._sort_politely("urge", person_saves_meanwhile)
    assert "urge" not in index._sorted  # the stale sort was dropped ...
    found = index.sorted_by_when("urge")
    assert found[0].id == late.id and len(found) == 21  # ... and the reader sorts afresh
