"""Private by default: a share for the group leaves out the safety plan, people's
names, phone numbers, places and amounts, unless the person includes them for
that share (issue 16). Checked through the CLI (the same path as every export)
and each format; the app's ticks are tested in test_export_screen.py."""

from __future__ import annotations

import io
import sys

import pytest
from helpers import PASSPHRASE

from recoveryjournal.cli import main
from recoveryjournal.export.privacy import find_phone_numbers, hide_phone_numbers
from recoveryjournal.records import Entry, ExerciseResponse, Urge, Use

# What must not reach a room of people by default, by the box that lets it in.
SECRETS = {
    "safety": ["Cold water on my face", "Grandma's photo"],  # safety-plan-only answers
    "names": ["Sam Lindqvist", "Jonas my brother"],
    "phones": ["+46 70 765 43 21", "08-123 456 78"],
    "places": ["Kvarnen bar"],
    "amounts": ["347 kronor", "1250"],
}
# In the safety plan's people, places and numbers: out unless the plan and those are ticked.
IN_THE_SAFETY_PLAN = ["Britt from next door", "the casino on Drottninggatan", "0701234567"]


@pytest.fixture
def full_journal(journal):
    """Every private thing in its usual place; then locked for the CLI."""
    journal.add(ExerciseResponse(exercise_id="safety-plan", finished=True, answers={
        "warning_signs": ["I stop answering my phone"],
        "on_my_own": ["Cold water on my face", "Grandma's photo"],
        "people_places": ["Britt from next door", "the casino on Drottninggatan"],
        "who_to_call": ["Sam Lindqvist 0701234567"],
        "reason_to_keep_going": "My kids",
    }))
    journal.add(ExerciseResponse(exercise_id="change-plan", finished=True, answers={
        "change": "Stop drinking on weekdays",
        "helpers": ["Jonas my brother"],
    }))
    journal.add(Entry(text="Rang my sponsor on +46 70 765 43 21 and we talked. "
                           "The group meets 2026-11-30 10:00 in room 12."))
    journal.add(Urge(addiction="alcohol", intensity=7, people="Sam Lindqvist",
                     place="Kvarnen bar", trigger="stress", coping=["urge-surfing"],
                     trigger_note="Payday, my boss rang from 08-123 456 78"))
    journal.add(Use(addiction="gambling", amount=347, unit="kronor", money=1250.0,
                    note="Lost it all"))
    path = journal.path
    journal.lock()
    return path


def export(path, tmp_path, *args, capsys=None) -> str:
    out = tmp_path / f"share-{len(list(tmp_path.iterdir()))}.txt"
    sys.stdin = io.StringIO(f"{PASSPHRASE}\n")
    try:
        assert main(["--journal", str(path), "export", "--kind", "entry", "--kind", "exercise",
                     "--kind", "urge", "--kind", "use", "--out", str(out), *args]) == 0
    finally:
        sys.stdin = sys.__stdin__
    return out.read_text()


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_the_default_group_share_holds_none_of_the_private_things(full_journal, tmp_path,
                                                                 fmt, capsys):
    shared = export(full_journal, tmp_path, "--format", fmt)
    for group, secrets in SECRETS.items():
        for secret in secrets:
            assert secret not in shared, (group, secret)
    for secret in IN_THE_SAFETY_PLAN:
        assert secret not in shared
    assert "Stop drinking on weekdays" in shared  # the rest is still there
    assert "Rang my sponsor on (number left out)" in shared
    assert "2026-11-30 10:00" in shared  # a date and time is not a phone number
    said = capsys.readouterr()
    assert "leaves out: my safety plan, people's names" in said.err
    assert "--include" in said.err and "leaves out" not in shared


@pytest.mark.parametrize("group", list(SECRETS))
def test_each_private_thing_appears_only_once_its_box_is_ticked(full_journal, tmp_path, group):
    shared = export(full_journal, tmp_path, "--format", "md", "--include", group)
    # The safety plan's people and numbers stay out unless those are ticked too.
    for secret in SECRETS[group]:
        assert secret in shared, (group, secret)
    for secret in IN_THE_SAFETY_PLAN:
        assert secret not in shared, (group, secret)
    for other, secrets in SECRETS.items():
        if other == group:
            continue
        for secret in secrets:
            assert secret not in shared, (group, other, secret)


def test_everything_ticked_shares_everything(full_journal, tmp_path):
    shared = export(full_journal, tmp_path, "--format", "txt", *[
        arg for group in SECRETS for arg in ("--include", group)])
    for secrets in [*SECRETS.values(), IN_THE_SAFETY_PLAN]:
        for secret in secrets:
            assert secret in shared


def test_the_safety_plan_with_names_and_places_but_not_numbers(full_journal, tmp_path):
    shared = export(full_journal, tmp_path, "--format", "md", "--include", "safety",
                    "--include", "names", "--include", "places")
    assert "Britt from next door" in shared and "the casino on Drottninggatan" in shared
    # who_to_call carries numbers: left out as a whole, so the name beside it too.
    assert "0701234567" not in shared and "Sam Lindqvist 0701234567" not in shared


def test_json_for_your_own_records_keeps_everything(full_journal, tmp_path):
    out = tmp_path / "all.json"
    sys.stdin = io.StringIO(f"{PASSPHRASE}\n")
    try:
        assert main(["--journal", str(full_journal), "export", "--format", "json",
                     "--out", str(out)]) == 0
    finally:
        sys.stdin = sys.__stdin__
    assert "0701234567" in out.read_text() and "Kvarnen bar" in out.read_text()


@pytest.mark.parametrize("text", [
    "0701234567", "070-123 45 67", "+46 70 123 45 67", "(08) 123 456", "08-123 456 78",
    "+4512345678", "ring 112 or 070.123.45.67", "22 33 44 55",
])
def test_phone_like_numbers_are_found(text):
    assert find_phone_numbers(text), text
    hidden, count = hide_phone_numbers(text)
    assert count >= 1 and not any(ch.isdigit() for ch in hidden.replace("112", ""))


@pytest.mark.parametrize("text", [
    "2026-11-30", "30.11.2026", "30/11/2026 at 10:00", "2026-11-30 10:00", "I had 3 beers",
    "Spent 450 kr", "12 days", "score 8 of 10", "at 18:30", "v2.1.3", "room 12, floor 3",
    "31,734", "ID abc1234567def",
])
def test_dates_times_and_small_numbers_are_left_alone(text):
    assert find_phone_numbers(text) == []
    assert hide_phone_numbers(text) == (text, 0)


def test_csv_file_is_a_pure_table_and_the_terminal_says_not_encrypted(full_journal, tmp_path,
                                                                     capsys):
    """Issue 20, item 17: the header row first (a spreadsheet's A1 is "when"), and the
    not-encrypted warning on the terminal instead of in the file."""
    import csv

    out = tmp_path / "urges.csv"
    sys.stdin = io.StringIO(f"{PASSPHRASE}\n")
    try:
        assert main(["--journal", str(full_journal), "export", "--format", "csv",
                     "--kind", "urge", "--out", str(out)]) == 0
    finally:
        sys.stdin = sys.__stdin__
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and rows[0]["trigger"] == "stress" and rows[0]["intensity"] == "7"
    assert out.read_bytes().startswith(b"when,addiction,intensity,")
    assert "not encrypted" in capsys.readouterr().out
