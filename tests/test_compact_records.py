"""Decoded records stay small in memory and read back exactly as they were written
(issue 18): no instance dict per record, one tzinfo per UTC offset, one datetime
for an unedited record's created and updated times, no second folded copy of
every entry's text for search."""

from __future__ import annotations

import dataclasses
import tracemalloc
from datetime import datetime, timedelta, timezone

from recoveryjournal import records
from recoveryjournal.journal import Journal
from recoveryjournal.record_index import RecordIndex
from recoveryjournal.records import (
    Checkin, Draft, Entry, ExerciseResponse, Meeting, Mood, Urge, Use, from_json, to_json,
)

from helpers import PASSPHRASE

OSLO = timezone(timedelta(hours=1))
NEW_YORK = timezone(timedelta(hours=-5))


def _fields(record) -> dict:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def _every_kind() -> list[records.Record]:
    at = datetime(2026, 3, 1, 21, 15, 30, 123456, tzinfo=OSLO)
    edited = dict(created=at, updated=at + timedelta(days=2))
    return [
        Entry(text="Walked home past the bar.\nCalled Maria.", mood=4, tags=["hope", "walk"],
              when=at, **edited),
        Entry(text="Quiet day", when=at.astimezone(NEW_YORK), created=at, updated=at),
        Urge(addiction="alcohol", intensity=8, intensity_after=3, minutes=20, trigger="stress",
             trigger_note="long day", place="work", people="alone", feelings=["tired"],
             thought="just one", coping=["walk", "call"], outcome="resisted", when=at,
             created=at, updated=at),
        Urge(addiction="gambling", intensity=2, when=at, created=at, updated=at),
        Use(addiction="alcohol", amount=2.5, unit="drinks", money=None, note="", when=at,
            **edited),
        Checkin(items=[1, 2, 3, 4, 5], when=at, created=at, updated=at),
        Mood(mood=2, when=at, created=at, updated=at),
        Meeting(group="AA Tuesday", note="shared", when=at, created=at, updated=at),
        ExerciseResponse(exercise_id="urge-surfing", exercise_version=2,
                         answers={"peak": 7, "notes": ["a", "b"]}, finished=True, when=at,
                         created=at, updated=at),
        Draft(purpose="entry:new", content={"text": "half a thought"}, when=at, created=at,
              updated=at),
    ]


def test_every_kind_reads_back_field_for_field_as_written():
    for record in _every_kind():
        back = from_json(record.id, to_json(record))
        assert type(back) is type(record)
        assert _fields(back) == _fields(record), record.kind
        for name in ("created", "updated", "when"):  # the same moment and the same offset
            assert getattr(back, name).utcoffset() == getattr(record, name).utcoffset()


def test_decoded_times_share_one_zone_per_offset_and_unedited_times_one_object():
    made = [Urge(addiction="alcohol", intensity=n % 11, when=datetime(2026, 1, 1 + n % 28, 8,
                 tzinfo=OSLO if n % 2 else NEW_YORK), created=datetime(2026, 2, 1, tzinfo=OSLO),
                 updated=datetime(2026, 2, 1, tzinfo=OSLO)) for n in range(40)]
    back = [from_json(u.id, to_json(u)) for u in made]
    assert [_fields(b) for b in back] == [_fields(u) for u in made]
    assert len({id(b.when.tzinfo) for b in back}) == 2
    assert all(b.created is b.updated for b in back)
    edited = made[0]
    edited.updated = datetime(2026, 2, 3, tzinfo=OSLO)
    again = from_json(edited.id, to_json(edited))
    assert again.updated == edited.updated and again.created == edited.created


def test_a_record_cannot_grow_attributes_a_save_would_lose():
    """Records hold their fields only (no instance dict, the cost of a quarter of a
    decoded journal): a misspelt field is an error, not silently dropped at save."""
    urge = from_json(records.new_id(), to_json(Urge(addiction="alcohol", intensity=3)))
    try:
        urge.intensisty = 4  # type: ignore[attr-defined]
    except AttributeError:
        pass
    else:
        raise AssertionError("a misspelt field was accepted")


def test_decoded_urges_and_entries_stay_small_in_memory():
    """What a ten-year journal costs once decoded, per record (issue 18: 120 MB
    for a whole session at 76,500 records). Before: about 1 KB per urge."""
    count = 3000
    at = datetime(2026, 1, 1, 8, tzinfo=OSLO)
    plaintexts = {}
    for n in range(count):
        urge = Urge(addiction="alcohol", intensity=n % 11, trigger="stress", place="home",
                    feelings=["tired"], coping=["walk"], when=at + timedelta(minutes=n),
                    created=at, updated=at)
        plaintexts[urge.id] = to_json(urge)
    index = RecordIndex(plaintexts, report=lambda *a, **k: None)
    del plaintexts
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index.decode_all()
        urges = index.sorted_by_when("urge")
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(urges) == count
    per_urge = (after - before) / count
    # The plaintexts it replaced are freed, not counted. 475 bytes an urge while
    # each held lists of its own (issue 18's last stop), 300 with shared ones.
    assert per_urge < 360, per_urge


def test_urges_naming_the_same_labels_share_one_list_that_cannot_change_in_place():
    at = datetime(2026, 1, 1, 8, tzinfo=OSLO)
    urges = [Urge(addiction="alcohol", intensity=5, feelings=["tired", "alone"],
                  coping=["walk"], trigger_note="payday", when=at, created=at, updated=at)
             for _ in range(3)]
    back = [from_json(u.id, to_json(u)) for u in urges]
    assert back[0].feelings is back[1].feelings is back[2].feelings
    assert back[0].trigger_note is back[1].trigger_note
    assert back[0].feelings == ["tired", "alone"] and isinstance(back[0].feelings, list)
    for change in (lambda f: f.append("x"), lambda f: f.extend(["x"]), lambda f: f.remove("tired"),
                   lambda f: f.pop(), lambda f: f.clear(), lambda f: f.sort(),
                   lambda f: f.insert(0, "x"), lambda f: f.__setitem__(0, "x"),
                   lambda f: f.__delitem__(0), lambda f: f.__iadd__(["x"])):
        try:
            change(back[0].feelings)
        except TypeError:
            pass
        else:
            raise AssertionError("a shared label list was changed in place")
    assert back[1].feelings == ["tired", "alone"]  # the other urges never saw a change
    import copy
    for copied in (list(back[0].feelings), copy.copy(back[0].feelings),
                   copy.deepcopy(back[0].feelings)):
        assert type(copied) is list
        copied.append("hungry")  # a copy is the person's to change
    assert back[2].feelings == ["tired", "alone"]


def test_a_decoded_urge_given_a_new_list_saves_it_and_leaves_the_others_alone(
        journal, journal_path):
    at = datetime(2026, 1, 1, 8, tzinfo=OSLO)
    first = journal.add(Urge(addiction="alcohol", intensity=5, feelings=["tired"], when=at))
    second = journal.add(Urge(addiction="alcohol", intensity=6, feelings=["tired"], when=at))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    one, other = reopened.get(first.id), reopened.get(second.id)
    assert one.feelings is other.feelings
    one.feelings = [*one.feelings, "angry"]
    reopened.update(one)
    reopened.lock()
    again = Journal.open(journal_path, PASSPHRASE)
    assert again.get(first.id).feelings == ["tired", "angry"]
    assert again.get(second.id).feelings == ["tired"]
    again.lock()


# ---- search, with nothing cached beside the records -------------------------------


def test_search_folds_case_and_unicode_forms_before_and_after_decoding(journal, journal_path):
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    journal.add(Entry(text=f"Coffee at the {decomposed} with Maria"))
    journal.add(Entry(text="STRASSE walk", tags=["Kväll"]))
    journal.add(Entry(text="tea at home"))
    journal.lock()
    queries = {composed: 1, decomposed: 1, "CAFÉ maria": 1, "straße": 1, "KVÄLL walk": 1,
               "kvall": 0, "home": 1, "café tea": 0}
    with Journal.open(journal_path, PASSPHRASE) as cold:  # searched undecoded
        found_cold = {q: [e.text for e in cold.search(q)] for q in queries}
    with Journal.open(journal_path, PASSPHRASE) as warm:
        warm.decode_all()
        found_warm = {q: [e.text for e in warm.search(q)] for q in queries}
    assert found_cold == found_warm
    assert {q: len(texts) for q, texts in found_warm.items()} == queries


def test_an_edited_entry_is_found_by_its_new_words_only(journal):
    entry = journal.add(Entry(text="walked by the sea"))
    assert [e.id for e in journal.search("sea")] == [entry.id]
    entry.text = "walked in the forest"
    journal.update(entry)
    assert journal.search("sea") == []
    assert [e.id for e in journal.search("FOREST")] == [entry.id]


def test_a_background_load_reads_the_rows_in_the_thread_that_opens_them(journal, journal_path,
                                                                         monkeypatch):
    """Memory a thread frees goes back to the allocator arena of the thread that
    took it (glibc): rows read in a helper thread and opened in the loading one
    kept the ciphertext of the whole journal beside its plaintext, 60 MB more at
    the peak of the benchmark journal's load (186 MB -> 130 MB)."""
    import threading

    from recoveryjournal.vault.store import Store

    journal.add(Entry(text="walked by the sea"))
    journal.lock()
    readers = []
    original = Store.record_batches

    def spy(self, *args, **kwargs):
        for batch in original(self, *args, **kwargs):
            readers.append(threading.get_ident())
            yield batch

    monkeypatch.setattr(Store, "record_batches", spy)
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        loader = threading.Thread(target=reopened.load_in_background)
        loader.start()
        loader.join()
        assert readers == [loader.ident]
        assert [e.text for e in reopened.entries()] == ["walked by the sea"]


def test_search_reads_past_fields_edited_by_hand_to_hold_other_than_text():
    """A record changed outside the app may hold a number where text belongs; search
    still finds it by its text, and does not stop at it."""
    odd = b'{"kind":"entry","schema":1,"created":"2026-01-01T08:00:00+00:00",' \
          b'"updated":"2026-01-01T08:00:00+00:00","data":{"when":"2026-01-01T08:00:00+00:00",' \
          b'"text":"Walked to the lighthouse","mood":null,"tags":[7,"Hope"]}}'
    plain = to_json(Entry(text="lighthouse again", when=datetime(2026, 1, 2, tzinfo=OSLO)))
    ids = (records.new_id(), records.new_id())
    for decode in (False, True):
        index = RecordIndex({ids[0]: odd, ids[1]: plain}, report=lambda *a, **k: None)
        if decode:
            index.decode_all()
        assert [r.id for r in index.search("entry", ["lighthouse"])] == [ids[1], ids[0]]
        assert [r.id for r in index.search("entry", ["hope", "walked"])] == [ids[0]]


def test_records_come_oldest_first_by_when_then_by_when_they_were_made():
    """The same order at every unlock whatever the order of the rows: by the moment
    (whatever the offset it was written in), ties by the time each was made."""
    noon = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    made = [
        Urge(addiction="alcohol", intensity=1, when=noon, created=noon + timedelta(hours=2),
             updated=noon),
        Urge(addiction="alcohol", intensity=2, when=noon.astimezone(OSLO),
             created=noon + timedelta(hours=1), updated=noon),
        Urge(addiction="alcohol", intensity=3, when=noon - timedelta(seconds=1),
             created=noon + timedelta(hours=3), updated=noon),
        Urge(addiction="alcohol", intensity=4, when=noon.astimezone(NEW_YORK),
             created=noon + timedelta(hours=1, microseconds=1), updated=noon),
    ]
    for order in (made, made[::-1], made[1::2] + made[::2]):
        index = RecordIndex({u.id: to_json(u) for u in order}, report=lambda *a, **k: None)
        assert [u.intensity for u in index.sorted_by_when("urge")] == [3, 2, 4, 1]


def test_a_decoded_journal_is_left_out_of_the_cycle_collectors_passes_until_lock(
        journal, journal_path):
    """After decoding, the cycle collector walked every record again at its next
    passes: the first search after decoding took 250 ms more at 1x, seconds at 10x."""
    import gc

    for n in range(50):
        journal.add(Urge(addiction="alcohol", intensity=n % 11))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    try:
        reopened.decode_all()
        assert gc.get_freeze_count() >= 50
        assert len(reopened.records(Urge)) == 50
    finally:
        reopened.lock()
    assert gc.get_freeze_count() == 0


def test_a_search_reads_the_rows_of_entries_only(journal, journal_path, monkeypatch):
    """At ten times the benchmark journal every row was read to search the entries
    (1 GB of memory, most of the 14 s); now the ids and kind hints, then the
    entries' rows. What it finds is what a full read finds."""
    from recoveryjournal.vault.store import Store

    entries = [journal.add(Entry(text=f"Walked to the lighthouse, day {n}")) for n in range(3)]
    journal.add(Entry(text="tea at home"))
    for n in range(6):
        journal.add(Urge(addiction="alcohol", intensity=n, trigger_note="lighthouse"))
    journal.lock()
    with Journal.open(journal_path, PASSPHRASE) as full:
        expected = [e.id for e in full.search("LIGHTHOUSE walked")]
    assert sorted(expected) == sorted(e.id for e in entries)
    read_by_id: list[str] = []
    original = Store.records_by_id

    def spy(self, ids):
        read_by_id.extend(ids)
        return original(self, ids)

    def refuse(self):
        raise AssertionError("every row was read")

    monkeypatch.setattr(Store, "records_by_id", spy)
    monkeypatch.setattr(Store, "all_records", refuse)
    with Journal.open(journal_path, PASSPHRASE, preload="hints") as searching:
        searching.load(verify=False, check_later=False, kinds=("entry",))
        assert [e.id for e in searching.search("LIGHTHOUSE walked")] == expected
    assert len(read_by_id) == 4  # the four entries; no urge, not the settings


def test_reading_rows_by_id_works_without_sqlites_json_functions(journal, journal_path):
    """Some SQLite builds leave JSON out: the chosen rows are then asked for in parts."""
    import sqlite3

    from recoveryjournal.vault import crypto
    from recoveryjournal.vault.store import Store

    made = [journal.add(Entry(text=f"day {n}")) for n in range(3)]
    journal.lock()
    store = Store.open(journal_path, crypto.FORMAT_VERSION)
    try:
        wanted = [made[0].id, made[2].id, "0" * 32]
        with_json = store.records_by_id(wanted)

        def no_json(action, table, *rest):
            refused = action == sqlite3.SQLITE_READ and table == "json_each"
            return sqlite3.SQLITE_DENY if refused else sqlite3.SQLITE_OK

        store.conn.set_authorizer(no_json)
        without = store.records_by_id(wanted)
    finally:
        store.close()
    assert sorted(row[0] for row in without) == sorted(row[0] for row in with_json) == sorted(
        [made[0].id, made[2].id])
    assert sorted(without) == sorted(with_json)


def test_the_shared_labels_are_let_go_when_the_journal_locks(journal, journal_path):
    """The table of shared label lists holds what people wrote (feelings, coping
    tools, tags): like the records, it is not kept once the journal locks."""
    journal.add(Urge(addiction="alcohol", intensity=5, feelings=["ashamed of it"]))
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    assert reopened.records(Urge)[0].feelings == ["ashamed of it"]
    assert ("ashamed of it",) in records._LABEL_LISTS
    reopened.lock()
    assert ("ashamed of it",) not in records._LABEL_LISTS


def test_a_record_written_without_some_fields_reads_with_their_defaults():
    """An older version, or a hand edit, left fields out: they read as their
    defaults (a list of its own each), by the quick path as by the dataclass."""
    import json

    from recoveryjournal.records import Urge, from_json, to_json

    urge = Urge(addiction="alcohol", intensity=4, thought="just one", feelings=["tired"])
    document = json.loads(to_json(urge))
    for name in ("thought", "feelings", "coping", "minutes"):
        del document["data"][name]
    read = from_json(urge.id, json.dumps(document).encode())
    assert (read.thought, read.feelings, read.coping, read.minutes) == ("", [], [], None)
    assert read.addiction == "alcohol" and read.intensity == 4 and read.when == urge.when
    read.coping.append("walked")  # a list of its own, not a default shared by all
    assert from_json(urge.id, json.dumps(document).encode()).coping == []
