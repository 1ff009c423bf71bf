"""Forgot the passphrase: from the unlock screen to the dashboard with the recovery code."""

from __future__ import annotations

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens.dashboard import DashboardScreen
from recoveryjournal.tui.screens.recover import RecoverScreen
from recoveryjournal.tui.screens.unlock import UnlockScreen
from recoveryjournal.vault.errors import WrongSecret

from helpers import PASSPHRASE
from helpers.tui import fixed_clock, screen_text, type_text

NEW_PASSPHRASE = "paper boats on the lake"


def make_journal_with_code(path) -> str:
    """A journal past first run, tracking alcohol and gambling; locked; its recovery code."""
    journal, code = Journal.create(path, PASSPHRASE, addictions=["alcohol", "gambling"])
    settings = journal.settings()
    settings.onboarded = True
    journal.save_settings(settings)
    journal.lock()
    return code


def opens_with(path, passphrase: str) -> bool:
    try:
        Journal.open(path, passphrase).lock()
    except WrongSecret:
        return False
    return True


async def open_recovery(pilot) -> None:
    await pilot.press("ctrl+r")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecoverScreen)


async def fill_in(pilot, code: str, first: str, repeat: str) -> None:
    """Type the code and the new passphrase twice (Enter after each), then wait
    for the key derivations."""
    screen = pilot.app.screen
    screen.query_one("#recovery-code").value = code
    await pilot.press("enter")
    screen.query_one("#new-passphrase").value = first
    await pilot.press("enter")
    screen.query_one("#repeat-passphrase").value = repeat
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_unlock_offers_the_recovery_code_and_escape_comes_back(journal_path):
    make_journal_with_code(journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, UnlockScreen)
        text = screen_text(app)
        assert "Forgot passphrase" in text  # the key in the footer
        assert "Use my recovery code" in text
        assert "Quit and run" not in text
        assert app.focused is app.screen.query_one("#passphrase")  # typing still unlocks
        await open_recovery(pilot)
        text = screen_text(app)
        assert "recovery code" in text
        for secret in ("alcohol", "gambling"):
            assert secret not in text
        assert app.focused is app.screen.query_one("#recovery-code")
        await type_text(pilot, "abcd")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert app.focused is app.screen.query_one("#passphrase")
        # The button leads there too, and the code typed before is gone.
        await pilot.click("#use-recovery-code")
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        assert app.screen.query_one("#recovery-code").value == ""
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#passphrase")  # not the button


async def test_a_wrong_code_says_so_and_nothing_opens(journal_path):
    code = make_journal_with_code(journal_path)
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_recovery(pilot)
        await fill_in(pilot, wrong, NEW_PASSPHRASE, NEW_PASSPHRASE)
        assert isinstance(app.screen, RecoverScreen)
        assert "does not open this journal" in screen_text(app)
        assert app.journal is None
        code_box = app.screen.query_one("#recovery-code")
        assert code_box.value == "" and app.focused is code_box  # ready to try again
        # Not a code at all: the same calm answer, and still no lockout.
        code_box.value = "hello"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "does not open this journal" in screen_text(app)
        assert app.journal is None
        assert "alcohol" not in screen_text(app)
    assert opens_with(journal_path, PASSPHRASE)
    assert not opens_with(journal_path, NEW_PASSPHRASE)


async def test_the_right_code_sets_a_new_passphrase_and_opens_the_dashboard(journal_path):
    code = make_journal_with_code(journal_path)
    typed = code.lower().replace("-", " ")  # as read off paper
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_recovery(pilot)
        boxes = list(app.screen.query("Input"))
        await fill_in(pilot, typed, NEW_PASSPHRASE, NEW_PASSPHRASE)
        assert isinstance(app.screen, DashboardScreen)
        assert app.journal is not None
        text = screen_text(app)
        assert "alcohol" in text and "gambling" in text
        told = [str(n.message) for n in app._notifications]
        assert len([m for m in told if "new passphrase is set" in m]) == 1
        assert "recovery code still works" in told[-1]
        assert [box.value for box in boxes] == ["", "", ""]  # nothing left in the boxes
    assert opens_with(journal_path, NEW_PASSPHRASE)
    assert not opens_with(journal_path, PASSPHRASE)
    Journal.open_with_recovery_code(journal_path, code).lock()  # the code still works


@pytest.mark.parametrize(
    ("first", "repeat", "says"),
    [
        ("short", "short", "at least 8 characters"),
        (NEW_PASSPHRASE, NEW_PASSPHRASE + "!", "not the same"),
    ],
)
async def test_a_weak_or_mismatched_new_passphrase_changes_nothing(journal_path, first, repeat,
                                                                   says):
    code = make_journal_with_code(journal_path)
    before = journal_path.read_bytes()
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_recovery(pilot)
        await fill_in(pilot, code, first, repeat)
        assert isinstance(app.screen, RecoverScreen)
        assert says in screen_text(app)
        assert app.journal is None
        assert "alcohol" not in screen_text(app)
    assert journal_path.read_bytes() == before
    assert opens_with(journal_path, PASSPHRASE)


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_settings_issue_a_new_recovery_code_that_retires_the_old_one(journal_path):
    from recoveryjournal.tui.screens.recovery_code import NewRecoveryCodeScreen
    from recoveryjournal.tui.screens.settings import SettingsScreen
    from recoveryjournal.tui.widgets.confirm import ConfirmScreen
    from helpers.tui import unlock

    old_code = make_journal_with_code(journal_path)
    with Journal.open(journal_path, PASSPHRASE) as journal:  # a backup beside it
        from recoveryjournal.export.backup import make_backup
        backup = make_backup(journal)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#new-recovery-code").press()  # below the fold at 80x24
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NewRecoveryCodeScreen)
        assert "old code no longer opens" in screen_text(app)
        screen.query_one("#current-passphrase").value = "not my passphrase"
        await pilot.press("enter")
        await _settle(pilot)
        assert "does not open" in screen_text(app) and screen._code is None
        screen.query_one("#current-passphrase").value = PASSPHRASE
        await pilot.press("enter")
        await _settle(pilot)
        code = screen._code
        assert code and code in screen_text(app) and code != old_code
        await pilot.press("enter")  # "I have written it down"
        await pilot.pause()
        a, b = screen._check_groups
        screen.query_one("#group-a").value = code.split("-")[a - 1].lower()
        await pilot.press("enter")
        screen.query_one("#group-b").value = code.split("-")[b - 1]
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # the backup still opens with the old code
        # The one made above and today's automatic one, both sealed for the old code.
        assert "2 backups kept beside the journal still open" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        told = [str(n.message) for n in app._notifications]
        assert any("new recovery code is set" in m for m in told)
        assert any("Deleted 2 backups." in m for m in told)
    assert not backup.exists()
    with pytest.raises(WrongSecret):
        Journal.open_with_recovery_code(journal_path, old_code)
    Journal.open_with_recovery_code(journal_path, code).lock()
    assert opens_with(journal_path, PASSPHRASE)
