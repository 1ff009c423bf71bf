"""Every insight on hand-built records with answers worked out by hand."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoveryjournal import insights, who5
from recoveryjournal.records import Addiction, Checkin, ExerciseResponse, Meeting, Urge, Use


STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 3, 31)  # a Tuesday, two days after the spring DST change


def at(day: date, hour: int = 12, minute: int = 0, tz=STOCKHOLM) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def use(day: date, addiction: str = "alcohol", **kw) -> Use:
    return Use(addiction=addiction, when=at(day, kw.pop("hour", 20)), **kw)


def urge(day: date, intensity: int = 5, addiction: str = "alcohol", hour: int = 18, **kw) -> Urge:
    return Urge(addiction=addiction, intensity=intensity, when=at(day, hour), **kw)


# ---- streaks ---------------------------------------------------------------------


def test_no_use_counts_every_tracked_day_as_free():
    s = insights.streaks([], "alcohol", TODAY, since=date(2026, 3, 1))
    assert s.days_since_last_use is None
    assert s.current_streak == 31  # 1..31 March
    assert s.longest_streak == 31
    assert (s.abstinent_30, s.days_30) == (30, 30)
    assert (s.abstinent_90, s.days_90) == (31, 31)  # only 31 days were tracked


def test_a_lapse_keeps_the_longest_streak_and_the_abstinent_days():
    uses = [use(date(2026, 3, 10))]
    s = insights.streaks(uses, "alcohol", TODAY, since=date(2026, 2, 1))
    # 1 Feb .. 9 Mar without use: 28 + 9 = 37 days, then the lapse on 10 March.
    assert s.longest_streak == 37
    assert s.days_since_last_use == 21
    assert s.current_streak == 21
    assert s.last_use == date(2026, 3, 10)
    assert (s.abstinent_30, s.days_30) == (29, 30)
    assert (s.abstinent_90, s.days_90) == (58, 59)  # 1 Feb .. 31 Mar is 59 days
    assert s.uses == 1


def test_use_today_means_zero_days_since_but_history_stays():
    uses = [use(date(2026, 3, 1)), use(TODAY)]
    s = insights.streaks(uses, "alcohol", TODAY, since=date(2026, 3, 1))
    assert s.days_since_last_use == 0
    assert s.current_streak == 0
    assert s.longest_streak == 29  # 2..30 March
    assert s.abstinent_30 == 29  # the last 30 days are 2..31 March; only today had a use
    assert s.abstinent_90 == 29  # 1..31 March: two use days
    assert s.days_30 == 30


def test_two_uses_on_one_day_are_one_use_day():
    uses = [use(date(2026, 3, 20), hour=18), use(date(2026, 3, 20), hour=23)]
    s = insights.streaks(uses, "alcohol", TODAY, since=date(2026, 3, 1))
    assert s.abstinent_30 == 29
    assert s.uses == 2


def test_streak_across_the_month_boundary():
    uses = [use(date(2026, 1, 31)), use(date(2026, 2, 2))]
    s = insights.streaks(uses, "alcohol", date(2026, 2, 10), since=date(2026, 1, 31))
    assert s.longest_streak == 8  # 3..10 February
    assert s.days_since_last_use == 8
    assert (s.abstinent_30, s.days_30) == (9, 11)


def test_dst_night_use_belongs_to_the_stockholm_day():
    # 29 March 2026, 02:00 -> 03:00 in Stockholm. 00:30 local on the 30th is 22:30 UTC
    # on the 29th: in Stockholm time it is a use on the 30th.
    late = Use(addiction="alcohol", when=datetime(2026, 3, 29, 22, 30, tzinfo=timezone.utc))
    s = insights.streaks([late], "alcohol", TODAY, since=date(2026, 3, 1), tz=STOCKHOLM)
    assert s.last_use == date(2026, 3, 30)
    assert s.days_since_last_use == 1
    s_utc = insights.streaks([late], "alcohol", TODAY, since=date(2026, 3, 1))
    assert s_utc.last_use == date(2026, 3, 29)


def test_dst_week_has_seven_days_of_urges():
    # The week of the DST change (Mon 23 .. Sun 29 March) holds a day of 23 hours.
    urges = [Urge(addiction="alcohol", intensity=4,
                  when=datetime(2026, 3, 23, 0, 0, tzinfo=STOCKHOLM) + timedelta(hours=h))
             for h in range(0, 24 * 8, 24)]
    weekly = insights.urges_per_week(urges, date(2026, 3, 31), weeks=2, tz=STOCKHOLM)
    assert weekly.weeks == [date(2026, 3, 23), date(2026, 3, 30)]
    # Adding 24 h steps past the change lands at 01:00 local, still on each next day;
    # seven fall in the DST week, the eighth on Monday 30th.
    assert weekly.series["alcohol"] == [7, 1]


def test_other_addictions_do_not_touch_the_streak():
    uses = [use(date(2026, 3, 30), addiction="gambling")]
    s = insights.streaks(uses, "alcohol", TODAY, since=date(2026, 3, 1))
    assert s.days_since_last_use is None
    assert insights.streaks(uses, "Gambling ", TODAY).days_since_last_use == 1


def test_use_before_tracking_moves_the_start_back():
    s = insights.streaks([use(date(2026, 2, 27))], "alcohol", TODAY, since=date(2026, 3, 1))
    assert s.since == date(2026, 2, 27)
    assert s.longest_streak == 32


def test_summary_shows_all_figures_together_and_never_shames():
    s = insights.streaks([use(date(2026, 3, 10))], "alcohol", TODAY, since=date(2026, 2, 1))
    line = insights.streak_summary(s)
    assert "21 days since last use" in line and "longest streak 37 days" in line
    assert "use-free 29/30 days of the last 30, 58/59 of the last 90" in line
    for word in ("fail", "relapse", "reset", "clean", "dirty"):
        assert word not in line.lower()


# ---- money and time ---------------------------------------------------------------


def test_not_spent_is_cost_per_use_times_free_days():
    addiction = Addiction(name="alcohol", cost_per_use=120.0, tracked_since=date(2026, 3, 1))
    uses = [use(date(2026, 3, 10), minutes=90), use(date(2026, 3, 20), minutes=150)]
    result = insights.not_spent(addiction, uses, TODAY)
    assert result.abstinent_days == 29
    assert result.money == 29 * 120.0
    assert result.minutes == 29 * 120  # median of 90 and 150


def test_not_spent_without_cost_or_durations():
    result = insights.not_spent(Addiction(name="gambling", tracked_since=TODAY), [], TODAY)
    assert (result.abstinent_days, result.money, result.minutes) == (1, None, None)


def test_use_calendar_counts_per_day_in_range():
    uses = [use(date(2026, 3, 30)), use(date(2026, 3, 30)), use(date(2026, 1, 1)),
            use(date(2026, 3, 29), addiction="gambling")]
    assert insights.use_calendar(uses, TODAY, 30) == {date(2026, 3, 30): 2, date(2026, 3, 29): 1}
    assert insights.use_calendar(uses, TODAY, 30, addiction="gambling") == {date(2026, 3, 29): 1}


# ---- urges ------------------------------------------------------------------------


def test_urges_per_week_keeps_empty_weeks_and_splits_addictions():
    urges = [urge(date(2026, 3, 2)), urge(date(2026, 3, 3)), urge(date(2026, 3, 31)),
             urge(date(2026, 3, 4), addiction="gambling"),
             urge(date(2025, 12, 1))]  # outside the range
    weekly = insights.urges_per_week(urges, TODAY, weeks=5)
    assert weekly.weeks == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16),
                            date(2026, 3, 23), date(2026, 3, 30)]
    assert weekly.series == {"alcohol": [2, 0, 0, 0, 1], "gambling": [1, 0, 0, 0, 0]}
    assert list(weekly.series) == ["alcohol", "gambling"]  # most urges first
    only = insights.urges_per_week(urges, TODAY, weeks=5, addiction="gambling")
    assert only.series == {"gambling": [1, 0, 0, 0, 0]}


def test_urges_per_week_all_time_starts_at_the_first_urge():
    weekly = insights.urges_per_week([urge(date(2026, 3, 18))], TODAY)
    assert weekly.weeks == [date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 30)]
    empty = insights.urges_per_week([], TODAY)
    assert empty.weeks == [date(2026, 3, 30)] and empty.series == {}


def test_urges_per_week_across_new_year():
    urges = [urge(date(2025, 12, 31)), urge(date(2026, 1, 1)), urge(date(2026, 1, 5))]
    weekly = insights.urges_per_week(urges, date(2026, 1, 6), weeks=2)
    assert weekly.weeks == [date(2025, 12, 29), date(2026, 1, 5)]
    assert weekly.series["alcohol"] == [2, 1]


def test_intensity_trend_averages_before_and_after():
    urges = [urge(date(2026, 3, 23), 8, intensity_after=4), urge(date(2026, 3, 24), 6),
             urge(date(2026, 3, 30), 3, intensity_after=1)]
    trend = insights.intensity_trend(urges, TODAY, weeks=3)
    assert trend.series["before"] == [None, 7.0, 3.0]
    assert trend.series["after"] == [None, 4.0, 1.0]


def test_share_resisted_overall_and_per_week():
    urges = [urge(date(2026, 3, 23)), urge(date(2026, 3, 24), outcome="acted"),
             urge(date(2026, 3, 25)), urge(date(2026, 3, 26)),
             urge(date(2026, 3, 30), outcome="acted")]
    assert insights.share_resisted(urges) == pytest.approx(0.6)
    assert insights.share_resisted([]) is None
    weekly = insights.resisted_per_week(urges, TODAY, weeks=3)
    assert weekly.series["share"] == [None, 75, 0]
    assert weekly.series["resisted"] == [0, 3, 0]
    assert weekly.series["acted"] == [0, 1, 1]


def test_top_triggers_are_counted_case_insensitively():
    urges = [urge(TODAY, trigger="Stress"), urge(TODAY, trigger="stress "),
             urge(TODAY, trigger="people"), urge(TODAY, trigger=""), urge(TODAY, trigger="place"),
             urge(TODAY, trigger="people"), urge(TODAY, trigger="stress")]
    assert insights.top_triggers(urges, 2) == [("stress", 3), ("people", 2)]


def test_coping_that_worked_ranks_by_resisted_and_shows_the_drop():
    urges = [
        urge(TODAY, 8, coping=["urge-surfing", "call"], intensity_after=3),
        urge(TODAY, 6, coping=["urge-surfing"], intensity_after=4),
        urge(TODAY, 7, coping=["call"], outcome="acted"),
        urge(TODAY, 5, coping=["walk"]),
    ]
    results = insights.coping_that_worked(urges)
    assert [r.tool for r in results] == ["urge-surfing", "call", "walk"]
    surfing = results[0]
    assert (surfing.used, surfing.resisted, surfing.mean_drop) == (2, 2, 3.5)
    assert (results[1].used, results[1].resisted, results[1].mean_drop) == (2, 1, 5.0)
    assert results[2].mean_drop is None


def test_hour_weekday_uses_local_time():
    urges = [urge(date(2026, 3, 30), hour=22),  # Monday 22:00
             Urge(addiction="alcohol", intensity=3,
                  when=datetime(2026, 3, 29, 23, 30, tzinfo=timezone.utc))]  # Mon 01:30 Stockholm
    grid = insights.hour_weekday(urges, tz=STOCKHOLM)
    assert grid[0][22] == 1 and grid[0][1] == 1
    assert sum(map(sum, grid)) == 2
    utc_grid = insights.hour_weekday(urges)
    assert utc_grid[6][23] == 1  # Sunday 23:30 on the clock it was logged with


# ---- meetings ---------------------------------------------------------------------


def test_meetings_beside_urges_per_week():
    meetings = [Meeting(group="Tuesday group", when=at(date(2026, 3, 24), 19)),
                Meeting(group="Tuesday group", when=at(TODAY, 19))]
    urges = [urge(date(2026, 3, 17)), urge(date(2026, 3, 18)), urge(date(2026, 3, 25))]
    weekly = insights.meetings_and_urges_per_week(meetings, urges, TODAY, weeks=3)
    assert weekly.series == {"meetings": [0, 1, 1], "urges": [2, 1, 0]}


# ---- WHO-5 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "raw", "percent", "low"),
    [
        ([0, 0, 0, 0, 0], 0, 0, True),
        ([5, 5, 5, 5, 5], 25, 100, False),
        ([3, 3, 2, 2, 2], 12, 48, True),  # just below the 50 % line
        ([3, 3, 3, 2, 2], 13, 52, False),  # just above it (50 % itself cannot occur)
    ],
)
def test_who5_scoring(items, raw, percent, low):
    score = who5.score(items)
    assert (score.raw, score.percent, score.low) == (raw, percent, low)
    assert ("talk" in score.message) is low
    assert f"{raw} of 25 ({percent}%)" in score.message


@pytest.mark.parametrize("items", [[1, 2, 3, 4], [6, 0, 0, 0, 0], [-1, 0, 0, 0, 0], [True, 0, 0, 0, 0]])
def test_who5_refuses_bad_answers(items):
    with pytest.raises(ValueError):
        who5.score(items)


def test_who5_wording_is_the_original_english():
    assert who5.items()[3] == "I woke up feeling fresh and rested"
    assert [v for v, _label in who5.answers()] == [5, 4, 3, 2, 1, 0]
    assert who5.translation_note("en") is None
    assert who5.translation_note("sv")


def test_who5_over_time_sorted_with_percent():
    checkins = [Checkin(items=[3, 3, 3, 3, 3], when=at(date(2026, 3, 20))),
                Checkin(items=[1, 1, 1, 1, 1], when=at(date(2026, 3, 6)))]
    assert insights.who5_over_time(checkins) == [(date(2026, 3, 6), 20), (date(2026, 3, 20), 60)]
    assert insights.who5_over_time(checkins, since=date(2026, 3, 10)) == [(date(2026, 3, 20), 60)]


# ---- exercises --------------------------------------------------------------------


def test_urge_waves_from_responses_and_rerated_urges():
    responses = [
        ExerciseResponse(exercise_id="urge-surfing", when=at(date(2026, 3, 20)),
                         answers={"notice": "tight chest", "wave": [7, 9, 6, 3]}),
        ExerciseResponse(exercise_id="urge-surfing", when=at(date(2026, 3, 10)),
                         answers={"start": 8, "peak": 9, "end": 2, "note": "ok"}),
        ExerciseResponse(exercise_id="urge-surfing", when=at(date(2026, 3, 11)), answers={"start": 8}),
        ExerciseResponse(exercise_id="urge-surfing", when=at(date(2026, 3, 15)),
                         answers={"notice": "", "wave": [{"minute": 2, "strength": 4},
                                                          {"minute": 0, "strength": 8},
                                                          {"minute": 1, "strength": None}]}),
        ExerciseResponse(exercise_id="cost-benefit", when=at(date(2026, 3, 12)), answers={"a": [1, 2]}),
    ]
    urges = [urge(date(2026, 3, 25), 6, coping=["urge-surfing"], intensity_after=2),
             urge(date(2026, 3, 26), 6, coping=["call"], intensity_after=2)]
    waves = insights.urge_waves(responses, urges)
    assert [w.ratings for w in waves] == [[8, 9, 2], [8, 4], [7, 9, 6, 3], [6, 2]]


def test_lifestyle_balance_takes_the_latest_ratings():
    older = ExerciseResponse(exercise_id="lifestyle-balance", when=at(date(2026, 3, 1)),
                             answers={"work": 3, "rest": 2})
    newer = ExerciseResponse(exercise_id="lifestyle-balance", when=at(date(2026, 3, 20)),
                             answers={"ratings": {"work": 6, "family": 8}, "note": "better"})
    when, areas = insights.lifestyle_balance([newer, older])
    assert when.date() == date(2026, 3, 20)
    assert areas == [("work", 6.0), ("family", 8.0)]
    assert insights.lifestyle_balance([]) is None


def test_urge_weeks_in_one_pass_equals_the_three_series():
    urges = [urge(date(2026, 3, 23), 8, intensity_after=4), urge(date(2026, 3, 24), 6, outcome="acted"),
             urge(date(2026, 3, 30), 3, addiction="Gambling", intensity_after=1),
             urge(date(2026, 3, 31), 5, addiction="gambling")]
    together = insights.urge_weeks(urges, TODAY, weeks=3)
    assert together.per_addiction == insights.urges_per_week(urges, TODAY, weeks=3)
    assert together.intensity == insights.intensity_trend(urges, TODAY, weeks=3)
    assert together.resisted == insights.resisted_per_week(urges, TODAY, weeks=3)
    assert together.per_addiction.series == {"gambling": [0, 0, 2], "alcohol": [0, 2, 0]}


def test_earlier_answers_most_used_first_then_the_latest():
    urges = [urge(TODAY, trigger="stress", place="home", feelings=["tired", "lonely"]),
             urge(TODAY, trigger="payday", feelings=["Tired"]),
             urge(TODAY, trigger="Stress", thought="just one"),
             urge(TODAY, trigger="payday", people="alone"),
             urge(TODAY, trigger="boredom")]
    found = insights.earlier_answers(urges, n=2)
    # stress 2 (last at 3rd urge), payday 2 (last at 4th): payday is later, so first;
    # boredom once, cut by n=2. "Stress" and "stress" are one answer, shown as first typed.
    assert found["trigger"] == ["payday", "stress"]
    assert found["feelings"] == ["tired", "lonely"]  # tired twice, whatever the case
    assert found["place"] == ["home"] and found["people"] == ["alone"]
    assert found["thought"] == ["just one"]
    assert insights.earlier_answers([]) == {name: [] for name in insights.URGE_LOG_FIELDS}


# ---- limit goals -----------------------------------------------------------------------


def test_limit_per_day_counts_days_within_it():
    # Tracking since 10 days ago (TODAY - 9 .. TODAY: 10 days). A limit of 2 a day.
    # Day -3: 1 + 2 = 3 (over). Day -1: 2 (kept). Today: one use without an amount,
    # which counts as 1 (kept). So 9 of 10 days within; the run is 3 (days -2, -1, 0).
    uses = [use(TODAY - timedelta(days=3), amount=1), use(TODAY - timedelta(days=3), amount=2),
            use(TODAY - timedelta(days=1), amount=2), use(TODAY),
            use(TODAY - timedelta(days=3), addiction="food", amount=9)]
    found = insights.limit_days(uses, "alcohol", 2, "day", TODAY,
                                since=TODAY - timedelta(days=9), tz=STOCKHOLM)
    assert (found.within_30, found.days_30, found.within_90, found.days_90) == (9, 10, 9, 10)
    assert found.current_run == 3 and found.today_amount == 1


def test_limit_per_week_keeps_the_days_before_it_was_passed():
    # TODAY is Tuesday 31 March; its week began Monday 30 March. A limit of 5 a week.
    # The week before (23-29 March): 3 on Tuesday 24, 3 on Friday 27: the running total
    # passes 5 on the 27th, so 27, 28, 29 are over, 23-26 kept. This week: 2 on
    # Monday: kept. Since 23 March: 9 days, 6 kept; the run is 2 (Monday, Tuesday).
    uses = [use(date(2026, 3, 24), amount=3), use(date(2026, 3, 27), amount=3),
            use(date(2026, 3, 30), amount=2)]
    found = insights.limit_days(uses, "alcohol", 5, "week", TODAY, since=date(2026, 3, 23),
                                tz=STOCKHOLM)
    assert (found.within_30, found.days_30) == (6, 9)
    assert found.current_run == 2 and found.today_amount == 2


def test_milestones_are_noticed_once_each_the_highest_first():
    assert insights.milestone_reached(0, 0) is None
    assert insights.milestone_reached(1, 0) == 1
    assert insights.milestone_reached(8, 1) == 7  # 7 reached, 1 already noticed
    assert insights.milestone_reached(8, 7) is None  # noticed already: once only
    assert insights.milestone_reached(400, 30) == 365  # a long gap: only the highest


def test_mood_per_day_averages_moods_and_entry_moods():
    from recoveryjournal.records import Entry, Mood

    moods = [Mood(mood=2, when=at(TODAY - timedelta(days=1))), Mood(mood=4, when=at(TODAY))]
    entries = [Entry(text="x", mood=5, when=at(TODAY)), Entry(text="no mood", when=at(TODAY))]
    # Yesterday: 2. Today: the mood 4 and the entry's 5 -> 4.5; an entry without a mood
    # does not count.
    assert insights.mood_per_day(moods, entries) == [(TODAY - timedelta(days=1), 2), (TODAY, 4.5)]
    assert insights.mood_per_day(moods, entries, since=TODAY) == [(TODAY, 4.5)]


def test_programme_week_sessions_and_who5_side_by_side():
    start = date(2026, 1, 6)  # a Tuesday; week 1 is 6-12 January
    # TODAY (31 March) is day 84 after the start: week 84 // 7 + 1 = 13 of 16.
    meetings = [Meeting(group="g", when=at(start + timedelta(weeks=n))) for n in range(12)]
    meetings.append(Meeting(group="g", when=at(start - timedelta(days=1))))  # before: not counted
    checkins = [Checkin(items=[2, 2, 2, 2, 3], when=at(start - timedelta(days=2))),  # 44%
                Checkin(items=[3, 3, 3, 2, 3], when=at(start + timedelta(days=55))),  # 56%
                Checkin(items=[3, 3, 3, 3, 4], when=at(TODAY - timedelta(days=1)))]  # 64%
    found = insights.programme(meetings, checkins, start, 16, TODAY)
    assert (found.week, found.weeks, found.attended) == (13, 16, 12)
    # The middle is day 56 (8 weeks): the check-in of day 55 is nearest.
    assert (found.who5_start, found.who5_mid, found.who5_now) == (44, 56, 64)
    assert found.meetings == [1] * 12 + [0] and len(found.who5) == 13
    # Day 55 is in week 8 (index 7); 30 March is day 83, in week 12 (index 11).
    assert found.who5[7] == 56 and found.who5[11] == 64 and found.who5[12] is None
    early = insights.programme(meetings, checkins, start, 16, start + timedelta(days=10))
    # Week 2; the middle is weeks away, so no midway figure yet.
    assert (early.week, early.attended, early.who5_mid) == (2, 2, None)


def _streaks_by_the_calendar(use_days, today, since):
    """The streak figures counted the plain way, a date at a time (what the dashboard
    computed before it counted day numbers): the definition to compare with."""
    days = sorted(d for d in set(use_days) if d <= today)
    start = since if since is not None else (days[0] if days else today)
    if days and days[0] < start:
        start = days[0]
    start = min(start, today)
    last = days[-1] if days else None
    current = (today - last).days if last is not None else (today - start).days + 1
    longest, previous = 0, start - timedelta(days=1)
    for day in days:
        longest = max(longest, (day - previous).days - 1)
        previous = day
    windows = []
    for window in (30, 90):
        first = max(today - timedelta(days=window - 1), start)
        tracked = (today - first).days + 1
        windows += [tracked - sum(1 for d in days if d >= first), tracked]
    return (start, None if last is None else (today - last).days, current,
            max(longest, current), *windows, last)


@given(offsets=st.lists(st.integers(min_value=-4000, max_value=40), max_size=60),
       since_back=st.one_of(st.none(), st.integers(min_value=-30, max_value=5000)))
@settings(max_examples=300, deadline=None)
def test_streaks_from_day_numbers_are_the_streaks_of_the_calendar(offsets, since_back):
    """The dashboard counts streaks from the summary's day numbers: every figure must be
    the one counted day by day, including uses logged after today (ignored) and a
    tracking start after today or after the first use."""
    today = date(2026, 3, 14)
    since = None if since_back is None else today - timedelta(days=since_back)
    days = [today + timedelta(days=n) for n in offsets]
    found = insights.streaks_of_day_numbers([d.toordinal() for d in days], "Alcohol", today,
                                            since=since)
    assert (found.since, found.days_since_last_use, found.current_streak, found.longest_streak,
            found.abstinent_30, found.days_30, found.abstinent_90, found.days_90,
            found.last_use) == _streaks_by_the_calendar(days, today, since)
    assert found.uses == len(set(days)) and found.addiction == "alcohol"


@given(offsets=st.lists(st.integers(min_value=-400, max_value=3), max_size=40),
       since_back=st.one_of(st.none(), st.integers(min_value=0, max_value=500)))
@settings(max_examples=150, deadline=None)
def test_streaks_from_the_summary_s_days_equal_streaks_from_the_uses(offsets, since_back):
    """The dashboard counts from the summary's days with a use, without a record per
    day: every figure must be the one the uses themselves give."""
    today = date(2026, 3, 14)
    since = None if since_back is None else today - timedelta(days=since_back)
    uses = [Use(addiction="Alcohol", when=datetime.combine(today + timedelta(days=n),
                                                           datetime.min.time()).replace(hour=12))
            for n in offsets]
    uses.append(Use(addiction="gambling", when=datetime(2026, 3, 1, 12)))  # another addiction
    from_uses = insights.streaks(uses, "alcohol", today, since=since)
    days = {datetime.combine(today + timedelta(days=n), datetime.min.time()).date()
            for n in offsets}
    from_days = insights.streaks_of_days(days, "alcohol", today, since=since)
    assert from_days == dataclasses.replace(from_uses, uses=len(days))
