"""The chosen records as a stream (issue 18): `iter_chosen` gives exactly what
`choose` gives, in the same order (ties across kinds included), and
`Journal.with_texts_streamed` exactly what `with_texts` gives, texts read back
from disk a window at a time; neither builds nor holds every record at once."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from itertools import islice

import pytest

from recoveryjournal import journal as journal_module
from recoveryjournal import records
from recoveryjournal.export.selection import Selection, choose, iter_chosen
from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, ExerciseResponse, Meeting, Urge, Use

START = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


def at(hours: int) -> datetime:
    return START + timedelta(hours=hours)


def fill(journal: Journal) -> None:
    """Records of five kinds, many of them at the very same moment as a record of
    another kind (the order of ties is the order of `selection.kinds`), one at
    the same moment as another of its own kind, and a safety plan."""
    for n in range(12):
        when = at(n // 2)  # two of each kind in each hour: ties within a kind too
        journal.add(Entry(text=f"entry {n}", tags=["work"] if n % 3 == 0 else [], when=when))
        journal.add(Urge(addiction="alcohol", intensity=n % 11, when=when))
        if n % 2:
            journal.add(ExerciseResponse(exercise_id="urge-surfing", when=when))
        if n % 4 == 0:
            journal.add(Use(addiction="gambling", when=when))
            journal.add(Meeting(group="Tuesday group", when=at(n // 2 + 100)))
    journal.add(ExerciseResponse(exercise_id="safety-plan", when=at(3)))


SELECTIONS = [
    Selection(),
    Selection(kinds=("urge", "entry")),
    Selection(kinds=("entry", "urge", "exercise", "use", "meeting")),
    Selection(kinds=("exercise", "entry"), excluded=frozenset({"safety_plan"})),
    Selection(kinds=("exercise",), excluded=frozenset({"safety_plan"})),
    Selection(kinds=("urge",)),
    Selection(kinds=("use", "urge", "entry"), date_from=date(2024, 3, 1),
              date_to=date(2024, 3, 1)),
    Selection(kinds=("entry", "urge"), tags=("WORK",)),
    Selection(kinds=("meeting", "use")),
]


def ids(found) -> list[str]:
    return [r.id for r in found]


@pytest.mark.parametrize("as_columns", [False, True], ids=["objects", "columns"])
def test_the_stream_gives_what_choose_gives_in_its_order(journal, as_columns):
    fill(journal)
    if as_columns:
        journal.decode_all(polite=True)  # as the app's worker: records held as columns
        assert type(journal.records(Urge)).__name__ == "InTimeOrder"
    for wanted in SELECTIONS + [Selection(kinds=("entry", "urge"),
                                          ids=frozenset(ids(choose(journal, Selection())[::3])))]:
        listed = choose(journal, wanted)
        assert listed, wanted
        assert ids(iter_chosen(journal, wanted)) == ids(listed), wanted
    # Ties across kinds: the same moment, in the order the kinds were asked for.
    first_hour = list(islice(iter_chosen(journal, Selection(kinds=("urge", "entry"))), 4))
    assert [r.kind for r in first_hour] == ["urge", "urge", "entry", "entry"]
    assert len({r.when for r in first_hour}) == 1


def test_an_unknown_kind_is_refused_at_once(journal):
    with pytest.raises(ValueError, match="no record kind called 'lapse'"):
        iter_chosen(journal, Selection(kinds=("entry", "lapse")))


def counting_builds(journal: Journal, monkeypatch, *kinds) -> list[int]:
    """Count the records built from the columns of these kinds."""
    built = [0]
    for cls in kinds:
        columns = journal.records(cls).columns
        build = columns._build

        def counted(row, build=build):
            built[0] += 1
            return build(row)

        monkeypatch.setattr(columns, "_build", counted)
    return built


def test_the_stream_builds_records_only_as_they_are_read(journal, monkeypatch):
    for n in range(150):
        journal.add(Urge(addiction="alcohol", intensity=n % 11, when=at(n)))
        if n % 3 == 0:
            journal.add(Entry(text=f"day {n}", when=at(n)))
    journal.decode_all(polite=True)
    built = counting_builds(journal, monkeypatch, Urge, Entry)
    stream = iter_chosen(journal, Selection(kinds=("entry", "urge")))
    assert built[0] <= 2  # nothing listed up front
    first = list(islice(stream, 5))
    assert [r.kind for r in first] == ["entry", "urge", "urge", "urge", "entry"]
    assert built[0] <= 5 + 2  # what was read, and the next of each kind
    assert sum(1 for _record in stream) == 200 - 5
    # What `choose` does, for contrast: every record built before the first is seen.
    built[0] = 0
    choose(journal, Selection(kinds=("entry", "urge")))
    assert built[0] == 200


@pytest.fixture
def on_disk(journal) -> Journal:
    """Seven entries whose texts wait on disk, with urges around them."""
    for n in range(7):
        journal.add(Urge(addiction="alcohol", intensity=n, when=at(2 * n)))
        journal.add(Entry(text=f"day {n}, what I noticed", when=at(2 * n + 1)))
    journal.add(Urge(addiction="alcohol", intensity=9, when=at(40)))
    journal.decode_all(polite=True)
    assert journal.build_search_index()
    assert journal.leave_entry_texts_on_disk() == 7
    return journal


def reads_of_texts(monkeypatch) -> list[list[str]]:
    """The ids of each bulk read of entries' texts; a read of one row on its own fails."""
    reads: list[list[str]] = []
    read_back = Journal._entries_read_back

    def recorded(journal, record_ids):
        reads.append(list(record_ids))
        return read_back(journal, record_ids)

    monkeypatch.setattr(Journal, "_entries_read_back", recorded)
    monkeypatch.setattr(Journal, "_read_one",
                        lambda journal, record_id: pytest.fail("a text read on its own"))
    return reads


def test_the_texts_stream_back_in_order_a_window_at_a_time(on_disk, monkeypatch):
    monkeypatch.setattr(journal_module, "_TEXTS_STREAMED_AT_A_TIME", 3)
    wanted = Selection(kinds=("urge", "entry"))
    expected = on_disk.with_texts(choose(on_disk, wanted))
    texts = [getattr(r, "text", None) for r in expected]  # read before counting reads
    reads = reads_of_texts(monkeypatch)
    stream = on_disk.with_texts_streamed(iter_chosen(on_disk, wanted))
    found = [next(stream)]
    assert found[0].kind == "urge"  # before the first entry: nothing to read
    assert reads == []
    found.append(next(stream))
    assert found[1].text == "day 0, what I noticed"
    assert [len(read) for read in reads] == [3]  # one window, not every text
    found += stream
    assert [len(read) for read in reads] == [3, 3, 1]
    assert ids(found) == ids(expected)
    assert [getattr(r, "text", None) for r in found] == texts
    assert not any(records.text_waits_on_disk(r) for r in found if r.kind == "entry")
    # Nothing is kept: the journal's own entries still leave their texts on disk.
    assert all(records.text_waits_on_disk(e) for e in on_disk.records(Entry))


def test_a_long_run_without_texts_does_not_wait_for_a_full_window(on_disk, monkeypatch):
    monkeypatch.setattr(journal_module, "_TEXTS_STREAMED_AT_A_TIME", 100)
    monkeypatch.setattr(journal_module, "_RECORDS_HELD_AT_MOST", 4)
    reads = reads_of_texts(monkeypatch)
    stream = on_disk.with_texts_streamed(iter_chosen(on_disk, Selection(kinds=("urge", "entry"))))
    first = list(islice(stream, 2))
    assert [r.kind for r in first] == ["urge", "entry"]
    # The window closed at four records held (two entries among them), not at a
    # hundred texts: a window of an export mostly of urges stays small.
    assert [len(read) for read in reads] == [2]
    assert [r.text for r in stream if r.kind == "entry"] == \
        [f"day {n}, what I noticed" for n in range(1, 7)]


def test_texts_changed_since_the_records_were_taken_are_not_mixed_in(on_disk, monkeypatch):
    taken = list(iter_chosen(on_disk, Selection(kinds=("entry",))))
    edited = taken[2]
    on_disk.update(dataclasses.replace(edited, text="written later"))
    reads = reads_of_texts(monkeypatch)
    monkeypatch.setattr(Journal, "_read_one", lambda journal, record_id: None)
    found = list(on_disk.with_texts_streamed(taken))
    assert len(reads) == 1
    # The copy taken before the edit is not given the newer text (a mix of two
    # versions); read on its own, it reads what its row holds when asked.
    assert found[2] is edited
    assert [r.text for i, r in enumerate(found) if i != 2] == \
        [f"day {n}, what I noticed" for n in range(7) if n != 2]


def test_without_texts_on_disk_the_records_pass_straight_through(journal, monkeypatch):
    fill(journal)
    reads = reads_of_texts(monkeypatch)
    chosen = choose(journal, Selection())
    assert [a is b for a, b in zip(journal.with_texts_streamed(iter(chosen)), chosen)] == \
        [True] * len(chosen)
    assert reads == []


@pytest.mark.parametrize("as_columns", [False, True], ids=["objects", "columns"])
def test_the_counts_by_kind_are_those_of_the_chosen_list(journal, as_columns):
    from recoveryjournal.export.selection import count_chosen_by_kind

    fill(journal)
    if as_columns:
        journal.decode_all(polite=True)
    some = frozenset(ids(choose(journal, Selection())[::4]))
    for wanted in SELECTIONS + [Selection(kinds=("meeting", "use", "exercise", "urge")),
                                Selection(kinds=("checkin", "mood", "urge"))]:
        for leaving_out in (frozenset(), some):
            expected: dict[str, int] = {}
            for record in choose(journal, wanted):
                if record.id not in leaving_out:
                    expected[record.kind] = expected.get(record.kind, 0) + 1
            found = count_chosen_by_kind(journal, wanted, leaving_out)
            assert list(found.items()) == list(expected.items()), (wanted, leaving_out)
    # Kinds named in the order of their first record: urges tie with entries at the
    # first moment and were asked for first; meetings come last, uses before them.
    assert list(count_chosen_by_kind(journal, Selection(
        kinds=("meeting", "use", "entry", "urge")))) == ["use", "entry", "urge", "meeting"]


def test_texts_let_go_of_while_the_stream_runs_are_read_back_in_bulk(journal, monkeypatch):
    """The app's worker may let go of the texts once an export is under way."""
    for n in range(7):
        journal.add(Entry(text=f"day {n}, what I noticed", when=at(n)))
    journal.decode_all(polite=True)
    assert journal.build_search_index()
    stream = journal.with_texts_streamed(iter_chosen(journal, Selection(kinds=("entry",))))
    first = next(stream)  # the texts are all still held
    assert journal.leave_entry_texts_on_disk() == 7
    reads = reads_of_texts(monkeypatch)
    rest = list(stream)
    assert [first.text] + [e.text for e in rest] == [f"day {n}, what I noticed" for n in range(7)]
    assert [len(read) for read in reads] == [6]
