"""The export screen never holds a long share whole (issue 18): the preview renders
only the beginning it shows (its marks still count every record), saving a share
not edited streams it into the file from a worker thread, and the summary of a
JSON or CSV export counts without a list. What is written is byte for byte what
the screen wrote when it made the whole text at once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from textual.widgets import SelectionList, TextArea

from recoveryjournal import records
from recoveryjournal.export import files, html, markdown, text
from recoveryjournal.export.privacy import group_share_excluded, hidden_numbers_note
from recoveryjournal.export.selection import Selection, choose, selection_subtitle
from recoveryjournal.export.shared_records import build_document
from recoveryjournal.records import Entry, ExerciseResponse, Urge
from recoveryjournal.safetext import clean
from recoveryjournal.tui.screens import export as export_screen

from helpers.tui import ExportHarness, settle, watch_export_writes

HOSTILE = "[/bold] <b>x</b> | \x1b[31mred\r\n\u202eevil"


def fill(journal, urges: int = 30) -> None:
    """Entries, urges at a place, exercises, the safety plan: ties in time across kinds."""
    start = records.now() - timedelta(days=urges)
    for n in range(urges):
        when = start + timedelta(days=n)
        journal.add(Urge(addiction="alcohol", intensity=n % 11, place=f"PLACE-{n}",
                         coping=["walk"], when=when))
        if n % 2 == 0:
            journal.add(Entry(text=f"Day {n} {HOSTILE}", tags=["tools"], when=when))
        if n % 7 == 0:
            journal.add(ExerciseResponse(exercise_id="urge-surfing", finished=True, when=when))
    journal.add(ExerciseResponse(exercise_id="safety-plan", when=start))
    journal.add(Entry(text="Call me on 070-123 45 67", when=start + timedelta(days=urges)))


def whole_text(journal, code: str, wanted: Selection) -> str:
    """The share as the screen made it before streaming: one Document of every
    chosen record, rendered whole (md, txt), the page made from the Markdown."""
    document = build_document(journal.with_texts(choose(journal, wanted)), wanted.excluded,
                              subtitle=selection_subtitle(wanted))
    if code == "txt":
        return clean(text.render(document))
    made = markdown.render(document)
    return html.from_markdown(made) if code == "html" else clean(made)


SHARED = Selection(kinds=("entry", "exercise", "urge"), excluded=group_share_excluded())


@pytest.mark.parametrize("button, code", [(0, "md"), (1, "txt"), (2, "html")])
async def test_an_unedited_share_streams_into_its_file_from_a_worker(
        journal, tmp_path, monkeypatch, button, code):
    fill(journal)
    expected = whole_text(journal, code, SHARED)
    writes = watch_export_writes(monkeypatch)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        list(screen.query("#format RadioButton"))[button].value = True
        screen.query_one("#kinds", SelectionList).select("urge")
        await settle(pilot)
        target = tmp_path / f"share.{code}"
        screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")  # from Choose: shows the preview first
        await settle(pilot)
        assert not target.exists()
        await pilot.press("ctrl+s")
        await settle(pilot)
        told = [str(n.message) for n in app._notifications]
        assert any(m.startswith(f"Saved to {target}.") for m in told), told
        assert target.read_bytes() == expected.encode("utf-8")
        assert "PLACE-" not in expected and "070-123" not in expected  # private by default
        assert writes == [(False, "generator")]  # in a worker, a piece at a time
        assert not screen.edited  # what was written is what the preview was built from
    assert journal.settings().share_told


async def test_a_long_preview_renders_only_what_it_shows_and_marks_every_record(
        journal, monkeypatch):
    fill(journal, urges=60)
    wanted = Selection(kinds=("entry", "exercise", "urge"),
                       excluded=group_share_excluded(("places",)))
    expected = whole_text(journal, "md", wanted)
    monkeypatch.setattr(export_screen, "PREVIEW_EDITABLE_AT_MOST", 1000)
    monkeypatch.setattr(export_screen, "DESCRIBED_AT_A_TIME", 4)
    assert len(expected) > 10 * 1000
    rendered: list[str] = []
    add_record_pieces = markdown._add_record_pieces

    def counted(shared, pieces, *args):
        rendered.append(shared.heading)
        return add_record_pieces(shared, pieces, *args)

    monkeypatch.setattr(markdown, "_add_record_pieces", counted)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#kinds", SelectionList).select("urge")
        screen.query_one("#include", SelectionList).select("places")
        await settle(pilot)
        screen.query_one("#export-steps").active = "preview"
        await settle(pilot)
        area = screen.query_one("#preview-text", TextArea)
        notice, shown = area.text.split("\n\n", 1)
        assert notice.startswith("This export is long, so only its beginning is shown")
        assert area.read_only and shown == expected[:1000]
        # Only the beginning was rendered (a batch or two past it), not 100 records.
        assert 0 < len(rendered) < 20
        marks = str(screen.query_one("#preview-marks").render())
        assert "Carries a name or a number: Place (60)" in marks  # every urge, shown or not
        assert hidden_numbers_note(1) in marks  # the last entry's, far past the preview


async def test_a_short_preview_is_the_whole_text_and_editable(journal):
    fill(journal, urges=4)
    expected = whole_text(journal, "md", Selection(excluded=group_share_excluded()))
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#export-steps").active = "preview"
        await settle(pilot)
        area = app.screen.query_one("#preview-text", TextArea)
        assert area.text == expected and not area.read_only


async def test_the_summary_of_a_json_export_counts_what_is_ticked(journal):
    fill(journal, urges=6)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        list(screen.query("#format RadioButton"))[3].value = True  # JSON: every kind
        await settle(pilot)
        screen.query_one("#export-steps").active = "pick"
        await settle(pilot)
        picks = screen.query_one("#picks", SelectionList)
        urges = [picks.get_option_at_index(i).value for i in range(picks.option_count)
                 if "Urge" in str(picks.get_option_at_index(i).prompt)]
        for record_id in urges[:2]:
            picks.deselect(record_id)
            screen.unticked.add(record_id)
        screen.query_one("#export-steps").active = "preview"
        await settle(pilot)
        summary = screen.query_one("#preview-text", TextArea).text.splitlines()
    # Two urges unticked; the kinds in the order of their first record (all on the
    # first day: then in the order of the kinds), the safety plan among the exercises.
    assert summary[2:] == ["  Journal entry: 4", "  Exercise: 2", "  Urge: 4", "",
                           "JSON keeps everything exactly, so it can be imported back "
                           "into an empty journal."]


async def test_a_streamed_save_that_fails_says_so_and_leaves_nothing(journal, tmp_path,
                                                                     monkeypatch):
    fill(journal, urges=4)
    from recoveryjournal.export import shared_records

    describer = shared_records.describer

    def failing(excluded):
        describe_one = describer(excluded)

        def describe(record):
            if record.kind == "exercise":
                raise OSError(28, "No space left on device")
            return describe_one(record)
        return describe

    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot)
        screen.query_one("#export-steps").active = "preview"
        await settle(pilot)
        monkeypatch.setattr(shared_records, "describer", failing)
        folder = tmp_path / "out"
        folder.mkdir()
        target = folder / "share.md"
        screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        told = [str(n.message) for n in app._notifications]
        assert any(f"Could not write {target}" in m and "Nothing was written" in m
                   for m in told), told
        assert list(folder.iterdir()) == []  # no file, no temporary file
        monkeypatch.setattr(shared_records, "describer", describer)
        await pilot.press("ctrl+s")  # and saving works again
        await settle(pilot)
        assert "Call me on" in target.read_text()


async def test_one_save_at_a_time_and_the_screen_answers_meanwhile(journal, tmp_path,
                                                                    monkeypatch):
    fill(journal, urges=4)
    may_finish = threading.Event()
    writes: list[str] = []
    streamed = files.write_export_pieces

    def held_back(path, pieces, **options):
        writes.append(str(path))
        assert may_finish.wait(10)  # the first save is still being written
        return streamed(path, pieces, **options)

    monkeypatch.setattr(files, "write_export_pieces", held_back)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot)
        screen.query_one("#export-steps").active = "preview"
        await settle(pilot)
        target = tmp_path / "share.md"
        screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen.query_one("#path").value = str(tmp_path / "other.md")
        await pilot.press("ctrl+s")  # while the first is written: said, not started
        await pilot.pause()
        told = [str(n.message) for n in app._notifications]
        assert told.count(f"Saving to {target}…") == 2, told
        assert not any(m.startswith("Saved to") for m in told)
        may_finish.set()
        await settle(pilot)
        told = [str(n.message) for n in app._notifications]
        assert any(m.startswith(f"Saved to {target}.") for m in told), told
    assert writes == [str(target)]
    assert "Call me on" in target.read_text() and not (tmp_path / "other.md").exists()
