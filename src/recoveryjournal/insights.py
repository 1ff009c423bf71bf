"""Numbers from the records: streaks, weekly series, patterns and WHO-5 scores over time.

Pure: every function takes lists of records and an explicit `today` (and, where
days matter, an optional `tz`); nothing here reads the clock, the journal or a file,
so each answer can be checked by hand in a test.

Days and weeks:
- A record belongs to the calendar day of its `when` in `tz` when one is given
  (e.g. `ZoneInfo("Europe/Stockholm")`), else in the UTC offset it was written with
  (what the person saw on their clock at the time).
- Weeks start on Monday (ISO 8601, as in Sweden, Denmark and Norway) and are named
  by their Monday. Weeks with nothing logged are part of every series, as zeros.

Lapses never erase history: `streaks()` gives days since the last use, the longest
streak and the abstinent days in the last 30 and 90 days together, so a lapse shows
as information beside everything that went well.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import sub
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Iterable, Sequence

from .i18n import N_, _, ngettext
from .i18n.labels import addiction_label
from .records import Addiction, Checkin, ExerciseResponse, Meeting, Urge, Use, normalise_addiction

# ---- days and weeks ------------------------------------------------------------


def day_of(when: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day a moment belongs to (see the module docstring)."""
    return when.astimezone(tz).date() if tz is not None else when.date()


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def weeks_back(today: date, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` weeks, oldest first, this week last."""
    this_week = week_start(today)
    return [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _weeks_from(first: date, today: date) -> list[date]:
    start, end = week_start(first), week_start(today)
    count = (end - start).days // 7 + 1
    return [start + timedelta(weeks=n) for n in range(max(count, 1))]


@dataclass
class Weekly:
    """Series that share one week axis: `weeks` are Mondays, oldest first; each list in
    `series` has one value per week (None where there is nothing to average)."""

    weeks: list[date]
    series: dict[str, list[Any]] = field(default_factory=dict)

    def total(self, name: str) -> float:
        return sum(v for v in self.series.get(name, []) if v is not None)


def _matches(record_addiction: str, addiction: str | None) -> bool:
    return addiction is None or _norm(record_addiction) == _norm(addiction)


# ---- streaks and abstinent days ------------------------------------------------


@dataclass(frozen=True)
class Streaks:
    """Where someone stands with one addiction, counted in whole days up to today."""

    addiction: str
    since: date  # the first day counted (tracking start, or the first use if earlier)
    days_since_last_use: int | None  # None when no use is logged; 0 when it was today
    current_streak: int  # use-free days up to and including today
    longest_streak: int  # the longest run of use-free days ever, today's run included
    abstinent_30: int  # use-free days among the last 30 (today included)
    days_30: int  # days of the last 30 that were tracked (fewer at the start)
    abstinent_90: int
    days_90: int
    uses: int  # uses logged in total
    last_use: date | None


def use_days(uses: Iterable[Use], addiction: str | None = None,
             tz: tzinfo | None = None) -> set[date]:
    """The days with at least one use of `addiction` (any addiction when None)."""
    return {day_of(u.when, tz) for u in uses if _matches(u.addiction, addiction)}


def streaks(
    uses: Iterable[Use],
    addiction: str,
    today: date,
    *,
    since: date | None = None,
    tz: tzinfo | None = None,
) -> Streaks:
    """Days since the last use, current and longest streak, and abstinent days in the
    last 30 and 90 days, for one addiction.

    `since` is the first day to count (the day tracking began); when not given, or
    when a use is logged before it, the first use's day is the start. A use logged
    after `today` (a clock mistake) is ignored.
    """
    mine = [u for u in uses if _matches(u.addiction, addiction)]
    return streaks_of_days({day_of(u.when, tz) for u in mine}, addiction, today,
                           since=since, uses=len(mine))


def streaks_of_days(use_days: Iterable[date], addiction: str, today: date, *,
                    since: date | None = None, uses: int | None = None) -> Streaks:
    """`streaks` from the days with a use of `addiction`. `uses` is how many uses
    there were; the number of days when not given."""
    return streaks_of_day_numbers((day.toordinal() for day in use_days), addiction, today,
                                  since=since, uses=uses)


def streaks_of_day_numbers(day_numbers: Iterable[int], addiction: str, today: date, *,
                           since: date | None = None, uses: int | None = None) -> Streaks:
    """`streaks_of_days` from the days as numbers (`date.toordinal`), as the summary
    keeps them: the dashboard then makes no date object per day of use (ten years of
    daily use of four addictions are 14,600 of them, the part of unlock that grew
    with the journal)."""
    distinct = set(day_numbers)
    if uses is None:
        uses = len(distinct)
    last_day = today.toordinal()
    days = sorted(distinct)
    del days[bisect_right(days, last_day):]  # a use logged after today is ignored
    start = since.toordinal() if since is not None else (days[0] if days else last_day)
    if days and days[0] < start:
        start = days[0]
    start = min(start, last_day)
    last = days[-1] if days else None
    current = last_day - last if last is not None else last_day - start + 1

    # The day before the start acts as a use; a streak is the days between two uses.
    longest = max(map(sub, days, [start - 1, *days[:-1]]), default=1) - 1
    return _streaks(addiction, days, start, last_day, current, max(longest, current), uses)


def _streaks(addiction: str, days: list[int], start: int, last_day: int, current: int,
             longest: int, uses: int) -> Streaks:
    """The Streaks of these sorted day numbers of use (none after `last_day`, all
    of the last 90 days among them), once the current and longest are known."""
    last = days[-1] if days else None

    def abstinent(window: int) -> tuple[int, int]:
        first = max(last_day - window + 1, start)
        tracked = last_day - first + 1
        used = len(days) - bisect_left(days, first)  # `days` is sorted and ends by today
        return tracked - used, tracked

    free_30, days_30 = abstinent(30)
    free_90, days_90 = abstinent(90)
    return Streaks(
        addiction=normalise_addiction(addiction), since=date.fromordinal(start),
        days_since_last_use=current if last is not None else None,
        current_streak=current, longest_streak=longest,
        abstinent_30=free_30, days_30=days_30, abstinent_90=free_90, days_90=days_90,
        uses=uses, last_use=date.fromordinal(last) if last is not None else None,
    )


def streaks_of_recent_days(recent: Sequence[int], first: int, longest_gap: int, uses: int,
                           addiction: str, today: date, *,
                           since: date | None = None) -> Streaks:
    """`streaks_of_day_numbers` from what the summary's glance keeps (so that
    unlock reads the same few numbers at any size of journal): `recent` the
    latest days of use, ascending, none after today, every one of the last 90
    days among them (or all days of use); `first` the first day of use;
    `longest_gap` the largest b - a of two consecutive days of use (0 with fewer
    than two); `uses` how many days had a use."""
    last_day = today.toordinal()
    days = list(recent)
    start = since.toordinal() if since is not None else (first if days else last_day)
    if days and first < start:
        start = first
    start = min(start, last_day)
    last = days[-1] if days else None
    current = last_day - last if last is not None else last_day - start + 1
    # As streaks_of_day_numbers: the day before the start acts as a use.
    longest = max(first - start + 1, longest_gap) - 1 if days else 0
    return _streaks(addiction, days, start, last_day, current, max(longest, current), uses)


def streak_summary(s: Streaks) -> str:
    """One calm line with the figures side by side (never just a reset counter)."""
    if s.days_since_last_use is None:
        first = ngettext("{name}: no use logged in {days} day",
                         "{name}: no use logged in {days} days", s.current_streak).format(
            name=addiction_label(s.addiction), days=s.current_streak)
    else:
        first = ngettext("{name}: {days} day since last use · longest streak {longest} days",
                         "{name}: {days} days since last use · longest streak {longest} days",
                         s.days_since_last_use).format(
            name=addiction_label(s.addiction), days=s.days_since_last_use,
            longest=s.longest_streak)
    # Each pair says which window it is: "1/1, 1/1 days" alone read as nothing.
    return first + " · " + _("use-free {free30}/{days30} days of the last 30, "
                             "{free90}/{days90} of the last 90").format(
        free30=s.abstinent_30, days30=s.days_30, free90=s.abstinent_90, days90=s.days_90)


# ---- limit goals ---------------------------------------------------------------


def amounts_per_day(uses: Iterable[Use], addiction: str, *,
                    tz: tzinfo | None = None) -> dict[date, float]:
    """The amount used each day (only days with a use are keys). A use logged
    without an amount counts as 1 of the unit: it happened, and a limit of 2 drinks
    should not read as kept because the amounts were left empty."""
    totals: dict[date, float] = {}
    for use in uses:
        if _matches(use.addiction, addiction):
            day = day_of(use.when, tz)
            totals[day] = totals.get(day, 0) + (use.amount if use.amount is not None else 1)
    return totals


def limit_kept(amounts: dict[date, float], limit: float, per: str, day: date) -> bool:
    """Whether `day` stayed within the limit: for a daily limit, that day's amount;
    for a weekly one, the week's running total up to and including that day (so the
    days before the limit was passed still count as kept)."""
    if per == "day":
        return amounts.get(day, 0) <= limit
    monday = week_start(day)
    total = sum(amounts.get(monday + timedelta(days=n), 0) for n in range((day - monday).days + 1))
    return total <= limit


@dataclass(frozen=True)
class LimitDays:
    """Where someone stands with a limit goal, in whole days up to today."""

    addiction: str
    limit: float
    per: str  # "day" or "week"
    within_30: int  # days within the limit among the last 30 (today included)
    days_30: int  # days of the last 30 that were tracked
    within_90: int
    days_90: int
    current_run: int  # days within the limit in a row, up to and including today
    today_amount: float  # the amount so far today (for a weekly limit: this week)


def limit_days(uses: Iterable[Use], addiction: str, limit: float, per: str, today: date, *,
               since: date | None = None, tz: tzinfo | None = None) -> LimitDays:
    """Days within a limit (per day or per week) in the last 30 and 90 days, and the
    current run of such days. `since` is the first day counted (tracking start)."""
    amounts = {d: a for d, a in amounts_per_day(uses, addiction, tz=tz).items() if d <= today}
    start = min(since or min(amounts, default=today), min(amounts, default=today), today)

    def window(days: int) -> tuple[int, int]:
        first = max(today - timedelta(days=days - 1), start)
        tracked = (today - first).days + 1
        kept = sum(1 for n in range(tracked) if limit_kept(amounts, limit, per,
                                                          first + timedelta(days=n)))
        return kept, tracked

    within_30, days_30 = window(30)
    within_90, days_90 = window(90)
    run, day = 0, today
    while day >= start and limit_kept(amounts, limit, per, day):
        run += 1
        day -= timedelta(days=1)
    if per == "day":
        so_far = amounts.get(today, 0)
    else:
        monday = week_start(today)
        so_far = sum(a for d, a in amounts.items() if monday <= d <= today)
    return LimitDays(addiction=normalise_addiction(addiction), limit=limit, per=per,
                     within_30=within_30, days_30=days_30, within_90=within_90,
                     days_90=days_90, current_run=run, today_amount=so_far)


def goal_per(goal: str) -> str | None:
    """"day" or "week" for a limit goal; None for abstinence."""
    return {"limit-per-day": "day", "limit-per-week": "week"}.get(goal)


MILESTONES = (1, 7, 30, 90, 180, 365)


def milestone_reached(days_in_a_row: int, seen: int) -> int | None:
    """The highest milestone (1, 7, 30, 90, 180, 365 days) reached by a run of
    `days_in_a_row` that is above `seen` (the last one already noticed), else None.
    A new run after a use starts from nothing noticed only when the caller resets
    `seen`; the dashboard keeps it per run, so nothing is ever taken back."""
    reached = [m for m in MILESTONES if m <= days_in_a_row and m > seen]
    return reached[-1] if reached else None


@dataclass(frozen=True)
class MoneyAndTimeNotSpent:
    """Money and time not spent on one addiction since tracking began."""

    addiction: str
    abstinent_days: int
    money: float | None  # None: no cost per use set
    minutes: float | None  # None: no use with minutes logged


def not_spent(
    addiction: Addiction, uses: Iterable[Use], today: date, *, tz: tzinfo | None = None
) -> MoneyAndTimeNotSpent:
    """Money and time not spent, counted modestly.

    We do not know how much someone used before they started tracking, and asking
    would be one more hard question, so we count ONE avoided use per use-free day
    since tracking began: money = cost_per_use x use-free days; time = the median
    minutes of the uses logged with a duration x use-free days. It is a floor, not a
    boast, and it needs no guess about the past.
    """
    mine = [u for u in uses if _matches(u.addiction, addiction.name)]
    s = streaks(mine, addiction.name, today, since=addiction.tracked_since, tz=tz)
    free_days = (today - s.since).days + 1 - len(use_days(
        [u for u in mine if s.since <= day_of(u.when, tz) <= today], tz=tz))
    money = addiction.cost_per_use * free_days if addiction.cost_per_use else None
    durations = sorted(u.minutes for u in mine if u.minutes)
    minutes = _median(durations) * free_days if durations else None
    return MoneyAndTimeNotSpent(addiction=addiction.name, abstinent_days=free_days, money=money,
                                minutes=minutes)


def _median(values: list[float]) -> float:
    # statistics.median would import fractions and decimal for one number: the CLI's
    # quick add has 0.8 s, process start included.
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def use_calendar(
    uses: Iterable[Use], today: date, days: int, *, addiction: str | None = None,
    tz: tzinfo | None = None,
) -> dict[date, int]:
    """Uses per day over the last `days` days (only days with a use are keys)."""
    first = today - timedelta(days=days - 1)
    counts: Counter[date] = Counter()
    for use in uses:
        if _matches(use.addiction, addiction):
            day = day_of(use.when, tz)
            if first <= day <= today:
                counts[day] += 1
    return dict(counts)


# ---- urges -----------------------------------------------------------------------


def _place_in_weeks(records: Iterable, today: date, weeks: int | None, tz: tzinfo | None,
             addiction: str | None, *fields: str) -> tuple[list[date], list[int], list[list[Any]]]:
    """The week axis, and for the records in range their week positions and the
    values of `fields`, as parallel lists.

    One tight pass that reads each record once: a ten-year journal holds ~50,000
    urges, a chart switch has 50 ms, and the records sit scattered in memory, so a
    second pass over them costs as much as the first. Lists of plain values, not
    (slot, record) tuples: 50,000 tuples wake the garbage collector."""
    wanted = _norm(addiction) if addiction is not None else None
    last = today.toordinal()
    first = weeks_back(today, weeks)[0].toordinal() if weeks is not None else 0
    ordinals: list[int] = []
    columns: list[list[Any]] = [[] for _f in fields]
    getters = list(zip(fields, columns))
    for record in records:
        if wanted is not None and _norm(record.addiction) != wanted:
            continue
        when = record.when if tz is None else record.when.astimezone(tz)
        ordinal = when.toordinal()
        if first <= ordinal <= last:
            ordinals.append(ordinal)
            for name, column in getters:
                column.append(getattr(record, name))
    if weeks is not None:
        axis = weeks_back(today, weeks)
    else:
        axis = _weeks_from(date.fromordinal(min(ordinals, default=last)), today)
    base = axis[0].toordinal()
    return axis, [(o - base) // 7 for o in ordinals], columns


def since(records: Sequence, moment: datetime) -> Sequence:
    """The records from `moment` on, for a list sorted oldest first by `when` (as
    `Journal.records` gives it): a bisection, so a short range of a long journal
    is cut without touching the rest."""
    return records[bisect_left(records, moment, key=lambda r: r.when):]


@lru_cache(maxsize=1024)
def _norm(name: str) -> str:
    return normalise_addiction(name)


def urges_matching(urges: Sequence[Urge], addiction: str | None = None,
                   at_least: int | None = None) -> Sequence[Urge]:
    """The urges of one addiction (names compared as `normalise_addiction` does)
    and/or of at least this intensity, in their order. Urges the app holds as
    columns (record_columns.py) are chosen there, without building an urge for
    each: at ten times the benchmark journal building all 500,000 takes seconds."""
    matching = getattr(urges, "matching", None)
    if matching is not None:
        return matching(addiction, at_least)
    wanted = normalise_addiction(addiction) if addiction is not None else None
    return [u for u in urges if (wanted is None or _norm(u.addiction) == wanted)
            and (at_least is None or u.intensity >= at_least)]


def urges_per_week(
    urges: Iterable[Urge], today: date, *, weeks: int | None = None,
    tz: tzinfo | None = None, addiction: str | None = None,
) -> Weekly:
    """Urges per week, one series per addiction (most urges first)."""
    axis, slots, (names,) = _place_in_weeks(urges, today, weeks, tz, addiction, "addiction")
    counts: dict[str, list[int]] = {}
    for slot, name in zip(slots, names):
        name = _norm(name)
        series = counts.get(name)
        if series is None:
            series = counts[name] = [0] * len(axis)
        series[slot] += 1
    ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    return Weekly(axis, dict(ordered))


def intensity_trend(
    urges: Iterable[Urge], today: date, *, weeks: int | None = None,
    tz: tzinfo | None = None, addiction: str | None = None,
) -> Weekly:
    """Mean intensity per week when logged ("before") and after coping ("after",
    from the urges that were re-rated); None for a week without urges."""
    axis, slots, (intensities, afters) = _place_in_weeks(
        urges, today, weeks, tz, addiction, "intensity", "intensity_after")
    size = len(axis)
    before_sum, before_n = [0] * size, [0] * size
    after_sum, after_n = [0] * size, [0] * size
    for slot, intensity, after in zip(slots, intensities, afters):
        before_sum[slot] += intensity
        before_n[slot] += 1
        if after is not None:
            after_sum[slot] += after
            after_n[slot] += 1
    mean = lambda total, n: round(total / n, 2) if n else None  # noqa: E731
    return Weekly(axis, {"before": list(map(mean, before_sum, before_n)),
                         "after": list(map(mean, after_sum, after_n))})


def resisted_per_week(
    urges: Iterable[Urge], today: date, *, weeks: int | None = None,
    tz: tzinfo | None = None, addiction: str | None = None,
) -> Weekly:
    """Per week: the share of urges resisted, in percent (None without urges), and
    the counts behind it ("resisted", "acted")."""
    axis, slots, (outcomes,) = _place_in_weeks(urges, today, weeks, tz, addiction, "outcome")
    resisted, acted = [0] * len(axis), [0] * len(axis)
    for slot, outcome in zip(slots, outcomes):
        if outcome == "acted":
            acted[slot] += 1
        else:
            resisted[slot] += 1
    share = [round(100 * r / (r + a)) if r + a else None for r, a in zip(resisted, acted)]
    return Weekly(axis, {"share": share, "resisted": resisted, "acted": acted})


@dataclass(frozen=True)
class UrgeWeeks:
    """The three weekly urge series from one pass over the urges (see `urge_weeks`)."""

    per_addiction: Weekly  # as urges_per_week
    intensity: Weekly  # as intensity_trend
    resisted: Weekly  # as resisted_per_week


def urge_weeks(
    urges: Iterable[Urge], today: date, *, weeks: int | None = None,
    tz: tzinfo | None = None, addiction: str | None = None,
) -> UrgeWeeks:
    """Urges per week by addiction, the intensity trend and the share resisted, in one
    pass: the Progress screen builds all three at once, so on a long journal stepping
    between these charts costs only the drawing."""
    axis, slots, (names, intensities, afters, outcomes) = _place_in_weeks(
        urges, today, weeks, tz, addiction, "addiction", "intensity", "intensity_after", "outcome")
    size = len(axis)
    counts: dict[str, list[int]] = {}
    before_sum, after_sum, after_n = [0] * size, [0] * size, [0] * size
    resisted, acted = [0] * size, [0] * size
    for slot, name, intensity, after, outcome in zip(slots, names, intensities, afters, outcomes):
        series = counts.get(name)
        if series is None:
            series = counts[name] = [0] * size
        series[slot] += 1
        before_sum[slot] += intensity
        if after is not None:
            after_sum[slot] += after
            after_n[slot] += 1
        if outcome == "acted":
            acted[slot] += 1
        else:
            resisted[slot] += 1
    merged: dict[str, list[int]] = {}
    for name, series in counts.items():  # names as typed may differ only in case
        key = _norm(name)
        if key in merged:
            merged[key] = [a + b for a, b in zip(merged[key], series)]
        else:
            merged[key] = series
    ordered = dict(sorted(merged.items(), key=lambda kv: (-sum(kv[1]), kv[0])))
    totals = [r + a for r, a in zip(resisted, acted)]
    mean = lambda total, n: round(total / n, 2) if n else None  # noqa: E731
    return UrgeWeeks(
        per_addiction=Weekly(axis, ordered),
        intensity=Weekly(axis, {"before": list(map(mean, before_sum, totals)),
                                "after": list(map(mean, after_sum, after_n))}),
        resisted=Weekly(axis, {"share": [round(100 * r / t) if t else None
                                         for r, t in zip(resisted, totals)],
                               "resisted": resisted, "acted": acted}),
    )


def urge_weeks_from_summary(summary: Any, today: date, *, weeks: int | None = None,
                            addiction: str | None = None) -> UrgeWeeks | None:
    """`urge_weeks` from the sealed summary's week rows (summary.py) instead of the
    urges, the same series; None when the summary cannot say (an urge dated later
    this week than `today`: the urges place it)."""
    found = _summary_rows(summary, today, weeks, addiction)
    if found is None:
        return None
    axis, rows = found
    base, size = axis[0].toordinal(), len(axis)
    counts: dict[str, list[int]] = {}
    totals, acted = [0] * size, [0] * size
    before_sum, after_sum, after_n = [0] * size, [0] * size, [0] * size
    for name, kept in rows.items():
        series = [0] * size
        for week, row in kept.items():
            if week >= base:
                slot = (week - base) // 7
                series[slot] += row[0]
                totals[slot] += row[0]
                acted[slot] += row[1]
                before_sum[slot] += row[2]
                after_sum[slot] += row[3]
                after_n[slot] += row[4]
        if any(series):
            counts[name] = series
    ordered = dict(sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0])))
    resisted = [t - a for t, a in zip(totals, acted)]
    mean = lambda total, n: round(total / n, 2) if n else None  # noqa: E731
    return UrgeWeeks(
        per_addiction=Weekly(axis, ordered),
        intensity=Weekly(axis, {"before": list(map(mean, before_sum, totals)),
                                "after": list(map(mean, after_sum, after_n))}),
        resisted=Weekly(axis, {
            "share": [round(100 * r / t) if t else None for r, t in zip(resisted, totals)],
            "resisted": resisted, "acted": acted}))


def _summary_rows(summary: Any, today: date, weeks: int | None, addiction: str | None
                  ) -> tuple[list[date], dict[str, dict[int, list]]] | None:
    """The week axis and, per addiction wanted, the summary's week rows up to this
    week; None when the rows cannot stand for the urges of that range."""
    this_week = week_start(today).toordinal()
    if summary.urges_later_this_week(today):
        return None
    wanted = [_norm(addiction)] if addiction is not None else list(summary.rows)
    rows = {name: {week: row for week, row in summary.rows.get(name, {}).items()
                   if week <= this_week} for name in wanted}
    if weeks is not None:
        axis = weeks_back(today, weeks)
        # Progress cuts its range a day early, at local midnight: an urge on the first
        # day written more than a day east of this clock falls before it.
        start = datetime.combine(axis[0] - timedelta(days=1), datetime.min.time()).astimezone()
        local = start.utcoffset().total_seconds()
        if any(offset - local > 86400 for offset in summary.offsets_on(axis[0].toordinal())):
            return None
    else:
        first = min((week for found in rows.values() for week in found), default=this_week)
        axis = _weeks_from(date.fromordinal(first), today)
    return axis, rows


def urge_words_from_summary(summary: Any, today: date, *, weeks: int | None = None,
                            addiction: str | None = None
                            ) -> tuple[dict[str, int], dict[str, list[int]]] | None:
    """The trigger counts (trigger -> urges) and the coping tally (tool -> [used,
    resisted]) of the urges in the range's weeks up to `today`, from the summary's
    week rows: what `top_triggers` and `coping_that_worked` count from those urges.
    None when the summary does not keep the names, or cannot say."""
    if not summary.keeps_words():
        return None
    found = _summary_rows(summary, today, weeks, addiction)
    if found is None:
        return None
    axis, rows = found
    base = axis[0].toordinal()
    triggers = [0] * len(summary.trigger_names)
    used, acted = [0] * len(summary.tool_names), [0] * len(summary.tool_names)
    for kept in rows.values():
        for week, row in kept.items():
            if week < base:
                continue
            for total, counts in zip((triggers, used, acted), row[5:8]):
                for slot, count in enumerate(counts):
                    total[slot] += count
    return ({name: n for name, n in zip(summary.trigger_names, triggers) if n},
            {tool: [n, n - a] for tool, n, a in zip(summary.tool_names, used, acted) if n})


def coping_of_tally(tally: dict[str, list[int]], n: int = 5) -> list["CopingResult"]:
    """`coping_that_worked` from a tally made already (tool -> [used, resisted]), as
    the sealed summary keeps it: the same tools in the same order, without the mean
    drop in intensity (None; the charts do not show it)."""
    results = [CopingResult(tool, used, resisted, None)
               for tool, (used, resisted) in tally.items() if used]
    results.sort(key=lambda r: (-r.resisted, -r.used, r.tool))
    return results[:n]


def hour_weekday_from_summary(summary: Any, today: date,
                              addiction: str | None = None) -> list[list[int]] | None:
    """`hour_weekday` of every urge up to `today` (the whole journal: Progress's
    range "all"), from the summary's urges by weekday and hour; None when an urge
    is dated after `today` (a clock mistake: the urges leave it out)."""
    this_week = week_start(today).toordinal()
    if summary.urges_later_this_week(today) or any(
            week > this_week for rows in summary.rows.values() for week in rows):
        return None
    wanted = [_norm(addiction)] if addiction is not None else list(summary.hours)
    grid = [[0] * 24 for _d in range(7)]
    for name in wanted:
        for slot, count in enumerate(summary.hours.get(name, ())):
            grid[slot // 24][slot % 24] += count
    return grid


def share_resisted(urges: Iterable[Urge]) -> float | None:
    """The share of urges resisted, 0..1; None when there are none."""
    outcomes = [u.outcome for u in urges]
    if not outcomes:
        return None
    return sum(1 for o in outcomes if o != "acted") / len(outcomes)


def top_triggers(urges: Iterable[Urge], n: int = 5) -> list[tuple[str, int]]:
    """The most frequent trigger categories (lower-cased), with how often each came."""
    counts = Counter(_norm(u.trigger) for u in urges if u.trigger)
    return top_of_trigger_counts(counts, n)


def top_of_trigger_counts(counts: dict[str, int], n: int = 5) -> list[tuple[str, int]]:
    """`top_triggers` from counts already made (trigger, lower-cased -> urges), as
    the sealed summary keeps them per week."""
    found = [(trigger, count) for trigger, count in counts.items() if trigger and count]
    return sorted(found, key=lambda kv: (-kv[1], kv[0]))[:n]


# The parts of an urge the urge log in "Urge now" asks about, in its order.
URGE_LOG_FIELDS = ("trigger", "place", "people", "feelings", "thought")


def earlier_answers(urges: Iterable[Urge], n: int = 8) -> dict[str, list[str]]:
    """For each field of URGE_LOG_FIELDS, the person's own earlier answers, the most
    used first (ties: the one used last first), at most `n` each. One pass over the
    urges: a ten-year journal holds ~50,000 of them. Answers are compared as typed
    but without case, and offered as they were first written."""
    counts: dict[str, dict[str, list]] = {name: {} for name in URGE_LOG_FIELDS}
    tally = getattr(urges, "label_tally", None)  # urges held as columns (record_columns.py)
    tallies = [tally(name) for name in URGE_LOG_FIELDS] if tally is not None else [None]
    if None not in tallies:
        # Each distinct value once, in the order values first appear (so the first
        # spelling of an answer is met first), with its count and last position.
        for name, found in zip(URGE_LOG_FIELDS, tallies):
            table = counts[name]
            for value, count, last in found:  # type: ignore[union-attr]
                if not value:
                    continue
                for answer in ((value,) if value.__class__ is str else value):
                    key = answer.casefold()
                    seen = table.get(key)
                    if seen is None:
                        table[key] = [count, last, answer]
                    else:
                        seen[0] += count
                        seen[1] = max(seen[1], last)
        urges = ()
    for position, urge in enumerate(urges):
        for name in URGE_LOG_FIELDS:
            value = getattr(urge, name, "")
            if not value:
                continue
            table = counts[name]
            for answer in ((value,) if value.__class__ is str else value):
                key = answer.casefold()
                seen = table.get(key)
                if seen is None:
                    table[key] = [1, position, answer]
                else:
                    seen[0] += 1
                    seen[1] = position
    return {name: [answer for _count, _last, answer in
                   sorted(table.values(), key=lambda t: (-t[0], -t[1]))[:n]]
            for name, table in counts.items()}


@dataclass(frozen=True)
class CopingResult:
    """How one coping tool went: times used, times the urge was resisted, and the mean
    drop in intensity where the urge was re-rated (None if never re-rated)."""

    tool: str
    used: int
    resisted: int
    mean_drop: float | None


def coping_that_worked(urges: Iterable[Urge], n: int = 5) -> list[CopingResult]:
    """Coping tools ranked by how often the urge was resisted when they were used."""
    # tool -> [used, resisted, sum of drops, re-rated]; plain lists, one dict lookup
    # per tool and urge (this runs over every urge of a ten-year journal).
    tally: dict[str, list[int]] = {}
    for urge in urges:
        coping = urge.coping
        if not coping:
            continue
        resisted = urge.outcome != "acted"
        after = urge.intensity_after
        drop = urge.intensity - after if after is not None else 0
        for tool in (coping if len(coping) == 1 else dict.fromkeys(coping)):
            if not tool:
                continue
            counts = tally.get(tool)
            if counts is None:
                counts = tally[tool] = [0, 0, 0, 0]
            counts[0] += 1
            counts[1] += resisted
            if after is not None:
                counts[2] += drop
                counts[3] += 1
    results = [
        CopingResult(tool, used, resisted, round(drops / rerated, 2) if rerated else None)
        for tool, (used, resisted, drops, rerated) in tally.items()
    ]
    results.sort(key=lambda r: (-r.resisted, -r.used, r.tool))
    return results[:n]


def coping_order(tally: dict[str, list[int]], n: int = 5) -> list[str]:
    """The tools `coping_that_worked` would rank first, from counts already made
    (tool -> [used, resisted]), as the sealed summary keeps them per week."""
    ranked = sorted(tally.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
    return [tool for tool, (used, _resisted) in ranked if used][:n]


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def hour_weekday(urges: Iterable[Urge], *, tz: tzinfo | None = None) -> list[list[int]]:
    """Urges by weekday (rows, Monday first) and hour of the day (24 columns), in
    local time: `tz` when given, else the clock the urge was logged on."""
    counted = getattr(urges, "hour_weekday", None)  # urges held as columns (record_columns.py)
    if counted is not None and tz is None:
        return counted()
    grid = [[0] * 24 for _d in range(7)]
    for urge in urges:
        when = urge.when.astimezone(tz) if tz is not None else urge.when
        grid[when.weekday()][when.hour] += 1
    return grid


# ---- meetings --------------------------------------------------------------------


def meetings_and_urges_per_week(
    meetings: Iterable[Meeting], urges: Iterable[Urge], today: date, *,
    weeks: int | None = None, tz: tzinfo | None = None, addiction: str | None = None,
    per_week: Weekly | None = None,
) -> Weekly:
    """Meetings attended and urges logged per week, on one axis. `per_week` is
    `urges_per_week` for the same urges and range, when already built."""
    urge_series = per_week or urges_per_week(urges, today, weeks=weeks, tz=tz, addiction=addiction)
    meeting_axis, slots, _columns = _place_in_weeks(meetings, today, weeks, tz, None)
    # The axis starts at the earlier of the first urge and the first meeting.
    axis = meeting_axis if meeting_axis[0] < urge_series.weeks[0] else urge_series.weeks
    offset = (meeting_axis[0] - axis[0]).days // 7
    met = [0] * len(axis)
    for slot in slots:
        met[slot + offset] += 1
    urged = [0] * len(axis)
    shift = (urge_series.weeks[0] - axis[0]).days // 7
    for values in urge_series.series.values():
        for index, count in enumerate(values):
            urged[index + shift] += count
    return Weekly(axis, {"meetings": met, "urges": urged})


# ---- mood --------------------------------------------------------------------------


def mood_per_day(moods: Iterable[Any], entries: Iterable[Any] = (), *,
                 tz: tzinfo | None = None, since: date | None = None) -> list[tuple[date, float]]:
    """The mean mood (1 very low .. 5 very good) of each day with one, oldest first:
    from the one-key daily moods and from entries written with a mood."""
    sums: dict[date, list[float]] = {}
    counted = getattr(entries, "days_and_numbers", None)  # entries held as columns
    if counted is not None and tz is None:  # (each entry's day and mood, none built)
        found = [(date.fromordinal(day), mood) for day, mood in counted("mood")]
    else:
        found = [(day_of(e.when, tz), e.mood) for e in entries if e.mood is not None]
    for day, mood in [(day_of(m.when, tz), m.mood) for m in moods] + found:
        if since is None or day >= since:
            total = sums.setdefault(day, [0, 0])
            total[0] += mood
            total[1] += 1
    return [(day, round(total / n, 2)) for day, (total, n) in sorted(sums.items())]


def mood_per_week(moods: Iterable[Any], entries: Iterable[Any] = ()) -> list[tuple[date, float]]:
    """The mean mood of each week with one (by its Monday; days of `when` in its own
    offset), oldest first: what the Progress screen draws for the whole journal,
    where days are too many for its columns."""
    sums: dict[int, list[int]] = {}
    for group in (moods, entries):
        for record in group:
            mood = record.mood
            if mood is None:
                continue
            when = record.when
            total = sums.get(monday := when.toordinal() - when.weekday())
            if total is None:
                sums[monday] = [1, mood]
            else:
                total[0] += 1
                total[1] += mood
    return _mood_points(sums)


def mood_weeks_from_summary(summary: Any) -> list[tuple[date, float]]:
    """`mood_per_week` of every mood and entry, from the sealed summary."""
    return _mood_points(summary.moods)


def _mood_points(sums: dict[int, list[int]]) -> list[tuple[date, float]]:
    return [(date.fromordinal(monday), round(total / n, 2))
            for monday, (n, total) in sorted(sums.items())]


# ---- a group course ("programme") ------------------------------------------------


@dataclass(frozen=True)
class Programme:
    """Where someone is in a group course that runs for a set number of weeks (the
    Danish model: a 16-week course, well-being measured at the start, midway and
    the end)."""

    start: date
    weeks: int
    week: int  # this week of the course, 1-based; above `weeks` once it has ended
    attended: int  # meetings from the start to the end of the course (or today)
    who5_start: int | None  # the check-in nearest the start (within 3 weeks), in %
    who5_mid: int | None  # nearest the middle
    who5_now: int | None  # the latest check-in since the start
    meetings: list[int]  # meetings in each week of the course so far
    who5: list[int | None]  # the week's last check-in (%), None without one


def programme(meetings: Iterable[Meeting], checkins: Iterable[Checkin], start: date,
              weeks: int, today: date, *, tz: tzinfo | None = None) -> Programme:
    """The course from `start` (its week 1 is the 7 days from `start`) to today."""
    week = (today - start).days // 7 + 1
    shown = max(0, min(week, weeks))
    end = start + timedelta(weeks=weeks)
    met = [0] * shown
    attended = 0
    for meeting in meetings:
        day = day_of(meeting.when, tz)
        if start <= day < end and day <= today:
            attended += 1
            met[(day - start).days // 7] += 1
    points = [(day_of(c.when, tz), c.percent) for c in checkins]
    points = sorted(p for p in points if p[0] <= today)
    by_week: list[int | None] = [None] * shown
    for day, percent in points:
        if start <= day < end and (day - start).days // 7 < shown:
            by_week[(day - start).days // 7] = percent

    def nearest(target: date) -> int | None:
        close = [(abs((day - target).days), -day.toordinal(), percent)
                 for day, percent in points if abs((day - target).days) <= 21]
        return min(close)[2] if close else None

    middle = start + timedelta(days=weeks * 7 // 2)
    since_start = [percent for day, percent in points if day >= start]
    return Programme(
        start=start, weeks=weeks, week=week, attended=attended,
        who5_start=nearest(start),
        who5_mid=nearest(middle) if today >= middle else None,
        who5_now=since_start[-1] if since_start else None,
        meetings=met, who5=by_week,
    )


# ---- WHO-5 over time (the questions and scoring: who5.py) ------------------------

def who5_over_time(
    checkins: Iterable[Checkin], *, tz: tzinfo | None = None, since: date | None = None
) -> list[tuple[date, int]]:
    """(day, percent) for each check-in, oldest first (several in a day all kept)."""
    points = [(day_of(c.when, tz), c.percent) for c in checkins]
    return sorted(p for p in points if since is None or p[0] >= since)


# ---- exercises --------------------------------------------------------------------


def _is_rating(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 10


@dataclass(frozen=True)
class Wave:
    """The ratings (0..10) of one urge over time, first to last."""

    when: datetime
    ratings: list[int]


def _ratings(value: Any) -> list[int] | None:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        # The urge-surfing timer's answer: [{"minute": 0, "strength": 7}, ...]
        readings = sorted((v.get("minute", 0), v.get("strength")) for v in value
                          if _is_rating(v.get("strength")))
        return [round(strength) for _minute, strength in readings] or None
    if isinstance(value, list) and value and all(
            isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 10 for v in value):
        return [round(v) for v in value]
    return None


def _of_exercise(responses: Iterable[ExerciseResponse],
                 exercise_id: str) -> Iterable[ExerciseResponse]:
    """The answers to one exercise first chosen in the columns the app holds them
    in (record_columns.py), where building every answer (its JSON read again)
    cost a tenth of a second at ten times the benchmark journal; as they are
    otherwise (the caller tests each again)."""
    choose = getattr(responses, "with_label", None)
    return choose("exercise_id", exercise_id) if choose is not None else responses


def urge_waves(
    responses: Iterable[ExerciseResponse], urges: Iterable[Urge] = (), *,
    since: datetime | None = None, exercise_id: str = "urge-surfing",
) -> list[Wave]:
    """The wave of each urge-surfing session, oldest first.

    From an urge-surfing exercise response: the timer step's readings
    (`[{"minute": 0, "strength": 7}, ...]`, exercises/README.md) or a plain list of
    0..10 ratings, else its 0..10 number answers in step order. From an urge whose
    coping includes urge surfing and that was re-rated: [before, after]. Sessions
    with fewer than two ratings carry no wave and are left out.
    """
    waves = []
    for response in _of_exercise(responses, exercise_id):
        if response.exercise_id != exercise_id:
            continue
        ratings = None
        for value in response.answers.values():
            ratings = _ratings(value)
            if ratings:
                break
        if ratings is None:
            ratings = [round(v) for v in response.answers.values()
                       if isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 10]
        if len(ratings) >= 2:
            waves.append(Wave(response.when, ratings))
    for urge in urges:
        if urge.intensity_after is not None and exercise_id in urge.coping:
            waves.append(Wave(urge.when, [urge.intensity, urge.intensity_after]))
    waves = [w for w in waves if since is None or w.when >= since]
    return sorted(waves, key=lambda w: w.when)


def lifestyle_balance(
    responses: Iterable[ExerciseResponse], *, exercise_id: str = "lifestyle-balance"
) -> tuple[datetime, list[tuple[str, float]]] | None:
    """The latest lifestyle-balance response as (when, [(life area, rating)]).

    Reads numeric answers (a rating per life area, keyed by the step id) or one
    answer that is a mapping of area to rating; other answers (notes) are skipped.
    None when there is no response with ratings.
    """
    latest = None
    for response in _of_exercise(responses, exercise_id):
        if response.exercise_id != exercise_id:
            continue
        areas: list[tuple[str, float]] = []
        for key, value in response.answers.items():
            if isinstance(value, dict):
                areas.extend((str(k), float(v)) for k, v in value.items()
                             if isinstance(v, int | float) and not isinstance(v, bool))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                areas.append((str(key), float(value)))
        if areas and (latest is None or response.when >= latest[0]):
            latest = (response.when, areas)
    return latest
