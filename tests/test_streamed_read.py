"""A full read is streamed (issue 18, memory of a session): the rows are read and
opened a batch at a time and handed to the journal before the next batch is
read, so a ten-year journal's ciphertext is never all in memory, and what the
read gives is exactly what reading everything at once gave."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac

from hypothesis import given, settings
from hypothesis import strategies as st

from recoveryjournal.journal import Journal
from recoveryjournal.record_index import RecordIndex
from recoveryjournal.records import Checkin, Entry, Meeting, Urge, Use
from recoveryjournal.vault import checked, vault as vault_module
from recoveryjournal.vault.checked import FingerprintRows, Remembered
from recoveryjournal.vault.store import Store
from recoveryjournal.vault.vault import Versions

from helpers import PASSPHRASE

BATCH = 7  # rows a batch in these tests (2,048 in the app)


def _fill(journal: Journal) -> None:
    """Some forty records of five kinds, one edited and one deleted."""
    for n in range(12):
        journal.add(Entry(text=f"walked by the sea, day {n}", tags=["walk"], mood=1 + n % 5))
        journal.add(Urge(addiction="alcohol", intensity=n % 11, feelings=["tired"],
                         coping=["walk"] if n % 2 else []))
    for n in range(6):
        journal.add(Use(addiction="alcohol", amount=float(n), unit="drinks"))
        journal.add(Checkin(items=[n % 6, 1, 2, 3, 4]))
    meeting = journal.add(Meeting(group="Tuesday group"))
    meeting.note = "shared for the first time"
    journal.update(meeting)
    journal.delete(journal.entries()[0])


def _fields(record) -> dict:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def _everything(journal: Journal) -> dict[str, dict]:
    return {r.id: _fields(r) for kind in (Entry, Urge, Use, Checkin, Meeting)
            for r in journal.records(kind)}


def test_a_full_read_hands_each_batch_over_before_reading_the_next(journal, journal_path,
                                                                   monkeypatch):
    """What a user would notice as memory: at no moment is more than one batch of
    rows read and not yet handed to the journal (opened and decoded)."""
    _fill(journal)
    journal.lock()
    monkeypatch.setattr(vault_module, "BATCH", BATCH)
    events: list[tuple[str, int]] = []
    read_batches, take = Store.record_batches, RecordIndex.take

    def reading(self, *args, **kwargs):
        for batch in read_batches(self, *args, **kwargs):
            events.append(("read", len(batch)))
            yield batch

    def taking(self, items, *args, **kwargs):
        items = list(items)
        if items:
            events.append(("take", len(items)))
        return take(self, items, *args, **kwargs)

    monkeypatch.setattr(Store, "record_batches", reading)
    monkeypatch.setattr(RecordIndex, "take", taking)
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        reopened.load(verify=True, background=True)
        rows = reopened._vault.store.count()
        assert reopened.problems == []
    assert [what for what, _n in events] == ["read", "take"] * (len(events) // 2)
    assert all(n <= BATCH for _what, n in events)
    assert sum(n for what, n in events if what == "read") == rows > 3 * BATCH


def test_a_streamed_read_gives_what_reading_everything_at_once_gave(journal, journal_path,
                                                                    monkeypatch):
    _fill(journal)
    written = _everything(journal)
    journal.lock()
    monkeypatch.setattr(vault_module, "BATCH", BATCH)
    with Journal.open(journal_path, PASSPHRASE) as at_once:
        # The read as it was: every row fetched, opened into one dict, then indexed.
        result = at_once._vault.read_all(verify=True)
        assert result.tampering == [] and result.damaged == []
        index = RecordIndex(result.plaintexts, report=lambda *a, **k: None)
        old = {r.id: _fields(r) for kind in ("entry", "urge", "use", "checkin", "meeting")
               for r in index.sorted_by_when(kind)}
    for background in (False, True):  # decoded as it comes, or by kind later
        with Journal.open(journal_path, PASSPHRASE) as streamed:
            streamed.load(verify=False, background=background)
            assert streamed.verify() == []
            assert _everything(streamed) == old == written
            assert streamed.problems == []


def test_a_record_changed_outside_the_app_is_still_found_by_a_streamed_read(
        journal, journal_path, monkeypatch):
    """The checks of the full read are all still made: here, a row replaced by an
    older copy of itself (the integrity accumulator, from the flat fingerprints)."""
    from helpers.tamper import sql

    entry = journal.add(Entry(text="first words"))
    old_blob = journal._vault.store.record(entry.id)
    entry.text = "second words"
    journal.update(entry)
    for n in range(20):
        journal.add(Urge(addiction="alcohol", intensity=n % 11))
    journal.lock()
    sql(journal_path, "UPDATE records SET blob = ? WHERE id = ?", old_blob, entry.id)
    monkeypatch.setattr(vault_module, "BATCH", BATCH)
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        reopened.load(verify=False, background=True)
        found = reopened.verify()
        assert any("older or foreign copy" in line for line in found)


_ids = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)


@settings(max_examples=60, deadline=None)
@given(rows=st.dictionaries(_ids, st.binary(min_size=0, max_size=40), max_size=40),
       remembered=st.booleans())
def test_flat_fingerprints_check_as_a_list_of_rows_did(rows, remembered):
    """The integrity accumulator and the row versions made from the flat form equal
    those made from a tuple a row, whatever the rows (ids unsorted, rows cut short)."""
    key = b"k" * 32

    def mac(record_id: str, fingerprint: bytes) -> int:
        return int.from_bytes(hmac.digest(key, record_id.encode() + fingerprint, "sha256"), "big")

    listed = [(record_id, blob[:12] + blob[-16:]) for record_id, blob in rows.items()]
    flat = FingerprintRows()
    for record_id, fingerprint in listed:
        flat.append(record_id, fingerprint)
    assert list(flat) == listed and len(flat) == len(listed)
    memory = checked.accumulate(listed, mac, Remembered())[1] if remembered else Remembered()
    def check(rows):
        acc, now, maced = checked.accumulate(rows, mac, memory)
        return acc, now.groups, now.turn, maced

    assert check(flat) == check(listed)
    nonces, short = flat.nonces(12)
    versions = Versions(flat.ids, nonces, 12, short)
    assert versions.as_dict() == {record_id: fp[:12] for record_id, fp in listed}
    assert Versions.of(versions.as_dict(), 12).as_dict() == versions.as_dict()
    if listed:  # a write of this vault's, laid over
        versions.note(listed[0][0], None)
        versions.note("f" * 32, hashlib.sha256(b"new").digest()[:12])
        expected = {record_id: fp[:12] for record_id, fp in listed[1:]}
        expected["f" * 32] = hashlib.sha256(b"new").digest()[:12]
        assert versions.as_dict() == expected


def test_the_summary_checks_second_read_is_a_batch_at_a_time_too(journal, monkeypatch):
    """When a record on screen differs from the file, the summary is compared with
    the records as stored: a second full read, which must not hold a second copy
    of the whole journal either."""
    _fill(journal)
    journal.load()
    journal.records(Urge)[0].outcome = "acted"  # changed on screen, not saved yet
    monkeypatch.setattr(vault_module, "BATCH", BATCH)
    sizes: list[int] = []
    read_batches = Store.record_batches

    def reading(self, *args, **kwargs):
        for batch in read_batches(self, *args, **kwargs):
            sizes.append(len(batch))
            yield batch

    def everything_at_once(self, *args, **kwargs):
        raise AssertionError("every row fetched at once")

    monkeypatch.setattr(Store, "record_batches", reading)
    monkeypatch.setattr(Store, "all_records", everything_at_once)
    assert journal.check_summary() == []
    assert journal.problems == []
    assert max(sizes) <= BATCH and sum(sizes) == journal._vault.store.count() > 3 * BATCH


def test_a_damaged_record_alone_is_reported_only_as_damaged(journal, journal_path):
    """A record that does not open has no kind in memory: its kind marker is not
    taken for one changed outside the app (once, it was given the kind of the
    last dict the index looked in)."""
    from helpers.tamper import sql

    _fill(journal)
    damaged = journal.entries()[0].id
    journal.lock()
    blob = bytearray(sql(journal_path, "SELECT blob FROM records WHERE id=?", damaged)[0][0])
    blob[len(blob) // 2] ^= 0x01
    sql(journal_path, "UPDATE records SET blob=? WHERE id=?", bytes(blob), damaged)
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        reopened.load_in_background()
        assert reopened.verify() == []
        assert reopened._index_.kind(damaged) is None and reopened.get(damaged) is None
        assert reopened.outside_changes == []
        assert len(reopened.problems) == 1 and damaged in reopened.problems[0]
