"""`stats` from the sealed summary (issue 18): it prints exactly what counting the
records prints, for the demo journal and for journals hypothesis makes up (urges
in several time zones around the window's edge, free-text triggers, a coping tool
named twice), and it says when it cannot (then the records are read)."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from recoveryjournal import demo, summary as summaries
from recoveryjournal.cli.tracking_commands import stats_text, stats_text_from_summary
from recoveryjournal.journal import Journal
from recoveryjournal.records import Addiction, Checkin, Meeting, Settings, Urge, Use

from helpers import PASSPHRASE

TODAY = date(2026, 3, 31)  # a Tuesday


@pytest.fixture
def stockholm():
    """The machine's clock in Stockholm, as the demo journal's records are."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Stockholm"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_the_demo_journal_gives_the_same_stats_from_the_summary(tmp_path, stockholm):
    journal, _code = Journal.create(tmp_path / "demo.db", PASSPHRASE)
    demo.populate(journal, days=120, seed=5, today=TODAY)
    settings_ = journal.settings()
    settings_.addictions[0].cost_per_use = 120
    journal.save_settings(settings_)
    kept = journal.summary()
    assert kept is not None
    for weeks in (1, 4, 12, 30):
        for addiction in (None, "alcohol", "gambling", "nicotine", "gaming"):
            fast = stats_text_from_summary(journal, kept, TODAY, weeks, addiction)
            assert fast is not None, (weeks, addiction)
            assert fast == stats_text(journal, TODAY, weeks, addiction), (weeks, addiction)
    assert "Most common triggers" in fast or "No urges" in fast
    journal.lock()


class _Records:
    """Just what stats reads of a journal: the settings and the records by kind."""

    def __init__(self, made: list, addictions: list[str]):
        self.made = made
        self._settings = Settings(id="settings", addictions=[
            Addiction(name=name, tracked_since=TODAY - timedelta(days=50), cost_per_use=9.5)
            for name in addictions])

    def settings(self):
        return self._settings

    def records(self, kind):
        return sorted((r for r in self.made if isinstance(r, kind)), key=lambda r: r.when)


ZONES = [timezone(timedelta(hours=h)) for h in (1, 2, 0, -5, 14, -11)]
TRIGGERS = ["stress", "Stress ", "boredom", "after  Work", "", "people"]
TOOLS = ["call", "delay", "urge-surfing", "went for a walk", ""]

urges = st.builds(
    lambda day, minute, zone, addiction, intensity, trigger, coping, acted: Urge(
        addiction=addiction, intensity=intensity, trigger=trigger, coping=coping,
        outcome="acted" if acted else "resisted",
        when=datetime.combine(TODAY - timedelta(days=day), datetime.min.time(), zone)
        + timedelta(minutes=minute)),
    st.integers(-3, 100), st.integers(0, 1439), st.sampled_from(ZONES),
    st.sampled_from(["alcohol", "Gambling", "gambling "]), st.integers(0, 10),
    st.sampled_from(TRIGGERS), st.lists(st.sampled_from(TOOLS), max_size=3), st.booleans())
others = st.one_of(
    st.builds(lambda day, zone, amount: Use(
        addiction="alcohol", amount=amount,
        when=datetime.combine(TODAY - timedelta(days=day), datetime.min.time(), zone)
        + timedelta(hours=20)),
        st.integers(0, 80), st.sampled_from(ZONES), st.none() | st.integers(0, 4)),
    st.builds(lambda day, hour, zone, score: Checkin(
        items=[score] * 5,
        when=datetime.combine(TODAY - timedelta(days=day), datetime.min.time(), zone)
        + timedelta(hours=hour)),
        st.integers(0, 40), st.integers(0, 23), st.sampled_from(ZONES), st.integers(0, 5)),
    st.builds(lambda day, zone: Meeting(
        group="Tuesday group",
        when=datetime.combine(TODAY - timedelta(days=day), datetime.min.time(), zone)
        + timedelta(hours=19)),
        st.integers(0, 100), st.sampled_from(ZONES)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(urges, max_size=40), st.lists(others, max_size=20),
       st.sampled_from([1, 2, 4, 12]), st.sampled_from([None, "alcohol", "gambling"]))
def test_stats_from_the_summary_equal_stats_from_the_records(made_urges, made_others, weeks,
                                                              addiction):
    made = made_urges + made_others
    journal = _Records(made, ["alcohol", "gambling"])
    kept = summaries.Summary.from_json(summaries.build(made).to_json())  # as stored
    assert kept.agrees_with(summaries.build(made))
    fast = stats_text_from_summary(journal, kept, TODAY, weeks, addiction)
    if fast is not None:
        assert fast == stats_text(journal, TODAY, weeks, addiction)


def test_an_urge_from_another_time_zone_on_the_edge_sends_stats_to_the_records():
    """Logged at 00:30 on the window's first day in Kiribati (UTC+14): the day is
    inside the window by its own clock, but the moment is not (here, hours
    behind): only the records can say."""
    first_day = TODAY - timedelta(days=TODAY.weekday())  # --weeks 1
    inside = Urge(addiction="alcohol", intensity=4,
                  when=datetime.combine(first_day, datetime.min.time(), timezone.utc)
                  + timedelta(hours=12))
    edge = Urge(addiction="alcohol", intensity=4,
                when=datetime.combine(first_day, datetime.min.time(),
                                      timezone(timedelta(hours=14))) + timedelta(minutes=30))
    journal = _Records([inside], ["alcohol"])
    assert stats_text_from_summary(journal, summaries.build([inside]), TODAY, 1) is not None
    journal = _Records([inside, edge], ["alcohol"])
    start_offset = datetime.combine(first_day, datetime.min.time()).astimezone().utcoffset()
    if start_offset == timedelta(hours=14):
        pytest.skip("the machine's clock is in that zone")
    assert stats_text_from_summary(journal, summaries.build([inside, edge]), TODAY, 1) is None


def test_more_free_text_names_than_kept_sends_the_triggers_to_the_records():
    many = [Urge(addiction="alcohol", intensity=3, trigger=f"the {n}th thing",
                 when=datetime.combine(TODAY, datetime.min.time(), timezone.utc)
                 + timedelta(hours=10))
            for n in range(summaries.NAMES_KEPT + 1)]
    kept = summaries.build(many)
    again = summaries.Summary.from_json(kept.to_json())
    assert again.words_dropped and again.triggers == {}
    assert again.agrees_with(kept)
    assert len(kept.to_json()) < 8192  # the names are not kept
    assert stats_text_from_summary(_Records(many, ["alcohol"]), again, TODAY, 1) is None


def _stats_cli(path, *args) -> int:
    import io
    import sys

    from recoveryjournal.cli import main

    sys.stdin = io.StringIO(f"{PASSPHRASE}\n")
    try:
        return main(["--journal", str(path), "stats", *args])
    finally:
        sys.stdin = sys.__stdin__


def test_the_stats_command_reads_no_record_when_the_summary_answers(tmp_path, monkeypatch,
                                                                     capsys):
    """`stats` on a journal with a current summary opens the summary and the
    settings only; with its summary gone (an older version's file) it reads the
    records, and says the same."""
    import sqlite3

    from recoveryjournal.records import now

    path = tmp_path / "j.db"
    journal, _code = Journal.create(path, PASSPHRASE, addictions=["alcohol"])
    for days_ago in range(40):
        journal.add(Urge(addiction="alcohol", intensity=days_ago % 11, trigger="stress",
                         coping=["delay"], outcome="acted" if days_ago % 4 else "resisted",
                         when=now() - timedelta(days=days_ago, hours=1)))
    journal.add(Use(addiction="alcohol", when=now() - timedelta(days=5)))
    journal.add(Meeting(group="Tuesday group", when=now() - timedelta(days=3)))
    journal.lock()

    def no_full_read(self, *args, **kwargs):
        raise AssertionError("stats decrypted the records")

    with monkeypatch.context() as patched:
        patched.setattr(Journal, "load", no_full_read)
        assert _stats_cli(path, "--weeks", "4") == 0
    from_summary = capsys.readouterr().out
    assert "urges;" in from_summary and "Meetings attended: 1." in from_summary
    assert "Most common triggers: stress" in from_summary

    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM vault WHERE key = 'summary'")
    conn.commit()
    conn.close()
    assert _stats_cli(path, "--weeks", "4") == 0
    assert capsys.readouterr().out == from_summary
    # The journal is writable: that `stats` built the summary again, so the next
    # one reads no record.
    with monkeypatch.context() as patched:
        patched.setattr(Journal, "load", no_full_read)
        assert _stats_cli(path, "--weeks", "4") == 0
    assert capsys.readouterr().out == from_summary


def test_the_stats_command_builds_an_old_summary_again(tmp_path, monkeypatch, capsys):
    """A summary an older version wrote (another `v`): `stats` reads the records
    once, stores a current summary, and says the same as before."""
    import orjson

    path = tmp_path / "j.db"
    journal, _code = Journal.create(path, PASSPHRASE, addictions=["alcohol"])
    journal.add(Urge(addiction="alcohol", intensity=5, trigger="stress", coping=["call"]))
    assert _stats_cli(path, "--weeks", "4") == 0
    before = capsys.readouterr().out
    document = orjson.loads(journal.summary().to_json())
    document["v"] = 2
    state = journal._live_vault().saved_state()
    assert journal._live_vault().store_summary(orjson.dumps(document), state.writes)
    journal.lock()
    with Journal.open(path, PASSPHRASE) as reopened:
        assert reopened.summary() is None
    assert _stats_cli(path, "--weeks", "4") == 0
    assert capsys.readouterr().out == before
    with Journal.open(path, PASSPHRASE) as reopened:
        assert reopened.summary() is not None


def _progress_range(found: list, weeks: int | None) -> list:
    """What the Progress screen cuts from a sorted record list (a day early)."""
    from recoveryjournal import insights

    if weeks is None:
        return found
    monday = insights.weeks_back(TODAY, weeks)[0] - timedelta(days=1)
    return insights.since(found, datetime.combine(monday, datetime.min.time()).astimezone())


@settings(max_examples=150, deadline=None)
@given(st.lists(urges, max_size=40), st.lists(others, max_size=20),
       st.sampled_from([4, 12, 52, None]), st.sampled_from([None, "alcohol", "gambling"]))
def test_the_weekly_progress_charts_from_the_summary_equal_those_from_the_records(
        made_urges, made_others, weeks, addiction):
    """Urges per week, share resisted and meetings beside urges (Progress) from the
    summary's week rows: the same series the urges give, so the same drawing."""
    from types import SimpleNamespace

    from recoveryjournal import insights

    made = made_urges + made_others
    journal = _Records(made, ["alcohol", "gambling"])
    kept = summaries.Summary.from_json(summaries.build(made).to_json())
    quick = insights.urge_weeks_from_summary(kept, TODAY, weeks=weeks, addiction=addiction)
    if quick is None:
        return
    slow = insights.urge_weeks(_progress_range(journal.records(Urge), weeks), TODAY,
                               weeks=weeks, addiction=addiction)
    assert quick == slow
    first = insights.weeks_back(TODAY, weeks)[0] if weeks else None
    days = kept.meeting_days(TODAY, first)
    if days is None:
        return
    chosen = [SimpleNamespace(when=datetime.combine(date.fromordinal(day), datetime.min.time()))
              for day, n in days for _n in range(n)]
    assert insights.meetings_and_urges_per_week(
        chosen, [], TODAY, weeks=weeks, addiction=addiction, per_week=quick.per_addiction) == \
        insights.meetings_and_urges_per_week(_progress_range(journal.records(Meeting), weeks),
                                             _progress_range(journal.records(Urge), weeks),
                                             TODAY, weeks=weeks, addiction=addiction)
