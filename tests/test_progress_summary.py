"""The Progress screen's urge charts from the sealed summary (issue 18): after any
sequence of adds, edits and deletes (the summary kept through each, stored and
read back), every urge chart drawn from the summary is the chart drawn from the
urges left, for every range and addiction; and the summary is what they use."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from hypothesis import example, given, settings, strategies as st

from recoveryjournal import summary as summaries
from recoveryjournal.charts import PLAIN
from recoveryjournal.records import Addiction, Entry, Meeting, Mood, Settings, Urge
from recoveryjournal.tui.screens.progress import RANGES, URGE_CHARTS, ProgressScreen

TODAY = date(2026, 3, 31)  # a Tuesday
ZONES = [timezone(timedelta(hours=h)) for h in (1, 2, 0, -5, 14, -11)]
TRIGGERS = ["stress", "Stress ", "boredom", "after  Work", "", "people"]
TOOLS = ["call", "delay", "urge-surfing", "went for a walk", ""]
ADDICTIONS = ["alcohol", "Gambling", "gambling "]


class _Journal:
    """What the Progress screen reads of a journal: its records by kind, the
    settings and the summary (None: the screen reads the records)."""

    def __init__(self, alive: dict, summary):
        self.alive, self._summary = alive, summary
        self._settings = Settings(id="settings", addictions=[
            Addiction(name=name, tracked_since=TODAY - timedelta(days=200))
            for name in ("alcohol", "gambling")])

    def records(self, kind):
        return sorted((r for r in self.alive.values() if isinstance(r, kind)),
                      key=lambda r: (r.when, r.created))

    def summary(self):
        return self._summary

    def settings(self):
        return self._settings

    def tracked_addictions(self):
        return ["alcohol", "gambling"]


def _urge(day: int, minute: int, zone: int, n: int) -> Urge:
    return Urge(addiction=ADDICTIONS[n % 3], intensity=n % 11,
                intensity_after=None if n % 4 == 0 else (n * 7) % 11,
                trigger=TRIGGERS[n % 6], coping=[TOOLS[n % 5], TOOLS[n // 5 % 5]][: n // 3 % 3],
                outcome="acted" if n % 3 == 0 else "resisted",
                when=datetime.combine(TODAY - timedelta(days=day), datetime.min.time(),
                                      ZONES[zone]) + timedelta(minutes=minute))


steps = st.lists(st.tuples(st.sampled_from(["add", "add", "edit", "delete"]),
                           st.integers(-2, 400), st.integers(0, 1439), st.integers(0, 5),
                           st.integers(0, 99)), min_size=1, max_size=30)


def _screen(journal, weeks, addiction) -> ProgressScreen:
    screen = ProgressScreen(journal, today=TODAY)
    screen.addictions = ["alcohol", "gambling"]
    screen.range_index = [w for w, _label in RANGES].index(weeks)
    screen.addiction_index = 0 if addiction is None else screen.addictions.index(addiction) + 1
    return screen


@settings(max_examples=60, deadline=None)
@given(steps, st.lists(st.tuples(st.integers(0, 400), st.integers(0, 5)), max_size=5))
def test_every_urge_chart_from_the_summary_equals_the_chart_from_the_urges(plan, meetings):
    kept = summaries.build([])
    alive: dict[str, object] = {}
    for day, zone in meetings:
        meeting = Meeting(group="Tuesday group", when=datetime.combine(
            TODAY - timedelta(days=day), datetime.min.time(), ZONES[zone]) + timedelta(hours=19))
        kept.change(None, meeting)
        alive[meeting.id] = meeting
    for action, day, minute, zone, n in plan:
        urges = sorted(k for k, r in alive.items() if isinstance(r, Urge))
        if action == "add" or not urges:
            new = _urge(day, minute, zone, n)
            kept.change(None, new)
            alive[new.id] = new
        elif action == "delete":
            old = alive.pop(urges[n % len(urges)])
            kept.change(old, None)
        else:  # every field a chart counts may change
            old = alive[urges[n % len(urges)]]
            other = _urge(day, minute, zone, n + 1)
            new = replace(other, id=old.id, created=old.created)
            kept.change(old, new)
            alive[old.id] = new
        kept = summaries.Summary.from_json(kept.to_json())  # as stored
    from_summary = _Journal(alive, kept)
    from_records = _Journal(alive, None)
    for weeks, _label in RANGES:
        for addiction in (None, "alcohol", "gambling"):
            for chart in URGE_CHARTS:
                quick = _screen(from_summary, weeks, addiction)._from_summary(chart)
                slow = _screen(from_records, weeks, addiction)._series(chart)
                if quick is None:
                    continue
                assert quick(76, 16, PLAIN) == slow(76, 16, PLAIN), (chart, weeks, addiction)


def test_the_urge_charts_are_drawn_from_the_summary_without_reading_an_urge():
    """A year of urges: each urge chart, at every range, comes from the summary
    (the heatmap of a shorter range reads only that range's urges)."""
    made = [_urge(day, (day * 97) % 1440, 0, day) for day in range(0, 365)]
    kept = summaries.Summary.from_json(summaries.build(made).to_json())
    alive = {u.id: u for u in made}

    class NoUrges(_Journal):
        def records(self, kind):
            assert kind is not Urge, "read the urges"
            return super().records(kind)

    journal = NoUrges(alive, kept)
    for weeks, _label in RANGES:
        for chart in URGE_CHARTS:
            if chart == "heatmap" and weeks is not None:
                continue
            drawn = _screen(journal, weeks, None)._series(chart)(76, 16, PLAIN)
            assert drawn == _screen(_Journal(alive, None), weeks, None)._series(chart)(
                76, 16, PLAIN)
    heatmap = _screen(journal, None, "gambling")._series("heatmap")(76, 16, PLAIN)
    assert "When urges come" in heatmap


mood_steps = st.lists(st.tuples(st.sampled_from(["entry", "mood", "edit", "delete"]),
                                st.integers(-9, 800), st.integers(0, 1439), st.integers(0, 5),
                                st.integers(0, 99)), min_size=1, max_size=30)


def _mood_record(kind: str, day: int, minute: int, zone: int, n: int):
    when = datetime.combine(TODAY - timedelta(days=day), datetime.min.time(),
                            ZONES[zone]) + timedelta(minutes=minute)
    if kind == "mood":
        return Mood(mood=1 + n % 5, when=when)
    return Entry(text="A walk by the water.", mood=None if n % 4 == 0 else 1 + n % 5, when=when)


@settings(max_examples=60, deadline=None)
@given(mood_steps)
def test_the_whole_journal_mood_chart_from_the_summary_equals_the_chart_from_the_records(plan):
    """Range "all": a mean mood a week, from the summary kept through adds, edits
    (a mood added, changed or taken away, the day moved) and deletes, is the chart
    the moods and entries left give."""
    kept = summaries.build([])
    alive: dict[str, object] = {}
    for action, day, minute, zone, n in plan:
        if action in ("entry", "mood") or not alive:
            new = _mood_record("mood" if action == "mood" else "entry", day, minute, zone, n)
            kept.change(None, new)
            alive[new.id] = new
        else:
            old = alive[sorted(alive)[n % len(alive)]]
            if action == "delete":
                kept.change(old, None)
                del alive[old.id]
            else:
                other = _mood_record(old.kind, day, minute, zone, n + 1)
                new = replace(other, id=old.id, created=old.created)
                kept.change(old, new)
                alive[old.id] = new
        kept = summaries.Summary.from_json(kept.to_json())  # as stored
    assert kept.agrees_with(summaries.build(alive.values()))
    quick = _screen(_Journal(alive, kept), None, None)._series("mood")(76, 16, PLAIN)
    slow = _screen(_Journal(alive, None), None, None)._series("mood")(76, 16, PLAIN)
    assert quick == slow
    if any(getattr(r, "mood", None) for r in alive.values()):
        assert "with a mood" in quick and "Mood per week" in quick


# Days ago around the ends of each range: today, and the first Monday of 4, 12, 52 weeks.
EDGES = [-1, 0, 1, 21, 22, 23, 77, 78, 79, 357, 358, 359]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(-9, 400) | st.sampled_from(EDGES), st.integers(0, 1439),
                          st.integers(0, 5), st.integers(0, 99)), max_size=60),
       st.sampled_from([w for w, _label in RANGES]), st.sampled_from([None, "gambling"]))
# A Sunday evening at UTC-11 is Monday by the machine's clock (when it is east of
# that); just after midnight at UTC+14 tomorrow is still today here.
@example([(23, 800, 5, 0), (22, 30, 4, 0), (-1, 30, 4, 0), (0, 1400, 5, 0)], 4, None)
def test_a_range_holds_the_urges_of_its_weeks_by_their_own_day(made, weeks, addiction):
    """What the heatmap of a range (and every urge chart without the summary)
    counts: the urges whose day, on the clock they were logged on, is from the
    range's first Monday to today, found by bisection with only the ends looked at."""
    from recoveryjournal import insights
    from recoveryjournal.records import normalise_addiction

    urges = [_urge(*item) for item in made]
    journal = _Journal({u.id: u for u in urges}, None)
    first = insights.weeks_back(TODAY, weeks)[0].toordinal() if weeks else 0
    expected = [u for u in journal.records(Urge)
                if first <= u.when.toordinal() <= TODAY.toordinal()
                and (addiction is None or normalise_addiction(u.addiction) == addiction)]
    assert _screen(journal, weeks, addiction)._urges_in_weeks() == expected


class _JournalOfColumns(_Journal):
    """As the app's worker holds urges: as columns (record_columns.py)."""

    def records(self, kind):
        from recoveryjournal.record_columns import RecordColumns

        found = super().records(kind)
        if kind is not Urge:
            return found
        columns = RecordColumns.pack(Urge, found)
        assert columns is not None
        return columns.in_time_order()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(-9, 400) | st.sampled_from(EDGES), st.integers(0, 1439),
                          st.integers(0, 5), st.integers(0, 99)), max_size=60),
       st.sampled_from([w for w, _label in RANGES]), st.sampled_from([None, "gambling"]))
@example([(23, 800, 5, 0), (22, 30, 4, 0), (-1, 30, 4, 0), (0, 1400, 5, 0)], 4, None)
def test_a_range_of_urges_held_as_columns_holds_the_same_urges(made, weeks, addiction):
    """The same urges from columns (a list built as read, the ends looked at), and
    the heatmap counted from the columns is the one counted from the urges."""
    from recoveryjournal import insights

    urges = [_urge(*item) for item in made]
    objects = _screen(_Journal({u.id: u for u in urges}, None), weeks, addiction)
    columns = _screen(_JournalOfColumns({u.id: u for u in urges}, None), weeks, addiction)
    expected = objects._urges_in_weeks()
    found = columns._urges_in_weeks()
    assert [u.id for u in found] == [u.id for u in expected]
    assert insights.hour_weekday(found) == insights.hour_weekday(expected)
    assert columns._series("heatmap")(76, 16, PLAIN) == objects._series("heatmap")(76, 16, PLAIN)
