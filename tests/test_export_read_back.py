"""`export` of whole kinds in bounded memory (issue 18): past a cap, the rows let go
of their Markdown and are read back from the journal in the export's order. The
file is the same; a record another program changes or deletes meanwhile is said,
never written as a mix of two versions."""

from __future__ import annotations

import io
import sys
from datetime import datetime, timedelta, timezone

import pytest

from recoveryjournal import records
from recoveryjournal.records import Entry, Meeting, Urge

from helpers import PASSPHRASE

BASE = datetime(2024, 3, 30, 22, 45, 12, 345678, tzinfo=timezone.utc)
HOSTILE = ["\x1b[31mred\x1b[0m", "NUL\x00 DEL\x7f C1\x85\x9b", "<script>x</script> [a](b) |",
           "bidi \u202eevil\u202c", "ends in NUL then newline\x00\n", "emoji 🙂 åäö"]


def fill(journal) -> tuple[str, str]:
    """Entries, urges and meetings, several at the same moment, hostile text among
    them, an entry from a newer version of the app and a check-in that does not
    read (their ids)."""
    for day in range(60):
        when = BASE - timedelta(days=day // 2)  # two of each kind at each moment
        journal.add(Entry(text=f"Day {day}: {HOSTILE[day % len(HOSTILE)]}", when=when,
                          tags=["tools"] if day % 3 else []))
        journal.add(Urge(addiction="alcohol", intensity=day % 11, trigger_note=HOSTILE[day % 6],
                         when=when))
        if day % 5 == 0:
            journal.add(Meeting(group="Tuesday", note=HOSTILE[day % 6], when=when))
    newer = Entry(text="from a newer version", when=BASE)
    journal._live_vault().write(newer.id, records.to_json(newer).replace(
        b'"schema":1', b'"schema":9'), records.KIND_CODES["entry"])
    broken = Entry(text="x", when=BASE)  # its id, for a check-in that does not read
    journal._live_vault().write(broken.id, b'{"kind":"checkin","data":', records.KIND_CODES["checkin"])
    return newer.id, broken.id


def export(journal_path, out, kinds, monkeypatch, capsys) -> tuple[bytes, str, str]:
    """The CLI's export of `kinds` to `out`: (the file, what was said on stdout, stderr)."""
    from recoveryjournal.cli import main
    from recoveryjournal.cli import unlock

    monkeypatch.setattr(unlock, "_said", set())  # each export says its own notes
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSPHRASE}\n"))
    args = ["--journal", str(journal_path), "export", "--out", str(out)]
    args += [arg for kind in kinds for arg in ("--kind", kind)]
    assert main(args) == 0
    said = capsys.readouterr()
    return out.read_bytes(), said.out, said.err


@pytest.mark.parametrize("kinds", [("entry",), ("entry", "urge", "meeting", "checkin")])
def test_an_export_read_back_past_a_tiny_cap_is_the_same_file(journal, journal_path, tmp_path,
                                                             monkeypatch, capsys, kinds):
    from recoveryjournal.export import rows_to_markdown
    from recoveryjournal.journal import Journal

    newer, broken = fill(journal)
    journal.lock()
    held, held_out, held_err = export(journal_path, tmp_path / "held.md", kinds, monkeypatch,
                                      capsys)
    asked: list[int] = []
    read_back = Journal.rows_read_back

    def counted(opened, record_ids):
        asked.append(len(record_ids))
        yield from read_back(opened, record_ids)

    monkeypatch.setattr(Journal, "rows_read_back", counted)
    monkeypatch.setattr(rows_to_markdown, "held_for", lambda records_in_journal: 2000)
    monkeypatch.setattr(rows_to_markdown, "READ_BACK_AT_A_TIME", 16)
    capped, capped_out, capped_err = export(journal_path, tmp_path / "capped.md", kinds,
                                            monkeypatch, capsys)
    assert capped == held
    assert asked and max(asked) <= 16  # read back, a window at a time
    assert capped_out.replace("capped.md", "held.md") == held_out
    assert capped_err == held_err
    assert newer in held_err and "schema 9" in held_err  # said as it was read, as before
    # A record of a kind not exported is not read, as before; of one exported, said.
    assert (broken in held_err) == ("checkin" in kinds)
    text = held.decode()
    assert "\x1b" not in text and "\x00" not in text and "\u202e" not in text
    assert "\\<script\\>" in text


def test_a_record_changed_or_deleted_during_the_export_is_said(journal, journal_path, tmp_path,
                                                              monkeypatch, capsys):
    """Another program edits one entry and deletes another after the export read
    them and before it reads them back: the file holds the edited entry whole,
    not the deleted one, and both are said."""
    from recoveryjournal.export import rows_to_markdown
    from recoveryjournal.journal import Journal

    kept = [journal.add(Entry(text=f"entry {day} as first written", when=BASE - timedelta(days=day)))
            for day in range(10)]
    journal.lock()
    read_back = Journal.rows_read_back
    meanwhile = []

    def another_program_writes_first(opened, record_ids):
        if not meanwhile:
            other = Journal.open(journal_path, PASSPHRASE)
            edited = other.get(kept[3].id)
            edited.text = "entry 3 edited meanwhile"
            other.update(edited)
            other.delete(kept[6].id)
            other.lock()
            meanwhile.append(True)
        yield from read_back(opened, record_ids)

    monkeypatch.setattr(Journal, "rows_read_back", another_program_writes_first)
    monkeypatch.setattr(rows_to_markdown, "held_for", lambda records_in_journal: 0)
    text, out, err = export(journal_path, tmp_path / "out.md", ("entry",), monkeypatch, capsys)
    text = text.decode()
    assert meanwhile
    assert "entry 3 edited meanwhile" in text and "entry 3 as first" not in text
    assert "entry 6" not in text
    assert text.count("as first written") == 8
    assert "Wrote 9 records" in out
    assert kept[3].id in err and "newer version" in err
    assert kept[6].id in err and "left out" in err


def test_the_benchmark_journal_is_held_whole_and_ten_times_it_is_not():
    """The cap leaves the benchmark journal's export as it was (76,500 records,
    about 46 MB counted as held, every kind: nothing read back, no slower), and at
    ten times it holds only the least, the load itself taking the memory target."""
    from recoveryjournal.export import rows_to_markdown

    assert rows_to_markdown.held_for(76_500) > 1.5 * 46 * 2 ** 20
    assert rows_to_markdown.held_for(765_000) == rows_to_markdown.HELD_LEAST
    assert rows_to_markdown.held_for(None) > 46 * 2 ** 20  # no summary to count from
