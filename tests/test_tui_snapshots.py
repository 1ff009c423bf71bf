"""SVG snapshots of the main screens at 80x24, on a fixed clock and time zone.

Update with `pytest tests/test_tui_snapshots.py --snapshot-update`, then look
at the SVGs in tests/__snapshots__/test_tui_snapshots/ before committing.
"""

from __future__ import annotations

import time

import pytest

from recoveryjournal.tui.app import RecoveryJournalApp

from helpers.tui import fixed_clock, make_journal, unlock


@pytest.fixture(autouse=True)
def stockholm_time(monkeypatch):
    """Entry times are shown in local time: pin the zone so snapshots match anywhere."""
    monkeypatch.setenv("TZ", "Europe/Stockholm")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def app(journal_path):
    make_journal(journal_path)
    return RecoveryJournalApp(journal_path, clock=fixed_clock)


async def _unlocked(pilot) -> None:
    await unlock(pilot)
    await pilot.pause()


def test_welcome(snap_compare, tmp_path):
    assert snap_compare(RecoveryJournalApp(tmp_path / "new.db", clock=fixed_clock))


def test_welcome_60x20(snap_compare, tmp_path):
    assert snap_compare(RecoveryJournalApp(tmp_path / "new.db", clock=fixed_clock),
                        terminal_size=(60, 20))


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_first_run_addictions_after_init_track(snap_compare, tmp_path, size):
    from recoveryjournal.journal import Journal

    from helpers import PASSPHRASE

    path = tmp_path / "tracked.db"
    journal, _code = Journal.create(path, PASSPHRASE, addictions=["alcohol", "gambling"])
    journal.lock()
    assert snap_compare(RecoveryJournalApp(path, clock=fixed_clock), run_before=_unlocked,
                        terminal_size=size)


def test_choose_passphrase(snap_compare, tmp_path):
    app = RecoveryJournalApp(tmp_path / "new.db", clock=fixed_clock)

    async def run_before(pilot):
        await pilot.press("enter")
        app.screen.query_one("#new-passphrase").value = "paper boats"

    assert snap_compare(app, run_before=run_before)


def test_unlock(snap_compare, app):
    assert snap_compare(app)


def test_dashboard(snap_compare, app):
    assert snap_compare(app, run_before=_unlocked)


def test_dashboard_wide(snap_compare, app):
    assert snap_compare(app, run_before=_unlocked, terminal_size=(200, 50))


def test_journal_list(snap_compare, app):
    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("j")

    assert snap_compare(app, run_before=run_before)


def test_entry(snap_compare, app):
    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("j", "enter")

    assert snap_compare(app, run_before=run_before)


def test_editor(snap_compare, app):
    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("j", "e")

    assert snap_compare(app, run_before=run_before)


def test_delete_question(snap_compare, app):
    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("j", "d")

    assert snap_compare(app, run_before=run_before)


def test_settings(snap_compare, app, monkeypatch):
    from recoveryjournal.vault import netguard

    # what the installed app says on a kernel with Landlock; tests run unguarded
    monkeypatch.setattr(netguard, "protection", lambda: netguard.KERNEL_AND_GUARD)

    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("s")

    assert snap_compare(app, run_before=run_before)


def test_help(snap_compare, app):
    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("f1")

    assert snap_compare(app, run_before=run_before)


def test_help_lines_from_the_unlock_screen(snap_compare, app):
    """F2 while locked: the generic help lines (here Sweden's, after one `n` from the
    neutral entry an English session starts on), never the person's plan."""
    async def run_before(pilot):
        await pilot.press("f2")
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before)


def test_safety_plan_with_the_swedish_help_lines(snap_compare, journal_path, monkeypatch):
    """The safety plan in Swedish, with no plan saved yet: the emergency number on
    top, then Sweden's help lines and the day they were checked."""
    from recoveryjournal.i18n import set_language
    from recoveryjournal.journal import Journal

    from helpers import PASSPHRASE

    make_journal(journal_path)
    with Journal.open(journal_path, PASSPHRASE) as journal:
        settings = journal.settings()
        settings.language = "sv"
        settings.country = "SE"
        journal.save_settings(settings)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)

    async def run_before(pilot):
        await unlock(pilot)
        await pilot.press("f2")
        await pilot.pause()

    try:
        assert snap_compare(app, run_before=run_before, terminal_size=(80, 40))
    finally:
        set_language("en")


def test_new_recovery_code(snap_compare, app):
    """The first step only: the code itself is random, so it is not snapshotted."""
    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#new-recovery-code").press()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before)


def test_export_card_preview(snap_compare, app):
    """The weekly check-in card in the export screen's preview, named below it."""

    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#card").value = True
        app.screen.query_one("#bring-up").value = "How to say no at a party"
        app.screen.query_one("#path").value = "/home/me/Documents/checkin-card-2026-03-14.md"
        await pilot.pause()
        app.screen.query_one("#export-steps").active = "preview"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before)


def test_export(snap_compare, app):
    """The export screen's first step: what to share, private by default."""
    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("x")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before)


def test_exercise_runner(snap_compare, app):
    """The second step of the ABC exercise: its prompt, the first answer recalled
    above the box, and the example shown with F3."""
    from recoveryjournal.exercises import load_exercises
    from recoveryjournal.tui.screens.exercises.run import ExerciseRunScreen

    async def run_before(pilot):
        await _unlocked(pilot)
        exercise = load_exercises().get("abc")
        await app.push_screen(ExerciseRunScreen(
            app.journal, exercise, {"activating_event": "My sister cancelled our dinner."},
            step=1))
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before)


FIXED_CODE = "7KQ2-MZ9D-4HXB-T1RW-8CPN-3VFG-Y6JE-05AS"


def test_recovery_code_shown(snap_compare, app, monkeypatch):
    """The new code from Settings, shown once, with what to do with it (a fixed code:
    a real one is random)."""
    from recoveryjournal.vault import crypto

    from helpers import PASSPHRASE

    monkeypatch.setattr(crypto, "new_recovery_code", lambda: FIXED_CODE)

    async def run_before(pilot):
        await _unlocked(pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#new-recovery-code").press()
        await pilot.pause()
        app.screen.query_one("#current-passphrase").value = PASSPHRASE
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before)


def test_recover(snap_compare, app):
    """Forgot the passphrase: ctrl+r on the unlock screen asks for the recovery code."""
    async def run_before(pilot):
        await pilot.press("ctrl+r")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before)


def test_problems(snap_compare, journal_path, monkeypatch):
    """After unlock, a record deleted outside the app: what was found, and the choice."""
    import sqlite3
    from pathlib import Path

    from recoveryjournal.tui.screens import problems

    # The folder named on screen, the same in every run (tmp_path is not).
    monkeypatch.setattr(problems, "backups_folder",
                        lambda _path: Path("/home/me/.local/share/recoveryjournal/backups"))
    make_journal(journal_path)
    conn = sqlite3.connect(journal_path)
    with conn:
        [(first,)] = conn.execute(
            "SELECT id FROM records WHERE id != 'settings' ORDER BY id LIMIT 1").fetchall()
        conn.execute("DELETE FROM records WHERE id=?", (first,))
    conn.close()
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)

    async def run_before(pilot):
        await _unlocked(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_thought_record_rates_each_feeling(snap_compare, app, size):
    """The thought record's feelings step: two named and rated, a line waiting for
    the next one, and the keys said under them."""
    from recoveryjournal.exercises import load_exercises
    from recoveryjournal.tui.screens.exercises.run import ExerciseRunScreen

    async def run_before(pilot):
        await _unlocked(pilot)
        exercise = load_exercises().get("thought-record")
        await app.push_screen(ExerciseRunScreen(
            app.journal, exercise,
            {"emotion": [{"name": "Sad", "value": 8}, {"name": "Ashamed", "value": 6}]},
            step=1))
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=size)
