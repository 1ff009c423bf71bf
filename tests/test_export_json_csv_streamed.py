"""JSON and CSV exports written a window of records at a time (issue 18): the same
bytes as the whole-document `render` of `choose`, only a window of records built
and of texts read back at once, and the same problems said by the CLI.

`render` itself is pinned to json.dumps and to the first CSV writer in
test_export_json.py and test_export_same_output.py."""

from __future__ import annotations

import io
import json
import random
import sqlite3
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import PASSPHRASE

from recoveryjournal import records
from recoveryjournal.cli import main
from recoveryjournal.cli import export_commands
from recoveryjournal.cli import unlock as cli_unlock
from recoveryjournal.export import csv_export, json_export, json_import
from recoveryjournal.export.selection import Selection, choose
from recoveryjournal.journal import Journal
from recoveryjournal.records import (
    Checkin, Entry, ExerciseResponse, Meeting, Mood, Urge, Use,
)

STAMP = "2026-11-30T12:00:00+01:00"
BASE = datetime(2024, 3, 30, 22, 45, 12, 345678, tzinfo=timezone.utc)
HOSTILE = ["plain", 'q"uote \\back\\', "\x1b[31mred\x1b[0m", "NUL\x00 DEL\x7f C1\x85\x9b",
           "bidi \u202eevil\u202c \u2066x\u2069", "line\u2028sep\u2029", "=SUM(A1)", "+1",
           "-2", "@x", "\tx", "\rx", "a,b\"c", "windows\r\nlines", "é 🙂", ""]


def fill(journal: Journal, seed: int, count: int = 60) -> None:
    """Records of every shareable kind at random times, some of them at the very
    same moment as a record of another kind (choose's sort keeps kinds in order
    then), with hostile texts; the safety plan among the exercises."""
    rng = random.Random(seed)
    moments = [BASE - timedelta(hours=rng.randrange(24 * 400)) for _ in range(count // 3)]

    def when() -> datetime:
        moment = rng.choice(moments) if rng.random() < 0.4 else (
            BASE - timedelta(minutes=rng.randrange(60 * 24 * 400)))
        zone = timezone(timedelta(hours=rng.choice([0, 1, -5, 9])))
        return moment.astimezone(zone)

    def text() -> str:
        return "".join(rng.choice(HOSTILE) for _ in range(rng.randrange(1, 4)))

    for number in range(count):
        kind = rng.choice(["entry", "entry", "urge", "urge", "use", "checkin", "mood",
                           "meeting", "exercise"])
        if kind == "entry":
            record = Entry(text=text() + " " + "words " * rng.randrange(1, 40),
                           mood=rng.choice([None, 1, 5]), tags=rng.choice([[], ["tools"],
                                                                          [text(), "x"]]),
                           when=when())
        elif kind == "urge":
            record = Urge(addiction=rng.choice(["alcohol", "gambling", text() or "x"]),
                          intensity=rng.randrange(11), intensity_after=rng.choice([None, 2]),
                          minutes=rng.choice([None, 5, 1440]), trigger=text(),
                          trigger_note=text(), place=text(), people=text(),
                          feelings=rng.choice([[], [text(), "calm"]]), coping=["walk"],
                          outcome=rng.choice(["acted", "resisted"]), when=when())
        elif kind == "use":
            record = Use(addiction="gambling", amount=rng.choice([None, 2.5, 2.0, 0.1]),
                         unit=text(), money=rng.choice([None, 10.0, 0.1 + 0.2]),
                         minutes=rng.choice([None, 0, 30]), note=text(), when=when())
        elif kind == "checkin":
            record = Checkin(items=[rng.randrange(6) for _ in range(5)], when=when())
        elif kind == "mood":
            record = Mood(mood=rng.randrange(1, 6), when=when())
        elif kind == "meeting":
            record = Meeting(group=text(), note=text(), when=when())
        else:
            record = ExerciseResponse(
                exercise_id=rng.choice(["safety-plan", "cost-benefit"]), finished=True,
                answers={"list": [text(), "", True, None, 1.5], "grid": {"a": text()},
                         "n": -0.0}, when=when())
        journal.add(record)
    edited = journal.records(Entry)[0]
    edited.text += " edited"
    journal.update(edited)


SELECTIONS = [
    Selection(kinds=tuple(records.KINDS)),  # what the CLI's json exports
    Selection(kinds=("entry", "urge", "use", "checkin", "mood", "meeting", "exercise"),
              excluded=frozenset({"place", "people", "note", "safety_plan", "tags"})),
    Selection(kinds=("urge", "entry"), date_from=(BASE - timedelta(days=200)).date(),
              date_to=BASE.date()),
    Selection(kinds=("entry", "exercise"), tags=("tools",)),
    Selection(kinds=("exercise", "entry"), excluded=frozenset({"safety_plan", "answers"})),
    Selection(kinds=("entry", "entry")),  # each record twice, as choose gives it
    Selection(kinds=("meeting",), date_from=date(1999, 1, 1), date_to=date(1999, 1, 2)),
    Selection(kinds=("urge",), excluded=frozenset({"id"})),  # the plain way
]


def reopened(path: Path, as_the_app: bool) -> Journal:
    """The journal read as the CLI read it before (records as objects) or as the
    app's worker and now the CLI's json and csv read it (columns)."""
    journal = Journal.open(path, PASSPHRASE)
    if as_the_app:
        journal.load(background=True)
    else:
        journal.load()
    return journal


@pytest.fixture(scope="module")
def filled_path(tmp_path_factory) -> Path:
    import recoveryjournal.vault.crypto as crypto
    from recoveryjournal.vault.crypto import KdfParams

    mp = pytest.MonkeyPatch()
    mp.setattr(crypto, "KDF_FLOOR", KdfParams(salt=b"", memory_kib=64, iterations=1, lanes=1))
    try:
        path = tmp_path_factory.mktemp("streamed") / "journal.db"
        journal, _code = Journal.create(path, PASSPHRASE)
        fill(journal, seed=18, count=400)
        journal.lock()
    finally:
        mp.undo()
    return path


@pytest.mark.parametrize("as_the_app", [False, True])
@pytest.mark.parametrize("number", range(len(SELECTIONS)))
def test_the_streamed_json_is_the_rendered_json(filled_path, as_the_app, number, monkeypatch):
    import recoveryjournal.journal as journal_module

    # Texts past 2 kB wait on disk from the start, as past 16 MB at ten times the
    # benchmark journal: the stream reads them back a window at a time.
    monkeypatch.setattr(journal_module, "_TEXTS_HELD_WHILE_READING", 2000)
    journal = reopened(filled_path, as_the_app)
    if as_the_app:
        assert any(records.text_waits_on_disk(e) for e in journal.records(Entry))
    selection = SELECTIONS[number]
    expected = json_export.render(choose(journal, selection), selection.excluded, STAMP)
    pieces = list(json_export.stream(journal, selection, STAMP, window=7))
    assert "".join(pieces) == expected
    if choose(journal, selection):
        assert len(pieces) > 3  # written in pieces, not in one
    journal.lock()


@pytest.mark.parametrize("kind", ["urge", "use", "checkin"])
@pytest.mark.parametrize("excluded", [frozenset(), frozenset({"items", "people", "when"}),
                                      frozenset({"place", "amount", "unit", "money"})])
def test_the_streamed_csv_is_the_rendered_csv(filled_path, kind, excluded):
    journal = reopened(filled_path, as_the_app=True)
    for selection in (Selection(kinds=(kind,), excluded=excluded),
                      Selection(kinds=(kind,), excluded=excluded,
                                date_from=(BASE - timedelta(days=100)).date())):
        chosen = choose(journal, selection)
        expected = csv_export.render(kind, chosen, excluded)
        pieces = list(csv_export.stream(journal, selection, window=5))
        assert "".join(pieces) == expected
        assert len(pieces) == max(1, -(-len(chosen) // 5))  # the names, then 5 rows a piece
    journal.lock()


def test_render_is_the_join_of_the_stream_for_records_as_given():
    """`render` of records not in a journal (the import's tests, the app): an
    empty list, records in any order, the head's counts in order of first kind."""
    chosen = [Urge(addiction="alcohol", intensity=3, when=BASE),
              Entry(text="x\x85", when=BASE - timedelta(days=3)),
              Urge(addiction="alcohol", intensity=4, when=BASE - timedelta(days=9))]
    text = json_export.render(chosen, exported_at=STAMP)
    document = json.loads(text)
    assert list(document["counts"].items()) == [("urge", 2), ("entry", 1)]
    assert [r["kind"] for r in document["records"]] == ["urge", "entry", "urge"]
    assert "\\u0085" in text and "\x85" not in text
    empty = json_export.render([], exported_at=STAMP)
    assert json.loads(empty)["records"] == [] and empty.endswith('"records": []\n}\n')


class CountingJournal:
    """A journal whose lists count the records built from them and whose
    `with_texts` notes how many records it was given each time."""

    def __init__(self, journal: Journal):
        self.journal = journal
        self.built = 0
        self.texts_asked: list[int] = []

    def records(self, cls):
        found = self.journal.records(cls)
        outer = self

        class Counted:
            def __len__(self):
                return len(found)

            def __getitem__(self, index):
                if isinstance(index, slice):
                    part = list(found[index])
                    outer.built += len(part)
                    return part
                outer.built += 1
                return found[index]

            def __iter__(self):
                for record in found:
                    outer.built += 1
                    yield record

        return Counted()

    def with_texts(self, chosen):
        self.texts_asked.append(len(chosen))
        return self.journal.with_texts(chosen)


def test_only_a_window_of_records_is_built_and_read_back_at_a_time(filled_path, monkeypatch):
    import recoveryjournal.journal as journal_module

    monkeypatch.setattr(journal_module, "_TEXTS_HELD_WHILE_READING", 2000)
    monkeypatch.setattr(journal_module, "_FEW_TEXTS", 1)  # read back in bulk, a window's worth
    journal = reopened(filled_path, as_the_app=True)
    read_back: list[int] = []
    vault = journal._live_vault()
    real_read_these = vault.read_these
    monkeypatch.setattr(vault, "read_these",
                        lambda ids: read_back.append(len(ids)) or real_read_these(ids))
    selection = Selection(kinds=tuple(records.KINDS))
    total = len(choose(journal, selection))
    counted = CountingJournal(journal)
    window = 10
    pieces = json_export.stream(counted, selection, STAMP, window=window)
    assert counted.built <= len(records.KINDS)  # the head's counts: a kind's first record
    before = counted.built
    next(pieces)  # the head and the first window
    # Each kind's next window may be built ahead for the merge by time, no more.
    assert counted.built - before <= window * len(records.KINDS)
    written = 1
    for _piece in pieces:
        written += 1
    assert counted.built - before == total  # each record built once
    assert max(counted.texts_asked) <= window and sum(counted.texts_asked) == total
    assert read_back and max(read_back) <= window  # texts read back a window at a time
    assert written >= total // window
    journal.lock()


# ---- the CLI ---------------------------------------------------------------------


def export(path: Path, out: Path, *args: str) -> int:
    sys.stdin = io.StringIO(f"{PASSPHRASE}\n")
    try:
        return main(["--journal", str(path), "export", "--out", str(out), *args])
    finally:
        sys.stdin = sys.__stdin__


@pytest.fixture(params=["objects", "columns"])
def read_as(request, monkeypatch) -> str:
    """The CLI reads a small journal's chosen kinds as objects, a big one into
    columns as the app does: both ways, whatever the journal's size."""
    if request.param == "columns":
        monkeypatch.setattr(export_commands, "_COLUMNS_PAST_BYTES", 0)
    else:
        monkeypatch.setattr(export_commands, "_COLUMNS_PAST_BYTES", 2**62)
    return request.param


def test_the_cli_writes_what_render_wrote_and_it_imports_back(filled_path, tmp_path, capsys,
                                                              monkeypatch, read_as):
    import recoveryjournal.journal as journal_module

    monkeypatch.setattr(journal_module, "_TEXTS_HELD_WHILE_READING", 2000)
    read_back: list[int] = []
    real_with_texts = Journal.with_texts
    monkeypatch.setattr(Journal, "with_texts", lambda self, chosen: read_back.append(sum(
        isinstance(r, Entry) and records.text_waits_on_disk(r) for r in chosen))
        or real_with_texts(self, chosen))
    path = tmp_path / "journal.db"
    path.write_bytes(filled_path.read_bytes())
    out = tmp_path / "all.json"
    assert export(path, out, "--format", "json") == 0
    assert (sum(read_back) > 0) == (read_as == "columns")  # texts waited on disk
    monkeypatch.setattr(Journal, "with_texts", real_with_texts)
    assert "Wrote" in capsys.readouterr().out
    written = out.read_text()
    stamp = json.loads(written)["exported_at"]
    journal = reopened(path, as_the_app=False)
    everything = Selection(kinds=tuple(records.KINDS))
    assert written == json_export.render(choose(journal, everything), exported_at=stamp)
    journal.lock()
    for kind in ("urge", "use", "checkin"):
        table = tmp_path / f"{kind}.csv"
        assert export(path, table, "--format", "csv", "--kind", kind,
                      "--exclude-field", "places") == 0
        journal = reopened(path, as_the_app=False)
        selection = Selection(kinds=(kind,), excluded=frozenset({"place"}))
        with open(table, newline="", encoding="utf-8") as written_table:
            assert written_table.read() == csv_export.render(
                kind, choose(journal, selection), selection.excluded)
        journal.lock()

    fresh, _code = Journal.create(tmp_path / "again" / "journal.db", PASSPHRASE)
    json_import.import_records(fresh, json_import.read_export(out))
    assert snapshot(fresh) == snapshot(reopened(path, as_the_app=False))
    fresh.lock()


def snapshot(journal: Journal) -> dict[str, dict]:
    """Every record as a comparable dict, by id."""
    found = {record.id: records.to_dict(record)
             for cls in records.KINDS.values() for record in journal.records(cls)}
    journal.lock()
    return found


def damaged_journal(path: Path) -> tuple[Path, str, str]:
    """A journal with every problem a read names: an urge and a meeting written
    by a newer version, an entry whose kind comes last (another program), a
    damaged row, a deleted row and an edited kind marker."""
    journal, _code = Journal.create(path, PASSPHRASE)
    for day in range(30):
        journal.add(Entry(text=f"Day {day}", when=BASE - timedelta(days=day)))
        journal.add(Urge(addiction="alcohol", intensity=day % 11, when=BASE - timedelta(days=day)))
        journal.add(Meeting(group="Tuesday", when=BASE - timedelta(days=day, hours=1)))
    newer = Urge(addiction="alcohol", intensity=3, when=BASE)
    journal._live_vault().write(newer.id, records.to_json(newer).replace(
        b'"schema":1', b'"schema":9'), records.KIND_CODES["urge"])
    reordered = Entry(text="kind last", when=BASE)
    document = json.loads(records.to_json(reordered))
    document = {key: document[key] for key in ("schema", "created", "updated", "data", "kind")}
    journal._live_vault().write(reordered.id, json.dumps(document).encode(),
                                records.KIND_CODES["entry"])
    meeting = Meeting(group="newer", when=BASE)
    journal._live_vault().write(meeting.id, records.to_json(meeting).replace(
        b'"schema":1', b'"schema":9'), records.KIND_CODES["meeting"])
    urges = [u.id for u in journal.records(Urge)]
    entries = [e.id for e in journal.records(Entry)]
    journal.lock()
    db = sqlite3.connect(path)
    with db:
        (hint,) = db.execute("SELECT hint FROM records WHERE id = ?", (urges[0],)).fetchone()
        db.execute("UPDATE records SET hint = ? WHERE id = ?", (hint ^ 3 ^ 2, urges[0]))
        (blob,) = db.execute("SELECT blob FROM records WHERE id = ?", (entries[1],)).fetchone()
        blob = bytearray(blob)
        blob[len(blob) // 2] ^= 1
        db.execute("UPDATE records SET blob = ? WHERE id = ?", (bytes(blob), entries[1]))
        db.execute("DELETE FROM records WHERE id = ?", (urges[5],))
    db.close()
    return path, newer.id, meeting.id


@pytest.mark.parametrize("args", [("--format", "json"), ("--format", "csv", "--kind", "urge"),
                                  ("--format", "json", "--kind", "urge", "--kind", "entry")])
def test_the_cli_says_the_problems_it_said_before(tmp_path, capsys, monkeypatch, args, read_as):
    """Every problem said before is said, once, and nothing else; a small journal
    in the same order. A big one is read as the app reads it, every kind
    decoded, so a record of a kind the export leaves out that cannot be read is
    named too (before, only the exported kinds and entries were decoded); and
    records that cannot be read in one batch of rows came in the order of a set
    of kinds (it changed from run to run): those are compared as sets."""
    path, newer, newer_meeting = damaged_journal(tmp_path / "journal.db")
    kinds = tuple(args[args.index("--kind") + 1::2]) if "--kind" in args else tuple(records.KINDS)
    # As the CLI read before: the chosen kinds decoded as their batches opened,
    # entries next (to count them), the problems said in that order.
    journal = Journal.open(path, PASSPHRASE)
    quick = journal.quick_check()
    journal.load(decode=kinds)
    journal.count(Entry)
    expected = list(dict.fromkeys(f"Note: {p}" for p in quick + journal.problems))
    journal.lock()
    assert len(expected) >= 4 and any(newer in line for line in expected)

    monkeypatch.setattr(cli_unlock, "_said", set())
    assert export(path, tmp_path / "out.txt", *args) == 0
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Note: ")]
    assert len(said) == len(set(said))
    if read_as == "objects":
        assert said == expected
    elif "meeting" in kinds:
        assert set(said) == set(expected)
    else:
        extra = set(said) - set(expected)
        assert len(extra) == 1 and newer_meeting in extra.pop() and set(expected) <= set(said)
    # What is not about one record's contents in the same order: damaged, deleted, kind marker.
    assert [line for line in said if "could not be read" not in line] == [
        line for line in expected if "could not be read" not in line]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_records_picked_by_hand_are_written_as_render_writes_them(filled_path, tmp_path, fmt):
    path = tmp_path / "journal.db"
    path.write_bytes(filled_path.read_bytes())
    out = tmp_path / f"picked.{fmt}"
    sys.stdin = io.StringIO(f"{PASSPHRASE}\n2-4,9\n")
    try:
        assert main(["--journal", str(path), "export", "--format", fmt, "--kind", "urge",
                     "--pick", "--out", str(out)]) == 0
    finally:
        sys.stdin = sys.__stdin__
    journal = reopened(path, as_the_app=False)
    urges = journal.records(Urge)
    picked = [urges[1], urges[2], urges[3], urges[8]]
    if fmt == "csv":
        with open(out, newline="", encoding="utf-8") as written:
            assert written.read() == csv_export.render("urge", picked)
    else:
        written = out.read_text(encoding="utf-8")
        stamp = json.loads(written)["exported_at"]
        assert written == json_export.render(picked, exported_at=stamp)
    journal.lock()


def test_records_picked_in_the_app_stream_as_render_writes_them(filled_path):
    """The app's pick list narrows a selection by ids (Selection.ids)."""
    journal = reopened(filled_path, as_the_app=True)
    every = choose(journal, Selection(kinds=("entry", "urge", "meeting")))
    picked = frozenset(record.id for record in every[::3])
    selection = Selection(kinds=("entry", "urge", "meeting"), ids=picked,
                          excluded=frozenset({"place"}))
    chosen = choose(journal, selection)
    assert len(chosen) == len(picked)
    assert "".join(json_export.stream(journal, selection, STAMP, window=4)) == (
        json_export.render(chosen, selection.excluded, STAMP))
    journal.lock()
