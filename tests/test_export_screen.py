"""The export screen, driven as a person would at 80x24."""

from __future__ import annotations

import os
import stat
from datetime import timedelta

from textual.widgets import SelectionList, TextArea

from recoveryjournal import records
from recoveryjournal.records import Entry, Urge
from recoveryjournal.tui.screens.export import DRAFT_PURPOSE, ExportScreen

from helpers.tui import ExportHarness, settle

HOSTILE = "[/bold] [@click=app.quit]x[/] \x1b[31mred"


def fill(journal) -> None:
    now = records.now()
    journal.add(Entry(text=f"Called my sponsor {HOSTILE}", tags=["tools"],
                      when=now - timedelta(days=2)))
    journal.add(Entry(text="Quiet evening", when=now - timedelta(days=1)))
    journal.add(Urge(addiction="alcohol", intensity=6, place="PLACE-bar", coping=["walk"],
                     when=now - timedelta(hours=3)))



async def go_to(pilot, step: str) -> None:
    pilot.app.screen.query_one("#export-steps").active = step
    await settle(pilot)


async def test_pick_list_shows_hostile_text_literally_and_unticking_leaves_it_out(journal):
    fill(journal)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "2 records will be written." in str(screen.query_one("#choose-status").render())
        await go_to(pilot, "pick")
        picks = screen.query_one("#picks", SelectionList)
        prompts = [str(picks.get_option_at_index(i).prompt) for i in range(picks.option_count)]
        assert any("[/bold] [@click=app.quit]x[/] [31mred" in p for p in prompts)
        assert app.is_running  # the [@click=app.quit] did nothing
        picks.focus()
        picks.highlighted = prompts.index(next(p for p in prompts if "Called" in p))
        await pilot.press("space")
        await go_to(pilot, "preview")
        text = screen.query_one("#preview-text", TextArea).text
        assert "Quiet evening" in text and "Called my sponsor" not in text


async def test_preview_edit_and_save_writes_exactly_the_edited_text(journal, tmp_path):
    fill(journal)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await go_to(pilot, "preview")
        area = screen.query_one("#preview-text", TextArea)
        assert area.text.startswith("# From my recovery journal")
        assert "not encrypted" in area.text
        area.focus()
        area.move_cursor((0, 0))
        await pilot.press(*"Hi group. ")
        target = tmp_path / "share.md"
        screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert target.read_text().startswith("Hi group. # From my recovery journal")
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        assert "\x1b" not in target.read_text()


async def test_saving_over_a_file_asks_first(journal, tmp_path):
    fill(journal)
    target = tmp_path / "share.md"
    target.write_text("last week's card")
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#path").value = str(target)
        await go_to(pilot, "preview")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text() == "last week's card"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)  # written from the choices in a worker thread
        assert "Quiet evening" in target.read_text()


async def test_places_stay_out_until_ticked_and_the_preview_marks_them(journal):
    fill(journal)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        kinds = screen.query_one("#kinds", SelectionList)
        kinds.select("urge")
        await pilot.pause()
        await go_to(pilot, "preview")
        text = screen.query_one("#preview-text", TextArea).text
        assert "PLACE-bar" not in text and "walk" in text  # private by default
        marks = str(screen.query_one("#preview-marks").render())
        assert "Left out: My safety plan, People's names, Phone numbers, Places" in marks
        screen.query_one("#include", SelectionList).select("places")
        await pilot.press("ctrl+r")
        await settle(pilot)
        text = screen.query_one("#preview-text", TextArea).text
        assert "PLACE-bar" in text
        marks = str(screen.query_one("#preview-marks").render())
        assert "Carries a name or a number: Place (1)" in marks
        assert "Places" not in marks.split("Left out:")[1]
        await go_to(pilot, "pick")  # each record that carries one is flagged there too
        picks = screen.query_one("#picks", SelectionList)
        prompts = [str(picks.get_option_at_index(i).prompt) for i in range(picks.option_count)]
        assert [p.startswith("\u2691") for p in prompts] == ["Urge" in p for p in prompts]
        assert any(p.startswith("\u2691") for p in prompts)
        await go_to(pilot, "preview")
        screen.query_one("#leave-out", SelectionList).select("coping")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "walk" not in screen.query_one("#preview-text", TextArea).text


async def test_first_share_says_what_is_left_out_and_choices_are_remembered_not_widened(
        journal, tmp_path):
    fill(journal)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        note = str(screen.query_one("#privacy-note").render())
        assert "leaves out: my safety plan" in note and "Also share" in note
        screen.query_one("#include", SelectionList).select("places")
        screen.query_one("#leave-out", SelectionList).select("tags")
        screen.query_one("#path").value = str(tmp_path / "first.md")
        await go_to(pilot, "preview")
        await pilot.press("ctrl+s")
        await settle(pilot)  # written from the choices in a worker thread
        assert (tmp_path / "first.md").exists()
    settings = journal.settings()
    assert settings.share_told and settings.share_left_out == ["tags"]
    again = ExportHarness(journal)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = again.screen
        await settle(pilot)
        assert not screen.query_one("#privacy-note").display
        assert screen.query_one("#leave-out", SelectionList).selected == ["tags"]
        assert screen.query_one("#include", SelectionList).selected == []  # never remembered


async def test_html_and_card(journal, tmp_path):
    fill(journal)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        buttons = list(screen.query("#format RadioButton"))
        buttons[2].value = True  # HTML page
        screen.query_one("#card").value = True
        screen.query_one("#worked-on").value = "Saying no <b>kindly</b>"
        await pilot.pause()
        assert screen.query_one("#path").value.endswith(".html")
        target = tmp_path / "card.html"
        screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")  # from Choose: shows the card and its name first
        await settle(pilot)
        assert screen.query_one("#export-steps").active == "preview"
        assert not target.exists()
        assert "1 this week, 1 resisted" in screen.query_one("#preview-text", TextArea).text
        await pilot.press("ctrl+s")
        await pilot.pause()
        page = target.read_text()
        assert "<b>" not in page and "&lt;b&gt;kindly" in page
        assert "1 this week, 1 resisted" in page


async def test_edits_survive_a_lock_as_a_sealed_draft(journal):
    fill(journal)
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "preview")
        area = app.screen.query_one("#preview-text", TextArea)
        area.focus()
        await pilot.press(*"My own words ")
        app.screen.save_draft()  # what the app calls before locking
    assert "My own words" in journal.draft(DRAFT_PURPOSE).content["text"]
    again = ExportHarness(journal)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = again.screen
        assert screen.query_one("#export-steps").active == "preview"
        assert "My own words" in screen.query_one("#preview-text", TextArea).text


async def test_x_on_the_dashboard_opens_export_and_escape_goes_back(journal_path):
    from helpers.tui import fixed_clock, make_journal, screen_text, unlock

    from recoveryjournal.tui.app import RecoveryJournalApp
    from recoveryjournal.tui.screens.dashboard import DashboardScreen

    make_journal(journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        text = screen_text(app)
        assert "Markdown" in text and "Also share" in text and "Leave out" in text
        assert "a share with the group leaves out: my safety plan" in text  # the first time
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_counting_and_the_preview_run_off_the_ui_thread(journal, monkeypatch):
    """The screen shows at once: reading and rendering a ten-year journal happen in
    a worker thread, never on the thread that paints the screen (issue 20, item 13)."""
    import threading

    from recoveryjournal.export import selection

    fill(journal)
    threads: dict[str, list[str]] = {}

    def watched(name: str):
        real = getattr(selection, name)

        def reading(*args, **kwargs):
            threads.setdefault(name, []).append(threading.current_thread().name)
            return real(*args, **kwargs)
        return reading

    for name in ("choose", "iter_chosen", "count_chosen"):  # every way records are read
        monkeypatch.setattr(selection, name, watched(name))
    app = ExportHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        ui_thread = threading.current_thread().name
        await go_to(pilot, "preview")
        assert "Quiet evening" in app.screen.query_one("#preview-text", TextArea).text
        assert "2 records will be written." in str(app.screen.query_one("#choose-status").render())
    assert threads.get("iter_chosen") and threads.get("count_chosen")  # the preview, the count
    assert ui_thread not in sum(threads.values(), [])


async def test_the_screen_is_shown_and_usable_before_the_preview_is_ready(journal, monkeypatch):
    """At its first paint the choices are there and nothing has read the journal yet;
    while the preview is still being built the person can go back and change a
    choice; the preview fills in after (issue 20, item 13)."""
    import threading

    from recoveryjournal.export import selection

    fill(journal)
    reads: list[str] = []
    preview_may_finish = threading.Event()

    def slow(real):
        def reading(*args, **kwargs):
            reads.append(threading.current_thread().name)
            if threading.current_thread() is not threading.main_thread():
                preview_may_finish.wait(10)
            return real(*args, **kwargs)
        return reading

    for name in ("choose", "iter_chosen", "count_chosen"):  # every way records are read
        monkeypatch.setattr(selection, name, slow(getattr(selection, name)))
    first_paint: dict = {}

    class Watched(ExportScreen):
        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(lambda: first_paint.update(
                reads=list(reads), format=self.query_one("#format").region,
                kinds=self.query_one("#kinds").region))

    class WatchedHarness(ExportHarness):
        def on_mount(self) -> None:
            self.push_screen(Watched(self.journal))

    app = WatchedHarness(journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert first_paint["format"].height and first_paint["kinds"].height  # on screen
        assert first_paint["reads"] == []  # nothing read before the first paint
        app.screen.query_one("#export-steps").active = "preview"
        await pilot.pause()
        area = app.screen.query_one("#preview-text", TextArea)
        assert area.text == "Building the preview…"
        app.screen.query_one("#export-steps").active = "choose"
        await pilot.pause()
        await pilot.click("#card")  # usable meanwhile: tick the check-in card
        await pilot.pause()
        assert app.screen.is_card
        preview_may_finish.set()
        await settle(pilot)
        app.screen.query_one("#export-steps").active = "preview"
        await settle(pilot)
        assert "Building the preview…" not in area.text and area.text.strip()


async def test_only_ticked_boxes_look_ticked(journal):
    """Issue 20, item 8: Textual draws "X" (and "●") in every box, ticked or not,
    which reads as ticked without colour. Here an unticked box is empty."""
    from helpers.tui import screen_text

    fill(journal)
    app = ExportHarness(journal)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)  # what a person reads, colours left aside
        assert "● Markdown" in text and "● Plain text" not in text  # the format chosen
        assert "✓ Journal entries" in text and "✓ Urges" not in text
        assert "✓ Check-in card" not in text and "✓ ⚑ My safety plan" not in text
        assert "X" not in text  # Textual's mark in every box, ticked or not
        await pilot.click("#card")
        await settle(pilot)
        assert "✓ Check-in card" in screen_text(app)
