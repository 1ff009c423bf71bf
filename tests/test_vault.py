"""The encrypted file: round trip, secrets, tamper detection, modes, leaks."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, Urge
from recoveryjournal.vault.errors import NewerFormat, NotAJournal, NoJournal, WrongSecret

from helpers import PASSPHRASE

CANARY = "zebra-canary-7f3a"


def test_round_trip_keeps_every_field(journal, journal_path):
    entry = journal.add(Entry(text="Called my sponsor.\nFelt lighter.", mood=4, tags=["call"]))
    urge = journal.add(Urge(addiction="alcohol", intensity=7, coping=["walk"], outcome="resisted"))
    journal.lock()

    reopened = Journal.open(journal_path, PASSPHRASE)
    assert reopened.get(entry.id) == entry
    assert reopened.get(urge.id) == urge
    assert reopened.problems == []


def test_wrong_passphrase_is_refused_and_changes_nothing(journal, journal_path):
    journal.add(Entry(text="hello"))
    journal.lock()
    before = journal_path.read_bytes()
    with pytest.raises(WrongSecret, match="passphrase does not open"):
        Journal.open(journal_path, "not the passphrase")
    assert Journal.open(journal_path, PASSPHRASE).entries()[0].text == "hello"
    assert journal_path.read_bytes()[:100] == before[:100]


def test_passphrase_change_keeps_records_and_retires_the_old_one(journal, journal_path):
    ids = [journal.add(Entry(text=f"entry {n}")).id for n in range(5)]
    journal.change_passphrase("a new passphrase")
    journal.lock()
    with pytest.raises(WrongSecret):
        Journal.open(journal_path, PASSPHRASE)
    reopened = Journal.open(journal_path, "a new passphrase")
    assert sorted(e.id for e in reopened.entries()) == sorted(ids)


def test_recovery_code_unlocks_and_resets(journal_path):
    journal, code = Journal.create(journal_path, PASSPHRASE)
    journal.add(Entry(text="kept"))
    journal.lock()
    # Written down by hand: lower case, spaces instead of dashes, O for 0.
    typed = code.lower().replace("-", " ").replace("0", "o")
    with Journal.open_with_recovery_code(journal_path, typed) as recovered:
        recovered.change_passphrase("brand new passphrase")
    assert Journal.open(journal_path, "brand new passphrase").entries()[0].text == "kept"
    with pytest.raises(WrongSecret, match="recovery code"):
        Journal.open_with_recovery_code(journal_path, "AAAA-" * 7 + "AAAA")


def test_recovery_code_is_grouped_and_high_entropy(journal_path):
    _journal, code = Journal.create(journal_path, PASSPHRASE)
    groups = code.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    _other, code2 = Journal.create(journal_path.with_name("other.db"), PASSPHRASE)
    assert code != code2


def _flip_byte(path, table, column, key_column, key, offset):
    conn = sqlite3.connect(path)
    (value,) = conn.execute(f"SELECT {column} FROM {table} WHERE {key_column}=?", (key,)).fetchone()
    raw = bytearray(value if isinstance(value, bytes) else value.encode())
    raw[offset % len(raw)] ^= 0x01
    new = bytes(raw) if isinstance(value, bytes) else raw.decode("latin-1")
    conn.execute(f"UPDATE {table} SET {column}=? WHERE {key_column}=?", (new, key))
    conn.commit()
    conn.close()


def test_changed_byte_in_a_record_is_named_and_the_rest_opens(journal, journal_path):
    damaged = journal.add(Entry(text="will be damaged"))
    kept = journal.add(Entry(text="still fine"))
    journal.lock()
    _flip_byte(journal_path, "records", "blob", "id", damaged.id, 20)

    reopened = Journal.open(journal_path, PASSPHRASE)
    assert [e.text for e in reopened.entries()] == [kept.text]
    assert any(damaged.id in problem for problem in reopened.problems)


@pytest.mark.parametrize("column,offset", [("wrapped", 0), ("wrapped", 30), ("kdf", 40)])
def test_changed_byte_in_the_key_slot_is_detected(journal, journal_path, column, offset):
    journal.lock()
    _flip_byte(journal_path, "key_slots", column, "name", "passphrase", offset)
    with pytest.raises((WrongSecret, NotAJournal)):
        Journal.open(journal_path, PASSPHRASE)


def _delete_behind_the_apps_back(path, record_id):
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM records WHERE id=?", (record_id,))
    conn.commit()
    conn.close()


def test_deleted_record_is_noticed(journal, journal_path):
    gone = journal.add(Entry(text="to be removed behind the app's back"))
    journal.add(Entry(text="stays"))
    journal.lock()
    _delete_behind_the_apps_back(journal_path, gone.id)
    reopened = Journal.open(journal_path, PASSPHRASE)
    assert [e.text for e in reopened.entries()] == ["stays"]
    assert any("changed outside the app" in p for p in reopened.problems)


def test_older_copy_of_a_record_is_noticed(journal, journal_path):
    entry = journal.add(Entry(text="first version"))
    conn = sqlite3.connect(journal_path)
    (old_blob,) = conn.execute("SELECT blob FROM records WHERE id=?", (entry.id,)).fetchone()
    conn.close()
    entry.text = "second version"
    journal.update(entry)
    journal.lock()
    conn = sqlite3.connect(journal_path)
    conn.execute("UPDATE records SET blob=? WHERE id=?", (old_blob, entry.id))
    conn.commit()
    conn.close()
    reopened = Journal.open(journal_path, PASSPHRASE)
    assert any("older or foreign copy" in p for p in reopened.problems)


def test_a_record_moved_to_another_id_does_not_open(journal, journal_path):
    entry = journal.add(Entry(text="moved"))
    journal.lock()
    conn = sqlite3.connect(journal_path)
    conn.execute("UPDATE records SET id=? WHERE id=?", ("f" * 32, entry.id))
    conn.commit()
    conn.close()
    reopened = Journal.open(journal_path, PASSPHRASE)
    assert reopened.entries() == []
    assert any("f" * 32 in p for p in reopened.problems)


def test_no_plaintext_canary_anywhere_in_the_folder(journal, journal_path):
    entry = journal.add(Entry(text=f"secret {CANARY}", tags=[f"tag-{CANARY}"]))
    journal.track(f"addiction {CANARY}")
    entry.text = f"edited {CANARY} again"
    journal.update(entry)
    doomed = journal.add(Entry(text=f"deleted {CANARY}"))
    journal.delete(doomed)
    journal.add(Urge(addiction="alcohol", intensity=3, trigger_note=CANARY))
    journal.lock()

    needles = [CANARY.encode(), CANARY.encode("utf-16-le"), b"alcohol", b"gambling",
               b"entry", b"urge"]
    for path in journal_path.parent.iterdir():
        blob = path.read_bytes()
        for needle in needles:
            assert needle not in blob, f"{needle!r} found in {path.name}"


def test_files_are_private_under_umask_022(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "new-folder" / "j.db"
        journal, _ = Journal.create(path, PASSPHRASE)
        journal.add(Entry(text="x"))
        for file in path.parent.iterdir():
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        journal.lock()
    finally:
        os.umask(old)


def test_missing_file_and_foreign_files_give_clear_errors(tmp_path):
    with pytest.raises(NoJournal, match="recoveryjournal init"):
        Journal.open(tmp_path / "none.db", PASSPHRASE)
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n")
    with pytest.raises(NotAJournal):
        Journal.open(text, PASSPHRASE)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(NotAJournal):
        Journal.open(empty, PASSPHRASE)
    with pytest.raises(NotAJournal, match="folder"):
        Journal.open(tmp_path, PASSPHRASE)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(NotAJournal):
        Journal.open(other, PASSPHRASE)
    assert text.read_text() == "just some notes\n"


def test_newer_format_is_refused_untouched(journal, journal_path):
    journal.lock()
    conn = sqlite3.connect(journal_path)
    conn.execute("UPDATE vault SET value=? WHERE key='format'", (b"99",))
    conn.commit()
    conn.close()
    with pytest.raises(NewerFormat, match="newer version"):
        Journal.open(journal_path, PASSPHRASE)


def test_kdf_parameters_beyond_the_ceiling_are_refused(journal, journal_path):
    journal.lock()
    conn = sqlite3.connect(journal_path)
    (kdf,) = conn.execute("SELECT kdf FROM key_slots WHERE name='passphrase'").fetchone()
    huge = kdf.replace('"memory_kib":64', f'"memory_kib":{100 * 1024 * 1024}')
    assert huge != kdf
    conn.execute("UPDATE key_slots SET kdf=? WHERE name='passphrase'", (huge,))
    conn.commit()
    conn.close()
    with pytest.raises(NotAJournal, match="outside the allowed range"):
        Journal.open(journal_path, PASSPHRASE)


def test_shipped_floor_is_rfc9106_second_option():
    import subprocess
    import sys

    # conftest lowers the floor in-process for speed; ask a fresh interpreter.
    out = subprocess.run(
        [sys.executable, "-c", "from recoveryjournal.vault import crypto as c; "
         "f = c.KDF_FLOOR; print(f.memory_kib, f.iterations, f.lanes)"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out == ["65536", "3", "4"]


def test_deferred_check_finds_a_deleted_record_after_the_dashboard(journal, journal_path):
    gone = journal.add(Entry(text="removed behind the app's back"))
    journal.add(Entry(text="stays"))
    journal.lock()
    _delete_behind_the_apps_back(journal_path, gone.id)
    reopened = Journal.open(journal_path, PASSPHRASE)
    reopened.load(verify=False)
    assert [e.text for e in reopened.entries()] == ["stays"]
    found = reopened.verify()
    assert found and "should hold 3 records but holds 2" in found[0]
    assert found[0] in reopened.problems
    assert reopened.verify() == []  # checked once


def test_preloaded_unlock_sees_a_write_made_after_the_prefetch(journal, journal_path):
    journal.add(Entry(text="before"))
    journal.lock()
    from recoveryjournal.vault.vault import Vault

    vault = Vault.open(journal_path, PASSPHRASE, preload=True)
    vault._prefetch.result()  # the prefetch has finished reading...
    other = Journal.open(journal_path, PASSPHRASE)
    other.add(Entry(text="after"))  # ...then another process writes
    other.lock()
    reopened = Journal(vault)
    assert sorted(e.text for e in reopened.entries()) == ["after", "before"]
    assert reopened.problems == []


def test_preload_with_a_wrong_passphrase_still_refuses(journal, journal_path):
    journal.lock()
    with pytest.raises(WrongSecret):
        Journal.open(journal_path, "wrong", preload=True)


def test_after_tampering_is_shown_the_person_can_carry_on(journal, journal_path):
    gone = journal.add(Entry(text="removed behind the app's back"))
    journal.add(Entry(text="stays"))
    journal.lock()
    _delete_behind_the_apps_back(journal_path, gone.id)
    reopened = Journal.open(journal_path, PASSPHRASE)
    assert reopened.problems
    reopened.accept_changes()
    assert reopened.problems == []
    reopened.add(Entry(text="new after accepting"))
    reopened.lock()
    again = Journal.open(journal_path, PASSPHRASE)
    assert again.problems == [] and len(again.entries()) == 2


def test_the_screen_and_the_worker_take_turns_with_their_transactions(journal):
    """The app's UI thread and its worker share one connection. The worker reading
    the summary inside a read transaction while the dashboard began its own made
    the second BEGIN fail, and the app stopped ("cannot start a transaction within
    a transaction"). Now the second waits for the first, and a write after it too."""
    import threading

    from recoveryjournal.records import Entry as NewEntry

    store = journal._live_vault().store
    inside, release = threading.Event(), threading.Event()
    outcomes: list[str] = []

    def worker_reads():
        with store.snapshot():
            inside.set()
            release.wait(10)

    def screen_reads_then_writes():
        try:
            journal.summary()  # a read in a snapshot of its own
            journal.add(NewEntry(text="written while the worker read"))
            outcomes.append("ok")
        except Exception as exc:  # what the person would have seen
            outcomes.append(repr(exc))

    first = threading.Thread(target=worker_reads)
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=screen_reads_then_writes)
    second.start()
    second.join(1)  # it waits for its turn (or, without turns, has failed by now)
    release.set()
    first.join(10)
    second.join(10)
    assert outcomes == ["ok"]
    assert "written while the worker read" in [e.text for e in journal.entries()]
