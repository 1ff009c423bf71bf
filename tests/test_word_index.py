"""The word index search uses in the app: always the same answer, in the same order,
as the plain definition (every query word inside the folded text), whatever was
written, edited or deleted after it was built."""

from __future__ import annotations

import gc
import weakref
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoveryjournal import word_index
from recoveryjournal.journal import Journal
from recoveryjournal.record_index import RecordIndex, fold, searchable_text
from recoveryjournal.records import Entry, Urge
from recoveryjournal.vault import polite

from helpers import PASSPHRASE

# Letters that fold to others ("ß" -> "ss", "K" -> "k", the Kelvin sign -> "k"), a
# combining accent (NFC joins it to the letter before), digits, the underscore,
# punctuation and apostrophes (inside tokens), spaces and a newline (between
# tokens, and between an entry's text and its tags), a no-break space (not
# between tokens, but between query words).
_LETTERS = "aAbsSßåÅkK\u212ae\u0301é0_9'’.-— \n\u00a0"
_START = datetime(2026, 1, 1, tzinfo=timezone.utc)

texts = st.text(alphabet=_LETTERS, max_size=14)
# Few distinct times, so that ties in `when` and in `created` are common.
moments = st.integers(min_value=0, max_value=3).map(lambda n: _START + timedelta(days=n))
queries = st.text(alphabet=_LETTERS, max_size=6)


def an_entry(text: str, tags: list[str], when: datetime, created: datetime) -> Entry:
    return Entry(text=text, tags=tags, when=when, created=created)


entries = st.builds(an_entry, texts, st.lists(texts, max_size=2), moments, moments)


# Pages of a few slots, so that small examples span several (see word_index._PAGE).
pages = st.sampled_from([3, 4, word_index._PAGE])


def an_index(records: list[Entry]) -> RecordIndex:
    index = RecordIndex({}, report=lambda *args, **values: None)
    for record in records:
        index.put(record)
    return index


def plain_search(index: RecordIndex, query: str) -> list:
    """The definition: newest first as listed, every word inside the folded text."""
    words = fold(query).split()
    return [record for record in reversed(index.sorted_by_when("entry"))
            if all(word in searchable_text(record) for word in words)]


def indexed_search(index: RecordIndex, query: str) -> list:
    words = fold(query).split()
    assert index._words is not None  # the index answers, not the scan
    found = index._words.search(words)
    return index.search("entry", words) if found is None else found


def same(found: list, expected: list) -> bool:
    """The same records (the very objects) in the same order."""
    return len(found) == len(expected) and all(a is b for a, b in zip(found, expected))


@settings(max_examples=300, deadline=None)
@given(records=st.lists(entries, max_size=12), query=queries, page=pages)
def test_the_index_finds_exactly_what_the_definition_finds_in_the_same_order(records, query,
                                                                             page):
    index = an_index(records)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(word_index, "_PAGE", page)
        assert index.build_words("entry")
    assert same(indexed_search(index, query), plain_search(index, query))


# One change to the records after the index is built: (what, which record, new entry).
changes = st.tuples(st.sampled_from(["add", "edit", "edit in place", "delete", "to an urge"]),
                    st.integers(min_value=0, max_value=30), entries)


def apply(index: RecordIndex, records: list[Entry], change) -> None:
    what, which, new = change
    if what == "add" or not records:
        records.append(new)
        index.put(new)
        return
    old = records[which % len(records)]
    if what == "edit":  # a new object with the same id, as a record read again
        new.id = old.id
        records[records.index(old)] = new
        index.put(new)
    elif what == "edit in place":  # a screen changes the record, then saves it
        old.text, old.tags, old.when = new.text, new.tags, new.when
        index.put(old)
    elif what == "delete":
        records.remove(old)
        index.remove(old.id)
    else:  # the id now holds another kind of record (an outside edit)
        records.remove(old)
        index.put(Urge(id=old.id, addiction="alcohol", intensity=3, trigger=old.text))


@settings(max_examples=200, deadline=None)
@given(records=st.lists(entries, max_size=10), steps=st.lists(changes, max_size=10),
       query=queries, page=pages)
def test_the_index_follows_adds_edits_and_deletes(records, steps, query, page):
    index = an_index(records)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(word_index, "_PAGE", page)
        assert index.build_words("entry")
    for change in steps:
        apply(index, records, change)
        assert index._words is not None
        assert same(indexed_search(index, query), plain_search(index, query))


def same_entries(found: list, expected: list) -> bool:
    """The same entries, as saved, in the same order (entries held as columns are
    built as they are read: equal, never the same objects)."""
    def seen(entry: Entry) -> tuple:
        return entry.id, entry.text, tuple(entry.tags), entry.when, entry.created
    return [seen(e) for e in found] == [seen(e) for e in expected]


@settings(max_examples=200, deadline=None)
@given(records=st.lists(entries, max_size=10), steps=st.lists(changes, max_size=10),
       query=queries, page=pages)
def test_the_index_of_entries_held_as_columns_follows_adds_edits_and_deletes(
        records, steps, query, page):
    """As the app's worker holds them (record_columns.py): the index lists no entry
    of its own, and answers as the definition does after any change."""
    index = an_index(records)
    assert index._pack("entry") == bool(records)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(word_index, "_PAGE", page)
        assert index.build_words("entry")
    for change in [None, *steps]:
        if change is not None:
            apply(index, records, change)
        assert index._words is not None
        assert same_entries(indexed_search(index, query), plain_search(index, query))


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # the same patch for all
@given(records=st.lists(entries, min_size=1, max_size=10),
       steps=st.lists(changes, min_size=1, max_size=6), query=queries)
def test_writes_while_the_index_is_built_are_laid_over_it(records, steps, query, monkeypatch):
    """The worker builds without holding the index's lock; a save meanwhile (here:
    made when the build looks whether the person types) must not be missed."""
    monkeypatch.setattr(word_index, "_EVERY", 1)
    index = an_index(records)
    pending = list(steps)

    def busy() -> bool:
        if pending:
            apply(index, records, pending.pop())
        return False

    assert index.build_words("entry", busy=busy)
    assert same(indexed_search(index, query), plain_search(index, query))


def test_words_with_punctuation_are_found_as_written():
    kept = [Entry(text="I don't drink today"), Entry(text="don t"),
            Entry(text="the lake. Calm"), Entry(text="lakeside")]
    index = an_index(kept)
    index.build_words("entry")
    assert [e.text for e in indexed_search(index, "DON'T")] == ["I don't drink today"]
    assert [e.text for e in indexed_search(index, "lake.")] == ["the lake. Calm"]
    assert {e.text for e in indexed_search(index, "lake")} == {"the lake. Calm", "lakeside"}


def test_common_and_rare_words_are_found_together():
    """Common words are kept as bitmaps, rare ones as lists: a search mixing both
    (and a word inside both kinds of token) finds the same as the definition."""
    kept = [Entry(text=f"walked home {n}", when=_START + timedelta(hours=n)) for n in range(200)]
    kept[7].text += " lighthouse"
    kept[150].text += " lighthouses"
    index = an_index(kept)
    index.build_words("entry")
    words = index._words
    assert words._common and len(words._pages[0][0])  # both kinds are there
    for query in ("walked lighthouse", "house", "home 1", "15", "ed"):
        assert same(indexed_search(index, query), plain_search(index, query))
    assert [e.text for e in indexed_search(index, "walked lighthouse")] == [
        "walked home 150 lighthouses", "walked home 7 lighthouse"]


def test_after_many_writes_the_index_steps_aside_and_is_built_again(journal, monkeypatch):
    monkeypatch.setattr(word_index.WordIndex, "stale",
                        property(lambda self: len(self._saved_since) > 3))
    for n in range(5):
        journal.add(Entry(text=f"day {n} by the sea"))
    journal.load()  # the app's worker reads everything first
    assert journal.build_search_index()
    assert not journal.search_index_wanted
    for n in range(4):
        journal.add(Entry(text=f"later day {n} by the sea"))
    assert journal.search_index_wanted  # the app's worker builds it again
    assert len(journal.search("sea")) == 9  # meanwhile the records are scanned
    assert journal.build_search_index()
    assert journal._index_._words is not None
    assert len(journal.search("sea")) == 9


def test_an_edited_entry_is_found_by_its_new_words_only(journal):
    entry = journal.add(Entry(text="called my sponsor"))
    journal.add(Entry(text="went for a run"))
    journal.load()  # the app's worker reads everything first
    journal.build_search_index()
    entry.text = "went to a meeting"
    journal.update(entry)
    assert journal.search("sponsor") == []
    # newest first by `when`: the edit keeps the older entry's place
    assert [e.text for e in journal.search("went")] == ["went for a run", "went to a meeting"]
    journal.delete(entry)
    assert [e.text for e in journal.search("went")] == ["went for a run"]


def test_lock_drops_the_index(journal):
    journal.add(Entry(text="a private thought"))
    journal.load()  # the app's worker reads everything first
    journal.build_search_index()
    held = weakref.ref(journal._index_._words)
    journal.lock()
    gc.collect()
    assert held() is None


def test_a_build_abandoned_when_the_journal_locks_keeps_nothing(journal, journal_path,
                                                                monkeypatch):
    monkeypatch.setattr(word_index, "_EVERY", 1)
    for n in range(3):
        journal.add(Entry(text=f"entry {n}"))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    index = reopened._index()

    def lock_while_building() -> bool:
        reopened.lock()
        return False

    assert not index.build_words("entry", busy=lock_while_building,
                                 stop=lambda: reopened.is_locked)
    assert index._words is None


def test_the_build_waits_while_the_person_types(journal, monkeypatch):
    monkeypatch.setattr(word_index, "_EVERY", 2)
    monkeypatch.setattr(polite, "pause", lambda seconds: None)
    for n in range(6):
        journal.add(Entry(text=f"entry {n}"))
    typing = [True, True, True]
    asked = []

    def busy() -> bool:
        asked.append(1)
        return bool(typing) and typing.pop()

    journal.load()  # the app's worker reads everything first
    assert journal.build_search_index(busy=busy)
    assert len(asked) >= 3 + 3  # three waits, then a look every two entries
    assert len(journal.search("entry")) == 6


def test_an_edited_entry_keeps_its_place_among_entries_of_the_same_moment():
    """Entries of the same `when` and `created` (an import) are listed in the order
    they were read; an edit keeps its entry's place, as the plain listing does."""
    first, second = (Entry(text=f"same moment {n}", when=_START, created=_START)
                     for n in range(2))
    index = an_index([first, second])
    index.build_words("entry")
    index.put(Entry(id=first.id, text="same moment, edited", when=_START, created=_START))
    assert same(indexed_search(index, "same"), plain_search(index, "same"))
    assert [e.text for e in indexed_search(index, "same")] == [
        "same moment 1", "same moment, edited"]


def test_a_build_that_fails_is_not_tried_again_and_again(journal):
    """An entry whose time cannot be compared with the others (edited by hand) must
    not have the app's timer start a failing build every two seconds."""
    journal.add(Entry(text="aware of its offset"))
    journal._index().put(Entry(text="naive", when=datetime(2026, 1, 1)))
    with pytest.raises(TypeError):
        journal.build_search_index()
    assert not journal.search_index_wanted


def test_entries_read_again_are_decoded_a_chunk_at_a_time_for_the_index(journal, journal_path,
                                                                        monkeypatch):
    """After the records are read again (accepting outside changes) the entries wait
    undecoded; the worker building the index decodes them giving way to the person,
    not all at once under the index's lock (seconds at ten times the benchmark)."""
    from recoveryjournal import record_index

    monkeypatch.setattr(record_index, "_CHUNK", 2)
    for n in range(6):
        journal.add(Entry(text=f"day {n}"))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    index = reopened._index()
    assert "entry" in index._pending
    decoded_when_asked = []

    def busy() -> bool:
        decoded_when_asked.append(len(index._by_kind.get("entry", {})))
        return False

    assert reopened.build_search_index(busy=busy)
    assert decoded_when_asked[:3] == [0, 2, 4]
    assert len(reopened.search("day")) == 6


def test_the_index_is_built_from_what_is_read_and_reads_nothing_itself(journal):
    """The dashboard is drawn from the summary before anything is read; building the
    index must not read every record behind its back."""
    journal.add(Entry(text="walked by the sea"))
    assert not journal.build_search_index()
    assert journal._index_ is None
