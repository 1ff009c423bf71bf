"""`urge`, `lapse`, `meeting`, `checkin` and `stats` on the command line.

Most tests call `cli.main()` in-process (fast KDF, stdin replaced); one runs the real
process with the real KDF end to end.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest
from helpers import PASSPHRASE

from recoveryjournal import records
from recoveryjournal.cli import main
from recoveryjournal.journal import Journal
from recoveryjournal.records import Checkin, Meeting, Urge, Use


@pytest.fixture
def made(journal):
    """The conftest journal (alcohol, gambling), locked so the CLI opens it."""
    path = journal.path
    journal.lock()
    return path


def run(path, *args, stdin: str = f"{PASSPHRASE}\n", monkeypatch=None) -> int:
    sys.stdin = io.StringIO(stdin)
    try:
        return main(["--journal", str(path), *args])
    finally:
        sys.stdin = sys.__stdin__


def reopened(path) -> Journal:
    return Journal.open(path, PASSPHRASE)


def test_urge_is_logged_with_its_details(made, capsys):
    assert run(made, "urge", "Alcohol", "7", "--trigger", "Stress", "--note", "after work",
               "--after", "3", "--coping", "delay", "--coping", "call") == 0
    assert "Saved: an urge of 7/10 (alcohol)" in capsys.readouterr().out
    with reopened(made) as journal:
        [urge] = journal.records(Urge)
    assert (urge.addiction, urge.intensity, urge.intensity_after) == ("alcohol", 7, 3)
    assert (urge.trigger, urge.trigger_note, urge.coping, urge.outcome) == (
        "stress", "after work", ["delay", "call"], "resisted")


def test_urge_log_fields_as_in_the_app(made, capsys):
    assert run(made, "urge", "alcohol", "6", "--place", " at  home", "--people", "alone",
               "--feeling", "tired", "--feeling", "lonely", "--thought", "just one") == 0
    with reopened(made) as journal:
        [urge] = journal.records(Urge)
    assert (urge.place, urge.people, urge.feelings, urge.thought) == (
        "at home", "alone", ["tired", "lonely"], "just one")


def test_goal_limit_and_back_to_abstinence(made, capsys):
    assert run(made, "goal", "food", "limit", "3", "--per", "week", "--unit", "binges",
               "--cost", "120") == 0
    assert "at most 3 binges a week" in capsys.readouterr().out
    with reopened(made) as journal:
        food = journal.settings().addiction("food")
    assert (food.goal, food.limit, food.unit, food.cost_per_use) == (
        "limit-per-week", 3, "binges", 120)
    assert run(made, "goal", "food", "abstinence") == 0
    with reopened(made) as journal:
        food = journal.settings().addiction("food")
    assert (food.goal, food.limit, food.unit) == ("abstinence", None, "binges")
    assert run(made, "goal", "food", "limit") == 2  # the limit is missing: nothing written


def test_urge_acted_is_information_not_a_verdict(made, capsys):
    assert run(made, "urge", "gambling", "9", "--acted") == 0
    out = capsys.readouterr().out.lower()
    assert "information" in out
    for word in ("fail", "relapse", "reset", "dirty", "clean"):
        assert word not in out
    with reopened(made) as journal:
        assert journal.records(Urge)[0].outcome == "acted"


def test_a_builtin_addiction_not_yet_tracked_starts_tracking(made, capsys):
    assert run(made, "urge", "cannabis", "4") == 0
    assert "Started tracking cannabis." in capsys.readouterr().out
    with reopened(made) as journal:
        assert journal.tracked_addictions() == ["alcohol", "gambling", "cannabis"]


def test_an_unknown_addiction_needs_new(made, capsys):
    assert run(made, "urge", "video poker", "4") == 2
    err = capsys.readouterr().err
    assert "'video poker' is not a built-in addiction" in err and "--new" in err
    with reopened(made) as journal:
        assert journal.records(Urge) == [] and "video poker" not in journal.tracked_addictions()
    assert run(made, "urge", "Video  Poker", "4", "--new") == 0
    assert "Started tracking video poker." in capsys.readouterr().out
    assert run(made, "urge", "video poker", "2") == 0  # now it is the person's own
    with reopened(made) as journal:
        assert [u.addiction for u in journal.records(Urge)] == ["video poker", "video poker"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["urge", "alcohol", "11"], "intensity must be a whole number from 0 to 10, not '11'"),
        (["urge", "alcohol", "x"], "not 'x'"),
        (["urge", "alcohol", "-1"], "not '-1'"),
        (["urge", "  ", "3"], "Please name the addiction"),
        (["urge", "alcohol", "3", "--after", "12"], "intensity after must be"),
        (["urge", "alcohol", "3", "--date", "2999-01-01"], "in the future"),
        (["urge", "alcohol", "3", "--date", "31/12/2025"], "YYYY-MM-DD"),
        (["lapse", ""], "Please name the addiction"),
        (["lapse", "alcohol", "--amount", "-2"], "amount must be a number of 0 or more"),
        (["lapse", "alcohol", "--money", "lots"], "money must be a number"),
        (["lapse", "alcohol", "--minutes", "1.5"], "minutes must be a whole number"),
        (["meeting", "  "], "Please name the group"),
        (["meeting", "Tuesday", "--date", "2999-01-01"], "in the future"),
        (["stats", "--weeks", "0"], "number of weeks must be"),
    ],
)
def test_bad_input_is_refused_before_the_passphrase(made, capsys, args, message):
    # No passphrase on stdin: a check that happened after asking would fail differently.
    assert run(made, *args, stdin="") == 2
    err = capsys.readouterr().err
    assert message in err
    with reopened(made) as journal:
        assert journal.records(Urge) == journal.records(Use) == journal.records(Meeting) == []


def test_a_past_date_is_kept(made):
    day = date.today() - timedelta(days=3)
    assert run(made, "urge", "alcohol", "5", "--date", day.isoformat()) == 0
    with reopened(made) as journal:
        assert journal.records(Urge)[0].when.date() == day


def test_lapse_keeps_history_and_shows_the_numbers_together(made, capsys):
    assert run(made, "lapse", "alcohol", "--amount", "3", "--unit", "drinks", "--money", "210,5",
               "--minutes", "90", "--note", "Friday after work") == 0
    out = capsys.readouterr().out
    assert "information" in out and "history stays" in out
    assert "recoveryjournal stats" in out
    # The lapse review is offered here as in the app, by a command that exists.
    assert "lapse review" in out and "recoveryjournal worksheet lapse-review" in out
    assert run(made, "worksheet", "lapse-review") == 0
    assert "Learning from a slip" in capsys.readouterr().out
    with reopened(made) as journal:
        [use] = journal.records(Use)
    assert (use.addiction, use.amount, use.unit, use.money, use.minutes, use.note) == (
        "alcohol", 3.0, "drinks", 210.5, 90, "Friday after work")


def test_lapse_unit_defaults_to_the_addictions_own(made):
    with reopened(made) as journal:
        settings = journal.settings()
        settings.addiction("gambling").unit = "kronor"
        journal.save_settings(settings)
    assert run(made, "lapse", "gambling", "--amount", "500") == 0
    with reopened(made) as journal:
        assert journal.records(Use)[0].unit == "kronor"


def test_meeting_is_logged(made, capsys):
    assert run(made, "meeting", "Tisdagsgruppen", "--note", "talked about evenings") == 0
    assert "Saved: a meeting with Tisdagsgruppen." in capsys.readouterr().out
    with reopened(made) as journal:
        [meeting] = journal.records(Meeting)
    assert (meeting.group, meeting.note) == ("Tisdagsgruppen", "talked about evenings")


def test_checkin_reads_five_answers_after_the_passphrase(made, capsys):
    assert run(made, "checkin", stdin=f"{PASSPHRASE}\n3\n2\n2\n3\n2\n") == 0
    out = capsys.readouterr().out
    assert "Raw score 12 of 25, 48%." in out
    assert "below 50%" in out and "talk it over" in out
    with reopened(made) as journal:
        assert journal.records(Checkin)[0].items == [3, 2, 2, 3, 2]


def test_checkin_above_half_is_not_flagged(made, capsys):
    assert run(made, "checkin", stdin=f"{PASSPHRASE}\n3\n3\n3\n2\n2\n") == 0
    out = capsys.readouterr().out
    assert "Raw score 13 of 25, 52%." in out and "below 50%" not in out


@pytest.mark.parametrize("answers", ["3\n2\n9\n1\n1\n", "3\n2\n", "3\nsome\n1\n1\n1\n"])
def test_checkin_with_a_bad_or_missing_answer_writes_nothing(made, capsys, answers):
    assert run(made, "checkin", stdin=f"{PASSPHRASE}\n{answers}") == 2
    with reopened(made) as journal:
        assert journal.records(Checkin) == []


def test_stats_prints_a_summary_and_a_chart(made, capsys):
    with reopened(made) as journal:
        settings = journal.settings()
        settings.addiction("alcohol").cost_per_use = 100.0
        settings.addiction("alcohol").tracked_since = records.now().date() - timedelta(days=9)
        journal.save_settings(settings)
        for days_ago, intensity in ((1, 7), (2, 5), (8, 9)):
            journal.add(Urge(addiction="alcohol", intensity=intensity, trigger="stress",
                             coping=["delay"], when=records.now() - timedelta(days=days_ago)))
        journal.add(Use(addiction="alcohol", when=records.now() - timedelta(days=5)))
    assert run(made, "stats", "--weeks", "4") == 0
    out = capsys.readouterr().out
    assert "The last 4 weeks" in out
    assert "alcohol: 5 days since last use · longest streak 5 days" in out
    assert "not spent since tracking began: about 900" in out  # 9 use-free days x 100
    assert "3 urges; 100% got through without use." in out
    assert "Most common triggers: stress (3)" in out
    assert "Urges per week" in out and "█" in out
    assert "\x1b" not in out  # not a terminal: no colour codes


def test_stats_for_one_addiction(made, capsys):
    assert run(made, "stats", "--addiction", "gambling") == 0
    out = capsys.readouterr().out
    assert "gambling:" in out and "alcohol:" not in out
    assert "No urges logged" in out


def test_hostile_text_never_reaches_the_terminal(made, capsys):
    hostile = "[/bold] [@click=app.quit]x[/] \x1b[31mred"
    assert run(made, "urge", "alcohol", "5", "--trigger", hostile) == 0
    assert run(made, "stats") == 0
    out = capsys.readouterr().out
    assert "[@click=app.quit]x[/]" in out and "\x1b[31m" not in out


def test_the_real_process_logs_an_urge_quickly(tmp_path):
    # The real KDF: this is what a person's quick add costs, process start included.
    path = tmp_path / "real.db"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def rj(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "recoveryjournal", "--journal", str(path), *args],
                              input=stdin, capture_output=True, text=True, timeout=120, env=env)

    assert rj("init", "--track", "alcohol", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n").returncode == 0
    started = time.perf_counter()
    result = rj("urge", "alcohol", "6", "--trigger", "stress", stdin=f"{PASSPHRASE}\n")
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert "Saved: an urge of 6/10" in result.stdout
    print(f"\n  urge quick add, whole process with the real KDF: {elapsed:.2f} s")
    bad = rj("urge", "alcohol", "11")
    assert bad.returncode == 2 and "0 to 10" in bad.stderr and "Traceback" not in bad.stderr
    checkin = rj("checkin", stdin=f"{PASSPHRASE}\n5\n4\n4\n3\n4\n")
    assert checkin.returncode == 0 and "Raw score 20 of 25, 80%." in checkin.stdout
