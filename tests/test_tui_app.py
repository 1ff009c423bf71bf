"""The full-screen app through Pilot: first run, unlock, dashboard, lock, help, palette."""

from __future__ import annotations

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.passphrase_rules import passphrase_problem
from recoveryjournal.records import Settings
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.passphrase import groups_match, recovery_groups_to_check, strength
from recoveryjournal.tui.screens.dashboard import DashboardScreen
from recoveryjournal.tui.screens.first_run import FirstRunScreen, parse_other_addictions
from recoveryjournal.tui.screens.unlock import UnlockScreen

from helpers import PASSPHRASE
from helpers.tui import NOW, fixed_clock, make_journal, screen_text, type_text, unlock


def make_app(path, **kwargs) -> RecoveryJournalApp:
    return RecoveryJournalApp(path, clock=fixed_clock, **kwargs)


# ---- first run ---------------------------------------------------------------------


async def test_first_run_creates_a_journal_tracking_what_was_picked(journal_path):
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, FirstRunScreen)
        text = screen_text(app)
        assert "encrypted on" in text and "this computer" in text
        await pilot.press("enter")  # Begin
        await type_text(pilot, "short")
        await pilot.press("enter")
        assert "at least 8 characters" in screen_text(app)
        await type_text(pilot, " and sweet")
        assert "too short" not in screen_text(app)
        await pilot.press("enter")
        app.screen.query_one("#repeat-passphrase").value = "short and sweeT"
        await pilot.press("enter")
        assert "not the same" in screen_text(app)
        assert not journal_path.exists()
        app.screen.query_one("#repeat-passphrase").value = "short and sweet"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert journal_path.exists()
        code = app.screen._code
        assert code and code in screen_text(app)
        # Writing the code down takes time: the idle lock waits while it is shown.
        assert not await app.check_idle_lock(now=app.last_activity + 3600)
        await pilot.press("enter")  # I have written it down
        await pilot.pause()
        first, second = app.screen._check_groups
        assert f"group {first} and group {second}" in screen_text(app)
        groups = code.split("-")
        app.screen.query_one("#group-a").value = "ZZZZ"
        await pilot.press("enter")
        app.screen.query_one("#group-b").value = groups[second - 1]
        await pilot.press("enter")
        assert "not quite group" in screen_text(app)
        app.screen.query_one("#group-a").value = ""
        app.screen.query_one("#group-a").value = groups[first - 1].lower()
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert "keep track of" in screen_text(app)
        assert app.screen._code is None  # the code leaves memory once checked
        await pilot.press("space", "down", "down", "down", "down", "down", "space", "tab")
        app.screen.query_one("#other").value = "shopping, Late Night Snacks"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        text = screen_text(app)
        for name in ("alcohol", "gambling", "shopping", "late night snacks"):
            assert name in text
    reopened = Journal.open(journal_path, "short and sweet")
    try:
        assert reopened.tracked_addictions() == [
            "alcohol", "gambling", "shopping", "late night snacks"
        ]
        assert reopened.settings().onboarded
    finally:
        reopened.lock()


async def test_first_run_stopped_early_resumes_at_the_addictions(journal_path):
    journal, _code = Journal.create(journal_path, PASSPHRASE)
    journal.lock()
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert "keep track of" in screen_text(app)
        await pilot.press("tab", "enter")  # nothing picked is fine
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Nothing tracked yet" in screen_text(app)


async def test_first_run_after_init_track_shows_what_is_tracked_ticked(journal_path):
    journal, _code = Journal.create(journal_path, PASSPHRASE, addictions=["alcohol", "gambling"])
    journal.lock()
    app = make_app(journal_path)
    for size in ((80, 24), (60, 20)):
        async with app.run_test(size=size) as pilot:
            await unlock(pilot)
            text = screen_text(app)
            assert "Chosen: alcohol, gambling" in text
            # A ticked box shows a tick; an unticked one is empty (no "X" anywhere).
            assert "✓ alcohol" in text and "✓ gambling" in text and "✓ cannabis" not in text
            assert " X " not in text
            # Every choice and the Start button fit on the screen, nothing below the fold.
            for name in ("alcohol", "nicotine", "food", "Start"):
                assert name in text, (size, name)
        app = make_app(journal_path)


async def test_first_run_passphrase_messages_follow_what_is_typed(journal_path):
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        # The language choice comes before anything to read, and before Begin.
        languages = app.screen.query_one("#languages").region
        assert languages.y < app.screen.query_one("#begin").region.y
        assert languages.y < app.screen.query_one(".title").region.y
        await pilot.press("enter")  # Begin
        await type_text(pilot, "short")
        await pilot.press("enter")
        assert "Please use at least 8 characters" in screen_text(app)
        await type_text(pilot, " and sweet")
        assert "Please use at least" not in screen_text(app)  # no stale complaint
        app.screen.query_one("#new-passphrase").value = "Password"
        await pilot.pause()
        assert "too common" in screen_text(app)
        await pilot.press("enter")
        assert "most common passwords" in screen_text(app)
        assert app.focused.id == "new-passphrase"  # not moved on to the repeat box


async def test_a_tab_in_a_typed_burst_moves_to_the_repeat_box(journal_path):
    from textual import events

    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # Begin
        # What a password manager's auto-type sends: every key at once, Tab inside.
        burst = "paper boats\tpaper boats"
        for char in burst:
            key = {"\t": "tab", " ": "space"}.get(char, char)
            app.post_message(events.Key(key, None if char == "\t" else char))
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#new-passphrase").value == "paper boats"
        assert app.screen.query_one("#repeat-passphrase").value == "paper boats"


def test_passphrase_strength_and_recovery_check_rules():
    assert strength("")[0] == 0
    assert strength("abc")[0] == 0
    assert strength("aaaaaaaaaaaa")[0] <= 1
    assert strength("correct horse battery staple")[0] >= 3
    assert strength("password")[0] == 0
    assert passphrase_problem("pass word 123") and passphrase_problem("LÖSENORD")
    assert passphrase_problem("paper boats at dawn") is None
    code = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"
    for seed in range(200):
        first, second = recovery_groups_to_check(code, seed)
        assert 1 <= first < second <= 8
    assert groups_match(code, 3, " cccc ")
    assert not groups_match(code, 3, "CCCD")
    assert groups_match("0000-1111-X-X-X-X-X-X", 2, "IlIl")  # look-alikes forgiven
    assert parse_other_addictions(" Shopping ,shopping,, late  night ") == [
        "shopping", "late night"
    ]


# ---- unlock ------------------------------------------------------------------------


async def test_unlock_shows_nothing_until_the_passphrase_is_right(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, UnlockScreen)
        locked = screen_text(app)
        for secret in ("alcohol", "gambling", "sponsor", "Called", "urge"):
            assert secret not in locked
        await unlock(pilot, "not my passphrase")
        assert isinstance(app.screen, UnlockScreen)
        assert "does not open this journal" in screen_text(app)
        assert app.journal is None
        await unlock(pilot)
        assert isinstance(app.screen, DashboardScreen)
        text = screen_text(app)
        assert "alcohol" in text and "gambling" in text
        assert "12 days" in text  # since the last use of alcohol
        assert "1 urge today" in text


async def test_unlock_makes_one_encrypted_backup_a_day(journal_path):
    make_journal(journal_path)
    backups = journal_path.parent / "backups"
    for _attempt in range(2):  # a second unlock the same day adds nothing
        app = make_app(journal_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            assert isinstance(app.screen, DashboardScreen)
    made = sorted(p.name for p in backups.iterdir())
    assert made == [f"daily-{NOW.date().isoformat()}.db"]
    copy = Journal.open(backups / made[0], PASSPHRASE)
    assert len(copy.entries()) == 3
    assert b"sponsor" not in (backups / made[0]).read_bytes()


async def test_unlock_shows_vault_errors_as_messages(tmp_path):
    not_a_journal = tmp_path / "notes.db"
    not_a_journal.write_bytes(b"just some text, not a journal")
    app = make_app(not_a_journal)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        text = screen_text(app)
        assert "not a recoveryjournal journal" in text
        assert "Traceback" not in text
        assert isinstance(app.screen, UnlockScreen)


async def test_damaged_records_are_listed_calmly_after_unlock(journal_path):
    make_journal(journal_path)
    import sqlite3

    conn = sqlite3.connect(journal_path)
    try:
        record_id, blob = conn.execute(
            "SELECT id, blob FROM records WHERE id != 'settings' LIMIT 1").fetchone()
        damaged = bytearray(blob)
        damaged[-1] ^= 0x01
        conn.execute("UPDATE records SET blob = ? WHERE id = ?", (bytes(damaged), record_id))
        conn.commit()
    finally:
        conn.close()
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        text = screen_text(app)
        assert "could not be read" in text
        assert "Everything else opened normally" in text
        await pilot.press("enter")
        assert isinstance(app.screen, DashboardScreen)


# ---- dashboard ---------------------------------------------------------------------


async def test_dashboard_keys_open_their_screens(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        for key, screen in (("s", "SettingsScreen"), ("j", "EntriesScreen"),
                            ("p", "ProgressScreen"), ("x", "ExportScreen"),
                            ("e", "ExercisesScreen"), ("c", "CheckinScreen")):
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == screen, key
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen), key
        await pilot.press("f2", "f2")  # twice: still one safety plan on the stack
        await pilot.pause()
        names = [type(s).__name__ for s in app.screen_stack]
        assert names.count("SafetyPlanScreen") == 1


# ---- locking -----------------------------------------------------------------------


async def test_ctrl_l_locks_from_any_screen_and_drops_the_journal(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        journal = app.journal
        await pilot.press("j")
        await pilot.press("enter")  # open the newest entry
        assert type(app.screen).__name__ == "EntryScreen"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert len(app.screen_stack) == 2  # the base screen and the unlock screen
        assert app.journal is None and journal.is_locked
        assert "Called my sponsor" not in screen_text(app)
        await unlock(pilot)
        # Back where the person was: the entry, above the list, above the dashboard.
        assert [type(s).__name__ for s in app.screen_stack[1:]] == [
            "DashboardScreen", "EntriesScreen", "EntryScreen"]
        assert "Hard day at work" in screen_text(app)


async def test_idle_lock_follows_the_setting_without_waiting(journal_path):
    make_journal(journal_path)
    ticks = [1000.0]
    app = RecoveryJournalApp(journal_path, clock=fixed_clock, monotonic=lambda: ticks[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert app.idle_minutes == Settings().idle_minutes == 5
        assert not await app.check_idle_lock(now=ticks[0] + 4 * 60)
        await pilot.press("j")  # activity restarts the clock
        ticks[0] += 200
        await pilot.press("down")
        assert not await app.check_idle_lock(now=ticks[0] + 299)
        assert await app.check_idle_lock(now=ticks[0] + 300)
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert app.journal is None


# ---- help and palette --------------------------------------------------------------


async def test_help_lists_every_key(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(100, 50)) as pilot:
        await unlock(pilot)
        await pilot.press("f1")
        text = screen_text(app)
        for key in ("ctrl+l", "f1", "f2", "ctrl+p", "ctrl+q", "w ", "j ", "u ", "e ", "c ",
                    "p ", "x ", "s "):
            assert key in text
        await pilot.press("f1")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("j", "f1")
        text = screen_text(app)
        assert "On this screen" in text and "/ Search" in text and "d / del Delete" in text
        await pilot.press("escape")
        assert type(app.screen).__name__ == "EntriesScreen"


async def test_command_palette_runs_actions(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "settings")
        from textual.command import CommandList

        results = app.screen.query_one(CommandList)
        for _attempt in range(200):  # the palette searches in the background: poll
            if results.option_count:
                break
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SettingsScreen"


async def test_palette_offers_only_lock_free_actions_while_locked(journal_path):
    from recoveryjournal.tui.commands import JournalCommands

    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)):
        provider = JournalCommands(app.screen)
        names = [hit.text async for hit in provider.discover()]
        assert "Help" in names and "Quit" in names
        assert "Write" not in names and "Journal" not in names


async def test_settings_change_idle_time_theme_and_tracking(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("s")
        screen = app.screen
        screen.query_one("#idle").value = "12"
        screen.query_one("#theme").value = "nord"
        screen.query_one("#other").value = "shopping"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.idle_minutes == 12
        assert app.theme == "nord"
        assert "shopping" in screen_text(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        await unlock(pilot)
        assert app.theme == "nord"
        assert app.journal.settings().idle_minutes == 12


@pytest.mark.parametrize("protection, words", [
    ("kernel and guard", "Network: blocked by the kernel (Landlock, seccomp) and by the app's guard."),
    ("guard only", "Network: blocked by the app's guard only"),
])
async def test_settings_say_which_network_protection_is_active(journal_path, monkeypatch,
                                                              protection, words):
    from recoveryjournal.vault import netguard

    monkeypatch.setattr(netguard, "protection", lambda: protection)
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("s")
        await pilot.pause()
        shown = str(app.screen.query_one("#protection").render())
        assert shown.startswith(words)


async def test_a_settings_problem_shows_next_to_its_field_and_in_a_notice(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("s")
        screen = app.screen
        # Typing goes to the first field at once (it went to the page before).
        await pilot.press("ctrl+u", "0")
        assert screen.query_one("#idle").value == "0"
        screen.query_one("#settings").scroll_end(animate=False)  # the field out of sight
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # not saved
        problem = screen.query_one("#idle-problem")
        assert problem.display and "from 1 to 240" in str(problem.render())
        # On screen now, under the field, with the cursor in it, and said in a notice.
        assert "from 1 to 240" in screen_text(app)
        assert app.focused is screen.query_one("#idle")
        assert any("from 1 to 240" in str(n.message) for n in app._notifications)
        # The tracked addictions: ticked ones show a tick, the others an empty box.
        text = screen_text(app)
        assert "✓ alcohol" in text and " X " not in text


async def test_themes_have_names_people_recognise(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("s")
        options = app.screen.query_one("#theme")._options
        labels = [str(label) for label, _value in options]
        assert labels[:2] == ["Standard, dark", "Standard, light"]
        assert "Gruvbox (warm brown, dark)" in labels
        assert not any(label in ("textual-dark", "gruvbox", "nord") for label in labels)


async def test_quit_keeps_unsaved_writing_as_a_draft(journal_path):
    make_journal(journal_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("w")
        await type_text(pilot, "half a thought")
        await pilot.press("ctrl+q")
    reopened = Journal.open(journal_path, PASSPHRASE)
    try:
        assert reopened.draft("entry:new").content["text"] == "half a thought"
        assert not any(e.text == "half a thought" for e in reopened.entries())
    finally:
        reopened.lock()


async def test_demo_mode_says_demo_and_opens_an_unlocked_journal(journal_path):
    make_journal(journal_path)
    journal = Journal.open(journal_path, PASSPHRASE)
    app = RecoveryJournalApp(journal_path, demo=True, journal=journal, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "DEMO" in screen_text(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "DEMO" in screen_text(app)


async def test_language_setting_switches_the_keys_shown(journal_path, monkeypatch):
    from recoveryjournal import i18n
    from recoveryjournal.tui import keymap

    make_journal(journal_path)
    app = make_app(journal_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("s")
            # A stand-in catalog: every message in capitals, to see what gets translated.
            monkeypatch.setattr(keymap, "_", str.upper)
            app.screen.query_one("#language").value = "sv"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert i18n.current_language() == "sv"
            assert app.journal.settings().language == "sv"
            await pilot.press("j")
            await pilot.pause()
            assert "BACK" in screen_text(app) and "SEARCH" in screen_text(app)
    finally:
        i18n.set_language("en")


async def test_no_screenshot_can_leave_the_decrypted_screen_on_disk(journal_path, tmp_path,
                                                                    monkeypatch):
    make_journal(journal_path)
    monkeypatch.chdir(tmp_path)
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles and not any("creenshot" in t or "kärmbild" in t for t in titles)
        app.action_screenshot()
        await pilot.pause()
    assert not list(tmp_path.glob("*.svg"))


async def test_dashboard_and_footers_fit_small_terminals(journal_path):
    make_journal(journal_path)
    for size in ((80, 24), (60, 20)):
        app = make_app(journal_path)
        async with app.run_test(size=size) as pilot:
            await unlock(pilot)
            dashboard = screen_text(app)
            # Every menu key is on screen (not below the fold) and Help is in the footer.
            for label in ("Write", "Journal", "Urge now", "Exercises", "Check-in", "Progress",
                          "Export", "Settings", "f1 Help"):
                assert label in dashboard, (size, label)
            # Each addiction is one row: its name and its 90-day figure on the same line.
            rows = app.screen.query_one("#addictions").render().plain.splitlines()
            assert len(rows) == 3, (size, rows)  # headings + alcohol + gambling
            for key in ("j", "p", "s"):  # the journal, Progress and Settings
                await pilot.press(key)
                await pilot.pause()
                footer = app.screen.query_one("KeysFooter")
                keys = [k for k in footer.query("FooterKey")]
                assert keys and keys[0].action == "help", (size, key)
                if size == (80, 24):  # nothing cut at 80 columns
                    assert sum(k.outer_size.width for k in keys) <= 80, (key, [k.key for k in keys])
                await pilot.press("escape")
                await pilot.pause()
