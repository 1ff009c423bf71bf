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
    import recoveryjournal.record_columns as record_columns

    start = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    urges = [Urge(addiction="alcohol", intensity=n % 11,
                  when=(start + timedelta(hours=hour)).astimezone(zone),
                  created=start + timedelta(days=made), updated=start + timedelta(days=made))
             for n, (hour, made, zone) in enumerate(times)]
    expected = [u.id for u in _index_of(urges).sorted_by_when("urge")]
    index = _index_of(urges)
    old_piece, record_index._SORT_PIECE = record_index._SORT_PIECE, piece
    record_columns._SORT_PIECE = piece  # the worker holds urges as columns (record_columns.py)
    try:
        index.decode_all(polite=True)
    finally:
        record_index._SORT_PIECE = record_columns._SORT_PIECE = old_piece
    held = index._by_kind.get("urge")
    sorted_by_worker = held is not None and held._order is not None  # not on demand
    assert sorted_by_worker == bool(urges)
    assert [u.id for u in index.sorted_by_when("urge")] == expected


@pytest.mark.parametrize("held", ["objects", "columns"])
def test_a_sort_made_while_an_urge_is_saved_is_not_used(held):
    """The worker sorts outside the lock; a save meanwhile makes its order stale:
    dropped, and the reader sorts afresh. The same for urges kept as objects and
    for urges held as columns (record_columns.py, as the app's worker holds them)."""
    from recoveryjournal.record_index import RecordIndex

    at = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    urges = [Urge(addiction="alcohol", intensity=n % 11, when=at + timedelta(minutes=n))
             for n in range(20)]
    index = RecordIndex({u.id: to_json(u) for u in urges}, report=lambda *a, **k: None)
    if held == "objects":
        index.decode_all()
    else:
        index.take([], decode=True)
        index._ensure_politely("urge", None)  # decoded as the worker does, not yet sorted
    late = Urge(addiction="alcohol", intensity=9, when=at - timedelta(days=1))

    def person_saves_meanwhile() -> bool:
        if late.id not in index._by_kind["urge"]:
            index.put(late)  # the screen saves while the worker sorts
        return False

    index._sort_politely("urge", person_saves_meanwhile)
    if held == "objects":
        assert "urge" not in index._sorted  # the stale sort was dropped ...
    else:
        assert not index._by_kind["urge"].in_order
    found = index.sorted_by_when("urge")  # ... and the reader sorts afresh
    assert found[0].id == late.id and len(found) == 21
    assert [u.id for u in found[1:]] == [u.id for u in urges]


# ---- every way search answers gives the plain definition's records, in its order ----

# Texts that fold or are written in JSON unlike how they read: case folding that
# changes length ("STRASSE"/"straße", "ﬁ"), accents composed and combining (stored
# as imported, not normalised), a Kelvin sign, Latin-1 letters whose fold leaves
# Latin-1 ("µ" -> "μ"), quotes and backslashes, control characters, newlines and
# "é" that the JSON escapes (a word split across "\n" or "\u00e9"), emoji.
_TRICKY = [
    ("Walked along the STRASSE to the meeting", ["Kväll"]),
    ("Die Straße war leer; I did not drink", []),
    ("Café on the corner, then home", ["fika"]),
    ("Cafe\u0301 with a friend", []),  # e and a combining acute, as imported
    ("The \ufb01rst step: a 5 \u212a run", ["mål"]),  # the "fi" ligature, a Kelvin sign
    ("µ-dose of courage, said \"no\" twice", []),
    ('a \\ backslash and "quotes"', ["\"tag\""]),
    ("line one\nline two\u00e9\ttab", []),
    ("odd\x01byte and a bell\x07", []),
    ("\U0001f600 smiled, \U0001f37a not today", ["\U0001f4aa"]),
    ("Åsa called. ÅSA helped!", ["Stöd"]),
    ("nothing to see here", []),
]
_QUERIES = ["strasse", "STRASSE", "straße", "café", "CAFÉ", "cafe", "first", "\ufb01rst",
            "k run", "5 k", "\u212a", "μ-dose", "µ-dose", '"no"', '"tag"', "\\", 'd "no',
            "one line", "two\u00e9", "twoé", "\u00e9\ttab", "e\u0301", "\x01byte", "byte",
            "\U0001f600", "\U0001f37a not", "\U0001f4aa", "åsa helped", "stöd", "kväll",
            "KVÄLL walked", "the", "e", "o", "home fika", "n", "zzz", "kind", "text"]


def _definition(index, words: list[str]) -> list[str]:
    """The ids the plain definition gives, written out here apart from the module:
    every word in the NFC casefold of the text and tags, newest first in the
    order the journal lists entries (`sorted_by_when`, reversed)."""
    import unicodedata

    def folded(entry: Entry) -> str:
        return unicodedata.normalize("NFC", "\n".join((entry.text, *entry.tags)).casefold())

    return [e.id for e in reversed(index.sorted_by_when("entry"))
            if all(word in folded(e) for word in words)]


def test_each_way_of_searching_gives_the_same_records_in_the_same_order(
        journal, journal_path, monkeypatch):
    """Before decoding (the JSON scanned), after decoding with the entries not yet
    in order and once in order, and from the word index: the same records in the
    same order. Entries share a moment and a creation time, so the order of ties
    is tested as well."""
    from recoveryjournal import record_index
    from recoveryjournal.record_index import fold

    monkeypatch.setattr(record_index, "_RAW_PIECE", 5)  # the JSON scanned in pieces

    moment = datetime(2026, 3, 1, 20, 0, tzinfo=timezone.utc)
    for n, (text, tags) in enumerate(_TRICKY * 3):
        # Three copies of each text: at one moment and created alike (ties all
        # through), at one moment created apart, and an hour apart.
        copy = n // len(_TRICKY)
        when = moment + timedelta(hours=n if copy == 2 else 0)
        created = moment + timedelta(seconds=n if copy == 1 else 0)
        journal.import_record(Entry(text=text, tags=list(tags), when=when, created=created,
                                    updated=created))
    journal.lock()
    queries = [fold(query).split() for query in _QUERIES]

    with Journal.open(journal_path, PASSPHRASE) as cold:
        index = cold._index()
        assert "entry" in index._pending
        before_decoding = [[e.id for e in index.search("entry", words)] for words in queries]
    with Journal.open(journal_path, PASSPHRASE) as warm:
        index = warm._index()
        index.decode_kinds(["entry"])
        assert "entry" not in index._sorted  # the first search of the app's session
        decoded = [[e.id for e in index.search("entry", words)] for words in queries]
        expected = [_definition(index, words) for words in queries]
        in_order = [[e.id for e in index.search("entry", words)] for words in queries]
        assert warm.build_search_index()
        from_the_word_index = [[e.id for e in index.search("entry", words)]
                               for words in queries]
    with Journal.open(journal_path, PASSPHRASE) as worker:  # as the app's worker
        worker.load_in_background()
        index = worker._index()
        assert type(index._by_kind["entry"]).__name__ == "RecordColumns"
        from_the_columns = [[e.id for e in index.search("entry", words)] for words in queries]
    for query, want, *found in zip(_QUERIES, expected, before_decoding, decoded, in_order,
                                   from_the_word_index, from_the_columns):
        assert found == [want] * 5, query
    # The texts were found as a person would expect, not only alike.
    hits = dict(zip(_QUERIES, (len(ids) for ids in expected)))
    assert hits["straße"] == hits["STRASSE"] == 6  # "STRASSE" and "Straße", thrice each
    assert hits["café"] == 6 and hits["cafe"] == 0  # "Café" and "Cafe\u0301" alike
    assert hits["first"] == hits["k run"] == hits["µ-dose"] == hits["μ-dose"] == 3
    assert hits["twoé"] == hits["\u00e9\ttab"] == hits['"tag"'] == hits["\U0001f4aa"] == 3
    assert hits["kind"] == hits["text"] == 0  # the JSON keys are not the text
    assert hits["åsa helped"] == 3 and hits["KVÄLL walked"] == 3


_FOLDING = ("aAzZ09 .\"\\\n\tßẞµÿÅåÉéÆÐØÞ×\x85\xa0eE\u0301\u0308\u0327\u212a\u212b"
            "ﬁİıΣσςǅ\u1100\u1161\u11a8가\u2019\U0001f600\x00")


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=_FOLDING, max_size=16) | st.text(max_size=16))
def test_fold_is_the_nfc_of_the_casefold(text):
    """fold's short cuts (ASCII lowered, Latin-1 left as casefold leaves it) give
    what the definition gives."""
    import unicodedata

    from recoveryjournal.record_index import fold

    assert fold(text) == unicodedata.normalize("NFC", text.casefold())


def test_fold_of_each_latin1_character_is_the_definition():
    """fold's byte table, one Latin-1 character at a time, alone and among others."""
    import unicodedata

    from recoveryjournal.record_index import fold

    for n in range(256):
        for text in (chr(n), f"Å{chr(n)}x", chr(n) * 3 + "\u0301", f"é{chr(n)}\u2019"):
            assert fold(text) == unicodedata.normalize("NFC", text.casefold()), (n, text)


def test_casefolded_latin1_text_is_already_in_nfc():
    """What lets fold skip the NFC step for Latin-1: no Latin-1 character is changed
    by NFC, alone or beside any other (every pair tried)."""
    import unicodedata

    latin1 = [chr(n) for n in range(256)]
    assert all(unicodedata.is_normalized("NFC", a + b) for a in latin1 for b in latin1)
