"""Entries' texts left on disk once the word index answers searches (issue 18:
memory flat with the size of the journal): whatever reads an entry still gets what
was saved, whatever is typed afterwards is saved, and nothing reads a text that
belongs to another version of the entry."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoveryjournal import records, word_index
from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens.editor import EditorScreen
from recoveryjournal.tui.screens.entries import EntriesScreen
from recoveryjournal.tui.screens.entry_view import EntryScreen

from helpers import PASSPHRASE
from helpers.tui import fixed_clock, make_journal, screen_text, type_text, unlock

TEXTS = ["walked by the sea", "called my sponsor\nand felt better", "a quiet evening at home"]


@pytest.fixture
def written(journal) -> Journal:
    for text in TEXTS:
        journal.add(Entry(text=text, tags=["calm"]))
    journal.load()  # as the app's worker: everything read, then the index built
    assert journal.build_search_index()
    return journal


def own_copies(journal: Journal) -> list[Entry]:
    return journal.records(Entry)


def test_the_texts_wait_on_disk_and_read_back_as_saved(written):
    assert written.leave_entry_texts_on_disk() == 3
    kept = own_copies(written)
    assert all(records.text_waits_on_disk(e) for e in kept)
    assert sorted(e.text for e in kept) == sorted(TEXTS)
    assert sorted(e.title for e in kept) == sorted(["walked by the sea", "called my sponsor",
                                                    "a quiet evening at home"])
    assert [e.text for e in written.search("sponsor")] == [TEXTS[1]]
    assert all(records.text_waits_on_disk(e) for e in kept)  # reading keeps no copy


def test_nothing_is_let_go_of_without_the_word_index(journal):
    journal.add(Entry(text="no index yet"))
    journal.load()
    assert journal.leave_entry_texts_on_disk() == 0
    assert not any(records.text_waits_on_disk(e) for e in own_copies(journal))


def test_an_edit_saves_what_was_typed_and_a_changed_copy_keeps_the_text(written, journal_path):
    written.leave_entry_texts_on_disk()
    first, second = own_copies(written)[:2]
    written.update(dataclasses.replace(first, text="walked by the sea, twice"))
    written.update(dataclasses.replace(second, mood=4))  # its text read from disk
    reopened = Journal.open(journal_path, PASSPHRASE)
    try:
        saved = {e.id: e for e in reopened.entries()}
    finally:
        reopened.lock()
    assert saved[first.id].text == "walked by the sea, twice"
    assert saved[second.id].text == TEXTS[1] and saved[second.id].mood == 4
    assert [e.text for e in written.search("twice")] == ["walked by the sea, twice"]


def test_a_change_made_by_another_program_is_what_is_read(written, journal_path):
    written.leave_entry_texts_on_disk()
    entry = own_copies(written)[0]
    other = Journal.open(journal_path, PASSPHRASE)
    try:
        theirs = other.get(entry.id)
        other.update(dataclasses.replace(theirs, text="rewritten from the shell"))
    finally:
        other.lock()
    assert written.refresh()
    assert written.get(entry.id).text == "rewritten from the shell"
    assert [e.id for e in written.search("shell")] == [entry.id]


def test_a_text_that_cannot_be_read_is_empty_and_cannot_be_saved(written, journal_path):
    written.leave_entry_texts_on_disk()
    entry = own_copies(written)[0]
    other = Journal.open(journal_path, PASSPHRASE)
    try:
        other.delete(entry.id)
    finally:
        other.lock()
    assert entry.text == ""  # deleted elsewhere, not yet taken in
    with pytest.raises(records.InvalidRecord):
        written.update(dataclasses.replace(entry, mood=2))
    written.lock()
    assert entry.title == ""  # locked: nothing to read with, and no error


def test_a_search_after_the_index_steps_aside_reads_the_texts_back_in_bulk(
        written, monkeypatch):
    written.leave_entry_texts_on_disk()
    monkeypatch.setattr(word_index.WordIndex, "stale",
                        property(lambda self: len(self._saved_since) > 1))
    written.add(Entry(text="by the sea again"))
    written.add(Entry(text="the sea, calm"))
    assert not written.search_is_quick  # the index stepped aside
    read_one_by_one = []
    with monkeypatch.context() as patched:
        patched.setattr(Journal, "_read_one",
                        lambda journal, record_id: read_one_by_one.append(record_id))
        found = written.search("sea")
    assert read_one_by_one == []  # one query for them all, not a read per entry
    assert sorted(e.text for e in found) == sorted(
        ["walked by the sea", "by the sea again", "the sea, calm"])
    # Held as columns, the texts read back to test them are not kept.
    assert all(records.text_waits_on_disk(e) for e in own_copies(written)
               if e.text in TEXTS)


def test_a_copy_a_screen_holds_keeps_its_text(written):
    held = own_copies(written)[0]
    written.update(dataclasses.replace(held, text="a newer version"))
    written.leave_entry_texts_on_disk()
    assert not records.text_waits_on_disk(held)  # no longer the journal's own copy
    assert held.text == TEXTS[0]


async def test_in_the_app_the_worker_lets_go_and_an_edit_saves_what_was_typed(journal_path):
    make_journal(journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await app.workers.wait_for_complete()
        assert app.journal.search_is_quick
        assert all(records.text_waits_on_disk(e) for e in app.journal.records(Entry))
        await pilot.press("j")
        assert isinstance(app.screen, EntriesScreen)
        assert "Hard day at work" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, EntryScreen)
        assert "went for a walk instead" in screen_text(app)
        await pilot.press("e")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("end")
        await type_text(pilot, " (ok)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "went for a walk instead (ok)" in screen_text(app)
    reopened = Journal.open(journal_path, PASSPHRASE)
    try:
        texts = [e.text for e in reopened.entries()]
    finally:
        reopened.lock()
    assert "Hard day at work, went for a walk instead (ok)" in texts


def test_an_export_reads_many_texts_in_bulk_and_keeps_none(journal, monkeypatch):
    from recoveryjournal.export import json_export, markdown
    from recoveryjournal.export.selection import Selection, choose
    from recoveryjournal.export.shared_records import build_document

    for n in range(70):
        journal.add(Entry(text=f"day {n} of the course"))
    journal.load()
    assert journal.build_search_index()
    before_md = markdown.render(build_document(choose(journal, Selection(kinds=("entry",))),
                                               frozenset()))
    before_json = json_export.render(json_export.every_record(journal), frozenset(),
                                     exported_at="2026-11-30T12:00:00+00:00")
    assert journal.leave_entry_texts_on_disk() == 70
    read_one_by_one = []
    monkeypatch.setattr(Journal, "_read_one",
                        lambda journal, record_id: read_one_by_one.append(record_id))
    chosen = journal.with_texts(choose(journal, Selection(kinds=("entry",))))
    assert markdown.render(build_document(chosen, frozenset())) == before_md
    assert json_export.render(json_export.every_record(journal), frozenset(),
                              exported_at="2026-11-30T12:00:00+00:00") == before_json
    assert read_one_by_one == []
    assert all(records.text_waits_on_disk(e) for e in journal.records(Entry))  # none kept
    # A copy holds its text and is otherwise the same entry; beside entries kept as
    # objects, it holds only its text of its own (memory: an export of many years).
    # (Here the worker's path held them as columns: each is built as it is read.)
    held = journal.records(Entry)
    copies = journal.with_texts(held)
    assert all(c.id == e.id and c.when == e.when and not records.text_waits_on_disk(c)
               for c, e in zip(copies, held))
    if isinstance(held, list):
        assert all(c.when is e.when and c.id is e.id for c, e in zip(copies, held))


def test_a_jrnl_import_after_the_texts_wait_on_disk_adds_nothing_twice(written):
    from recoveryjournal.export import jrnl_import

    written.leave_entry_texts_on_disk()
    entry = own_copies(written)[0]
    again = jrnl_import.build_entries([jrnl_import.JrnlEntry(
        when=entry.when, title=entry.text, body="", tags=[], starred=False)])
    assert jrnl_import.import_entries(written, again) == (0, 1)


async def test_the_export_screen_reads_the_texts_it_shows_and_writes_in_bulk(journal,
                                                                          monkeypatch):
    from textual.app import App
    from textual.widgets import SelectionList, TextArea

    from recoveryjournal.tui.screens.export import ExportScreen

    for n in range(70):
        journal.add(Entry(text=f"Week {n} of the course\nwhat I noticed"))
    journal.load()
    assert journal.build_search_index()
    assert journal.leave_entry_texts_on_disk() == 70
    read_one_by_one = []
    monkeypatch.setattr(Journal, "_read_one",
                        lambda journal, record_id: read_one_by_one.append(record_id))

    class Harness(App):
        def on_mount(self) -> None:
            self.push_screen(ExportScreen(journal))

    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        screen.query_one("#export-steps").active = "pick"
        await pilot.pause()
        await app.workers.wait_for_complete()
        picks = screen.query_one("#picks", SelectionList)
        prompts = [str(picks.get_option_at_index(i).prompt) for i in range(picks.option_count)]
        assert any("Week 69 of the course" in p for p in prompts)
        screen.query_one("#export-steps").active = "preview"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Week 0 of the course" in screen.query_one("#preview-text", TextArea).text
    assert read_one_by_one == []


_WORDS = ["sea", "walk", "sponsor", "calm", "tea"]
operations = st.lists(st.one_of(
    st.tuples(st.just("add"), st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3)),
    st.tuples(st.just("edit"), st.integers(0, 9),
              st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3)),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("edit elsewhere"), st.integers(0, 9),
              st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3)),
    st.tuples(st.just("build the index")),
    st.tuples(st.just("let go")),
    st.tuples(st.just("decode all")),  # the app's worker: entries held as columns
), max_size=14)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_whatever_is_done_the_texts_read_as_saved_and_search_finds_them(steps, monkeypatch):
    """Adds, edits (here and from another program), deletes, the index built and
    stepping aside after two writes, texts let go of: every entry still reads the
    text last saved, and search finds exactly the entries holding the word."""
    monkeypatch.setattr(word_index.WordIndex, "stale",
                        property(lambda self: len(self._saved_since) > 2))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "j.db"
        journal, _code = Journal.create(path, PASSPHRASE)
        other = Journal.open(path, PASSPHRASE)
        saved: dict[str, str] = {}
        journal.load()
        try:
            for step in steps:
                ids = sorted(saved)
                if step[0] == "add":
                    entry = journal.add(Entry(text=" ".join(step[1])))
                    saved[entry.id] = entry.text
                elif step[0] == "edit" and ids:
                    chosen = journal.get(ids[step[1] % len(ids)])
                    journal.update(dataclasses.replace(chosen, text=" ".join(step[2])))
                    saved[chosen.id] = " ".join(step[2])
                elif step[0] == "delete" and ids:
                    journal.delete(ids[step[1] % len(ids)])
                    del saved[ids[step[1] % len(ids)]]
                elif step[0] == "edit elsewhere" and ids:
                    theirs = other.get(ids[step[1] % len(ids)])
                    other.update(dataclasses.replace(theirs, text=" ".join(step[2])))
                    saved[theirs.id] = " ".join(step[2])
                    journal.refresh()  # as the app does on its timer and before a write
                elif step[0] == "build the index":
                    journal.build_search_index()
                elif step[0] == "let go":
                    journal.leave_entry_texts_on_disk()
                elif step[0] == "decode all":
                    journal.decode_all(polite=True)
                assert {e.id: e.text for e in journal.records(Entry)} == saved
                for word in _WORDS:
                    assert {e.id for e in journal.search(word)} == {
                        rid for rid, text in saved.items() if word in text}
        finally:
            other.lock()
            journal.lock()


# ---- the app's worker holds only so much text as it reads (issue 18) ----------------

MANY = [f"day {n}: {'walked by the lake' if n % 3 else 'called my sponsor'} "
        f"{'and slept well' if n % 2 else 'then cooked'} {'x' * (n % 7)}" for n in range(60)]


@pytest.fixture
def read_by_the_worker(journal, journal_path, monkeypatch):
    """A journal of 60 entries read as the app's worker reads it, allowed to hold
    only about a third of their text: the rest waits on disk from the start."""
    from recoveryjournal import journal as journal_module

    for n, text in enumerate(MANY):
        journal.add(Entry(text=text, tags=["lake"] if n % 5 == 0 else []))
    journal.lock()
    monkeypatch.setattr(journal_module, "_TEXTS_HELD_WHILE_READING",
                        sum(len(t) for t in MANY) // 3)
    reopened = Journal.open(journal_path, PASSPHRASE)
    reopened.load(verify=False, background=True)
    yield reopened
    reopened.lock()


def plain_search(words: str) -> list[str]:
    """The definition, newest first: every word in the folded text or a tag."""
    wanted = words.casefold().split()
    found = [text for n, text in enumerate(MANY)
             if all(w in (text + ("\nlake" if n % 5 == 0 else "")).casefold() for w in wanted)]
    return found[::-1]


def test_past_the_limit_the_texts_wait_on_disk_from_the_start(read_by_the_worker):
    kept = own_copies(read_by_the_worker)
    waiting = [e for e in kept if records.text_waits_on_disk(e)]
    assert 20 <= len(waiting) < 60  # about two thirds wait; the first third is held
    assert [e.text for e in kept] == MANY  # and every one reads as saved, in order


@pytest.mark.parametrize("query", ["sponsor", "lake slept", "day 4", "LAKE", "xxxxxx",
                                   "nowhere", "cooked day 5"])
def test_a_search_before_the_word_index_reads_waiting_texts_in_bulk_and_keeps_none(
        read_by_the_worker, monkeypatch, query):
    read_one_by_one = []
    with monkeypatch.context() as patched:
        patched.setattr(Journal, "_read_one",
                        lambda journal, record_id: read_one_by_one.append(record_id))
        found = read_by_the_worker.search(query)
    assert read_one_by_one == []
    assert [e.text for e in found] == plain_search(query)
    assert sum(records.text_waits_on_disk(e) for e in own_copies(read_by_the_worker)) >= 20


def test_the_word_index_is_built_from_texts_read_back_in_bulk(read_by_the_worker,
                                                                  monkeypatch):
    from recoveryjournal import journal as journal_module

    # A block of 2,000 entries has more waiting texts than "a few" (read one by
    # one); this journal's 40 are made to count as many.
    monkeypatch.setattr(journal_module, "_FEW_TEXTS", 8)
    read_one_by_one = []
    with monkeypatch.context() as patched:
        patched.setattr(Journal, "_read_one",
                        lambda journal, record_id: read_one_by_one.append(record_id))
        assert read_by_the_worker.build_search_index()
    assert read_one_by_one == []
    assert read_by_the_worker.search_is_quick
    for query in ("sponsor", "lake slept", "day 4", "xxxxxx", "nowhere"):
        assert [e.text for e in read_by_the_worker.search(query)] == plain_search(query)
    # Some texts waited already, so the rest were let go of before the build:
    # none is held while the index is made, and every one still reads as saved.
    assert all(records.text_waits_on_disk(e) for e in own_copies(read_by_the_worker))
    assert [e.text for e in own_copies(read_by_the_worker)] == MANY


def test_a_waiting_text_changed_by_another_program_is_searched_as_it_is_now(
        read_by_the_worker, journal_path):
    entry = next(e for e in own_copies(read_by_the_worker) if records.text_waits_on_disk(e))
    other = Journal.open(journal_path, PASSPHRASE)
    try:
        other.update(dataclasses.replace(other.get(entry.id), text="rewritten: harbour"))
    finally:
        other.lock()
    assert read_by_the_worker.refresh()
    assert [e.id for e in read_by_the_worker.search("harbour")] == [entry.id]


def test_a_waiting_entry_deleted_by_another_program_is_not_found(read_by_the_worker,
                                                                journal_path):
    waiting = [e for e in own_copies(read_by_the_worker) if records.text_waits_on_disk(e)]
    gone = next(e for e in reversed(waiting) if "sponsor" in e.text)
    text = gone.text  # (read now: once deleted it reads as empty)
    other = Journal.open(journal_path, PASSPHRASE)
    try:
        other.delete(gone.id)
    finally:
        other.lock()
    assert read_by_the_worker.refresh()
    assert gone.id not in {e.id for e in read_by_the_worker.search(text.split()[1])}
    assert [e.text for e in read_by_the_worker.search("sponsor")] == [
        t for t in plain_search("sponsor") if t != text]


def test_texts_let_go_of_while_a_search_reads_the_others_back_are_searched_too(
        read_by_the_worker, monkeypatch):
    """The worker lets go of the rest of the texts (before it builds the word
    index) while a search in the journal list reads the waiting ones back: the
    search sees that more came to wait and reads again, finding every match."""
    journal = read_by_the_worker
    reads = []
    matching = Journal._entries_matching_on_disk

    def let_go_meanwhile(self, record_ids, words):
        found = matching(self, record_ids, words)
        if not reads:
            self._index_.leave_texts_on_disk(self._stand_in_for_texts(), before_words=True)
        reads.append(len(record_ids))
        return found

    monkeypatch.setattr(Journal, "_entries_matching_on_disk", let_go_meanwhile)
    assert [e.text for e in journal.search("sponsor")] == plain_search("sponsor")
    assert len(reads) == 2 and reads[1] == 60 > reads[0]  # read again: all of them now
