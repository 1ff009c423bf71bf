"""Kind hints (file format 2): a search decrypts only the entries, the hints say
nothing without the key, an edited hint is noticed, and format 1 files migrate."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, Meeting, Urge
from recoveryjournal.vault.errors import WrongSecret

from helpers import PASSPHRASE

FORMAT1 = Path(__file__).parent / "fixtures" / "format1" / "journal.db"
FORMAT1_PASSPHRASE = "format one passphrase"
FORMAT1_CODE = "YPQN-J343-DSDC-KWE1-NT9V-SYEG-VRDC-CSPQ"
START = datetime(2025, 1, 1, 9, 0, tzinfo=timezone.utc)


def _fill(journal, entries=40, urges=40):
    for i in range(entries):
        journal.add(Entry(text=f"day {i} by the lighthouse" if i % 4 == 0 else f"day {i}",
                          when=START + timedelta(days=i)))
    for i in range(urges):
        journal.add(Urge(addiction="alcohol", intensity=i % 11, outcome="resisted",
                         when=START + timedelta(days=i, hours=3)))


def _hints(path) -> list:
    db = sqlite3.connect(path)
    try:
        return [row[0] for row in db.execute("SELECT hint FROM records")]
    finally:
        db.close()


def _format_of(path) -> bytes:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT value FROM vault WHERE key = 'format'").fetchone()[0]
    finally:
        db.close()


def test_stored_hints_look_random_whatever_the_kind(journal, journal_path):
    _fill(journal, entries=64, urges=64)
    hints = _hints(journal_path)
    assert all(isinstance(h, int) and 0 <= h <= 255 for h in hints)
    # 129 records of three kinds: plain codes would give three values.
    assert len(set(hints)) > 40
    assert Counter(hints).most_common(1)[0][1] < 10


def test_a_search_decrypts_only_the_entries(journal, journal_path):
    _fill(journal)
    journal.lock()
    opened = Journal.open(journal_path, PASSPHRASE)
    result = opened._vault.read_all(verify=False, only_codes=frozenset({2}))
    assert len(result.plaintexts) == 40  # the urges and the settings stayed sealed
    opened.load(verify=False, check_later=False, kinds=("entry",))
    found = opened.search("LIGHTHOUSE")
    assert [e.text for e in found][:2] == ["day 36 by the lighthouse", "day 32 by the lighthouse"]
    assert len(found) == 10
    # Asking for another kind after a partial load reads everything.
    assert len(opened.records(Urge)) == 40
    assert opened.settings().addiction("alcohol") is not None
    opened.lock()


def test_an_edited_hint_is_noticed_at_the_full_read_and_accepted_on_request(journal, journal_path):
    _fill(journal, entries=5, urges=5)
    urge_id = journal.records(Urge)[0].id
    journal.lock()
    db = sqlite3.connect(journal_path)
    (hint,) = db.execute("SELECT hint FROM records WHERE id = ?", (urge_id,)).fetchone()
    with db:
        db.execute("UPDATE records SET hint = ? WHERE id = ?", (hint ^ 3 ^ 2, urge_id))  # urge -> entry
    db.close()

    opened = Journal.open(journal_path, PASSPHRASE)
    opened.load()
    assert any("kind marker of 1 record" in p and urge_id in p for p in opened.problems)
    assert len(opened.records(Urge)) == 5  # the record itself still opens as what it is
    assert opened.outside_changes == opened.problems
    opened.accept_changes()
    assert opened.problems == [] and opened.outside_changes == []
    opened.lock()

    again = Journal.open(journal_path, PASSPHRASE)
    again.load()
    assert again.problems == []
    again.lock()


def test_a_deferred_check_also_reports_an_edited_hint(journal, journal_path):
    _fill(journal, entries=3, urges=3)
    entry_id = journal.entries()[0].id
    journal.lock()
    db = sqlite3.connect(journal_path)
    with db:
        db.execute("UPDATE records SET hint = 'x' WHERE id = ?", (entry_id,))
    db.close()
    opened = Journal.open(journal_path, PASSPHRASE)
    opened.load(verify=False)
    assert opened.problems == []
    found = opened.verify()
    assert len(found) == 1 and entry_id in found[0]
    assert opened.outside_changes == found
    opened.lock()


@pytest.fixture
def format1_copy(tmp_path):
    copy = tmp_path / "old" / "journal.db"
    copy.parent.mkdir()
    shutil.copyfile(FORMAT1, copy)
    return copy


def _dump(path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def test_a_wrong_passphrase_leaves_a_format_1_file_untouched(format1_copy):
    before = _dump(format1_copy)
    with pytest.raises(WrongSecret):
        Journal.open(format1_copy, "not the passphrase")
    assert _dump(format1_copy) == before  # same schema, same rows: still format 1
    assert _format_of(format1_copy) == b"1"


@pytest.mark.parametrize("how", ["passphrase", "recovery code"])
def test_a_format_1_file_migrates_when_opened_and_keeps_everything(format1_copy, how):
    if how == "passphrase":
        opened = Journal.open(format1_copy, FORMAT1_PASSPHRASE)
    else:
        opened = Journal.open_with_recovery_code(format1_copy, FORMAT1_CODE)
    assert _format_of(format1_copy) == b"3"  # 1 -> 2 -> 3 (WITHOUT ROWID, buckets)
    assert _hints(format1_copy) == [None] * 8  # the column is there, not yet filled
    opened.load()
    assert opened.problems == []
    assert [e.text for e in opened.entries(newest_first=False)] == [
        f"Entry {i}: walked to the lighthouse" for i in range(3)]
    assert [m.group for m in opened.records(Meeting)] == ["Tuesday group"]
    assert len(opened.records(Urge)) == 1
    assert opened.tracked_addictions() == ["alcohol"]
    opened.lock()
    assert None not in _hints(format1_copy)  # filled by that first full read

    # The filled hints are right: a partial read finds exactly the entries.
    again = Journal.open(format1_copy, FORMAT1_PASSPHRASE)
    result = again._vault.read_all(verify=False, only_codes=frozenset({2}))
    assert len(result.plaintexts) == 3
    again.load()
    assert again.problems == []
    again.lock()


def test_the_cli_searches_a_format_1_file(format1_copy):
    """The real command, real KDF: search finds the entries of an old file, and a
    write afterwards is read back by the next search."""
    def rj(*args):
        return subprocess.run(
            [sys.executable, "-m", "recoveryjournal", "--journal", str(format1_copy), *args],
            input=f"{FORMAT1_PASSPHRASE}\n", capture_output=True, text=True, timeout=120)

    found = rj("search", "lighthouse")
    assert found.returncode == 0, found.stderr
    assert found.stdout.count("walked to the lighthouse") == 3
    assert "3 entries found." in found.stdout
    assert rj("write", "A new lighthouse walk").returncode == 0
    found = rj("search", "lighthouse")
    assert "4 entries found." in found.stdout
    assert _format_of(format1_copy) == b"3" and None not in _hints(format1_copy)


def _texts(found):
    return sorted(e.text for e in found)


@pytest.mark.parametrize("query, expected", [
    ("strasse", ["STRASSE", "Straße nach Hause"]),
    ("ÅNGEST", ["Ångest i kväll"]),
    ("ångest", ["Ångest i kväll"]),
    ("Ascii WORDS", ["plain ascii words"]),
    ("å", ["Ångest i kväll"]),
    ("nothing", []),
])
def test_search_folds_case_in_ascii_and_other_text(journal_path, query, expected):
    created, _code = Journal.create(journal_path, PASSPHRASE)
    for text in ["Straße nach Hause", "STRASSE", "Ångest i kväll", "plain ascii words"]:
        created.add(Entry(text=text, when=START))
    created.lock()
    opened = Journal.open(journal_path, PASSPHRASE)
    opened.load(verify=False, check_later=False, kinds=("entry",))
    assert _texts(opened.search(query)) == expected
    opened.lock()


def test_the_kinds_handed_over_are_met_in_the_order_read():
    """An export's read hands records over without keeping them; their kinds are
    kept a byte each, in the order read, and met in that order by the check of
    the kind markers (rows without a marker are not gone through)."""
    from recoveryjournal.journal import _HandedKinds

    handed = _HandedKinds()
    ids = [f"{n:032x}" for n in range(1, 5)]
    for record_id, kind in zip(ids, ["urge", "entry", "urge", "use"]):
        handed.add(record_id, kind)
    walk = handed.walk([ids[1]])  # the second row has no marker: never met
    assert walk.kind("f" * 32) is None  # a row that was not handed over
    assert walk.kind(ids[0]) == "urge"
    assert walk.kind(ids[0]) is None  # met once
    assert walk.kind(ids[2]) == "urge" and not walk.finished
    assert walk.kind(ids[3]) == "use" and walk.finished
    assert handed.of([ids[1], "x"]) == {ids[1]: "entry"}
    assert len(handed) == 4
