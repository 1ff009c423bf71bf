"""The work after unlock gives way to the person: while they type, the worker
opens and checks nothing (issue 18, "background work that never competes").

No test sleeps: the pause is replaced by one that only counts, and `busy` is a
script of what the person does, noting how far the work had got each time it
was asked."""

from __future__ import annotations

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, Urge
from recoveryjournal.vault import polite

from helpers import PASSPHRASE

CHUNK = 8  # rows between two looks at `busy` in these tests (1024 in the app)
RECORDS = 40


@pytest.fixture
def reopened(journal, journal_path, monkeypatch) -> Journal:
    """A journal of some forty records, locked and opened again (nothing read yet),
    with a pause that sleeps none and looks at `busy` every CHUNK rows."""
    for n in range(RECORDS // 2):
        journal.add(Entry(text=f"walked by the sea, day {n}"))
        journal.add(Urge(addiction="alcohol", intensity=n % 11))
    journal.lock()
    monkeypatch.setattr(polite, "EVERY", CHUNK)
    slept: list[float] = []
    monkeypatch.setattr(polite, "pause", slept.append)
    opened = Journal.open(journal_path, PASSPHRASE)
    opened.slept = slept  # type: ignore[attr-defined]
    yield opened
    opened.lock()


class Typist:
    """Starts typing once the work has got `after` rows in, and types while it
    is asked `looks` times; notes how far the work had got at each look."""

    def __init__(self, progress, after: int, looks: int = 3):
        self.progress, self.after, self.left = progress, after, looks
        self.started = False
        self.seen_while_typing: list[int] = []

    def __call__(self) -> bool:
        done = self.progress()
        if not self.started and done >= self.after:
            self.started = True
        if self.started and self.left:
            self.left -= 1
            self.seen_while_typing.append(done)
            return True
        return False


def _count_calls(obj, name: str) -> list[int]:
    """Count the calls of `obj.name` (an instance attribute laid over it)."""
    calls = [0]
    real = getattr(obj, name)

    def counted(*args):
        calls[0] += 1
        return real(*args)

    setattr(obj, name, counted)
    return calls


def test_reading_after_unlock_opens_no_record_while_the_person_types(reopened):
    cipher = reopened._vault._cipher

    class CountingAead:  # the C object's method cannot be replaced; wrap the object
        def __init__(self, real):
            self.real, self.calls = real, 0

        def decrypt(self, *args):
            self.calls += 1
            return self.real.decrypt(*args)

    aead = cipher._aead = CountingAead(cipher._aead)
    person = Typist(lambda: aead.calls, after=CHUNK * 2)

    reopened.load_in_background(busy=person)

    assert person.seen_while_typing, "the worker never looked whether the person types"
    # Not one record opened between the first "typing" and the last.
    assert len(set(person.seen_while_typing)) == 1
    # It stopped within one chunk of the key press, not at the end of the read.
    assert person.seen_while_typing[0] <= CHUNK * 3 < RECORDS
    assert polite.PAUSE in reopened.slept  # it waited (with the pause that sleeps none)
    assert aead.calls == RECORDS + 1  # and then opened everything (the settings too)
    assert reopened.count(Entry) == RECORDS // 2 and reopened.count(Urge) == RECORDS // 2


def test_the_integrity_check_after_unlock_waits_while_the_person_types(reopened):
    reopened.load_in_background()  # no one typing: read straight through
    assert reopened.slept == []
    macs = _count_calls(reopened._vault._cipher, "record_mac")
    person = Typist(lambda: macs[0], after=CHUNK)

    assert reopened.verify(busy=person) == []

    assert person.seen_while_typing and len(set(person.seen_while_typing)) == 1
    assert person.seen_while_typing[0] <= CHUNK * 2
    assert macs[0] == RECORDS + 1  # every row checked in the end
    assert reopened.problems == []


def test_the_rows_are_read_from_the_file_a_chunk_at_a_time_while_the_person_types(
        reopened):
    """Reading the rows themselves (SQLite, before any opening) waits as well."""
    looks: list[int] = []
    reopened.load_in_background(busy=lambda: looks.append(1) or len(looks) == 1)
    # Rows read in chunks of CHUNK and opened in chunks of CHUNK: asked between each.
    assert len(looks) >= 2 * (RECORDS // CHUNK) - 1
    assert reopened.slept.count(polite.PAUSE) == 1  # typing at the first look only
    assert reopened.count(Entry) == RECORDS // 2


def test_the_app_passes_its_typing_clock_to_every_step_of_the_work(monkeypatch):
    """The worker hands `person_is_typing` to the read and to the check, not only
    to the decoding (a read that cannot pause made 'Urge now' wait)."""
    from recoveryjournal.tui.app import RecoveryJournalApp

    given: dict[str, object] = {}

    class FakeJournal:
        problems: list[str] = []

        def load_in_background(self, busy=None):
            given["load"] = busy

        def verify(self, busy=None):
            given["verify"] = busy
            return []

        def decode_all(self, polite=False, busy=None):
            given["decode"] = busy

        def check_summary(self):
            return []

        def build_search_index(self, busy=None):
            given["words"] = busy

    app = RecoveryJournalApp.__new__(RecoveryJournalApp)
    monkeypatch.setattr(app, "call_from_thread", lambda *args: None, raising=False)
    RecoveryJournalApp.finish_loading.__wrapped__(app, FakeJournal())
    assert given == {"load": app.person_is_typing, "verify": app.person_is_typing,
                     "decode": app.person_is_typing, "words": app.person_is_typing}


def test_the_app_builds_the_search_index_again_when_it_stepped_aside(monkeypatch):
    """After an import (many saves) the word index steps aside and search scans every
    entry: the app's next look for outside writes starts a worker to build it again."""
    from recoveryjournal.tui.app import RecoveryJournalApp

    started = []

    class FakeJournal:
        search_index_wanted = True

        def refresh(self):
            return False

    app = RecoveryJournalApp.__new__(RecoveryJournalApp)
    app.journal = FakeJournal()
    monkeypatch.setattr(app, "build_search_index_again", started.append, raising=False)
    app.fully_loaded = False  # the first build is the worker's, after decoding
    app.take_in_outside_writes()
    assert started == []
    app.fully_loaded = True
    app.take_in_outside_writes()
    assert started == [app.journal]
