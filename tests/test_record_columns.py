"""Urges and entries held as columns (record_columns.py): every urge reads back exactly as it was
saved, in the same order, after any sequence of saves and deletes, and the app's
worker holds them that way."""

from __future__ import annotations

import dataclasses
import tracemalloc
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoveryjournal.journal import Journal
from recoveryjournal.record_index import RecordIndex
from recoveryjournal.records import (Checkin, Entry, ExerciseResponse, Meeting, Urge, Use,
                                 from_json, to_json)
from recoveryjournal.record_columns import InTimeOrder, RecordColumns
from recoveryjournal.vault.vault import Versions

from helpers import PASSPHRASE

_START = datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)  # a summer-time night
_ZONES = [timezone.utc, timezone(timedelta(hours=1)), timezone(timedelta(hours=2), "CEST"),
          timezone(timedelta(hours=-5, minutes=-30))]
_WORDS = ["", "stress", "Stress", "home", "Maria", "maria", "just one won't hurt", "ÅÄÖ æøå", "line\nbreak",
          "\x1b[31mred", "😀"]


def _moments():
    return st.builds(lambda minutes, zone: (_START + timedelta(minutes=minutes)).astimezone(zone),
                     st.integers(-10**7, 10**6), st.sampled_from(_ZONES))


def _urges():
    return st.builds(
        Urge,
        when=_moments(), created=_moments(), updated=_moments(),
        addiction=st.sampled_from(["alcohol", "gambling", "Alcohol ", "cannabis"]),
        intensity=st.integers(0, 10), intensity_after=st.none() | st.integers(0, 10),
        minutes=st.none() | st.integers(0, 24 * 60),
        trigger=st.sampled_from(_WORDS), trigger_note=st.sampled_from(_WORDS),
        place=st.sampled_from(_WORDS), people=st.sampled_from(_WORDS),
        feelings=st.lists(st.sampled_from(_WORDS[1:]), max_size=3),
        thought=st.sampled_from(_WORDS),
        coping=st.lists(st.sampled_from(_WORDS[1:]), max_size=3),
        outcome=st.sampled_from(["resisted", "acted"]))


def _as_read(urge: Urge) -> Urge:
    """The urge as a journal reads it back from its JSON (shared label lists)."""
    return from_json(urge.id, to_json(urge))


def _same(read: Urge, saved: Urge) -> bool:
    """Equal field by field, and every time in the same offset (as shown)."""
    return read == saved and all(
        getattr(read, name).utcoffset() == getattr(saved, name).utcoffset()
        and getattr(read, name).isoformat() == getattr(saved, name).isoformat()
        for name in ("when", "created", "updated"))


def _in_time_order(urges: list[Urge]) -> list[Urge]:
    found = sorted(urges, key=lambda u: u.created)
    found.sort(key=lambda u: u.when)
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(_urges(), max_size=25), st.lists(st.tuples(
    st.sampled_from(["save new", "save again", "delete"]), st.integers(0, 10**6), _urges()),
    max_size=20))
def test_urges_read_back_as_saved_after_any_saves_and_deletes(urges, changes):
    """A dict by id and a list in time order are the model: after packing and any
    sequence of saves (new urges, new versions of saved ones) and deletes, the
    columns give the same urges, field by field and offset by offset, in the same
    order; a list taken before a change reads as it was."""
    model = {u.id: _as_read(u) for u in urges}
    columns = RecordColumns.pack(Urge, _in_time_order(list(model.values())))
    assert columns is not None
    for action, pick, urge in changes:
        before = columns.in_time_order()
        expected_before = _in_time_order(list(model.values()))
        ids = list(model)
        if action == "save new" or not ids:
            urge = _as_read(urge)
        else:
            urge = dataclasses.replace(_as_read(urge), id=ids[pick % len(ids)])
        if action == "delete" and ids:
            gone = ids[pick % len(ids)]
            assert _same(columns.pop(gone), model.pop(gone))
            assert gone not in columns and columns.get(gone) is None
        else:
            columns[urge.id] = urge
            # A saved urge goes after those of exactly the same time (to the
            # microsecond), as a new one does: the model moves it to the end.
            model.pop(urge.id, None)
            model[urge.id] = urge
        assert len(before) == len(expected_before)
        assert all(_same(a, b) for a, b in zip(before, expected_before))
    listed = columns.in_time_order()
    expected = _in_time_order(list(model.values()))
    assert len(listed) == len(columns) == len(expected)
    assert all(_same(a, b) for a, b in zip(listed, expected))
    assert [u.id for u in reversed(listed)] == [u.id for u in reversed(expected)]
    for record_id, urge in model.items():
        assert record_id in columns and _same(columns[record_id], urge)


def test_an_urge_the_columns_cannot_hold_exactly_keeps_its_object():
    """Edited by hand: an id in capitals, a number that is not a whole number,
    a label that is not text. Each reads back as it was."""
    odd = [Urge(id="A" * 32, addiction="alcohol", intensity=3, when=_START),
           Urge(addiction="alcohol", intensity="7", when=_START),  # type: ignore[arg-type]
           Urge(addiction="alcohol", intensity=2, minutes=1 << 40, when=_START),
           Urge(addiction="alcohol", intensity=2, feelings=[1, 2], when=_START),  # type: ignore[list-item]
           Urge(id="settings-like", addiction="alcohol", intensity=2, when=_START)]
    plain = Urge(addiction="gambling", intensity=9, when=_START - timedelta(days=1))
    columns = RecordColumns.pack(Urge, _in_time_order([*odd, plain]))
    assert columns is not None
    for urge in [*odd, plain]:
        assert _same(columns[urge.id], urge)
    assert [u.id for u in columns.in_time_order()] == [plain.id] + [u.id for u in odd]
    assert columns.pop("A" * 32).id == "A" * 32 and "A" * 32 not in columns


def test_a_time_without_an_offset_is_not_packed():
    naive = Urge(addiction="alcohol", intensity=3, when=datetime(2026, 1, 1, 12))
    assert RecordColumns.pack(Urge, [naive]) is None


def test_the_worker_holds_urges_as_columns_and_the_journal_reads_them_as_before(
        journal, journal_path):
    at = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    saved = [journal.add(Urge(addiction="alcohol" if n % 3 else "gambling", intensity=n % 11,
                              feelings=["tired"] if n % 2 else [], trigger_note=f"note {n % 4}",
                              when=at + timedelta(hours=n)))
             for n in range(40)]
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    reopened.load(verify=False, background=True)
    reopened.decode_all(polite=True)  # as the app's worker
    held = reopened._index()._by_kind["urge"]
    assert isinstance(held, RecordColumns)
    listed = reopened.records(Urge)
    assert isinstance(listed, InTimeOrder)
    assert [u.id for u in listed] == [u.id for u in saved]
    assert all(_same(a, b) for a, b in zip(listed, saved))
    # A save and a delete afterwards: the journal, and the file, say so.
    edited = dataclasses.replace(listed[5], intensity=1, thought="it passed")
    reopened.update(edited)
    reopened.delete(saved[7].id)
    early = reopened.add(Urge(addiction="alcohol", intensity=4, when=at - timedelta(days=1)))
    assert reopened.get(edited.id).thought == "it passed"
    assert reopened.get(saved[7].id) is None
    assert reopened.records(Urge)[0].id == early.id and reopened.count(Urge) == 40
    assert len(listed) == 40 and listed[5].thought == ""  # taken before: as it was
    assert reopened.check_summary() == []
    reopened.lock()
    again = Journal.open(journal_path, PASSPHRASE)
    assert again.get(edited.id).thought == "it passed" and again.count(Urge) == 40


def test_a_time_without_an_offset_saved_later_turns_the_urges_back_into_objects():
    at = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    urges = [Urge(addiction="alcohol", intensity=n, when=at + timedelta(minutes=n))
             for n in range(5)]
    index = RecordIndex({u.id: to_json(u) for u in urges}, report=lambda *a, **k: None)
    index.decode_all(polite=True)
    assert isinstance(index._by_kind["urge"], RecordColumns)
    naive = Urge(addiction="alcohol", intensity=9, when=datetime(2026, 5, 1, 11),
                 created=datetime(2026, 5, 1, 11), updated=datetime(2026, 5, 1, 11))
    index.put(naive)
    held = index._by_kind["urge"]
    assert isinstance(held, dict) and len(held) == 6
    assert all(_same(index.get(u.id), _as_read(u)) for u in urges)
    assert index.get(naive.id) is naive


def test_an_urge_takes_a_fraction_of_the_memory_of_its_object():
    """What the columns are for: at ten times the benchmark journal (500,000
    urges) objects took ~400 bytes an urge with the dict by id; columns under 150."""
    at = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    urges = [_as_read(Urge(addiction=("alcohol", "gambling")[n % 2], intensity=n % 11,
                           intensity_after=n % 5 or None, minutes=n % 90,
                           trigger=("stress", "people", "boredom")[n % 3],
                           trigger_note=("saw an advert", "")[n % 2], place="home",
                           people="alone", feelings=["tired"], coping=["walked"],
                           when=at + timedelta(minutes=n)))
             for n in range(20_000)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        columns = RecordColumns.pack(Urge, urges)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert columns is not None and len(columns) == 20_000
    assert held / 20_000 < 150, held / 20_000


def test_versions_keep_ids_as_bytes_and_give_every_id_back():
    ids = ["0123456789abcdef" * 2, "settings", "ABCDEF0123456789" * 2, "fedcba9876543210" * 2,
           "not hex at all but thirty-two ch"]
    versions = Versions(ids, b"".join(bytes([n]) * 12 for n in range(len(ids))), 12)
    assert versions.as_dict() == {record_id: bytes([n]) * 12 for n, record_id in enumerate(ids)}


@settings(max_examples=60, deadline=None)
@given(st.lists(_urges(), max_size=30), st.sampled_from([None, "alcohol", "ALCOHOL", "cannabis"]),
       st.none() | st.integers(0, 11), st.integers(0, 3))
def test_choosing_urges_in_the_columns_gives_what_a_pass_over_the_objects_gives(
        urges, addiction, at_least, odd):
    """`insights.urges_matching`: the same urges in the same order from the columns
    (where no urge is built to test it) as from a list of objects, with urges
    kept as objects (edited by hand) among them."""
    from recoveryjournal.insights import urges_matching

    saved = [_as_read(u) for u in urges]
    hand_edited = [{"minutes": 1 << 40}, {"intensity": -200}, {"intensity": True}]
    for n in range(min(odd, len(saved))):  # kept as their objects
        saved[n] = dataclasses.replace(saved[n], **hand_edited[n])
    ordered = _in_time_order(saved)
    columns = RecordColumns.pack(Urge, ordered)
    assert columns is not None
    found = urges_matching(columns.in_time_order(), addiction, at_least)
    assert isinstance(found, InTimeOrder)
    expected = urges_matching(ordered, addiction, at_least)
    assert [u.id for u in found] == [u.id for u in expected]


def test_an_urge_kept_as_its_object_is_chosen_by_its_own_values():
    """Its columns hold stand-ins (0, the first label): the object decides."""
    from recoveryjournal.insights import urges_matching

    plain = Urge(addiction="alcohol", intensity=0, when=_START)
    below = Urge(addiction="alcohol", intensity=-200, when=_START + timedelta(hours=1))
    above = Urge(addiction="alcohol", intensity=300, when=_START + timedelta(hours=2))
    columns = RecordColumns.pack(Urge, [plain, below, above])
    assert columns is not None
    found = urges_matching(columns.in_time_order(), "alcohol", 0)
    assert [u.id for u in found] == [plain.id, above.id]
    assert [u.id for u in urges_matching(columns.in_time_order(), None, 5)] == [above.id]


@settings(max_examples=60, deadline=None)
@given(st.lists(_urges(), max_size=30), st.integers(0, 2))
def test_earlier_answers_from_the_columns_are_those_from_the_urges(urges, odd):
    """"Urge now" offers the person's own earlier answers: counted in the columns
    (no urge built), the same answers in the same order as counted urge by urge,
    the first spelling of each kept."""
    from recoveryjournal.insights import earlier_answers

    saved = _in_time_order([_as_read(u) for u in urges])
    for n in range(min(odd, len(saved))):
        saved[n] = dataclasses.replace(saved[n], minutes=1 << 40)  # kept as its object
    columns = RecordColumns.pack(Urge, saved)
    assert columns is not None
    assert earlier_answers(columns.in_time_order()) == earlier_answers(saved)


def test_earlier_answers_used_as_often_come_last_used_first():
    """Two answers each given three times: the one given last comes first, though
    it was also written another way ("Stress") that was last given earlier."""
    from recoveryjournal.insights import earlier_answers

    triggers = ["stress", "Stress", "home", "home", "home", "stress"]
    saved = [_as_read(Urge(addiction="alcohol", intensity=5, trigger=trigger,
                           when=_START + timedelta(hours=n)))
             for n, trigger in enumerate(triggers)]
    columns = RecordColumns.pack(Urge, saved)
    assert columns is not None
    assert earlier_answers(columns.in_time_order())["trigger"] == ["stress", "home"]
    assert earlier_answers(saved)["trigger"] == ["stress", "home"]


def test_more_distinct_answers_than_two_bytes_number_still_read_back(monkeypatch):
    """Past 65,536 distinct texts (here past 4) the columns widen; a list taken
    before reads as it was, and every urge reads back as saved."""
    import recoveryjournal.record_columns as record_columns

    monkeypatch.setattr(record_columns, "_NARROW_VALUES", 4)
    urges = [_as_read(Urge(addiction="alcohol", intensity=n % 11, trigger_note=f"note {n}",
                           when=_START + timedelta(minutes=n))) for n in range(3)]
    columns = RecordColumns.pack(Urge, urges)
    assert columns is not None
    before = columns.in_time_order()
    more = [_as_read(Urge(addiction="gambling", intensity=1, trigger_note=f"later {n}",
                          when=_START - timedelta(minutes=n))) for n in range(1, 6)]
    for urge in more:
        columns[urge.id] = urge
    assert columns._labels["trigger_note"].typecode == "I"
    assert all(_same(a, b) for a, b in zip(before, urges)) and len(before) == 3
    assert all(_same(a, b) for a, b in zip(columns.in_time_order(), [*reversed(more), *urges]))


def _times(cls, **fields):
    return st.builds(cls, when=_moments(), created=_moments(), updated=_moments(), **fields)


_ANSWER = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6)
    | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(_WORDS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_WORDS), inner,
                                                                  max_size=3),
    max_leaves=6)
_KINDS = {
    "entry": _times(Entry, text=st.text(min_size=1, max_size=40), mood=st.none() | st.integers(1, 5),
                    tags=st.lists(st.sampled_from(_WORDS[1:]), max_size=3)),
    "use": _times(Use, addiction=st.sampled_from(["alcohol", "gambling"]),
                  amount=st.none() | st.integers(0, 10**9) | st.floats(0, 1e9),
                  unit=st.sampled_from(_WORDS), money=st.none() | st.integers(0, 10**6)
                  | st.floats(0, 1e6), minutes=st.none() | st.integers(0, 7 * 24 * 60),
                  note=st.sampled_from(_WORDS)),
    "checkin": _times(Checkin, items=st.lists(st.integers(0, 5), min_size=5, max_size=5)),
    "meeting": _times(Meeting, group=st.sampled_from(_WORDS), note=st.sampled_from(_WORDS)),
    "exercise": _times(ExerciseResponse, exercise_id=st.sampled_from(["urge-surfing", "safety-plan"]),
                       exercise_version=st.integers(1, 3),
                       answers=st.dictionaries(st.sampled_from(_WORDS), _ANSWER, max_size=4),
                       finished=st.booleans()),
}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(_KINDS)).flatmap(
    lambda kind: st.lists(_KINDS[kind], max_size=12)))
def test_every_kind_held_as_columns_reads_back_as_saved(saved):
    """Entries, uses, check-ins, meetings and exercise answers: each reads back as
    written, whole numbers as whole numbers and fractions as fractions, the
    answers as a new dict and a check-in's answers as a list of its own."""
    if not saved:
        return
    read = _in_time_order([from_json(r.id, to_json(r)) for r in saved])
    columns = RecordColumns.pack(type(read[0]), read)
    assert columns is not None and not columns._odd
    listed = columns.in_time_order()
    assert [repr(r) for r in listed] == [repr(r) for r in read]
    assert all(_same(a, b) for a, b in zip(listed, read))
    again = listed[0]
    if isinstance(again, Checkin):
        again.items[0] = 5  # a list of its own: the next read is as saved
        assert listed[0].items == read[0].items
    if isinstance(again, ExerciseResponse):
        again.answers["added"] = 1
        assert listed[0].answers == read[0].answers


def test_a_value_the_columns_cannot_hold_keeps_its_object():
    odd = [Use(addiction="alcohol", amount=float("nan"), when=_START),
           Use(addiction="alcohol", amount=True, when=_START),  # type: ignore[arg-type]
           ExerciseResponse(exercise_id="x", answers={"when": _START}, when=_START),
           ExerciseResponse(exercise_id="x", answers={"pair": (1, 2)}, when=_START),
           ExerciseResponse(exercise_id="x", finished=1, when=_START),  # type: ignore[arg-type]
           Checkin(items=[1, 2, "3", 4, 5], when=_START)]  # type: ignore[list-item]
    for record in odd:
        columns = RecordColumns.pack(type(record), [record])
        assert columns is not None and columns._odd
        assert columns.get(record.id) is record


def test_entries_held_as_columns_let_go_of_their_texts_and_read_them_back(journal):
    """As in the app: the worker holds the entries as columns and lets go of their
    texts once search has its index; an entry saved after reads as typed, one
    read back for a search holds its text, and every entry reads as saved."""
    first = journal.add(Entry(text="walked by the sea", tags=["calm"]))
    second = journal.add(Entry(text="called my sponsor"))
    journal.decode_all(polite=True)
    held = journal._index()._by_kind["entry"]
    assert isinstance(held, RecordColumns)
    assert journal.build_search_index() and journal.leave_entry_texts_on_disk() == 2
    assert held._texts._blob is None  # every text in it waits on disk: the string went
    later = journal.add(Entry(text="a quiet evening", tags=["calm"]))
    journal.update(dataclasses.replace(journal.get(second.id), text="called my sponsor again"))
    assert sorted(journal._index().entries_without_text()) == [first.id]
    journal._index().hold_texts(next(journal._entries_read_back([first.id])).values())
    assert journal._index().entries_without_text() == []
    assert [(e.id, e.text) for e in journal.records(Entry)] == [
        (first.id, "walked by the sea"), (second.id, "called my sponsor again"),
        (later.id, "a quiet evening")]
    assert [e.id for e in journal.search("calm")] == [later.id, first.id]


_ASCII = st.text(alphabet="abAB c.\n", max_size=12)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # the same patch for all
@given(texts=st.lists(st.tuples(st.text(alphabet="abAB c.\n", min_size=1, max_size=12),
                                st.lists(_ASCII, max_size=2)), min_size=1, max_size=12),
       query=st.text(alphabet="abAB c.", max_size=5), piece=st.integers(1, 30),
       later=st.lists(st.tuples(st.integers(0, 11), st.text(alphabet="ab c", min_size=1,
                                                                max_size=8)), max_size=3))
def test_a_search_over_columns_looks_first_in_the_texts_string_and_misses_nothing(
        texts, query, piece, later, monkeypatch):
    """Before the word index, a search over entries held as columns first looks for
    the words in the texts string a few bytes at a time (here pieces of `piece`
    bytes, so words lie across pieces and entries) and in the tags; it finds
    what the plain definition finds, in the same order, also after edits."""
    import unicodedata

    import recoveryjournal.record_columns as record_columns
    from recoveryjournal.record_index import RecordIndex, fold

    monkeypatch.setattr(record_columns, "_SCAN", piece)
    saved = [Entry(text=text, tags=tags, when=_START + timedelta(minutes=n % 4))
             for n, (text, tags) in enumerate(texts)]
    index = RecordIndex({e.id: to_json(e) for e in saved}, report=lambda *a, **k: None)
    index.decode_all(polite=True)  # as the app's worker: columns, texts in one string
    assert isinstance(index._by_kind["entry"], RecordColumns)
    for which, text in later:  # saved after: kept apart from the string
        index.put(dataclasses.replace(saved[which % len(saved)], text=text))
    words = fold(query).split()

    def folded(entry: Entry) -> str:
        return unicodedata.normalize("NFC", "\n".join((entry.text, *entry.tags)).casefold())

    expected = [e.id for e in reversed(index.sorted_by_when("entry"))
                if all(word in folded(e) for word in words)]
    assert [e.id for e in index.search("entry", words)] == expected
    # Before the worker has put them in order (the first search of a session):
    # only the entries found are sorted, into the same order.
    fresh = RecordIndex({}, report=lambda *a, **k: None)
    fresh.take([(e.id, to_json(e)) for e in saved], decode=True)
    assert not fresh._by_kind["entry"].in_order
    first = [e.id for e in fresh.search("entry", words)]
    assert first == [e.id for e in reversed(fresh.sorted_by_when("entry"))
                     if all(word in folded(e) for word in words)]


def test_a_search_over_columns_finds_entries_side_by_side_in_the_texts_string(journal):
    """Entries whose texts follow one another in the string, each starting with
    the word; then, texts let go of and the index stepped aside, read back and
    searched again."""
    written = [journal.add(Entry(text=text, tags=["calm"] if n == 2 else [],
                                 when=_START + timedelta(minutes=n)))
               for n, text in enumerate(["sea", "sea walk", "seaside", "a sea"])]
    journal.decode_all(polite=True)
    index = journal._index()
    assert isinstance(index._by_kind["entry"], RecordColumns)
    newest_first = [e.id for e in reversed(written)]
    assert [e.id for e in index.search("entry", ["sea"])] == newest_first
    # One word in the text, the other only in the tags (either looked for first).
    assert [e.id for e in index.search("entry", ["sea", "calm"])] == [written[2].id]
    assert [e.id for e in index.search("entry", ["calm", "seaside"])] == [written[2].id]
    assert journal.build_search_index() and journal.leave_entry_texts_on_disk() == 4
    index._words = None  # stepped aside (after many saves): the texts are read back
    assert [e.id for e in journal.search("sea")] == newest_first
    assert [e.id for e in journal.search("walk")] == [written[1].id]


def test_a_search_over_columns_with_some_texts_let_go_of_finds_them_too(journal):
    """Letting go stopped half way (the index stepped aside meanwhile): the texts
    still in the string are looked for there, the others read back one by one."""
    written = [journal.add(Entry(text=f"sea {n}", when=_START + timedelta(minutes=n)))
               for n in range(4)]
    journal.decode_all(polite=True)
    held = journal._index()._by_kind["entry"]
    assert journal.build_search_index()
    rows = held.in_time_order().rows
    assert held.leave_texts(journal._text_stand_in, rows[:2]) == 2
    journal._index().texts_on_disk = True
    journal._index()._words = None
    assert held._texts._blob is not None  # two texts are still in the string
    assert [e.id for e in journal.search("sea")] == [e.id for e in reversed(written)]


def test_every_kind_kept_by_the_thousand_has_its_columns():
    """A field added to one of these kinds without a column would leave the kind
    as objects (`packs` says no): this says so first."""
    from recoveryjournal.record_columns import packs
    from recoveryjournal.records import Draft, Mood, Settings

    assert all(packs(kind) for kind in (Urge, Entry, Use, Checkin, Meeting, ExerciseResponse))
    assert not any(packs(kind) for kind in (Draft, Mood, Settings))


@settings(max_examples=60, deadline=None)
@given(st.lists(_urges(), max_size=25))
def test_urges_by_weekday_and_hour_from_the_columns_are_those_from_the_urges(urges):
    """Progress's heatmap: each urge on the clock it was logged on, counted from
    the columns as from the urges (offsets of -5:30 to +2, days before 1970 too)."""
    from recoveryjournal.insights import hour_weekday

    saved = _in_time_order([_as_read(u) for u in urges])
    columns = RecordColumns.pack(Urge, saved)
    assert columns is not None
    listed = columns.in_time_order()
    assert hour_weekday(listed) == hour_weekday(saved) == hour_weekday(list(listed))
    assert hour_weekday(listed[1:]) == hour_weekday(saved[1:])


@settings(max_examples=60, deadline=None)
@given(st.lists(_KINDS["exercise"], max_size=15), st.integers(0, 2))
def test_the_answers_to_one_exercise_chosen_in_the_columns_are_those_of_a_pass(answers, odd):
    """Progress's urge waves and lifestyle balance choose one exercise's answers in
    the columns; the same charts come out, answers kept as objects among them."""
    from recoveryjournal.insights import lifestyle_balance, urge_waves

    saved = _in_time_order([_as_read(r) for r in answers])
    for n in range(min(odd, len(saved))):  # answers that are not plain JSON: objects
        saved[n] = dataclasses.replace(saved[n], answers={"pair": (1, 2)})
    columns = RecordColumns.pack(ExerciseResponse, saved)
    assert columns is not None
    listed = columns.in_time_order()
    for exercise in ("urge-surfing", "safety-plan"):
        chosen = listed.with_label("exercise_id", exercise)
        assert [r.id for r in chosen if r.exercise_id == exercise] == [
            r.id for r in saved if r.exercise_id == exercise]
        assert urge_waves(listed, exercise_id=exercise) == urge_waves(saved, exercise_id=exercise)
        assert lifestyle_balance(listed, exercise_id=exercise) == lifestyle_balance(
            saved, exercise_id=exercise)


@settings(max_examples=60, deadline=None)
@given(st.lists(_KINDS["entry"], max_size=20), st.integers(0, 2))
def test_the_mood_per_day_from_entry_columns_is_that_from_the_entries(entries, odd):
    """Progress's mood chart counts each entry's mood on its own day from the
    columns (offsets of -5:30 to +2), entries kept as objects among them."""
    from recoveryjournal.insights import mood_per_day

    saved = _in_time_order([_as_read(e) for e in entries])
    for n in range(min(odd, len(saved))):
        saved[n] = dataclasses.replace(saved[n], mood=300)  # out of a byte: kept as its object
    columns = RecordColumns.pack(Entry, saved)
    assert columns is not None
    listed = columns.in_time_order()
    assert mood_per_day([], listed) == mood_per_day([], saved)
    since = _START.date()
    assert mood_per_day([], listed[1:], since=since) == mood_per_day([], saved[1:], since=since)
