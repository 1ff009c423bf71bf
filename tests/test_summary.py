"""The sealed summary (summary.py, docs/FORMAT.md "The summary"): kept in the same
transaction as every write, equal to a recomputation from the records after any
sequence of writes, reported when changed outside the app, rebuilt for journals
made before it, and what the first screens read instead of every record."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from recoveryjournal import summary as summaries
from recoveryjournal.journal import Journal
from recoveryjournal.records import Checkin, Draft, Entry, Meeting, Mood, Urge, Use
from recoveryjournal.vault import crypto

from helpers import PASSPHRASE

START = datetime(2026, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def _kept(journal: Journal) -> summaries.Summary:
    found = journal.summary()
    assert found is not None, "the summary should be current"
    return found


def _recomputed(path) -> summaries.Summary:
    """The summary built from the records alone, by a fresh unlock."""
    with Journal.open(path, PASSPHRASE) as fresh:
        fresh.load()
        return fresh._summary_from_records()


ZONES = [timezone(timedelta(hours=h)) for h in (1, 2, -5)]  # summer time, a trip
TRIGGERS = ["stress", "Stress ", "", "after work"]
TOOLS = [[], ["call"], ["delay", "call", "delay"], ["went for a walk", ""]]


def _record(kind: str, day: int, n: int):
    when = START + timedelta(days=day, minutes=n)
    if kind == "urge":  # a few weeks only, so that urges share weeks, tools and triggers
        when = START + timedelta(days=day % 15, minutes=n)
        return Urge(addiction="alcohol" if n % 5 else "Gambling", intensity=n % 11,
                    when=when.astimezone(ZONES[n % 3]), trigger=TRIGGERS[n % 4],
                    coping=TOOLS[n // 4 % 4], outcome="acted" if n % 3 == 0 else "resisted")
    if kind == "use":
        return Use(addiction="gambling" if n % 2 else "alcohol",
                   amount=None if n % 4 == 0 else n % 5, when=when)
    if kind == "checkin":
        return Checkin(items=[n % 6] * 5, when=when)
    if kind == "mood":
        return Mood(mood=1 + n % 5, when=when)
    if kind == "meeting":
        return Meeting(group="Tuesday group", when=when.astimezone(ZONES[n % 3]))
    if kind == "draft":
        return Draft(purpose=f"entry:new{n % 2}", content={"text": "half a thought"})
    return Entry(text=f"Day {day}: walked instead.", when=when)


KINDS = ["entry", "urge", "use", "checkin", "mood", "meeting", "draft"]
steps = st.lists(st.tuples(st.sampled_from(["add", "edit", "delete", "import", "outside"]),
                           st.sampled_from(KINDS), st.integers(0, 40), st.integers(0, 99)),
                 min_size=1, max_size=25)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_the_kept_summary_equals_a_recomputation_after_any_writes(tmp_path_factory, plan):
    path = tmp_path_factory.mktemp("j") / "j.db"
    journal, _code = Journal.create(path, PASSPHRASE, addictions=["alcohol", "gambling"])
    other = Journal.open(path, PASSPHRASE)  # another process writing meanwhile
    written = []
    try:
        for action, kind, day, n in plan:
            record = _record(kind, day, n)
            if action == "add" or not written and action in ("edit", "delete"):
                written.append(journal.add(record))
            elif action == "import":
                written.append(journal.import_record(record))
            elif action == "outside":
                written.append(other.add(record))
            elif action == "edit":
                target = written[n % len(written)]
                target.when = START + timedelta(days=day)
                if isinstance(target, Urge):
                    target.outcome = "acted"
                    target.trigger = TRIGGERS[n % 4]
                    target.coping = TOOLS[n % 4]
                    target.when = (START + timedelta(days=day % 15)).astimezone(ZONES[n % 3])
                if isinstance(target, Use):
                    target.amount = 2
                journal.update(target)
            else:
                target = written.pop(n % len(written))
                journal.delete(target)
        kept, recomputed = _kept(journal), _recomputed(path)
        assert kept.agrees_with(recomputed)
        assert kept.kinds == recomputed.kinds
        # The urge weeks, trigger and coping counts and offsets (stats), exactly.
        assert (kept.weeks, kept.triggers, kept.coping, kept.offsets, kept.meetings) == (
            recomputed.weeks, recomputed.triggers, recomputed.coping, recomputed.offsets,
            recomputed.meetings)
        assert not kept.words_dropped
        assert _kept(other).writes == kept.writes  # both see the same current summary
        # Accepting the journal as it is rebuilds it to exactly the recomputation.
        journal.load()
        journal.accept_changes()
        rebuilt = _kept(journal)
        assert rebuilt.recent == recomputed.recent and rebuilt.agrees_with(recomputed)
    finally:
        other.lock()
        journal.lock()


def test_the_dashboard_figures_from_the_summary_equal_those_from_the_records(journal):
    from recoveryjournal.insights import limit_days, streaks

    for n in range(60):
        journal.add(_record("use", n // 2, n))
        journal.add(_record("urge", n // 3, n))
    today = (START + timedelta(days=40)).date()
    kept = _kept(journal)
    uses = journal.records(Use)
    for name in ("alcohol", "gambling"):
        # Everything but `uses` (how many uses: the summary gives one per day).
        assert replace(streaks(kept.uses_by_day(), name, today), uses=0) == replace(
            streaks(uses, name, today), uses=0)
        assert limit_days(kept.uses_by_day(), name, 2, "day", today) == limit_days(
            uses, name, 2, "day", today)
        assert limit_days(kept.uses_by_day(), name, 5, "week", today) == limit_days(
            uses, name, 5, "week", today)
    day = (START + timedelta(days=3)).date()
    on_day = [u for u in journal.records(Urge) if u.when.date() == day]
    assert kept.urges_on(day) == (len(on_day), sum(u.outcome == "resisted" for u in on_day),
                                  sum(u.outcome == "acted" for u in on_day))


def _flip_summary(path) -> None:
    conn = sqlite3.connect(path)
    sealed = bytearray(conn.execute("SELECT value FROM vault WHERE key = 'summary'").fetchone()[0])
    sealed[40] ^= 1
    conn.execute("UPDATE vault SET value = ? WHERE key = 'summary'", (bytes(sealed),))
    conn.commit()
    conn.close()


def test_a_tampered_summary_is_reported_and_not_used(journal_path, journal):
    journal.add(Entry(text="Called someone I trust."))
    journal.lock()
    _flip_summary(journal_path)
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        assert reopened.summary() is None  # the dashboard reads the records instead
        reopened.load(verify=False)
        reopened.verify()
        found = reopened.check_summary()
        assert found and "summary does not open" in found[0]
        assert found[0] in reopened.outside_changes
        reopened.accept_changes()
        assert reopened.summary() is not None
        assert reopened.check_summary() == []


def test_a_summary_that_says_other_than_the_records_is_reported(journal_path, journal):
    """Sealed with the right key but wrong (as a bug or an old copy could make it)."""
    journal.add(Use(addiction="alcohol", amount=1))
    kept = _kept(journal)
    kept.uses = {}
    state = journal._live_vault().saved_state()
    assert journal._live_vault().store_summary(kept.to_json(), state.writes)
    journal.lock()
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        reopened.load()
        found = reopened.check_summary()
        assert found and "does not match the records" in found[0]


def test_a_journal_without_a_summary_gets_one_built_once(journal_path, journal):
    """Format 3 journals made before the summary: they open as before, and the
    check after the full read builds it; nothing is lost."""
    for n in range(12):
        journal.add(_record(KINDS[n % len(KINDS)], n, n))
    before = {r.id for kind in (Entry, Urge, Use, Checkin, Mood, Meeting, Draft)
              for r in journal.records(kind)}
    journal.lock()
    conn = sqlite3.connect(journal_path)
    conn.execute("DELETE FROM vault WHERE key = 'summary'")
    conn.commit()
    conn.close()
    with Journal.open(journal_path, PASSPHRASE) as old:
        assert old.summary() is None
        assert len(old.recent_entries(3)) == 2  # read from the entries instead
        old.load()
        writes = old.last_saved()[0]
        assert old.check_summary() == []
        assert old.last_saved()[0] == writes  # building it is not a write
        assert _kept(old).agrees_with(old._summary_from_records())
    with Journal.open(journal_path, PASSPHRASE) as again:
        assert {r.id for kind in (Entry, Urge, Use, Checkin, Mood, Meeting, Draft)
                for r in again.records(kind)} == before


def test_a_write_by_a_version_without_the_summary_makes_it_stale_not_wrong(journal_path, journal):
    journal.add(Entry(text="first"))
    journal._live_vault().summarize = None  # an older app writing the same file
    journal.add(Entry(text="second"))
    assert journal.summary() is None
    journal.load()
    assert journal.check_summary() == []  # rebuilt quietly
    assert _kept(journal).count("entry") == 2


def test_a_new_passphrase_keeps_the_summary(journal_path, journal):
    journal.add(Entry(text="before the new passphrase"))
    journal.change_passphrase("a brand new passphrase here")
    assert _kept(journal).count("entry") == 1
    journal.add(Entry(text="after"))
    assert _kept(journal).count("entry") == 2


def test_list_reads_only_the_rows_it_shows(journal_path, journal, monkeypatch):
    for n in range(30):
        journal.add(_record("entry", n, n))
        journal.add(_record("urge", n, n))
    newest = [e.id for e in journal.entries()[:10]]
    journal.lock()
    with Journal.open(journal_path, PASSPHRASE) as fresh:
        opened = []
        vault = fresh._live_vault()
        original = vault.read
        monkeypatch.setattr(vault, "read", lambda rid: opened.append(rid) or original(rid))
        monkeypatch.setattr(vault, "read_all", lambda *a, **k: pytest.fail("read every row"))
        assert [e.id for e in fresh.recent_entries(10)] == newest
        assert opened == newest


def test_its_size_follows_the_record_count_only(tmp_path):
    """Two journals with as many records, one with a year of daily urges and uses and
    one with a single day of them, seal summaries of the same size."""
    sizes = []
    for spread in (1, 0):
        path = tmp_path / f"{spread}.db"
        made, _code = Journal.create(path, PASSPHRASE, addictions=["alcohol"])
        for n in range(300):
            made.add(_record("use" if n % 2 else "urge", n * spread, n))
        made.lock()
        conn = sqlite3.connect(path)
        sizes.append(len(conn.execute("SELECT value FROM vault WHERE key = 'summary'")
                         .fetchone()[0]))
        conn.close()
    assert sizes[0] == sizes[1] == crypto.summary_size(0, 301) + 28


async def test_the_dashboard_is_drawn_from_the_summary_without_reading_the_records(
        journal_path, monkeypatch):
    """Unlock shows the day's figures before (here: without) the worker that reads
    every record: the summary is all the dashboard needs."""
    from recoveryjournal.tui.app import RecoveryJournalApp

    from helpers.tui import fixed_clock, make_journal, screen_text, unlock

    make_journal(journal_path)
    for name in ("load_in_background", "decode_all"):
        monkeypatch.setattr(Journal, name, lambda self, *args, **kwargs: None)
    monkeypatch.setattr(Journal, "verify", lambda self: [])
    monkeypatch.setattr(Journal, "check_summary", lambda self: [])
    monkeypatch.setattr(Journal, "problems", property(lambda self: []))
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await unlock(pilot)
        text = screen_text(app)
        assert "1 urge today" in text and "1 got through without use" in text
        assert "12 days" in text  # since the last use of alcohol
        assert app.journal._index_ is None  # no record was read wholesale


def test_a_meeting_a_day_and_more_is_counted_from_the_summary():
    """The dashboard's "meetings in the last four weeks" comes from the summary
    even for someone at two or three meetings a day (the 10x benchmark journal):
    reading every meeting instead made its unlock take ten seconds."""
    now = START + timedelta(days=200)
    meetings = [Meeting(group="group", when=now - timedelta(hours=8 * n)) for n in range(120)]
    kept = summaries.build(meetings)
    assert kept.count_since("meeting", now - timedelta(weeks=4)) == 85  # 28 days / 8 h, both ends


def test_a_record_changed_on_screen_but_not_yet_saved_is_not_reported(journal):
    """The urge screen changes its urge in memory step by step and saves at the end;
    the check after unlock must not call that a change made outside the app."""
    journal.add(Urge(addiction="alcohol", intensity=5))
    journal.load()
    journal.records(Urge)[0].outcome = "acted"  # on screen, not saved yet
    assert journal.check_summary() == []
    assert journal.problems == []


def test_an_amount_no_app_would_write_never_stops_a_write(journal):
    """A use saved as it came (an import, an edit outside the app) with an absurd
    amount: the record is saved; the summary holds it to its bounds."""
    journal._write(Use(addiction="alcohol", amount=1.8e305))
    journal._write(Use(addiction="alcohol", amount=1e12))
    assert journal.count(Use) == 2
    assert _kept(journal).count("use") == 2


urge_steps = st.lists(st.tuples(st.sampled_from(["add", "edit", "delete"]), st.integers(0, 20),
                                st.integers(0, 99)), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(urge_steps)
def test_the_urge_weeks_stay_equal_to_a_recomputation(plan):
    """What `stats` reads (urges per week and addiction, trigger and coping counts,
    the days of each UTC offset), kept through adds, edits and deletes and stored
    and read back at each step, equals the summary built from the urges left."""
    kept = summaries.build([])
    alive: dict[str, Urge] = {}
    for action, day, n in plan:
        if action == "add" or not alive:
            new = _record("urge", day, n)
            kept.change(None, new)
            alive[new.id] = new
        else:
            old = alive[sorted(alive)[n % len(alive)]]
            if action == "delete":
                kept.change(old, None)
                del alive[old.id]
            else:
                new = replace(old, outcome="resisted" if old.outcome == "acted" else "acted",
                              trigger=TRIGGERS[n % 4], coping=TOOLS[n % 4],
                              when=(START + timedelta(days=day % 15)).astimezone(ZONES[n % 3]))
                kept.change(old, new)
                alive[old.id] = new
        kept = summaries.Summary.from_json(kept.to_json())
    rebuilt = summaries.build(alive.values())
    assert kept.agrees_with(rebuilt)
    assert (kept.weeks, kept.triggers, kept.coping, kept.offsets, kept.urges) == (
        rebuilt.weeks, rebuilt.triggers, rebuilt.coping, rebuilt.offsets, rebuilt.urges)


def test_a_summary_of_the_version_before_is_rebuilt(journal_path, journal):
    """A journal whose summary an older version wrote (v1, without what `stats`
    reads): not used, and rebuilt by the check after the full read."""
    import orjson

    journal.add(Urge(addiction="alcohol", intensity=5, trigger="stress", coping=["call"]))
    document = orjson.loads(_kept(journal).to_json())
    document["v"] = 1
    for key in ("tables", "glance", "words", "offset"):
        del document[key]
    state = journal._live_vault().saved_state()
    assert journal._live_vault().store_summary(orjson.dumps(document), state.writes)
    journal.lock()
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        assert reopened.summary() is None
        reopened.load()
        assert reopened.check_summary() == []
        rebuilt = _kept(reopened)
        week = min(rebuilt.weeks["alcohol"])
        assert rebuilt.coping == {"alcohol": {week: {"call": [1, 1]}}}


def test_names_dropped_once_come_back_at_the_next_check(journal):
    """More trigger names than are kept: the counts are dropped; once an urge is
    deleted and there are few enough again, the check after a full read rebuilds
    the summary with them."""
    many = [journal.add(Urge(addiction="alcohol", intensity=3, trigger=f"thing {n}"))
            for n in range(summaries.NAMES_KEPT + 1)]
    assert not _kept(journal).keeps_words()
    journal.delete(many[0])
    assert not _kept(journal).keeps_words()  # not known until the records are read
    journal.load()
    assert journal.check_summary() == []
    assert _kept(journal).keeps_words()
    assert len(_kept(journal).triggers["alcohol"][min(_kept(journal).weeks["alcohol"])]) == 64


# ---- the glance: what the dashboard reads at unlock, without the day tables --------


def _as_unlock_reads(summary: summaries.Summary) -> summaries.Summary:
    """The summary as the dashboard gets it at unlock (Journal.summary(): lazily)."""
    return summaries.Summary.from_json(summary.to_json(), lazy=True)


day_sets = st.lists(st.integers(0, 400), max_size=150)


@settings(max_examples=300, deadline=None)
@given(day_sets, st.integers(0, 420), st.one_of(st.none(), st.integers(0, 420)))
def test_the_glance_gives_the_streaks_the_whole_table_gives(days, today_n, since_n):
    """The dashboard's streak row from the glance (the last 91 days of use and three
    numbers) equals the one from every day of use, whatever the days, today and
    the tracking start; a use dated after today leaves it to the whole table."""
    from recoveryjournal.insights import streaks_of_day_numbers, streaks_of_recent_days

    origin = START.date().toordinal()
    made = [Use(addiction="alcohol", when=START + timedelta(days=d, hours=n % 5))
            for n, d in enumerate(days)]
    read = _as_unlock_reads(summaries.build(made))
    today = START.date() + timedelta(days=today_n)
    since = None if since_n is None else START.date() + timedelta(days=since_n)
    kept = read.streak_days("alcohol", today)
    assert "_tables" in read.__dict__  # nothing parsed the day tables
    if kept is None:
        assert max(days) > today_n
        return
    whole = streaks_of_day_numbers([origin + d for d in days], "alcohol", today, since=since)
    assert streaks_of_recent_days(*kept, "alcohol", today, since=since) == whole
    assert read.use_day_numbers("alcohol") == sorted(set(origin + d for d in days))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.booleans()), max_size=40), st.integers(0, 70))
def test_the_glance_gives_todays_urges_as_the_table_does(urges, day_n):
    made = [Urge(addiction="alcohol", intensity=3, outcome="acted" if acted else "resisted",
                 when=START + timedelta(days=d)) for d, acted in urges]
    built = summaries.build(made)
    read = _as_unlock_reads(built)
    day = START.date() + timedelta(days=day_n)
    assert read.urges_on(day) == built.urges_on(day)


def test_the_dashboard_at_unlock_reads_the_glance_not_the_tables(journal_path, journal):
    """Unlock parses neither the day nor the week tables (their size grows with the
    years of the journal), and the dashboard's rows and today's urges say what the
    records say; a screen that asks for the tables gets them then."""
    from recoveryjournal.insights import streaks
    from recoveryjournal.tui.screens.dashboard import addiction_streaks

    for n in range(300):
        journal.add(_record("use", n, n))
        journal.add(_record("urge", n // 2, n))
    journal.lock()
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        glance = reopened.summary()
        today = (START + timedelta(days=310)).date()
        rows = [addiction_streaks(glance, name, today, None) for name in ("alcohol", "gambling")]
        day = (START + timedelta(days=149)).date()
        urges_that_day = glance.urges_on(day)
        assert "_tables" in glance.__dict__  # still not parsed
        reopened.load()
        uses = reopened.records(Use)
        assert [replace(r, uses=0) for r in rows] == [
            replace(streaks(uses, name, today), uses=0) for name in ("alcohol", "gambling")]
        on_day = [u for u in reopened.records(Urge) if u.when.date() == day]
        assert urges_that_day == (len(on_day), sum(u.outcome == "resisted" for u in on_day),
                                  sum(u.outcome == "acted" for u in on_day))
        assert glance.uses_by_day("alcohol")  # parsed when asked for
        assert "_tables" not in glance.__dict__


def test_a_glance_that_says_other_than_the_tables_is_reported(journal_path, journal):
    """Sealed with the right key, its tables right, but its glance wrong: reported
    like any summary that says other than the records."""
    import orjson

    for n in range(5):
        journal.add(_record("use", n, n))
    document = orjson.loads(_kept(journal).to_json())
    document["glance"]["uses"]["alcohol"]["gap"] += 1
    state = journal._live_vault().saved_state()
    assert journal._live_vault().store_summary(orjson.dumps(document), state.writes)
    journal.lock()
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        reopened.load()
        found = reopened.check_summary()
        assert found and "does not match the records" in found[0]


def _as_version_3(payload: bytes) -> bytes:
    """The summary as version 3 wrote it: the tables among the other keys, no glance."""
    import orjson

    document = orjson.loads(payload)
    tables = orjson.loads(document.pop("tables"))
    del document["glance"]
    document.update(tables, v=3)
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def test_a_summary_of_version_3_is_read_and_stored_again_as_4(journal_path, journal):
    """A journal whose summary the version before wrote opens on its summary (no
    full read before the dashboard) and the check after the full read stores it
    again in this version, saying the same."""
    import orjson

    for n in range(20):
        journal.add(_record("use", n, n))
        journal.add(_record("urge", n, n))
    before = _kept(journal)
    state = journal._live_vault().saved_state()
    assert journal._live_vault().store_summary(_as_version_3(before.to_json()), state.writes)
    journal.lock()
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        old = reopened.summary()
        assert old is not None and old.version == 3
        assert (old.uses, old.urges, old.weeks) == (before.uses, before.urges, before.weeks)
        reopened.load()
        assert reopened.check_summary() == []
        payload, _state = reopened._live_vault().read_summary()
        assert orjson.loads(payload)["v"] == summaries.VERSION
        again = reopened.summary()
        assert again.version == summaries.VERSION and again.agrees_with(before)
