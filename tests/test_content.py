"""Content that reaches help: the help lines by country (also from the locked
screen), the health notes, the Danish WHO-5, and the words a Swedish, Danish or
Norwegian session shows (problem lines, footers) in its own language."""

from __future__ import annotations

import io
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from recoveryjournal import crisis_lines, health_notes, who5
from recoveryjournal.cli import main
from recoveryjournal.i18n import LANGUAGES, set_language
from recoveryjournal.journal import Journal
from recoveryjournal.records import ExerciseResponse, Use
from recoveryjournal.tui.app import RecoveryJournalApp

from helpers import PASSPHRASE
from helpers.tui import fixed_clock, make_journal, screen_text, unlock


# ---- help lines by country -----------------------------------------------------------


def test_every_country_has_its_lines_in_four_languages_and_a_checked_date():
    countries = crisis_lines.load_countries()
    assert [c.code for c in countries] == ["SE", "NO", "DK", "other"]
    for country in countries:
        assert country.checked >= date(2026, 11, 1), country.code
        assert set(country.name) == set(LANGUAGES), country.code
        assert country.lines, country.code
        for line in country.lines:
            for field in ("name", "purpose"):
                assert set(getattr(line, field)) == set(LANGUAGES), (country.code, line.number)
            assert not line.hours or set(line.hours) == set(LANGUAGES)
            assert line.source, (country.code, line.number, "say where it was confirmed")


def test_the_numbers_the_issue_asked_for_are_there():
    numbers = {c.code: {line.number for line in c.lines} for c in crisis_lines.load_countries()}
    assert {"112", "1177", "90101", "020-84 44 48", "020-81 91 00", "020-91 91 91"} <= numbers["SE"]
    assert {"113", "112", "116 117", "116 123", "22 40 00 40"} <= numbers["NO"]
    assert {"112", "70 201 201", "1813"} <= numbers["DK"]


def test_a_number_not_confirmed_is_shown_as_such():
    norway = crisis_lines.country("NO")
    unconfirmed = [line for line in norway.lines if not line.confirmed]
    assert unconfirmed  # RUSinfo: its number today was not found in a published source
    shown = dict((heading, details) for heading, details, _ in crisis_lines.line_lines(norway))
    for line in unconfirmed:
        heading = f"{line.number}  {line.text('name')}"
        assert "Not confirmed" in shown[heading]
    set_language("sv")
    assert any("Inte bekräftat" in details for _, details, _ in crisis_lines.line_lines(norway))


def test_the_country_follows_the_choice_else_the_language_else_the_fallback():
    assert crisis_lines.country("DK", "sv").code == "DK"
    assert crisis_lines.country("", "sv").code == "SE"
    assert crisis_lines.country("", "nb").code == "NO"
    assert crisis_lines.country("", "da").code == "DK"
    assert crisis_lines.country("", "en").code == "other"
    assert crisis_lines.country("XX", "en").code == "other"
    set_language("sv")
    assert "Ring 112" in crisis_lines.emergency_line(crisis_lines.country("SE"))
    assert "2026-11-30" in crisis_lines.checked_note(crisis_lines.country("SE"))


# ---- the health notes ------------------------------------------------------------------


def test_after_a_break_an_opioid_or_alcohol_use_gets_the_tolerance_note():
    day = date(2026, 11, 30)
    # Last use 10 days before: a use-free stretch of 10 days (>= 7).
    note = health_notes.health_note_after_use("opioids", day, [day - timedelta(days=10)])
    assert note and "10 days" in note and "overdose" in note
    # Two days before: no break, no note.
    assert health_notes.health_note_after_use("alcohol", day, [day - timedelta(days=2)]) is None
    # The use just logged (same day) is ignored; the one before it counts.
    assert health_notes.health_note_after_use(
        "Alcohol", day, [day, day - timedelta(days=30)]) is not None
    # No earlier use: the stretch since tracking began counts.
    assert health_notes.health_note_after_use(
        "medication", day, [], tracked_since=day - timedelta(days=14)) is not None
    assert health_notes.health_note_after_use("medication", day, []) is None
    # Tolerance is not the risk for gambling.
    assert health_notes.health_note_after_use("gambling", day, [day - timedelta(days=90)]) is None


def test_the_health_notes_are_in_each_language():
    day = date(2026, 11, 30)
    english = health_notes.health_note_after_use("alcohol", day, [day - timedelta(days=9)])
    stopping = health_notes.health_note_stopping()
    for code, word in {"sv": "överdos", "da": "overdosis", "nb": "overdose"}.items():
        set_language(code)
        note = health_notes.health_note_after_use("alcohol", day, [day - timedelta(days=9)])
        assert note != english and word in note and "9" in note
        assert health_notes.health_note_stopping() != stopping


def run(path: Path, *args: str) -> int:
    sys.stdin = io.StringIO(f"{PASSPHRASE}\n")
    try:
        return main(["--journal", str(path), *args])
    finally:
        sys.stdin = sys.__stdin__


def test_the_lapse_command_shows_the_note_after_a_break_only(journal, capsys):
    path = journal.path
    journal.lock()
    def ago(days: int) -> str:
        return (date.today() - timedelta(days=days)).isoformat()
    assert run(path, "lapse", "alcohol", "--date", ago(20)) == 0
    capsys.readouterr()
    # Fifteen use-free days later: the note.
    assert run(path, "lapse", "alcohol", "--date", ago(5)) == 0
    out = capsys.readouterr().out
    assert "15 days without" in out and "overdose" in out
    # The next day there was no break: no note.
    assert run(path, "lapse", "alcohol", "--date", ago(4)) == 0
    assert "overdose" not in capsys.readouterr().out
    # Gambling: tolerance is not the risk.
    assert run(path, "lapse", "gambling", "--date", ago(3)) == 0
    assert "overdose" not in capsys.readouterr().out


# ---- WHO-5 in the official Danish wording ----------------------------------------------


def test_danish_who5_is_the_official_wording_without_the_note():
    set_language("da")
    assert who5.translation_note("da") is None
    assert who5.items()[0].endswith("har jeg været glad og i godt humør")
    assert who5.items()[4].endswith(
        "har min dagligdag været fyldt med ting der interesserer mig")
    assert [label for _, label in who5.answers()] == [
        "Hele tiden", "Det meste af tiden", "Lidt mere end halvdelen af tiden",
        "Lidt mindre end halvdelen af tiden", "Lidt af tiden", "På intet tidspunkt"]
    set_language("sv")
    assert who5.translation_note("sv")  # ours: still said so


@pytest.mark.parametrize("language", ["en", "sv", "da", "nb"])
def test_who5_answer_zero_has_one_word_in_the_app_and_the_cli(language):
    from recoveryjournal.i18n import _

    set_language(language)
    zero = dict(who5.answers())[0].lower()
    cli = _("Please answer with a number from 0 (at no time) to 5 (all of the time), "
            "not {reply!r}.").lower()
    assert f"0 ({zero})" in cli


# ---- problem lines and footers in the person's language ---------------------------------


def test_problem_lines_follow_the_language_they_are_shown_in(journal_path):
    make_journal(journal_path)
    conn = sqlite3.connect(journal_path)
    [victim] = conn.execute("SELECT id FROM records WHERE id != 'settings' LIMIT 1").fetchone()
    conn.execute("DELETE FROM records WHERE id=?", (victim,))
    conn.commit()
    conn.close()
    journal = Journal.open(journal_path, PASSPHRASE)
    try:
        journal.load()
        set_language("sv")
        swedish = list(journal.problems)
        set_language("en")
        english = list(journal.problems)
    finally:
        journal.lock()
    assert any("should hold" in line for line in english)
    assert any("Dagboken har ändrats utanför appen" in line and "ska innehålla" in line
               for line in swedish), swedish


async def test_the_footer_is_swedish_on_the_unlock_screen(journal_path, monkeypatch):
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    set_language(None)
    make_journal(journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Hjälp" in text and "f1 Help" not in text


# ---- F2 without unlocking -------------------------------------------------------------------


async def test_f2_on_the_unlock_screen_shows_help_lines_never_the_plan(journal_path):
    from recoveryjournal.tui.screens.safety_plan import CrisisLinesScreen
    from recoveryjournal.tui.screens.unlock import UnlockScreen

    make_journal(journal_path)
    with Journal.open(journal_path, PASSPHRASE) as journal:
        journal.add(ExerciseResponse(exercise_id="safety-plan", exercise_version=2,
                                     finished=True, answers={"who_to_call": ["Secret Sister"]}))
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "F2: help lines" in screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CrisisLinesScreen)
        assert app.journal is None  # still locked
        text = screen_text(app)
        assert "Another country" in text and "Secret Sister" not in text
        await pilot.press("n")  # Sweden, after the fallback for an English session
        await pilot.pause()
        assert "90101" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot)
        assert app.journal is not None


async def test_the_safety_plan_shows_the_lines_of_the_chosen_country(journal_path):
    from recoveryjournal.tui.screens.safety_plan import SafetyPlanScreen

    make_journal(journal_path)
    with Journal.open(journal_path, PASSPHRASE) as journal:
        settings = journal.settings()
        settings.country = "NO"
        journal.save_settings(settings)
        # A plan saved before version 2: still read as it was written.
        journal.add(ExerciseResponse(exercise_id="safety-plan", exercise_version=1,
                                     finished=True, answers={"who_to_call": ["Counsellor Per"]}))
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 60)) as pilot:
        await unlock(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SafetyPlanScreen)
        text = screen_text(app)
        assert "Counsellor Per" in text
        assert "Call 113 for an ambulance" in text
        assert "22 40 00 40" in text and "checked on" in text


async def test_the_urge_scale_footer_is_swedish_in_a_swedish_journal(journal_path):
    """The scale's own key ("⏎ Confirm") is a widget binding: translated as it takes focus."""
    from recoveryjournal.tui.widgets.scale import Scale

    make_journal(journal_path)
    with Journal.open(journal_path, PASSPHRASE) as journal:
        settings = journal.settings()
        settings.language = "sv"
        journal.save_settings(settings)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("enter")  # the first addiction
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.focused, Scale)
        text = screen_text(app)
        assert "Bekräfta" in text and "Confirm" not in text


def test_old_daded_answers_show_in_the_deads_history(journal):
    from recoveryjournal.tui.screens.exercises.answers import responses_for

    journal.add(ExerciseResponse(exercise_id="daded", exercise_version=1, finished=True,
                                 answers={"delay": ["A 20-minute timer"]}))
    journal.add(ExerciseResponse(exercise_id="deads", exercise_version=2, finished=True,
                                 answers={"dispute": ["One has never stayed one"]}))
    found = responses_for(journal, "deads")
    assert [r.exercise_id for r in found] == ["deads", "daded"]


async def test_settings_saves_the_country_for_the_help_lines(journal_path):
    from textual.widgets import Select

    make_journal(journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#country", Select).value = "DK"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.journal.settings().country == "DK"
        await pilot.press("f2")
        await pilot.pause()
        assert "70 201 201" in screen_text(app) or "Livslinien" in str(
            app.screen.query_one("#crisis-lines").render())


async def test_first_run_remembers_the_country_chosen(journal_path):
    from textual.widgets import Button

    from helpers.tui import type_text

    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#country-NO", Button).press()
        await pilot.pause()
        assert app.screen.query_one("#country-NO", Button).variant == "primary"
        app.screen.query_one("#begin", Button).press()
        await pilot.pause()
        await type_text(pilot, "short and sweet")
        await pilot.press("enter")
        app.screen.query_one("#repeat-passphrase").value = "short and sweet"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
    journal = Journal.open(journal_path, "short and sweet")
    try:
        assert journal.settings().country == "NO"
        assert journal.settings().language == ""  # not chosen: still follows LANG
    finally:
        journal.lock()


def test_urge_now_offers_the_professionals_of_a_version_2_plan_too(journal):
    from recoveryjournal.tui.screens.urge_now import _safety_plan_people

    journal.add(ExerciseResponse(exercise_id="safety-plan", exercise_version=2, finished=True,
                                 answers={"who_to_call": ["Anna 070-123"],
                                          "professionals": ["Counsellor Per", " "]}))
    assert _safety_plan_people(journal) == ["Anna 070-123", "Counsellor Per"]
