"""Saving JSON or CSV from the export screen writes the file a window of records at
a time from a worker thread (issue 18: the whole file as one string was 2.3 GB
at ten times the benchmark journal), byte for byte what the screen wrote when it
made it at once: every record of every kind grouped by kind (settings and drafts
too) for a JSON export of everything, else the chosen records in their order,
less those unticked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from recoveryjournal import records
from recoveryjournal.export import csv_export, json_export
from recoveryjournal.export.selection import Selection, choose
from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, ExerciseResponse, Urge, Use
from recoveryjournal.tui.screens.export import file_pieces

from helpers.tui import ExportHarness, settle, watch_export_writes

from helpers import PASSPHRASE

HOSTILE = "[/bold] <b>x</b> | \x1b[31mred\r\n\u202eevil\u2028"
EVERY_KIND = ("entry", "exercise", "urge", "use", "checkin", "mood", "meeting")
AT = "2026-11-30T12:00:00+00:00"


def fill(journal, days: int = 20) -> None:
    start = records.now() - timedelta(days=days)
    for n in range(days):
        when = start + timedelta(days=n)
        journal.add(Urge(addiction="alcohol", intensity=n % 11, place=f"PLACE-{n}", when=when))
        if n % 2 == 0:
            journal.add(Entry(text=f"Day {n} {HOSTILE}", tags=["tools"], when=when))
        if n % 5 == 0:
            journal.add(Use(addiction="alcohol", amount=n, when=when))
            journal.add(ExerciseResponse(exercise_id="urge-surfing", finished=True, when=when))


@pytest.fixture
def texts_on_disk(journal, journal_path):
    """The journal as the app holds it once its worker is done: columns, the
    entries' texts let go of (read back from the file when written)."""
    fill(journal)
    journal.lock()
    reopened = Journal.open(journal_path, PASSPHRASE)
    reopened.load_in_background()
    reopened.decode_all(polite=True)
    assert reopened.build_search_index()
    assert reopened.leave_entry_texts_on_disk() > 0
    yield reopened
    reopened.lock()


def old_json(journal, wanted: Selection, unticked: frozenset[str]) -> str:
    """What `final_text` wrote as one string."""
    if set(wanted.kinds) == set(EVERY_KIND) and not unticked:
        chosen = json_export.every_record(journal)
    else:
        chosen = journal.with_texts([r for r in choose(journal, wanted) if r.id not in unticked])
    return json_export.render(chosen, wanted.excluded, exported_at=AT)


@pytest.mark.parametrize("kinds, days_back, untick", [
    (EVERY_KIND, None, 0),  # everything: grouped by kind, settings too
    (EVERY_KIND, None, 2),  # two unticked: the chosen records in time order
    (("entry", "urge"), 10, 0),
    (("urge", "entry", "use"), None, 3),
])
def test_json_streams_what_was_written_at_once(texts_on_disk, kinds, days_back, untick):
    journal = texts_on_disk
    wanted = Selection(kinds=kinds, date_from=(records.now() - timedelta(days=days_back)).date()
                       if days_back else None, excluded=frozenset({"place"}))
    unticked = frozenset(r.id for r in journal.records(Urge)[:untick])
    plan = {"format": "json", "selection": wanted, "unticked": unticked}
    written = "".join(file_pieces(journal, plan, exported_at=AT))
    assert written == old_json(journal, wanted, unticked)
    assert "\u2028" not in written and "\x1b" not in written  # escaped, as ever


@pytest.mark.parametrize("untick", [0, 4])
def test_csv_streams_what_was_written_at_once(texts_on_disk, untick):
    journal = texts_on_disk
    wanted = Selection(kinds=("urge",), excluded=frozenset({"place"}))
    unticked = frozenset(r.id for r in journal.records(Urge)[:untick])
    plan = {"format": "csv", "selection": wanted, "unticked": unticked}
    expected = csv_export.render("urge", [r for r in choose(journal, wanted)
                                          if r.id not in unticked], wanted.excluded)
    assert "".join(file_pieces(journal, plan)) == expected
    assert expected.count("\r\n") == 21 - untick  # the names and 20 urges, less those unticked


def test_json_holds_a_window_of_records_not_all(texts_on_disk, monkeypatch):
    journal = texts_on_disk
    from recoveryjournal.tui.screens import export as export_screen

    held = []
    made = export_screen._windows

    def watched(chosen, size=2000):
        for window in made(chosen, size=7):
            held.append(len(window))
            yield window

    monkeypatch.setattr(export_screen, "_windows", watched)
    plan = {"format": "json", "selection": Selection(kinds=EVERY_KIND), "unticked": frozenset()}
    written = "".join(file_pieces(journal, plan, exported_at=AT))
    assert written == old_json(journal, plan["selection"], frozenset())
    assert max(held) == 7 and sum(held) > 7 * 3


@pytest.mark.parametrize("button, code", [(3, "json"), (4, "csv")])
async def test_saving_json_or_csv_streams_from_a_worker(journal, tmp_path, monkeypatch,
                                                        button, code):
    fill(journal, days=6)
    writes = watch_export_writes(monkeypatch)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        list(screen.query("#format RadioButton"))[button].value = True
        await settle(pilot)
        target = tmp_path / f"mine.{code}"
        screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")  # from Choose: shows the summary first
        await settle(pilot)
        assert not target.exists()
        # What the screen wrote as one string, made before the save (saving then
        # remembers the choices in the settings, which a JSON of everything holds).
        wanted = screen.selection()
        if code == "json":
            expected = json_export.render(json_export.every_record(journal), wanted.excluded,
                                          exported_at=AT)
        else:
            expected = csv_export.render(wanted.kinds[0], choose(journal, wanted),
                                         wanted.excluded)
        await pilot.press("ctrl+s")
        await settle(pilot)
        told = [str(n.message) for n in app._notifications]
        assert any(m.startswith(f"Saved to {target}.") for m in told), told
    assert writes == [(False, "generator")]  # in a worker, a piece at a time
    written = target.read_bytes().decode("utf-8")  # CSV's line ends as written
    if code == "json":
        at = next(line for line in written.splitlines() if '"exported_at"' in line)
        assert written.replace(at.split('"')[3], AT, 1) == expected
    else:
        assert written == expected
        assert written.count("\r\n") == 7  # the column names and six urges
