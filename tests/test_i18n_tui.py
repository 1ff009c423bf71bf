"""The app in Swedish, Danish and Norwegian, driven as a person would at 80x24:
the dashboard, an exercise and an export in each language, switching language in
first run and in Settings, and the command line following LANG."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from textual.widgets import Button, OptionList, Select, TextArea

from recoveryjournal import exercises, i18n
from recoveryjournal.journal import Journal
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens.dashboard import DashboardScreen
from recoveryjournal.tui.screens.first_run import FirstRunScreen

from helpers import PASSPHRASE
from helpers.tui import fixed_clock, make_journal, screen_text, type_text, unlock

# NOW in helpers.tui is Saturday 14 March 2026.
EXPECTED = {
    "sv": {
        "today": "I dag, lördag 14 mars",
        "menu": "Vad vill du göra?",
        "addiction": "alkohol",
        "footer": "Dagbok",
        "points": "Hantera sug",
        "step": "Steg 1 av",
        "export": ("Utelämna", "Dagboksanteckningar"),
    },
    "da": {
        "today": "I dag, lørdag den 14. marts",
        "menu": "Hvad vil du gerne gøre?",
        "addiction": "alkohol",
        "footer": "Dagbog",
        "points": "At håndtere trang",
        "step": "Trin 1 af",
        "export": ("Udelad", "Dagbogsnotater"),
    },
    "nb": {
        "today": "I dag, lørdag 14. mars",
        "menu": "Hva vil du gjøre?",
        "addiction": "alkohol",
        "footer": "Dagbok",
        "points": "Takle sug",
        "step": "Steg 1 av",
        "export": ("Utelat", "Dagboknotater"),
    },
}
LANGUAGES = list(EXPECTED)
# English that must not be left on a translated screen.
ENGLISH = ("What would you like", "Today,", "Suggested next step", "Journal", "palette")


def journal_in(path, language: str):
    """The shared test journal, set to `language` in its (sealed) settings."""
    make_journal(path)
    journal = Journal.open(path, PASSPHRASE)
    settings = journal.settings()
    settings.language = language
    journal.save_settings(settings)
    journal.lock()
    return path


@pytest.mark.parametrize("language", LANGUAGES)
async def test_dashboard_in_each_language(journal_path, language):
    expected = EXPECTED[language]
    app = RecoveryJournalApp(journal_in(journal_path, language), clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert i18n.current_language() == language
        text = screen_text(app)
        for wanted in ("today", "menu", "addiction", "footer"):
            assert expected[wanted] in text, (wanted, text)
        for english in ENGLISH:
            assert english not in text, english


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_exercise_in_each_language(journal_path, language):
    expected = EXPECTED[language]
    library = exercises.load_exercises()
    app = RecoveryJournalApp(journal_in(journal_path, language), clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("e")
        await pilot.pause()
        text = screen_text(app)
        assert expected["points"] in text
        options = app.screen.query_one(OptionList)
        chosen = library.get(options.highlighted_option.id)
        assert chosen.title.get(language) in text
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert expected["step"] in text
        first_prompt = chosen.steps[0].prompt.get(language)
        assert first_prompt[:30] in text
        assert chosen.steps[0].prompt.get("en")[:30] not in text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_export_in_each_language(journal_path, language):
    left_out, heading = EXPECTED[language]["export"]
    app = RecoveryJournalApp(journal_in(journal_path, language), clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert left_out in screen_text(app)
        app.screen.query_one("#export-steps").active = "preview"
        await pilot.pause()
        preview = app.screen.query_one("#preview-text", TextArea).text
        assert heading in preview
        assert "Called my sponsor" in preview  # what the person wrote stays as written
        assert "Journal entries" not in preview


async def test_settings_switch_the_language_and_keep_it(journal_path):
    app = RecoveryJournalApp(journal_in(journal_path, ""), clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert "What would you like to do?" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        choice = app.screen.query_one("#language", Select)
        assert choice.value == ""  # follows the computer until chosen
        choice.value = "da"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        text = screen_text(app)
        assert EXPECTED["da"]["menu"] in text and EXPECTED["da"]["today"] in text
        assert app.journal.settings().language == "da"
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one("#language", Select).value == "da"
        app.screen.query_one("#language", Select).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert "What would you like to do?" in screen_text(app)


async def test_empty_setting_follows_lang(journal_path, monkeypatch):
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")
    app = RecoveryJournalApp(journal_in(journal_path, ""), clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert EXPECTED["nb"]["menu"] in screen_text(app)


async def test_first_run_offers_the_language_and_remembers_it(journal_path):
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, FirstRunScreen)
        assert "Welcome to recoveryjournal" in screen_text(app)
        app.screen.query_one("#language-sv", Button).press()
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "Välkommen till recoveryjournal" in text and "Welcome" not in text
        app.screen.query_one("#begin", Button).press()
        await pilot.pause()
        await type_text(pilot, "short and sweet")
        await pilot.press("enter")
        app.screen.query_one("#repeat-passphrase").value = "short and sweet"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert journal_path.exists()
        assert "Din återställningskod" in screen_text(app)
    journal = Journal.open(journal_path, "short and sweet")
    assert journal.settings().language == "sv"
    journal.lock()


async def test_palette_commands_speak_the_language(journal_path):
    """Textual's own palette commands (theme, quit, keys) follow the language too."""
    app = RecoveryJournalApp(journal_in(journal_path, "sv"), clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        commands = list(app.get_system_commands(app.screen))
        titles = {c.title for c in commands}
        assert {"Tema", "Avsluta"} <= titles and "Theme" not in titles
        assert "Byt tema" in {c.help for c in commands}


# ---- the command line ------------------------------------------------------------------------


def run_cli(*args: str, language: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, LANG=f"{language}.UTF-8", PYTHONIOENCODING="utf-8")
    env.pop("LC_ALL", None)
    env.pop("LANGUAGE", None)
    return subprocess.run([sys.executable, "-m", "recoveryjournal", *args], env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(
    ("language", "usage", "help_line", "write_help"),
    [
        ("sv_SE", "användning:", "visa den här hjälpen och avsluta", "lägg till en snabb anteckning"),
        ("da_DK", "brug:", "vis denne hjælp og afslut", "tilføj et hurtigt notat"),
        ("nb_NO", "bruk:", "vis denne hjelpen og avslutt", "legg til et raskt notat"),
        ("en_GB", "usage:", "show this help message and exit", "add a quick entry"),
    ],
)
def test_cli_help_follows_lang(language, usage, help_line, write_help):
    result = run_cli("--help", language=language)
    assert result.returncode == 0, result.stderr
    assert usage in result.stdout and help_line in result.stdout and write_help in result.stdout


def test_cli_messages_follow_lang(tmp_path):
    missing = tmp_path / "none.db"
    result = run_cli("--journal", str(missing), "list", language="da_DK")
    assert result.returncode != 0
    assert "Der er ingen dagbog på" in result.stderr
    result = run_cli("--journal", str(missing), "urge", "alcohol", "eleven", language="sv_SE")
    assert result.returncode == 2
    assert "Ingenting skrevs." in result.stderr


# ---- snapshots -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_snapshot_dashboard(snap_compare, journal_path, language):
    make_journal(journal_path)
    journal = Journal.open(journal_path, PASSPHRASE)
    settings = journal.settings()
    settings.language = language
    journal.save_settings(settings)
    app = RecoveryJournalApp(journal_path, journal=journal, clock=fixed_clock)

    async def loaded(pilot):
        # The dashboard is drawn before the background load ends and redrawn after it
        # (milestones, the plan to come back to): compare the finished screen only.
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.fully_loaded

    assert snap_compare(app, run_before=loaded, terminal_size=(80, 24))
