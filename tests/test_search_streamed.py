"""The CLI's search (`Journal.find_entries`): it opens only the entries' rows, a
chunk at a time, keeps only those that may match, and finds exactly what a
search over the fully read journal finds; damaged and relabelled rows are
handled as a full read would."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoveryjournal.journal import Journal
from recoveryjournal.record_index import fold, may_hold, may_hold_among, searchable_text
from recoveryjournal.records import Entry, Meeting, Urge, to_json
from recoveryjournal.vault import kind_read
from recoveryjournal.vault.errors import NotAJournal

from helpers import PASSPHRASE
from helpers.tamper import sql

START = datetime(2025, 1, 1, 9, 0, tzinfo=timezone.utc)

TEXTS = [
    "Walked to the lighthouse", "LIGHTHOUSE at dawn, called Maria", "tea at home",
    'Said "no" to the pub', "Straße nach Hause", "strasse", "Ångest i kväll",
    "cafe\u0301 with Maria", "back\\slash day", "odd\x01byte here", "line one\nline two",
]
QUERIES = ["lighthouse", "LIGHTHOUSE maria", "pub", '"no"', "\\slash", "strasse", "ångest",
           "café", "CAFÉ maria", "odd\x01byte", "text", "kind", "nothing at all", "e"]


@pytest.fixture
def filled(journal, journal_path):
    for n, text in enumerate(TEXTS):
        journal.add(Entry(text=text, tags=["walk"] if n % 3 == 0 else [],
                          when=START + timedelta(days=n)))
        # Other kinds holding the same words must never be found, nor opened.
        journal.add(Urge(addiction="alcohol", intensity=n % 11, trigger_note=text,
                         when=START + timedelta(days=n, hours=2)))
    journal.add(Meeting(group="lighthouse group", when=START))
    journal.lock()
    return journal_path


def _ids(found) -> list[str]:
    return [e.id for e in found]


def test_it_finds_what_a_search_of_the_whole_journal_finds(filled):
    with Journal.open(filled, PASSPHRASE) as full:
        full.entries()  # everything decoded: the plain definition
        expected = {q: _ids(full.search(q)) for q in QUERIES}
    with Journal.open(filled, PASSPHRASE, preload="kinds") as searching:
        for query in QUERIES:
            assert _ids(searching.find_entries(query)) == expected[query], query
    assert len(expected["lighthouse"]) == 2 and expected["text"] == []
    assert len(expected["odd\x01byte"]) == 1  # JSON writes \x01 as an escape
    assert len(expected['"no"']) == 1 and len(expected["café"]) == 1


def test_only_the_entries_rows_are_opened_and_only_candidates_kept(filled, monkeypatch):
    seen = []
    original = kind_read.open_rows

    def spy(*args, **kwargs):
        found = original(*args, **kwargs)
        seen.append(found)
        return found

    monkeypatch.setattr(kind_read, "open_rows", spy)
    with Journal.open(filled, PASSPHRASE, preload="kinds") as searching:
        assert len(searching.find_entries("lighthouse")) == 2
    (found,) = seen
    assert found.opened == len(TEXTS)  # no urge, no meeting, not the settings
    assert len(found.kept) == 2 and found.damaged == []


def test_rows_are_read_a_chunk_at_a_time(filled, monkeypatch):
    monkeypatch.setattr(kind_read, "CHUNK", 2)
    with Journal.open(filled, PASSPHRASE) as searching:  # no scan ahead: read now
        assert len(searching.find_entries("walk")) == 4  # the tag and the text


def test_a_damaged_entry_is_named_and_the_others_still_found(filled):
    with Journal.open(filled, PASSPHRASE) as full:
        victim = full.search("lighthouse")[0].id
    (blob,) = sql(filled, "SELECT blob FROM records WHERE id = ?", victim)[0]
    flipped = blob[:40] + bytes(b ^ 1 for b in blob[40:48]) + blob[48:]  # in the ciphertext
    sql(filled, "UPDATE records SET blob = ? WHERE id = ?", flipped, victim)
    with Journal.open(filled, PASSPHRASE, preload="kinds") as searching:
        found = searching.find_entries("lighthouse")
        assert [e.id for e in found] != [] and victim not in _ids(found)
        assert any(victim in p and "damaged" in p for p in searching.problems_found)


def test_a_relabelled_or_unreadable_hint_neither_hides_an_entry_nor_shows_an_urge(filled):
    with Journal.open(filled, PASSPHRASE) as full:
        entry = full.search("pub")[0].id
        urge = [u.id for u in full.records(Urge) if "pub" in u.trigger_note][0]
    sql(filled, "UPDATE records SET hint = 'x' WHERE id = ?", entry)  # not a byte
    (hint,) = sql(filled, "SELECT hint FROM records WHERE id = ?", urge)[0]
    sql(filled, "UPDATE records SET hint = ? WHERE id = ?", hint ^ 3 ^ 2, urge)  # urge -> entry
    with Journal.open(filled, PASSPHRASE, preload="kinds") as searching:
        assert _ids(searching.find_entries("pub")) == [entry]


def test_a_failed_read_is_raised_not_swallowed(filled, monkeypatch):
    from recoveryjournal.vault.store import Store

    def failing(self, ids, chunk):
        yield self.records_named(ids[:1])
        raise NotAJournal("the file is damaged or incomplete")

    monkeypatch.setattr(Store, "records_by_id_in_chunks", failing)
    with Journal.open(filled, PASSPHRASE, preload="kinds") as searching:
        with pytest.raises(NotAJournal):
            searching.find_entries("lighthouse")
        assert searching.count(Entry) == len(TEXTS)  # the connection still works


def test_the_cli_names_a_damaged_entry_on_stderr(journal_path):
    """The real command, real KDF: it finds the entries that open and names the
    one that does not."""
    def rj(*args, stdin=f"{PASSPHRASE}\n"):
        return subprocess.run([sys.executable, "-m", "recoveryjournal", "--journal",
                               str(journal_path), *args], input=stdin,
                              capture_output=True, text=True, timeout=120)

    assert rj("init", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n").returncode == 0
    for text in ("Walked to the lighthouse", "tea at home", "LIGHTHOUSE at dawn"):
        assert rj("write", text).returncode == 0
    victim = [rid for (rid,) in sql(journal_path, "SELECT id FROM records")
              if rid != "settings"][0]
    sql(journal_path, "UPDATE records SET blob = zeroblob(800) WHERE id = ?", victim)
    run = rj("search", "lighthouse")
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("entries found.") + run.stdout.count("entry found.") == 1
    assert victim in run.stderr and "damaged" in run.stderr
    found = int(run.stdout.split(" entr")[0].split()[-1])
    assert found in (1, 2) and run.stdout.lower().count("lighthouse") == found


# ---- the prefilter against the plain definition ------------------------------------

# ASCII, letters that casefold to ASCII (ß, the Kelvin sign), others, a combining
# accent, and what JSON writes as an escape.
_LETTERS = 'aAsSßåÅkK\u212ae\u0301é"\\\x01\n '


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=_LETTERS, max_size=14),
       tags=st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=5), max_size=2),
       query=st.text(alphabet=_LETTERS, max_size=6), padding=st.integers(0, 40))
def test_the_prefilter_lets_through_every_entry_that_holds_the_words(text, tags, query, padding):
    """Never false where the plain definition (every folded word in the entry's
    folded text) is true; and where no word holds a character JSON escapes, true
    exactly where every folded word is in the folded JSON."""
    entry = Entry(text=text, tags=tags)
    plaintext = to_json(entry) + b" " * padding  # sealed with its padding
    words = fold(query).split()
    test = may_hold(words)
    if all(word in searchable_text(entry) for word in words):
        assert test(plaintext)
    if not any(c in '"\\' or c < " " for word in words for c in word) and not any(
            unicodedata.combining(word[0]) for word in words):
        assert test(plaintext) == all(word in fold(plaintext.decode()) for word in words)


@settings(max_examples=300, deadline=None)
@given(entries=st.lists(st.tuples(st.text(alphabet=_LETTERS, max_size=14),
                                  st.integers(0, 12)), max_size=8),
       query=st.text(alphabet=_LETTERS + "lighthouse", max_size=12))
def test_the_prefilter_of_a_chunk_keeps_exactly_what_the_prefilter_of_each_keeps(entries, query):
    """`may_hold_among` (a chunk joined and lowered at once) gives the positions
    of exactly the plaintexts `may_hold` lets through one by one, in order:
    ASCII chunks and others, one word or several, a word twice in one entry, a
    word at the very start or end of a plaintext."""
    plaintexts = [to_json(Entry(text=text)) + b" " * padding for text, padding in entries]
    plaintexts += [text.encode() for text, _padding in entries]  # no JSON around them
    words = fold(query).split()
    one = may_hold(words)
    assert may_hold_among(words)(plaintexts) == [
        n for n, plaintext in enumerate(plaintexts) if one(plaintext)]


def test_a_chunk_is_searched_across_every_plaintext_in_it():
    """Hits in several plaintexts of one chunk, each traced back to its own, a
    second word checked in the same plaintext, never across two."""
    among = may_hold_among(["light", "house"])
    chunk = [b"LIGHT house", b"light", b"house", b"a light and a House", b"lighthouse", b"x"]
    assert among(chunk) == [0, 3, 4]
    assert may_hold_among(["ht"])([b"light", b"house", b"ht", b"h", b"t"]) == [0, 2]
    assert may_hold_among(["lighthouse"])([b"light", b"house"]) == []  # not across the join


def test_rows_the_fast_hint_scan_cannot_read_are_opened_one_by_one(filled):
    """A hint that is not a byte and a row without a hint under an id of another
    form (both only by editing the file) send the scan to its exact path: the
    entry is still found, and the odd row, whose kind is unknown, is opened and
    named as damaged."""
    with Journal.open(filled, PASSPHRASE) as full:
        entry = full.search("dawn")[0].id
    sql(filled, "UPDATE records SET hint = 300 WHERE id = ?", entry)
    sql(filled, "INSERT INTO records (id, blob, hint) VALUES ('not-an-id', zeroblob(800), NULL)")
    with Journal.open(filled, PASSPHRASE, preload="kinds") as searching:
        assert _ids(searching.find_entries("dawn")) == [entry]
        assert any("not-an-id" in p for p in searching.problems_found)


def test_ids_go_to_sqlite_as_the_json_array_json_would_write():
    """The ids of the rows to read go to SQLite as one JSON array; the quick way
    (a join, for ids of letters and digits) and `json.dumps`, for anything
    else, both give back exactly the ids."""
    import json

    from recoveryjournal.vault.store import _json_strings

    for ids in ([], ["0123abcd" * 4], ["0123abcd" * 4, "ffff" * 8], ['a"b', "c\\d"],
                ["settings", "x y"], ["ünï"], ["\x00"]):
        assert json.loads(_json_strings(ids)) == ids


def test_the_fast_hint_scan_takes_only_plain_groups():
    """The fast scan's groups (hint, count, ids) become one string of ids and
    one byte per hint only when every hint is a byte and every id 32 lower-case
    hex digits; anything else (a missing or odd hint, an id in upper case or
    with a space, which bytes.fromhex would take) sends the scan to its exact path."""
    from recoveryjournal.vault.store import _plain_groups

    one, two = "0123456789abcdef" * 2, "fedcba9876543210" * 2
    assert _plain_groups([]) == ("", b"")
    assert _plain_groups([(3, 2, one + two), (255, 1, one)]) == (one + two + one, b"\x03\x03\xff")
    for odd in ([(None, 1, one)], [(256, 1, one)], [(-1, 1, one)], [("3", 1, one)],
                [(3.5, 1, one)], [(3, 2, one)], [(3, 1, one.upper())],
                [(3, 1, one[:30] + "  ")], [(3, 1, "g" * 32)], [(3, 1, b"x" * 32)]):
        assert _plain_groups(odd) is None, odd
