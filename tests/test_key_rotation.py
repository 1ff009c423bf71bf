"""A new passphrase or recovery code retires the old one; sizes say nothing about kinds.

Changing the passphrase or the recovery code replaces the data key and seals every
record again, so a key slot from before the change (copied back into the file, or
kept in a backup) opens nothing written since. Records of every kind pad to the
same sizes, and the table keeps them in id order, not in the order they were written.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.records import (Addiction, Checkin, Entry, ExerciseResponse,
                                     Meeting, Mood, Urge, Use)
from recoveryjournal.vault.errors import KeyChanged, RetiredSecret, WrongSecret

from helpers import PASSPHRASE

NEW = "a brand new passphrase"
FORMAT1 = Path(__file__).parent / "fixtures" / "format1" / "journal.db"
FORMAT1_PASSPHRASE = "format one passphrase"
FORMAT1_CODE = "YPQN-J343-DSDC-KWE1-NT9V-SYEG-VRDC-CSPQ"


def rows(path: Path, query: str, *args) -> list:
    db = sqlite3.connect(path)
    try:
        return db.execute(query, args).fetchall()
    finally:
        db.close()


def change(path: Path, query: str, *args) -> None:
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute(query, args)
    finally:
        db.close()


def slot(path: Path, name: str) -> tuple:
    return rows(path, "SELECT kdf, wrapped FROM key_slots WHERE name = ?", name)[0]


def put_slot(path: Path, name: str, kdf: str, wrapped: bytes) -> None:
    change(path, "INSERT OR REPLACE INTO key_slots VALUES (?, ?, ?)", name, kdf, wrapped)


@pytest.fixture
def made(journal_path):
    journal, code = Journal.create(journal_path, PASSPHRASE, addictions=["alcohol"])
    ids = [journal.add(Entry(text=f"before the change {n}")).id for n in range(5)]
    journal.lock()
    return journal_path, code, ids


def test_after_passwd_an_old_passphrase_slot_copied_back_does_not_open(made):
    path, code, ids = made
    old_slot = slot(path, "passphrase")
    with Journal.open(path, PASSPHRASE) as journal:
        journal.change_passphrase(NEW)
        later = journal.add(Entry(text="written after the change")).id
    put_slot(path, "passphrase", *old_slot)  # what someone with an old copy could do
    with pytest.raises(RetiredSecret, match="replaced by a newer one"):
        Journal.open(path, PASSPHRASE)
    # Put the new slot back: everything, old and new, opens with the new passphrase.
    with Journal.open_with_recovery_code(path, code) as journal:
        journal.change_passphrase(NEW)
    with Journal.open(path, NEW) as journal:
        assert sorted(e.id for e in journal.entries()) == sorted([*ids, later])
        assert journal.problems == []


def test_passwd_keeps_the_recovery_code_and_old_backups_keep_the_old_passphrase(
        made, tmp_path):
    path, code, ids = made
    backup = tmp_path / "backup.db"
    with Journal.open(path, PASSPHRASE) as journal:
        journal.backup(backup)
        assert journal.change_passphrase(NEW) is None  # no new code needed
    with Journal.open_with_recovery_code(path, code) as journal:
        assert sorted(e.id for e in journal.entries()) == sorted(ids)
    with pytest.raises(WrongSecret):
        Journal.open(path, PASSPHRASE)
    # What the messages say: a backup made before still opens with the old one.
    with Journal.open(backup, PASSPHRASE) as old:
        assert len(old.entries()) == 5


def test_a_new_recovery_code_retires_the_old_one_even_with_its_slot_copied_back(made):
    path, code, ids = made
    old_slot = slot(path, "recovery-key")
    old_seal = rows(path, "SELECT value FROM vault WHERE key = 'recovery_seal'")[0][0]
    with Journal.open(path, PASSPHRASE) as journal:
        new_code = Journal.new_recovery_code()
        with pytest.raises(WrongSecret):
            journal.replace_recovery_code("not the passphrase", new_code)
        journal.replace_recovery_code(PASSPHRASE, new_code)
    assert new_code != code
    with pytest.raises(WrongSecret):
        Journal.open_with_recovery_code(path, code)
    put_slot(path, "recovery-key", *old_slot)
    change(path, "UPDATE vault SET value = ? WHERE key = 'recovery_seal'", old_seal)
    with pytest.raises(RetiredSecret, match="recovery code was replaced"):
        Journal.open_with_recovery_code(path, code)


def test_the_new_recovery_code_and_the_unchanged_passphrase_open_everything(made):
    path, _code, ids = made
    with Journal.open(path, PASSPHRASE) as journal:
        new_code = Journal.new_recovery_code()
        journal.replace_recovery_code(PASSPHRASE, new_code)
    for opener in (lambda: Journal.open(path, PASSPHRASE),
                   lambda: Journal.open_with_recovery_code(path, new_code.lower())):
        with opener() as journal:
            assert sorted(e.id for e in journal.entries()) == sorted(ids)
            assert journal.problems == []


def test_an_old_journal_gets_a_new_recovery_code_at_passwd(tmp_path):
    """A format 1 file's recovery slot wraps the data key itself; the code is not
    known at passwd, so a new one is issued and the old one retired."""
    path = tmp_path / "journal.db"
    shutil.copyfile(FORMAT1, path)
    with Journal.open(path, FORMAT1_PASSPHRASE) as journal:
        issued = journal.change_passphrase(NEW)
    assert issued and issued != FORMAT1_CODE
    with pytest.raises(WrongSecret):
        Journal.open_with_recovery_code(path, FORMAT1_CODE)
    with Journal.open_with_recovery_code(path, issued) as journal:
        assert len(journal.entries()) == 3 and journal.problems == []


def test_recovering_an_old_journal_keeps_the_code_that_was_typed(tmp_path):
    path = tmp_path / "journal.db"
    shutil.copyfile(FORMAT1, path)
    with Journal.open_with_recovery_code(path, FORMAT1_CODE) as journal:
        assert journal.change_passphrase(NEW, recovery_code=FORMAT1_CODE) is None
    with Journal.open_with_recovery_code(path, FORMAT1_CODE) as journal:
        assert len(journal.entries()) == 3 and journal.problems == []
    assert [name for (name,) in rows(path, "SELECT name FROM key_slots ORDER BY name")] == [
        "passphrase", "recovery-key"]


def test_a_record_rolled_back_before_the_change_is_still_reported_after(made):
    path, _code, ids = made
    old_blob = rows(path, "SELECT blob FROM records WHERE id = ?", ids[0])[0][0]
    with Journal.open(path, PASSPHRASE) as journal:
        entry = journal.get(ids[0])
        entry.text = "edited"
        journal.update(entry)
    change(path, "UPDATE records SET blob = ? WHERE id = ?", old_blob, ids[0])
    with Journal.open(path, PASSPHRASE) as journal:
        journal.change_passphrase(NEW)  # the rotation must not bless the rollback
    with Journal.open(path, NEW) as journal:
        assert any("older or foreign copy" in p for p in journal.problems)


def test_a_window_still_holding_the_old_key_cannot_write(made):
    path, _code, _ids = made
    other_window = Journal.open(path, PASSPHRASE)
    with Journal.open(path, PASSPHRASE) as journal:
        journal.change_passphrase(NEW)
    with pytest.raises(KeyChanged, match="changed in another window"):
        other_window.add(Entry(text="typed in the other window"))
    with pytest.raises(KeyChanged):  # not "every record is damaged"
        other_window.load()
    other_window.lock()
    with Journal.open(path, NEW) as journal:
        assert journal.problems == [] and len(journal.entries()) == 5


def test_no_old_key_slot_lingers_in_the_write_ahead_log(made):
    path, _code, _ids = made
    old_wrapped = slot(path, "passphrase")[1]
    with Journal.open(path, PASSPHRASE) as journal:
        journal.change_passphrase(NEW)
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    for leftover in path.parent.iterdir():
        assert old_wrapped not in leftover.read_bytes(), leftover.name


def test_the_sealed_state_counts_writes_and_keeps_the_time(made):
    path, _code, _ids = made
    with Journal.open(path, PASSPHRASE) as journal:
        writes, saved = journal.last_saved()
        journal.add(Entry(text="one more"))
        assert journal.last_saved()[0] == writes + 1
    # create (1) + settings (1) + five entries
    assert writes == 7
    assert datetime.now(timezone.utc) - saved < timedelta(minutes=5)


# ---- sizes and order ---------------------------------------------------------------


def test_records_of_every_kind_with_short_content_seal_to_the_same_size(journal_path):
    journal, _code = Journal.create(journal_path, PASSPHRASE)
    settings = journal.settings()
    settings.addictions = [Addiction(name=name, goal="limit-per-week", limit=3, unit="drinks",
                                     cost_per_use=120) for name in
                           ("alcohol", "cannabis", "gambling", "nicotine")]
    journal.save_settings(settings)
    made = [
        journal.add(Entry(text="Called my sponsor.", mood=4, tags=["call"])),
        journal.add(Urge(addiction="alcohol", intensity=7, intensity_after=3, minutes=20,
                         trigger="stress", trigger_note="a hard call with my manager",
                         place="kitchen", people="alone", feelings=["tense", "tired"],
                         coping=["walk", "called a friend"], outcome="resisted")),
        journal.add(Use(addiction="alcohol", amount=2, unit="drinks", money=140, minutes=60,
                        note="after work")),
        journal.add(Checkin(items=[3, 3, 2, 4, 3])),
        journal.add(Mood(mood=3)),
        journal.add(Meeting(group="Tuesday group", note="shared about the weekend")),
        journal.add(ExerciseResponse(exercise_id="urge-surfing", answers={"plan": "walk"},
                                     finished=True)),
    ]
    journal.save_draft("entry:new", {"text": "half a thought"})
    journal.lock()
    sizes = {kind: len(blob) for kind, blob in
             rows(journal_path, "SELECT id, blob FROM records")}
    assert len(sizes) == len(made) + 2  # settings and the draft
    # Every kind alike; the settings record (its id is public) in its own larger
    # bucket, however many addictions and goals it holds.
    assert sizes.pop("settings") == 12 + 3072 + 16
    assert set(sizes.values()) == {12 + 768 + 16}, sizes


def test_records_are_kept_in_id_order_and_edited_in_place(journal, journal_path):
    added = [journal.add(Entry(text=f"entry {n}")) for n in range(30)]
    added[0].text = "edited after all the others"
    journal.update(added[0])
    schema = rows(journal_path, "SELECT sql FROM sqlite_master WHERE name = 'records'")[0][0]
    assert "WITHOUT ROWID" in schema
    # The table itself (not the index on the masked hints, which SQLite would read
    # for the ids alone, in random-looking hint order).
    on_disk = [rid for (rid, _size) in rows(journal_path,
                                            "SELECT id, length(blob) FROM records")]
    assert on_disk == sorted(on_disk)  # the order shows neither writing nor editing


# ---- ids -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../../etc", "A" * 32, "0" * 31, "settings", "é" * 32, 7])
def test_ids_outside_the_defined_forms_are_refused_on_import_and_write(journal, bad):
    from recoveryjournal import records
    from recoveryjournal.records import InvalidRecord

    document = records.to_dict(Entry(text="imported"))
    document["id"] = bad
    with pytest.raises(InvalidRecord, match="not valid: ids are 32 lower-case hex"):
        records.from_dict(document)
    if isinstance(bad, str):
        with pytest.raises(InvalidRecord):
            journal.add(Entry(id=bad, text="typed"))
    assert journal.entries() == []


def test_ids_differing_only_in_case_get_different_hint_masks():
    from recoveryjournal.vault.kind_hints import hint_block

    lower = "ab" * 16
    assert hint_block(lower) == bytes.fromhex(lower)
    assert hint_block(lower.upper()) != hint_block(lower)


def test_a_row_with_a_non_text_id_survives_migration_and_rotation(tmp_path):
    """Keyset paging by text id must not skip a row edited by hand to an integer id."""
    path = tmp_path / "journal.db"
    shutil.copyfile(FORMAT1, path)
    change(path, "INSERT INTO records (id, blob) VALUES (?, ?)", 12345, b"\x00" * 60)
    before = rows(path, "SELECT count(*) FROM records")[0][0]
    with Journal.open(path, FORMAT1_PASSPHRASE) as journal:  # migrates to format 3
        assert rows(path, "SELECT count(*) FROM records")[0][0] == before
        journal.change_passphrase(NEW)
    assert rows(path, "SELECT count(*) FROM records")[0][0] == before


def test_an_old_journal_on_read_only_media_is_read_as_it_is(tmp_path):
    """File and folder read-only (a USB stick locked, a backup disk): the CLI reads
    a format 1 file without migrating it (even as root: capabilities dropped)."""
    import ctypes
    import subprocess
    import sys

    def drop_dac_override() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):
            libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP; harmless if not root

    folder = tmp_path / "stick"
    folder.mkdir()
    path = folder / "journal.db"
    shutil.copyfile(FORMAT1, path)
    path.chmod(0o400)
    folder.chmod(0o500)
    try:
        found = subprocess.run(
            [sys.executable, "-m", "recoveryjournal", "--journal", str(path), "search",
             "lighthouse"], input=f"{FORMAT1_PASSPHRASE}\n", capture_output=True, text=True,
            timeout=120, preexec_fn=drop_dac_override)
    finally:
        folder.chmod(0o700)
        path.chmod(0o600)
    assert found.returncode == 0, found.stderr
    assert "3 entries found." in found.stdout
    assert rows(path, "SELECT value FROM vault WHERE key = 'format'") == [(b"1",)]


def test_a_damaged_integrity_check_refuses_a_passphrase_change_in_words(made):
    path, _code, _ids = made
    change(path, "UPDATE vault SET value = ? WHERE key = 'integrity'", b"\x00" * 60)
    with Journal.open(path, PASSPHRASE) as journal:
        with pytest.raises(Exception, match="integrity check is damaged or missing, so "
                                            "nothing new was saved"):
            journal.change_passphrase(NEW)
    with Journal.open(path, PASSPHRASE) as journal:  # the old passphrase still works
        assert len(journal.entries()) == 5


FORMAT2 = Path(__file__).parent / "fixtures" / "format2" / "journal.db"
FORMAT2_PASSPHRASE = "format two passphrase"
FORMAT2_CODE = "3DWA-ZY4T-73XD-CTS6-09B8-Q7EF-7RMX-8FME"


@pytest.mark.parametrize("how", ["passphrase", "recovery code"])
def test_a_format_2_file_migrates_after_the_secret_matched_and_keeps_everything(tmp_path, how):
    path = tmp_path / "journal.db"
    shutil.copyfile(FORMAT2, path)
    with pytest.raises(WrongSecret):
        Journal.open(path, "not the passphrase")
    assert rows(path, "SELECT value FROM vault WHERE key = 'format'") == [(b"2",)]
    hints_before = dict(rows(path, "SELECT id, hint FROM records"))
    opened = (Journal.open(path, FORMAT2_PASSPHRASE) if how == "passphrase"
              else Journal.open_with_recovery_code(path, FORMAT2_CODE))
    with opened as journal:
        assert rows(path, "SELECT value FROM vault WHERE key = 'format'") == [(b"3",)]
        assert journal.problems == []
        assert [e.text for e in journal.entries(newest_first=False)] == [
            f"Entry {i}: a walk by the harbour" for i in range(3)]
        assert [m.group for m in journal.records(Meeting)] == ["Thursday group"]
    schema = rows(path, "SELECT sql FROM sqlite_master WHERE name = 'records'")[0][0]
    assert schema.endswith("WITHOUT ROWID")
    sizes = dict(rows(path, "SELECT id, length(blob) FROM records"))
    assert sizes.pop("settings") == 12 + 3072 + 16
    assert set(sizes.values()) == {796}
    assert dict(rows(path, "SELECT id, hint FROM records")) == hints_before  # same key
    # Both secrets of the old file still work after the migration.
    Journal.open(path, FORMAT2_PASSPHRASE).lock()
    Journal.open_with_recovery_code(path, FORMAT2_CODE).lock()


def test_records_at_the_same_moment_keep_the_order_they_were_written_in(journal, journal_path):
    """Rows come back in random id order now; equal times must not shuffle."""
    moment = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    written = [journal.add(Entry(text=f"same moment {n}", when=moment)).id for n in range(12)]
    journal.lock()
    for _ in range(2):
        with Journal.open(journal_path, PASSPHRASE) as reopened:
            assert [e.id for e in reopened.entries(newest_first=False)] == written
