"""Importing from jrnl: files made by jrnl 4.6 itself (tests/fixtures/jrnl/README.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from recoveryjournal.export import jrnl_import
from recoveryjournal.export.json_import import ImportFailed
from recoveryjournal.records import Entry

FIXTURES = Path(__file__).parent / "fixtures" / "jrnl"
PASSWORD = "fixture password"


def local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").astimezone()


def imported(journal, name: str, password: str | None = None) -> list[Entry]:
    prepared = jrnl_import.read_jrnl(FIXTURES / name, (lambda: password) if password else None)
    jrnl_import.import_entries(journal, prepared)
    return journal.entries(newest_first=False)


def test_plain_text_journal_made_by_jrnl(journal):
    entries = imported(journal, "plain.txt")
    assert [e.when for e in entries] == [local("2024-03-01 10:00"), local("2024-03-02 21:30"),
                                         local("2024-03-03 08:15"), local("2024-03-04 19:45")]
    assert entries[0].text == ("Called my sponsor after work.\nTalked about the @craving at "
                               "the bus stop and what I did instead.")
    assert entries[0].tags == ["craving"]
    assert entries[1].text == "Went to the Tuesday @meeting.\nFelt heard."
    assert sorted(entries[1].tags) == ["meeting", "starred"]
    assert sorted(entries[2].tags) == ["tools", "urge"]
    assert "Skriver på svenska också" in entries[3].text and entries[3].tags == []


def test_json_export_made_by_jrnl_gives_the_same_entries(journal, tmp_path):
    from recoveryjournal.journal import Journal
    from helpers import PASSPHRASE

    from_json = imported(journal, "export.json")
    other, _code = Journal.create(tmp_path / "o" / "j.db", PASSPHRASE)
    from_text = imported(other, "plain.txt")
    assert [(e.when, e.text, sorted(e.tags)) for e in from_json] == \
        [(e.when, e.text, sorted(e.tags)) for e in from_text]


def test_encrypted_journal_made_by_jrnl(journal):
    assert (FIXTURES / "encrypted.txt").read_bytes().startswith(b"JRNLv3")
    entries = imported(journal, "encrypted.txt", PASSWORD)
    assert [e.text.splitlines()[0] for e in entries] == [
        "First entry in the locked journal.", "Second one, starred.", "Third.",
        "Fourth, with @two @tags."]
    assert entries[0].tags == ["private"]
    assert sorted(entries[1].tags) == ["starred", "tag"]
    assert sorted(entries[3].tags) == ["tags", "two"]
    assert entries[2].when == local("2024-04-03 07:30")


def test_wrong_jrnl_password_imports_nothing(journal):
    with pytest.raises(ImportFailed, match="password does not open"):
        imported(journal, "encrypted.txt", "not it")
    assert journal.count(Entry) == 0


def test_importing_the_same_journal_twice_adds_nothing_twice(journal):
    imported(journal, "plain.txt")
    prepared = jrnl_import.read_jrnl(FIXTURES / "plain.txt")
    assert jrnl_import.import_entries(journal, prepared) == (0, 4)
    assert journal.count(Entry) == 4


@pytest.mark.parametrize("content, message", [
    ("", "empty"),
    ("Just some notes without dates\n", "No jrnl entries were found"),
    ("Preamble\n[2024-03-01 10:00] An entry\n", "starts with text"),
    ('{"entries": [{"title": "x", "date": "2024-13-45", "time": "10:00"}]}', "Entry 1"),
    ('{"entries": [{"title": "x"}]}', "Entry 1"),
    ('{"tags": {}}', "no list of entries"),
    ("{not json", "not valid JSON"),
])
def test_malformed_files_give_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text(content)
    with pytest.raises(ImportFailed, match=message):
        jrnl_import.read_jrnl(path)


def test_a_damaged_encrypted_journal_imports_nothing(journal, tmp_path):
    data = bytearray((FIXTURES / "encrypted.txt").read_bytes())
    data[-10] ^= 1
    path = tmp_path / "damaged.txt"
    path.write_bytes(bytes(data))
    with pytest.raises(ImportFailed):
        jrnl_import.read_jrnl(path, lambda: PASSWORD)
    assert journal.count(Entry) == 0


def test_other_timeformats_and_tag_symbols(tmp_path):
    path = tmp_path / "j.txt"
    path.write_text("[01.03.2024 10:00] Title #one @two\n\n[02.03.2024 11:00] Next *\n")
    prepared = jrnl_import.read_jrnl(path, timeformat="%d.%m.%Y %H:%M", tagsymbols="#@")
    assert [sorted(e.tags) for e in prepared.entries] == [["one", "two"], ["starred"]]
    assert prepared.entries[1].text == "Next"


def test_jrnl_config_default_timeformat_is_understood(tmp_path):
    path = tmp_path / "j.txt"
    path.write_text("[2024-03-01 10:00:00 PM] Evening entry\n")
    prepared = jrnl_import.read_jrnl(path)
    assert prepared.entries[0].when == local("2024-03-01 22:00")


def test_older_v2_encrypted_journals_open_too(tmp_path):
    """jrnl 2.x-4.x wrote a bare Fernet token keyed with a fixed salt; jrnl 4.6 can
    no longer write one, so this one is made here the way jrnl 2 made them."""
    import base64

    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    from recoveryjournal.vault.jrnl_crypto import V2_FIXED_SALT

    key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=V2_FIXED_SALT,
                     iterations=100_000).derive(b"old password")
    token = Fernet(base64.urlsafe_b64encode(key)).encrypt(
        b"[2019-05-01 09:00] An old entry. @tools\n")
    path = tmp_path / "old.txt"
    path.write_bytes(token)
    prepared = jrnl_import.read_jrnl(path, lambda: "old password")
    assert [(e.text, e.tags) for e in prepared.entries] == [("An old entry. @tools", ["tools"])]
