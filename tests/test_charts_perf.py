"""On a ten-year journal (50,000 urges) each chart's series and drawing stay fast.

The budget (docs/ARCHITECTURE.md) for switching a chart is 50 ms. This test builds each series the
way the Progress screen does (a range cut by bisection from the sorted list, then
the insight, then the chart at 80x24) and prints the figures; it fails only well
above the budget, so a slip back to quadratic work or to plotting 520 bars fails.
Timings on a shared machine are noisy, so it runs only when asked, like the export
benchmark:  RECOVERYJOURNAL_BENCH=1 .venv/bin/pytest -s tests/test_charts_perf.py
"""

from __future__ import annotations

import os
import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from recoveryjournal import charts, insights
from recoveryjournal.records import Checkin, ExerciseResponse, Meeting, Urge, Use

ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 3, 31, 21, 0, tzinfo=ZONE)
TODAY = NOW.date()
pytestmark = [
    pytest.mark.perf,
    pytest.mark.skipif(not os.environ.get("RECOVERYJOURNAL_BENCH"),
                       reason="set RECOVERYJOURNAL_BENCH=1 to run the timing tests"),
]
REGRESSION_LIMIT_MS = 250  # five times the budget: a real regression, not a busy machine


@pytest.fixture(scope="module")
def big_journal():
    rnd = random.Random(7)
    minutes = 60 * 24 * 3650

    def when() -> datetime:
        return NOW - timedelta(minutes=rnd.randint(0, minutes))

    urges = sorted((Urge(addiction=rnd.choice(["alcohol", "gambling", "cannabis", "nicotine"]),
                         intensity=rnd.randint(0, 10),
                         intensity_after=rnd.choice([None, rnd.randint(0, 10)]),
                         trigger=rnd.choice(["stress", "people", "place", "boredom", "tired"]),
                         coping=[rnd.choice(["urge-surfing", "delay", "call", "walk"])],
                         outcome=rnd.choice(["resisted", "resisted", "acted"]), when=when())
                    for _n in range(50_000)), key=lambda u: u.when)
    uses = sorted((Use(addiction=rnd.choice(["alcohol", "gambling"]), when=when())
                   for _n in range(3000)), key=lambda u: u.when)
    checkins = [Checkin(items=[rnd.randint(0, 5) for _i in range(5)], when=NOW - timedelta(days=7 * d))
                for d in range(500)][::-1]
    meetings = [Meeting(group="g", when=NOW - timedelta(hours=87 * d)) for d in range(1000)][::-1]
    responses = [ExerciseResponse(exercise_id="urge-surfing", when=NOW - timedelta(days=d),
                                  answers={"wave": [{"minute": m, "strength": rnd.randint(0, 10)}
                                                    for m in range(8)]})
                 for d in range(2000)][::-1]
    return urges, uses, checkins, meetings, responses


def _chart_builders(big, weeks):
    urges_all, uses, checkins, meetings, responses = big
    start = None if weeks is None else datetime.combine(
        insights.weeks_back(TODAY, weeks)[0] - timedelta(days=1), datetime.min.time(), tzinfo=ZONE)

    def cut(found):
        return found if start is None else insights.since(found, start)

    days = 3650 if weeks is None else weeks * 7
    c = charts.ChartColours()
    return {
        "urges per week": lambda: charts.urges_per_week(
            insights.urges_per_week(cut(urges_all), TODAY, weeks=weeks), 78, 18, c),
        "intensity": lambda: charts.intensity_trend(
            insights.intensity_trend(cut(urges_all), TODAY, weeks=weeks), 78, 18, c),
        "share resisted": lambda: charts.share_resisted(
            insights.resisted_per_week(cut(urges_all), TODAY, weeks=weeks), 78, 18, c),
        "top triggers": lambda: charts.top_triggers(insights.top_triggers(cut(urges_all), 12), 78, 18, c),
        "coping": lambda: charts.coping_tools(insights.coping_that_worked(cut(urges_all), 12), 78, 18, c),
        "hour x weekday": lambda: charts.hour_weekday_heatmap(insights.hour_weekday(cut(urges_all)), 78, 18, c),
        "use calendar": lambda: charts.use_calendar(
            insights.use_calendar(cut(uses), TODAY, days), TODAY, days, 78, 18, c),
        "WHO-5": lambda: charts.who5_line(insights.who5_over_time(cut(checkins)), 78, 18, c),
        "meetings and urges": lambda: charts.meetings_beside_urges(
            insights.meetings_and_urges_per_week(cut(meetings), cut(urges_all), TODAY, weeks=weeks),
            78, 18, c),
        "lifestyle balance": lambda: charts.lifestyle_balance(
            [("health", 6), ("sleep", 5), ("family", 8)], 78, 18, c),
        "urge waves": lambda: charts.urge_waves(
            insights.urge_waves(cut(responses), since=start), 78, 18, c),
    }


def test_the_three_weekly_urge_series_come_from_one_pass(big_journal, capsys):
    urges = big_journal[0]
    build = lambda: insights.urge_weeks(urges, TODAY)  # noqa: E731
    build()
    best = min(_timed(build) for _run in range(3))
    with capsys.disabled():
        print(f"\n  urge_weeks over all 50,000 urges (three series, one pass): {best:.1f} ms")
    assert best < REGRESSION_LIMIT_MS


@pytest.mark.parametrize("weeks", [12, 52, None], ids=["12 weeks", "1 year", "all 10 years"])
def test_every_chart_builds_and_draws_quickly_on_a_big_journal(big_journal, weeks, capsys):
    figures = {}
    for name, build in _chart_builders(big_journal, weeks).items():
        build()  # plotext's first call warms its caches
        best = min(_timed(build) for _run in range(3))
        figures[name] = best
    with capsys.disabled():
        label = "all" if weeks is None else f"{weeks} weeks"
        print(f"\n  chart timings, {label}, 50,000 urges (best of 3, ms): " +
              ", ".join(f"{name} {ms:.1f}" for name, ms in figures.items()))
    slow = {name: ms for name, ms in figures.items() if ms > REGRESSION_LIMIT_MS}
    assert not slow, f"charts far over the 50 ms budget: {slow}"


def _timed(build) -> float:
    start = time.perf_counter()
    build()
    return (time.perf_counter() - start) * 1000
