"""The app when things go wrong: read-only media, an unexpected error, and the
daily backup made without holding up the screen.

Read-only media are simulated for real: file modes for an ordinary user; as root
(CI), which ignores modes, the immutable attribute (`chattr +i`), which even root
cannot write through. Where neither is possible the test says so and skips.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest

from recoveryjournal import crash
from recoveryjournal.journal import Journal
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens.dashboard import DashboardScreen

from helpers import PASSPHRASE
from helpers.tui import NOW, fixed_clock, make_journal, screen_text, unlock


@contextlib.contextmanager
def read_only_media(folder: Path):
    """`folder` and the files in it cannot be written, as on a read-only mount."""
    paths = [*folder.iterdir(), folder]
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o500 if path.is_dir() else 0o400)
        undo = [["chmod", "u+w", str(p)] for p in paths]
    else:
        made = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"cannot make read-only media here: {made.stderr.decode().strip()}")
        undo = [["chattr", "-i", *map(str, paths)]]
    try:
        assert not os.access(folder / next(iter(os.listdir(folder))), os.W_OK)
        yield
    finally:
        for command in undo:
            subprocess.run(command, check=False)


async def test_a_journal_on_read_only_media_opens_read_only_and_says_so(journal_path):
    make_journal(journal_path)
    before = journal_path.read_bytes()
    with read_only_media(journal_path.parent):
        app = RecoveryJournalApp(journal_path, clock=fixed_clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            assert isinstance(app.screen, DashboardScreen)
            assert "This journal is read-only" in screen_text(app)
            assert "12 days" in screen_text(app)  # still reads everything
            for key in ("w", "u", "c", "s"):
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, DashboardScreen), key
            notices = [str(n.message) for n in app._notifications]
            assert any("nothing can be written" in n for n in notices)
            assert not any("backup" in n for n in notices)
            await pilot.press("j")  # reading works
            assert "Called my sponsor" in screen_text(app)
            for key in ("e", "d"):  # editing and deleting do not
                await pilot.press(key)
                await pilot.pause()
                assert type(app.screen).__name__ == "EntriesScreen", key
            await pilot.press("ctrl+q")
        assert app.return_code in (None, 0)
    assert journal_path.read_bytes() == before
    assert not (journal_path.parent / "backups").exists()


async def test_a_writable_journal_does_not_say_read_only(journal_path):
    make_journal(journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert "read-only" not in screen_text(app)
        await pilot.press("w")
        assert type(app.screen).__name__ == "EditorScreen"


async def test_a_crash_says_what_happened_keeps_the_draft_and_shows_no_locals(
    journal_path, monkeypatch, capfd, private_home
):
    make_journal(journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)

    def broken():
        private_words = "my very private entry"  # a local Textual would have shown
        raise TypeError(f"cannot add {private_words}")

    with pytest.raises(TypeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("w")
            await pilot.press(*"typed")
            app.screen.call_later(broken)  # a bug, while the entry is still unsaved
            await pilot.pause()
    assert app.return_code == 1
    shown = capfd.readouterr()
    said = " ".join((shown.out + shown.err).split())
    assert "Something unexpected went wrong (TypeError)" in said
    assert "Everything you saved is still in your journal" in said
    for leak in ("Traceback", "private_words", "my very private entry", "locals"):
        assert leak not in said
    reports = list((private_home / ".local" / "state" / "recoveryjournal"
                    / "crash-reports").iterdir())
    assert len(reports) == 1
    assert reports[0].name in said.replace(" ", "")
    assert reports[0].stat().st_mode & 0o777 == 0o600
    report = reports[0].read_text()
    assert "builtins.TypeError" in report and "test_reliability_app.py" in report
    for leak in ("private", "cannot add", "sponsor", str(private_home)):
        assert leak not in report
    with Journal.open(journal_path, PASSPHRASE) as journal:
        drafts = [journal.draft(p) for p in ("entry:new",)]
        assert drafts[0] is not None
        assert drafts[0].content["text"] == "typed"


async def test_a_draft_that_cannot_be_kept_leaves_the_text_on_screen(journal_path, monkeypatch):
    from recoveryjournal.vault.errors import StorageError

    make_journal(journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("w")
        await pilot.press(*"half a thought")

        def full(*args):
            raise StorageError("the disk is full")

        monkeypatch.setattr(app.journal, "save_draft", full)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "EditorScreen"
        assert "No draft could be kept; your text is still here" in screen_text(app)
        assert any("the disk is full" in str(n.message) for n in app._notifications)
        assert app.screen.query_one("TextArea").text == "half a thought"
        await pilot.press("escape")  # read, understood: close without it
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert app.return_code in (None, 0)


def test_a_crash_report_that_cannot_be_written_still_ends_calmly(monkeypatch, tmp_path):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setattr(crash, "reports_folder", lambda: blocked / "crash-reports")
    try:
        raise ValueError("secret")
    except ValueError as error:
        assert crash.write_report(error) is None
        said = crash.message(error, None)
    assert "ValueError" in said and "secret" not in said


async def test_the_first_unlock_after_first_run_makes_the_daily_backup(journal_path):
    journal, _code = Journal.create(journal_path, PASSPHRASE)  # first run stopped early
    journal.lock()
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("tab", "enter")  # Start, nothing tracked
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await app.workers.wait_for_complete()
    made = sorted(p.name for p in (journal_path.parent / "backups").iterdir())
    assert made == [f"daily-{NOW.date().isoformat()}.db"]


def test_an_unexpected_error_on_the_command_line_is_a_calm_line_and_exit_1(
    journal_path, monkeypatch, capsys, private_home
):
    from recoveryjournal import cli
    from recoveryjournal.cli import journal_commands

    make_journal(journal_path)

    def broken(args, path):
        private_words = "my very private entry"
        raise KeyError(private_words)

    monkeypatch.setattr(journal_commands, "cmd_list", broken)
    code = cli.main(["--journal", str(journal_path), "list"])
    said = capsys.readouterr().err
    assert code == 1
    assert said.startswith("recoveryjournal: Something unexpected went wrong (KeyError)")
    assert "Traceback" not in said and "private" not in said
    report = next((private_home / ".local" / "state" / "recoveryjournal"
                   / "crash-reports").iterdir())
    assert str(report) in said
    assert "builtins.KeyError" in report.read_text()
    assert "private" not in report.read_text()


def test_the_exit_code_of_the_app_is_the_exit_code_of_the_command(journal_path, monkeypatch):
    from recoveryjournal import tui

    monkeypatch.setattr(RecoveryJournalApp, "run", lambda self: self.exit(return_code=1))
    assert tui.run(journal_path) == 1  # it was always 0, even after a crash


async def test_the_app_removes_copies_left_by_a_killed_restore(journal_path):
    make_journal(journal_path)
    left = journal_path.parent / ".restore-k1lled00.db"
    left.write_bytes(b"an encrypted copy a killed restore left")
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)):
        assert not left.exists()
    assert journal_path.exists()


async def test_a_full_disk_in_urge_now_says_so_and_the_tools_stay(journal_path, monkeypatch):
    """In the middle of an urge a save that fails (a full disk) is said in a
    notice and the screen goes on to what helps; the app does not stop, and the
    journal's urge stays as it was saved (nothing shown that was not kept)."""
    from recoveryjournal.records import Urge
    from recoveryjournal.vault.errors import StorageError

    make_journal(journal_path, entries=False)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("enter")  # alcohol, the first tracked
        await pilot.press("7", "enter")  # saved: an urge of 7
        await pilot.pause()
        assert "What set it off?" in screen_text(app)
        [urge] = app.journal.records(Urge)

        def full(*args):
            raise StorageError("the disk is full")

        with monkeypatch.context() as disk:
            disk.setattr(app.journal, "_write", full)
            await pilot.press("enter")  # the first trigger offered: not saved
            await pilot.pause()
            assert any("the disk is full" in str(n.message) for n in app._notifications)
            assert type(app.screen).__name__ == "UrgeNowScreen"
            assert app.journal.get(urge.id).trigger == ""  # as saved
            await pilot.press("c")  # straight to what helps
            await pilot.pause()
            assert "What would help now?" in screen_text(app)
        assert app.journal.get(urge.id).intensity == 7
    assert app.return_code in (None, 0)
