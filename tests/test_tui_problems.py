"""The problems screen after unlock: changes made outside the app can be accepted
(or left for next time); damaged records alone offer nothing to accept."""

from __future__ import annotations

from pathlib import Path

from recoveryjournal.journal import Journal
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens.dashboard import DashboardScreen
from recoveryjournal.tui.screens.problems import ProblemsScreen
from recoveryjournal.vault.errors import JournalError

from helpers import PASSPHRASE
from helpers.tamper import sql
from helpers.tui import HOSTILE, fixed_clock, make_journal, screen_text, unlock

ACCEPT = "Accept the journal as it is now"




def entry_ids(path: Path) -> list[str]:
    return [row[0] for row in sql(path, "SELECT id FROM records WHERE id != 'settings' ORDER BY id")]


def whole_file(path: Path) -> list:
    """Every row the journal keeps, to see that nothing was written."""
    return (sql(path, "SELECT id, blob FROM records ORDER BY id")
            + sql(path, "SELECT key, value FROM vault ORDER BY key"))


def problems_found(path: Path) -> list[str]:
    journal = Journal.open(path, PASSPHRASE)
    try:
        journal.load()
        return list(journal.problems)
    finally:
        journal.lock()


def with_a_record_deleted(path: Path) -> Path:
    make_journal(path)
    sql(path, "DELETE FROM records WHERE id=?", entry_ids(path)[0])
    return path


def with_a_record_damaged(path: Path) -> Path:
    make_journal(path)
    damaged = entry_ids(path)[0]
    blob = bytearray(sql(path, "SELECT blob FROM records WHERE id=?", damaged)[0][0])
    blob[len(blob) // 2] ^= 0x01
    sql(path, "UPDATE records SET blob=? WHERE id=?", bytes(blob), damaged)
    return path


def make_app(path: Path) -> RecoveryJournalApp:
    return RecoveryJournalApp(path, clock=fixed_clock)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_a_deleted_record_can_be_accepted_and_is_not_reported_again(journal_path):
    path = with_a_record_deleted(journal_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app)
        assert "changed outside the app" in text and "should hold 7 records but holds 6" in text
        assert "Nothing is deleted" in text
        assert "recoveryjournal restore FILE" in text
        # Both choices are on an 80x24 screen, Continue (which changes nothing) focused.
        assert ACCEPT in text and "Continue" in text
        assert app.focused is app.screen.query_one("#continue")
        await pilot.click("#accept")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        told = [str(n.message) for n in app._notifications]
        assert any("will not ask about these changes again" in m for m in told)
    assert problems_found(path) == []


async def test_continue_changes_nothing_and_asks_again_next_time(journal_path):
    path = with_a_record_deleted(journal_path)
    before = whole_file(path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.press("enter")  # Continue
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert problems_found(path)
    assert whole_file(path) == before
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        assert ACCEPT in screen_text(app)


async def test_a_failed_accept_is_shown_on_the_screen_literally(journal_path, monkeypatch):
    path = with_a_record_deleted(journal_path)

    def refuse(journal) -> None:
        raise JournalError(f"The journal file is read-only {HOSTILE}")

    monkeypatch.setattr(Journal, "accept_changes", refuse)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.click("#accept")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app)
        assert "The journal file is read-only [/bold] [@click=app.quit]x[/]" in text
        assert ACCEPT in text and "Continue" in text  # still both on an 80x24 screen
        assert not app.screen.query_one("#accept").disabled
        await pilot.click("#continue")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert problems_found(path)


async def test_a_damaged_record_alone_offers_nothing_to_accept(journal_path):
    path = with_a_record_damaged(journal_path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app)
        assert "could not be read" in text and "is damaged" in text
        assert ACCEPT not in text and "restore FILE" not in text
        assert not app.screen.query("#accept")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_accepting_beside_a_damaged_record_settles_only_the_changes(journal_path):
    """A record's tag changed: it is damaged (skipped) and the set no longer
    matches. Accepting settles the set; the damaged record stays listed."""
    make_journal(journal_path)
    damaged = entry_ids(journal_path)[0]
    blob = bytearray(sql(journal_path, "SELECT blob FROM records WHERE id=?", damaged)[0][0])
    blob[-1] ^= 0x01
    sql(journal_path, "UPDATE records SET blob=? WHERE id=?", bytes(blob), damaged)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        text = screen_text(app)
        assert "could not be read" in text and "replaced by an older or foreign copy" in text
        assert ACCEPT in text and "Continue" in text
        await pilot.click("#accept")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        told = " ".join(str(n.message) for n in app._notifications)
        assert "could not be read are still skipped" in told
    found = problems_found(journal_path)
    assert len(found) == 1 and damaged in found[0]
