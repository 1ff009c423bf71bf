"""`recoveryjournal demo` and the sample data behind it."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest
from helpers import PASSPHRASE

from recoveryjournal import demo, insights, records, tui
from recoveryjournal.cli import main
from recoveryjournal.journal import Journal
from recoveryjournal.records import (Checkin, Entry, ExerciseResponse, Meeting, Mood, Urge, Use)


TODAY = date(2026, 3, 31)


def _story(tmp_path: Path, name: str, seed: int) -> list[dict]:
    journal, _code = Journal.create(tmp_path / f"{name}.db", PASSPHRASE)
    demo.populate(journal, days=21, seed=seed, today=TODAY)
    kinds = (Urge, Use, Checkin, Mood, Meeting, Entry, ExerciseResponse)
    story = []
    for kind in kinds:
        for record in journal.records(kind):
            data = records.to_dict(record)
            for volatile in ("id", "created", "updated"):
                data.pop(volatile)
            story.append(data)
    settings = records.to_dict(journal.settings())
    story.append({k: v for k, v in settings.items() if k not in ("id", "created", "updated", "when")})
    journal.lock()
    return story


def test_populate_is_the_same_for_the_same_seed_and_day(tmp_path):
    first = _story(tmp_path, "a", seed=3)
    assert first == _story(tmp_path, "b", seed=3)
    assert first != _story(tmp_path, "c", seed=4)


def test_the_demo_story_fills_every_screen(tmp_path):
    journal, _code = Journal.create(tmp_path / "d.db", PASSPHRASE)
    demo.populate(journal, days=90, seed=1, today=TODAY)
    assert journal.tracked_addictions() == ["alcohol", "gambling", "nicotine"]
    assert journal.settings().onboarded
    urges = journal.records(Urge)
    assert len(urges) > 150
    assert {u.addiction for u in urges} == {"alcohol", "gambling", "nicotine"}
    assert all(u.when.date() <= TODAY for u in urges)
    assert min(u.when.date() for u in urges) >= date(2026, 1, 1)  # 90 days back
    [lapse] = [u for u in journal.records(Use) if u.addiction == "alcohol"]
    assert "information" not in lapse.note and lapse.amount == 3
    assert len(journal.records(Checkin)) >= 12 and len(journal.records(Meeting)) >= 12
    assert len(journal.records(Entry)) >= 5
    exercises = {r.exercise_id for r in journal.records(ExerciseResponse)}
    assert {"urge-surfing", "lifestyle-balance", "cost-benefit", "safety-plan"} <= exercises
    # The story the charts tell: fewer and weaker urges, better well-being.
    weekly = insights.urge_weeks(urges, TODAY, weeks=12)
    counts = [sum(week) for week in zip(*weekly.per_addiction.series.values())]
    assert sum(counts[:4]) > sum(counts[-4:])
    who5 = insights.who5_over_time(journal.records(Checkin))
    assert who5[-1][1] > who5[0][1]
    assert insights.urge_waves(journal.records(ExerciseResponse))
    assert insights.lifestyle_balance(journal.records(ExerciseResponse)) is not None
    journal.lock()


def test_demo_today_leaves_out_what_has_not_happened_yet(tmp_path):
    journal, _code = Journal.create(tmp_path / "now.db", PASSPHRASE)
    demo.populate(journal, days=30, seed=1)  # today: some evening records are still ahead
    now = records.now()
    assert all(u.when <= now for u in journal.records(Urge))
    journal.lock()


@pytest.fixture
def fake_app(monkeypatch):
    """Stand in for the TUI: note what it was given and what existed while it ran."""
    seen = {}

    def run(path, demo=False, journal=None):
        seen.update(path=Path(path), demo=demo, journal=journal, existed=Path(path).exists(),
                    urges=len(journal.records(Urge)) if journal else 0,
                    locked=journal.is_locked if journal else None)
        if seen.get("interrupt"):
            raise KeyboardInterrupt
        return 0

    monkeypatch.setattr(tui, "run", run)
    return seen


def test_demo_opens_unlocked_marked_demo_and_deletes_the_journal(fake_app, tmp_path, monkeypatch):
    own = tmp_path / "mine.db"
    monkeypatch.setenv("RECOVERYJOURNAL_PATH", str(own))
    sys.stdin = io.StringIO("")
    try:
        assert main(["demo", "--days", "30"]) == 0
    finally:
        sys.stdin = sys.__stdin__
    assert fake_app["demo"] is True and fake_app["existed"]
    assert fake_app["locked"] is False and fake_app["urges"] > 20
    assert not fake_app["path"].exists() and not fake_app["path"].parent.exists()
    assert not own.exists()  # the person's own journal is never created or touched


def test_demo_is_deleted_on_ctrl_c(fake_app, capsys):
    fake_app["interrupt"] = True
    assert main(["demo", "--days", "7"]) == 130
    assert not fake_app["path"].parent.exists()
    assert "What was saved before stays saved" in capsys.readouterr().err


def test_demo_on_an_app_without_unlocked_start_says_the_passphrase(monkeypatch, capsys):
    seen = {}

    def old_run(path, demo=False):
        seen.update(path=Path(path), demo=demo)
        return 0

    monkeypatch.setattr(tui, "run", old_run)
    assert main(["demo", "--days", "7"]) == 0
    assert seen["demo"] is True and not seen["path"].parent.exists()
    assert demo.DEMO_PASSPHRASE in capsys.readouterr().err


def test_demo_is_deleted_when_the_terminal_closes(tmp_path):
    # A real process: SIGHUP (the terminal window closed) while the app runs.
    import os
    import signal
    import subprocess
    import textwrap

    script = textwrap.dedent("""
        import os, signal, sys
        from recoveryjournal import tui
        def run(path, demo=False, journal=None):
            print(path.parent, flush=True)
            os.kill(os.getpid(), signal.SIGHUP)
        tui.run = run
        from recoveryjournal.cli import main
        sys.exit(main(["demo", "--days", "7"]))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "TMPDIR": str(tmp_path)})
    folder = Path(result.stdout.strip())
    assert folder.parent == tmp_path
    assert result.returncode == 128 + signal.SIGHUP
    assert not folder.exists()
